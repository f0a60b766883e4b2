//! Step 4, who: name and phone, or anonymous; "don't show my identity to the handling unit"; and
//! volunteer mode (代办), where the contact is the person helped and the volunteer's own name and
//! a "for whom" label stay on this phone.

use leptos::prelude::*;
use yousu_core::PersonName;

use crate::components::text_field::TextField;
use crate::i18n::tr;
use crate::pages::submit::step::Step;
use crate::pages::submit::use_submit_state;

#[component]
pub fn WhoStep() -> impl IntoView {
    let state = use_submit_state();
    let form = state.form;
    let errors = state.errors_of(Step::Who);
    let proxy = move || form.with(|f| f.proxy.is_some());
    let anonymous = move || form.with(|f| f.case.anonymous);
    let proxy_text = move |get: fn(&crate::store::draft::Proxy) -> &String| {
        Signal::derive(move || {
            form.with(|f| f.proxy.as_ref().map(get).cloned().unwrap_or_default())
        })
    };

    view! {
        <h2 id="step-title" tabindex="-1">{tr(|s| s.who_title)}</h2>
        <label class="choice">
            <input
                type="checkbox"
                prop:checked=proxy
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    form.update(|f| {
                        f.set_proxy(on);
                        if on {
                            f.case.anonymous = false;
                        }
                    });
                }
            />
            {tr(|s| s.proxy_label)}
        </label>
        <Show when=proxy>
            <p class="field-hint">{tr(|s| s.proxy_hint)}</p>
            <TextField
                id="volunteer_name"
                label=tr(|s| s.volunteer_name_label)
                value=proxy_text(|p| &p.volunteer_name)
                on_input=Callback::new(move |v| form.update(|f| {
                    if let Some(p) = f.proxy.as_mut() {
                        p.volunteer_name = v;
                    }
                }))
                autocomplete="name"
                max_chars=PersonName::MAX_CHARS
                errors
            />
            <TextField
                id="for_whom"
                label=tr(|s| s.for_whom_label)
                value=proxy_text(|p| &p.for_whom)
                on_input=Callback::new(move |v| form.update(|f| {
                    if let Some(p) = f.proxy.as_mut() {
                        p.for_whom = v;
                    }
                }))
                autocomplete="off"
                max_chars=40
                optional=true
                errors
            />
        </Show>
        <Show when=move || !proxy()>
            <label class="choice">
                <input
                    type="checkbox"
                    prop:checked=anonymous
                    on:change=move |ev| {
                        let anonymous = event_target_checked(&ev);
                        form.update(|f| {
                            f.case.anonymous = anonymous;
                            if anonymous {
                                // Nothing of who they are is kept, not even in the draft.
                                f.case.contact_name.clear();
                                f.case.contact_phone.clear();
                                f.case.hide_identity_from_unit = false;
                            }
                        });
                    }
                />
                {tr(|s| s.anonymous_label)}
            </label>
        </Show>
        <Show
            when=move || !anonymous()
            fallback=move || view! { <p class="field-hint">{tr(|s| s.anonymous_hint)}</p> }
        >
            <TextField
                id="contact_name"
                label=Signal::derive(move || if proxy() { tr(|s| s.proxy_name).get() } else { tr(|s| s.field_name).get() })
                value=state.text(|f| &f.case.contact_name)
                on_input=Callback::new(move |v| form.update(|f| f.case.contact_name = v))
                autocomplete="name"
                max_chars=PersonName::MAX_CHARS
                optional=true
                errors
            />
            <TextField
                id="contact_phone"
                label=Signal::derive(move || if proxy() { tr(|s| s.proxy_phone).get() } else { tr(|s| s.field_phone).get() })
                value=state.text(|f| &f.case.contact_phone)
                on_input=Callback::new(move |v| form.update(|f| f.case.contact_phone = v))
                input_type="tel"
                autocomplete="tel"
                hint=tr(|s| s.phone_hint)
                errors
            />
            <label class="choice">
                <input
                    type="checkbox"
                    prop:checked=move || form.with(|f| f.case.hide_identity_from_unit)
                    on:change=move |ev| {
                        let hide = event_target_checked(&ev);
                        form.update(|f| f.case.hide_identity_from_unit = hide);
                    }
                />
                {tr(|s| s.hide_identity_label)}
            </label>
        </Show>
    }
}

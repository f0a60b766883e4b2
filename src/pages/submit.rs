//! Submitting an appeal: what, where, how to reach the resident. Checked with the same rules the
//! server applies; saved as it is typed; sent with a key that makes a retry harmless.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use yousu_core::FieldError;
use yousu_core::catalog::{Catalog, Grid};
use yousu_core::validation::MAX_ADDRESS_CHARS;
use yousu_core::{Description, PersonName};

use crate::api::{self, ApiFailure};
use crate::clock::use_server_clock;
use crate::components::field_error::{FieldErrorText, aria_described_by, aria_invalid};
use crate::components::select_field::SelectField;
use crate::components::text_field::TextField;
use crate::i18n::use_i18n;
use crate::routes;
use crate::store::draft::{self, SavedDraft};
use crate::store::my_cases::{self, SavedCase};
use crate::store::outbox::use_outbox;

/// The catalogue and the grid, fresh when online, remembered when not.
async fn load_reference() -> api::ApiResult<(Catalog, Grid)> {
    let catalog = crate::store::fresh_or_cached("yousu.catalog.v1", api::catalog()).await?;
    let grid = crate::store::fresh_or_cached("yousu.grid.v1", api::grid()).await?;
    Ok((catalog, grid))
}

#[component]
pub fn SubmitPage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = LocalResource::new(load_reference);
    view! {
        <h1>{move || i18n.t().submit_title}</h1>
        <p class="notice notice-emergency">{move || i18n.t().emergency_notice}</p>
        <Suspense fallback=move || view! { <p class="loading">{move || i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok((catalog, grid)) => view! { <SubmitForm catalog grid /> }.into_any(),
                    Err(_) => view! {
                        <p class="notice notice-error" role="alert">{move || i18n.t().load_failed}</p>
                        <button type="button" class="button" on:click=move |_| reference.refetch()>
                            {move || i18n.t().retry}
                        </button>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the banner above the send button says.
#[derive(Clone, Copy, PartialEq)]
enum Banner {
    None,
    Restored,
    FixErrors,
    SendFailed,
}

#[component]
fn SubmitForm(catalog: Catalog, grid: Grid) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let outbox = use_outbox();
    let clock = use_server_clock();
    let catalog = StoredValue::new(catalog);
    let grid = StoredValue::new(grid);

    let restored = draft::load().filter(|d| !d.is_blank());
    let banner = RwSignal::new(if restored.is_some() {
        Banner::Restored
    } else {
        Banner::None
    });
    let form = RwSignal::new(restored.unwrap_or_else(SavedDraft::with_new_key));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sending = RwSignal::new(false);

    // Every keystroke is kept on the phone.
    Effect::new(move |_| form.with(draft::save));

    let error_signal = Signal::derive(move || errors.get());
    let focus_first_error = |errors: &[FieldError]| {
        if let Some(el) = errors
            .first()
            .and_then(|first| document().get_element_by_id(&first.field))
        {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let current = form.get_untracked();
        let checked = current.case.validate(
            |id| catalog.with_value(|c| c.category(id).is_some()),
            |id| grid.with_value(|g| g.community(id).is_some()),
        );
        if let Err(found) = checked {
            focus_first_error(&found);
            errors.set(found);
            banner.set(Banner::FixErrors);
            return;
        }
        errors.set(Vec::new());
        banner.set(Banner::None);
        sending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::submit_case(&current.idempotency_key, &current.case).await;
            sending.set(false);
            match result {
                Ok((receipt, replayed)) => {
                    // A replayed answer carries the server time of the first one: not a clock.
                    if !replayed {
                        clock.observe(receipt.case.server_time);
                    }
                    my_cases::upsert(SavedCase::from_view(
                        &receipt.case,
                        Some(receipt.access_token),
                    ));
                    draft::clear();
                    navigate(
                        &routes::case_detail(&receipt.case.case_number),
                        Default::default(),
                    );
                }
                Err(ApiFailure::Rejected { status: 422, error }) => {
                    focus_first_error(&error.fields);
                    errors.set(error.fields);
                    banner.set(Banner::FixErrors);
                }
                // No network: the outbox keeps it and sends it when the network returns.
                Err(ApiFailure::Network) => {
                    outbox.enqueue(current.idempotency_key, current.case);
                    draft::clear();
                    navigate(routes::MY_CASES, Default::default());
                }
                Err(_) => banner.set(Banner::SendFailed),
            }
        });
    };

    // The choices of each drop-down, in the current language.
    let category_choices = move || {
        let locale = i18n.locale();
        catalog.with_value(|c| {
            c.categories
                .iter()
                .map(|c| {
                    (
                        c.category_id.clone(),
                        locale.pick(&c.name_zh, &c.name_en).to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let district_choices = move || {
        let locale = i18n.locale();
        grid.with_value(|g| {
            g.districts
                .iter()
                .map(|d| {
                    (
                        d.district_id.clone(),
                        locale.pick(&d.name_zh, &d.name_en).to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let subdistrict_choices = move || {
        let locale = i18n.locale();
        let district_id = form.with(|f| f.district_id.clone());
        grid.with_value(|g| {
            g.districts
                .iter()
                .filter(|d| d.district_id == district_id)
                .flat_map(|d| &d.subdistricts)
                .map(|s| {
                    (
                        s.subdistrict_id.clone(),
                        locale.pick(&s.name_zh, &s.name_en).to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let community_choices = move || {
        let locale = i18n.locale();
        let subdistrict_id = form.with(|f| f.subdistrict_id.clone());
        grid.with_value(|g| {
            g.districts
                .iter()
                .flat_map(|d| &d.subdistricts)
                .filter(|s| s.subdistrict_id == subdistrict_id)
                .flat_map(|s| &s.communities)
                .map(|c| {
                    (
                        c.community_id.clone(),
                        locale.pick(&c.name_zh, &c.name_en).to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let description_count = move || form.with(|f| f.case.description.trim().chars().count());
    let text = move |get: fn(&SavedDraft) -> &String| {
        Signal::derive(move || form.with(|f| get(f).clone()))
    };

    view! {
        <form class="submit-form" novalidate on:submit=on_submit>
            <SelectField
                id="category_id"
                label=Signal::derive(move || i18n.t().field_category)
                choices=Signal::derive(category_choices)
                selected=text(|f| &f.case.category_id)
                on_change=Callback::new(move |v| form.update(|f| f.case.category_id = v))
                errors=error_signal
            />

            <div class="field">
                <label for="description">{move || i18n.t().field_description}</label>
                <textarea
                    id="description"
                    rows="5"
                    placeholder=move || i18n.t().description_placeholder
                    aria-invalid=aria_invalid(error_signal, "description")
                    aria-describedby=aria_described_by(
                        error_signal,
                        "description",
                        Some("description-count".into()),
                    )
                    prop:value=text(|f| &f.case.description)
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.description = value);
                    }
                ></textarea>
                <p
                    id="description-count"
                    class=move || {
                        if description_count() > Description::MAX_CHARS {
                            "field-hint field-hint-over"
                        } else {
                            "field-hint"
                        }
                    }
                >
                    {move || i18n.locale().char_count(description_count(), Description::MAX_CHARS)}
                </p>
                <FieldErrorText errors=error_signal field="description" />
            </div>

            <SelectField
                id="district_id"
                label=Signal::derive(move || i18n.t().field_district)
                choices=Signal::derive(district_choices)
                selected=text(|f| &f.district_id)
                on_change=Callback::new(move |v| form.update(|f| {
                    f.district_id = v;
                    f.subdistrict_id.clear();
                    f.case.community_id.clear();
                }))
                errors=error_signal
            />
            <SelectField
                id="subdistrict_id"
                label=Signal::derive(move || i18n.t().field_subdistrict)
                choices=Signal::derive(subdistrict_choices)
                selected=text(|f| &f.subdistrict_id)
                on_change=Callback::new(move |v| form.update(|f| {
                    f.subdistrict_id = v;
                    f.case.community_id.clear();
                }))
                disabled=Signal::derive(move || form.with(|f| f.district_id.is_empty()))
                errors=error_signal
            />
            <SelectField
                id="community_id"
                label=Signal::derive(move || i18n.t().field_community)
                choices=Signal::derive(community_choices)
                selected=text(|f| &f.case.community_id)
                on_change=Callback::new(move |v| form.update(|f| f.case.community_id = v))
                disabled=Signal::derive(move || form.with(|f| f.subdistrict_id.is_empty()))
                errors=error_signal
            />

            <TextField
                id="address"
                label=Signal::derive(move || i18n.t().field_address)
                value=text(|f| &f.case.address)
                on_input=Callback::new(move |v| form.update(|f| f.case.address = v))
                autocomplete="street-address"
                max_chars=MAX_ADDRESS_CHARS
                optional=true
                errors=error_signal
            />
            <label class="choice">
                <input
                    type="checkbox"
                    prop:checked=move || form.with(|f| f.case.anonymous)
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
                {move || i18n.t().anonymous_label}
            </label>
            <Show
                when=move || !form.with(|f| f.case.anonymous)
                fallback=move || view! { <p class="field-hint">{move || i18n.t().anonymous_hint}</p> }
            >
            <TextField
                id="contact_name"
                label=Signal::derive(move || i18n.t().field_name)
                value=text(|f| &f.case.contact_name)
                on_input=Callback::new(move |v| form.update(|f| f.case.contact_name = v))
                autocomplete="name"
                max_chars=PersonName::MAX_CHARS
                optional=true
                errors=error_signal
            />
            <TextField
                id="contact_phone"
                label=Signal::derive(move || i18n.t().field_phone)
                value=text(|f| &f.case.contact_phone)
                on_input=Callback::new(move |v| form.update(|f| f.case.contact_phone = v))
                input_type="tel"
                autocomplete="tel"
                hint=Signal::derive(move || i18n.t().phone_hint)
                errors=error_signal
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
                    {move || i18n.t().hide_identity_label}
                </label>
            </Show>

            <div class="submit-form-banner" role="status" aria-live="polite">
                {move || {
                    let t = i18n.t();
                    match banner.get() {
                        Banner::None => None,
                        Banner::Restored => Some(("notice", t.draft_restored)),
                        Banner::FixErrors => Some(("notice notice-error", t.fix_errors)),
                        Banner::SendFailed => Some(("notice notice-error", t.send_failed_kept)),
                    }
                    .map(|(class, text)| view! { <p class=class>{text}</p> })
                }}
            </div>

            <button type="submit" class="button button-primary" aria-disabled=move || sending.get().to_string()>
                {move || if sending.get() { i18n.t().sending } else { i18n.t().send }}
            </button>
        </form>
    }
}

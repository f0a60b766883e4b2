//! A labelled drop-down of choices, with its error message.

use leptos::prelude::*;
use yousu_core::FieldError;

use crate::components::field_error::{FieldErrorText, aria_described_by, aria_invalid};
use crate::i18n::tr;

/// One choice: its value and its text in the current language.
pub type Choice = (String, String);

#[component]
pub fn SelectField(
    /// The element id, also the API field name its errors carry.
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] choices: Signal<Vec<Choice>>,
    #[prop(into)] selected: Signal<String>,
    on_change: Callback<String>,
    #[prop(into, optional)] disabled: Signal<bool>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                disabled=disabled
                aria-invalid=aria_invalid(errors, id)
                aria-describedby=aria_described_by(errors, id, None)
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                <option value="">{tr(|s| s.choose)}</option>
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let is_selected = {
                                let value = value.clone();
                                move || selected.with(|s| *s == value)
                            };
                            view! {
                                <option value=value prop:selected=is_selected>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <FieldErrorText errors field=id />
        </div>
    }
}

//! A labelled one-line text input, with an optional hint and its error message.

use leptos::prelude::*;
use yousu_core::FieldError;

use crate::components::field_error::{FieldErrorText, aria_described_by, aria_invalid};
use crate::i18n::tr;

#[component]
pub fn TextField(
    /// The element id, also the API field name its errors carry.
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] max_chars: Option<usize>,
    /// Digits only: phones offer their number pad.
    #[prop(optional)]
    numeric: bool,
    #[prop(optional)] optional: bool,
    #[prop(into, optional)] hint: Option<Signal<&'static str>>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let hint_id = hint.map(|_| format!("{id}-hint"));
    view! {
        <div class="field">
            <label for=id>
                {label}
                {optional.then(|| view! {
                    <span class="field-optional">{tr(|s| s.optional)}</span>
                })}
            </label>
            <input
                id=id
                type=input_type
                inputmode=if numeric {
                    Some("numeric")
                } else {
                    (input_type == "tel").then_some("tel")
                }
                autocomplete=autocomplete
                maxlength=max_chars.map(|n| n.to_string())
                aria-invalid=aria_invalid(errors, id)
                aria-describedby=aria_described_by(errors, id, hint_id.clone())
                prop:value=value
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            {hint.map(|hint| view! { <p id=hint_id.clone() class="field-hint">{hint}</p> })}
            <FieldErrorText errors field=id />
        </div>
    }
}

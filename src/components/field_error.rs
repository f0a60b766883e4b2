//! The message under a form field that failed a rule, in the current language, and the ARIA
//! attributes that tie it to its field.

use leptos::prelude::*;
use yousu_core::FieldError;

use crate::i18n::{Locale, use_i18n};

/// The id of a field's error message, for `aria-describedby`.
pub fn error_id(field: &str) -> String {
    format!("{field}-error")
}

pub fn message_for(errors: &[FieldError], field: &str, locale: Locale) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| locale.pick(&e.message_zh, &e.message_en).to_owned())
}

/// `aria-invalid` for a field: "true" while it has an error.
pub fn aria_invalid(errors: Signal<Vec<FieldError>>, field: &'static str) -> Signal<String> {
    Signal::derive(move || {
        errors
            .with(|e| e.iter().any(|e| e.field == field))
            .to_string()
    })
}

/// `aria-describedby` for a field: its hint, then its error message while it has one.
pub fn aria_described_by(
    errors: Signal<Vec<FieldError>>,
    field: &'static str,
    hint_id: Option<String>,
) -> Signal<String> {
    Signal::derive(move || {
        let has_error = errors.with(|e| e.iter().any(|e| e.field == field));
        let ids: Vec<String> = hint_id
            .iter()
            .cloned()
            .chain(has_error.then(|| error_id(field)))
            .collect();
        ids.join(" ")
    })
}

#[component]
pub fn FieldErrorText(errors: Signal<Vec<FieldError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors
            .with(|errors| message_for(errors, field, i18n.locale()))
            .map(|message| {
                view! {
                    <p class="field-error" id=error_id(field)>
                        {message}
                    </p>
                }
            })
    }
}

//! The message under a form field that failed a rule, in the current language.

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

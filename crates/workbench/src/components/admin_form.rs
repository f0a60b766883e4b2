//! The labelled fields of the administration forms, each with its own error beneath it: from
//! the shared checks of `yousu_core::admin` before sending, or from the API's 422 answer after.
//! An input with an error is marked `aria-invalid` and described by its message.

use leptos::prelude::*;
use yousu_core::FieldError;

use crate::api::ApiFailure;
use crate::i18n::{Locale, Strings, tr, use_i18n};

/// The field errors a form shows, by the API's field names.
pub type Errors = RwSignal<Vec<FieldError>>;

/// The message for one field in the current language, if it has one.
pub fn message_for(errors: &[FieldError], field: &str, locale: Locale) -> Option<String> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| locale.pick(&e.message_zh, &e.message_en))
        .collect();
    (!messages.is_empty()).then(|| messages.join("；"))
}

/// The field errors of a 422 answer; `None` for any other failure.
pub fn field_errors(failure: &ApiFailure) -> Option<Vec<FieldError>> {
    match failure {
        ApiFailure::Rejected { status: 422, error } if !error.fields.is_empty() => {
            Some(error.fields.clone())
        }
        _ => None,
    }
}

/// Asks the browser's own confirmation dialog (keyboard and screen-reader usable).
pub fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

fn error_line(
    id: &'static str,
    field: &'static str,
    errors: Errors,
) -> (
    impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    String,
) {
    let i18n = use_i18n();
    let message = move || errors.with(|e| message_for(e, field, i18n.locale()));
    (message, format!("{id}-error"))
}

/// A labelled text input (`kind`: text, password, number) bound to `value`.
#[component]
pub fn TextField(
    id: &'static str,
    field: &'static str,
    label: fn(&'static Strings) -> &'static str,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let (message, error_id) = error_line(id, field, errors);
    view! {
        <label for=id>{tr(label)}</label>
        <input id=id type=kind autocomplete=autocomplete bind:value=value
            aria-invalid=move || message().map(|_| "true")
            aria-describedby=error_id.clone() />
        <p class="field-error" id=error_id>{message}</p>
    }
}

/// A labelled select; `options` are (value, label) pairs after a "choose" entry.
#[component]
pub fn SelectField(
    id: &'static str,
    field: &'static str,
    label: fn(&'static Strings) -> &'static str,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let (message, error_id) = error_line(id, field, errors);
    view! {
        <label for=id>{tr(label)}</label>
        <select id=id on:change=move |ev| value.set(event_target_value(&ev))
            aria-invalid=move || message().map(|_| "true")
            aria-describedby=error_id.clone()>
            <option value="" prop:selected=move || value.with(String::is_empty)>{tr(|s| s.choose)}</option>
            {move || options.get().into_iter().map(|(v, text)| {
                let current = v.clone();
                view! { <option value=v prop:selected=move || value.with(|x| *x == current)>{text}</option> }
            }).collect_view()}
        </select>
        <p class="field-error" id=error_id>{message}</p>
    }
}

/// A labelled multi-line input.
#[component]
pub fn TextAreaField(
    id: &'static str,
    field: &'static str,
    label: fn(&'static Strings) -> &'static str,
    value: RwSignal<String>,
    errors: Errors,
    #[prop(default = 8)] rows: u32,
    #[prop(optional)] hint: Option<fn(&'static Strings) -> &'static str>,
) -> impl IntoView {
    let (message, error_id) = error_line(id, field, errors);
    let hint_id = format!("{id}-hint");
    let described = format!("{hint_id} {error_id}");
    view! {
        <label for=id>{tr(label)}</label>
        {hint.map(|h| view! { <p class="screen-hint" id=hint_id.clone()>{tr(h)}</p> })}
        <textarea id=id rows=rows bind:value=value
            aria-invalid=move || message().map(|_| "true")
            aria-describedby=described></textarea>
        <p class="field-error" id=error_id>{message}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_shows_its_own_messages_only() {
        let errors = vec![
            FieldError::new("name_zh", "required", "请填写名称", "give a name"),
            FieldError::new(
                "level",
                "invalid",
                "请选择单位层级",
                "choose the unit's level",
            ),
        ];
        assert_eq!(
            message_for(&errors, "name_zh", Locale::Zh).as_deref(),
            Some("请填写名称")
        );
        assert_eq!(
            message_for(&errors, "level", Locale::En).as_deref(),
            Some("choose the unit's level")
        );
        assert_eq!(message_for(&errors, "unit_id", Locale::Zh), None);
    }
}

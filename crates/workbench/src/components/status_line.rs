//! The one line where a screen says what just happened (a live region screen readers announce),
//! and how a failed call reads.

use leptos::prelude::*;

use crate::api::ApiFailure;
use crate::i18n::{Locale, use_i18n};

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Done(String),
    Failed(String),
}

/// A failed call in words: the server's own message for a refusal, else what to do.
pub fn failure_text(locale: Locale, failure: &ApiFailure) -> String {
    let s = locale.strings();
    match failure {
        ApiFailure::Network => s.network_failed.to_owned(),
        ApiFailure::Unreadable => s.unreadable.to_owned(),
        ApiFailure::Rejected { status: 403, .. } => s.forbidden.to_owned(),
        ApiFailure::Rejected { status: 404, .. } => s.not_available.to_owned(),
        ApiFailure::Rejected { error, .. } => {
            let fields: Vec<String> = error
                .fields
                .iter()
                .map(|f| locale.pick(&f.message_zh, &f.message_en).to_owned())
                .collect();
            if fields.is_empty() {
                format!("{}: {}", s.refused, error.message)
            } else {
                format!("{}: {}", s.refused, fields.join("；"))
            }
        }
    }
}

#[component]
pub fn StatusLine(outcome: RwSignal<Option<Outcome>>) -> impl IntoView {
    let _ = use_i18n();
    view! {
        <p class="status-line" role="status" aria-live="polite">
            {move || match outcome.get() {
                Some(Outcome::Done(text)) => view! { <span class="status-done">{text}</span> }.into_any(),
                Some(Outcome::Failed(text)) => view! { <span class="status-failed">{text}</span> }.into_any(),
                None => ().into_any(),
            }}
        </p>
    }
}

//! A "read aloud" button for a case's numbers and status, where the browser can speak; absent
//! where it cannot.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};
use crate::native;

#[component]
pub fn ReadAloud(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    native::can_speak().then(|| {
        view! {
            <button type="button" class="button read-aloud"
                on:click=move |_| native::speak(&text.get_untracked(), i18n.locale().html_lang())>
                // Drawn, not an emoji: older webviews lack an emoji font and show a box.
                <svg class="read-aloud-icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                    <path d="M3 9v6h4l5 4V5L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z" fill="currentColor" />
                </svg>
                {tr(|s| s.read_aloud)}
            </button>
        }
    })
}

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
                <span aria-hidden="true">"🔊 "</span>
                {tr(|s| s.read_aloud)}
            </button>
        }
    })
}

//! The bar on every screen: the app's name (home), the elder-mode and language switches.

use leptos::prelude::*;

use crate::elder::use_elder_mode;
use crate::i18n::{tr, use_i18n};
use crate::router::A;
use crate::routes;

#[component]
pub fn AppHeader() -> impl IntoView {
    let i18n = use_i18n();
    let elder = use_elder_mode();
    view! {
        <header class="app-header">
            <A href=routes::HOME attr:class="app-header-name">
                <span class="app-header-logo" aria-hidden="true">"12345"</span>
                {tr(|s| s.app_name)}
            </A>
            <div class="app-header-switches">
            <button
                type="button"
                class="app-header-switch"
                aria-pressed=move || elder.on().to_string()
                on:click=move |_| elder.toggle()
            >
                {tr(|s| s.elder_mode)}
            </button>
            <button
                type="button"
                class="app-header-switch"
                lang=move || i18n.locale().other().html_lang()
                aria-label=tr(|s| s.switch_language_label)
                on:click=move |_| i18n.toggle()
            >
                {tr(|s| s.switch_language)}
            </button>
            </div>
        </header>
    }
}

//! The bar on every screen: the app's name (home) and the language switch.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::routes;

#[component]
pub fn AppHeader() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-header">
            <A href=routes::HOME attr:class="app-header-name">
                <span class="app-header-logo" aria-hidden="true">"12345"</span>
                {move || i18n.t().app_name}
            </A>
            <button
                type="button"
                class="app-header-language"
                lang=move || i18n.locale().other().html_lang()
                aria-label=move || i18n.t().switch_language_label
                on:click=move |_| i18n.toggle()
            >
                {move || i18n.t().switch_language}
            </button>
        </header>
    }
}

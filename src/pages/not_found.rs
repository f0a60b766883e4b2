//! An address the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;
use crate::routes;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t().not_found_title}</h1>
        <p>
            <A href=routes::HOME>{move || i18n.t().back_home}</A>
        </p>
    }
}

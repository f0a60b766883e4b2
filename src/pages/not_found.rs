//! An address the app does not know.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::router::A;
use crate::routes;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <h1>{tr(|s| s.not_found_title)}</h1>
        <p>
            <A href=routes::HOME>{tr(|s| s.back_home)}</A>
        </p>
    }
}

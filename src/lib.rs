//! Yousu's resident app (有诉): submit an appeal, keep its receipt, follow it against its deadline.
//! A Leptos client-side app compiled to wasm; every rule it checks comes from `yousu-core`.

pub mod api;
pub mod app;
pub mod clock;
pub mod components;
pub mod elder;
pub mod i18n;
pub mod json;
pub mod native;
pub mod pages;
pub mod router;
pub mod routes;
pub mod send;
pub mod store;

/// Replaces the static loading shell of `index.html` with the app.
pub fn boot() {
    if let Some(shell) = leptos::prelude::document().get_element_by_id("boot") {
        shell.remove();
    }
    leptos::mount::mount_to_body(app::App);
}

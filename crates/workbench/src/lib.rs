//! Yousu's staff workbench (有诉工作台): the platform's people at work — receive (接), dispatch
//! (派), handle (办), supervise (督), evaluate and report (评 报), publicise (宣), and the grid's
//! whistle and report (吹哨报到). A Leptos client-side app served by the server at `/staff/`;
//! every rule it shows comes from `yousu-core`.

pub mod api;
pub mod app;
pub mod clock;
pub mod components;
pub mod csv;
pub mod emergency;
pub mod i18n;
pub mod keys;
pub mod live;
pub mod pages;
pub mod reference;
pub mod routes;
pub mod session;

/// Replaces the static loading shell of `index.html` with the app.
pub fn boot() {
    if let Some(shell) = leptos::prelude::document().get_element_by_id("boot") {
        shell.remove();
    }
    leptos::mount::mount_to_body(app::App);
}

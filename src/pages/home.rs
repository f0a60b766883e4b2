//! The home screen: large entries to submit and to follow one's cases.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};
use crate::router::A;
use crate::routes;
use crate::store::outbox::use_outbox;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    view! {
        <h1 class="home-tagline">{tr(|s| s.app_tagline)}</h1>
        <div role="status">
            {move || {
                (outbox.waiting() > 0)
                    .then(|| view! { <p class="notice">{i18n.locale().waiting_count(outbox.waiting())}</p> })
            }}
        </div>
        <nav class="home-entries">
            <A href=routes::SUBMIT attr:class="home-entry home-entry-primary">
                <span class="home-entry-title">{tr(|s| s.nav_submit)}</span>
                <span class="home-entry-hint">{tr(|s| s.home_submit_hint)}</span>
            </A>
            <A href=routes::MY_CASES attr:class="home-entry">
                <span class="home-entry-title">{tr(|s| s.nav_my_cases)}</span>
                <span class="home-entry-hint">{tr(|s| s.home_my_cases_hint)}</span>
            </A>
            <A href=routes::LOOKUP attr:class="home-entry">
                <span class="home-entry-title">{tr(|s| s.nav_lookup)}</span>
                <span class="home-entry-hint">{tr(|s| s.home_lookup_hint)}</span>
            </A>
            <A href=routes::FIGURES attr:class="home-entry">
                <span class="home-entry-title">{tr(|s| s.nav_figures)}</span>
                <span class="home-entry-hint">{tr(|s| s.home_figures_hint)}</span>
            </A>
        </nav>
        <p class="notice notice-emergency">{tr(|s| s.emergency_notice)}</p>
    }
}

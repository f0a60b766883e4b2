//! The frame around every screen: the workbench's name, the role's screens, who is signed in,
//! the language switch and the two ways to sign out.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::api::use_api;
use crate::i18n::{tr, use_i18n};
use crate::routes::Screen;
use crate::routes::screens_of;
use crate::session::{SignInReason, use_session};

fn screen_label(s: &'static crate::i18n::Strings, screen: Screen) -> &'static str {
    match screen {
        Screen::Intake => s.nav_intake,
        Screen::Dispatch => s.nav_dispatch,
        Screen::Review => s.nav_review,
        Screen::Handle => s.nav_handle,
        Screen::Supervise => s.nav_supervise,
        Screen::Whistles => s.nav_whistles,
        Screen::Evaluation => s.nav_evaluation,
        Screen::Live => s.nav_live,
        Screen::AdminUnits => s.nav_admin_units,
        Screen::AdminItems => s.nav_admin_items,
        Screen::AdminStaff => s.nav_admin_staff,
        Screen::AdminRules => s.nav_admin_rules,
        Screen::AdminKeys => s.nav_admin_keys,
    }
}

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let store = use_session();
    let i18n = use_i18n();
    let api = use_api();
    let location = use_location();
    let screens = move || store.role().map(screens_of).unwrap_or_default();
    let who = move || {
        store.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    format!(
                        "{} · {}",
                        s.account.display_name,
                        i18n.locale().role(s.account.role)
                    )
                })
                .unwrap_or_default()
        })
    };
    let sign_out = move |everywhere: bool| {
        leptos::task::spawn_local(async move {
            let path = if everywhere {
                "/staff/logout-everywhere"
            } else {
                "/staff/logout"
            };
            let _ = api.post_empty(path).await;
            store.end(if everywhere {
                SignInReason::SignedOutEverywhere
            } else {
                SignInReason::SignedOut
            });
        });
    };
    view! {
        <a class="skip-link" href="#main">{tr(|s| s.skip_to_main)}</a>
        <header class="shell-header">
            <span class="shell-name">
                <span class="shell-logo">"12345"</span>
                {tr(|s| s.app_name)}
            </span>
            <nav class="shell-nav" aria-label=tr(|s| s.nav_label)>
                <ul>
                    <For each=screens key=|screen| *screen let:screen>
                        <li>
                            <A
                                href=screen.path()
                                attr:aria-current=move || {
                                    (location.pathname.get() == screen.path()).then_some("page")
                                }
                            >
                                {move || screen_label(i18n.locale().strings(), screen)}
                            </A>
                        </li>
                    </For>
                </ul>
            </nav>
            <div class="shell-account">
                <span class="shell-who">{who}</span>
                <button type="button" class="link-button" lang=move || i18n.locale().other().html_lang()
                    on:click=move |_| i18n.toggle()>
                    {tr(|s| s.switch_language)}
                </button>
                <A href="/staff/account" attr:class="link-button">{tr(|s| s.my_account)}</A>
                <button type="button" class="link-button" on:click=move |_| sign_out(false)>
                    {tr(|s| s.sign_out)}
                </button>
                <button type="button" class="link-button" on:click=move |_| sign_out(true)>
                    {tr(|s| s.sign_out_everywhere)}
                </button>
                <span class="shell-help-hint">{tr(|s| s.help_hint)}</span>
            </div>
        </header>
        <main id="main" class="shell-main" tabindex="-1">
            {children()}
        </main>
    }
}

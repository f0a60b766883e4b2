//! The workbench's root: context providers, the sign-in gate, the role's navigation and the
//! router. Without a session only the sign-in screen shows, whatever the address.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::api::use_api;
use crate::clock::provide_server_clock;
use crate::components::help_overlay::HelpOverlay;
use crate::components::shell::Shell;
use crate::i18n::{provide_i18n, tr};
use crate::pages::account::AccountPage;
use crate::pages::admin_items::AdminItemsPage;
use crate::pages::admin_keys::AdminKeysPage;
use crate::pages::admin_rules::AdminRulesPage;
use crate::pages::admin_staff::AdminStaffPage;
use crate::pages::admin_units::AdminUnitsPage;
use crate::pages::{
    dispatch::DispatchPage, evaluation::EvaluationPage, handle::HandlePage, intake::IntakePage,
    live::LivePage, review::ReviewPage, sign_in::SignInPage, supervise::SupervisePage,
    whistles::WhistlesPage,
};
use crate::reference::provide_reference;
use crate::routes::{Screen, home_of};
use crate::session::{provide_session, use_session};

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    let store = provide_session();
    provide_server_clock();
    provide_reference(use_api());
    let help = RwSignal::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "?" && !crate::keys::typed_in_field(&event) {
            event.prevent_default();
            help.update(|open| *open = !*open);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <Router>
            <Show
                when=move || store.session.with(Option::is_some)
                fallback=|| view! { <SignInPage /> }
            >
                <Shell>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/staff") view=HomeRedirect />
                        <Route path=path!("/staff/sign-in") view=HomeRedirect />
                        <Route path=path!("/staff/intake") view=|| view! { <Guard screen=Screen::Intake><IntakePage /></Guard> } />
                        <Route path=path!("/staff/dispatch") view=|| view! { <Guard screen=Screen::Dispatch><DispatchPage /></Guard> } />
                        <Route path=path!("/staff/review") view=|| view! { <Guard screen=Screen::Review><ReviewPage /></Guard> } />
                        <Route path=path!("/staff/handle") view=|| view! { <Guard screen=Screen::Handle><HandlePage /></Guard> } />
                        <Route path=path!("/staff/supervise") view=|| view! { <Guard screen=Screen::Supervise><SupervisePage /></Guard> } />
                        <Route path=path!("/staff/whistles") view=|| view! { <Guard screen=Screen::Whistles><WhistlesPage /></Guard> } />
                        <Route path=path!("/staff/evaluation") view=|| view! { <Guard screen=Screen::Evaluation><EvaluationPage /></Guard> } />
                        <Route path=path!("/staff/live") view=|| view! { <Guard screen=Screen::Live><LivePage /></Guard> } />
                        <Route path=path!("/staff/admin/units") view=|| view! { <Guard screen=Screen::AdminUnits><AdminUnitsPage /></Guard> } />
                        <Route path=path!("/staff/admin/items") view=|| view! { <Guard screen=Screen::AdminItems><AdminItemsPage /></Guard> } />
                        <Route path=path!("/staff/admin/staff") view=|| view! { <Guard screen=Screen::AdminStaff><AdminStaffPage /></Guard> } />
                        <Route path=path!("/staff/admin/clock-rules") view=|| view! { <Guard screen=Screen::AdminRules><AdminRulesPage /></Guard> } />
                        <Route path=path!("/staff/account") view=AccountPage />
                        <Route path=path!("/staff/admin/api-keys") view=|| view! { <Guard screen=Screen::AdminKeys><AdminKeysPage /></Guard> } />
                    </Routes>
                </Shell>
            </Show>
            <HelpOverlay open=help />
        </Router>
    }
}

/// `/staff/` and the sign-in address lead to the role's first screen.
#[component]
fn HomeRedirect() -> impl IntoView {
    let store = use_session();
    let target = store.role().map(home_of).unwrap_or("/staff");
    view! { <Redirect path=target /> }
}

/// Shows a screen only to the roles it belongs to; anyone else is told so.
#[component]
fn Guard(screen: Screen, children: ChildrenFn) -> impl IntoView {
    let store = use_session();
    let allowed = move || store.role().is_some_and(|r| screen.allows(r));
    view! {
        <Show
            when=allowed
            fallback=|| view! {
                <h1>{tr(|s| s.not_allowed_title)}</h1>
                <p class="notice notice-error" role="alert">{tr(|s| s.not_allowed)}</p>
            }
        >
            {children()}
        </Show>
    }
}

#[component]
fn NotFoundPage() -> impl IntoView {
    view! {
        <h1>{tr(|s| s.not_found_title)}</h1>
        <p>{tr(|s| s.not_found)}</p>
    }
}

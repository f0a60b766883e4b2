//! The app's own small router: the address as a signal, links that move without a page load, and
//! navigation on the History API. leptos_router did this for us at some 20 KB of the first
//! screen's brotli'd download (issue 5's budget); six routes need far less.

use leptos::ev::MouseEvent;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::routes::Route;

/// The current address's path; every screen reads its route from here.
#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
}

/// Reads the address now, and again whenever the browser moves through its history.
pub fn provide_router() -> Router {
    let router = Router {
        path: RwSignal::new(current_path()),
    };
    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        router.path.set(current_path());
    });
    on_cleanup(move || listener.remove());
    provide_context(router);
    router
}

pub fn use_router() -> Router {
    expect_context::<Router>()
}

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".into())
}

impl Router {
    /// The current route (tracked).
    pub fn route(self) -> Route {
        self.path.with(|p| Route::parse(p))
    }

    /// Whether `href` is the current address (tracked).
    pub fn is_current(self, href: &str) -> bool {
        self.path.with(|p| p == href)
    }

    /// A new history entry for `to`, carrying `state` (read back by `history.state`).
    pub fn push(self, to: &str, state: Option<&str>) {
        // Like a link to the page one is on: no second entry for the same address.
        if self.path.with_untracked(|p| p == to) {
            return;
        }
        let state = state.map_or(JsValue::UNDEFINED, JsValue::from_str);
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&state, "", Some(to));
        }
        self.moved(to);
    }

    /// `to` in place of the current history entry.
    pub fn replace(self, to: &str) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::UNDEFINED, "", Some(to));
        }
        self.moved(to);
    }

    fn moved(self, to: &str) {
        self.path.set(to.to_owned());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A link inside the app: a plain `<a href>` (so it opens in a new tab, copies, and works before
/// the wasm has loaded) whose ordinary click moves without loading the page; `aria-current`
/// marks the link to the screen one is on.
#[component]
pub fn A(#[prop(into)] href: String, children: Children) -> impl IntoView {
    let router = use_router();
    let current = {
        let href = href.clone();
        move || router.is_current(&href).then_some("page")
    };
    let to = href.clone();
    let on_click = move |ev: MouseEvent| {
        let modified = ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key();
        if ev.default_prevented() || ev.button() != 0 || modified {
            return;
        }
        ev.prevent_default();
        router.push(&to, None);
    };
    view! {
        <a href=href aria-current=current on:click=on_click>
            {children()}
        </a>
    }
}

//! The app's root: context providers and the screen the address names.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::{SplitLoaderError, wasm_split};

use crate::clock::provide_server_clock;
use crate::components::header::AppHeader;
use crate::elder::provide_elder_mode;
use crate::i18n::{provide_i18n, tr};
use crate::pages::{
    case_detail::CaseDetailPage, figures::FiguresPage, home::HomePage, lookup::LookupPage,
    my_cases::MyCasesPage, not_found::NotFoundPage, submit::SubmitPage,
};
use crate::router::provide_router;
use crate::routes::Screen;
use crate::store::outbox::provide_outbox;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_elder_mode();
    provide_server_clock();
    provide_outbox();
    let router = provide_router();
    // The screen is rebuilt only when the address names another screen: moving between the
    // submit steps, or from one case to another, keeps it (its parameters are signals).
    let screen = Memo::new(move |_| router.route().screen());
    let page = move || match screen.get() {
        Screen::Home => view! { <HomePage /> }.into_any(),
        Screen::Submit => lazy_screen(submit_screen),
        Screen::Figures => lazy_screen(figures_screen),
        Screen::MyCases => view! { <MyCasesPage /> }.into_any(),
        Screen::Lookup => view! { <LookupPage /> }.into_any(),
        Screen::CaseDetail => lazy_screen(case_detail_screen),
        Screen::NotFound => view! { <NotFoundPage /> }.into_any(),
    };
    view! {
        <AppHeader />
        <main class="page" id="main">
            {page}
        </main>
    }
}

// The submit form, a case's page and the public figures are each a wasm module of their own
// (split from the app's wasm by `cargo xtask split-app`, which Trunk runs after each build):
// the first screen downloads only what home, look-up and my cases need, and the others follow
// once it is up (issue 5's first-screen budget).

#[wasm_split(submit_screen, wasm_split_path = ::leptos::wasm_split, fallible)]
fn submit_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <SubmitPage /> }.into_any())
}

#[wasm_split(case_detail_screen, wasm_split_path = ::leptos::wasm_split, fallible)]
fn case_detail_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <CaseDetailPage /> }.into_any())
}

#[wasm_split(figures_screen, wasm_split_path = ::leptos::wasm_split, fallible)]
fn figures_screen() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <FiguresPage /> }.into_any())
}

/// A screen whose code is fetched the first time it is shown: "loading" until it has arrived,
/// and where it cannot arrive (offline before the app was ever kept on the phone), a message
/// and a way to try again.
fn lazy_screen<F>(load: fn() -> F) -> AnyView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + Send + 'static,
{
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    load().await.unwrap_or_else(|_| view! {
                        <p class="notice notice-error" role="alert">{tr(|s| s.load_failed)}</p>
                        <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {tr(|s| s.retry)}
                        </button>
                    }.into_any())
                })
            }}
        </Suspense>
    }
    .into_any()
}

//! The app's root: context providers and the screen the address names.

use leptos::prelude::*;

use crate::clock::provide_server_clock;
use crate::components::header::AppHeader;
use crate::elder::provide_elder_mode;
use crate::i18n::provide_i18n;
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
        Screen::Submit => view! { <SubmitPage /> }.into_any(),
        Screen::Figures => view! { <FiguresPage /> }.into_any(),
        Screen::MyCases => view! { <MyCasesPage /> }.into_any(),
        Screen::Lookup => view! { <LookupPage /> }.into_any(),
        Screen::CaseDetail => view! { <CaseDetailPage /> }.into_any(),
        Screen::NotFound => view! { <NotFoundPage /> }.into_any(),
    };
    view! {
        <AppHeader />
        <main class="page" id="main">
            {page}
        </main>
    }
}

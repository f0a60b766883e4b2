//! The app's root: context providers and the router.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::clock::provide_server_clock;
use crate::components::header::AppHeader;
use crate::elder::provide_elder_mode;
use crate::i18n::provide_i18n;
use crate::pages::{
    case_detail::CaseDetailPage, figures::FiguresPage, home::HomePage, lookup::LookupPage,
    my_cases::MyCasesPage, not_found::NotFoundPage, submit::SubmitPage,
};
use crate::store::outbox::provide_outbox;

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_elder_mode();
    provide_server_clock();
    provide_outbox();
    view! {
        <Router>
            <AppHeader />
            <main class="page" id="main">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/submit/:step?") view=SubmitPage />
                    <Route path=path!("/figures") view=FiguresPage />
                    <Route path=path!("/cases") view=MyCasesPage />
                    <Route path=path!("/lookup") view=LookupPage />
                    <Route path=path!("/cases/:case_number") view=CaseDetailPage />
                </Routes>
            </main>
        </Router>
    }
}

//! "My cases": every case sent from this phone, most urgent first, from the phone's copy at once
//! and refreshed from the platform when it answers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::clock::{city_time, use_server_clock};
use crate::components::countdown::CountdownText;
use crate::i18n::use_i18n;
use crate::pages::case_detail::category_name;
use crate::routes;
use crate::store::my_cases::{self, SavedCase};

fn sorted() -> Vec<SavedCase> {
    let mut cases = my_cases::all();
    my_cases::most_urgent_first(&mut cases);
    cases
}

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_server_clock();
    let cases = RwSignal::new(sorted());
    spawn_local(async move {
        for saved in cases.get_untracked() {
            if let Ok(fresh) = my_cases::fetch(&saved).await {
                clock.observe(fresh.server_time);
                my_cases::upsert(SavedCase::from_view(&fresh, saved.access_token));
            }
        }
        cases.set(sorted());
    });
    view! {
        <h1>{move || i18n.t().my_cases_title}</h1>
        <Show
            when=move || cases.with(|c| !c.is_empty())
            fallback=move || view! {
                <p class="notice">{move || i18n.t().my_cases_empty}</p>
                <A href=routes::SUBMIT attr:class="button button-primary">{move || i18n.t().nav_submit}</A>
            }
        >
            <ul class="case-list">
                <For
                    each=move || cases.get()
                    key=|c| (c.case_number.clone(), c.status)
                    let(case)
                >
                    <li class="case-list-item">
                        <A href=routes::case_detail(&case.case_number) attr:class="case-list-link">
                            <span class="case-list-number">{case.case_number.to_string()}</span>
                            <span class="case-list-category">
                                {
                                    let id = case.category_id.clone();
                                    move || category_name(&id, i18n.locale())
                                }
                            </span>
                            <span class="case-list-status">{move || i18n.locale().status(case.status)}</span>
                            {case.deadline_at.map(|deadline| view! {
                                <span class="case-list-deadline">
                                    {move || i18n.t().deadline}" "
                                    <time datetime=deadline.to_rfc3339()>
                                        {move || city_time(deadline, i18n.locale().date_time_format())}
                                    </time>
                                </span>
                                {case.status.is_open().then(|| view! { <CountdownText deadline /> })}
                            })}
                        </A>
                    </li>
                </For>
            </ul>
        </Show>
    }
}

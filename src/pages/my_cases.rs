//! "My cases": every case sent from this phone, most urgent first, from the phone's copy at once
//! and refreshed from the platform when it answers.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::{city_time, use_server_clock};
use crate::components::countdown::CountdownText;
use crate::i18n::{tr, use_i18n};
use crate::pages::case_detail::category_name;
use crate::router::A;
use crate::routes;
use crate::store::my_cases::{self, SavedCase};
use crate::store::outbox::use_outbox;

fn sorted() -> Vec<SavedCase> {
    let mut cases = my_cases::all();
    my_cases::most_urgent_first(&mut cases);
    cases
}

#[component]
pub fn MyCasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_server_clock();
    let outbox = use_outbox();
    let cases = RwSignal::new(sorted());
    // A queued appeal that goes out joins the list.
    Effect::new(move |_| {
        outbox.delivered.track();
        cases.set(sorted());
    });
    spawn_local(async move {
        for saved in cases.get_untracked() {
            if let Ok(server_time) = my_cases::refresh(&saved).await {
                clock.observe(server_time);
            }
        }
        cases.set(sorted());
    });
    let lists = Memo::new(move |_| my_cases::split(cases.get()));
    view! {
        <h1>{tr(|s| s.my_cases_title)}</h1>
        <div role="status" aria-live="polite">
            {move || (outbox.waiting() > 0).then(|| view! {
                <p class="notice">{tr(|s| s.queued_notice)}</p>
            })}
        </div>
        <ul class="case-list outbox-list">
            {move || {
                outbox
                    .items()
                    .into_iter()
                    .map(|item| {
                        let excerpt: String = item.case.description.chars().take(40).collect();
                        view! {
                            <li class="case-list-item">
                                <div class="case-list-link">
                                    <span class="case-list-status">
                                        {move || if item.refused {
                                            i18n.t().refused_in_outbox
                                        } else {
                                            i18n.t().waiting_to_send
                                        }}
                                    </span>
                                    <span class="case-list-category">
                                        {
                                            let id = item.case.category_id.clone();
                                            move || category_name(&id, i18n.locale())
                                        }
                                    </span>
                                    <span>{excerpt}</span>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <Show
            when=move || { cases.with(|c| !c.is_empty()) || outbox.waiting() != 0 }
            fallback=move || view! {
                <p class="notice">{tr(|s| s.my_cases_empty)}</p>
                <A href=routes::SUBMIT attr:class="button button-primary">{tr(|s| s.nav_submit)}</A>
            }
        >
            <CaseList cases=Signal::derive(move || lists.get().0) label=tr(|s| s.nav_my_cases) />
            {move || (!lists.with(|l| l.1.is_empty())).then(|| view! {
                <h2>{tr(|s| s.proxy_cases_title)}</h2>
                <CaseList cases=Signal::derive(move || lists.get().1) label=tr(|s| s.proxy_cases_title) />
            })}
            {move || (!lists.with(|l| l.2.is_empty())).then(|| view! {
                <h2>{tr(|s| s.followed_cases_title)}</h2>
                <CaseList cases=Signal::derive(move || lists.get().2) label=tr(|s| s.followed_cases_title) />
            })}
        </Show>
    }
}

/// One list of saved cases, each a link to its page with status, deadline and countdown.
#[component]
fn CaseList(cases: Signal<Vec<SavedCase>>, label: Signal<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="case-list" aria-label=label>
            <For
                each=move || cases.get()
                key=|c| (c.case_number.clone(), c.status)
                let(case)
            >
                <li class="case-list-item">
                    <A href=routes::case_detail(&case.case_number) attr:class="case-list-link">
                        <span class="case-list-number">{case.case_number.to_string()}</span>
                        {case.proxy.as_ref().filter(|p| !p.for_whom.trim().is_empty()).map(|p| view! {
                            <span class="case-list-for">{tr(|s| s.handover_for)}"："{p.for_whom.clone()}</span>
                        })}
                        <span class="case-list-category">
                            {
                                let id = case.category_id.clone();
                                move || category_name(&id, i18n.locale())
                            }
                        </span>
                        <span class="case-list-status">{move || i18n.locale().status(case.status)}</span>
                        {case.deadline_at.map(|deadline| view! {
                            <span class="case-list-deadline">
                                {tr(|s| s.deadline)}" "
                                <time datetime=deadline.to_rfc3339()>
                                    {move || city_time(deadline, i18n.locale())}
                                </time>
                            </span>
                            {case.status.is_open().then(|| view! { <CountdownText deadline /> })}
                        })}
                    </A>
                </li>
            </For>
        </ul>
    }
}

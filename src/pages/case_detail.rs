//! One case: the receipt (case number and lookup code), its status, deadline and countdown, and its
//! timeline. Opened with this device's key; shown from the phone's copy when offline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use yousu_core::api::CaseView;
use yousu_core::catalog::Catalog;
use yousu_core::{CaseNumber, CaseStatus};

use crate::api::{self, ApiFailure};
use crate::clock::{city_time, use_server_clock};
use crate::components::countdown::CountdownText;
use crate::i18n::use_i18n;
use crate::store::my_cases::{self, SavedCase};

/// The category's name in the current language, from the remembered catalogue.
pub fn category_name(category_id: &str, locale: crate::i18n::Locale) -> String {
    crate::store::load::<Catalog>("yousu.catalog.v1")
        .and_then(|c| {
            c.category(category_id)
                .map(|c| locale.pick(&c.name_zh, &c.name_en).to_owned())
        })
        .unwrap_or_else(|| category_id.to_owned())
}

#[component]
pub fn CaseDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let case_number =
        move || params.with(|p| p.get("case_number").and_then(|n| CaseNumber::parse(&n)));
    move || match case_number().and_then(|n| my_cases::find(&n)) {
        Some(saved) => view! { <CaseDetail saved /> }.into_any(),
        None => view! { <p class="notice">{move || i18n.t().case_unknown}</p> }.into_any(),
    }
}

#[component]
fn CaseDetail(saved: SavedCase) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_server_clock();
    let number = saved.case_number.clone();
    let key = saved.access_token.clone();
    // The phone's copy shows at once; the platform's answer replaces it when it comes.
    let fresh = LocalResource::new(move || {
        let (number, key) = (number.clone(), key.clone());
        async move { api::case_by_token(&number, &key).await }
    });
    let saved = StoredValue::new(saved);
    Effect::new(move |_| {
        if let Some(Ok(case)) = fresh.get() {
            clock.observe(case.server_time);
            let access_token = saved.with_value(|s| s.access_token.clone());
            my_cases::upsert(SavedCase::from_view(&case, access_token));
        }
    });
    let view_now = move || fresh.get().and_then(Result::ok);
    let current = move || match view_now() {
        Some(case) => SavedCase::from_view(&case, saved.with_value(|s| s.access_token.clone())),
        None => saved.get_value(),
    };
    let offline = move || matches!(fresh.get(), Some(Err(ApiFailure::Network)));

    view! {
        <section class="receipt" aria-labelledby="receipt-title">
            <h1 id="receipt-title">
                {move || {
                    // Just sent: this is the receipt. Later it is the case's own page.
                    if matches!(current().status, CaseStatus::Submitted | CaseStatus::Accepted) {
                        i18n.t().receipt_title
                    } else {
                        i18n.t().case_title
                    }
                }}
            </h1>
            <dl class="receipt-codes">
                <div>
                    <dt>{move || i18n.t().case_number}</dt>
                    <dd class="receipt-code" data-testid="case-number">
                        {move || current().case_number.to_string()}
                    </dd>
                </div>
                <div>
                    <dt>{move || i18n.t().lookup_code}</dt>
                    <dd class="receipt-code" data-testid="lookup-code">
                        {move || current().lookup_code.to_string()}
                    </dd>
                </div>
            </dl>
            <p class="receipt-keep">{move || i18n.t().receipt_keep}</p>
        </section>

        {move || offline().then(|| view! {
            <p class="notice" role="status">{move || i18n.t().shown_from_cache}</p>
        })}

        <dl class="case-facts">
            <div>
                <dt>{move || i18n.t().status}</dt>
                <dd>{move || i18n.locale().status(current().status)}</dd>
            </div>
            <div>
                <dt>{move || i18n.t().category}</dt>
                <dd>{move || category_name(&current().category_id, i18n.locale())}</dd>
            </div>
            {move || current().accepted_at.map(|at| view! {
                <div>
                    <dt>{move || i18n.t().accepted_at}</dt>
                    <dd>{move || city_time(at, i18n.locale().date_time_format())}</dd>
                </div>
            })}
            {move || current().deadline_at.map(|deadline| view! {
                <div>
                    <dt>{move || i18n.t().deadline}</dt>
                    <dd data-testid="deadline">
                        <time datetime=deadline.to_rfc3339()>
                            {move || city_time(deadline, i18n.locale().date_time_format())}
                        </time>
                    </dd>
                </div>
                <div>
                    <dt>{move || i18n.t().time_left}</dt>
                    <dd><CountdownText deadline /></dd>
                </div>
            })}
        </dl>
        <p class="case-next">{move || i18n.t().what_next}</p>
        {move || view_now().map(|case| view! { <Timeline case /> })}
    }
}

#[component]
fn Timeline(case: CaseView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{move || i18n.t().timeline}</h2>
        <ol class="timeline">
            {case
                .timeline
                .into_iter()
                .map(|entry| view! {
                    <li class="timeline-entry">
                        <span class="timeline-status">{move || i18n.locale().status(entry.status)}</span>
                        <time class="timeline-time" datetime=entry.at.to_rfc3339()>
                            {move || city_time(entry.at, i18n.locale().date_time_format())}
                        </time>
                    </li>
                })
                .collect_view()}
        </ol>
    }
}

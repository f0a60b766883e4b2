//! One case: the receipt (case number and lookup code), its status, deadline and countdown, and its
//! timeline. Opened with this device's key; shown from the phone's copy when offline.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use yousu_core::api::{CaseView, EventKind};
use yousu_core::catalog::{Catalog, Units};
use yousu_core::{CaseNumber, CaseStatus};

use crate::api::{self, ApiFailure};
use crate::clock::{city_time, use_server_clock};
use crate::components::case_actions::CaseActions;
use crate::components::countdown::CountdownText;
use crate::i18n::use_i18n;
use crate::store::my_cases::{self, SavedCase};

/// A unit's name in the current language, from the remembered list of units.
pub fn unit_name(unit_id: &str, locale: crate::i18n::Locale) -> String {
    crate::store::load::<Units>("yousu.units.v1")
        .and_then(|u| {
            u.units
                .into_iter()
                .find(|u| u.unit_id == unit_id)
                .map(|u| locale.pick(&u.name_zh, &u.name_en).to_owned())
        })
        .unwrap_or_else(|| unit_id.to_owned())
}

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
    // The phone's copy shows at once; the platform's answer replaces it when it comes.
    let fresh = LocalResource::new({
        let saved = saved.clone();
        move || {
            let saved = saved.clone();
            async move { my_cases::fetch(&saved).await }
        }
    });
    // Unit names for the timeline, remembered for offline use.
    let units_ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let _ = crate::store::fresh_or_cached("yousu.units.v1", api::units()).await;
        units_ready.set(true);
    });
    // What an action on the case answered with, newer than `fresh`.
    let acted = RwSignal::new(None::<CaseView>);
    let saved = StoredValue::new(saved);
    let remember = move |case: &CaseView| {
        clock.observe(case.server_time);
        let access_token = saved.with_value(|s| s.access_token.clone());
        my_cases::upsert(SavedCase::from_view(case, access_token));
    };
    Effect::new(move |_| {
        if let Some(Ok(case)) = fresh.get() {
            remember(&case);
        }
    });
    let on_done = Callback::new(move |case: CaseView| {
        remember(&case);
        acted.set(Some(case));
    });
    let view_now = move || acted.get().or_else(|| fresh.get().and_then(Result::ok));
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
                // The clock stops when the case is finished.
                {move || current().status.is_open().then(|| view! {
                    <div>
                        <dt>{move || i18n.t().time_left}</dt>
                        <dd><CountdownText deadline /></dd>
                    </div>
                })}
            })}
        </dl>
        {move || view_now().and_then(|case| case.reply.clone()).map(|reply| view! {
            <section class="case-reply">
                <h2>{move || i18n.t().reply}</h2>
                <p>{reply}</p>
            </section>
        })}
        {move || view_now().and_then(|case| case.rating.clone()).map(|rating| view! {
            <p class="case-rating">
                {move || i18n.t().your_rating}": "
                {move || if rating.resolved { i18n.t().resolved_yes } else { i18n.t().resolved_no }}
                " · "
                {move || i18n.locale().satisfaction(rating.satisfaction)}
            </p>
        })}
        {move || {
            // Only the device that sent the case may act on it.
            let token = saved.with_value(|s| s.access_token.clone())?;
            view_now().map(|case| view! { <CaseActions case access_token=token on_done /> })
        }}
        {move || view_now().filter(|c| c.status.is_open()).map(|_| view! {
            <p class="case-next">{move || i18n.t().what_next}</p>
        })}
        {move || view_now().map(|case| view! { <Timeline case units_ready /> })}
    }
}

#[component]
fn Timeline(case: CaseView, units_ready: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{move || i18n.t().timeline}</h2>
        <ol class="timeline">
            {case
                .timeline
                .into_iter()
                .map(|entry| view! {
                    <li class="timeline-entry">
                        <span class="timeline-status">
                            {move || if entry.kind == EventKind::Note {
                                i18n.t().timeline_note
                            } else {
                                i18n.locale().status(entry.status)
                            }}
                        </span>
                        {entry.unit_id.clone().map(|unit| view! {
                            <span class="timeline-unit">
                                {move || {
                                    units_ready.track();
                                    unit_name(&unit, i18n.locale())
                                }}
                            </span>
                        })}
                        {entry.note.clone().map(|note| view! { <span class="timeline-note">{note}</span> })}
                        <time class="timeline-time" datetime=entry.at.to_rfc3339()>
                            {move || city_time(entry.at, i18n.locale().date_time_format())}
                        </time>
                    </li>
                })
                .collect_view()}
        </ol>
    }
}

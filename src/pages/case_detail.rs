//! One case: the receipt (case number and lookup code), its status, deadline and countdown, and its
//! timeline. Opened with this device's key; shown from the phone's copy when offline.

use leptos::prelude::*;
use yousu_core::api::{CaseView, EventKind};
use yousu_core::catalog::{Catalog, Units};
use yousu_core::{CaseNumber, CaseStatus};

use crate::api::{self, ApiFailure};
use crate::clock::{city_time, use_server_clock};
use crate::components::case_actions::CaseActions;
use crate::components::countdown::CountdownText;
use crate::components::read_aloud::ReadAloud;
use crate::i18n::{tr, use_i18n};
use crate::router::use_router;
use crate::routes::Route;
use crate::store::my_cases::{self, SavedCase};

/// A unit's name in the current language, from the remembered list of units.
pub fn unit_name(unit_id: &str, locale: crate::i18n::Locale) -> String {
    crate::store::load::<Units>("yousu.units.v1")
        .and_then(|u| {
            u.find(unit_id)
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
    let router = use_router();
    // Leaving the screen keeps the last case, so nothing flashes on the way out.
    let case_number = Memo::new(
        move |last: Option<&Option<CaseNumber>>| match router.route() {
            Route::CaseDetail { case_number } => CaseNumber::parse(&case_number),
            _ => last.cloned().flatten(),
        },
    );
    move || match case_number.get().and_then(|n| my_cases::find(&n)) {
        Some(saved) if saved.followed => view! { <FollowedCase saved /> }.into_any(),
        Some(saved) => view! { <CaseDetail saved /> }.into_any(),
        None => view! { <p class="notice">{tr(|s| s.case_unknown)}</p> }.into_any(),
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
        my_cases::upsert(saved.with_value(|s| s.refreshed(case)));
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
        Some(case) => saved.with_value(|s| s.refreshed(&case)),
        None => saved.get_value(),
    };
    let proxy = saved.with_value(|s| s.proxy.clone());
    let receipt_class = if proxy.is_some() {
        "receipt receipt-handover"
    } else {
        "receipt"
    };
    let speech = Signal::derive(move || {
        let case = current();
        i18n.locale().case_speech(
            case.case_number.as_str(),
            case.lookup_code.as_ref().map(|c| c.as_str()),
            case.status,
        )
    });
    let offline = move || matches!(fresh.get(), Some(Err(ApiFailure::Network)));

    view! {
        <section class=receipt_class aria-labelledby="receipt-title">
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
            {proxy.map(|proxy| view! {
                <p class="receipt-handover-title">{tr(|s| s.handover_title)}</p>
                <dl class="receipt-handover-who">
                    {(!proxy.for_whom.trim().is_empty()).then(|| view! {
                        <div><dt>{tr(|s| s.handover_for)}</dt><dd>{proxy.for_whom.clone()}</dd></div>
                    })}
                    {(!proxy.volunteer_name.trim().is_empty()).then(|| view! {
                        <div><dt>{tr(|s| s.volunteer)}</dt><dd>{proxy.volunteer_name.clone()}</dd></div>
                    })}
                </dl>
            })}
            <dl class="receipt-codes">
                <div>
                    <dt>{tr(|s| s.case_number)}</dt>
                    <dd class="receipt-code" data-testid="case-number">
                        {move || current().case_number.to_string()}
                    </dd>
                </div>
                <div>
                    <dt>{tr(|s| s.lookup_code)}</dt>
                    <dd class="receipt-code" data-testid="lookup-code">
                        {move || current().lookup_code.map(|c| c.to_string()).unwrap_or_default()}
                    </dd>
                </div>
            </dl>
            <p class="receipt-keep">{tr(|s| s.receipt_keep)}</p>
            <ReadAloud text=speech />
        </section>

        {move || offline().then(|| view! {
            <p class="notice" role="status">{tr(|s| s.shown_from_cache)}</p>
        })}

        <dl class="case-facts">
            <div>
                <dt>{tr(|s| s.status)}</dt>
                <dd>{move || i18n.locale().status(current().status)}</dd>
            </div>
            <div>
                <dt>{tr(|s| s.category)}</dt>
                <dd>{move || category_name(&current().category_id, i18n.locale())}</dd>
            </div>
            {move || current().accepted_at.map(|at| view! {
                <div>
                    <dt>{tr(|s| s.accepted_at)}</dt>
                    <dd>{move || city_time(at, i18n.locale())}</dd>
                </div>
            })}
            {move || current().deadline_at.map(|deadline| view! {
                <div>
                    <dt>{tr(|s| s.deadline)}</dt>
                    <dd data-testid="deadline">
                        <time datetime=deadline.to_rfc3339()>
                            {move || city_time(deadline, i18n.locale())}
                        </time>
                    </dd>
                </div>
                // The clock stops when the case is finished.
                {move || current().status.is_open().then(|| view! {
                    <div>
                        <dt>{tr(|s| s.time_left)}</dt>
                        <dd><CountdownText deadline /></dd>
                    </div>
                })}
            })}
        </dl>
        {move || view_now().and_then(|case| case.reply.clone()).map(|reply| view! {
            <section class="case-reply">
                <h2>{tr(|s| s.reply)}</h2>
                <p>{reply}</p>
            </section>
        })}
        {move || view_now().and_then(|case| case.rating.clone()).map(|rating| view! {
            <p class="case-rating">
                {tr(|s| s.your_rating)}": "
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
            <p class="case-next">{tr(|s| s.what_next)}</p>
        })}
        {move || view_now().map(|case| view! { <Timeline case units_ready /> })}
    }
}

#[component]
fn Timeline(case: CaseView, units_ready: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{tr(|s| s.timeline)}</h2>
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
                            {move || city_time(entry.at, i18n.locale())}
                        </time>
                    </li>
                })
                .collect_view()}
        </ol>
    }
}

/// Someone else's case, followed instead of reporting the same problem again: where it stands
/// and its deadline, from its public view (no code, no token: nothing to act on).
#[component]
fn FollowedCase(saved: SavedCase) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_server_clock();
    let fresh = LocalResource::new({
        let case_number = saved.case_number.clone();
        move || {
            let case_number = case_number.clone();
            async move { api::public_case(&case_number).await }
        }
    });
    let saved = StoredValue::new(saved);
    Effect::new(move |_| {
        if let Some(Ok(view)) = fresh.get() {
            clock.observe(view.server_time);
            my_cases::upsert(SavedCase::from_public(&view));
        }
    });
    let current = move || match fresh.get() {
        Some(Ok(view)) => SavedCase::from_public(&view),
        _ => saved.get_value(),
    };
    let description = move || fresh.get().and_then(Result::ok).map(|v| v.description);
    let speech = Signal::derive(move || {
        let case = current();
        i18n.locale()
            .case_speech(case.case_number.as_str(), None, case.status)
    });
    view! {
        <h1>{tr(|s| s.case_title)}</h1>
        <p class="notice">{tr(|s| s.followed_note)}</p>
        <dl class="case-facts">
            <div>
                <dt>{tr(|s| s.case_number)}</dt>
                <dd data-testid="case-number">{move || current().case_number.to_string()}</dd>
            </div>
            <div>
                <dt>{tr(|s| s.status)}</dt>
                <dd>{move || i18n.locale().status(current().status)}</dd>
            </div>
            <div>
                <dt>{tr(|s| s.category)}</dt>
                <dd>{move || category_name(&current().category_id, i18n.locale())}</dd>
            </div>
            {move || current().deadline_at.map(|deadline| view! {
                <div>
                    <dt>{tr(|s| s.deadline)}</dt>
                    <dd>
                        <time datetime=deadline.to_rfc3339()>
                            {move || city_time(deadline, i18n.locale())}
                        </time>
                    </dd>
                </div>
                {move || current().status.is_open().then(|| view! {
                    <div>
                        <dt>{tr(|s| s.time_left)}</dt>
                        <dd><CountdownText deadline /></dd>
                    </div>
                })}
            })}
        </dl>
        {move || description().map(|text| view! {
            <section class="case-reply">
                <h2>{tr(|s| s.description)}</h2>
                <p>{text}</p>
            </section>
        })}
        <ReadAloud text=speech />
    }
}

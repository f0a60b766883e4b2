//! Supervise (督): open cases near or past each of the four supervision nodes, by unit; the
//! escalations the nodes raised; overdue cases; and supervision notices (督办单) — issued here,
//! acknowledged by the unit.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use yousu_core::Countdown;
use yousu_core::api::{
    NoticeList, NoticeRequest, NoticeView, StaffCaseList, StaffCaseView, SupervisionList,
};
use yousu_core::deadline::{NodeKind, NodeOutcome};

use crate::api::use_api;
use crate::clock::{city_time, use_clock};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};
use crate::reference::use_reference;

/// How close a node must be to count as approaching.
pub const APPROACHING: i64 = 24;

/// Where a case stands against its nodes at `now`: the last node passed and the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeWatch {
    pub passed: Option<NodeKind>,
    pub next: Option<(NodeKind, DateTime<Utc>)>,
}

impl NodeWatch {
    pub fn of(case: &StaffCaseView, now: DateTime<Utc>) -> Self {
        let passed = case
            .case
            .nodes
            .iter()
            .filter(|n| n.at <= now)
            .map(|n| n.kind)
            .max();
        let next = case
            .case
            .nodes
            .iter()
            .filter(|n| n.at > now)
            .min_by_key(|n| n.at)
            .map(|n| (n.kind, n.at));
        Self { passed, next }
    }

    /// Worth a supervisor's look: a node passed, or the next one within [`APPROACHING`] hours.
    pub fn needs_attention(&self, now: DateTime<Utc>) -> bool {
        self.passed.is_some()
            || self
                .next
                .is_some_and(|(_, at)| at - now <= Duration::hours(APPROACHING))
    }
}

#[component]
pub fn SupervisePage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let clock = use_clock();
    let reference = use_reference();
    let cases = RwSignal::new(Vec::<StaffCaseView>::new());
    let fired = RwSignal::new(SupervisionList::default());
    let notices = RwSignal::new(Vec::<NoticeView>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let notice_case = RwSignal::new(String::new());
    let notice_note = RwSignal::new(String::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api.get::<StaffCaseList>("/staff/cases").await {
                Ok(list) => {
                    if let Some(first) = list.cases.first() {
                        clock.observe(first.case.server_time);
                    }
                    cases.set(list.cases)
                }
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
            if let Ok(list) = api.get::<SupervisionList>("/staff/supervision").await {
                fired.set(list);
            }
            if let Ok(list) = api.get::<NoticeList>("/staff/notices").await {
                notices.set(list.notices);
            }
        });
    };
    reload();
    let issue = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let number = notice_case.get_untracked();
        let note = notice_note.get_untracked().trim().to_owned();
        let s = i18n.locale().strings();
        if number.is_empty() {
            outcome.set(Some(Outcome::Failed(s.choose_case_first.to_owned())));
            return;
        }
        if note.is_empty() {
            outcome.set(Some(Outcome::Failed(s.reason_required.to_owned())));
            return;
        }
        leptos::task::spawn_local(async move {
            match api
                .post::<NoticeView>(
                    &format!("/staff/cases/{number}/notices"),
                    &NoticeRequest { note },
                )
                .await
            {
                Ok(_) => {
                    notice_note.set(String::new());
                    outcome.set(Some(Outcome::Done(
                        i18n.locale()
                            .strings()
                            .notice_issued
                            .replace("{n}", &number),
                    )));
                    reload();
                }
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
        });
    };
    // Cases needing attention, grouped by unit (cases not yet dispatched under "platform").
    let by_unit = move || {
        let now = clock.now();
        let mut groups: BTreeMap<String, Vec<(StaffCaseView, NodeWatch)>> = BTreeMap::new();
        for case in cases.get() {
            let watch = NodeWatch::of(&case, now);
            if watch.needs_attention(now) {
                groups
                    .entry(case.unit_id.clone().unwrap_or_default())
                    .or_default()
                    .push((case, watch));
            }
        }
        groups
    };
    let overdue = move || {
        let now = clock.now();
        cases
            .get()
            .into_iter()
            .filter(|c| c.case.deadline_at.is_some_and(|d| d < now))
            .collect::<Vec<_>>()
    };
    let escalations = move || {
        fired.with(|f| {
            f.nodes
                .iter()
                .filter(|n| n.outcome == NodeOutcome::Escalated)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{tr(|s| s.supervise_title)}</h1>
        <p class="screen-hint">{tr(|s| s.supervise_hint)}</p>
        <StatusLine outcome />

        <section aria-labelledby="nodes-title">
            <h2 id="nodes-title">{tr(|s| s.nodes_heading)}</h2>
            {move || {
                let groups = by_unit();
                if groups.is_empty() {
                    return view! { <p class="screen-hint">{tr(|s| s.nothing_near_nodes)}</p> }.into_any();
                }
                let locale = i18n.locale();
                let r = reference.get();
                let now = clock.now();
                groups.into_iter().map(|(unit, rows)| {
                    let unit_name = if unit.is_empty() { locale.strings().not_dispatched.to_owned() } else { r.unit_name(locale, &unit) };
                    view! {
                        <table class="node-table">
                            <caption>{format!("{unit_name} ({})", rows.len())}</caption>
                            <thead><tr>
                                <th scope="col">{tr(|s| s.case_number)}</th>
                                <th scope="col">{tr(|s| s.status)}</th>
                                <th scope="col">{tr(|s| s.node_passed)}</th>
                                <th scope="col">{tr(|s| s.node_next)}</th>
                                <th scope="col">{tr(|s| s.deadline)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|(case, watch)| view! {
                                    <tr>
                                        <td>{case.case.case_number.to_string()}</td>
                                        <td>{locale.status(case.case.status)}</td>
                                        <td>{watch.passed.map(|k| locale.node(k)).unwrap_or("—")}</td>
                                        <td>{watch.next.map(|(k, at)| format!("{} · {}", locale.node(k), locale.countdown(Countdown::at(at, now)))).unwrap_or_default()}</td>
                                        <td>{case.case.deadline_at.map(|d| locale.countdown(Countdown::at(d, now))).unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                }).collect_view().into_any()
            }}
        </section>

        <section aria-labelledby="escalations-title">
            <h2 id="escalations-title">{tr(|s| s.escalations_heading)}</h2>
            {move || {
                let list = escalations();
                if list.is_empty() {
                    return view! { <p class="screen-hint">{tr(|s| s.no_escalations)}</p> }.into_any();
                }
                let locale = i18n.locale();
                let r = reference.get();
                view! {
                    <ul>
                        {list.into_iter().map(|n| view! {
                            <li>{format!("{} · {} · {} · {}", n.case_number, locale.node(n.kind),
                                n.unit_id.map(|u| r.unit_name(locale, &u)).unwrap_or_default(), city_time(n.fired_at))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="overdue-title">
            <h2 id="overdue-title">{tr(|s| s.overdue_heading)}</h2>
            {move || {
                let list = overdue();
                if list.is_empty() {
                    return view! { <p class="screen-hint">{tr(|s| s.no_overdue)}</p> }.into_any();
                }
                let locale = i18n.locale();
                let r = reference.get();
                let now = clock.now();
                view! {
                    <ul>
                        {list.into_iter().map(|c| view! {
                            <li>{format!("{} · {} · {}", c.case.case_number,
                                c.unit_id.map(|u| r.unit_name(locale, &u)).unwrap_or_default(),
                                c.case.deadline_at.map(|d| locale.countdown(Countdown::at(d, now))).unwrap_or_default())}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>

        <section aria-labelledby="notices-title">
            <h2 id="notices-title">{tr(|s| s.notices_heading)}</h2>
            <form class="action-form" on:submit=issue>
                <label for="notice-case">{tr(|s| s.notice_case)}</label>
                <select id="notice-case" on:change=move |ev| notice_case.set(event_target_value(&ev))>
                    <option value="">{tr(|s| s.choose)}</option>
                    {move || {
                        let locale = i18n.locale();
                        let r = reference.get();
                        cases.get().into_iter().filter(|c| c.unit_id.is_some()).map(|c| {
                            let n = c.case.case_number.to_string();
                            let label = format!("{n} · {}", c.unit_id.map(|u| r.unit_name(locale, &u)).unwrap_or_default());
                            view! { <option value=n>{label}</option> }
                        }).collect_view()
                    }}
                </select>
                <label for="notice-note">{tr(|s| s.notice_note)}</label>
                <textarea id="notice-note" rows="3" bind:value=notice_note></textarea>
                <button type="submit" class="primary">{tr(|s| s.issue_notice)}</button>
            </form>
            <table class="notice-table">
                <caption>{tr(|s| s.issued_notices)}</caption>
                <thead><tr>
                    <th scope="col">{tr(|s| s.case_number)}</th>
                    <th scope="col">{tr(|s| s.unit)}</th>
                    <th scope="col">{tr(|s| s.notice_note)}</th>
                    <th scope="col">{tr(|s| s.issued_at)}</th>
                    <th scope="col">{tr(|s| s.acknowledgement)}</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let locale = i18n.locale();
                        let r = reference.get();
                        notices.get().into_iter().map(|n| view! {
                            <tr>
                                <td>{n.case_number.to_string()}</td>
                                <td>{r.unit_name(locale, &n.unit_id)}</td>
                                <td>{n.note.clone()}</td>
                                <td>{city_time(n.issued_at)}</td>
                                <td>{match n.acknowledged_at {
                                    Some(at) => format!("{} {} · {}", locale.strings().acknowledged_at, city_time(at), n.acknowledged_by.unwrap_or_default()),
                                    None => locale.strings().not_acknowledged.to_owned(),
                                }}</td>
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </section>
    }
}

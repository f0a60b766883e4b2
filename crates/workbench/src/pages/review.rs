//! Joint review (会商): the return requests units filed. The dispatcher reads the unit's reason
//! and either redispatches the case to the right unit or refuses — both with the reason recorded;
//! a refusal counts against the unit that tried to give back its own case.

use leptos::prelude::*;
use yousu_core::CaseStatus;
use yousu_core::api::{ReturnDecision, StaffCaseList, StaffCaseView};

use crate::api::use_api;
use crate::components::case_queue::CaseQueue;
use crate::components::case_summary::CaseSummary;
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};
use crate::keys::{QueueKey, use_queue_keys};
use crate::reference::use_reference;

/// The reason the unit gave with its return request: the latest such timeline entry's note.
pub fn return_reason(case: &StaffCaseView) -> Option<String> {
    case.case
        .timeline
        .iter()
        .rev()
        .find(|e| e.status == CaseStatus::ReturnRequested && e.note.is_some())
        .and_then(|e| e.note.clone())
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let cases = RwSignal::new(Vec::<StaffCaseView>::new());
    let selected = RwSignal::new(0usize);
    let open = RwSignal::new(None::<StaffCaseView>);
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api
                .get::<StaffCaseList>("/staff/cases?status=return_requested")
                .await
            {
                Ok(list) => cases.set(list.cases),
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
        });
    };
    reload();
    crate::clock::every(crate::clock::QUEUE_REFRESH_SECS, reload);
    let open_at = move |index: usize| open.set(cases.with_untracked(|c| c.get(index).cloned()));
    use_queue_keys(
        move || cases.with_untracked(Vec::len),
        selected,
        move |key| match key {
            QueueKey::Open => open_at(selected.get_untracked()),
            QueueKey::Action('r') => reload(),
            _ => {}
        },
    );
    let done = Callback::new(move |text: String| {
        outcome.set(Some(Outcome::Done(text)));
        open.set(None);
        reload();
    });
    let failed = Callback::new(move |text: String| outcome.set(Some(Outcome::Failed(text))));
    view! {
        <h1>{tr(|s| s.review_title)}</h1>
        <p class="screen-hint">{tr(|s| s.review_hint)}</p>
        <StatusLine outcome />
        <div class="workspace">
            <CaseQueue
                caption=Signal::derive(move || format!("{} ({})", i18n.locale().strings().review_queue, cases.with(Vec::len)))
                cases=cases.into()
                selected
                open=Signal::derive(move || open.with(|o| o.as_ref().map(|c| c.case.case_number.to_string())))
                on_open=Callback::new(open_at)
                extra_heading=Signal::derive(move || i18n.locale().strings().unit.to_owned())
                extra=Callback::new(move |case: StaffCaseView| {
                    case.unit_id.map(|u| reference.with_untracked(|r| r.unit_name(i18n.locale(), &u))).unwrap_or_default()
                })
            />
            <section class="pane" aria-labelledby="pane-title">
                {move || match open.get() {
                    None => view! {
                        <h2 id="pane-title">{tr(|s| s.no_case_open)}</h2>
                        <p class="screen-hint">{tr(|s| s.open_hint)}</p>
                    }.into_any(),
                    Some(case) => view! { <ReviewPane case done failed /> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn ReviewPane(
    case: StaffCaseView,
    done: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let number = case.case.case_number.clone();
    // Queue entries carry no history: the reason comes with the full case.
    let detail = RwSignal::new(case.clone());
    {
        let number = number.clone();
        leptos::task::spawn_local(async move {
            if let Ok(full) = api
                .get::<StaffCaseView>(&format!("/staff/cases/{number}"))
                .await
            {
                detail.set(full);
            }
        });
    }
    let reason = move || detail.with(return_reason).unwrap_or_default();
    let from_unit = case.unit_id.clone().unwrap_or_default();
    let to_unit = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let decide = move |redispatch: bool| {
        let text = note.get_untracked().trim().to_owned();
        let s = i18n.locale().strings();
        if text.is_empty() {
            failed.run(s.reason_required.to_owned());
            return;
        }
        let decision = if redispatch {
            let unit_id = to_unit.get_untracked();
            if unit_id.is_empty() {
                failed.run(s.choose_unit_first.to_owned());
                return;
            }
            ReturnDecision::Redispatch {
                unit_id,
                note: text,
            }
        } else {
            ReturnDecision::Refuse { note: text }
        };
        let number = number.clone();
        leptos::task::spawn_local(async move {
            match api
                .post::<StaffCaseView>(&format!("/staff/cases/{number}/return-decision"), &decision)
                .await
            {
                Ok(_) => {
                    let s = i18n.locale().strings();
                    let template = if redispatch {
                        s.redispatched
                    } else {
                        s.return_refused
                    };
                    done.run(template.replace("{n}", number.as_str()));
                }
                Err(failure) => failed.run(failure_text(i18n.locale(), &failure)),
            }
        });
    };
    let decide_again = decide.clone();
    let title = case.case.case_number.to_string();
    view! {
        <h2 id="pane-title">{tr(|s| s.case_number)}" "{title}</h2>
        <CaseSummary case=detail.into() />
        <h3>{tr(|s| s.return_reason)}</h3>
        <blockquote class="return-reason">{reason}</blockquote>
        <form class="action-form" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <h3>{tr(|s| s.review_decision)}</h3>
            <label for="review-note">{tr(|s| s.review_note)}</label>
            <textarea id="review-note" rows="3" bind:value=note></textarea>
            <label for="review-unit">{tr(|s| s.redispatch_to)}</label>
            <select id="review-unit" on:change=move |ev| to_unit.set(event_target_value(&ev))>
                <option value="">{tr(|s| s.choose)}</option>
                {move || {
                    let locale = i18n.locale();
                    reference.get().units.into_iter().filter(|u| u.unit_id != from_unit).map(|u| view! {
                        <option value=u.unit_id.clone()>{locale.pick(&u.name_zh, &u.name_en).to_owned()}</option>
                    }).collect_view()
                }}
            </select>
            <div class="button-row">
                <button type="button" class="primary" on:click=move |_| decide(true)>{tr(|s| s.redispatch)}</button>
                <button type="button" on:click=move |_| decide_again(false)>{tr(|s| s.refuse_return)}</button>
            </div>
        </form>
    }
}

//! Handle (办): the unit's cases by time left. The handler claims a case (`c`, the 24-hour
//! response clock), reveals the resident's number only to call back (every reveal is logged by
//! the server), writes progress notes the resident sees, completes with a reply, or files a
//! return request with a reason; supervision notices on the case are acknowledged here.

use leptos::prelude::*;
use yousu_core::api::{
    ContactView, NoteRequest, NoticeList, NoticeView, StaffCaseList, StaffCaseView,
};
use yousu_core::{CaseStatus, Countdown};

use crate::api::use_api;
use crate::clock::{city_time, use_clock};
use crate::components::case_queue::CaseQueue;
use crate::components::case_summary::{CaseSummary, contact_text};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};
use crate::keys::{QueueKey, use_queue_keys};

/// The unit's cases, least time left first; cases without a deadline yet last.
pub fn by_time_left(mut cases: Vec<StaffCaseView>) -> Vec<StaffCaseView> {
    cases.sort_by_key(|c| {
        (
            c.case.deadline_at.is_none(),
            c.case.deadline_at,
            c.case.submitted_at,
        )
    });
    cases
}

#[component]
pub fn HandlePage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let clock = use_clock();
    let cases = RwSignal::new(Vec::<StaffCaseView>::new());
    let notices = RwSignal::new(Vec::<NoticeView>::new());
    let selected = RwSignal::new(0usize);
    let open = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api.get::<StaffCaseList>("/staff/cases").await {
                Ok(list) => {
                    if let Some(first) = list.cases.first() {
                        clock.observe(first.case.server_time);
                    }
                    cases.set(by_time_left(list.cases));
                }
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
            if let Ok(list) = api.get::<NoticeList>("/staff/notices").await {
                notices.set(list.notices);
            }
        });
    };
    reload();
    crate::clock::every(crate::clock::QUEUE_REFRESH_SECS, reload);
    let open_at = move |index: usize| {
        open.set(cases.with_untracked(|c| c.get(index).map(|c| c.case.case_number.to_string())));
    };
    use_queue_keys(
        move || cases.with_untracked(Vec::len),
        selected,
        move |key| match key {
            QueueKey::Open => open_at(selected.get_untracked()),
            QueueKey::Action('r') => reload(),
            _ => {}
        },
    );
    let changed = Callback::new(move |(text, view): (String, Option<StaffCaseView>)| {
        outcome.set(Some(Outcome::Done(text)));
        if let Some(view) = view {
            cases.update(|list| {
                if let Some(slot) = list
                    .iter_mut()
                    .find(|c| c.case.case_number == view.case.case_number)
                {
                    *slot = view;
                }
            });
        }
        reload();
    });
    let failed = Callback::new(move |text: String| outcome.set(Some(Outcome::Failed(text))));
    // The pane is rebuilt only when another case is opened (or the open one leaves the queue),
    // not at every refresh of the list: a refresh must not wipe a revealed number or a half-typed
    // reply.
    let open_number = Memo::new(move |_| {
        let number = open.get()?;
        cases
            .with(|c| c.iter().any(|c| c.case.case_number.as_str() == number))
            .then_some(number)
    });
    let open_case = move || {
        let number = open_number.get()?;
        cases.with_untracked(|c| {
            c.iter()
                .find(|c| c.case.case_number.as_str() == number)
                .cloned()
        })
    };
    view! {
        <h1>{tr(|s| s.handle_title)}</h1>
        <p class="screen-hint">{tr(|s| s.handle_hint)}</p>
        <StatusLine outcome />
        <Show when=move || notices.with(|n| n.iter().any(|n| n.acknowledged_at.is_none()))>
            <p class="notice" role="status">{tr(|s| s.notices_waiting)}</p>
        </Show>
        <div class="workspace">
            <CaseQueue
                caption=Signal::derive(move || format!("{} ({})", i18n.locale().strings().handle_queue, cases.with(Vec::len)))
                cases=cases.into()
                selected
                open=open.into()
                on_open=Callback::new(open_at)
                extra_heading=Signal::derive(move || i18n.locale().strings().time_left.to_owned())
                extra=Callback::new(move |case: StaffCaseView| {
                    case.case.deadline_at
                        .map(|d| i18n.locale().countdown(Countdown::at(d, clock.now())))
                        .unwrap_or_default()
                })
            />
            <section class="pane" aria-labelledby="pane-title">
                {move || match open_case() {
                    None => view! {
                        <h2 id="pane-title">{tr(|s| s.no_case_open)}</h2>
                        <p class="screen-hint">{tr(|s| s.open_hint)}</p>
                    }.into_any(),
                    Some(case) => {
                        let number = case.case.case_number.clone();
                        let case_notices = Signal::derive(move || notices.with(|n| n.iter().filter(|n| n.case_number == number).cloned().collect::<Vec<_>>()));
                        view! { <HandlePane case case_notices changed failed /> }.into_any()
                    }
                }}
            </section>
        </div>
    }
}

#[component]
fn HandlePane(
    case: StaffCaseView,
    case_notices: Signal<Vec<NoticeView>>,
    changed: Callback<(String, Option<StaffCaseView>)>,
    failed: Callback<String>,
) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let current = RwSignal::new(case);
    let number = current.with_untracked(|c| c.case.case_number.clone());
    let progress = RwSignal::new(String::new());
    let reply = RwSignal::new(String::new());
    let return_reason = RwSignal::new(String::new());
    let status = move || current.with(|c| c.case.status);

    // One staff move: post, then show the case as the server now has it.
    let act = {
        let number = number.clone();
        move |action: &'static str,
              note: Option<String>,
              done: fn(&'static crate::i18n::Strings) -> &'static str| {
            let number = number.clone();
            leptos::task::spawn_local(async move {
                let path = format!("/staff/cases/{number}/{action}");
                let result = match note {
                    Some(note) => {
                        api.post::<StaffCaseView>(&path, &NoteRequest { note })
                            .await
                    }
                    None => {
                        api.post::<StaffCaseView>(&path, &serde_json::json!({}))
                            .await
                    }
                };
                match result {
                    Ok(view) => {
                        current.set(view.clone());
                        changed.run((
                            done(i18n.locale().strings()).replace("{n}", number.as_str()),
                            Some(view),
                        ));
                    }
                    Err(failure) => failed.run(failure_text(i18n.locale(), &failure)),
                }
            });
        }
    };
    let required = move |signal: RwSignal<String>| -> Option<String> {
        let text = signal.get_untracked().trim().to_owned();
        if text.is_empty() {
            failed.run(i18n.locale().strings().reason_required.to_owned());
            None
        } else {
            Some(text)
        }
    };
    let claim = {
        let act = act.clone();
        move || act("claim", None, |s| s.claimed)
    };
    let reveal = {
        let act = act.clone();
        move |_| act("contact", None, |s| s.contact_revealed)
    };
    let add_progress = {
        let act = act.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(note) = required(progress) else {
                return;
            };
            // The first note starts the work; later ones are notes on work in progress.
            let action = if status() == CaseStatus::Claimed {
                "start"
            } else {
                "note"
            };
            act(action, Some(note), |s| s.progress_added);
            progress.set(String::new());
        }
    };
    let complete = {
        let act = act.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(note) = required(reply) else { return };
            act("complete", Some(note), |s| s.completed_case);
        }
    };
    let request_return = {
        let act = act.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(note) = required(return_reason) else {
                return;
            };
            act("return-request", Some(note), |s| s.return_requested);
        }
    };
    let key_claim = claim.clone();
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "c"
            && !crate::keys::typed_in_field(&event)
            && !event.ctrl_key()
            && !event.meta_key()
            && matches!(status(), CaseStatus::Dispatched | CaseStatus::Reopened)
        {
            key_claim();
        }
    });
    on_cleanup(move || handle.remove());
    let acknowledge = move |notice_id: i64| {
        leptos::task::spawn_local(async move {
            match api
                .post::<NoticeView>(
                    &format!("/staff/notices/{notice_id}/acknowledge"),
                    &serde_json::json!({}),
                )
                .await
            {
                Ok(_) => {
                    changed.run((i18n.locale().strings().notice_acknowledged.to_owned(), None))
                }
                Err(failure) => failed.run(failure_text(i18n.locale(), &failure)),
            }
        });
    };
    let claimable = move || matches!(status(), CaseStatus::Dispatched | CaseStatus::Reopened);
    let working = move || matches!(status(), CaseStatus::Claimed | CaseStatus::InProgress);
    let returnable = move || {
        matches!(
            status(),
            CaseStatus::Dispatched
                | CaseStatus::Claimed
                | CaseStatus::InProgress
                | CaseStatus::Reopened
        )
    };
    let masked = move || current.with(|c| matches!(c.contact, ContactView::Masked { .. }));
    let claim_click = claim.clone();
    view! {
        <h2 id="pane-title">{tr(|s| s.case_number)}" "{number.to_string()}</h2>
        <CaseSummary case=current.into() />

        <Show when=move || !case_notices.with(Vec::is_empty)>
            <section class="notices" aria-labelledby="notices-title">
                <h3 id="notices-title">{tr(|s| s.notices_heading)}</h3>
                <ul>
                    {move || case_notices.get().into_iter().map(|n| {
                        let id = n.notice_id;
                        let acked = n.acknowledged_at;
                        view! {
                            <li>
                                <p>{n.note.clone()}</p>
                                <p class="screen-hint">{city_time(n.issued_at)}</p>
                                {match acked {
                                    Some(at) => view! { <p>{tr(|s| s.acknowledged_at)}" "{city_time(at)}</p> }.into_any(),
                                    None => view! {
                                        <button type="button" on:click=move |_| acknowledge(id)>{tr(|s| s.acknowledge)}</button>
                                    }.into_any(),
                                }}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>

        <section class="contact" aria-labelledby="contact-title">
            <h3 id="contact-title">{tr(|s| s.contact)}</h3>
            <p data-testid="contact">{move || current.with(|c| contact_text(i18n.locale(), &c.contact))}</p>
            <Show when=masked>
                <button type="button" on:click=reveal.clone()>{tr(|s| s.reveal_contact)}</button>
                <p class="screen-hint">{tr(|s| s.reveal_logged)}</p>
            </Show>
        </section>

        <Show when=claimable>
            <button type="button" class="primary" on:click={
                let claim_click = claim_click.clone();
                move |_| claim_click()
            }>{tr(|s| s.claim)}<kbd>"c"</kbd></button>
        </Show>

        <Show when=working>
            <form class="action-form" on:submit=add_progress.clone()>
                <h3>{tr(|s| s.progress_heading)}</h3>
                <label for="progress-note">{tr(|s| s.progress_note)}</label>
                <textarea id="progress-note" rows="2" bind:value=progress></textarea>
                <button type="submit">{tr(|s| s.add_progress)}</button>
            </form>
            <form class="action-form" on:submit=complete.clone()>
                <h3>{tr(|s| s.complete_heading)}</h3>
                <label for="reply">{tr(|s| s.reply_to_resident)}</label>
                <textarea id="reply" rows="3" bind:value=reply></textarea>
                <button type="submit" class="primary">{tr(|s| s.complete)}</button>
            </form>
        </Show>

        <Show when=returnable>
            <form class="action-form" on:submit=request_return.clone()>
                <h3>{tr(|s| s.return_heading)}</h3>
                <p class="screen-hint">{tr(|s| s.return_hint)}</p>
                <label for="return-reason">{tr(|s| s.return_reason)}</label>
                <textarea id="return-reason" rows="2" bind:value=return_reason></textarea>
                <button type="submit">{tr(|s| s.request_return)}</button>
            </form>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tightest_deadline_comes_first_and_undated_cases_last() {
        let json = |n: &str, deadline: Option<&str>| {
            let mut v = serde_json::json!({
                "case_number": n, "lookup_code": "12345678", "status": "dispatched", "channel": "web",
                "category_id": "c", "community_id": "x", "description": "d", "tier": "general",
                "submitted_at": "2026-11-01T00:00:00Z", "timeline": [], "server_time": "2026-11-01T00:00:00Z",
                "contact": {"kind": "anonymous"}
            });
            if let Some(d) = deadline {
                v["deadline_at"] = d.into();
            }
            serde_json::from_value::<StaffCaseView>(v).unwrap()
        };
        let sorted = by_time_left(vec![
            json("20261101000001", None),
            json("20261101000002", Some("2026-11-08T00:00:00Z")),
            json("20261101000003", Some("2026-11-02T00:00:00Z")),
        ]);
        let order: Vec<&str> = sorted.iter().map(|c| c.case.case_number.as_str()).collect();
        assert_eq!(
            order,
            ["20261101000003", "20261101000002", "20261101000001"]
        );
    }
}

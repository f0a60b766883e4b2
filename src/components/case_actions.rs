//! What the resident can do with their case now: rate it once finished, ask for re-handling after
//! a dissatisfied rating, withdraw it until a unit claims it, add information while it is open.
//! Each action answers with the updated case.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::CaseStatus;
use yousu_core::api::{CaseView, NoteRequest, RatingRequest};
use yousu_core::rates::Satisfaction;

use crate::api;
use crate::i18n::{tr, use_i18n};

/// What an action sends.
enum Body {
    Rating(RatingRequest),
    Note(NoteRequest),
}

#[component]
pub fn CaseActions(
    case: CaseView,
    access_token: String,
    on_done: Callback<CaseView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let number = StoredValue::new(case.case_number.clone());
    let token = StoredValue::new(access_token);
    let act = move |action: &'static str, body: Body| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(false);
        spawn_local(async move {
            let number = number.get_value();
            let token = token.get_value();
            let result = match &body {
                Body::Rating(rating) => api::resident_act(&number, &token, action, rating).await,
                Body::Note(note) => api::resident_act(&number, &token, action, note).await,
            };
            busy.set(false);
            match result {
                Ok(case) => on_done.run(case),
                Err(_) => failed.set(true),
            }
        });
    };

    let status = case.status;
    let can_withdraw = matches!(
        status,
        CaseStatus::Submitted | CaseStatus::Accepted | CaseStatus::Dispatched
    );
    let can_reopen = status == CaseStatus::Rated
        && !case.reopened
        && case
            .rating
            .as_ref()
            .is_some_and(|r| r.satisfaction == Satisfaction::Dissatisfied);

    // Rating form state.
    let resolved = RwSignal::new(None::<bool>);
    let satisfaction = RwSignal::new(None::<Satisfaction>);
    let comment = RwSignal::new(String::new());
    let info = RwSignal::new(String::new());
    let confirming_withdraw = RwSignal::new(false);

    let send_rating = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(resolved), Some(satisfaction)) =
            (resolved.get_untracked(), satisfaction.get_untracked())
        else {
            failed.set(true);
            return;
        };
        let body = RatingRequest {
            resolved,
            satisfaction,
            comment: comment.get_untracked(),
        };
        act("rating", Body::Rating(body));
    };
    let send_info = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NoteRequest {
            note: info.get_untracked(),
        };
        act("information", Body::Note(body));
    };

    let satisfaction_choice = move |value: Satisfaction| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="satisfaction"
                    prop:checked=move || satisfaction.get() == Some(value)
                    on:change=move |_| satisfaction.set(Some(value))
                />
                {move || i18n.locale().satisfaction(value)}
            </label>
        }
    };

    view! {
        <div class="case-actions">
            {(status == CaseStatus::Completed).then(|| view! {
                <form class="rating-form" on:submit=send_rating>
                    <h2>{tr(|s| s.rating_title)}</h2>
                    <fieldset>
                        <legend>{tr(|s| s.resolved_question)}</legend>
                        <label class="choice">
                            <input type="radio" name="resolved"
                                prop:checked=move || resolved.get() == Some(true)
                                on:change=move |_| resolved.set(Some(true)) />
                            {tr(|s| s.resolved_yes)}
                        </label>
                        <label class="choice">
                            <input type="radio" name="resolved"
                                prop:checked=move || resolved.get() == Some(false)
                                on:change=move |_| resolved.set(Some(false)) />
                            {tr(|s| s.resolved_no)}
                        </label>
                    </fieldset>
                    <fieldset>
                        <legend>{tr(|s| s.satisfaction_question)}</legend>
                        {satisfaction_choice(Satisfaction::Satisfied)}
                        {satisfaction_choice(Satisfaction::BasicallySatisfied)}
                        {satisfaction_choice(Satisfaction::Dissatisfied)}
                    </fieldset>
                    <div class="field">
                        <label for="rating-comment">{tr(|s| s.comment_label)}</label>
                        <textarea id="rating-comment" rows="3"
                            prop:value=move || comment.get()
                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button button-primary" aria-disabled=move || busy.get().to_string()>
                        {tr(|s| s.send_rating)}
                    </button>
                </form>
            })}
            {can_reopen.then(|| view! {
                <p class="field-hint">{tr(|s| s.reopen_hint)}</p>
                <button type="button" class="button button-primary"
                    on:click=move |_| act("reopen", Body::Note(NoteRequest::default()))>
                    {tr(|s| s.reopen)}
                </button>
            })}
            {status.is_open().then(|| view! {
                <form class="info-form" on:submit=send_info>
                    <div class="field">
                        <label for="add-info">{tr(|s| s.add_info_title)}</label>
                        <textarea id="add-info" rows="3"
                            prop:value=move || info.get()
                            on:input=move |ev| info.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                        {tr(|s| s.add_info_send)}
                    </button>
                </form>
            })}
            {can_withdraw.then(|| view! {
                <div class="withdraw">
                    <Show
                        when=move || confirming_withdraw.get()
                        fallback=move || view! {
                            <button type="button" class="button" on:click=move |_| confirming_withdraw.set(true)>
                                {tr(|s| s.withdraw)}
                            </button>
                        }
                    >
                        <button type="button" class="button button-primary"
                            on:click=move |_| act("withdraw", Body::Note(NoteRequest::default()))>
                            {tr(|s| s.withdraw_confirm)}
                        </button>
                        <button type="button" class="button" on:click=move |_| confirming_withdraw.set(false)>
                            {tr(|s| s.cancel)}
                        </button>
                    </Show>
                </div>
            })}
            <div role="alert">
                {move || failed.get().then(|| view! {
                    <p class="notice notice-error">{tr(|s| s.action_failed)}</p>
                })}
            </div>
        </div>
    }
}

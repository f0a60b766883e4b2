//! What the resident can do with their case now: rate it once finished, ask for re-handling after
//! a dissatisfied rating, withdraw it until a unit claims it, add information while it is open.
//! Each action answers with the updated case.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::CaseStatus;
use yousu_core::api::{CaseView, NoteRequest, RatingRequest};
use yousu_core::rates::Satisfaction;

use crate::api;
use crate::i18n::use_i18n;

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
    let act = move |action: &'static str, body: serde_json::Value| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failed.set(false);
        spawn_local(async move {
            let result =
                api::resident_act(&number.get_value(), &token.get_value(), action, &body).await;
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
        act("rating", serde_json::to_value(body).unwrap_or_default());
    };
    let send_info = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NoteRequest {
            note: info.get_untracked(),
        };
        act(
            "information",
            serde_json::to_value(body).unwrap_or_default(),
        );
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
                    <h2>{move || i18n.t().rating_title}</h2>
                    <fieldset>
                        <legend>{move || i18n.t().resolved_question}</legend>
                        <label class="choice">
                            <input type="radio" name="resolved"
                                prop:checked=move || resolved.get() == Some(true)
                                on:change=move |_| resolved.set(Some(true)) />
                            {move || i18n.t().resolved_yes}
                        </label>
                        <label class="choice">
                            <input type="radio" name="resolved"
                                prop:checked=move || resolved.get() == Some(false)
                                on:change=move |_| resolved.set(Some(false)) />
                            {move || i18n.t().resolved_no}
                        </label>
                    </fieldset>
                    <fieldset>
                        <legend>{move || i18n.t().satisfaction_question}</legend>
                        {satisfaction_choice(Satisfaction::Satisfied)}
                        {satisfaction_choice(Satisfaction::BasicallySatisfied)}
                        {satisfaction_choice(Satisfaction::Dissatisfied)}
                    </fieldset>
                    <div class="field">
                        <label for="rating-comment">{move || i18n.t().comment_label}</label>
                        <textarea id="rating-comment" rows="3"
                            prop:value=move || comment.get()
                            on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button button-primary" aria-disabled=move || busy.get().to_string()>
                        {move || i18n.t().send_rating}
                    </button>
                </form>
            })}
            {can_reopen.then(|| view! {
                <p class="field-hint">{move || i18n.t().reopen_hint}</p>
                <button type="button" class="button button-primary"
                    on:click=move |_| act("reopen", serde_json::json!({}))>
                    {move || i18n.t().reopen}
                </button>
            })}
            {status.is_open().then(|| view! {
                <form class="info-form" on:submit=send_info>
                    <div class="field">
                        <label for="add-info">{move || i18n.t().add_info_title}</label>
                        <textarea id="add-info" rows="3"
                            prop:value=move || info.get()
                            on:input=move |ev| info.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button" aria-disabled=move || busy.get().to_string()>
                        {move || i18n.t().add_info_send}
                    </button>
                </form>
            })}
            {can_withdraw.then(|| view! {
                <div class="withdraw">
                    <Show
                        when=move || confirming_withdraw.get()
                        fallback=move || view! {
                            <button type="button" class="button" on:click=move |_| confirming_withdraw.set(true)>
                                {move || i18n.t().withdraw}
                            </button>
                        }
                    >
                        <button type="button" class="button button-primary"
                            on:click=move |_| act("withdraw", serde_json::json!({}))>
                            {move || i18n.t().withdraw_confirm}
                        </button>
                        <button type="button" class="button" on:click=move |_| confirming_withdraw.set(false)>
                            {move || i18n.t().cancel}
                        </button>
                    </Show>
                </div>
            })}
            <div role="alert">
                {move || failed.get().then(|| view! {
                    <p class="notice notice-error">{move || i18n.t().action_failed}</p>
                })}
            </div>
        </div>
    }
}

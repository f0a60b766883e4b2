//! Moving cases along the chain — 派 dispatch, 办 claim / work / complete, return requests and
//! their joint review, invalid and duplicate cases — and the resident's rating, reopen and
//! withdrawal. Every move goes through the core state machine; the store writes it only if
//! nobody moved the case in between.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use yousu_core::api::EventKind;
use yousu_core::api::{
    CaseView, DispatchRequest, MergeRequest, NoteRequest, RatingRequest, ReturnDecision,
    StaffCaseView, StaffRole,
};
use yousu_core::deadline::SupervisionNode;
use yousu_core::lifecycle::{self, Action, Actor, CaseFacts, TransitionError};
use yousu_core::rates::Satisfaction;
use yousu_core::{CaseStatus, FieldError};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};
use crate::services::cases::{Credential, open_case};
use crate::services::views::{Disclosure, staff_view, view};
use crate::store::handling::{CaseChanges, ReturnRequestChange, Transition};
use crate::store::{CaseRecord, EventInsert, StoredRating};

/// Longest note, reply or reason, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

pub enum StaffCommand {
    Dispatch(DispatchRequest),
    Claim,
    StartWork(NoteRequest),
    Complete(NoteRequest),
    RequestReturn(NoteRequest),
    DecideReturn(ReturnDecision),
    MarkInvalid(NoteRequest),
    Merge(MergeRequest),
}

pub enum ResidentCommand {
    Rate(RatingRequest),
    Reopen(NoteRequest),
    Withdraw(NoteRequest),
}

/// What a move does besides changing the status.
struct Move {
    action: Action,
    changes: CaseChanges,
    unit_id: Option<String>,
    note: Option<String>,
    return_request: Option<ReturnRequestChange>,
    nodes: Vec<SupervisionNode>,
}

impl Move {
    fn new(action: Action) -> Self {
        Self {
            action,
            changes: CaseChanges::default(),
            unit_id: None,
            note: None,
            return_request: None,
            nodes: Vec::new(),
        }
    }
}

pub(crate) fn note(field: &str, text: &str, required: bool) -> AppResult<Option<String>> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new(
            field,
            "required",
            "请说明理由",
            "give a reason",
        )]));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::Invalid(vec![FieldError::new(
            field,
            "too_long",
            "内容不能超过2000字",
            "at most 2,000 characters",
        )]));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn unknown_unit(field: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(
        field,
        "unknown",
        "该责任单位不存在",
        "this unit does not exist",
    )])
}

/// A staff member acts on a case; answers with the case as that role sees it.
pub async fn staff_act(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
    command: StaffCommand,
) -> AppResult<StaffCaseView> {
    let record = staff_case(state, session, case_number).await?;
    let now = state.clock.now();
    let who = session.account.staff_account_id.clone();
    let own_unit = session.account.unit_id.clone();
    let step = match command {
        StaffCommand::Dispatch(request) => {
            if !state.reference.has_unit(&request.unit_id) {
                return Err(unknown_unit("unit_id"));
            }
            let item = match &request.catalog_item_id {
                Some(id) => Some(state.reference.item(id).ok_or_else(|| {
                    AppError::Invalid(vec![FieldError::new(
                        "catalog_item_id",
                        "unknown",
                        "该派单事项不存在",
                        "this dispatch item does not exist",
                    )])
                })?),
                None => None,
            };
            let tier = request.tier.or(item.map(|i| i.tier)).unwrap_or(record.tier);
            crate::services::suggestions::record_at_dispatch(state, &record).await;
            let accepted = record.accepted_at.unwrap_or(record.submitted_at);
            let mut step = Move::new(Action::Dispatch);
            step.nodes = state.rules.nodes(tier, accepted).to_vec();
            step.changes = CaseChanges {
                unit_id: Some(request.unit_id.clone()),
                catalog_item_id: request.catalog_item_id.clone(),
                tier: Some(tier),
                deadline_at: Some(state.rules.deadline(tier, accepted)),
                dispatched_at: Some(now),
                clear_claim: true,
                ..CaseChanges::default()
            };
            step.unit_id = Some(request.unit_id);
            step
        }
        StaffCommand::Claim => {
            let mut step = Move::new(Action::Claim);
            step.changes.claimed_at = Some(now);
            step.unit_id = own_unit;
            step
        }
        StaffCommand::StartWork(body) => {
            let mut step = Move::new(Action::StartWork);
            step.note = note("note", &body.note, false)?;
            step.unit_id = own_unit;
            step
        }
        StaffCommand::Complete(body) => {
            let reply = note("note", &body.note, true)?;
            let mut step = Move::new(Action::Complete);
            step.changes.completed_at = Some(now);
            step.changes.reply = reply.clone();
            step.note = reply;
            step.unit_id = own_unit;
            step
        }
        StaffCommand::RequestReturn(body) => {
            let reason = note("note", &body.note, true)?.unwrap_or_default();
            let mut step = Move::new(Action::RequestReturn);
            step.return_request = Some(ReturnRequestChange::File {
                unit_id: own_unit.clone().unwrap_or_default(),
                reason: reason.clone(),
                by: who.clone(),
                at: now,
            });
            step.note = Some(reason);
            step.unit_id = own_unit;
            step
        }
        StaffCommand::DecideReturn(ReturnDecision::Redispatch {
            unit_id,
            note: text,
        }) => {
            if !state.reference.has_unit(&unit_id) {
                return Err(unknown_unit("unit_id"));
            }
            let reason = note("note", &text, true)?.unwrap_or_default();
            let mut step = Move::new(Action::Redispatch);
            // Same clock, new unit: the nodes not fired yet now chase the new unit.
            let accepted = record.accepted_at.unwrap_or(record.submitted_at);
            step.nodes = state.rules.nodes(record.tier, accepted).to_vec();
            step.changes = CaseChanges {
                unit_id: Some(unit_id.clone()),
                dispatched_at: Some(now),
                clear_claim: true,
                ..CaseChanges::default()
            };
            step.return_request = Some(ReturnRequestChange::Decide {
                decision: "redispatched",
                reason: reason.clone(),
                by: who.clone(),
                at: now,
            });
            step.note = Some(reason);
            step.unit_id = Some(unit_id);
            step
        }
        StaffCommand::DecideReturn(ReturnDecision::Refuse { note: text }) => {
            let reason = note("note", &text, true)?.unwrap_or_default();
            let mut step = Move::new(Action::RefuseReturn);
            step.return_request = Some(ReturnRequestChange::Decide {
                decision: "refused",
                reason: reason.clone(),
                by: who.clone(),
                at: now,
            });
            step.note = Some(reason);
            step.unit_id = record.handling.unit_id.clone();
            step
        }
        StaffCommand::MarkInvalid(body) => {
            let mut step = Move::new(Action::MarkInvalid);
            step.note = Some(note("note", &body.note, true)?.unwrap_or_default());
            step
        }
        StaffCommand::Merge(request) => {
            if request.into_case_number == record.case_number {
                return Err(AppError::client(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "merge_into_itself",
                    "a case cannot be merged into itself",
                ));
            }
            if state
                .store
                .case_by_number(&request.into_case_number)
                .await?
                .is_none()
            {
                return Err(AppError::NotFound("case to merge into"));
            }
            let mut step = Move::new(Action::Merge);
            step.changes.merged_into = Some(request.into_case_number.to_string());
            step.note = Some(request.into_case_number.to_string());
            step
        }
    };
    let actor = session.account.role.actor();
    let updated = apply(state, record, step, actor, Some(who), now).await?;
    Ok(staff_view(
        updated,
        session.account.role,
        Disclosure::Masked,
        &state.rules,
        state.clock,
    ))
}

/// The resident acts on their own case with its access token.
pub async fn resident_act(
    state: &AppState,
    case_number: &str,
    credential: Option<Credential>,
    command: ResidentCommand,
) -> AppResult<CaseView> {
    let record = open_own_case(state, case_number, credential).await?;
    let now = state.clock.now();
    let step = match command {
        ResidentCommand::Rate(rating) => {
            let comment = note("comment", &rating.comment, false)?;
            let mut step = Move::new(Action::Rate);
            step.changes.rating = Some(StoredRating {
                rated_at: now,
                resolved: rating.resolved,
                satisfaction: rating.satisfaction,
                comment: comment.clone(),
            });
            step.note = comment;
            step
        }
        ResidentCommand::Reopen(body) => {
            let mut step = Move::new(Action::Reopen);
            step.changes = CaseChanges {
                reopened: true,
                clear_claim: true,
                clear_completion: true,
                dispatched_at: Some(now),
                ..CaseChanges::default()
            };
            step.note = note("note", &body.note, false)?;
            step.unit_id = record.handling.unit_id.clone();
            step
        }
        ResidentCommand::Withdraw(body) => {
            let mut step = Move::new(Action::Withdraw);
            step.note = note("note", &body.note, false)?;
            step
        }
    };
    let updated = apply(state, record, step, Actor::Resident, None, now).await?;
    Ok(view(updated, &state.rules, state.clock))
}

/// The resident adds information to an open case (补充说明): a note on the timeline the unit
/// sees; the status stays.
pub async fn add_information(
    state: &AppState,
    case_number: &str,
    credential: Option<Credential>,
    body: NoteRequest,
) -> AppResult<CaseView> {
    let record = open_own_case(state, case_number, credential).await?;
    let updated = add_note(state, record, &body, Actor::Resident, None).await?;
    Ok(view(updated, &state.rules, state.clock))
}

/// A unit handler's progress note on their unit's case (the resident reads it on the
/// timeline); the status stays.
pub async fn add_progress_note(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
    body: NoteRequest,
) -> AppResult<StaffCaseView> {
    session.require(&[StaffRole::UnitHandler])?;
    let record = staff_case(state, session, case_number).await?;
    if !matches!(
        record.status,
        CaseStatus::Claimed | CaseStatus::InProgress | CaseStatus::Reopened
    ) {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "not_in_hand",
            format!(
                "the case is {}: progress is noted once the unit has claimed it and until it is completed",
                record.status
            ),
        ));
    }
    let who = session.account.staff_account_id.clone();
    let updated = add_note(state, record, &body, Actor::UnitHandler, Some(who)).await?;
    Ok(staff_view(
        updated,
        session.account.role,
        Disclosure::Masked,
        &state.rules,
        state.clock,
    ))
}

/// Writes a note on an open case's timeline, leaving its status as it is.
async fn add_note(
    state: &AppState,
    record: CaseRecord,
    body: &NoteRequest,
    actor: Actor,
    actor_id: Option<String>,
) -> AppResult<CaseRecord> {
    let text = note("note", &body.note, true)?;
    if !record.status.is_open() {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "case_closed",
            format!(
                "the case is {}: information can no longer be added",
                record.status
            ),
        ));
    }
    let event = EventInsert {
        kind: EventKind::Note,
        status: record.status,
        actor,
        actor_id,
        unit_id: record.handling.unit_id.clone(),
        at: state.clock.now(),
        note: text,
    };
    state.store.add_note(record.case_id, &event).await?;
    let updated = state
        .store
        .case_by_number(&record.case_number)
        .await?
        .ok_or(AppError::NotFound("case"))?;
    crate::services::watchers::case_changed(state, &updated, false);
    Ok(updated)
}

/// The case, opened with its access token: the lookup code shows a case, it does not let anyone
/// act on it.
async fn open_own_case(
    state: &AppState,
    case_number: &str,
    credential: Option<Credential>,
) -> AppResult<CaseRecord> {
    let Some(Credential::AccessToken(token)) = credential else {
        return Err(AppError::client(
            StatusCode::UNAUTHORIZED,
            "access_token_needed",
            "only the device that sent the case can do this: send its access token",
        ));
    };
    open_case(state, case_number, Credential::AccessToken(token)).await
}

/// The case as a staff member may open it: a unit handler only their own unit's cases.
pub async fn staff_case(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
) -> AppResult<CaseRecord> {
    let record = crate::services::stored_case(state, case_number).await?;
    if session.account.role == StaffRole::UnitHandler
        && record.handling.unit_id != session.account.unit_id
    {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "not_your_unit",
            "this case is not with your unit",
        ));
    }
    Ok(record)
}

async fn apply(
    state: &AppState,
    record: CaseRecord,
    step: Move,
    actor: Actor,
    actor_id: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<CaseRecord> {
    let facts = CaseFacts {
        claimed: record.handling.claimed_at.is_some(),
        reopened: record.handling.reopened,
        dissatisfied: record
            .handling
            .rating
            .as_ref()
            .is_some_and(|r| r.satisfaction == Satisfaction::Dissatisfied),
    };
    let to = lifecycle::transition(record.status, step.action, actor, facts)
        .map_err(transition_refused)?;
    let transition = Transition {
        case_id: record.case_id,
        from: record.status,
        to,
        changes: step.changes,
        event: EventInsert {
            kind: EventKind::Transition,
            status: to,
            actor,
            actor_id,
            unit_id: step.unit_id,
            at: now,
            note: step.note,
        },
        return_request: step.return_request,
        nodes: step.nodes,
    };
    if !state.store.apply_transition(&transition).await? {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "case_changed",
            "someone else changed this case just now; reload it and try again",
        ));
    }
    let updated = state
        .store
        .case_by_number(&record.case_number)
        .await?
        .ok_or(AppError::NotFound("case"))?;
    crate::services::watchers::case_changed(
        state,
        &updated,
        to == yousu_core::CaseStatus::Completed,
    );
    Ok(updated)
}

fn transition_refused(error: TransitionError) -> AppError {
    let message = error.to_string();
    match error {
        TransitionError::NotPermitted { .. } => {
            AppError::client(StatusCode::FORBIDDEN, "not_permitted", message)
        }
        TransitionError::NotFromStatus { .. } => {
            AppError::client(StatusCode::CONFLICT, "wrong_status", message)
        }
        TransitionError::AlreadyReopened => {
            AppError::client(StatusCode::CONFLICT, "already_reopened", message)
        }
        TransitionError::NotDissatisfied => {
            AppError::client(StatusCode::CONFLICT, "not_dissatisfied", message)
        }
    }
}

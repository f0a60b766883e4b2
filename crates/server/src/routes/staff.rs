//! The staff API under `/api/v1/staff`: sign-in, the case lists each role works from, and every
//! staff action on a case. Each route checks the role; a unit handler sees only their unit.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use yousu_core::api::{
    ContactAccessLog, DispatchRequest, FiredNodeView, LoginRequest, LoginResponse, MergeRequest,
    NoteRequest, ReturnDecision, StaffAccountView, StaffCaseList, StaffCaseView, StaffRole,
    SupervisionList,
};
use yousu_core::{CaseNumber, CaseStatus};

use crate::app::AppState;
use crate::auth::{self, StaffSession};
use crate::error::{ApiJson, AppError, AppResult};
use crate::rate_limit::Door;
use crate::services::contact;
use crate::services::handling::{self, StaffCommand};
use crate::services::views::{Disclosure, staff_view};
use crate::store::handling::CaseFilter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/login", post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/logout-everywhere", post(logout_everywhere))
        .route("/staff/me", get(me))
        .route("/staff/cases", get(list_cases))
        .route("/staff/supervision", get(list_supervision))
        .route("/staff/cases/{case_number}", get(get_case))
        .route("/staff/cases/{case_number}/contact", post(reveal_contact))
        .route(
            "/staff/cases/{case_number}/contact-access",
            get(contact_access_log),
        )
        .route("/staff/cases/{case_number}/dispatch", post(dispatch_case))
        .route("/staff/cases/{case_number}/claim", post(claim_case))
        .route("/staff/cases/{case_number}/start", post(start_case))
        .route("/staff/cases/{case_number}/complete", post(complete_case))
        .route(
            "/staff/cases/{case_number}/return-request",
            post(request_return),
        )
        .route(
            "/staff/cases/{case_number}/return-decision",
            post(decide_return),
        )
        .route("/staff/cases/{case_number}/invalid", post(mark_invalid))
        .route("/staff/cases/{case_number}/merge", post(merge_case))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    state.limiter.check(Door::Login, client.ip())?;
    Ok(Json(auth::login(&state, request).await?))
}

async fn logout(State(state): State<AppState>, session: StaffSession) -> AppResult<StatusCode> {
    state.store.delete_session(&session.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn logout_everywhere(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<StatusCode> {
    state
        .store
        .delete_sessions_of(&session.account.staff_account_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(session: StaffSession) -> Json<StaffAccountView> {
    Json(auth::account_view(&session.account))
}

#[derive(Deserialize)]
struct ListQuery {
    /// Comma-separated statuses; each role has its own default.
    status: Option<String>,
}

async fn list_cases(
    State(state): State<AppState>,
    session: StaffSession,
    Query(query): Query<ListQuery>,
) -> AppResult<Json<StaffCaseList>> {
    use CaseStatus as S;
    let role = session.account.role;
    let statuses = match query.status.as_deref() {
        Some(list) => list
            .split(',')
            .map(|s| {
                CaseStatus::parse(s.trim()).ok_or_else(|| {
                    AppError::bad_request("unknown_status", format!("no status is called {s:?}"))
                })
            })
            .collect::<AppResult<Vec<_>>>()?,
        None => match role {
            StaffRole::Operator => vec![S::Submitted, S::Accepted],
            StaffRole::Dispatcher => vec![S::Accepted, S::ReturnRequested],
            StaffRole::UnitHandler => vec![
                S::Dispatched,
                S::Reopened,
                S::Claimed,
                S::InProgress,
                S::ReturnRequested,
            ],
            StaffRole::Supervisor | StaffRole::Admin => CaseStatus::ALL
                .iter()
                .copied()
                .filter(|s| s.is_open())
                .collect(),
        },
    };
    let filter = CaseFilter {
        statuses,
        unit_id: (role == StaffRole::UnitHandler)
            .then(|| session.account.unit_id.clone())
            .flatten(),
        limit: 500,
    };
    let cases = state.store.list_cases(&filter).await?;
    Ok(Json(StaffCaseList {
        cases: cases
            .into_iter()
            .map(|c| staff_view(c, role, Disclosure::Masked, &state.rules))
            .collect(),
    }))
}

async fn get_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<StaffCaseView>> {
    Ok(Json(contact::open(&state, &session, &case_number).await?))
}

async fn reveal_contact(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<StaffCaseView>> {
    Ok(Json(contact::reveal(&state, &session, &case_number).await?))
}

async fn contact_access_log(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<ContactAccessLog>> {
    Ok(Json(
        contact::access_log(&state, &session, &case_number).await?,
    ))
}

async fn act(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
    roles: &[StaffRole],
    command: StaffCommand,
) -> AppResult<Json<StaffCaseView>> {
    session.require(roles)?;
    Ok(Json(
        handling::staff_act(state, session, case_number, command).await?,
    ))
}

async fn dispatch_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(request): ApiJson<DispatchRequest>,
) -> AppResult<Json<StaffCaseView>> {
    let command = StaffCommand::Dispatch(request);
    act(
        &state,
        &session,
        &case_number,
        &[StaffRole::Dispatcher],
        command,
    )
    .await
}

async fn claim_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<StaffCaseView>> {
    let command = StaffCommand::Claim;
    act(
        &state,
        &session,
        &case_number,
        &[StaffRole::UnitHandler],
        command,
    )
    .await
}

async fn start_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<StaffCaseView>> {
    let command = StaffCommand::StartWork(body);
    act(
        &state,
        &session,
        &case_number,
        &[StaffRole::UnitHandler],
        command,
    )
    .await
}

async fn complete_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<StaffCaseView>> {
    let command = StaffCommand::Complete(body);
    act(
        &state,
        &session,
        &case_number,
        &[StaffRole::UnitHandler],
        command,
    )
    .await
}

async fn request_return(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<StaffCaseView>> {
    let command = StaffCommand::RequestReturn(body);
    act(
        &state,
        &session,
        &case_number,
        &[StaffRole::UnitHandler],
        command,
    )
    .await
}

async fn decide_return(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(decision): ApiJson<ReturnDecision>,
) -> AppResult<Json<StaffCaseView>> {
    let command = StaffCommand::DecideReturn(decision);
    act(
        &state,
        &session,
        &case_number,
        &[StaffRole::Dispatcher],
        command,
    )
    .await
}

async fn mark_invalid(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<StaffCaseView>> {
    let roles = &[StaffRole::Operator, StaffRole::Dispatcher];
    act(
        &state,
        &session,
        &case_number,
        roles,
        StaffCommand::MarkInvalid(body),
    )
    .await
}

async fn merge_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(request): ApiJson<MergeRequest>,
) -> AppResult<Json<StaffCaseView>> {
    let roles = &[StaffRole::Operator, StaffRole::Dispatcher];
    act(
        &state,
        &session,
        &case_number,
        roles,
        StaffCommand::Merge(request),
    )
    .await
}

/// Reminders and escalations: a supervisor sees all, a unit handler their unit's.
async fn list_supervision(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<SupervisionList>> {
    session.require(&[
        StaffRole::Supervisor,
        StaffRole::Admin,
        StaffRole::UnitHandler,
    ])?;
    let unit = match session.account.role {
        StaffRole::UnitHandler => session.account.unit_id.as_deref(),
        _ => None,
    };
    let fired = state.store.fired_nodes(unit, 500).await?;
    let nodes = fired
        .into_iter()
        .filter_map(|n| {
            Some(FiredNodeView {
                case_number: CaseNumber::parse(&n.case_number)?,
                kind: n.kind,
                outcome: n.outcome,
                unit_id: n.unit_id,
                due_at: n.due_at,
                fired_at: n.fired_at,
            })
        })
        .collect();
    Ok(Json(SupervisionList { nodes }))
}

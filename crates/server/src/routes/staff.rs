//! The staff API under `/api/v1/staff`: sign-in, the case lists each role works from, and every
//! staff action on a case. Each route checks the role; a unit handler sees only their unit.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::CaseReceipt;
use yousu_core::api::{
    ApiError, ContactAccessLog, DispatchRequest, FiredNodeView, LoginRequest, LoginResponse,
    MergeRequest, NoteRequest, PasswordChange, ReturnDecision, StaffAccountView, StaffCaseList,
    StaffCaseView, StaffRole, SupervisionList,
};
use yousu_core::{CaseDraft, CaseNumber, CaseStatus};

use crate::app::AppState;
use crate::auth::{self, StaffSession};
use crate::client_addr::ClientIp;
use crate::error::{ApiJson, AppError, AppResult};
use crate::rate_limit::Door;
use crate::services::contact;
use crate::services::handling::{self, StaffCommand};
use crate::services::views::{Disclosure, staff_view};
use crate::store::handling::CaseFilter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(list_cases, enter_case))
        .routes(routes!(list_supervision))
        .routes(routes!(get_case))
        .routes(routes!(reveal_contact))
        .routes(routes!(contact_access_log))
        .routes(routes!(dispatch_case))
        .routes(routes!(claim_case))
        .routes(routes!(start_case))
        .routes(routes!(note_progress))
        .routes(routes!(complete_case))
        .routes(routes!(request_return))
        .routes(routes!(decide_return))
        .routes(routes!(mark_invalid))
        .routes(routes!(merge_case))
}

/// Sign in; the token goes in `Authorization: Bearer` for 12 hours.
#[utoipa::path(post, path = "/staff/login", tag = "staff", request_body = LoginRequest,
    responses((status = 422, body = ApiError), (status = 415, body = ApiError), (status = 413, body = ApiError), (status = 400, body = ApiError), (status = 200, body = LoginResponse), (status = 401, body = ApiError), (status = 429, body = ApiError)))]
async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> AppResult<Json<LoginResponse>> {
    state.limiter.check(Door::Login, client).await?;
    Ok(Json(auth::login(&state, request).await?))
}

/// End this session.
#[utoipa::path(post, path = "/staff/logout", tag = "staff", security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError)))]
async fn logout(State(state): State<AppState>, session: StaffSession) -> AppResult<StatusCode> {
    state.store.delete_session(&session.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End every session of this account.
#[utoipa::path(post, path = "/staff/logout-everywhere", tag = "staff", security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError)))]
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

/// Change this account's own password; every other session of the account ends.
#[utoipa::path(post, path = "/staff/password", tag = "staff", request_body = PasswordChange,
    security(("staff_session" = [])),
    responses((status = 204), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn change_password(
    State(state): State<AppState>,
    session: StaffSession,
    ApiJson(change): ApiJson<PasswordChange>,
) -> AppResult<StatusCode> {
    auth::change_password(&state, &session, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/staff/me", tag = "staff",  security(("staff_session" = [])),
    responses((status = 200, body = StaffAccountView), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn me(session: StaffSession) -> Json<StaffAccountView> {
    Json(auth::account_view(&session.account))
}

/// Enter an appeal taken by hotline, letter, visit or the media (operator, dispatcher, admin):
/// the resident's rules, the channel named, the staff member on the timeline. Send an
/// `Idempotency-Key` as with any submission.
#[utoipa::path(post, path = "/staff/cases", tag = "staff", request_body = CaseDraft,
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{22,128}$",
        description = "22 to 128 visible ASCII characters, random per appeal")),
    security(("staff_session" = [])),
    responses((status = 201, body = CaseReceipt), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn enter_case(
    State(state): State<AppState>,
    session: StaffSession,
    headers: axum::http::HeaderMap,
    ApiJson(draft): ApiJson<CaseDraft>,
) -> AppResult<axum::response::Response> {
    let key = headers
        .get(yousu_core::api::IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok());
    let submission = crate::services::cases::enter_case(&state, &session, key, draft).await?;
    Ok(super::cases::submission_response(submission))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct ListQuery {
    /// Comma-separated statuses; each role has its own default.
    status: Option<String>,
}

/// The role's queue, oldest first: operator submitted/accepted, dispatcher accepted and return requests, unit handler its unit's open cases, supervisor and admin every open case.
#[utoipa::path(get, path = "/staff/cases", tag = "staff", params(ListQuery), security(("staff_session" = [])),
    responses((status = 200, body = StaffCaseList), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 400, body = ApiError)))]
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
            .map(|c| staff_view(c, role, Disclosure::Masked, &state.rules, state.clock))
            .collect(),
    }))
}

/// The case; platform staff see the contact in full (recorded), units masked.
#[utoipa::path(get, path = "/staff/cases/{case_number}", tag = "staff", params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = StaffCaseView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn get_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<StaffCaseView>> {
    Ok(Json(contact::open(&state, &session, &case_number).await?))
}

/// A unit reveals the resident's number to call back (recorded; refused when hidden).
#[utoipa::path(post, path = "/staff/cases/{case_number}/contact", tag = "staff", params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = StaffCaseView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn reveal_contact(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<StaffCaseView>> {
    Ok(Json(contact::reveal(&state, &session, &case_number).await?))
}

/// Who saw the case's contact details.
#[utoipa::path(get, path = "/staff/cases/{case_number}/contact-access", tag = "staff", params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = ContactAccessLog), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
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

/// Unit handler: claim the case (接单).
#[utoipa::path(post, path = "/staff/cases/{case_number}/claim", tag = "staff", params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = StaffCaseView), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
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

/// Reminders and escalations: a supervisor sees all, a unit handler their unit's.
/// Reminders and escalations fired by the supervision nodes.
#[utoipa::path(get, path = "/staff/supervision", tag = "staff",  security(("staff_session" = [])),
    responses((status = 200, body = SupervisionList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
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

/// One staff move on a case that carries a JSON body: its handler, its OpenAPI entry and the
/// roles allowed to make it.
macro_rules! case_move {
    ($(#[doc = $doc:literal])* $name:ident, $path:literal, $body:ident, $command:path,
     [$($role:ident),+]) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = "staff", request_body = $body,
            params(("case_number" = String, Path)), security(("staff_session" = [])),
            responses((status = 200, body = StaffCaseView), (status = 400, body = ApiError),
                (status = 401, body = ApiError), (status = 403, body = ApiError),
                (status = 404, body = ApiError), (status = 409, body = ApiError),
                (status = 413, body = ApiError), (status = 415, body = ApiError),
                (status = 422, body = ApiError)))]
        async fn $name(
            State(state): State<AppState>,
            session: StaffSession,
            Path(case_number): Path<String>,
            ApiJson(body): ApiJson<$body>,
        ) -> AppResult<Json<StaffCaseView>> {
            let roles = &[$(StaffRole::$role),+];
            act(&state, &session, &case_number, roles, $command(body)).await
        }
    };
}

case_move!(
    /// Dispatcher: send the case to its unit; the item sets the tier and deadline.
    dispatch_case, "/staff/cases/{case_number}/dispatch", DispatchRequest,
    StaffCommand::Dispatch, [Dispatcher]
);
case_move!(
    /// Unit handler: start work, with an optional progress note.
    start_case, "/staff/cases/{case_number}/start", NoteRequest,
    StaffCommand::StartWork, [UnitHandler]
);
/// Unit handler: a progress note the resident reads on the timeline; the status stays.
#[utoipa::path(post, path = "/staff/cases/{case_number}/note", tag = "staff", request_body = NoteRequest,
    params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = StaffCaseView), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
async fn note_progress(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<StaffCaseView>> {
    Ok(Json(
        handling::add_progress_note(&state, &session, &case_number, body).await?,
    ))
}

case_move!(
    /// Unit handler: complete with a reply to the resident.
    complete_case, "/staff/cases/{case_number}/complete", NoteRequest,
    StaffCommand::Complete, [UnitHandler]
);
case_move!(
    /// Unit handler: ask to give the case back, with a reason (the only way: 首接负责).
    request_return, "/staff/cases/{case_number}/return-request", NoteRequest,
    StaffCommand::RequestReturn, [UnitHandler]
);
case_move!(
    /// Dispatcher: the joint review (会商) redispatches or refuses.
    decide_return, "/staff/cases/{case_number}/return-decision", ReturnDecision,
    StaffCommand::DecideReturn, [Dispatcher]
);
case_move!(
    /// Operator or dispatcher: mark the appeal invalid, with a reason.
    mark_invalid, "/staff/cases/{case_number}/invalid", NoteRequest,
    StaffCommand::MarkInvalid, [Operator, Dispatcher]
);
case_move!(
    /// Operator or dispatcher: merge a duplicate into another case.
    merge_case, "/staff/cases/{case_number}/merge", MergeRequest,
    StaffCommand::Merge, [Operator, Dispatcher]
);

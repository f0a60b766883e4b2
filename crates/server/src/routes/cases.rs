//! `POST /api/v1/cases` (submit, idempotent) and `GET /api/v1/cases/{case_number}` (the resident's
//! view, opened by the case's access token or its lookup code).

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::CaseDraft;
use yousu_core::api::{API_PREFIX, IDEMPOTENCY_KEY_HEADER};
use yousu_core::api::{ApiError, CaseReceipt, CaseView, NoteRequest, RatingRequest};

use crate::app::AppState;
use crate::error::{ApiJson, AppResult};
use crate::rate_limit::Door;
use crate::services::cases::{self, Credential};
use crate::services::handling::{self, ResidentCommand};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit_case))
        .routes(routes!(get_case))
        .routes(routes!(rate_case))
        .routes(routes!(reopen_case))
        .routes(routes!(withdraw_case))
        .routes(routes!(add_information))
}

/// Submit an appeal. Send a random `Idempotency-Key` with it and again with every retry: the
/// same key and body replay the first answer (`Idempotent-Replayed: true`), another body under
/// the key is 422, a retry while the first attempt runs is 409.
#[utoipa::path(post, path = "/cases", tag = "resident", request_body = CaseDraft,
    params(("Idempotency-Key" = String, Header, pattern = "^[!-~]{22,128}$",
        description = "22 to 128 visible ASCII characters, random per submission")),
    responses(
        (status = 201, body = CaseReceipt, description = "accepted; the access token is shown only here"),
        (status = 400, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError), (status = 429, body = ApiError),
        (status = 503, body = ApiError, description = "the database is busy, locked or \
            unreachable: nothing was stored; send the same body with the same key again",
            headers(("Retry-After" = u64, description = "seconds to wait before sending again")))))]
async fn submit_case(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<CaseDraft>,
) -> AppResult<Response> {
    state.limiter.check(Door::Submit, client.ip())?;
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok());
    let submission = cases::submit_case(&state, key, draft).await?;
    Ok(submission_response(submission))
}

/// A submission's answer: 201 with the case's address, or the first answer replayed.
pub(crate) fn submission_response(submission: cases::Submission) -> Response {
    let location = format!("{API_PREFIX}/cases/{}", submission.case_number);
    let mut response = (
        submission.status,
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (header::LOCATION, location),
        ],
        submission.body,
    )
        .into_response();
    if submission.replayed {
        response.headers_mut().insert(
            HeaderName::from_static("idempotent-replayed"),
            HeaderValue::from_static("true"),
        );
    }
    response
}

#[derive(Deserialize, utoipa::IntoParams)]
struct LookupQuery {
    /// The lookup code, when not sending the access token.
    code: Option<String>,
}

/// The bearer access token, else the lookup code from the query.
fn credential(headers: &HeaderMap, code: Option<String>) -> Option<Credential> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|token| Credential::AccessToken(token.trim().to_owned()));
    bearer.or(code.map(Credential::LookupCode))
}

/// The case as its resident sees it, opened with its access token (bearer) or its lookup code.
/// A wrong credential answers exactly like an unknown number.
#[utoipa::path(get, path = "/cases/{case_number}", tag = "resident",
    params(("case_number" = String, Path), LookupQuery),
    security((), ("case_token" = [])),
    responses((status = 200, body = CaseView), (status = 404, body = ApiError), (status = 429, body = ApiError)))]
async fn get_case(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(case_number): Path<String>,
    Query(query): Query<LookupQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if query.code.is_some() {
        state.limiter.check(Door::Lookup, client.ip())?;
    }
    let case = cases::get_case(&state, &case_number, credential(&headers, query.code)).await?;
    Ok(private(Json(case)))
}

/// A case is personal: no shared cache may keep it.
fn private(body: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "private, no-store")], body).into_response()
}

/// Rate a completed case, once.
#[utoipa::path(post, path = "/cases/{case_number}/rating", tag = "resident", request_body = RatingRequest,
    params(("case_number" = String, Path)), security(("case_token" = [])),
    responses((status = 415, body = ApiError), (status = 413, body = ApiError), (status = 400, body = ApiError), (status = 200, body = CaseView), (status = 401, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn rate_case(
    State(state): State<AppState>,
    Path(case_number): Path<String>,
    headers: HeaderMap,
    ApiJson(rating): ApiJson<RatingRequest>,
) -> AppResult<Response> {
    let command = ResidentCommand::Rate(rating);
    let case =
        handling::resident_act(&state, &case_number, credential(&headers, None), command).await?;
    Ok(private(Json(case)))
}

/// Ask for re-handling (重办) once, after a dissatisfied rating.
#[utoipa::path(post, path = "/cases/{case_number}/reopen", tag = "resident", request_body = NoteRequest,
    params(("case_number" = String, Path)), security(("case_token" = [])),
    responses((status = 415, body = ApiError), (status = 413, body = ApiError), (status = 400, body = ApiError), (status = 200, body = CaseView), (status = 401, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn reopen_case(
    State(state): State<AppState>,
    Path(case_number): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Response> {
    let command = ResidentCommand::Reopen(body);
    let case =
        handling::resident_act(&state, &case_number, credential(&headers, None), command).await?;
    Ok(private(Json(case)))
}

/// Withdraw the appeal, until a unit claims it.
#[utoipa::path(post, path = "/cases/{case_number}/withdraw", tag = "resident", request_body = NoteRequest,
    params(("case_number" = String, Path)), security(("case_token" = [])),
    responses((status = 415, body = ApiError), (status = 413, body = ApiError), (status = 400, body = ApiError), (status = 200, body = CaseView), (status = 401, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn withdraw_case(
    State(state): State<AppState>,
    Path(case_number): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Response> {
    let command = ResidentCommand::Withdraw(body);
    let case =
        handling::resident_act(&state, &case_number, credential(&headers, None), command).await?;
    Ok(private(Json(case)))
}

/// Add information to an open case; the status stays.
#[utoipa::path(post, path = "/cases/{case_number}/information", tag = "resident", request_body = NoteRequest,
    params(("case_number" = String, Path)), security(("case_token" = [])),
    responses((status = 415, body = ApiError), (status = 413, body = ApiError), (status = 400, body = ApiError), (status = 200, body = CaseView), (status = 401, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
async fn add_information(
    State(state): State<AppState>,
    Path(case_number): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Response> {
    let credential = credential(&headers, None);
    let case = handling::add_information(&state, &case_number, credential, body).await?;
    Ok(private(Json(case)))
}

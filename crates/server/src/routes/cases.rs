//! `POST /api/v1/cases` (submit, idempotent) and `GET /api/v1/cases/{case_number}` (the resident's
//! view, opened by the case's access token or its lookup code).

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{API_PREFIX, IDEMPOTENCY_KEY_HEADER, LOOKUP_CODE_HEADER};
use yousu_core::api::{ApiError, CaseReceipt, CaseView, NoteRequest, RatingRequest};
use yousu_core::{CaseDraft, FieldError};

use crate::app::AppState;
use crate::client_addr::ClientIp;
use crate::error::{ApiJson, AppError, AppResult};
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
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<CaseDraft>,
) -> AppResult<Response> {
    state.limiter.check(Door::Submit, client).await?;
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

/// The bearer access token, else the lookup code from its header.
fn credential(headers: &HeaderMap) -> Option<Credential> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|token| Credential::AccessToken(token.trim().to_owned()));
    bearer.or_else(|| lookup_code(headers).map(Credential::LookupCode))
}

fn lookup_code(headers: &HeaderMap) -> Option<String> {
    headers
        .get(LOOKUP_CODE_HEADER)
        .map(|v| v.to_str().unwrap_or("not a code").to_owned())
}

/// Whether the query string names a `code`: the old way of sending the lookup code.
fn code_in_query(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        q.split('&')
            .any(|pair| pair.split('=').next().is_some_and(|k| k == "code"))
    })
}

/// The case as its resident sees it, opened with its access token (bearer) or its lookup code
/// (`X-Lookup-Code`). A wrong credential answers exactly like an unknown number. A lookup code in
/// the query string (the old form) is refused with 400: addresses are kept in logs and
/// histories, so the code must not travel in one.
#[utoipa::path(get, path = "/cases/{case_number}", tag = "resident",
    params(("case_number" = String, Path),
        ("X-Lookup-Code" = Option<String>, Header,
            description = "the case's lookup code, when not sending the access token")),
    security((), ("case_token" = [])),
    responses((status = 200, body = CaseView), (status = 400, body = ApiError),
        (status = 404, body = ApiError), (status = 429, body = ApiError)))]
async fn get_case(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(case_number): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> AppResult<Response> {
    if code_in_query(query.as_deref()) {
        return Err(AppError::BadFields {
            code: "lookup_code_in_query",
            message: "send the lookup code in the X-Lookup-Code header, not in the address".into(),
            fields: vec![FieldError::new(
                "code",
                "moved_to_header",
                "查询码请放在 X-Lookup-Code 请求头中发送，不要放在网址里",
                "send the lookup code in the X-Lookup-Code header, not in the address",
            )],
        });
    }
    let credential = credential(&headers);
    if matches!(credential, Some(Credential::LookupCode(_))) {
        state.limiter.check(Door::Lookup, client).await?;
    }
    let case = cases::get_case(&state, &case_number, credential).await?;
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
    let case = handling::resident_act(&state, &case_number, credential(&headers), command).await?;
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
    let case = handling::resident_act(&state, &case_number, credential(&headers), command).await?;
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
    let case = handling::resident_act(&state, &case_number, credential(&headers), command).await?;
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
    let credential = credential(&headers);
    let case = handling::add_information(&state, &case_number, credential, body).await?;
    Ok(private(Json(case)))
}

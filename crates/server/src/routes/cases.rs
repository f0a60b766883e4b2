//! `POST /api/v1/cases` (submit, idempotent) and `GET /api/v1/cases/{case_number}` (the resident's
//! view, opened by the case's access token or its lookup code).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use yousu_core::CaseDraft;
use yousu_core::api::{API_PREFIX, IDEMPOTENCY_KEY_HEADER};
use yousu_core::api::{NoteRequest, RatingRequest};

use crate::app::AppState;
use crate::error::{ApiJson, AppResult};
use crate::rate_limit::Door;
use crate::services::cases::{self, Credential};
use crate::services::handling::{self, ResidentCommand};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", post(submit_case))
        .route("/cases/{case_number}", get(get_case))
        .route("/cases/{case_number}/rating", post(rate_case))
        .route("/cases/{case_number}/reopen", post(reopen_case))
        .route("/cases/{case_number}/withdraw", post(withdraw_case))
        .route("/cases/{case_number}/information", post(add_information))
}

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
    Ok(response)
}

#[derive(Deserialize)]
struct LookupQuery {
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

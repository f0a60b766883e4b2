//! `POST /api/v1/cases` (submit, idempotent) and `GET /api/v1/cases/{case_number}` (the resident's
//! view, opened by the case's access token or its lookup code).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use yousu_core::CaseDraft;
use yousu_core::api::{API_PREFIX, IDEMPOTENCY_KEY_HEADER};

use crate::app::AppState;
use crate::error::{ApiJson, AppResult};
use crate::services::cases::{self, Credential};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", post(submit_case))
        .route("/cases/{case_number}", get(get_case))
}

async fn submit_case(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<CaseDraft>,
) -> AppResult<Response> {
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

async fn get_case(
    State(state): State<AppState>,
    Path(case_number): Path<String>,
    Query(query): Query<LookupQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|token| Credential::AccessToken(token.trim().to_owned()));
    let credential = bearer.or(query.code.map(Credential::LookupCode));
    let case = cases::get_case(&state, &case_number, credential).await?;
    // A case is personal: no shared cache may keep it.
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Json(case)).into_response())
}

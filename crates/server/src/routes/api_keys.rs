//! `/api/v1/staff/api-keys`: administrators issue, list and revoke Open311 API keys.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{ApiError, ApiKeyList, ApiKeyRequest, ApiKeyView};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{ApiJson, AppResult};
use crate::services::api_keys;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue_api_key, list_api_keys))
        .routes(routes!(revoke_api_key))
}

/// Issue a key for an Open311 client (admin). The secret is in this answer only.
#[utoipa::path(post, path = "/staff/api-keys", tag = "staff", request_body = ApiKeyRequest,
    security(("staff_session" = [])),
    responses((status = 201, body = ApiKeyView), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn issue_api_key(
    State(state): State<AppState>,
    session: StaffSession,
    ApiJson(request): ApiJson<ApiKeyRequest>,
) -> AppResult<(StatusCode, Json<ApiKeyView>)> {
    let key = api_keys::issue(&state, &session, request).await?;
    Ok((StatusCode::CREATED, Json(key)))
}

/// Every key issued, live or revoked, without secrets (admin).
#[utoipa::path(get, path = "/staff/api-keys", tag = "staff", security(("staff_session" = [])),
    responses((status = 200, body = ApiKeyList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_api_keys(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<ApiKeyList>> {
    Ok(Json(api_keys::list(&state, &session).await?))
}

/// Revoke a key (admin): submissions with it are refused from now on.
#[utoipa::path(post, path = "/staff/api-keys/{api_key_id}/revoke", tag = "staff",
    params(("api_key_id" = String, Path)), security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn revoke_api_key(
    State(state): State<AppState>,
    session: StaffSession,
    Path(api_key_id): Path<String>,
) -> AppResult<StatusCode> {
    api_keys::revoke(&state, &session, &api_key_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

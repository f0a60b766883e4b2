//! `GET /api/v1/health`: whether the server answers and its database takes writes — what a load
//! balancer or a monitor asks before sending appeals here.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::Health;

use crate::app::AppState;
use crate::error::{InternalError, RETRY_UNAVAILABLE_AFTER_SECS};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health))
}

/// Whether the server answers and its database takes writes.
///
/// 200 when a submission made now would be stored; 503 with `Retry-After` when the database does not answer or cannot be
/// written now (`status` says which).
#[utoipa::path(get, path = "/health", tag = "platform",
    responses(
        (status = 200, body = Health, description = "the database answers and takes writes"),
        (status = 503, body = Health, description = "the database does not answer \
            (`unavailable`) or cannot be written now (`read_only`)",
            headers(("Retry-After" = u64, description = "seconds to wait before asking again")))))]
async fn get_health(State(state): State<AppState>) -> Response {
    let problem = match state.store.ping().await {
        Err(error) => Some(("unavailable", error)),
        Ok(()) => state
            .store
            .probe_writes()
            .await
            .err()
            .map(|error| ("read_only", error)),
    };
    let health = Health {
        status: problem.as_ref().map_or("ok", |(status, _)| status).into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().into(),
        writable: problem.is_none(),
        server_time: state.clock.now(),
    };
    let Some((_, error)) = problem else {
        return Json(health).into_response();
    };
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(health)).into_response();
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(RETRY_UNAVAILABLE_AFTER_SECS),
    );
    // The request log says why, once.
    response
        .extensions_mut()
        .insert(InternalError(error.to_string()));
    response
}

//! `GET /api/v1/health`: whether the server and its database answer.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{ApiError, Health};

use crate::app::AppState;
use crate::error::AppResult;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health))
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/health", tag = "platform",
    responses((status = 200, body = Health), (status = 503, body = ApiError)))]
async fn get_health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().into(),
        server_time: state.clock.now(),
    }))
}

//! `GET /api/v1/health`: whether the server and its database answer.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::Utc;
use yousu_core::api::Health;

use crate::app::AppState;
use crate::error::AppResult;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(get_health))
}

async fn get_health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    state.store.ping().await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().into(),
        server_time: Utc::now(),
    }))
}

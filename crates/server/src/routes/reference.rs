//! `GET /api/v1/catalog`, `/grid` and `/units`: what residents and staff choose from.

use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(get_catalog))
        .route("/grid", get(get_grid))
        .route("/units", get(get_units))
}

async fn get_catalog(State(state): State<AppState>) -> impl IntoResponse {
    state.reference.catalog_json.clone()
}

async fn get_grid(State(state): State<AppState>) -> impl IntoResponse {
    state.reference.grid_json.clone()
}

async fn get_units(State(state): State<AppState>) -> impl IntoResponse {
    state.reference.units_json.clone()
}

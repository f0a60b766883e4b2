//! `GET /api/v1/catalog`, `/grid` and `/units`: what residents and staff choose from.

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use yousu_core::catalog::SearchResults;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(get_catalog))
        .route("/grid", get(get_grid))
        .route("/units", get(get_units))
        .route("/catalog/search", get(search_catalog))
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

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// The dispatch items matching the words, best first (at most 20).
async fn search_catalog(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Json<SearchResults> {
    Json(SearchResults {
        items: state.reference.catalog.search(&query.q, 20),
    })
}

//! `GET /api/v1/catalog`, `/grid` and `/units`: what residents and staff choose from.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::catalog::{Catalog, Grid, SearchResults, Units};

use crate::app::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_catalog))
        .routes(routes!(get_grid))
        .routes(routes!(get_units))
        .routes(routes!(search_catalog))
}

/// The dispatch catalogue: categories and their dispatch items (派单事项).
#[utoipa::path(get, path = "/catalog", tag = "reference", responses((status = 200, body = Catalog)))]
async fn get_catalog(State(state): State<AppState>) -> impl IntoResponse {
    state.reference.catalog_json.clone()
}

/// District → subdistrict → community.
#[utoipa::path(get, path = "/grid", tag = "reference", responses((status = 200, body = Grid)))]
async fn get_grid(State(state): State<AppState>) -> impl IntoResponse {
    state.reference.grid_json.clone()
}

/// The responsible units (责任单位).
#[utoipa::path(get, path = "/units", tag = "reference", responses((status = 200, body = Units)))]
async fn get_units(State(state): State<AppState>) -> impl IntoResponse {
    state.reference.units_json.clone()
}

#[derive(Deserialize, utoipa::IntoParams)]
struct SearchQuery {
    /// Words to look for, Chinese or English.
    #[serde(default)]
    q: String,
}

/// The dispatch items matching the words, best first (at most 20).
#[utoipa::path(get, path = "/catalog/search", tag = "reference", params(SearchQuery),
    responses((status = 200, body = SearchResults)))]
async fn search_catalog(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Json<SearchResults> {
    Json(SearchResults {
        items: state.reference.catalog.search(&query.q, 20),
    })
}

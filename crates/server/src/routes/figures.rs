//! `GET /api/v1/evaluation` and `GET /api/v1/figures`: public, with counts and no personal data.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{ApiError, Evaluation, Figures};

use crate::app::AppState;
use crate::error::AppResult;
use crate::services::figures;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_evaluation))
        .routes(routes!(get_figures))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct MonthQuery {
    /// `YYYY-MM`; the current month in the city when absent.
    month: Option<String>,
}

/// The monthly evaluation (评) of every unit: each rate with the counts it rests on.
#[utoipa::path(get, path = "/evaluation", tag = "figures", params(MonthQuery),
    responses((status = 200, body = Evaluation), (status = 400, body = ApiError)))]
async fn get_evaluation(
    State(state): State<AppState>,
    Query(query): Query<MonthQuery>,
) -> AppResult<Json<Evaluation>> {
    let month = figures::month(&state, query.month.as_deref())?;
    Ok(Json(figures::evaluation(&state, month).await?))
}

/// The public figures (宣) of a month.
#[utoipa::path(get, path = "/figures", tag = "figures", params(MonthQuery),
    responses((status = 200, body = Figures), (status = 400, body = ApiError)))]
async fn get_figures(
    State(state): State<AppState>,
    Query(query): Query<MonthQuery>,
) -> AppResult<Json<Figures>> {
    let month = figures::month(&state, query.month.as_deref())?;
    Ok(Json(figures::figures(&state, month).await?))
}

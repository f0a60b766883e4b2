//! `GET /api/v1/evaluation` and `GET /api/v1/figures`: public, with counts and no personal data.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use yousu_core::api::{Evaluation, Figures};

use crate::app::AppState;
use crate::error::AppResult;
use crate::services::figures;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evaluation", get(get_evaluation))
        .route("/figures", get(get_figures))
}

#[derive(Deserialize)]
struct MonthQuery {
    month: Option<String>,
}

async fn get_evaluation(
    State(state): State<AppState>,
    Query(query): Query<MonthQuery>,
) -> AppResult<Json<Evaluation>> {
    let month = figures::month(query.month.as_deref())?;
    Ok(Json(figures::evaluation(&state, month).await?))
}

async fn get_figures(
    State(state): State<AppState>,
    Query(query): Query<MonthQuery>,
) -> AppResult<Json<Figures>> {
    let month = figures::month(query.month.as_deref())?;
    Ok(Json(figures::figures(&state, month).await?))
}

//! `POST /api/v1/suggestions` (proposals and likely duplicates for an appeal being written),
//! `GET /api/v1/staff/cases/{n}/suggestions` (the dispatcher's) and
//! `GET /api/v1/public/cases/{n}` (a case anyone may follow).

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{ApiError, PublicCaseView, SuggestionRequest, Suggestions};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::client_addr::ClientIp;
use crate::error::{ApiJson, AppResult};
use crate::rate_limit::Door;
use crate::services::suggestions;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(suggest))
        .routes(routes!(suggest_for_case))
        .routes(routes!(get_public_case))
}

/// The units and dispatch items the platform proposes for an appeal being written (the
/// resident's "not sure", the operator's intake), and open cases it likely duplicates in the
/// same community. Empty lists when the engine has nothing to say: never a reason to wait.
#[utoipa::path(post, path = "/suggestions", tag = "resident", request_body = SuggestionRequest,
    responses((status = 200, body = Suggestions), (status = 400, body = ApiError), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError)))]
async fn suggest(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    ApiJson(request): ApiJson<SuggestionRequest>,
) -> AppResult<Json<Suggestions>> {
    state.limiter.check(Door::Suggest, client).await?;
    Ok(Json(suggestions::for_draft(&state, &request)?))
}

/// The dispatcher's proposals for a case: the best three units and items, the pre-selected one
/// when the engine is confident enough, and likely duplicates to merge.
#[utoipa::path(get, path = "/staff/cases/{case_number}/suggestions", tag = "staff",
    params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = Suggestions), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn suggest_for_case(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<Suggestions>> {
    Ok(Json(
        suggestions::for_case(&state, &session, &case_number).await?,
    ))
}

/// A case as anyone may follow it (a resident whose problem was already reported): status,
/// deadline and the words with digit runs masked; nothing personal.
#[utoipa::path(get, path = "/public/cases/{case_number}", tag = "resident",
    params(("case_number" = String, Path)),
    responses((status = 200, body = PublicCaseView), (status = 404, body = ApiError)))]
async fn get_public_case(
    State(state): State<AppState>,
    Path(case_number): Path<String>,
) -> AppResult<Json<PublicCaseView>> {
    Ok(Json(suggestions::public_case(&state, &case_number).await?))
}

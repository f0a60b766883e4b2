//! Supervision notices (督办单) and whistles (吹哨报到) under `/api/v1/staff`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{
    ApiError, NoteRequest, NoticeList, NoticeRequest, NoticeView, WhistleList, WhistleRequest,
    WhistleView,
};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{ApiJson, AppError, AppResult};
use crate::services::oversight;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue_notice))
        .routes(routes!(acknowledge_notice))
        .routes(routes!(list_notices))
        .routes(routes!(blow_whistle))
        .routes(routes!(report_whistle))
        .routes(routes!(case_whistles))
        .routes(routes!(list_whistles))
}

/// Issue a supervision notice (督办单) to the case's unit (supervisor, admin).
#[utoipa::path(post, path = "/staff/cases/{case_number}/notices", tag = "staff",
    request_body = NoticeRequest, params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 201, body = NoticeView), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn issue_notice(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(request): ApiJson<NoticeRequest>,
) -> AppResult<(StatusCode, Json<NoticeView>)> {
    let notice = oversight::issue_notice(&state, &session, &case_number, request).await?;
    Ok((StatusCode::CREATED, Json(notice)))
}

/// Acknowledge a notice to one's unit (unit handler), once.
#[utoipa::path(post, path = "/staff/notices/{notice_id}/acknowledge", tag = "staff",
    params(("notice_id" = i64, Path)), security(("staff_session" = [])),
    responses((status = 200, body = NoticeView), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn acknowledge_notice(
    State(state): State<AppState>,
    session: StaffSession,
    Path(notice_id): Path<String>,
) -> AppResult<Json<NoticeView>> {
    let notice_id = id(&notice_id, "notice")?;
    Ok(Json(
        oversight::acknowledge_notice(&state, &session, notice_id).await?,
    ))
}

/// A numeric id from the path; anything else names nothing (404, in our error shape).
fn id(text: &str, what: &'static str) -> AppResult<i64> {
    text.parse().map_err(|_| AppError::NotFound(what))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct PendingQuery {
    /// Only notices not acknowledged yet.
    #[serde(default)]
    pending: bool,
}

/// Supervision notices, newest first: all for supervisors and admins, a unit's for its handler.
#[utoipa::path(get, path = "/staff/notices", tag = "staff", params(PendingQuery),
    security(("staff_session" = [])),
    responses((status = 200, body = NoticeList), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError)))]
async fn list_notices(
    State(state): State<AppState>,
    session: StaffSession,
    Query(query): Query<PendingQuery>,
) -> AppResult<Json<NoticeList>> {
    Ok(Json(
        oversight::notices(&state, &session, query.pending).await?,
    ))
}

/// Blow the whistle (吹哨) on a case for a subdistrict, summoning units to report (dispatcher,
/// supervisor, admin).
#[utoipa::path(post, path = "/staff/cases/{case_number}/whistle", tag = "staff",
    request_body = WhistleRequest, params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 201, body = WhistleView), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn blow_whistle(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
    ApiJson(request): ApiJson<WhistleRequest>,
) -> AppResult<(StatusCode, Json<WhistleView>)> {
    let whistle = oversight::blow_whistle(&state, &session, &case_number, request).await?;
    Ok((StatusCode::CREATED, Json(whistle)))
}

/// Report (报到) on a whistle that summons one's unit, stating its part (unit handler), once.
#[utoipa::path(post, path = "/staff/whistles/{whistle_id}/report", tag = "staff",
    request_body = NoteRequest, params(("whistle_id" = i64, Path)), security(("staff_session" = [])),
    responses((status = 200, body = WhistleView), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn report_whistle(
    State(state): State<AppState>,
    session: StaffSession,
    Path(whistle_id): Path<String>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> AppResult<Json<WhistleView>> {
    let whistle_id = id(&whistle_id, "whistle")?;
    Ok(Json(
        oversight::report(&state, &session, whistle_id, body).await?,
    ))
}

/// The whistles on a case: who was summoned, who reported and who has not.
#[utoipa::path(get, path = "/staff/cases/{case_number}/whistles", tag = "staff",
    params(("case_number" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = WhistleList), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)))]
async fn case_whistles(
    State(state): State<AppState>,
    session: StaffSession,
    Path(case_number): Path<String>,
) -> AppResult<Json<WhistleList>> {
    Ok(Json(
        oversight::whistles(&state, &session, Some(&case_number)).await?,
    ))
}

/// Whistles summoning the handler's unit; for dispatchers, supervisors and admins, every
/// whistle still waiting for a report.
#[utoipa::path(get, path = "/staff/whistles", tag = "staff", security(("staff_session" = [])),
    responses((status = 200, body = WhistleList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_whistles(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<WhistleList>> {
    Ok(Json(oversight::whistles(&state, &session, None).await?))
}

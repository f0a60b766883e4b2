//! `GET /api/v1/staff/live` (server-sent events) and `GET /api/v1/staff/live/today`: the wall
//! screen's figures (宣) for any signed-in staff member.

use axum::Json;
use axum::extract::State;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{ApiError, LiveFigures};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::AppResult;
use crate::services::live;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(live_stream))
        .routes(routes!(live_today))
}

/// Today's figures as server-sent events named `figures` (JSON `LiveFigures`): one at once, then
/// one within a second of each change. Send the staff session as a bearer token (read the
/// stream with fetch; EventSource cannot send it). The stream ends within seconds of the
/// session ending (signed out, everywhere too, the account disabled, or expired).
#[utoipa::path(get, path = "/staff/live", tag = "figures", security(("staff_session" = [])),
    responses((status = 200, content_type = "text/event-stream", body = LiveFigures),
        (status = 401, body = ApiError)))]
async fn live_stream(State(state): State<AppState>, session: StaffSession) -> Response {
    Sse::new(live::stream(state, session.token_hash))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Today's figures once: received, finished and on time today, open and overdue now, by
/// category and district, and the last 30 days' hot spots.
#[utoipa::path(get, path = "/staff/live/today", tag = "figures", security(("staff_session" = [])),
    responses((status = 200, body = LiveFigures), (status = 401, body = ApiError)))]
async fn live_today(
    State(state): State<AppState>,
    _session: StaffSession,
) -> AppResult<Json<LiveFigures>> {
    Ok(Json(live::today(&state).await?))
}

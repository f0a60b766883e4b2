//! `POST /api/v1/photos` (upload one photo before submitting) and `GET /api/v1/photos/{id}`.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::api::{ApiError, PhotoReceipt};
use yousu_core::photo::MAX_PHOTO_BYTES;

use crate::app::AppState;
use crate::client_addr::ClientIp;
use crate::error::{ApiJson, AppError, AppResult};
use crate::rate_limit::Door;
use crate::services::photos;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_photo))
        .routes(routes!(get_photo))
        // A photo is bigger than any JSON body; past this the answer is 413.
        .layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES))
}

/// Upload one photo (JPEG, PNG or WebP, at most 10 MB; the kind is read from the content). It is
/// decoded and encoded afresh, upright and without its EXIF (a WebP is kept as JPEG); one that
/// does not decode is refused (422). Then name its id in the submission's `photo_ids`; a photo no
/// submission takes is deleted after a day. An address's photos per hour are limited (429), and
/// so are all photos not yet in a case together (503); both answer with `Retry-After`.
#[utoipa::path(post, path = "/photos", tag = "resident",
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, body = PhotoReceipt), (status = 413, body = ApiError),
        (status = 415, body = ApiError), (status = 422, body = ApiError), (status = 429, body = ApiError),
        (status = 503, body = ApiError)))]
async fn upload_photo(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !declared.starts_with("image/") {
        return Err(AppError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_an_image",
            "send the photo itself as the body, with an image/jpeg, image/png or image/webp type",
        ));
    }
    state.limiter.check(Door::Upload, client).await?;
    let receipt = photos::upload(&state, client, body).await?;
    Ok((StatusCode::CREATED, ApiJson(receipt)).into_response())
}

/// A photo of a case. Its id is random and its content never changes, so the browser may keep
/// it for a day; a shared cache may not (a photo can show a face, a door, a number plate).
#[utoipa::path(get, path = "/photos/{photo_id}", tag = "resident",
    params(("photo_id" = String, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ApiError)))]
async fn get_photo(
    State(state): State<AppState>,
    Path(photo_id): Path<String>,
) -> AppResult<Response> {
    let (content_type, bytes) = photos::get(&state, &photo_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                "private, max-age=86400, immutable".to_owned(),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

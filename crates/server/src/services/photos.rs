//! Photos: checked by content, kept in the database (so every instance serves them), attached to
//! a case by its submission.

use yousu_core::api::PhotoReceipt;
use yousu_core::photo::check_photo;
use yousu_core::{PhotoId, PhotoKind};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::services::cases::random_hex;

/// Checks and keeps one uploaded photo; `field` names where it came from, for the error.
pub async fn keep(state: &AppState, field: &str, bytes: &[u8]) -> AppResult<(PhotoId, PhotoKind)> {
    let kind = check_photo(field, bytes).map_err(|e| AppError::Invalid(vec![e]))?;
    let photo_id = PhotoId::parse(&random_hex::<16>()).expect("16 random bytes are a photo id");
    state
        .store
        .insert_photo(&photo_id, kind, bytes, state.clock.now())
        .await?;
    Ok((photo_id, kind))
}

pub async fn upload(state: &AppState, bytes: &[u8]) -> AppResult<PhotoReceipt> {
    let (photo_id, kind) = keep(state, "photo", bytes).await?;
    Ok(PhotoReceipt {
        photo_id,
        kind,
        bytes: bytes.len() as u64,
    })
}

/// A photo's content type and bytes; an id that is not one looks like a missing photo.
pub async fn get(state: &AppState, photo_id: &str) -> AppResult<(String, Vec<u8>)> {
    let id = PhotoId::parse(photo_id).ok_or(AppError::NotFound("photo"))?;
    state
        .store
        .photo(&id)
        .await?
        .ok_or(AppError::NotFound("photo"))
}

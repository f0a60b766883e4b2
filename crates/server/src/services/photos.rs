//! Photos: checked by content, decoded and encoded afresh (so nothing the camera wrote beside
//! the picture — its GPS position above all — is kept, and what is not a whole image is
//! refused), kept in the database (so every instance serves them), attached to a case by its
//! submission.

use std::sync::LazyLock;

use axum::body::Bytes;
use tokio::sync::Semaphore;
use yousu_core::api::PhotoReceipt;
use yousu_core::photo::{check_photo, oversized_photo, unreadable_photo};
use yousu_core::{PhotoId, PhotoKind};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::photo_codec::{self, reencode};
use crate::services::cases::random_hex;

/// Decodings at once, one per core: a 48-megapixel photo takes 150 MB while decoded, so a burst
/// of uploads queues here rather than taking the server's memory.
static DECODING: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
});

/// A photo as kept: its id, its kind and its size after re-encoding.
pub struct Kept {
    pub photo_id: PhotoId,
    pub kind: PhotoKind,
    pub bytes: u64,
}

/// Checks, re-encodes and keeps one photo; `field` names where it came from, for the error.
pub async fn keep(state: &AppState, field: &str, bytes: Bytes) -> AppResult<Kept> {
    let kind = check_photo(field, &bytes).map_err(|e| AppError::Invalid(vec![e]))?;
    let _permit = DECODING
        .acquire()
        .await
        .expect("the semaphore is never closed");
    let reencoded = tokio::task::spawn_blocking(move || reencode(kind, &bytes))
        .await
        .unwrap_or_else(|panicked| {
            tracing::warn!(%panicked, "the image decoder panicked on an upload");
            Err(photo_codec::Error::Unreadable)
        })
        .map_err(|error| {
            AppError::Invalid(vec![match error {
                photo_codec::Error::Unreadable => unreadable_photo(field),
                photo_codec::Error::TooManyPixels => oversized_photo(field),
            }])
        })?;
    let photo_id = PhotoId::parse(&random_hex::<16>()).expect("16 random bytes are a photo id");
    state
        .store
        .insert_photo(
            &photo_id,
            reencoded.kind,
            &reencoded.bytes,
            state.clock.now(),
        )
        .await?;
    Ok(Kept {
        photo_id,
        kind: reencoded.kind,
        bytes: reencoded.bytes.len() as u64,
    })
}

pub async fn upload(state: &AppState, bytes: Bytes) -> AppResult<PhotoReceipt> {
    let kept = keep(state, "photo", bytes).await?;
    Ok(PhotoReceipt {
        photo_id: kept.photo_id,
        kind: kept.kind,
        bytes: kept.bytes,
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

//! Sending one appeal, from the form or from the outbox: its photos first (each id kept as soon
//! as the platform gives it, so a retry reuses it and the case's body never changes under its
//! idempotency key), then the case.

use yousu_core::CaseDraft;

use crate::api::{self, ApiFailure, ApiResult, Receipt};
use crate::native::{self, UploadFailure};
use crate::store::draft::{self, DraftPhoto, Proxy};

/// Uploads what is not uploaded yet and sends the case. `keep` is told of every photo id won,
/// so it can be saved at once. A photo the phone lost is dropped (the rest still go).
pub async fn deliver(
    idempotency_key: &str,
    case: &CaseDraft,
    proxy: Option<&Proxy>,
    photos: &mut Vec<DraftPhoto>,
    keep: impl Fn(&[DraftPhoto]),
) -> ApiResult<(Receipt, bool)> {
    let mut i = 0;
    while i < photos.len() {
        if photos[i].photo_id.is_none() {
            match native::upload_photo(&photos[i].key).await {
                Ok(id) => photos[i].photo_id = Some(id),
                Err(UploadFailure::Network) => return Err(ApiFailure::Network),
                Err(UploadFailure::Lost) => {
                    photos.remove(i);
                    keep(photos);
                    continue;
                }
            }
            keep(photos);
        }
        i += 1;
    }
    api::submit_case(idempotency_key, &draft::outgoing(case, photos, proxy)).await
}

/// Once the case is acknowledged its photos are the platform's: the phone's copies go.
pub fn forget_photos(photos: &[DraftPhoto]) {
    for photo in photos {
        native::forget_photo(&photo.key);
    }
}

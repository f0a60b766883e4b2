//! Photos: checked by content, decoded and encoded afresh (so nothing the camera wrote beside
//! the picture — its GPS position above all — is kept, and what is not a whole image is
//! refused), counted against the uploader's hourly quota and the cap on photos no case has taken
//! yet, kept in the database (so every instance serves them), attached to a case by its
//! submission.

use std::net::IpAddr;
use std::sync::LazyLock;

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use tokio::sync::Semaphore;
use yousu_core::api::PhotoReceipt;
use yousu_core::photo::{check_photo, oversized_photo, unreadable_photo};
use yousu_core::{PhotoId, PhotoKind};

use crate::app::AppState;
use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::photo_codec::{self, reencode};
use crate::services::cases::{random_hex, sha256_hex};
use crate::store::open311::{NewPhoto, PhotoLimits, PhotoUsage};

/// How many bytes of photos one client address may keep per hour, and all photos not yet
/// attached to a case together (`--photo-quota-mb`, `--unattached-photos-mb`).
#[derive(Clone, Copy, Debug)]
pub struct PhotoQuota {
    pub per_address_per_hour: i64,
    pub unattached: i64,
}

impl PhotoQuota {
    pub fn of(config: &Config) -> Self {
        Self {
            per_address_per_hour: mebibytes(config.photo_quota_mb),
            unattached: mebibytes(config.unattached_photos_mb),
        }
    }
}

/// MiB as bytes; 0 (off) as no limit.
fn mebibytes(mb: u64) -> i64 {
    match mb {
        0 => i64::MAX,
        mb => i64::try_from(mb.saturating_mul(1024 * 1024)).unwrap_or(i64::MAX),
    }
}

/// The window an address's quota counts in.
const QUOTA_HOURS: i64 = 1;

/// When to come back while unattached photos are at their cap: the abandoned ones of a day ago
/// are deleted every ten minutes, and appeals take theirs at any moment.
const FULL_RETRY_AFTER_SECS: u64 = 600;

/// Decodings at once, one per core: a 48-megapixel photo takes 150 MB while decoded, so a burst
/// of uploads queues here rather than taking the server's memory.
static DECODING: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
});

/// What the quota counts an address under: its hash, never the address itself; an IPv6 client
/// by its /64, as one household or phone is given a whole /64.
fn uploader_of(client: IpAddr) -> String {
    let bucket = match client {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    };
    sha256_hex(format!("photo-uploader/{bucket}").as_bytes())[..32].to_owned()
}

/// A photo as kept: its id, its kind and its size after re-encoding.
pub struct Kept {
    pub photo_id: PhotoId,
    pub kind: PhotoKind,
    pub bytes: u64,
}

/// Checks, re-encodes and keeps one photo uploaded from `client`; `field` names where it came
/// from, for the error.
pub async fn keep(state: &AppState, field: &str, client: IpAddr, bytes: Bytes) -> AppResult<Kept> {
    let kind = check_photo(field, &bytes).map_err(|e| AppError::Invalid(vec![e]))?;
    let quota = state.photo_quota;
    let uploader = uploader_of(client);
    let since = state.clock.now() - chrono::Duration::hours(QUOTA_HOURS);
    // Refused before any decoding, which is what costs.
    let usage = state.store.photo_usage(&uploader, since).await?;
    check_room(&quota, &usage, 1, state.clock.now())?;

    // Held until the photo is stored, which also narrows the moment in which two uploads could
    // both pass the quota on PostgreSQL.
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
    let now = state.clock.now();
    let photo = NewPhoto {
        photo_id: &photo_id,
        kind: reencoded.kind,
        bytes: &reencoded.bytes,
        uploader: &uploader,
        now,
    };
    let limits = PhotoLimits {
        since: now - chrono::Duration::hours(QUOTA_HOURS),
        uploader_bytes: quota.per_address_per_hour,
        unattached_bytes: quota.unattached,
    };
    let size = reencoded.bytes.len() as i64;
    if !state.store.insert_photo(&photo, &limits).await? {
        let usage = state.store.photo_usage(&uploader, limits.since).await?;
        check_room(&quota, &usage, size, now)?;
        // Room again by now (another photo was attached meanwhile): the client may simply retry.
        return Err(AppError::RateLimited {
            retry_after_secs: 1,
            message: "the photo could not be kept just now; send it again".to_owned(),
        });
    }
    Ok(Kept {
        photo_id,
        kind: reencoded.kind,
        bytes: size as u64,
    })
}

/// Whether `incoming` more bytes fit: 429 when the address has used its hour (until its oldest
/// upload leaves the window), 503 when unattached photos are at the platform's cap.
fn check_room(
    quota: &PhotoQuota,
    usage: &PhotoUsage,
    incoming: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    if usage.uploader_bytes.saturating_add(incoming) > quota.per_address_per_hour {
        let frees_at = usage
            .uploader_oldest
            .map_or(now, |oldest| oldest + chrono::Duration::hours(QUOTA_HOURS));
        let wait = (frees_at - now).num_seconds().clamp(1, QUOTA_HOURS * 3600);
        return Err(AppError::RateLimited {
            retry_after_secs: wait as u64,
            message: "this address has uploaded as many photos as an hour allows; \
                      wait and try again"
                .to_owned(),
        });
    }
    if usage.unattached_bytes.saturating_add(incoming) > quota.unattached {
        return Err(AppError::Unavailable {
            retry_after_secs: FULL_RETRY_AFTER_SECS,
            code: "photos_full",
            message: "the platform takes no more photos just now; try again later".to_owned(),
        });
    }
    Ok(())
}

pub async fn upload(state: &AppState, client: IpAddr, bytes: Bytes) -> AppResult<PhotoReceipt> {
    let kept = keep(state, "photo", client, bytes).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_counted_by_a_hash_and_ipv6_by_its_64() {
        let a = uploader_of("2001:db8:1:2::1".parse().unwrap());
        let b = uploader_of("2001:db8:1:2:ffff::9".parse().unwrap());
        let c = uploader_of("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b, "one /64, one quota");
        assert_ne!(a, c);
        let v4 = uploader_of("203.0.113.7".parse().unwrap());
        assert_eq!(v4, uploader_of("::ffff:203.0.113.7".parse().unwrap()));
        assert!(!v4.contains("203"), "never the address itself");
        assert_eq!(v4.len(), 32);
    }

    #[test]
    fn the_quota_answers_429_and_the_cap_503_with_when_to_retry() {
        let quota = PhotoQuota {
            per_address_per_hour: 1000,
            unattached: 5000,
        };
        let now = Utc::now();
        let usage = PhotoUsage {
            uploader_bytes: 900,
            uploader_oldest: Some(now - chrono::Duration::minutes(45)),
            unattached_bytes: 4000,
        };
        assert!(check_room(&quota, &usage, 100, now).is_ok());
        assert!(matches!(
            check_room(&quota, &usage, 101, now),
            Err(AppError::RateLimited { retry_after_secs, .. }) if retry_after_secs == 15 * 60
        ));
        let full = PhotoUsage {
            unattached_bytes: 4950,
            ..usage
        };
        assert!(matches!(
            check_room(&quota, &full, 100, now),
            Err(AppError::Unavailable {
                retry_after_secs: 600,
                ..
            })
        ));
        assert_eq!(mebibytes(0), i64::MAX, "0 turns a limit off");
        assert_eq!(mebibytes(2), 2 * 1024 * 1024);
    }
}

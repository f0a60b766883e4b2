//! Per-client request limits for the doors that can be hammered — submissions, case lookups by
//! code, staff logins — and an attempt limit per case against guessing its lookup code.
//!
//! Per-address counts live in memory on SQLite (one instance) and in the database on PostgreSQL
//! (several instances share one count); both in one-minute windows. Wrong lookup codes are always
//! counted in the database, per canonical case number, in one-hour windows: however the number
//! is typed and whichever instance answers, a case takes ten wrong codes an hour.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use yousu_core::CaseNumber;

use crate::client_addr::TrustedProxies;
use crate::clock::Clock;
use crate::error::AppError;
use crate::store::Store;

/// Wrong lookup codes allowed per case per hour, from all clients together.
pub const LOOKUP_FAILURES_PER_HOUR: u32 = 10;

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 3_600_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Door {
    Submit,
    Lookup,
    Login,
    /// Photo uploads: up to nine per submission.
    Upload,
    /// Suggestions while an appeal is written: a few per submission.
    Suggest,
}

pub struct RateLimiter {
    per_minute: u32,
    memory: Windows,
    store: Arc<dyn Store>,
    /// Per-address counts in the database (PostgreSQL) rather than in memory.
    shared: bool,
    clock: Clock,
    /// Whose forwarding headers name the client (see `client_addr`).
    pub proxies: TrustedProxies,
}

impl RateLimiter {
    /// `per_minute` requests per client address and door; 0 turns the limits off.
    pub fn new(
        per_minute: u32,
        store: Arc<dyn Store>,
        clock: Clock,
        proxies: TrustedProxies,
    ) -> Self {
        Self {
            per_minute,
            memory: Windows::default(),
            shared: store.backend() == "postgres",
            store,
            clock,
            proxies,
        }
    }

    /// Whether the limits are on (`--rate-limit` above 0).
    pub fn enabled(&self) -> bool {
        self.per_minute > 0
    }

    pub(crate) fn store(&self) -> &dyn Store {
        &*self.store
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// Counts a request through `door` from `client`; 429 with `Retry-After` when over the limit.
    pub async fn check(&self, door: Door, client: IpAddr) -> Result<(), AppError> {
        self.check_key(door, &client.to_canonical().to_string())
            .await
    }

    /// Counts a request through `door` by another key than the address (an API key's id).
    pub async fn check_key(&self, door: Door, who: &str) -> Result<(), AppError> {
        if !self.enabled() {
            return Ok(());
        }
        let limit = match door {
            Door::Upload => self
                .per_minute
                .saturating_mul(yousu_core::photo::MAX_PHOTOS as u32),
            Door::Suggest => self.per_minute.saturating_mul(5),
            _ => self.per_minute,
        };
        let key = format!("{door:?}/{who}");
        let counted = if self.shared {
            self.hit(&key, limit, MINUTE_MS).await?
        } else {
            self.memory.count(key, limit, Duration::from_secs(60))
        };
        counted.map_err(|retry_after| {
            too_many(
                retry_after,
                "too many requests from this address; wait a moment and try again",
            )
        })
    }

    /// Takes one lookup-by-code attempt on a case, counted as a wrong code until
    /// `lookup_opened` takes it back; refuses (429) once the case's wrong codes this hour are
    /// used up. Taking the attempt before checking the code means racing guesses cannot pass
    /// the limit together.
    pub async fn begin_lookup(&self, number: &CaseNumber) -> Result<(), AppError> {
        if !self.enabled() {
            return Ok(());
        }
        self.hit(&lookup_key(number), LOOKUP_FAILURES_PER_HOUR, HOUR_MS)
            .await?
            .map_err(|left| {
                too_many(
                    left,
                    "too many wrong lookup codes for this case; try again later",
                )
            })
    }

    /// The attempt opened the case: it was not a wrong code.
    pub async fn lookup_opened(&self, number: &CaseNumber) {
        if !self.enabled() {
            return;
        }
        if let Err(error) = self.store.unhit(&lookup_key(number)).await {
            // Only the resident's own right code stays counted: harmless.
            tracing::warn!(%error, "could not take back a lookup attempt");
        }
    }

    /// One hit in the database; `Err(time left)` when the window is over `limit`.
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window_ms: i64,
    ) -> Result<Result<(), Duration>, AppError> {
        let now = self.now_ms();
        let (hits, started) = self.store.hit(key, now, window_ms).await?;
        if hits <= i64::from(limit) {
            return Ok(Ok(()));
        }
        let left = (started + window_ms - now).clamp(0, window_ms);
        Ok(Err(Duration::from_millis(left as u64)))
    }
}

/// The key a case's wrong codes count under: the canonical number, so every way of typing it
/// (`2026-1208000004`, `--20261208000004`) shares one count, and the key's length is fixed.
fn lookup_key(number: &CaseNumber) -> String {
    format!("lookup-failures/{}", number.as_str())
}

pub(crate) fn too_many(retry_after: Duration, message: &str) -> AppError {
    AppError::RateLimited {
        retry_after_secs: retry_after.as_secs_f64().ceil().max(1.0) as u64,
        message: message.to_owned(),
    }
}

struct Window {
    started: Instant,
    count: u32,
}

/// Windows counted in this instance's memory.
#[derive(Default)]
struct Windows(Mutex<HashMap<String, Window>>);

impl Windows {
    /// Adds one to a window; `Err(time left)` if it was already full.
    fn count(&self, key: String, limit: u32, length: Duration) -> Result<(), Duration> {
        let now = Instant::now();
        let mut windows = self.0.lock().expect("not poisoned");
        if windows.len() > 100_000 {
            windows.retain(|_, w| now.duration_since(w.started) < Duration::from_secs(3600));
        }
        let window = windows.entry(key).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= length {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        if window.count >= limit {
            return Err(length.saturating_sub(now.duration_since(window.started)));
        }
        window.count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_takes_its_limit_then_says_how_long_is_left() {
        let windows = Windows::default();
        let minute = Duration::from_secs(60);
        for _ in 0..3 {
            assert!(windows.count("Submit/10.0.0.1".into(), 3, minute).is_ok());
        }
        let left = windows
            .count("Submit/10.0.0.1".into(), 3, minute)
            .unwrap_err();
        assert!(left <= minute && left > Duration::from_secs(50));
        assert!(windows.count("Login/10.0.0.1".into(), 3, minute).is_ok());
        assert!(windows.count("Submit/10.0.0.2".into(), 3, minute).is_ok());
    }

    #[test]
    fn every_spelling_of_a_case_number_counts_under_one_key() {
        let canonical = CaseNumber::parse("20261208000004").unwrap();
        for typed in ["2026-1208000004", "--20261208000004", " 2026 1208 000004 "] {
            assert_eq!(
                lookup_key(&CaseNumber::parse(typed).unwrap()),
                lookup_key(&canonical)
            );
        }
        assert_eq!(lookup_key(&canonical), "lookup-failures/20261208000004");
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let error = too_many(Duration::from_millis(1_200), "x");
        assert!(matches!(
            error,
            AppError::RateLimited {
                retry_after_secs: 2,
                ..
            }
        ));
    }
}

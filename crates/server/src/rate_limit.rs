//! Per-client request limits for the doors that can be hammered — submissions, case lookups by
//! code, staff logins — and an attempt limit per case against guessing its lookup code. Counted
//! in memory per instance, in one-minute windows (lookup failures: one-hour windows).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

/// Wrong lookup codes allowed per case per hour, from all clients together.
pub const LOOKUP_FAILURES_PER_HOUR: u32 = 10;

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

struct Window {
    started: Instant,
    count: u32,
}

pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, Window>>,
}

impl RateLimiter {
    /// `per_minute` requests per client address and door; 0 turns the limits off.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request through `door` from `client`; 429 with `Retry-After` when over the limit.
    pub fn check(&self, door: Door, client: IpAddr) -> Result<(), AppError> {
        self.check_key(door, &client.to_string())
    }

    /// Counts a request through `door` by another key than the address (an API key's id).
    pub fn check_key(&self, door: Door, who: &str) -> Result<(), AppError> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let limit = match door {
            Door::Upload => self
                .per_minute
                .saturating_mul(yousu_core::photo::MAX_PHOTOS as u32),
            Door::Suggest => self.per_minute.saturating_mul(5),
            _ => self.per_minute,
        };
        self.count(format!("{door:?}/{who}"), limit, Duration::from_secs(60))
            .map_err(|retry_after| {
                too_many(
                    retry_after,
                    "too many requests from this address; wait a moment and try again",
                )
            })
    }

    /// Refuses (429) lookups of a case whose code was guessed wrong too often lately.
    pub fn check_lookup_allowed(&self, case_number: &str) -> Result<(), AppError> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let windows = self.windows.lock().expect("not poisoned");
        if let Some(w) = windows.get(&format!("lookup-failures/{case_number}"))
            && w.count >= LOOKUP_FAILURES_PER_HOUR
            && w.started.elapsed() < Duration::from_secs(3600)
        {
            let left = Duration::from_secs(3600).saturating_sub(w.started.elapsed());
            return Err(too_many(
                left,
                "too many wrong lookup codes for this case; try again later",
            ));
        }
        Ok(())
    }

    /// Records a wrong lookup code for a case.
    pub fn record_lookup_failure(&self, case_number: &str) {
        if self.per_minute == 0 {
            return;
        }
        let _ = self.count(
            format!("lookup-failures/{case_number}"),
            u32::MAX,
            Duration::from_secs(3600),
        );
    }

    /// Adds one to a window; `Err(time left)` if it was already full.
    fn count(&self, key: String, limit: u32, length: Duration) -> Result<(), Duration> {
        let now = Instant::now();
        let mut windows = self.windows.lock().expect("not poisoned");
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

fn too_many(retry_after: Duration, message: &str) -> AppError {
    AppError::RateLimited {
        retry_after_secs: retry_after.as_secs().max(1),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_limit_per_door_then_429() {
        let limiter = RateLimiter::new(3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check(Door::Submit, ip).is_ok());
        }
        assert!(matches!(
            limiter.check(Door::Submit, ip),
            Err(AppError::RateLimited { retry_after_secs, .. }) if (1..=60).contains(&retry_after_secs)
        ));
        assert!(limiter.check(Door::Login, ip).is_ok(), "doors count apart");
        assert!(
            limiter
                .check(Door::Submit, "10.0.0.2".parse().unwrap())
                .is_ok()
        );
    }

    #[test]
    fn zero_turns_the_limits_off() {
        let limiter = RateLimiter::new(0);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..1000 {
            assert!(limiter.check(Door::Lookup, ip).is_ok());
            limiter.record_lookup_failure("20261126000001");
        }
        assert!(limiter.check_lookup_allowed("20261126000001").is_ok());
    }

    #[test]
    fn a_case_locks_after_ten_wrong_codes() {
        let limiter = RateLimiter::new(60);
        for _ in 0..LOOKUP_FAILURES_PER_HOUR {
            assert!(limiter.check_lookup_allowed("20261126000001").is_ok());
            limiter.record_lookup_failure("20261126000001");
        }
        assert!(limiter.check_lookup_allowed("20261126000001").is_err());
        assert!(limiter.check_lookup_allowed("20261126000002").is_ok());
    }
}

//! The per-account sign-in throttle, on top of the per-address limit: an account may fail
//! `FREE_FAILURES` times; after that each attempt must wait a delay that doubles with every
//! further failure (15 s, 30 s, 1 min, … at most 15 min), answered 429 with `Retry-After`. The
//! counts are in the database, so every instance refuses alike, and they are kept per name as
//! typed whether the account exists or not, so the throttle does not tell which names exist.
//! A success clears them; a day without attempts forgets them.

use crate::error::AppError;
use crate::rate_limit::{RateLimiter, too_many};
use crate::store::limits::LoginThrottle;

/// Failed sign-ins an account may have before attempts must wait.
pub const FREE_FAILURES: i64 = 5;
const FIRST_DELAY_MS: i64 = 15_000;
const LONGEST_DELAY_MS: i64 = 15 * 60_000;
/// Failures older than this are forgotten.
const FORGET_AFTER_MS: i64 = 24 * 3_600_000;
/// Characters of a typed name kept as the key: staff names are short; a longer one is not an
/// account, and the key's size stays bounded.
const KEY_CHARS: usize = 64;

/// The key an account's failures count under.
pub fn account_key(username: &str) -> String {
    username.trim().chars().take(KEY_CHARS).collect()
}

/// How long the next attempt waits after `failures` failures in a row.
pub fn delay_after(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(16) as u32;
    (FIRST_DELAY_MS << doublings).min(LONGEST_DELAY_MS)
}

impl RateLimiter {
    /// Takes one sign-in attempt for `key`, counted as failed until `sign_in_succeeded` clears
    /// it, so racing attempts cannot slip past the count; 429 while the account must wait.
    pub async fn begin_sign_in(&self, key: &str) -> Result<(), AppError> {
        if !self.enabled() {
            return Ok(());
        }
        let now = self.now_ms();
        let seen = self.store().login_throttle(key).await?;
        if let Some(seen) = seen
            && seen.blocked_until_ms > now
        {
            return Err(wait(seen.blocked_until_ms - now));
        }
        let earlier = seen
            .filter(|s| now - s.last_attempt_at_ms < FORGET_AFTER_MS)
            .map_or(0, |s| s.failures);
        let failures = earlier + 1;
        let next = LoginThrottle {
            failures,
            last_attempt_at_ms: now,
            blocked_until_ms: now + delay_after(failures),
        };
        if self.store().advance_login_throttle(key, seen, next).await? {
            Ok(())
        } else {
            // Another attempt for this account was counted in between: it goes first.
            Err(wait(1_000))
        }
    }

    /// The attempt signed in: the account's failures are forgotten.
    pub async fn sign_in_succeeded(&self, key: &str) -> Result<(), AppError> {
        if self.enabled() {
            self.store().clear_login_throttle(key).await?;
        }
        Ok(())
    }
}

fn wait(ms: i64) -> AppError {
    too_many(
        std::time::Duration::from_millis(ms.max(0) as u64),
        "too many failed sign-ins for this account; wait before trying again",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_are_free_then_the_wait_doubles_up_to_a_cap() {
        for failures in 0..FREE_FAILURES {
            assert_eq!(delay_after(failures), 0);
        }
        assert_eq!(delay_after(5), 15_000);
        assert_eq!(delay_after(6), 30_000);
        assert_eq!(delay_after(7), 60_000);
        assert_eq!(delay_after(11), LONGEST_DELAY_MS);
        assert_eq!(delay_after(10_000), LONGEST_DELAY_MS);
    }

    #[test]
    fn the_key_is_the_trimmed_name_bounded() {
        assert_eq!(account_key("  dispatcher "), "dispatcher");
        assert_eq!(account_key(&"长".repeat(500)).chars().count(), KEY_CHARS);
    }
}

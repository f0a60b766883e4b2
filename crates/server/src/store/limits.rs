//! Counts that every server instance must see alike, on both back ends: fixed windows of hits per
//! key (wrong lookup codes per case; requests per client address on PostgreSQL) and the sign-in
//! throttle per account. Times are Unix milliseconds.

use async_trait::async_trait;

use super::Result;

/// One account's recent failed sign-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoginThrottle {
    pub failures: i64,
    pub last_attempt_at_ms: i64,
    /// No attempt is taken before this.
    pub blocked_until_ms: i64,
}

#[async_trait]
pub trait LimitStore: Send + Sync {
    /// Counts one hit on `key` in its window of `window_ms`, starting the window again when the
    /// last one is over at `now_ms`; answers the hits so far and when the window started.
    async fn hit(&self, key: &str, now_ms: i64, window_ms: i64) -> Result<(i64, i64)>;

    /// Takes one hit back (an attempt that turned out to be allowed after all).
    async fn unhit(&self, key: &str) -> Result<()>;

    async fn login_throttle(&self, key: &str) -> Result<Option<LoginThrottle>>;

    /// Moves an account's throttle from `seen` (None: no row yet) to `next`; false when another
    /// attempt changed it first, so two racing attempts never both pass.
    async fn advance_login_throttle(
        &self,
        key: &str,
        seen: Option<LoginThrottle>,
        next: LoginThrottle,
    ) -> Result<bool>;

    /// Forgets an account's failures (it signed in).
    async fn clear_login_throttle(&self, key: &str) -> Result<()>;

    /// Forgets windows started and throttles last used before `before_ms`; says how many.
    async fn purge_limits(&self, before_ms: i64) -> Result<u64>;
}

pub(super) const HIT: &str = "INSERT INTO rate_window (rate_window_key, started_at_ms, hits) \
     VALUES ($1, $2, 1) ON CONFLICT (rate_window_key) DO UPDATE SET \
     hits = CASE WHEN rate_window.started_at_ms <= $2 - $3 THEN 1 ELSE rate_window.hits + 1 END, \
     started_at_ms = CASE WHEN rate_window.started_at_ms <= $2 - $3 THEN $2 \
     ELSE rate_window.started_at_ms END \
     RETURNING hits, started_at_ms";
pub(super) const UNHIT: &str =
    "UPDATE rate_window SET hits = hits - 1 WHERE rate_window_key = $1 AND hits > 0";
pub(super) const SELECT_THROTTLE: &str = "SELECT failures, last_attempt_at_ms, blocked_until_ms \
     FROM login_throttle WHERE login_throttle_key = $1";
pub(super) const INSERT_THROTTLE: &str = "INSERT INTO login_throttle \
     (login_throttle_key, failures, last_attempt_at_ms, blocked_until_ms) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (login_throttle_key) DO NOTHING";
pub(super) const UPDATE_THROTTLE: &str = "UPDATE login_throttle SET failures = $2, \
     last_attempt_at_ms = $3, blocked_until_ms = $4 WHERE login_throttle_key = $1 \
     AND failures = $5 AND last_attempt_at_ms = $6";
pub(super) const DELETE_THROTTLE: &str = "DELETE FROM login_throttle WHERE login_throttle_key = $1";
pub(super) const PURGE_WINDOWS: &str = "DELETE FROM rate_window WHERE started_at_ms < $1";
pub(super) const PURGE_THROTTLES: &str = "DELETE FROM login_throttle \
     WHERE last_attempt_at_ms < $1 AND blocked_until_ms < $1";

macro_rules! impl_limit_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::limits::LimitStore for $store {
            async fn hit(
                &self,
                key: &str,
                now_ms: i64,
                window_ms: i64,
            ) -> $crate::store::Result<(i64, i64)> {
                Ok(sqlx::query_as($crate::store::limits::HIT)
                    .bind(key)
                    .bind(now_ms)
                    .bind(window_ms)
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn unhit(&self, key: &str) -> $crate::store::Result<()> {
                sqlx::query($crate::store::limits::UNHIT)
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn login_throttle(
                &self,
                key: &str,
            ) -> $crate::store::Result<Option<$crate::store::limits::LoginThrottle>> {
                let row: Option<(i64, i64, i64)> =
                    sqlx::query_as($crate::store::limits::SELECT_THROTTLE)
                        .bind(key)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(failures, last_attempt_at_ms, blocked_until_ms)| {
                    $crate::store::limits::LoginThrottle {
                        failures,
                        last_attempt_at_ms,
                        blocked_until_ms,
                    }
                }))
            }

            async fn advance_login_throttle(
                &self,
                key: &str,
                seen: Option<$crate::store::limits::LoginThrottle>,
                next: $crate::store::limits::LoginThrottle,
            ) -> $crate::store::Result<bool> {
                let done = match seen {
                    None => {
                        sqlx::query($crate::store::limits::INSERT_THROTTLE)
                            .bind(key)
                            .bind(next.failures)
                            .bind(next.last_attempt_at_ms)
                            .bind(next.blocked_until_ms)
                            .execute(&self.pool)
                            .await?
                    }
                    Some(seen) => {
                        sqlx::query($crate::store::limits::UPDATE_THROTTLE)
                            .bind(key)
                            .bind(next.failures)
                            .bind(next.last_attempt_at_ms)
                            .bind(next.blocked_until_ms)
                            .bind(seen.failures)
                            .bind(seen.last_attempt_at_ms)
                            .execute(&self.pool)
                            .await?
                    }
                };
                Ok(done.rows_affected() == 1)
            }

            async fn clear_login_throttle(&self, key: &str) -> $crate::store::Result<()> {
                sqlx::query($crate::store::limits::DELETE_THROTTLE)
                    .bind(key)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn purge_limits(&self, before_ms: i64) -> $crate::store::Result<u64> {
                let windows = sqlx::query($crate::store::limits::PURGE_WINDOWS)
                    .bind(before_ms)
                    .execute(&self.pool)
                    .await?;
                let throttles = sqlx::query($crate::store::limits::PURGE_THROTTLES)
                    .bind(before_ms)
                    .execute(&self.pool)
                    .await?;
                Ok(windows.rows_affected() + throttles.rows_affected())
            }
        }
    };
}
pub(super) use impl_limit_store;

//! The live wall screen's counts that the month's figures do not give, on both back ends.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::Result;

#[async_trait]
pub trait LiveStore: Send + Sync {
    /// Cases not finished yet, and how many of them are past their deadline at `now`.
    async fn open_and_overdue(&self, now: DateTime<Utc>) -> Result<(i64, i64)>;
}

pub(super) const OPEN_AND_OVERDUE: &str = "SELECT COUNT(*), \
     COALESCE(SUM(CASE WHEN deadline_at < $1 THEN 1 ELSE 0 END), 0) FROM \"case\" \
     WHERE status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', \
     'return_requested', 'reopened')";

macro_rules! impl_live_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::live::LiveStore for $store {
            async fn open_and_overdue(
                &self,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<(i64, i64)> {
                Ok(sqlx::query_as($crate::store::live::OPEN_AND_OVERDUE)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await?)
            }
        }
    };
}
pub(super) use impl_live_store;

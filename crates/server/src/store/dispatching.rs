//! What the dispatch engine learns from and remembers, on both back ends: the cases whose
//! dispatch became final, a city's imported work orders, the open cases the duplicate search
//! covers, and the proposal recorded beside each dispatcher's choice.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::Result;

/// A labelled example: the resident's words and the unit that finally handled them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LabelledText {
    pub text: String,
    pub unit_id: String,
    pub channel: Option<String>,
}

/// An open case as the duplicate search keeps it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenCaseText {
    pub case_number: String,
    pub status: String,
    pub category_id: String,
    pub community_id: String,
    pub catalog_item_id: Option<String>,
    pub description: String,
    pub submitted_at: DateTime<Utc>,
}

/// One imported past work order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    pub text: String,
    pub unit_id: String,
    pub channel: Option<String>,
    pub kind: Option<String>,
}

#[async_trait]
pub trait DispatchStore: Send + Sync {
    /// Completed cases (their dispatch can no longer be returned) and imported work orders, the
    /// most recent 100,000.
    async fn training_examples(&self) -> Result<Vec<LabelledText>>;

    /// Cases not finished yet, for the duplicate search.
    async fn open_case_texts(&self) -> Result<Vec<OpenCaseText>>;

    /// Keeps what the engine proposed when the case was dispatched.
    async fn record_dispatch_suggestion(
        &self,
        case_id: i64,
        unit_id: Option<&str>,
        item_id: Option<&str>,
        confidence: Option<f64>,
    ) -> Result<()>;

    /// Adds imported work orders in one transaction; says how many.
    async fn insert_history(&self, rows: &[HistoryRow], now: DateTime<Utc>) -> Result<u64>;
}

/// The most recent labelled examples the engine trains on: enough to learn a city's units
/// (100,000 train in about a minute within 500 MB), bounded so a database of millions of
/// cases does not keep the server busy for many minutes after each start.
pub(super) const SELECT_TRAINING: &str = "SELECT text, unit_id, channel FROM ( \
     SELECT description AS text, unit_id, channel, completed_at AS at FROM \"case\" \
     WHERE unit_id IS NOT NULL AND status IN ('completed', 'rated', 'archived') \
     UNION ALL SELECT text, unit_id, channel, imported_at AS at FROM dispatch_history \
     ) labelled ORDER BY at DESC LIMIT 100000";
pub(super) const SELECT_OPEN_TEXTS: &str = "SELECT case_number, status, category_id, \
     community_id, catalog_item_id, description, submitted_at FROM \"case\" \
     WHERE status IN ('submitted', 'accepted', 'dispatched', 'claimed', 'in_progress', \
     'return_requested', 'reopened')";
pub(super) const RECORD_SUGGESTION: &str = "UPDATE \"case\" SET suggested_unit_id = $1, \
     suggested_item_id = $2, suggestion_confidence = $3 WHERE case_id = $4";
pub(super) const INSERT_HISTORY: &str = "INSERT INTO dispatch_history \
     (text, unit_id, channel, kind, imported_at) VALUES ($1, $2, $3, $4, $5)";

macro_rules! impl_dispatch_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::dispatching::DispatchStore for $store {
            async fn training_examples(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::dispatching::LabelledText>> {
                Ok(sqlx::query_as($crate::store::dispatching::SELECT_TRAINING)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn open_case_texts(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::dispatching::OpenCaseText>> {
                Ok(
                    sqlx::query_as($crate::store::dispatching::SELECT_OPEN_TEXTS)
                        .fetch_all(&self.pool)
                        .await?,
                )
            }

            async fn record_dispatch_suggestion(
                &self,
                case_id: i64,
                unit_id: Option<&str>,
                item_id: Option<&str>,
                confidence: Option<f64>,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::dispatching::RECORD_SUGGESTION)
                    .bind(unit_id)
                    .bind(item_id)
                    .bind(confidence)
                    .bind(case_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn insert_history(
                &self,
                rows: &[$crate::store::dispatching::HistoryRow],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<u64> {
                let mut tx = self.pool.begin().await?;
                for row in rows {
                    sqlx::query($crate::store::dispatching::INSERT_HISTORY)
                        .bind(&row.text)
                        .bind(&row.unit_id)
                        .bind(&row.channel)
                        .bind(&row.kind)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(rows.len() as u64)
            }
        }
    };
}
pub(super) use impl_dispatch_store;

//! 督 beyond the clocks, on both back ends: supervision notices (督办单) a unit must acknowledge,
//! and whistles (吹哨) whose summoned units each report (报到).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::Result;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct NoticeRow {
    pub notice_id: i64,
    pub case_number: String,
    pub unit_id: String,
    pub note: String,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct WhistleRow {
    pub whistle_id: i64,
    pub case_number: String,
    pub subdistrict_id: String,
    pub note: String,
    pub blown_by: String,
    pub blown_at: DateTime<Utc>,
    pub report_by: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub whistle_id: i64,
    pub unit_id: String,
    pub reported_by: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Which notices or whistles to list.
#[derive(Clone, Debug, Default)]
pub struct OversightFilter {
    pub case_id: Option<i64>,
    pub unit_id: Option<String>,
    /// Only those still waiting for an acknowledgement or a report.
    pub pending_only: bool,
}

/// A whistle about to be blown.
#[derive(Clone, Debug)]
pub struct NewWhistle {
    pub case_id: i64,
    pub subdistrict_id: String,
    pub note: String,
    pub blown_by: String,
    pub blown_at: DateTime<Utc>,
    pub report_by: DateTime<Utc>,
    pub unit_ids: Vec<String>,
}

#[async_trait]
pub trait OversightStore: Send + Sync {
    async fn insert_notice(
        &self,
        case_id: i64,
        unit_id: &str,
        note: &str,
        issued_by: &str,
        issued_at: DateTime<Utc>,
    ) -> Result<i64>;

    /// Acknowledges a notice not acknowledged yet; says whether it did.
    async fn acknowledge_notice(&self, notice_id: i64, by: &str, at: DateTime<Utc>)
    -> Result<bool>;

    /// Notices, newest first.
    async fn notices(&self, filter: &OversightFilter) -> Result<Vec<NoticeRow>>;

    async fn insert_whistle(&self, whistle: &NewWhistle) -> Result<i64>;

    /// Records a summoned unit's report, unless it reported already; says whether it did.
    async fn report_whistle(
        &self,
        whistle_id: i64,
        unit_id: &str,
        by: &str,
        at: DateTime<Utc>,
        note: &str,
    ) -> Result<bool>;

    /// Whistles, newest first, with every summoned unit's report row.
    async fn whistles(&self, filter: &OversightFilter)
    -> Result<Vec<(WhistleRow, Vec<ReportRow>)>>;
}

pub(super) const INSERT_NOTICE: &str = "INSERT INTO supervision_notice \
     (case_id, unit_id, note, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5) \
     RETURNING notice_id";
pub(super) const ACKNOWLEDGE_NOTICE: &str = "UPDATE supervision_notice \
     SET acknowledged_by = $1, acknowledged_at = $2 \
     WHERE notice_id = $3 AND acknowledged_at IS NULL";
/// `$1` case id (or NULL), `$2` unit id (or NULL), `$3` pending only.
pub(super) const SELECT_NOTICES: &str = "SELECT n.notice_id, c.case_number, n.unit_id, n.note, \
     n.issued_by, n.issued_at, n.acknowledged_by, n.acknowledged_at \
     FROM supervision_notice n JOIN \"case\" c ON c.case_id = n.case_id \
     WHERE ($1 IS NULL OR n.case_id = $1) AND ($2 IS NULL OR n.unit_id = $2) \
     AND (NOT $3 OR n.acknowledged_at IS NULL) \
     ORDER BY n.issued_at DESC, n.notice_id DESC LIMIT 500";
pub(super) const INSERT_WHISTLE: &str = "INSERT INTO whistle \
     (case_id, subdistrict_id, note, blown_by, blown_at, report_by) \
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING whistle_id";
pub(super) const INSERT_SUMMONS: &str =
    "INSERT INTO whistle_report (whistle_id, unit_id) VALUES ($1, $2)";
pub(super) const REPORT_WHISTLE: &str = "UPDATE whistle_report \
     SET reported_by = $1, reported_at = $2, note = $3 \
     WHERE whistle_id = $4 AND unit_id = $5 AND reported_at IS NULL";
/// `$1` case id (or NULL), `$2` a summoned unit (or NULL), `$3` only with reports missing.
pub(super) const SELECT_WHISTLES: &str = "SELECT w.whistle_id, c.case_number, \
     w.subdistrict_id, w.note, w.blown_by, w.blown_at, w.report_by \
     FROM whistle w JOIN \"case\" c ON c.case_id = w.case_id \
     WHERE ($1 IS NULL OR w.case_id = $1) \
     AND ($2 IS NULL OR EXISTS (SELECT 1 FROM whistle_report r \
          WHERE r.whistle_id = w.whistle_id AND r.unit_id = $2)) \
     AND (NOT $3 OR EXISTS (SELECT 1 FROM whistle_report r \
          WHERE r.whistle_id = w.whistle_id AND r.reported_at IS NULL)) \
     ORDER BY w.blown_at DESC, w.whistle_id DESC LIMIT 500";
pub(super) const SELECT_REPORTS: &str = "SELECT whistle_id, unit_id, reported_by, reported_at, \
     note FROM whistle_report WHERE whistle_id = $1 ORDER BY unit_id";

macro_rules! impl_oversight_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::oversight::OversightStore for $store {
            async fn insert_notice(
                &self,
                case_id: i64,
                unit_id: &str,
                note: &str,
                issued_by: &str,
                issued_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<i64> {
                let (id,): (i64,) = sqlx::query_as($crate::store::oversight::INSERT_NOTICE)
                    .bind(case_id)
                    .bind(unit_id)
                    .bind(note)
                    .bind(issued_by)
                    .bind(issued_at)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(id)
            }

            async fn acknowledge_notice(
                &self,
                notice_id: i64,
                by: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::oversight::ACKNOWLEDGE_NOTICE)
                    .bind(by)
                    .bind(at)
                    .bind(notice_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn notices(
                &self,
                filter: &$crate::store::oversight::OversightFilter,
            ) -> $crate::store::Result<Vec<$crate::store::oversight::NoticeRow>> {
                Ok(sqlx::query_as($crate::store::oversight::SELECT_NOTICES)
                    .bind(filter.case_id)
                    .bind(&filter.unit_id)
                    .bind(filter.pending_only)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn insert_whistle(
                &self,
                whistle: &$crate::store::oversight::NewWhistle,
            ) -> $crate::store::Result<i64> {
                let mut tx = self.pool.begin().await?;
                let (id,): (i64,) = sqlx::query_as($crate::store::oversight::INSERT_WHISTLE)
                    .bind(whistle.case_id)
                    .bind(&whistle.subdistrict_id)
                    .bind(&whistle.note)
                    .bind(&whistle.blown_by)
                    .bind(whistle.blown_at)
                    .bind(whistle.report_by)
                    .fetch_one(&mut *tx)
                    .await?;
                for unit in &whistle.unit_ids {
                    sqlx::query($crate::store::oversight::INSERT_SUMMONS)
                        .bind(id)
                        .bind(unit)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(id)
            }

            async fn report_whistle(
                &self,
                whistle_id: i64,
                unit_id: &str,
                by: &str,
                at: chrono::DateTime<chrono::Utc>,
                note: &str,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::oversight::REPORT_WHISTLE)
                    .bind(by)
                    .bind(at)
                    .bind(note)
                    .bind(whistle_id)
                    .bind(unit_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn whistles(
                &self,
                filter: &$crate::store::oversight::OversightFilter,
            ) -> $crate::store::Result<
                Vec<(
                    $crate::store::oversight::WhistleRow,
                    Vec<$crate::store::oversight::ReportRow>,
                )>,
            > {
                let rows: Vec<$crate::store::oversight::WhistleRow> =
                    sqlx::query_as($crate::store::oversight::SELECT_WHISTLES)
                        .bind(filter.case_id)
                        .bind(&filter.unit_id)
                        .bind(filter.pending_only)
                        .fetch_all(&self.pool)
                        .await?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let reports = sqlx::query_as($crate::store::oversight::SELECT_REPORTS)
                        .bind(row.whistle_id)
                        .fetch_all(&self.pool)
                        .await?;
                    out.push((row, reports));
                }
                Ok(out)
            }
        }
    };
}
pub(super) use impl_oversight_store;

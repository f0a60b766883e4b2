//! What the monthly evaluation and the public figures read, on both back ends: counters kept by
//! triggers (migrations 10 and 13), so a month costs a few rows whatever the number of cases.
//! The rates themselves are computed in the core from these counts.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use yousu_core::rates::{Month, UnitCounts};

use super::Result;

/// Received / finished counts grouped by an id.
pub type Grouped = Vec<(String, i64, i64)>;

#[derive(Clone, Debug, Default)]
pub struct MonthCounts {
    pub received: i64,
    pub finished: i64,
    pub finished_on_time: i64,
    pub by_category: Grouped,
    pub by_district: Grouped,
    pub hot_spots: Grouped,
}

#[async_trait]
pub trait FiguresStore: Send + Sync {
    /// Each unit's counts for the city-local month, from the counters of migration 13 (kept by
    /// triggers), made with `response_limit_hours`: if the counters were made with another limit
    /// they are recounted first.
    async fn unit_counts(
        &self,
        month: Month,
        response_limit_hours: u32,
    ) -> Result<Vec<(String, UnitCounts)>>;

    async fn month_counts(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<MonthCounts>;
}

/// One unit's month as the counters hold it.
#[derive(sqlx::FromRow)]
pub(super) struct UnitMonthRow {
    pub unit_id: String,
    pub dispatched: i64,
    pub responded_in_time: i64,
    pub rated: i64,
    pub resolved: i64,
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub dissatisfied: i64,
    pub completed: i64,
    pub completed_on_time: i64,
    pub overdue: i64,
    pub refused_returns: i64,
}

impl UnitMonthRow {
    pub(super) fn into_counts(self) -> (String, UnitCounts) {
        let n = |v: i64| v.max(0) as u64;
        (
            self.unit_id,
            UnitCounts {
                dispatched: n(self.dispatched),
                responded_in_time: n(self.responded_in_time),
                rated: n(self.rated),
                resolved: n(self.resolved),
                satisfied: n(self.satisfied),
                basically_satisfied: n(self.basically_satisfied),
                dissatisfied: n(self.dissatisfied),
                completed: n(self.completed),
                completed_on_time: n(self.completed_on_time),
                overdue: n(self.overdue),
                refused_returns: n(self.refused_returns),
            },
        )
    }
}

/// The counters' key for a month: `YYYY-MM`.
pub fn month_key(month: Month) -> String {
    format!("{:04}-{:02}", month.year, month.month)
}

pub(super) const UNIT_MONTH: &str = "SELECT unit_id, \
     CAST(dispatched AS BIGINT) AS dispatched, \
     CAST(responded_in_time AS BIGINT) AS responded_in_time, CAST(rated AS BIGINT) AS rated, \
     CAST(resolved AS BIGINT) AS resolved, CAST(satisfied AS BIGINT) AS satisfied, \
     CAST(basically_satisfied AS BIGINT) AS basically_satisfied, \
     CAST(dissatisfied AS BIGINT) AS dissatisfied, CAST(completed AS BIGINT) AS completed, \
     CAST(completed_on_time AS BIGINT) AS completed_on_time, CAST(overdue AS BIGINT) AS overdue, \
     CAST(refused_returns AS BIGINT) AS refused_returns \
     FROM evaluation_unit_month WHERE month = $1 ORDER BY unit_id";
pub(super) const RESPONSE_LIMIT: &str =
    "SELECT CAST(response_limit_hours AS BIGINT) FROM evaluation_policy";
pub(super) const SET_RESPONSE_LIMIT: &str =
    "UPDATE evaluation_policy SET response_limit_hours = $1";
pub(super) const FORGET_RESPONDED: &str = "UPDATE evaluation_unit_month SET responded_in_time = 0";
/// Claims within the limit, recounted: the same test as the triggers of migration 13.
pub(super) const RECOUNT_RESPONDED_SQLITE: &str = "INSERT INTO evaluation_unit_month \
     (month, unit_id, responded_in_time) \
     SELECT strftime('%Y-%m', dispatched_at, '+8 hours'), unit_id, COUNT(*) FROM \"case\" \
     WHERE unit_id IS NOT NULL AND dispatched_at IS NOT NULL AND deadline_at IS NOT NULL \
     AND claimed_at IS NOT NULL \
     AND ROUND((julianday(claimed_at) - julianday(dispatched_at)) * 86400000) <= $1 * 3600000 \
     GROUP BY 1, 2 \
     ON CONFLICT (month, unit_id) DO UPDATE SET responded_in_time = excluded.responded_in_time";
pub(super) const RECOUNT_RESPONDED_POSTGRES: &str = "INSERT INTO evaluation_unit_month \
     (month, unit_id, responded_in_time) \
     SELECT evaluation_city_month(dispatched_at), unit_id, COUNT(*) FROM \"case\" \
     WHERE unit_id IS NOT NULL AND dispatched_at IS NOT NULL AND deadline_at IS NOT NULL \
     AND claimed_at <= dispatched_at + make_interval(hours => CAST($1 AS INTEGER)) \
     GROUP BY 1, 2 ORDER BY 2, 1 \
     ON CONFLICT (month, unit_id) DO UPDATE SET responded_in_time = excluded.responded_in_time";

/// The recount above in the dialect of the pool's database.
pub(super) trait Recount {
    const RECOUNT_RESPONDED: &'static str;
}

impl Recount for sqlx::Sqlite {
    const RECOUNT_RESPONDED: &'static str = RECOUNT_RESPONDED_SQLITE;
}

impl Recount for sqlx::Postgres {
    const RECOUNT_RESPONDED: &'static str = RECOUNT_RESPONDED_POSTGRES;
}

pub(super) fn recount_responded<DB: sqlx::Database + Recount>(_: &sqlx::Pool<DB>) -> &'static str {
    DB::RECOUNT_RESPONDED
}

pub(super) const TOTALS: &str = "SELECT \
     COALESCE(SUM(CASE WHEN submitted_at >= $1 AND submitted_at < $2 THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN completed_at >= $1 AND completed_at < $2 THEN 1 ELSE 0 END), 0), \
     COALESCE(SUM(CASE WHEN completed_at >= $1 AND completed_at < $2 \
       AND completed_at <= deadline_at THEN 1 ELSE 0 END), 0) \
     FROM \"case\"";
const GROUP_COUNTS: &str = "SUM(CASE WHEN k.submitted_at >= $1 AND k.submitted_at < $2 THEN 1 ELSE 0 END) AS received, \
     SUM(CASE WHEN k.completed_at >= $1 AND k.completed_at < $2 THEN 1 ELSE 0 END) AS finished";
const GROUP_WHERE: &str = "(k.submitted_at >= $1 AND k.submitted_at < $2) \
     OR (k.completed_at >= $1 AND k.completed_at < $2)";

pub(super) fn by_category_sql() -> String {
    format!(
        "SELECT k.category_id AS id, {GROUP_COUNTS} FROM \"case\" k WHERE {GROUP_WHERE} \
         GROUP BY k.category_id ORDER BY received DESC, id"
    )
}

pub(super) fn by_district_sql() -> String {
    format!(
        "SELECT s.district_id AS id, {GROUP_COUNTS} FROM \"case\" k \
         JOIN community c ON c.community_id = k.community_id \
         JOIN subdistrict s ON s.subdistrict_id = c.subdistrict_id WHERE {GROUP_WHERE} \
         GROUP BY s.district_id ORDER BY received DESC, id"
    )
}

pub(super) fn hot_spots_sql() -> String {
    format!(
        "SELECT k.community_id AS id, {GROUP_COUNTS} FROM \"case\" k WHERE {GROUP_WHERE} \
         GROUP BY k.community_id ORDER BY received DESC, id LIMIT 10"
    )
}

/// The city-local days `[first, last)` that `[start, end)` spans exactly, if both are city-local
/// midnights: then the month's counts come from the daily counters (migration 10) instead of the
/// cases themselves.
pub fn whole_days(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<(NaiveDate, NaiveDate)> {
    let offset = yousu_core::case::city_offset();
    let (s, e) = (start.with_timezone(&offset), end.with_timezone(&offset));
    let midnight = |t: &DateTime<FixedOffset>| t.time() == NaiveTime::MIN;
    (midnight(&s) && midnight(&e)).then(|| (s.date_naive(), e.date_naive()))
}

const COUNTED: &str = "CAST(SUM(f.received) AS BIGINT) AS received, \
     CAST(SUM(f.finished) AS BIGINT) AS finished";
const COUNTED_DAYS: &str = "f.day >= $1 AND f.day < $2";
const ANY_COUNTED: &str = "HAVING SUM(f.received) <> 0 OR SUM(f.finished) <> 0";

pub(super) const COUNTED_TOTALS: &str = "SELECT \
     CAST(COALESCE(SUM(f.received), 0) AS BIGINT), CAST(COALESCE(SUM(f.finished), 0) AS BIGINT), \
     CAST(COALESCE(SUM(f.finished_on_time), 0) AS BIGINT) \
     FROM figures_category_day f WHERE f.day >= $1 AND f.day < $2";

pub(super) fn counted_by_category_sql() -> String {
    format!(
        "SELECT f.category_id AS id, {COUNTED} FROM figures_category_day f \
         WHERE {COUNTED_DAYS} GROUP BY f.category_id {ANY_COUNTED} ORDER BY received DESC, id"
    )
}

pub(super) fn counted_by_district_sql() -> String {
    format!(
        "SELECT s.district_id AS id, {COUNTED} FROM figures_community_day f \
         JOIN community c ON c.community_id = f.community_id \
         JOIN subdistrict s ON s.subdistrict_id = c.subdistrict_id WHERE {COUNTED_DAYS} \
         GROUP BY s.district_id {ANY_COUNTED} ORDER BY received DESC, id"
    )
}

pub(super) fn counted_hot_spots_sql() -> String {
    format!(
        "SELECT f.community_id AS id, {COUNTED} FROM figures_community_day f \
         WHERE {COUNTED_DAYS} GROUP BY f.community_id {ANY_COUNTED} \
         ORDER BY received DESC, id LIMIT 10"
    )
}

macro_rules! impl_figures_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::figures::FiguresStore for $store {
            async fn unit_counts(
                &self,
                month: yousu_core::rates::Month,
                response_limit_hours: u32,
            ) -> $crate::store::Result<Vec<(String, yousu_core::rates::UnitCounts)>> {
                use $crate::store::figures::*;
                let hours = i64::from(response_limit_hours);
                let (stored,): (i64,) =
                    sqlx::query_as(RESPONSE_LIMIT).fetch_one(&self.pool).await?;
                if stored != hours {
                    // Rare (the policy changed): the whole recount in one transaction, so a
                    // reader sees the counters made with one limit or the other.
                    let mut tx = self.pool.begin().await?;
                    sqlx::query(SET_RESPONSE_LIMIT)
                        .bind(hours)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(FORGET_RESPONDED).execute(&mut *tx).await?;
                    sqlx::query(recount_responded(&self.pool))
                        .bind(hours)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                }
                let rows: Vec<UnitMonthRow> = sqlx::query_as(UNIT_MONTH)
                    .bind(month_key(month))
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(UnitMonthRow::into_counts)
                    .filter(|(_, c)| *c != yousu_core::rates::UnitCounts::default())
                    .collect())
            }

            async fn month_counts(
                &self,
                start: chrono::DateTime<chrono::Utc>,
                end: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<$crate::store::figures::MonthCounts> {
                use $crate::store::figures::*;
                let (received, finished, finished_on_time): (i64, i64, i64);
                let mut grouped = Vec::new();
                if let Some((first, last)) = whole_days(start, end) {
                    (received, finished, finished_on_time) = sqlx::query_as(COUNTED_TOTALS)
                        .bind(first)
                        .bind(last)
                        .fetch_one(&self.pool)
                        .await?;
                    for sql in [
                        counted_by_category_sql(),
                        counted_by_district_sql(),
                        counted_hot_spots_sql(),
                    ] {
                        let rows: Grouped = sqlx::query_as(&sql)
                            .bind(first)
                            .bind(last)
                            .fetch_all(&self.pool)
                            .await?;
                        grouped.push(rows);
                    }
                } else {
                    (received, finished, finished_on_time) = sqlx::query_as(TOTALS)
                        .bind(start)
                        .bind(end)
                        .fetch_one(&self.pool)
                        .await?;
                    for sql in [by_category_sql(), by_district_sql(), hot_spots_sql()] {
                        let rows: Grouped = sqlx::query_as(&sql)
                            .bind(start)
                            .bind(end)
                            .fetch_all(&self.pool)
                            .await?;
                        grouped.push(rows);
                    }
                }
                let hot_spots = grouped.pop().unwrap_or_default();
                let by_district = grouped.pop().unwrap_or_default();
                let by_category = grouped.pop().unwrap_or_default();
                Ok(MonthCounts {
                    received,
                    finished,
                    finished_on_time,
                    by_category,
                    by_district,
                    hot_spots,
                })
            }
        }
    };
}
pub(super) use impl_figures_store;

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use yousu_core::rates::Month;

    use super::*;

    #[test]
    fn a_city_month_is_read_from_the_daily_counters_and_other_spans_are_not() {
        let month = Month {
            year: 2026,
            month: 11,
        };
        assert_eq!(
            whole_days(month.start(), month.next().start()),
            Some((
                NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
            ))
        );
        let utc_midnight = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        assert_eq!(whole_days(utc_midnight, month.next().start()), None);
    }
}

//! What the monthly evaluation and the public figures read, on both back ends. The rates
//! themselves are computed in the core from these rows.

use async_trait::async_trait;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use yousu_core::rates::{CaseOutcome, Rating, RefusedReturn, Satisfaction};

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
    /// The outcome of every case that a unit had and that something happened to in [start, end).
    async fn outcomes(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Vec<CaseOutcome>>;

    async fn refusals(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<Vec<RefusedReturn>>;

    async fn month_counts(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Result<MonthCounts>;
}

#[derive(sqlx::FromRow)]
pub(super) struct OutcomeRow {
    pub unit_id: String,
    pub dispatched_at: Option<DateTime<Utc>>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub rated_at: Option<DateTime<Utc>>,
    pub rating_resolved: Option<bool>,
    pub rating_satisfaction: Option<String>,
}

impl OutcomeRow {
    /// `None` for a row that was never dispatched (no clock to measure against).
    pub(super) fn into_outcome(self) -> Option<CaseOutcome> {
        let rating = match (
            self.rated_at,
            self.rating_resolved,
            self.rating_satisfaction,
        ) {
            (Some(at), Some(resolved), Some(s)) => Some((
                at,
                Rating {
                    resolved,
                    satisfaction: Satisfaction::parse(&s)?,
                },
            )),
            _ => None,
        };
        Some(CaseOutcome {
            unit_id: self.unit_id,
            dispatched_at: self.dispatched_at?,
            claimed_at: self.claimed_at,
            deadline_at: self.deadline_at?,
            completed_at: self.completed_at,
            rating,
        })
    }
}

const IN_MONTH: &str = "(dispatched_at >= $1 AND dispatched_at < $2) \
     OR (completed_at >= $1 AND completed_at < $2) OR (rated_at >= $1 AND rated_at < $2) \
     OR (deadline_at >= $1 AND deadline_at < $2)";

pub(super) fn outcomes_sql() -> String {
    format!(
        "SELECT unit_id, dispatched_at, claimed_at, deadline_at, completed_at, rated_at, \
         rating_resolved, rating_satisfaction FROM \"case\" \
         WHERE unit_id IS NOT NULL AND ({IN_MONTH})"
    )
}

pub(super) const REFUSALS: &str = "SELECT unit_id, decided_at FROM return_request \
     WHERE decision = 'refused' AND decided_at >= $1 AND decided_at < $2";
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
            async fn outcomes(
                &self,
                start: chrono::DateTime<chrono::Utc>,
                end: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<Vec<yousu_core::rates::CaseOutcome>> {
                let sql = $crate::store::figures::outcomes_sql();
                let rows: Vec<$crate::store::figures::OutcomeRow> = sqlx::query_as(&sql)
                    .bind(start)
                    .bind(end)
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().filter_map(|r| r.into_outcome()).collect())
            }

            async fn refusals(
                &self,
                start: chrono::DateTime<chrono::Utc>,
                end: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<Vec<yousu_core::rates::RefusedReturn>> {
                let rows: Vec<(String, chrono::DateTime<chrono::Utc>)> =
                    sqlx::query_as($crate::store::figures::REFUSALS)
                        .bind(start)
                        .bind(end)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(unit_id, decided_at)| yousu_core::rates::RefusedReturn {
                        unit_id,
                        decided_at,
                    })
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

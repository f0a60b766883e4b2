//! Moving a case along its life-cycle and listing the cases staff work on, on both back ends.
//! A transition is written only if the case is still in the status it was read in, so two people
//! acting on one case at once cannot both succeed.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use yousu_core::deadline::SupervisionNode;
use yousu_core::{CaseStatus, TimeTier};

use super::{CaseRecord, EventInsert, Result, StoredRating};

/// What a transition changes on the case besides its status; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct CaseChanges {
    pub unit_id: Option<String>,
    pub catalog_item_id: Option<String>,
    pub tier: Option<TimeTier>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub dispatched_at: Option<DateTime<Utc>>,
    /// The case goes to a unit that has not claimed it yet.
    pub clear_claim: bool,
    pub claimed_at: Option<DateTime<Utc>>,
    /// The case is handled again: its completion is undone.
    pub clear_completion: bool,
    pub completed_at: Option<DateTime<Utc>>,
    pub reply: Option<String>,
    pub rating: Option<StoredRating>,
    pub reopened: bool,
    pub merged_into: Option<String>,
}

/// A return request filed by a unit, or the joint review's decision on the open one.
#[derive(Clone, Debug)]
pub enum ReturnRequestChange {
    File {
        unit_id: String,
        reason: String,
        by: String,
        at: DateTime<Utc>,
    },
    Decide {
        decision: &'static str,
        reason: String,
        by: String,
        at: DateTime<Utc>,
    },
}

#[derive(Clone, Debug)]
pub struct Transition {
    pub case_id: i64,
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub changes: CaseChanges,
    pub event: EventInsert,
    pub return_request: Option<ReturnRequestChange>,
    /// Supervision nodes to plan (on dispatch), for the unit the case goes to.
    pub nodes: Vec<SupervisionNode>,
}

/// Which cases a staff list shows.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub statuses: Vec<CaseStatus>,
    pub unit_id: Option<String>,
    pub limit: i64,
}

#[async_trait]
pub trait HandlingStore: Send + Sync {
    /// Writes the transition if the case is still `from`; says whether it was.
    async fn apply_transition(&self, transition: &Transition) -> Result<bool>;

    /// Adds a note to a case's timeline, leaving its status as it is.
    async fn add_note(&self, case_id: i64, event: &EventInsert) -> Result<()>;

    /// Cases in any of the statuses (all when empty), of one unit if given, oldest first,
    /// without their timelines.
    async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseRecord>>;
}

pub(super) const UPDATE_CASE: &str = "UPDATE \"case\" SET status = $1, \
     unit_id = COALESCE($2, unit_id), \
     catalog_item_id = COALESCE($3, catalog_item_id), \
     tier = COALESCE($4, tier), \
     deadline_at = COALESCE($5, deadline_at), \
     dispatched_at = COALESCE($6, dispatched_at), \
     claimed_at = CASE WHEN $7 THEN NULL ELSE COALESCE($8, claimed_at) END, \
     completed_at = CASE WHEN $9 THEN NULL ELSE COALESCE($10, completed_at) END, \
     reply = COALESCE($11, reply), \
     rated_at = COALESCE($12, rated_at), \
     rating_resolved = COALESCE($13, rating_resolved), \
     rating_satisfaction = COALESCE($14, rating_satisfaction), \
     rating_comment = COALESCE($15, rating_comment), \
     reopened = CASE WHEN $16 THEN TRUE ELSE reopened END, \
     merged_into = COALESCE($17, merged_into) \
     WHERE case_id = $18 AND status = $19";
pub(super) const FILE_RETURN_REQUEST: &str = "INSERT INTO return_request \
     (case_id, unit_id, reason, requested_by, requested_at) VALUES ($1, $2, $3, $4, $5)";
pub(super) const DECIDE_RETURN_REQUEST: &str = "UPDATE return_request \
     SET decision = $1, decision_reason = $2, decided_by = $3, decided_at = $4 \
     WHERE case_id = $5 AND decision IS NULL";

pub(super) fn list_sql(filter: &CaseFilter) -> String {
    let mut sql = format!(
        "SELECT {} FROM \"case\" WHERE 1 = 1",
        super::sql::CASE_COLUMNS
    );
    let mut n = 0;
    if !filter.statuses.is_empty() {
        let marks: Vec<String> = filter
            .statuses
            .iter()
            .map(|_| {
                n += 1;
                format!("${n}")
            })
            .collect();
        sql.push_str(&format!(" AND status IN ({})", marks.join(", ")));
    }
    if filter.unit_id.is_some() {
        n += 1;
        sql.push_str(&format!(" AND unit_id = ${n}"));
    }
    n += 1;
    sql.push_str(&format!(" ORDER BY submitted_at, case_id LIMIT ${n}"));
    sql
}

macro_rules! impl_handling_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::handling::HandlingStore for $store {
            async fn apply_transition(
                &self,
                t: &$crate::store::handling::Transition,
            ) -> $crate::store::Result<bool> {
                use $crate::store::handling::*;
                let c = &t.changes;
                let mut tx = self.pool.begin().await?;
                let updated = sqlx::query(UPDATE_CASE)
                    .bind(t.to.as_str())
                    .bind(&c.unit_id)
                    .bind(&c.catalog_item_id)
                    .bind(c.tier.map(|t| t.as_str()))
                    .bind(c.deadline_at)
                    .bind(c.dispatched_at)
                    .bind(c.clear_claim)
                    .bind(c.claimed_at)
                    .bind(c.clear_completion)
                    .bind(c.completed_at)
                    .bind(&c.reply)
                    .bind(c.rating.as_ref().map(|r| r.rated_at))
                    .bind(c.rating.as_ref().map(|r| r.resolved))
                    .bind(c.rating.as_ref().map(|r| r.satisfaction.as_str()))
                    .bind(c.rating.as_ref().and_then(|r| r.comment.clone()))
                    .bind(c.reopened)
                    .bind(&c.merged_into)
                    .bind(t.case_id)
                    .bind(t.from.as_str())
                    .execute(&mut *tx)
                    .await?;
                if updated.rows_affected() != 1 {
                    return Ok(false);
                }
                $crate::store::sql::insert_event!(&mut *tx, t.case_id, &t.event);
                match &t.return_request {
                    Some(ReturnRequestChange::File {
                        unit_id,
                        reason,
                        by,
                        at,
                    }) => {
                        sqlx::query(FILE_RETURN_REQUEST)
                            .bind(t.case_id)
                            .bind(unit_id)
                            .bind(reason)
                            .bind(by)
                            .bind(*at)
                            .execute(&mut *tx)
                            .await?;
                    }
                    Some(ReturnRequestChange::Decide {
                        decision,
                        reason,
                        by,
                        at,
                    }) => {
                        sqlx::query(DECIDE_RETURN_REQUEST)
                            .bind(*decision)
                            .bind(reason)
                            .bind(by)
                            .bind(*at)
                            .bind(t.case_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    None => {}
                }
                for node in &t.nodes {
                    sqlx::query($crate::store::supervision::PLAN_NODE)
                        .bind(t.case_id)
                        .bind(node.kind.as_str())
                        .bind($crate::store::supervision::effect_str(node.effect))
                        .bind(&c.unit_id)
                        .bind(node.at)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn add_note(
                &self,
                case_id: i64,
                e: &$crate::store::EventInsert,
            ) -> $crate::store::Result<()> {
                $crate::store::sql::insert_event!(&self.pool, case_id, e);
                Ok(())
            }

            async fn list_cases(
                &self,
                filter: &$crate::store::handling::CaseFilter,
            ) -> $crate::store::Result<Vec<$crate::store::CaseRecord>> {
                let sql = $crate::store::handling::list_sql(filter);
                let mut query = sqlx::query_as::<_, $crate::store::rows::CaseRow>(&sql);
                for status in &filter.statuses {
                    query = query.bind(status.as_str());
                }
                if let Some(unit_id) = &filter.unit_id {
                    query = query.bind(unit_id.clone());
                }
                let rows = query.bind(filter.limit).fetch_all(&self.pool).await?;
                rows.into_iter()
                    .map(|row| row.into_record(Vec::new(), Vec::new()))
                    .collect()
            }
        }
    };
}
pub(super) use impl_handling_store;

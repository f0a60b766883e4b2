//! Supervision nodes in the database: planned with each dispatch, fired once each by whichever
//! server instance claims them first, listed for supervisors and units.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use yousu_core::CaseStatus;
use yousu_core::deadline::{NodeEffect, NodeKind, NodeOutcome};

use super::Result;

/// A node whose time has come and that nobody has fired yet.
#[derive(Clone, Debug)]
pub struct DueNode {
    pub supervision_node_id: i64,
    pub case_id: i64,
    pub kind: NodeKind,
    pub status: CaseStatus,
    pub claimed: bool,
}

/// A node that fired, for the supervision lists.
#[derive(Clone, Debug)]
pub struct FiredNode {
    pub case_number: String,
    pub kind: NodeKind,
    pub effect: NodeEffect,
    pub outcome: NodeOutcome,
    pub unit_id: Option<String>,
    pub due_at: DateTime<Utc>,
    pub fired_at: DateTime<Utc>,
}

#[async_trait]
pub trait SupervisionStore: Send + Sync {
    /// Nodes due at `now` and not fired yet, oldest first.
    async fn due_nodes(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<DueNode>>;

    /// Fires a node if nobody has; an escalation also marks its case overdue. Says whether this
    /// call fired it.
    async fn fire_node(
        &self,
        node: &DueNode,
        outcome: NodeOutcome,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    /// Fired nodes that did something (reminded or escalated), newest first, of one unit if given.
    async fn fired_nodes(&self, unit_id: Option<&str>, limit: i64) -> Result<Vec<FiredNode>>;
}

#[derive(sqlx::FromRow)]
pub(super) struct DueRow {
    pub supervision_node_id: i64,
    pub case_id: i64,
    pub kind: String,
    pub status: String,
    pub claimed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(super) struct FiredRow {
    pub case_number: String,
    pub kind: String,
    pub effect: String,
    pub outcome: String,
    pub unit_id: Option<String>,
    pub due_at: DateTime<Utc>,
    pub fired_at: DateTime<Utc>,
}

fn corrupt(what: &str, value: &str) -> super::StoreError {
    super::StoreError::Corrupt(format!("{what} {value:?}"))
}

impl DueRow {
    pub(super) fn into_node(self) -> Result<DueNode> {
        Ok(DueNode {
            supervision_node_id: self.supervision_node_id,
            case_id: self.case_id,
            kind: NodeKind::parse(&self.kind).ok_or_else(|| corrupt("node kind", &self.kind))?,
            status: super::rows::status(&self.status)?,
            claimed: self.claimed_at.is_some(),
        })
    }
}

impl FiredRow {
    pub(super) fn into_fired(self) -> Result<FiredNode> {
        Ok(FiredNode {
            kind: NodeKind::parse(&self.kind).ok_or_else(|| corrupt("node kind", &self.kind))?,
            effect: match self.effect.as_str() {
                "reminder" => NodeEffect::Reminder,
                "escalation" => NodeEffect::Escalation,
                other => return Err(corrupt("node effect", other)),
            },
            outcome: NodeOutcome::parse(&self.outcome)
                .ok_or_else(|| corrupt("node outcome", &self.outcome))?,
            case_number: self.case_number,
            unit_id: self.unit_id,
            due_at: self.due_at,
            fired_at: self.fired_at,
        })
    }
}

pub(super) fn effect_str(effect: NodeEffect) -> &'static str {
    match effect {
        NodeEffect::Reminder => "reminder",
        NodeEffect::Escalation => "escalation",
    }
}

/// Plans (or re-plans, on a new dispatch) a node; a node that already fired stays as it was.
pub(super) const PLAN_NODE: &str = "INSERT INTO supervision_node \
     (case_id, kind, effect, unit_id, due_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (case_id, kind) DO UPDATE SET due_at = excluded.due_at, \
     unit_id = excluded.unit_id WHERE supervision_node.fired_at IS NULL";
pub(super) const SELECT_DUE: &str = "SELECT n.supervision_node_id, n.case_id, n.kind, c.status, \
     c.claimed_at FROM supervision_node n JOIN \"case\" c ON c.case_id = n.case_id \
     WHERE n.fired_at IS NULL AND n.due_at <= $1 ORDER BY n.due_at LIMIT $2";
pub(super) const FIRE_NODE: &str = "UPDATE supervision_node SET fired_at = $1, outcome = $2 \
     WHERE supervision_node_id = $3 AND fired_at IS NULL";
pub(super) const MARK_OVERDUE: &str = "UPDATE \"case\" SET overdue = TRUE WHERE case_id = $1";
pub(super) const SELECT_FIRED: &str = "SELECT c.case_number, n.kind, n.effect, n.outcome, \
     n.unit_id, n.due_at, n.fired_at FROM supervision_node n \
     JOIN \"case\" c ON c.case_id = n.case_id \
     WHERE n.fired_at IS NOT NULL AND n.outcome <> 'not_needed' \
     AND ($1 IS NULL OR n.unit_id = $1) ORDER BY n.fired_at DESC, n.supervision_node_id DESC \
     LIMIT $2";

macro_rules! impl_supervision_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::supervision::SupervisionStore for $store {
            async fn due_nodes(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                limit: i64,
            ) -> $crate::store::Result<Vec<$crate::store::supervision::DueNode>> {
                let rows: Vec<$crate::store::supervision::DueRow> =
                    sqlx::query_as($crate::store::supervision::SELECT_DUE)
                        .bind(now)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(|r| r.into_node()).collect()
            }

            async fn fire_node(
                &self,
                node: &$crate::store::supervision::DueNode,
                outcome: yousu_core::deadline::NodeOutcome,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let fired = sqlx::query($crate::store::supervision::FIRE_NODE)
                    .bind(now)
                    .bind(outcome.as_str())
                    .bind(node.supervision_node_id)
                    .execute(&mut *tx)
                    .await?;
                if fired.rows_affected() != 1 {
                    return Ok(false);
                }
                if outcome == yousu_core::deadline::NodeOutcome::Escalated {
                    sqlx::query($crate::store::supervision::MARK_OVERDUE)
                        .bind(node.case_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(true)
            }

            async fn fired_nodes(
                &self,
                unit_id: Option<&str>,
                limit: i64,
            ) -> $crate::store::Result<Vec<$crate::store::supervision::FiredNode>> {
                let rows: Vec<$crate::store::supervision::FiredRow> =
                    sqlx::query_as($crate::store::supervision::SELECT_FIRED)
                        .bind(unit_id)
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter().map(|r| r.into_fired()).collect()
            }
        }
    };
}
pub(super) use impl_supervision_store;

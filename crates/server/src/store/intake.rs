//! Taking in a new case exactly once per idempotency key, in one write transaction: the key is
//! claimed, the case numbered and written with its first timeline entries, and the answer kept
//! under the key for replays. Nothing of a failed attempt stays behind, so a retry starts clean.
//!
//! On SQLite only one writer commits at a time, and with synchronous=FULL every commit waits for
//! the disk (0.2 ms usually, 10 ms and more at times on this machine): a claim and a write per
//! submission in transactions of their own, on eight connections that wait for the lock in
//! SQLite's busy handler (sleeping 1, 2, 5… ms), made two flushes a submission and queues that
//! woke late. So one writer task on a connection of its own takes the submissions that arrived
//! while the disk was busy and commits them together (group commit): one flush for many
//! cases, and no waiting in the busy handler between them. PostgreSQL already groups
//! concurrent commits into one flush; there each submission is its own transaction.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{Pool, Sqlite};
use tokio::sync::{mpsc, oneshot};
use yousu_core::CaseNumber;

use super::{Answer, CaseInsert, CaseRecord, Reservation, Result, StoreError};

/// The idempotency key a submission came with, by hashes. An attempt that claimed a key and then
/// vanished without writing (impossible now that both happen in one transaction, but possible
/// for keys stored by earlier versions) is taken over once `stale_before` has passed.
#[derive(Clone, Debug)]
pub struct KeyClaim {
    pub key_hash: String,
    pub request_hash: String,
    pub now: DateTime<Utc>,
    pub stale_before: DateTime<Utc>,
}

/// Renders the answer to a submission from the case just written, on the writer's side.
pub type RenderOwnedAnswer = Arc<dyn Fn(&CaseRecord) -> Answer + Send + Sync>;

/// What became of a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TakenIn {
    /// Written now: the case's number and the answer stored under its key.
    Written(CaseNumber, Answer),
    /// Not written: the key's earlier answer, or why the key cannot be used.
    Earlier(Reservation),
}

#[async_trait]
pub trait IntakeStore: Send + Sync {
    /// Claims the key and writes the case in one transaction, unless the key was used before.
    async fn take_in(
        &self,
        claim: KeyClaim,
        case: CaseInsert,
        answer: RenderOwnedAnswer,
    ) -> Result<TakenIn>;
}

/// `INSERT INTO case_event` of `n` entries in one statement.
pub fn insert_events_sql(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            let marks: Vec<String> = (1..=8).map(|k| format!("${}", i * 8 + k)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO case_event (case_id, status, actor, actor_id, unit_id, at, note, kind) \
         VALUES {}",
        rows.join(", ")
    )
}

/// The statements of one submission on an open transaction of either back end.
macro_rules! write_case {
    ($tx:expr, $claim:expr, $case:expr, $answer:expr) => {
        async {
            use $crate::store::Reservation;
            use $crate::store::intake::TakenIn;
            use $crate::store::sql::*;
            let (claim, case, answer) = ($claim, $case, $answer);
            let reserved = sqlx::query(RESERVE_KEY)
                .bind(&claim.key_hash)
                .bind(&claim.request_hash)
                .bind(claim.now)
                .execute(&mut *$tx)
                .await?;
            if reserved.rows_affected() != 1 {
                let row: Option<KeyRow> = sqlx::query_as(SELECT_KEY)
                    .bind(&claim.key_hash)
                    .fetch_optional(&mut *$tx)
                    .await?;
                let Some(row) = row else {
                    return Ok(TakenIn::Earlier(Reservation::InFlight));
                };
                let reservation = row.reservation(&claim.request_hash);
                if reservation != Reservation::InFlight {
                    return Ok(TakenIn::Earlier(reservation));
                }
                let taken = sqlx::query(TAKE_OVER_KEY)
                    .bind(claim.now)
                    .bind(&claim.key_hash)
                    .bind(claim.stale_before)
                    .execute(&mut *$tx)
                    .await?;
                if taken.rows_affected() != 1 {
                    return Ok(TakenIn::Earlier(Reservation::InFlight));
                }
            }
            let (serial,): (i64,) = sqlx::query_as(NEXT_SERIAL)
                .bind(case.number_day)
                .fetch_one(&mut *$tx)
                .await?;
            let case_number = u32::try_from(serial)
                .ok()
                .and_then(|serial| yousu_core::CaseNumber::new(case.number_day, serial))
                .ok_or($crate::store::StoreError::SerialsExhausted(case.number_day))?;
            let (case_id,): (i64,) = sqlx::query_as(INSERT_CASE)
                .bind(case_number.as_str())
                .bind(&case.idempotency_key_hash)
                .bind(case.lookup_code.as_str())
                .bind(case.channel.as_str())
                .bind(case.status.as_str())
                .bind(&case.category_id)
                .bind(&case.community_id)
                .bind(&case.description)
                .bind(&case.address)
                .bind(&case.contact_name)
                .bind(&case.contact_phone)
                .bind(case.tier.as_str())
                .bind(case.submitted_at)
                .bind(case.accepted_at)
                .bind(case.deadline_at)
                .bind(&case.access_token_hash)
                .bind(case.anonymous)
                .bind(case.hide_identity)
                .bind(case.position.map(|p| p.lat))
                .bind(case.position.map(|p| p.long))
                .bind(attributes_json(&case.attributes))
                .bind(&case.service_token)
                .bind(&case.api_key_id)
                .bind(&case.volunteer_name)
                .fetch_one(&mut *$tx)
                .await?;
            // One statement for all the first entries; the case row already says when it was
            // last changed (its submission), so they need no touch of `updated_at` each.
            if !case.events.is_empty() {
                let sql = $crate::store::intake::insert_events_sql(case.events.len());
                let mut insert = sqlx::query(&sql);
                for event in &case.events {
                    insert = insert
                        .bind(case_id)
                        .bind(event.status.as_str())
                        .bind(event.actor.as_str())
                        .bind(&event.actor_id)
                        .bind(&event.unit_id)
                        .bind(event.at)
                        .bind(&event.note)
                        .bind(event.kind.as_str());
                }
                insert.execute(&mut *$tx).await?;
            }
            if case.events.iter().any(|e| e.at > case.submitted_at) {
                let last = case.events.iter().map(|e| e.at).max();
                sqlx::query(TOUCH_CASE)
                    .bind(last)
                    .bind(case_id)
                    .execute(&mut *$tx)
                    .await?;
            }
            for (order, photo) in case.photo_ids.iter().enumerate() {
                let attached = sqlx::query(ATTACH_PHOTO)
                    .bind(case_id)
                    .bind(order as i64)
                    .bind(photo.as_str())
                    .execute(&mut *$tx)
                    .await?;
                if attached.rows_affected() != 1 {
                    return Err($crate::store::StoreError::PhotoUnavailable(
                        photo.as_str().to_owned(),
                    ));
                }
            }
            let (status, body) = answer(&$crate::store::CaseRecord::written(
                case,
                case_id,
                case_number.clone(),
            ));
            sqlx::query(FINISH_KEY)
                .bind(i64::from(status))
                .bind(&body)
                .bind(&case.idempotency_key_hash)
                .execute(&mut *$tx)
                .await?;
            Ok::<_, $crate::store::StoreError>(TakenIn::Written(case_number, (status, body)))
        }
    };
}
pub(super) use write_case;

/// PostgreSQL: one transaction per submission.
macro_rules! impl_intake_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::intake::IntakeStore for $store {
            async fn take_in(
                &self,
                claim: $crate::store::intake::KeyClaim,
                case: $crate::store::CaseInsert,
                answer: $crate::store::intake::RenderOwnedAnswer,
            ) -> $crate::store::Result<$crate::store::intake::TakenIn> {
                let mut tx = self.pool.begin().await?;
                let taken = $crate::store::intake::write_case!(tx, &claim, &case, &*answer).await?;
                tx.commit().await?;
                Ok(taken)
            }
        }
    };
}
pub(super) use impl_intake_store;

/// The most submissions one SQLite commit takes: enough for a burst, small enough that the
/// first of them does not wait long for the last.
const MAX_BATCH: usize = 256;

struct Job {
    claim: KeyClaim,
    case: CaseInsert,
    answer: RenderOwnedAnswer,
    reply: oneshot::Sender<Result<TakenIn>>,
}

/// SQLite's one intake writer, fed through a queue.
pub struct SqliteIntake {
    jobs: mpsc::Sender<Job>,
}

impl SqliteIntake {
    /// Starts the writer on `pool`, which should hold one connection of its own.
    pub fn start(pool: Pool<Sqlite>) -> Self {
        let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(write_batches(pool, queue));
        Self { jobs }
    }

    pub async fn take_in(
        &self,
        claim: KeyClaim,
        case: CaseInsert,
        answer: RenderOwnedAnswer,
    ) -> Result<TakenIn> {
        let (reply, answered) = oneshot::channel();
        let job = Job {
            claim,
            case,
            answer,
            reply,
        };
        self.jobs.send(job).await.map_err(|_| gone())?;
        answered.await.map_err(|_| gone())?
    }
}

fn gone() -> StoreError {
    StoreError::Database(sqlx::Error::PoolClosed)
}

async fn write_batches(pool: Pool<Sqlite>, mut queue: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&pool, &batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    let _ = job.reply.send(outcome);
                }
            }
            // The database is busy, locked or gone: writing each submission on its own would
            // wait again for each, so all of them get the answer to try again.
            Err(error) if error.is_unavailable() => {
                let error = error.to_string();
                for job in batch.drain(..) {
                    let _ = job.reply.send(Err(StoreError::Unavailable(error.clone())));
                }
            }
            // A submission or the transaction itself failed: each submission on its own, so
            // each gets its own answer.
            Err(_) => {
                for job in batch.drain(..) {
                    let outcome = write_batch(&pool, std::slice::from_ref(&job))
                        .await
                        .and_then(|mut o| o.pop().unwrap_or_else(|| Err(gone())));
                    let _ = job.reply.send(outcome);
                }
            }
        }
    }
}

/// One transaction for the batch. A submission that fails (a photo already taken, say) fails
/// the batch, which is then written again one submission at a time, so that only it fails:
/// rare enough that the common case needs no savepoint per submission.
async fn write_batch(pool: &Pool<Sqlite>, batch: &[Job]) -> Result<Vec<Result<TakenIn>>> {
    let mut tx = pool.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        let outcome = write_case!(tx, &job.claim, &job.case, &*job.answer).await;
        match outcome {
            Ok(taken) => outcomes.push(Ok(taken)),
            Err(error) => {
                tx.rollback().await?;
                return if batch.len() == 1 {
                    Ok(vec![Err(error)])
                } else {
                    Err(error)
                };
            }
        }
    }
    tx.commit().await?;
    Ok(outcomes)
}

#[async_trait]
impl IntakeStore for super::SqliteStore {
    async fn take_in(
        &self,
        claim: KeyClaim,
        case: CaseInsert,
        answer: RenderOwnedAnswer,
    ) -> Result<TakenIn> {
        self.intake.take_in(claim, case, answer).await
    }
}

//! Storage behind one interface with two back ends: SQLite (embedded default) and PostgreSQL
//! (several server instances sharing one database). Both run the same SQL (`$n` parameters work in
//! both) from `sql.rs`; each has its own migrations.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use yousu_core::api::EventKind;
use yousu_core::attribute::AttributeAnswers;
use yousu_core::catalog::{Catalog, Grid, Units};
use yousu_core::lifecycle::Actor;
use yousu_core::rates::Satisfaction;
use yousu_core::{CaseNumber, CaseStatus, Channel, LookupCode, PhotoId, Position, TimeTier};

use crate::config::DatabaseUrl;
use crate::demo::DemoData;

pub mod admin;
pub mod dispatching;
pub mod figures;
pub mod handling;
pub mod intake;
pub mod limits;
pub mod live;
pub mod open311;
pub mod oversight;
mod postgres;
mod rows;
mod sql;
mod sqlite;
pub mod staff;
pub mod supervision;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("the case number serials of {0} are used up")]
    SerialsExhausted(NaiveDate),
    /// A photo named by a submission is unknown or already belongs to another case.
    #[error("photo {0} is not available")]
    PhotoUnavailable(String),
    /// The database was unavailable for a whole batch of writes (see `is_unavailable`).
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// The database cannot take the request right now — busy, locked, full, shutting down,
    /// starting up or unreachable: worth retrying with the same request (503), unlike a fault in
    /// our own queries or data (500).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Unavailable(_) => true,
            StoreError::Database(error) => database_is_unavailable(error),
            _ => false,
        }
    }
}

/// How long a request waits for SQLite's write lock (its busy timeout) while another connection
/// or process holds it, before it answers 503.
///
/// A write lock is normally held for milliseconds: `cargo xtask bench` saw submissions at
/// p99.9 = 11 ms at 1,000 a second and group commits of a few ms. So a wait of two seconds is
/// some hundred times what a healthy database needs, and anything longer is a hiccup no wait
/// will hide; it was ten seconds, which a resident on a phone took for a hang before getting a
/// 500. The app's outbox sends the appeal again, with the same key.
pub const WAIT_FOR_WRITE_LOCK: std::time::Duration = std::time::Duration::from_secs(2);

/// How long a request waits for a pooled PostgreSQL connection before it answers 503: all in
/// use, being opened, or the server restarting (sqlx keeps reconnecting meanwhile).
///
/// Longer than SQLite's wait because it also covers opening connections: at 2 s, 40 appeals
/// sent at once to two fresh instances on a busy 2-core machine (load 8) got 503s while the
/// pools opened their first connections. Five seconds rides out a fast restart (0.5 to 1.5 s
/// here) for a request that needs a new connection, and is half the ten seconds a resident
/// waited before; a request whose session the restart ended answers 503 at once.
pub const WAIT_FOR_CONNECTION: std::time::Duration = std::time::Duration::from_secs(5);

fn database_is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => {
            let code = e.code().unwrap_or_default();
            if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                sqlite_code_is_unavailable(&code)
            } else {
                sqlstate_is_unavailable(&code)
            }
        }
        _ => false,
    }
}

/// SQLite's BUSY (5), LOCKED (6) and FULL (13), with their extended codes (the primary code is
/// the low byte: BUSY_SNAPSHOT is 517).
fn sqlite_code_is_unavailable(code: &str) -> bool {
    code.parse::<i32>()
        .is_ok_and(|code| matches!(code & 0xff, 5 | 6 | 13))
}

/// PostgreSQL's SQLSTATEs for a server going away or out of room: class 08 (connection
/// exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting
/// up), 53100 disk full, 53200 out of memory, 53300 too many connections. Not 53400 (a
/// configured limit a retry hits again), nor anything our own queries could cause.
fn sqlstate_is_unavailable(code: &str) -> bool {
    code.starts_with("08")
        || matches!(
            code,
            "57P01" | "57P02" | "57P03" | "53100" | "53200" | "53300"
        )
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A case ready to be written: validated, numbered by the store.
#[derive(Clone, Debug)]
pub struct CaseInsert {
    pub idempotency_key_hash: String,
    pub access_token_hash: String,
    pub lookup_code: LookupCode,
    pub channel: Channel,
    pub status: CaseStatus,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    /// Empty for an anonymous appeal.
    pub contact_phone: String,
    pub anonymous: bool,
    pub hide_identity: bool,
    /// The volunteer who submitted for the resident (channel `volunteer`).
    pub volunteer_name: Option<String>,
    pub tier: TimeTier,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    /// The city-local day whose serials number the case.
    pub number_day: NaiveDate,
    pub position: Option<Position>,
    pub attributes: AttributeAnswers,
    /// Uploaded photos to attach, in order; each must be unattached.
    pub photo_ids: Vec<PhotoId>,
    /// The token an Open311 submission answers with (`tokens/{token}`).
    pub service_token: Option<String>,
    /// The API key an Open311 client submitted with.
    pub api_key_id: Option<String>,
    /// Timeline entries written with the case, oldest first.
    pub events: Vec<EventInsert>,
}

#[derive(Clone, Debug)]
pub struct EventInsert {
    pub kind: EventKind,
    pub status: CaseStatus,
    pub actor: Actor,
    /// The staff account that acted, if any (never shown to residents).
    pub actor_id: Option<String>,
    /// The unit the step concerns (dispatched to, claimed by, …).
    pub unit_id: Option<String>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// A stored case with its timeline.
#[derive(Clone, Debug)]
pub struct CaseRecord {
    pub case_id: i64,
    pub case_number: CaseNumber,
    /// Absent on cases stored before access tokens existed.
    pub access_token_hash: Option<String>,
    pub lookup_code: LookupCode,
    pub channel: Channel,
    pub status: CaseStatus,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: String,
    pub anonymous: bool,
    pub hide_identity: bool,
    /// The volunteer who submitted for the resident (channel `volunteer`).
    pub volunteer_name: Option<String>,
    pub tier: TimeTier,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub position: Option<Position>,
    pub attributes: AttributeAnswers,
    pub photo_ids: Vec<PhotoId>,
    pub handling: Handling,
    pub events: Vec<EventRecord>,
}

pub type EventRecord = EventInsert;

/// The handling of a case once a unit has it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handling {
    pub unit_id: Option<String>,
    pub catalog_item_id: Option<String>,
    pub dispatched_at: Option<DateTime<Utc>>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub reply: Option<String>,
    pub rating: Option<StoredRating>,
    pub reopened: bool,
    pub merged_into: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRating {
    pub rated_at: DateTime<Utc>,
    pub resolved: bool,
    pub satisfaction: Satisfaction,
    pub comment: Option<String>,
}

/// What an idempotency key says about a submission (see `intake`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reservation {
    /// The work was done before: here is its answer.
    Replay { status: u16, body: String },
    /// The key was used before with another request.
    Reused,
    /// Another attempt with this key is running now.
    InFlight,
}

/// The answer to store with a new case for replays: HTTP status and JSON body.
pub type Answer = (u16, String);

impl CaseRecord {
    /// The record of a case just written from `insert`.
    pub fn written(insert: &CaseInsert, case_id: i64, case_number: CaseNumber) -> Self {
        Self {
            case_id,
            case_number,
            access_token_hash: Some(insert.access_token_hash.clone()),
            lookup_code: insert.lookup_code.clone(),
            channel: insert.channel,
            status: insert.status,
            category_id: insert.category_id.clone(),
            community_id: insert.community_id.clone(),
            description: insert.description.clone(),
            address: insert.address.clone(),
            contact_name: insert.contact_name.clone(),
            contact_phone: insert.contact_phone.clone(),
            anonymous: insert.anonymous,
            hide_identity: insert.hide_identity,
            volunteer_name: insert.volunteer_name.clone(),
            tier: insert.tier,
            submitted_at: insert.submitted_at,
            accepted_at: insert.accepted_at,
            deadline_at: insert.deadline_at,
            position: insert.position,
            attributes: insert.attributes.clone(),
            photo_ids: insert.photo_ids.clone(),
            handling: Handling::default(),
            events: insert.events.clone(),
        }
    }
}

/// Everything the platform keeps; each part is its own trait, implemented on both back ends.
#[async_trait]
pub trait Store:
    admin::AdminStore
    + figures::FiguresStore
    + dispatching::DispatchStore
    + handling::HandlingStore
    + intake::IntakeStore
    + limits::LimitStore
    + live::LiveStore
    + open311::PublicStore
    + oversight::OversightStore
    + staff::StaffStore
    + supervision::SupervisionStore
    + Send
    + Sync
    + 'static
{
    /// `"sqlite"` or `"postgres"`.
    fn backend(&self) -> &'static str;

    /// Checks the database answers.
    async fn ping(&self) -> Result<()>;

    /// Checks the database would take a write now, without writing: SQLite takes and drops its
    /// write lock (`BEGIN IMMEDIATE`), PostgreSQL says it is a primary in read-write mode.
    async fn probe_writes(&self) -> Result<()>;

    /// Whether the catalogue is still empty (a new database).
    async fn is_empty(&self) -> Result<bool>;

    /// Writes reference data (grid, units, catalogue) in one transaction.
    async fn load_reference(&self, data: &DemoData) -> Result<()>;

    async fn catalog(&self) -> Result<Catalog>;

    async fn grid(&self) -> Result<Grid>;

    async fn units(&self) -> Result<Units>;

    /// Forgets idempotency keys made before `before`; says how many.
    async fn purge_keys(&self, before: DateTime<Utc>) -> Result<u64>;

    async fn case_by_number(&self, case_number: &CaseNumber) -> Result<Option<CaseRecord>>;
}

/// Opens (creating if needed) and migrates the database the URL names.
pub async fn connect(url: &DatabaseUrl) -> Result<Arc<dyn Store>> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
        DatabaseUrl::Postgres(url) => Arc::new(PostgresStore::open(url).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_busy_locked_and_full_are_unavailable_with_their_extended_codes() {
        for code in ["5", "6", "13", "261", "517", "262"] {
            assert!(sqlite_code_is_unavailable(code), "{code}");
        }
        // CONSTRAINT_UNIQUE, ERROR, CORRUPT, READONLY: our fault or the disk's, not a hiccup.
        for code in ["2067", "1", "11", "8", ""] {
            assert!(!sqlite_code_is_unavailable(code), "{code}");
        }
    }

    #[test]
    fn postgres_shutdown_startup_connection_and_resource_states_are_unavailable() {
        for code in [
            "57P01", "57P02", "57P03", "08000", "08006", "08001", "53100", "53200", "53300",
        ] {
            assert!(sqlstate_is_unavailable(code), "{code}");
        }
        for code in ["23505", "42P01", "53400", "40001", "57014", ""] {
            assert!(!sqlstate_is_unavailable(code), "{code}");
        }
    }

    #[test]
    fn pool_timeouts_and_io_errors_are_unavailable_and_query_faults_are_not() {
        let timed_out = StoreError::Database(sqlx::Error::PoolTimedOut);
        assert!(timed_out.is_unavailable());
        let io = StoreError::Database(sqlx::Error::Io(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )));
        assert!(io.is_unavailable());
        assert!(!StoreError::Database(sqlx::Error::RowNotFound).is_unavailable());
        assert!(!StoreError::Corrupt("x".into()).is_unavailable());
    }
}

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
}

impl StoreError {
    /// The database cannot be reached or is overloaded right now: worth retrying (503), unlike
    /// a fault in our own queries or data (500).
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Io(_)
                    | sqlx::Error::Tls(_)
                    | sqlx::Error::WorkerCrashed
            )
        )
    }
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

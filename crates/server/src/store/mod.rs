//! Storage behind one interface with two back ends: SQLite (embedded default) and PostgreSQL
//! (several server instances sharing one database). Both run the same SQL (`$n` parameters work in
//! both) from `sql.rs`; each has its own migrations.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use yousu_core::catalog::{Catalog, Grid};
use yousu_core::{CaseNumber, CaseStatus, Channel, LookupCode, TimeTier};

use crate::config::DatabaseUrl;
use crate::demo::DemoData;

mod postgres;
mod sql;
mod sqlite;

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
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A case ready to be written: validated, numbered by the store.
#[derive(Clone, Debug)]
pub struct CaseInsert {
    pub idempotency_key_hash: String,
    pub lookup_code: LookupCode,
    pub channel: Channel,
    pub status: CaseStatus,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: String,
    pub tier: TimeTier,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    /// The city-local day whose serials number the case.
    pub number_day: NaiveDate,
    /// Timeline entries written with the case, oldest first.
    pub events: Vec<EventInsert>,
}

#[derive(Clone, Debug)]
pub struct EventInsert {
    pub status: CaseStatus,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// A stored case with its timeline.
#[derive(Clone, Debug)]
pub struct CaseRecord {
    pub case_id: i64,
    pub case_number: CaseNumber,
    pub idempotency_key_hash: String,
    pub lookup_code: LookupCode,
    pub channel: Channel,
    pub status: CaseStatus,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: String,
    pub tier: TimeTier,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub events: Vec<EventRecord>,
}

#[derive(Clone, Debug)]
pub struct EventRecord {
    pub status: CaseStatus,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// What `insert_case` did: a new case, or the one an earlier call with the same key made.
#[derive(Clone, Debug)]
pub enum Inserted {
    Created(CaseRecord),
    Replayed(CaseRecord),
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
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

    /// Numbers and writes a case with its first timeline entries, exactly once per idempotency key.
    async fn insert_case(&self, case: &CaseInsert) -> Result<Inserted>;

    async fn case_by_number(&self, case_number: &CaseNumber) -> Result<Option<CaseRecord>>;
}

/// Opens (creating if needed) and migrates the database the URL names.
pub async fn connect(url: &DatabaseUrl) -> Result<Arc<dyn Store>> {
    Ok(match url {
        DatabaseUrl::Sqlite(path) => Arc::new(SqliteStore::open(path).await?),
        DatabaseUrl::Postgres(url) => Arc::new(PostgresStore::open(url).await?),
    })
}

//! The embedded SQLite back end: one file, WAL journal, foreign keys on.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Pool, Sqlite};

use super::{Result, StoreError};

pub struct SqliteStore {
    pool: Pool<Sqlite>,
    /// The one writer of new cases, on a connection of its own (see `intake`).
    pub(super) intake: super::intake::SqliteIntake,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                path: folder.display().to_string(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous())
            .foreign_keys(true)
            // Reads map the file instead of copying each page through a system call: the
            // monthly evaluation reads a month's cases (~100 thousand rows with 1 M stored).
            .pragma("mmap_size", "1073741824")
            .busy_timeout(super::WAIT_FOR_WRITE_LOCK)
            // sqlx warns of statements slower than 1 s; every statement that waited out the
            // busy timeout would be logged again beside its request's one line (a 503).
            .log_slow_statements(
                log::LevelFilter::Warn,
                super::WAIT_FOR_WRITE_LOCK + Duration::from_secs(3),
            );
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            intake: super::intake::SqliteIntake::start(writer),
        })
    }
}

impl SqliteStore {
    /// Takes the write lock and lets it go, writing nothing: fails while another connection or
    /// process holds it longer than `WAIT_FOR_WRITE_LOCK`.
    async fn probe_writes_now(&self) -> Result<()> {
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        tx.rollback().await?;
        Ok(())
    }
}

/// FULL (shipped): an acknowledged submission survives a power cut, not only a crash.
/// `YOUSU_SQLITE_SYNCHRONOUS=normal` trades that for speed (a crash still loses nothing in WAL
/// mode); `cargo xtask bench` uses it to print the NORMAL figures beside the shipped ones.
fn synchronous() -> SqliteSynchronous {
    match std::env::var("YOUSU_SQLITE_SYNCHRONOUS") {
        Ok(v) if v.eq_ignore_ascii_case("normal") => SqliteSynchronous::Normal,
        _ => SqliteSynchronous::Full,
    }
}

super::handling::impl_handling_store!(SqliteStore);
super::figures::impl_figures_store!(SqliteStore);
super::dispatching::impl_dispatch_store!(SqliteStore);
super::staff::impl_staff_store!(SqliteStore);
super::admin::impl_admin_store!(SqliteStore);
super::open311::impl_public_store!(SqliteStore);
super::live::impl_live_store!(SqliteStore);
super::limits::impl_limit_store!(SqliteStore);
super::oversight::impl_oversight_store!(SqliteStore);
super::supervision::impl_supervision_store!(SqliteStore);
super::sql::impl_store!(SqliteStore, "sqlite");

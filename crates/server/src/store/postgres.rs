//! The PostgreSQL back end, for deployments that run several server instances on one database.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{Pool, Postgres};

use super::Result;

/// A connection idle this long is pinged before it is used again.
const CHECK_IF_IDLE_FOR: Duration = Duration::from_secs(10);

pub struct PostgresStore {
    pool: Pool<Postgres>,
}

impl PostgresStore {
    pub async fn open(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(super::WAIT_FOR_CONNECTION)
            // sqlx pings every connection it hands out, one more round trip per query; under load
            // that doubled the database's work for a case read. A connection in steady use is
            // alive; only one idle for a while (a restarted database, a dropped link) is checked.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > CHECK_IF_IDLE_FOR {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

impl PostgresStore {
    /// A standby, or a server set read-only, answers reads and refuses every write.
    async fn probe_writes_now(&self) -> Result<()> {
        let (writable,): (bool,) = sqlx::query_as(
            "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'",
        )
        .fetch_one(&self.pool)
        .await?;
        if writable {
            Ok(())
        } else {
            Err(super::StoreError::Unavailable(
                "the database is read-only".into(),
            ))
        }
    }
}

super::handling::impl_handling_store!(PostgresStore);
super::intake::impl_intake_store!(PostgresStore);
super::figures::impl_figures_store!(PostgresStore);
super::dispatching::impl_dispatch_store!(PostgresStore);
super::staff::impl_staff_store!(PostgresStore);
super::admin::impl_admin_store!(PostgresStore);
super::open311::impl_public_store!(PostgresStore);
super::live::impl_live_store!(PostgresStore);
super::limits::impl_limit_store!(PostgresStore);
super::oversight::impl_oversight_store!(PostgresStore);
super::supervision::impl_supervision_store!(PostgresStore);
super::sql::impl_store!(PostgresStore, "postgres");

//! The PostgreSQL back end, for deployments that run several server instances on one database.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{Pool, Postgres};

use super::Result;

pub struct PostgresStore {
    pool: Pool<Postgres>,
}

impl PostgresStore {
    pub async fn open(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
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
super::oversight::impl_oversight_store!(PostgresStore);
super::supervision::impl_supervision_store!(PostgresStore);
super::sql::impl_store!(PostgresStore, "postgres");

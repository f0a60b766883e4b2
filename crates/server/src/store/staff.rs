//! Staff accounts and their sessions, on both back ends.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use yousu_core::api::StaffRole;

use super::Result;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffAccount {
    pub staff_account_id: String,
    pub display_name: String,
    pub role: StaffRole,
    pub unit_id: Option<String>,
    pub password_hash: String,
}

#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Adds an account unless one with its id exists; says whether it added it.
    async fn insert_staff_account(
        &self,
        account: &StaffAccount,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    async fn staff_account(&self, staff_account_id: &str) -> Result<Option<StaffAccount>>;

    async fn insert_session(
        &self,
        token_hash: &str,
        staff_account_id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;

    /// The account whose session this is, unless the session expired (by `now`) or has not been
    /// used since `idle_since`; with the time it was last used.
    async fn session_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> Result<Option<(StaffAccount, DateTime<Utc>)>>;

    /// Records that a session was used at `now`.
    async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<()>;

    /// Deletes the sessions expired by `now` or unused since `idle_since`; says how many.
    async fn purge_sessions(&self, now: DateTime<Utc>, idle_since: DateTime<Utc>) -> Result<u64>;

    /// Sets an account's own new password and ends its other sessions; says whether the account
    /// exists.
    async fn change_own_password(
        &self,
        staff_account_id: &str,
        password_hash: &str,
        keep_session: &str,
    ) -> Result<bool>;

    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    /// Signs an account out everywhere; says how many sessions ended.
    async fn delete_sessions_of(&self, staff_account_id: &str) -> Result<u64>;

    /// Records that a staff member saw a case's contact details.
    async fn log_contact_access(
        &self,
        case_id: i64,
        account: &StaffAccount,
        purpose: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Every recorded view of a case's contact details, oldest first: (username, role, purpose, at).
    async fn contact_accesses(
        &self,
        case_id: i64,
    ) -> Result<Vec<(String, String, String, DateTime<Utc>)>>;
}

#[derive(sqlx::FromRow)]
pub(super) struct StaffRow {
    pub staff_account_id: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: Option<String>,
    pub password_hash: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    #[sqlx(flatten)]
    pub account: StaffRow,
    pub last_seen_at: DateTime<Utc>,
}

impl StaffRow {
    pub(super) fn into_account(self) -> Result<StaffAccount> {
        Ok(StaffAccount {
            role: StaffRole::parse(&self.role)
                .ok_or_else(|| super::StoreError::Corrupt(format!("role {:?}", self.role)))?,
            staff_account_id: self.staff_account_id,
            display_name: self.display_name,
            unit_id: self.unit_id,
            password_hash: self.password_hash,
        })
    }
}

pub(super) const INSERT_ACCOUNT: &str = "INSERT INTO staff_account \
     (staff_account_id, display_name, role, unit_id, password_hash, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (staff_account_id) DO NOTHING";
pub(super) const SELECT_ACCOUNT: &str = "SELECT staff_account_id, display_name, role, unit_id, \
     password_hash FROM staff_account WHERE staff_account_id = $1 AND disabled_at IS NULL";
pub(super) const INSERT_SESSION: &str = "INSERT INTO staff_session \
     (token_hash, staff_account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
pub(super) const SELECT_SESSION_ACCOUNT: &str = "SELECT a.staff_account_id, a.display_name, \
     a.role, a.unit_id, a.password_hash, COALESCE(s.last_seen_at, s.created_at) AS last_seen_at \
     FROM staff_session s JOIN staff_account a ON a.staff_account_id = s.staff_account_id \
     WHERE s.token_hash = $1 AND s.expires_at > $2 \
     AND COALESCE(s.last_seen_at, s.created_at) > $3 AND a.disabled_at IS NULL";
pub(super) const TOUCH_SESSION: &str =
    "UPDATE staff_session SET last_seen_at = $2 WHERE token_hash = $1";
pub(super) const PURGE_SESSIONS: &str = "DELETE FROM staff_session \
     WHERE expires_at <= $1 OR COALESCE(last_seen_at, created_at) <= $2";
pub(super) const SET_OWN_PASSWORD: &str = "UPDATE staff_account SET password_hash = $2 WHERE staff_account_id = $1 AND disabled_at IS NULL";
pub(super) const DELETE_OTHER_SESSIONS: &str =
    "DELETE FROM staff_session WHERE staff_account_id = $1 AND token_hash <> $2";
pub(super) const DELETE_SESSION: &str = "DELETE FROM staff_session WHERE token_hash = $1";
pub(super) const DELETE_SESSIONS_OF: &str = "DELETE FROM staff_session WHERE staff_account_id = $1";

pub(super) const LOG_CONTACT_ACCESS: &str = "INSERT INTO contact_access \
     (case_id, staff_account_id, role, purpose, at) VALUES ($1, $2, $3, $4, $5)";
pub(super) const SELECT_CONTACT_ACCESS: &str = "SELECT staff_account_id, role, purpose, at \
     FROM contact_access WHERE case_id = $1 ORDER BY contact_access_id";

macro_rules! impl_staff_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::staff::StaffStore for $store {
            async fn insert_staff_account(
                &self,
                account: &$crate::store::staff::StaffAccount,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::staff::INSERT_ACCOUNT)
                    .bind(&account.staff_account_id)
                    .bind(&account.display_name)
                    .bind(account.role.as_str())
                    .bind(&account.unit_id)
                    .bind(&account.password_hash)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn staff_account(
                &self,
                staff_account_id: &str,
            ) -> $crate::store::Result<Option<$crate::store::staff::StaffAccount>> {
                let row: Option<$crate::store::staff::StaffRow> =
                    sqlx::query_as($crate::store::staff::SELECT_ACCOUNT)
                        .bind(staff_account_id)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|r| r.into_account()).transpose()
            }

            async fn insert_session(
                &self,
                token_hash: &str,
                staff_account_id: &str,
                now: chrono::DateTime<chrono::Utc>,
                expires_at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::staff::INSERT_SESSION)
                    .bind(token_hash)
                    .bind(staff_account_id)
                    .bind(now)
                    .bind(expires_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_account(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                idle_since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<
                Option<(
                    $crate::store::staff::StaffAccount,
                    chrono::DateTime<chrono::Utc>,
                )>,
            > {
                let row: Option<$crate::store::staff::SessionRow> =
                    sqlx::query_as($crate::store::staff::SELECT_SESSION_ACCOUNT)
                        .bind(token_hash)
                        .bind(now)
                        .bind(idle_since)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|r| Ok((r.account.into_account()?, r.last_seen_at)))
                    .transpose()
            }

            async fn touch_session(
                &self,
                token_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::staff::TOUCH_SESSION)
                    .bind(token_hash)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn purge_sessions(
                &self,
                now: chrono::DateTime<chrono::Utc>,
                idle_since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<u64> {
                let done = sqlx::query($crate::store::staff::PURGE_SESSIONS)
                    .bind(now)
                    .bind(idle_since)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn change_own_password(
                &self,
                staff_account_id: &str,
                password_hash: &str,
                keep_session: &str,
            ) -> $crate::store::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let changed = sqlx::query($crate::store::staff::SET_OWN_PASSWORD)
                    .bind(staff_account_id)
                    .bind(password_hash)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query($crate::store::staff::DELETE_OTHER_SESSIONS)
                    .bind(staff_account_id)
                    .bind(keep_session)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(changed == 1)
            }

            async fn delete_session(&self, token_hash: &str) -> $crate::store::Result<()> {
                sqlx::query($crate::store::staff::DELETE_SESSION)
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_sessions_of(
                &self,
                staff_account_id: &str,
            ) -> $crate::store::Result<u64> {
                let done = sqlx::query($crate::store::staff::DELETE_SESSIONS_OF)
                    .bind(staff_account_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn log_contact_access(
                &self,
                case_id: i64,
                account: &$crate::store::staff::StaffAccount,
                purpose: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::staff::LOG_CONTACT_ACCESS)
                    .bind(case_id)
                    .bind(&account.staff_account_id)
                    .bind(account.role.as_str())
                    .bind(purpose)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn contact_accesses(
                &self,
                case_id: i64,
            ) -> $crate::store::Result<Vec<(String, String, String, chrono::DateTime<chrono::Utc>)>>
            {
                Ok(sqlx::query_as($crate::store::staff::SELECT_CONTACT_ACCESS)
                    .bind(case_id)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }
    };
}
pub(super) use impl_staff_store;

//! What administrators change, on both back ends: units and dispatch items (retired, never
//! deleted — cases refer to them), staff accounts (disabled, never deleted — timelines name
//! them), and the versions of the clock rules.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use yousu_core::admin::ItemForm;
use yousu_core::api::StaffRole;

use super::Result;

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UnitRow {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemRow {
    pub catalog_item_id: String,
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: String,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffAdminRow {
    pub staff_account_id: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// One version of the clock rules: the policy as JSON, the calendar in its line format.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ClockRulesRow {
    pub effective_from: DateTime<Utc>,
    pub policy: String,
    pub calendar: String,
    pub changed_by: Option<String>,
}

#[async_trait]
pub trait AdminStore: Send + Sync {
    /// Every unit, retired ones included, by id.
    async fn admin_units(&self) -> Result<Vec<UnitRow>>;

    /// Adds a unit unless its id is taken; says whether it added it.
    async fn insert_unit(&self, unit: &UnitRow) -> Result<bool>;

    /// Renames a unit or changes its level; says whether it exists.
    async fn update_unit(&self, unit: &UnitRow) -> Result<bool>;

    /// How many dispatch items still in use name the unit.
    async fn active_items_of_unit(&self, unit_id: &str) -> Result<i64>;

    /// Retires a unit that is not retired yet; says whether it did.
    async fn retire_unit(&self, unit_id: &str, at: DateTime<Utc>) -> Result<bool>;

    /// Every dispatch item, retired ones included, in catalogue order.
    async fn admin_items(&self) -> Result<Vec<ItemRow>>;

    /// Adds an item at the end of its category unless its id is taken; says whether it did.
    async fn insert_item(&self, item: &ItemForm) -> Result<bool>;

    /// Changes an item (its id stays); says whether it exists.
    async fn update_item(&self, item: &ItemForm) -> Result<bool>;

    async fn retire_item(&self, catalog_item_id: &str, at: DateTime<Utc>) -> Result<bool>;

    /// Adds and updates items in one transaction (an imported item is in use again even if it
    /// was retired); says how many were added and how many updated.
    async fn import_items(&self, items: &[ItemForm]) -> Result<(u64, u64)>;

    /// Every staff account, disabled ones included, by username.
    async fn staff_accounts(&self) -> Result<Vec<StaffAdminRow>>;

    /// Changes an account's name, role and unit; says whether it exists.
    async fn update_staff_account(
        &self,
        staff_account_id: &str,
        display_name: &str,
        role: StaffRole,
        unit_id: Option<&str>,
    ) -> Result<bool>;

    /// Disables (`Some(at)`) or enables (`None`) an account; disabling ends its sessions in the
    /// same transaction. Says whether the account exists.
    async fn set_staff_disabled(
        &self,
        staff_account_id: &str,
        disabled_at: Option<DateTime<Utc>>,
    ) -> Result<bool>;

    /// Sets a new password hash and ends the account's sessions; says whether it exists.
    async fn set_staff_password(&self, staff_account_id: &str, password_hash: &str)
    -> Result<bool>;

    /// Every version of the clock rules, oldest first.
    async fn clock_rules_versions(&self) -> Result<Vec<ClockRulesRow>>;

    async fn insert_clock_rules(&self, rules: &ClockRulesRow) -> Result<()>;

    /// Records that reference data or clock rules changed, for other instances to notice.
    async fn bump_admin_revision(&self, at: DateTime<Utc>) -> Result<()>;

    /// The newest change's number (0 before any).
    async fn admin_revision(&self) -> Result<i64>;
}

pub(super) const SELECT_UNITS: &str = "SELECT unit_id, name_zh, name_en, level, retired_at \
     FROM unit ORDER BY unit_id";
pub(super) const INSERT_UNIT: &str = "INSERT INTO unit (unit_id, name_zh, name_en, level) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO NOTHING";
pub(super) const UPDATE_UNIT: &str =
    "UPDATE unit SET name_zh = $2, name_en = $3, level = $4 WHERE unit_id = $1";
pub(super) const COUNT_ACTIVE_ITEMS: &str =
    "SELECT COUNT(*) FROM catalog_item WHERE unit_id = $1 AND retired_at IS NULL";
pub(super) const RETIRE_UNIT: &str =
    "UPDATE unit SET retired_at = $2 WHERE unit_id = $1 AND retired_at IS NULL";

pub(super) const SELECT_ITEMS: &str = "SELECT i.catalog_item_id, i.category_id, i.name_zh, \
     i.name_en, i.unit_id, i.tier, i.retired_at FROM catalog_item i \
     JOIN category c ON c.category_id = i.category_id \
     ORDER BY c.sort_order, c.category_id, i.sort_order, i.catalog_item_id";
pub(super) const ITEM_EXISTS: &str = "SELECT COUNT(*) FROM catalog_item WHERE catalog_item_id = $1";
/// A new item goes after the others of its category.
pub(super) const INSERT_ITEM: &str = "INSERT INTO catalog_item \
     (catalog_item_id, category_id, name_zh, name_en, unit_id, tier, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, (SELECT COALESCE(MAX(sort_order), -1) + 1 \
     FROM catalog_item WHERE category_id = $2)) ON CONFLICT (catalog_item_id) DO NOTHING";
pub(super) const UPDATE_ITEM: &str = "UPDATE catalog_item SET category_id = $2, name_zh = $3, \
     name_en = $4, unit_id = $5, tier = $6 WHERE catalog_item_id = $1";
pub(super) const IMPORT_ITEM: &str = "UPDATE catalog_item SET category_id = $2, name_zh = $3, \
     name_en = $4, unit_id = $5, tier = $6, retired_at = NULL WHERE catalog_item_id = $1";
/// An item's six columns, bound to `$1`…`$6` of `INSERT_ITEM`, `UPDATE_ITEM` and `IMPORT_ITEM`.
macro_rules! bind_item {
    ($sql:expr, $item:expr) => {{
        let item: &yousu_core::admin::ItemForm = $item;
        sqlx::query($sql)
            .bind(&item.catalog_item_id)
            .bind(&item.category_id)
            .bind(&item.name_zh)
            .bind(&item.name_en)
            .bind(&item.unit_id)
            .bind(&item.tier)
    }};
}
pub(super) use bind_item;

pub(super) const RETIRE_ITEM: &str = "UPDATE catalog_item SET retired_at = $2 \
     WHERE catalog_item_id = $1 AND retired_at IS NULL";

pub(super) const SELECT_STAFF: &str = "SELECT staff_account_id, display_name, role, unit_id, \
     created_at, disabled_at FROM staff_account ORDER BY staff_account_id";
pub(super) const UPDATE_STAFF: &str = "UPDATE staff_account SET display_name = $2, role = $3, \
     unit_id = $4 WHERE staff_account_id = $1";
pub(super) const SET_DISABLED: &str =
    "UPDATE staff_account SET disabled_at = $2 WHERE staff_account_id = $1";
pub(super) const SET_PASSWORD: &str =
    "UPDATE staff_account SET password_hash = $2 WHERE staff_account_id = $1";

pub(super) const SELECT_CLOCK_RULES: &str = "SELECT effective_from, policy, calendar, changed_by \
     FROM clock_rules ORDER BY effective_from, clock_rules_id";
pub(super) const INSERT_CLOCK_RULES: &str = "INSERT INTO clock_rules \
     (effective_from, policy, calendar, changed_by) VALUES ($1, $2, $3, $4)";

pub(super) const BUMP_REVISION: &str = "INSERT INTO admin_revision (at) VALUES ($1)";
pub(super) const SELECT_REVISION: &str =
    "SELECT COALESCE(MAX(admin_revision_id), 0) FROM admin_revision";

macro_rules! impl_admin_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::admin::AdminStore for $store {
            async fn admin_units(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::admin::UnitRow>> {
                Ok(sqlx::query_as($crate::store::admin::SELECT_UNITS)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn insert_unit(
                &self,
                unit: &$crate::store::admin::UnitRow,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::admin::INSERT_UNIT)
                    .bind(&unit.unit_id)
                    .bind(&unit.name_zh)
                    .bind(&unit.name_en)
                    .bind(&unit.level)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn update_unit(
                &self,
                unit: &$crate::store::admin::UnitRow,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::admin::UPDATE_UNIT)
                    .bind(&unit.unit_id)
                    .bind(&unit.name_zh)
                    .bind(&unit.name_en)
                    .bind(&unit.level)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn active_items_of_unit(&self, unit_id: &str) -> $crate::store::Result<i64> {
                let (count,): (i64,) = sqlx::query_as($crate::store::admin::COUNT_ACTIVE_ITEMS)
                    .bind(unit_id)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(count)
            }

            async fn retire_unit(
                &self,
                unit_id: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::admin::RETIRE_UNIT)
                    .bind(unit_id)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn admin_items(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::admin::ItemRow>> {
                Ok(sqlx::query_as($crate::store::admin::SELECT_ITEMS)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn insert_item(
                &self,
                item: &yousu_core::admin::ItemForm,
            ) -> $crate::store::Result<bool> {
                let done =
                    $crate::store::admin::bind_item!($crate::store::admin::INSERT_ITEM, item)
                        .execute(&self.pool)
                        .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn update_item(
                &self,
                item: &yousu_core::admin::ItemForm,
            ) -> $crate::store::Result<bool> {
                let done =
                    $crate::store::admin::bind_item!($crate::store::admin::UPDATE_ITEM, item)
                        .execute(&self.pool)
                        .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn retire_item(
                &self,
                catalog_item_id: &str,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::admin::RETIRE_ITEM)
                    .bind(catalog_item_id)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn import_items(
                &self,
                items: &[yousu_core::admin::ItemForm],
            ) -> $crate::store::Result<(u64, u64)> {
                use $crate::store::admin::*;
                let mut tx = self.pool.begin().await?;
                let (mut added, mut updated) = (0, 0);
                for item in items {
                    let (exists,): (i64,) = sqlx::query_as(ITEM_EXISTS)
                        .bind(&item.catalog_item_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    let query = if exists > 0 { IMPORT_ITEM } else { INSERT_ITEM };
                    bind_item!(query, item).execute(&mut *tx).await?;
                    if exists > 0 {
                        updated += 1;
                    } else {
                        added += 1;
                    }
                }
                tx.commit().await?;
                Ok((added, updated))
            }

            async fn staff_accounts(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::admin::StaffAdminRow>> {
                Ok(sqlx::query_as($crate::store::admin::SELECT_STAFF)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn update_staff_account(
                &self,
                staff_account_id: &str,
                display_name: &str,
                role: yousu_core::api::StaffRole,
                unit_id: Option<&str>,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::admin::UPDATE_STAFF)
                    .bind(staff_account_id)
                    .bind(display_name)
                    .bind(role.as_str())
                    .bind(unit_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_staff_disabled(
                &self,
                staff_account_id: &str,
                disabled_at: Option<chrono::DateTime<chrono::Utc>>,
            ) -> $crate::store::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query($crate::store::admin::SET_DISABLED)
                    .bind(staff_account_id)
                    .bind(disabled_at)
                    .execute(&mut *tx)
                    .await?;
                if disabled_at.is_some() {
                    sqlx::query($crate::store::staff::DELETE_SESSIONS_OF)
                        .bind(staff_account_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn set_staff_password(
                &self,
                staff_account_id: &str,
                password_hash: &str,
            ) -> $crate::store::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let done = sqlx::query($crate::store::admin::SET_PASSWORD)
                    .bind(staff_account_id)
                    .bind(password_hash)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query($crate::store::staff::DELETE_SESSIONS_OF)
                    .bind(staff_account_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn clock_rules_versions(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::admin::ClockRulesRow>> {
                Ok(sqlx::query_as($crate::store::admin::SELECT_CLOCK_RULES)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn insert_clock_rules(
                &self,
                rules: &$crate::store::admin::ClockRulesRow,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::admin::INSERT_CLOCK_RULES)
                    .bind(rules.effective_from)
                    .bind(&rules.policy)
                    .bind(&rules.calendar)
                    .bind(&rules.changed_by)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn bump_admin_revision(
                &self,
                at: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::admin::BUMP_REVISION)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn admin_revision(&self) -> $crate::store::Result<i64> {
                let (revision,): (i64,) = sqlx::query_as($crate::store::admin::SELECT_REVISION)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(revision)
            }
        }
    };
}
pub(super) use impl_admin_store;

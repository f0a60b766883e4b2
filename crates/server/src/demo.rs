//! Demo reference data — the grid, units and a small dispatch catalogue of a Xining-like city —
//! loaded by `--demo` into an empty database.

use serde::Deserialize;
use yousu_core::TimeTier;

use yousu_core::api::StaffRole;

use crate::store::staff::StaffAccount;
use crate::store::{Result, Store};

#[derive(Debug, Deserialize)]
pub struct DemoData {
    pub districts: Vec<DemoDistrict>,
    pub units: Vec<DemoUnit>,
    pub categories: Vec<DemoCategory>,
}

#[derive(Debug, Deserialize)]
pub struct DemoDistrict {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub subdistricts: Vec<DemoSubdistrict>,
}

#[derive(Debug, Deserialize)]
pub struct DemoSubdistrict {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub communities: Vec<DemoNamed>,
}

#[derive(Debug, Deserialize)]
pub struct DemoNamed {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Deserialize)]
pub struct DemoUnit {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
}

#[derive(Debug, Deserialize)]
pub struct DemoCategory {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<DemoItem>,
}

#[derive(Debug, Deserialize)]
pub struct DemoItem {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: TimeTier,
}

const XINING: &str = include_str!("../demo/xining.json");

impl DemoData {
    pub fn xining() -> Self {
        serde_json::from_str(XINING).expect("demo/xining.json is valid (checked by a unit test)")
    }
}

/// One demo account per role (a handler for each of two units, to show the scoping), all with
/// [`DEMO_PASSWORD`]. Never for production: `--demo` prints them at every start.
pub const DEMO_ACCOUNTS: &[(&str, &str, StaffRole, Option<&str>)] = &[
    ("operator", "话务员 · 演示", StaffRole::Operator, None),
    ("dispatcher", "派单员 · 演示", StaffRole::Dispatcher, None),
    (
        "handler-ecology",
        "市生态环境局 · 演示",
        StaffRole::UnitHandler,
        Some("ecology"),
    ),
    (
        "handler-urban",
        "市城市管理局 · 演示",
        StaffRole::UnitHandler,
        Some("urban-management"),
    ),
    ("supervisor", "督办员 · 演示", StaffRole::Supervisor, None),
    ("admin", "管理员 · 演示", StaffRole::Admin, None),
];

pub const DEMO_PASSWORD: &str = "yousu-demo";

/// Creates the demo staff accounts that do not exist yet.
pub async fn ensure_demo_accounts(store: &dyn Store) -> Result<()> {
    for (id, name, role, unit) in DEMO_ACCOUNTS {
        if store.staff_account(id).await?.is_some() {
            continue;
        }
        let account = StaffAccount {
            staff_account_id: (*id).to_owned(),
            display_name: (*name).to_owned(),
            role: *role,
            unit_id: unit.map(str::to_owned),
            password_hash: crate::auth::hash_password(DEMO_PASSWORD),
        };
        store
            .insert_staff_account(&account, chrono::Utc::now())
            .await?;
    }
    Ok(())
}

/// Loads the demo data when the database has no catalogue yet; says whether it did.
pub async fn load_if_empty(store: &dyn Store) -> Result<bool> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    store.load_reference(&DemoData::xining()).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn demo_data_parses_and_every_item_names_a_known_unit() {
        let data = DemoData::xining();
        let units: HashSet<_> = data.units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(units.len(), data.units.len(), "unit ids are unique");
        for item in data.categories.iter().flat_map(|c| &c.items) {
            assert!(units.contains(item.unit_id.as_str()), "{}", item.id);
        }
        assert_eq!(data.districts.len(), 5);
        assert!(data.categories.len() >= 8);
    }
}

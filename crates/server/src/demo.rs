//! Reference data files — the grid, the units and the dispatch catalogue — in one JSON format
//! (documented in the README): the demo data of a Xining-like city that `--demo` loads into an
//! empty database, and any full catalogue `yousu-server import-catalog FILE` loads.

use std::collections::HashSet;

use serde::Deserialize;
use yousu_core::TimeTier;

use yousu_core::api::StaffRole;

use crate::store::staff::StaffAccount;
use crate::store::{Result, Store};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoData {
    #[serde(default)]
    pub districts: Vec<DemoDistrict>,
    #[serde(default)]
    pub units: Vec<DemoUnit>,
    #[serde(default)]
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
    pub communities: Vec<DemoCommunity>,
}

#[derive(Debug, Deserialize)]
pub struct DemoCommunity {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// The community's centre (WGS 84), to place an appeal sent with a position only.
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub long: Option<f64>,
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
    /// Open311 service attributes: the extra questions the category asks.
    #[serde(default)]
    pub attributes: Vec<yousu_core::attribute::ServiceAttribute>,
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

/// Creates the demo staff accounts that do not exist yet (a unit handler only if the database
/// has their unit: an imported catalogue may not).
pub async fn ensure_demo_accounts(store: &dyn Store, clock: crate::clock::Clock) -> Result<()> {
    let units: HashSet<String> = store
        .units()
        .await?
        .units
        .into_iter()
        .map(|u| u.unit_id)
        .collect();
    for (id, name, role, unit) in DEMO_ACCOUNTS {
        if unit.is_some_and(|u| !units.contains(u)) {
            tracing::warn!(
                account = id,
                "no demo account: its unit is not in this catalogue"
            );
            continue;
        }
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
        store.insert_staff_account(&account, clock.now()).await?;
    }
    Ok(())
}

/// Reads a reference data file; the error says what and where.
pub fn parse(text: &str) -> std::result::Result<DemoData, String> {
    serde_json::from_str(text).map_err(|e| format!("not a valid catalogue file: {e}"))
}

/// Loads a reference data file into the store (adding and updating, never deleting), after
/// checking every dispatch item as the workbench's form and CSV import do
/// ([`yousu_core::admin::check_item`]): a plain id, names, and a unit in use that the file or
/// the database has. Says how many units, categories and items it loaded.
pub async fn import(store: &dyn Store, data: &DemoData) -> anyhow::Result<(usize, usize, usize)> {
    let mut known: HashSet<String> = data.units.iter().map(|u| u.id.clone()).collect();
    known.extend(store.units().await?.units.into_iter().map(|u| u.unit_id));
    for category in &data.categories {
        for item in &category.items {
            let form = yousu_core::admin::ItemForm {
                catalog_item_id: item.id.clone(),
                category_id: category.id.clone(),
                name_zh: item.name_zh.clone(),
                name_en: item.name_en.clone(),
                unit_id: item.unit_id.clone(),
                tier: item.tier.as_str().to_owned(),
            };
            if let Err(errors) =
                yousu_core::admin::check_item(&form, true, "", |_| true, |u| known.contains(u))
            {
                let what: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message_en))
                    .collect();
                anyhow::bail!(
                    "item {} (unit {:?}): {}",
                    item.id,
                    item.unit_id,
                    what.join("; ")
                );
            }
        }
    }
    check_shapes(data).map_err(anyhow::Error::msg)?;
    store.load_reference(data).await?;
    // Running servers on this database reload it within seconds.
    store.bump_admin_revision(chrono::Utc::now()).await?;
    let items = data.categories.iter().map(|c| c.items.len()).sum();
    Ok((data.units.len(), data.categories.len(), items))
}

/// Checks what the JSON's types cannot: community centres on the map, and attribute questions
/// an Open311 client can answer (codes unique and plain, value lists with values).
pub fn check_shapes(data: &DemoData) -> std::result::Result<(), String> {
    use yousu_core::attribute::AttributeType::{Multivaluelist, Singlevaluelist};
    for community in data
        .districts
        .iter()
        .flat_map(|d| &d.subdistricts)
        .flat_map(|s| &s.communities)
    {
        match (community.lat, community.long) {
            (None, None) => {}
            (Some(lat), Some(long)) => {
                yousu_core::Position::parse(lat, long)
                    .map_err(|e| format!("community {}: {}", community.id, e.message_en))?;
            }
            _ => {
                return Err(format!(
                    "community {}: give lat and long together",
                    community.id
                ));
            }
        }
    }
    for category in &data.categories {
        let mut codes = HashSet::new();
        for attribute in &category.attributes {
            let plain = !attribute.code.is_empty()
                && attribute
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !plain || !codes.insert(attribute.code.as_str()) {
                return Err(format!(
                    "category {}: attribute code {:?} must be unique, lowercase letters, digits or _",
                    category.id, attribute.code
                ));
            }
            let is_list = matches!(attribute.datatype, Singlevaluelist | Multivaluelist);
            let keys: HashSet<&str> = attribute.values.iter().map(|v| v.key.as_str()).collect();
            if is_list == attribute.values.is_empty() || keys.len() != attribute.values.len() {
                return Err(format!(
                    "category {}: attribute {} needs values (unique keys) exactly when it is a list",
                    category.id, attribute.code
                ));
            }
        }
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
    use super::*;

    #[test]
    fn off_map_centres_and_unanswerable_questions_are_refused() {
        let mut data = DemoData::xining();
        data.districts[0].subdistricts[0].communities[0].lat = Some(95.0);
        assert!(check_shapes(&data).unwrap_err().contains("latitude"));
        let mut data = DemoData::xining();
        data.districts[0].subdistricts[0].communities[0].long = None;
        assert!(check_shapes(&data).unwrap_err().contains("together"));
        let mut data = DemoData::xining();
        let environment = data
            .categories
            .iter_mut()
            .find(|c| c.id == "environment")
            .unwrap();
        environment.attributes[0].values.clear();
        assert!(check_shapes(&data).unwrap_err().contains("needs values"));
    }

    #[test]
    fn demo_items_pass_the_checks_of_the_admin_forms() {
        let data = DemoData::xining();
        let units: HashSet<_> = data.units.iter().map(|u| u.id.clone()).collect();
        for category in &data.categories {
            for item in &category.items {
                let form = yousu_core::admin::ItemForm {
                    catalog_item_id: item.id.clone(),
                    category_id: category.id.clone(),
                    name_zh: item.name_zh.clone(),
                    name_en: item.name_en.clone(),
                    unit_id: item.unit_id.clone(),
                    tier: item.tier.as_str().to_owned(),
                };
                let checked =
                    yousu_core::admin::check_item(&form, true, "", |_| true, |u| units.contains(u));
                assert!(checked.is_ok(), "{}: {checked:?}", item.id);
            }
        }
    }

    #[test]
    fn demo_data_parses_and_every_item_names_a_known_unit() {
        let data = DemoData::xining();
        let units: HashSet<_> = data.units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(units.len(), data.units.len(), "unit ids are unique");
        for item in data.categories.iter().flat_map(|c| &c.items) {
            assert!(units.contains(item.unit_id.as_str()), "{}", item.id);
        }
        assert_eq!(check_shapes(&data), Ok(()));
        assert_eq!(data.districts.len(), 5);
        assert!(data.units.len() >= 40, "{} units", data.units.len());
        assert!(data.categories.len() >= 15);
        let items = data.categories.iter().map(|c| c.items.len()).sum::<usize>();
        assert!(items >= 150, "{items} dispatch items");
        let levels: HashSet<_> = data.units.iter().map(|u| u.level.as_str()).collect();
        assert_eq!(
            levels,
            HashSet::from(["city", "district", "park", "enterprise"])
        );
    }
}

//! Demo reference data — the grid, units and a small dispatch catalogue of a Xining-like city —
//! loaded by `--demo` into an empty database.

use serde::Deserialize;
use yousu_core::TimeTier;

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

//! The dispatch catalogue (categories → 派单事项) and the grid (district → subdistrict → community)
//! as the API serves them and the app caches them.

use serde::{Deserialize, Serialize};

use crate::deadline::TimeTier;

/// 派单事项: a leaf of the dispatch catalogue, with its responsible unit and time tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogItem {
    pub catalog_item_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: TimeTier,
}

/// 责任单位: a department, district, subdistrict, community, park or enterprise that handles cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    /// city, district, park or enterprise.
    pub level: String,
}

/// `GET /api/v1/units`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Units {
    pub units: Vec<Unit>,
}

/// A top-level category a resident chooses from, with its dispatch items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<CatalogItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub community_id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subdistrict {
    pub subdistrict_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub communities: Vec<Community>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub district_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub subdistricts: Vec<Subdistrict>,
}

/// `GET /api/v1/catalog`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub categories: Vec<Category>,
}

impl Catalog {
    pub fn category(&self, category_id: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.category_id == category_id)
    }
}

/// `GET /api/v1/grid`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grid {
    pub districts: Vec<District>,
}

impl Grid {
    pub fn communities(&self) -> impl Iterator<Item = &Community> {
        self.districts
            .iter()
            .flat_map(|d| &d.subdistricts)
            .flat_map(|s| &s.communities)
    }

    pub fn community(&self, community_id: &str) -> Option<&Community> {
        self.communities().find(|c| c.community_id == community_id)
    }
}

//! The dispatch catalogue (categories → 派单事项) and the grid (district → subdistrict → community)
//! as the API serves them and the app caches them.

use serde::{Deserialize, Serialize};

use crate::deadline::TimeTier;

/// 派单事项: a leaf of the dispatch catalogue, with its responsible unit and time tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogItem {
    pub catalog_item_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: TimeTier,
}

/// 责任单位: a department, district, subdistrict, community, park or enterprise that handles cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unit {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    /// city, district, park or enterprise.
    pub level: String,
}

/// `GET /api/v1/units`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Units {
    /// The units cases may be dispatched to.
    pub units: Vec<Unit>,
    /// Units an administrator retired: never offered any more, but still named on the cases
    /// they handled and in past months' evaluation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<Unit>,
}

impl Units {
    /// A unit's names, whether it still takes cases or was retired.
    pub fn find(&self, unit_id: &str) -> Option<&Unit> {
        self.units
            .iter()
            .chain(&self.retired)
            .find(|u| u.unit_id == unit_id)
    }
}

/// A top-level category a resident chooses from, with its dispatch items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub items: Vec<CatalogItem>,
    /// Extra questions this category asks (Open311 service attributes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<crate::attribute::ServiceAttribute>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Community {
    pub community_id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subdistrict {
    pub subdistrict_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub communities: Vec<Community>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct District {
    pub district_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub subdistricts: Vec<Subdistrict>,
}

/// `GET /api/v1/catalog`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub categories: Vec<Category>,
}

impl Catalog {
    pub fn category(&self, category_id: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.category_id == category_id)
    }

    /// Dispatch items whose name (or whose category's name) contains every word of `query`, in
    /// Chinese or English, best first: a name that starts with the query, then one that contains
    /// it whole, then the rest; ties keep catalogue order. The app runs the same search offline.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit> {
        let query = query.trim().to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, SearchHit)> = Vec::new();
        for category in &self.categories {
            let category_text = format!("{} {}", category.name_zh, category.name_en).to_lowercase();
            for item in &category.items {
                let names = [item.name_zh.to_lowercase(), item.name_en.to_lowercase()];
                let text = format!("{} {} {category_text}", names[0], names[1]);
                if !words.iter().all(|w| text.contains(w)) {
                    continue;
                }
                let rank = if names.iter().any(|n| n.starts_with(&query)) {
                    0
                } else if names.iter().any(|n| n.contains(&query)) {
                    1
                } else {
                    2
                };
                hits.push((
                    rank,
                    SearchHit {
                        category_id: category.category_id.clone(),
                        item: item.clone(),
                    },
                ));
            }
        }
        hits.sort_by_key(|(rank, _)| *rank);
        hits.into_iter().take(limit).map(|(_, hit)| hit).collect()
    }
}

/// A dispatch item found by [`Catalog::search`], with its category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub category_id: String,
    #[serde(flatten)]
    pub item: CatalogItem,
}

/// `GET /api/v1/catalog/search?q=…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
}

/// `GET /api/v1/grid`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retired_unit_is_still_found_by_name_but_not_offered() {
        let unit = |id: &str| Unit {
            unit_id: id.into(),
            name_zh: format!("{id}局"),
            name_en: id.into(),
            level: "city".into(),
        };
        let units = Units {
            units: vec![unit("ecology")],
            retired: vec![unit("water")],
        };
        assert_eq!(
            units.find("water").map(|u| u.name_zh.as_str()),
            Some("water局")
        );
        assert!(units.find("ecology").is_some() && units.find("nobody").is_none());
        let old: Units = serde_json::from_str(r#"{"units":[]}"#).unwrap();
        assert!(
            old.retired.is_empty(),
            "a list cached before retirement existed still loads"
        );
    }

    fn item(id: &str, zh: &str, en: &str) -> CatalogItem {
        CatalogItem {
            catalog_item_id: id.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            unit_id: "u".into(),
            tier: TimeTier::General,
        }
    }

    fn catalog() -> Catalog {
        Catalog {
            categories: vec![
                Category {
                    category_id: "environment".into(),
                    name_zh: "环境保护".into(),
                    name_en: "Environment".into(),
                    items: vec![
                        item("fumes", "餐饮油烟污染", "Restaurant cooking fumes"),
                        item("noise", "建筑施工噪声", "Construction noise"),
                    ],
                    attributes: vec![],
                },
                Category {
                    category_id: "city".into(),
                    name_zh: "市容环卫".into(),
                    name_en: "City appearance".into(),
                    items: vec![
                        item("lamp", "路灯不亮", "Street lamp out"),
                        item("noise2", "噪声扰民", "Noise nuisance"),
                    ],
                    attributes: vec![],
                },
            ],
        }
    }

    fn ids(hits: &[SearchHit]) -> Vec<&str> {
        hits.iter()
            .map(|h| h.item.catalog_item_id.as_str())
            .collect()
    }

    #[test]
    fn search_finds_items_by_chinese_or_english_words() {
        let c = catalog();
        assert_eq!(ids(&c.search("油烟", 10)), ["fumes"]);
        assert_eq!(ids(&c.search("LAMP", 10)), ["lamp"]);
        assert_eq!(ids(&c.search("noise construction", 10)), ["noise"]);
        assert!(c.search("  ", 10).is_empty());
        assert!(c.search("暖气", 10).is_empty());
    }

    #[test]
    fn names_starting_with_the_query_come_first() {
        let c = catalog();
        assert_eq!(ids(&c.search("噪声", 10)), ["noise2", "noise"]);
        assert_eq!(
            ids(&c.search("环境", 10)),
            ["fumes", "noise"],
            "by category name"
        );
        assert_eq!(c.search("噪声", 1).len(), 1);
    }
}

//! The catalogue and the grid, held in memory: small, read on every submission and served to
//! every app start, so they are loaded once and their JSON is rendered once.

use std::collections::{HashMap, HashSet};

pub use bytes_json::JsonBytes;
use yousu_core::Position;
use yousu_core::catalog::{Catalog, CatalogItem, Grid, Unit, Units};

use crate::store::{Result, Store};

pub struct Reference {
    pub catalog: Catalog,
    pub grid: Grid,
    pub units: Units,
    /// Communities whose centre is known, to place an appeal sent with a position only.
    community_positions: Vec<(String, Position)>,
    category_ids: HashSet<String>,
    community_ids: HashSet<String>,
    unit_ids: HashSet<String>,
    items: HashMap<String, CatalogItem>,
    pub catalog_json: JsonBytes,
    pub grid_json: JsonBytes,
    pub units_json: JsonBytes,
}

impl Reference {
    pub async fn load(store: &dyn Store) -> Result<Self> {
        let mut reference = Self::new(
            &store.catalog().await?,
            &store.grid().await?,
            &store.units().await?,
        );
        reference.community_positions = store.community_positions().await?;
        Ok(reference)
    }

    pub fn new(catalog: &Catalog, grid: &Grid, units: &Units) -> Self {
        Self {
            catalog: catalog.clone(),
            grid: grid.clone(),
            units: units.clone(),
            community_positions: Vec::new(),
            unit_ids: units.units.iter().map(|u| u.unit_id.clone()).collect(),
            items: catalog
                .categories
                .iter()
                .flat_map(|c| &c.items)
                .map(|i| (i.catalog_item_id.clone(), i.clone()))
                .collect(),
            units_json: JsonBytes::of(units),
            category_ids: catalog
                .categories
                .iter()
                .map(|c| c.category_id.clone())
                .collect(),
            community_ids: grid.communities().map(|c| c.community_id.clone()).collect(),
            catalog_json: JsonBytes::of(catalog),
            grid_json: JsonBytes::of(grid),
        }
    }

    pub fn has_category(&self, category_id: &str) -> bool {
        self.category_ids.contains(category_id)
    }

    pub fn has_community(&self, community_id: &str) -> bool {
        self.community_ids.contains(community_id)
    }

    pub fn has_unit(&self, unit_id: &str) -> bool {
        self.unit_ids.contains(unit_id)
    }

    pub fn item(&self, catalog_item_id: &str) -> Option<&CatalogItem> {
        self.items.get(catalog_item_id)
    }

    /// A unit by id, retired ones included (for naming; `unit_ids` says who may take cases).
    pub fn unit(&self, unit_id: &str) -> Option<&Unit> {
        self.units.find(unit_id)
    }

    /// A community's district, subdistrict and community, outermost first.
    pub fn community_path(&self, community_id: &str) -> Option<[(&str, &str); 3]> {
        self.grid.districts.iter().find_map(|d| {
            d.subdistricts.iter().find_map(|s| {
                s.communities
                    .iter()
                    .find(|c| c.community_id == community_id)
                    .map(|c| {
                        [
                            (d.name_zh.as_str(), d.name_en.as_str()),
                            (s.name_zh.as_str(), s.name_en.as_str()),
                            (c.name_zh.as_str(), c.name_en.as_str()),
                        ]
                    })
            })
        })
    }

    /// The community whose centre is nearest, if one is within `max_metres`.
    pub fn nearest_community(&self, position: Position, max_metres: f64) -> Option<&str> {
        self.community_positions
            .iter()
            .map(|(id, centre)| (id, centre.metres_to(position)))
            .filter(|(_, d)| *d <= max_metres)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id.as_str())
    }

    /// The community an address names (its Chinese name, like `南关街社区`); the longest name
    /// wins, so `南关街社区` beats a shorter name it contains.
    pub fn community_named_in(&self, address: &str) -> Option<&str> {
        self.grid
            .communities()
            .filter(|c| !c.name_zh.is_empty() && address.contains(c.name_zh.as_str()))
            .max_by_key(|c| c.name_zh.chars().count())
            .map(|c| c.community_id.as_str())
    }
}

mod bytes_json {
    use axum::body::Bytes;
    use axum::http::header;
    use axum::response::{IntoResponse, Response};
    use serde::Serialize;

    /// A JSON body rendered once and served many times.
    #[derive(Clone)]
    pub struct JsonBytes(Bytes);

    impl JsonBytes {
        pub fn of(value: &impl Serialize) -> Self {
            Self(Bytes::from(
                serde_json::to_vec(value).expect("reference data serialises"),
            ))
        }
    }

    impl IntoResponse for JsonBytes {
        fn into_response(self) -> Response {
            ([(header::CONTENT_TYPE, "application/json")], self.0).into_response()
        }
    }
}

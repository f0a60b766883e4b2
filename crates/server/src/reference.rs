//! The catalogue and the grid, held in memory: small, read on every submission and served to
//! every app start, so they are loaded once and their JSON is rendered once.

use std::collections::{HashMap, HashSet};

pub use bytes_json::JsonBytes;
use yousu_core::catalog::{Catalog, CatalogItem, Grid, Units};

use crate::store::{Result, Store};

pub struct Reference {
    pub catalog: Catalog,
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
        Ok(Self::new(
            &store.catalog().await?,
            &store.grid().await?,
            &store.units().await?,
        ))
    }

    pub fn new(catalog: &Catalog, grid: &Grid, units: &Units) -> Self {
        Self {
            catalog: catalog.clone(),
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

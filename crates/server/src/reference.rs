//! The catalogue and the grid, held in memory: small, read on every submission and served to
//! every app start, so they are loaded once and their JSON is rendered once.

use std::collections::HashSet;

use bytes_json::JsonBytes;
use yousu_core::catalog::{Catalog, Grid};

use crate::store::{Result, Store};

pub struct Reference {
    category_ids: HashSet<String>,
    community_ids: HashSet<String>,
    pub catalog_json: JsonBytes,
    pub grid_json: JsonBytes,
}

impl Reference {
    pub async fn load(store: &dyn Store) -> Result<Self> {
        Ok(Self::new(&store.catalog().await?, &store.grid().await?))
    }

    pub fn new(catalog: &Catalog, grid: &Grid) -> Self {
        Self {
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

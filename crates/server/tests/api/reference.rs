//! Health, the catalogue and the grid.

use reqwest::StatusCode;
use yousu_core::api::{ApiError, Health};
use yousu_core::catalog::{Catalog, Grid};

use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(
    health_names_the_database_it_checked,
    demo_catalog_and_grid_are_served,
    unknown_api_paths_answer_in_json,
);

async fn health_names_the_database_it_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/api/v1/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, "ok");
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(health.database, expected);
}

async fn demo_catalog_and_grid_are_served(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let catalog: Catalog = app.get("/api/v1/catalog").await.json().await.unwrap();
    assert!(catalog.categories.len() >= 8);
    let environment = catalog.category("environment").expect("环境保护");
    assert_eq!(environment.name_zh, "环境保护");
    assert!(
        environment
            .items
            .iter()
            .any(|i| i.name_zh == "餐饮油烟污染")
    );

    let grid: Grid = app.get("/api/v1/grid").await.json().await.unwrap();
    let districts: Vec<&str> = grid.districts.iter().map(|d| d.name_zh.as_str()).collect();
    assert_eq!(
        districts,
        ["城中区", "城东区", "城西区", "城北区", "湟中区"]
    );
    assert!(grid.community("chengzhong-renminjie-nanguanjie").is_some());
    assert!(grid.communities().count() >= 20);
}

async fn unknown_api_paths_answer_in_json(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/api/v1/no-such-thing").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error, "not_found");
}

mod openapi {
    use std::collections::BTreeSet;

    use reqwest::StatusCode;
    use serde_json::Value;

    use crate::helpers::{Backend, TestApp};

    crate::on_both_backends!(the_openapi_document_covers_every_endpoint_and_resolves);

    fn refs(value: &Value, found: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    found.insert(target.clone());
                }
                map.values().for_each(|v| refs(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
            _ => {}
        }
    }

    async fn the_openapi_document_covers_every_endpoint_and_resolves(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let response = app.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        let doc: Value = response.json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        assert_eq!(doc["servers"][0]["url"], "/api/v1");
        let paths: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
        for expected in [
            "/health",
            "/catalog",
            "/catalog/search",
            "/grid",
            "/units",
            "/cases",
            "/cases/{case_number}",
            "/cases/{case_number}/rating",
            "/cases/{case_number}/reopen",
            "/cases/{case_number}/withdraw",
            "/cases/{case_number}/information",
            "/staff/login",
            "/staff/cases",
            "/staff/cases/{case_number}/dispatch",
            "/staff/cases/{case_number}/return-decision",
            "/staff/supervision",
            "/evaluation",
            "/figures",
        ] {
            assert!(paths.contains(expected), "{expected} is documented");
        }
        // Every documented path is served: none answers "unknown endpoint".
        for path in &paths {
            let concrete = path.replace("{case_number}", "20261126000001");
            let response = app.get(&format!("/api/v1{concrete}")).await;
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_ne!(body["message"], "endpoint not found", "{path} is routed");
        }
        let mut found = BTreeSet::new();
        refs(&doc, &mut found);
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for target in &found {
            let name = target.trim_start_matches("#/components/schemas/");
            assert!(schemas.contains_key(name), "{target} resolves");
        }
        assert!(schemas.contains_key("CaseDraft") && schemas.contains_key("ApiError"));
    }
}

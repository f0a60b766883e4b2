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

//! Serving the built apps: index fallback for each app's routes (the resident app's and the staff
//! workbench's under `/staff/`), wasm MIME type, precompressed files, cache headers.

use reqwest::{Client, StatusCode};

use crate::helpers::{Backend, TempDir, TestApp, fresh_database};

const WASM: &str = "yousu-0123456789abcdef_bg.wasm";
const STAFF_JS: &str = "yousu-workbench-fedcba9876543210.js";

/// An app folder shaped like Trunk's output, with a brotli copy of the wasm as xtask makes it.
fn fake_dist(dir: &TempDir) -> std::path::PathBuf {
    let dist = dir.0.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>有诉</title>",
    )
    .unwrap();
    std::fs::write(dist.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join(format!("{WASM}.br")), b"pretend-brotli").unwrap();
    // The staff workbench, built into its own folder with its own index.
    let staff = dist.join("staff");
    std::fs::create_dir_all(&staff).unwrap();
    std::fs::write(
        staff.join("index.html"),
        "<!doctype html><title>有诉工作台</title>",
    )
    .unwrap();
    std::fs::write(staff.join(STAFF_JS), "export default function init() {}").unwrap();
    dist
}

async fn spawn_with_app(backend: Backend) -> TestApp {
    let dir = TempDir::new("dist");
    let dist = fake_dist(&dir);
    let database = fresh_database(backend, &dir.0).await;
    TestApp::spawn_on(database, dist, dir).await
}

crate::on_both_backends!(
    app_routes_fall_back_to_index_but_missing_files_do_not,
    wasm_is_served_precompressed_with_its_type_and_a_long_cache,
    staff_routes_fall_back_to_the_workbench_index_and_the_rest_to_the_residents,
);

async fn app_routes_fall_back_to_index_but_missing_files_do_not(backend: Backend) {
    let app = spawn_with_app(backend).await;
    for path in ["/", "/cases", "/cases/20261126000001", "/submit"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()["cache-control"].to_str().unwrap(),
            "no-cache",
            "{path}: index.html is revalidated so a new build is picked up"
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>有诉</title>")
        );
    }
    assert_eq!(app.get("/missing.js").await.status(), StatusCode::NOT_FOUND);
}

async fn wasm_is_served_precompressed_with_its_type_and_a_long_cache(backend: Backend) {
    let app = spawn_with_app(backend).await;
    // A client that does not decode, to see what went over the wire.
    let raw = Client::builder().no_brotli().no_gzip().build().unwrap();
    let response = raw
        .get(app.url(&format!("/{WASM}")))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/wasm");
    assert_eq!(headers["content-encoding"], "br");
    assert_eq!(
        headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"pretend-brotli");

    let plain = raw.get(app.url(&format!("/{WASM}"))).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");

    let api = raw
        .get(app.url("/api/v1/catalog"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.headers()["content-encoding"],
        "gzip",
        "API answers are compressed too"
    );
}

async fn staff_routes_fall_back_to_the_workbench_index_and_the_rest_to_the_residents(
    backend: Backend,
) {
    let app = spawn_with_app(backend).await;
    for path in [
        "/staff",
        "/staff/",
        "/staff/dispatch",
        "/staff/handle",
        "/staff/evaluation",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()["cache-control"].to_str().unwrap(),
            "no-cache",
            "{path}"
        );
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>有诉工作台</title>"),
            "{path} is the workbench's screen"
        );
    }
    let script = app.get(&format!("/staff/{STAFF_JS}")).await;
    assert_eq!(script.status(), StatusCode::OK);
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        app.get("/staff/missing.js").await.status(),
        StatusCode::NOT_FOUND
    );
    // A path that only starts like the workbench's belongs to the resident app.
    for path in ["/staffing", "/cases/20261126000001"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>有诉</title>"),
            "{path} is the resident app's"
        );
    }
}

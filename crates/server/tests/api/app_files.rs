//! Serving the built app: index fallback for the app's routes, wasm MIME type, precompressed
//! files, cache headers.

use reqwest::{Client, StatusCode};

use crate::helpers::{Backend, TempDir, TestApp, fresh_database};

const WASM: &str = "yousu-0123456789abcdef_bg.wasm";

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

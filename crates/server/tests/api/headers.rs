//! Headers and connections: what the apps' pages may run (a Content-Security-Policy whose
//! hashes are those of the inline scripts served), framing and HSTS, what caches may keep, the
//! links the server writes, the timeouts and the connection cap, and a live stream that ends
//! with its session.

use reqwest::StatusCode;
use serde_json::json;
use yousu_core::api::CaseReceipt;

use crate::helpers::{Backend, TempDir, TestApp, expect, fresh_database, new_key, valid_case};

/// Stories that do not depend on the database: SQLite only.
mod any_backend {
    #[tokio::test]
    async fn links_name_the_public_address_and_never_the_host_header() {
        super::links_name_the_public_address_and_never_the_host_header().await
    }
}

/// The server on SQLite with its settings changed by `change`.
async fn spawn_with(change: impl FnOnce(&mut yousu_server::Config)) -> TestApp {
    let dir = TempDir::new("headers");
    let database = fresh_database(Backend::Sqlite, &dir.0).await;
    let mut config = TestApp::config(database, dir.0.join("dist"), 0);
    change(&mut config);
    TestApp::spawn_with_config(config, dir).await
}

async fn discovery_url(app: &TestApp, host: &str) -> String {
    let response = app
        .client
        .get(app.url("/open311/v2/discovery.json"))
        .header("host", host)
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let body = expect(response, StatusCode::OK).await;
    body["endpoints"][0]["url"].as_str().unwrap().to_owned()
}

/// A case with one photo, submitted through Open311; its media URL.
async fn media_url(app: &TestApp, host: &str) -> String {
    let photo = expect(
        crate::photos::upload(app, "image/jpeg", crate::photos::jpeg(9)).await,
        StatusCode::CREATED,
    )
    .await;
    let mut case = valid_case();
    case["photo_ids"] = json!([photo["photo_id"]]);
    let receipt: CaseReceipt = serde_json::from_value(
        expect(
            app.post_case(Some(&new_key()), &case).await,
            StatusCode::CREATED,
        )
        .await,
    )
    .unwrap();
    let response = app
        .client
        .get(app.url(&format!(
            "/open311/v2/requests/{}.json?extensions=true",
            receipt.case.case_number
        )))
        .header("host", host)
        .send()
        .await
        .unwrap();
    let body = expect(response, StatusCode::OK).await;
    let media = body[0]["media_url"].as_str().unwrap().to_owned();
    assert_eq!(body[0]["extended_attributes"]["photos"][0], media.as_str());
    media
}

async fn links_name_the_public_address_and_never_the_host_header() {
    // Without a public address: links relative to the server, whatever Host says.
    let app = spawn_with(|_| {}).await;
    assert_eq!(
        discovery_url(&app, "evil.example").await,
        "/open311/v2",
        "never the request's Host"
    );
    let media = media_url(&app, "evil.example").await;
    assert!(media.starts_with("/api/v1/photos/"), "{media}");
    let photo = app.get(&media).await;
    assert_eq!(photo.status(), StatusCode::OK);

    let app = spawn_with(|c| {
        c.public_url = Some("https://12345.example.gov.cn/".parse().unwrap());
    })
    .await;
    assert_eq!(
        discovery_url(&app, "evil.example").await,
        "https://12345.example.gov.cn/open311/v2"
    );
    let media = media_url(&app, "evil.example").await;
    assert!(
        media.starts_with("https://12345.example.gov.cn/api/v1/photos/"),
        "{media}"
    );
}

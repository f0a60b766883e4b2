//! Photo uploads cannot fill the database: an address's bytes per hour are limited (429), and so
//! are the bytes of all photos no case has taken yet (503), each answered with `Retry-After`.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yousu_core::api::PhotoReceipt;

use crate::helpers::{
    Backend, TempDir, TestApp, execute_at, expect, fresh_database, new_key, valid_case,
};
use crate::photos::{jpeg_of, upload};

crate::on_both_backends!(
    an_address_that_used_its_hour_of_photos_is_answered_429_until_the_hour_moves_on,
    photos_no_case_has_taken_are_capped_with_503_until_a_case_takes_them,
);

/// The server with photo limits of `quota_mb` per address and hour and `unattached_mb` in all.
async fn spawn_with_photo_limits(backend: Backend, quota_mb: u64, unattached_mb: u64) -> TestApp {
    let dir = TempDir::new("app");
    let database = fresh_database(backend, &dir.0).await;
    let mut config = TestApp::config(database, dir.0.join("dist"), 0);
    config.photo_quota_mb = quota_mb;
    config.unattached_photos_mb = unattached_mb;
    TestApp::spawn_with_config(config, dir).await
}

/// Uploads photos of about 100 KB until one is refused; the receipts and the refusal.
async fn upload_until_refused(app: &TestApp) -> (Vec<PhotoReceipt>, reqwest::Response) {
    let mut kept = Vec::new();
    for seed in 1..=60u8 {
        let response = upload(app, "image/jpeg", jpeg_of(400, 300, seed)).await;
        if response.status() != StatusCode::CREATED {
            return (kept, response);
        }
        kept.push(response.json().await.unwrap());
    }
    panic!("60 photos of about 100 KB were all taken under a 1 MB limit");
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds")
}

async fn an_address_that_used_its_hour_of_photos_is_answered_429_until_the_hour_moves_on(
    backend: Backend,
) {
    let app = spawn_with_photo_limits(backend, 1, 0).await;
    let (kept, refused) = upload_until_refused(&app).await;
    let total: u64 = kept.iter().map(|p| p.bytes).sum();
    assert!(kept.len() >= 3, "{} photos taken", kept.len());
    assert!(
        total <= 1024 * 1024,
        "{total} bytes kept under a 1 MB quota"
    );
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait = retry_after(&refused);
    assert!(
        (3000..=3600).contains(&wait),
        "until the first photo leaves the hour: {wait} s"
    );
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited", "our error shape: {body}");

    // The same address through Open311 shares the quota.
    let open311 = crate::photos::post_open311_with_photo(&app, jpeg_of(400, 300, 99)).await;
    assert_eq!(open311.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(open311.headers().contains_key("retry-after"));

    // An hour on (by the server's clock), the address may upload again.
    execute_at(
        &app.database,
        "UPDATE photo SET uploaded_at = $1",
        app.now() - Duration::minutes(61),
    )
    .await;
    let again = upload(&app, "image/jpeg", jpeg_of(400, 300, 7)).await;
    assert_eq!(again.status(), StatusCode::CREATED);
}

async fn photos_no_case_has_taken_are_capped_with_503_until_a_case_takes_them(backend: Backend) {
    let app = spawn_with_photo_limits(backend, 0, 1).await;
    let (kept, refused) = upload_until_refused(&app).await;
    let total: u64 = kept.iter().map(|p| p.bytes).sum();
    assert!(
        total <= 1024 * 1024,
        "{total} bytes unattached under a 1 MB cap"
    );
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&refused) >= 1);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "photos_full", "our error shape: {body}");

    // A case takes its photos: they no longer count against the cap.
    let mut case = valid_case();
    let ids: Vec<&str> = kept.iter().take(9).map(|p| p.photo_id.as_str()).collect();
    case["photo_ids"] = json!(ids);
    expect(
        app.post_case(Some(&new_key()), &case).await,
        StatusCode::CREATED,
    )
    .await;
    let again = upload(&app, "image/jpeg", jpeg_of(400, 300, 7)).await;
    assert_eq!(again.status(), StatusCode::CREATED);
}

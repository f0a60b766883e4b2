//! Photos: uploaded first, checked by content, attached by the submission that names them.

use reqwest::StatusCode;
use serde_json::{Value, json};
use yousu_core::api::{CaseReceipt, PhotoReceipt};

use crate::helpers::{Backend, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    photos_uploaded_first_come_back_with_their_case,
    photos_are_checked_by_content_not_by_declared_type,
    a_photo_serves_one_case_only_and_a_retry_replays,
);

/// The smallest JPEG-looking body: the signature and some bytes.
pub fn jpeg(seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    bytes.extend((0..2000u32).map(|i| (i as u8).wrapping_mul(seed)));
    bytes
}

pub async fn upload(app: &TestApp, content_type: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/photos"))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .expect("POST /api/v1/photos")
}

async fn uploaded(app: &TestApp, seed: u8) -> PhotoReceipt {
    let body = expect(
        upload(app, "image/jpeg", jpeg(seed)).await,
        StatusCode::CREATED,
    )
    .await;
    serde_json::from_value(body).unwrap()
}

fn with_photos(ids: &[&PhotoReceipt]) -> Value {
    let mut case = valid_case();
    case["photo_ids"] = json!(ids.iter().map(|p| p.photo_id.as_str()).collect::<Vec<_>>());
    case
}

async fn photos_uploaded_first_come_back_with_their_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = uploaded(&app, 3).await;
    let second = uploaded(&app, 5).await;
    let response = app
        .post_case(Some(&new_key()), &with_photos(&[&second, &first]))
        .await;
    let receipt: CaseReceipt =
        serde_json::from_value(expect(response, StatusCode::CREATED).await).unwrap();
    assert_eq!(
        receipt.case.photo_ids,
        [second.photo_id.clone(), first.photo_id.clone()],
        "in the order the resident chose"
    );
    let opened = app
        .get_case_with_token(receipt.case.case_number.as_str(), &receipt.access_token)
        .await;
    let opened = expect(opened, StatusCode::OK).await;
    assert_eq!(opened["photo_ids"][1], first.photo_id.as_str());

    let photo = app
        .get(&format!("/api/v1/photos/{}", first.photo_id.as_str()))
        .await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    assert!(
        photo.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(photo.bytes().await.unwrap().to_vec(), jpeg(3));
    let missing = app.get(&format!("/api/v1/photos/{:032x}", 7)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn photos_are_checked_by_content_not_by_declared_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let pdf_as_jpeg = upload(&app, "image/jpeg", b"%PDF-1.7 not a photo".to_vec()).await;
    let body = expect(pdf_as_jpeg, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["fields"][0]["field"], "photo");
    assert_eq!(body["fields"][0]["code"], "not_a_photo");

    let png_bytes = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let png = upload(&app, "image/jpeg", png_bytes).await;
    let body = expect(png, StatusCode::CREATED).await;
    assert_eq!(
        body["kind"], "png",
        "the content decides, not the declared type"
    );

    let text = upload(&app, "text/plain", jpeg(1)).await;
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut huge = jpeg(1);
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let huge = upload(&app, "image/jpeg", huge).await;
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let ten: Vec<String> = (0..10).map(|n| format!("{n:032x}")).collect();
    let mut case = valid_case();
    case["photo_ids"] = json!(ten);
    let body = expect(
        app.post_case(Some(&new_key()), &case).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["fields"][0]["code"], "too_many");
}

async fn a_photo_serves_one_case_only_and_a_retry_replays(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let photo = uploaded(&app, 9).await;
    let key = new_key();
    let first = app.post_case(Some(&key), &with_photos(&[&photo])).await;
    let first = expect(first, StatusCode::CREATED).await;
    let retry = app.post_case(Some(&key), &with_photos(&[&photo])).await;
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry = expect(retry, StatusCode::CREATED).await;
    assert_eq!(first["case_number"], retry["case_number"]);

    let other = app
        .post_case(Some(&new_key()), &with_photos(&[&photo]))
        .await;
    let body = expect(other, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["fields"][0]["field"], "photo_ids");
    let never_uploaded = json!(format!("{:032x}", 42));
    let mut case = valid_case();
    case["photo_ids"] = json!([never_uploaded]);
    let key = new_key();
    let body = expect(
        app.post_case(Some(&key), &case).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["fields"][0]["code"], "unknown");
    // The refused key is free again: the resident re-adds the photo and sends once more.
    let again = uploaded(&app, 11).await;
    let fixed = app.post_case(Some(&key), &with_photos(&[&again])).await;
    assert_eq!(fixed.status(), StatusCode::CREATED);
}

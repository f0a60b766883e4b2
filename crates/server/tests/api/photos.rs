//! Photos: uploaded first, checked by content, re-encoded without what the camera wrote,
//! attached by the submission that names them.

use image::ImageEncoder;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use yousu_core::api::{CaseReceipt, PhotoReceipt};

use crate::helpers::{Backend, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    photos_uploaded_first_come_back_with_their_case,
    photos_are_checked_by_content_not_by_declared_type,
    a_photo_serves_one_case_only_and_a_retry_replays,
    an_uploaded_photo_comes_back_without_its_exif_position,
    an_open311_photo_comes_back_without_its_exif_position,
    a_file_that_does_not_decode_is_refused_with_a_field_error,
);

/// A small real JPEG (64×48), different for each seed.
pub fn jpeg(seed: u8) -> Vec<u8> {
    jpeg_of(64, 48, seed)
}

/// A real JPEG of `width`×`height`: a pattern with some texture, different for each seed.
pub fn jpeg_of(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(seed as u32 | 1);
        image::Rgb([(x as u8).wrapping_mul(seed), y as u8, (noise >> 7) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&pixels)
        .expect("a JPEG encodes");
    out
}

/// A real PNG of 40×30.
pub fn png() -> Vec<u8> {
    let pixels = image::RgbaImage::from_fn(40, 30, |x, y| image::Rgba([x as u8, y as u8, 90, 200]));
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(pixels.as_raw(), 40, 30, image::ExtendedColorType::Rgba8)
        .expect("a PNG encodes");
    out
}

/// The GPS latitude written below, 36° 37' 1.60", as the TIFF rationals a camera stores.
const LATITUDE_RATIONALS: [u8; 24] = [
    0, 0, 0, 36, 0, 0, 0, 1, 0, 0, 0, 37, 0, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 100,
];

/// `jpeg` with the EXIF segment (APP1) a phone camera writes right after the start marker: the
/// camera's make and where the photo was taken (36°37'1.6" N, 101°46'41.52" E).
pub fn with_exif_gps(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend(tag.to_be_bytes());
        tiff.extend(kind.to_be_bytes());
        tiff.extend(count.to_be_bytes());
        tiff.extend(value);
    };
    // IFD0 at 8: Make (ASCII, at 38) and the GPS IFD's offset (44); 2 + 2×12 + 4 bytes.
    tiff.extend(2u16.to_be_bytes());
    entry(&mut tiff, 0x010F, 2, 6, 38u32.to_be_bytes());
    entry(&mut tiff, 0x8825, 4, 1, 44u32.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(b"Yousu\0");
    // The GPS IFD at 44: latitude and longitude with their references; 2 + 4×12 + 4 bytes.
    tiff.extend(4u16.to_be_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, 5, 3, 98u32.to_be_bytes());
    entry(&mut tiff, 0x0003, 2, 2, *b"E\0\0\0");
    entry(&mut tiff, 0x0004, 5, 3, 122u32.to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(LATITUDE_RATIONALS);
    for (numerator, denominator) in [(101u32, 1u32), (46, 1), (4152, 100)] {
        tiff.extend(numerator.to_be_bytes());
        tiff.extend(denominator.to_be_bytes());
    }
    assert_eq!(tiff.len(), 146, "the offsets above hold");
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

/// The markers of a JPEG's segments before its image data (APP0, APP1, DQT, SOF, …).
fn header_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8], "a JPEG starts with SOI");
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        at += 2 + u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Asserts a served photo is a JPEG of `width`×`height` that carries no EXIF and no GPS position.
fn assert_without_exif(served: &[u8], width: u32, height: u32) {
    assert!(
        !header_markers(served).contains(&0xE1),
        "no APP1 segment: {:x?}",
        header_markers(served)
    );
    assert!(!contains(served, b"Exif\0\0"), "no EXIF header anywhere");
    assert!(!contains(served, &LATITUDE_RATIONALS), "no GPS latitude");
    assert!(!contains(served, b"Yousu\0"), "no camera make");
    let decoded = image::load_from_memory(served).expect("the photo still decodes");
    assert_eq!((decoded.width(), decoded.height()), (width, height));
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
    let served = photo.bytes().await.unwrap();
    let decoded = image::load_from_memory(&served).expect("the photo decodes");
    assert_eq!((decoded.width(), decoded.height()), (64, 48));
    let missing = app.get(&format!("/api/v1/photos/{:032x}", 7)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn photos_are_checked_by_content_not_by_declared_type(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let pdf_as_jpeg = upload(&app, "image/jpeg", b"%PDF-1.7 not a photo".to_vec()).await;
    let body = expect(pdf_as_jpeg, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["fields"][0]["field"], "photo");
    assert_eq!(body["fields"][0]["code"], "not_a_photo");

    let png = upload(&app, "image/jpeg", png()).await;
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

async fn an_uploaded_photo_comes_back_without_its_exif_position(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sent = with_exif_gps(&jpeg_of(320, 240, 5));
    assert!(header_markers(&sent).contains(&0xE1) && contains(&sent, &LATITUDE_RATIONALS));
    assert_eq!(
        image::load_from_memory(&sent).unwrap().width(),
        320,
        "the test photo itself decodes"
    );
    let receipt: PhotoReceipt = serde_json::from_value(
        expect(upload(&app, "image/jpeg", sent).await, StatusCode::CREATED).await,
    )
    .unwrap();
    let photo = app
        .get(&format!("/api/v1/photos/{}", receipt.photo_id.as_str()))
        .await;
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let served = photo.bytes().await.unwrap();
    assert_eq!(
        receipt.bytes,
        served.len() as u64,
        "the receipt counts what is kept"
    );
    assert_without_exif(&served, 320, 240);
}

/// An Open311 appeal (the Open311 stories' good form) with one JPEG photo, posted as multipart.
pub async fn post_open311_with_photo(app: &TestApp, jpeg: Vec<u8>) -> reqwest::Response {
    let mut form = Form::new();
    for (name, value) in crate::open311::good_form() {
        form = form.text(name, value);
    }
    let photo = Part::bytes(jpeg)
        .file_name("lamp.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    app.client
        .post(app.url("/open311/v2/requests.json"))
        .multipart(form.part("media", photo))
        .send()
        .await
        .unwrap()
}

async fn an_open311_photo_comes_back_without_its_exif_position(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = post_open311_with_photo(&app, with_exif_gps(&jpeg_of(300, 200, 9))).await;
    let body = expect(response, StatusCode::CREATED).await;
    let id = body[0]["service_request_id"].as_str().unwrap();
    let request = expect(
        app.get(&format!("/open311/v2/requests/{id}.json")).await,
        StatusCode::OK,
    )
    .await;
    // Without --public-url the link is relative to the server.
    let media_url = request[0]["media_url"].as_str().expect("a media_url");
    let photo = app.get(media_url).await;
    assert_eq!(photo.status(), StatusCode::OK);
    assert_without_exif(&photo.bytes().await.unwrap(), 300, 200);
}

async fn a_file_that_does_not_decode_is_refused_with_a_field_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let whole = jpeg_of(320, 240, 3);
    let truncated = whole[..whole.len() / 2].to_vec();
    let mut not_an_image = vec![0xFF, 0xD8, 0xFF, 0xE0];
    not_an_image.extend(b"this is a letter, not a photo".repeat(40));
    let mut png_cut = png();
    png_cut.truncate(png_cut.len() - 20);
    for (what, bytes) in [
        ("a truncated JPEG", truncated),
        ("a non-image with a JPEG signature", not_an_image),
        ("a truncated PNG", png_cut),
    ] {
        let body = expect(
            upload(&app, "image/jpeg", bytes).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(body["fields"][0]["field"], "photo", "{what}: {body}");
        assert_eq!(body["fields"][0]["code"], "unreadable", "{what}: {body}");
    }
    let body = expect(
        upload(&app, "image/jpeg", b"%PDF-1.7 not a photo".to_vec()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["fields"][0]["code"], "not_a_photo");
    let whole = upload(&app, "image/jpeg", whole).await;
    assert_eq!(
        whole.status(),
        StatusCode::CREATED,
        "the whole photo is taken"
    );
}

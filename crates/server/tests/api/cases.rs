//! Submitting a case and opening it again.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yousu_core::api::{ApiError, CaseView};
use yousu_core::case::city_offset;
use yousu_core::{CaseStatus, LookupCode};

use crate::helpers::{Backend, TestApp, new_key, valid_case};

crate::on_both_backends!(
    submitted_case_is_accepted_with_a_seven_day_deadline,
    case_numbers_follow_the_city_date_and_count_up,
    retried_submission_with_same_key_creates_one_case,
    concurrent_retries_with_same_key_create_one_case,
    invalid_submission_gets_field_errors_and_creates_nothing,
    unreadable_bodies_get_our_error_shape,
    submission_without_idempotency_key_is_refused,
    case_opens_only_with_its_device_key_or_lookup_code,
);

async fn submitted_case_is_accepted_with_a_seven_day_deadline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = Utc::now();
    let response = app.post_case(Some(&new_key()), &valid_case()).await;
    let after = Utc::now();

    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let case: CaseView = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/cases/{}", case.case_number));
    assert_eq!(case.status, CaseStatus::Accepted);
    assert!(LookupCode::parse(case.lookup_code.as_str()).is_some());
    assert_eq!(case.description, "楼下饭店油烟直排，晚上窗户都不能开");
    let accepted = case.accepted_at.expect("accepted at once");
    assert!(before <= accepted && accepted <= after);
    assert_eq!(case.deadline_at, Some(accepted + Duration::days(7)));
    let steps: Vec<_> = case.timeline.iter().map(|e| e.status).collect();
    assert_eq!(steps, [CaseStatus::Submitted, CaseStatus::Accepted]);
    let body = serde_json::to_string(&case).unwrap();
    assert!(
        !body.contains("13809711234"),
        "the phone number is never sent back"
    );
}

async fn case_numbers_follow_the_city_date_and_count_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, first) = app.submit_valid_case().await;
    let (_, second) = app.submit_valid_case().await;
    let today = Utc::now()
        .with_timezone(&city_offset())
        .format("%Y%m%d")
        .to_string();
    assert_eq!(first.case_number.as_str(), format!("{today}000001"));
    assert_eq!(second.case_number.as_str(), format!("{today}000002"));
}

async fn retried_submission_with_same_key_creates_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let first = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: CaseView = first.json().await.unwrap();

    let retry = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(retry.status(), StatusCode::OK, "a replay is not a new case");
    let retry: CaseView = retry.json().await.unwrap();
    assert_eq!(retry.case_number, first.case_number);
    assert_eq!(retry.lookup_code, first.lookup_code);

    let (_, other) = app.submit_valid_case().await;
    assert_ne!(other.case_number, first.case_number);
    assert!(
        other.case_number.as_str().ends_with("000002"),
        "the retry used no serial"
    );
}

async fn concurrent_retries_with_same_key_create_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = app
            .client
            .post(app.url("/api/v1/cases"))
            .header("Idempotency-Key", &key)
            .json(&valid_case());
        sends.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<CaseView>().await.unwrap())
        });
    }
    let mut created = 0;
    let mut numbers = Vec::new();
    while let Some(sent) = sends.join_next().await {
        let (status, case) = sent.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected status {other}"),
        }
        numbers.push(case.case_number);
    }
    assert_eq!(
        created, 1,
        "exactly one of the racing sends creates the case"
    );
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every send names the same case");
}

async fn invalid_submission_gets_field_errors_and_creates_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bad = json!({
        "category_id": "no-such-category",
        "description": "油烟",
        "community_id": "",
        "contact_phone": "12345"
    });
    let response = app.post_case(Some(&new_key()), &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error, "invalid");
    let fields: Vec<(&str, &str)> = error
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("category_id", "unknown"),
            ("community_id", "required"),
            ("description", "too_short"),
            ("contact_phone", "invalid_phone"),
        ]
    );
    assert!(error.fields.iter().all(|f| !f.message_zh.is_empty()));

    let (_, first_real) = app.submit_valid_case().await;
    assert!(
        first_real.case_number.as_str().ends_with("000001"),
        "the refused submission took no case number"
    );
}

async fn unreadable_bodies_get_our_error_shape(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases = [
        (
            "{\"description\": ",
            Some("application/json"),
            "malformed_json",
        ),
        (
            "{\"description\": 5}",
            Some("application/json"),
            "wrong_json_shape",
        ),
        (
            "description=x",
            Some("application/x-www-form-urlencoded"),
            "not_json",
        ),
        ("{}", None, "not_json"),
    ];
    for (body, content_type, code) in cases {
        let mut request = app
            .client
            .post(app.url("/api/v1/cases"))
            .header("Idempotency-Key", new_key())
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.status().is_client_error(),
            "{body}: {}",
            response.status()
        );
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.error, code, "{body}");
    }
}

async fn submission_without_idempotency_key_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.post_case(None, &valid_case()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error, "missing_idempotency_key");

    let response = app.post_case(Some("short"), &valid_case()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error, "invalid_idempotency_key");
}

async fn case_opens_only_with_its_device_key_or_lookup_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (key, case) = app.submit_valid_case().await;
    let number = case.case_number.as_str();

    let by_key = app.get_case_with_key(number, &key).await;
    assert_eq!(by_key.status(), StatusCode::OK);
    assert_eq!(
        by_key.headers()["cache-control"].to_str().unwrap(),
        "private, no-store"
    );
    let by_key: CaseView = by_key.json().await.unwrap();
    assert_eq!(by_key.case_number, case.case_number);

    let by_code = app
        .get(&format!("/api/v1/cases/{number}?code={}", case.lookup_code))
        .await;
    assert_eq!(by_code.status(), StatusCode::OK);

    let wrong_code = if case.lookup_code.as_str() == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let refused = [
        app.get(&format!("/api/v1/cases/{number}?code={wrong_code}"))
            .await,
        app.get(&format!("/api/v1/cases/{number}")).await,
        app.get_case_with_key(number, &new_key()).await,
    ];
    let unknown = app
        .get(&format!(
            "/api/v1/cases/{}?code={}",
            next_number(number),
            case.lookup_code
        ))
        .await;
    let unknown_status = unknown.status();
    let unknown_body: Value = unknown.json().await.unwrap();
    for response in refused {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body, unknown_body,
            "a wrong credential looks exactly like an unknown case"
        );
    }
    assert_eq!(unknown_status, StatusCode::NOT_FOUND);
}

fn next_number(number: &str) -> String {
    let (day, serial) = number.split_at(8);
    format!("{day}{:06}", serial.parse::<u32>().unwrap() + 1)
}

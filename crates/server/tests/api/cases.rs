//! Submitting a case, idempotently, and opening it again.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use yousu_core::api::{ApiError, CaseReceipt, CaseView};
use yousu_core::case::city_offset;
use yousu_core::{CaseStatus, LookupCode};
use yousu_server::DatabaseUrl;

use crate::helpers::{Backend, TempDir, TestApp, city_time, fresh_database, new_key, valid_case};

crate::on_both_backends!(
    submitted_case_is_accepted_with_a_seven_day_deadline,
    case_numbers_follow_the_city_date_and_count_up,
    retried_submission_with_same_key_creates_one_case,
    the_answer_kept_for_retries_holds_no_access_token,
    ten_concurrent_retries_with_same_key_create_one_case,
    same_key_with_another_body_is_refused,
    retry_while_the_first_attempt_runs_is_told_to_wait,
    abandoned_attempt_is_taken_over_after_its_lease,
    invalid_submission_gets_field_errors_and_creates_nothing,
    corrected_submission_may_reuse_the_key_of_an_invalid_one,
    unreadable_bodies_get_our_error_shape,
    submission_without_idempotency_key_is_refused,
    case_opens_only_with_its_access_token_or_lookup_code,
);

fn replayed(response: &Response) -> bool {
    response
        .headers()
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

async fn submitted_case_is_accepted_with_a_seven_day_deadline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let before = app.now();
    let response = app.post_case(Some(&new_key()), &valid_case()).await;
    let after = app.now();

    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(!replayed(&response));
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let receipt: CaseReceipt = response.json().await.unwrap();
    let case = &receipt.case;
    assert_eq!(location, format!("/api/v1/cases/{}", case.case_number));
    assert_eq!(receipt.access_token.len(), 64, "256 random bits, hex");
    assert_eq!(case.status, CaseStatus::Accepted);
    assert!(LookupCode::parse(case.lookup_code.as_ref().unwrap().as_str()).is_some());
    assert_eq!(case.description, "楼下饭店油烟直排，晚上窗户都不能开");
    let accepted = case.accepted_at.expect("accepted at once");
    assert!(before <= accepted && accepted <= after);
    assert_eq!(case.deadline_at, Some(accepted + Duration::days(7)));
    let steps: Vec<_> = case.timeline.iter().map(|e| e.status).collect();
    assert_eq!(steps, [CaseStatus::Submitted, CaseStatus::Accepted]);
    let body = serde_json::to_string(&receipt).unwrap();
    assert!(
        !body.contains("13809711234"),
        "the phone number is never sent back"
    );
}

async fn case_numbers_follow_the_city_date_and_count_up(backend: Backend) {
    // Just before the city's midnight at the turn of a year (15:59 UTC), then just after it, on
    // one database: the numbers follow the city's date, not UTC's, and count up again from 1 on
    // the new day. Two instances with their clocks set keep the story off the real clock.
    let dir = TempDir::new("numbers");
    let mut config = TestApp::config(fresh_database(backend, &dir.0).await, dir.0.join("dist"), 0);
    config.clock_start = Some(city_time("2026-12-31T23:59:00"));
    let evening = TestApp::spawn_with_config(config.clone(), TempDir::new("evening")).await;
    let first = evening.submit_valid_case().await.case;
    let second = evening.submit_valid_case().await.case;
    config.clock_start = Some(city_time("2027-01-01T00:00:30"));
    let morning = TestApp::spawn_with_config(config, dir).await;
    let third = morning.submit_valid_case().await.case;

    let city_date = |at: Option<DateTime<Utc>>| {
        at.unwrap()
            .with_timezone(&city_offset())
            .format("%Y%m%d")
            .to_string()
    };
    assert_eq!(city_date(second.accepted_at), "20261231");
    assert_eq!(first.case_number.as_str(), "20261231000001");
    assert_eq!(second.case_number.as_str(), "20261231000002");
    assert_eq!(city_date(third.accepted_at), "20270101");
    assert_eq!(third.case_number.as_str(), "20270101000001");
}

async fn the_answer_kept_for_retries_holds_no_access_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let first = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let receipt: CaseReceipt = first.json().await.unwrap();
    let number = receipt.case.case_number.to_string();

    let kept = crate::helpers::texts(&app.database, "SELECT response_body FROM idempotency_key")
        .await
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect::<Vec<_>>();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].contains(&number), "the kept answer is this case's");
    assert!(
        !kept[0].contains(&receipt.access_token),
        "the access token is not kept in the clear"
    );

    // The retry still hands the token back, and it opens the case.
    let retry = app.post_case(Some(&key), &valid_case()).await;
    assert!(replayed(&retry));
    let replay: CaseReceipt = retry.json().await.unwrap();
    assert_eq!(replay.access_token, receipt.access_token);
    let opened = app.get_case_with_token(&number, &replay.access_token).await;
    assert_eq!(opened.status(), StatusCode::OK);
}

async fn retried_submission_with_same_key_creates_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let first = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_body = first.text().await.unwrap();

    let retry = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(
        retry.status(),
        StatusCode::CREATED,
        "the first answer again"
    );
    assert!(replayed(&retry));
    assert_eq!(retry.text().await.unwrap(), first_body, "to the byte");

    let first: CaseReceipt = serde_json::from_str(&first_body).unwrap();
    let other = app.submit_valid_case().await;
    assert_ne!(other.case.case_number, first.case.case_number);
    assert!(
        other.case.case_number.as_str().ends_with("000002"),
        "the retry used no serial"
    );
}

async fn ten_concurrent_retries_with_same_key_create_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let mut sends = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let request = app
            .client
            .post(app.url("/api/v1/cases"))
            .header("Idempotency-Key", &key)
            .json(&valid_case());
        sends.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            let replayed = replayed(&response);
            let retry_after = response.headers().get("retry-after").cloned();
            (
                status,
                replayed,
                retry_after,
                response.text().await.unwrap(),
            )
        });
    }
    let (mut created, mut replays, mut waits) = (0, 0, 0);
    let mut numbers = Vec::new();
    while let Some(sent) = sends.join_next().await {
        let (status, was_replayed, retry_after, body) = sent.unwrap();
        match (status, was_replayed) {
            (StatusCode::CREATED, false) => created += 1,
            (StatusCode::CREATED, true) => replays += 1,
            (StatusCode::CONFLICT, _) => {
                waits += 1;
                assert_eq!(retry_after.unwrap(), "1");
                let error: ApiError = serde_json::from_str(&body).unwrap();
                assert_eq!(error.error, "submission_in_progress");
                continue;
            }
            other => panic!("unexpected answer {other:?}: {body}"),
        }
        let receipt: CaseReceipt = serde_json::from_str(&body).unwrap();
        numbers.push(receipt.case.case_number);
    }
    assert_eq!(created, 1, "exactly one send creates the case");
    assert_eq!(created + replays + waits, 10);
    numbers.dedup();
    assert_eq!(numbers.len(), 1, "every answer names the same case");
    // Whoever was told to wait gets the same case when they retry.
    let after = app.post_case(Some(&key), &valid_case()).await;
    assert!(replayed(&after));
    let receipt: CaseReceipt = after.json().await.unwrap();
    assert_eq!(receipt.case.case_number, numbers[0]);
    let next = app.submit_valid_case().await;
    assert!(next.case.case_number.as_str().ends_with("000002"));
}

async fn same_key_with_another_body_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    assert_eq!(
        app.post_case(Some(&key), &valid_case()).await.status(),
        StatusCode::CREATED
    );
    let mut other = valid_case();
    other["description"] = json!("另一件事：小区路灯不亮已经一周了");
    let response = app.post_case(Some(&key), &other).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error, "idempotency_key_reused");
}

/// Puts a reservation in the database as an attempt that is still running would leave it.
async fn reserve_as_running(database: &DatabaseUrl, key: &str, body: &Value, age: Duration) {
    use sha2::{Digest, Sha256};
    let hex = |bytes: &[u8]| -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let draft: yousu_core::CaseDraft = serde_json::from_value(body.clone()).unwrap();
    let request_hash = hex(&serde_json::to_vec(&draft).unwrap());
    let sql = "INSERT INTO idempotency_key (key_hash, request_hash, state, created_at) \
               VALUES ($1, $2, 'in_flight', $3)";
    let created_at = Utc::now() - age;
    match database {
        DatabaseUrl::Sqlite(path) => {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
                .await
                .unwrap();
            sqlx::query(sql)
                .bind(hex(key.as_bytes()))
                .bind(request_hash)
                .bind(created_at)
                .execute(&mut conn)
                .await
                .unwrap();
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql)
                .bind(hex(key.as_bytes()))
                .bind(request_hash)
                .bind(created_at)
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

async fn retry_while_the_first_attempt_runs_is_told_to_wait(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    reserve_as_running(&app.database, &key, &valid_case(), Duration::seconds(1)).await;
    let response = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(response.headers()["retry-after"], "1");
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error, "submission_in_progress");
}

async fn abandoned_attempt_is_taken_over_after_its_lease(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    // A server died after reserving this key a minute ago and never wrote the case.
    reserve_as_running(&app.database, &key, &valid_case(), Duration::seconds(60)).await;
    let response = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(!replayed(&response));
    let again = app.post_case(Some(&key), &valid_case()).await;
    assert!(replayed(&again));
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

    let first_real = app.submit_valid_case().await;
    assert!(
        first_real.case.case_number.as_str().ends_with("000001"),
        "the refused submission took no case number"
    );
}

async fn corrected_submission_may_reuse_the_key_of_an_invalid_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let mut wrong = valid_case();
    wrong["contact_phone"] = json!("12345");
    let refused = app.post_case(Some(&key), &wrong).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The app keeps one key per draft: the corrected draft goes out with it.
    let accepted = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    assert!(!replayed(&accepted));
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

async fn case_opens_only_with_its_access_token_or_lookup_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = new_key();
    let receipt: CaseReceipt = app
        .post_case(Some(&key), &valid_case())
        .await
        .json()
        .await
        .unwrap();
    let case = &receipt.case;
    let number = case.case_number.as_str();

    let by_token = app.get_case_with_token(number, &receipt.access_token).await;
    assert_eq!(by_token.status(), StatusCode::OK);
    assert_eq!(
        by_token.headers()["cache-control"].to_str().unwrap(),
        "private, no-store"
    );
    let by_token: CaseView = by_token.json().await.unwrap();
    assert_eq!(by_token.case_number, case.case_number);

    let by_code = app
        .get_case_with_code(number, case.lookup_code.as_ref().unwrap().as_str())
        .await;
    assert_eq!(by_code.status(), StatusCode::OK);

    let wrong_code = if case.lookup_code.as_ref().unwrap().as_str() == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let refused = [
        app.get_case_with_code(number, wrong_code).await,
        app.get(&format!("/api/v1/cases/{number}")).await,
        app.get_case_with_token(number, &new_key()).await,
        // The idempotency key is not a credential.
        app.get_case_with_token(number, &key).await,
    ];
    let unknown = app
        .get_case_with_code(
            &next_number(number),
            case.lookup_code.as_ref().unwrap().as_str(),
        )
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

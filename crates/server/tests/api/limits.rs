//! What the API refuses before any work: too many requests, wrong methods, wrong content types,
//! bodies too large.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    a_client_over_its_limit_gets_429_with_retry_after,
    guessing_a_lookup_code_locks_the_case,
    wrong_methods_types_and_sizes_are_refused_in_our_shape,
);

async fn a_client_over_its_limit_gets_429_with_retry_after(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for _ in 0..60 {
        let response = app
            .client
            .post(app.url("/api/v1/staff/login"))
            .json(&json!({ "username": "nobody", "password": "x" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .json(&json!({ "username": "dispatcher", "password": "yousu-demo" }))
        .send()
        .await
        .unwrap();
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(
        expect(response, StatusCode::TOO_MANY_REQUESTS).await["error"],
        "rate_limited"
    );
    // Submissions count on their own door.
    let submitted = app.post_case(Some(&new_key()), &valid_case()).await;
    assert_eq!(submitted.status(), StatusCode::CREATED);
}

async fn guessing_a_lookup_code_locks_the_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let code = receipt.case.lookup_code.as_ref().unwrap().to_string();
    for guess in 0..10 {
        let wrong = format!(
            "{:08}",
            (code.parse::<u32>().unwrap() + 1 + guess) % 100_000_000
        );
        let response = app
            .get(&format!("/api/v1/cases/{number}?code={wrong}"))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    // Now even the right code waits: the case is locked against guessing for a while.
    let locked = app
        .get(&format!("/api/v1/cases/{number}?code={code}"))
        .await;
    assert_eq!(
        expect(locked, StatusCode::TOO_MANY_REQUESTS).await["error"],
        "rate_limited"
    );
    // The resident's own device is not locked out.
    let own = app
        .get_case_with_token(&number, &receipt.access_token)
        .await;
    assert_eq!(own.status(), StatusCode::OK);
}

async fn wrong_methods_types_and_sizes_are_refused_in_our_shape(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let deleted = app
        .client
        .delete(app.url("/api/v1/cases"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect(deleted, StatusCode::METHOD_NOT_ALLOWED).await["error"],
        "method_not_allowed"
    );
    let put = app
        .client
        .put(app.url("/api/v1/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);

    let form = app
        .client
        .post(app.url("/api/v1/cases"))
        .header("Idempotency-Key", new_key())
        .header("Content-Type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect(form, StatusCode::UNSUPPORTED_MEDIA_TYPE).await["error"],
        "not_json"
    );

    let mut huge = valid_case();
    huge["description"] = json!("长".repeat(40_000));
    let too_large = app.post_case(Some(&new_key()), &huge).await;
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error = too_large.json::<serde_json::Value>().await.unwrap();
    assert_eq!(error["error"], "unreadable_body");
}

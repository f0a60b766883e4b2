//! What the API refuses before any work: too many requests, wrong methods, wrong content types,
//! bodies too large.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TempDir, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    a_client_over_its_limit_gets_429_with_retry_after,
    guessing_a_lookup_code_locks_the_case,
    wrong_methods_types_and_sizes_are_refused_in_our_shape,
    a_case_number_typed_another_way_shares_the_lookup_lock,
    two_instances_share_a_cases_lookup_lock,
    a_lookup_code_in_the_query_string_is_refused_with_400,
    an_account_waits_after_five_failed_sign_ins_on_any_instance,
    behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit,
    forwarded_addresses_are_ignored_without_trusted_proxies,
);

/// Only PostgreSQL runs several instances on one database; SQLite counts addresses in memory.
mod postgres_only {
    #[tokio::test]
    async fn per_address_limits_hold_across_instances() {
        super::per_address_limits_hold_across_instances().await
    }
}

/// A second server on the same database, as another instance behind the same load balancer.
async fn second_instance(app: &TestApp) -> TestApp {
    let dir = TempDir::new("second");
    TestApp::spawn_on(app.database.clone(), dir.0.join("dist"), dir).await
}

/// A code that is not `code`.
fn wrong_code(code: &str, nth: u32) -> String {
    format!(
        "{:08}",
        (code.parse::<u32>().unwrap() + 1 + nth) % 100_000_000
    )
}

async fn a_client_over_its_limit_gets_429_with_retry_after(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for attempt in 0..60 {
        // A name each: the per-account throttle is not what this story measures.
        let response = app.sign_in(&format!("nobody-{attempt}"), "x").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app.sign_in("dispatcher", "yousu-demo").await;
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
        let response = app
            .get_case_with_code(&number, &wrong_code(&code, guess))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    // Now even the right code waits: the case is locked against guessing for a while.
    let locked = app.get_case_with_code(&number, &code).await;
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

async fn a_case_number_typed_another_way_shares_the_lookup_lock(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let code = receipt.case.lookup_code.as_ref().unwrap().to_string();
    let (date, serial) = number.split_at(4);
    // Every spelling the number's parser accepts: each used to start a count of its own.
    let spellings = [
        number.clone(),
        format!("{date}-{serial}"),
        format!("--{number}"),
        format!("{number}-"),
        format!("-{date}-{serial}"),
        format!("{date}--{serial}"),
        format!("{date}%20{serial}"),
        format!("%20{number}"),
        format!("---{number}"),
        format!("{date}-{}-{}", &serial[..4], &serial[4..]),
    ];
    for (nth, spelling) in spellings.iter().enumerate() {
        let response = app
            .get_case_with_code(spelling, &wrong_code(&code, nth as u32))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{spelling}");
    }
    for spelling in [format!("----{number}"), number.clone()] {
        let locked = app.get_case_with_code(&spelling, &code).await;
        assert_eq!(
            locked.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "{spelling}: ten wrong codes under any spelling lock the case"
        );
    }
    // A path too long to be a typed number is not a case: refused without counting anything.
    let long = format!("{number}{}", "-".repeat(100));
    let response = app.get_case_with_code(&long, &code).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

async fn two_instances_share_a_cases_lookup_lock(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let second = second_instance(&first).await;
    let receipt = first.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let code = receipt.case.lookup_code.as_ref().unwrap().to_string();
    for guess in 0..10 {
        let instance = if guess % 2 == 0 { &first } else { &second };
        let response = instance
            .get_case_with_code(&number, &wrong_code(&code, guess))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    for instance in [&first, &second] {
        let locked = instance.get_case_with_code(&number, &code).await;
        assert_eq!(
            expect(locked, StatusCode::TOO_MANY_REQUESTS).await["error"],
            "rate_limited",
            "five wrong codes on each instance are ten for the case"
        );
    }
}

async fn a_lookup_code_in_the_query_string_is_refused_with_400(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let code = receipt.case.lookup_code.as_ref().unwrap().to_string();
    let old_form = app
        .get(&format!("/api/v1/cases/{number}?code={code}"))
        .await;
    let error = expect(old_form, StatusCode::BAD_REQUEST).await;
    assert_eq!(error["error"], "lookup_code_in_query");
    assert_eq!(error["fields"][0]["field"], "code");
    assert!(
        error["fields"][0]["message_en"]
            .as_str()
            .unwrap()
            .contains("X-Lookup-Code")
    );
    // Even beside the right header: the code must not be in the address at all.
    let both = app
        .client
        .get(app.url(&format!("/api/v1/cases/{number}?code={code}")))
        .header(yousu_core::api::LOOKUP_CODE_HEADER, &code)
        .send()
        .await
        .unwrap();
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
    let by_header = app.get_case_with_code(&number, &code).await;
    assert_eq!(by_header.status(), StatusCode::OK);
    let not_a_code = app.get_case_with_code(&number, "号码").await;
    assert_eq!(not_a_code.status(), StatusCode::NOT_FOUND);
}

async fn an_account_waits_after_five_failed_sign_ins_on_any_instance(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let second = second_instance(&first).await;
    for attempt in 0..5 {
        let instance = if attempt % 2 == 0 { &first } else { &second };
        let response = instance.sign_in("dispatcher", "not-the-password").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // The sixth attempt waits, right password or not, on whichever instance it reaches; the
    // names are trimmed as the sign-in trims them.
    for (instance, name) in [(&first, "dispatcher"), (&second, " dispatcher ")] {
        let response = instance.sign_in(name, "yousu-demo").await;
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=15).contains(&retry_after), "{retry_after}");
        assert_eq!(
            expect(response, StatusCode::TOO_MANY_REQUESTS).await["error"],
            "rate_limited"
        );
    }
    // Another account is not held back, and the same five failures for a name that does not
    // exist are throttled alike, so the throttle does not tell which names exist.
    let other = first.sign_in("operator", "yousu-demo").await;
    assert_eq!(other.status(), StatusCode::OK);
    for _ in 0..5 {
        let response = first.sign_in("no-such-account", "x").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let unknown = second.sign_in("no-such-account", "x").await;
    assert_eq!(unknown.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Sixty-one sign-ins through a proxy at 127.0.0.1, each from its own forwarded address.
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(backend: Backend) {
    let dir = TempDir::new("proxy");
    let database = crate::helpers::fresh_database(backend, &dir.0).await;
    let mut config = TestApp::config(database, dir.0.join("dist"), 0);
    config.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    let app = TestApp::spawn_with_config(config, dir).await;
    for client in 0..61 {
        // The client's own claim on the left is not believed; the proxy's entry is.
        let forwarded = format!("10.0.0.1, 198.51.100.{client}");
        let response = app
            .sign_in_with_headers(
                &format!("nobody-{client}"),
                "x",
                &[("X-Forwarded-For", &forwarded)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "client {client}"
        );
    }
    let admin = app
        .sign_in_with_headers(
            "dispatcher",
            "yousu-demo",
            &[("X-Forwarded-For", "203.0.113.61")],
        )
        .await;
    assert_eq!(admin.status(), StatusCode::OK);
    // One client forging a different left-hand entry each time is still one client.
    for forged in 0..60 {
        let response = app
            .sign_in_with_headers(
                &format!("guess-{forged}"),
                "x",
                &[("X-Forwarded-For", &format!("10.9.{forged}.1, 203.0.113.7"))],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let over = app
        .sign_in_with_headers(
            "dispatcher",
            "yousu-demo",
            &[("X-Forwarded-For", "10.9.99.1, 203.0.113.7")],
        )
        .await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn forwarded_addresses_are_ignored_without_trusted_proxies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for client in 0..60 {
        let response = app
            .sign_in_with_headers(
                &format!("nobody-{client}"),
                "x",
                &[
                    ("X-Forwarded-For", &format!("198.51.100.{client}")),
                    ("Forwarded", &format!("for=198.51.100.{client}")),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let over = app
        .sign_in_with_headers(
            "dispatcher",
            "yousu-demo",
            &[("X-Forwarded-For", "198.51.100.200")],
        )
        .await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Two instances on one PostgreSQL database: thirty lookups on each are sixty from the address.
async fn per_address_limits_hold_across_instances() {
    let first = TestApp::spawn(Backend::Postgres).await;
    let second = second_instance(&first).await;
    let day = first.now().format("%Y%m%d").to_string();
    for serial in 1..=60 {
        let instance = if serial % 2 == 0 { &first } else { &second };
        // A number of its own each time, so no case's own lock is what answers.
        let response = instance
            .get_case_with_code(&format!("{day}{:06}", 900_000 + serial), "12345678")
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "lookup {serial}");
    }
    let over = first
        .get_case_with_code(&format!("{day}999999"), "12345678")
        .await;
    let error = expect(over, StatusCode::TOO_MANY_REQUESTS).await;
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("from this address")
    );
}

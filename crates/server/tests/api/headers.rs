//! Headers and connections: what the apps' pages may run (a Content-Security-Policy whose
//! hashes are those of the inline scripts served), framing and HSTS, what caches may keep, the
//! links the server writes, the timeouts and the connection cap, and a live stream that ends
//! with its session.

use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yousu_core::api::CaseReceipt;

use crate::helpers::{
    Backend, TempDir, TestApp, city_time, expect, fresh_database, new_key, valid_case,
};

crate::on_both_backends!(
    answers_holding_personal_data_may_not_be_stored,
    the_live_stream_ends_when_its_session_is_signed_out_or_revoked,
);

/// Stories that do not depend on the database: SQLite only.
mod any_backend {
    #[tokio::test]
    async fn app_pages_run_only_their_own_inline_scripts() {
        super::app_pages_run_only_their_own_inline_scripts().await
    }

    #[tokio::test]
    async fn other_answers_run_nothing_and_no_page_may_be_framed() {
        super::other_answers_run_nothing_and_no_page_may_be_framed().await
    }

    #[tokio::test]
    async fn hsts_is_sent_only_with_a_public_https_address() {
        super::hsts_is_sent_only_with_a_public_https_address().await
    }

    #[tokio::test]
    async fn links_name_the_public_address_and_never_the_host_header() {
        super::links_name_the_public_address_and_never_the_host_header().await
    }

    #[tokio::test]
    async fn a_half_sent_request_is_disconnected_after_the_header_timeout() {
        super::a_half_sent_request_is_disconnected_after_the_header_timeout().await
    }

    #[tokio::test]
    async fn a_request_whose_body_stalls_is_answered_408() {
        super::a_request_whose_body_stalls_is_answered_408().await
    }

    #[tokio::test]
    async fn the_live_stream_outlasts_the_request_timeout() {
        super::the_live_stream_outlasts_the_request_timeout().await
    }

    #[tokio::test]
    async fn connections_beyond_the_cap_wait_until_one_closes() {
        super::connections_beyond_the_cap_wait_until_one_closes().await
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

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("{} has no {name}", response.url()))
        .to_str()
        .unwrap()
}

/// The sources of one directive of a policy.
fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .unwrap_or_else(|| panic!("no {name} in {policy}"))
        .split_whitespace()
        .collect()
}

fn hash_source(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The script-src hashes of a policy, sorted.
fn hashes(policy: &str) -> Vec<String> {
    let mut found: Vec<String> = directive(policy, "script-src")
        .into_iter()
        .filter(|s| s.starts_with("'sha256-"))
        .map(str::to_owned)
        .collect();
    found.sort();
    found
}

fn sorted(scripts: &[&str]) -> Vec<String> {
    let mut hashes: Vec<String> = scripts.iter().map(|s| hash_source(s)).collect();
    hashes.sort();
    hashes
}

// Shaped like the built pages: the resident app's start-up checks (a multi-line inline script
// and a `nomodule` one), a script file, and Trunk's module loader as a release build writes it
// (minified, attributes unquoted).
const CHECKS: &str =
    "\n      (function () {\n        var root = document.documentElement;\n      })();\n    ";
const NOMODULE: &str = "document.documentElement.className+=\" no-wasm\"";
const LOADER: &str = "import init from\"/yousu-0123456789abcdef.js\";const wasm=await init({module_or_path:\"/yousu-0123456789abcdef_bg.wasm\"});";
const STAFF_LOADER: &str =
    "import init from\"/staff/yousu-workbench-fedcba9876543210.js\";await init();";

async fn app_pages_run_only_their_own_inline_scripts() {
    let dir = TempDir::new("csp");
    let dist = dir.0.join("dist");
    std::fs::create_dir_all(dist.join("staff")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        format!(
            "<!doctype html><html><head><script>{CHECKS}</script><script nomodule>{NOMODULE}\
             </script><script src=/native-0123456789abcdef.js></script>\
             <link rel=modulepreload href=/yousu-split-0123456789abcdef.js></head>\
             <body><noscript>JavaScript</noscript><script type=module>{LOADER}</script></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        dist.join("staff/index.html"),
        format!("<!doctype html><body><script type=\"module\">{STAFF_LOADER}</script></body>"),
    )
    .unwrap();
    let database = fresh_database(Backend::Sqlite, &dir.0).await;
    let app = TestApp::spawn_on(database, dist.clone(), dir).await;

    for path in ["/", "/cases/20261126000001", "/sw.js"] {
        let response = app.get(path).await;
        let policy = header(&response, "content-security-policy");
        assert_eq!(
            hashes(policy),
            sorted(&[CHECKS, NOMODULE, LOADER]),
            "{path}: exactly the page's inline scripts"
        );
        let scripts = directive(policy, "script-src");
        assert!(!scripts.contains(&"'unsafe-inline'"), "{policy}");
        assert!(!scripts.contains(&"'unsafe-eval'"), "{policy}");
        assert!(scripts.contains(&"'self'"), "the app's own files: {policy}");
        assert!(
            scripts.contains(&"'wasm-unsafe-eval'"),
            "compiling the wasm: {policy}"
        );
        assert_eq!(directive(policy, "connect-src"), ["'self'"]);
        assert_eq!(directive(policy, "img-src"), ["'self'", "blob:", "data:"]);
        assert_eq!(directive(policy, "object-src"), ["'none'"]);
        assert_eq!(directive(policy, "frame-ancestors"), ["'none'"]);
        assert_eq!(directive(policy, "base-uri"), ["'self'"]);
        assert_eq!(directive(policy, "form-action"), ["'self'"]);
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }
    let staff = app.get("/staff/cases").await;
    assert_eq!(
        hashes(header(&staff, "content-security-policy")),
        sorted(&[STAFF_LOADER]),
        "the workbench's page has its own"
    );

    // A new build put in place while the server runs: its page's scripts, not the old ones.
    let rebuilt = "import init from\"/yousu-fedcba9876543210.js\";await init();";
    std::fs::write(
        dist.join("index.html"),
        format!("<!doctype html><body><script type=module>{rebuilt}</script></body>"),
    )
    .unwrap();
    let response = app.get("/").await;
    assert_eq!(
        hashes(header(&response, "content-security-policy")),
        sorted(&[rebuilt])
    );
}

async fn other_answers_run_nothing_and_no_page_may_be_framed() {
    let app = spawn_with(|_| {}).await;
    for path in [
        "/api/v1/health",
        "/api/v1/nowhere",
        "/open311/v2/discovery.json",
        "/",
    ] {
        let response = app.get(path).await;
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{path}");
        let policy = header(&response, "content-security-policy");
        assert_eq!(directive(policy, "frame-ancestors"), ["'none'"], "{path}");
        assert!(
            response
                .headers()
                .get("strict-transport-security")
                .is_none(),
            "{path}: no HSTS without a public HTTPS address"
        );
    }
    let health = app.get("/api/v1/health").await;
    assert_eq!(
        directive(header(&health, "content-security-policy"), "default-src"),
        ["'none'"]
    );
}

async fn hsts_is_sent_only_with_a_public_https_address() {
    let app = spawn_with(|c| c.public_url = Some("http://10.1.2.3:8080".parse().unwrap())).await;
    let response = app.get("/api/v1/health").await;
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none()
    );

    let app = spawn_with(|c| {
        c.public_url = Some("https://12345.example.gov.cn".parse().unwrap());
    })
    .await;
    for path in ["/api/v1/health", "/", "/open311/v2/discovery.json"] {
        let response = app.get(path).await;
        let hsts = header(&response, "strict-transport-security");
        assert!(hsts.starts_with("max-age="), "{path}: {hsts}");
        let age: u64 = hsts["max-age=".len()..]
            .split(';')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(age >= 180 * 24 * 3600, "{path}: {hsts}");
    }
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

fn assert_no_store(response: &reqwest::Response, what: &str) {
    let cache = response
        .headers()
        .get("cache-control")
        .unwrap_or_else(|| panic!("{what}: no Cache-Control"))
        .to_str()
        .unwrap();
    assert!(
        cache.split(',').any(|d| d.trim() == "no-store"),
        "{what}: {cache}"
    );
}

async fn answers_holding_personal_data_may_not_be_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt_answer = app.post_case(Some(&new_key()), &valid_case()).await;
    assert_no_store(
        &receipt_answer,
        "a submission's receipt (with its access token)",
    );
    let receipt: CaseReceipt =
        serde_json::from_value(expect(receipt_answer, StatusCode::CREATED).await).unwrap();
    let number = receipt.case.case_number.to_string();
    let own = app
        .get_case_with_token(&number, &receipt.access_token)
        .await;
    assert_no_store(&own, "the resident's own case");

    let login = app.sign_in("dispatcher", "yousu-demo").await;
    assert_no_store(&login, "a sign-in answer (with its session token)");
    let token = app.login("dispatcher").await;
    let case = app
        .staff_get(&token, &format!("/api/v1/staff/cases/{number}"))
        .await;
    assert_eq!(case.status(), StatusCode::OK);
    assert_no_store(&case, "a staff case view");
    let list = app.staff_get(&token, "/api/v1/staff/cases").await;
    assert_eq!(list.status(), StatusCode::OK);
    assert_no_store(&list, "a staff case list");
    let me = app.staff_get(&token, "/api/v1/staff/me").await;
    assert_no_store(&me, "the signed-in account");
    let admin = app.login("admin").await;
    let staff = app.staff_get(&admin, "/api/v1/admin/staff").await;
    assert_eq!(staff.status(), StatusCode::OK);
    assert_no_store(&staff, "the staff list");
    let refused = app.get(&format!("/api/v1/staff/cases/{number}")).await;
    assert_no_store(&refused, "an error answer");

    let open311 = app
        .get(&format!(
            "/open311/v2/requests/{number}.json?extensions=true"
        ))
        .await;
    assert_eq!(open311.status(), StatusCode::OK);
    assert_no_store(&open311, "an Open311 request with its extensions");
    let posted = app
        .client
        .post(app.url("/open311/v2/requests.json"))
        .form(&[
            ("api_key", "demo"),
            ("service_code", "environment"),
            ("lat", "36.5912"),
            ("long", "101.7693"),
            ("description", "饭店油烟直排，晚上窗户都不能开"),
            ("first_name", "阿姨"),
            ("last_name", "李"),
            ("email", "li@example.com"),
            ("phone", "13809711234"),
            ("attribute[when]", "night"),
            ("attribute[kinds][]", "fumes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    assert_no_store(&posted, "an Open311 submission's answer");

    // Photos: the browser may keep one, no shared cache may.
    let photo = expect(
        crate::photos::upload(&app, "image/jpeg", crate::photos::jpeg(4)).await,
        StatusCode::CREATED,
    )
    .await;
    let photo = app
        .get(&format!(
            "/api/v1/photos/{}",
            photo["photo_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(photo.status(), StatusCode::OK);
    let cache = header(&photo, "cache-control");
    let directives: Vec<&str> = cache.split(',').map(str::trim).collect();
    assert!(directives.contains(&"private"), "{cache}");
    assert!(!directives.contains(&"public"), "{cache}");
    assert!(
        directives.iter().any(|d| d.starts_with("max-age=")),
        "{cache}"
    );
}

/// Reads until the server closes the connection; what it sent.
async fn read_to_close(socket: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match socket.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

fn address(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

async fn a_half_sent_request_is_disconnected_after_the_header_timeout() {
    let app = spawn_with(|c| c.header_read_timeout = 1).await;
    let mut socket = TcpStream::connect(address(&app)).await.unwrap();
    let started = Instant::now();
    socket.write_all(b"GET /api/v1/hea").await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut socket))
        .await
        .expect("the server closes a half-sent request's connection");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "closed after {took:?}"
    );

    // A connection that sends nothing is closed too, and a whole request still gets its answer.
    let mut silent = TcpStream::connect(address(&app)).await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut silent))
        .await
        .expect("the server closes a silent connection");
    assert_eq!(app.get("/api/v1/health").await.status(), StatusCode::OK);
}

async fn a_request_whose_body_stalls_is_answered_408() {
    let app = spawn_with(|c| {
        c.header_read_timeout = 30;
        c.request_timeout = 1;
    })
    .await;
    let mut socket = TcpStream::connect(address(&app)).await.unwrap();
    let started = Instant::now();
    socket
        .write_all(
            b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Idempotency-Key: 0123456789abcdef0123456789abcdef\r\n\
              Content-Length: 1000\r\n\r\n{\"description\":",
        )
        .await
        .unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut socket))
        .await
        .expect("the server answers a stalled request and closes");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// The next `figures` event of a live stream, or `None` once the server ends it.
async fn next_figures(stream: &mut reqwest::Response, seen: &mut String) -> Option<Value> {
    loop {
        if let Some(end) = seen.find("\n\n") {
            let event: String = seen.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                return Some(serde_json::from_str(data).unwrap());
            }
            continue;
        }
        match stream.chunk().await {
            Ok(Some(chunk)) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(None) | Err(_) => return None,
        }
    }
}

async fn open_stream(app: &TestApp, token: &str) -> reqwest::Response {
    let stream = app
        .client
        .get(app.url("/api/v1/staff/live"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    stream
}

async fn the_live_stream_outlasts_the_request_timeout() {
    // Midday, so "today" is one day from the first figures to the last whatever the hour.
    let app = spawn_with(|c| {
        c.request_timeout = 1;
        c.header_read_timeout = 1;
        c.clock_start = Some(city_time("2026-12-08T12:00:00"));
    })
    .await;
    let token = app.login("supervisor").await;
    let mut stream = open_stream(&app, &token).await;
    let mut seen = String::new();
    let first = next_figures(&mut stream, &mut seen).await.expect("figures");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    app.submit_valid_case().await;
    let next = tokio::time::timeout(
        Duration::from_secs(10),
        next_figures(&mut stream, &mut seen),
    )
    .await
    .expect("an event within seconds")
    .expect("the stream is still open past the request timeout");
    assert_eq!(
        next["received_today"].as_u64().unwrap(),
        first["received_today"].as_u64().unwrap() + 1
    );
}

/// Waits (at most ten seconds) for the server to end a live stream.
async fn ends(stream: &mut reqwest::Response, seen: &mut String, what: &str) {
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while next_figures(stream, seen).await.is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the stream goes on after {what}");
}

async fn the_live_stream_ends_when_its_session_is_signed_out_or_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let post = |token: String, path: String| {
        let request = app.client.post(app.url(&path)).bearer_auth(token);
        async move { request.send().await.unwrap().status() }
    };

    // Signed out.
    let token = app.login("supervisor").await;
    let other = app.login("dispatcher").await;
    let mut stream = open_stream(&app, &token).await;
    let mut untouched = open_stream(&app, &other).await;
    let (mut seen, mut seen_other) = (String::new(), String::new());
    next_figures(&mut stream, &mut seen).await.expect("figures");
    next_figures(&mut untouched, &mut seen_other)
        .await
        .expect("figures");
    assert_eq!(
        post(token, "/api/v1/staff/logout".into()).await,
        StatusCode::NO_CONTENT
    );
    ends(&mut stream, &mut seen, "signing out").await;

    // Signed out everywhere: every stream of the account.
    let again = app.login("supervisor").await;
    let mut first = open_stream(&app, &again).await;
    let elsewhere = app.login("supervisor").await;
    let mut second = open_stream(&app, &elsewhere).await;
    let (mut seen_first, mut seen_second) = (String::new(), String::new());
    next_figures(&mut first, &mut seen_first)
        .await
        .expect("figures");
    next_figures(&mut second, &mut seen_second)
        .await
        .expect("figures");
    assert_eq!(
        post(again, "/api/v1/staff/logout-everywhere".into()).await,
        StatusCode::NO_CONTENT
    );
    ends(&mut first, &mut seen_first, "signing out everywhere").await;
    ends(&mut second, &mut seen_second, "signing out everywhere").await;

    // The account disabled by an administrator.
    let admin = app.login("admin").await;
    assert_eq!(
        post(admin, "/api/v1/admin/staff/dispatcher/disable".into()).await,
        StatusCode::NO_CONTENT
    );
    ends(&mut untouched, &mut seen_other, "the account was disabled").await;
}

async fn connections_beyond_the_cap_wait_until_one_closes() {
    let app = spawn_with(|c| {
        c.max_connections = 1;
        c.header_read_timeout = 30;
    })
    .await;
    // One connection, holding the only place.
    let holder = TcpStream::connect(address(&app)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = app
        .client
        .get(app.url("/api/v1/health"))
        .timeout(Duration::from_millis(700))
        .send()
        .await;
    assert!(waiting.is_err(), "answered beyond the cap: {waiting:?}");
    drop(holder);
    let answered = tokio::time::timeout(Duration::from_secs(5), app.get("/api/v1/health"))
        .await
        .expect("answered once the place is free");
    assert_eq!(answered.status(), StatusCode::OK);
}

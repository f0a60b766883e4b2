//! A database hiccup loses no appeal: while the database is locked, restarting or unreachable a
//! submission answers 503 with `Retry-After` in our error shape (never 500, never a long hang),
//! its retry with the same key makes exactly one case, and the server recovers by itself.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection;
use yousu_core::api::CaseReceipt;
use yousu_server::DatabaseUrl;

use crate::helpers::{Backend, TempDir, TestApp, count, expect, new_key, valid_case};

/// A resident is not kept waiting for the 503 (the server's wait is 2 s; it was 10 s).
const LONGEST_WAIT_FOR_A_503: Duration = Duration::from_secs(5);

#[tokio::test]
async fn submission_while_another_connection_holds_the_sqlite_write_lock_answers_503_then_succeeds_once()
 {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let DatabaseUrl::Sqlite(path) = &app.database else {
        unreachable!("a SQLite story")
    };
    let before = count(&app.database, "SELECT COUNT(*) FROM \"case\"").await;

    // Another process (a backup, an operator's sqlite3) takes the write lock and keeps it.
    let mut other = sqlx::SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();

    let key = new_key();
    let started = Instant::now();
    let response = app.post_case(Some(&key), &valid_case()).await;
    let waited = started.elapsed();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unavailable", "{body}");
    assert!(body["message"].is_string(), "{body}");
    assert!(
        waited < LONGEST_WAIT_FOR_A_503,
        "the resident waited {waited:?} for the 503"
    );
    // Health says writes fail, with a status a load balancer acts on.
    let health = app.get("/api/v1/health").await;
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(health.headers().contains_key("retry-after"));
    let health: Value = health.json().await.unwrap();
    assert_eq!(health["writable"], false, "{health}");

    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    drop(other);

    let health = expect(app.get("/api/v1/health").await, StatusCode::OK).await;
    assert_eq!(health["writable"], true, "{health}");
    // The client sends the same appeal again with the same key: one case, and a second retry
    // (an answer lost on the way) is its replay.
    let first = expect(
        app.post_case(Some(&key), &valid_case()).await,
        StatusCode::CREATED,
    )
    .await;
    let again = app.post_case(Some(&key), &valid_case()).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: CaseReceipt = again.json().await.unwrap();
    assert_eq!(first["case_number"], again.case.case_number.as_str());
    let after = count(&app.database, "SELECT COUNT(*) FROM \"case\"").await;
    assert_eq!(after, before + 1, "the appeal arrived exactly once");
}

/// Health on a database that answers and can be written.
async fn health_says_the_database_can_be_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = expect(app.get("/api/v1/health").await, StatusCode::OK).await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["writable"], true);
}

crate::on_both_backends!(health_says_the_database_can_be_written);

/// A PostgreSQL of one test's own, in a temporary folder on a free port, so that restarting it
/// disturbs no other test (the shared cluster serves every other story at the same time).
/// Stopped when dropped. PostgreSQL refuses to run as root: then it runs as `postgres`.
struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: TempDir,
}

impl PrivatePostgres {
    fn start() -> Self {
        let bin = postgres_bin_dir();
        let dir = TempDir::new("pg");
        let data = dir.0.join("data");
        if running_as_root() {
            let owned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir.0)
                .status()
                .expect("chown");
            assert!(owned.success(), "the postgres user owns the test folder");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let server = Self {
            bin,
            data,
            port,
            _dir: dir,
        };
        server.run(
            "initdb",
            &[
                "-D",
                &server.data.display().to_string(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c shared_buffers=16MB",
            server.data.display()
        );
        server.pg_ctl(&["start", "-o", &options]);
        server
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `pg_ctl restart` in a mode: `fast` ends every session (they see 57P01), `immediate` is a
    /// crash (recovery from the WAL at start). Blocking: call it off the async threads.
    fn restart(&self, mode: &str) {
        self.pg_ctl(&["restart", "-m", mode]);
    }

    fn pg_ctl(&self, args: &[&str]) {
        let data = self.data.display().to_string();
        let log = self.data.with_file_name("log").display().to_string();
        let mut all = vec!["-D", &data, "-l", &log, "-w", "-t", "60"];
        all.extend_from_slice(args);
        self.run("pg_ctl", &all);
    }

    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = if running_as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        // runuser keeps the working folder, which the postgres user may not read.
        let out = command
            .args(args)
            .current_dir("/")
            .output()
            .expect("run a PostgreSQL program");
        assert!(
            out.status.success(),
            "{} {args:?}: {}{}",
            program.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let _ = std::panic::catch_unwind(|| {
            self.run("pg_ctl", &["-D", &data, "stop", "-m", "immediate"])
        });
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// Debian's server programs (`/usr/lib/postgresql/VERSION/bin`), the newest version installed.
fn postgres_bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .expect("PostgreSQL's server programs in /usr/lib/postgresql/*/bin (`cargo xtask test` installs them)")
}

/// What one client saw while sending appeals one after another, each until it was acknowledged.
#[derive(Default)]
struct Sent {
    /// Every acknowledged appeal: its key, its receipt, and whether it took more than one try.
    acknowledged: Vec<(String, CaseReceipt, bool)>,
    /// Answers that were neither 201 nor 503 with Retry-After in our error shape.
    wrong: Vec<String>,
    unavailable: usize,
    network: usize,
}

/// Sends appeals until `stop`, each retried with its own key until acknowledged, as the app's
/// outbox does (here without its back-off, to keep the test short).
async fn send_until(app_url: String, stop: Arc<AtomicBool>) -> Sent {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut sent = Sent::default();
    while !stop.load(Ordering::Relaxed) {
        let key = new_key();
        let started = Instant::now();
        let mut tries = 0;
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "an appeal was not taken within a minute: the server did not recover"
            );
            tries += 1;
            let response = client
                .post(format!("{app_url}/api/v1/cases"))
                .header("Idempotency-Key", &key)
                .json(&valid_case())
                .send()
                .await;
            match response {
                Ok(r) if r.status() == StatusCode::CREATED => {
                    let receipt: CaseReceipt = r.json().await.unwrap();
                    sent.acknowledged.push((key, receipt, tries > 1));
                    // A steady stream (some 100 a second from six clients), not a flood that
                    // would slow the stories running beside this one.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    break;
                }
                Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE => {
                    sent.unavailable += 1;
                    let retry_after = r.headers().contains_key("retry-after");
                    let body: Value = r.json().await.unwrap_or(Value::Null);
                    if !retry_after || body["error"] != "unavailable" {
                        sent.wrong.push(format!("503 {retry_after} {body}"));
                    }
                }
                Ok(r) => {
                    let status = r.status();
                    let body = r.text().await.unwrap_or_default();
                    sent.wrong.push(format!("{status} {body}"));
                }
                Err(_) => sent.network += 1,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    sent
}

#[tokio::test]
async fn postgres_restarts_under_a_stream_of_submissions_lose_no_appeal_and_duplicate_none() {
    let postgres = PrivatePostgres::start();
    let dir = TempDir::new("restart");
    let mut config = TestApp::config(DatabaseUrl::Postgres(postgres.url()), dir.0.join("dist"), 0);
    // Six clients sending as fast as they are answered: limits off.
    config.rate_limit = 0;
    let app = TestApp::spawn_with_config(config, dir).await;
    let before = count(&app.database, "SELECT COUNT(*) FROM \"case\"").await;

    let stop = Arc::new(AtomicBool::new(false));
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..6 {
        senders.spawn(send_until(app.address.clone(), stop.clone()));
    }
    let postgres = Arc::new(postgres);
    let mut recoveries = Vec::new();
    for mode in ["fast", "immediate"] {
        // Let a stream of acknowledged appeals go before each restart, and after it.
        let ok_before = cases_so_far(&app).await;
        wait_for_cases(&app, ok_before + 30).await;
        let restarting = postgres.clone();
        let started = Instant::now();
        tokio::task::spawn_blocking(move || restarting.restart(mode))
            .await
            .unwrap();
        let restarted = started.elapsed();
        let back = cases_so_far(&app).await;
        wait_for_cases(&app, back + 1).await;
        recoveries.push((mode, restarted, started.elapsed()));
    }
    let after_restarts = cases_so_far(&app).await;
    wait_for_cases(&app, after_restarts + 30).await;
    stop.store(true, Ordering::Relaxed);

    let mut all = Sent::default();
    while let Some(sent) = senders.join_next().await {
        let sent = sent.unwrap();
        all.acknowledged.extend(sent.acknowledged);
        all.wrong.extend(sent.wrong);
        all.unavailable += sent.unavailable;
        all.network += sent.network;
    }
    let retried = all.acknowledged.iter().filter(|(_, _, r)| *r).count();
    eprintln!(
        "restarts (mode, pg_ctl took, first appeal stored after): {recoveries:?}; \
         {} acknowledged, {retried} of them after a retry; {} answers 503, {} network errors",
        all.acknowledged.len(),
        all.unavailable,
        all.network
    );
    assert!(
        all.wrong.is_empty(),
        "every failure is a 503 with Retry-After in our error shape: {:?}",
        &all.wrong[..all.wrong.len().min(5)]
    );
    assert!(
        retried > 0,
        "the restarts interrupted some submissions (else this story tested nothing)"
    );

    // Every acknowledged appeal is there, once; each retried one arrived exactly once.
    let stored = count(&app.database, "SELECT COUNT(*) FROM \"case\"").await;
    assert_eq!(
        stored - before,
        all.acknowledged.len() as i64,
        "one stored case per acknowledged appeal, none twice, none lost"
    );
    let mut numbers = HashSet::new();
    for (key, receipt, was_retried) in &all.acknowledged {
        let number = receipt.case.case_number.as_str();
        assert!(
            numbers.insert(number.to_owned()),
            "{number} handed out twice"
        );
        let case = app.get_case_with_token(number, &receipt.access_token).await;
        assert_eq!(case.status(), StatusCode::OK, "{number} is there");
        if *was_retried {
            // Its client's answer could have been lost again: the same key still names it.
            let replay = app.post_case(Some(key), &valid_case()).await;
            assert_eq!(replay.status(), StatusCode::CREATED);
            let replay: CaseReceipt = replay.json().await.unwrap();
            assert_eq!(replay.case.case_number, receipt.case.case_number);
        }
    }
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM \"case\"").await,
        stored,
        "replays stored nothing"
    );
    // The server recovered by itself: health says the database takes writes again.
    let health = expect(app.get("/api/v1/health").await, StatusCode::OK).await;
    assert_eq!(health["writable"], true);
}

/// Cases stored so far (waiting out a restart).
async fn cases_so_far(app: &TestApp) -> i64 {
    let started = Instant::now();
    loop {
        if let Ok(count) = try_count(&app.database).await {
            return count;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "PostgreSQL did not come back"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (at most a minute) until the database holds `n` cases.
async fn wait_for_cases(app: &TestApp, n: i64) {
    let started = Instant::now();
    loop {
        if let Ok(count) = try_count(&app.database).await
            && count >= n
        {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server took no appeals for a minute: it did not recover"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Counts cases on a fresh connection, which fails while PostgreSQL restarts.
async fn try_count(database: &DatabaseUrl) -> Result<i64, sqlx::Error> {
    let DatabaseUrl::Postgres(url) = database else {
        unreachable!("a PostgreSQL story")
    };
    let mut conn = sqlx::PgConnection::connect(url).await?;
    sqlx::query_scalar("SELECT COUNT(*) FROM \"case\"")
        .fetch_one(&mut conn)
        .await
}

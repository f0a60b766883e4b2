//! `TestApp`: spawns the real application on port 0 against its own fresh database, and offers
//! one helper per endpoint.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::Parser;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use yousu_core::api::CaseReceipt;
use yousu_server::clock::Clock;
use yousu_server::{Application, Config, DatabaseUrl};

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        let path = std::env::temp_dir().join(format!("yousu-test-{label}-{}", random_suffix()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random idempotency key, as the app makes one.
pub fn new_key() -> String {
    format!("{}{}", random_suffix(), random_suffix())
}

/// A database of its own for one test.
pub async fn fresh_database(backend: Backend, dir: &Path) -> DatabaseUrl {
    match backend {
        Backend::Sqlite => DatabaseUrl::Sqlite(dir.join("data/yousu.db")),
        Backend::Postgres => {
            let admin = std::env::var("YOUSU_TEST_POSTGRES_URL").expect(
                "the PostgreSQL stories need YOUSU_TEST_POSTGRES_URL (a role that may create \
                 databases); `cargo xtask test` starts PostgreSQL and sets it",
            );
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("a clock after 1970")
                .as_secs();
            // The creation time is in the name, so later runs can drop what this one leaves.
            let name = format!("yousu_test_{now}_{}", random_suffix());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("connect to the test PostgreSQL");
            drop_stale_databases(&mut conn, now).await;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create a test database");
            let base = admin
                .rsplit_once('/')
                .map(|(base, _)| base)
                .expect("a database URL ends in /NAME");
            DatabaseUrl::Postgres(format!("{base}/{name}"))
        }
    }
}

/// Drops test databases made more than two hours ago (no run lasts that long), once per test
/// process: each story's database outlives it, and a developer's runs would otherwise fill the
/// disk. One still in use is refused by PostgreSQL and left alone.
async fn drop_stale_databases(conn: &mut sqlx::PgConnection, now: u64) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'yousu\\_test\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for (name,) in names {
        let made = name
            .strip_prefix("yousu_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        // Names from before the time was in them have none: they are old by definition.
        if made.is_none_or(|made| made + 2 * 3600 < now) {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                .execute(&mut *conn)
                .await;
        }
    }
}

/// An instant given in the city's time (`2026-12-31T23:59:58`, UTC+8).
pub fn city_time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{text}+08:00"))
        .expect("an RFC 3339 time without its offset")
        .with_timezone(&Utc)
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub database: DatabaseUrl,
    /// The server's clock, for a story to place times against what the server reads.
    pub clock: Clock,
    _dir: TempDir,
}

impl TestApp {
    /// The server with demo data on a fresh database, serving an empty app folder.
    pub async fn spawn(backend: Backend) -> Self {
        let dir = TempDir::new("app");
        let database = fresh_database(backend, &dir.0).await;
        Self::spawn_on(database, dir.0.join("dist"), dir).await
    }

    /// The server with demo data on a fresh database, its clock started at `start`: a story that
    /// depends on the date runs at the dates that could break it, whatever today is.
    pub async fn spawn_at(backend: Backend, start: DateTime<Utc>) -> Self {
        let dir = TempDir::new("app");
        let database = fresh_database(backend, &dir.0).await;
        let mut config = Self::config(database, dir.0.join("dist"), 0);
        config.clock_start = Some(start);
        Self::spawn_with_config(config, dir).await
    }

    /// The server on a given database and app folder, its scheduler off.
    pub async fn spawn_on(database: DatabaseUrl, app_dir: PathBuf, dir: TempDir) -> Self {
        Self::spawn_with_scheduler(database, app_dir, dir, 0).await
    }

    /// The server with its supervision scheduler ticking every `interval` seconds (0: off).
    pub async fn spawn_with_scheduler(
        database: DatabaseUrl,
        app_dir: PathBuf,
        dir: TempDir,
        interval: u64,
    ) -> Self {
        let config = Self::config(database, app_dir, interval);
        Self::spawn_with_config(config, dir).await
    }

    /// The configuration `spawn` uses, for a test to change before `spawn_with_config`.
    pub fn config(database: DatabaseUrl, app_dir: PathBuf, interval: u64) -> Config {
        // Every setting this does not name keeps the default `--help` documents.
        let mut config = Config::try_parse_from(["yousu-server"]).expect("the defaults parse");
        config.listen = "127.0.0.1:0".parse().unwrap();
        config.database = database;
        config.app_dir = app_dir;
        config.demo = true;
        config.command = None;
        config.calendar = None;
        config.deadline_policy = None;
        config.rate_limit = 60;
        config.scheduler_interval = interval;
        config.suggestions = true;
        config.clock_start = None;
        config
    }

    pub async fn spawn_with_config(config: Config, dir: TempDir) -> Self {
        let database = config.database.clone();
        let app = Application::build(config).await.expect("the server starts");
        let address = format!("http://{}", app.local_addr());
        let clock = app.clock();
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            client: Client::new(),
            database,
            clock,
            _dir: dir,
        }
    }

    /// Now, by the server's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_case(&self, key: Option<&str>, body: &Value) -> Response {
        let mut request = self.client.post(self.url("/api/v1/cases")).json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("POST /api/v1/cases")
    }

    /// Submits a valid case with a new key and returns the receipt.
    pub async fn submit_valid_case(&self) -> CaseReceipt {
        let response = self.post_case(Some(&new_key()), &valid_case()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("a receipt")
    }

    pub async fn get_case_with_token(&self, case_number: &str, token: &str) -> Response {
        self.client
            .get(self.url(&format!("/api/v1/cases/{case_number}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET case")
    }

    /// A case opened by its lookup code, as typed (the number) and sent in `X-Lookup-Code`.
    pub async fn get_case_with_code(&self, case_number: &str, code: &str) -> Response {
        self.client
            .get(self.url(&format!("/api/v1/cases/{case_number}")))
            .header(yousu_core::api::LOOKUP_CODE_HEADER, code)
            .send()
            .await
            .expect("GET case by code")
    }
}

/// A submission every rule accepts, with ids from the demo data.
pub fn valid_case() -> Value {
    json!({
        "category_id": "environment",
        "description": "楼下饭店油烟直排，晚上窗户都不能开",
        "community_id": "chengzhong-renminjie-nanguanjie",
        "address": "南关街12号",
        "contact_phone": "138 0971 1234"
    })
}

impl TestApp {
    /// `POST /api/v1/staff/login` with these credentials.
    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        self.sign_in_with_headers(username, password, &[]).await
    }

    /// `POST /api/v1/staff/login` with extra headers (a proxy's `X-Forwarded-For`, say).
    pub async fn sign_in_with_headers(
        &self,
        username: &str,
        password: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut request = self.client.post(self.url("/api/v1/staff/login"));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("POST login")
    }

    /// Signs a demo account in and returns its session token.
    pub async fn login(&self, username: &str) -> String {
        let response = self.sign_in(username, "yousu-demo").await;
        assert_eq!(response.status(), StatusCode::OK, "{username} signs in");
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// A staff action: `POST /api/v1/staff/cases/{case}/{action}` with a JSON body.
    pub async fn staff_act(&self, token: &str, case: &str, action: &str, body: Value) -> Response {
        self.client
            .post(self.url(&format!("/api/v1/staff/cases/{case}/{action}")))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("POST staff action")
    }

    /// A resident action with the case's access token.
    pub async fn resident_act(
        &self,
        token: &str,
        case: &str,
        action: &str,
        body: Value,
    ) -> Response {
        self.client
            .post(self.url(&format!("/api/v1/cases/{case}/{action}")))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("POST resident action")
    }

    pub async fn staff_get(&self, token: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET as staff")
    }
}

/// Asserts a status and returns the JSON body.
pub async fn expect(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "{body}");
    body
}

/// Runs one statement with one timestamp parameter (`$1`) directly on a test database, for
/// setting up what only time could otherwise bring about.
pub async fn execute_at(database: &DatabaseUrl, sql: &str, at: chrono::DateTime<chrono::Utc>) {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let url = format!("sqlite:{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query(sql).bind(at).execute(&mut conn).await.unwrap();
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).bind(at).execute(&mut conn).await.unwrap();
        }
    }
}

/// The texts one `SELECT` of a single nullable text column gives, on a test database.
pub async fn texts(database: &DatabaseUrl, sql: &str) -> Vec<Option<String>> {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let url = format!("sqlite:{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(sql).fetch_all(&mut conn).await.unwrap()
        }
    }
}

/// A `SELECT COUNT(*) …` with one timestamp parameter (`$1`) on a test database.
pub async fn count_at(database: &DatabaseUrl, sql: &str, at: DateTime<Utc>) -> i64 {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let url = format!("sqlite:{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(at)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(sql)
                .bind(at)
                .fetch_one(&mut conn)
                .await
                .unwrap()
        }
    }
}

/// A `SELECT COUNT(*) …` on a test database.
pub async fn count(database: &DatabaseUrl, sql: &str) -> i64 {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let url = format!("sqlite:{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
        }
    }
}

//! Staff accounts over their life: a deployment's first administrator made without `--demo`,
//! sessions that end when left idle and are purged once over, and a staff member changing their
//! own password.

use std::io::Write;
use std::process::{Command, Stdio};

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yousu_server::DatabaseUrl;

use crate::helpers::{
    Backend, TempDir, TestApp, count, count_at, execute_at, expect, fresh_database,
};

crate::on_both_backends!(
    a_session_left_idle_for_thirty_minutes_ends_and_one_in_use_goes_on,
    expired_and_idle_sessions_are_purged,
    staff_change_their_own_password_and_their_other_sessions_end,
    create_admin_makes_the_first_administrator_of_a_deployment_without_demo,
);

async fn token_of(response: reqwest::Response) -> String {
    let body = expect(response, StatusCode::OK).await;
    body["token"].as_str().unwrap().to_owned()
}

async fn a_session_left_idle_for_thirty_minutes_ends_and_one_in_use_goes_on(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let idle = app.login("dispatcher").await;
    let busy = app.login("supervisor").await;
    let account = |name: &str| {
        format!(
            "UPDATE staff_session SET last_seen_at = $1, created_at = $1 WHERE staff_account_id = '{name}'"
        )
    };
    // One unused for 31 minutes, the other for 29.
    execute_at(
        &app.database,
        &account("dispatcher"),
        app.now() - Duration::minutes(31),
    )
    .await;
    execute_at(
        &app.database,
        &account("supervisor"),
        app.now() - Duration::minutes(29),
    )
    .await;

    let refused = expect(
        app.staff_get(&idle, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(refused["error"], "session_expired");
    expect(
        app.staff_get(&busy, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
    // Its use was recorded: half an hour from now it has not been idle for half an hour.
    let recent = "SELECT COUNT(*) FROM staff_session \
                  WHERE staff_account_id = 'supervisor' AND last_seen_at > $1";
    let minute_ago = app.now() - Duration::minutes(1);
    assert_eq!(
        count_at(&app.database, recent, minute_ago).await,
        1,
        "the use was recorded"
    );
    expect(
        app.staff_get(&busy, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
}

async fn expired_and_idle_sessions_are_purged(backend: Backend) {
    let dir = TempDir::new("purge");
    let database = fresh_database(backend, &dir.0).await;
    let first = TestApp::spawn_on(database.clone(), dir.0.join("dist"), TempDir::new("p1")).await;
    first.login("dispatcher").await;
    first.login("operator").await;
    let current = first.login("supervisor").await;
    let set = |column: &str, name: &str| {
        format!("UPDATE staff_session SET {column} = $1 WHERE staff_account_id = '{name}'")
    };
    execute_at(
        &database,
        &set("expires_at", "dispatcher"),
        first.now() - Duration::minutes(1),
    )
    .await;
    execute_at(
        &database,
        &set("last_seen_at", "operator"),
        first.now() - Duration::hours(2),
    )
    .await;
    assert_eq!(
        count(&database, "SELECT COUNT(*) FROM staff_session").await,
        3
    );

    // An instance's housekeeping runs when it starts, then every ten minutes.
    let second = TestApp::spawn_on(database.clone(), dir.0.join("dist"), dir).await;
    let mut left = 3;
    for _ in 0..100 {
        left = count(&database, "SELECT COUNT(*) FROM staff_session").await;
        if left == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(left, 1, "the expired and the idle session are gone");
    expect(
        second.staff_get(&current, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
}

async fn staff_change_their_own_password_and_their_other_sessions_end(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let here = app.login("dispatcher").await;
    let elsewhere = app.login("dispatcher").await;
    let change = |current: &str, new: &str| {
        app.client
            .post(app.url("/api/v1/staff/password"))
            .bearer_auth(&here)
            .json(&json!({ "current_password": current, "new_password": new }))
            .send()
    };

    let wrong = expect(
        change("not the password", "a brand new password")
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong["fields"][0]["field"], "current_password");
    let short = expect(
        change("yousu-demo", "short").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(short["fields"][0]["field"], "new_password");
    expect(
        app.staff_get(&elsewhere, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;

    let done = change("yousu-demo", "a brand new password").await.unwrap();
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let me: Value = expect(
        app.staff_get(&here, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["username"], "dispatcher", "this session goes on");
    expect(
        app.staff_get(&elsewhere, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect(
        app.sign_in("dispatcher", "yousu-demo").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    token_of(app.sign_in("dispatcher", "a brand new password").await).await;
}

/// Runs `yousu-server create-admin` on a database, the password on standard input.
fn create_admin(database: &DatabaseUrl, username: &str, password: &str) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yousu-server"))
        .arg("--database")
        .arg(database_arg(database))
        .args(["create-admin", username, "--name", "主任"])
        .env_remove("YOUSU_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start yousu-server create-admin");
    writeln!(command.stdin.take().unwrap(), "{password}").unwrap();
    let output = command.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), said)
}

fn database_arg(database: &DatabaseUrl) -> String {
    match database {
        DatabaseUrl::Sqlite(path) => format!("sqlite:{}", path.display()),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

async fn create_admin_makes_the_first_administrator_of_a_deployment_without_demo(backend: Backend) {
    let dir = TempDir::new("first-admin");
    let database = fresh_database(backend, &dir.0).await;
    if let DatabaseUrl::Sqlite(path) = &database {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    }
    let (ok, said) = create_admin(&database, "chief", "short");
    assert!(
        !ok && said.contains("10 to 128"),
        "a short password is refused: {said}"
    );
    let (ok, said) = create_admin(&database, "chief", "a long enough secret");
    assert!(ok, "{said}");
    assert!(
        !said.contains("a long enough secret"),
        "the password is never printed"
    );
    let (ok, said) = create_admin(&database, "chief", "another long secret");
    assert!(!ok && said.contains("exists already"), "{said}");

    let mut config = TestApp::config(database, dir.0.join("dist"), 0);
    config.demo = false;
    let app = TestApp::spawn_with_config(config, dir).await;
    expect(
        app.sign_in("dispatcher", "yousu-demo").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let token = token_of(app.sign_in("chief", "a long enough secret").await).await;
    let me = expect(
        app.staff_get(&token, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["role"], "admin");
    assert_eq!(me["display_name"], "主任");
}

//! What an acknowledgement promises: a case answered with 201 survives the server being killed,
//! and several server instances on one PostgreSQL never hand out the same case number.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use yousu_core::api::{CaseReceipt, CaseView};

use crate::helpers::{Backend, TempDir, TestApp, fresh_database, new_key, valid_case};

/// The real binary on a free port; returns the child and its address.
fn start_server(database: &str, dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yousu-server"))
        // A burst well over any per-client limit: limits off.
        .args(["--listen", "127.0.0.1:0", "--demo", "--rate-limit", "0"])
        .args(["--database", database, "--app"])
        .arg(dir.join("dist"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start yousu-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("Yousu is serving at ")
        .expect("the server prints its address")
        .trim_end_matches('/')
        .to_owned();
    (child, address)
}

#[tokio::test]
async fn sigkill_during_concurrent_submissions_loses_no_acknowledged_case() {
    let dir = TempDir::new("sigkill");
    let database = format!("sqlite:{}", dir.0.join("yousu.db").display());
    let (mut server, address) = start_server(&database, &dir.0);
    let client = reqwest::Client::new();

    // Eight senders submit as fast as they can; the server is killed while they do.
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let client = client.clone();
        let address = address.clone();
        senders.spawn(async move {
            let mut acknowledged = Vec::new();
            let mut unanswered = Vec::new();
            for _ in 0..200 {
                let key = new_key();
                let sent = client
                    .post(format!("{address}/api/v1/cases"))
                    .header("Idempotency-Key", &key)
                    .json(&valid_case())
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status() == StatusCode::CREATED => {
                        match response.json::<CaseReceipt>().await {
                            Ok(receipt) => acknowledged.push((key, receipt)),
                            Err(_) => unanswered.push(key),
                        }
                    }
                    _ => {
                        unanswered.push(key);
                        break;
                    }
                }
            }
            (acknowledged, unanswered)
        });
    }
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    server.kill().expect("SIGKILL the server");
    server.wait().unwrap();

    let mut acknowledged = Vec::new();
    let mut unanswered = Vec::new();
    while let Some(sent) = senders.join_next().await {
        let (done, lost) = sent.unwrap();
        acknowledged.extend(done);
        unanswered.extend(lost);
    }
    assert!(
        acknowledged.len() >= 8,
        "the server took cases before it was killed ({})",
        acknowledged.len()
    );

    let (mut server, address) = start_server(&database, &dir.0);
    let mut numbers = HashSet::new();
    for (key, receipt) in &acknowledged {
        let number = receipt.case.case_number.as_str();
        let case = client
            .get(format!("{address}/api/v1/cases/{number}"))
            .bearer_auth(&receipt.access_token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            case.status(),
            StatusCode::OK,
            "acknowledged case {number} survived"
        );
        let case: CaseView = case.json().await.unwrap();
        assert_eq!(case.lookup_code, receipt.case.lookup_code);
        assert!(
            numbers.insert(number.to_owned()),
            "{number} was handed out twice"
        );
        // Its retry still names the same one case.
        let retry = client
            .post(format!("{address}/api/v1/cases"))
            .header("Idempotency-Key", key)
            .json(&valid_case())
            .send()
            .await
            .unwrap();
        let replay: CaseReceipt = retry.json().await.unwrap();
        assert_eq!(replay.case.case_number, receipt.case.case_number);
    }
    // A send that never got its answer is retried by the app: it makes at most one case.
    for key in unanswered.iter().take(8) {
        let retry = client
            .post(format!("{address}/api/v1/cases"))
            .header("Idempotency-Key", key)
            .json(&valid_case())
            .send()
            .await
            .unwrap();
        assert!(
            retry.status() == StatusCode::CREATED || retry.status() == StatusCode::CONFLICT,
            "{}",
            retry.status()
        );
        if retry.status() == StatusCode::CREATED {
            let receipt: CaseReceipt = retry.json().await.unwrap();
            assert!(numbers.insert(receipt.case.case_number.to_string()));
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn two_instances_on_one_postgres_never_share_a_case_number() {
    let dir = TempDir::new("two");
    let database = fresh_database(Backend::Postgres, &dir.0).await;
    let first = TestApp::spawn_on(database.clone(), dir.0.join("dist"), TempDir::new("a")).await;
    let second = TestApp::spawn_on(database, dir.0.join("dist"), TempDir::new("b")).await;
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..40 {
        let app = if i % 2 == 0 { &first } else { &second };
        let request = app
            .client
            .post(app.url("/api/v1/cases"))
            .header("Idempotency-Key", new_key())
            .json(&valid_case());
        sends.spawn(async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::CREATED);
            response
                .json::<CaseReceipt>()
                .await
                .unwrap()
                .case
                .case_number
        });
    }
    let mut numbers = HashSet::new();
    while let Some(number) = sends.join_next().await {
        assert!(
            numbers.insert(number.unwrap()),
            "a case number was handed out twice"
        );
    }
    assert_eq!(numbers.len(), 40);
}

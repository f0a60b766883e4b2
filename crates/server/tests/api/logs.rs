//! The server binary's own log: one line per request, never a resident's personal data.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::Value;
use yousu_core::api::CaseReceipt;

use crate::helpers::{TempDir, new_key, valid_case};

#[tokio::test]
async fn request_log_has_one_line_per_request_and_no_personal_data() {
    let dir = TempDir::new("logs");
    let mut server = Command::new(env!("CARGO_BIN_EXE_yousu-server"))
        .args(["--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(format!("sqlite:{}", dir.0.join("yousu.db").display()))
        .arg("--app")
        .arg(dir.0.join("dist"))
        .env("RUST_LOG", "info")
        .env("YOUSU_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start yousu-server");
    let mut first_line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    let address = first_line
        .trim()
        .strip_prefix("Yousu is serving at ")
        .expect("the server prints its address")
        .trim_end_matches('/')
        .to_owned();

    let client = reqwest::Client::new();
    let response = client
        .post(format!("{address}/api/v1/cases"))
        .header("Idempotency-Key", new_key())
        .json(&valid_case())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let receipt: CaseReceipt = response.json().await.unwrap();
    let case = receipt.case;
    let lookup = client
        .get(format!("{address}/api/v1/cases/{}", case.case_number))
        .header(
            yousu_core::api::LOOKUP_CODE_HEADER,
            case.lookup_code.as_ref().unwrap().as_str(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(lookup.status(), StatusCode::OK);
    let sign_in = client
        .post(format!("{address}/api/v1/staff/login"))
        .json(&serde_json::json!({ "username": "dispatcher", "password": "wrong-pass-8841" }))
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), StatusCode::UNAUTHORIZED);

    // SIGTERM: the server stops cleanly and its log ends.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "a clean exit on SIGTERM, got {status}");
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();

    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    let requests: Vec<&Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    assert_eq!(requests.len(), 3, "one line per request:\n{log}");
    assert_eq!(requests[0]["method"], "POST");
    assert_eq!(requests[0]["path"], "/api/v1/cases");
    assert_eq!(requests[0]["status"], 201);
    assert_eq!(
        requests[1]["path"],
        format!("/api/v1/cases/{}", case.case_number),
        "the path is logged without its query string"
    );
    assert!(
        requests
            .iter()
            .all(|r| r["request_id"].as_str().is_some_and(|id| id.len() == 36))
    );
    // A failed sign-in is logged with the account name, never with the password.
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "failed sign-in" && l["account"] == "dispatcher"),
        "{log}"
    );
    for secret in [
        "wrong-pass-8841",
        "13809711234",
        "138 0971 1234",
        "油烟",
        case.lookup_code.as_ref().unwrap().as_str(),
    ] {
        assert!(
            !log.contains(secret),
            "the log must not contain {secret:?}:\n{log}"
        );
    }
    assert!(log.contains("yousu-server stopped"));
}

//! The API checked by Python tools from PyPI against the real server (debug build, fresh SQLite
//! database, demo data): schemathesis fuzzing `/api/v1` from its own OpenAPI document, signed in
//! as the demo supervisor so staff routes are reached, checked for server errors and for answers
//! that break the document; then the Open311 client `georeport` reading `/open311/v2`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::run::{Result, command, output, root, step};

const PACKAGES: [&str; 2] = ["schemathesis==4.32.5", "georeport==0.3.1"];

pub fn run() -> Result {
    let venv = root().join("target/schemathesis-venv");
    let python = venv.join("bin/python");
    let installed = output(Command::new(&python).args(["-m", "pip", "freeze"])).unwrap_or_default();
    if !PACKAGES.iter().all(|p| installed.lines().any(|l| l == *p)) {
        if !python.exists() {
            step(
                "creating a Python environment for the API checks",
                command("python3").arg("-m").arg("venv").arg(&venv),
            )?;
        }
        step(
            &format!("installing {} from PyPI", PACKAGES.join(" and ")),
            Command::new(&python)
                .args(["-m", "pip", "install", "-q"])
                .args(PACKAGES),
        )?;
    }

    let data = root().join("target/schemathesis-data");
    let _ = std::fs::remove_dir_all(&data);
    let mut server = command(
        root()
            .join("target/debug/yousu-server")
            .to_str()
            .ok_or("path")?,
    )
    .args(["--listen", "127.0.0.1:0", "--demo", "--rate-limit", "0"])
    .arg("--database")
    .arg(format!("sqlite:{}", data.join("yousu.db").display()))
    .arg("--app")
    .arg(data.join("dist"))
    .env("RUST_LOG", "error")
    .stdout(Stdio::piped())
    .spawn()
    .map_err(|e| format!("cannot start yousu-server: {e}"))?;
    let mut line = String::new();
    if let Some(stdout) = server.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    let result = fuzz(&python, &venv, &line).and_then(|address| {
        step(
            "Open311 with the georeport client, JSON and XML",
            Command::new(&python)
                .arg(root().join("crates/server/tests/open311/georeport_client.py"))
                .arg(&address),
        )
    });
    let _ = server.kill();
    let _ = server.wait();
    result
}

/// Fuzzes the server that printed `line`; gives back its address.
fn fuzz(python: &std::path::Path, venv: &std::path::Path, line: &str) -> Result<String> {
    let address = line
        .trim()
        .strip_prefix("Yousu is serving at ")
        .ok_or_else(|| format!("the server did not start: {line:?}"))?
        .trim_end_matches('/')
        .to_owned();
    let login = format!(
        "import json, urllib.request\n\
         r = urllib.request.Request('{address}/api/v1/staff/login', method='POST', \
         data=json.dumps({{'username': 'supervisor', 'password': 'yousu-demo'}}).encode(), \
         headers={{'Content-Type': 'application/json'}})\n\
         print(json.load(urllib.request.urlopen(r))['token'])"
    );
    let token = output(Command::new(python).args(["-c", &login]))
        .ok_or("cannot sign the demo supervisor in")?;
    step(
        "API fuzzing (schemathesis against /api/v1/openapi.json)",
        Command::new(venv.join("bin/schemathesis"))
            .args(["run", &format!("{address}/api/v1/openapi.json")])
            .args(["--url", &format!("{address}/api/v1")])
            .args(["--max-examples", "30", "--seed", "1"])
            // Signing out would end the session the run signs its requests with; the live
            // stream never ends, by design.
            .args(["--exclude-path-regex", "logout|/staff/live$"])
            .args([
                "--checks",
                "not_a_server_error,status_code_conformance,content_type_conformance,\
                 response_schema_conformance,response_headers_conformance",
            ])
            .args(["-H", &format!("Authorization: Bearer {token}")])
            .env("NO_COLOR", "1"),
    )?;
    Ok(address)
}

//! The server under measurement: the release build of `yousu-server` on a database of our
//! choosing, on 127.0.0.1 with the rate limits off, stopped when dropped; and oha, the
//! constant-rate load generator for requests that are all alike.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use serde_json::Value;

use super::load::Outcome;
use crate::run::{Result, cargo, command, output, root, step};

pub const OHA_VERSION: &str = "1.16.0";

/// Where cargo puts release binaries (`CARGO_TARGET_DIR` if set, else `target/`).
pub fn release_bin(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        root().join(target)
    };
    target.join("release").join(name)
}

/// Builds the server and the data generator (release: measurements of a debug build mean nothing).
pub fn build() -> Result {
    step(
        "building the server and the data generator (release)",
        cargo().args(["build", "--release", "--package", "yousu-server", "--bins"]),
    )
}

pub fn ensure_oha() -> Result {
    if output(command("oha").arg("--version")).is_some_and(|v| v == format!("oha {OHA_VERSION}")) {
        return Ok(());
    }
    step(
        &format!("installing oha {OHA_VERSION}, the load generator (about 4 minutes, once)"),
        cargo().args(["install", "oha", "--version", OHA_VERSION, "--locked"]),
    )
}

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `yousu-server` on `database` with extra environment, logging to `log`.
    pub fn start(database: &str, env: &[(&str, &str)], log: &Path) -> Result<Server> {
        let bin = release_bin("yousu-server");
        let log_file =
            File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut c = command(bin.to_str().ok_or("the project path is not UTF-8")?);
        c.args([
            "--listen",
            "127.0.0.1:0",
            "--demo",
            "--rate-limit",
            "0",
            "--database",
            database,
        ])
        .arg("--app")
        .arg(root().join("dist"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log_file);
        let mut child = c
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.split("serving at http://").nth(1) {
                        break rest
                            .trim_end_matches('/')
                            .parse()
                            .map_err(|e| format!("{line}: {e}"))?;
                    }
                }
                _ => {
                    let _ = child.kill();
                    return Err(format!(
                        "the server stopped before serving; see {}",
                        log.display()
                    ));
                }
            }
        };
        // Keep reading so a full pipe never blocks the server.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Server { child, addr })
    }

    /// CPU seconds the server has used so far (Linux), and its resident memory in MiB.
    pub fn usage(&self) -> (f64, f64) {
        let pid = self.child.id();
        let cpu = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                // Fields after the command name, which is in parentheses and may hold spaces.
                let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
                Some(
                    (rest.get(11)?.parse::<f64>().ok()? + rest.get(12)?.parse::<f64>().ok()?)
                        / 100.0,
                )
            })
            .unwrap_or(0.0);
        let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            })
            .map_or(0.0, |kib| kib / 1024.0);
        (cpu, rss)
    }

    /// Waits (up to `limit` seconds) until the server's background work after start (migrating,
    /// training the dispatch engine on the stored cases) is done: under 5 % of a core for 3 s.
    /// Returns the seconds waited.
    pub fn wait_until_idle(&self, limit: f64) -> f64 {
        let started = std::time::Instant::now();
        let mut quiet = 0;
        let mut last = self.usage().0;
        while quiet < 3 && started.elapsed().as_secs_f64() < limit {
            std::thread::sleep(std::time::Duration::from_secs(1));
            let now = self.usage().0;
            quiet = if now - last < 0.05 { quiet + 1 } else { 0 };
            last = now;
        }
        started.elapsed().as_secs_f64()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `oha -z S -q RATE --latency-correction` against one URL, read from its JSON output.
pub fn oha(url: &str, rate: f64, seconds: f64, headers: &[&str]) -> Result<Outcome> {
    let mut c = command("oha");
    c.args([
        "--no-tui",
        "--output-format",
        "json",
        "--latency-correction",
        "-w",
        "-c",
        "50",
    ])
    .args(["-z", &format!("{seconds}s"), "-q", &format!("{rate}")]);
    for h in headers {
        c.args(["-H", h]);
    }
    c.arg(url);
    let out = c
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run oha: {e}"))?;
    let json: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("oha gave no JSON ({}): {e}", out.status))?;
    let ms = |key: &str| json["latencyPercentiles"][key].as_f64().unwrap_or(f64::NAN) * 1e3;
    let codes = json["statusCodeDistribution"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let count = |ok: bool| -> usize {
        codes
            .iter()
            .filter(|(code, _)| code.starts_with('2') == ok)
            .map(|(_, n)| n.as_u64().unwrap_or(0) as usize)
            .sum()
    };
    let failed: usize = json["errorDistribution"]
        .as_object()
        .map(|e| e.values().map(|n| n.as_u64().unwrap_or(0) as usize).sum())
        .unwrap_or(0);
    let (ok, bad) = (count(true), count(false) + failed);
    Ok(Outcome {
        sent: ok + bad,
        ok,
        errors: bad,
        p50_ms: ms("p50"),
        p99_ms: ms("p99"),
        p999_ms: ms("p99.9"),
        max_ms: json["summary"]["slowest"].as_f64().unwrap_or(f64::NAN) * 1e3,
        achieved_rps: json["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0)
            * json["summary"]["successRate"].as_f64().unwrap_or(0.0),
    })
}

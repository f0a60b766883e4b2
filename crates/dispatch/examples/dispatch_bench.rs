//! Measures the speed and memory targets on data resampled from a CSV in the dev.csv format:
//! `cargo run --release -p yousu-dispatch --example dispatch_bench -- DEV.csv [--cases N] [--duplicates N]
//! [--config JSON]`.
//! Prints one JSON line; the generated cases stay in memory and are never written.

use std::process::ExitCode;
use std::time::Instant;

use yousu_dispatch::{Config, Engine, Query, bench, eval};

/// Peak resident memory of this process so far, in MiB (Linux only; 0 elsewhere).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str, default: usize| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (cases, duplicates) = (value("--cases", 100_000), value("--duplicates", 1_000_000));
    let Some(path) = args
        .iter()
        .find(|a| !a.starts_with("--") && a.ends_with(".csv"))
    else {
        eprintln!("usage: dispatch_bench DEV.csv [--cases N] [--duplicates N]");
        return ExitCode::FAILURE;
    };
    let base = match std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|t| eval::parse_examples(t.as_bytes()).map_err(|e| e.to_string()))
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("dispatch_bench: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rss_before = peak_rss_mib();
    let synthetic = bench::synthesize(&base, cases, 7);
    let rss_data = peak_rss_mib();
    let t = Instant::now();
    let config: Config = match args.iter().position(|a| a == "--config") {
        Some(i) => match serde_json::from_str(args.get(i + 1).map_or("{}", String::as_str)) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("dispatch_bench: --config: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Config::default(),
    };
    let engine = Engine::train(&synthetic, &config);
    let train_s = t.elapsed().as_secs_f64();
    let rss_trained = peak_rss_mib();
    // 500-character descriptions: real texts run together.
    let mut long_texts = Vec::new();
    let mut current = String::new();
    for e in base.iter().cycle().take(base.len() * 2) {
        current.push_str(&e.text);
        if current.chars().count() >= 500 {
            long_texts.push(current.chars().take(500).collect::<String>());
            current.clear();
        }
    }
    let queries: Vec<Query<'_>> = long_texts
        .iter()
        .map(|t| Query {
            text: t,
            channel: Some("来电"),
            kind: Some("投诉"),
        })
        .collect();
    let suggest = bench::suggest_latency(&engine, &queries);
    let texts: Vec<&str> = base.iter().map(|e| e.text.as_str()).collect();
    let dup = bench::duplicate_latency(&texts, duplicates, 200_000, 20_000, 11);
    let line = serde_json::json!({
        "train_cases": cases,
        "features": engine.n_features(),
        "units": engine.labels().len(),
        "train_s": (train_s * 10.0).round() / 10.0,
        "rss_mib_before": rss_before.round(),
        "rss_mib_with_data": rss_data.round(),
        "peak_rss_mib_training": rss_trained.round(),
        "suggest_500_chars": suggest,
        "duplicates": dup,
        "peak_rss_mib_end": peak_rss_mib().round(),
    });
    println!("{line}");
    ExitCode::SUCCESS
}

//! Measures the engine on a CSV in the dev.csv format and prints one JSON line:
//! `cargo run --release -p yousu-dispatch --example dispatch_eval -- TRAIN.csv [--test TEST.csv] [--cv K] [--seed N]
//! [--config JSON]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut train = None;
    let mut test = None;
    let mut cv = None;
    let mut seed = 20_261_126u64;
    let mut config_json = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--test" => test = it.next().cloned(),
            "--cv" => cv = it.next().and_then(|v| v.parse().ok()),
            "--config" => config_json = it.next().cloned(),
            "--seed" => seed = it.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            _ => train = Some(a.clone()),
        }
    }
    let Some(train) = train else {
        eprintln!("usage: dispatch_eval TRAIN.csv [--test TEST.csv] [--cv K] [--seed N]");
        return ExitCode::FAILURE;
    };
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"));
    let result = read(&train).and_then(|train_csv| {
        let test_csv = test.as_deref().map(read).transpose()?;
        let Some(json) = config_json else {
            return yousu_dispatch::eval::run(&train_csv, test_csv.as_deref(), cv, seed)
                .map_err(|e| e.to_string());
        };
        // Partial JSON over the defaults, for trying settings: `--config '{"c":1.0}'`.
        let config: yousu_dispatch::Config =
            serde_json::from_str(&json).map_err(|e| format!("--config: {e}"))?;
        let config = yousu_dispatch::Config { seed, ..config };
        let parse =
            |t: &str| yousu_dispatch::eval::parse_examples(t.as_bytes()).map_err(|e| e.to_string());
        let train = parse(&train_csv)?;
        let test = test_csv.as_deref().map(parse).transpose()?;
        yousu_dispatch::eval::run_examples(&train, test.as_deref(), cv, &config)
            .map_err(|e| e.to_string())
    });
    match result {
        Ok(report) => {
            println!("{}", report.to_json_line());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dispatch_eval: {e}");
            ExitCode::FAILURE
        }
    }
}

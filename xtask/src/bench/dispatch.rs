//! The dispatch engine's figures (issue 6): accuracy by 5-fold cross-validation on the real work
//! orders in `../shared/data/dispatch/dev.csv` (the data stays there; nothing is copied), and its
//! speed: a suggestion for 500 characters, training on 100,000 resampled cases, the duplicate
//! check with 1 million cases stored. Both run as their own processes, so peak memory is theirs.

use serde_json::Value;

use super::report::{Budget, Figure};
use crate::run::{Result, cargo, command, root};

/// The textbook baseline (character 1–3-gram TF-IDF + linear SVM) to beat, by 5-fold CV.
const BASELINE: [(&str, &str, f64); 3] = [
    ("top1", "top-1", 0.730),
    ("top3", "top-3", 0.880),
    ("macro_f1", "macro-F1", 0.421),
];

fn json_line(what: &str, command: &mut std::process::Command) -> Result<Value> {
    eprintln!("\n==> {what}");
    let out = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or(format!("{what}: no JSON line"))?;
    serde_json::from_str(line).map_err(|e| format!("{what}: {e}"))
}

pub fn run() -> Vec<Figure> {
    let data = root().join("../shared/data/dispatch/dev.csv");
    if !data.exists() {
        return vec![Figure::missing(
            "dispatch",
            "dispatch engine",
            format!("{} is missing", data.display()),
        )];
    }
    let mut out = Vec::new();
    let eval = json_line(
        "dispatch accuracy: yousu-server dispatch-eval --cv 5 on dev.csv",
        command(
            super::server::release_bin("yousu-server")
                .to_str()
                .unwrap_or("yousu-server"),
        )
        .args(["dispatch-eval", "--train"])
        .arg(&data)
        .args(["--cv", "5"]),
    );
    match eval {
        Ok(v) => {
            for (key, name, baseline) in BASELINE {
                out.push(
                    Figure::new(
                        format!("dispatch.{key}"),
                        format!("dispatch {name}, 5-fold CV on dev.csv"),
                        v[key].as_f64().unwrap_or(f64::NAN),
                        "",
                    )
                    .budget(Budget::Above(baseline))
                    .note(format!("baseline {baseline}")),
                );
            }
            out.push(
                Figure::new(
                    "dispatch.eval_line",
                    "dispatch-eval train time per fold",
                    v["train_ms"].as_f64().unwrap_or(f64::NAN),
                    "ms",
                )
                .note(v.to_string()),
            );
        }
        Err(e) => out.push(Figure::missing("dispatch.eval", "dispatch accuracy", e)),
    }
    let speed = json_line(
        "dispatch speed: dispatch_bench (100k training cases, 1M stored for duplicates)",
        cargo()
            .args([
                "run",
                "--quiet",
                "--release",
                "--package",
                "yousu-dispatch",
                "--example",
                "dispatch_bench",
                "--",
            ])
            .arg(&data),
    );
    match speed {
        Ok(v) => {
            let f = |p: &str| v.pointer(p).and_then(Value::as_f64).unwrap_or(f64::NAN);
            out.push(
                Figure::new(
                    "dispatch.suggest_500.p99",
                    "dispatch suggestion, 500 chars, p99 (one core)",
                    f("/suggest_500_chars/p99_us") / 1000.0,
                    "ms",
                )
                .budget(Budget::AtMost(2.0)),
            );
            out.push(
                Figure::new(
                    "dispatch.train_100k.s",
                    "dispatch training on 100k cases",
                    f("/train_s"),
                    "s",
                )
                .budget(Budget::AtMost(60.0)),
            );
            out.push(
                Figure::new(
                    "dispatch.train_100k.peak_rss",
                    "dispatch training on 100k: peak memory",
                    f("/peak_rss_mib_training"),
                    "MiB",
                )
                .budget(Budget::AtMost(500.0)),
            );
            out.push(
                Figure::new(
                    "dispatch.duplicates_1m.p99",
                    "duplicate check with 1M cases stored, p99",
                    f("/duplicates/find/p99_us") / 1000.0,
                    "ms",
                )
                .budget(Budget::AtMost(20.0)),
            );
        }
        Err(e) => out.push(Figure::missing("dispatch.speed", "dispatch speed", e)),
    }
    out
}

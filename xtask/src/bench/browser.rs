//! The resident app as a phone meets it: the bytes of the first screen (html, js, wasm, css in
//! `dist/`, raw and brotli), Lighthouse 12.2.3 mobile on the served app, time to interactive in
//! headless Chromium under the same throttling, and "my cases" with 1,000 cached cases; and the
//! staff workbench: its download (`dist/staff/`) and its dispatch queue of 10,000 cases.

use std::fs;

use serde_json::Value;

use super::report::{Budget, Figure};
use super::server::Server;
use crate::run::{Result, command, root};
use crate::tools;

const NPM_DIR: &str = "bench/npm";

pub fn ensure_tools() -> Result {
    tools::ensure_debian_packages(&["chromium"])?;
    tools::ensure_npm_packages(NPM_DIR, "Lighthouse 12.2.3 and playwright-core")
}

fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out.len()
}

/// Bytes before the first screen: every html, js, wasm and css file of `dist/` but the screens
/// loaded on demand, which the service worker fetches once the first screen is up; those are a
/// figure of their own.
pub fn sizes() -> Result<Vec<Figure>> {
    let html = fs::read_to_string(root().join("dist/index.html"))
        .map_err(|e| format!("cannot read dist/index.html: {e}"))?;
    let later = on_demand(&html);
    let (mut out, raw, br) = bytes_of("dist", "app", |name| !later.iter().any(|l| l == name))?;
    out.push(
        Figure::new(
            "app.bytes.first_screen.brotli",
            "app first-screen download, brotli",
            br,
            "KB",
        )
        .budget(Budget::AtMost(200.0))
        .note(format!("raw {raw:.1} KB")),
    );
    let (_, raw, br) = bytes_of("dist", "app.on_demand", |name| {
        later.iter().any(|l| l == name)
    })?;
    out.push(
        Figure::new(
            "app.bytes.on_demand.brotli",
            "app screens loaded on demand, brotli",
            br,
            "KB",
        )
        .note(format!("{} wasm modules, raw {raw:.1} KB", later.len())),
    );
    Ok(out)
}

/// The files `index.html` lists as loaded on demand (`<meta name=yousu-on-demand content="/A /B">`,
/// as `cargo xtask split-app` writes it).
fn on_demand(html: &str) -> Vec<String> {
    let start = format!("<meta name={} content=\"", crate::split::ON_DEMAND);
    html.split_once(start.as_str())
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(list, _)| {
            list.split_whitespace()
                .map(|href| href.rsplit('/').next().unwrap_or(href).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The staff workbench's download (its own Trunk build in `dist/staff/`): it has no budget of
/// its own, but the resident app's must not grow because of it.
pub fn workbench_sizes() -> Result<Vec<Figure>> {
    let (mut out, raw, br) = bytes_of("dist/staff", "workbench", |_| true)?;
    out.push(
        Figure::new(
            "workbench.bytes.total.brotli",
            "workbench download, brotli",
            br,
            "KB",
        )
        .note(format!("raw {raw:.1} KB")),
    );
    Ok(out)
}

/// Each kind's brotli size (raw in the note) of the html, js, wasm and css files directly in
/// `folder` whose names `counts`, and the totals raw and brotli, in KB.
fn bytes_of(
    folder: &str,
    id: &str,
    counts: impl Fn(&str) -> bool,
) -> Result<(Vec<Figure>, f64, f64)> {
    let dist = root().join(folder);
    let mut totals: Vec<(&str, usize, usize)> = ["html", "js", "wasm", "css"]
        .iter()
        .map(|k| (*k, 0, 0))
        .collect();
    for entry in fs::read_dir(&dist).map_err(|e| format!("cannot read {folder}/: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(&counts)
        {
            continue;
        }
        if let Some(t) = totals.iter_mut().find(|t| t.0 == ext) {
            let bytes = fs::read(&path).map_err(|e| e.to_string())?;
            t.1 += bytes.len();
            t.2 += brotli_len(&bytes);
        }
    }
    let kb = |b: usize| b as f64 / 1000.0;
    let mut out = Vec::new();
    for (kind, raw, br) in &totals {
        out.push(
            Figure::new(
                format!("{id}.bytes.{kind}"),
                format!("{id} {kind}: raw / brotli-11"),
                kb(*br),
                "KB",
            )
            .note(format!("raw {:.1} KB", kb(*raw))),
        );
    }
    let (raw, br) = totals.iter().fold((0, 0), |(r, b), t| (r + t.1, b + t.2));
    Ok((out, kb(raw), kb(br)))
}

fn node(args: &[&str]) -> Result<Value> {
    let out = command("node")
        .current_dir(root().join(NPM_DIR))
        .args(args)
        .env("CHROME_PATH", "/usr/bin/chromium")
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| l.starts_with('{'))
        .ok_or(format!(
            "node {} printed no JSON ({})",
            args.join(" "),
            out.status
        ))?;
    serde_json::from_str(line).map_err(|e| e.to_string())
}

fn lighthouse_once(url: &str, out: &std::path::Path) -> Result<Value> {
    let bin = root().join(NPM_DIR).join("node_modules/.bin/lighthouse");
    let status = command(bin.to_str().ok_or("the project path is not UTF-8")?)
        .arg(url)
        .args([
            "--output=json",
            "--only-categories=performance,accessibility,best-practices",
            "--quiet",
        ])
        .arg(format!("--output-path={}", out.display()))
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu")
        .env("CHROME_PATH", "/usr/bin/chromium")
        .status()
        .map_err(|e| format!("cannot run lighthouse: {e}"))?;
    if !status.success() {
        return Err(format!("lighthouse failed ({status})"));
    }
    let text = fs::read_to_string(out).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Lighthouse mobile on `/`, `runs` times; the median of each score and metric.
pub fn lighthouse(server: &Server, runs: usize) -> Vec<Figure> {
    eprintln!("\n==> Lighthouse 12.2.3 mobile on / ({runs} run(s))");
    let url = server.url("/");
    let mut reports = Vec::new();
    for i in 0..runs {
        let path = super::growth::tmp().join(format!("lighthouse-{i}.json"));
        match lighthouse_once(&url, &path) {
            Ok(r) => reports.push(r),
            Err(e) => return vec![Figure::missing("lighthouse", "Lighthouse mobile", e)],
        }
    }
    let pick = |f: &dyn Fn(&Value) -> Option<f64>| median(reports.iter().filter_map(f).collect());
    let score = |cat: &'static str| {
        pick(&move |r: &Value| r["categories"][cat]["score"].as_f64().map(|s| s * 100.0))
    };
    let audit = |a: &'static str| pick(&move |r: &Value| r["audits"][a]["numericValue"].as_f64());
    vec![
        Figure::new(
            "lighthouse.performance",
            "Lighthouse mobile performance",
            score("performance"),
            "",
        )
        .budget(Budget::AtLeast(90.0)),
        Figure::new(
            "lighthouse.accessibility",
            "Lighthouse mobile accessibility",
            score("accessibility"),
            "",
        )
        .budget(Budget::AtLeast(100.0)),
        Figure::new(
            "lighthouse.best_practices",
            "Lighthouse mobile best practices",
            score("best-practices"),
            "",
        )
        .budget(Budget::AtLeast(100.0)),
        Figure::new(
            "lighthouse.fcp",
            "Lighthouse mobile FCP",
            audit("first-contentful-paint") / 1000.0,
            "s",
        )
        .budget(Budget::AtMost(1.2)),
        Figure::new(
            "lighthouse.lcp",
            "Lighthouse mobile LCP",
            audit("largest-contentful-paint") / 1000.0,
            "s",
        )
        .budget(Budget::AtMost(2.5)),
        Figure::new(
            "lighthouse.tbt",
            "Lighthouse mobile TBT",
            audit("total-blocking-time"),
            "ms",
        )
        .budget(Budget::AtMost(200.0)),
        Figure::new(
            "lighthouse.cls",
            "Lighthouse mobile CLS",
            audit("cumulative-layout-shift"),
            "",
        )
        .budget(Budget::AtMost(0.05)),
        Figure::new(
            "lighthouse.interactive",
            "Lighthouse mobile TTI (simulated)",
            audit("interactive") / 1000.0,
            "s",
        ),
    ]
}

/// Time to interactive in headless Chromium with the same throttling applied through CDP.
pub fn tti(server: &Server, runs: usize) -> Vec<Figure> {
    eprintln!(
        "\n==> time to interactive in headless Chromium, throttled like Lighthouse ({runs} runs)"
    );
    match node(&["browser.mjs", "tti", &server.url("/"), &runs.to_string()]) {
        Ok(v) => vec![
            Figure::new(
                "browser.tti",
                "Chromium TTI on / (slow 4G, CPU ×4), median",
                v["tti_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0,
                "s",
            )
            .note(format!(
                "app mounted at {:.2} s, FCP {:.2} s",
                v["mounted_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0,
                v["fcp_ms"].as_f64().unwrap_or(f64::NAN) / 1000.0
            )),
        ],
        Err(e) => vec![Figure::missing("browser.tti", "Chromium TTI", e)],
    }
}

/// "My cases" with 1,000 cached cases: render time after the tap (CPU ×4) and the tab's memory.
pub fn my_cases(server: &Server) -> Vec<Figure> {
    eprintln!("\n==> my cases with 1,000 cached cases");
    let mut renders = Vec::new();
    let mut last = Value::Null;
    for _ in 0..3 {
        match node(&["browser.mjs", "my-cases", &server.url("/"), "1000"]) {
            Ok(v) => {
                renders.push(v["render_ms"].as_f64().unwrap_or(f64::NAN));
                last = v;
            }
            Err(e) => {
                return vec![Figure::missing(
                    "browser.my_cases",
                    "my cases, 1,000 cases",
                    e,
                )];
            }
        }
    }
    vec![
        Figure::new(
            "browser.my_cases.render",
            "my cases: render 1,000 cached cases (CPU ×4), median of 3",
            median(renders),
            "ms",
        ),
        Figure::new(
            "browser.my_cases.renderer_rss",
            "my cases: tab memory (renderer RSS) with 1,000",
            last["renderer_rss_mib"].as_f64().unwrap_or(f64::NAN),
            "MiB",
        )
        .note(format!(
            "JS heap {:.1} MiB, {} DOM nodes",
            last["js_heap_mib"].as_f64().unwrap_or(f64::NAN),
            last["dom_nodes"]
        )),
    ]
}

/// The dispatcher's queue of 10,000 open cases in the workbench (desktop, headless Chromium):
/// time from the list's arrival to the frame that shows it, median of 3 (budget 1 s).
pub fn workbench_queue(server: &Server) -> Vec<Figure> {
    const CASES: &str = "10000";
    eprintln!("\n==> the workbench's dispatch queue with {CASES} open cases");
    let mut renders = Vec::new();
    let mut last = Value::Null;
    for _ in 0..3 {
        match node(&["browser.mjs", "queue", &server.url("/staff/"), CASES]) {
            Ok(v) => {
                renders.push(v["render_ms"].as_f64().unwrap_or(f64::NAN));
                last = v;
            }
            Err(e) => {
                return vec![Figure::missing(
                    "workbench.queue",
                    "workbench dispatch queue, 10,000 cases",
                    e,
                )];
            }
        }
    }
    vec![
        Figure::new(
            "workbench.queue.render",
            "workbench: render the dispatch queue of 10,000 cases, median of 3",
            median(renders),
            "ms",
        )
        .budget(Budget::AtMost(1000.0))
        .note(format!(
            "{} rows in the DOM, {} elements; shown {:.0} ms after navigation; j moved the \
             selection to row {}",
            last["rows_in_dom"],
            last["elements"],
            last["since_navigation_ms"].as_f64().unwrap_or(f64::NAN),
            last["selected_after_j"]
        )),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screens_loaded_on_demand_are_read_from_the_built_page() {
        let html = "<link rel=modulepreload href=/yousu-split-ab.js>\
            <meta name=yousu-on-demand content=\"/yousu-split_submit_screen-ab.wasm \
            /yousu-chunk_4-ab.wasm\"></head>";
        assert_eq!(
            on_demand(html),
            ["yousu-split_submit_screen-ab.wasm", "yousu-chunk_4-ab.wasm"]
        );
        assert!(on_demand("<link rel=preload href=/a.wasm>").is_empty());
    }
}

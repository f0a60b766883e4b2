//! The API on loopback at constant rates: submissions, case reads, the public figures and
//! Open311 `requests.json`, on SQLite as shipped (synchronous=FULL), on SQLite with
//! synchronous=NORMAL beside it, and on PostgreSQL. Every latency is also given as a ratio to
//! `/api/v1/health` measured at the same rate against the same server, which says more than the
//! milliseconds on a shared, noisy machine.

use std::sync::Arc;

use super::load::{self, MakeRequest, Outcome};
use super::report::{Budget, Figure};
use super::server::{self, Server};
use crate::run::Result;

/// How long and how often each load point runs.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub runs: usize,
    pub seconds: f64,
}

/// One case of the generated data: number, bearer token, lookup code.
#[derive(Clone, Debug)]
pub struct SampleCase {
    pub number: String,
    pub token: String,
}

pub fn read_sample(path: &std::path::Path) -> Result<Vec<SampleCase>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let cases: Vec<SampleCase> = text
        .lines()
        .filter_map(|l| {
            let mut f = l.split(',');
            Some(SampleCase {
                number: f.next()?.to_owned(),
                token: f.next()?.to_owned(),
            })
        })
        .collect();
    if cases.is_empty() {
        return Err(format!("{} lists no cases", path.display()));
    }
    Ok(cases)
}

fn connections(rate: f64) -> usize {
    // Enough that a server stall of 100 ms still finds a free connection for each due request.
    ((rate / 10.0) as usize).clamp(16, 256)
}

/// A warm-up run, then `plan.runs` measured runs; the median of each figure.
pub fn measure(server: &Server, rate: f64, plan: Plan, make: MakeRequest) -> Outcome {
    load::run(server.addr, rate, 1.0, connections(rate), make.clone());
    let runs: Vec<Outcome> = (0..plan.runs)
        .map(|_| {
            load::run(
                server.addr,
                rate,
                plan.seconds,
                connections(rate),
                make.clone(),
            )
        })
        .collect();
    load::median(&runs)
}

pub fn measure_oha(server: &Server, path: &str, rate: f64, plan: Plan) -> Result<Outcome> {
    server::oha(&server.url(path), rate, 1.0, &[])?;
    let runs = (0..plan.runs)
        .map(|_| server::oha(&server.url(path), rate, plan.seconds, &[]))
        .collect::<Result<Vec<_>>>()?;
    Ok(load::median(&runs))
}

pub fn health() -> MakeRequest {
    Arc::new(|_| load::request("GET", "/api/v1/health", &[], ""))
}

/// Submissions, each with its own Idempotency-Key (a repeated key would be a replay).
pub fn submissions() -> MakeRequest {
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    const COMMUNITIES: &[&str] = &["chengzhong-renminjie-nanguanjie"];
    const CATEGORIES: &[&str] = &[
        "environment",
        "city-appearance",
        "traffic",
        "housing",
        "utilities",
    ];
    Arc::new(move |i| {
        let body = format!(
            r#"{{"channel":"web","category_id":"{}","description":"压测诉求{i}：楼下餐馆油烟很大，每天晚上都有，影响休息，请尽快处理。","community_id":"{}","address":"{}号楼","contact_name":"测试","contact_phone":"13800138000","anonymous":false,"hide_identity_from_unit":false}}"#,
            CATEGORIES[i % CATEGORIES.len()],
            COMMUNITIES[i % COMMUNITIES.len()],
            1 + i % 30
        );
        let key = format!("bench-{run:x}-{i:012}");
        load::request(
            "POST",
            "/api/v1/cases",
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", &key),
            ],
            &body,
        )
    })
}

/// Reads of cases spread over the sample, each opened by its own bearer token.
pub fn reads(sample: Vec<SampleCase>) -> MakeRequest {
    Arc::new(move |i| {
        let case = &sample[(i * 7919) % sample.len()];
        let auth = format!("Bearer {}", case.token);
        load::request(
            "GET",
            &format!("/api/v1/cases/{}", case.number),
            &[("Authorization", &auth)],
            "",
        )
    })
}

/// p50, p99 (with its budget), p99.9 and errors of one load point, each p99 also ÷ health's.
pub fn latency_figures(
    id: &str,
    label: &str,
    o: &Outcome,
    health: &Outcome,
    p99_budget: Option<f64>,
) -> Vec<Figure> {
    let mut p99 = Figure::new(format!("{id}.p99"), format!("{label} p99"), o.p99_ms, "ms")
        .ratio(Some(health.p99_ms));
    if let Some(b) = p99_budget {
        p99 = p99.budget(Budget::AtMost(b));
    }
    let mut errors = Figure::new(
        format!("{id}.errors"),
        format!("{label} errors"),
        o.errors as f64,
        "",
    )
    .note(format!("{} sent, {:.0}/s answered", o.sent, o.achieved_rps));
    if p99_budget.is_some() {
        errors = errors.budget(Budget::AtMost(0.0));
    }
    vec![
        Figure::new(format!("{id}.p50"), format!("{label} p50"), o.p50_ms, "ms")
            .ratio(Some(health.p50_ms)),
        p99,
        Figure::new(
            format!("{id}.p999"),
            format!("{label} p99.9"),
            o.p999_ms,
            "ms",
        )
        .ratio(Some(health.p999_ms)),
        errors,
    ]
}

fn health_figure(id: &str, label: &str, h: &Outcome) -> Figure {
    Figure::new(
        format!("{id}.health.p99"),
        format!("{label} /api/v1/health p99"),
        h.p99_ms,
        "ms",
    )
    .note(format!(
        "p50 {:.2} ms, p99.9 {:.2} ms, {} errors",
        h.p50_ms, h.p999_ms, h.errors
    ))
}

/// Submissions at `rate`, with health at the same rate first.
pub fn submission_point(
    server: &Server,
    id: &str,
    label: &str,
    rate: f64,
    plan: Plan,
    budget: Option<f64>,
) -> Vec<Figure> {
    let h = measure(server, rate, plan, health());
    let o = measure(server, rate, plan, submissions());
    let mut out = vec![health_figure(
        &format!("{id}.{rate}"),
        &format!("{label} at {rate}/s:"),
        &h,
    )];
    out.extend(latency_figures(
        &format!("{id}.submit.{rate}"),
        &format!("{label} submission at {rate}/s"),
        &o,
        &h,
        budget,
    ));
    out
}

/// The highest of `rates` whose submissions still meet the budget (p99 ≤ 50 ms, no errors).
pub fn highest_submission_rate(
    server: &Server,
    id: &str,
    label: &str,
    rates: &[f64],
    plan: Plan,
) -> Figure {
    let mut best = 0.0;
    let mut seen = Vec::new();
    for &rate in rates {
        let o = measure(server, rate, plan, submissions());
        seen.push(format!(
            "{rate}/s: p99 {:.1} ms, {} errors",
            o.p99_ms, o.errors
        ));
        if o.p99_ms <= 50.0 && o.errors == 0 {
            best = rate;
        } else {
            break;
        }
    }
    Figure::new(
        format!("{id}.submit.max_rate"),
        format!("{label} highest submission rate within budget"),
        best,
        "/s",
    )
    .note(seen.join("; "))
}

/// Case reads at `rate` (budget at 2,000/s: p99 ≤ 10 ms).
pub fn read_point(
    server: &Server,
    id: &str,
    label: &str,
    rate: f64,
    plan: Plan,
    sample: &[SampleCase],
) -> Vec<Figure> {
    let h = measure(server, rate, plan, health());
    let o = measure(server, rate, plan, reads(sample.to_vec()));
    let budget = (rate >= 2000.0).then_some(10.0);
    let mut out = vec![health_figure(
        &format!("{id}.{rate}"),
        &format!("{label} at {rate}/s:"),
        &h,
    )];
    out.extend(latency_figures(
        &format!("{id}.read.{rate}"),
        &format!("{label} case read at {rate}/s"),
        &o,
        &h,
        budget,
    ));
    out
}

/// GET endpoints that are all alike, with oha: health, then each path, at `rate`.
pub fn oha_points(
    server: &Server,
    id: &str,
    label: &str,
    rate: f64,
    plan: Plan,
    paths: &[(&str, &str, &str, Option<f64>)],
) -> Vec<Figure> {
    let h = match measure_oha(server, "/api/v1/health", rate, plan) {
        Ok(h) => h,
        Err(e) => {
            return vec![Figure::missing(
                format!("{id}.oha"),
                format!("{label} (oha)"),
                e,
            )];
        }
    };
    let mut out = vec![health_figure(
        &format!("{id}.oha.{rate}"),
        &format!("{label} (oha) at {rate}/s:"),
        &h,
    )];
    for (key, name, path, budget) in paths {
        match measure_oha(server, path, rate, plan) {
            Ok(o) => out.extend(latency_figures(
                &format!("{id}.{key}.{rate}"),
                &format!("{label} {name} at {rate}/s"),
                &o,
                &h,
                *budget,
            )),
            Err(e) => out.push(Figure::missing(
                format!("{id}.{key}"),
                format!("{label} {name}"),
                e,
            )),
        }
    }
    out
}

/// Timings of `n` GETs one after the other (after one unmeasured), in ms.
pub fn sequential_gets(server: &Server, path: &str, n: usize) -> Vec<f64> {
    let make: MakeRequest = {
        let path = path.to_owned();
        Arc::new(move |_| load::request("GET", &path, &[], ""))
    };
    // One request a second on one connection: each is alone on the server.
    load::run(server.addr, 1000.0, 0.001, 1, make.clone());
    (0..n)
        .map(|_| load::run(server.addr, 1000.0, 0.001, 1, make.clone()).max_ms)
        .collect()
}

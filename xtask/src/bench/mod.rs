//! `cargo xtask bench [--quick]`: measures what residents feel and what the platform sustains
//! (issue 5), prints a table with each budget's PASS / FAIL, writes `bench/results/latest.json`,
//! appends to `bench/results/history.jsonl` and compares with the run before. Benchmarks are not
//! tests: nothing here runs inside `cargo xtask test`. Load goes to 127.0.0.1 only.
//!
//! `--quick` (under 5 minutes): sizes, one Lighthouse run, the workbench's size and its queue of
//! 10,000 cases, the API at 100/s on SQLite, growth with 10 thousand cases. The full run adds time to interactive, "my cases", 1,000/s and
//! 2,000/s, the highest submission rate, synchronous=NORMAL, PostgreSQL, 100 thousand and 1
//! million cases, and the dispatch engine. `--only PART[,PART…]` measures some parts and only
//! prints them (nothing is written): `app`, `workbench`, `sqlite`, `normal`, `postgres`,
//! `growth` (or one size: `growth:1000000`), `dispatch`; and `submit` (only submissions at
//! 1,000/s on SQLite as shipped).

use std::fs;

mod api;
mod browser;
mod dispatch;
mod growth;
mod load;
mod report;
mod server;

use api::Plan;
use report::{Figure, Report};
use server::Server;

use crate::run::{Result, command, output};
use crate::{app, postgres, tools};

pub fn run(args: &[String]) -> Result {
    let mut quick = false;
    let mut only: Option<Vec<String>> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--only" => {
                let parts = args.next().ok_or("bench: --only needs PART[,PART…]")?;
                only = Some(parts.split(',').map(str::to_owned).collect());
            }
            other => {
                return Err(format!(
                    "bench: unknown argument {other:?} (--quick, --only PART[,PART…])"
                ));
            }
        }
    }
    let wanted = |part: &str| only.as_ref().is_none_or(|o| o.iter().any(|p| p == part));
    let started = std::time::Instant::now();
    let machine = report::machine();
    eprintln!("==> benchmarking on {}", report::machine_line(&machine));
    tools::ensure_build_tools()?;
    server::ensure_oha()?;
    browser::ensure_tools()?;
    if wanted("app") || wanted("workbench") {
        app::build_app()?;
    }
    server::build()?;
    fs::create_dir_all(growth::tmp()).map_err(|e| format!("cannot create bench/tmp: {e}"))?;

    let plan = if quick {
        Plan {
            runs: 3,
            seconds: 3.0,
        }
    } else {
        Plan {
            runs: 3,
            seconds: 8.0,
        }
    };
    let month = previous_city_month();
    let mut figures = if wanted("app") {
        browser::sizes()?
    } else {
        Vec::new()
    };
    let mut notes = vec![
        "API latencies are measured from each request's due time at a constant rate (open loop)"
            .to_owned(),
        format!(
            "each load point: {} runs of {} s after a 1 s warm-up; the median is shown",
            plan.runs, plan.seconds
        ),
    ];

    if wanted("app") {
        let db = fresh_sqlite("app")?;
        let server = Server::start(&db, &[], &growth::tmp().join("server-app.log"))?;
        server.wait_until_idle(300.0);
        figures.extend(browser::lighthouse(&server, if quick { 1 } else { 3 }));
        if !quick {
            figures.extend(browser::tti(&server, 5));
            figures.extend(browser::my_cases(&server));
        }
    }

    if wanted("workbench") {
        match browser::workbench_sizes() {
            Ok(sizes) => figures.extend(sizes),
            Err(e) => figures.push(Figure::missing("workbench.bytes", "workbench download", e)),
        }
        let db = fresh_sqlite("workbench")?;
        let server = Server::start(&db, &[], &growth::tmp().join("server-workbench.log"))?;
        server.wait_until_idle(300.0);
        figures.extend(browser::workbench_queue(&server));
    }

    let rates: &[f64] = if quick { &[100.0] } else { &[100.0, 1000.0] };
    // Only submissions at 1,000/s on SQLite as shipped, to iterate on them.
    if only
        .as_ref()
        .is_some_and(|o| o.iter().any(|p| p == "submit"))
    {
        let (db, _) = copy_of_10k("api.submit")?;
        let log = growth::tmp().join("server-api.submit.log");
        let server = Server::start(&db, &[], &log)?;
        server.wait_until_idle(300.0);
        let cpu = server.usage().0;
        let id = "api.sqlite";
        figures.extend(api::submission_point(
            &server,
            id,
            "SQLite (FULL)",
            1000.0,
            plan,
            Some(50.0),
        ));
        notes.push(format!(
            "server CPU during the submission point: {:.1} s",
            server.usage().0 - cpu
        ));
    }
    if wanted("sqlite") {
        figures.extend(api_on_sqlite(
            "api.sqlite",
            "SQLite (FULL)",
            &[],
            rates,
            plan,
            quick,
        ));
    }
    if !quick && wanted("normal") {
        figures.extend(api_on_sqlite(
            "api.sqlite_normal",
            "SQLite (NORMAL)",
            &[("YOUSU_SQLITE_SYNCHRONOUS", "normal")],
            rates,
            plan,
            true,
        ));
    }
    if !quick && wanted("postgres") {
        figures.extend(
            api_on_postgres(rates, plan)
                .unwrap_or_else(|e| vec![Figure::missing("api.postgres", "PostgreSQL", e)]),
        );
    }

    let (sizes, read_rate): (&[usize], f64) = if quick {
        (&[10_000], 100.0)
    } else {
        (&[10_000, 100_000, 1_000_000], 2000.0)
    };
    // `growth` runs the sizes of the mode; `growth:1000000` one size.
    let sizes: Vec<usize> = match &only {
        Some(parts) if !wanted("growth") => parts
            .iter()
            .filter_map(|p| p.strip_prefix("growth:")?.parse().ok())
            .collect(),
        _ => sizes.to_vec(),
    };
    if !sizes.is_empty() {
        figures.extend(growth::run(&sizes, plan, read_rate, &month));
    }
    if !quick && wanted("dispatch") {
        figures.extend(dispatch::run());
    }

    notes.push(format!(
        "load average at the end: {}; took {:.0} s",
        report::load_average(),
        started.elapsed().as_secs_f64()
    ));
    let report = Report {
        machine,
        quick,
        figures,
        notes,
    };
    if only.is_some() {
        println!("\n{}", report.table(None));
        println!("(--only: nothing written to bench/results/)");
        return Ok(());
    }
    let finished = output(command("date").args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])).unwrap_or_default();
    let commit =
        output(command("git").args(["describe", "--always", "--dirty"])).unwrap_or_default();
    let previous = report::save(&report, &finished, &commit)?;
    println!("\n{}", report.table(previous.as_ref()));
    println!("written to bench/results/latest.json and appended to bench/results/history.jsonl");
    Ok(())
}

/// A new SQLite database for one server, as a URL: a copy of the 10k growth database, or empty.
fn fresh_sqlite(name: &str) -> Result<String> {
    let db = growth::tmp().join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", db.display()));
    }
    Ok(format!("sqlite:{}", db.display()))
}

fn copy_of_10k(name: &str) -> Result<(String, Vec<api::SampleCase>)> {
    let (source, sample) = growth::sqlite_database(10_000)?;
    let url = fresh_sqlite(name)?;
    let target = growth::tmp().join(format!("{name}.db"));
    fs::copy(&source, &target).map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
    Ok((url, api::read_sample(&sample)?))
}

/// Submissions, reads, figures and Open311 on SQLite (10k cases stored).
fn api_on_sqlite(
    id: &str,
    label: &str,
    env: &[(&str, &str)],
    rates: &[f64],
    plan: Plan,
    short: bool,
) -> Vec<Figure> {
    let run = || -> Result<Vec<Figure>> {
        let (db, sample) = copy_of_10k(id)?;
        let server = Server::start(&db, env, &growth::tmp().join(format!("server-{id}.log")))?;
        server.wait_until_idle(300.0);
        let mut out = Vec::new();
        for &rate in rates {
            let budget = (rate >= 1000.0 && env.is_empty()).then_some(50.0);
            out.extend(api::submission_point(
                &server, id, label, rate, plan, budget,
            ));
        }
        if !short {
            out.push(api::highest_submission_rate(
                &server,
                id,
                label,
                &[500.0, 750.0, 1000.0, 1500.0, 2000.0, 3000.0],
                plan,
            ));
            out.extend(api::read_point(&server, id, label, 2000.0, plan, &sample));
        } else if env.is_empty() {
            out.extend(api::read_point(&server, id, label, 100.0, plan, &sample));
        }
        if env.is_empty() {
            out.extend(gets(&server, id, label, plan));
        }
        Ok(out)
    };
    run().unwrap_or_else(|e| vec![Figure::missing(id, label, e)])
}

fn gets(server: &Server, id: &str, label: &str, plan: Plan) -> Vec<Figure> {
    let month = previous_city_month();
    let figures = format!("/api/v1/figures?month={month}");
    api::oha_points(
        server,
        id,
        label,
        100.0,
        plan,
        &[
            ("figures", "public figures", &figures, None),
            (
                "open311",
                "Open311 requests.json",
                "/open311/v2/requests.json",
                None,
            ),
            (
                "open311_ext",
                "Open311 requests.json with extensions",
                "/open311/v2/requests.json?extensions=true",
                None,
            ),
        ],
    )
}

fn api_on_postgres(rates: &[f64], plan: Plan) -> Result<Vec<Figure>> {
    let base = postgres::start()?;
    let admin = command("psql")
        .arg(&base)
        .args([
            "-q",
            "-c",
            "DROP DATABASE IF EXISTS yousu_bench",
            "-c",
            "CREATE DATABASE yousu_bench",
        ])
        .status()
        .map_err(|e| format!("cannot run psql: {e}"))?;
    if !admin.success() {
        return Err("cannot create the database yousu_bench".into());
    }
    let url = format!(
        "{}/yousu_bench",
        base.rsplit_once('/').map_or(base.as_str(), |(b, _)| b)
    );
    let sample_path = growth::tmp().join("postgres-10000.sample");
    growth::generate(&url, 10_000, &sample_path)?;
    let sample = api::read_sample(&sample_path)?;
    let server = Server::start(&url, &[], &growth::tmp().join("server-postgres.log"))?;
    server.wait_until_idle(300.0);
    let (id, label) = ("api.postgres", "PostgreSQL");
    let mut out = Vec::new();
    for &rate in rates {
        out.extend(api::submission_point(&server, id, label, rate, plan, None));
    }
    out.extend(api::read_point(&server, id, label, 2000.0, plan, &sample));
    out.extend(gets(&server, id, label, plan));
    Ok(out)
}

/// The city's (UTC+8) previous month as `YYYY-MM`: a full month of generated cases.
fn previous_city_month() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        + 8 * 3600;
    let (year, month, _) = civil_from_days((secs / 86_400) as i64);
    let (year, month) = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    format!("{year:04}-{month:02}")
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_513), (2026, 3, 1));
        assert_eq!(civil_from_days(20_512), (2026, 2, 28));
    }
}

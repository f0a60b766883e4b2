//! Growth: case reads, the public figures and the monthly evaluation with 10 thousand, 100
//! thousand and 1 million cases in the database (SQLite as shipped), made by `yousu-generate`.
//! Generated databases are kept in `bench/tmp/` and reused by later runs (the server migrates
//! them at start, as it would a real one).

use std::path::PathBuf;

use super::api::{self, Plan};
use super::report::{Budget, Figure};
use super::server::{Server, release_bin};
use crate::run::{Result, command, root, step};

pub fn tmp() -> PathBuf {
    root().join("bench/tmp")
}

/// The generated SQLite database of `cases` cases and its sample of cases to read.
pub fn sqlite_database(cases: usize) -> Result<(PathBuf, PathBuf)> {
    let db = tmp().join(format!("growth-{cases}.db"));
    let sample = tmp().join(format!("growth-{cases}.sample"));
    if db.exists() && sample.exists() {
        return Ok((db, sample));
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    generate(&format!("sqlite:{}", db.display()), cases, &sample)?;
    Ok((db, sample))
}

pub fn generate(database: &str, cases: usize, sample: &std::path::Path) -> Result {
    let bin = release_bin("yousu-generate");
    step(
        &format!("generating {cases} cases"),
        command(bin.to_str().ok_or("the project path is not UTF-8")?)
            .args([
                "--database",
                database,
                "--cases",
                &cases.to_string(),
                "--sample",
            ])
            .arg(sample),
    )
}

fn label(cases: usize) -> String {
    match cases {
        n if n >= 1_000_000 => format!("{}M cases:", n / 1_000_000),
        n => format!("{}k cases:", n / 1000),
    }
}

pub fn run(sizes: &[usize], plan: Plan, read_rate: f64, month: &str) -> Vec<Figure> {
    let mut out = Vec::new();
    for &cases in sizes {
        if let Err(e) = one_size(cases, plan, read_rate, month, &mut out) {
            out.push(Figure::missing(format!("growth.{cases}"), label(cases), e));
        }
    }
    out
}

fn one_size(
    cases: usize,
    plan: Plan,
    read_rate: f64,
    month: &str,
    out: &mut Vec<Figure>,
) -> Result {
    let (db, sample) = sqlite_database(cases)?;
    let sample = api::read_sample(&sample)?;
    let log = tmp().join(format!("server-growth-{cases}.log"));
    let started = std::time::Instant::now();
    let server = Server::start(&format!("sqlite:{}", db.display()), &[], &log)?;
    let serving = started.elapsed().as_secs_f64();
    let busy = server.wait_until_idle(900.0);
    let (cpu, rss) = server.usage();
    let id = format!("growth.{cases}");
    let name = label(cases);
    out.push(
        Figure::new(
            format!("{id}.start.busy"),
            format!("{name} server busy after start"),
            serving + busy,
            "s",
        )
        .note(format!(
            "serving after {serving:.1} s; {cpu:.1} CPU s used; {rss:.0} MiB resident once idle"
        )),
    );
    out.push(Figure::new(
        format!("{id}.start.rss"),
        format!("{name} server memory once idle"),
        rss,
        "MiB",
    ));
    out.extend(api::read_point(
        &server, &id, &name, read_rate, plan, &sample,
    ));
    let at_scale = cases >= 1_000_000;
    let figures = format!("/api/v1/figures?month={month}");
    out.extend(api::oha_points(
        &server,
        &id,
        &name,
        100.0,
        plan,
        &[(
            "figures",
            "public figures",
            &figures,
            at_scale.then_some(50.0),
        )],
    ));
    let mut times = api::sequential_gets(&server, &format!("/api/v1/evaluation?month={month}"), 5);
    times.sort_by(f64::total_cmp);
    let mut evaluation = Figure::new(
        format!("{id}.evaluation"),
        format!("{name} monthly evaluation {month}, median of 5"),
        times[times.len() / 2],
        "ms",
    )
    .note(format!(
        "slowest {:.0} ms",
        times.last().copied().unwrap_or(0.0)
    ));
    if at_scale {
        evaluation = evaluation.budget(Budget::AtMost(2000.0));
    }
    out.push(evaluation);
    Ok(())
}

//! `cargo xtask`: the one entry point for setting up, running and testing Yousu.
//!
//! - `cargo xtask serve [SERVER FLAGS…]` installs what is missing, builds the app in release mode
//!   into `dist/`, and starts the server on the embedded SQLite database with demo data.
//! - `cargo xtask test` installs what the tests need and runs every check, stopping at the first
//!   red one.
//! - `cargo xtask setup` only installs the tools; `cargo xtask build-app` only builds `dist/`.

use std::process::ExitCode;

mod app;
mod bench;
mod postgres;
mod python_checks;
mod run;
mod split;
mod test;
mod tools;

const HELP: &str = "\
cargo xtask <task>

tasks:
  serve [FLAGS…]   build everything and start the product on SQLite with demo data
                   (FLAGS go to yousu-server, e.g. --listen 127.0.0.1:9000)
  test             run every check: fmt, clippy, unit, API (SQLite + PostgreSQL), API fuzzing, Open311 client,
                   browser
  setup            install the tools only (wasm target, Trunk, wasm-bindgen CLI, wasm-opt)
  build-app        build the resident app into dist/ (release)
  split-app        (run by Trunk after building the resident app) split its wasm into the
                   main module and the screens loaded on demand
  bench [--quick]  measure sizes, Lighthouse, the API under load, growth to 1M cases, dispatch;
                   print PASS/FAIL per budget, write bench/results/ (--quick: under 5 minutes)
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    let result = match task.as_str() {
        "serve" => app::serve(&rest),
        "test" => test::run_all(),
        "setup" => tools::ensure_build_tools(),
        "bench" => bench::run(&rest),
        "build-app" => tools::ensure_build_tools().and_then(|()| app::build_app()),
        "split-app" => split::split_app(),
        "" | "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown task {other:?}\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

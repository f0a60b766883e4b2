//! `cargo xtask test`: installs what the tests need, then runs every check in order and stops at
//! the first red one. The last lines printed are the test runners' own summaries.

use crate::run::{Result, cargo, command, root, step};
use crate::{app, postgres, python_checks, tools};

pub fn run_all() -> Result {
    tools::ensure_build_tools()?;
    tools::ensure_debian_packages(&["chromium", "chromium-driver"])?;
    tools::ensure_npm_packages("tests/browser", "the browser test driver (playwright-core)")?;
    let postgres_url = postgres::start()?;

    step(
        "formatting (cargo fmt --check)",
        cargo().args(["fmt", "--all", "--check"]),
    )?;
    step(
        "lints (cargo clippy --all-targets -D warnings)",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "unit tests of the shared core and the dispatch engine",
        cargo().args([
            "test",
            "--package",
            "yousu-core",
            "--package",
            "yousu-dispatch",
        ]),
    )?;
    step(
        "API tests against SQLite and PostgreSQL",
        cargo()
            .args(["test", "--package", "yousu-server"])
            .env("YOUSU_TEST_POSTGRES_URL", &postgres_url),
    )?;
    step(
        "unit tests of the two apps and the tooling",
        cargo().args([
            "test",
            "--package",
            "yousu",
            "--package",
            "yousu-workbench",
            "--package",
            "xtask",
        ]),
    )?;
    step(
        "building the server for the fuzzing and browser tests",
        cargo().args(["build", "--package", "yousu-server"]),
    )?;
    python_checks::run()?;
    app::build_app()?;
    step(
        "browser tests (headless Chromium, 390x844)",
        command("npm")
            .args(["test", "--prefix", "tests/browser"])
            .env("YOUSU_SERVER_BIN", root().join("target/debug/yousu-server"))
            .env("YOUSU_APP_DIR", root().join("dist")),
    )
}

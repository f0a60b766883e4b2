//! A real PostgreSQL for the API tests: Debian's server, its cluster started, a test role that
//! may create one database per test. Old test databases are dropped before each run.

use crate::run::{Result, command, output, step};
use crate::tools;

const ROLE: &str = "yousu_test";
const PASSWORD: &str = "yousu_test";

/// Starts PostgreSQL if needed and returns the URL of its `postgres` database for the test role.
pub fn start() -> Result<String> {
    tools::ensure_debian_packages(&["postgresql"])?;
    let clusters = output(command("pg_lsclusters").arg("--no-header"))
        .ok_or("pg_lsclusters is missing: is the postgresql package installed?")?;
    let cluster = clusters
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.len() >= 4)
        .ok_or("PostgreSQL has no cluster (pg_createcluster makes one)")?;
    let (version, name, port, state) = (cluster[0], cluster[1], cluster[2], cluster[3]);
    if state != "online" {
        step(
            &format!("starting PostgreSQL {version} ({name}, port {port})"),
            command("pg_ctlcluster").args([version, name, "start"]),
        )?;
    }
    let sql = format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN \
             CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'; \
           END IF; \
         END $$;"
    );
    psql_as_postgres(port, "postgres", &sql)?;
    drop_old_test_databases(port)?;
    Ok(format!(
        "postgres://{ROLE}:{PASSWORD}@127.0.0.1:{port}/postgres"
    ))
}

fn psql_as_postgres(port: &str, database: &str, sql: &str) -> Result {
    let mut psql = as_postgres_user("psql");
    psql.args([
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-p",
        port,
        "-d",
        database,
        "-c",
        sql,
    ]);
    output(&mut psql)
        .map(|_| ())
        .ok_or_else(|| format!("psql failed: {sql}"))
}

fn drop_old_test_databases(port: &str) -> Result {
    let mut list = as_postgres_user("psql");
    list.args([
        "-At",
        "-p",
        port,
        "-d",
        "postgres",
        "-c",
        "SELECT datname FROM pg_database WHERE datname LIKE 'yousu\\_test\\_%'",
    ]);
    let names = output(&mut list).unwrap_or_default();
    for name in names.lines().filter(|n| !n.is_empty()) {
        psql_as_postgres(
            port,
            "postgres",
            &format!("DROP DATABASE IF EXISTS \"{name}\""),
        )?;
    }
    Ok(())
}

/// Runs a PostgreSQL client as the `postgres` system user (peer authentication).
fn as_postgres_user(program: &str) -> std::process::Command {
    let is_root = output(command("id").arg("-u")).is_some_and(|uid| uid == "0");
    let mut c = command(if is_root { "runuser" } else { "sudo" });
    c.args(["-u", "postgres", "--", program]);
    // runuser keeps the cwd; the postgres user cannot read /root, so start from /.
    c.current_dir("/");
    c
}

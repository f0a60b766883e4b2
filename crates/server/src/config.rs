//! The server's configuration: each flag can also come from an environment variable, and the
//! database URL never prints its password.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::Parser;
use yousu_core::deadline::{Calendar, ClockRules, DeadlinePolicy};

#[derive(Clone, Debug, Parser)]
#[command(
    name = "yousu-server",
    version,
    about = "Yousu (有诉): the 12345 appeal platform's API server, also serving the resident app"
)]
pub struct Config {
    /// Address to listen on, HOST:PORT. Port 0 picks a free port; the chosen address is printed.
    #[arg(long, env = "YOUSU_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database: `sqlite:PATH` (embedded; the file and its folder are created) or
    /// `postgres://USER:PASSWORD@HOST:PORT/NAME` (for several server instances sharing one
    /// database). Migrations run at start-up.
    #[arg(
        long = "database",
        env = "DATABASE_URL",
        default_value = "sqlite:data/yousu.db",
        hide_env_values = true
    )]
    pub database: DatabaseUrl,

    /// Folder of the built resident app (Trunk's `dist/`), served at `/` with `index.html` as the
    /// fallback for the app's own routes.
    #[arg(long = "app", env = "YOUSU_APP_DIR", default_value = "dist")]
    pub app_dir: PathBuf,

    /// Requests per minute one client address may make to each of the doors that can be
    /// hammered: submissions, lookups by code, staff logins. 0 turns the limits off (for
    /// benchmarks). Behind a shared address (carrier NAT) many residents count as one client.
    #[arg(long, env = "YOUSU_RATE_LIMIT", default_value_t = 60)]
    pub rate_limit: u32,

    /// Megabytes (MiB) of photos one client address may upload in an hour, answered 429 with
    /// `Retry-After` beyond it; what is counted is what is kept, after re-encoding. A resident's
    /// appeal carries at most nine photos the app shrinks to 1600 px (under 1 MB each), so the
    /// default is several full appeals an hour, room for a volunteer or a shared carrier
    /// address. 0 turns the quota off.
    #[arg(long, env = "YOUSU_PHOTO_QUOTA_MB", default_value_t = 64)]
    pub photo_quota_mb: u64,

    /// Megabytes (MiB) that all photos not yet attached to a case may fill together, so uploads
    /// that no appeal takes cannot fill the database; beyond it uploads are answered 503 with
    /// `Retry-After` until appeals take theirs or a day's abandoned uploads are deleted. 0 turns
    /// the cap off.
    #[arg(long, env = "YOUSU_UNATTACHED_PHOTOS_MB", default_value_t = 1024)]
    pub unattached_photos_mb: u64,

    /// A working-day calendar: one date a line, `2026-10-01 holiday` or `2026-10-10 workday` (an
    /// adjusted weekend day that is worked). Without it, Monday to Friday are working days.
    #[arg(long, env = "YOUSU_CALENDAR")]
    pub calendar: Option<PathBuf>,

    /// The deadline policy as JSON: each tier's `{"days", "count": "natural" | "working"}` and
    /// `response_limit_hours`. Without it: urgent 1, general 7, complex 15, difficult 30 natural
    /// days, 24 hours to respond.
    #[arg(long, env = "YOUSU_DEADLINE_POLICY")]
    pub deadline_policy: Option<PathBuf>,

    /// Seconds between two runs of the supervision scheduler, which fires the time nodes of
    /// open cases; 0 turns it off (for a read-only replica, or tests).
    #[arg(long, env = "YOUSU_SCHEDULER_INTERVAL", default_value_t = 30)]
    pub scheduler_interval: u64,

    /// Dispatch suggestions and the likely-duplicate search (true or false). Off, intake and
    /// dispatch go on by hand and the suggestion lists are empty.
    #[arg(long, env = "YOUSU_SUGGESTIONS", default_value_t = true, action = clap::ArgAction::Set)]
    pub suggestions: bool,

    /// Minutes a staff session may go unused before it ends (sign in again); sessions also end
    /// 12 hours after sign-in whatever happens. OWASP ASVS level 2 asks for 30.
    #[arg(long, env = "YOUSU_STAFF_IDLE_MINUTES", default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=720))]
    pub staff_idle_minutes: u32,

    /// Run the platform's clock from this instant (RFC 3339, e.g. `2027-03-01T00:00:30+08:00`)
    /// instead of the machine's time; it runs on at the real pace. For tests, training and
    /// demonstrations only: every deadline, month, case number and expiry follows it.
    #[arg(long, env = "YOUSU_CLOCK_START")]
    pub clock_start: Option<chrono::DateTime<chrono::Utc>>,

    /// The platform's public address, e.g. `https://12345.example.gov.cn`: the base of the
    /// absolute links the server writes (Open311 discovery and media URLs), and with `https`
    /// it turns on HSTS. Without it those links are relative to the server (`/open311/v2`,
    /// `/api/v1/photos/…`); they never take the request's `Host` header, which anyone can set.
    #[arg(long, env = "YOUSU_PUBLIC_URL")]
    pub public_url: Option<crate::links::PublicUrl>,

    /// Seconds a client has to send a request's headers (and an idle kept-alive connection to
    /// start its next request) before the connection is closed. Behind a reverse proxy that
    /// keeps connections to the server open, make the proxy's idle timeout shorter than this.
    #[arg(long, env = "YOUSU_HEADER_READ_TIMEOUT", default_value_t = 20)]
    pub header_read_timeout: u64,

    /// Seconds from a request's headers to its answer's headers (reading the body included:
    /// a 10 MB photo at 2 Mbit/s takes 40 s); past it the answer is 408. A stream already
    /// answering, such as the live figures, is not cut.
    #[arg(long, env = "YOUSU_REQUEST_TIMEOUT", default_value_t = 60)]
    pub request_timeout: u64,

    /// Connections served at once; further ones wait in the listening socket's queue until one
    /// closes. Keep it well below the process's open-file limit (`ulimit -n`, often 1024).
    #[arg(long, env = "YOUSU_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,

    /// Reverse proxies whose forwarding header names the client, for the per-address limits:
    /// a comma-separated list of networks (`10.0.0.0/8,2001:db8::1`). Only a connection from one
    /// of them is believed, and its header is read from the right past trusted hops. Empty (the
    /// default): limits key on the connection's own address and forwarding headers are ignored.
    #[arg(long, env = "YOUSU_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<crate::client_addr::Cidr>,

    /// The header the trusted proxies write the client's address into: `x-forwarded-for` or
    /// `forwarded` (RFC 7239). Only this one is read; the proxy passes the other on from the
    /// client unchecked.
    #[arg(
        long,
        env = "YOUSU_TRUSTED_PROXY_HEADER",
        value_enum,
        default_value = "x-forwarded-for"
    )]
    pub trusted_proxy_header: crate::client_addr::ForwardedHeader,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Load the demo catalogue, units and communities (a Xining-like city) when the database has
    /// none yet. Existing data is never touched.
    #[arg(long, env = "YOUSU_DEMO")]
    pub demo: bool,
}

impl Config {
    /// The platform's clock: the machine's, or one started at `--clock-start`.
    pub fn clock(&self) -> crate::clock::Clock {
        self.clock_start.map_or_else(
            crate::clock::Clock::system,
            crate::clock::Clock::starting_at,
        )
    }

    /// Whose forwarding headers the limits believe (`--trusted-proxies`).
    pub fn trusted_proxies(&self) -> crate::client_addr::TrustedProxies {
        crate::client_addr::TrustedProxies {
            networks: self.trusted_proxies.clone(),
            header: self.trusted_proxy_header,
        }
    }

    /// The clock rules from `--deadline-policy` and `--calendar`, or the defaults.
    pub fn clock_rules(&self) -> anyhow::Result<ClockRules> {
        let read = |path: &PathBuf| {
            std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
        };
        let policy = match &self.deadline_policy {
            Some(path) => serde_json::from_str(&read(path)?)
                .map_err(|e| anyhow::anyhow!("{} is not a deadline policy: {e}", path.display()))?,
            None => DeadlinePolicy::default(),
        };
        let calendar = match &self.calendar {
            Some(path) => Calendar::parse(&read(path)?)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
            None => Calendar::default(),
        };
        Ok(ClockRules {
            policy,
            calendar,
            superseded: Vec::new(),
        })
    }
}

/// What to do instead of serving.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Create an administrator account, so that a real deployment (without --demo) can be signed
    /// into: the password is read from standard input (one line; not echoed on a terminal), or
    /// from YOUSU_ADMIN_PASSWORD, 10 to 128 characters. Then sign in at /staff/ and create the
    /// other accounts there.
    CreateAdmin {
        /// The username, e.g. `admin` (letters, digits, `-` and `_`).
        username: String,
        /// The name shown in the workbench.
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
    /// Load a catalogue file (JSON: districts, units, categories with their dispatch items; the
    /// format of `crates/server/demo/xining.json`) into the database, adding and updating, then
    /// exit. Running servers on the database pick it up within seconds.
    ImportCatalog {
        /// The JSON file.
        file: PathBuf,
    },
    /// Import a city's past work orders so the dispatch suggestions start warm: a CSV file (UTF-8,
    /// a header with at least `text` and `department`, optionally `channel` and `kind`), where
    /// `department` is a unit's id or its Chinese or English name. Rows naming an unknown unit
    /// are counted and skipped. Restart running servers to retrain on them.
    ImportHistory {
        /// The CSV file.
        file: PathBuf,
    },
    /// Measure the dispatch suggestions on labelled work orders (CSV, UTF-8, a header with at
    /// least `text` and `department`; `channel` and `kind` are used, `category` never): train on
    /// --train, test on --test or by stratified K-fold cross-validation, print one JSON line
    /// (n_train, n_test, top1, top3, macro_f1, train_ms, suggest_us_p50, suggest_us_p99).
    DispatchEval {
        /// The labelled cases to learn from.
        #[arg(long)]
        train: PathBuf,
        /// Cases to measure on; without it, cross-validation on --train.
        #[arg(long)]
        test: Option<PathBuf>,
        /// Folds of the cross-validation (default 5 when --test is absent).
        #[arg(long)]
        cv: Option<usize>,
        /// The seed of the folds.
        #[arg(long, default_value_t = 20261126)]
        seed: u64,
    },
}

/// Where the data lives, chosen by the URL's scheme.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(url: &str) -> Result<Self, Self::Err> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.strip_prefix("//").unwrap_or(path);
            if path.is_empty() {
                return Err("a sqlite URL needs a file path, e.g. sqlite:data/yousu.db".into());
            }
            Ok(Self::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_owned()))
        } else {
            Err("expected sqlite:PATH or postgres://…".into())
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Self::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_is_chosen_by_scheme() {
        assert_eq!(
            "sqlite:data/yousu.db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("data/yousu.db".into())
        );
        assert_eq!(
            "sqlite:///tmp/x.db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert!(matches!(
            "postgresql://u@h/db".parse::<DatabaseUrl>().unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!("mysql://u@h/db".parse::<DatabaseUrl>().is_err());
        assert!("sqlite:".parse::<DatabaseUrl>().is_err());
    }

    #[test]
    fn printed_postgres_url_hides_the_password() {
        let url: DatabaseUrl = "postgres://yousu:s3cr3t@127.0.0.1:5432/yousu"
            .parse()
            .unwrap();
        assert_eq!(url.to_string(), "postgres://yousu:***@127.0.0.1:5432/yousu");
        assert!(!format!("{url:?}").contains("s3cr3t"));
    }
}

//! `yousu-generate`: fills a database with realistic made-up cases for the growth benchmarks
//! (`cargo xtask bench`): spread over months, dispatch items, communities, units, statuses and
//! ratings, each with its timeline, so that the public figures and the monthly evaluation have real
//! work to do. Everything is invented from a seed; no resident's data is used or printed.
//!
//! `yousu-generate --database URL --cases N [--months M] [--seed S] [--sample FILE]`
//!
//! The database is created and migrated like the server does, the demo catalogue is loaded when it
//! is empty, and the cases go in with multi-row inserts in large transactions (about 20 s per
//! million cases on SQLite). `--sample FILE` writes `case_number,access_token,lookup_code` lines
//! of a random 2,000 of the new cases, for the read benchmarks.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use sqlx::QueryBuilder;
use yousu_core::case::city_offset;
use yousu_server::config::DatabaseUrl;
use yousu_server::demo::{self, DemoData};
use yousu_server::store;

const USAGE: &str = "usage: yousu-generate --database URL --cases N [--months M] [--seed S] \
                     [--sample FILE]";
/// Rows per INSERT statement: under SQLite's 32,766 bound parameters with the widest row.
const CASES_PER_STATEMENT: usize = 400;
const EVENTS_PER_STATEMENT: usize = 2_000;
/// Cases per transaction: big enough that commits cost nothing, small enough to show progress.
const CASES_PER_TRANSACTION: usize = 50_000;
const SAMPLE_SIZE: usize = 2_000;

struct Args {
    database: DatabaseUrl,
    cases: usize,
    months: u32,
    seed: u64,
    sample: Option<std::path::PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut database, mut cases, mut months, mut seed, mut sample) = (None, None, 12, 1, None);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--database" => database = Some(DatabaseUrl::from_str(&value()?)?),
            "--cases" => cases = Some(value()?.replace('_', "").parse().map_err(|_| USAGE)?),
            "--months" => months = value()?.parse().map_err(|_| USAGE)?,
            "--seed" => seed = value()?.parse().map_err(|_| USAGE)?,
            "--sample" => sample = Some(value()?.into()),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(Args {
        database: database.ok_or(USAGE)?,
        cases: cases.ok_or(USAGE)?,
        months: months.max(1),
        seed,
        sample,
    })
}

/// SplitMix64: small, fast and the same everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Skewed towards low indexes, as real traffic is: a few items and communities take most.
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize % n.max(1)
    }
    /// Minutes, log-uniform between `lo` and `hi`: many quick steps, a long tail of slow ones.
    fn minutes(&mut self, lo: f64, hi: f64) -> Duration {
        let m = (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp();
        Duration::seconds((m * 60.0) as i64)
    }
}

struct Item {
    id: String,
    category_id: String,
    unit_id: String,
    tier: &'static str,
    days: i64,
    name_zh: String,
}

/// One made-up case, ready for both the `case` row and its timeline.
struct Case {
    case_id: i64,
    number: String,
    token: String,
    lookup_code: String,
    channel: &'static str,
    status: &'static str,
    item: usize,
    community: usize,
    description: String,
    address: String,
    contact: Option<(String, String)>,
    hide_identity: bool,
    submitted_at: DateTime<Utc>,
    deadline_at: DateTime<Utc>,
    dispatched_at: Option<DateTime<Utc>>,
    claimed_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    rating: Option<(DateTime<Utc>, bool, &'static str)>,
    updated_at: DateTime<Utc>,
}

const CHANNELS: &[(&str, f64)] = &[
    ("hotline", 0.45),
    ("web", 0.2),
    ("mini_program", 0.2),
    ("volunteer", 0.05),
    ("media", 0.03),
    ("letter", 0.02),
    ("visit", 0.02),
    ("open311", 0.03),
];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "马", "赵", "韩", "祁"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "秀英", "敏", "静", "强", "磊", "洋", "艳"];
const PLACES: &[&str] = &[
    "小区",
    "路口",
    "菜市场",
    "学校门口",
    "公交站",
    "楼下",
    "广场",
];
const WHEN: &[&str] = &[
    "每天晚上",
    "最近一周",
    "今天早上",
    "连续三天",
    "周末",
    "凌晨",
];
const ASK: &[&str] = &[
    "请尽快处理。",
    "希望相关部门管一管。",
    "已经反映过一次，仍未解决。",
    "影响老人和孩子休息。",
    "请派人来看看。",
];

fn pick_channel(rng: &mut Rng) -> &'static str {
    let mut u = rng.unit();
    for (channel, p) in CHANNELS {
        if u < *p {
            return channel;
        }
        u -= p;
    }
    "web"
}

fn tier_days(tier: &str) -> i64 {
    match tier {
        "urgent" => 1,
        "complex" => 15,
        "difficult" => 30,
        _ => 7,
    }
}

/// A time in the span, more often in the day than at night.
fn submission_time(rng: &mut Rng, start: DateTime<Utc>, span_s: i64) -> DateTime<Utc> {
    loop {
        let at = start + Duration::seconds((rng.unit() * span_s as f64) as i64);
        let hour = chrono::Timelike::hour(&at.with_timezone(&city_offset())) as usize;
        const WEIGHT: [u8; 24] = [
            1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 7, 8, 9, 10, 10, 9, 8, 7, 6, 4, 3, 2,
        ];
        if rng.below(10) < WEIGHT[hour] as usize {
            return at;
        }
    }
}

fn make_case(
    rng: &mut Rng,
    items: &[Item],
    communities: &[String],
    submitted_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Case {
    let item = rng.skewed(items.len());
    let community = rng.skewed(communities.len());
    let it = &items[item];
    let deadline_at = submitted_at + Duration::days(it.days);
    let channel = pick_channel(rng);
    let past = |t: DateTime<Utc>| (t <= now).then_some(t);
    // Each step happens some time after the one before, if that time has come.
    let dispatched_at = past(submitted_at + rng.minutes(5.0, 36.0 * 60.0));
    let claimed_at = dispatched_at.and_then(|d| past(d + rng.minutes(10.0, 40.0 * 60.0)));
    let completed_at = claimed_at
        .filter(|_| !rng.chance(0.03))
        .and_then(|c| past(c + rng.minutes(60.0, it.days as f64 * 1.3 * 24.0 * 60.0)));
    let rating = completed_at.filter(|_| rng.chance(0.7)).and_then(|c| {
        let at = past(c + rng.minutes(30.0, 4.0 * 24.0 * 60.0))?;
        let resolved = rng.chance(0.85);
        let satisfaction = match rng.below(100) {
            0..75 => "satisfied",
            75..90 => "basically_satisfied",
            _ => "dissatisfied",
        };
        Some((at, resolved, satisfaction))
    });
    let status = match (dispatched_at, claimed_at, completed_at, rating) {
        (_, _, _, Some(_)) => "rated",
        (_, _, Some(c), None) if now - c > Duration::days(15) => "archived",
        (_, _, Some(_), None) => "completed",
        (_, Some(_), None, _) if rng.chance(0.02) => "return_requested",
        (_, Some(c), None, _) if now - c > Duration::hours(2) => "in_progress",
        (_, Some(_), None, _) => "claimed",
        (Some(_), None, None, _) => "dispatched",
        _ if rng.chance(0.01) => "withdrawn",
        _ => "accepted",
    };
    let updated_at = [dispatched_at, claimed_at, completed_at, rating.map(|r| r.0)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(submitted_at);
    let contact = (!rng.chance(0.08)).then(|| {
        let name = format!(
            "{}{}",
            SURNAMES[rng.below(SURNAMES.len())],
            GIVEN[rng.below(GIVEN.len())]
        );
        let phone = format!("13{}{:08}", rng.below(10), rng.below(100_000_000));
        (name, phone)
    });
    let description = format!(
        "{}{}附近{}，{}",
        WHEN[rng.below(WHEN.len())],
        PLACES[rng.below(PLACES.len())],
        it.name_zh,
        ASK[rng.below(ASK.len())]
    );
    Case {
        case_id: 0,
        number: String::new(),
        token: String::new(),
        lookup_code: format!("{:08}", rng.below(100_000_000)),
        channel,
        status,
        item,
        community,
        description,
        address: format!("{}号楼{}单元", 1 + rng.below(30), 1 + rng.below(6)),
        hide_identity: contact.is_some() && rng.chance(0.1),
        contact,
        submitted_at,
        deadline_at,
        dispatched_at,
        claimed_at,
        completed_at,
        rating,
        updated_at,
    }
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The timeline of a case: (status, actor, unit, at).
fn events(
    case: &Case,
    unit: &str,
) -> Vec<(&'static str, &'static str, Option<String>, DateTime<Utc>)> {
    let mut out = vec![
        ("submitted", "resident", None, case.submitted_at),
        ("accepted", "system", None, case.submitted_at),
    ];
    if let Some(at) = case.dispatched_at {
        out.push(("dispatched", "dispatcher", Some(unit.to_owned()), at));
    }
    if let Some(at) = case.claimed_at {
        out.push(("claimed", "unit_handler", Some(unit.to_owned()), at));
    }
    if let Some(at) = case.completed_at {
        out.push(("completed", "unit_handler", Some(unit.to_owned()), at));
    }
    if let Some((at, _, _)) = case.rating {
        out.push(("rated", "resident", None, at));
    }
    if case.status == "withdrawn" {
        out.push(("withdrawn", "resident", None, case.updated_at));
    }
    out
}

/// Writes one batch of cases and their timelines on either back end.
macro_rules! write_batch {
    ($tx:expr, $db:ty, $cases:expr, $items:expr, $communities:expr, $overriding:expr) => {{
        let cases: &[Case] = $cases;
        for chunk in cases.chunks(CASES_PER_STATEMENT) {
            let mut q: QueryBuilder<$db> = QueryBuilder::new(String::from(
                "INSERT INTO \"case\" (case_id, case_number, idempotency_key_hash, lookup_code, \
                 channel, status, category_id, community_id, description, address, contact_name, \
                 contact_phone, tier, submitted_at, accepted_at, deadline_at, access_token_hash, \
                 unit_id, catalog_item_id, dispatched_at, claimed_at, completed_at, reply, \
                 rated_at, rating_resolved, rating_satisfaction, anonymous, hide_identity, \
                 updated_at) ",
            ) + $overriding);
            q.push_values(chunk, |mut row, c| {
                let item: &Item = &$items[c.item];
                let dispatched = c.dispatched_at.is_some();
                row.push_bind(c.case_id)
                    .push_bind(c.number.clone())
                    .push_bind(format!("generated-{}", c.number))
                    .push_bind(c.lookup_code.clone())
                    .push_bind(c.channel)
                    .push_bind(c.status)
                    .push_bind(item.category_id.clone())
                    .push_bind($communities[c.community].clone())
                    .push_bind(c.description.clone())
                    .push_bind(c.address.clone())
                    .push_bind(c.contact.as_ref().map(|(n, _)| n.clone()))
                    .push_bind(c.contact.as_ref().map(|(_, p)| p.clone()).unwrap_or_default())
                    .push_bind(item.tier)
                    .push_bind(c.submitted_at)
                    .push_bind(c.submitted_at)
                    .push_bind(c.deadline_at)
                    .push_bind(sha256_hex(&c.token))
                    .push_bind(dispatched.then(|| item.unit_id.clone()))
                    .push_bind(dispatched.then(|| item.id.clone()))
                    .push_bind(c.dispatched_at)
                    .push_bind(c.claimed_at)
                    .push_bind(c.completed_at)
                    .push_bind(c.completed_at.map(|_| "已处理，请查看。".to_owned()))
                    .push_bind(c.rating.map(|r| r.0))
                    .push_bind(c.rating.map(|r| r.1))
                    .push_bind(c.rating.map(|r| r.2))
                    .push_bind(c.contact.is_none())
                    .push_bind(c.hide_identity)
                    .push_bind(c.updated_at);
            });
            q.build().execute(&mut *$tx).await?;
        }
        let all: Vec<(i64, &'static str, &'static str, Option<String>, DateTime<Utc>)> = cases
            .iter()
            .flat_map(|c| {
                events(c, &$items[c.item].unit_id)
                    .into_iter()
                    .map(move |(s, a, u, at)| (c.case_id, s, a, u, at))
            })
            .collect();
        for chunk in all.chunks(EVENTS_PER_STATEMENT) {
            let mut q: QueryBuilder<$db> = QueryBuilder::new(
                "INSERT INTO case_event (case_id, status, actor, unit_id, at, kind) ",
            );
            q.push_values(chunk, |mut row, (id, s, a, u, at)| {
                row.push_bind(*id)
                    .push_bind(*s)
                    .push_bind(*a)
                    .push_bind(u.clone())
                    .push_bind(*at)
                    .push_bind("transition");
            });
            q.build().execute(&mut *$tx).await?;
        }
    }};
}

/// Numbers the cases day by day after the serials the database already used, writes them in
/// large transactions, moves the day counters on, and writes the sample.
macro_rules! generate {
    ($pool:expr, $db:ty, $args:expr, $items:expr, $communities:expr, $times:expr, $rng:expr,
     $now:expr, $overriding:expr, $after:expr) => {{
        let pool = &$pool;
        let (max_id,): (Option<i64>,) = sqlx::query_as("SELECT MAX(case_id) FROM \"case\"")
            .fetch_one(pool)
            .await?;
        let mut next_id = max_id.unwrap_or(0) + 1;
        let mut serials: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        let used: Vec<(NaiveDate, i64)> =
            sqlx::query_as("SELECT day, last_serial FROM case_number_counter")
                .fetch_all(pool)
                .await?;
        serials.extend(used);
        let mut sample = Vec::new();
        let sample_every = ($args.cases / SAMPLE_SIZE).max(1);
        let mut written = 0usize;
        for chunk in $times.chunks(CASES_PER_TRANSACTION) {
            let mut cases: Vec<Case> = Vec::with_capacity(chunk.len());
            for &at in chunk {
                let mut case = make_case(&mut $rng, &$items, &$communities, at, $now);
                let day = at.with_timezone(&city_offset()).date_naive();
                let serial = serials.entry(day).or_insert(0);
                *serial += 1;
                case.case_id = next_id;
                next_id += 1;
                case.number = format!("{}{:06}", day.format("%Y%m%d"), serial);
                case.token = format!("bench-{}-{:016x}", case.number, $rng.next());
                if written % sample_every == sample_every / 2 && sample.len() < SAMPLE_SIZE {
                    sample.push(format!(
                        "{},{},{}",
                        case.number, case.token, case.lookup_code
                    ));
                }
                written += 1;
                cases.push(case);
            }
            let mut tx = pool.begin().await?;
            write_batch!(tx, $db, &cases, $items, $communities, $overriding);
            tx.commit().await?;
            eprintln!("yousu-generate: {written} / {}", $args.cases);
        }
        let mut tx = pool.begin().await?;
        for (day, serial) in &serials {
            sqlx::query(
                "INSERT INTO case_number_counter (day, last_serial) VALUES ($1, $2) \
                 ON CONFLICT (day) DO UPDATE SET last_serial = excluded.last_serial",
            )
            .bind(*day)
            .bind(*serial)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        if let Some(sql) = $after {
            sqlx::query(sql).execute(pool).await?;
        }
        if let Some(path) = &$args.sample {
            std::fs::write(path, sample.join("\n") + "\n")
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
        }
    }};
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args().map_err(anyhow::Error::msg)?;
    let started = Instant::now();
    // Create and migrate exactly as the server does, and load the demo catalogue if empty.
    {
        let store = store::connect(&args.database).await?;
        demo::load_if_empty(&*store).await?;
    }
    let data = DemoData::xining();
    let items: Vec<Item> = data
        .categories
        .iter()
        .flat_map(|c| {
            c.items.iter().map(|i| Item {
                id: i.id.clone(),
                category_id: c.id.clone(),
                unit_id: i.unit_id.clone(),
                tier: i.tier.as_str(),
                days: tier_days(i.tier.as_str()),
                name_zh: i.name_zh.clone(),
            })
        })
        .collect();
    let communities: Vec<String> = data
        .districts
        .iter()
        .flat_map(|d| &d.subdistricts)
        .flat_map(|s| &s.communities)
        .map(|c| c.id.clone())
        .collect();

    let now = Utc::now();
    let span = Duration::days(30 * i64::from(args.months));
    // Cases end a day ago, so today's serials stay free for the submissions of the benchmark.
    let end = now - Duration::days(1);
    let start = end - span;
    let mut rng = Rng(args.seed);
    let mut times: Vec<DateTime<Utc>> = (0..args.cases)
        .map(|_| submission_time(&mut rng, start, span.num_seconds()))
        .collect();
    times.sort();

    match &args.database {
        DatabaseUrl::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                // Generated data can be generated again: no need to wait for the disk.
                .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(options)
                .await?;
            generate!(
                pool,
                sqlx::Sqlite,
                args,
                items,
                communities,
                times,
                rng,
                now,
                "",
                None::<&str>
            );
        }
        DatabaseUrl::Postgres(url) => {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect(url)
                .await?;
            // Ids are given explicitly, so the identity must then continue after them.
            let after = "SELECT setval(pg_get_serial_sequence('\"case\"', 'case_id'), \
                         (SELECT MAX(case_id) FROM \"case\"))";
            generate!(
                pool,
                sqlx::Postgres,
                args,
                items,
                communities,
                times,
                rng,
                now,
                "OVERRIDING SYSTEM VALUE ",
                Some(after)
            );
        }
    }
    eprintln!(
        "yousu-generate: {} cases in {:.1} s",
        args.cases,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

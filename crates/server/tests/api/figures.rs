//! The monthly evaluation and the public figures: a month of a few thousand generated cases,
//! checked against counts made here, independently of the server's code.

use chrono::{DateTime, Duration, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use yousu_server::DatabaseUrl;

use crate::helpers::{Backend, TestApp, expect};

mod counters;

crate::on_both_backends!(
    monthly_rates_match_an_independent_count_of_a_generated_month,
    the_chain_shows_in_this_months_figures,
);

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Generated {
    unit: &'static str,
    dispatched: DateTime<Utc>,
    claimed: Option<DateTime<Utc>>,
    deadline: DateTime<Utc>,
    completed: Option<DateTime<Utc>>,
    rating: Option<(DateTime<Utc>, bool, &'static str)>,
}

const UNITS: [&str; 3] = ["ecology", "urban-management", "traffic-police"];

fn generate(count: usize) -> Vec<Generated> {
    let mut dice = Dice(0x5EED_2026_1126);
    let base = Utc.with_ymd_and_hms(2026, 8, 20, 0, 0, 0).unwrap();
    (0..count)
        .map(|_| {
            let dispatched = base + Duration::minutes(dice.below(45 * 24 * 60) as i64);
            let deadline = dispatched + Duration::days(7);
            let claimed = (dice.below(10) < 8)
                .then(|| dispatched + Duration::minutes(dice.below(40 * 60) as i64));
            let completed = claimed
                .filter(|_| dice.below(10) < 7)
                .map(|c| c + Duration::minutes(dice.below(9 * 24 * 60) as i64));
            let rating = completed.filter(|_| dice.below(10) < 6).map(|c| {
                let satisfaction =
                    ["satisfied", "basically_satisfied", "dissatisfied"][dice.below(3) as usize];
                (
                    c + Duration::hours(dice.below(72) as i64),
                    dice.below(4) > 0,
                    satisfaction,
                )
            });
            Generated {
                unit: UNITS[dice.below(3) as usize],
                dispatched,
                claimed,
                deadline,
                completed,
                rating,
            }
        })
        .collect()
}

const INSERT: &str = "INSERT INTO \"case\" (case_number, idempotency_key_hash, lookup_code, \
     channel, status, category_id, community_id, description, contact_phone, tier, \
     submitted_at, accepted_at, deadline_at, unit_id, dispatched_at, claimed_at, completed_at, \
     rated_at, rating_resolved, rating_satisfaction) VALUES ($1, $2, '12345678', 'web', $3, \
     'environment', 'chengzhong-renminjie-nanguanjie', '生成的测试诉求内容', '13800000000', \
     'general', $4, $4, $5, $6, $4, $7, $8, $9, $10, $11)";

macro_rules! insert_all {
    ($conn:expr, $cases:expr) => {{
        let mut tx = $conn.begin().await.unwrap();
        for (i, c) in $cases.iter().enumerate() {
            let status = match (c.rating, c.completed, c.claimed) {
                (Some(_), _, _) => "rated",
                (None, Some(_), _) => "completed",
                (None, None, Some(_)) => "in_progress",
                _ => "dispatched",
            };
            sqlx::query(INSERT)
                .bind(format!("20260901{:06}", i + 1))
                .bind(format!("generated-{i}"))
                .bind(status)
                .bind(c.dispatched)
                .bind(c.deadline)
                .bind(c.unit)
                .bind(c.claimed)
                .bind(c.completed)
                .bind(c.rating.map(|r| r.0))
                .bind(c.rating.map(|r| r.1))
                .bind(c.rating.map(|r| r.2))
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }};
}

async fn insert_generated(database: &DatabaseUrl, cases: &[Generated]) {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let url = format!("sqlite:{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            insert_all!(conn, cases);
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            insert_all!(conn, cases);
        }
    }
}

async fn monthly_rates_match_an_independent_count_of_a_generated_month(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases = generate(3000);
    insert_generated(&app.database, &cases).await;

    // September 2026 in the city (UTC+8), written out rather than computed.
    let start = Utc.with_ymd_and_hms(2026, 8, 31, 16, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 9, 30, 16, 0, 0).unwrap();
    let within = |t: DateTime<Utc>| start <= t && t < end;

    let evaluation = expect(
        app.get("/api/v1/evaluation?month=2026-09").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(evaluation["month"], "2026-09");
    let units = evaluation["units"].as_array().unwrap();
    assert_eq!(units.len(), 3);
    for unit in UNITS {
        let mine: Vec<&Generated> = cases.iter().filter(|c| c.unit == unit).collect();
        let count = |f: &dyn Fn(&Generated) -> bool| mine.iter().filter(|c| f(c)).count() as u64;
        let dispatched = count(&|c| within(c.dispatched));
        let responded = count(&|c| {
            within(c.dispatched)
                && c.claimed
                    .is_some_and(|t| t <= c.dispatched + Duration::hours(24))
        });
        let rated = count(&|c| c.rating.is_some_and(|r| within(r.0)));
        let resolved = count(&|c| c.rating.is_some_and(|r| within(r.0) && r.1));
        let content = count(&|c| {
            c.rating
                .is_some_and(|r| within(r.0) && r.2 != "dissatisfied")
        });
        let completed = count(&|c| c.completed.is_some_and(within));
        let on_time = count(&|c| c.completed.is_some_and(|t| within(t) && t <= c.deadline));
        let overdue = count(&|c| within(c.deadline) && c.completed.is_none_or(|t| t > c.deadline));

        let got = units.iter().find(|u| u["unit_id"] == unit).expect(unit);
        let rate = |name: &str| {
            (
                got[name]["numerator"].as_u64().unwrap(),
                got[name]["denominator"].as_u64().unwrap(),
            )
        };
        assert_eq!(rate("response"), (responded, dispatched), "{unit} response");
        assert_eq!(rate("resolution"), (resolved, rated), "{unit} resolution");
        assert_eq!(
            rate("satisfaction"),
            (content, rated),
            "{unit} satisfaction"
        );
        assert_eq!(rate("on_time"), (on_time, completed), "{unit} on time");
        assert_eq!(got["overdue"], overdue, "{unit} overdue");
        assert!(dispatched > 500, "a realistic month per unit: {dispatched}");
        let value = got["response"]["value"].as_f64().unwrap();
        assert!((value - responded as f64 / dispatched as f64).abs() < 1e-9);
        assert_eq!(got["too_few_cases"], false);
    }
    assert!(
        !evaluation["previous_month"].as_array().unwrap().is_empty(),
        "August is there too"
    );

    let figures = expect(
        app.get("/api/v1/figures?month=2026-09").await,
        StatusCode::OK,
    )
    .await;
    let received = cases.iter().filter(|c| within(c.dispatched)).count() as u64;
    let finished = cases
        .iter()
        .filter(|c| c.completed.is_some_and(within))
        .count() as u64;
    assert_eq!(figures["received"], received);
    assert_eq!(figures["finished"], finished);
    assert_eq!(figures["by_district"][0]["id"], "chengzhong");
    assert_eq!(figures["by_district"][0]["received"], received);
    assert_eq!(
        figures["hot_spots"][0]["id"],
        "chengzhong-renminjie-nanguanjie"
    );

    let bad = app.get("/api/v1/evaluation?month=2026-13").await;
    assert_eq!(
        expect(bad, StatusCode::BAD_REQUEST).await["error"],
        "invalid_month"
    );
}

async fn the_chain_shows_in_this_months_figures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let dispatcher = app.login("dispatcher").await;
    let handler = app.login("handler-ecology").await;
    let dispatch = json!({ "unit_id": "ecology" });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", dispatch)
            .await,
        StatusCode::OK,
    )
    .await;
    for (action, body) in [
        ("claim", json!({})),
        ("complete", json!({ "note": "已处理完毕" })),
    ] {
        expect(
            app.staff_act(&handler, &number, action, body).await,
            StatusCode::OK,
        )
        .await;
    }
    let rating = json!({ "resolved": true, "satisfaction": "satisfied" });
    expect(
        app.resident_act(&receipt.access_token, &number, "rating", rating)
            .await,
        StatusCode::OK,
    )
    .await;

    let evaluation: Value = expect(app.get("/api/v1/evaluation").await, StatusCode::OK).await;
    let ecology = &evaluation["units"][0];
    assert_eq!(ecology["unit_id"], "ecology");
    assert_eq!(ecology["name_zh"], "市生态环境局");
    for rate in ["response", "resolution", "satisfaction", "on_time"] {
        assert_eq!(ecology[rate]["numerator"], 1, "{rate}");
        assert_eq!(ecology[rate]["denominator"], 1, "{rate}");
    }
    assert_eq!(ecology["too_few_cases"], true, "one case says little");
    let figures = expect(app.get("/api/v1/figures").await, StatusCode::OK).await;
    assert_eq!(figures["received"], 1);
    assert_eq!(figures["finished"], 1);
    assert_eq!(figures["on_time"]["value"], 1.0);
    assert_eq!(figures["by_category"][0]["id"], "environment");
    assert!(
        !figures.to_string().contains("1380971"),
        "no personal data in public figures"
    );
}

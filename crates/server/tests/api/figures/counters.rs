//! The monthly evaluation read from its counters (kept by triggers, migration 13) against the
//! same evaluation recounted here from the stored cases and return requests by the core's own
//! definitions, after a varied set of transitions through the API and a few changes of time that
//! only SQL can make.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use yousu_core::rates::{self, CaseOutcome, Month, Rating, RefusedReturn, Satisfaction};
use yousu_server::DatabaseUrl;

use crate::helpers::{Backend, TestApp, city_time, execute_at, expect};

crate::on_both_backends!(
    evaluation_counters_match_a_recount_from_the_cases,
    evaluation_counters_match_a_recount_in_the_first_minutes_of_a_month,
    evaluation_counters_match_a_recount_on_the_last_evening_of_a_month,
);

/// An ordinary morning in the middle of a month.
async fn evaluation_counters_match_a_recount_from_the_cases(backend: Backend) {
    counters_story(TestApp::spawn_at(backend, city_time("2026-12-15T10:00:00")).await).await;
}

/// Just after the city's midnight on the 1st, after a short month: the hours-ago times of the
/// story fall in the month before, and forty days ago is two months back.
async fn evaluation_counters_match_a_recount_in_the_first_minutes_of_a_month(backend: Backend) {
    counters_story(TestApp::spawn_at(backend, city_time("2027-03-01T00:05:00")).await).await;
}

/// Late on the 31st: the story's times all fall in this month, and the next starts in hours.
async fn evaluation_counters_match_a_recount_on_the_last_evening_of_a_month(backend: Backend) {
    counters_story(TestApp::spawn_at(backend, city_time("2026-12-31T22:30:00")).await).await;
}

/// A case submitted through the app and dispatched to `unit`; its number and access token.
async fn dispatched(app: &TestApp, dispatcher: &str, unit: &str) -> (String, String) {
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    expect(
        app.staff_act(dispatcher, &number, "dispatch", json!({ "unit_id": unit }))
            .await,
        StatusCode::OK,
    )
    .await;
    (number, receipt.access_token)
}

async fn act(app: &TestApp, token: &str, number: &str, action: &str, body: Value) {
    expect(
        app.staff_act(token, number, action, body).await,
        StatusCode::OK,
    )
    .await;
}

async fn finish(app: &TestApp, handler: &str, number: &str) {
    act(app, handler, number, "claim", json!({})).await;
    act(
        app,
        handler,
        number,
        "complete",
        json!({ "note": "已处理完毕" }),
    )
    .await;
}

async fn rate(app: &TestApp, token: &str, number: &str, resolved: bool, satisfaction: &str) {
    let rating = json!({ "resolved": resolved, "satisfaction": satisfaction });
    expect(
        app.resident_act(token, number, "rating", rating).await,
        StatusCode::OK,
    )
    .await;
}

/// Sets one time column of a case directly, as only time itself could.
async fn set_time(app: &TestApp, number: &str, column: &str, at: DateTime<Utc>) {
    let sql = format!("UPDATE \"case\" SET {column} = $1 WHERE case_number = '{number}'");
    execute_at(&app.database, &sql, at).await;
}

type OutcomeColumns = (
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<bool>,
    Option<String>,
);

const OUTCOMES: &str = "SELECT unit_id, dispatched_at, claimed_at, deadline_at, completed_at, \
     rated_at, rating_resolved, rating_satisfaction FROM \"case\" WHERE unit_id IS NOT NULL";
const REFUSALS: &str = "SELECT unit_id, decided_at FROM return_request \
     WHERE decision = 'refused' AND decided_at IS NOT NULL";

macro_rules! read_all {
    ($conn:expr) => {{
        let outcomes: Vec<OutcomeColumns> = sqlx::query_as(OUTCOMES)
            .fetch_all(&mut $conn)
            .await
            .unwrap();
        let refusals: Vec<(String, DateTime<Utc>)> = sqlx::query_as(REFUSALS)
            .fetch_all(&mut $conn)
            .await
            .unwrap();
        (outcomes, refusals)
    }};
}

/// Every stored outcome and refusal, straight from the rows.
async fn stored(database: &DatabaseUrl) -> (Vec<CaseOutcome>, Vec<RefusedReturn>) {
    let (outcomes, refusals) = match database {
        DatabaseUrl::Sqlite(path) => {
            let url = format!("sqlite:{}", path.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            read_all!(conn)
        }
        DatabaseUrl::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            read_all!(conn)
        }
    };
    let outcomes = outcomes
        .into_iter()
        .filter_map(
            |(unit_id, dispatched, claimed, deadline, completed, rated, resolved, satisfaction)| {
                let rating = match (rated, resolved, satisfaction) {
                    (Some(at), Some(resolved), Some(s)) => Some((
                        at,
                        Rating {
                            resolved,
                            satisfaction: Satisfaction::parse(&s).unwrap(),
                        },
                    )),
                    _ => None,
                };
                Some(CaseOutcome {
                    unit_id,
                    dispatched_at: dispatched?,
                    claimed_at: claimed,
                    deadline_at: deadline?,
                    completed_at: completed,
                    rating,
                })
            },
        )
        .collect();
    let refusals = refusals
        .into_iter()
        .map(|(unit_id, decided_at)| RefusedReturn {
            unit_id,
            decided_at,
        })
        .collect();
    (outcomes, refusals)
}

/// unit id → its counts, as the API gives them.
fn counts_of(units: &Value) -> Vec<(String, Value)> {
    units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit_id"].as_str().unwrap().to_owned(),
                u["counts"].clone(),
            )
        })
        .collect()
}

async fn counters_story(app: TestApp) {
    let dispatcher = app.login("dispatcher").await;
    let ecology = app.login("handler-ecology").await;
    let urban = app.login("handler-urban").await;
    let now = app.now();

    // Claimed in time, completed, satisfied and resolved.
    let (a, a_token) = dispatched(&app, &dispatcher, "ecology").await;
    finish(&app, &ecology, &a).await;
    rate(&app, &a_token, &a, true, "satisfied").await;

    // Claimed 30 hours after its dispatch: late for the 24-hour response limit.
    let (b, b_token) = dispatched(&app, &dispatcher, "ecology").await;
    set_time(&app, &b, "dispatched_at", now - Duration::hours(30)).await;
    finish(&app, &ecology, &b).await;
    rate(&app, &b_token, &b, false, "basically_satisfied").await;

    // Dissatisfied, reopened, claimed and completed again, and rated again.
    let (c, c_token) = dispatched(&app, &dispatcher, "urban-management").await;
    finish(&app, &urban, &c).await;
    rate(&app, &c_token, &c, false, "dissatisfied").await;
    expect(
        app.resident_act(&c_token, &c, "reopen", json!({ "note": "还是没有解决" }))
            .await,
        StatusCode::OK,
    )
    .await;
    finish(&app, &urban, &c).await;
    rate(&app, &c_token, &c, true, "basically_satisfied").await;

    // A return request the joint review refuses: the case stays with its unit.
    let (d, _) = dispatched(&app, &dispatcher, "ecology").await;
    act(&app, &ecology, &d, "claim", json!({})).await;
    let reason = json!({ "note": "油烟属市场监管部门职责" });
    act(&app, &ecology, &d, "return-request", reason).await;
    let refuse = json!({ "decision": "refuse", "note": "餐饮油烟由生态环境部门负责" });
    act(&app, &dispatcher, &d, "return-decision", refuse).await;

    // Overdue: its deadline passed with nothing done; another completed after its deadline.
    let (e, _) = dispatched(&app, &dispatcher, "urban-management").await;
    set_time(&app, &e, "deadline_at", now - Duration::hours(2)).await;
    let (f, f_token) = dispatched(&app, &dispatcher, "ecology").await;
    set_time(&app, &f, "deadline_at", now - Duration::hours(1)).await;
    finish(&app, &ecology, &f).await;
    rate(&app, &f_token, &f, false, "dissatisfied").await;

    // Dispatched and due last month, never claimed: counts there, not in this month. Placed from
    // the start of the city's month, so it is last month on any day (forty days ago is not).
    let (g, _) = dispatched(&app, &dispatcher, "ecology").await;
    let this_month = Month::of(now).start();
    set_time(&app, &g, "dispatched_at", this_month - Duration::days(10)).await;
    set_time(&app, &g, "deadline_at", this_month - Duration::days(3)).await;

    let evaluation = expect(app.get("/api/v1/evaluation").await, StatusCode::OK).await;
    let month = Month::parse(evaluation["month"].as_str().unwrap()).unwrap();
    assert_eq!(month, Month::of(now), "the story ran within one month");
    let (outcomes, refusals) = stored(&app.database).await;
    let limit = Duration::hours(24);
    let mut seen = rates::UnitCounts::default();
    for (month, key) in [(month, "units"), (month.previous(), "previous_month")] {
        let recounted: Vec<(String, Value)> = rates::tally(&outcomes, &refusals, month, limit)
            .into_iter()
            .map(|(unit, counts)| {
                seen.dispatched += counts.dispatched;
                seen.responded_in_time += counts.responded_in_time;
                seen.rated += counts.rated;
                seen.resolved += counts.resolved;
                seen.satisfied += counts.satisfied;
                seen.basically_satisfied += counts.basically_satisfied;
                seen.dissatisfied += counts.dissatisfied;
                seen.completed_on_time += counts.completed_on_time;
                seen.completed += counts.completed;
                seen.overdue += counts.overdue;
                seen.refused_returns += counts.refused_returns;
                (unit, serde_json::to_value(counts).unwrap())
            })
            .collect();
        assert_eq!(
            counts_of(&evaluation[key]),
            recounted,
            "{key}: the counters against a recount from the cases"
        );
    }
    // The story reached every counter, so a counter the triggers got wrong would show above.
    assert!(seen.dispatched >= 7 && seen.responded_in_time < seen.dispatched);
    assert!(seen.rated >= 3 && seen.resolved >= 1 && seen.resolved < seen.rated);
    assert!(seen.satisfied >= 1 && seen.basically_satisfied >= 1 && seen.dissatisfied >= 1);
    assert!(seen.completed_on_time >= 1 && seen.completed_on_time < seen.completed);
    assert!(seen.overdue >= 2 && seen.refused_returns == 1, "{seen:?}");
}

//! A deployment's own clock rules: a working-day policy and a holiday calendar set the deadlines
//! and the supervision nodes the resident sees.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yousu_core::TimeTier;
use yousu_core::deadline::{Calendar, ClockRules, DeadlinePolicy};

use crate::helpers::{Backend, TempDir, TestApp, expect, fresh_database};

crate::on_both_backends!(working_day_policy_and_calendar_set_deadlines_and_nodes);

async fn working_day_policy_and_calendar_set_deadlines_and_nodes(backend: Backend) {
    let dir = TempDir::new("rules");
    let policy = json!({
        "urgent": { "days": 1, "count": "natural" },
        "general": { "days": 5, "count": "working" },
        "complex": { "days": 15, "count": "working" },
        "difficult": { "days": 30, "count": "natural" },
        "response_limit_hours": 12
    });
    // Every day of the next fortnight is a holiday, and a later day is worked, counted from the
    // city's date of the server's clock (a Tuesday morning).
    let start = crate::helpers::city_time("2026-12-08T09:30:00");
    let today = start
        .with_timezone(&yousu_core::case::city_offset())
        .date_naive();
    let mut lines = String::from("# test calendar\n");
    for offset in 1..=14 {
        let day = today + chrono::Duration::days(offset);
        lines.push_str(&format!("{day} holiday\n"));
    }
    let worked = today + chrono::Duration::days(20);
    lines.push_str(&format!("{worked} workday\n"));
    std::fs::write(dir.0.join("policy.json"), policy.to_string()).unwrap();
    std::fs::write(dir.0.join("calendar.txt"), &lines).unwrap();

    let mut config = TestApp::config(fresh_database(backend, &dir.0).await, dir.0.join("dist"), 0);
    config.deadline_policy = Some(dir.0.join("policy.json"));
    config.calendar = Some(dir.0.join("calendar.txt"));
    config.clock_start = Some(start);
    let app = TestApp::spawn_with_config(config, TempDir::new("rules-app")).await;

    let receipt: Value = expect(
        app.post_case(
            Some(&crate::helpers::new_key()),
            &crate::helpers::valid_case(),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let accepted: DateTime<Utc> = serde_json::from_value(receipt["accepted_at"].clone()).unwrap();
    let deadline: DateTime<Utc> = serde_json::from_value(receipt["deadline_at"].clone()).unwrap();
    let rules = ClockRules {
        policy: serde_json::from_value::<DeadlinePolicy>(policy).unwrap(),
        calendar: Calendar::parse(&lines).unwrap(),
        superseded: Vec::new(),
    };
    assert_eq!(deadline, rules.deadline(TimeTier::General, accepted));
    assert!(
        deadline - accepted > chrono::Duration::days(14),
        "five working days after a fortnight of holidays"
    );
    let nodes = receipt["nodes"].as_array().unwrap();
    let kinds: Vec<&str> = nodes.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["response", "half_time", "day_before_due", "due"]);
    let response: DateTime<Utc> = serde_json::from_value(nodes[0]["at"].clone()).unwrap();
    assert_eq!(response - accepted, chrono::Duration::hours(12));
    let due: DateTime<Utc> = serde_json::from_value(nodes[3]["at"].clone()).unwrap();
    assert_eq!(due, deadline);
}

#[tokio::test]
async fn a_broken_calendar_stops_the_server_with_the_line_at_fault() {
    let dir = TempDir::new("bad-rules");
    std::fs::write(
        dir.0.join("calendar.txt"),
        "2026-10-01 holiday\n2026-10-32 holiday\n",
    )
    .unwrap();
    let mut config = TestApp::config(
        yousu_server::DatabaseUrl::Sqlite(dir.0.join("yousu.db")),
        dir.0.join("dist"),
        0,
    );
    config.calendar = Some(dir.0.join("calendar.txt"));
    let error = yousu_server::Application::build(config)
        .await
        .err()
        .expect("refused");
    let message = format!("{error:#}");
    assert!(message.contains("line 2"), "{message}");
}

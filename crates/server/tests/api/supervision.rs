//! Supervision nodes: planned at dispatch, fired from the database's state — once, whoever is
//! running, and after a restart too.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TempDir, TestApp, count, execute_at, expect, fresh_database};

crate::on_both_backends!(missed_nodes_fire_once_after_a_restart_whichever_instances_run);

/// (case number, node kind, outcome) of every fired node a supervisor sees.
async fn fired(app: &TestApp, token: &str) -> BTreeSet<(String, String, String)> {
    let list = expect(
        app.staff_get(token, "/api/v1/staff/supervision").await,
        StatusCode::OK,
    )
    .await;
    list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let text = |key: &str| n[key].as_str().unwrap().to_owned();
            (text("case_number"), text("kind"), text("outcome"))
        })
        .collect()
}

async fn missed_nodes_fire_once_after_a_restart_whichever_instances_run(backend: Backend) {
    let dir = TempDir::new("supervision");
    let database = fresh_database(backend, &dir.0).await;
    let dist = dir.0.join("dist");
    // This instance's scheduler is off: it stands for a platform that was down.
    let down =
        TestApp::spawn_with_scheduler(database.clone(), dist.clone(), TempDir::new("s0"), 0).await;
    let dispatcher = down.login("dispatcher").await;
    let handler = down.login("handler-ecology").await;
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let number = down.submit_valid_case().await.case.case_number.to_string();
        let body = json!({ "unit_id": "ecology" });
        expect(
            down.staff_act(&dispatcher, &number, "dispatch", body).await,
            StatusCode::OK,
        )
        .await;
        numbers.push(number);
    }
    let (unclaimed, claimed) = (numbers[0].clone(), numbers[1].clone());
    expect(
        down.staff_act(&handler, &claimed, "claim", json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        count(&database, "SELECT COUNT(*) FROM supervision_node").await,
        8,
        "four nodes planned per dispatched case"
    );
    // All eight fall due while nothing runs.
    let past = Utc::now() - chrono::Duration::minutes(5);
    execute_at(&database, "UPDATE supervision_node SET due_at = $1", past).await;
    let supervisor = down.login("supervisor").await;
    assert!(fired(&down, &supervisor).await.is_empty());

    // The platform comes back as two instances, both with their schedulers on.
    let first =
        TestApp::spawn_with_scheduler(database.clone(), dist.clone(), TempDir::new("s1"), 1).await;
    let second = TestApp::spawn_with_scheduler(database.clone(), dist, TempDir::new("s2"), 1).await;
    let all_fired = "SELECT COUNT(*) FROM supervision_node WHERE fired_at IS NOT NULL";
    for _ in 0..50 {
        if count(&database, all_fired).await == 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Two more ticks of each: nothing fires twice.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert_eq!(count(&database, all_fired).await, 8);

    let expected: BTreeSet<(String, String, String)> = [
        (&unclaimed, "response", "reminded"),
        (&unclaimed, "half_time", "reminded"),
        (&unclaimed, "day_before_due", "reminded"),
        (&unclaimed, "due", "escalated"),
        // Claimed in time: no response reminder.
        (&claimed, "half_time", "reminded"),
        (&claimed, "day_before_due", "reminded"),
        (&claimed, "due", "escalated"),
    ]
    .into_iter()
    .map(|(n, k, o)| (n.clone(), k.to_owned(), o.to_owned()))
    .collect();
    assert_eq!(fired(&first, &supervisor).await, expected);
    assert_eq!(
        fired(&second, &handler).await,
        expected,
        "the unit sees its own"
    );
    let urban = second.login("handler-urban").await;
    assert!(
        fired(&second, &urban).await.is_empty(),
        "and no other unit does"
    );
    let dispatcher_view = second
        .staff_get(&dispatcher, "/api/v1/staff/supervision")
        .await;
    expect(dispatcher_view, StatusCode::FORBIDDEN).await;
    let overdue = "SELECT COUNT(*) FROM \"case\" WHERE overdue";
    assert_eq!(
        count(&database, overdue).await,
        2,
        "the due node marks cases overdue"
    );
}

//! Supervision notices (督办单), whistles (吹哨报到), staff intake and the live wall figures.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::handling::dispatched_case;
use crate::helpers::{Backend, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    a_notice_goes_to_the_cases_unit_which_acknowledges_it_once,
    summoned_units_report_and_the_case_shows_who_has_not,
    an_operator_enters_a_hotline_appeal_with_its_channel,
    the_wall_screen_is_pushed_each_submission_without_asking,
);

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn a_notice_goes_to_the_cases_unit_which_acknowledges_it_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, _, dispatcher) = dispatched_case(&app).await;
    let supervisor = app.login("supervisor").await;
    let path = format!("/api/v1/staff/cases/{number}/notices");
    let order = json!({ "note": "请于明日12时前联系诉求人并反馈处理进展" });
    let refused = post(&app, &dispatcher, &path, order.clone()).await;
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "only supervisors issue notices"
    );
    let empty = post(&app, &supervisor, &path, json!({ "note": " " })).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let notice = expect(
        post(&app, &supervisor, &path, order).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(notice["unit_id"], "ecology");
    assert!(notice.get("acknowledged_at").is_none());
    let id = notice["notice_id"].as_i64().unwrap();

    let urban = app.login("handler-urban").await;
    let ack = format!("/api/v1/staff/notices/{id}/acknowledge");
    let wrong_unit = post(&app, &urban, &ack, json!({})).await;
    assert_eq!(
        wrong_unit.status(),
        StatusCode::NOT_FOUND,
        "another unit's notice"
    );
    let mine = expect(
        app.staff_get(&urban, "/api/v1/staff/notices").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["notices"], json!([]));

    let ecology = app.login("handler-ecology").await;
    let pending = expect(
        app.staff_get(&ecology, "/api/v1/staff/notices?pending=true")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(pending["notices"][0]["notice_id"], id);
    let done = expect(post(&app, &ecology, &ack, json!({})).await, StatusCode::OK).await;
    assert_eq!(done["acknowledged_by"], "handler-ecology");
    let again = post(&app, &ecology, &ack, json!({})).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let all = expect(
        app.staff_get(&supervisor, "/api/v1/staff/notices").await,
        StatusCode::OK,
    )
    .await;
    assert!(all["notices"][0]["acknowledged_at"].is_string());
    let none_pending = expect(
        app.staff_get(&supervisor, "/api/v1/staff/notices?pending=true")
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none_pending["notices"], json!([]));

    let undispatched = app.submit_valid_case().await.case.case_number.to_string();
    let early = post(
        &app,
        &supervisor,
        &format!("/api/v1/staff/cases/{undispatched}/notices"),
        json!({ "note": "先派单" }),
    )
    .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
}

async fn summoned_units_report_and_the_case_shows_who_has_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, _, dispatcher) = dispatched_case(&app).await;
    let path = format!("/api/v1/staff/cases/{number}/whistle");
    let whistle = json!({
        "subdistrict_id": "chengzhong-renminjie",
        "unit_ids": ["ecology", "urban-management"],
        "note": "油烟直排涉及占道经营，请生态环境、城管到场",
        "limit_hours": 12,
    });
    let bad =
        json!({ "subdistrict_id": "nowhere", "unit_ids": [], "note": "", "limit_hours": 999 });
    let body = expect(
        post(&app, &dispatcher, &path, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["subdistrict_id", "unit_ids", "limit_hours", "note"]
    );
    let blown = expect(
        post(&app, &dispatcher, &path, whistle).await,
        StatusCode::CREATED,
    )
    .await;
    let id = blown["whistle_id"].as_i64().unwrap();
    let blown_at: chrono::DateTime<chrono::Utc> =
        blown["blown_at"].as_str().unwrap().parse().unwrap();
    let report_by: chrono::DateTime<chrono::Utc> =
        blown["report_by"].as_str().unwrap().parse().unwrap();
    assert_eq!(report_by - blown_at, chrono::Duration::hours(12));
    assert_eq!(blown["reports"].as_array().unwrap().len(), 2);

    let urban = app.login("handler-urban").await;
    let summoned = expect(
        app.staff_get(&urban, "/api/v1/staff/whistles").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        summoned["whistles"][0]["whistle_id"], id,
        "a summoned unit sees the whistle"
    );
    let report = format!("/api/v1/staff/whistles/{id}/report");
    let empty = post(&app, &urban, &report, json!({ "note": "" })).await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let part = json!({ "note": "城管负责清理占道摊点，今晚到场" });
    let after = expect(
        post(&app, &urban, &report, part.clone()).await,
        StatusCode::OK,
    )
    .await;
    let reports = after["reports"].as_array().unwrap();
    let of = |unit: &str| {
        reports
            .iter()
            .find(|r| r["unit_id"] == unit)
            .unwrap()
            .clone()
    };
    assert_eq!(of("urban-management")["reported_by"], "handler-urban");
    assert!(
        of("ecology").get("reported_at").is_none(),
        "ecology has not reported yet"
    );
    let twice = post(&app, &urban, &report, part).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT);

    let operator = app.login("operator").await;
    let not_summoned = post(&app, &operator, &report, json!({ "note": "x" })).await;
    assert_eq!(not_summoned.status(), StatusCode::FORBIDDEN);
    let on_case = expect(
        app.staff_get(
            &dispatcher,
            &format!("/api/v1/staff/cases/{number}/whistles"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        on_case["whistles"][0]["reports"].as_array().unwrap().len(),
        2
    );
    let waiting = expect(
        app.staff_get(&dispatcher, "/api/v1/staff/whistles").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        waiting["whistles"][0]["whistle_id"], id,
        "still waiting for ecology"
    );
}

async fn an_operator_enters_a_hotline_appeal_with_its_channel(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let mut call = valid_case();
    call["channel"] = json!("hotline");
    let enter = |token: String, body: Value, key: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/staff/cases"))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let key = new_key();
    let receipt = expect(
        enter(operator.clone(), call.clone(), key.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(receipt["channel"], "hotline");
    assert_eq!(receipt["timeline"][0]["actor"], "operator");
    let replay = enter(operator.clone(), call.clone(), key).await;
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let mut no_channel = call.clone();
    no_channel["channel"] = Value::Null;
    let body = expect(
        enter(operator.clone(), no_channel, new_key()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["fields"][0]["field"], "channel");
    let handler = app.login("handler-ecology").await;
    let refused = enter(handler, call.clone(), new_key()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Residents still cannot claim a staff channel through their own door.
    let resident = app.post_case(Some(&new_key()), &call).await;
    assert_eq!(resident.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_wall_screen_is_pushed_each_submission_without_asking(backend: Backend) {
    // Midday, so "today" is one day from the first figures to the last whatever the hour.
    let app = TestApp::spawn_at(backend, crate::helpers::city_time("2026-12-08T12:00:00")).await;
    let supervisor = app.login("supervisor").await;
    let today = expect(
        app.staff_get(&supervisor, "/api/v1/staff/live/today").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(today["received_today"], 0);
    let anonymous = app.get("/api/v1/staff/live").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let mut stream = app
        .client
        .get(app.url("/api/v1/staff/live"))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap();
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut seen = String::new();
    let mut next_figures = async || -> Value {
        loop {
            if let Some(end) = seen.find("\n\n") {
                let event: String = seen.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                    assert!(event.contains("event: figures"), "{event}");
                    return serde_json::from_str(data).unwrap();
                }
                continue;
            }
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    let first = next_figures().await;
    assert_eq!(first["received_today"], 0);
    app.submit_valid_case().await;
    // Pushed within a second by design; the generous bound only keeps a loaded machine from
    // failing the test (speed is the benchmark's to measure).
    let pushed = tokio::time::timeout(Duration::from_secs(20), next_figures())
        .await
        .expect("pushed without asking");
    assert_eq!(pushed["received_today"], 1);
    assert_eq!(pushed["open_now"], 1);
    assert_eq!(pushed["by_category"][0]["id"], "environment");
    assert_eq!(
        pushed["hot_spots"][0]["id"],
        "chengzhong-renminjie-nanguanjie"
    );
}

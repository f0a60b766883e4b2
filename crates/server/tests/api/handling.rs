//! The chain behind a case — dispatch, claim, handle, complete, rate, reopen, return requests —
//! through HTTP, with every role's permissions and refusals.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, expect};

crate::on_both_backends!(
    a_case_runs_the_whole_chain_and_its_timeline_tells_it,
    dispatch_item_sets_the_tier_and_the_deadline,
    refused_return_request_leaves_the_case_with_its_unit,
    redispatched_case_moves_to_the_new_unit_and_out_of_the_old_ones_reach,
    a_dissatisfied_resident_may_reopen_once,
    a_satisfied_rating_cannot_reopen,
    the_resident_may_withdraw_only_until_claimed,
    illegal_moves_are_refused_with_409_and_nothing_changes,
    every_role_may_do_only_its_part,
    signing_in_and_out,
    two_claims_at_once_succeed_once,
    staff_lists_are_scoped_by_role,
    a_unit_notes_progress_that_the_resident_reads,
);

/// Submits a case and dispatches it to the ecology bureau; returns (case number, access token,
/// dispatcher token).
pub async fn dispatched_case(app: &TestApp) -> (String, String, String) {
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let dispatcher = app.login("dispatcher").await;
    let body = json!({ "unit_id": "ecology", "catalog_item_id": "environment-cooking-fumes" });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", body).await,
        StatusCode::OK,
    )
    .await;
    (number, receipt.access_token, dispatcher)
}

/// Takes a dispatched case through claim and completion as the ecology handler.
pub async fn complete(app: &TestApp, number: &str, handler: &str) {
    for (action, body) in [
        ("claim", json!({})),
        (
            "complete",
            json!({ "note": "已责令饭店安装油烟净化设备并复查合格" }),
        ),
    ] {
        expect(
            app.staff_act(handler, number, action, body).await,
            StatusCode::OK,
        )
        .await;
    }
}

fn statuses(case: &Value) -> Vec<String> {
    case["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}/{}",
                e["status"].as_str().unwrap(),
                e["actor"].as_str().unwrap()
            )
        })
        .collect()
}

async fn a_case_runs_the_whole_chain_and_its_timeline_tells_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, token, _) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    expect(
        app.staff_act(&handler, &number, "claim", json!({})).await,
        StatusCode::OK,
    )
    .await;
    let note = json!({ "note": "已联系诉求人，明天上门查看" });
    let started = expect(
        app.staff_act(&handler, &number, "start", note).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(started["status"], "in_progress");
    let reply = json!({ "note": "已责令饭店安装油烟净化设备并复查合格" });
    let done = expect(
        app.staff_act(&handler, &number, "complete", reply).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["status"], "completed");

    let rating = json!({ "resolved": true, "satisfaction": "satisfied", "comment": "处理得很快" });
    let rated = expect(
        app.resident_act(&token, &number, "rating", rating).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(rated["status"], "rated");
    assert_eq!(rated["reply"], "已责令饭店安装油烟净化设备并复查合格");
    assert_eq!(rated["rating"]["satisfaction"], "satisfied");
    assert_eq!(
        statuses(&rated),
        [
            "submitted/resident",
            "accepted/system",
            "dispatched/dispatcher",
            "claimed/unit_handler",
            "in_progress/unit_handler",
            "completed/unit_handler",
            "rated/resident",
        ]
    );
    let timeline = rated["timeline"].as_array().unwrap();
    assert_eq!(
        timeline[2]["unit_id"], "ecology",
        "the resident sees where it went"
    );
    assert_eq!(timeline[4]["note"], "已联系诉求人，明天上门查看");
    let text = rated.to_string();
    assert!(
        !text.contains("handler-ecology"),
        "no staff names reach the resident"
    );
    // Rating is once only.
    let again = json!({ "resolved": true, "satisfaction": "satisfied" });
    expect(
        app.resident_act(&token, &number, "rating", again).await,
        StatusCode::CONFLICT,
    )
    .await;
}

async fn dispatch_item_sets_the_tier_and_the_deadline(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let accepted = receipt.case.accepted_at.unwrap();
    let dispatcher = app.login("dispatcher").await;
    // 路灯不亮 is urgent: one day.
    let body =
        json!({ "unit_id": "urban-management", "catalog_item_id": "city-appearance-street-lamp" });
    let case = expect(
        app.staff_act(&dispatcher, &number, "dispatch", body).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(case["tier"], "urgent");
    let deadline: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(case["deadline_at"].clone()).unwrap();
    assert_eq!(deadline - accepted, chrono::Duration::days(1));
    assert_eq!(case["unit_id"], "urban-management");

    let unknown = json!({ "unit_id": "no-such-unit" });
    let receipt = app.submit_valid_case().await;
    let error = expect(
        app.staff_act(
            &dispatcher,
            receipt.case.case_number.as_str(),
            "dispatch",
            unknown,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error["fields"][0]["field"], "unit_id");
}

async fn refused_return_request_leaves_the_case_with_its_unit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, _, dispatcher) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    expect(
        app.staff_act(&handler, &number, "claim", json!({})).await,
        StatusCode::OK,
    )
    .await;
    let no_reason = expect(
        app.staff_act(&handler, &number, "return-request", json!({ "note": " " }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(no_reason["fields"][0]["code"], "required");
    let reason = json!({ "note": "油烟属市场监管部门职责" });
    let requested = expect(
        app.staff_act(&handler, &number, "return-request", reason)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(requested["status"], "return_requested");
    // The unit cannot decide its own request.
    let refuse = json!({ "decision": "refuse", "note": "餐饮油烟由生态环境部门负责" });
    expect(
        app.staff_act(&handler, &number, "return-decision", refuse.clone())
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let refused = expect(
        app.staff_act(&dispatcher, &number, "return-decision", refuse)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        refused["status"], "in_progress",
        "claimed before: back to work"
    );
    assert_eq!(refused["unit_id"], "ecology");
}

async fn redispatched_case_moves_to_the_new_unit_and_out_of_the_old_ones_reach(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, _, dispatcher) = dispatched_case(&app).await;
    let ecology = app.login("handler-ecology").await;
    let reason = json!({ "note": "占道经营不属本单位" });
    expect(
        app.staff_act(&ecology, &number, "return-request", reason)
            .await,
        StatusCode::OK,
    )
    .await;
    let decision =
        json!({ "decision": "redispatch", "unit_id": "urban-management", "note": "转城管" });
    let moved = expect(
        app.staff_act(&dispatcher, &number, "return-decision", decision)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(moved["status"], "dispatched");
    assert_eq!(moved["unit_id"], "urban-management");

    expect(
        app.staff_get(&ecology, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    let urban = app.login("handler-urban").await;
    expect(
        app.staff_act(&urban, &number, "claim", json!({})).await,
        StatusCode::OK,
    )
    .await;
}

async fn a_dissatisfied_resident_may_reopen_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, token, _) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    complete(&app, &number, &handler).await;
    let unhappy =
        json!({ "resolved": false, "satisfaction": "dissatisfied", "comment": "还是有油烟" });
    expect(
        app.resident_act(&token, &number, "rating", unhappy.clone())
            .await,
        StatusCode::OK,
    )
    .await;
    let reopened = expect(
        app.resident_act(&token, &number, "reopen", json!({ "note": "晚上仍然很呛" }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(reopened["status"], "reopened");
    assert_eq!(reopened["reopened"], true);
    assert!(
        reopened.get("completed_at").is_none(),
        "handled again from scratch"
    );

    // Back to the same unit, which handles it again.
    complete(&app, &number, &handler).await;
    expect(
        app.resident_act(&token, &number, "rating", unhappy).await,
        StatusCode::OK,
    )
    .await;
    let error = expect(
        app.resident_act(&token, &number, "reopen", json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error["error"], "already_reopened");
}

async fn a_satisfied_rating_cannot_reopen(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, token, _) = dispatched_case(&app).await;
    complete(&app, &number, &app.login("handler-ecology").await).await;
    let happy = json!({ "resolved": true, "satisfaction": "basically_satisfied" });
    expect(
        app.resident_act(&token, &number, "rating", happy).await,
        StatusCode::OK,
    )
    .await;
    let error = expect(
        app.resident_act(&token, &number, "reopen", json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error["error"], "not_dissatisfied");
}

async fn the_resident_may_withdraw_only_until_claimed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, token, _) = dispatched_case(&app).await;
    let withdrawn = expect(
        app.resident_act(&token, &number, "withdraw", json!({ "note": "已自行解决" }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");

    let (number, token, _) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    expect(
        app.staff_act(&handler, &number, "claim", json!({})).await,
        StatusCode::OK,
    )
    .await;
    let error = expect(
        app.resident_act(&token, &number, "withdraw", json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error["error"], "wrong_status");
    assert_eq!(error["message"], "cannot withdraw a case that is claimed");
}

async fn illegal_moves_are_refused_with_409_and_nothing_changes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, token, dispatcher) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    let complete_early = json!({ "note": "已处理" });
    let error = expect(
        app.staff_act(&handler, &number, "complete", complete_early)
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(
        error["message"],
        "cannot complete a case that is dispatched"
    );
    let rate_early = json!({ "resolved": true, "satisfaction": "satisfied" });
    expect(
        app.resident_act(&token, &number, "rating", rate_early)
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    let again = json!({ "unit_id": "ecology" });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", again).await,
        StatusCode::CONFLICT,
    )
    .await;
    let case = expect(
        app.staff_get(&dispatcher, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(case["status"], "dispatched");
    assert_eq!(case["timeline"].as_array().unwrap().len(), 3);
}

async fn every_role_may_do_only_its_part(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let receipt = app.submit_valid_case().await;
    let number = receipt.case.case_number.to_string();
    let body = json!({ "unit_id": "ecology" });

    let no_token = app
        .client
        .post(app.url(&format!("/api/v1/staff/cases/{number}/dispatch")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect(no_token, StatusCode::UNAUTHORIZED).await["error"],
        "not_signed_in"
    );
    let forged = app
        .staff_act("not-a-session", &number, "dispatch", body.clone())
        .await;
    assert_eq!(
        expect(forged, StatusCode::UNAUTHORIZED).await["error"],
        "session_expired"
    );

    for role in ["operator", "handler-ecology", "supervisor", "admin"] {
        let token = app.login(role).await;
        let error = expect(
            app.staff_act(&token, &number, "dispatch", body.clone())
                .await,
            StatusCode::FORBIDDEN,
        )
        .await;
        assert_eq!(error["error"], "wrong_role", "{role}");
        assert!(error["message"].as_str().unwrap().contains("dispatcher"));
    }
    let dispatcher = app.login("dispatcher").await;
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", body).await,
        StatusCode::OK,
    )
    .await;
    for role in ["operator", "dispatcher", "supervisor"] {
        let token = app.login(role).await;
        expect(
            app.staff_act(&token, &number, "claim", json!({})).await,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let other_unit = app.login("handler-urban").await;
    let error = expect(
        app.staff_act(&other_unit, &number, "claim", json!({}))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(error["error"], "not_your_unit");

    // Resident actions need the access token: the lookup code is not enough.
    let lookup = app
        .client
        .post(app.url(&format!(
            "/api/v1/cases/{number}/withdraw?code={}",
            receipt.case.lookup_code.as_ref().unwrap()
        )))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect(lookup, StatusCode::UNAUTHORIZED).await["error"],
        "access_token_needed"
    );
    expect(
        app.resident_act("wrong-token", &number, "withdraw", json!({}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn signing_in_and_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (username, password) in [("dispatcher", "wrong"), ("nobody", "yousu-demo")] {
        let response = app
            .client
            .post(app.url("/api/v1/staff/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        let error = expect(response, StatusCode::UNAUTHORIZED).await;
        assert_eq!(
            error["message"], "the username or the password is wrong",
            "{username}"
        );
    }
    let first = app.login("dispatcher").await;
    let second = app.login("dispatcher").await;
    let me = expect(
        app.staff_get(&first, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["role"], "dispatcher");
    let logout = |token: String, path: &'static str| {
        let request = app.client.post(app.url(path)).bearer_auth(token);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(
        logout(first.clone(), "/api/v1/staff/logout").await,
        StatusCode::NO_CONTENT
    );
    expect(
        app.staff_get(&first, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect(
        app.staff_get(&second, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
    let third = app.login("dispatcher").await;
    assert_eq!(
        logout(third.clone(), "/api/v1/staff/logout-everywhere").await,
        StatusCode::NO_CONTENT
    );
    expect(
        app.staff_get(&second, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect(
        app.staff_get(&third, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn two_claims_at_once_succeed_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, _, _) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    let (a, b) = tokio::join!(
        app.staff_act(&handler, &number, "claim", json!({})),
        app.staff_act(&handler, &number, "claim", json!({})),
    );
    let mut codes = [a.status(), b.status()];
    codes.sort();
    assert_eq!(codes, [StatusCode::OK, StatusCode::CONFLICT]);
    let case = expect(
        app.staff_get(&handler, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    let claims = statuses(&case)
        .iter()
        .filter(|s| s.starts_with("claimed/"))
        .count();
    assert_eq!(claims, 1, "one claim on the timeline");
}

async fn staff_lists_are_scoped_by_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (to_ecology, _, dispatcher) = dispatched_case(&app).await;
    let waiting = app.submit_valid_case().await.case.case_number.to_string();
    let numbers = |list: Value| -> Vec<String> {
        list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["case_number"].as_str().unwrap().to_owned())
            .collect()
    };
    let queue = expect(
        app.staff_get(&dispatcher, "/api/v1/staff/cases").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        numbers(queue),
        std::slice::from_ref(&waiting),
        "the dispatcher's queue: accepted cases"
    );
    let ecology = app.login("handler-ecology").await;
    let mine = expect(
        app.staff_get(&ecology, "/api/v1/staff/cases").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(numbers(mine), std::slice::from_ref(&to_ecology));
    let urban = app.login("handler-urban").await;
    let theirs = expect(
        app.staff_get(&urban, "/api/v1/staff/cases").await,
        StatusCode::OK,
    )
    .await;
    assert!(numbers(theirs).is_empty());
    let supervisor = app.login("supervisor").await;
    let all = expect(
        app.staff_get(&supervisor, "/api/v1/staff/cases").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(numbers(all), [to_ecology, waiting]);
    let bad = app
        .staff_get(&supervisor, "/api/v1/staff/cases?status=lost")
        .await;
    assert_eq!(
        expect(bad, StatusCode::BAD_REQUEST).await["error"],
        "unknown_status"
    );
}

mod information {
    use super::*;

    crate::on_both_backends!(
        the_resident_adds_information_without_moving_the_case,
        the_catalogue_search_finds_items_by_the_residents_words,
    );

    async fn the_resident_adds_information_without_moving_the_case(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let (number, token, _) = dispatched_case(&app).await;
        let note = json!({ "note": "补充：每天晚上六点到九点最严重" });
        let case = expect(
            app.resident_act(&token, &number, "information", note).await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(case["status"], "dispatched");
        let last = case["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "note");
        assert_eq!(last["actor"], "resident");
        assert_eq!(last["note"], "补充：每天晚上六点到九点最严重");
        let handler = app.login("handler-ecology").await;
        let seen = expect(
            app.staff_get(&handler, &format!("/api/v1/staff/cases/{number}"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert!(
            seen.to_string().contains("每天晚上六点到九点最严重"),
            "the unit sees it"
        );

        let empty = app
            .resident_act(&token, &number, "information", json!({ "note": "" }))
            .await;
        assert_eq!(
            expect(empty, StatusCode::UNPROCESSABLE_ENTITY).await["fields"][0]["field"],
            "note"
        );
        expect(
            app.resident_act(&token, &number, "withdraw", json!({}))
                .await,
            StatusCode::OK,
        )
        .await;
        let closed = app
            .resident_act(&token, &number, "information", json!({ "note": "还有" }))
            .await;
        assert_eq!(
            expect(closed, StatusCode::CONFLICT).await["error"],
            "case_closed"
        );
    }

    async fn the_catalogue_search_finds_items_by_the_residents_words(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let found = expect(
            app.get("/api/v1/catalog/search?q=%E6%B2%B9%E7%83%9F").await,
            StatusCode::OK,
        )
        .await;
        let first = &found["items"][0];
        assert_eq!(first["catalog_item_id"], "environment-cooking-fumes");
        assert_eq!(first["category_id"], "environment");
        assert_eq!(first["unit_id"], "ecology");
        let heating = expect(
            app.get("/api/v1/catalog/search?q=heating").await,
            StatusCode::OK,
        )
        .await;
        assert!(
            heating["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["category_id"] == "utilities")
        );
        assert!(!heating["items"].as_array().unwrap().is_empty());
        let nothing = expect(app.get("/api/v1/catalog/search").await, StatusCode::OK).await;
        assert_eq!(nothing["items"], json!([]));
    }
}

async fn a_unit_notes_progress_that_the_resident_reads(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, token, _) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    let progress = json!({ "note": "已约饭店负责人明早到场检查净化设备" });
    let early = app
        .staff_act(&handler, &number, "note", progress.clone())
        .await;
    assert_eq!(early.status(), StatusCode::CONFLICT, "claim first");
    expect(
        app.staff_act(&handler, &number, "claim", json!({})).await,
        StatusCode::OK,
    )
    .await;
    let other = app.login("handler-urban").await;
    let refused = app
        .staff_act(&other, &number, "note", progress.clone())
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let empty = app
        .staff_act(&handler, &number, "note", json!({ "note": "" }))
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for _ in 0..2 {
        let noted = expect(
            app.staff_act(&handler, &number, "note", progress.clone())
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            noted["status"], "claimed",
            "a note leaves the status as it was"
        );
    }
    let seen = expect(
        app.get_case_with_token(&number, &token).await,
        StatusCode::OK,
    )
    .await;
    let notes: Vec<&Value> = seen["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "note")
        .collect();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["actor"], "unit_handler");
    assert_eq!(notes[0]["note"], "已约饭店负责人明早到场检查净化设备");
}

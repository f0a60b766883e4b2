//! Dispatch suggestions (精准派单) and likely duplicates through the API: who sees them, what the
//! engine learns (and what it must not), intake going on without it, duplicates merged, the
//! resident's "not sure" path and a city's past work orders imported.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::handling::complete;
use crate::helpers::{
    Backend, TempDir, TestApp, count, expect, fresh_database, new_key, valid_case,
};

crate::on_both_backends!(
    suggestions_appear_for_a_dispatcher_and_not_for_other_roles,
    a_completed_case_teaches_the_engine_but_a_returned_dispatch_does_not,
    a_switched_off_engine_does_not_stop_intake_or_dispatch,
    likely_duplicates_are_listed_then_merged,
    a_resident_not_sure_of_the_category_gets_the_platforms_choice,
    past_work_orders_import_and_warm_the_engine_up,
);

fn appeal(description: &str, community: &str) -> Value {
    let mut case = valid_case();
    case["description"] = json!(description);
    case["community_id"] = json!(community);
    case
}

async fn submit(app: &TestApp, case: &Value) -> String {
    let body = expect(
        app.post_case(Some(&new_key()), case).await,
        StatusCode::CREATED,
    )
    .await;
    body["case_number"].as_str().unwrap().to_owned()
}

async fn suggest(app: &TestApp, body: Value) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/suggestions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    expect(response, StatusCode::OK).await
}

async fn for_case(app: &TestApp, token: &str, number: &str) -> reqwest::Response {
    app.staff_get(token, &format!("/api/v1/staff/cases/{number}/suggestions"))
        .await
}

fn units(suggestions: &Value) -> Vec<&str> {
    suggestions["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit_id"].as_str().unwrap())
        .collect()
}

fn confidence_of(suggestions: &Value, unit: &str) -> f64 {
    suggestions["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit)
        .map_or(0.0, |u| u["confidence"].as_f64().unwrap())
}

async fn suggestions_appear_for_a_dispatcher_and_not_for_other_roles(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let number = submit(&app, &valid_case()).await;
    let dispatcher = app.login("dispatcher").await;
    let body = expect(for_case(&app, &dispatcher, &number).await, StatusCode::OK).await;
    let top = units(&body);
    assert_eq!(top.len(), 3, "the best three: {body}");
    assert!(
        top.contains(&"ecology"),
        "cooking fumes go to the ecology bureau: {body}"
    );
    let first = body["units"][0]["confidence"].as_f64().unwrap();
    let third = body["units"][2]["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&first) && first >= third, "{body}");
    assert!(
        body["items"][0]["catalog_item_id"]
            .as_str()
            .unwrap()
            .starts_with("environment"),
        "{body}"
    );
    for role in ["operator", "handler-ecology", "supervisor"] {
        let token = app.login(role).await;
        let refused = for_case(&app, &token, &number).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{role}");
    }
    let anonymous = app
        .get(&format!("/api/v1/staff/cases/{number}/suggestions"))
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Dispatching keeps what was proposed beside what was chosen.
    let choice = json!({ "unit_id": "urban-management" });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", choice)
            .await,
        StatusCode::OK,
    )
    .await;
    let recorded = count(
        &app.database,
        &format!(
            "SELECT COUNT(*) FROM \"case\" WHERE case_number = '{number}' \
             AND suggested_unit_id = '{}' AND unit_id = 'urban-management'",
            top[0]
        ),
    )
    .await;
    assert_eq!(recorded, 1);
}

/// A text the catalogue alone places poorly, about a made-up nuisance.
const ODD: &str = "楼顶的信鸽棚夜里扑腾，羽毛飘进各家窗户";

async fn a_completed_case_teaches_the_engine_but_a_returned_dispatch_does_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let dispatcher = app.login("dispatcher").await;
    let before = suggest(&app, json!({ "description": ODD })).await;
    let (wrong, right) = ("ecology", "urban-management");

    // Dispatched to the ecology bureau, returned through a joint review, finished by urban
    // management: only the final unit is learned.
    let number = submit(&app, &appeal(ODD, "chengzhong-renminjie-nanguanjie")).await;
    let to_wrong = json!({ "unit_id": wrong });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", to_wrong)
            .await,
        StatusCode::OK,
    )
    .await;
    let ecology = app.login("handler-ecology").await;
    let reason = json!({ "note": "鸽棚不属于生态环境部门职责" });
    expect(
        app.staff_act(&ecology, &number, "return-request", reason)
            .await,
        StatusCode::OK,
    )
    .await;
    let redispatch = json!({ "decision": "redispatch", "unit_id": right, "note": "改派城管" });
    expect(
        app.staff_act(&dispatcher, &number, "return-decision", redispatch)
            .await,
        StatusCode::OK,
    )
    .await;
    let returned = suggest(&app, json!({ "description": ODD })).await;
    assert_eq!(
        confidence_of(&returned, wrong),
        confidence_of(&before, wrong),
        "nothing is learned before the dispatch is final"
    );
    let urban = app.login("handler-urban").await;
    complete(&app, &number, &urban).await;

    let after = suggest(&app, json!({ "description": ODD })).await;
    assert_eq!(units(&after)[0], right, "before: {before}\nafter: {after}");
    assert!(confidence_of(&after, wrong) <= confidence_of(&before, wrong) + 1e-6);
}

async fn a_switched_off_engine_does_not_stop_intake_or_dispatch(backend: Backend) {
    let dir = TempDir::new("off");
    let database = fresh_database(backend, &dir.0).await;
    let mut config = TestApp::config(database, dir.0.join("dist"), 0);
    config.suggestions = false;
    let app = TestApp::spawn_with_config(config, dir).await;

    let number = submit(&app, &valid_case()).await;
    let mut unsure = valid_case();
    unsure["category_id"] = json!("");
    unsure["let_platform_decide"] = json!(true);
    submit(&app, &unsure).await;
    let empty = suggest(&app, json!({ "description": "楼下饭店油烟直排", "community_id": "chengzhong-renminjie-nanguanjie" })).await;
    assert_eq!(empty, json!({ "units": [], "items": [], "duplicates": [] }));
    let dispatcher = app.login("dispatcher").await;
    let body = expect(for_case(&app, &dispatcher, &number).await, StatusCode::OK).await;
    assert_eq!(body["units"], json!([]));
    let choice = json!({ "unit_id": "ecology" });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", choice)
            .await,
        StatusCode::OK,
    )
    .await;
}

const FULL_BIN: &str = "小区门口的垃圾桶满了三天没人清运，臭味很大";
const FULL_BIN_AGAIN: &str = "小区门口垃圾桶满了好几天没人清运，臭味太大了";

/// The likely duplicates of `text` in `community`, once the index has caught up.
async fn duplicates_of(app: &TestApp, text: &str, community: &str, expected: usize) -> Value {
    for _ in 0..50 {
        let body = suggest(
            app,
            json!({ "description": text, "community_id": community }),
        )
        .await;
        if body["duplicates"].as_array().unwrap().len() == expected {
            return body["duplicates"].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    suggest(
        app,
        json!({ "description": text, "community_id": community }),
    )
    .await["duplicates"]
        .clone()
}

async fn likely_duplicates_are_listed_then_merged(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let here = "chengzhong-renminjie-nanguanjie";
    let mut first = appeal(FULL_BIN, here);
    first["contact_phone"] = json!("13912345678");
    let first = submit(&app, &first).await;
    let elsewhere = submit(&app, &appeal(FULL_BIN, "chengzhong-renminjie-xiaonanjie")).await;
    let unrelated = submit(&app, &appeal("路灯坏了一个月，晚上走路很危险", here)).await;

    let found = duplicates_of(&app, FULL_BIN_AGAIN, here, 1).await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["case_number"], first.as_str());
    assert_eq!(found[0]["status"], "accepted");
    assert!(!found.to_string().contains(&elsewhere) && !found.to_string().contains(&unrelated));
    assert!(!found.to_string().contains("13912345678"));

    // The dispatcher sees the same for the second case, and merges it.
    let second = submit(&app, &appeal(FULL_BIN_AGAIN, here)).await;
    let dispatcher = app.login("dispatcher").await;
    let mut listed = Value::Null;
    for _ in 0..50 {
        listed = expect(for_case(&app, &dispatcher, &second).await, StatusCode::OK).await;
        if !listed["duplicates"].as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let numbers: Vec<&str> = listed["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["case_number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, [first.as_str()], "never itself: {listed}");
    let merge = json!({ "into_case_number": first });
    let merged = expect(
        app.staff_act(&dispatcher, &second, "merge", merge).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(merged["status"], "merged");
    let found = duplicates_of(&app, FULL_BIN_AGAIN, here, 1).await;
    assert_eq!(
        found[0]["case_number"],
        first.as_str(),
        "a merged case is no longer open"
    );

    // Anyone may follow the open one instead of submitting again.
    let public = expect(
        app.get(&format!("/api/v1/public/cases/{first}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(public["status"], "accepted");
    assert!(!public.to_string().contains("13912345678") && public.get("address").is_none());
    assert_eq!(
        app.get("/api/v1/public/cases/20200101000001")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn a_resident_not_sure_of_the_category_gets_the_platforms_choice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut unsure = appeal(
        "楼下饭店油烟直排，晚上窗户都不能开",
        "chengzhong-renminjie-nanguanjie",
    );
    unsure["category_id"] = json!("");
    unsure["let_platform_decide"] = json!(true);
    let body = expect(
        app.post_case(Some(&new_key()), &unsure).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(body["category_id"], "environment");
    let proposal = suggest(
        &app,
        json!({ "description": "路灯坏了一个月，晚上走路很危险" }),
    )
    .await;
    assert!(!proposal["items"].as_array().unwrap().is_empty());
    let kept = suggest(
        &app,
        json!({ "description": "路灯坏了一个月，晚上走路很危险", "category_id": "environment" }),
    )
    .await;
    assert!(
        kept["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["category_id"] == "environment"),
        "{kept}"
    );
    let mut bad = unsure.clone();
    bad["let_platform_decide"] = json!(false);
    let body = expect(
        app.post_case(Some(&new_key()), &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(body["fields"][0]["field"], "category_id");
}

/// The database URL with its password, for a command line.
fn unredacted(database: &yousu_server::DatabaseUrl) -> String {
    match database {
        yousu_server::DatabaseUrl::Sqlite(path) => format!("sqlite:{}", path.display()),
        yousu_server::DatabaseUrl::Postgres(url) => url.clone(),
    }
}

async fn past_work_orders_import_and_warm_the_engine_up(backend: Backend) {
    let dir = TempDir::new("history");
    let database = fresh_database(backend, &dir.0).await;
    // The demo catalogue and units first, from a server start.
    let app = TestApp::spawn_on(database.clone(), dir.0.join("dist"), TempDir::new("h2")).await;
    let cold = suggest(&app, json!({ "description": ODD })).await;
    drop(app);

    let file = dir.0.join("history.csv");
    let mut csv = String::from("id,text,department,channel,kind\n");
    for i in 0..12 {
        csv.push_str(&format!(
            "{i},\"{ODD}，第{i}次反映\",市城市管理局,来电,投诉\n"
        ));
    }
    csv.push_str("99,\"与本市无关的诉求内容\",不存在的部门,,\n");
    std::fs::write(&file, csv).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_yousu-server"))
        .args(["--database", &unredacted(&database), "import-history"])
        .arg(&file)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        printed.contains("imported 12 ") && printed.contains("skipped 1 "),
        "{printed}"
    );

    let warm = TestApp::spawn_on(database, dir.0.join("dist"), TempDir::new("h3")).await;
    let mut after = Value::Null;
    for _ in 0..100 {
        after = suggest(&warm, json!({ "description": ODD })).await;
        if units(&after)[0] == "urban-management" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        units(&after)[0],
        "urban-management",
        "cold: {cold}\nwarm: {after}"
    );
}

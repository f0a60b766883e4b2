//! Administration: units, dispatch items and their CSV import, staff accounts and roles, and
//! the clock rules — for administrators only, with field-level errors, and taking effect at once
//! (on every instance sharing the database within seconds).

use chrono::{DateTime, Duration, Utc};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Backend, TempDir, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    only_admins_reach_administration,
    admins_add_edit_and_retire_units_and_items,
    csv_import_takes_every_row_or_none_naming_each_bad_field,
    staff_accounts_are_created_changed_disabled_and_given_new_passwords,
    clock_rule_edits_count_for_cases_accepted_after_them_on_every_instance,
    retired_items_and_units_are_never_proposed,
);

impl TestApp {
    async fn admin_send(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(&format!("/api/v1/admin/{path}")))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("admin request")
    }

    async fn admin_post(&self, token: &str, path: &str, body: Value) -> Response {
        self.admin_send(token, reqwest::Method::POST, path, Some(body))
            .await
    }

    async fn admin_put(&self, token: &str, path: &str, body: Value) -> Response {
        self.admin_send(token, reqwest::Method::PUT, path, Some(body))
            .await
    }

    async fn admin_get(&self, token: &str, path: &str) -> Response {
        self.admin_send(token, reqwest::Method::GET, path, None)
            .await
    }

    async fn import_csv(&self, token: &str, content_type: &str, csv: &str) -> Response {
        self.client
            .post(self.url("/api/v1/admin/items/import"))
            .bearer_auth(token)
            .header("Content-Type", content_type)
            .body(csv.to_owned())
            .send()
            .await
            .expect("POST import")
    }

    async fn login_as(&self, username: &str, password: &str) -> Response {
        self.client
            .post(self.url("/api/v1/staff/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .expect("POST login")
    }
}

fn fields(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("field errors in {body}"))
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect()
}

async fn only_admins_reach_administration(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let get = ["units", "items", "staff", "clock-rules"];
    let post = [
        "units",
        "units/ecology/retire",
        "items",
        "items/environment-cooking-fumes/retire",
        "staff",
        "staff/operator/disable",
        "staff/operator/enable",
        "staff/operator/password",
    ];
    let put = [
        "units/ecology",
        "items/environment-cooking-fumes",
        "staff/operator",
        "clock-rules",
    ];
    for role in ["operator", "dispatcher", "handler-ecology", "supervisor"] {
        let token = app.login(role).await;
        for path in get {
            let body = expect(app.admin_get(&token, path).await, StatusCode::FORBIDDEN).await;
            assert_eq!(body["error"], "wrong_role", "{role} GET {path}");
        }
        for path in post {
            expect(
                app.admin_post(&token, path, json!({})).await,
                StatusCode::FORBIDDEN,
            )
            .await;
        }
        for path in put {
            expect(
                app.admin_put(&token, path, json!({})).await,
                StatusCode::FORBIDDEN,
            )
            .await;
        }
        let csv = "catalog_item_id,category_id,name_zh,name_en,unit_id,tier\n";
        expect(
            app.import_csv(&token, "text/csv", csv).await,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let anonymous = app.get("/api/v1/admin/staff").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let admin = app.login("admin").await;
    let staff = expect(app.admin_get(&admin, "staff").await, StatusCode::OK).await;
    assert!(
        !staff.to_string().contains("argon2"),
        "password hashes never leave the server"
    );
}

async fn admins_add_edit_and_retire_units_and_items(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;

    let bad = expect(
        app.admin_post(
            &admin,
            "units",
            json!({ "unit_id": "Water Bureau", "name_zh": "", "name_en": "Water", "level": "galaxy" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&bad), ["unit_id", "name_zh", "level"]);
    let unit = json!({ "unit_id": "water", "name_zh": "市水务局", "name_en": "Water Bureau", "level": "city" });
    let created = expect(
        app.admin_post(&admin, "units", unit.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["name_zh"], "市水务局");
    let taken = expect(
        app.admin_post(&admin, "units", unit).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(taken["fields"][0]["code"], "taken");
    let renamed = expect(
        app.admin_put(
            &admin,
            "units/water",
            json!({ "name_zh": "市水务局（河长办）", "name_en": "Water Bureau", "level": "city" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name_zh"], "市水务局（河长办）");
    // Nothing reaches the database that it cannot store: a NUL in a name or a path.
    let nul = expect(
        app.admin_post(
            &admin,
            "units",
            json!({ "unit_id": "nul-unit", "name_zh": "水\u{0}务", "name_en": "Water", "level": "city" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&nul), ["name_zh"]);
    for path in ["units/wa%00ter", "items/x%00y", "staff/li%00ming"] {
        let response = app
            .admin_put(
                &admin,
                path,
                json!({ "name_zh": "甲", "name_en": "A", "level": "city" }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    expect(
        app.admin_post(&admin, "staff/li%00ming/disable", json!({}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    expect(
        app.admin_put(
            &admin,
            "units/nowhere",
            json!({ "name_zh": "无", "name_en": "None", "level": "city" }),
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;

    // The new unit takes dispatches at once: the platform reloaded its reference data.
    let units = expect(app.get("/api/v1/units").await, StatusCode::OK).await;
    assert!(units.to_string().contains("市水务局（河长办）"));
    let item = json!({
        "catalog_item_id": "water-pipe-burst", "category_id": "environment",
        "name_zh": "供水管道爆裂", "name_en": "Burst water main", "unit_id": "water", "tier": "urgent"
    });
    let bad_item = expect(
        app.admin_post(
            &admin,
            "items",
            json!({ "catalog_item_id": "x", "category_id": "nowhere", "name_zh": "甲",
                    "name_en": "A", "unit_id": "mars", "tier": "someday" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        fields(&bad_item),
        ["catalog_item_id", "category_id", "unit_id", "tier"]
    );
    expect(
        app.admin_post(&admin, "items", item.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    let catalog = expect(app.get("/api/v1/catalog").await, StatusCode::OK).await;
    assert!(catalog.to_string().contains("water-pipe-burst"));
    let receipt = app.submit_valid_case().await;
    let dispatcher = app.login("dispatcher").await;
    let number = receipt.case.case_number.to_string();
    let dispatched = expect(
        app.staff_act(
            &dispatcher,
            &number,
            "dispatch",
            json!({ "unit_id": "water", "catalog_item_id": "water-pipe-burst" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(dispatched["unit_id"], "water");

    // A unit with items in use stays; retire the items first. Cases keep both.
    let busy = expect(
        app.admin_post(&admin, "units/water/retire", json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(busy["error"], "unit_has_items");
    let edited = expect(
        app.admin_put(
            &admin,
            "items/water-pipe-burst",
            json!({ "category_id": "environment", "name_zh": "供水管道爆裂抢修",
                    "name_en": "Burst water main", "unit_id": "water", "tier": "general" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(edited["tier"], "general");
    expect(
        app.admin_post(&admin, "items/water-pipe-burst/retire", json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    expect(
        app.admin_post(&admin, "items/water-pipe-burst/retire", json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    expect(
        app.admin_post(&admin, "units/water/retire", json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let catalog = expect(app.get("/api/v1/catalog").await, StatusCode::OK).await;
    assert!(!catalog.to_string().contains("water-pipe-burst"));
    // No longer offered, still named on the cases it handled.
    let units = expect(app.get("/api/v1/units").await, StatusCode::OK).await;
    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|u| u["unit_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!ids(&units["units"]).contains(&"water".to_owned()));
    assert_eq!(ids(&units["retired"]), ["water"]);
    assert!(
        units["retired"][0]["name_zh"]
            .as_str()
            .is_some_and(|n| !n.is_empty())
    );
    let listed = expect(app.admin_get(&admin, "units").await, StatusCode::OK).await;
    let water = listed["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == "water")
        .expect("retired units stay listed for administrators");
    assert!(water["retired_at"].is_string());
    let items = expect(app.admin_get(&admin, "items").await, StatusCode::OK).await;
    assert!(items.to_string().contains("water-pipe-burst"));
    let retired_unit = expect(
        app.admin_post(
            &admin,
            "items",
            json!({ "catalog_item_id": "water-leak", "category_id": "environment",
                    "name_zh": "漏水", "name_en": "Leak", "unit_id": "water", "tier": "general" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&retired_unit), ["unit_id"]);
    let case = expect(
        app.staff_get(&dispatcher, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(case["unit_id"], "water", "the case keeps its retired unit");
    assert_eq!(case["catalog_item_id"], "water-pipe-burst");
}

async fn csv_import_takes_every_row_or_none_naming_each_bad_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let before = expect(app.admin_get(&admin, "items").await, StatusCode::OK).await;
    let count = before["items"].as_array().unwrap().len();

    let bad = "catalog_item_id,category_id,name_zh,name_en,unit_id,tier\n\
               import-one,environment,导入一,Import one,ecology,general\n\
               import-two,nowhere,导入二,Import two,ecology,general\n\
               import-three,environment,,Import three,mars,someday\n\
               import-one,environment,导入一,Import one,ecology,urgent\n";
    let refused = expect(
        app.import_csv(&admin, "text/csv", bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        fields(&refused),
        [
            "rows[3].category_id",
            "rows[4].name_zh",
            "rows[4].unit_id",
            "rows[4].tier",
            "rows[5].catalog_item_id"
        ]
    );
    let after = expect(app.admin_get(&admin, "items").await, StatusCode::OK).await;
    assert_eq!(
        after["items"].as_array().unwrap().len(),
        count,
        "nothing imported"
    );

    let missing = expect(
        app.import_csv(&admin, "text/csv", "catalog_item_id,name_zh\nx,y\n")
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(missing["fields"][0]["field"], "file");
    assert_eq!(missing["fields"][0]["code"], "missing_column");
    let not_csv = expect(
        app.import_csv(&admin, "application/json", "{}").await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(not_csv["error"], "not_csv");

    // A whole city's catalogue is larger than any JSON body, and goes in in one piece.
    let mut good =
        String::from("\u{feff}catalog_item_id,category_id,name_zh,name_en,unit_id,tier\n");
    good.push_str(
        "environment-cooking-fumes,environment,餐饮油烟（更新）,Cooking fumes,ecology,complex\n",
    );
    for n in 0..2000 {
        good.push_str(&format!(
            "import-{n},environment,\"导入事项{n}，含逗号\",Imported item {n},ecology,general\n"
        ));
    }
    assert!(good.len() > 64 * 1024);
    let report = expect(
        app.import_csv(&admin, "text/csv; charset=utf-8", &good)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(report, json!({ "added": 2000, "updated": 1 }));
    let catalog = expect(app.get("/api/v1/catalog").await, StatusCode::OK).await;
    let text = catalog.to_string();
    assert!(text.contains("导入事项1999，含逗号"));
    assert!(text.contains("餐饮油烟（更新）"));
}

async fn staff_accounts_are_created_changed_disabled_and_given_new_passwords(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;

    let bad = expect(
        app.admin_post(
            &admin,
            "staff",
            json!({ "username": "Li Ming", "display_name": "李明", "role": "unit_handler",
                    "password": "short" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&bad), ["username", "unit_id", "password"]);
    let taken = expect(
        app.admin_post(
            &admin,
            "staff",
            json!({ "username": "dispatcher", "display_name": "重名", "role": "dispatcher",
                    "password": "a long initial password" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(taken["fields"][0]["code"], "taken");
    let created = expect(
        app.admin_post(
            &admin,
            "staff",
            json!({ "username": "li.ming", "display_name": "李明", "role": "unit_handler",
                    "unit_id": "ecology", "password": "a long initial password" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["role"], "unit_handler");
    assert!(created.get("password").is_none());
    let login = expect(
        app.login_as("li.ming", "a long initial password").await,
        StatusCode::OK,
    )
    .await;
    let token = login["token"].as_str().unwrap().to_owned();

    // A new role applies to the very next request.
    let wrong_unit = expect(
        app.admin_put(
            &admin,
            "staff/li.ming",
            json!({ "display_name": "李明", "role": "dispatcher", "unit_id": "ecology" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(wrong_unit["fields"][0]["code"], "not_allowed");
    expect(
        app.admin_put(
            &admin,
            "staff/li.ming",
            json!({ "display_name": "李明", "role": "dispatcher" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let me = expect(
        app.staff_get(&token, "/api/v1/staff/me").await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["role"], "dispatcher");
    assert!(me.get("unit_id").is_none());

    // Disabling ends their sessions at once and keeps them out until enabled.
    expect(
        app.admin_post(&admin, "staff/li.ming/disable", json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    expect(
        app.staff_get(&token, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect(
        app.login_as("li.ming", "a long initial password").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let listed = expect(app.admin_get(&admin, "staff").await, StatusCode::OK).await;
    let li = listed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "li.ming")
        .unwrap()
        .clone();
    assert!(li["disabled_at"].is_string());
    expect(
        app.admin_post(&admin, "staff/li.ming/enable", json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let again = expect(
        app.login_as("li.ming", "a long initial password").await,
        StatusCode::OK,
    )
    .await;
    let token = again["token"].as_str().unwrap().to_owned();

    // A new password ends the sessions of the old one.
    let short = expect(
        app.admin_post(
            &admin,
            "staff/li.ming/password",
            json!({ "password": "123" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&short), ["password"]);
    expect(
        app.admin_post(
            &admin,
            "staff/li.ming/password",
            json!({ "password": "another long password" }),
        )
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    expect(
        app.staff_get(&token, "/api/v1/staff/me").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect(
        app.login_as("li.ming", "a long initial password").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    expect(
        app.login_as("li.ming", "another long password").await,
        StatusCode::OK,
    )
    .await;

    // An administrator cannot lock themselves out.
    let own = expect(
        app.admin_post(&admin, "staff/admin/disable", json!({}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(own["error"], "own_account");
    let demote = expect(
        app.admin_put(
            &admin,
            "staff/admin",
            json!({ "display_name": "管理员", "role": "operator" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(fields(&demote), ["role"]);
    expect(
        app.admin_post(&admin, "staff/nobody/disable", json!({}))
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

fn at(value: &Value) -> DateTime<Utc> {
    serde_json::from_value(value.clone()).unwrap()
}

async fn clock_rule_edits_count_for_cases_accepted_after_them_on_every_instance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A second instance on the same database, started before the edit.
    let other = TestApp::spawn_on(
        app.database.clone(),
        std::env::temp_dir().join("no-app"),
        TempDir::new("other"),
    )
    .await;
    let admin = app.login("admin").await;
    let rules = expect(app.admin_get(&admin, "clock-rules").await, StatusCode::OK).await;
    assert_eq!(
        rules["policy"]["general"]["days"], 7,
        "seeded from the defaults"
    );
    assert_eq!(rules["calendar"], "");

    let before = app.submit_valid_case().await;
    let before_accepted = before.case.accepted_at.unwrap();
    assert_eq!(
        before.case.deadline_at.unwrap() - before_accepted,
        Duration::days(7)
    );

    let refused = expect(
        app.admin_put(
            &admin,
            "clock-rules",
            json!({
                "policy": {
                    "urgent": { "days": 0, "count": "natural" },
                    "general": { "days": 3, "count": "natural" },
                    "complex": { "days": 15, "count": "working" },
                    "difficult": { "days": 30, "count": "natural" },
                    "response_limit_hours": 800
                },
                "calendar": "2026-10-01 holiday\n2026-13-01 holiday\n"
            }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        fields(&refused),
        [
            "policy.urgent.days",
            "policy.response_limit_hours",
            "calendar"
        ]
    );
    assert!(
        refused["fields"][2]["message_en"]
            .as_str()
            .unwrap()
            .contains("line 2")
    );

    let saved = expect(
        app.admin_put(
            &admin,
            "clock-rules",
            json!({
                "policy": {
                    "urgent": { "days": 1, "count": "natural" },
                    "general": { "days": 3, "count": "natural" },
                    "complex": { "days": 15, "count": "working" },
                    "difficult": { "days": 30, "count": "natural" },
                    "response_limit_hours": 12
                },
                "calendar": "# national day\n2026-10-01 holiday\n2026-09-27 workday\n"
            }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        saved["calendar"],
        "2026-09-27 workday\n2026-10-01 holiday\n"
    );
    assert_eq!(saved["changed_by"], "admin");
    assert!(at(&saved["effective_from"]) > before_accepted);

    let after = app.submit_valid_case().await;
    let accepted = after.case.accepted_at.unwrap();
    assert_eq!(
        after.case.deadline_at.unwrap() - accepted,
        Duration::days(3)
    );
    assert_eq!(after.case.nodes[0].at - accepted, Duration::hours(12));

    // The earlier case keeps the rules it was accepted under, nodes included.
    let earlier = expect(
        app.get_case_with_token(&before.case.case_number.to_string(), &before.access_token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        at(&earlier["deadline_at"]) - before_accepted,
        Duration::days(7)
    );
    assert_eq!(
        at(&earlier["nodes"][0]["at"]) - before_accepted,
        Duration::hours(24)
    );
    assert_eq!(at(&earlier["nodes"][3]["at"]), at(&earlier["deadline_at"]));

    // The other instance follows within its polling interval.
    tokio::time::sleep(yousu_server::current::POLL_EVERY + std::time::Duration::from_secs(1)).await;
    let response = other.post_case(Some(&new_key()), &valid_case()).await;
    let receipt = expect(response, StatusCode::CREATED).await;
    assert_eq!(
        at(&receipt["deadline_at"]) - at(&receipt["accepted_at"]),
        Duration::days(3)
    );
}

async fn suggested(app: &TestApp, description: &str) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/suggestions"))
        .json(&json!({ "description": description }))
        .send()
        .await
        .unwrap();
    expect(response, StatusCode::OK).await
}

fn ids(suggestions: &Value, list: &str, key: &str) -> Vec<String> {
    suggestions[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s[key].as_str().unwrap().to_owned())
        .collect()
}

async fn retired_items_and_units_are_never_proposed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let words = "楼下饭店油烟直排，晚上窗户都不能开，餐饮油烟太呛了";
    let before = suggested(&app, words).await;
    let items = ids(&before, "items", "catalog_item_id");
    assert!(
        items.iter().any(|i| i == "environment-cooking-fumes"),
        "{before}"
    );
    expect(
        app.admin_post(&admin, "items/environment-cooking-fumes/retire", json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let after = suggested(&app, words).await;
    let items = ids(&after, "items", "catalog_item_id");
    assert!(
        !items.iter().any(|i| i == "environment-cooking-fumes"),
        "{after}"
    );
    assert_ne!(
        after["preselected_item_id"], "environment-cooking-fumes",
        "a retired item is not preselected"
    );

    // A unit whose items are all retired, then the unit itself: no longer proposed.
    let unit = ids(&after, "units", "unit_id")
        .first()
        .cloned()
        .expect("a unit is proposed");
    let catalogue = expect(app.admin_get(&admin, "items").await, StatusCode::OK).await;
    for item in catalogue["items"].as_array().unwrap() {
        if item["unit_id"] == unit.as_str() && item["retired_at"].is_null() {
            let id = item["catalog_item_id"].as_str().unwrap();
            expect(
                app.admin_post(&admin, &format!("items/{id}/retire"), json!({}))
                    .await,
                StatusCode::NO_CONTENT,
            )
            .await;
        }
    }
    expect(
        app.admin_post(&admin, &format!("units/{unit}/retire"), json!({}))
            .await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let last = suggested(&app, words).await;
    assert!(!ids(&last, "units", "unit_id").contains(&unit), "{last}");
    assert_ne!(last["preselected_unit_id"], unit.as_str());
}

//! Open311 GeoReport v2 as a client sees it: every resource in both formats, submissions by form
//! and by multipart with a photo, the filters of `requests`, API keys, and no personal data.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::handling::{complete, dispatched_case};
use crate::helpers::{Backend, TestApp, count, expect};
use crate::photos::jpeg;

crate::on_both_backends!(
    discovery_and_services_answer_in_json_and_xml,
    a_form_submission_becomes_a_case_followed_by_id_and_token,
    every_bad_submission_gets_an_open311_error,
    a_multipart_submission_keeps_its_photo,
    requests_are_filtered_paged_and_extended,
    only_live_keys_issued_by_an_admin_may_submit,
    a_retry_with_the_same_key_makes_one_case,
);

const BASE: &str = "/open311/v2";

pub type FormFields = Vec<(&'static str, String)>;

/// A submission near 南关街社区 with the answers the environment category asks for.
pub fn good_form() -> FormFields {
    vec![
        ("api_key", "demo".into()),
        ("service_code", "environment".into()),
        ("lat", "36.5912".into()),
        ("long", "101.7693".into()),
        ("address_string", "南关街12号对面".into()),
        ("description", "饭店油烟直排，请联系13809711234处理".into()),
        ("first_name", "阿姨".into()),
        ("last_name", "李".into()),
        ("email", "li@example.com".into()),
        ("phone", "13809711234".into()),
        ("attribute[when]", "night".into()),
        ("attribute[kinds][]", "fumes".into()),
        ("attribute[kinds][]", "noise".into()),
    ]
}

async fn post_form(app: &TestApp, format: &str, form: &[(&str, String)]) -> reqwest::Response {
    app.client
        .post(app.url(&format!("{BASE}/requests.{format}")))
        .form(form)
        .send()
        .await
        .expect("POST requests")
}

async fn text(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.get(path).await;
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, content_type, response.text().await.unwrap())
}

async fn json_of(app: &TestApp, path: &str, status: StatusCode) -> Value {
    expect(app.get(path).await, status).await
}

/// Submits `good_form` and returns the new request's id.
async fn submitted(app: &TestApp) -> String {
    let body = expect(
        post_form(app, "json", &good_form()).await,
        StatusCode::CREATED,
    )
    .await;
    body[0]["service_request_id"].as_str().unwrap().to_owned()
}

async fn discovery_and_services_answer_in_json_and_xml(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let discovery = json_of(&app, &format!("{BASE}/discovery.json"), StatusCode::OK).await;
    assert_eq!(
        discovery["endpoints"][0]["formats"],
        json!(["text/xml", "application/json"])
    );
    assert!(
        discovery["endpoints"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with("/open311/v2")
    );
    let (status, content_type, xml) = text(&app, &format!("{BASE}/discovery.xml")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert!(xml.contains("<endpoints><endpoint>"), "{xml}");

    let services = json_of(&app, &format!("{BASE}/services.json"), StatusCode::OK).await;
    let services = services.as_array().expect("an array at the root");
    assert_eq!(services.len(), 17, "one service per catalogue category");
    let environment = services
        .iter()
        .find(|s| s["service_code"] == "environment")
        .unwrap();
    assert_eq!(environment["metadata"], true);
    assert_eq!(environment["type"], "realtime");
    assert!(environment["keywords"].as_str().unwrap().contains("油烟"));
    let (_, _, xml) = text(&app, &format!("{BASE}/services.xml")).await;
    assert!(xml.starts_with("<?xml"));
    assert_eq!(xml.matches("<service>").count(), 17);

    let definition = json_of(
        &app,
        &format!("{BASE}/services/environment.json"),
        StatusCode::OK,
    )
    .await;
    let attributes = definition["attributes"].as_array().unwrap();
    let when = attributes.iter().find(|a| a["code"] == "when").unwrap();
    assert_eq!(
        (
            &when["datatype"],
            &when["required"],
            &when["values"][1]["key"]
        ),
        (&json!("singlevaluelist"), &json!(true), &json!("night"))
    );
    let (_, _, xml) = text(&app, &format!("{BASE}/services/environment.xml")).await;
    assert!(xml.contains("<service_definition>") && xml.contains("<values><value><key>day</key>"));

    let missing = json_of(
        &app,
        &format!("{BASE}/services/nope.json"),
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(missing[0]["code"], 404);
    let (status, _, xml) = text(&app, &format!("{BASE}/services/nope.xml")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(xml.contains("<errors><error><code>404</code>"), "{xml}");
    let (status, _, _) = text(&app, &format!("{BASE}/services.html")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_form_submission_becomes_a_case_followed_by_id_and_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = post_form(&app, "xml", &good_form()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let xml = response.text().await.unwrap();
    let between = |open: &str, close: &str| -> String {
        let start = xml.find(open).unwrap_or_else(|| panic!("{open} in {xml}")) + open.len();
        let end = start + xml[start..].find(close).unwrap();
        xml[start..end].to_owned()
    };
    let id = between("<service_request_id>", "</service_request_id>");
    let token = between("<token>", "</token>");
    assert!(xml.starts_with("<?xml") && xml.contains("<service_requests><request>"));

    let by_token = json_of(&app, &format!("{BASE}/tokens/{token}.json"), StatusCode::OK).await;
    assert_eq!(by_token[0]["service_request_id"], id.as_str());
    json_of(
        &app,
        &format!("{BASE}/tokens/nope.json"),
        StatusCode::NOT_FOUND,
    )
    .await;

    // The case is on the platform's chain like any other, on the open311 channel, with its answers.
    let stored = count(
        &app.database,
        &format!(
            "SELECT COUNT(*) FROM \"case\" WHERE case_number = '{id}' AND channel = 'open311' \
             AND status = 'accepted' AND contact_phone = '13809711234' AND contact_name = '李阿姨' \
             AND attributes = '{{\"kinds\":[\"fumes\",\"noise\"],\"when\":[\"night\"]}}'"
        ),
    )
    .await;
    assert_eq!(stored, 1);
    let dispatcher = app.login("dispatcher").await;
    let body = json!({ "unit_id": "ecology", "catalog_item_id": "environment-cooking-fumes" });
    expect(
        app.staff_act(&dispatcher, &id, "dispatch", body).await,
        StatusCode::OK,
    )
    .await;
    let request = json_of(&app, &format!("{BASE}/requests/{id}.json"), StatusCode::OK).await;
    assert_eq!(request[0]["agency_responsible"], "市生态环境局");

    let anonymous: Vec<_> = good_form()
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "phone"))
        .collect();
    let body = expect(
        post_form(&app, "json", &anonymous).await,
        StatusCode::CREATED,
    )
    .await;
    let id = body[0]["service_request_id"].as_str().unwrap();
    let stored = count(
        &app.database,
        &format!(
            "SELECT COUNT(*) FROM \"case\" WHERE case_number = '{id}' AND anonymous \
             AND contact_name IS NULL AND contact_phone = ''"
        ),
    )
    .await;
    assert_eq!(
        stored, 1,
        "no phone: anonymous, and the name is not kept either"
    );
}

async fn every_bad_submission_gets_an_open311_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let without = |name: &str| -> FormFields {
        good_form()
            .into_iter()
            .filter(|(k, _)| *k != name)
            .collect()
    };
    let with = |name: &'static str, value: &str| -> FormFields {
        let mut form = without(name);
        form.push((name, value.to_owned()));
        form
    };
    let no_location: Vec<_> = good_form()
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "lat" | "long" | "address_string"))
        .collect();
    let cases: Vec<(FormFields, StatusCode, &str)> = vec![
        (without("api_key"), StatusCode::FORBIDDEN, "api_key"),
        (with("api_key", "guess"), StatusCode::FORBIDDEN, "api_key"),
        (
            without("service_code"),
            StatusCode::BAD_REQUEST,
            "service_code",
        ),
        (
            with("service_code", "nope"),
            StatusCode::BAD_REQUEST,
            "nope",
        ),
        (no_location, StatusCode::BAD_REQUEST, "location"),
        (with("lat", "91"), StatusCode::BAD_REQUEST, "lat"),
        (without("long"), StatusCode::BAD_REQUEST, "together"),
        (
            with("address_id", "nowhere"),
            StatusCode::BAD_REQUEST,
            "address_id",
        ),
        (
            without("attribute[when]"),
            StatusCode::BAD_REQUEST,
            "attribute[when]",
        ),
        (
            with("attribute[when]", "noon"),
            StatusCode::BAD_REQUEST,
            "attribute[when]",
        ),
        (
            with("attribute[colour]", "red"),
            StatusCode::BAD_REQUEST,
            "attribute[colour]",
        ),
        (
            with("description", "油烟"),
            StatusCode::BAD_REQUEST,
            "description",
        ),
        (
            with("description", &"长".repeat(4001)),
            StatusCode::BAD_REQUEST,
            "description",
        ),
        (
            with("phone", "12345"),
            StatusCode::BAD_REQUEST,
            "contact_phone",
        ),
    ];
    for (form, status, mentions) in cases {
        let response = post_form(&app, "json", &form).await;
        let body = expect(response, status).await;
        let errors = body.as_array().expect("errors are an array");
        assert!(
            errors.iter().all(|e| e["code"] == status.as_u16()),
            "{body}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e["description"].as_str().unwrap().contains(mentions)),
            "{mentions}: {body}"
        );
    }
    let far_away: Vec<_> = with("lat", "39.9")
        .into_iter()
        .map(|(k, v)| {
            if k == "address_string" {
                (k, "南关街社区12号".to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    let body = expect(
        post_form(&app, "json", &far_away).await,
        StatusCode::CREATED,
    )
    .await;
    assert!(
        body[0]["service_request_id"].is_string(),
        "named in address_string: {body}"
    );
    let nowhere: Vec<_> = with("lat", "39.9")
        .into_iter()
        .map(|(k, v)| {
            if k == "address_string" {
                (k, "某小区".to_owned())
            } else {
                (k, v)
            }
        })
        .collect();
    let response = post_form(&app, "xml", &nowhere).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let xml = response.text().await.unwrap();
    assert!(
        xml.contains("<errors><error><code>400</code><description>"),
        "{xml}"
    );
    let as_json = app
        .client
        .post(app.url(&format!("{BASE}/requests.json")))
        .json(&json!({ "api_key": "demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(as_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let wrong_method = app
        .client
        .delete(app.url(&format!("{BASE}/requests.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM \"case\"").await,
        1,
        "only the one placed by its address was taken"
    );
}

async fn a_multipart_submission_keeps_its_photo(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let multipart = |media: Vec<u8>| {
        let mut form = Form::new();
        for (name, value) in good_form() {
            form = form.text(name, value);
        }
        form.part(
            "media",
            Part::bytes(media)
                .file_name("lamp.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        )
    };
    let response = app
        .client
        .post(app.url(&format!("{BASE}/requests.json")))
        .multipart(multipart(jpeg(7)))
        .send()
        .await
        .unwrap();
    let body = expect(response, StatusCode::CREATED).await;
    let id = body[0]["service_request_id"].as_str().unwrap();
    let request = json_of(&app, &format!("{BASE}/requests/{id}.json"), StatusCode::OK).await;
    let media_url = request[0]["media_url"].as_str().expect("a media_url");
    // Without --public-url the link is relative to the server (see headers.rs).
    assert!(media_url.starts_with("/api/v1/photos/"), "{media_url}");
    let photo = app.get(media_url).await;
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    let served = image::load_from_memory(&photo.bytes().await.unwrap()).expect("a photo");
    assert_eq!((served.width(), served.height()), (64, 48));

    let response = app
        .client
        .post(app.url(&format!("{BASE}/requests.json")))
        .multipart(multipart(b"%PDF-1.7 named .jpg".to_vec()))
        .send()
        .await
        .unwrap();
    let body = expect(response, StatusCode::BAD_REQUEST).await;
    assert!(
        body[0]["description"]
            .as_str()
            .unwrap()
            .starts_with("media"),
        "{body}"
    );
}

async fn requests_are_filtered_paged_and_extended(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let open311_case = submitted(&app).await;
    let mut traffic = vec![
        ("api_key", "demo".to_owned()),
        ("service_code", "traffic".to_owned()),
        ("address_id", "chengzhong-renminjie-xiaonanjie".to_owned()),
        ("description", "路口红绿灯坏了三天，车辆乱行".to_owned()),
        ("attribute[vehicles]", "12".to_owned()),
    ];
    let traffic_body = expect(post_form(&app, "json", &traffic).await, StatusCode::CREATED).await;
    let traffic_case = traffic_body[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    traffic.clear();
    let (closed_case, _, _) = dispatched_case(&app).await;
    let handler = app.login("handler-ecology").await;
    complete(&app, &closed_case, &handler).await;

    let all = json_of(&app, &format!("{BASE}/requests.json"), StatusCode::OK).await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let by_code = json_of(
        &app,
        &format!("{BASE}/requests.json?service_code=traffic"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_code[0]["service_request_id"], traffic_case.as_str());
    assert_eq!(by_code.as_array().unwrap().len(), 1);
    assert_eq!(by_code[0]["address_id"], "chengzhong-renminjie-xiaonanjie");
    assert_eq!(by_code[0]["lat"], Value::Null);

    let closed = json_of(
        &app,
        &format!("{BASE}/requests.json?status=closed"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(closed.as_array().unwrap().len(), 1);
    assert_eq!(closed[0]["service_request_id"], closed_case.as_str());
    assert_eq!(closed[0]["status"], "closed");
    assert_eq!(
        closed[0]["status_notes"],
        "已责令饭店安装油烟净化设备并复查合格"
    );
    assert_eq!(closed[0]["agency_responsible"], "市生态环境局");
    let open = json_of(
        &app,
        &format!("{BASE}/requests.json?status=open"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(open.as_array().unwrap().len(), 2);
    let ids = json_of(
        &app,
        &format!(
            "{BASE}/requests.json?status=open&service_request_id={closed_case},{open311_case}"
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        ids.as_array().unwrap().len(),
        2,
        "ids override the other filters"
    );

    let one = json_of(
        &app,
        &format!("{BASE}/requests/{open311_case}.json"),
        StatusCode::OK,
    )
    .await;
    let request = &one[0];
    assert_eq!(request["status"], "open");
    assert_eq!(request["service_code"], "environment");
    assert_eq!(
        request["address_id"], "chengzhong-renminjie-nanguanjie",
        "nearest centre"
    );
    assert_eq!(request["address"], "城中区人民街街道南关街社区");
    assert_eq!(request["lat"], 36.591, "coarsened to about 100 m");
    let expected = request["expected_datetime"].as_str().unwrap();
    assert!(expected.ends_with("+08:00"), "{expected}");
    assert_eq!(
        request["description"],
        "饭店油烟直排，请联系138****1234处理"
    );
    let everything = serde_json::to_string(&all).unwrap()
        + &text(&app, &format!("{BASE}/requests.xml?extensions=true"))
            .await
            .2;
    for personal in ["13809711234", "李阿姨", "li@example.com", "南关街12号"] {
        assert!(!everything.contains(personal), "{personal} leaked");
    }
    let (_, _, xml) = text(&app, &format!("{BASE}/requests/{open311_case}.xml")).await;
    assert!(xml.contains("<service_requests><request><"), "{xml}");
    assert_eq!(xml.matches("<request>").count(), 1);

    let extended = json_of(
        &app,
        &format!("{BASE}/requests.json?extensions=true&service_request_id={open311_case}"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(extended[0]["extended_attributes"]["channel"], "open311");
    assert_eq!(extended[0]["notes"][1]["summary"], "accepted");
    let plain = json_of(&app, &format!("{BASE}/requests.json"), StatusCode::OK).await;
    assert!(plain[0].get("notes").is_none());

    let first = json_of(
        &app,
        &format!("{BASE}/requests.json?page_size=2"),
        StatusCode::OK,
    )
    .await;
    let second = json_of(
        &app,
        &format!("{BASE}/requests.json?page_size=2&page=2"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (
            first.as_array().unwrap().len(),
            second.as_array().unwrap().len()
        ),
        (2, 1)
    );
    assert_ne!(
        first[0]["service_request_id"],
        second[0]["service_request_id"]
    );

    let future = json_of(
        &app,
        &format!("{BASE}/requests.json?updated_after=2999-01-01T00:00:00Z"),
        StatusCode::OK,
    )
    .await;
    assert_eq!(future, json!([]));
    let old = json_of(
        &app,
        &format!(
            "{BASE}/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z"
        ),
        StatusCode::OK,
    )
    .await;
    assert_eq!(old, json!([]));
    for bad in [
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=yesterday",
        "status=pending",
        "page_size=1001",
        "page=0",
    ] {
        let body = json_of(
            &app,
            &format!("{BASE}/requests.json?{bad}"),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(body[0]["code"], 400, "{bad}");
    }
    json_of(
        &app,
        &format!("{BASE}/requests/20200101000001.json"),
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn only_live_keys_issued_by_an_admin_may_submit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let refused = app
        .client
        .post(app.url("/api/v1/staff/api-keys"))
        .bearer_auth(&operator)
        .json(&json!({ "label": "街道小程序" }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let admin = app.login("admin").await;
    let issued = app
        .client
        .post(app.url("/api/v1/staff/api-keys"))
        .bearer_auth(&admin)
        .json(&json!({ "label": "街道小程序" }))
        .send()
        .await
        .unwrap();
    let issued = expect(issued, StatusCode::CREATED).await;
    let secret = issued["api_key"].as_str().unwrap().to_owned();
    let id = issued["api_key_id"].as_str().unwrap().to_owned();
    let mut form = good_form();
    form[0].1 = secret.clone();
    expect(post_form(&app, "json", &form).await, StatusCode::CREATED).await;
    let listed = expect(
        app.staff_get(&admin, "/api/v1/staff/api-keys").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is shown once only"
    );
    let revoke = app
        .client
        .post(app.url(&format!("/api/v1/staff/api-keys/{id}/revoke")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), StatusCode::NO_CONTENT);
    let body = expect(post_form(&app, "json", &form).await, StatusCode::FORBIDDEN).await;
    assert_eq!(body[0]["code"], 403);
    let case_key = count(
        &app.database,
        &format!("SELECT COUNT(*) FROM \"case\" WHERE api_key_id = '{id}' AND channel = 'open311'"),
    )
    .await;
    assert_eq!(case_key, 1, "the case records the key it came with");
}

async fn a_retry_with_the_same_key_makes_one_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let response = app
            .client
            .post(app.url(&format!("{BASE}/requests.json")))
            .header("Idempotency-Key", "open311-retry-key-0000000001")
            .form(&good_form())
            .send()
            .await
            .unwrap();
        let body = expect(response, StatusCode::CREATED).await;
        ids.push(body[0]["service_request_id"].clone());
    }
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
    assert_eq!(
        count(&app.database, "SELECT COUNT(*) FROM \"case\"").await,
        1
    );
}

//! A resident's contact details in staff hands: masked for units, hidden when asked, absent when
//! anonymous, and every full view recorded.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::handling::dispatched_case;
use crate::helpers::{Backend, TestApp, expect, new_key, valid_case};

crate::on_both_backends!(
    units_see_the_phone_masked_until_they_reveal_it_and_every_view_is_logged,
    a_hidden_identity_never_reaches_the_unit,
    an_anonymous_appeal_stores_no_contact,
    public_text_masks_phone_numbers_however_they_are_written,
    no_staff_view_shows_the_lookup_code,
    a_volunteer_is_named_to_staff_with_the_contact_s_care,
);

async fn units_see_the_phone_masked_until_they_reveal_it_and_every_view_is_logged(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let (number, _, dispatcher) = dispatched_case(&app).await;
    let path = format!("/api/v1/staff/cases/{number}");

    let handler = app.login("handler-ecology").await;
    let masked = expect(app.staff_get(&handler, &path).await, StatusCode::OK).await;
    assert_eq!(
        masked["contact"],
        json!({ "kind": "masked", "phone": "138****1234" })
    );
    assert!(!masked.to_string().contains("13809711234"));
    let list = expect(
        app.staff_get(&handler, "/api/v1/staff/cases").await,
        StatusCode::OK,
    )
    .await;
    assert!(
        !list.to_string().contains("13809711234"),
        "lists are masked"
    );

    let revealed = expect(
        app.staff_act(&handler, &number, "contact", json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        revealed["contact"],
        json!({ "kind": "full", "phone": "13809711234" })
    );
    let full = expect(app.staff_get(&dispatcher, &path).await, StatusCode::OK).await;
    assert_eq!(full["contact"]["kind"], "full");

    let supervisor = app.login("supervisor").await;
    let log = expect(
        app.staff_get(&supervisor, &format!("{path}/contact-access"))
            .await,
        StatusCode::OK,
    )
    .await;
    let entries: Vec<(String, String, String)> = log["accesses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let text = |k: &str| a[k].as_str().unwrap().to_owned();
            (text("username"), text("role"), text("purpose"))
        })
        .collect();
    assert_eq!(
        entries,
        [
            (
                "handler-ecology".into(),
                "unit_handler".into(),
                "reveal".into()
            ),
            ("dispatcher".into(), "dispatcher".into(), "view".into()),
        ]
    );
    expect(
        app.staff_get(&dispatcher, &format!("{path}/contact-access"))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
}

async fn a_hidden_identity_never_reaches_the_unit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut body = valid_case();
    body["contact_name"] = json!("李阿姨");
    body["hide_identity_from_unit"] = json!(true);
    body["description"] = json!("楼下饭店油烟直排，有事打我电话 138 0971 5678");
    let receipt: Value = expect(
        app.post_case(Some(&new_key()), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let number = receipt["case_number"].as_str().unwrap().to_owned();
    let dispatcher = app.login("dispatcher").await;
    let dispatched = json!({ "unit_id": "ecology" });
    expect(
        app.staff_act(&dispatcher, &number, "dispatch", dispatched)
            .await,
        StatusCode::OK,
    )
    .await;
    let platform = expect(
        app.staff_get(&dispatcher, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        platform["contact"],
        json!({ "kind": "full", "name": "李阿姨", "phone": "13809711234" })
    );

    let handler = app.login("handler-ecology").await;
    let seen = expect(
        app.staff_get(&handler, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen["contact"], json!({ "kind": "hidden" }));
    assert!(!seen.to_string().contains("李") && !seen.to_string().contains("1234"));
    // A number written into the appeal's words is masked for the unit too, not for the platform.
    assert_eq!(
        seen["description"],
        "楼下饭店油烟直排，有事打我电话 138 **** 5678"
    );
    assert_eq!(
        platform["description"],
        "楼下饭店油烟直排，有事打我电话 138 0971 5678"
    );
    let refused = expect(
        app.staff_act(&handler, &number, "contact", json!({})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(refused["error"], "identity_hidden");
}

async fn an_anonymous_appeal_stores_no_contact(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut body = valid_case();
    body["anonymous"] = json!(true);
    let refused = expect(
        app.post_case(Some(&new_key()), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        refused["fields"][0]["code"], "not_anonymous",
        "a phone with anonymity is a mistake"
    );
    body["contact_phone"] = json!("");
    let receipt: Value = expect(
        app.post_case(Some(&new_key()), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let number = receipt["case_number"].as_str().unwrap();
    let dispatcher = app.login("dispatcher").await;
    let case = expect(
        app.staff_get(&dispatcher, &format!("/api/v1/staff/cases/{number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(case["contact"], json!({ "kind": "anonymous" }));
    let supervisor = app.login("supervisor").await;
    let log = expect(
        app.staff_get(
            &supervisor,
            &format!("/api/v1/staff/cases/{number}/contact-access"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["accesses"], json!([]), "nothing seen, nothing logged");
}

async fn a_volunteer_is_named_to_staff_with_the_contact_s_care(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut body = valid_case();
    body["channel"] = json!("volunteer");
    let refused = expect(
        app.post_case(Some(&new_key()), &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["fields"][0]["field"], "volunteer_name");
    assert_eq!(refused["fields"][0]["code"], "required");

    body["volunteer_name"] = json!("王志愿");
    let receipt: Value = expect(
        app.post_case(Some(&new_key()), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let number = receipt["case_number"].as_str().unwrap().to_owned();
    assert!(
        !receipt.to_string().contains("王志愿"),
        "the resident's own view does not echo it"
    );
    let path = format!("/api/v1/staff/cases/{number}");
    let dispatcher = app.login("dispatcher").await;
    let platform = expect(app.staff_get(&dispatcher, &path).await, StatusCode::OK).await;
    assert_eq!(platform["channel"], "volunteer");
    assert_eq!(platform["volunteer_name"], "王志愿");
    expect(
        app.staff_act(
            &dispatcher,
            &number,
            "dispatch",
            json!({ "unit_id": "ecology" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let handler = app.login("handler-ecology").await;
    let unit = expect(app.staff_get(&handler, &path).await, StatusCode::OK).await;
    assert_eq!(
        unit["volunteer_name"], "王**",
        "masked for the unit until it reveals"
    );

    // Hidden from the unit: the volunteer too, since naming them can name the resident.
    body["hide_identity_from_unit"] = json!(true);
    let hidden: Value = expect(
        app.post_case(Some(&new_key()), &body).await,
        StatusCode::CREATED,
    )
    .await;
    let hidden_number = hidden["case_number"].as_str().unwrap().to_owned();
    expect(
        app.staff_act(
            &dispatcher,
            &hidden_number,
            "dispatch",
            json!({ "unit_id": "ecology" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let seen = expect(
        app.staff_get(&handler, &format!("/api/v1/staff/cases/{hidden_number}"))
            .await,
        StatusCode::OK,
    )
    .await;
    assert!(seen.get("volunteer_name").is_none() && !seen.to_string().contains('王'));

    // A name without the volunteer channel is a mistake, not silently kept.
    let mut stray = valid_case();
    stray["volunteer_name"] = json!("王志愿");
    let refused = expect(
        app.post_case(Some(&new_key()), &stray).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(refused["fields"][0]["code"], "not_volunteer");
}

async fn public_text_masks_phone_numbers_however_they_are_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let written = [
        ("138 0971 5678", "138 **** 5678"),
        ("138-0971-5679", "138-****-5679"),
        ("１３８０９７１５６７０", "１３８****５６７０"),
    ];
    for (number, masked) in written {
        let mut body = valid_case();
        body["description"] = json!(format!("饭店油烟直排，请联系{number}处理"));
        let receipt: Value = expect(
            app.post_case(Some(&new_key()), &body).await,
            StatusCode::CREATED,
        )
        .await;
        let case_number = receipt["case_number"].as_str().unwrap();
        let public = expect(
            app.get(&format!("/open311/v2/requests/{case_number}.json"))
                .await,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            public[0]["description"],
            format!("饭店油烟直排，请联系{masked}处理"),
            "{number}"
        );
    }
}

async fn no_staff_view_shows_the_lookup_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (number, _, dispatcher) = dispatched_case(&app).await;
    // One waiting for dispatch too, so that every role's queue lists a case.
    let waiting = app.submit_valid_case().await.case.case_number.to_string();
    let code = {
        let row = crate::helpers::texts(
            &app.database,
            &format!("SELECT lookup_code FROM \"case\" WHERE case_number = '{number}'"),
        )
        .await;
        row[0].clone().unwrap()
    };
    let handler = app.login("handler-ecology").await;
    let supervisor = app.login("supervisor").await;
    let path = format!("/api/v1/staff/cases/{number}");
    let mut seen = Vec::new();
    for (who, token) in [
        ("dispatcher", &dispatcher),
        ("handler", &handler),
        ("supervisor", &supervisor),
    ] {
        seen.push((
            who,
            expect(app.staff_get(token, &path).await, StatusCode::OK).await,
        ));
        let list = app.staff_get(token, "/api/v1/staff/cases").await;
        seen.push((who, expect(list, StatusCode::OK).await));
    }
    let revealed = app.staff_act(&handler, &number, "contact", json!({})).await;
    seen.push(("handler", expect(revealed, StatusCode::OK).await));
    for (who, view) in seen {
        let text = view.to_string();
        assert!(
            text.contains(&number) || text.contains(&waiting),
            "{who} sees a case: {text}"
        );
        assert!(!text.contains(&code), "{who} sees the lookup code: {text}");
        assert!(!text.contains("lookup_code"), "{who}: {text}");
    }
}

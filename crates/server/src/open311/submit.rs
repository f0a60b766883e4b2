//! `POST requests`: an appeal from an Open311 client, form-encoded or multipart (a photo in the
//! part named `media`), with an API key. It goes through the same rules and the same intake as
//! the app's submissions, on the `open311` channel.

use std::collections::BTreeMap;
use std::net::IpAddr;

use axum::Form;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use yousu_core::attribute::check_attributes;
use yousu_core::{CaseDraft, Channel, Position};

use super::{Lang, Open311Error};
use crate::app::AppState;
use crate::rate_limit::Door;
use crate::services::cases::{self, Intake, random_hex, sha256_hex};
use crate::services::photos;

/// How far a position may be from a community's centre and still be placed in it.
const NEAREST_COMMUNITY_METRES: f64 = 5_000.0;

/// A submission's fields (repeated keys kept) and its photo.
struct Posted {
    fields: Vec<(String, String)>,
    media: Option<Vec<u8>>,
}

impl Posted {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}

async fn read_body(state: &AppState, request: Request) -> Result<Posted, Open311Error> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|rejection| Open311Error::new(rejection.status(), rejection.body_text()))?;
        return Ok(Posted {
            fields,
            media: None,
        });
    }
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|rejection| Open311Error::new(rejection.status(), rejection.body_text()))?;
        let mut posted = Posted {
            fields: Vec::new(),
            media: None,
        };
        let unreadable = |e: axum::extract::multipart::MultipartError| {
            Open311Error::new(
                e.status(),
                format!("the multipart body cannot be read: {e}"),
            )
        };
        while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "media" {
                if posted.media.is_some() {
                    return Err(Open311Error::bad("send one photo in media"));
                }
                posted.media = Some(field.bytes().await.map_err(unreadable)?.to_vec());
            } else {
                let text = field.text().await.map_err(unreadable)?;
                posted.fields.push((name, text));
            }
        }
        return Ok(posted);
    }
    Err(Open311Error::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "send application/x-www-form-urlencoded or multipart/form-data",
    ))
}

/// Takes in one Open311 submission; answers `[{service_request_id, token, service_notice}]`.
pub async fn submit(
    state: &AppState,
    client: IpAddr,
    request: Request,
    lang: Lang,
) -> Result<Value, Open311Error> {
    let from_query = super::query_pairs(request.uri())?;
    let idempotency_key = request
        .headers()
        .get(yousu_core::api::IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    state
        .limiter
        .check(Door::Submit, client)
        .await
        .map_err(|e| Open311Error::from_app(e, lang))?;
    let posted = read_body(state, request).await?;

    // The key may come in the body or the query string (never anything personal there).
    let api_key = posted
        .get("api_key")
        .map(str::to_owned)
        .or_else(|| {
            from_query
                .iter()
                .find(|(k, _)| k == "api_key")
                .map(|(_, v)| v.clone())
        })
        .ok_or_else(|| Open311Error::forbidden("an api_key is required to submit"))?;
    let api_key_id = state
        .store
        .api_key_by_hash(&sha256_hex(api_key.as_bytes()))
        .await
        .map_err(Open311Error::from_store)?
        .ok_or_else(|| Open311Error::forbidden("this api_key is not valid"))?;
    state
        .limiter
        .check_key(Door::Submit, &format!("api-key/{api_key_id}"))
        .await
        .map_err(|e| Open311Error::from_app(e, lang))?;

    let service_code = posted
        .get("service_code")
        .ok_or_else(|| Open311Error::bad("service_code is required"))?;
    let category = state
        .reference
        .catalog
        .category(service_code)
        .ok_or_else(|| Open311Error::bad(format!("no service with the code {service_code}")))?
        .clone();

    let position = match (posted.get("lat"), posted.get("long")) {
        (None, None) => None,
        (Some(lat), Some(long)) => {
            let (lat, long) = lat
                .parse::<f64>()
                .ok()
                .zip(long.parse::<f64>().ok())
                .ok_or_else(|| Open311Error::bad("lat and long must be decimal degrees"))?;
            Some(Position::parse(lat, long).map_err(|e| {
                Open311Error::bad(format!(
                    "{}: {}",
                    e.field,
                    lang.pick(&e.message_zh, &e.message_en)
                ))
            })?)
        }
        _ => return Err(Open311Error::bad("send lat and long together")),
    };
    let address_string = posted.get("address_string").unwrap_or_default();
    let address_id = posted.get("address_id");
    if position.is_none() && address_string.is_empty() && address_id.is_none() {
        return Err(Open311Error::bad(
            "a location is required: lat and long, address_string or address_id",
        ));
    }
    let community_id = match address_id {
        Some(id) if state.reference.has_community(id) => id.to_owned(),
        Some(id) => {
            return Err(Open311Error::bad(format!(
                "address_id {id} is not a community id (see /api/v1/grid)"
            )));
        }
        None => position
            .and_then(|p| {
                state
                    .reference
                    .nearest_community(p, NEAREST_COMMUNITY_METRES)
            })
            .or_else(|| state.reference.community_named_in(address_string))
            .map(str::to_owned)
            .ok_or_else(|| {
                Open311Error::bad(
                    "the location is outside every community the platform knows: send \
                     address_id (a community id from /api/v1/grid) or name the community \
                     in address_string",
                )
            })?,
    };

    // No phone number: the appeal is anonymous, and no name or email is stored either.
    let phone = posted.get("phone").unwrap_or_default();
    let name = [posted.get("last_name"), posted.get("first_name")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("");
    let draft = CaseDraft {
        channel: None,
        category_id: category.category_id.clone(),
        let_platform_decide: false,
        description: posted.get("description").unwrap_or_default().to_owned(),
        community_id,
        address: address_string.to_owned(),
        contact_name: if phone.is_empty() {
            String::new()
        } else {
            name
        },
        contact_phone: phone.to_owned(),
        anonymous: phone.is_empty(),
        hide_identity_from_unit: false,
        photo_ids: Vec::new(),
        position,
        volunteer_name: String::new(),
    };
    let validated = draft.validate(
        |id| state.reference.has_category(id),
        |id| state.reference.has_community(id),
    );
    let mut given: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in &posted.fields {
        if let Some(code) = key
            .strip_prefix("attribute[")
            .map(|rest| rest.strip_suffix("][]").or_else(|| rest.strip_suffix(']')))
        {
            let code =
                code.ok_or_else(|| Open311Error::bad(format!("{key} is not attribute[CODE]")))?;
            given
                .entry(code.to_owned())
                .or_default()
                .push(value.clone());
        }
    }
    let answers = check_attributes(&category.attributes, &given);
    let (mut new_case, attributes) = match (validated, answers) {
        (Ok(case), Ok(answers)) => (case, answers),
        (validated, answers) => {
            let mut fields = validated.err().unwrap_or_default();
            fields.extend(answers.err().unwrap_or_default());
            return Err(Open311Error::from_app(
                crate::error::AppError::Invalid(fields),
                lang,
            ));
        }
    };

    // The same request again (a client's retry with its Idempotency-Key) hashes the same.
    let mut canonical: Vec<&(String, String)> = posted
        .fields
        .iter()
        .filter(|(k, _)| k != "api_key")
        .collect();
    canonical.sort();
    let media_hash = posted.media.as_deref().map(sha256_hex);
    let request_hash = sha256_hex(
        serde_json::to_string(&(&canonical, &media_hash, &api_key_id))
            .expect("strings serialise")
            .as_bytes(),
    );
    if let Some(media) = posted.media {
        let kept = photos::keep(state, "media", client, media.into())
            .await
            .map_err(|e| Open311Error::from_app(e, lang))?;
        new_case.photo_ids = vec![kept.photo_id];
    }
    let key = idempotency_key.unwrap_or_else(random_hex::<24>);
    let token = random_hex::<16>();
    let intake = Intake {
        new_case,
        channel: Channel::Open311,
        attributes,
        service_token: Some(token.clone()),
        api_key_id: Some(api_key_id),
        entered_by: None,
    };
    let owned = state.clone();
    let submission =
        tokio::spawn(async move { cases::take_in(&owned, &key, &request_hash, intake).await })
            .await
            .map_err(Open311Error::store)?
            .map_err(|e| Open311Error::from_app(e, lang))?;
    let notice = lang.pick(
        "已受理，七天内办结；可凭工单号查询进度",
        "accepted; to be finished within 7 days — follow it by its request id",
    );
    // A replay answers with the first submission's number; its token was the first one's.
    Ok(if submission.replayed {
        json!([{ "service_request_id": submission.case_number.as_str(), "service_notice": notice, "account_id": null }])
    } else {
        json!([{ "service_request_id": submission.case_number.as_str(), "token": token, "service_notice": notice, "account_id": null }])
    })
}

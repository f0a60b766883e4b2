//! Open311's reads: discovery, the service list and definitions, requests (filtered, paged) and
//! submission tokens. Public: no name, phone, email or street address is ever read for them,
//! phone-like digit runs in descriptions and notes are masked, positions are coarsened.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{Value, json};
use yousu_core::api::EventKind;
use yousu_core::attribute::AttributeType;
use yousu_core::case::city_offset;
use yousu_core::validation::mask_phone_numbers;
use yousu_core::{CaseStatus, Position};

use super::format::{Format, Reply};
use super::{Lang, Open311Error};
use crate::app::AppState;
use crate::store::open311::{PublicCaseRow, PublicExtras, PublicFilter};

/// The widest (and the default) `start_date`..`end_date` window.
pub const MAX_WINDOW_DAYS: i64 = 90;
/// The most requests one answer lists, and how many it lists unless asked: a whole 90 days in
/// one answer would cost every client and the server for rows few of them read.
pub const MAX_PAGE_SIZE: i64 = 1000;
pub const DEFAULT_PAGE_SIZE: i64 = 100;

pub fn discovery(base: &str, format: Format) -> Reply {
    Reply::ok(
        format,
        "discovery",
        json!({
            "changeset": "2026-11-26T00:00:00+08:00",
            "contact": "12345 政务服务便民热线 · Yousu",
            "key_service": "API keys are issued by the platform's administrators \
                (POST /api/v1/staff/api-keys)",
            "endpoints": [{
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-11-26T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }],
        }),
    )
}

pub fn services(state: &AppState, lang: Lang, format: Format) -> Reply {
    let services = state
        .reference
        .catalog
        .categories
        .iter()
        .map(|category| {
            let keywords: Vec<&str> = category
                .items
                .iter()
                .map(|i| lang.pick(&i.name_zh, &i.name_en))
                .collect();
            json!({
                "service_code": category.category_id,
                "service_name": lang.pick(&category.name_zh, &category.name_en),
                "description": lang.pick(
                    "由12345平台派至责任单位，七天内办结",
                    "dispatched by the 12345 platform to the responsible unit; finished within 7 days",
                ),
                "metadata": !category.attributes.is_empty(),
                "type": "realtime",
                "keywords": keywords.join(","),
                "group": lang.pick("12345诉求", "12345 appeals"),
            })
        })
        .collect();
    Reply::ok(format, "services", Value::Array(services))
}

pub fn service_definition(
    state: &AppState,
    code: &str,
    lang: Lang,
    format: Format,
) -> Result<Reply, Open311Error> {
    let category = state
        .reference
        .catalog
        .category(code)
        .ok_or_else(|| Open311Error::not_found(format!("no service with the code {code}")))?;
    let attributes: Vec<Value> = category
        .attributes
        .iter()
        .enumerate()
        .map(|(order, a)| {
            let mut attribute = json!({
                "variable": true,
                "code": a.code,
                "datatype": a.datatype.as_str(),
                "required": a.required,
                "datatype_description": datatype_description(a.datatype, lang),
                "order": order + 1,
                "description": lang.pick(&a.description_zh, &a.description_en),
            });
            if !a.values.is_empty() {
                attribute["values"] = a
                    .values
                    .iter()
                    .map(|v| json!({ "key": v.key, "name": lang.pick(&v.name_zh, &v.name_en) }))
                    .collect();
            }
            attribute
        })
        .collect();
    Ok(Reply::ok(
        format,
        "service_definition",
        json!({ "service_code": category.category_id, "attributes": attributes }),
    ))
}

fn datatype_description(datatype: AttributeType, lang: Lang) -> &'static str {
    match datatype {
        AttributeType::Datetime => lang.pick(
            "带时区的时间，如 2026-11-26T08:00:00+08:00",
            "a time with its offset, like 2026-11-26T08:00:00+08:00",
        ),
        AttributeType::Number => lang.pick("数字", "a number"),
        AttributeType::Multivaluelist => lang.pick("可多选", "one or more of the values"),
        AttributeType::Singlevaluelist => lang.pick("单选", "one of the values"),
        AttributeType::String | AttributeType::Text => "",
    }
}

/// The parameters of `GET requests`, as given.
#[derive(Debug, Default)]
pub struct RequestsQuery {
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub status: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub updated_after: Option<String>,
    pub updated_before: Option<String>,
    pub page: Option<String>,
    pub page_size: Option<String>,
    pub extensions: bool,
}

impl RequestsQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, Open311Error> {
        let mut query = Self::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "service_request_id" => &mut query.service_request_id,
                "service_code" => &mut query.service_code,
                "status" => &mut query.status,
                "start_date" => &mut query.start_date,
                "end_date" => &mut query.end_date,
                "updated_after" => &mut query.updated_after,
                "updated_before" => &mut query.updated_before,
                "page" => &mut query.page,
                "page_size" => &mut query.page_size,
                "extensions" => {
                    query.extensions = match value.as_str() {
                        "true" | "1" => true,
                        "false" | "0" | "" => false,
                        _ => return Err(Open311Error::bad("extensions must be true or false")),
                    };
                    continue;
                }
                // One jurisdiction; other parameters are ignored, as the spec asks of servers.
                _ => continue,
            };
            // "can be declared multiple times, comma delimited"
            match slot {
                Some(existing) => {
                    existing.push(',');
                    existing.push_str(value);
                }
                None => *slot = Some(value.clone()),
            }
        }
        Ok(query)
    }

    /// The store's filter, or what is wrong with the parameters.
    pub fn filter(&self, now: DateTime<Utc>) -> Result<PublicFilter, Open311Error> {
        let list = |text: &Option<String>| -> Vec<String> {
            text.iter()
                .flat_map(|t| t.split(','))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let page_size = number(&self.page_size, "page_size", DEFAULT_PAGE_SIZE)?;
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Open311Error::bad(format!(
                "page_size must be 1 to {MAX_PAGE_SIZE}"
            )));
        }
        let page = number(&self.page, "page", 1)?;
        if page < 1 {
            return Err(Open311Error::bad("page starts at 1"));
        }
        let mut filter = PublicFilter {
            limit: page_size,
            offset: (page - 1).saturating_mul(page_size),
            ..PublicFilter::default()
        };
        let ids = list(&self.service_request_id);
        if !ids.is_empty() {
            filter.case_numbers = ids;
            return Ok(filter);
        }
        filter.category_ids = list(&self.service_code);
        for status in list(&self.status) {
            match status.as_str() {
                "open" => filter.statuses.extend(OPEN),
                "closed" => filter.statuses.extend(CLOSED),
                other => {
                    return Err(Open311Error::bad(format!(
                        "status {other:?} is neither open nor closed"
                    )));
                }
            }
        }
        if filter.statuses.len() == OPEN.len() + CLOSED.len() {
            filter.statuses.clear();
        }
        let start = date(&self.start_date, "start_date")?;
        let end = date(&self.end_date, "end_date")?;
        let window = Duration::days(MAX_WINDOW_DAYS);
        let (from, to) = match (start, end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, s + window),
            (None, Some(e)) => (e - window, e),
            (None, None) => (now - window, now),
        };
        if to < from {
            return Err(Open311Error::bad("end_date is before start_date"));
        }
        if to - from > window {
            return Err(Open311Error::bad(format!(
                "start_date to end_date may span at most {MAX_WINDOW_DAYS} days"
            )));
        }
        filter.submitted_from = Some(from);
        filter.submitted_to = Some(to);
        filter.updated_after = date(&self.updated_after, "updated_after")?;
        filter.updated_before = date(&self.updated_before, "updated_before")?;
        Ok(filter)
    }
}

/// Statuses Open311 calls open (the work is not finished) and closed.
const OPEN: [&str; 7] = [
    "submitted",
    "accepted",
    "dispatched",
    "claimed",
    "in_progress",
    "return_requested",
    "reopened",
];
const CLOSED: [&str; 6] = [
    "completed",
    "rated",
    "archived",
    "invalid",
    "merged",
    "withdrawn",
];

fn number(text: &Option<String>, name: &str, default: i64) -> Result<i64, Open311Error> {
    match text {
        None => Ok(default),
        Some(t) => t
            .trim()
            .parse()
            .map_err(|_| Open311Error::bad(format!("{name} must be a whole number"))),
    }
}

fn date(text: &Option<String>, name: &str) -> Result<Option<DateTime<Utc>>, Open311Error> {
    text.as_deref()
        .map(|t| {
            DateTime::parse_from_rfc3339(t.trim())
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| {
                    Open311Error::bad(format!(
                        "{name} must be a W3C date-time, like 2026-11-26T00:00:00+08:00"
                    ))
                })
        })
        .transpose()
}

/// Times as Open311 wants them: with their offset (the city's, UTC+8).
pub fn w3c(time: DateTime<Utc>) -> String {
    time.with_timezone(&city_offset())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The requests matching the query, each as Open311 shows it.
pub async fn requests(
    state: &AppState,
    query: &RequestsQuery,
    base: &str,
    lang: Lang,
) -> Result<Value, Open311Error> {
    let filter = query.filter(state.clock.now())?;
    let rows = state
        .store
        .public_cases(&filter)
        .await
        .map_err(Open311Error::from_store)?;
    let extras = if query.extensions {
        let ids: Vec<i64> = rows.iter().map(|r| r.case_id).collect();
        Some(
            state
                .store
                .public_extras(&ids)
                .await
                .map_err(Open311Error::from_store)?,
        )
    } else {
        None
    };
    let mut requests = Vec::with_capacity(rows.len());
    for row in rows {
        let extended = extras.as_ref().map(|e| extensions(e, &row, base));
        requests.push(request_value(state, row, base, lang, extended));
    }
    Ok(Value::Array(requests))
}

/// The photos and timeline of a case, for `extensions=true`, from the page's extras.
fn extensions(extras: &PublicExtras, row: &PublicCaseRow, base: &str) -> (Value, Value) {
    let photos: Vec<String> = extras
        .photos
        .iter()
        .filter(|(case_id, _)| *case_id == row.case_id)
        .map(|(_, photo_id)| photo_url(base, photo_id))
        .collect();
    let notes: Vec<Value> = extras
        .events
        .iter()
        .filter(|e| e.case_id == row.case_id)
        .map(|e| {
            json!({
                "datetime": w3c(e.at),
                "summary": e.status,
                "description": e.note.as_deref().map(mask_phone_numbers),
                "type": if e.kind == EventKind::Note.as_str() { "note" } else { "status_change" },
            })
        })
        .collect();
    let extended = json!({
        "channel": row.channel,
        "photos": photos,
        "duplicate_parent": row.merged_into,
    });
    (extended, Value::Array(notes))
}

/// The absolute address of a photo; `base` is this Open311 endpoint's.
fn photo_url(base: &str, photo_id: &str) -> String {
    let origin = base.strip_suffix(super::PREFIX).unwrap_or(base);
    format!("{origin}/api/v1/photos/{photo_id}")
}

fn request_value(
    state: &AppState,
    row: PublicCaseRow,
    base: &str,
    lang: Lang,
    extended: Option<(Value, Value)>,
) -> Value {
    let reference = &state.reference;
    let status = CaseStatus::parse(&row.status);
    let closed = CLOSED.contains(&row.status.as_str());
    let category = reference.catalog.category(&row.category_id);
    let unit = row.unit_id.as_deref().and_then(|u| reference.unit(u));
    let address = reference.community_path(&row.community_id).map(|path| {
        path.iter()
            .map(|(zh, en)| lang.pick(zh, en))
            .collect::<Vec<_>>()
            .join(lang.pick("", ", "))
    });
    let position = match (row.latitude, row.longitude) {
        (Some(lat), Some(long)) => Some(Position { lat, long }.coarse()),
        _ => None,
    };
    let status_notes = match (status, &row.reply, &row.merged_into) {
        (Some(CaseStatus::Merged), _, Some(parent)) => {
            Some(format!("{} {parent}", lang.pick("已合并至", "merged into")))
        }
        (
            Some(CaseStatus::Completed | CaseStatus::Rated | CaseStatus::Archived),
            Some(reply),
            _,
        ) => Some(mask_phone_numbers(reply)),
        (Some(status), _, _) => Some(status_label(status, lang).to_owned()),
        (None, _, _) => None,
    };
    let service_notice = match (closed, row.deadline_at) {
        (false, Some(deadline)) => Some(format!(
            "{} {}",
            lang.pick("办结时限：", "to be finished by"),
            w3c(deadline)
        )),
        _ => None,
    };
    let mut value = json!({
        "service_request_id": row.case_number,
        "status": if closed { "closed" } else { "open" },
        "status_notes": status_notes,
        "service_name": category.map(|c| lang.pick(&c.name_zh, &c.name_en)),
        "service_code": row.category_id,
        "description": mask_phone_numbers(&row.description),
        "agency_responsible": unit.map(|u| lang.pick(&u.name_zh, &u.name_en)),
        "service_notice": service_notice,
        "requested_datetime": w3c(row.submitted_at),
        "updated_datetime": w3c(row.updated_at.unwrap_or(row.submitted_at)),
        "expected_datetime": row.deadline_at.map(w3c),
        "address": address,
        "address_id": row.community_id,
        "zipcode": null,
        "lat": position.map(|p| p.lat),
        "long": position.map(|p| p.long),
        "media_url": row.first_photo.as_deref().map(|p| photo_url(base, p)),
    });
    if let Some((extended, notes)) = extended {
        value["extended_attributes"] = extended;
        value["notes"] = notes;
    }
    value
}

fn status_label(status: CaseStatus, lang: Lang) -> &'static str {
    use CaseStatus::*;
    let (zh, en) = match status {
        Submitted => ("已提交", "submitted"),
        Accepted => ("已受理，待派单", "accepted, to be dispatched"),
        Dispatched => (
            "已派单，待责任单位接单",
            "dispatched to the responsible unit",
        ),
        Claimed => ("责任单位已接单", "claimed by the responsible unit"),
        InProgress => ("办理中", "in progress"),
        Completed => ("已办结", "completed"),
        Rated => ("已评价", "rated"),
        Archived => ("已归档", "archived"),
        ReturnRequested => ("退单申请会商中", "under joint review"),
        Reopened => ("重办中", "reopened"),
        Invalid => ("无效诉求", "invalid"),
        Merged => ("已合并", "merged"),
        Withdrawn => ("已撤回", "withdrawn"),
    };
    lang.pick(zh, en)
}

/// `GET tokens/{token}`: the request a submission token stands for.
pub async fn token(state: &AppState, token: &str) -> Result<Value, Open311Error> {
    let number = state
        .store
        .case_number_by_service_token(token)
        .await
        .map_err(Open311Error::from_store)?
        .ok_or_else(|| Open311Error::not_found("no request has this token"))?;
    Ok(json!([{ "service_request_id": number, "token": token }]))
}

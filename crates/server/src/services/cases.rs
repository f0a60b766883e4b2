//! Taking in a resident's appeal and showing it back to them.

use chrono::Utc;
use sha2::{Digest, Sha256};
use yousu_core::api::{CaseView, IDEMPOTENCY_KEY_LEN, TimelineEntry};
use yousu_core::{CaseDraft, CaseNumber, CaseStatus, LookupCode, TimeTier, case::city_offset};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{CaseInsert, CaseRecord, EventInsert, Inserted};

/// How the resident proves a case is theirs.
pub enum Credential {
    /// The submitting device's idempotency key, sent as a bearer token.
    DeviceKey(String),
    /// The lookup code from the receipt.
    LookupCode(String),
}

/// Whether a submission made a new case or replayed an earlier one with the same key.
pub enum Submitted {
    Created(CaseView),
    Replayed(CaseView),
}

/// Validates and stores a resident's submission, exactly once per idempotency key.
///
/// A web submission is accepted (受理) on arrival: its 7-day clock starts now. The general tier
/// applies until a dispatcher picks the dispatch item.
pub async fn submit_case(
    state: &AppState,
    idempotency_key: Option<&str>,
    draft: CaseDraft,
) -> AppResult<Submitted> {
    let key = idempotency_key.ok_or_else(|| AppError::BadRequest {
        code: "missing_idempotency_key",
        message: "send a random Idempotency-Key header with every submission".into(),
    })?;
    if !IDEMPOTENCY_KEY_LEN.contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest {
            code: "invalid_idempotency_key",
            message: format!(
                "the Idempotency-Key header must be {} to {} visible ASCII characters",
                IDEMPOTENCY_KEY_LEN.start(),
                IDEMPOTENCY_KEY_LEN.end()
            ),
        });
    }
    let new_case = draft
        .validate(
            |id| state.reference.has_category(id),
            |id| state.reference.has_community(id),
        )
        .map_err(AppError::Invalid)?;
    let now = Utc::now();
    let tier = TimeTier::General;
    let insert = CaseInsert {
        idempotency_key_hash: hash_key(key),
        lookup_code: LookupCode::from_random(random_u64()),
        channel: new_case.channel,
        status: CaseStatus::Accepted,
        category_id: new_case.category_id,
        community_id: new_case.community_id,
        description: new_case.description.as_str().to_owned(),
        address: new_case.address,
        contact_name: new_case.contact_name.map(|n| n.as_str().to_owned()),
        contact_phone: new_case.contact_phone.as_str().to_owned(),
        tier,
        submitted_at: now,
        accepted_at: Some(now),
        deadline_at: Some(tier.deadline(now)),
        number_day: now.with_timezone(&city_offset()).date_naive(),
        events: vec![
            EventInsert {
                status: CaseStatus::Submitted,
                actor: "resident".into(),
                at: now,
                note: None,
            },
            EventInsert {
                status: CaseStatus::Accepted,
                actor: "system".into(),
                at: now,
                note: None,
            },
        ],
    };
    Ok(match state.store.insert_case(&insert).await? {
        Inserted::Created(record) => Submitted::Created(view(record)),
        Inserted::Replayed(record) => Submitted::Replayed(view(record)),
    })
}

/// The case, if the credential opens it. A wrong credential and an unknown number look the same,
/// so case numbers cannot be probed.
pub async fn get_case(
    state: &AppState,
    case_number: &str,
    credential: Option<Credential>,
) -> AppResult<CaseView> {
    const WHAT: &str = "case";
    let number = CaseNumber::parse(case_number).ok_or(AppError::NotFound(WHAT))?;
    let credential = credential.ok_or(AppError::NotFound(WHAT))?;
    let record = state
        .store
        .case_by_number(&number)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let opens = match credential {
        Credential::DeviceKey(key) => constant_time_eq(
            hash_key(&key).as_bytes(),
            record.idempotency_key_hash.as_bytes(),
        ),
        Credential::LookupCode(code) => LookupCode::parse(&code).is_some_and(|code| {
            constant_time_eq(
                code.as_str().as_bytes(),
                record.lookup_code.as_str().as_bytes(),
            )
        }),
    };
    if opens {
        Ok(view(record))
    } else {
        Err(AppError::NotFound(WHAT))
    }
}

fn view(record: CaseRecord) -> CaseView {
    CaseView {
        case_number: record.case_number,
        lookup_code: record.lookup_code,
        status: record.status,
        channel: record.channel,
        category_id: record.category_id,
        community_id: record.community_id,
        description: record.description,
        address: record.address,
        tier: record.tier,
        submitted_at: record.submitted_at,
        accepted_at: record.accepted_at,
        deadline_at: record.deadline_at,
        timeline: record
            .events
            .into_iter()
            .map(|e| TimelineEntry {
                status: e.status,
                at: e.at,
                note: e.note,
            })
            .collect(),
        server_time: Utc::now(),
    }
}

fn hash_key(key: &str) -> String {
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    u64::from_le_bytes(bytes)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

//! Taking in a resident's appeal and showing it back to them.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::Duration;
use sha2::{Digest, Sha256};
use yousu_core::api::EventKind;
use yousu_core::api::{CaseReceipt, CaseView, IDEMPOTENCY_KEY_LEN, StaffRole};
use yousu_core::attribute::AttributeAnswers;
use yousu_core::lifecycle::Actor;
use yousu_core::{
    CaseDraft, CaseNumber, CaseStatus, Channel, Contact, FieldError, LookupCode, NewCase, TimeTier,
    case::city_offset,
};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};
use crate::services::views::view;
use crate::store::intake::{KeyClaim, RenderOwnedAnswer, TakenIn};
use crate::store::{CaseInsert, CaseRecord, EventInsert, Reservation, StoreError};

/// How the resident proves a case is theirs.
pub enum Credential {
    /// The access token the submission answered with, sent as a bearer token.
    AccessToken(String),
    /// The lookup code from the receipt.
    LookupCode(String),
}

/// The answer to a submission: the first one, or a replay of it for a retried key.
pub struct Submission {
    pub case_number: CaseNumber,
    pub status: StatusCode,
    /// The JSON of a `CaseReceipt`.
    pub body: String,
    pub replayed: bool,
}

/// An attempt that reserved a key and shows no sign of life for this long is taken to have died.
const KEY_LEASE: Duration = Duration::seconds(30);

/// Validates and stores a resident's submission, exactly once per idempotency key. Once the
/// key is reserved the work runs to the end on its own task, even if the client hangs up (a
/// reload, a lost connection): otherwise the reservation would block the retry until its lease
/// ran out.
pub async fn submit_case(
    state: &AppState,
    idempotency_key: Option<&str>,
    draft: CaseDraft,
) -> AppResult<Submission> {
    let state = state.clone();
    let key = idempotency_key.map(str::to_owned);
    tokio::spawn(async move { submit_case_to_the_end(&state, key.as_deref(), draft).await })
        .await
        .map_err(|e| AppError::Store(StoreError::Corrupt(format!("submission task failed: {e}"))))?
}

/// The submission itself. Invalid input is refused before the key is looked at, so the resident can correct the fields
/// and send again with the same key. A web submission is accepted (受理) on arrival: its 7-day
/// clock starts now. The general tier applies until a dispatcher picks the dispatch item.
async fn submit_case_to_the_end(
    state: &AppState,
    idempotency_key: Option<&str>,
    draft: CaseDraft,
) -> AppResult<Submission> {
    let key = checked_key(idempotency_key)?;
    let new_case = draft
        .validate(
            |id| state.reference.has_category(id),
            |id| state.reference.has_community(id),
        )
        .map_err(AppError::Invalid)?;
    let (request_hash, intake) = app_intake(state, &draft, new_case, None);
    take_in(state, key, &request_hash, intake).await
}

/// A validated draft from the app or a staff member's form as an intake, with the hash that
/// tells its retries from another request: the category filled in when the platform may decide.
fn app_intake(
    state: &AppState,
    draft: &CaseDraft,
    mut new_case: NewCase,
    entered_by: Option<(Actor, String)>,
) -> (String, Intake) {
    if new_case.category_id.is_empty() {
        new_case.category_id = crate::services::suggestions::category_for(state, &new_case);
    }
    let request_hash = sha256_hex(&serde_json::to_vec(draft).expect("a draft serialises"));
    let intake = Intake {
        channel: new_case.channel,
        new_case,
        attributes: Default::default(),
        service_token: None,
        api_key_id: None,
        entered_by,
    };
    (request_hash, intake)
}

/// An appeal a hotline operator (or a colleague taking a letter, a visit or a media report)
/// enters for a resident: the same rules and the same intake, on the channel it came by, with
/// the staff member on its timeline.
pub async fn enter_case(
    state: &AppState,
    session: &StaffSession,
    idempotency_key: Option<&str>,
    draft: CaseDraft,
) -> AppResult<Submission> {
    session.require(&[StaffRole::Operator, StaffRole::Dispatcher, StaffRole::Admin])?;
    let key = checked_key(idempotency_key)?.to_owned();
    let new_case = draft
        .validate_staff_intake(
            |id| state.reference.has_category(id),
            |id| state.reference.has_community(id),
        )
        .map_err(AppError::Invalid)?;
    let entered_by = (
        session.account.role.actor(),
        session.account.staff_account_id.clone(),
    );
    let (request_hash, intake) = app_intake(state, &draft, new_case, Some(entered_by));
    let state = state.clone();
    tokio::spawn(async move { take_in(&state, &key, &request_hash, intake).await })
        .await
        .map_err(|e| AppError::Store(StoreError::Corrupt(format!("intake task failed: {e}"))))?
}

/// The client's Idempotency-Key, if it is one.
fn checked_key(idempotency_key: Option<&str>) -> AppResult<&str> {
    let key = idempotency_key.ok_or_else(|| {
        AppError::bad_request(
            "missing_idempotency_key",
            "send a random Idempotency-Key header with every submission",
        )
    })?;
    if !IDEMPOTENCY_KEY_LEN.contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_request(
            "invalid_idempotency_key",
            format!(
                "the Idempotency-Key header must be {} to {} visible ASCII characters",
                IDEMPOTENCY_KEY_LEN.start(),
                IDEMPOTENCY_KEY_LEN.end()
            ),
        ));
    }
    Ok(key)
}

/// A validated appeal from any door, with what that door adds.
pub struct Intake {
    pub new_case: NewCase,
    pub channel: Channel,
    pub attributes: AttributeAnswers,
    pub service_token: Option<String>,
    pub api_key_id: Option<String>,
    /// The staff member who entered it for the resident, if one did.
    pub entered_by: Option<(Actor, String)>,
}

/// Stores a validated appeal exactly once per idempotency key (`request_hash` tells a retry
/// from another request under the same key). A web submission is accepted (受理) on arrival:
/// its 7-day clock starts now. The general tier applies until a dispatcher picks the dispatch
/// item.
pub async fn take_in(
    state: &AppState,
    key: &str,
    request_hash: &str,
    intake: Intake,
) -> AppResult<Submission> {
    let Intake {
        new_case,
        channel,
        attributes,
        service_token,
        api_key_id,
        entered_by,
    } = intake;
    let key_hash = sha256_hex(key.as_bytes());
    let now = state.clock.now();
    let (contact_name, contact_phone, anonymous, hide_identity) = match new_case.contact {
        // An anonymous appeal stores no contact at all.
        Contact::Anonymous => (None, String::new(), true, false),
        Contact::Known {
            name,
            phone,
            hide_from_unit,
        } => (
            name.map(|n| n.as_str().to_owned()),
            phone.as_str().to_owned(),
            false,
            hide_from_unit,
        ),
    };
    let access_token = random_hex::<32>();
    let tier = TimeTier::General;
    let insert = CaseInsert {
        idempotency_key_hash: key_hash.clone(),
        access_token_hash: sha256_hex(access_token.as_bytes()),
        lookup_code: LookupCode::from_random(u64::from_le_bytes(random_bytes())),
        channel,
        status: CaseStatus::Accepted,
        category_id: new_case.category_id,
        community_id: new_case.community_id,
        description: new_case.description.as_str().to_owned(),
        address: new_case.address,
        contact_name,
        contact_phone,
        anonymous,
        hide_identity,
        volunteer_name: new_case.volunteer.as_ref().map(|n| n.as_str().to_owned()),
        tier,
        submitted_at: now,
        accepted_at: Some(now),
        deadline_at: Some(state.rules.deadline(tier, now)),
        number_day: now.with_timezone(&city_offset()).date_naive(),
        position: new_case.position,
        attributes,
        photo_ids: new_case.photo_ids.clone(),
        service_token,
        api_key_id,
        events: vec![
            EventInsert {
                kind: EventKind::Transition,
                status: CaseStatus::Submitted,
                actor: entered_by
                    .as_ref()
                    .map_or(Actor::Resident, |(actor, _)| *actor),
                actor_id: entered_by.map(|(_, id)| id),
                unit_id: None,
                at: now,
                note: None,
            },
            EventInsert {
                kind: EventKind::Transition,
                status: CaseStatus::Accepted,
                actor: Actor::System,
                actor_id: None,
                unit_id: None,
                at: now,
                note: None,
            },
        ],
    };
    let rules = state.rules.clone();
    let clock = state.clock;
    // The answer is kept (for replays) with the token sealed; the client gets it unsealed below.
    let sealed_token = sealed(&access_token, key);
    let answer: RenderOwnedAnswer = Arc::new(move |record: &CaseRecord| {
        let receipt = CaseReceipt {
            case: view(record.clone(), &rules, clock),
            access_token: sealed_token.clone(),
        };
        let body = serde_json::to_string(&receipt).expect("a receipt serialises");
        (StatusCode::CREATED.as_u16(), body)
    });
    let claim = KeyClaim {
        key_hash,
        request_hash: request_hash.to_owned(),
        now,
        stale_before: now - KEY_LEASE,
    };
    // Claiming the key and writing the case are one transaction: nothing to give back if it fails.
    let taken = state.store.take_in(claim, insert.clone(), answer).await;
    match taken.map_err(|error| match error {
        StoreError::PhotoUnavailable(_) => photo_unavailable(),
        other => other.into(),
    })? {
        TakenIn::Written(case_number, (status, body)) => {
            crate::services::watchers::case_taken_in(state, &case_number, &insert);
            Ok(Submission {
                case_number,
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED),
                body: unsealed_receipt(&body, key)?,
                replayed: false,
            })
        }
        TakenIn::Earlier(Reservation::Replay { status, body }) => {
            #[derive(serde::Deserialize)]
            struct Numbered {
                case_number: CaseNumber,
            }
            let Numbered { case_number } = serde_json::from_str(&body)
                .map_err(|e| StoreError::Corrupt(format!("stored answer of a key: {e}")))?;
            Ok(Submission {
                case_number,
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body: unsealed_receipt(&body, key)?,
                replayed: true,
            })
        }
        TakenIn::Earlier(Reservation::Reused) => Err(AppError::client(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was already used for a different submission",
        )),
        TakenIn::Earlier(Reservation::InFlight) => Err(AppError::client(
            StatusCode::CONFLICT,
            "submission_in_progress",
            "a submission with this Idempotency-Key is still being handled; retry shortly",
        )),
    }
}

/// An access token (hex) sealed with the idempotency key it was issued under, or unsealed again:
/// XOR with a pad hashed from the key. The database keeps only another hash of the key
/// (`sha256(key)`), so the answer kept for replays for a day hands the token back to the client
/// that holds the key, and to nobody who reads the database or a backup of it.
fn sealed(token_hex: &str, key: &str) -> String {
    let pad = Sha256::new()
        .chain_update(b"yousu: the access token in a kept answer\0")
        .chain_update(key.as_bytes())
        .finalize();
    token_hex
        .as_bytes()
        .chunks(2)
        .zip(pad.iter().cycle())
        .map(|(pair, pad)| {
            let byte = std::str::from_utf8(pair)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .unwrap_or(0);
            format!("{:02x}", byte ^ pad)
        })
        .collect()
}

/// A kept receipt (JSON) with its access token unsealed for the client holding `key`.
fn unsealed_receipt(body: &str, key: &str) -> AppResult<String> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("a kept answer: {e}"));
    let mut receipt: serde_json::Value = serde_json::from_str(body).map_err(corrupt)?;
    if let Some(serde_json::Value::String(token)) = receipt.get_mut("access_token") {
        *token = sealed(token, key);
    }
    Ok(serde_json::to_string(&receipt).map_err(corrupt)?)
}

fn photo_unavailable() -> AppError {
    AppError::Invalid(vec![FieldError::new(
        "photo_ids",
        "unknown",
        "有照片未上传成功或已用于其他诉求，请重新添加",
        "a photo was not uploaded, or belongs to another appeal; add it again",
    )])
}

/// The case, if the credential opens it. A wrong credential and an unknown number look the same,
/// so case numbers cannot be probed.
pub async fn get_case(
    state: &AppState,
    case_number: &str,
    credential: Option<Credential>,
) -> AppResult<CaseView> {
    let credential = credential.ok_or(AppError::NotFound("case"))?;
    if !matches!(credential, Credential::LookupCode(_)) {
        let record = open_case(state, case_number, credential).await?;
        return Ok(view(record, &state.rules, state.clock));
    }
    // Nothing can be opened by a number that does not parse: no case to count a guess against.
    let number = CaseNumber::parse(case_number).ok_or(AppError::NotFound("case"))?;
    state.limiter.begin_lookup(&number).await?;
    let record = open_case(state, number.as_str(), credential).await?;
    state.limiter.lookup_opened(&number).await;
    Ok(view(record, &state.rules, state.clock))
}

/// The stored case, if the credential opens it; `NotFound` otherwise.
pub async fn open_case(
    state: &AppState,
    case_number: &str,
    credential: Credential,
) -> AppResult<CaseRecord> {
    const WHAT: &str = "case";
    let number = CaseNumber::parse(case_number).ok_or(AppError::NotFound(WHAT))?;
    let record = state
        .store
        .case_by_number(&number)
        .await?
        .ok_or(AppError::NotFound(WHAT))?;
    let opens = match &credential {
        Credential::AccessToken(token) => record.access_token_hash.as_ref().is_some_and(|hash| {
            constant_time_eq(sha256_hex(token.as_bytes()).as_bytes(), hash.as_bytes())
        }),
        Credential::LookupCode(code) => LookupCode::parse(code).is_some_and(|code| {
            constant_time_eq(
                code.as_str().as_bytes(),
                record.lookup_code.as_str().as_bytes(),
            )
        }),
    };
    if opens {
        Ok(record)
    } else {
        Err(AppError::NotFound(WHAT))
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    bytes
}

/// `n` random bytes as hex.
pub(crate) fn random_hex<const N: usize>() -> String {
    random_bytes::<N>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

//! The JSON API's request and response bodies (`/api/v1`), shared by the server and the app.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{CaseNumber, CaseStatus, Channel, LookupCode};
use crate::deadline::TimeTier;
use crate::lifecycle::Actor;
use crate::validation::FieldError;

/// The path prefix of our own API.
pub const API_PREFIX: &str = "/api/v1";

/// The header carrying a submission's idempotency key (the IETF HTTP API draft's): a random value
/// the client makes once per submission and sends again on every retry. A retry with the same key
/// and body gets the first answer again; the same key with another body is refused (422); a retry
/// while the first attempt is still running is told to wait (409). Keys are kept at least
/// [`IDEMPOTENCY_KEY_KEPT_HOURS`].
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// The header that carries a case's lookup code when it is opened without its access token. A
/// header, not the query string: addresses end up in proxy logs and browser histories.
pub const LOOKUP_CODE_HEADER: &str = "X-Lookup-Code";

/// Set (to `true`) on an answer that replays the first answer to the same idempotency key.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// How long the server remembers an idempotency key and its answer.
pub const IDEMPOTENCY_KEY_KEPT_HOURS: i64 = 24;

/// Shortest and longest accepted idempotency key (characters; a UUID's 36 fit).
pub const IDEMPOTENCY_KEY_LEN: std::ops::RangeInclusive<usize> = 22..=128;

/// Every error the API returns has this shape: a stable code, a message, and for invalid input
/// one entry per wrong field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`; `read_only` when the database answers but cannot take writes now (locked, busy,
    /// a standby); `unavailable` when it does not answer. Anything but `ok` is a 503.
    pub status: String,
    pub version: String,
    pub database: String,
    /// Whether the database takes writes now: a submission made now would be stored.
    #[serde(default)]
    pub writable: bool,
    pub server_time: DateTime<Utc>,
}

/// What a timeline entry records.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// The case moved to `status`.
    #[default]
    Transition,
    /// Information added without moving the case.
    Note,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Transition => "transition",
            EventKind::Note => "note",
        }
    }
}

/// One step of a case's history, as the resident sees it: the status it reached, who moved it
/// (a role, never a person's name) and, for unit replies and progress notes, what they said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// A status change, or a note that left the status as it was.
    #[serde(default)]
    pub kind: EventKind,
    pub status: CaseStatus,
    pub actor: Actor,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A case as its resident sees it (`GET /api/v1/cases/{case_number}`). Contact details are never
/// sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseView {
    pub case_number: CaseNumber,
    /// The code that opens the case without its token: in the resident's own answers and in a
    /// receipt (an operator reads it to the caller), never in a staff view of the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_code: Option<LookupCode>,
    pub status: CaseStatus,
    pub channel: Channel,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The photos, in order; each is served at `/api/v1/photos/{id}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photo_ids: Vec<crate::PhotoId>,
    pub tier: TimeTier,
    pub submitted_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
    /// The unit's reply on completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<RatingView>,
    /// Re-handling was asked for once already (it is granted only once).
    #[serde(default)]
    pub reopened: bool,
    /// The four supervision nodes (督办节点) on the way to the deadline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<crate::deadline::SupervisionNode>,
    pub timeline: Vec<TimelineEntry>,
    /// The server's clock when it answered, so the app's countdown need not trust the phone's.
    pub server_time: DateTime<Utc>,
}

/// The answer to a submission (`POST /api/v1/cases`, 201): the case, and the access token that
/// opens it later from the submitting device (`Authorization: Bearer <token>`). The token is shown
/// only here; the server keeps its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseReceipt {
    #[serde(flatten)]
    pub case: CaseView,
    pub access_token: String,
}

crate::case::string_enum! {
    /// A staff member's role; each sees and does only its own part of the chain.
    StaffRole {
        Operator => "operator",
        Dispatcher => "dispatcher",
        UnitHandler => "unit_handler",
        Supervisor => "supervisor",
        Admin => "admin",
    }
}

impl StaffRole {
    /// The actor this role acts as in the case life-cycle.
    pub fn actor(self) -> crate::lifecycle::Actor {
        use crate::lifecycle::Actor;
        match self {
            StaffRole::Operator => Actor::Operator,
            StaffRole::Dispatcher => Actor::Dispatcher,
            StaffRole::UnitHandler => Actor::UnitHandler,
            StaffRole::Supervisor => Actor::Supervisor,
            StaffRole::Admin => Actor::Admin,
        }
    }
}

/// `POST /api/v1/staff/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `POST /api/v1/staff/password`: a staff member changes their own password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// A staff account as the API shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccountView {
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
}

/// The answer to a login: a session token for `Authorization: Bearer`, valid until `expires_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: StaffAccountView,
}

/// `POST /api/v1/staff/cases/{case_number}/dispatch`: send the case to its responsible unit.
/// The dispatch item, when given, sets the time tier (and so the deadline) unless `tier` says
/// otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DispatchRequest {
    pub unit_id: String,
    #[serde(default)]
    pub catalog_item_id: Option<String>,
    #[serde(default)]
    pub tier: Option<TimeTier>,
}

/// A body carrying only a reason or a reply (completion, return request, refusal, invalid, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteRequest {
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/staff/cases/{case_number}/return-request/decision`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReturnDecision {
    /// The return is justified: the case goes to `unit_id`.
    Redispatch { unit_id: String, note: String },
    /// The case stays with the unit that received it; the refusal counts against that unit.
    Refuse { note: String },
}

/// `POST /api/v1/staff/cases/{case_number}/merge`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeRequest {
    pub into_case_number: CaseNumber,
}

/// `POST /api/v1/cases/{case_number}/rating` (with the case's access token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRequest {
    pub resolved: bool,
    pub satisfaction: crate::rates::Satisfaction,
    #[serde(default)]
    pub comment: String,
}

/// The resident's contact details as one staff member may see them at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ContactView {
    /// The appeal was made anonymously: there is nothing to see.
    Anonymous,
    /// The resident asked that the handling unit not know who they are.
    Hidden,
    /// Family name and phone partly starred (lists, and units before they reveal).
    Masked {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        phone: String,
    },
    /// In full; every such view is recorded in the contact access log.
    Full {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        phone: String,
    },
}

/// A case as staff see it: the resident's view plus the handling, and the contact details the
/// role may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCaseView {
    #[serde(flatten)]
    pub case: CaseView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item_id: Option<String>,
    pub contact: ContactView,
    /// The volunteer who submitted for the resident, shown with the same care as the contact:
    /// masked unless disclosed, absent for a unit the resident's identity is hidden from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volunteer_name: Option<String>,
}

/// One staff view of a resident's contact details (who, when, why).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactAccess {
    pub username: String,
    pub role: StaffRole,
    /// `view` (platform staff opening the case) or `reveal` (a unit asking for the number).
    pub purpose: String,
    pub at: DateTime<Utc>,
}

/// `GET /api/v1/staff/cases/{case_number}/contact-access`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactAccessLog {
    pub accesses: Vec<ContactAccess>,
}

/// `GET /api/v1/staff/cases`: the cases a role works on, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffCaseList {
    pub cases: Vec<StaffCaseView>,
}

/// The resident's rating as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingView {
    pub resolved: bool,
    pub satisfaction: crate::rates::Satisfaction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

/// A supervision node that fired and did something (reminded the unit or escalated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FiredNodeView {
    pub case_number: CaseNumber,
    pub kind: crate::deadline::NodeKind,
    pub outcome: crate::deadline::NodeOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    pub due_at: DateTime<Utc>,
    pub fired_at: DateTime<Utc>,
}

/// `GET /api/v1/staff/supervision`: reminders and escalations, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupervisionList {
    pub nodes: Vec<FiredNodeView>,
}

/// One unit's month in the evaluation: its rates, each with the counts it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitEvaluation {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(flatten)]
    pub rates: crate::rates::UnitRates,
}

/// `GET /api/v1/evaluation?month=YYYY-MM`: the monthly evaluation (评) of every unit that had
/// cases, with last month's beside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub month: String,
    /// Units with fewer dispatches than this are marked `too_few_cases`.
    pub min_cases: u64,
    pub units: Vec<UnitEvaluation>,
    pub previous_month: Vec<UnitEvaluation>,
}

/// Received and finished cases of one category, district or community.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountBy {
    pub id: String,
    pub received: u64,
    pub finished: u64,
}

/// `GET /api/v1/figures?month=YYYY-MM`: the public figures (宣) of a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    pub month: String,
    pub received: u64,
    pub finished: u64,
    /// Finished by the deadline ÷ finished.
    pub on_time: crate::rates::Rate,
    pub by_category: Vec<CountBy>,
    pub by_district: Vec<CountBy>,
    /// The communities with most appeals received.
    pub hot_spots: Vec<CountBy>,
}

/// The answer to a photo upload (`POST /api/v1/photos`, 201): name the id in the submission's
/// `photo_ids`. A photo no submission takes within a day is deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoReceipt {
    pub photo_id: crate::PhotoId,
    pub kind: crate::PhotoKind,
    pub bytes: u64,
}

/// `POST /api/v1/staff/api-keys` (admin): a key for an Open311 client.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyRequest {
    /// Who the key is for, like `市政务服务中心 · 微信小程序`.
    pub label: String,
}

/// An Open311 API key as administrators see it; the secret is shown only when issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyView {
    pub api_key_id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// The secret itself, only in the answer that issued it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyList {
    pub api_keys: Vec<ApiKeyView>,
}

/// `POST /api/v1/suggestions`: what the platform proposes for an appeal being written (the
/// resident's "not sure — let the platform decide", the operator's intake form). The text goes in
/// a body, never a URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionRequest {
    pub description: String,
    /// Narrows the likely duplicates to this community.
    pub community_id: String,
    /// When the resident chose a category, only its items are proposed.
    pub category_id: String,
}

/// A responsible unit the platform proposes, with its confidence (0–1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitSuggestion {
    pub unit_id: String,
    pub confidence: f32,
}

/// A dispatch item the platform proposes, with its unit and confidence (0–1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSuggestion {
    pub catalog_item_id: String,
    pub category_id: String,
    pub unit_id: String,
    pub confidence: f32,
}

/// An open case of the same dispatch item in the same community whose words are close. Public:
/// its description is shown with digit runs masked, and nothing personal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LikelyDuplicate {
    pub case_number: CaseNumber,
    pub status: CaseStatus,
    pub description: String,
    pub submitted_at: DateTime<Utc>,
    pub similarity: f32,
}

/// The platform's proposals: the best three units and items, the one pre-selected when the best
/// is confident enough (the person still decides), and likely duplicates. Empty lists when the
/// engine has nothing to say or is unavailable: suggestions never block intake or dispatch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestions {
    pub units: Vec<UnitSuggestion>,
    pub items: Vec<ItemSuggestion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preselected_unit_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preselected_item_id: Option<String>,
    pub duplicates: Vec<LikelyDuplicate>,
}

/// `GET /api/v1/public/cases/{case_number}`: a case as anyone may follow it (a resident who
/// found it as a likely duplicate of theirs): no contact, no address line, no notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicCaseView {
    pub case_number: CaseNumber,
    pub status: CaseStatus,
    pub category_id: String,
    pub community_id: String,
    /// Digit runs masked.
    pub description: String,
    pub submitted_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<DateTime<Utc>>,
    /// The server's clock, for the countdown.
    pub server_time: DateTime<Utc>,
}

/// `POST /api/v1/staff/cases/{n}/notices` (supervisor): a supervision notice (督办单) the case's
/// unit must acknowledge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeRequest {
    /// What the unit must do, and by when.
    pub note: String,
}

/// A supervision notice (督办单) and whether its unit acknowledged it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub notice_id: i64,
    pub case_number: CaseNumber,
    pub unit_id: String,
    pub note: String,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/staff/notices`: supervisors see all, a unit handler their unit's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeList {
    pub notices: Vec<NoticeView>,
}

/// `POST /api/v1/staff/cases/{n}/whistle` (dispatcher, supervisor): a subdistrict blows the
/// whistle (吹哨) and summons departments to one case; each must report (报到) within the limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhistleRequest {
    /// The subdistrict that blows the whistle.
    pub subdistrict_id: String,
    /// The units summoned (at least one).
    pub unit_ids: Vec<String>,
    pub note: String,
    /// Hours each has to report (default 24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_hours: Option<u32>,
}

/// One summoned unit's report (报到), or its absence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhistleReport {
    pub unit_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
    /// Their part, as they state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A whistle on a case: who was summoned, by when, who reported and who has not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhistleView {
    pub whistle_id: i64,
    pub case_number: CaseNumber,
    pub subdistrict_id: String,
    pub note: String,
    pub blown_by: String,
    pub blown_at: DateTime<Utc>,
    pub report_by: DateTime<Utc>,
    pub reports: Vec<WhistleReport>,
}

/// `GET /api/v1/staff/cases/{n}/whistles` and `GET /api/v1/staff/whistles` (a unit handler:
/// the whistles that summon their unit).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhistleList {
    pub whistles: Vec<WhistleView>,
}

/// The wall screen's figures for today (city time), pushed by `GET /api/v1/staff/live`
/// (server-sent events named `figures`, one at connect and one within a second of each change)
/// and served once by `GET /api/v1/staff/live/today`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveFigures {
    pub received_today: u64,
    pub finished_today: u64,
    /// Finished today within their deadline.
    pub on_time_today: u64,
    pub open_now: u64,
    pub overdue_now: u64,
    pub by_category: Vec<CountBy>,
    pub by_district: Vec<CountBy>,
    /// Communities with the most cases received in the last 30 days, most first.
    pub hot_spots: Vec<CountBy>,
    pub server_time: DateTime<Utc>,
}

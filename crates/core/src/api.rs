//! The JSON API's request and response bodies (`/api/v1`), shared by the server and the app.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{CaseNumber, CaseStatus, Channel, LookupCode};
use crate::deadline::TimeTier;
use crate::validation::FieldError;

/// The path prefix of our own API.
pub const API_PREFIX: &str = "/api/v1";

/// The header carrying a submission's idempotency key (the IETF HTTP API draft's): a random value
/// the client makes once per submission and sends again on every retry. A retry with the same key
/// and body gets the first answer again; the same key with another body is refused (422); a retry
/// while the first attempt is still running is told to wait (409). Keys are kept at least
/// [`IDEMPOTENCY_KEY_KEPT_HOURS`].
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Set (to `true`) on an answer that replays the first answer to the same idempotency key.
pub const IDEMPOTENT_REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// How long the server remembers an idempotency key and its answer.
pub const IDEMPOTENCY_KEY_KEPT_HOURS: i64 = 24;

/// Shortest and longest accepted idempotency key (characters; a UUID's 36 fit).
pub const IDEMPOTENCY_KEY_LEN: std::ops::RangeInclusive<usize> = 22..=128;

/// Every error the API returns has this shape: a stable code, a message, and for invalid input
/// one entry per wrong field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// `GET /api/v1/health`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: String,
    pub server_time: DateTime<Utc>,
}

/// One step of a case's history, as the resident sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub status: CaseStatus,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A case as its resident sees it (`GET /api/v1/cases/{case_number}`). Contact details are never
/// sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub case_number: CaseNumber,
    pub lookup_code: LookupCode,
    pub status: CaseStatus,
    pub channel: Channel,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub tier: TimeTier,
    pub submitted_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_at: Option<DateTime<Utc>>,
    pub timeline: Vec<TimelineEntry>,
    /// The server's clock when it answered, so the app's countdown need not trust the phone's.
    pub server_time: DateTime<Utc>,
}

/// The answer to a submission (`POST /api/v1/cases`, 201): the case, and the access token that
/// opens it later from the submitting device (`Authorization: Bearer <token>`). The token is shown
/// only here; the server keeps its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReceipt {
    #[serde(flatten)]
    pub case: CaseView,
    pub access_token: String,
}

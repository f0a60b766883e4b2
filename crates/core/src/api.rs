//! The JSON API's request and response bodies (`/api/v1`), shared by the server and the app.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{CaseNumber, CaseStatus, Channel, LookupCode};
use crate::deadline::TimeTier;
use crate::validation::FieldError;

/// The path prefix of our own API.
pub const API_PREFIX: &str = "/api/v1";

/// The header carrying a submission's idempotency key. The key is a random secret made on the
/// submitting device: a retry with the same key returns the same case, and the key later opens the
/// case from that device (`Authorization: Bearer <key>`). The server stores only its hash.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

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

/// A case as its resident sees it: `POST /api/v1/cases` answers with it (201, or 200 for a
/// replayed idempotency key), and `GET /api/v1/cases/{case_number}` returns it. Contact details are
/// never sent back.
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

//! The cases sent from this phone: number, the device's key to open them, the lookup code and the
//! last status seen. No name or phone is kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use yousu_core::api::CaseView;
use yousu_core::{CaseNumber, CaseStatus, LookupCode};

const KEY: &str = "yousu.cases.v1";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedCase {
    pub case_number: CaseNumber,
    pub lookup_code: LookupCode,
    /// The submission's idempotency key, which opens the case from this device.
    pub device_key: String,
    pub status: CaseStatus,
    pub category_id: String,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
}

impl SavedCase {
    pub fn from_view(view: &CaseView, device_key: String) -> Self {
        Self {
            case_number: view.case_number.clone(),
            lookup_code: view.lookup_code.clone(),
            device_key,
            status: view.status,
            category_id: view.category_id.clone(),
            submitted_at: view.submitted_at,
            accepted_at: view.accepted_at,
            deadline_at: view.deadline_at,
        }
    }
}

pub fn all() -> Vec<SavedCase> {
    super::load(KEY).unwrap_or_default()
}

pub fn find(case_number: &CaseNumber) -> Option<SavedCase> {
    all().into_iter().find(|c| &c.case_number == case_number)
}

/// Adds the case or refreshes its saved status.
pub fn upsert(case: SavedCase) {
    let mut cases = all();
    match cases.iter_mut().find(|c| c.case_number == case.case_number) {
        Some(existing) => *existing = case,
        None => cases.push(case),
    }
    super::save(KEY, &cases);
}

/// Open cases first, the nearest deadline first; then finished ones, newest first.
pub fn most_urgent_first(cases: &mut [SavedCase]) {
    cases.sort_by(|a, b| {
        b.status.is_open().cmp(&a.status.is_open()).then_with(|| {
            match (a.status.is_open(), a.deadline_at, b.deadline_at) {
                (true, Some(x), Some(y)) => x.cmp(&y),
                _ => b.submitted_at.cmp(&a.submitted_at),
            }
        })
    });
}

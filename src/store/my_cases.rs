//! The cases sent from this phone: number, the access token that opens them, the lookup code and
//! the last status seen. No name or phone is kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use yousu_core::api::CaseView;
use yousu_core::{CaseNumber, CaseStatus, LookupCode};

const KEY: &str = "yousu.cases.v2";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedCase {
    pub case_number: CaseNumber,
    pub lookup_code: LookupCode,
    /// The token the submission answered with, which opens the case from this device and lets
    /// the resident act on it; absent for a case looked up by its code.
    pub access_token: Option<String>,
    pub status: CaseStatus,
    pub category_id: String,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
}

impl SavedCase {
    pub fn from_view(view: &CaseView, access_token: Option<String>) -> Self {
        Self {
            case_number: view.case_number.clone(),
            lookup_code: view.lookup_code.clone(),
            access_token,
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

/// Opens the case from the platform: with the access token if this phone has it, else with the
/// lookup code.
pub async fn fetch(case: &SavedCase) -> crate::api::ApiResult<CaseView> {
    match &case.access_token {
        Some(token) => crate::api::case_by_token(&case.case_number, token).await,
        None => crate::api::case_by_code(&case.case_number, case.lookup_code.as_str()).await,
    }
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

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn case(serial: u32, status: CaseStatus, submitted_day: u32, due_in_days: i64) -> SavedCase {
        let submitted = Utc
            .with_ymd_and_hms(2026, 11, submitted_day, 2, 0, 0)
            .unwrap();
        let date = submitted.date_naive();
        SavedCase {
            case_number: CaseNumber::new(date, serial).unwrap(),
            lookup_code: LookupCode::from_random(u64::from(serial)),
            access_token: Some(format!("token-{serial}")),
            status,
            category_id: "environment".into(),
            submitted_at: submitted,
            accepted_at: Some(submitted),
            deadline_at: Some(submitted + Duration::days(due_in_days)),
        }
    }

    #[test]
    fn open_cases_come_first_nearest_deadline_first_then_finished_newest_first() {
        let mut cases = vec![
            case(1, CaseStatus::Completed, 1, 7),
            case(2, CaseStatus::Accepted, 20, 7),
            case(3, CaseStatus::InProgress, 10, 30),
            case(4, CaseStatus::Rated, 5, 7),
            case(5, CaseStatus::Claimed, 24, 1),
        ];
        most_urgent_first(&mut cases);
        let order: Vec<u32> = cases
            .iter()
            .map(|c| c.case_number.as_str()[8..].parse().unwrap())
            .collect();
        // Due: #5 on the 25th, #2 on the 27th, #3 on 10 December; then #4 (5th), #1 (1st).
        assert_eq!(order, [5, 2, 3, 4, 1]);
    }
}

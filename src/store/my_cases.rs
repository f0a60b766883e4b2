//! The cases sent from this phone: number, the access token that opens them, the lookup code and
//! the last status seen; also cases a volunteer sent for others (with the label they chose) and
//! cases followed instead of reporting the same problem again. No name or phone is kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::draft::Proxy;
use yousu_core::api::{CaseView, PublicCaseView};
use yousu_core::{CaseNumber, CaseStatus, LookupCode};

const KEY: &str = "yousu.cases.v2";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedCase {
    pub case_number: CaseNumber,
    /// Absent for a case followed through its public view.
    pub lookup_code: Option<LookupCode>,
    /// The token the submission answered with, which opens the case from this device and lets
    /// the resident act on it; absent for a case looked up by its code.
    pub access_token: Option<String>,
    pub status: CaseStatus,
    pub category_id: String,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    /// Sent by a volunteer for someone else: kept apart from the volunteer's own cases.
    #[serde(default)]
    pub proxy: Option<Proxy>,
    /// Someone else's case, followed instead of reporting the same problem twice.
    #[serde(default)]
    pub followed: bool,
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
            proxy: None,
            followed: false,
        }
    }

    pub fn from_public(view: &PublicCaseView) -> Self {
        Self {
            case_number: view.case_number.clone(),
            lookup_code: None,
            access_token: None,
            status: view.status,
            category_id: view.category_id.clone(),
            submitted_at: view.submitted_at,
            accepted_at: None,
            deadline_at: view.deadline_at,
            proxy: None,
            followed: true,
        }
    }

    /// Takes a fresh view of the case, keeping what only this phone knows.
    pub fn refreshed(&self, view: &CaseView) -> Self {
        Self {
            proxy: self.proxy.clone(),
            ..Self::from_view(view, self.access_token.clone())
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
/// lookup code. A followed case has neither: see [`refresh`].
pub async fn fetch(case: &SavedCase) -> crate::api::ApiResult<CaseView> {
    match (&case.access_token, &case.lookup_code) {
        (Some(token), _) => crate::api::case_by_token(&case.case_number, token).await,
        (None, Some(code)) => crate::api::case_by_code(&case.case_number, code.as_str()).await,
        (None, None) => Err(crate::api::ApiFailure::Unreadable),
    }
}

/// Asks the platform where the case stands now and remembers it; the server's time it answered.
pub async fn refresh(case: &SavedCase) -> crate::api::ApiResult<DateTime<Utc>> {
    if case.followed {
        let view = crate::api::public_case(&case.case_number).await?;
        upsert(SavedCase {
            proxy: case.proxy.clone(),
            ..SavedCase::from_public(&view)
        });
        return Ok(view.server_time);
    }
    let view = fetch(case).await?;
    upsert(case.refreshed(&view));
    Ok(view.server_time)
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

/// The three lists of "my cases": one's own, those sent for others, those followed.
pub fn split(cases: Vec<SavedCase>) -> (Vec<SavedCase>, Vec<SavedCase>, Vec<SavedCase>) {
    let (followed, rest): (Vec<_>, Vec<_>) = cases.into_iter().partition(|c| c.followed);
    let (proxied, own) = rest.into_iter().partition(|c| c.proxy.is_some());
    (own, proxied, followed)
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
            lookup_code: Some(LookupCode::from_random(u64::from(serial))),
            access_token: Some(format!("token-{serial}")),
            status,
            category_id: "environment".into(),
            submitted_at: submitted,
            accepted_at: Some(submitted),
            deadline_at: Some(submitted + Duration::days(due_in_days)),
            proxy: None,
            followed: false,
        }
    }

    #[test]
    fn cases_sent_for_others_and_followed_ones_are_kept_apart() {
        let mut proxied = case(2, CaseStatus::Accepted, 2, 7);
        proxied.proxy = Some(Proxy {
            for_whom: "3号楼张奶奶".into(),
            volunteer_name: "小李".into(),
        });
        let mut followed = case(3, CaseStatus::Dispatched, 3, 7);
        followed.followed = true;
        let (own, others, follows) =
            split(vec![case(1, CaseStatus::Accepted, 1, 7), proxied, followed]);
        assert_eq!((own.len(), others.len(), follows.len()), (1, 1, 1));
        assert_eq!(others[0].proxy.as_ref().unwrap().for_whom, "3号楼张奶奶");
    }

    #[test]
    fn cases_saved_before_volunteers_existed_still_load() {
        let saved = serde_json::to_value(case(1, CaseStatus::Accepted, 1, 7)).unwrap();
        let mut old = saved.as_object().unwrap().clone();
        old.remove("proxy");
        old.remove("followed");
        let back: SavedCase = serde_json::from_value(old.into()).unwrap();
        assert!(back.proxy.is_none() && !back.followed && back.lookup_code.is_some());
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

//! What follows every change to a case: the open wall screens are told, the duplicate index
//! follows the case, and a completion (a dispatch that can no longer be returned) is learned.

use yousu_core::CaseNumber;

use crate::app::AppState;
use crate::services::live;
use crate::store::dispatching::OpenCaseText;
use crate::store::{CaseInsert, CaseRecord};

/// Indexes a case just taken in, off the submission's path.
pub fn case_taken_in(state: &AppState, case_number: &CaseNumber, insert: &CaseInsert) {
    live::notify(state);
    if !state.dispatching.enabled() {
        return;
    }
    let case = OpenCaseText {
        case_number: case_number.to_string(),
        status: insert.status.as_str().to_owned(),
        category_id: insert.category_id.clone(),
        community_id: insert.community_id.clone(),
        catalog_item_id: None,
        description: insert.description.clone(),
        submitted_at: insert.submitted_at,
    };
    let dispatching = state.dispatching.clone();
    tokio::spawn(async move { dispatching.index(&case) });
}

fn open_text(record: &CaseRecord) -> OpenCaseText {
    OpenCaseText {
        case_number: record.case_number.to_string(),
        status: record.status.as_str().to_owned(),
        category_id: record.category_id.clone(),
        community_id: record.community_id.clone(),
        catalog_item_id: record.handling.catalog_item_id.clone(),
        description: record.description.clone(),
        submitted_at: record.submitted_at,
    }
}

/// Tells the engine a case was taken in or moved: the duplicate index follows it, and a
/// completion (a dispatch that can no longer be returned) is learned.
pub fn case_changed(state: &AppState, record: &CaseRecord, completed_now: bool) {
    live::notify(state);
    if !state.dispatching.enabled() {
        return;
    }
    state.dispatching.index(&open_text(record));
    if completed_now && let Some(unit) = &record.handling.unit_id {
        state.dispatching.learn(&record.description, unit);
    }
}

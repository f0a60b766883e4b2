//! The app's screens and their addresses: the one source of every path.

use yousu_core::CaseNumber;

pub const HOME: &str = "/";
pub const SUBMIT: &str = "/submit";
pub const MY_CASES: &str = "/cases";
pub const LOOKUP: &str = "/lookup";
pub const FIGURES: &str = "/figures";

/// One step of submitting (`/submit/details`): each step has its own history entry.
pub fn submit_step(slug: &str) -> String {
    format!("{SUBMIT}/{slug}")
}

pub fn case_detail(case_number: &CaseNumber) -> String {
    format!("/cases/{case_number}")
}

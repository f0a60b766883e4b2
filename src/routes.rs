//! The app's screens and their addresses: the one source of every path.

use yousu_core::CaseNumber;

pub const HOME: &str = "/";
pub const SUBMIT: &str = "/submit";
pub const MY_CASES: &str = "/cases";
pub const LOOKUP: &str = "/lookup";

pub fn case_detail(case_number: &CaseNumber) -> String {
    format!("/cases/{case_number}")
}

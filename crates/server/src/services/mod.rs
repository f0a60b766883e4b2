//! Business logic between the handlers and the store: one function per thing the platform does.

pub mod admin;
pub mod api_keys;
pub mod cases;
pub mod contact;
pub mod figures;
pub mod handling;
pub mod live;
pub mod oversight;
pub mod photos;
pub mod suggestions;
pub mod views;
pub mod watchers;

/// The stored case of that number; a number that is not one looks like a missing case.
pub async fn stored_case(
    state: &crate::app::AppState,
    case_number: &str,
) -> crate::error::AppResult<crate::store::CaseRecord> {
    use crate::error::AppError;
    let number = yousu_core::CaseNumber::parse(case_number).ok_or(AppError::NotFound("case"))?;
    state
        .store
        .case_by_number(&number)
        .await?
        .ok_or(AppError::NotFound("case"))
}

//! Residents' contact details in staff hands: who may see them, how much, and the record of every
//! time someone did (rule: personal data is protected — masked where shown to units, logged
//! wherever shown in full).

use axum::http::StatusCode;
use yousu_core::api::{ContactAccess, ContactAccessLog, StaffCaseView, StaffRole};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};
use crate::services::handling::staff_case;
use crate::services::views::{Disclosure, staff_view};
use crate::store::CaseRecord;

/// Platform staff opening one case see the contact in full, and that is recorded; a handling
/// unit sees it masked until it asks (`reveal`).
pub async fn open(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
) -> AppResult<StaffCaseView> {
    let record = staff_case(state, session, case_number).await?;
    if session.account.role == StaffRole::UnitHandler {
        return Ok(staff_view(
            record,
            StaffRole::UnitHandler,
            Disclosure::Masked,
            &state.rules,
            state.clock,
        ));
    }
    disclose(state, session, record, "view").await
}

/// A handling unit asks for the resident's number to call them back: granted unless the
/// resident hid their identity from units, and recorded.
pub async fn reveal(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
) -> AppResult<StaffCaseView> {
    let record = staff_case(state, session, case_number).await?;
    if record.hide_identity && session.account.role == StaffRole::UnitHandler {
        return Err(AppError::client(
            StatusCode::FORBIDDEN,
            "identity_hidden",
            "the resident asked not to be identified to the handling unit; the platform contacts them",
        ));
    }
    disclose(state, session, record, "reveal").await
}

async fn disclose(
    state: &AppState,
    session: &StaffSession,
    record: CaseRecord,
    purpose: &str,
) -> AppResult<StaffCaseView> {
    if !record.anonymous {
        state
            .store
            .log_contact_access(record.case_id, &session.account, purpose, state.clock.now())
            .await?;
    }
    Ok(staff_view(
        record,
        session.account.role,
        Disclosure::Full,
        &state.rules,
        state.clock,
    ))
}

/// Who saw a case's contact details, for supervisors and admins.
pub async fn access_log(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
) -> AppResult<ContactAccessLog> {
    session.require(&[StaffRole::Supervisor, StaffRole::Admin])?;
    let record = staff_case(state, session, case_number).await?;
    let accesses = state
        .store
        .contact_accesses(record.case_id)
        .await?
        .into_iter()
        .map(|(username, role, purpose, at)| ContactAccess {
            username,
            role: StaffRole::parse(&role).unwrap_or(StaffRole::Admin),
            purpose,
            at,
        })
        .collect();
    Ok(ContactAccessLog { accesses })
}

//! The clock rules as administrators edit them: the tiers' days and how they count, the
//! response limit and the working-day calendar. An edit is a new version in force for cases
//! accepted from now on; cases accepted before keep the rules they were accepted under.

use yousu_core::admin::{ClockRulesForm, ClockRulesView, calendar_text, check_clock_rules};

use super::{changed, require_admin};
use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};
use crate::store::StoreError;
use crate::store::admin::ClockRulesRow;

pub async fn get(state: &AppState, session: &StaffSession) -> AppResult<ClockRulesView> {
    require_admin(session)?;
    let newest = state
        .store
        .clock_rules_versions()
        .await?
        .pop()
        .ok_or_else(|| StoreError::Corrupt("no clock rules stored".into()))?;
    let (policy, calendar) = crate::current::parse_version(&newest)?;
    Ok(ClockRulesView {
        policy,
        calendar: calendar_text(&calendar),
        effective_from: newest.effective_from,
        changed_by: newest.changed_by,
    })
}

pub async fn put(
    state: &AppState,
    session: &StaffSession,
    form: ClockRulesForm,
) -> AppResult<ClockRulesView> {
    require_admin(session)?;
    let (policy, calendar) = check_clock_rules(&form).map_err(AppError::Invalid)?;
    let row = ClockRulesRow {
        effective_from: state.clock.now(),
        policy: serde_json::to_string(&policy).expect("a policy serialises"),
        calendar: calendar_text(&calendar),
        changed_by: Some(session.account.staff_account_id.clone()),
    };
    state.store.insert_clock_rules(&row).await?;
    changed(state).await?;
    tracing::info!("clock rules changed for cases accepted from now on");
    Ok(ClockRulesView {
        policy,
        calendar: row.calendar,
        effective_from: row.effective_from,
        changed_by: row.changed_by,
    })
}

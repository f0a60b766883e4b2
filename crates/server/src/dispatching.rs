//! The dispatch engine inside the server: trained on the catalogue at once (cold start), then on
//! the platform's own history in the background; learning each case whose dispatch became final
//! (its completion: a completed case can no longer be returned); retrained from the database
//! periodically; and the in-memory index of open cases for the likely-duplicate search.
//!
//! Suggestions never block intake or dispatch: when the engine is off, not ready or busy
//! retraining, the answers are simply empty or from the engine it had before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use chrono::{DateTime, Utc};
use yousu_core::CaseStatus;
use yousu_core::api::{ItemSuggestion, LikelyDuplicate, Suggestions, UnitSuggestion};
use yousu_core::validation::mask_phone_numbers;
use yousu_dispatch::{
    CatalogEntry, Config, DuplicateGroup, DuplicateIndex, Engine, Example, Query,
};

use crate::current::Current;
use crate::reference::Reference;
use crate::store::dispatching::{LabelledText, OpenCaseText};

/// Jaccard similarity of character bigrams above which an open case is a likely duplicate.
const DUPLICATE_THRESHOLD: f32 = 0.35;
/// How many proposals each list carries.
const TOP: usize = 3;
/// Item groups searched for duplicates of a text not dispatched yet: its best guesses.
const GUESSED_ITEMS: usize = 2;

/// An open case in the duplicate index.
struct Indexed {
    group: DuplicateGroup,
    status: CaseStatus,
    description: String,
    submitted_at: DateTime<Utc>,
}

pub struct Dispatching {
    enabled: bool,
    config: Config,
    catalog: Vec<CatalogEntry>,
    /// Item id → category id, to filter and to name categories.
    item_categories: HashMap<String, String>,
    engine: RwLock<Option<Engine>>,
    /// Cases learned while a retraining runs, replayed onto the new engine.
    learned_while_training: Mutex<Option<Vec<Example>>>,
    duplicates: Mutex<(DuplicateIndex, HashMap<String, Indexed>)>,
    /// The units and items in use now: one an administrator retired is never proposed, even
    /// though the engine learned it.
    current: OnceLock<Arc<Current>>,
}

/// What the engine proposes for one text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Proposal {
    pub units: Vec<UnitSuggestion>,
    pub items: Vec<ItemSuggestion>,
    pub preselected_unit_id: Option<String>,
    pub preselected_item_id: Option<String>,
}

impl Proposal {
    /// The items duplicates are searched under, from a proposal made without a category.
    pub fn guessed_items(&self) -> Vec<String> {
        self.items
            .iter()
            .take(GUESSED_ITEMS)
            .map(|i| i.catalog_item_id.clone())
            .collect()
    }

    /// The API's answer: these proposals and the likely duplicates found beside them.
    pub fn with_duplicates(self, duplicates: Vec<LikelyDuplicate>) -> Suggestions {
        Suggestions {
            units: self.units,
            items: self.items,
            preselected_unit_id: self.preselected_unit_id,
            preselected_item_id: self.preselected_item_id,
            duplicates,
        }
    }
}

impl Dispatching {
    /// The engine on the catalogue's words alone (`enabled`), or switched off.
    pub fn new(reference: &Reference, enabled: bool) -> Self {
        let catalog: Vec<CatalogEntry> = reference
            .catalog
            .categories
            .iter()
            .flat_map(|category| {
                category.items.iter().map(move |item| CatalogEntry {
                    label: item.unit_id.clone(),
                    item_code: item.catalog_item_id.clone(),
                    name: item.name_zh.clone(),
                    description: category.name_zh.clone(),
                    keywords: vec![item.name_en.clone()],
                })
            })
            .collect();
        let item_categories = reference
            .catalog
            .categories
            .iter()
            .flat_map(|c| {
                c.items
                    .iter()
                    .map(|i| (i.catalog_item_id.clone(), c.category_id.clone()))
            })
            .collect();
        let config = Config::default();
        let engine =
            (enabled && !catalog.is_empty()).then(|| Engine::from_catalog(&catalog, &config));
        Self {
            enabled,
            config,
            catalog,
            item_categories,
            engine: RwLock::new(engine),
            learned_while_training: Mutex::new(None),
            duplicates: Mutex::new((DuplicateIndex::new(DUPLICATE_THRESHOLD), HashMap::new())),
            current: OnceLock::new(),
        }
    }

    /// Proposes only the units and items `current` holds in use from now on.
    pub fn follow(&self, current: Arc<Current>) {
        let _ = self.current.set(current);
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Trains a new engine on the catalogue and `history` (slow: call it off the async threads).
    /// What is learned meanwhile is kept for `replace`.
    pub fn train(&self, history: &[LabelledText]) -> Option<Engine> {
        if !self.enabled || self.catalog.is_empty() {
            return None;
        }
        if let Ok(mut learned) = self.learned_while_training.lock() {
            *learned = Some(Vec::new());
        }
        let examples: Vec<Example> = history
            .iter()
            .map(|h| Example {
                text: h.text.clone(),
                label: h.unit_id.clone(),
                channel: h.channel.clone(),
                kind: None,
            })
            .collect();
        Some(Engine::train_with_catalog(
            &examples,
            &self.catalog,
            &self.config,
        ))
    }

    /// Puts a freshly trained engine in place, with what was learned while it trained.
    pub fn replace(&self, mut engine: Engine) {
        if let Ok(mut slot) = self.engine.write() {
            let learned = self
                .learned_while_training
                .lock()
                .ok()
                .and_then(|mut l| l.take())
                .unwrap_or_default();
            for example in &learned {
                engine.learn(example);
            }
            *slot = Some(engine);
        }
    }

    /// How many cases were learned since the last training: retrain past a few percent, and
    /// never when nothing new came.
    pub fn learned_since_training(&self) -> (usize, usize) {
        self.engine
            .read()
            .ok()
            .and_then(|e| {
                e.as_ref()
                    .map(|e| (e.learned_since_training(), e.trained_on()))
            })
            .unwrap_or((0, 0))
    }

    /// The proposals for a text; `category_id` keeps the items to that category.
    pub fn propose(&self, text: &str, category_id: Option<&str>) -> Proposal {
        let Ok(engine) = self.engine.read() else {
            return Proposal::default();
        };
        let Some(engine) = engine.as_ref() else {
            return Proposal::default();
        };
        let query = Query {
            text,
            channel: None,
            kind: None,
        };
        let reference = self.current.get().map(|c| c.reference());
        let in_use = |unit_id: &str| reference.as_ref().is_none_or(|r| r.has_unit(unit_id));
        let mut units = engine.suggest(&query, TOP);
        units.retain(|s| in_use(&s.label));
        let preselected_unit_id = engine.preselect(&units).map(|s| s.label.clone());
        let wide = if category_id.is_some() { 50 } else { TOP };
        let items: Vec<ItemSuggestion> = engine
            .suggest_items(&query, wide)
            .into_iter()
            .filter_map(|s| {
                let category = self.item_categories.get(&s.item_code)?;
                if let Some(reference) = &reference
                    && reference.item(&s.item_code).is_none()
                {
                    return None;
                }
                (category_id.is_none_or(|c| c == category)).then(|| ItemSuggestion {
                    catalog_item_id: s.item_code,
                    category_id: category.clone(),
                    unit_id: s.label,
                    confidence: s.confidence,
                })
            })
            .take(TOP)
            .collect();
        let preselected_item_id = items
            .first()
            .filter(|i| i.confidence >= engine.config().preselect_threshold)
            .map(|i| i.catalog_item_id.clone());
        Proposal {
            units: units
                .into_iter()
                .map(|s| UnitSuggestion {
                    unit_id: s.label,
                    confidence: s.confidence,
                })
                .collect(),
            items,
            preselected_unit_id,
            preselected_item_id,
        }
    }

    /// Learns a case whose dispatch became final.
    pub fn learn(&self, text: &str, unit_id: &str) {
        let example = Example {
            text: text.to_owned(),
            label: unit_id.to_owned(),
            channel: None,
            kind: None,
        };
        if let Ok(mut engine) = self.engine.write()
            && let Some(engine) = engine.as_mut()
        {
            engine.learn(&example);
            if let Ok(mut learned) = self.learned_while_training.lock()
                && let Some(learned) = learned.as_mut()
            {
                learned.push(example);
            }
        }
    }

    /// The dispatch items the engine guesses for a text, best first, whatever category the
    /// resident chose (a wrong category must not hide a duplicate).
    pub fn guess_items(&self, text: &str) -> Vec<String> {
        self.propose(text, None).guessed_items()
    }

    /// The dispatch item a case counts under for duplicates: its own once dispatched with one,
    /// else the engine's best guess.
    fn item_of(&self, case: &OpenCaseText) -> Option<String> {
        case.catalog_item_id
            .clone()
            .or_else(|| self.guess_items(&case.description).into_iter().next())
    }

    /// Adds, moves or (once finished) drops a case in the duplicate index.
    pub fn index(&self, case: &OpenCaseText) {
        let Some(status) = CaseStatus::parse(&case.status) else {
            return;
        };
        let item = if is_open(status) {
            self.item_of(case)
        } else {
            None
        };
        let Ok(mut guard) = self.duplicates.lock() else {
            return;
        };
        let (index, cases) = &mut *guard;
        if let Some(old) = cases.remove(&case.case_number) {
            index.remove(&old.group, &case.case_number);
        }
        if let Some(item) = item {
            let group = DuplicateGroup::new(item, case.community_id.clone());
            index.insert(group.clone(), case.case_number.clone(), &case.description);
            cases.insert(
                case.case_number.clone(),
                Indexed {
                    group,
                    status,
                    description: mask_phone_numbers(&case.description),
                    submitted_at: case.submitted_at,
                },
            );
        }
    }

    /// Open cases in the same community, under the same item (or the text's best guesses),
    /// whose words are close; `exclude` is the case being looked at.
    pub fn duplicates(
        &self,
        text: &str,
        community_id: &str,
        items: &[String],
        exclude: Option<&str>,
    ) -> Vec<LikelyDuplicate> {
        let Ok(guard) = self.duplicates.lock() else {
            return Vec::new();
        };
        let (index, cases) = &*guard;
        let mut found: Vec<LikelyDuplicate> = Vec::new();
        for item in items {
            let group = DuplicateGroup::new(item.clone(), community_id.to_owned());
            for (number, similarity) in index.find(&group, text, 5) {
                if Some(number.as_str()) == exclude
                    || found.iter().any(|f| f.case_number.as_str() == number)
                {
                    continue;
                }
                let (Some(case), Some(case_number)) =
                    (cases.get(&number), yousu_core::CaseNumber::parse(&number))
                else {
                    continue;
                };
                found.push(LikelyDuplicate {
                    case_number,
                    status: case.status,
                    description: case.description.clone(),
                    submitted_at: case.submitted_at,
                    similarity,
                });
            }
        }
        found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        found.truncate(5);
        found
    }
}

/// Whether a case may still get a duplicate: the work on it is not finished.
pub fn is_open(status: CaseStatus) -> bool {
    use CaseStatus::*;
    matches!(
        status,
        Submitted | Accepted | Dispatched | Claimed | InProgress | ReturnRequested | Reopened
    )
}

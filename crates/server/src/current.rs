//! What administrators change while the server runs — the reference data (units, catalogue) and
//! the clock rules (tiers, response limit, working-day calendar) — held in memory, and reloaded
//! when the database says they changed, so every instance sharing a database agrees within a
//! few seconds. The clock rules live in the database, seeded from the start-up flags (or the
//! defaults) on a new database; each edit is a new version for cases accepted from then on.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use yousu_core::admin::calendar_text;
use yousu_core::deadline::{Calendar, ClockRules, DeadlinePolicy, SupersededRules};

use crate::reference::Reference;
use crate::store::admin::ClockRulesRow;
use crate::store::{Result, Store, StoreError};

/// How often an instance asks the database whether an administrator changed something.
pub const POLL_EVERY: Duration = Duration::from_secs(3);

pub struct Current {
    rules: RwLock<Arc<ClockRules>>,
    reference: RwLock<Arc<Reference>>,
    /// The administrative change the values above reflect.
    revision: AtomicI64,
}

impl Current {
    /// Loads both from the database, first writing `seed` as the clock rules of a database that
    /// has none.
    pub async fn load(store: &dyn Store, seed: ClockRules) -> Result<Self> {
        let mut versions = store.clock_rules_versions().await?;
        if versions.is_empty() {
            let row = ClockRulesRow {
                // In force for every case, also those accepted before the rules were stored.
                effective_from: DateTime::<Utc>::UNIX_EPOCH,
                policy: serde_json::to_string(&seed.policy).expect("a policy serialises"),
                calendar: calendar_text(&seed.calendar),
                changed_by: None,
            };
            store.insert_clock_rules(&row).await?;
            versions.push(row);
        }
        let rules = rules_from(&versions)?;
        if (&rules.policy, &rules.calendar) != (&seed.policy, &seed.calendar) {
            tracing::info!(
                "the clock rules stored in the database are in force; --deadline-policy and \
                 --calendar only seed a new database (administrators edit them in the workbench)"
            );
        }
        let revision = store.admin_revision().await?;
        Ok(Self {
            rules: RwLock::new(Arc::new(rules)),
            reference: RwLock::new(Arc::new(Reference::load(store).await?)),
            revision: AtomicI64::new(revision),
        })
    }

    pub fn rules(&self) -> Arc<ClockRules> {
        self.rules.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn reference(&self) -> Arc<Reference> {
        self.reference
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads both again (after this instance changed them, or another did).
    pub async fn reload(&self, store: &dyn Store) -> Result<()> {
        // The revision first: a change made while reloading is picked up by the next poll.
        let revision = store.admin_revision().await?;
        let rules = rules_from(&store.clock_rules_versions().await?)?;
        let reference = Reference::load(store).await?;
        *self.rules.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(rules);
        *self.reference.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(reference);
        self.revision.store(revision, Ordering::Relaxed);
        Ok(())
    }

    /// Reloads if an administrator changed something since the last load; says whether.
    pub async fn refresh(&self, store: &dyn Store) -> Result<bool> {
        if store.admin_revision().await? == self.revision.load(Ordering::Relaxed) {
            return Ok(false);
        }
        self.reload(store).await?;
        Ok(true)
    }
}

/// Follows other instances' administrative changes for as long as the server runs.
pub async fn keep_current(store: Arc<dyn Store>, current: Arc<Current>) {
    let mut every = tokio::time::interval(POLL_EVERY);
    loop {
        every.tick().await;
        match current.refresh(&*store).await {
            Ok(true) => tracing::info!("reloaded units, catalogue and clock rules"),
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "could not check for administrative changes"),
        }
    }
}

/// One stored version of the rules, read.
pub fn parse_version(row: &ClockRulesRow) -> Result<(DeadlinePolicy, Calendar)> {
    let policy = serde_json::from_str(&row.policy)
        .map_err(|e| StoreError::Corrupt(format!("stored deadline policy: {e}")))?;
    let calendar = Calendar::parse(&row.calendar)
        .map_err(|e| StoreError::Corrupt(format!("stored calendar: {e}")))?;
    Ok((policy, calendar))
}

/// The newest version in force, the earlier ones kept for the cases they still count for.
fn rules_from(versions: &[ClockRulesRow]) -> Result<ClockRules> {
    let mut superseded = Vec::new();
    for pair in versions.windows(2) {
        let (policy, calendar) = parse_version(&pair[0])?;
        superseded.push(SupersededRules {
            until: pair[1].effective_from,
            policy,
            calendar,
        });
    }
    let newest = versions
        .last()
        .ok_or_else(|| StoreError::Corrupt("no clock rules stored".into()))?;
    let (policy, calendar) = parse_version(newest)?;
    Ok(ClockRules {
        policy,
        calendar,
        superseded,
    })
}

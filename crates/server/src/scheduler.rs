//! The clock behind supervision (督办): every tick, fire the nodes whose time has come. All state
//! is in the database, so after a restart the nodes missed meanwhile fire once at the next tick,
//! and with several instances each node fires once (the first to mark it wins).

use std::sync::Arc;
use std::time::Duration;

use yousu_core::deadline::NodeOutcome;

use crate::clock::Clock;
use crate::store::{Result, Store};

/// Fires every due node once; says how many this call fired.
pub async fn fire_due_nodes(store: &dyn Store, clock: Clock) -> Result<usize> {
    let now = clock.now();
    let mut fired = 0;
    loop {
        let due = store.due_nodes(now, 200).await?;
        if due.is_empty() {
            return Ok(fired);
        }
        let batch = due.len();
        for node in &due {
            let outcome = NodeOutcome::of(node.kind, node.status, node.claimed);
            if store.fire_node(node, outcome, now).await? {
                fired += 1;
                tracing::info!(
                    case_id = node.case_id,
                    node = node.kind.as_str(),
                    outcome = outcome.as_str(),
                    "supervision node fired"
                );
            }
        }
        if batch < 200 {
            return Ok(fired);
        }
    }
}

/// Runs the scheduler every `interval` until the process ends.
pub async fn run(store: Arc<dyn Store>, clock: Clock, interval: Duration) {
    let mut every = tokio::time::interval(interval);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = fire_due_nodes(&*store, clock).await {
            tracing::warn!(%error, "supervision nodes could not be fired this time");
        }
    }
}

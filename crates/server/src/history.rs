//! `yousu-server import-history FILE`: a city's past work orders (CSV: `text`, `department`,
//! optionally `channel` and `kind`) become labelled examples for the dispatch engine, so it
//! starts warm. Only the deployment's own database keeps them.

use std::collections::HashMap;

use crate::store::Store;
use crate::store::dispatching::HistoryRow;

/// Imports the rows whose department names a known unit; says how many were imported and how
/// many skipped.
pub async fn import(store: &dyn Store, csv: &str) -> anyhow::Result<(u64, usize)> {
    let examples = yousu_dispatch::eval::parse_examples(csv.as_bytes())
        .map_err(|e| anyhow::anyhow!("not a work-order file: {e}"))?;
    let units = store.units().await?.units;
    let mut by_name: HashMap<String, String> = HashMap::new();
    for unit in &units {
        for name in [&unit.unit_id, &unit.name_zh, &unit.name_en] {
            by_name.insert(name.trim().to_lowercase(), unit.unit_id.clone());
        }
    }
    let mut skipped = 0;
    let rows: Vec<HistoryRow> = examples
        .into_iter()
        .filter_map(|example| {
            let unit = by_name.get(&example.label.trim().to_lowercase()).cloned();
            if unit.is_none() {
                skipped += 1;
            }
            Some(HistoryRow {
                text: example.text,
                unit_id: unit?,
                channel: example.channel,
                kind: example.kind,
            })
        })
        .filter(|row| !row.text.trim().is_empty())
        .collect();
    let imported = store.insert_history(&rows, chrono::Utc::now()).await?;
    Ok((imported, skipped))
}

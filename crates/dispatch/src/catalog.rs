//! Catalogue entries (派单事项) as the engine sees them, and the ranking of items under the
//! suggested units.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::vector::SparseVec;

/// A dispatch item as the engine needs it: its unit, its code and its words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// The responsible unit's code: the label the engine suggests.
    pub label: String,
    /// The dispatch item's code (finer than the unit).
    pub item_code: String,
    pub name: String,
    pub description: String,
    pub keywords: Vec<String>,
}

impl CatalogEntry {
    /// The pseudo-example text: the name twice (it is the strongest evidence), then the rest.
    pub(crate) fn text(&self) -> String {
        let mut t = String::with_capacity(self.name.len() * 2 + self.description.len() + 64);
        t.push_str(&self.name);
        t.push('。');
        t.push_str(&self.name);
        t.push('。');
        t.push_str(&self.description);
        for k in &self.keywords {
            t.push('，');
            t.push_str(k);
        }
        t
    }
}

/// A ranked dispatch item: `confidence` = P(unit) × P(item | unit, text).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSuggestion {
    pub item_code: String,
    pub label: String,
    pub confidence: f32,
}

/// The items' TF-IDF vectors as postings lists (feature → items), so ranking reads only the
/// query's features.
#[derive(Clone, Debug, Default)]
pub(crate) struct ItemIndex {
    items: Vec<(String, usize)>, // (item code, class index)
    postings: HashMap<u32, Vec<(u32, f32)>>,
}

/// Sharpness of the within-unit choice between items by cosine similarity.
const ITEM_SCALE: f32 = 10.0;

impl ItemIndex {
    pub(crate) fn push(&mut self, item_code: String, class: usize, v: &SparseVec) {
        let id = self.items.len() as u32;
        self.items.push((item_code, class));
        for (&f, &w) in v.idx.iter().zip(&v.val) {
            self.postings.entry(f).or_default().push((id, w));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Ranks items given the query vector and the units' probabilities.
    pub(crate) fn rank(
        &self,
        q: &SparseVec,
        unit_probability: &[f32],
        labels: &[String],
        k: usize,
    ) -> Vec<ItemSuggestion> {
        let mut cos = vec![0.0f32; self.items.len()];
        for (f, w) in q.idx.iter().zip(&q.val) {
            if let Some(list) = self.postings.get(f) {
                for &(item, iw) in list {
                    cos[item as usize] += w * iw;
                }
            }
        }
        // The unit's probability times how well the item's own words match, normalised over
        // all items. Not a softmax within each unit: that would hand a unit's only item the
        // whole of its unit's probability however poorly it matches, and dilute the right item
        // of a unit with many.
        let mut ranked: Vec<(f32, usize)> = self
            .items
            .iter()
            .zip(&cos)
            .enumerate()
            .map(|(i, ((_, class), c))| {
                let p_unit = unit_probability.get(*class).copied().unwrap_or(0.0);
                (p_unit * (ITEM_SCALE * (c - 1.0)).exp(), i)
            })
            .collect();
        let total: f32 = ranked
            .iter()
            .map(|(p, _)| p)
            .sum::<f32>()
            .max(f32::MIN_POSITIVE);
        for (p, _) in &mut ranked {
            *p /= total;
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .take(k)
            .map(|(p, i)| {
                let (code, class) = &self.items[i];
                ItemSuggestion {
                    item_code: code.clone(),
                    label: labels[*class].clone(),
                    confidence: p,
                }
            })
            .collect()
    }
}

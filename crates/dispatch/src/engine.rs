//! The dispatch suggestion engine: training from labelled cases and the catalogue, suggesting
//! units with a confidence, and learning from each case whose dispatch became final.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::catalog::{CatalogEntry, ItemIndex, ItemSuggestion};
use crate::svm::{self, LinearModel, SvmParams};
use crate::text::TermConfig;
use crate::vector::{Doc, Vocab};

/// A labelled case: what the resident wrote and the unit it was finally dispatched to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub text: String,
    /// The responsible unit's code.
    pub label: String,
    pub channel: Option<String>,
    pub kind: Option<String>,
}

/// A case to suggest units for.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Query<'a> {
    pub text: &'a str,
    pub channel: Option<&'a str>,
    pub kind: Option<&'a str>,
}

/// A suggested unit with the engine's probability that it is the responsible one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub label: String,
    /// In [0, 1]; over all units the confidences sum to 1.
    pub confidence: f32,
}

/// Everything tunable, with defaults chosen by cross-validation on real work orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub terms: TermConfig,
    /// A history term must occur in this many cases to become a feature (catalogue terms always do).
    pub min_df: u32,
    /// The SVM's regularisation: larger fits the history more closely.
    pub c: f64,
    /// Class weighting: a unit's cases weigh `(n / (K · n_unit))^balance`; 0 = none, 1 = fully
    /// balanced. Balancing keeps small units from being drowned by the traffic police.
    pub balance: f64,
    /// Passes of coordinate descent at most (it usually stops earlier on its tolerance).
    pub max_iter: usize,
    /// Confidence = softmax(scale · SVM score): the scale maps margins to probabilities.
    pub softmax_scale: f32,
    /// `preselect` proposes the top unit only when its confidence reaches this.
    pub preselect_threshold: f32,
    /// Step cap of `learn` (passive-aggressive C): 0 disables incremental learning.
    pub learn_aggressiveness: f32,
    pub seed: u64,
    /// Worker threads for training (the result does not depend on it).
    pub threads: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            terms: TermConfig::default(),
            min_df: 2,
            c: 0.5,
            balance: 0.5,
            max_iter: 100,
            softmax_scale: 4.0,
            preselect_threshold: 0.8,
            learn_aggressiveness: 0.5,
            seed: 20_261_126,
            threads: 2,
        }
    }
}

/// A trained engine. Cheap to query from many threads (`&self`); `learn` needs `&mut self`.
#[derive(Clone, Debug)]
pub struct Engine {
    config: Config,
    vocab: Vocab,
    labels: Vec<String>,
    label_index: HashMap<String, usize>,
    model: LinearModel,
    items: ItemIndex,
    trained_on: usize,
    learned: usize,
}

impl Engine {
    /// Trains on history alone.
    pub fn train(examples: &[Example], config: &Config) -> Engine {
        Self::train_with_catalog(examples, &[], config)
    }

    /// Cold start: no history, the catalogue's words are the only evidence.
    pub fn from_catalog(catalog: &[CatalogEntry], config: &Config) -> Engine {
        Self::train_with_catalog(&[], catalog, config)
    }

    /// Trains on history plus one pseudo-example per catalogue entry, and indexes the entries so
    /// `suggest_items` can rank them.
    pub fn train_with_catalog(
        examples: &[Example],
        catalog: &[CatalogEntry],
        config: &Config,
    ) -> Engine {
        let labels: Vec<String> = examples
            .iter()
            .map(|e| e.label.clone())
            .chain(catalog.iter().map(|c| c.label.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let label_index: HashMap<String, usize> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), i))
            .collect();
        let catalog_texts: Vec<String> = catalog.iter().map(CatalogEntry::text).collect();
        let docs: Vec<Doc<'_>> = examples
            .iter()
            .map(|e| Doc {
                text: &e.text,
                channel: e.channel.as_deref(),
                kind: e.kind.as_deref(),
                always_keep: false,
            })
            .chain(catalog_texts.iter().map(|t| Doc {
                text: t,
                channel: None,
                kind: None,
                always_keep: true,
            }))
            .collect();
        let y: Vec<u32> = examples
            .iter()
            .map(|e| &e.label)
            .chain(catalog.iter().map(|c| &c.label))
            .map(|l| label_index.get(l).copied().unwrap_or(0) as u32)
            .collect();
        let (vocab, x) = Vocab::fit(&docs, &config.terms, config.min_df, config.threads);
        let params = SvmParams {
            c: config.c,
            balance_power: config.balance,
            max_iter: config.max_iter,
            eps: 0.1,
            seed: config.seed,
            threads: config.threads,
        };
        let mut model = svm::train(&x, &y, labels.len(), vocab.len(), &params);
        model.ensure_features(vocab.len());
        let mut items = ItemIndex::default();
        for (i, entry) in catalog.iter().enumerate() {
            let (idx, val) = x.row(examples.len() + i);
            let v = crate::vector::SparseVec {
                idx: idx.to_vec(),
                val: val.to_vec(),
            };
            items.push(entry.item_code.clone(), y[examples.len() + i] as usize, &v);
        }
        Engine {
            config: config.clone(),
            vocab,
            labels,
            label_index,
            model,
            items,
            trained_on: docs.len(),
            learned: 0,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The units the engine knows, in its internal order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Cases learned incrementally since the last full training: the server retrains when this
    /// grows large (new words only become features at a retrain).
    pub fn learned_since_training(&self) -> usize {
        self.learned
    }

    /// Documents (cases and catalogue entries) the last full training used.
    pub fn trained_on(&self) -> usize {
        self.trained_on
    }

    /// Probability of every known unit, in `labels()` order.
    pub fn probabilities(&self, query: &Query<'_>) -> Vec<f32> {
        let v = self.vocab.vectorize(query.text, query.channel, query.kind);
        self.probabilities_of(&v)
    }

    fn probabilities_of(&self, v: &crate::vector::SparseVec) -> Vec<f32> {
        let mut s = Vec::with_capacity(self.model.n_classes());
        self.model.scores(v, &mut s);
        let max = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0;
        for x in s.iter_mut() {
            *x = (self.config.softmax_scale * (*x - max)).exp();
            sum += *x;
        }
        if sum > 0.0 {
            s.iter_mut().for_each(|x| *x /= sum);
        }
        s
    }

    /// The `k` most likely units, best first (ties broken by label order, so output is stable).
    pub fn suggest(&self, query: &Query<'_>, k: usize) -> Vec<Suggestion> {
        let p = self.probabilities(query);
        top_k(&p, k)
            .into_iter()
            .map(|i| Suggestion {
                label: self.labels[i].clone(),
                confidence: p[i],
            })
            .collect()
    }

    /// The `k` most likely catalogue items, each with P(unit) × P(item | unit); empty when the
    /// engine was trained without a catalogue.
    pub fn suggest_items(&self, query: &Query<'_>, k: usize) -> Vec<ItemSuggestion> {
        if self.items.is_empty() {
            return Vec::new();
        }
        let v = self.vocab.vectorize(query.text, query.channel, query.kind);
        let p = self.probabilities_of(&v);
        self.items.rank(&v, &p, &self.labels, k)
    }

    /// The top suggestion if it is confident enough to be preselected for the dispatcher.
    pub fn preselect<'a>(&self, suggestions: &'a [Suggestion]) -> Option<&'a Suggestion> {
        suggestions
            .first()
            .filter(|s| s.confidence >= self.config.preselect_threshold)
    }

    /// Learns one finally-dispatched case at once (a passive-aggressive step of the linear
    /// model; a unit never seen before is added). Words unknown to the vocabulary wait for the
    /// next full training.
    pub fn learn(&mut self, example: &Example) {
        let class = match self.label_index.get(&example.label) {
            Some(&c) => c,
            None => {
                self.labels.push(example.label.clone());
                self.label_index
                    .insert(example.label.clone(), self.labels.len() - 1);
                self.model.add_class();
                self.model.ensure_features(self.vocab.len());
                self.labels.len() - 1
            }
        };
        let v = self.vocab.vectorize(
            &example.text,
            example.channel.as_deref(),
            example.kind.as_deref(),
        );
        self.model
            .learn(&v, class, self.config.learn_aggressiveness);
        self.learned += 1;
    }
}

/// Indices of the `k` largest values, largest first, lower index first among equals.
fn top_k(p: &[f32], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]).then(a.cmp(&b)));
    order.truncate(k);
    order
}

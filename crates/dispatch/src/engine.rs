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
    /// At most this many features, the most frequent: bounds memory (units × features × 4 bytes).
    pub max_features: usize,
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
            max_features: 400_000,
            c: 0.5,
            balance: 0.5,
            max_iter: 20,
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
        let (vocab, x) = Vocab::fit(
            &docs,
            &config.terms,
            config.min_df,
            config.max_features,
            config.threads,
        );
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

    /// Features (terms) in the vocabulary.
    pub fn n_features(&self) -> usize {
        self.vocab.len()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::examples;

    fn query(text: &str) -> Query<'_> {
        Query {
            text,
            channel: Some("来电"),
            kind: Some("投诉"),
        }
    }

    fn engine() -> Engine {
        Engine::train(
            &examples(),
            &Config {
                min_df: 1,
                ..Config::default()
            },
        )
    }

    #[test]
    fn suggestions_rank_the_responsible_unit_first_with_probabilities() {
        let e = engine();
        let s = e.suggest(&query("商场门口很多车违章停车，交通拥堵"), 3);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].label, "traffic");
        assert!(s.windows(2).all(|w| w[0].confidence >= w[1].confidence));
        assert!(s.iter().all(|x| (0.0..=1.0).contains(&x.confidence)));
        let total: f32 = e.probabilities(&query("油烟")).iter().sum();
        assert!((total - 1.0).abs() < 1e-4);
        assert_eq!(e.suggest(&query("工地噪音吵得睡不着"), 1)[0].label, "env");
        assert_eq!(e.suggest(&query("物业不管电梯"), 1)[0].label, "housing");
        assert_eq!(e.suggest(&query("x"), 10).len(), 4);
    }

    #[test]
    fn preselect_follows_the_threshold() {
        let examples = examples();
        let q = query("路边有车违章停车");
        let eager = Engine::train(
            &examples,
            &Config {
                preselect_threshold: 0.0,
                ..Config::default()
            },
        );
        let s = eager.suggest(&q, 3);
        assert_eq!(
            eager.preselect(&s).map(|p| p.label.as_str()),
            Some(s[0].label.as_str())
        );
        let strict = Engine::train(
            &examples,
            &Config {
                preselect_threshold: 1.01,
                ..Config::default()
            },
        );
        assert!(strict.preselect(&strict.suggest(&q, 3)).is_none());
        assert!(strict.preselect(&[]).is_none());
    }

    fn catalog() -> Vec<CatalogEntry> {
        let entry = |label: &str, code: &str, name: &str, description: &str, keywords: &[&str]| {
            CatalogEntry {
                label: label.to_owned(),
                item_code: code.to_owned(),
                name: name.to_owned(),
                description: description.to_owned(),
                keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            }
        };
        vec![
            entry(
                "water",
                "W01",
                "供水停水",
                "自来水停水、水压低、水质浑浊",
                &["停水", "自来水", "水压"],
            ),
            entry(
                "water",
                "W02",
                "供水管道漏水",
                "市政供水管道破裂漏水",
                &["水管爆裂", "漏水"],
            ),
            entry(
                "power",
                "P01",
                "停电",
                "居民区停电、电压不稳",
                &["停电", "断电", "电压"],
            ),
            entry(
                "lamp",
                "L01",
                "路灯不亮",
                "道路照明路灯损坏不亮",
                &["路灯", "照明"],
            ),
        ]
    }

    #[test]
    fn cold_start_suggests_units_and_items_from_the_catalogue_words() {
        let e = Engine::from_catalog(&catalog(), &Config::default());
        assert_eq!(
            e.suggest(&query("我们小区从早上开始停水了"), 1)[0].label,
            "water"
        );
        assert_eq!(e.suggest(&query("整栋楼突然断电"), 1)[0].label, "power");
        assert_eq!(e.suggest(&query("门口的路灯晚上不亮"), 1)[0].label, "lamp");
        let items = e.suggest_items(&query("路边水管爆裂一直在漏水"), 2);
        assert_eq!(items[0].item_code, "W02");
        assert_eq!(items[0].label, "water");
        assert!(items[0].confidence >= items[1].confidence);
    }

    #[test]
    fn history_and_catalogue_mix() {
        let e = Engine::train_with_catalog(&examples(), &catalog(), &Config::default());
        assert_eq!(e.labels().len(), 7);
        assert_eq!(
            e.suggest(&query("自来水停水了，水压很低"), 1)[0].label,
            "water"
        );
        assert_eq!(
            e.suggest(&query("占道经营的摊贩油烟大"), 1)[0].label,
            "city"
        );
        assert!(engine().suggest_items(&query("停水"), 3).is_empty());
    }

    #[test]
    fn learning_a_final_dispatch_changes_the_suggestion() {
        let mut e = engine();
        let text = "小区门口占道停车，物业不管";
        let before = e.suggest(&query(text), 1)[0].label.clone();
        let target = if before == "city" { "env" } else { "city" };
        let example = Example {
            text: text.to_owned(),
            label: target.to_owned(),
            channel: Some("来电".to_owned()),
            kind: Some("投诉".to_owned()),
        };
        for _ in 0..3 {
            e.learn(&example);
        }
        assert_eq!(e.suggest(&query(text), 1)[0].label, target);
        assert_eq!(e.learned_since_training(), 3);
    }

    #[test]
    fn learning_a_new_unit_adds_it() {
        let mut e = engine();
        let example = Example {
            text: "共享单车乱停放堵住盲道".to_owned(),
            label: "bikes".to_owned(),
            channel: None,
            kind: None,
        };
        for _ in 0..3 {
            e.learn(&example);
        }
        assert_eq!(e.labels().len(), 5);
        assert_eq!(
            e.suggest(
                &Query {
                    text: &example.text,
                    ..Query::default()
                },
                1
            )[0]
            .label,
            "bikes"
        );
    }

    #[test]
    fn same_input_and_seed_give_the_same_output_whatever_the_threads() {
        let a = Engine::train(
            &examples(),
            &Config {
                threads: 1,
                ..Config::default()
            },
        );
        let b = Engine::train(
            &examples(),
            &Config {
                threads: 3,
                ..Config::default()
            },
        );
        for (_, text) in crate::fixtures::CASES {
            assert_eq!(a.probabilities(&query(text)), b.probabilities(&query(text)));
        }
    }

    #[test]
    fn an_engine_without_data_suggests_nothing() {
        let e = Engine::train(&[], &Config::default());
        assert!(e.suggest(&query("路灯不亮"), 3).is_empty());
    }
}

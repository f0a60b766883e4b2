//! Dispatch suggestions (精准派单) for the 12345 platform: which unit should handle a case, which
//! catalogue items fit it, and which open cases it likely duplicates. Pure Rust, no I/O, no clock:
//! the same input and seed always give the same output.
//!
//! # Model
//! Each case becomes a sublinear TF-IDF vector (L2-normalised) of character 1–3-grams (digits
//! and full-width forms folded; channel and kind can be added as tokens, off by default: they
//! measured neutral). One linear SVM per unit
//! (one-vs-rest, squared hinge, dual coordinate descent as in liblinear) scores it; positive
//! cases of small units weigh more (`Config::balance`), which lifts macro-F1. Confidence is a
//! softmax of the scores, so `Config::preselect_threshold` means "preselect when the engine is
//! this sure".
//!
//! # Cold start and the catalogue
//! Every catalogue entry becomes a pseudo-case of its unit (its terms are always features), so
//! an engine trained on the catalogue alone already suggests units from the catalogue's words,
//! and history simply adds to it. `suggest_items` ranks items as P(unit) × P(item | unit), the
//! latter from cosine similarity between the case and each item's words.
//!
//! # Learning: incremental between periodic full retrains
//! `Engine::learn` applies one passive-aggressive step per unit for each case whose dispatch
//! became final: O(non-zeros × units), well under a millisecond, and the same text then ranks the final
//! unit first. It cannot add words to the vocabulary or re-weigh the idf, and a stream of online
//! steps drifts from the batch optimum, so the server also retrains from its database
//! periodically (nightly, or when `learned_since_training` grows past a few percent of
//! `trained_on`): a full retrain on 100,000 cases takes about 50 s on two cores and ~300 MB.
//!
//! # Measuring
//! `eval::run` is what `yousu-server dispatch-eval` calls; `examples/dispatch_eval.rs` and
//! `examples/dispatch_bench.rs` run it and the speed targets from the command line, and
//! [`mod@bench`] holds the helpers they share.
//!
//! # Duplicates
//! [`DuplicateIndex`] keeps open cases per group (dispatch item + community) as bottom-k
//! sketches of character-bigram shingles and finds the ones whose Jaccard similarity with a new
//! text passes a threshold.

pub mod bench;
mod catalog;
pub mod duplicate;
mod engine;
pub mod eval;
#[cfg(test)]
mod fixtures;
mod rng;
mod svm;
mod text;
mod vector;

pub use catalog::{CatalogEntry, ItemSuggestion};
pub use duplicate::{DuplicateGroup, DuplicateIndex};
pub use engine::{Config, Engine, Example, Query, Suggestion};
pub use text::TermConfig;

//! Cheap measuring helpers for examples and `cargo xtask bench`: synthetic large training sets
//! made by resampling real ones with noise, and latency percentiles of suggestions and duplicate
//! look-ups. Deterministic inputs; only the timings vary.

use std::time::Instant;

use serde::Serialize;

use crate::duplicate::{DuplicateGroup, DuplicateIndex};
use crate::engine::{Engine, Example, Query};
use crate::rng::Rng;

/// Latency percentiles in microseconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Latency {
    pub n: usize,
    pub p50_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
}

impl Latency {
    pub fn from_samples(mut us: Vec<f64>) -> Self {
        us.sort_by(f64::total_cmp);
        let at = |p: f64| {
            if us.is_empty() {
                0.0
            } else {
                us[((us.len() - 1) as f64 * p).round() as usize]
            }
        };
        Latency {
            n: us.len(),
            p50_us: at(0.5),
            p99_us: at(0.99),
            max_us: at(1.0),
        }
    }
}

fn clauses(text: &str) -> Vec<&str> {
    text.split(['，', '。', '；', '！', '？', ',', '.', ';', '!', '?'])
        .filter(|c| !c.trim().is_empty())
        .collect()
}

/// `n` cases resampled from `base`: each keeps most clauses of one real case, may borrow a clause
/// from another case, and has ~5 % of its characters replaced by characters of other cases, so
/// the vocabulary keeps growing as it would with real new cases.
pub fn synthesize(base: &[Example], n: usize, seed: u64) -> Vec<Example> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    if base.is_empty() {
        return out;
    }
    let pool: Vec<Vec<char>> = base.iter().map(|e| e.text.chars().collect()).collect();
    for _ in 0..n {
        let e = &base[rng.below(base.len())];
        let mut text = String::new();
        for c in clauses(&e.text) {
            if rng.below(10) < 8 {
                text.push_str(c);
                text.push('，');
            }
        }
        if rng.below(10) < 3 {
            let other = &base[rng.below(base.len())];
            if let Some(c) = clauses(&other.text).first() {
                text.push_str(c);
            }
        }
        let noisy: String = text
            .chars()
            .map(|c| {
                if rng.below(20) == 0 {
                    let donor = &pool[rng.below(pool.len())];
                    if donor.is_empty() {
                        c
                    } else {
                        donor[rng.below(donor.len())]
                    }
                } else {
                    c
                }
            })
            .collect();
        out.push(Example {
            text: noisy,
            ..e.clone()
        });
    }
    out
}

/// Latency of `engine.suggest(q, 3)` over the queries.
pub fn suggest_latency(engine: &Engine, queries: &[Query<'_>]) -> Latency {
    let us = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            let s = engine.suggest(q, 3);
            std::hint::black_box(s);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    Latency::from_samples(us)
}

/// What `duplicate_latency` measured.
#[derive(Clone, Debug, Serialize)]
pub struct DuplicateBench {
    pub cases: usize,
    pub groups: usize,
    pub build_ms: f64,
    pub find: Latency,
}

/// Fills an index with `cases` noisy copies of `texts` spread over `groups` groups (group sizes
/// skewed: a few busy item/community pairs hold many open cases) and times `queries` look-ups.
pub fn duplicate_latency(
    texts: &[&str],
    cases: usize,
    groups: usize,
    queries: usize,
    seed: u64,
) -> DuplicateBench {
    let mut rng = Rng::new(seed);
    let mut index = DuplicateIndex::new(0.5);
    let group = |g: usize| {
        DuplicateGroup::new(
            format!("item-{}", g % 2193),
            format!("community-{}", g / 2193),
        )
    };
    let pick_group = |rng: &mut Rng| {
        // Square of a uniform draw: low-numbered groups are much busier than the rest.
        let u = rng.below(1 << 20) as f64 / f64::from(1 << 20);
        ((u * u) * groups as f64) as usize
    };
    let t = Instant::now();
    if !texts.is_empty() {
        for i in 0..cases {
            let g = pick_group(&mut rng);
            index.insert(group(g), format!("case-{i}"), texts[rng.below(texts.len())]);
        }
    }
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let mut us = Vec::with_capacity(queries);
    for _ in 0..queries {
        if texts.is_empty() {
            break;
        }
        let g = group(pick_group(&mut rng));
        let text = texts[rng.below(texts.len())];
        let t = Instant::now();
        let hits = index.find(&g, text, 5);
        std::hint::black_box(hits);
        us.push(t.elapsed().as_secs_f64() * 1e6);
    }
    DuplicateBench {
        cases,
        groups,
        build_ms,
        find: Latency::from_samples(us),
    }
}

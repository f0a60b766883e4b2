//! One-vs-rest linear SVMs (L2-regularised squared hinge) trained by dual coordinate descent, as
//! liblinear does, plus the passive-aggressive step that `Engine::learn` uses between retrains.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::rng::Rng;
use crate::vector::{Csr, SparseVec};

/// Knobs of the linear part.
#[derive(Clone, Debug)]
pub(crate) struct SvmParams {
    pub(crate) c: f64,
    /// Positive examples of class k weigh `(n / (K · n_k))^power`: 0 = unweighted, 1 = balanced.
    pub(crate) balance_power: f64,
    pub(crate) max_iter: usize,
    pub(crate) eps: f64,
    pub(crate) seed: u64,
    pub(crate) threads: usize,
}

/// Weights stored feature-major (`w[f * K + k]`) so that scoring a sparse query reads one
/// contiguous run of K weights per non-zero.
#[derive(Clone, Debug, Default)]
pub(crate) struct LinearModel {
    n_classes: usize,
    w: Vec<f32>,
    bias: Vec<f32>,
}

const BIAS_FEATURE: f64 = 1.0;

impl LinearModel {
    pub(crate) fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Decision values of every class for `x`, written into `out` (length K).
    pub(crate) fn scores(&self, x: &SparseVec, out: &mut Vec<f32>) {
        out.clear();
        out.extend_from_slice(&self.bias);
        let k = self.n_classes;
        for (&f, &v) in x.idx.iter().zip(&x.val) {
            let f = f as usize;
            if let Some(row) = self.w.get(f * k..(f + 1) * k) {
                for (o, w) in out.iter_mut().zip(row) {
                    *o += v * w;
                }
            }
        }
    }

    /// A new class with zero weights (a unit first seen by `learn`).
    pub(crate) fn add_class(&mut self) {
        let k = self.n_classes;
        let n_features = self.w.len().checked_div(k).unwrap_or(0);
        let mut w = Vec::with_capacity(n_features * (k + 1));
        for f in 0..n_features {
            w.extend_from_slice(&self.w[f * k..(f + 1) * k]);
            w.push(0.0);
        }
        self.w = w;
        self.bias.push(-1.0);
        self.n_classes += 1;
    }

    /// Grows the weight table to `n_features` (a model built before any vocabulary).
    pub(crate) fn ensure_features(&mut self, n_features: usize) {
        let need = n_features * self.n_classes;
        if self.w.len() < need {
            self.w.resize(need, 0.0);
        }
    }

    /// One passive-aggressive (PA-I) step per class towards margin 1 for `label` and -1 for the
    /// rest: after it the same text ranks `label` first, and similar texts lean towards it.
    pub(crate) fn learn(&mut self, x: &SparseVec, label: usize, aggressiveness: f32) {
        let mut s = Vec::new();
        self.scores(x, &mut s);
        let sq = x.val.iter().map(|v| v * v).sum::<f32>() + (BIAS_FEATURE * BIAS_FEATURE) as f32;
        let k = self.n_classes;
        for (class, score) in s.into_iter().enumerate() {
            let y = if class == label { 1.0 } else { -1.0 };
            let loss = 1.0 - y * score;
            if loss <= 0.0 {
                continue;
            }
            let tau = (loss / sq).min(aggressiveness) * y;
            for (&f, &v) in x.idx.iter().zip(&x.val) {
                if let Some(w) = self.w.get_mut(f as usize * k + class) {
                    *w += tau * v;
                }
            }
            self.bias[class] += tau * BIAS_FEATURE as f32;
        }
    }
}

/// Trains K one-vs-rest classifiers; classes are split over `params.threads` threads and each
/// class has its own seed, so the result does not depend on the thread count.
pub(crate) fn train(
    x: &Csr,
    y: &[u32],
    n_classes: usize,
    n_features: usize,
    params: &SvmParams,
) -> LinearModel {
    let n = y.len();
    let mut counts = vec![0usize; n_classes];
    for &label in y {
        counts[label as usize] += 1;
    }
    let c_pos: Vec<f64> = counts
        .iter()
        .map(|&nk| {
            let balanced = if nk == 0 {
                1.0
            } else {
                n as f64 / (n_classes as f64 * nk as f64)
            };
            params.c * balanced.powf(params.balance_power)
        })
        .collect();
    let threads = params.threads.clamp(1, 16).min(n_classes.max(1));
    // Classes are handed out one at a time (a big unit takes longer than a small one); each is
    // written into its column as soon as it is solved, so no second copy of the table is held.
    let next = AtomicUsize::new(0);
    let table = Mutex::new((
        vec![0.0f32; n_features * n_classes],
        vec![0.0f32; n_classes],
    ));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= n_classes {
                        break;
                    }
                    let (wk, bk) =
                        train_binary(x, y, k as u32, c_pos[k], params.c, params, n_features);
                    let mut guard = table.lock().unwrap_or_else(PoisonError::into_inner);
                    let (w, bias) = &mut *guard;
                    for (f, v) in wk.into_iter().enumerate() {
                        w[f * n_classes + k] = v;
                    }
                    bias[k] = bk;
                }
            });
        }
    });
    let (w, bias) = table.into_inner().unwrap_or_else(PoisonError::into_inner);
    LinearModel { n_classes, w, bias }
}

/// liblinear's dual coordinate descent for the L2-loss SVM (solver 1) with shrinking.
fn train_binary(
    x: &Csr,
    y: &[u32],
    class: u32,
    c_pos: f64,
    c_neg: f64,
    params: &SvmParams,
    n_features: usize,
) -> (Vec<f32>, f32) {
    let n = x.rows();
    let mut w = vec![0.0f64; n_features];
    let mut wb = 0.0f64;
    if n == 0 {
        return (vec![0.0; n_features], -1.0);
    }
    let sign: Vec<f64> = y
        .iter()
        .map(|&l| if l == class { 1.0 } else { -1.0 })
        .collect();
    let diag: Vec<f64> = sign
        .iter()
        .map(|&s| 0.5 / if s > 0.0 { c_pos } else { c_neg })
        .collect();
    let qd: Vec<f64> = (0..n)
        .map(|i| {
            let (_, v) = x.row(i);
            v.iter().map(|&a| f64::from(a) * f64::from(a)).sum::<f64>()
                + BIAS_FEATURE * BIAS_FEATURE
                + diag[i]
        })
        .collect();
    let mut alpha = vec![0.0f64; n];
    let mut index: Vec<usize> = (0..n).collect();
    let mut active = n;
    let mut rng = Rng::new(params.seed ^ (u64::from(class) << 32));
    // Only the lower bound (alpha = 0) can be active: the squared hinge has no upper bound.
    let mut pg_max_old = f64::INFINITY;
    let mut iter = 0;
    while iter < params.max_iter {
        let (mut pg_max, mut pg_min) = (f64::NEG_INFINITY, f64::INFINITY);
        rng.shuffle(&mut index[..active]);
        let mut s = 0;
        while s < active {
            let i = index[s];
            let (fi, fv) = x.row(i);
            let yi = sign[i];
            let mut dot = wb * BIAS_FEATURE;
            for (&f, &v) in fi.iter().zip(fv) {
                dot += w[f as usize] * f64::from(v);
            }
            let g = yi * dot - 1.0 + alpha[i] * diag[i];
            let mut pg = 0.0;
            if alpha[i] == 0.0 {
                if g > pg_max_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                } else if g < 0.0 {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pg_max = pg_max.max(pg);
            pg_min = pg_min.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (old - g / qd[i]).max(0.0);
                let d = (alpha[i] - old) * yi;
                for (&f, &v) in fi.iter().zip(fv) {
                    w[f as usize] += d * f64::from(v);
                }
                wb += d * BIAS_FEATURE;
            }
            s += 1;
        }
        iter += 1;
        if pg_max - pg_min <= params.eps {
            if active == n {
                break;
            }
            active = n;
            pg_max_old = f64::INFINITY;
            continue;
        }
        pg_max_old = if pg_max <= 0.0 { f64::INFINITY } else { pg_max };
    }
    (
        w.into_iter().map(|v| v as f32).collect(),
        (wb * BIAS_FEATURE) as f32,
    )
}

//! Measuring the engine on labelled CSV text (the `dev.csv` format): train/test or stratified
//! K-fold cross-validation, reported as one JSON line. Reads no files: callers pass the text.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::time::Instant;

use serde::Serialize;

use crate::engine::{Config, Engine, Example, Query};
use crate::rng::Rng;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("missing column {0:?}")]
    MissingColumn(&'static str),
    #[error("no labelled rows")]
    NoRows,
    #[error(
        "cross-validation needs at least 2 folds and as many rows, got {folds} folds for {rows} rows"
    )]
    Folds { folds: usize, rows: usize },
    #[error("give either a test set or a number of folds, not both")]
    TestAndCv,
    #[error("give a test set or a number of folds")]
    NothingToEvaluate,
}

pub type Result<T> = std::result::Result<T, Error>;

/// What an evaluation measured; `to_json_line` prints it as the one line the tools expect.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Rows in the training CSV.
    pub n_train: usize,
    /// Rows predicted: the test CSV's, or under cross-validation every training row once.
    pub n_test: usize,
    pub top1: f64,
    pub top3: f64,
    /// Macro-F1 over the union of true and predicted units (averaged over folds under CV).
    pub macro_f1: f64,
    /// Milliseconds to train one model (mean over folds under CV).
    pub train_ms: f64,
    pub suggest_us_p50: f64,
    pub suggest_us_p99: f64,
}

impl Report {
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Parses rows with the columns `text` and `department` (and optionally `channel`, `kind`);
/// every other column — notably `category` and `unit_type` — is ignored on purpose.
pub fn parse_examples(reader: impl Read) -> Result<Vec<Example>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reader);
    let headers = rdr.headers()?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let text = col("text").ok_or(Error::MissingColumn("text"))?;
    let label = col("department").ok_or(Error::MissingColumn("department"))?;
    let (channel, kind) = (col("channel"), col("kind"));
    let mut out = Vec::new();
    for record in rdr.records() {
        let record = record?;
        let field = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let (Some(t), Some(l)) = (field(Some(text)), field(Some(label))) else {
            continue;
        };
        out.push(Example {
            text: t,
            label: l,
            channel: field(channel),
            kind: field(kind),
        });
    }
    Ok(out)
}

/// The evaluation behind `yousu-server dispatch-eval`: `cv` folds inside the training CSV, or
/// train on it and test on `test_csv`, with the default `Config`.
pub fn run(
    train_csv: &str,
    test_csv: Option<&str>,
    cv: Option<usize>,
    seed: u64,
) -> Result<Report> {
    let train = parse_examples(train_csv.as_bytes())?;
    let test = test_csv.map(|t| parse_examples(t.as_bytes())).transpose()?;
    let config = Config {
        seed,
        ..Config::default()
    };
    run_examples(&train, test.as_deref(), cv, &config)
}

/// As [`run`], on parsed examples and with any `Config`.
pub fn run_examples(
    train: &[Example],
    test: Option<&[Example]>,
    cv: Option<usize>,
    config: &Config,
) -> Result<Report> {
    if train.is_empty() {
        return Err(Error::NoRows);
    }
    match (test, cv) {
        (Some(_), Some(_)) => Err(Error::TestAndCv),
        (None, None) => Err(Error::NothingToEvaluate),
        (Some(test), None) => {
            let mut acc = Accumulator::default();
            acc.fold(train, test, config);
            Ok(acc.report(train.len()))
        }
        (None, Some(k)) => {
            if k < 2 || k > train.len() {
                return Err(Error::Folds {
                    folds: k,
                    rows: train.len(),
                });
            }
            let fold_of = stratified_folds(train, k, config.seed);
            let mut acc = Accumulator::default();
            for f in 0..k {
                let (tr, te): (Vec<_>, Vec<_>) = train
                    .iter()
                    .zip(&fold_of)
                    .partition(|(_, fold)| **fold != f);
                let tr: Vec<Example> = tr.into_iter().map(|(e, _)| e.clone()).collect();
                let te: Vec<Example> = te.into_iter().map(|(e, _)| e.clone()).collect();
                acc.fold(&tr, &te, config);
            }
            Ok(acc.report(train.len()))
        }
    }
}

/// The fold of each row: every unit's rows are shuffled (seeded) and dealt round the folds, the
/// dealing continuing where the previous unit stopped, so folds get equal sizes and mixes.
pub fn stratified_folds(rows: &[Example], k: usize, seed: u64) -> Vec<usize> {
    let mut by_label: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in rows.iter().enumerate() {
        by_label.entry(&e.label).or_default().push(i);
    }
    let mut rng = Rng::new(seed);
    let mut fold = vec![0; rows.len()];
    let mut next = 0;
    for (_, mut idx) in by_label {
        rng.shuffle(&mut idx);
        for i in idx {
            fold[i] = next % k;
            next += 1;
        }
    }
    fold
}

#[derive(Default)]
struct Accumulator {
    n_test: usize,
    hit1: usize,
    hit3: usize,
    f1_sum: f64,
    folds: usize,
    train_ms: f64,
    suggest_us: Vec<f64>,
}

impl Accumulator {
    fn fold(&mut self, train: &[Example], test: &[Example], config: &Config) {
        let t = Instant::now();
        let engine = Engine::train(train, config);
        self.train_ms += t.elapsed().as_secs_f64() * 1e3;
        let mut truth = Vec::with_capacity(test.len());
        let mut predicted = Vec::with_capacity(test.len());
        for e in test {
            let q = Query {
                text: &e.text,
                channel: e.channel.as_deref(),
                kind: e.kind.as_deref(),
            };
            let t = Instant::now();
            let s = engine.suggest(&q, 3);
            self.suggest_us.push(t.elapsed().as_secs_f64() * 1e6);
            if s.first().is_some_and(|s| s.label == e.label) {
                self.hit1 += 1;
            }
            if s.iter().any(|s| s.label == e.label) {
                self.hit3 += 1;
            }
            truth.push(e.label.as_str());
            predicted.push(s.into_iter().next().map(|s| s.label).unwrap_or_default());
        }
        let predicted: Vec<&str> = predicted.iter().map(String::as_str).collect();
        self.f1_sum += macro_f1(&truth, &predicted);
        self.n_test += test.len();
        self.folds += 1;
    }

    fn report(mut self, n_train: usize) -> Report {
        self.suggest_us.sort_by(f64::total_cmp);
        let pct = |p: f64| {
            if self.suggest_us.is_empty() {
                return 0.0;
            }
            let i = ((self.suggest_us.len() - 1) as f64 * p).round() as usize;
            round(self.suggest_us[i], 1)
        };
        let n = self.n_test.max(1) as f64;
        let folds = self.folds.max(1) as f64;
        Report {
            n_train,
            n_test: self.n_test,
            top1: round(self.hit1 as f64 / n, 4),
            top3: round(self.hit3 as f64 / n, 4),
            macro_f1: round(self.f1_sum / folds, 4),
            train_ms: round(self.train_ms / folds, 1),
            suggest_us_p50: pct(0.5),
            suggest_us_p99: pct(0.99),
        }
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    (x * m).round() / m
}

/// Macro-F1 over the union of true and predicted labels (as scikit-learn computes it).
pub fn macro_f1(truth: &[&str], predicted: &[&str]) -> f64 {
    let labels: HashSet<&str> = truth.iter().chain(predicted).copied().collect();
    if labels.is_empty() {
        return 0.0;
    }
    let mut sum = 0.0;
    for l in &labels {
        let tp = truth
            .iter()
            .zip(predicted)
            .filter(|(t, p)| *t == l && *p == l)
            .count() as f64;
        let t = truth.iter().filter(|t| *t == l).count() as f64;
        let p = predicted.iter().filter(|p| *p == l).count() as f64;
        if t + p > 0.0 {
            sum += 2.0 * tp / (t + p);
        }
    }
    sum / labels.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::CASES;

    fn csv_text() -> String {
        let mut t = String::from("id,text,channel,kind,category,department,unit_type\n");
        for (i, (label, text)) in CASES.iter().enumerate() {
            // The category names the answer: the parser must not read it.
            t.push_str(&format!(
                "{i},\"{text}\",来电,投诉,\"{label},{label}\",{label},x\n"
            ));
        }
        t
    }

    #[test]
    fn cross_validation_on_a_small_csv_gives_sane_figures() {
        let report = run(&csv_text(), None, Some(3), 1).expect("evaluates");
        assert_eq!(report.n_train, CASES.len());
        assert_eq!(report.n_test, CASES.len());
        assert!(report.top1 > 0.5, "{report:?}");
        assert!(report.top3 >= report.top1);
        assert!((0.0..=1.0).contains(&report.macro_f1));
        let line = report.to_json_line();
        assert!(!line.contains('\n'));
        for field in [
            "n_train",
            "n_test",
            "top1",
            "top3",
            "macro_f1",
            "train_ms",
            "suggest_us_p50",
            "suggest_us_p99",
        ] {
            assert!(line.contains(&format!("\"{field}\":")), "{line}");
        }
    }

    #[test]
    fn train_and_test_files_are_evaluated_separately() {
        let report = run(&csv_text(), Some(&csv_text()), None, 1).expect("evaluates");
        assert_eq!(report.n_test, CASES.len());
        assert!(report.top1 > 0.9);
    }

    #[test]
    fn folds_are_stratified_and_seeded() {
        let examples = crate::fixtures::examples();
        let folds = stratified_folds(&examples, 3, 5);
        assert_eq!(folds, stratified_folds(&examples, 3, 5));
        for f in 0..3 {
            assert_eq!(folds.iter().filter(|&&x| x == f).count(), 8);
        }
    }

    #[test]
    fn csv_problems_are_errors() {
        let no_label = "id,text\n1,路灯不亮\n";
        assert!(matches!(
            run(no_label, None, Some(2), 1),
            Err(Error::MissingColumn("department"))
        ));
        let no_text = "id,department\n1,lamp\n";
        assert!(matches!(
            run(no_text, None, Some(2), 1),
            Err(Error::MissingColumn("text"))
        ));
        assert!(matches!(
            run("text,department\n", None, Some(2), 1),
            Err(Error::NoRows)
        ));
        let ragged = "text,department\n路灯不亮,lamp,extra\n";
        assert!(matches!(run(ragged, None, Some(2), 1), Err(Error::Csv(_))));
        assert!(matches!(
            run(&csv_text(), None, Some(1), 1),
            Err(Error::Folds { .. })
        ));
        assert!(matches!(
            run(&csv_text(), Some(&csv_text()), Some(2), 1),
            Err(Error::TestAndCv)
        ));
        assert!(matches!(
            run(&csv_text(), None, None, 1),
            Err(Error::NothingToEvaluate)
        ));
    }

    #[test]
    fn macro_f1_counts_every_true_or_predicted_label() {
        assert!((macro_f1(&["a", "b"], &["a", "b"]) - 1.0).abs() < 1e-9);
        // a: tp 1, 2 true, 1 predicted -> 2/3; b: 0; c (predicted only): 0.
        let f = macro_f1(&["a", "a", "b"], &["a", "c", "c"]);
        assert!((f - (2.0 / 3.0) / 3.0).abs() < 1e-9);
    }
}

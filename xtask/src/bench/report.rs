//! The figures of one bench run: each with its budget and verdict, its ratio to `/api/v1/health`
//! where it is an API latency, printed as a table, written to `bench/results/latest.json`,
//! appended to `bench/results/history.jsonl`, and compared with the run before.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;

use serde_json::{Value, json};

use crate::run::{Result, root};

/// What a figure must stay within; a budget is never loosened to make a figure pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Budget {
    AtMost(f64),
    AtLeast(f64),
    /// Strictly above: for accuracy that must beat a baseline.
    Above(f64),
}

impl Budget {
    pub fn passes(self, value: f64) -> bool {
        match self {
            Budget::AtMost(b) => value <= b,
            Budget::AtLeast(b) => value >= b,
            Budget::Above(b) => value > b,
        }
    }

    fn text(self, unit: &str) -> String {
        let (sign, b) = match self {
            Budget::AtMost(b) => ("≤", b),
            Budget::AtLeast(b) => ("≥", b),
            Budget::Above(b) => (">", b),
        };
        format!("{sign} {}{}", number(b), spaced(unit))
    }
}

#[derive(Clone, Debug)]
pub struct Figure {
    /// Stable across runs, to compare with the run before: `api.sqlite.submit.1000.p99`.
    pub id: String,
    pub label: String,
    /// `None` when it could not be measured (then `note` says why).
    pub value: Option<f64>,
    pub unit: &'static str,
    pub budget: Option<Budget>,
    /// This latency divided by `/api/v1/health`'s at the same rate in the same run.
    pub ratio_to_health: Option<f64>,
    pub note: String,
}

impl Figure {
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        value: f64,
        unit: &'static str,
    ) -> Self {
        Self {
            id: id.into(),
            label: label.into(),
            value: Some(value),
            unit,
            budget: None,
            ratio_to_health: None,
            note: String::new(),
        }
    }

    pub fn missing(
        id: impl Into<String>,
        label: impl Into<String>,
        why: impl Into<String>,
    ) -> Self {
        Self {
            value: None,
            note: why.into(),
            ..Self::new(id, label, 0.0, "")
        }
    }

    pub fn budget(mut self, budget: Budget) -> Self {
        self.budget = Some(budget);
        self
    }

    pub fn ratio(mut self, health: Option<f64>) -> Self {
        self.ratio_to_health = match (self.value, health) {
            (Some(v), Some(h)) if h > 0.0 => Some(v / h),
            _ => None,
        };
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// `Some(true)` PASS, `Some(false)` FAIL, `None` no budget (or not measured: FAIL if budgeted).
    pub fn verdict(&self) -> Option<bool> {
        let budget = self.budget?;
        Some(self.value.is_some_and(|v| budget.passes(v)))
    }
}

fn number(v: f64) -> String {
    if (v == v.trunc() && v.abs() < 1e9) || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else if v.abs() >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn spaced(unit: &str) -> String {
    if unit.is_empty() || unit == "%" {
        unit.to_owned()
    } else {
        format!(" {unit}")
    }
}

/// The whole run: where, when, and every figure.
pub struct Report {
    pub machine: Value,
    pub quick: bool,
    pub figures: Vec<Figure>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn to_json(&self, finished: &str, commit: &str) -> Value {
        let figures: Vec<Value> = self
            .figures
            .iter()
            .map(|f| {
                json!({
                    "id": f.id, "label": f.label, "value": f.value, "unit": f.unit,
                    "budget": f.budget.map(|b| b.text(f.unit)),
                    "pass": f.verdict(), "ratio_to_health": f.ratio_to_health,
                    "note": (!f.note.is_empty()).then_some(&f.note),
                })
            })
            .collect();
        json!({
            "finished_at": finished, "commit": commit, "quick": self.quick,
            "machine": self.machine, "notes": self.notes, "figures": figures,
        })
    }

    /// The table, with the previous run's value beside each figure it also had.
    pub fn table(&self, previous: Option<&Value>) -> String {
        let before = |id: &str| -> Option<f64> {
            previous?["figures"]
                .as_array()?
                .iter()
                .find(|f| f["id"] == id)?["value"]
                .as_f64()
        };
        let mut out = String::new();
        let _ = writeln!(out, "machine: {}", machine_line(&self.machine));
        let _ = writeln!(
            out,
            "{:<58} {:>12} {:>8} {:>14} {:>6} {:>16}",
            "figure", "value", "÷health", "budget", "", "previous run"
        );
        for f in &self.figures {
            let value = match f.value {
                Some(v) => format!("{}{}", number(v), spaced(f.unit)),
                None => "—".to_owned(),
            };
            let ratio = f
                .ratio_to_health
                .map(|r| format!("×{}", number(r)))
                .unwrap_or_default();
            let budget = f.budget.map(|b| b.text(f.unit)).unwrap_or_default();
            let verdict = match f.verdict() {
                Some(true) => "PASS",
                Some(false) => "FAIL",
                None => "",
            };
            let change = match (f.value, before(&f.id)) {
                (Some(now), Some(then)) if then != 0.0 => {
                    format!("{} ({:+.0}%)", number(then), (now / then - 1.0) * 100.0)
                }
                (_, Some(then)) => number(then),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "{:<58} {:>12} {:>8} {:>14} {:>6} {:>16}",
                truncate(&f.label, 58),
                value,
                ratio,
                budget,
                verdict,
                change
            );
            if !f.note.is_empty() {
                let _ = writeln!(out, "    {}", f.note);
            }
        }
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        let failed = self
            .figures
            .iter()
            .filter(|f| f.verdict() == Some(false))
            .count();
        let budgeted = self.figures.iter().filter(|f| f.budget.is_some()).count();
        let _ = writeln!(out, "{} of {budgeted} budgets met", budgeted - failed);
        out
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        text.chars().take(width - 1).chain(['…']).collect()
    }
}

pub fn machine_line(machine: &Value) -> String {
    format!(
        "{} cores, {}, {} GiB RAM, load average {} at start",
        machine["cores"],
        machine["cpu_model"].as_str().unwrap_or("unknown CPU"),
        machine["memory_gib"],
        machine["load_average_at_start"].as_str().unwrap_or("?"),
    )
}

/// The machine this run is on: cores and CPU model from /proc/cpuinfo, memory, and how busy it
/// was when the run began (these machines are shared).
pub fn machine() -> Value {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')))
        .map(|(_, m)| m.trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory_kib: f64 = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0.0);
    json!({
        "cores": cores,
        "cpu_model": model,
        "memory_gib": (memory_kib / 1024.0 / 1024.0).round(),
        "load_average_at_start": load_average(),
    })
}

pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Writes `latest.json` and appends to `history.jsonl`; returns the previous latest run.
pub fn save(report: &Report, finished: &str, commit: &str) -> Result<Option<Value>> {
    let folder = root().join("bench/results");
    fs::create_dir_all(&folder).map_err(|e| format!("cannot create bench/results: {e}"))?;
    let latest = folder.join("latest.json");
    let previous = fs::read_to_string(&latest)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let value = report.to_json(finished, commit);
    let pretty = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    fs::write(&latest, pretty + "\n").map_err(|e| format!("cannot write latest.json: {e}"))?;
    let mut history = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(folder.join("history.jsonl"))
        .map_err(|e| format!("cannot open history.jsonl: {e}"))?;
    writeln!(history, "{value}").map_err(|e| format!("cannot append to history.jsonl: {e}"))?;
    Ok(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_passes_only_within_its_budget() {
        let fast = Figure::new("a", "a", 40.0, "ms").budget(Budget::AtMost(50.0));
        let slow = Figure::new("b", "b", 60.0, "ms").budget(Budget::AtMost(50.0));
        let unmeasured = Figure::missing("c", "c", "no server").budget(Budget::AtMost(50.0));
        assert_eq!(fast.verdict(), Some(true));
        assert_eq!(slow.verdict(), Some(false));
        assert_eq!(
            unmeasured.verdict(),
            Some(false),
            "a budgeted figure not measured fails"
        );
        assert_eq!(Figure::new("d", "d", 1.0, "").verdict(), None);
        assert_eq!(
            Figure::new("e", "e", 0.730, "")
                .budget(Budget::Above(0.730))
                .verdict(),
            Some(false)
        );
    }

    #[test]
    fn the_ratio_to_health_divides_by_the_health_latency() {
        let f = Figure::new("a", "a", 6.0, "ms").ratio(Some(2.0));
        assert_eq!(f.ratio_to_health, Some(3.0));
        assert_eq!(
            Figure::new("a", "a", 6.0, "ms").ratio(None).ratio_to_health,
            None
        );
    }

    #[test]
    fn the_table_compares_with_the_previous_run() {
        let report = Report {
            machine: json!({"cores": 2, "cpu_model": "Test CPU", "memory_gib": 4.0,
                "load_average_at_start": "0.1 0.2 0.3"}),
            quick: true,
            figures: vec![
                Figure::new("x", "submission p99", 12.0, "ms").budget(Budget::AtMost(50.0)),
            ],
            notes: vec![],
        };
        let previous = json!({"figures": [{"id": "x", "value": 10.0}]});
        let table = report.table(Some(&previous));
        assert!(table.contains("2 cores, Test CPU"), "{table}");
        assert!(table.contains("PASS"), "{table}");
        assert!(table.contains("10 (+20%)"), "{table}");
    }
}

//! The monthly evaluation of each unit (评): the three rates, always with the counts they rest on.
//!
//! Per unit and per city-local calendar month:
//! - **response rate** (响应率) = dispatches to the unit in the month that it claimed within the
//!   response limit ÷ dispatches to the unit in the month;
//! - **resolution rate** (解决率) = ratings given in the month that say "resolved" ÷ ratings given in
//!   the month;
//! - **satisfaction rate** (满意率) = ratings given in the month that say "satisfied" or "basically
//!   satisfied" ÷ ratings given in the month;
//! - **on-time rate** = completions in the month at or before the deadline ÷ completions in the month;
//! - **overdue** = cases whose deadline fell in the month and which were not completed by then;
//! - **refused returns** = the unit's return requests refused in the month (a refusal counts
//!   against the unit: it tried to give back a case that was its own).
//!
//! A rate with nothing to divide by is absent, not zero; a unit with fewer than
//! [`MIN_CASES_FOR_RATES`] dispatches is marked as resting on too few cases.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{city_offset, string_enum};

/// Below this many dispatches in a month a unit's rates say little; reports mark them.
pub const MIN_CASES_FOR_RATES: u64 = 10;

string_enum! {
    /// The resident's verdict on the handling (回访评价).
    Satisfaction {
        Satisfied => "satisfied",
        BasicallySatisfied => "basically_satisfied",
        Dissatisfied => "dissatisfied",
    }
}

/// A rating: was the problem resolved, how satisfied is the resident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub resolved: bool,
    pub satisfaction: Satisfaction,
}

/// A city-local calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let (year, month): (i32, u32) = (year.parse().ok()?, month.parse().ok()?);
        (year.to_string().len() == 4 && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The first instant of the month in the city, as UTC.
    pub fn start(self) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .expect("a valid month")
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_local_timezone(city_offset())
            .single()
            .expect("a fixed offset is never ambiguous")
            .with_timezone(&Utc)
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn of(at: DateTime<Utc>) -> Self {
        let local = at.with_timezone(&city_offset());
        Self {
            year: local.year(),
            month: local.month(),
        }
    }

    pub fn contains(self, at: DateTime<Utc>) -> bool {
        Self::of(at) == self
    }
}

/// What happened to one case while one unit had it (a redispatched case has one per unit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseOutcome {
    pub unit_id: String,
    pub dispatched_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub deadline_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub rating: Option<(DateTime<Utc>, Rating)>,
}

/// A unit's return request that the joint review refused, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedReturn {
    pub unit_id: String,
    pub decided_at: DateTime<Utc>,
}

/// The counts behind a unit's month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitCounts {
    pub dispatched: u64,
    pub responded_in_time: u64,
    pub rated: u64,
    pub resolved: u64,
    pub satisfied: u64,
    pub basically_satisfied: u64,
    pub dissatisfied: u64,
    pub completed: u64,
    pub completed_on_time: u64,
    pub overdue: u64,
    pub refused_returns: u64,
}

/// A ratio that keeps its counts; `value` is `None` when there is nothing to divide by.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
    pub value: Option<f64>,
}

impl Rate {
    pub fn new(numerator: u64, denominator: u64) -> Self {
        Self {
            numerator,
            denominator,
            value: (denominator > 0).then(|| numerator as f64 / denominator as f64),
        }
    }
}

/// A unit's evaluation for one month.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRates {
    pub response: Rate,
    pub resolution: Rate,
    pub satisfaction: Rate,
    pub on_time: Rate,
    pub overdue: u64,
    pub refused_returns: u64,
    pub too_few_cases: bool,
    pub counts: UnitCounts,
}

impl From<UnitCounts> for UnitRates {
    fn from(c: UnitCounts) -> Self {
        Self {
            response: Rate::new(c.responded_in_time, c.dispatched),
            resolution: Rate::new(c.resolved, c.rated),
            satisfaction: Rate::new(c.satisfied + c.basically_satisfied, c.rated),
            on_time: Rate::new(c.completed_on_time, c.completed),
            overdue: c.overdue,
            refused_returns: c.refused_returns,
            too_few_cases: c.dispatched < MIN_CASES_FOR_RATES,
            counts: c,
        }
    }
}

/// Counts each unit's month from the outcomes of its cases and its refused return requests.
pub fn tally<'a>(
    outcomes: impl IntoIterator<Item = &'a CaseOutcome>,
    refusals: impl IntoIterator<Item = &'a RefusedReturn>,
    month: Month,
    response_limit: Duration,
) -> BTreeMap<String, UnitCounts> {
    let mut units: BTreeMap<String, UnitCounts> = BTreeMap::new();
    for o in outcomes {
        let c = units.entry(o.unit_id.clone()).or_default();
        if month.contains(o.dispatched_at) {
            c.dispatched += 1;
            if o.claimed_at
                .is_some_and(|claimed| claimed <= o.dispatched_at + response_limit)
            {
                c.responded_in_time += 1;
            }
        }
        if let Some((rated_at, rating)) = &o.rating
            && month.contains(*rated_at)
        {
            c.rated += 1;
            c.resolved += u64::from(rating.resolved);
            match rating.satisfaction {
                Satisfaction::Satisfied => c.satisfied += 1,
                Satisfaction::BasicallySatisfied => c.basically_satisfied += 1,
                Satisfaction::Dissatisfied => c.dissatisfied += 1,
            }
        }
        if let Some(completed) = o.completed_at
            && month.contains(completed)
        {
            c.completed += 1;
            c.completed_on_time += u64::from(completed <= o.deadline_at);
        }
        if month.contains(o.deadline_at) && o.completed_at.is_none_or(|done| done > o.deadline_at) {
            c.overdue += 1;
        }
    }
    for refusal in refusals {
        if month.contains(refusal.decided_at) {
            units
                .entry(refusal.unit_id.clone())
                .or_default()
                .refused_returns += 1;
        }
    }
    units.retain(|_, c| *c != UnitCounts::default());
    units
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn outcome(unit: &str, dispatched: DateTime<Utc>) -> CaseOutcome {
        CaseOutcome {
            unit_id: unit.into(),
            dispatched_at: dispatched,
            claimed_at: None,
            deadline_at: dispatched + Duration::days(7),
            completed_at: None,
            rating: None,
        }
    }

    const NOV: Month = Month {
        year: 2026,
        month: 11,
    };

    #[test]
    fn response_counts_claims_within_the_limit() {
        let on_time = CaseOutcome {
            claimed_at: Some(t(2, 9)),
            ..outcome("a", t(1, 10))
        };
        let late = CaseOutcome {
            claimed_at: Some(t(2, 11)),
            ..outcome("a", t(1, 10))
        };
        let never = outcome("a", t(1, 10));
        let counts = tally([&on_time, &late, &never], [], NOV, Duration::hours(24));
        let rates = UnitRates::from(counts["a"]);
        assert_eq!(
            (rates.response.numerator, rates.response.denominator),
            (1, 3)
        );
        assert!((rates.response.value.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(
            rates.resolution.value, None,
            "no ratings: no rate, not zero"
        );
        assert!(rates.too_few_cases);
    }

    #[test]
    fn ratings_count_in_the_month_they_were_given() {
        let rated = |d, resolved, satisfaction| CaseOutcome {
            completed_at: Some(t(d, 8)),
            rating: Some((
                t(d, 9),
                Rating {
                    resolved,
                    satisfaction,
                },
            )),
            ..outcome("a", t(1, 0))
        };
        let cases = [
            rated(3, true, Satisfaction::Satisfied),
            rated(4, true, Satisfaction::BasicallySatisfied),
            rated(5, false, Satisfaction::Dissatisfied),
            rated(6, false, Satisfaction::BasicallySatisfied),
        ];
        let rates = UnitRates::from(tally(&cases, [], NOV, Duration::hours(24))["a"]);
        assert_eq!(
            (rates.resolution.numerator, rates.resolution.denominator),
            (2, 4)
        );
        assert_eq!(
            (rates.satisfaction.numerator, rates.satisfaction.denominator),
            (3, 4)
        );
        assert_eq!((rates.on_time.numerator, rates.on_time.denominator), (4, 4));
        let december = Month {
            year: 2026,
            month: 12,
        };
        assert!(!tally(&cases, [], december, Duration::hours(24)).contains_key("a"));
    }

    #[test]
    fn months_parse_and_start_at_city_midnight() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(nov, NOV);
        assert_eq!(
            nov.start(),
            Utc.with_ymd_and_hms(2026, 10, 31, 16, 0, 0).unwrap()
        );
        assert_eq!(
            Month::parse("2026-12").unwrap().next(),
            Month {
                year: 2027,
                month: 1
            }
        );
        assert_eq!(
            Month::parse("2027-01").unwrap().previous(),
            Month {
                year: 2026,
                month: 12
            }
        );
        assert!(Month::parse("2026-13").is_none());
        assert!(Month::parse("26-11").is_none());
    }

    #[test]
    fn month_boundaries_follow_city_time() {
        // 30 November 17:00 UTC is 1 December 01:00 in the city.
        let late_evening = Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap();
        assert_eq!(
            Month::of(late_evening),
            Month {
                year: 2026,
                month: 12
            }
        );
    }

    #[test]
    fn overdue_counts_deadlines_in_the_month_missed() {
        let missed = outcome("a", t(1, 0)); // due 8 Nov, never completed
        let late = CaseOutcome {
            completed_at: Some(t(9, 0)),
            ..outcome("a", t(1, 0))
        };
        let in_time = CaseOutcome {
            completed_at: Some(t(7, 0)),
            ..outcome("a", t(1, 0))
        };
        let counts = tally([&missed, &late, &in_time], [], NOV, Duration::hours(24))["a"];
        assert_eq!(counts.overdue, 2);
        assert_eq!((counts.completed, counts.completed_on_time), (2, 1));
    }

    #[test]
    fn refused_returns_count_against_the_unit() {
        let refusals = [
            RefusedReturn {
                unit_id: "b".into(),
                decided_at: t(2, 0),
            },
            RefusedReturn {
                unit_id: "b".into(),
                decided_at: Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap(),
            },
        ];
        assert_eq!(
            tally([], &refusals, NOV, Duration::hours(24))["b"].refused_returns,
            1
        );
    }
}

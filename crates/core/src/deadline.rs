//! Deadline arithmetic: the time tiers (七天办结 and its siblings) and the countdown a resident sees.
//!
//! The deadline counts from acceptance. The countdown is a pure function of the deadline and a
//! clock reading the caller supplies — in the browser that is the server's clock (offset measured
//! from API responses), never the phone's, so a wrong phone clock or zone cannot change it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::case::string_enum;

string_enum! {
    /// How long the unit has to finish, by the case's complexity.
    TimeTier {
        Urgent => "urgent",
        General => "general",
        Complex => "complex",
        Difficult => "difficult",
    }
}

impl TimeTier {
    /// Natural days from acceptance to the completion deadline (defaults of the model we follow:
    /// urgent 1, general 7 — 七天办结 —, complex 15, difficult 30).
    pub fn days(self) -> i64 {
        match self {
            TimeTier::Urgent => 1,
            TimeTier::General => 7,
            TimeTier::Complex => 15,
            TimeTier::Difficult => 30,
        }
    }

    /// The completion deadline of a case of this tier accepted at `accepted_at`.
    pub fn deadline(self, accepted_at: DateTime<Utc>) -> DateTime<Utc> {
        accepted_at + Duration::days(self.days())
    }
}

/// Time left before a deadline, or how far past it a case is, in whole minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Countdown {
    Remaining { days: i64, hours: i64, minutes: i64 },
    Overdue { days: i64, hours: i64, minutes: i64 },
}

impl Countdown {
    /// The countdown at `now`. Seconds are dropped towards the deadline: with 59 s left it reads
    /// 0 minutes remaining, and one second past it reads overdue by 0 minutes.
    pub fn at(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Self {
        let left = deadline.signed_duration_since(now);
        let (overdue, minutes) = if left < Duration::zero() {
            (true, (-left).num_minutes())
        } else {
            (false, left.num_minutes())
        };
        let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        if overdue {
            Countdown::Overdue {
                days,
                hours,
                minutes,
            }
        } else {
            Countdown::Remaining {
                days,
                hours,
                minutes,
            }
        }
    }

    pub fn is_overdue(self) -> bool {
        matches!(self, Countdown::Overdue { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[test]
    fn general_cases_are_due_seven_days_after_acceptance() {
        let accepted = at(2026, 11, 26, 3, 15, 0);
        assert_eq!(
            TimeTier::General.deadline(accepted),
            at(2026, 12, 3, 3, 15, 0)
        );
    }

    #[test]
    fn deadlines_cross_month_year_and_leap_day() {
        assert_eq!(
            TimeTier::General.deadline(at(2026, 12, 28, 10, 0, 0)),
            at(2027, 1, 4, 10, 0, 0)
        );
        assert_eq!(
            TimeTier::General.deadline(at(2028, 2, 25, 10, 0, 0)),
            at(2028, 3, 3, 10, 0, 0),
            "2028 is a leap year: 29 February counts"
        );
        assert_eq!(
            TimeTier::Difficult.deadline(at(2027, 1, 31, 0, 0, 0)),
            at(2027, 3, 2, 0, 0, 0)
        );
        assert_eq!(
            TimeTier::Urgent.deadline(at(2026, 11, 30, 23, 30, 0)),
            at(2026, 12, 1, 23, 30, 0)
        );
    }

    #[test]
    fn countdown_splits_into_days_hours_minutes() {
        let deadline = at(2026, 12, 3, 3, 15, 0);
        assert_eq!(
            Countdown::at(deadline, at(2026, 11, 26, 3, 15, 0)),
            Countdown::Remaining {
                days: 7,
                hours: 0,
                minutes: 0
            }
        );
        assert_eq!(
            Countdown::at(deadline, at(2026, 12, 2, 1, 0, 30)),
            Countdown::Remaining {
                days: 1,
                hours: 2,
                minutes: 14
            }
        );
    }

    #[test]
    fn countdown_turns_to_overdue_after_the_deadline() {
        let deadline = at(2026, 12, 3, 3, 15, 0);
        assert!(!Countdown::at(deadline, deadline).is_overdue());
        assert_eq!(
            Countdown::at(deadline, at(2026, 12, 3, 3, 15, 1)),
            Countdown::Overdue {
                days: 0,
                hours: 0,
                minutes: 0
            }
        );
        assert_eq!(
            Countdown::at(deadline, at(2026, 12, 4, 8, 20, 0)),
            Countdown::Overdue {
                days: 1,
                hours: 5,
                minutes: 5
            }
        );
    }
}

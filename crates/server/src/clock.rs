//! The platform's clock: every deadline, month, case number and expiry the server works out reads
//! the time from here, so a deployment (or a test) can run the platform as if at another instant.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

/// The real time, or the real time moved by a fixed offset: a clock started at another instant
/// keeps running at the real pace, so sessions expire and nodes fall due as they would.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    offset: TimeDelta,
}

impl Clock {
    /// The machine's own time.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            offset: start - Utc::now(),
        }
    }

    /// Whether this clock is the machine's own.
    pub fn is_system(&self) -> bool {
        self.offset.is_zero()
    }

    /// Now, to the microsecond: both databases keep microseconds, so a time the API answers with
    /// is exactly the time stored.
    pub fn now(&self) -> DateTime<Utc> {
        (Utc::now() + self.offset).trunc_subsecs(6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_started_at_an_instant_reads_it_and_runs_on() {
        let start = DateTime::parse_from_rfc3339("2027-03-01T00:00:30+08:00")
            .unwrap()
            .with_timezone(&Utc);
        let clock = Clock::starting_at(start);
        let read = clock.now();
        assert!(read >= start - TimeDelta::milliseconds(1));
        assert!(read < start + TimeDelta::seconds(5));
        assert!(!clock.is_system());
        assert!(Clock::system().is_system());
    }
}

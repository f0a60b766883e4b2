//! Deadline arithmetic: the time tiers (七天办结 and its siblings) and the countdown a resident sees.
//!
//! The deadline counts from acceptance. The countdown is a pure function of the deadline and a
//! clock reading the caller supplies — in the browser that is the server's clock (offset measured
//! from API responses), never the phone's, so a wrong phone clock or zone cannot change it.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::case::{city_offset, string_enum};

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

    /// The completion deadline of a case of this tier accepted at `accepted_at`, by the default
    /// rule (natural days); a deployment's own rules are [`ClockRules`].
    pub fn deadline(self, accepted_at: DateTime<Utc>) -> DateTime<Utc> {
        accepted_at + Duration::days(self.days())
    }
}

/// Whether a tier's days are counted on the calendar or only on working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DayCount {
    Natural,
    Working,
}

/// How long one tier has: `days` counted as `count` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierRule {
    pub days: u32,
    pub count: DayCount,
}

/// The deadline rules of a deployment: one rule per tier and the response limit (time to claim
/// and contact the resident). Defaults: urgent 1, general 7, complex 15, difficult 30 natural
/// days; 24 hours to respond.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    pub urgent: TierRule,
    pub general: TierRule,
    pub complex: TierRule,
    pub difficult: TierRule,
    pub response_limit_hours: u32,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        let natural = |tier: TimeTier| TierRule {
            days: tier.days() as u32,
            count: DayCount::Natural,
        };
        Self {
            urgent: natural(TimeTier::Urgent),
            general: natural(TimeTier::General),
            complex: natural(TimeTier::Complex),
            difficult: natural(TimeTier::Difficult),
            response_limit_hours: 24,
        }
    }
}

/// The four supervision nodes (督办节点) of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NodeKind {
    /// The response limit: the unit should have claimed the case and contacted the resident.
    Response,
    /// Half of the time to the deadline has passed.
    HalfTime,
    /// One day before the deadline.
    DayBeforeDue,
    /// The deadline itself.
    Due,
}

impl NodeKind {
    pub const ALL: [NodeKind; 4] = [
        NodeKind::Response,
        NodeKind::HalfTime,
        NodeKind::DayBeforeDue,
        NodeKind::Due,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Response => "response",
            NodeKind::HalfTime => "half_time",
            NodeKind::DayBeforeDue => "day_before_due",
            NodeKind::Due => "due",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// What a node does when it fires on a case that is still open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NodeEffect {
    /// A reminder to the handling unit.
    Reminder,
    /// The case is overdue: an escalation to the supervisors, besides the reminder.
    Escalation,
}

/// What a node did when it fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NodeOutcome {
    /// The unit was reminded.
    Reminded,
    /// The case is overdue: supervisors were alerted (and the unit reminded).
    Escalated,
    /// Nothing was needed: the case was already claimed (response node) or finished.
    NotNeeded,
}

impl NodeOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeOutcome::Reminded => "reminded",
            NodeOutcome::Escalated => "escalated",
            NodeOutcome::NotNeeded => "not_needed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Reminded, Self::Escalated, Self::NotNeeded]
            .into_iter()
            .find(|o| o.as_str() == text)
    }

    /// What a node of `kind` does, firing on a case in `status` (`claimed`: its unit has claimed
    /// it). The response node only chases an unclaimed case; the others chase any case not yet
    /// finished; the due node escalates.
    pub fn of(kind: NodeKind, status: crate::CaseStatus, claimed: bool) -> Self {
        if !status.is_open() || (kind == NodeKind::Response && claimed) {
            return NodeOutcome::NotNeeded;
        }
        if kind == NodeKind::Due {
            NodeOutcome::Escalated
        } else {
            NodeOutcome::Reminded
        }
    }
}

/// One supervision node of one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupervisionNode {
    pub kind: NodeKind,
    pub at: DateTime<Utc>,
    pub effect: NodeEffect,
}

impl DeadlinePolicy {
    pub fn rule(&self, tier: TimeTier) -> TierRule {
        match tier {
            TimeTier::Urgent => self.urgent,
            TimeTier::General => self.general,
            TimeTier::Complex => self.complex,
            TimeTier::Difficult => self.difficult,
        }
    }

    /// The completion deadline of a case of `tier` accepted at `accepted_at`. Working days are
    /// counted on the city's calendar, and the deadline keeps the time of day of acceptance.
    pub fn deadline(
        &self,
        tier: TimeTier,
        accepted_at: DateTime<Utc>,
        calendar: &Calendar,
    ) -> DateTime<Utc> {
        let rule = self.rule(tier);
        match rule.count {
            DayCount::Natural => accepted_at + Duration::days(i64::from(rule.days)),
            DayCount::Working => {
                let local = accepted_at.with_timezone(&city_offset());
                let mut date = local.date_naive();
                let mut counted = 0;
                while counted < rule.days {
                    date = date
                        .succ_opt()
                        .expect("dates stay far from chrono's limits");
                    if calendar.is_working_day(date) {
                        counted += 1;
                    }
                }
                let days = (date - local.date_naive()).num_days();
                accepted_at + Duration::days(days)
            }
        }
    }

    /// The four supervision nodes, each between acceptance and the deadline. For short tiers the
    /// response node can fall after the half-time one (urgent: both within the one day).
    pub fn nodes(
        &self,
        tier: TimeTier,
        accepted_at: DateTime<Utc>,
        calendar: &Calendar,
    ) -> [SupervisionNode; 4] {
        let due = self.deadline(tier, accepted_at, calendar);
        let response =
            (accepted_at + Duration::hours(i64::from(self.response_limit_hours))).min(due);
        let half = accepted_at + (due - accepted_at) / 2;
        let day_before = (due - Duration::days(1)).max(accepted_at);
        let node = |kind, at, effect| SupervisionNode { kind, at, effect };
        [
            node(NodeKind::Response, response, NodeEffect::Reminder),
            node(NodeKind::HalfTime, half, NodeEffect::Reminder),
            node(NodeKind::DayBeforeDue, day_before, NodeEffect::Reminder),
            node(NodeKind::Due, due, NodeEffect::Escalation),
        ]
    }
}

/// A deployment's clock rules: the deadline policy and the working-day calendar it counts on,
/// and the rules they replaced — a case counts by the rules in force when it was accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClockRules {
    pub policy: DeadlinePolicy,
    pub calendar: Calendar,
    /// Earlier rules, oldest first, each in force until the next took effect.
    pub superseded: Vec<SupersededRules>,
}

/// Clock rules an administrator replaced: they still count for cases accepted before `until`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupersededRules {
    pub until: DateTime<Utc>,
    pub policy: DeadlinePolicy,
    pub calendar: Calendar,
}

impl ClockRules {
    /// The policy and calendar in force at `at`.
    pub fn in_force_at(&self, at: DateTime<Utc>) -> (&DeadlinePolicy, &Calendar) {
        self.superseded
            .iter()
            .find(|earlier| at < earlier.until)
            .map_or((&self.policy, &self.calendar), |earlier| {
                (&earlier.policy, &earlier.calendar)
            })
    }

    pub fn deadline(&self, tier: TimeTier, accepted_at: DateTime<Utc>) -> DateTime<Utc> {
        let (policy, calendar) = self.in_force_at(accepted_at);
        policy.deadline(tier, accepted_at, calendar)
    }

    pub fn nodes(&self, tier: TimeTier, accepted_at: DateTime<Utc>) -> [SupervisionNode; 4] {
        let (policy, calendar) = self.in_force_at(accepted_at);
        policy.nodes(tier, accepted_at, calendar)
    }
}

/// The city's working-day calendar: weekends and public holidays are off, except the adjusted
/// weekend days (调休) that are worked instead.
///
/// Loadable from text, one date a line: `2026-10-01 holiday` or `2026-09-27 workday`; blank
/// lines and `#` comments are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub holidays: BTreeSet<NaiveDate>,
    pub working_weekends: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.working_weekends.contains(&date) {
            return true;
        }
        if self.holidays.contains(&date) {
            return false;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Reads the text format; an error names the line that could not be read.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut calendar = Self::default();
        for (number, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(date), Some(kind), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!(
                    "line {}: expected `YYYY-MM-DD holiday|workday`",
                    number + 1
                ));
            };
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| format!("line {}: {date:?} is not a date", number + 1))?;
            match kind {
                "holiday" => calendar.holidays.insert(date),
                "workday" => calendar.working_weekends.insert(date),
                other => return Err(format!("line {}: unknown day kind {other:?}", number + 1)),
            };
        }
        Ok(calendar)
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
    fn a_case_counts_by_the_rules_in_force_when_it_was_accepted() {
        let changed = at(2026, 12, 1, 0, 0, 0);
        let mut shorter = DeadlinePolicy::default();
        shorter.general.days = 3;
        let rules = ClockRules {
            policy: shorter,
            calendar: Calendar::default(),
            superseded: vec![SupersededRules {
                until: changed,
                policy: DeadlinePolicy::default(),
                calendar: Calendar::default(),
            }],
        };
        let before = at(2026, 11, 30, 23, 59, 0);
        assert_eq!(
            rules.deadline(TimeTier::General, before),
            before + Duration::days(7)
        );
        assert_eq!(
            rules.deadline(TimeTier::General, changed),
            changed + Duration::days(3)
        );
        assert_eq!(
            rules.nodes(TimeTier::General, before)[3].at,
            before + Duration::days(7)
        );
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

    /// China's 2026 National Day week as a calendar would list it (with its adjusted weekend).
    fn national_day_2026() -> Calendar {
        Calendar::parse(
            "# 国庆节\n2026-10-01 holiday\n2026-10-02 holiday\n2026-10-05 holiday\n\
             2026-10-06 holiday\n2026-10-07 holiday\n2026-10-10 workday  # 调休\n",
        )
        .unwrap()
    }

    fn working(days: u32) -> DeadlinePolicy {
        DeadlinePolicy {
            general: TierRule {
                days,
                count: DayCount::Working,
            },
            ..DeadlinePolicy::default()
        }
    }

    #[test]
    fn working_days_skip_weekends_and_keep_the_time_of_day() {
        // Thursday 26 November 2026, 10:00 in the city (02:00 UTC): 7 working days later is
        // Monday 7 December (Fri, Mon–Fri, Mon).
        let accepted = at(2026, 11, 26, 2, 0, 0);
        assert_eq!(
            working(7).deadline(TimeTier::General, accepted, &Calendar::default()),
            at(2026, 12, 7, 2, 0, 0)
        );
    }

    #[test]
    fn working_days_skip_holidays_and_count_adjusted_weekends() {
        // Accepted Wednesday 30 September 2026: 1 Oct–7 Oct are off except the weekend 3–4 Oct
        // (off too); Thursday 8, Friday 9 and the adjusted Saturday 10 are worked.
        let accepted = at(2026, 9, 30, 1, 0, 0);
        let calendar = national_day_2026();
        assert!(calendar.is_working_day(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap()));
        assert!(!calendar.is_working_day(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()));
        assert_eq!(
            working(3).deadline(TimeTier::General, accepted, &calendar),
            at(2026, 10, 10, 1, 0, 0)
        );
        assert_eq!(
            working(4).deadline(TimeTier::General, accepted, &calendar),
            at(2026, 10, 12, 1, 0, 0),
            "Sunday 11 is off again"
        );
    }

    #[test]
    fn working_days_follow_the_city_date_not_utc() {
        // 23:30 UTC on Friday 27 November is 07:30 on Saturday 28 in the city: the first
        // working day after it is Monday 30.
        let accepted = at(2026, 11, 27, 23, 30, 0);
        assert_eq!(
            working(1).deadline(TimeTier::General, accepted, &Calendar::default()),
            at(2026, 11, 29, 23, 30, 0)
        );
    }

    #[test]
    fn calendar_text_errors_name_the_line() {
        assert_eq!(
            Calendar::parse("2026-10-01 holiday\n2026-13-01 holiday").unwrap_err(),
            "line 2: \"2026-13-01\" is not a date"
        );
        assert!(Calendar::parse("2026-10-01 festival").is_err());
        assert!(Calendar::parse("2026-10-01").is_err());
    }

    #[test]
    fn four_nodes_follow_the_tier() {
        let accepted = at(2026, 11, 26, 2, 0, 0);
        let nodes =
            DeadlinePolicy::default().nodes(TimeTier::General, accepted, &Calendar::default());
        let times: Vec<_> = nodes.iter().map(|n| (n.kind, n.at)).collect();
        assert_eq!(
            times,
            [
                (NodeKind::Response, at(2026, 11, 27, 2, 0, 0)),
                (NodeKind::HalfTime, at(2026, 11, 29, 14, 0, 0)),
                (NodeKind::DayBeforeDue, at(2026, 12, 2, 2, 0, 0)),
                (NodeKind::Due, at(2026, 12, 3, 2, 0, 0)),
            ]
        );
        assert_eq!(nodes[3].effect, NodeEffect::Escalation);
        assert!(nodes[..3].iter().all(|n| n.effect == NodeEffect::Reminder));
    }

    #[test]
    fn urgent_nodes_never_fall_before_acceptance_or_after_the_deadline() {
        let accepted = at(2026, 11, 26, 2, 0, 0);
        let nodes =
            DeadlinePolicy::default().nodes(TimeTier::Urgent, accepted, &Calendar::default());
        let due = at(2026, 11, 27, 2, 0, 0);
        assert_eq!(
            nodes[0].at, due,
            "a 24 h response limit equals a 1-day deadline"
        );
        assert_eq!(nodes[1].at, at(2026, 11, 26, 14, 0, 0));
        assert_eq!(
            nodes[2].at, accepted,
            "one day before a 1-day deadline is acceptance"
        );
        assert!(nodes.iter().all(|n| accepted <= n.at && n.at <= due));
    }

    #[test]
    fn nodes_chase_only_what_is_still_undone() {
        use crate::CaseStatus as S;
        assert_eq!(
            NodeOutcome::of(NodeKind::Response, S::Dispatched, false),
            NodeOutcome::Reminded
        );
        assert_eq!(
            NodeOutcome::of(NodeKind::Response, S::Claimed, true),
            NodeOutcome::NotNeeded
        );
        assert_eq!(
            NodeOutcome::of(NodeKind::HalfTime, S::InProgress, true),
            NodeOutcome::Reminded
        );
        assert_eq!(
            NodeOutcome::of(NodeKind::Due, S::InProgress, true),
            NodeOutcome::Escalated
        );
        assert_eq!(
            NodeOutcome::of(NodeKind::Due, S::ReturnRequested, true),
            NodeOutcome::Escalated
        );
        assert_eq!(
            NodeOutcome::of(NodeKind::Due, S::Completed, true),
            NodeOutcome::NotNeeded
        );
        assert_eq!(
            NodeOutcome::of(NodeKind::DayBeforeDue, S::Withdrawn, false),
            NodeOutcome::NotNeeded
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

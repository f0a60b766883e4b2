//! The case life-cycle as an explicit state machine: which action may move a case from which
//! status, and who may take it. Every accepted transition becomes a timeline entry (the caller
//! records actor and time); an illegal one is an error value, never a panic.
//!
//! Main line: submitted → accepted → dispatched → claimed → in progress → completed → rated →
//! archived. Side paths: a unit's return request goes to joint review (会商), which redispatches
//! or refuses it (the unit keeps the case — first-receiver responsibility); a dissatisfied rating
//! may reopen the case once, back to the same unit; a case can be marked invalid or merged into
//! another as a duplicate; the resident may withdraw until a unit claims it.

use std::fmt;

use crate::case::{CaseStatus, string_enum};

string_enum! {
    /// Who acts on a case.
    Actor {
        Resident => "resident",
        Operator => "operator",
        Dispatcher => "dispatcher",
        UnitHandler => "unit_handler",
        Supervisor => "supervisor",
        Admin => "admin",
        System => "system",
    }
}

string_enum! {
    /// What can be done to a case.
    Action {
        Accept => "accept",
        Dispatch => "dispatch",
        Claim => "claim",
        StartWork => "start_work",
        Complete => "complete",
        RequestReturn => "request_return",
        Redispatch => "redispatch",
        RefuseReturn => "refuse_return",
        Rate => "rate",
        Reopen => "reopen",
        Archive => "archive",
        MarkInvalid => "mark_invalid",
        Merge => "merge",
        Withdraw => "withdraw",
    }
}

/// What the state machine needs to know about a case beyond its status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseFacts {
    /// The current unit has claimed the case (so a refused return request goes back to work,
    /// not back to waiting for a claim).
    pub claimed: bool,
    /// The case has been reopened once already.
    pub reopened: bool,
    /// The resident's rating said "dissatisfied".
    pub dissatisfied: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransitionError {
    /// The action does not apply to a case in this status.
    NotFromStatus { action: Action, status: CaseStatus },
    /// This actor may not take this action.
    NotPermitted { action: Action, actor: Actor },
    /// Re-handling is granted once.
    AlreadyReopened,
    /// Only a dissatisfied rating may ask for re-handling.
    NotDissatisfied,
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFromStatus { action, status } => {
                write!(f, "cannot {action} a case that is {status}")
            }
            Self::NotPermitted { action, actor } => write!(f, "a {actor} may not {action} a case"),
            Self::AlreadyReopened => f.write_str("a case can be reopened only once"),
            Self::NotDissatisfied => f.write_str("only a dissatisfied rating can reopen a case"),
        }
    }
}

impl std::error::Error for TransitionError {}

impl Action {
    /// Who may take this action. The platform itself (`System`) takes the automatic steps.
    pub fn permitted(self) -> &'static [Actor] {
        use Actor::*;
        match self {
            Action::Accept => &[Operator, Dispatcher, System],
            Action::Dispatch => &[Dispatcher],
            Action::Claim | Action::StartWork | Action::Complete | Action::RequestReturn => {
                &[UnitHandler]
            }
            Action::Redispatch | Action::RefuseReturn => &[Dispatcher],
            Action::Rate | Action::Reopen | Action::Withdraw => &[Resident],
            Action::Archive => &[System, Admin],
            Action::MarkInvalid | Action::Merge => &[Operator, Dispatcher],
        }
    }
}

/// The status a case moves to when `actor` takes `action` on it, or why it cannot.
pub fn transition(
    status: CaseStatus,
    action: Action,
    actor: Actor,
    facts: CaseFacts,
) -> Result<CaseStatus, TransitionError> {
    use CaseStatus as S;
    if !action.permitted().contains(&actor) {
        return Err(TransitionError::NotPermitted { action, actor });
    }
    let next = match (action, status) {
        (Action::Accept, S::Submitted) => S::Accepted,
        (Action::Dispatch, S::Accepted) => S::Dispatched,
        (Action::Claim, S::Dispatched | S::Reopened) => S::Claimed,
        (Action::StartWork, S::Claimed) => S::InProgress,
        (Action::Complete, S::Claimed | S::InProgress) => S::Completed,
        (Action::RequestReturn, S::Dispatched | S::Claimed | S::InProgress | S::Reopened) => {
            S::ReturnRequested
        }
        (Action::Redispatch, S::ReturnRequested) => S::Dispatched,
        (Action::RefuseReturn, S::ReturnRequested) if facts.claimed => S::InProgress,
        (Action::RefuseReturn, S::ReturnRequested) => S::Dispatched,
        (Action::Rate, S::Completed) => S::Rated,
        (Action::Reopen, S::Rated) if facts.reopened => {
            return Err(TransitionError::AlreadyReopened);
        }
        (Action::Reopen, S::Rated) if !facts.dissatisfied => {
            return Err(TransitionError::NotDissatisfied);
        }
        (Action::Reopen, S::Rated) => S::Reopened,
        (Action::Archive, S::Rated | S::Completed) => S::Archived,
        (Action::MarkInvalid, S::Submitted | S::Accepted) => S::Invalid,
        (Action::Merge, S::Submitted | S::Accepted | S::Dispatched) => S::Merged,
        (Action::Withdraw, S::Submitted | S::Accepted | S::Dispatched) => S::Withdrawn,
        _ => return Err(TransitionError::NotFromStatus { action, status }),
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus as S;

    fn go(status: S, action: Action, actor: Actor) -> Result<S, TransitionError> {
        transition(status, action, actor, CaseFacts::default())
    }

    #[test]
    fn the_main_line_runs_from_submission_to_archive() {
        let steps = [
            (Action::Accept, Actor::System, S::Accepted),
            (Action::Dispatch, Actor::Dispatcher, S::Dispatched),
            (Action::Claim, Actor::UnitHandler, S::Claimed),
            (Action::StartWork, Actor::UnitHandler, S::InProgress),
            (Action::Complete, Actor::UnitHandler, S::Completed),
            (Action::Rate, Actor::Resident, S::Rated),
            (Action::Archive, Actor::System, S::Archived),
        ];
        let mut status = S::Submitted;
        for (action, actor, expected) in steps {
            status = go(status, action, actor).unwrap();
            assert_eq!(status, expected);
        }
    }

    #[test]
    fn a_refused_return_request_leaves_the_case_with_the_unit() {
        let claimed = CaseFacts {
            claimed: true,
            ..CaseFacts::default()
        };
        let requested = go(S::InProgress, Action::RequestReturn, Actor::UnitHandler).unwrap();
        assert_eq!(requested, S::ReturnRequested);
        assert_eq!(
            transition(requested, Action::RefuseReturn, Actor::Dispatcher, claimed),
            Ok(S::InProgress)
        );
        assert_eq!(
            go(requested, Action::RefuseReturn, Actor::Dispatcher),
            Ok(S::Dispatched),
            "not yet claimed: the unit still has to claim it"
        );
        assert_eq!(
            go(requested, Action::Redispatch, Actor::Dispatcher),
            Ok(S::Dispatched)
        );
    }

    #[test]
    fn a_unit_can_never_return_a_case_itself() {
        for action in [Action::Redispatch, Action::RefuseReturn, Action::Dispatch] {
            assert_eq!(
                go(S::ReturnRequested, action, Actor::UnitHandler),
                Err(TransitionError::NotPermitted {
                    action,
                    actor: Actor::UnitHandler
                })
            );
        }
    }

    #[test]
    fn reopening_needs_a_dissatisfied_rating_and_happens_once() {
        let dissatisfied = CaseFacts {
            dissatisfied: true,
            ..CaseFacts::default()
        };
        assert_eq!(
            transition(S::Rated, Action::Reopen, Actor::Resident, dissatisfied),
            Ok(S::Reopened)
        );
        assert_eq!(
            go(S::Rated, Action::Reopen, Actor::Resident),
            Err(TransitionError::NotDissatisfied)
        );
        let again = CaseFacts {
            reopened: true,
            ..dissatisfied
        };
        assert_eq!(
            transition(S::Rated, Action::Reopen, Actor::Resident, again),
            Err(TransitionError::AlreadyReopened)
        );
        assert_eq!(
            go(S::Reopened, Action::Claim, Actor::UnitHandler),
            Ok(S::Claimed),
            "back to the same unit"
        );
    }

    #[test]
    fn the_resident_may_withdraw_only_until_a_unit_claims() {
        for status in [S::Submitted, S::Accepted, S::Dispatched] {
            assert_eq!(
                go(status, Action::Withdraw, Actor::Resident),
                Ok(S::Withdrawn)
            );
        }
        for status in [S::Claimed, S::InProgress, S::Completed] {
            assert_eq!(
                go(status, Action::Withdraw, Actor::Resident),
                Err(TransitionError::NotFromStatus {
                    action: Action::Withdraw,
                    status
                })
            );
        }
    }

    #[test]
    fn every_action_is_refused_from_every_final_status() {
        let dissatisfied_reopenable = CaseFacts {
            dissatisfied: true,
            ..CaseFacts::default()
        };
        for status in [S::Archived, S::Withdrawn, S::Invalid, S::Merged] {
            for &action in Action::ALL {
                for &actor in action.permitted() {
                    assert!(
                        transition(status, action, actor, dissatisfied_reopenable).is_err(),
                        "{action} by {actor} from {status}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_the_permitted_actors_may_take_each_action() {
        for &action in Action::ALL {
            for &actor in Actor::ALL {
                let allowed = action.permitted().contains(&actor);
                // From every status, a forbidden actor gets NotPermitted, whatever the status.
                for &status in CaseStatus::ALL {
                    let result = go(status, action, actor);
                    if !allowed {
                        assert_eq!(
                            result,
                            Err(TransitionError::NotPermitted { action, actor }),
                            "{action} by {actor} from {status}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn duplicates_and_invalid_appeals_leave_the_main_line_early() {
        assert_eq!(
            go(S::Accepted, Action::Merge, Actor::Dispatcher),
            Ok(S::Merged)
        );
        assert_eq!(
            go(S::Submitted, Action::MarkInvalid, Actor::Operator),
            Ok(S::Invalid)
        );
        assert!(go(S::Claimed, Action::MarkInvalid, Actor::Dispatcher).is_err());
    }

    #[test]
    fn errors_read_as_sentences() {
        let error = go(S::Claimed, Action::Withdraw, Actor::Resident).unwrap_err();
        assert_eq!(error.to_string(), "cannot withdraw a case that is claimed");
    }
}

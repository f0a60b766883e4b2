//! The workbench's screens, their addresses and which role may open each: the one source of
//! every path and of the role rule the navigation and the pages both follow.

use yousu_core::api::StaffRole;

pub const BASE: &str = "/staff";
pub const SIGN_IN: &str = "/staff/sign-in";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Screen {
    Intake,
    Dispatch,
    Review,
    Handle,
    Supervise,
    Whistles,
    Evaluation,
    Live,
    AdminUnits,
    AdminItems,
    AdminStaff,
    AdminRules,
    AdminKeys,
}

impl Screen {
    pub const ALL: [Screen; 13] = [
        Screen::Intake,
        Screen::Dispatch,
        Screen::Review,
        Screen::Handle,
        Screen::Supervise,
        Screen::Whistles,
        Screen::Evaluation,
        Screen::Live,
        Screen::AdminUnits,
        Screen::AdminItems,
        Screen::AdminStaff,
        Screen::AdminRules,
        Screen::AdminKeys,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Screen::Intake => "/staff/intake",
            Screen::Dispatch => "/staff/dispatch",
            Screen::Review => "/staff/review",
            Screen::Handle => "/staff/handle",
            Screen::Supervise => "/staff/supervise",
            Screen::Whistles => "/staff/whistles",
            Screen::Evaluation => "/staff/evaluation",
            Screen::Live => "/staff/live",
            Screen::AdminUnits => "/staff/admin/units",
            Screen::AdminItems => "/staff/admin/items",
            Screen::AdminStaff => "/staff/admin/staff",
            Screen::AdminRules => "/staff/admin/clock-rules",
            Screen::AdminKeys => "/staff/admin/api-keys",
        }
    }

    /// Whether `role` may open this screen. The server checks every call too; this only keeps
    /// a role from seeing screens it cannot use.
    pub fn allows(self, role: StaffRole) -> bool {
        use Screen::*;
        use StaffRole as R;
        matches!(
            (role, self),
            (R::Operator, Intake | Live)
                | (R::Dispatcher, Dispatch | Review | Whistles | Live)
                | (R::UnitHandler, Handle | Whistles)
                | (R::Supervisor, Supervise | Whistles | Evaluation | Live)
                | (
                    R::Admin,
                    Evaluation
                        | Live
                        | AdminUnits
                        | AdminItems
                        | AdminStaff
                        | AdminRules
                        | AdminKeys
                )
        )
    }
}

/// The screens a role sees, in the chain's order.
pub fn screens_of(role: StaffRole) -> Vec<Screen> {
    Screen::ALL.into_iter().filter(|s| s.allows(role)).collect()
}

/// Where a role lands after signing in.
pub fn home_of(role: StaffRole) -> &'static str {
    screens_of(role).first().map(|s| s.path()).unwrap_or(BASE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_only_its_own_screens() {
        assert_eq!(
            screens_of(StaffRole::Operator),
            [Screen::Intake, Screen::Live]
        );
        assert_eq!(
            screens_of(StaffRole::UnitHandler),
            [Screen::Handle, Screen::Whistles]
        );
        assert!(!Screen::Dispatch.allows(StaffRole::UnitHandler));
        assert!(!Screen::Handle.allows(StaffRole::Dispatcher));
        assert!(!Screen::Evaluation.allows(StaffRole::Operator));
        for role in StaffRole::ALL {
            assert!(!screens_of(*role).is_empty(), "{role:?} has a screen");
        }
        for screen in [
            Screen::AdminUnits,
            Screen::AdminItems,
            Screen::AdminStaff,
            Screen::AdminRules,
            Screen::AdminKeys,
        ] {
            assert!(screen.allows(StaffRole::Admin));
            for role in StaffRole::ALL.iter().filter(|r| **r != StaffRole::Admin) {
                assert!(!screen.allows(*role), "{screen:?} is for admins only");
            }
        }
    }

    #[test]
    fn a_role_lands_on_its_first_screen() {
        assert_eq!(home_of(StaffRole::Dispatcher), "/staff/dispatch");
        assert_eq!(home_of(StaffRole::UnitHandler), "/staff/handle");
    }
}

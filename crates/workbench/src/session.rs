//! The signed-in staff member: the session token kept in `sessionStorage` (gone when the tab
//! closes), the account it belongs to, and why the sign-in screen is showing.

use chrono::{DateTime, Utc};
use gloo_storage::{SessionStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use yousu_core::api::{LoginResponse, StaffAccountView, StaffRole};

const STORAGE_KEY: &str = "yousu.staff.session";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub account: StaffAccountView,
}

impl From<LoginResponse> for Session {
    fn from(login: LoginResponse) -> Self {
        Self {
            token: login.token,
            expires_at: login.expires_at,
            account: login.account,
        }
    }
}

/// Why the sign-in screen shows instead of the workbench.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInReason {
    Expired,
    SignedOut,
    SignedOutEverywhere,
}

/// The session store every screen reads through context.
#[derive(Clone, Copy)]
pub struct SessionStore {
    pub session: RwSignal<Option<Session>>,
    pub reason: RwSignal<Option<SignInReason>>,
}

impl SessionStore {
    pub fn role(&self) -> Option<StaffRole> {
        self.session.with(|s| s.as_ref().map(|s| s.account.role))
    }

    pub fn token(&self) -> Option<String> {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    pub fn sign_in(&self, session: Session) {
        let _ = SessionStorage::set(STORAGE_KEY, &session);
        self.reason.set(None);
        self.session.set(Some(session));
    }

    /// Forgets the session and says why; the sign-in screen then shows.
    pub fn end(&self, reason: SignInReason) {
        SessionStorage::delete(STORAGE_KEY);
        self.reason.set(Some(reason));
        self.session.set(None);
    }
}

/// A stored session that has not yet expired by the server's own `expires_at`; an expired one
/// is forgotten and reported.
pub fn restore(now: DateTime<Utc>) -> (Option<Session>, Option<SignInReason>) {
    match SessionStorage::get::<Session>(STORAGE_KEY) {
        Ok(session) if still_valid(&session, now) => (Some(session), None),
        Ok(_) => {
            SessionStorage::delete(STORAGE_KEY);
            (None, Some(SignInReason::Expired))
        }
        Err(_) => (None, None),
    }
}

pub fn still_valid(session: &Session, now: DateTime<Utc>) -> bool {
    session.expires_at > now
}

pub fn provide_session() -> SessionStore {
    let (session, reason) = restore(Utc::now());
    let store = SessionStore {
        session: RwSignal::new(session),
        reason: RwSignal::new(reason),
    };
    provide_context(store);
    store
}

pub fn use_session() -> SessionStore {
    expect_context::<SessionStore>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_session_past_its_expiry_is_not_valid() {
        let now = Utc::now();
        let session = Session {
            token: "t".into(),
            expires_at: now - Duration::seconds(1),
            account: StaffAccountView {
                username: "dispatcher".into(),
                display_name: "派单员".into(),
                role: StaffRole::Dispatcher,
                unit_id: None,
            },
        };
        assert!(!still_valid(&session, now));
        assert!(still_valid(&session, now - Duration::seconds(2)));
    }
}

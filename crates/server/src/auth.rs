//! Staff sign-in: argon2-hashed passwords, random session tokens (only their hashes stored) that
//! expire, and the `StaffSession` extractor that every staff route takes. Refusals are 401 (who
//! are you?) or 403 (not your part of the chain), each with a clear message. Sign-in attempts
//! pass the per-account throttle (`sign_in_throttle`) first; failures are logged by name.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use chrono::Duration;
use yousu_core::api::{LoginRequest, LoginResponse, PasswordChange, StaffAccountView, StaffRole};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::services::cases::{random_bytes, random_hex, sha256_hex};
use crate::sign_in_throttle;
use crate::store::staff::StaffAccount;

/// How long a staff session lasts: one working shift and a half.
pub const SESSION_HOURS: i64 = 12;

/// How stale a session's "last used" may get before a request records it again; a session
/// left idle for the configured time less this may live up to this much longer.
const SESSION_TOUCH_EVERY: Duration = Duration::minutes(1);

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes make a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Checked against when the account does not exist, so a wrong username takes as long as a
/// wrong password and names cannot be probed by timing.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("no such account"));

fn unauthorized(code: &'static str, message: &str) -> AppError {
    AppError::client(StatusCode::UNAUTHORIZED, code, message)
}

pub async fn login(state: &AppState, request: LoginRequest) -> AppResult<LoginResponse> {
    let key = sign_in_throttle::account_key(&request.username);
    if let Err(refused) = state.limiter.begin_sign_in(&key).await {
        tracing::warn!(account = %key, "sign-in refused: too many failures for this account");
        return Err(refused);
    }
    let account = state.store.staff_account(request.username.trim()).await?;
    let hash = account
        .as_ref()
        .map_or(DUMMY_HASH.as_str(), |a| a.password_hash.as_str())
        .to_owned();
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let account = match account {
        Some(account) if matches => account,
        _ => {
            // The name as typed (bounded), never the password: an operator sees who is tried.
            tracing::warn!(account = %key, "failed sign-in");
            return Err(unauthorized(
                "wrong_credentials",
                "the username or the password is wrong",
            ));
        }
    };
    state.limiter.sign_in_succeeded(&key).await?;
    let token = random_hex::<32>();
    let now = state.clock.now();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    state
        .store
        .insert_session(
            &sha256_hex(token.as_bytes()),
            &account.staff_account_id,
            now,
            expires_at,
        )
        .await?;
    Ok(LoginResponse {
        token,
        expires_at,
        account: account_view(&account),
    })
}

/// A staff member changes their own password: the current one must match; the new one follows
/// the administrators' rule. Every other session of the account ends (a stolen session does not
/// survive the change); this one goes on.
pub async fn change_password(
    state: &AppState,
    session: &StaffSession,
    change: PasswordChange,
) -> AppResult<()> {
    yousu_core::admin::check_password_change(&change).map_err(AppError::Invalid)?;
    // A wrong current password counts as a failed sign-in of the account, so a stolen session
    // is no faster way to guess the password than the sign-in screen.
    let key = sign_in_throttle::account_key(&session.account.staff_account_id);
    state.limiter.begin_sign_in(&key).await?;
    let hash = session.account.password_hash.clone();
    let PasswordChange {
        current_password,
        new_password,
    } = change;
    let new_hash = tokio::task::spawn_blocking(move || {
        verify_password(&current_password, &hash).then(|| hash_password(&new_password))
    })
    .await
    .ok()
    .flatten();
    let username = &session.account.staff_account_id;
    let Some(new_hash) = new_hash else {
        tracing::warn!(username = %username, "a password change gave a wrong current password");
        return Err(AppError::Invalid(vec![yousu_core::FieldError::new(
            "current_password",
            "wrong",
            "当前密码不正确",
            "the current password is wrong",
        )]));
    };
    if !state
        .store
        .change_own_password(username, &new_hash, &session.token_hash)
        .await?
    {
        return Err(unauthorized(
            "session_expired",
            "this account was disabled; ask an administrator",
        ));
    }
    state.limiter.sign_in_succeeded(&key).await?;
    tracing::info!(username = %username, "staff account changed its own password");
    Ok(())
}

pub fn account_view(account: &StaffAccount) -> StaffAccountView {
    StaffAccountView {
        username: account.staff_account_id.clone(),
        display_name: account.display_name.clone(),
        role: account.role,
        unit_id: account.unit_id.clone(),
    }
}

/// The account of a session that is still good — neither expired, idle too long nor ended —
/// recording the use. Its last use is written at most once a minute per session, so a busy
/// screen does not write on each request. Every request and the open live stream ask here.
pub async fn session_in_use(state: &AppState, token_hash: &str) -> AppResult<Option<StaffAccount>> {
    let now = state.clock.now();
    let Some((account, last_seen)) = state
        .store
        .session_account(token_hash, now, now - state.staff_idle)
        .await?
    else {
        return Ok(None);
    };
    if now - last_seen >= SESSION_TOUCH_EVERY {
        state.store.touch_session(token_hash, now).await?;
    }
    Ok(Some(account))
}

/// A signed-in staff member, from `Authorization: Bearer <session token>`.
pub struct StaffSession {
    pub account: StaffAccount,
    pub token_hash: String,
}

impl StaffSession {
    /// Refuses (403) unless the account has one of `roles`.
    pub fn require(&self, roles: &[StaffRole]) -> AppResult<()> {
        if roles.contains(&self.account.role) {
            return Ok(());
        }
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        Err(AppError::client(
            StatusCode::FORBIDDEN,
            "wrong_role",
            format!(
                "this needs the role {}; you are signed in as {}",
                names.join(" or "),
                self.account.role
            ),
        ))
    }
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                unauthorized(
                    "not_signed_in",
                    "sign in first: send Authorization: Bearer <session token>",
                )
            })?;
        let token_hash = sha256_hex(token.as_bytes());
        let account = session_in_use(state, &token_hash).await?.ok_or_else(|| {
            unauthorized(
                "session_expired",
                "this session has expired, was left idle too long or was signed out; \
                 sign in again",
            )
        })?;
        Ok(Self {
            account,
            token_hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_against_their_own_hash_only() {
        let hash = hash_password("correct horse");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horse ", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(hash, hash_password("correct horse"), "salted");
    }
}

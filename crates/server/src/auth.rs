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
use yousu_core::api::{LoginRequest, LoginResponse, StaffAccountView, StaffRole};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::services::cases::{random_bytes, random_hex, sha256_hex};
use crate::sign_in_throttle;
use crate::store::staff::StaffAccount;

/// How long a staff session lasts: one working shift and a half.
pub const SESSION_HOURS: i64 = 12;

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

pub fn account_view(account: &StaffAccount) -> StaffAccountView {
    StaffAccountView {
        username: account.staff_account_id.clone(),
        display_name: account.display_name.clone(),
        role: account.role,
        unit_id: account.unit_id.clone(),
    }
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
        let account = state
            .store
            .session_account(&token_hash, state.clock.now())
            .await?
            .ok_or_else(|| {
                unauthorized(
                    "session_expired",
                    "this session has expired or was signed out; sign in again",
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

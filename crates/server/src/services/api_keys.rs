//! Open311 API keys: issued and revoked by administrators; only their hashes are kept.

use axum::http::StatusCode;
use yousu_core::FieldError;
use yousu_core::api::{ApiKeyList, ApiKeyRequest, ApiKeyView, StaffRole};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};
use crate::services::cases::{random_hex, sha256_hex};
use crate::store::open311::ApiKeyRow;

/// The key `--demo` issues, so Open311 clients can be tried at once. Never for production.
pub const DEMO_API_KEY: &str = "demo";

fn view(row: ApiKeyRow, secret: Option<String>) -> ApiKeyView {
    ApiKeyView {
        api_key_id: row.api_key_id,
        label: row.label,
        created_by: row.created_by,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
        api_key: secret,
    }
}

pub async fn issue(
    state: &AppState,
    session: &StaffSession,
    request: ApiKeyRequest,
) -> AppResult<ApiKeyView> {
    session.require(&[StaffRole::Admin])?;
    let label = request.label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "label",
            "invalid",
            "请用1到100个字说明密钥的用途",
            "say who the key is for in 1 to 100 characters",
        )]));
    }
    let secret = random_hex::<24>();
    let row = ApiKeyRow {
        api_key_id: random_hex::<6>(),
        label: label.to_owned(),
        created_by: Some(session.account.staff_account_id.clone()),
        created_at: state.clock.now(),
        revoked_at: None,
    };
    state
        .store
        .insert_api_key(&row, &sha256_hex(secret.as_bytes()))
        .await?;
    Ok(view(row, Some(secret)))
}

pub async fn list(state: &AppState, session: &StaffSession) -> AppResult<ApiKeyList> {
    session.require(&[StaffRole::Admin])?;
    let rows = state.store.api_keys().await?;
    Ok(ApiKeyList {
        api_keys: rows.into_iter().map(|r| view(r, None)).collect(),
    })
}

pub async fn revoke(state: &AppState, session: &StaffSession, api_key_id: &str) -> AppResult<()> {
    session.require(&[StaffRole::Admin])?;
    if state
        .store
        .revoke_api_key(api_key_id, state.clock.now())
        .await?
    {
        Ok(())
    } else if state
        .store
        .api_keys()
        .await?
        .iter()
        .any(|k| k.api_key_id == api_key_id)
    {
        Err(AppError::client(
            StatusCode::CONFLICT,
            "already_revoked",
            "this key was revoked before",
        ))
    } else {
        Err(AppError::NotFound("api key"))
    }
}

/// Issues the demo key unless it exists.
pub async fn ensure_demo_key(
    state_store: &dyn crate::store::Store,
    clock: crate::clock::Clock,
) -> crate::store::Result<()> {
    let hash = sha256_hex(DEMO_API_KEY.as_bytes());
    if state_store.api_key_by_hash(&hash).await?.is_some()
        || state_store
            .api_keys()
            .await?
            .iter()
            .any(|k| k.api_key_id == DEMO_API_KEY)
    {
        return Ok(());
    }
    let row = ApiKeyRow {
        api_key_id: DEMO_API_KEY.to_owned(),
        label: "演示 · demo (--demo)".to_owned(),
        created_by: None,
        created_at: clock.now(),
        revoked_at: None,
    };
    state_store.insert_api_key(&row, &hash).await
}

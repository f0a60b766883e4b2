//! Staff accounts and roles: listed, created with an initial password, given another name, role
//! or unit, disabled (which ends their sessions at once) and enabled, and given a new password
//! (which also ends their sessions). Accounts are never deleted: timelines name them.

use axum::http::StatusCode;
use yousu_core::FieldError;
use yousu_core::admin::{
    AdminStaffAccount, AdminStaffList, NewStaffForm, PasswordForm, StaffEditForm, check_new_staff,
    check_password, check_staff_fields, is_plain_id,
};
use yousu_core::api::StaffRole;

use super::{active_units, require_admin};
use crate::app::AppState;
use crate::auth::{StaffSession, hash_password};
use crate::error::{AppError, AppResult};
use crate::store::StoreError;
use crate::store::admin::StaffAdminRow;
use crate::store::staff::StaffAccount;

fn view(row: StaffAdminRow) -> AppResult<AdminStaffAccount> {
    Ok(AdminStaffAccount {
        role: StaffRole::parse(&row.role)
            .ok_or_else(|| StoreError::Corrupt(format!("role {:?}", row.role)))?,
        username: row.staff_account_id,
        display_name: row.display_name,
        unit_id: row.unit_id,
        created_at: row.created_at,
        disabled_at: row.disabled_at,
    })
}

pub async fn list(state: &AppState, session: &StaffSession) -> AppResult<AdminStaffList> {
    require_admin(session)?;
    let rows = state.store.staff_accounts().await?;
    Ok(AdminStaffList {
        accounts: rows.into_iter().map(view).collect::<AppResult<_>>()?,
    })
}

async fn account(state: &AppState, username: &str) -> AppResult<AdminStaffAccount> {
    if !is_plain_id(username) {
        return Err(AppError::NotFound("staff account"));
    }
    let row = state
        .store
        .staff_accounts()
        .await?
        .into_iter()
        .find(|a| a.staff_account_id == username)
        .ok_or(AppError::NotFound("staff account"))?;
    view(row)
}

/// Hashing takes a good part of a second on purpose: off the async threads.
async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .expect("hashing a password does not panic")
}

/// `yousu-server create-admin`: the first administrator of a real deployment (one without
/// `--demo`), by the same rules as an account an administrator creates. Says what was wrong
/// field by field.
pub async fn create_first_admin(
    store: &dyn crate::store::Store,
    clock: crate::clock::Clock,
    username: &str,
    display_name: &str,
    password: String,
) -> anyhow::Result<()> {
    let form = NewStaffForm {
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        role: yousu_core::api::StaffRole::Admin.as_str().to_owned(),
        unit_id: None,
        password,
    };
    let (username, fields) = check_new_staff(&form, |_| false).map_err(|errors| {
        let what: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message_en))
            .collect();
        anyhow::anyhow!("{}", what.join("; "))
    })?;
    let account = StaffAccount {
        staff_account_id: username.clone(),
        display_name: fields.display_name,
        role: fields.role,
        unit_id: None,
        password_hash: hash(form.password).await,
    };
    if !store.insert_staff_account(&account, clock.now()).await? {
        anyhow::bail!(
            "an account named {username} exists already; an administrator can give it a new \
             password in the workbench"
        );
    }
    account_changed(&username, "created as the first administrator");
    Ok(())
}

pub async fn create(
    state: &AppState,
    session: &StaffSession,
    form: NewStaffForm,
) -> AppResult<AdminStaffAccount> {
    require_admin(session)?;
    let units = active_units(state).await?;
    let (username, fields) =
        check_new_staff(&form, |u| units.contains(u)).map_err(AppError::Invalid)?;
    let account = StaffAccount {
        staff_account_id: username.clone(),
        display_name: fields.display_name,
        role: fields.role,
        unit_id: fields.unit_id,
        password_hash: hash(form.password).await,
    };
    if !state
        .store
        .insert_staff_account(&account, state.clock.now())
        .await?
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "username",
            "taken",
            "这个用户名已被使用",
            "this username is taken",
        )]));
    }
    account_changed(&username, "created");
    self::account(state, &username).await
}

pub async fn edit(
    state: &AppState,
    session: &StaffSession,
    username: &str,
    form: StaffEditForm,
) -> AppResult<AdminStaffAccount> {
    require_admin(session)?;
    let units = active_units(state).await?;
    let current = account(state, username).await?;
    // A unit handler keeps a unit that was retired after they joined; only a new unit must be
    // in use.
    let fields = check_staff_fields(
        &form.display_name,
        &form.role,
        form.unit_id.as_deref(),
        |u| units.contains(u) || current.unit_id.as_deref() == Some(u),
    )
    .map_err(AppError::Invalid)?;
    if username == session.account.staff_account_id && fields.role != StaffRole::Admin {
        return Err(AppError::Invalid(vec![FieldError::new(
            "role",
            "own_role",
            "不能取消自己的管理员角色",
            "you cannot take the admin role from yourself",
        )]));
    }
    state
        .store
        .update_staff_account(
            username,
            &fields.display_name,
            fields.role,
            fields.unit_id.as_deref(),
        )
        .await?;
    account_changed(username, "edited");
    account(state, username).await
}

/// Disables an account and ends its sessions, or enables it again.
pub async fn set_disabled(
    state: &AppState,
    session: &StaffSession,
    username: &str,
    disable: bool,
) -> AppResult<()> {
    require_admin(session)?;
    let found = account(state, username).await?;
    if disable && username == session.account.staff_account_id {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "own_account",
            "you cannot disable your own account",
        ));
    }
    if disable == found.disabled_at.is_some() {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            if disable {
                "already_disabled"
            } else {
                "already_enabled"
            },
            if disable {
                "this account is disabled already"
            } else {
                "this account is enabled already"
            },
        ));
    }
    let at = disable.then(|| state.clock.now());
    state.store.set_staff_disabled(username, at).await?;
    account_changed(username, if disable { "disabled" } else { "enabled" });
    Ok(())
}

/// Sets a password the administrator chose (to hand over in person) and ends the account's
/// sessions.
pub async fn reset_password(
    state: &AppState,
    session: &StaffSession,
    username: &str,
    form: PasswordForm,
) -> AppResult<()> {
    require_admin(session)?;
    account(state, username).await?;
    check_password(&form.password).map_err(|e| AppError::Invalid(vec![e]))?;
    let hash = hash(form.password).await;
    state.store.set_staff_password(username, &hash).await?;
    account_changed(username, "password reset");
    Ok(())
}

/// Usernames are work identities, not personal data; names and passwords are never logged.
fn account_changed(username: &str, what: &'static str) {
    tracing::info!(account = username, change = what, "staff account changed");
}

//! Units and dispatch items: listed with the retired ones, created, edited and retired — never
//! deleted, because cases refer to them.

use axum::http::StatusCode;
use yousu_core::FieldError;
use yousu_core::TimeTier;
use yousu_core::admin::{
    AdminItem, AdminItemList, AdminUnit, AdminUnitList, ItemForm, UnitForm, check_item, check_unit,
    is_plain_id,
};

use super::{active_units, changed, require_admin};
use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};
use crate::store::StoreError;
use crate::store::admin::{ItemRow, UnitRow};

fn unit_view(row: UnitRow) -> AdminUnit {
    AdminUnit {
        unit_id: row.unit_id,
        name_zh: row.name_zh,
        name_en: row.name_en,
        level: row.level,
        retired_at: row.retired_at,
    }
}

fn item_view(row: ItemRow) -> AppResult<AdminItem> {
    Ok(AdminItem {
        tier: TimeTier::parse(&row.tier)
            .ok_or_else(|| StoreError::Corrupt(format!("tier {:?}", row.tier)))?,
        catalog_item_id: row.catalog_item_id,
        category_id: row.category_id,
        name_zh: row.name_zh,
        name_en: row.name_en,
        unit_id: row.unit_id,
        retired_at: row.retired_at,
    })
}

fn conflict(code: &'static str, message: &str) -> AppError {
    AppError::client(StatusCode::CONFLICT, code, message)
}

pub async fn list_units(state: &AppState, session: &StaffSession) -> AppResult<AdminUnitList> {
    require_admin(session)?;
    let rows = state.store.admin_units().await?;
    Ok(AdminUnitList {
        units: rows.into_iter().map(unit_view).collect(),
    })
}

async fn unit(state: &AppState, unit_id: &str) -> AppResult<AdminUnit> {
    if !is_plain_id(unit_id) {
        return Err(AppError::NotFound("unit"));
    }
    state
        .store
        .admin_units()
        .await?
        .into_iter()
        .find(|u| u.unit_id == unit_id)
        .map(unit_view)
        .ok_or(AppError::NotFound("unit"))
}

fn unit_row(form: UnitForm) -> UnitRow {
    UnitRow {
        unit_id: form.unit_id,
        name_zh: form.name_zh,
        name_en: form.name_en,
        level: form.level,
        retired_at: None,
    }
}

pub async fn create_unit(
    state: &AppState,
    session: &StaffSession,
    form: UnitForm,
) -> AppResult<AdminUnit> {
    require_admin(session)?;
    let form = check_unit(&form, true).map_err(AppError::Invalid)?;
    let unit_id = form.unit_id.clone();
    if !state.store.insert_unit(&unit_row(form)).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "unit_id",
            "taken",
            "已有单位使用这个编号",
            "another unit has this id",
        )]));
    }
    changed(state).await?;
    unit(state, &unit_id).await
}

pub async fn edit_unit(
    state: &AppState,
    session: &StaffSession,
    unit_id: &str,
    form: UnitForm,
) -> AppResult<AdminUnit> {
    require_admin(session)?;
    unit(state, unit_id).await?;
    let mut form = check_unit(&form, false).map_err(AppError::Invalid)?;
    form.unit_id = unit_id.to_owned();
    if !state.store.update_unit(&unit_row(form)).await? {
        return Err(AppError::NotFound("unit"));
    }
    changed(state).await?;
    unit(state, unit_id).await
}

/// Retires a unit once no dispatch item in use names it; its cases and staff keep it.
pub async fn retire_unit(state: &AppState, session: &StaffSession, unit_id: &str) -> AppResult<()> {
    require_admin(session)?;
    let found = unit(state, unit_id).await?;
    if found.retired_at.is_some() {
        return Err(conflict("already_retired", "this unit was retired before"));
    }
    let items = state.store.active_items_of_unit(unit_id).await?;
    if items > 0 {
        return Err(conflict(
            "unit_has_items",
            &format!("{items} dispatch items in use name this unit: move or retire them first"),
        ));
    }
    state.store.retire_unit(unit_id, state.clock.now()).await?;
    changed(state).await
}

pub async fn list_items(state: &AppState, session: &StaffSession) -> AppResult<AdminItemList> {
    require_admin(session)?;
    let rows = state.store.admin_items().await?;
    Ok(AdminItemList {
        items: rows.into_iter().map(item_view).collect::<AppResult<_>>()?,
    })
}

async fn item(state: &AppState, catalog_item_id: &str) -> AppResult<AdminItem> {
    if !is_plain_id(catalog_item_id) {
        return Err(AppError::NotFound("dispatch item"));
    }
    let row = state
        .store
        .admin_items()
        .await?
        .into_iter()
        .find(|i| i.catalog_item_id == catalog_item_id)
        .ok_or(AppError::NotFound("dispatch item"))?;
    item_view(row)
}

/// The one check of an item, against the categories and the units in use now.
async fn checked_item(
    state: &AppState,
    form: &ItemForm,
    check_id_too: bool,
) -> AppResult<ItemForm> {
    let units = active_units(state).await?;
    let reference = state.current.reference();
    let (form, _) = check_item(
        form,
        check_id_too,
        "",
        |c| reference.has_category(c),
        |u| units.contains(u),
    )
    .map_err(AppError::Invalid)?;
    Ok(form)
}

pub async fn create_item(
    state: &AppState,
    session: &StaffSession,
    form: ItemForm,
) -> AppResult<AdminItem> {
    require_admin(session)?;
    let form = checked_item(state, &form, true).await?;
    if !state.store.insert_item(&form).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "catalog_item_id",
            "taken",
            "已有派单事项使用这个编号",
            "another dispatch item has this id",
        )]));
    }
    changed(state).await?;
    item(state, &form.catalog_item_id).await
}

pub async fn edit_item(
    state: &AppState,
    session: &StaffSession,
    catalog_item_id: &str,
    form: ItemForm,
) -> AppResult<AdminItem> {
    require_admin(session)?;
    item(state, catalog_item_id).await?;
    let mut form = checked_item(state, &form, false).await?;
    form.catalog_item_id = catalog_item_id.to_owned();
    if !state.store.update_item(&form).await? {
        return Err(AppError::NotFound("dispatch item"));
    }
    changed(state).await?;
    item(state, catalog_item_id).await
}

pub async fn retire_item(
    state: &AppState,
    session: &StaffSession,
    catalog_item_id: &str,
) -> AppResult<()> {
    require_admin(session)?;
    let found = item(state, catalog_item_id).await?;
    if found.retired_at.is_some() {
        return Err(conflict(
            "already_retired",
            "this dispatch item was retired before",
        ));
    }
    state
        .store
        .retire_item(catalog_item_id, state.clock.now())
        .await?;
    changed(state).await
}

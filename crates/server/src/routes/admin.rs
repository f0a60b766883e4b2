//! `/api/v1/admin/…` (admin role only): units, dispatch items and their CSV import, staff
//! accounts and roles, and the clock rules. Every other role is refused with 403.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use yousu_core::admin::{
    AdminItem, AdminItemList, AdminStaffAccount, AdminStaffList, AdminUnit, AdminUnitList,
    ClockRulesForm, ClockRulesView, ItemForm, ItemImportReport, NewStaffForm, PasswordForm,
    StaffEditForm, UnitForm,
};
use yousu_core::api::ApiError;

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{ApiJson, AppError, AppResult};
use crate::services::admin::{catalog, clock_rules, import, staff};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_items))
        // A city's catalogue is larger than any JSON body.
        .layer(DefaultBodyLimit::max(import::MAX_BYTES))
        .routes(routes!(list_units, create_unit))
        .routes(routes!(edit_unit))
        .routes(routes!(retire_unit))
        .routes(routes!(list_items, create_item))
        .routes(routes!(edit_item))
        .routes(routes!(retire_item))
        .routes(routes!(list_staff, create_staff))
        .routes(routes!(edit_staff))
        .routes(routes!(disable_staff))
        .routes(routes!(enable_staff))
        .routes(routes!(reset_staff_password))
        .routes(routes!(get_clock_rules, put_clock_rules))
}

/// Every unit, retired ones included.
#[utoipa::path(get, path = "/admin/units", tag = "admin", security(("staff_session" = [])),
    responses((status = 200, body = AdminUnitList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_units(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<AdminUnitList>> {
    Ok(Json(catalog::list_units(&state, &session).await?))
}

/// Add a unit.
#[utoipa::path(post, path = "/admin/units", tag = "admin", request_body = UnitForm,
    security(("staff_session" = [])),
    responses((status = 201, body = AdminUnit), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
async fn create_unit(
    State(state): State<AppState>,
    session: StaffSession,
    ApiJson(form): ApiJson<UnitForm>,
) -> AppResult<(StatusCode, Json<AdminUnit>)> {
    let unit = catalog::create_unit(&state, &session, form).await?;
    Ok((StatusCode::CREATED, Json(unit)))
}

/// Rename a unit or change its level (its id never changes).
#[utoipa::path(put, path = "/admin/units/{unit_id}", tag = "admin", request_body = UnitForm,
    params(("unit_id" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = AdminUnit), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn edit_unit(
    State(state): State<AppState>,
    session: StaffSession,
    Path(unit_id): Path<String>,
    ApiJson(form): ApiJson<UnitForm>,
) -> AppResult<Json<AdminUnit>> {
    Ok(Json(
        catalog::edit_unit(&state, &session, &unit_id, form).await?,
    ))
}

/// Retire a unit: it takes no new dispatches; its cases keep it. Refused (409) while dispatch
/// items in use name it.
#[utoipa::path(post, path = "/admin/units/{unit_id}/retire", tag = "admin",
    params(("unit_id" = String, Path)), security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn retire_unit(
    State(state): State<AppState>,
    session: StaffSession,
    Path(unit_id): Path<String>,
) -> AppResult<StatusCode> {
    catalog::retire_unit(&state, &session, &unit_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every dispatch item, retired ones included, in catalogue order.
#[utoipa::path(get, path = "/admin/items", tag = "admin", security(("staff_session" = [])),
    responses((status = 200, body = AdminItemList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_items(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<AdminItemList>> {
    Ok(Json(catalog::list_items(&state, &session).await?))
}

/// Add a dispatch item to a category.
#[utoipa::path(post, path = "/admin/items", tag = "admin", request_body = ItemForm,
    security(("staff_session" = [])),
    responses((status = 201, body = AdminItem), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
async fn create_item(
    State(state): State<AppState>,
    session: StaffSession,
    ApiJson(form): ApiJson<ItemForm>,
) -> AppResult<(StatusCode, Json<AdminItem>)> {
    let item = catalog::create_item(&state, &session, form).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Change a dispatch item (its id never changes).
#[utoipa::path(put, path = "/admin/items/{catalog_item_id}", tag = "admin", request_body = ItemForm,
    params(("catalog_item_id" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = AdminItem), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn edit_item(
    State(state): State<AppState>,
    session: StaffSession,
    Path(catalog_item_id): Path<String>,
    ApiJson(form): ApiJson<ItemForm>,
) -> AppResult<Json<AdminItem>> {
    Ok(Json(
        catalog::edit_item(&state, &session, &catalog_item_id, form).await?,
    ))
}

/// Retire a dispatch item: no longer offered; the cases dispatched with it keep it.
#[utoipa::path(post, path = "/admin/items/{catalog_item_id}/retire", tag = "admin",
    params(("catalog_item_id" = String, Path)), security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn retire_item(
    State(state): State<AppState>,
    session: StaffSession,
    Path(catalog_item_id): Path<String>,
) -> AppResult<StatusCode> {
    catalog::retire_item(&state, &session, &catalog_item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Import dispatch items from CSV (`Content-Type: text/csv`, UTF-8; header
/// `catalog_item_id,category_id,name_zh,name_en,unit_id,tier`). All rows or none: any bad row
/// answers 422 naming each bad field as `rows[LINE].COLUMN`.
#[utoipa::path(post, path = "/admin/items/import", tag = "admin",
    request_body(content = String, content_type = "text/csv"), security(("staff_session" = [])),
    responses((status = 200, body = ItemImportReport), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
async fn import_items(
    State(state): State<AppState>,
    session: StaffSession,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<Json<ItemImportReport>> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/csv"));
    if !is_csv {
        return Err(AppError::client(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_csv",
            "send the file with Content-Type: text/csv",
        ));
    }
    let body = body.map_err(|rejection| {
        AppError::client(rejection.status(), "unreadable_body", rejection.body_text())
    })?;
    Ok(Json(import::import(&state, &session, &body).await?))
}

/// Every staff account, disabled ones included.
#[utoipa::path(get, path = "/admin/staff", tag = "admin", security(("staff_session" = [])),
    responses((status = 200, body = AdminStaffList), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn list_staff(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<AdminStaffList>> {
    Ok(Json(staff::list(&state, &session).await?))
}

/// Create a staff account with its initial password.
#[utoipa::path(post, path = "/admin/staff", tag = "admin", request_body = NewStaffForm,
    security(("staff_session" = [])),
    responses((status = 201, body = AdminStaffAccount), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
async fn create_staff(
    State(state): State<AppState>,
    session: StaffSession,
    ApiJson(form): ApiJson<NewStaffForm>,
) -> AppResult<(StatusCode, Json<AdminStaffAccount>)> {
    let account = staff::create(&state, &session, form).await?;
    Ok((StatusCode::CREATED, Json(account)))
}

/// Change an account's name, role or unit; it applies to the next request they make.
#[utoipa::path(put, path = "/admin/staff/{username}", tag = "admin", request_body = StaffEditForm,
    params(("username" = String, Path)), security(("staff_session" = [])),
    responses((status = 200, body = AdminStaffAccount), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn edit_staff(
    State(state): State<AppState>,
    session: StaffSession,
    Path(username): Path<String>,
    ApiJson(form): ApiJson<StaffEditForm>,
) -> AppResult<Json<AdminStaffAccount>> {
    Ok(Json(staff::edit(&state, &session, &username, form).await?))
}

/// Disable an account: it cannot sign in, and its sessions end at once.
#[utoipa::path(post, path = "/admin/staff/{username}/disable", tag = "admin",
    params(("username" = String, Path)), security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn disable_staff(
    State(state): State<AppState>,
    session: StaffSession,
    Path(username): Path<String>,
) -> AppResult<StatusCode> {
    staff::set_disabled(&state, &session, &username, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enable a disabled account again.
#[utoipa::path(post, path = "/admin/staff/{username}/enable", tag = "admin",
    params(("username" = String, Path)), security(("staff_session" = [])),
    responses((status = 204), (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
async fn enable_staff(
    State(state): State<AppState>,
    session: StaffSession,
    Path(username): Path<String>,
) -> AppResult<StatusCode> {
    staff::set_disabled(&state, &session, &username, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set a new password (to hand over in person); the account's sessions end.
#[utoipa::path(post, path = "/admin/staff/{username}/password", tag = "admin", request_body = PasswordForm,
    params(("username" = String, Path)), security(("staff_session" = [])),
    responses((status = 204), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError)))]
async fn reset_staff_password(
    State(state): State<AppState>,
    session: StaffSession,
    Path(username): Path<String>,
    ApiJson(form): ApiJson<PasswordForm>,
) -> AppResult<StatusCode> {
    staff::reset_password(&state, &session, &username, form).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The clock rules in force: each tier's days and how they count, the response limit and the
/// working-day calendar.
#[utoipa::path(get, path = "/admin/clock-rules", tag = "admin", security(("staff_session" = [])),
    responses((status = 200, body = ClockRulesView), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
async fn get_clock_rules(
    State(state): State<AppState>,
    session: StaffSession,
) -> AppResult<Json<ClockRulesView>> {
    Ok(Json(clock_rules::get(&state, &session).await?))
}

/// Replace the clock rules for cases accepted from now on (earlier cases keep theirs).
#[utoipa::path(put, path = "/admin/clock-rules", tag = "admin", request_body = ClockRulesForm,
    security(("staff_session" = [])),
    responses((status = 200, body = ClockRulesView), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 415, body = ApiError),
        (status = 422, body = ApiError)))]
async fn put_clock_rules(
    State(state): State<AppState>,
    session: StaffSession,
    ApiJson(form): ApiJson<ClockRulesForm>,
) -> AppResult<Json<ClockRulesView>> {
    Ok(Json(clock_rules::put(&state, &session, form).await?))
}

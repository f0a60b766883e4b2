//! Administration: the forms an administrator fills in for units, dispatch items, staff accounts
//! and the clock rules, the shapes the admin API answers with, and the one set of checks the
//! workbench runs before sending and the server runs again on receipt.
//!
//! Checks that need the database (is this unit known, is this username free) take closures, so
//! the browser answers them from the lists it has loaded and the server from its store.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::StaffRole;
use crate::deadline::{Calendar, DeadlinePolicy, TimeTier};
use crate::validation::FieldError;

/// The levels a unit may have (责任单位: a department of the city, a district, a subdistrict, a
/// community, an industrial park or an enterprise).
pub const UNIT_LEVELS: &[&str] = &[
    "city",
    "district",
    "subdistrict",
    "community",
    "park",
    "enterprise",
];

/// The shortest password an administrator may give an account.
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;
/// The longest name of a unit, an item or a person.
pub const MAX_NAME_CHARS: usize = 100;
/// The most days a tier may have, and the most hours of the response limit.
pub const MAX_TIER_DAYS: u32 = 365;
pub const MAX_RESPONSE_HOURS: u32 = 720;

/// A unit as administrators see it, retired ones included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUnit {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    /// Retired units take no new dispatches; their cases keep them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/admin/units`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUnitList {
    pub units: Vec<AdminUnit>,
}

/// `POST /api/v1/admin/units` and `PUT /api/v1/admin/units/{unit_id}` (where `unit_id` is not
/// read: a unit's id never changes, cases refer to it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitForm {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    /// One of [`UNIT_LEVELS`].
    pub level: String,
}

/// A dispatch item as administrators see it, retired ones included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminItem {
    pub catalog_item_id: String,
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: TimeTier,
    /// Retired items are no longer offered; the cases dispatched with them keep them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/admin/items`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminItemList {
    pub items: Vec<AdminItem>,
}

/// `POST /api/v1/admin/items`, `PUT /api/v1/admin/items/{catalog_item_id}` (where the id is not
/// read), and one row of the CSV import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemForm {
    pub catalog_item_id: String,
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    /// `urgent`, `general`, `complex` or `difficult`.
    pub tier: String,
}

/// The columns of the dispatch-item CSV, in this order in the header (UTF-8, comma-separated,
/// the header first; a byte-order mark is allowed).
pub const ITEM_CSV_COLUMNS: [&str; 6] = [
    "catalog_item_id",
    "category_id",
    "name_zh",
    "name_en",
    "unit_id",
    "tier",
];

/// The answer to `POST /api/v1/admin/items/import`: how many rows were added and updated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemImportReport {
    pub added: u64,
    pub updated: u64,
}

/// A staff account as administrators see it (never its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminStaffAccount {
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    pub created_at: DateTime<Utc>,
    /// A disabled account cannot sign in; its sessions were ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/admin/staff`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminStaffList {
    pub accounts: Vec<AdminStaffAccount>,
}

/// `POST /api/v1/admin/staff`: a new account with its initial password.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaffForm {
    pub username: String,
    pub display_name: String,
    /// A [`StaffRole`] name.
    pub role: String,
    /// Required for `unit_handler`, refused for the other roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    pub password: String,
}

/// `PUT /api/v1/admin/staff/{username}`: name, role and unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffEditForm {
    pub display_name: String,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
}

/// `POST /api/v1/admin/staff/{username}/password`: a new password chosen by the administrator.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordForm {
    pub password: String,
}

/// A staff account's checked fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffFields {
    pub display_name: String,
    pub role: StaffRole,
    pub unit_id: Option<String>,
}

/// The clock rules in force: the tiers, the response limit and the working-day calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockRulesView {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub policy: DeadlinePolicy,
    /// The calendar, one date a line: `2026-10-01 holiday` or `2026-09-27 workday`.
    pub calendar: String,
    /// Cases accepted from this time on count by these rules.
    pub effective_from: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
}

/// `PUT /api/v1/admin/clock-rules`: the new rules, for cases accepted from now on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockRulesForm {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub policy: Option<DeadlinePolicy>,
    pub calendar: String,
}

fn error(field: &str, code: &str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, code, zh, en)
}

/// An id that goes into URLs and CSV files: 2–64 lowercase letters, digits, `-`, `_` or `.`,
/// starting with a letter or digit.
pub fn is_plain_id(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

fn check_id(field: &str, id: &str, errors: &mut Vec<FieldError>) {
    if !is_plain_id(id) {
        errors.push(error(
            field,
            "invalid",
            "编号用2到64个小写字母、数字或 - _ .，以字母或数字开头",
            "use 2 to 64 lowercase letters, digits, - _ or ., starting with a letter or digit",
        ));
    }
}

fn check_name(field: &str, name: &str, errors: &mut Vec<FieldError>) -> String {
    let name = name.trim();
    let count = name.chars().count();
    if count == 0 {
        errors.push(error(field, "required", "请填写名称", "give a name"));
    } else if name.chars().any(char::is_control) {
        errors.push(error(
            field,
            "invalid",
            "名称不能含换行或控制字符",
            "a name has no line breaks or control characters",
        ));
    } else if count > MAX_NAME_CHARS {
        errors.push(error(
            field,
            "too_long",
            "名称最多100个字",
            "a name has at most 100 characters",
        ));
    }
    name.to_owned()
}

/// Checks a unit form; `check_id_too` is false when editing (the id is fixed).
pub fn check_unit(form: &UnitForm, check_id_too: bool) -> Result<UnitForm, Vec<FieldError>> {
    let mut errors = Vec::new();
    let unit_id = form.unit_id.trim().to_owned();
    if check_id_too {
        check_id("unit_id", &unit_id, &mut errors);
    }
    let name_zh = check_name("name_zh", &form.name_zh, &mut errors);
    let name_en = check_name("name_en", &form.name_en, &mut errors);
    let level = form.level.trim().to_owned();
    if !UNIT_LEVELS.contains(&level.as_str()) {
        errors.push(error(
            "level",
            "invalid",
            "请选择单位层级",
            "choose the unit's level",
        ));
    }
    if errors.is_empty() {
        Ok(UnitForm {
            unit_id,
            name_zh,
            name_en,
            level,
        })
    } else {
        Err(errors)
    }
}

/// Checks a dispatch item: its id (unless editing), names, tier, and that its category exists
/// and its unit exists and is not retired. `prefix` goes before each field name (`rows[3].` in
/// an import).
pub fn check_item(
    form: &ItemForm,
    check_id_too: bool,
    prefix: &str,
    known_category: impl Fn(&str) -> bool,
    active_unit: impl Fn(&str) -> bool,
) -> Result<(ItemForm, TimeTier), Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = |name: &str| format!("{prefix}{name}");
    let catalog_item_id = form.catalog_item_id.trim().to_owned();
    if check_id_too {
        check_id(&field("catalog_item_id"), &catalog_item_id, &mut errors);
    }
    let category_id = form.category_id.trim().to_owned();
    if !known_category(&category_id) {
        errors.push(error(
            &field("category_id"),
            "unknown",
            "没有这个分类",
            "no such category",
        ));
    }
    let name_zh = check_name(&field("name_zh"), &form.name_zh, &mut errors);
    let name_en = check_name(&field("name_en"), &form.name_en, &mut errors);
    let unit_id = form.unit_id.trim().to_owned();
    if !active_unit(&unit_id) {
        errors.push(error(
            &field("unit_id"),
            "unknown",
            "没有这个责任单位，或它已停用",
            "no such unit, or it is retired",
        ));
    }
    let tier = TimeTier::parse(form.tier.trim());
    if tier.is_none() {
        errors.push(error(
            &field("tier"),
            "invalid",
            "时限档位应为 urgent、general、complex 或 difficult",
            "the tier is urgent, general, complex or difficult",
        ));
    }
    match tier {
        Some(tier) if errors.is_empty() => Ok((
            ItemForm {
                catalog_item_id,
                category_id,
                name_zh,
                name_en,
                unit_id,
                tier: tier.as_str().to_owned(),
            },
            tier,
        )),
        _ => Err(errors),
    }
}

/// Checks a password an administrator sets.
pub fn check_password(password: &str) -> Result<(), FieldError> {
    let count = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&count) {
        return Err(error(
            "password",
            "invalid",
            "密码需10到128个字符",
            "a password has 10 to 128 characters",
        ));
    }
    Ok(())
}

/// Checks a staff member's change of their own password, field by field: the current one given,
/// the new one as long as an administrator's must be, and not the current one again.
pub fn check_password_change(change: &crate::api::PasswordChange) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if change.current_password.is_empty() {
        errors.push(error(
            "current_password",
            "required",
            "请输入当前密码",
            "give your current password",
        ));
    }
    match check_password(&change.new_password) {
        Err(mut e) => {
            e.field = "new_password".into();
            errors.push(e);
        }
        Ok(()) if change.new_password == change.current_password => errors.push(error(
            "new_password",
            "unchanged",
            "新密码不能与当前密码相同",
            "the new password must differ from the current one",
        )),
        Ok(()) => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks a staff account's name, role and unit: a unit handler needs an active unit, the other
/// roles have none.
pub fn check_staff_fields(
    display_name: &str,
    role: &str,
    unit_id: Option<&str>,
    active_unit: impl Fn(&str) -> bool,
) -> Result<StaffFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let display_name = check_name("display_name", display_name, &mut errors);
    let role = StaffRole::parse(role.trim());
    if role.is_none() {
        errors.push(error("role", "invalid", "请选择角色", "choose a role"));
    }
    let unit_id = unit_id.map(str::trim).filter(|u| !u.is_empty());
    match (role, unit_id) {
        (Some(StaffRole::UnitHandler), None) => errors.push(error(
            "unit_id",
            "required",
            "承办人员须属于一个责任单位",
            "a unit handler belongs to a unit",
        )),
        (Some(StaffRole::UnitHandler), Some(unit)) if !active_unit(unit) => errors.push(error(
            "unit_id",
            "unknown",
            "没有这个责任单位，或它已停用",
            "no such unit, or it is retired",
        )),
        (Some(r), Some(_)) if r != StaffRole::UnitHandler => errors.push(error(
            "unit_id",
            "not_allowed",
            "只有承办人员属于责任单位",
            "only unit handlers belong to a unit",
        )),
        _ => {}
    }
    match role {
        Some(role) if errors.is_empty() => Ok(StaffFields {
            display_name,
            role,
            unit_id: unit_id.map(str::to_owned),
        }),
        _ => Err(errors),
    }
}

/// Checks a new account: username, name, role, unit and initial password.
pub fn check_new_staff(
    form: &NewStaffForm,
    active_unit: impl Fn(&str) -> bool,
) -> Result<(String, StaffFields), Vec<FieldError>> {
    let mut errors = Vec::new();
    let username = form.username.trim().to_owned();
    check_id("username", &username, &mut errors);
    let fields = check_staff_fields(
        &form.display_name,
        &form.role,
        form.unit_id.as_deref(),
        active_unit,
    );
    if let Err(e) = &fields {
        errors.extend(e.iter().cloned());
    }
    if let Err(e) = check_password(&form.password) {
        errors.push(e);
    }
    match fields {
        Ok(fields) if errors.is_empty() => Ok((username, fields)),
        _ => Err(errors),
    }
}

/// Checks the clock rules: each tier 1–365 days, the response limit 1–720 hours and shorter than
/// the urgent tier's natural length, and a calendar in the line format.
pub fn check_clock_rules(
    form: &ClockRulesForm,
) -> Result<(DeadlinePolicy, Calendar), Vec<FieldError>> {
    let mut errors = Vec::new();
    let policy = form.policy.clone();
    match &policy {
        None => errors.push(error(
            "policy",
            "required",
            "请填写各档时限",
            "give each tier's days",
        )),
        Some(policy) => {
            for tier in TimeTier::ALL {
                let days = policy.rule(*tier).days;
                if days == 0 || days > MAX_TIER_DAYS {
                    errors.push(error(
                        &format!("policy.{}.days", tier.as_str()),
                        "invalid",
                        "天数应为1到365",
                        "days are 1 to 365",
                    ));
                }
            }
            let hours = policy.response_limit_hours;
            if hours == 0 || hours > MAX_RESPONSE_HOURS {
                errors.push(error(
                    "policy.response_limit_hours",
                    "invalid",
                    "响应时限应为1到720小时",
                    "the response limit is 1 to 720 hours",
                ));
            }
        }
    }
    let calendar = match Calendar::parse(&form.calendar) {
        Ok(calendar) => Some(calendar),
        Err(message) => {
            errors.push(FieldError {
                field: "calendar".into(),
                code: "invalid".into(),
                message_zh: format!(
                    "日历有误（每行一个日期：2026-10-01 holiday 或 workday）：{message}"
                ),
                message_en: message,
            });
            None
        }
    };
    match (policy, calendar) {
        (Some(policy), Some(calendar)) if errors.is_empty() => Ok((policy, calendar)),
        _ => Err(errors),
    }
}

/// The calendar in its line format, holidays and worked weekend days in date order.
pub fn calendar_text(calendar: &Calendar) -> String {
    let mut days: Vec<(NaiveDate, &str)> = calendar
        .holidays
        .iter()
        .map(|d| (*d, "holiday"))
        .chain(calendar.working_weekends.iter().map(|d| (*d, "workday")))
        .collect();
    days.sort();
    days.iter()
        .map(|(day, kind)| format!("{day} {kind}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> ItemForm {
        ItemForm {
            catalog_item_id: "fumes-restaurant".into(),
            category_id: "environment".into(),
            name_zh: "餐饮油烟".into(),
            name_en: "Restaurant fumes".into(),
            unit_id: "ecology".into(),
            tier: "general".into(),
        }
    }

    #[test]
    fn plain_ids_are_lowercase_words() {
        assert!(is_plain_id("urban-management"));
        assert!(is_plain_id("handler.ecology_2"));
        assert!(!is_plain_id("x"));
        assert!(!is_plain_id("-lead"));
        assert!(!is_plain_id("Upper"));
        assert!(!is_plain_id("城管"));
        assert!(!is_plain_id(&"a".repeat(65)));
    }

    #[test]
    fn a_unit_needs_an_id_two_names_and_a_known_level() {
        let form = UnitForm {
            unit_id: " water ".into(),
            name_zh: " 市水务局 ".into(),
            name_en: "Water Bureau".into(),
            level: "city".into(),
        };
        let unit = check_unit(&form, true).unwrap();
        assert_eq!(
            (unit.unit_id.as_str(), unit.name_zh.as_str()),
            ("water", "市水务局")
        );
        let bad = UnitForm {
            unit_id: "W".into(),
            name_zh: "".into(),
            name_en: "x".repeat(101),
            level: "galaxy".into(),
        };
        let fields: Vec<String> = check_unit(&bad, true)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["unit_id", "name_zh", "name_en", "level"]);
        let control = UnitForm {
            name_zh: "市水务局\u{0}".into(),
            ..form.clone()
        };
        assert_eq!(check_unit(&control, true).unwrap_err()[0].field, "name_zh");
        assert!(
            check_unit(
                &UnitForm {
                    unit_id: String::new(),
                    ..form
                },
                false
            )
            .is_ok()
        );
    }

    #[test]
    fn an_item_names_a_known_category_and_an_active_unit() {
        let yes = |_: &str| true;
        let (checked, tier) = check_item(&item(), true, "", yes, yes).unwrap();
        assert_eq!(tier, TimeTier::General);
        assert_eq!(checked, item());
        let errors = check_item(
            &ItemForm {
                tier: "someday".into(),
                ..item()
            },
            true,
            "rows[3].",
            |_| false,
            |u| u != "ecology",
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["rows[3].category_id", "rows[3].unit_id", "rows[3].tier"]
        );
    }

    #[test]
    fn only_unit_handlers_have_a_unit() {
        let units = |u: &str| u == "ecology";
        assert!(check_staff_fields("张三", "unit_handler", Some("ecology"), units).is_ok());
        assert_eq!(
            check_staff_fields("张三", "unit_handler", None, units).unwrap_err()[0].code,
            "required"
        );
        assert_eq!(
            check_staff_fields("张三", "unit_handler", Some("mars"), units).unwrap_err()[0].code,
            "unknown"
        );
        assert_eq!(
            check_staff_fields("张三", "dispatcher", Some("ecology"), units).unwrap_err()[0].code,
            "not_allowed"
        );
        let fields = check_staff_fields("张三", "dispatcher", Some("  "), units).unwrap();
        assert_eq!((fields.role, fields.unit_id), (StaffRole::Dispatcher, None));
        assert_eq!(
            check_staff_fields("", "boss", None, units)
                .unwrap_err()
                .len(),
            2
        );
    }

    #[test]
    fn a_password_change_needs_the_current_one_and_a_new_long_different_one() {
        let change = |current: &str, new: &str| crate::api::PasswordChange {
            current_password: current.into(),
            new_password: new.into(),
        };
        let fields = |c| -> Vec<String> {
            check_password_change(&c)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert!(check_password_change(&change("old password", "a new long password")).is_ok());
        assert_eq!(
            fields(change("", "short")),
            ["current_password", "new_password"]
        );
        assert_eq!(
            fields(change("same password!", "same password!")),
            ["new_password"]
        );
    }

    #[test]
    fn a_new_account_needs_a_plain_username_and_a_long_password() {
        let form = NewStaffForm {
            username: "li.dispatch".into(),
            display_name: "李派单".into(),
            role: "dispatcher".into(),
            unit_id: None,
            password: "long enough password".into(),
        };
        assert_eq!(check_new_staff(&form, |_| true).unwrap().0, "li.dispatch");
        let short = NewStaffForm {
            username: "Li Dispatch".into(),
            password: "short".into(),
            ..form
        };
        let fields: Vec<String> = check_new_staff(&short, |_| true)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["username", "password"]);
    }

    #[test]
    fn clock_rules_refuse_empty_tiers_and_broken_calendar_lines() {
        let mut policy = DeadlinePolicy::default();
        let form = ClockRulesForm {
            policy: Some(policy.clone()),
            calendar: "2026-10-01 holiday\n2026-09-27 workday\n".into(),
        };
        let (_, calendar) = check_clock_rules(&form).unwrap();
        assert_eq!(
            calendar_text(&calendar),
            "2026-09-27 workday\n2026-10-01 holiday\n"
        );
        policy.complex.days = 0;
        policy.response_limit_hours = 0;
        let errors = check_clock_rules(&ClockRulesForm {
            policy: Some(policy),
            calendar: "2026-10-32 holiday".into(),
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "policy.complex.days",
                "policy.response_limit_hours",
                "calendar"
            ]
        );
        assert!(errors[2].message_en.contains("line 1"));
    }
}

//! The CSV import of dispatch items (`POST /api/v1/admin/items/import`): a header naming the
//! columns of [`ITEM_CSV_COLUMNS`] (in any order), one item a row. Each row passes the same check
//! as an item entered by hand; if any row fails, nothing is imported and the answer lists each
//! failing field as `rows[LINE].COLUMN`, LINE being the row's line in the file (the header is
//! line 1). An id already in the catalogue updates that item (and brings it back into use).

use std::collections::HashMap;

use yousu_core::FieldError;
use yousu_core::admin::{ITEM_CSV_COLUMNS, ItemForm, ItemImportReport, check_item};

use super::{active_units, changed, require_admin};
use crate::app::AppState;
use crate::auth::StaffSession;
use crate::error::{AppError, AppResult};

/// The most rows one file may hold (a city's full catalogue has a few thousand).
pub const MAX_ROWS: usize = 20_000;
/// The largest file read, in bytes.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// At most this many field errors are listed; the rest are counted.
const MAX_ERRORS: usize = 200;

fn file_error(code: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new("file", code, zh, en)])
}

/// Reads the file into item forms with their line numbers, or says why the file as a whole
/// cannot be read.
pub fn parse(bytes: &[u8]) -> AppResult<Vec<(u64, ItemForm)>> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        file_error(
            "not_utf8",
            "文件须为 UTF-8 编码的 CSV",
            "the file must be CSV in UTF-8",
        )
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().map_err(|_| unreadable())?.clone();
    let mut columns = HashMap::new();
    for name in ITEM_CSV_COLUMNS {
        match headers.iter().position(|h| h.trim() == name) {
            Some(i) => columns.insert(name, i),
            None => {
                return Err(file_error(
                    "missing_column",
                    &format!(
                        "第一行须列出各列：{}（缺少 {name}）",
                        ITEM_CSV_COLUMNS.join(",")
                    ),
                    &format!(
                        "the first line names the columns {} ({name} is missing)",
                        ITEM_CSV_COLUMNS.join(",")
                    ),
                ));
            }
        };
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.position() {
            Some(p) => file_error(
                "unreadable_row",
                &format!("第{}行的列数与表头不符或引号不成对", p.line()),
                &format!(
                    "line {}: wrong number of columns or an open quote",
                    p.line()
                ),
            ),
            None => unreadable(),
        })?;
        if rows.len() == MAX_ROWS {
            return Err(file_error(
                "too_many_rows",
                "一次最多导入20000行",
                "a file holds at most 20,000 rows",
            ));
        }
        let line = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| record.get(columns[name]).unwrap_or("").to_owned();
        rows.push((
            line,
            ItemForm {
                catalog_item_id: cell("catalog_item_id"),
                category_id: cell("category_id"),
                name_zh: cell("name_zh"),
                name_en: cell("name_en"),
                unit_id: cell("unit_id"),
                tier: cell("tier"),
            },
        ));
    }
    if rows.is_empty() {
        return Err(file_error(
            "empty",
            "文件中没有派单事项",
            "the file has no dispatch items",
        ));
    }
    Ok(rows)
}

fn unreadable() -> AppError {
    file_error(
        "unreadable",
        "无法读取这个 CSV 文件",
        "this CSV file cannot be read",
    )
}

/// Checks every row (the check of an item entered by hand, plus ids unique in the file).
pub fn check_rows(
    rows: &[(u64, ItemForm)],
    known_category: impl Fn(&str) -> bool,
    active_unit: impl Fn(&str) -> bool,
) -> Result<Vec<ItemForm>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for (line, form) in rows {
        let prefix = format!("rows[{line}].");
        match check_item(form, true, &prefix, &known_category, &active_unit) {
            Ok((item, _)) => {
                if let Some(first) = first_line.get(&item.catalog_item_id) {
                    errors.push(FieldError {
                        field: format!("{prefix}catalog_item_id"),
                        code: "duplicate".into(),
                        message_zh: format!("与第{first}行的编号重复"),
                        message_en: format!("the same id as line {first}"),
                    });
                } else {
                    first_line.insert(item.catalog_item_id.clone(), *line);
                    checked.push(item);
                }
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        return Ok(checked);
    }
    if errors.len() > MAX_ERRORS {
        let more = errors.len() - MAX_ERRORS;
        errors.truncate(MAX_ERRORS);
        errors.push(FieldError {
            field: "file".into(),
            code: "more_errors".into(),
            message_zh: format!("另有{more}处错误未列出"),
            message_en: format!("{more} more errors are not listed"),
        });
    }
    Err(errors)
}

pub async fn import(
    state: &AppState,
    session: &StaffSession,
    bytes: &[u8],
) -> AppResult<ItemImportReport> {
    require_admin(session)?;
    let rows = parse(bytes)?;
    let units = active_units(state).await?;
    let reference = state.current.reference();
    let items = check_rows(&rows, |c| reference.has_category(c), |u| units.contains(u))
        .map_err(AppError::Invalid)?;
    let (added, updated) = state.store.import_items(&items).await?;
    changed(state).await?;
    tracing::info!(added, updated, "imported dispatch items");
    Ok(ItemImportReport { added, updated })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "catalog_item_id,category_id,name_zh,name_en,unit_id,tier\n";

    #[test]
    fn rows_carry_their_line_and_columns_may_come_in_any_order() {
        let file = "\u{feff}tier,unit_id,name_en,name_zh,category_id,catalog_item_id\n\
                    general,ecology,Fumes,\"油烟,餐饮\",environment,fumes\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.name_zh, "油烟,餐饮");
        assert_eq!(rows[0].1.catalog_item_id, "fumes");
    }

    #[test]
    fn a_file_without_a_column_or_rows_is_refused_whole() {
        let Err(AppError::Invalid(e)) = parse(b"catalog_item_id,category_id\nx,y\n") else {
            panic!("refused")
        };
        assert_eq!(e[0].code, "missing_column");
        let Err(AppError::Invalid(e)) = parse(HEADER.as_bytes()) else {
            panic!("refused")
        };
        assert_eq!(e[0].code, "empty");
        let Err(AppError::Invalid(e)) = parse(&[0xff, 0xfe]) else {
            panic!("refused")
        };
        assert_eq!(e[0].code, "not_utf8");
    }

    #[test]
    fn every_bad_field_is_named_by_line_and_duplicates_too() {
        let file = format!(
            "{HEADER}a1,environment,甲,A,ecology,general\n\
             a2,nowhere,乙,B,ecology,general\n\
             a1,environment,丙,C,mars,soon\n"
        );
        let rows = parse(file.as_bytes()).unwrap();
        let errors = check_rows(&rows, |c| c == "environment", |u| u == "ecology").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["rows[3].category_id", "rows[4].unit_id", "rows[4].tier"]
        );
        let file = format!(
            "{HEADER}a1,environment,甲,A,ecology,general\na1,environment,甲,A,ecology,urgent\n"
        );
        let errors = check_rows(&parse(file.as_bytes()).unwrap(), |_| true, |_| true).unwrap_err();
        assert_eq!(errors[0].field, "rows[3].catalog_item_id");
        assert_eq!(errors[0].code, "duplicate");
    }
}

//! Administration · dispatch items (派单事项): the catalogue with the retired items, filtered by
//! category; a form to add or edit an item; retiring one; and the CSV import, whose refusal
//! lists every bad field by line.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yousu_core::FieldError;
use yousu_core::TimeTier;
use yousu_core::admin::{
    AdminItem, AdminItemList, AdminUnitList, ItemForm, ItemImportReport, check_item,
};

use crate::api::use_api;
use crate::components::admin_form::{Errors, SelectField, TextField, confirm, field_errors};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{Locale, tr, use_i18n};
use crate::pages::admin_units::focus;
use crate::reference::use_reference;

/// `rows[12].unit_id` → "第 12 行 · unit_id: message".
pub fn import_error_line(locale: Locale, error: &FieldError) -> String {
    let message = locale.pick(&error.message_zh, &error.message_en);
    let located = error
        .field
        .strip_prefix("rows[")
        .and_then(|rest| rest.split_once("]."));
    match located {
        Some((line, column)) => format!(
            "{} · {column}: {message}",
            locale.strings().import_row.replace("{n}", line)
        ),
        None => message.to_owned(),
    }
}

#[component]
pub fn AdminItemsPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let items = RwSignal::new(Vec::<AdminItem>::new());
    let units = RwSignal::new(Vec::<(String, String, String, bool)>::new());
    let filter = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let errors: Errors = RwSignal::new(Vec::new());
    let editing = RwSignal::new(None::<String>);
    let item_id = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let name_zh = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let tier = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let import_errors = RwSignal::new(Vec::<FieldError>::new());

    let reload = move || {
        leptos::task::spawn_local(async move {
            let fail = |f| outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f))));
            match api.get::<AdminItemList>("/admin/items").await {
                Ok(list) => items.set(list.items),
                Err(f) => fail(f),
            }
            match api.get::<AdminUnitList>("/admin/units").await {
                Ok(list) => units.set(
                    list.units
                        .into_iter()
                        .map(|u| (u.unit_id, u.name_zh, u.name_en, u.retired_at.is_none()))
                        .collect(),
                ),
                Err(f) => fail(f),
            }
        });
    };
    reload();
    let clear = move || {
        editing.set(None);
        for field in [item_id, category, name_zh, name_en, unit, tier] {
            field.set(String::new());
        }
        errors.set(Vec::new());
    };
    let start_edit = move |item: AdminItem| {
        editing.set(Some(item.catalog_item_id.clone()));
        item_id.set(item.catalog_item_id);
        category.set(item.category_id);
        name_zh.set(item.name_zh);
        name_en.set(item.name_en);
        unit.set(item.unit_id);
        tier.set(item.tier.as_str().to_owned());
        errors.set(Vec::new());
        focus("item-name_zh");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ItemForm {
            catalog_item_id: item_id.get_untracked(),
            category_id: category.get_untracked(),
            name_zh: name_zh.get_untracked(),
            name_en: name_en.get_untracked(),
            unit_id: unit.get_untracked(),
            tier: tier.get_untracked(),
        };
        let target = editing.get_untracked();
        let known = reference.get_untracked();
        let active = units.get_untracked();
        let checked = check_item(
            &form,
            target.is_none(),
            "",
            |c| known.catalog.category(c).is_some(),
            |u| active.iter().any(|(id, _, _, live)| id == u && *live),
        );
        if let Err(found) = checked {
            errors.set(found);
            outcome.set(Some(Outcome::Failed(
                i18n.locale().strings().fix_fields.to_owned(),
            )));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = match &target {
                None => api.post::<AdminItem>("/admin/items", &form).await,
                Some(id) => {
                    api.put::<AdminItem>(&format!("/admin/items/{id}"), &form)
                        .await
                }
            };
            busy.set(false);
            match answer {
                Ok(_) => {
                    outcome.set(Some(Outcome::Done(
                        i18n.locale().strings().saved.to_owned(),
                    )));
                    clear();
                    reload();
                }
                Err(failure) => {
                    if let Some(found) = field_errors(&failure) {
                        errors.set(found);
                    }
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))));
                }
            }
        });
    };
    let retire = move |item: AdminItem| {
        let name = i18n.locale().pick(&item.name_zh, &item.name_en).to_owned();
        if !confirm(&i18n.locale().strings().confirm_retire.replace("{n}", &name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let path = format!("/admin/items/{}/retire", item.catalog_item_id);
            match api.post_empty(&path).await {
                Ok(()) => {
                    let s = i18n.locale().strings();
                    outcome.set(Some(Outcome::Done(s.retired_done.replace("{n}", &name))));
                    reload();
                }
                Err(f) => outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f)))),
            }
        });
    };
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        import_errors.set(Vec::new());
        let file = document()
            .get_element_by_id("items-csv")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            outcome.set(Some(Outcome::Failed(
                i18n.locale().strings().import_choose_file.to_owned(),
            )));
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let answer = api
                .post_csv::<ItemImportReport>("/admin/items/import", text)
                .await;
            busy.set(false);
            let s = i18n.locale().strings();
            match answer {
                Ok(report) => {
                    let text = s
                        .import_done
                        .replace("{a}", &report.added.to_string())
                        .replace("{u}", &report.updated.to_string());
                    outcome.set(Some(Outcome::Done(text)));
                    reload();
                }
                Err(failure) => match field_errors(&failure) {
                    Some(found) => {
                        import_errors.set(found);
                        outcome.set(Some(Outcome::Failed(s.import_failed.to_owned())));
                    }
                    None => {
                        outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                    }
                },
            }
        });
    };
    let categories = Signal::derive(move || {
        let locale = i18n.locale();
        reference.with(|r| {
            r.catalog
                .categories
                .iter()
                .map(|c| {
                    (
                        c.category_id.clone(),
                        locale.pick(&c.name_zh, &c.name_en).to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let unit_options = Signal::derive(move || {
        let locale = i18n.locale();
        let current = unit.get();
        units.with(|all| {
            all.iter()
                .filter(|(id, _, _, live)| *live || *id == current)
                .map(|(id, zh, en, _)| (id.clone(), locale.pick(zh, en).to_owned()))
                .collect::<Vec<_>>()
        })
    });
    let tiers = Signal::derive(move || {
        let locale = i18n.locale();
        TimeTier::ALL
            .iter()
            .map(|t| (t.as_str().to_owned(), locale.tier(*t).to_owned()))
            .collect::<Vec<_>>()
    });
    let shown = move || {
        let only = filter.get();
        items.with(|all| {
            all.iter()
                .filter(|i| only.is_empty() || i.category_id == only)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let unit_name = move |id: &str| {
        let locale = i18n.locale();
        units.with(|all| {
            all.iter()
                .find(|(u, ..)| u == id)
                .map(|(_, zh, en, _)| locale.pick(zh, en).to_owned())
                .unwrap_or_else(|| id.to_owned())
        })
    };
    view! {
        <h1>{tr(|s| s.admin_items_title)}</h1>
        <p class="screen-hint">{tr(|s| s.admin_items_hint)}</p>
        <StatusLine outcome />
        <div class="workspace admin-workspace">
            <div class="admin-table-wrap">
                <div class="toolbar">
                    <label for="items-filter">{tr(|s| s.filter_category)}</label>
                    <select id="items-filter" on:change=move |ev| filter.set(event_target_value(&ev))>
                        <option value="">{tr(|s| s.all_categories)}</option>
                        {move || categories.get().into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </div>
                <table class="admin-table">
                    <caption>{move || format!("{} ({})", i18n.locale().strings().items_table, shown().len())}</caption>
                    <thead><tr>
                        <th scope="col">{tr(|s| s.field_item_id)}</th>
                        <th scope="col">{tr(|s| s.field_name_zh)}</th>
                        <th scope="col">{tr(|s| s.unit)}</th>
                        <th scope="col">{tr(|s| s.field_tier)}</th>
                        <th scope="col">{tr(|s| s.status)}</th>
                        <th scope="col">{tr(|s| s.actions)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=shown key=|i| format!("{i:?}") let:item>
                            {
                                let retired = item.retired_at.is_some();
                                let (for_edit, for_retire) = (item.clone(), item.clone());
                                let name = item.name_zh.clone();
                                let name_again = name.clone();
                                let unit_id = item.unit_id.clone();
                                let tier = item.tier;
                                view! {
                                    <tr class:retired=retired>
                                        <td><code>{item.catalog_item_id.clone()}</code></td>
                                        <td>{item.name_zh.clone()}<span class="admin-sub" lang="en">{item.name_en.clone()}</span></td>
                                        <td>{move || unit_name(&unit_id)}</td>
                                        <td class="admin-state">{move || i18n.locale().tier(tier)}</td>
                                        <td class="admin-state">{move || if retired { tr(|s| s.retired)() } else { tr(|s| s.in_use)() }}</td>
                                        <td class="admin-actions">
                                            <button type="button" aria-label=move || format!("{} {name}", i18n.locale().strings().edit)
                                                on:click=move |_| start_edit(for_edit.clone())>{tr(|s| s.edit)}</button>
                                            <Show when=move || !retired>
                                                {
                                                    let for_retire = for_retire.clone();
                                                    let name = name_again.clone();
                                                    view! {
                                                        <button type="button" aria-label=move || format!("{} {name}", i18n.locale().strings().retire)
                                                            on:click=move |_| retire(for_retire.clone())>{tr(|s| s.retire)}</button>
                                                    }
                                                }
                                            </Show>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            <div class="admin-side">
                <section class="pane" aria-labelledby="item-form-title">
                    <h2 id="item-form-title">{move || {
                        let s = i18n.locale().strings();
                        match editing.get() { None => s.add_item.to_owned(), Some(id) => format!("{} {id}", s.edit_item) }
                    }}</h2>
                    <form class="admin-form" on:submit=submit novalidate>
                        <Show when=move || editing.with(Option::is_none)
                            fallback=|| view! { <p class="screen-hint">{tr(|s| s.id_fixed)}</p> }>
                            <TextField id="item-catalog_item_id" field="catalog_item_id" label=|s| s.field_item_id value=item_id errors />
                        </Show>
                        <SelectField id="item-category_id" field="category_id" label=|s| s.category value=category errors options=categories />
                        <TextField id="item-name_zh" field="name_zh" label=|s| s.field_name_zh value=name_zh errors />
                        <TextField id="item-name_en" field="name_en" label=|s| s.field_name_en value=name_en errors />
                        <SelectField id="item-unit_id" field="unit_id" label=|s| s.unit value=unit errors options=unit_options />
                        <SelectField id="item-tier" field="tier" label=|s| s.field_tier value=tier errors options=tiers />
                        <div class="button-row">
                            <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.save)}</button>
                            <button type="button" on:click=move |_| clear()>{tr(|s| s.cancel)}</button>
                        </div>
                    </form>
                </section>
                <section class="pane admin-import" aria-labelledby="import-title">
                    <h2 id="import-title">{tr(|s| s.import_title)}</h2>
                    <p class="screen-hint" id="import-hint">{tr(|s| s.import_hint)}</p>
                    <form on:submit=import>
                        <label for="items-csv">{tr(|s| s.import_file)}</label>
                        <input id="items-csv" type="file" accept=".csv,text/csv" aria-describedby="import-hint" />
                        <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.import_button)}</button>
                    </form>
                    <Show when=move || import_errors.with(|e| !e.is_empty())>
                        <div class="notice notice-error" role="alert">
                            <p>{tr(|s| s.import_failed)}</p>
                            <ul class="import-errors">
                                {move || import_errors.get().into_iter().map(|e| view! {
                                    <li>{import_error_line(i18n.locale(), &e)}</li>
                                }).collect_view()}
                            </ul>
                        </div>
                    </Show>
                </section>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_errors_read_by_line_and_column() {
        let error = FieldError::new(
            "rows[4].unit_id",
            "unknown",
            "没有这个责任单位",
            "no such unit",
        );
        assert_eq!(
            import_error_line(Locale::Zh, &error),
            "第 4 行 · unit_id: 没有这个责任单位"
        );
        assert_eq!(
            import_error_line(Locale::En, &error),
            "Line 4 · unit_id: no such unit"
        );
        let file = FieldError::new(
            "file",
            "empty",
            "文件中没有派单事项",
            "the file has no dispatch items",
        );
        assert_eq!(
            import_error_line(Locale::En, &file),
            "the file has no dispatch items"
        );
    }
}

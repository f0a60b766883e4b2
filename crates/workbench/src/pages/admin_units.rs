//! Administration · units (责任单位): the list with the retired ones, a form to add or edit a
//! unit, and retiring one (never deleting: cases refer to it).

use leptos::prelude::*;
use yousu_core::admin::{AdminUnit, AdminUnitList, UNIT_LEVELS, UnitForm, check_unit};

use crate::api::use_api;
use crate::components::admin_form::{Errors, SelectField, TextField, confirm, field_errors};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{Locale, tr, use_i18n};

/// A unit level in words.
pub fn level_name(locale: Locale, level: &str) -> String {
    let s = locale.strings();
    match level {
        "city" => s.level_city,
        "district" => s.level_district,
        "subdistrict" => s.level_subdistrict,
        "community" => s.level_community,
        "park" => s.level_park,
        "enterprise" => s.level_enterprise,
        other => other,
    }
    .to_owned()
}

#[component]
pub fn AdminUnitsPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let units = RwSignal::new(Vec::<AdminUnit>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let errors: Errors = RwSignal::new(Vec::new());
    // The unit being edited; `None` while adding one.
    let editing = RwSignal::new(None::<String>);
    let unit_id = RwSignal::new(String::new());
    let name_zh = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let level = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let reload = move || {
        leptos::task::spawn_local(async move {
            match api.get::<AdminUnitList>("/admin/units").await {
                Ok(list) => units.set(list.units),
                Err(f) => outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f)))),
            }
        });
    };
    reload();
    let clear = move || {
        editing.set(None);
        for field in [unit_id, name_zh, name_en, level] {
            field.set(String::new());
        }
        errors.set(Vec::new());
    };
    let start_edit = move |unit: AdminUnit| {
        editing.set(Some(unit.unit_id.clone()));
        unit_id.set(unit.unit_id);
        name_zh.set(unit.name_zh);
        name_en.set(unit.name_en);
        level.set(unit.level);
        errors.set(Vec::new());
        focus("unit-name_zh");
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = UnitForm {
            unit_id: unit_id.get_untracked(),
            name_zh: name_zh.get_untracked(),
            name_en: name_en.get_untracked(),
            level: level.get_untracked(),
        };
        let target = editing.get_untracked();
        if let Err(found) = check_unit(&form, target.is_none()) {
            errors.set(found);
            outcome.set(Some(Outcome::Failed(
                i18n.locale().strings().fix_fields.to_owned(),
            )));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = match &target {
                None => api.post::<AdminUnit>("/admin/units", &form).await,
                Some(id) => {
                    api.put::<AdminUnit>(&format!("/admin/units/{id}"), &form)
                        .await
                }
            };
            busy.set(false);
            let s = i18n.locale().strings();
            match answer {
                Ok(_) => {
                    outcome.set(Some(Outcome::Done(s.saved.to_owned())));
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
    let retire = move |unit: AdminUnit| {
        let s = i18n.locale().strings();
        let name = i18n.locale().pick(&unit.name_zh, &unit.name_en).to_owned();
        if !confirm(&s.confirm_retire.replace("{n}", &name)) {
            return;
        }
        leptos::task::spawn_local(async move {
            let path = format!("/admin/units/{}/retire", unit.unit_id);
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
    let levels = Signal::derive(move || {
        let locale = i18n.locale();
        UNIT_LEVELS
            .iter()
            .map(|l| ((*l).to_owned(), level_name(locale, l)))
            .collect::<Vec<_>>()
    });
    view! {
        <h1>{tr(|s| s.admin_units_title)}</h1>
        <p class="screen-hint">{tr(|s| s.admin_units_hint)}</p>
        <StatusLine outcome />
        <div class="workspace admin-workspace">
            <div class="admin-table-wrap">
                <table class="admin-table">
                    <caption>{move || format!("{} ({})", i18n.locale().strings().units_table, units.with(Vec::len))}</caption>
                    <thead><tr>
                        <th scope="col">{tr(|s| s.field_unit_id)}</th>
                        <th scope="col">{tr(|s| s.field_name_zh)}</th>
                        <th scope="col">{tr(|s| s.field_name_en)}</th>
                        <th scope="col">{tr(|s| s.field_level)}</th>
                        <th scope="col">{tr(|s| s.status)}</th>
                        <th scope="col">{tr(|s| s.actions)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || units.get() key=|u| (u.unit_id.clone(), u.name_zh.clone(), u.name_en.clone(), u.level.clone(), u.retired_at) let:unit>
                            <UnitRow unit on_edit=Callback::new(start_edit) on_retire=Callback::new(retire) />
                        </For>
                    </tbody>
                </table>
            </div>
            <section class="pane" aria-labelledby="unit-form-title">
                <h2 id="unit-form-title">{move || {
                    let s = i18n.locale().strings();
                    match editing.get() { None => s.add_unit.to_owned(), Some(id) => format!("{} {id}", s.edit_unit) }
                }}</h2>
                <form class="admin-form" on:submit=submit novalidate>
                    <Show when=move || editing.with(Option::is_none)
                        fallback=|| view! { <p class="screen-hint">{tr(|s| s.id_fixed)}</p> }>
                        <TextField id="unit-unit_id" field="unit_id" label=|s| s.field_unit_id value=unit_id errors />
                    </Show>
                    <TextField id="unit-name_zh" field="name_zh" label=|s| s.field_name_zh value=name_zh errors />
                    <TextField id="unit-name_en" field="name_en" label=|s| s.field_name_en value=name_en errors />
                    <SelectField id="unit-level" field="level" label=|s| s.field_level value=level errors options=levels />
                    <div class="button-row">
                        <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.save)}</button>
                        <button type="button" on:click=move |_| clear()>{tr(|s| s.cancel)}</button>
                    </div>
                </form>
            </section>
        </div>
    }
}

#[component]
fn UnitRow(
    unit: AdminUnit,
    on_edit: Callback<AdminUnit>,
    on_retire: Callback<AdminUnit>,
) -> impl IntoView {
    let i18n = use_i18n();
    let retired = unit.retired_at.is_some();
    let level = unit.level.clone();
    let (for_edit, for_retire) = (unit.clone(), unit.clone());
    let name = unit.name_zh.clone();
    view! {
        <tr class:retired=retired>
            <td><code>{unit.unit_id.clone()}</code></td>
            <td>{unit.name_zh.clone()}</td>
            <td lang="en">{unit.name_en.clone()}</td>
            <td>{move || level_name(i18n.locale(), &level)}</td>
            <td class="admin-state">{move || if retired { tr(|s| s.retired)() } else { tr(|s| s.in_use)() }}</td>
            <td class="admin-actions">
                <button type="button" aria-label=move || format!("{} {name}", i18n.locale().strings().edit)
                    on:click=move |_| on_edit.run(for_edit.clone())>{tr(|s| s.edit)}</button>
                <Show when=move || !retired>
                    {
                        let for_retire = for_retire.clone();
                        let name = unit.name_zh.clone();
                        view! {
                            <button type="button" aria-label=move || format!("{} {name}", i18n.locale().strings().retire)
                                on:click=move |_| on_retire.run(for_retire.clone())>{tr(|s| s.retire)}</button>
                        }
                    }
                </Show>
            </td>
        </tr>
    }
}

/// Moves the keyboard focus to a field (after choosing a row to edit).
pub fn focus(id: &'static str) {
    request_animation_frame(move || {
        if let Some(element) = document().get_element_by_id(id) {
            use wasm_bindgen::JsCast;
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    });
}

//! Administration · staff accounts and roles: the list with the disabled accounts; a form to add
//! an account (with its initial password) or change one's name, role and unit; disabling and
//! enabling; and setting a new password. Disabling and new passwords end the person's sessions.

use leptos::prelude::*;
use yousu_core::admin::{
    AdminStaffAccount, AdminStaffList, AdminUnitList, NewStaffForm, PasswordForm, StaffEditForm,
    check_new_staff, check_password, check_staff_fields,
};
use yousu_core::api::StaffRole;

use crate::api::use_api;
use crate::components::admin_form::{Errors, SelectField, TextField, confirm, field_errors};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};
use crate::pages::admin_units::focus;

/// What the side pane holds.
#[derive(Clone, Debug, PartialEq)]
enum Pane {
    New,
    Edit(String),
    Password(String),
}

#[component]
pub fn AdminStaffPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let accounts = RwSignal::new(Vec::<AdminStaffAccount>::new());
    let units = RwSignal::new(Vec::<(String, String, String, bool)>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let errors: Errors = RwSignal::new(Vec::new());
    let pane = RwSignal::new(Pane::New);
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let reload = move || {
        leptos::task::spawn_local(async move {
            let fail = |f| outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f))));
            match api.get::<AdminStaffList>("/admin/staff").await {
                Ok(list) => accounts.set(list.accounts),
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
        pane.set(Pane::New);
        for field in [username, display_name, role, unit, password] {
            field.set(String::new());
        }
        errors.set(Vec::new());
    };
    let start = move |account: AdminStaffAccount, next: Pane| {
        username.set(account.username);
        display_name.set(account.display_name);
        role.set(account.role.as_str().to_owned());
        unit.set(account.unit_id.unwrap_or_default());
        password.set(String::new());
        errors.set(Vec::new());
        focus(if matches!(next, Pane::Password(_)) {
            "staff-password"
        } else {
            "staff-display_name"
        });
        pane.set(next);
    };
    let unit_known = move |u: &str| {
        units.with_untracked(|all| all.iter().any(|(id, _, _, live)| id == u && *live))
    };
    let finish = move |answer: Result<String, crate::api::ApiFailure>| {
        busy.set(false);
        match answer {
            Ok(text) => {
                outcome.set(Some(Outcome::Done(text)));
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
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Only a unit handler has a unit; a unit left chosen before the role changed is dropped.
        let chosen_unit = Some(unit.get_untracked())
            .filter(|u| !u.is_empty() && role.get_untracked() == StaffRole::UnitHandler.as_str());
        let current = pane.get_untracked();
        let checked = match &current {
            Pane::New => check_new_staff(
                &NewStaffForm {
                    username: username.get_untracked(),
                    display_name: display_name.get_untracked(),
                    role: role.get_untracked(),
                    unit_id: chosen_unit.clone(),
                    password: password.get_untracked(),
                },
                unit_known,
            )
            .map(|_| ()),
            Pane::Edit(name) => {
                let own = accounts.with_untracked(|all| {
                    all.iter()
                        .find(|a| &a.username == name)
                        .and_then(|a| a.unit_id.clone())
                });
                check_staff_fields(
                    &display_name.get_untracked(),
                    &role.get_untracked(),
                    chosen_unit.as_deref(),
                    |u| unit_known(u) || own.as_deref() == Some(u),
                )
                .map(|_| ())
            }
            Pane::Password(_) => check_password(&password.get_untracked()).map_err(|e| vec![e]),
        };
        if let Err(found) = checked {
            errors.set(found);
            outcome.set(Some(Outcome::Failed(
                i18n.locale().strings().fix_fields.to_owned(),
            )));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let s = i18n.locale().strings();
            let answer = match current {
                Pane::New => {
                    let form = NewStaffForm {
                        username: username.get_untracked(),
                        display_name: display_name.get_untracked(),
                        role: role.get_untracked(),
                        unit_id: chosen_unit,
                        password: password.get_untracked(),
                    };
                    api.post::<AdminStaffAccount>("/admin/staff", &form)
                        .await
                        .map(|_| s.saved.to_owned())
                }
                Pane::Edit(name) => {
                    let form = StaffEditForm {
                        display_name: display_name.get_untracked(),
                        role: role.get_untracked(),
                        unit_id: chosen_unit,
                    };
                    api.put::<AdminStaffAccount>(&format!("/admin/staff/{name}"), &form)
                        .await
                        .map(|_| s.saved.to_owned())
                }
                Pane::Password(name) => {
                    let form = PasswordForm {
                        password: password.get_untracked(),
                    };
                    api.post_unit(&format!("/admin/staff/{name}/password"), &form)
                        .await
                        .map(|_| s.password_reset.replace("{n}", &name))
                }
            };
            finish(answer);
        });
    };
    let toggle = move |account: AdminStaffAccount| {
        let disable = account.disabled_at.is_none();
        let s = i18n.locale().strings();
        if disable && !confirm(&s.confirm_disable.replace("{n}", &account.username)) {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let action = if disable { "disable" } else { "enable" };
            let path = format!("/admin/staff/{}/{action}", account.username);
            let s = i18n.locale().strings();
            let done = if disable {
                s.account_disabled
            } else {
                s.account_enabled
            };
            let answer = api
                .post_empty(&path)
                .await
                .map(|_| done.replace("{n}", &account.username));
            finish(answer);
        });
    };
    let roles = Signal::derive(move || {
        let locale = i18n.locale();
        StaffRole::ALL
            .iter()
            .map(|r| (r.as_str().to_owned(), locale.role(*r).to_owned()))
            .collect::<Vec<_>>()
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
    let unit_name = move |id: &str| {
        let locale = i18n.locale();
        units.with(|all| {
            all.iter()
                .find(|(u, ..)| u == id)
                .map(|(_, zh, en, _)| locale.pick(zh, en).to_owned())
                .unwrap_or_else(|| id.to_owned())
        })
    };
    let is_handler = move || role.get() == StaffRole::UnitHandler.as_str();
    view! {
        <h1>{tr(|s| s.admin_staff_title)}</h1>
        <p class="screen-hint">{tr(|s| s.admin_staff_hint)}</p>
        <StatusLine outcome />
        <div class="workspace admin-workspace">
            <div class="admin-table-wrap">
                <table class="admin-table">
                    <caption>{move || format!("{} ({})", i18n.locale().strings().staff_table, accounts.with(Vec::len))}</caption>
                    <thead><tr>
                        <th scope="col">{tr(|s| s.field_username)}</th>
                        <th scope="col">{tr(|s| s.field_display_name)}</th>
                        <th scope="col">{tr(|s| s.field_role)}</th>
                        <th scope="col">{tr(|s| s.unit)}</th>
                        <th scope="col">{tr(|s| s.status)}</th>
                        <th scope="col">{tr(|s| s.actions)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || accounts.get() key=|a| format!("{a:?}") let:account>
                            {
                                let disabled = account.disabled_at.is_some();
                                let name = account.username.clone();
                                let (a1, a2, a3) = (account.clone(), account.clone(), account.clone());
                                let unit_id = account.unit_id.clone().unwrap_or_default();
                                let account_role = account.role;
                                let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
                                view! {
                                    <tr class:retired=disabled>
                                        <td><code>{name.clone()}</code></td>
                                        <td>{account.display_name.clone()}</td>
                                        <td>{move || i18n.locale().role(account_role)}</td>
                                        <td>{move || if unit_id.is_empty() { String::new() } else { unit_name(&unit_id) }}</td>
                                        <td class="admin-state">{move || if disabled { tr(|s| s.disabled)() } else { tr(|s| s.enabled)() }}</td>
                                        <td class="admin-actions">
                                            <button type="button" aria-label=move || format!("{} {n1}", i18n.locale().strings().edit)
                                                on:click=move |_| start(a1.clone(), Pane::Edit(a1.username.clone()))>{tr(|s| s.edit)}</button>
                                            <button type="button" aria-label=move || format!("{} {n2}", i18n.locale().strings().reset_password)
                                                on:click=move |_| start(a2.clone(), Pane::Password(a2.username.clone()))>{tr(|s| s.reset_password)}</button>
                                            <button type="button" aria-label=move || {
                                                    let s = i18n.locale().strings();
                                                    format!("{} {n3}", if disabled { s.enable } else { s.disable })
                                                }
                                                on:click=move |_| toggle(a3.clone())>
                                                {move || if disabled { tr(|s| s.enable)() } else { tr(|s| s.disable)() }}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            <section class="pane" aria-labelledby="staff-form-title">
                <h2 id="staff-form-title">{move || {
                    let s = i18n.locale().strings();
                    match pane.get() {
                        Pane::New => s.add_account.to_owned(),
                        Pane::Edit(name) => format!("{} {name}", s.edit_account),
                        Pane::Password(name) => format!("{} {name}", s.reset_password),
                    }
                }}</h2>
                <form class="admin-form" on:submit=submit novalidate>
                    <Show when=move || pane.get() == Pane::New>
                        <TextField id="staff-username" field="username" label=|s| s.field_username value=username errors />
                    </Show>
                    <Show when=move || !matches!(pane.get(), Pane::Password(_))>
                        <TextField id="staff-display_name" field="display_name" label=|s| s.field_display_name value=display_name errors />
                        <SelectField id="staff-role" field="role" label=|s| s.field_role value=role errors options=roles />
                        <Show when=is_handler>
                            <SelectField id="staff-unit_id" field="unit_id" label=|s| s.unit value=unit errors options=unit_options />
                        </Show>
                    </Show>
                    <Show when=move || pane.get() == Pane::New>
                        <TextField id="staff-password" field="password" label=|s| s.field_initial_password value=password errors kind="password" autocomplete="new-password" />
                    </Show>
                    <Show when=move || matches!(pane.get(), Pane::Password(_))>
                        <TextField id="staff-password" field="password" label=|s| s.field_new_password value=password errors kind="password" autocomplete="new-password" />
                    </Show>
                    <div class="button-row">
                        <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.save)}</button>
                        <button type="button" on:click=move |_| clear()>{tr(|s| s.cancel)}</button>
                    </div>
                </form>
            </section>
        </div>
    }
}

//! Administration · Open311 API keys: every key issued, live or revoked; issuing one (its secret
//! shown once, here); revoking one.

use leptos::prelude::*;
use yousu_core::api::{ApiKeyList, ApiKeyRequest, ApiKeyView};

use crate::api::use_api;
use crate::components::admin_form::{Errors, TextField, confirm, field_errors};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};

#[component]
pub fn AdminKeysPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let keys = RwSignal::new(Vec::<ApiKeyView>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    let errors: Errors = RwSignal::new(Vec::new());
    let label = RwSignal::new(String::new());
    let secret = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api.get::<ApiKeyList>("/staff/api-keys").await {
                Ok(list) => keys.set(list.api_keys),
                Err(f) => outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f)))),
            }
        });
    };
    reload();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        secret.set(None);
        busy.set(true);
        let request = ApiKeyRequest {
            label: label.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let answer = api.post::<ApiKeyView>("/staff/api-keys", &request).await;
            busy.set(false);
            match answer {
                Ok(key) => {
                    errors.set(Vec::new());
                    label.set(String::new());
                    secret.set(key.api_key);
                    outcome.set(None);
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
    let revoke = move |id: String| {
        if !confirm(&i18n.locale().strings().confirm_revoke.replace("{n}", &id)) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api
                .post_empty(&format!("/staff/api-keys/{id}/revoke"))
                .await
            {
                Ok(()) => {
                    let s = i18n.locale().strings();
                    outcome.set(Some(Outcome::Done(s.key_revoked.replace("{n}", &id))));
                    reload();
                }
                Err(f) => outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f)))),
            }
        });
    };
    view! {
        <h1>{tr(|s| s.admin_keys_title)}</h1>
        <p class="screen-hint">{tr(|s| s.admin_keys_hint)}</p>
        <StatusLine outcome />
        <div class="workspace admin-workspace">
            <div class="admin-table-wrap">
                <table class="admin-table">
                    <caption>{move || format!("{} ({})", i18n.locale().strings().keys_table, keys.with(Vec::len))}</caption>
                    <thead><tr>
                        <th scope="col">"ID"</th>
                        <th scope="col">{tr(|s| s.field_key_label)}</th>
                        <th scope="col">{tr(|s| s.created_by)}</th>
                        <th scope="col">{tr(|s| s.created_at)}</th>
                        <th scope="col">{tr(|s| s.status)}</th>
                        <th scope="col">{tr(|s| s.actions)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || keys.get() key=|k| format!("{k:?}") let:key>
                            {
                                let revoked = key.revoked_at.is_some();
                                let id = key.api_key_id.clone();
                                let id_label = id.clone();
                                view! {
                                    <tr class:retired=revoked>
                                        <td><code>{key.api_key_id.clone()}</code></td>
                                        <td>{key.label.clone()}</td>
                                        <td>{key.created_by.clone().unwrap_or_default()}</td>
                                        <td>{crate::clock::city_time(key.created_at)}</td>
                                        <td class="admin-state">{move || if revoked { tr(|s| s.revoked)() } else { tr(|s| s.in_use)() }}</td>
                                        <td class="admin-actions">
                                            <Show when=move || !revoked>
                                                {
                                                    let id = id.clone();
                                                    let id_label = id_label.clone();
                                                    view! {
                                                        <button type="button" aria-label=move || format!("{} {id_label}", i18n.locale().strings().revoke)
                                                            on:click=move |_| revoke(id.clone())>{tr(|s| s.revoke)}</button>
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
            <section class="pane" aria-labelledby="key-form-title">
                <h2 id="key-form-title">{tr(|s| s.issue_key)}</h2>
                <form class="admin-form" on:submit=submit novalidate>
                    <TextField id="key-label" field="label" label=|s| s.field_key_label value=label errors />
                    <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.issue_key)}</button>
                </form>
                <Show when=move || secret.with(Option::is_some)>
                    <div class="notice notice-done" role="alert">
                        <p>{tr(|s| s.key_issued)}</p>
                        <p><code class="api-key-secret">{move || secret.get().unwrap_or_default()}</code></p>
                    </div>
                </Show>
            </section>
        </div>
    }
}

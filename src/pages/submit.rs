//! Submitting an appeal: what, where, how to reach the resident. Checked with the same rules the
//! server applies; saved as it is typed; sent with a key that makes a retry harmless.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use yousu_core::FieldError;
use yousu_core::catalog::{Catalog, Grid};
use yousu_core::validation::MAX_ADDRESS_CHARS;
use yousu_core::{Description, PersonName};

use crate::api::{self, ApiFailure};
use crate::clock::use_server_clock;
use crate::components::field_error::{FieldErrorText, error_id};
use crate::i18n::use_i18n;
use crate::routes;
use crate::store::draft::{self, SavedDraft};
use crate::store::my_cases::{self, SavedCase};

/// The catalogue and the grid, fresh when online, remembered when not.
async fn load_reference() -> api::ApiResult<(Catalog, Grid)> {
    let catalog = crate::store::fresh_or_cached("yousu.catalog.v1", api::catalog()).await?;
    let grid = crate::store::fresh_or_cached("yousu.grid.v1", api::grid()).await?;
    Ok((catalog, grid))
}

#[component]
pub fn SubmitPage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = LocalResource::new(load_reference);
    view! {
        <h1>{move || i18n.t().submit_title}</h1>
        <p class="notice notice-emergency">{move || i18n.t().emergency_notice}</p>
        <Suspense fallback=move || view! { <p class="loading">{move || i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok((catalog, grid)) => view! { <SubmitForm catalog grid /> }.into_any(),
                    Err(_) => view! {
                        <p class="notice notice-error" role="alert">{move || i18n.t().load_failed}</p>
                        <button type="button" class="button" on:click=move |_| reference.refetch()>
                            {move || i18n.t().retry}
                        </button>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the banner above the send button says.
#[derive(Clone, Copy, PartialEq)]
enum Banner {
    None,
    Restored,
    FixErrors,
    SendFailed,
}

#[component]
fn SubmitForm(catalog: Catalog, grid: Grid) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_server_clock();
    let navigate = use_navigate();
    let catalog = StoredValue::new(catalog);
    let grid = StoredValue::new(grid);

    let restored = draft::load().filter(|d| !d.is_blank());
    let banner = RwSignal::new(if restored.is_some() {
        Banner::Restored
    } else {
        Banner::None
    });
    let form = RwSignal::new(restored.unwrap_or_else(SavedDraft::with_new_key));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sending = RwSignal::new(false);

    // Every keystroke is kept on the phone.
    Effect::new(move |_| form.with(draft::save));

    let error_signal = Signal::derive(move || errors.get());
    let has_error =
        move |field: &'static str| move || errors.with(|e| e.iter().any(|e| e.field == field));
    let described_by = |field: &'static str, hint: Option<&'static str>| {
        let error = error_id(field);
        move || match hint {
            Some(hint) if has_error(field)() => format!("{hint} {error}"),
            Some(hint) => hint.to_owned(),
            None if has_error(field)() => error.clone(),
            None => String::new(),
        }
    };
    let focus_first_error = |errors: &[FieldError]| {
        if let Some(el) = errors
            .first()
            .and_then(|first| document().get_element_by_id(&first.field))
        {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let current = form.get_untracked();
        let checked = current.case.validate(
            |id| catalog.with_value(|c| c.category(id).is_some()),
            |id| grid.with_value(|g| g.community(id).is_some()),
        );
        if let Err(found) = checked {
            focus_first_error(&found);
            errors.set(found);
            banner.set(Banner::FixErrors);
            return;
        }
        errors.set(Vec::new());
        banner.set(Banner::None);
        sending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::submit_case(&current.idempotency_key, &current.case).await;
            sending.set(false);
            match result {
                Ok(case) => {
                    clock.observe(case.server_time);
                    my_cases::upsert(SavedCase::from_view(&case, current.idempotency_key));
                    draft::clear();
                    navigate(&routes::case_detail(&case.case_number), Default::default());
                }
                Err(ApiFailure::Rejected { status: 422, error }) => {
                    focus_first_error(&error.fields);
                    errors.set(error.fields);
                    banner.set(Banner::FixErrors);
                }
                Err(_) => banner.set(Banner::SendFailed),
            }
        });
    };

    let districts = move || grid.with_value(|g| g.districts.clone());
    let subdistricts = move || {
        let district_id = form.with(|f| f.district_id.clone());
        grid.with_value(|g| {
            g.districts
                .iter()
                .find(|d| d.district_id == district_id)
                .map(|d| d.subdistricts.clone())
                .unwrap_or_default()
        })
    };
    let communities = move || {
        let subdistrict_id = form.with(|f| f.subdistrict_id.clone());
        subdistricts()
            .into_iter()
            .find(|s| s.subdistrict_id == subdistrict_id)
            .map(|s| s.communities)
            .unwrap_or_default()
    };
    let description_count = move || form.with(|f| f.case.description.trim().chars().count());

    view! {
        <form class="submit-form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="category_id">{move || i18n.t().field_category}</label>
                <select
                    id="category_id"
                    aria-invalid=move || has_error("category_id")().to_string()
                    aria-describedby=described_by("category_id", None)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.category_id = value);
                    }
                >
                    <option value="">{move || i18n.t().choose}</option>
                    {move || {
                        let locale = i18n.locale();
                        catalog
                            .with_value(|c| c.categories.clone())
                            .into_iter()
                            .map(|c| {
                                let id = c.category_id.clone();
                                let selected = move || form.with(|f| f.case.category_id == id);
                                view! {
                                    <option value=c.category_id.clone() prop:selected=selected>
                                        {locale.pick(&c.name_zh, &c.name_en).to_owned()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                <FieldErrorText errors=error_signal field="category_id" />
            </div>

            <div class="field">
                <label for="description">{move || i18n.t().field_description}</label>
                <textarea
                    id="description"
                    rows="5"
                    placeholder=move || i18n.t().description_placeholder
                    aria-invalid=move || has_error("description")().to_string()
                    aria-describedby=described_by("description", Some("description-count"))
                    prop:value=move || form.with(|f| f.case.description.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.description = value);
                    }
                ></textarea>
                <p
                    id="description-count"
                    class=move || {
                        if description_count() > Description::MAX_CHARS {
                            "field-hint field-hint-over"
                        } else {
                            "field-hint"
                        }
                    }
                >
                    {move || i18n.locale().char_count(description_count(), Description::MAX_CHARS)}
                </p>
                <FieldErrorText errors=error_signal field="description" />
            </div>

            <div class="field">
                <label for="district_id">{move || i18n.t().field_district}</label>
                <select
                    id="district_id"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| {
                            f.district_id = value;
                            f.subdistrict_id.clear();
                            f.case.community_id.clear();
                        });
                    }
                >
                    <option value="">{move || i18n.t().choose}</option>
                    {move || {
                        let locale = i18n.locale();
                        districts()
                            .into_iter()
                            .map(|d| {
                                let id = d.district_id.clone();
                                let selected = move || form.with(|f| f.district_id == id);
                                view! {
                                    <option value=d.district_id.clone() prop:selected=selected>
                                        {locale.pick(&d.name_zh, &d.name_en).to_owned()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>

            <div class="field">
                <label for="subdistrict_id">{move || i18n.t().field_subdistrict}</label>
                <select
                    id="subdistrict_id"
                    disabled=move || form.with(|f| f.district_id.is_empty())
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| {
                            f.subdistrict_id = value;
                            f.case.community_id.clear();
                        });
                    }
                >
                    <option value="">{move || i18n.t().choose}</option>
                    {move || {
                        let locale = i18n.locale();
                        subdistricts()
                            .into_iter()
                            .map(|s| {
                                let id = s.subdistrict_id.clone();
                                let selected = move || form.with(|f| f.subdistrict_id == id);
                                view! {
                                    <option value=s.subdistrict_id.clone() prop:selected=selected>
                                        {locale.pick(&s.name_zh, &s.name_en).to_owned()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>

            <div class="field">
                <label for="community_id">{move || i18n.t().field_community}</label>
                <select
                    id="community_id"
                    disabled=move || form.with(|f| f.subdistrict_id.is_empty())
                    aria-invalid=move || has_error("community_id")().to_string()
                    aria-describedby=described_by("community_id", None)
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.community_id = value);
                    }
                >
                    <option value="">{move || i18n.t().choose}</option>
                    {move || {
                        let locale = i18n.locale();
                        communities()
                            .into_iter()
                            .map(|c| {
                                let id = c.community_id.clone();
                                let selected = move || form.with(|f| f.case.community_id == id);
                                view! {
                                    <option value=c.community_id.clone() prop:selected=selected>
                                        {locale.pick(&c.name_zh, &c.name_en).to_owned()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                <FieldErrorText errors=error_signal field="community_id" />
            </div>

            <div class="field">
                <label for="address">
                    {move || i18n.t().field_address}
                    <span class="field-optional">{move || i18n.t().optional}</span>
                </label>
                <input
                    id="address"
                    type="text"
                    autocomplete="street-address"
                    maxlength=MAX_ADDRESS_CHARS.to_string()
                    aria-invalid=move || has_error("address")().to_string()
                    aria-describedby=described_by("address", None)
                    prop:value=move || form.with(|f| f.case.address.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.address = value);
                    }
                />
                <FieldErrorText errors=error_signal field="address" />
            </div>

            <div class="field">
                <label for="contact_name">
                    {move || i18n.t().field_name}
                    <span class="field-optional">{move || i18n.t().optional}</span>
                </label>
                <input
                    id="contact_name"
                    type="text"
                    autocomplete="name"
                    maxlength=PersonName::MAX_CHARS.to_string()
                    aria-invalid=move || has_error("contact_name")().to_string()
                    aria-describedby=described_by("contact_name", None)
                    prop:value=move || form.with(|f| f.case.contact_name.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.contact_name = value);
                    }
                />
                <FieldErrorText errors=error_signal field="contact_name" />
            </div>

            <div class="field">
                <label for="contact_phone">{move || i18n.t().field_phone}</label>
                <input
                    id="contact_phone"
                    type="tel"
                    inputmode="tel"
                    autocomplete="tel"
                    aria-invalid=move || has_error("contact_phone")().to_string()
                    aria-describedby=described_by("contact_phone", Some("contact_phone-hint"))
                    prop:value=move || form.with(|f| f.case.contact_phone.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| f.case.contact_phone = value);
                    }
                />
                <p id="contact_phone-hint" class="field-hint">{move || i18n.t().phone_hint}</p>
                <FieldErrorText errors=error_signal field="contact_phone" />
            </div>

            <div class="submit-form-banner" role="status" aria-live="polite">
                {move || {
                    let t = i18n.t();
                    match banner.get() {
                        Banner::None => None,
                        Banner::Restored => Some(("notice", t.draft_restored)),
                        Banner::FixErrors => Some(("notice notice-error", t.fix_errors)),
                        Banner::SendFailed => Some(("notice notice-error", t.send_failed_kept)),
                    }
                    .map(|(class, text)| view! { <p class=class>{text}</p> })
                }}
            </div>

            <button type="submit" class="button button-primary" aria-disabled=move || sending.get().to_string()>
                {move || if sending.get() { i18n.t().sending } else { i18n.t().send }}
            </button>
        </form>
    }
}

//! Step 1, what: common categories as large tiles, a search of the catalogue by words (on the
//! phone's copy, so it works offline), and "not sure — let the platform decide".

use leptos::prelude::*;

use crate::components::field_error::FieldErrorText;
use crate::i18n::{tr, use_i18n};
use crate::pages::submit::step::Step;
use crate::pages::submit::use_submit_state;

#[component]
pub fn WhatStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_submit_state();
    let form = state.form;
    let errors = state.errors_of(Step::What);
    let query = RwSignal::new(String::new());

    let choose = move |category_id: String| {
        form.update(|f| {
            f.case.category_id = category_id;
            f.case.let_platform_decide = false;
        });
    };
    let hits = move || {
        let words = query.get();
        if words.trim().is_empty() {
            return Vec::new();
        }
        let locale = i18n.locale();
        state.catalog.with_value(|c| {
            c.search(&words, 6)
                .into_iter()
                .filter_map(|hit| {
                    let category = c.category(&hit.category_id)?;
                    Some((
                        hit.category_id.clone(),
                        format!(
                            "{} · {}",
                            locale.pick(&category.name_zh, &category.name_en),
                            locale.pick(&hit.item.name_zh, &hit.item.name_en)
                        ),
                    ))
                })
                .collect::<Vec<_>>()
        })
    };
    let tiles = move || {
        let locale = i18n.locale();
        state.catalog.with_value(|c| {
            c.categories
                .iter()
                .map(|c| {
                    (
                        c.category_id.clone(),
                        locale.pick(&c.name_zh, &c.name_en).to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let tile = move |value: String, label: String, hint: Option<Signal<&'static str>>| {
        let platform = value.is_empty();
        let checked = {
            let value = value.clone();
            move || {
                form.with(|f| {
                    if platform {
                        f.case.let_platform_decide
                    } else {
                        !f.case.let_platform_decide && f.case.category_id == value
                    }
                })
            }
        };
        view! {
            <label class="category-tile" class:category-tile-platform=platform>
                <input
                    type="radio"
                    name="category_id"
                    id=if platform { None } else { Some(format!("category-{value}")) }
                    prop:checked=checked
                    on:change=move |_| {
                        if platform {
                            form.update(|f| {
                                f.case.let_platform_decide = true;
                                f.case.category_id.clear();
                            });
                        } else {
                            choose(value.clone());
                        }
                    }
                />
                <span class="category-tile-name">{label}</span>
                {hint.map(|hint| view! { <span class="category-tile-hint">{hint}</span> })}
            </label>
        }
    };

    view! {
        <p class="notice notice-emergency">{tr(|s| s.emergency_notice)}</p>
        <h2 id="step-title" tabindex="-1">{tr(|s| s.what_title)}</h2>
        <div class="field">
            <label for="catalog-search">{tr(|s| s.search_catalog)}</label>
            <input
                id="catalog-search"
                type="search"
                enterkeyhint="search"
                placeholder=tr(|s| s.search_hint)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:keydown=|ev| {
                    // Enter searches; it must not move on to the next step.
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                    }
                }
            />
            <div role="status" aria-live="polite">
                {move || {
                    let found = hits();
                    if query.with(|q| q.trim().is_empty()) {
                        None
                    } else if found.is_empty() {
                        Some(view! { <p class="field-hint">{tr(|s| s.search_none)}</p> }.into_any())
                    } else {
                        Some(view! {
                            <ul class="search-hits">
                                {found.into_iter().map(|(category_id, text)| view! {
                                    <li>
                                        <button type="button" class="search-hit"
                                            on:click=move |_| {
                                                choose(category_id.clone());
                                                query.set(String::new());
                                            }>
                                            {text}
                                        </button>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any())
                    }
                }}
            </div>
        </div>
        <fieldset class="category-tiles" id="category_id" tabindex="-1"
            aria-invalid=move || (!errors.with(Vec::is_empty)).to_string()
            aria-describedby=move || (!errors.with(Vec::is_empty)).then_some("category_id-error")>
            <legend>{tr(|s| s.field_category)}</legend>
            {move || tiles().into_iter().map(|(id, name)| tile(id, name, None)).collect_view()}
            {move || tile(String::new(), tr(|s| s.let_platform_decide).get().to_owned(), Some(tr(|s| s.let_platform_hint)))}
        </fieldset>
        <FieldErrorText errors field="category_id" />
    }
}

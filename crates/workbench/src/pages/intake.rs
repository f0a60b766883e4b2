//! Intake (接): the operator enters an appeal while on the phone, or one that came by letter, in
//! person or through the media. The platform's proposal and likely duplicates appear as they
//! type; words that mean 110, 119 or 120 are flagged at once for transfer.

use leptos::prelude::*;
use yousu_core::api::{CaseView, SuggestionRequest, Suggestions};
use yousu_core::{CaseDraft, Channel};

use crate::api::{random_key, use_api};
use crate::clock::city_time;
use crate::components::status_line::failure_text;
use crate::emergency::{Emergency, emergencies};
use crate::i18n::{tr, use_i18n};
use crate::reference::use_reference;

/// The channels staff enter appeals from.
pub const STAFF_CHANNELS: [Channel; 4] = [
    Channel::Hotline,
    Channel::Letter,
    Channel::Visit,
    Channel::Media,
];

/// Wait this long after the last keystroke before asking for suggestions.
const SUGGEST_AFTER_MS: u32 = 400;

#[component]
pub fn IntakePage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let channel = RwSignal::new(Channel::Hotline.as_str().to_owned());
    let phone = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let district = RwSignal::new(String::new());
    let subdistrict = RwSignal::new(String::new());
    let community = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let anonymous = RwSignal::new(false);
    let hide_identity = RwSignal::new(false);
    let suggestions = RwSignal::new(None::<Suggestions>);
    let key = RwSignal::new(random_key());
    let receipt = RwSignal::new(None::<CaseView>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let generation = StoredValue::new(0u64);

    let flagged = move || description.with(|d| emergencies(d));

    // Debounced: each change waits; only the latest change's request is shown.
    Effect::new(move |_| {
        let text = description.get();
        let community_id = community.get();
        let category_id = category.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        if text.trim().chars().count() < 4 {
            suggestions.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(SUGGEST_AFTER_MS).await;
            if generation.get_value() != mine {
                return;
            }
            let request = SuggestionRequest {
                description: text,
                community_id,
                category_id,
            };
            if let Ok(found) = api.post::<Suggestions>("/suggestions", &request).await
                && generation.get_value() == mine
            {
                suggestions.set(Some(found));
            }
        });
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let draft = CaseDraft {
            channel: Channel::parse(&channel.get_untracked()),
            category_id: category.get_untracked(),
            let_platform_decide: category.with_untracked(String::is_empty),
            description: description.get_untracked(),
            community_id: community.get_untracked(),
            address: address.get_untracked(),
            contact_name: if anonymous.get_untracked() {
                String::new()
            } else {
                name.get_untracked()
            },
            contact_phone: if anonymous.get_untracked() {
                String::new()
            } else {
                phone.get_untracked()
            },
            anonymous: anonymous.get_untracked(),
            hide_identity_from_unit: hide_identity.get_untracked(),
            ..Default::default()
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api
                .post_once::<CaseView>("/staff/cases", &key.get_untracked(), &draft)
                .await
            {
                Ok(case) => {
                    receipt.set(Some(case));
                    // The next appeal is a new one.
                    key.set(random_key());
                    description.set(String::new());
                    phone.set(String::new());
                    name.set(String::new());
                    address.set(String::new());
                    anonymous.set(false);
                    hide_identity.set(false);
                    suggestions.set(None);
                }
                Err(failure) => error.set(Some(failure_text(i18n.locale(), &failure))),
            }
            busy.set(false);
        });
    };

    let districts = move || reference.with(|r| r.grid.districts.clone());
    let subdistricts = move || {
        let d = district.get();
        reference.with(|r| {
            r.grid
                .districts
                .iter()
                .find(|x| x.district_id == d)
                .map(|x| x.subdistricts.clone())
                .unwrap_or_default()
        })
    };
    let communities = move || {
        let s = subdistrict.get();
        subdistricts()
            .into_iter()
            .find(|x| x.subdistrict_id == s)
            .map(|x| x.communities)
            .unwrap_or_default()
    };
    let emergency_text = move || {
        let s = i18n.locale().strings();
        flagged()
            .into_iter()
            .map(|e| {
                let what = match e {
                    Emergency::Fire => s.emergency_fire,
                    Emergency::Ambulance => s.emergency_ambulance,
                    Emergency::Police => s.emergency_police,
                };
                s.transfer_to
                    .replace("{n}", e.number())
                    .replace("{what}", what)
            })
            .collect::<Vec<_>>()
    };

    view! {
        <h1>{tr(|s| s.intake_title)}</h1>
        <p class="screen-hint">{tr(|s| s.intake_hint)}</p>
        <Show when=move || receipt.get().is_some()>
            <p class="notice notice-done" role="status">
                {move || receipt.get().map(|c| i18n.locale().strings().intake_done
                    .replace("{n}", c.case_number.as_str())
                    .replace("{code}", c.lookup_code.as_ref().map_or("", |code| code.as_str())))}
            </p>
        </Show>
        <div class="intake">
            <form class="intake-form" on:submit=submit novalidate>
                <Show when=move || !flagged().is_empty()>
                    <div class="emergency" role="alert">
                        <strong>{tr(|s| s.emergency_heading)}</strong>
                        <ul>{move || emergency_text().into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    </div>
                </Show>
                <label for="intake-channel">{tr(|s| s.channel)}</label>
                <select id="intake-channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                    {move || {
                        let locale = i18n.locale();
                        let chosen = channel.get();
                        STAFF_CHANNELS.iter().map(|c| {
                            let selected = c.as_str() == chosen;
                            view! { <option value=c.as_str() selected=selected>{locale.channel(*c)}</option> }
                        }).collect_view()
                    }}
                </select>
                <fieldset>
                    <legend>{tr(|s| s.caller)}</legend>
                    <label class="check"><input type="checkbox" bind:checked=anonymous />{tr(|s| s.anonymous)}</label>
                    <Show when=move || !anonymous.get()>
                        <label for="intake-phone">{tr(|s| s.caller_phone)}</label>
                        <input id="intake-phone" type="tel" inputmode="tel" autocomplete="off" bind:value=phone />
                        <label for="intake-name">{tr(|s| s.caller_name)}</label>
                        <input id="intake-name" autocomplete="off" bind:value=name />
                        <label class="check"><input type="checkbox" bind:checked=hide_identity />{tr(|s| s.hide_identity)}</label>
                    </Show>
                </fieldset>
                <label for="intake-description">{tr(|s| s.caller_words)}</label>
                <textarea id="intake-description" rows="5" bind:value=description></textarea>
                <label for="intake-category">{tr(|s| s.category)}</label>
                <select id="intake-category" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{tr(|s| s.let_platform_decide)}</option>
                    {move || {
                        let locale = i18n.locale();
                        reference.get().catalog.categories.into_iter().map(|c| view! {
                            <option value=c.category_id.clone()>{locale.pick(&c.name_zh, &c.name_en).to_owned()}</option>
                        }).collect_view()
                    }}
                </select>
                <fieldset>
                    <legend>{tr(|s| s.place)}</legend>
                    <label for="intake-district">{tr(|s| s.district)}</label>
                    <select id="intake-district" on:change=move |ev| { district.set(event_target_value(&ev)); subdistrict.set(String::new()); community.set(String::new()); }>
                        <option value="">{tr(|s| s.choose)}</option>
                        {move || { let locale = i18n.locale(); districts().into_iter().map(|d| view! {
                            <option value=d.district_id.clone()>{locale.pick(&d.name_zh, &d.name_en).to_owned()}</option>
                        }).collect_view() }}
                    </select>
                    <label for="intake-subdistrict">{tr(|s| s.subdistrict)}</label>
                    <select id="intake-subdistrict" on:change=move |ev| { subdistrict.set(event_target_value(&ev)); community.set(String::new()); }>
                        <option value="">{tr(|s| s.choose)}</option>
                        {move || { let locale = i18n.locale(); subdistricts().into_iter().map(|d| view! {
                            <option value=d.subdistrict_id.clone()>{locale.pick(&d.name_zh, &d.name_en).to_owned()}</option>
                        }).collect_view() }}
                    </select>
                    <label for="intake-community">{tr(|s| s.community)}</label>
                    <select id="intake-community" on:change=move |ev| community.set(event_target_value(&ev))>
                        <option value="">{tr(|s| s.choose)}</option>
                        {move || { let locale = i18n.locale(); communities().into_iter().map(|d| view! {
                            <option value=d.community_id.clone()>{locale.pick(&d.name_zh, &d.name_en).to_owned()}</option>
                        }).collect_view() }}
                    </select>
                    <label for="intake-address">{tr(|s| s.address)}</label>
                    <input id="intake-address" autocomplete="off" bind:value=address />
                </fieldset>
                <Show when=move || error.get().is_some()>
                    <p class="notice notice-error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.enter_case)}</button>
            </form>
            <aside class="intake-suggestions" aria-labelledby="intake-suggestions-title" aria-live="polite">
                <h2 id="intake-suggestions-title">{tr(|s| s.suggestions_heading)}</h2>
                {move || {
                    let locale = i18n.locale();
                    let r = reference.get();
                    match suggestions.get() {
                        None => view! { <p class="screen-hint">{tr(|s| s.suggestions_as_you_type)}</p> }.into_any(),
                        Some(found) => view! {
                            <ul class="suggestions" aria-label=tr(|s| s.suggested_items)>
                                {found.items.iter().map(|it| view! {
                                    <li>{format!("{} · {} · {:.0}%", r.item_name(locale, &it.catalog_item_id), r.unit_name(locale, &it.unit_id), it.confidence * 100.0)}</li>
                                }).collect_view()}
                            </ul>
                            <h3>{tr(|s| s.duplicates_heading)}</h3>
                            {if found.duplicates.is_empty() {
                                view! { <p class="screen-hint">{tr(|s| s.no_duplicates)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="duplicates" aria-label=tr(|s| s.duplicates_heading)>
                                        {found.duplicates.iter().map(|d| view! {
                                            <li>
                                                <strong>{d.case_number.to_string()}</strong>" · "{locale.status(d.status)}" · "{city_time(d.submitted_at)}
                                                <p>{d.description.clone()}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any(),
                    }
                }}
            </aside>
        </div>
    }
}

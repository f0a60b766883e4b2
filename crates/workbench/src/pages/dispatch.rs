//! Dispatch (派): accepted cases, oldest first. Opening one shows the platform's suggestion —
//! unit, dispatch item and time tier pre-filled — which the dispatcher confirms (`d`) or
//! changes; a likely duplicate can be merged (`m`), a non-appeal marked invalid (`i`).

use leptos::prelude::*;
use yousu_core::TimeTier;
use yousu_core::api::{
    DispatchRequest, MergeRequest, NoteRequest, StaffCaseList, StaffCaseView, Suggestions,
};

use crate::api::use_api;
use crate::clock::{city_time, use_clock};
use crate::components::case_queue::CaseQueue;
use crate::components::case_summary::{CaseSummary, contact_text};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};
use crate::keys::{QueueKey, use_queue_keys};
use crate::reference::use_reference;

/// The form's starting values from the platform's proposal: the pre-selected item (which names
/// its unit and tier) or else the pre-selected unit.
pub fn prefill(
    suggestions: &Suggestions,
    item_unit_and_tier: impl Fn(&str) -> Option<(String, TimeTier)>,
) -> (String, String, String) {
    if let Some(item) = &suggestions.preselected_item_id
        && let Some((unit, tier)) = item_unit_and_tier(item)
    {
        return (unit, item.clone(), tier.as_str().to_owned());
    }
    let unit = suggestions.preselected_unit_id.clone().unwrap_or_default();
    (unit, String::new(), String::new())
}

#[component]
pub fn DispatchPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let clock = use_clock();
    let cases = RwSignal::new(Vec::<StaffCaseView>::new());
    let loaded = RwSignal::new(None::<Result<(), String>>);
    let selected = RwSignal::new(0usize);
    let open = RwSignal::new(None::<StaffCaseView>);
    let outcome = RwSignal::new(None::<Outcome>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            match api
                .get::<StaffCaseList>("/staff/cases?status=accepted")
                .await
            {
                Ok(list) => {
                    if let Some(first) = list.cases.first() {
                        clock.observe(first.case.server_time);
                    }
                    selected.update(|s| *s = (*s).min(list.cases.len().saturating_sub(1)));
                    cases.set(list.cases);
                    loaded.set(Some(Ok(())));
                }
                Err(failure) => loaded.set(Some(Err(failure_text(i18n.locale(), &failure)))),
            }
        });
    };
    reload();
    crate::clock::every(crate::clock::QUEUE_REFRESH_SECS, reload);
    let open_at = move |index: usize| {
        open.set(cases.with_untracked(|c| c.get(index).cloned()));
    };
    use_queue_keys(
        move || cases.with_untracked(Vec::len),
        selected,
        move |key| match key {
            QueueKey::Open => open_at(selected.get_untracked()),
            QueueKey::Action('r') => reload(),
            _ => {}
        },
    );
    let after_action = Callback::new(move |text: String| {
        outcome.set(Some(Outcome::Done(text)));
        open.set(None);
        reload();
    });
    let failed = Callback::new(move |text: String| outcome.set(Some(Outcome::Failed(text))));
    view! {
        <h1>{tr(|s| s.dispatch_title)}</h1>
        <p class="screen-hint">{tr(|s| s.dispatch_hint)}</p>
        <StatusLine outcome />
        {move || loaded.get().and_then(Result::err).map(|e| view! { <p class="notice notice-error" role="alert">{e}</p> })}
        <div class="workspace">
            <CaseQueue
                caption=Signal::derive(move || {
                    format!("{} ({})", i18n.locale().strings().dispatch_queue, cases.with(Vec::len))
                })
                cases=cases.into()
                selected
                open=Signal::derive(move || open.with(|o| o.as_ref().map(|c| c.case.case_number.to_string())))
                on_open=Callback::new(open_at)
                extra_heading=Signal::derive(move || i18n.locale().strings().waiting.to_owned())
                extra=Callback::new(move |case: StaffCaseView| {
                    let since = case.case.accepted_at.unwrap_or(case.case.submitted_at);
                    let hours = (clock.now() - since).num_hours();
                    i18n.locale().strings().hours_waiting.replace("{n}", &hours.to_string())
                })
            />
            <section class="pane" aria-labelledby="pane-title">
                {move || match open.get() {
                    None => view! {
                        <h2 id="pane-title">{tr(|s| s.no_case_open)}</h2>
                        <p class="screen-hint">{tr(|s| s.open_hint)}</p>
                    }.into_any(),
                    Some(case) => view! { <DispatchPane case after_action failed /> }.into_any(),
                }}
            </section>
        </div>
    }
}

#[component]
fn DispatchPane(
    case: StaffCaseView,
    after_action: Callback<String>,
    failed: Callback<String>,
) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let number = case.case.case_number.clone();
    let contact = contact_text(i18n.locale(), &case.contact);
    let case_signal = Signal::stored(case.clone());
    let suggestions = RwSignal::new(None::<Suggestions>);
    let unit = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    let tier = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    {
        let number = number.clone();
        leptos::task::spawn_local(async move {
            let found = api
                .get::<Suggestions>(&format!("/staff/cases/{number}/suggestions"))
                .await
                .unwrap_or_default();
            let (u, i, t) = prefill(&found, |id| {
                reference.with_untracked(|r| r.item(id).map(|it| (it.unit_id.clone(), it.tier)))
            });
            unit.set(u);
            item.set(i);
            tier.set(t);
            suggestions.set(Some(found));
        });
    }
    // Choosing an item names its unit and tier.
    let choose_item = move |id: String| {
        if let Some((u, t)) =
            reference.with_untracked(|r| r.item(&id).map(|it| (it.unit_id.clone(), it.tier)))
        {
            unit.set(u);
            tier.set(t.as_str().to_owned());
        }
        item.set(id);
    };
    let dispatch = {
        let number = number.clone();
        move || {
            let unit_id = unit.get_untracked();
            if unit_id.is_empty() || busy.get_untracked() {
                failed.run(i18n.locale().strings().choose_unit_first.to_owned());
                return;
            }
            busy.set(true);
            let body = DispatchRequest {
                unit_id: unit_id.clone(),
                catalog_item_id: Some(item.get_untracked()).filter(|i| !i.is_empty()),
                tier: TimeTier::parse(&tier.get_untracked()),
            };
            let number = number.clone();
            leptos::task::spawn_local(async move {
                match api
                    .post::<StaffCaseView>(&format!("/staff/cases/{number}/dispatch"), &body)
                    .await
                {
                    Ok(_) => {
                        let locale = i18n.locale();
                        let name = reference.with_untracked(|r| r.unit_name(locale, &unit_id));
                        after_action.run(
                            locale
                                .strings()
                                .dispatched_to
                                .replace("{n}", number.as_str())
                                .replace("{unit}", &name),
                        );
                    }
                    Err(failure) => failed.run(failure_text(i18n.locale(), &failure)),
                }
                busy.set(false);
            });
        }
    };
    let merge = {
        let number = number.clone();
        move |into: yousu_core::CaseNumber| {
            let number = number.clone();
            leptos::task::spawn_local(async move {
                let body = MergeRequest {
                    into_case_number: into.clone(),
                };
                match api
                    .post::<StaffCaseView>(&format!("/staff/cases/{number}/merge"), &body)
                    .await
                {
                    Ok(_) => after_action.run(
                        i18n.locale()
                            .strings()
                            .merged_into
                            .replace("{n}", number.as_str())
                            .replace("{into}", into.as_str()),
                    ),
                    Err(failure) => failed.run(failure_text(i18n.locale(), &failure)),
                }
            });
        }
    };
    let mark_invalid = {
        let number = number.clone();
        move || {
            let note = reason.get_untracked().trim().to_owned();
            if note.is_empty() {
                failed.run(i18n.locale().strings().reason_required.to_owned());
                if let Some(field) = document().get_element_by_id("invalid-reason") {
                    let _ =
                        wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(field).focus();
                }
                return;
            }
            let number = number.clone();
            leptos::task::spawn_local(async move {
                match api
                    .post::<StaffCaseView>(
                        &format!("/staff/cases/{number}/invalid"),
                        &NoteRequest { note },
                    )
                    .await
                {
                    Ok(_) => after_action.run(
                        i18n.locale()
                            .strings()
                            .marked_invalid
                            .replace("{n}", number.as_str()),
                    ),
                    Err(failure) => failed.run(failure_text(i18n.locale(), &failure)),
                }
            });
        }
    };
    let own_number = number.clone();
    let duplicates = move || {
        suggestions.with(|s| {
            s.as_ref()
                .map(|s| {
                    s.duplicates
                        .iter()
                        .filter(|d| d.case_number != own_number)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let key_dispatch = dispatch.clone();
    let key_merge = merge.clone();
    let key_duplicates = duplicates.clone();
    let key_invalid = mark_invalid.clone();
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if crate::keys::typed_in_field(&event)
            || event.ctrl_key()
            || event.meta_key()
            || event.alt_key()
        {
            return;
        }
        match event.key().as_str() {
            "d" => key_dispatch(),
            "m" => {
                if let Some(first) = key_duplicates().into_iter().next() {
                    key_merge(first.case_number);
                }
            }
            "i" => key_invalid(),
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());
    let units = move || reference.with(|r| r.units.clone());
    let items = move || {
        let chosen = unit.get();
        reference.with(|r| {
            r.catalog
                .categories
                .iter()
                .flat_map(|c| c.items.iter())
                .filter(|i| chosen.is_empty() || i.unit_id == chosen)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let dispatch_click = dispatch.clone();
    view! {
        <h2 id="pane-title">{tr(|s| s.case_number)}" "{number.to_string()}</h2>
        <CaseSummary case=case_signal />
        <p class="contact-line"><strong>{tr(|s| s.contact)}</strong>" "{contact}</p>

        <form class="action-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); dispatch_click() }>
            <h3>{tr(|s| s.dispatch_heading)}</h3>
            <p class="screen-hint">{move || match suggestions.get() {
                None => i18n.locale().strings().suggestions_loading.to_owned(),
                Some(s) if s.preselected_item_id.is_some() || s.preselected_unit_id.is_some() =>
                    i18n.locale().strings().suggestion_prefilled.to_owned(),
                Some(_) => i18n.locale().strings().suggestion_none.to_owned(),
            }}</p>
            <label for="dispatch-unit">{tr(|s| s.unit)}</label>
            <select id="dispatch-unit" prop:value=move || unit.get()
                on:change=move |ev| { unit.set(event_target_value(&ev)); item.set(String::new()); }>
                <option value="">{tr(|s| s.choose)}</option>
                {move || {
                    let locale = i18n.locale();
                    let chosen = unit.get();
                    units().into_iter().map(|u| {
                        let selected = u.unit_id == chosen;
                        view! { <option value=u.unit_id.clone() selected=selected>{locale.pick(&u.name_zh, &u.name_en).to_owned()}</option> }
                    }).collect_view()
                }}
            </select>
            <label for="dispatch-item">{tr(|s| s.catalog_item)}</label>
            <select id="dispatch-item" prop:value=move || item.get()
                on:change=move |ev| choose_item(event_target_value(&ev))>
                <option value="">{tr(|s| s.no_item)}</option>
                {move || {
                    let locale = i18n.locale();
                    let chosen = item.get();
                    items().into_iter().map(|i| {
                        let selected = i.catalog_item_id == chosen;
                        view! { <option value=i.catalog_item_id.clone() selected=selected>{locale.pick(&i.name_zh, &i.name_en).to_owned()}</option> }
                    }).collect_view()
                }}
            </select>
            <label for="dispatch-tier">{tr(|s| s.tier)}</label>
            <select id="dispatch-tier" prop:value=move || tier.get() on:change=move |ev| tier.set(event_target_value(&ev))>
                <option value="">{tr(|s| s.tier_from_item)}</option>
                {move || {
                    let locale = i18n.locale();
                    let chosen = tier.get();
                    TimeTier::ALL.iter().map(|t| {
                        let selected = t.as_str() == chosen;
                        view! { <option value=t.as_str() selected=selected>{locale.tier(*t)}</option> }
                    }).collect_view()
                }}
            </select>
            <button type="submit" class="primary" disabled=move || busy.get()>
                {tr(|s| s.confirm_dispatch)}<kbd>"d"</kbd>
            </button>
        </form>

        <Show when=move || suggestions.with(|s| s.as_ref().is_some_and(|s| !s.items.is_empty() || !s.units.is_empty()))>
            <h3>{tr(|s| s.suggestions_heading)}</h3>
            <ul class="suggestions">
                {move || {
                    let locale = i18n.locale();
                    let r = reference.get();
                    suggestions.get().map(|s| {
                        s.items.into_iter().map(|it| {
                            let id = it.catalog_item_id.clone();
                            let label = format!("{} · {} · {:.0}%", r.item_name(locale, &it.catalog_item_id), r.unit_name(locale, &it.unit_id), it.confidence * 100.0);
                            view! {
                                <li>
                                    <span>{label}</span>" "
                                    <button type="button" class="link-button" on:click=move |_| choose_item(id.clone())>
                                        {tr(|s| s.use_suggestion)}
                                    </button>
                                </li>
                            }
                        }).collect_view()
                    })
                }}
            </ul>
        </Show>

        <h3>{tr(|s| s.duplicates_heading)}</h3>
        {
            let duplicates = duplicates.clone();
            let merge = merge.clone();
            move || {
                let list = duplicates();
                if list.is_empty() {
                    return view! { <p class="screen-hint">{tr(|s| s.no_duplicates)}</p> }.into_any();
                }
                let locale = i18n.locale();
                let merge = merge.clone();
                view! {
                    <ul class="duplicates">
                        {list.into_iter().map(|d| {
                            let into = d.case_number.clone();
                            let merge = merge.clone();
                            let label = locale.strings().merge_into.replace("{n}", d.case_number.as_str());
                            view! {
                                <li>
                                    <strong>{d.case_number.to_string()}</strong>" · "{locale.status(d.status)}" · "
                                    {city_time(d.submitted_at)}" · "{format!("{:.0}%", d.similarity * 100.0)}
                                    <p>{d.description.clone()}</p>
                                    <button type="button" on:click=move |_| merge(into.clone())>{label}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }

        <form class="action-form" on:submit={
            let mark_invalid = mark_invalid.clone();
            move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); mark_invalid() }
        }>
            <h3>{tr(|s| s.invalid_heading)}</h3>
            <label for="invalid-reason">{tr(|s| s.invalid_reason)}</label>
            <textarea id="invalid-reason" rows="2" bind:value=reason></textarea>
            <button type="submit">{tr(|s| s.mark_invalid)}<kbd>"i"</kbd></button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preselected_item_fills_unit_item_and_tier() {
        let suggestions = Suggestions {
            preselected_item_id: Some("fumes".into()),
            preselected_unit_id: Some("ecology".into()),
            ..Default::default()
        };
        let filled = prefill(&suggestions, |id| {
            (id == "fumes").then(|| ("ecology".to_owned(), TimeTier::General))
        });
        assert_eq!(filled, ("ecology".into(), "fumes".into(), "general".into()));
    }

    #[test]
    fn without_a_confident_proposal_the_form_starts_empty_or_with_the_unit() {
        assert_eq!(
            prefill(&Suggestions::default(), |_| None),
            (String::new(), String::new(), String::new())
        );
        let unit_only = Suggestions {
            preselected_unit_id: Some("urban-management".into()),
            ..Default::default()
        };
        assert_eq!(prefill(&unit_only, |_| None).0, "urban-management");
    }
}

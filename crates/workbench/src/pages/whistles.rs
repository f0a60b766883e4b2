//! Whistle and report (吹哨报到): a subdistrict summons several departments to one case; each
//! must report its part within the limit. Dispatchers and supervisors blow the whistle; a unit
//! handler sees the whistles that summon their unit and reports; everyone sees who reported and
//! who has not.

use leptos::prelude::*;
use yousu_core::api::{NoteRequest, StaffRole, WhistleList, WhistleRequest, WhistleView};

use crate::api::use_api;
use crate::clock::city_time;
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};
use crate::reference::use_reference;
use crate::session::use_session;

#[component]
pub fn WhistlesPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let store = use_session();
    let whistles = RwSignal::new(Vec::<WhistleView>::new());
    let outcome = RwSignal::new(None::<Outcome>);
    // Open whistles, or every whistle of one case once one is looked up.
    let lookup = RwSignal::new(String::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            let number = lookup.get_untracked().trim().to_owned();
            let path = if number.is_empty() {
                "/staff/whistles".to_owned()
            } else {
                format!("/staff/cases/{number}/whistles")
            };
            match api.get::<WhistleList>(&path).await {
                Ok(list) => whistles.set(list.whistles),
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
        });
    };
    reload();
    let can_blow = move || {
        matches!(
            store.role(),
            Some(StaffRole::Dispatcher | StaffRole::Supervisor)
        )
    };
    let my_unit = move || {
        store
            .session
            .with(|s| s.as_ref().and_then(|s| s.account.unit_id.clone()))
    };
    view! {
        <h1>{tr(|s| s.whistles_title)}</h1>
        <p class="screen-hint">{tr(|s| s.whistles_hint)}</p>
        <StatusLine outcome />
        <Show when=can_blow>
            <BlowForm outcome reload=Callback::new(move |_| reload()) />
        </Show>
        <section aria-labelledby="whistle-list-title">
            <h2 id="whistle-list-title">{tr(|s| s.whistle_list)}</h2>
            <form class="toolbar" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                reload();
            }>
                <label for="whistle-lookup">{tr(|s| s.whistles_of_case)}</label>
                <input id="whistle-lookup" inputmode="numeric" autocomplete="off" bind:value=lookup />
                <button type="submit">{tr(|s| s.show)}</button>
            </form>
            <Show when=move || whistles.with(Vec::is_empty)>
                <p class="screen-hint">{tr(|s| s.no_whistles)}</p>
            </Show>
            {move || whistles.get().into_iter().map(|w| view! {
                <WhistleCard whistle=w my_unit=my_unit() outcome reload=Callback::new(move |_| reload()) />
            }).collect_view()}
        </section>
    }
}

#[component]
fn BlowForm(outcome: RwSignal<Option<Outcome>>, reload: Callback<()>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let case_number = RwSignal::new(String::new());
    let subdistrict = RwSignal::new(String::new());
    let units = RwSignal::new(Vec::<String>::new());
    let note = RwSignal::new(String::new());
    let hours = RwSignal::new("24".to_owned());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let number = case_number.get_untracked().trim().to_owned();
        let request = WhistleRequest {
            subdistrict_id: subdistrict.get_untracked(),
            unit_ids: units.get_untracked(),
            note: note.get_untracked().trim().to_owned(),
            limit_hours: hours.get_untracked().trim().parse().ok(),
        };
        let s = i18n.locale().strings();
        if yousu_core::CaseNumber::parse(&number).is_none() {
            outcome.set(Some(Outcome::Failed(s.choose_case_first.to_owned())));
            return;
        }
        if request.unit_ids.is_empty() || request.subdistrict_id.is_empty() {
            outcome.set(Some(Outcome::Failed(s.whistle_needs_units.to_owned())));
            return;
        }
        leptos::task::spawn_local(async move {
            match api
                .post::<WhistleView>(&format!("/staff/cases/{number}/whistle"), &request)
                .await
            {
                Ok(_) => {
                    outcome.set(Some(Outcome::Done(
                        i18n.locale()
                            .strings()
                            .whistle_blown
                            .replace("{n}", &number),
                    )));
                    units.set(Vec::new());
                    note.set(String::new());
                    reload.run(());
                }
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
        });
    };
    view! {
        <form class="action-form whistle-form" on:submit=submit>
            <h2>{tr(|s| s.blow_whistle)}</h2>
            <label for="whistle-case">{tr(|s| s.case_number)}</label>
            <input id="whistle-case" inputmode="numeric" autocomplete="off" bind:value=case_number />
            <label for="whistle-subdistrict">{tr(|s| s.subdistrict)}</label>
            <select id="whistle-subdistrict" on:change=move |ev| subdistrict.set(event_target_value(&ev))>
                <option value="">{tr(|s| s.choose)}</option>
                {move || {
                    let locale = i18n.locale();
                    reference.get().grid.districts.into_iter().flat_map(|d| d.subdistricts).map(|s| view! {
                        <option value=s.subdistrict_id.clone()>{locale.pick(&s.name_zh, &s.name_en).to_owned()}</option>
                    }).collect_view()
                }}
            </select>
            <fieldset>
                <legend>{tr(|s| s.summon_units)}</legend>
                <div class="unit-checks">
                    {move || {
                        let locale = i18n.locale();
                        reference.get().units.into_iter().map(|u| {
                            let id = u.unit_id.clone();
                            let id_checked = id.clone();
                            view! {
                                <label class="check">
                                    <input type="checkbox"
                                        prop:checked=move || units.with(|list| list.contains(&id_checked))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let id = id.clone();
                                            units.update(|list| { list.retain(|x| *x != id); if on { list.push(id); } });
                                        } />
                                    {locale.pick(&u.name_zh, &u.name_en).to_owned()}
                                </label>
                            }
                        }).collect_view()
                    }}
                </div>
            </fieldset>
            <label for="whistle-note">{tr(|s| s.whistle_note)}</label>
            <textarea id="whistle-note" rows="2" bind:value=note></textarea>
            <label for="whistle-hours">{tr(|s| s.report_within_hours)}</label>
            <input id="whistle-hours" type="number" min="1" max="168" bind:value=hours />
            <button type="submit" class="primary">{tr(|s| s.blow_whistle)}</button>
        </form>
    }
}

#[component]
fn WhistleCard(
    whistle: WhistleView,
    my_unit: Option<String>,
    outcome: RwSignal<Option<Outcome>>,
    reload: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let reference = use_reference();
    let report = RwSignal::new(String::new());
    let id = whistle.whistle_id;
    let must_report = my_unit.as_ref().is_some_and(|u| {
        whistle
            .reports
            .iter()
            .any(|r| &r.unit_id == u && r.reported_at.is_none())
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let note = report.get_untracked().trim().to_owned();
        if note.is_empty() {
            outcome.set(Some(Outcome::Failed(
                i18n.locale().strings().reason_required.to_owned(),
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            match api
                .post::<WhistleView>(
                    &format!("/staff/whistles/{id}/report"),
                    &NoteRequest { note },
                )
                .await
            {
                Ok(_) => {
                    outcome.set(Some(Outcome::Done(
                        i18n.locale().strings().reported.to_owned(),
                    )));
                    reload.run(());
                }
                Err(failure) => {
                    outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &failure))))
                }
            }
        });
    };
    let title_id = format!("whistle-{id}");
    let heading = {
        let whistle = whistle.clone();
        move || {
            let locale = i18n.locale();
            format!(
                "{} {} · {}",
                locale.strings().case_number,
                whistle.case_number,
                reference.get().place_name(locale, &whistle.subdistrict_id)
            )
        }
    };
    let reports = whistle.reports.clone();
    view! {
        <article class="whistle" aria-labelledby=title_id.clone()>
            <h3 id=title_id.clone()>{heading}</h3>
            <p>{whistle.note.clone()}</p>
            <p class="screen-hint">{move || i18n.locale().strings().report_by.replace("{at}", &city_time(whistle.report_by))}</p>
            <table>
                <caption>{tr(|s| s.reports_caption)}</caption>
                <thead><tr>
                    <th scope="col">{tr(|s| s.unit)}</th>
                    <th scope="col">{tr(|s| s.report_state)}</th>
                    <th scope="col">{tr(|s| s.report_note)}</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let locale = i18n.locale();
                        let r = reference.get();
                        reports.clone().into_iter().map(|rep| view! {
                            <tr>
                                <td>{r.unit_name(locale, &rep.unit_id)}</td>
                                <td>{match rep.reported_at {
                                    Some(at) => format!("{} {}", locale.strings().reported_at, city_time(at)),
                                    None => locale.strings().not_reported.to_owned(),
                                }}</td>
                                <td>{rep.note.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
            {must_report.then(|| view! {
                <form class="action-form" on:submit=submit>
                    <label for=format!("report-{id}")>{tr(|s| s.report_part)}</label>
                    <textarea id=format!("report-{id}") rows="2" bind:value=report></textarea>
                    <button type="submit" class="primary">{tr(|s| s.report)}</button>
                </form>
            })}
        </article>
    }
}

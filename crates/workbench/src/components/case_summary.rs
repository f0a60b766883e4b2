//! A case as staff read it before acting: number, status, what and where, the deadline's
//! countdown and the timeline.

use leptos::prelude::*;
use yousu_core::Countdown;
use yousu_core::api::{ContactView, StaffCaseView};

use crate::clock::{city_time, use_clock};
use crate::i18n::{tr, use_i18n};
use crate::reference::use_reference;

#[component]
pub fn CaseSummary(case: Signal<StaffCaseView>) -> impl IntoView {
    let i18n = use_i18n();
    let reference = use_reference();
    let clock = use_clock();
    let countdown = move || {
        let case = case.get();
        case.case
            .deadline_at
            .map(|d| i18n.locale().countdown(Countdown::at(d, clock.now())))
    };
    view! {
        <dl class="case-facts">
            <div><dt>{tr(|s| s.status)}</dt><dd>{move || i18n.locale().status(case.get().case.status)}</dd></div>
            <div><dt>{tr(|s| s.channel)}</dt><dd>{move || {
                // A volunteer's appeal names who helped, as carefully as the contact is shown.
                let c = case.get();
                let channel = i18n.locale().channel(c.case.channel);
                match c.volunteer_name {
                    Some(name) => format!("{channel} · {name}"),
                    None => channel.to_string(),
                }
            }}</dd></div>
            <div><dt>{tr(|s| s.category)}</dt><dd>{move || reference.get().category_name(i18n.locale(), &case.get().case.category_id)}</dd></div>
            <div><dt>{tr(|s| s.community)}</dt><dd>{move || reference.get().place_name(i18n.locale(), &case.get().case.community_id)}</dd></div>
            <div><dt>{tr(|s| s.submitted_at)}</dt><dd>{move || city_time(case.get().case.submitted_at)}</dd></div>
            <div><dt>{tr(|s| s.tier)}</dt><dd>{move || i18n.locale().tier(case.get().case.tier)}</dd></div>
            <Show when=move || case.get().unit_id.is_some()>
                <div><dt>{tr(|s| s.unit)}</dt><dd>{move || case.get().unit_id.map(|u| reference.get().unit_name(i18n.locale(), &u))}</dd></div>
            </Show>
            <Show when=move || countdown().is_some()>
                <div><dt>{tr(|s| s.deadline)}</dt><dd class="countdown">{move || {
                    let c = case.get();
                    format!("{} · {}", c.case.deadline_at.map(city_time).unwrap_or_default(), countdown().unwrap_or_default())
                }}</dd></div>
            </Show>
            <Show when=move || case.get().case.address.is_some()>
                <div><dt>{tr(|s| s.address)}</dt><dd>{move || case.get().case.address}</dd></div>
            </Show>
        </dl>
        <h3>{tr(|s| s.description)}</h3>
        <p class="case-description">{move || case.get().case.description}</p>
        <details class="case-timeline">
            <summary>{tr(|s| s.timeline)}</summary>
            <ol>
                {move || {
                    let locale = i18n.locale();
                    case.get().case.timeline.into_iter().map(|entry| view! {
                        <li>
                            <span class="timeline-at">{city_time(entry.at)}</span>" "
                            <span>{locale.status(entry.status)}</span>
                            {entry.note.map(|n| view! { <span class="timeline-note">" · "{n}</span> })}
                        </li>
                    }).collect_view()
                }}
            </ol>
        </details>
    }
}

/// The resident's contact as this role may see it, in words.
pub fn contact_text(locale: crate::i18n::Locale, contact: &ContactView) -> String {
    let s = locale.strings();
    match contact {
        ContactView::Anonymous => s.contact_anonymous.to_owned(),
        ContactView::Hidden => s.contact_hidden.to_owned(),
        ContactView::Masked { name, phone } | ContactView::Full { name, phone } => match name {
            Some(name) => format!("{name} · {phone}"),
            None => phone.clone(),
        },
    }
}

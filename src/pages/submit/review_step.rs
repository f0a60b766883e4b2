//! Step 5, review: everything typed, each part with a way back to change it; the platform's
//! proposal when the resident left the category to it; likely duplicates, any of which can be
//! followed instead of sending.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::CaseNumber;

use crate::api;
use crate::clock::city_time;
use crate::i18n::{tr, use_i18n};
use crate::pages::case_detail::{category_name, unit_name};
use crate::pages::submit::step::{Step, errors_of};
use crate::pages::submit::use_submit_state;
use crate::router::{A, use_router};
use crate::routes;
use crate::store::draft;
use crate::store::my_cases::{self, SavedCase};

#[component]
pub fn ReviewStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_submit_state();
    let form = state.form;
    let router = use_router();
    let follow_failed = RwSignal::new(false);
    // Unit names for the proposal, remembered for offline use.
    let units_ready = RwSignal::new(false);
    spawn_local(async move {
        let _ = crate::store::fresh_or_cached("yousu.units.v1", api::units()).await;
        units_ready.set(true);
    });

    let community = move || {
        let locale = i18n.locale();
        form.with(|f| {
            state.grid.with_value(|g| {
                g.community(&f.case.community_id)
                    .map(|c| locale.pick(&c.name_zh, &c.name_en).to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let contact = move || {
        form.with(|f| {
            if f.case.anonymous {
                tr(|s| s.anonymous).get().to_owned()
            } else {
                let name = f.case.contact_name.trim();
                let phone = f.case.contact_phone.trim();
                let hidden = if f.case.hide_identity_from_unit {
                    format!(" · {}", tr(|s| s.identity_hidden).get())
                } else {
                    String::new()
                };
                format!("{name} {phone}{hidden}").trim().to_owned()
            }
        })
    };
    // Change: back to that step (a new history entry, so back returns to the review).
    let change = move |step: Step, term: Signal<&'static str>| {
        view! {
            <A href=routes::submit_step(step.slug()) attr:class="review-change">
                {tr(|s| s.change)}
                <span class="visually-hidden">" "{term}</span>
            </A>
        }
    };
    let item = move |term: Signal<&'static str>, value: Signal<String>, step: Step| {
        view! {
            <div>
                <dt>{term}</dt>
                <dd>{value}</dd>
                <dd class="review-change-cell">{change(step, term)}</dd>
            </div>
        }
    };

    let proposal = move || {
        if !form.with(|f| f.case.let_platform_decide) {
            return None;
        }
        let found = state.suggestions.get()?;
        let best = found
            .items
            .iter()
            .find(|i| Some(&i.catalog_item_id) == found.preselected_item_id.as_ref())
            .or(found.items.first())?
            .clone();
        let locale = i18n.locale();
        let item_name = state.catalog.with_value(|c| {
            c.category(&best.category_id)
                .and_then(|cat| {
                    cat.items
                        .iter()
                        .find(|i| i.catalog_item_id == best.catalog_item_id)
                })
                .map(|i| locale.pick(&i.name_zh, &i.name_en).to_owned())
                .unwrap_or_default()
        });
        let category = category_name(&best.category_id, locale);
        let unit_id = best.unit_id.clone();
        let category_id = best.category_id.clone();
        Some(view! {
            <section class="proposal" aria-labelledby="proposal-title">
                <h3 id="proposal-title">{tr(|s| s.proposal_title)}</h3>
                <p class="proposal-item">{category}" · "{item_name}</p>
                <p class="field-hint">
                    {tr(|s| s.proposal_unit)}"："
                    {move || {
                        units_ready.track();
                        unit_name(&unit_id, i18n.locale())
                    }}
                </p>
                <button type="button" class="button"
                    on:click=move |_| form.update(|f| {
                        f.case.category_id = category_id.clone();
                        f.case.let_platform_decide = false;
                    })>
                    {tr(|s| s.use_proposal)}
                </button>
            </section>
        })
    };

    let follow = move |case_number: CaseNumber| {
        follow_failed.set(false);
        spawn_local(async move {
            match api::public_case(&case_number).await {
                Ok(view) => {
                    my_cases::upsert(SavedCase::from_public(&view));
                    // The resident chose to follow that case rather than send theirs.
                    form.with_untracked(|f| crate::send::forget_photos(&f.photos));
                    draft::clear();
                    router.push(&routes::case_detail(&case_number), None);
                }
                Err(_) => follow_failed.set(true),
            }
        });
    };
    let duplicates = move || {
        let found = state.suggestions.get()?;
        (!found.duplicates.is_empty()).then(|| {
            view! {
                <section class="duplicates" aria-labelledby="duplicates-title">
                    <h3 id="duplicates-title">{tr(|s| s.duplicates_title)}</h3>
                    <p class="field-hint">{tr(|s| s.duplicates_hint)}</p>
                    <ul class="case-list">
                        {found.duplicates.into_iter().map(|d| {
                                            let number = d.case_number.clone();
                            view! {
                                <li class="case-list-item duplicate">
                                    <span class="case-list-number">{d.case_number.to_string()}</span>
                                    <span class="case-list-status">{move || i18n.locale().status(d.status)}</span>
                                    <span>{d.description.clone()}</span>
                                    <time class="case-list-deadline" datetime=d.submitted_at.to_rfc3339()>
                                        {move || city_time(d.submitted_at, i18n.locale())}
                                    </time>
                                    <button type="button" class="button"
                                        on:click=move |_| follow(number.clone())>
                                        {tr(|s| s.follow_instead)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <div role="alert">
                        {move || follow_failed.get().then(|| view! {
                            <p class="notice notice-error">{tr(|s| s.follow_failed)}</p>
                        })}
                    </div>
                </section>
            }
        })
    };

    let stray_errors = Signal::derive(move || state.errors.with(|e| errors_of(Step::Review, e)));

    view! {
        <h2 id="step-title" tabindex="-1">{tr(|s| s.review_title)}</h2>
        <dl class="review">
            {item(
                tr(|s| s.field_category),
                Signal::derive(move || form.with(|f| if f.case.let_platform_decide {
                    tr(|s| s.platform_decides).get().to_owned()
                } else {
                    category_name(&f.case.category_id, i18n.locale())
                })),
                Step::What,
            )}
            {item(
                tr(|s| s.description),
                Signal::derive(move || form.with(|f| f.case.description.trim().to_owned())),
                Step::Details,
            )}
            {item(
                tr(|s| s.photos),
                Signal::derive(move || i18n.locale().photo_count(form.with(|f| f.photos.len()))),
                Step::Details,
            )}
            {item(
                tr(|s| s.field_community),
                Signal::derive(move || {
                    let address = form.with(|f| f.case.address.trim().to_owned());
                    format!("{} {address}", community()).trim().to_owned()
                }),
                Step::Where,
            )}
            {item(
                tr(|s| s.position),
                Signal::derive(move || if form.with(|f| f.case.position.is_some()) {
                    tr(|s| s.position_attached).get().to_owned()
                } else {
                    "—".to_owned()
                }),
                Step::Where,
            )}
            {item(tr(|s| s.contact), Signal::derive(contact), Step::Who)}
        </dl>
        {proposal}
        {duplicates}
        <div role="alert">
            {move || stray_errors.get().into_iter().map(|e| {
                let text = i18n.locale().pick(&e.message_zh, &e.message_en).to_owned();
                view! { <p class="field-error">{text}</p> }
            }).collect_view()}
        </div>
    }
}

//! Administration · time tiers and the holiday calendar: each tier's days and whether they are
//! natural or working days, the response limit, and the calendar of holidays and worked weekend
//! days. Saving makes a new version for cases accepted from then on.

use leptos::prelude::*;
use yousu_core::TimeTier;
use yousu_core::admin::{ClockRulesForm, ClockRulesView, check_clock_rules};
use yousu_core::deadline::{DayCount, DeadlinePolicy, TierRule};

use crate::api::use_api;
use crate::components::admin_form::{Errors, TextAreaField, TextField, field_errors};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};

/// The form's text fields for one tier: days and how they count.
#[derive(Clone, Copy)]
struct TierFields {
    tier: TimeTier,
    days: RwSignal<String>,
    count: RwSignal<String>,
}

fn count_name(count: DayCount) -> &'static str {
    match count {
        DayCount::Natural => "natural",
        DayCount::Working => "working",
    }
}

/// Reads a number typed in a form; anything else reads as 0, which the shared check refuses.
pub fn typed_number(text: &str) -> u32 {
    text.trim().parse().unwrap_or(0)
}

#[component]
pub fn AdminRulesPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let outcome = RwSignal::new(None::<Outcome>);
    let errors: Errors = RwSignal::new(Vec::new());
    let current = RwSignal::new(None::<ClockRulesView>);
    let tiers: Vec<TierFields> = TimeTier::ALL
        .iter()
        .map(|tier| TierFields {
            tier: *tier,
            days: RwSignal::new(String::new()),
            count: RwSignal::new(String::new()),
        })
        .collect();
    let response = RwSignal::new(String::new());
    let calendar = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let tiers_for_show = tiers.clone();
    let show = move |view: ClockRulesView| {
        for fields in &tiers_for_show {
            let rule = view.policy.rule(fields.tier);
            fields.days.set(rule.days.to_string());
            fields.count.set(count_name(rule.count).to_owned());
        }
        response.set(view.policy.response_limit_hours.to_string());
        calendar.set(view.calendar.clone());
        current.set(Some(view));
    };
    let show_again = show.clone();
    leptos::task::spawn_local(async move {
        match api.get::<ClockRulesView>("/admin/clock-rules").await {
            Ok(view) => show(view),
            Err(f) => outcome.set(Some(Outcome::Failed(failure_text(i18n.locale(), &f)))),
        }
    });
    let tiers_for_submit = tiers.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let rule = |tier: TimeTier| {
            let fields = tiers_for_submit
                .iter()
                .find(|f| f.tier == tier)
                .expect("every tier has fields");
            TierRule {
                days: typed_number(&fields.days.get_untracked()),
                count: if fields.count.get_untracked() == "working" {
                    DayCount::Working
                } else {
                    DayCount::Natural
                },
            }
        };
        let form = ClockRulesForm {
            policy: Some(DeadlinePolicy {
                urgent: rule(TimeTier::Urgent),
                general: rule(TimeTier::General),
                complex: rule(TimeTier::Complex),
                difficult: rule(TimeTier::Difficult),
                response_limit_hours: typed_number(&response.get_untracked()),
            }),
            calendar: calendar.get_untracked(),
        };
        if let Err(found) = check_clock_rules(&form) {
            errors.set(found);
            outcome.set(Some(Outcome::Failed(
                i18n.locale().strings().fix_fields.to_owned(),
            )));
            return;
        }
        errors.set(Vec::new());
        busy.set(true);
        let show = show_again.clone();
        leptos::task::spawn_local(async move {
            let answer = api.put::<ClockRulesView>("/admin/clock-rules", &form).await;
            busy.set(false);
            match answer {
                Ok(view) => {
                    show(view);
                    outcome.set(Some(Outcome::Done(
                        i18n.locale().strings().rules_saved.to_owned(),
                    )));
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
    let counts = Signal::derive(move || {
        let s = i18n.locale().strings();
        vec![
            ("natural".to_owned(), s.count_natural.to_owned()),
            ("working".to_owned(), s.count_working.to_owned()),
        ]
    });
    let in_force = move || {
        current.with(|c| {
            c.as_ref().map(|view| {
                let s = i18n.locale().strings();
                let by = view
                    .changed_by
                    .clone()
                    .unwrap_or_else(|| s.nobody.to_owned());
                let since = crate::clock::city_time(view.effective_from);
                s.rules_in_force.replace("{t}", &since).replace("{by}", &by)
            })
        })
    };
    view! {
        <h1>{tr(|s| s.admin_rules_title)}</h1>
        <p class="notice" id="rules-effect">{tr(|s| s.admin_rules_hint)}</p>
        <p class="screen-hint">{in_force}</p>
        <StatusLine outcome />
        <form class="admin-form admin-rules" on:submit=submit novalidate aria-describedby="rules-effect">
            <fieldset>
                <legend>{tr(|s| s.tiers)}</legend>
                <table class="admin-table rules-table">
                    <thead><tr>
                        <th scope="col">{tr(|s| s.field_tier)}</th>
                        <th scope="col">{tr(|s| s.tier_days)}</th>
                        <th scope="col">{tr(|s| s.tier_count)}</th>
                    </tr></thead>
                    <tbody>
                        {tiers.into_iter().map(|fields| view! { <TierRow fields errors counts /> }).collect_view()}
                    </tbody>
                </table>
                <TextField id="rules-response" field="policy.response_limit_hours" label=|s| s.response_limit value=response errors kind="number" />
            </fieldset>
            <TextAreaField id="rules-calendar" field="calendar" label=|s| s.calendar value=calendar errors rows=12 hint=|s| s.calendar_hint />
            <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.save)}</button>
        </form>
    }
}

/// One tier's row: its name heads the row, and labels its two fields for screen readers.
#[component]
fn TierRow(
    fields: TierFields,
    errors: Errors,
    counts: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let tier = fields.tier;
    let name = move || i18n.locale().tier(tier);
    let field: &'static str = match tier {
        TimeTier::Urgent => "policy.urgent.days",
        TimeTier::General => "policy.general.days",
        TimeTier::Complex => "policy.complex.days",
        TimeTier::Difficult => "policy.difficult.days",
    };
    let days_id: &'static str = match tier {
        TimeTier::Urgent => "rules-urgent-days",
        TimeTier::General => "rules-general-days",
        TimeTier::Complex => "rules-complex-days",
        TimeTier::Difficult => "rules-difficult-days",
    };
    let count_id: &'static str = match tier {
        TimeTier::Urgent => "rules-urgent-count",
        TimeTier::General => "rules-general-count",
        TimeTier::Complex => "rules-complex-count",
        TimeTier::Difficult => "rules-difficult-count",
    };
    let message = move || {
        errors.with(|e| crate::components::admin_form::message_for(e, field, i18n.locale()))
    };
    let error_id = format!("{days_id}-error");
    let count = fields.count;
    view! {
        <tr>
            <th scope="row">{name}</th>
            <td>
                <label class="visually-hidden" for=days_id>{move || format!("{} · {}", name(), i18n.locale().strings().tier_days)}</label>
                <input id=days_id type="number" min="1" max="365" bind:value=fields.days
                    aria-invalid=move || message().map(|_| "true") aria-describedby=error_id.clone() />
                <p class="field-error" id=error_id>{message}</p>
            </td>
            <td>
                <label class="visually-hidden" for=count_id>{move || format!("{} · {}", name(), i18n.locale().strings().tier_count)}</label>
                <select id=count_id on:change=move |ev| count.set(event_target_value(&ev))>
                    {move || counts.get().into_iter().map(|(v, text)| {
                        let current = v.clone();
                        view! { <option value=v prop:selected=move || count.with(|c| *c == current)>{text}</option> }
                    }).collect_view()}
                </select>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_that_are_not_numbers_read_as_zero() {
        assert_eq!(typed_number(" 7 "), 7);
        assert_eq!(typed_number("seven"), 0);
        assert_eq!(typed_number("-1"), 0);
    }
}

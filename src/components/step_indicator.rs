//! Where the resident is among the steps of submitting: "step 2 of 5" and the five names, the
//! current one marked for screen readers too.

use leptos::prelude::*;

use crate::i18n::{Strings, tr, use_i18n};
use crate::pages::submit::step::Step;

fn name(step: Step) -> fn(&'static Strings) -> &'static str {
    match step {
        Step::What => |s| s.step_what,
        Step::Details => |s| s.step_details,
        Step::Where => |s| s.step_where,
        Step::Who => |s| s.step_who,
        Step::Review => |s| s.step_review,
    }
}

#[component]
pub fn StepIndicator(current: Signal<Step>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="steps" aria-label=tr(|s| s.steps_label)>
            <p class="steps-count">
                {move || i18n.locale().step_count(current.get().number(), Step::ALL.len())}
            </p>
            <ol class="steps-list">
                {Step::ALL.into_iter().map(|step| view! {
                    <li
                        class="steps-item"
                        class:steps-item-done=move || step.number() < current.get().number()
                        class:steps-item-current=move || step == current.get()
                        aria-current=move || (step == current.get()).then_some("step")
                    >
                        <span class="steps-number" aria-hidden="true">{step.number()}</span>
                        <span class="steps-name">{tr(name(step))}</span>
                    </li>
                }).collect_view()}
            </ol>
        </nav>
    }
}

//! Submitting an appeal in five short steps (what, details, where, who, review), each at its own
//! address so the browser's and the webview's back button moves between steps. Checked with the
//! same rules the server applies; saved as it is typed; sent with a key that makes a retry
//! harmless.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::FieldError;
use yousu_core::api::Suggestions;
use yousu_core::catalog::{Catalog, Grid};

use crate::api::{self, ApiFailure};
use crate::clock::use_server_clock;
use crate::components::step_indicator::StepIndicator;
use crate::i18n::tr;
use crate::router::use_router;
use crate::routes::{self, Route};
use crate::store::draft::{self, SavedDraft};
use crate::store::my_cases::{self, SavedCase};
use crate::store::outbox::use_outbox;

pub mod details_step;
pub mod review_step;
pub mod step;
pub mod what_step;
pub mod where_step;
pub mod who_step;

use details_step::DetailsStep;
use review_step::ReviewStep;
use step::{Step, errors_of, first_step_with_error};
use what_step::WhatStep;
use where_step::WhereStep;
use who_step::WhoStep;

/// Marks a history entry that "next" pushed, so "back" on the page can pop it.
const PUSHED_BY_NEXT: &str = "yousu-next";

/// The catalogue and the grid, fresh when online, remembered when not.
async fn load_reference() -> api::ApiResult<(Catalog, Grid)> {
    let catalog = crate::store::fresh_or_cached("yousu.catalog.v1", api::catalog()).await?;
    let grid = crate::store::fresh_or_cached("yousu.grid.v1", api::grid()).await?;
    Ok((catalog, grid))
}

/// What every step reads and writes.
#[derive(Clone, Copy)]
pub struct SubmitState {
    pub form: RwSignal<SavedDraft>,
    /// The last check's errors, all steps'.
    pub errors: RwSignal<Vec<FieldError>>,
    pub catalog: StoredValue<Catalog>,
    pub grid: StoredValue<Grid>,
    /// The platform's proposal and likely duplicates, when it has answered.
    pub suggestions: RwSignal<Option<Suggestions>>,
}

impl SubmitState {
    /// The errors of one step's fields, for its inputs.
    pub fn errors_of(&self, step: Step) -> Signal<Vec<FieldError>> {
        let errors = self.errors;
        Signal::derive(move || errors.with(|e| errors_of(step, e)))
    }

    /// Checks the whole draft with the rules the server applies.
    pub fn check(&self) -> Vec<FieldError> {
        let catalog = self.catalog;
        let grid = self.grid;
        self.form.with_untracked(|f| {
            draft::outgoing(&f.case, &[], f.proxy.as_ref())
                .validate(
                    |id| catalog.with_value(|c| c.category(id).is_some()),
                    |id| grid.with_value(|g| g.community(id).is_some()),
                )
                .err()
                .unwrap_or_default()
        })
    }

    /// A text field of the draft, as a signal for an input.
    pub fn text(&self, get: fn(&SavedDraft) -> &String) -> Signal<String> {
        let form = self.form;
        Signal::derive(move || form.with(|f| get(f).clone()))
    }
}

pub fn use_submit_state() -> SubmitState {
    expect_context::<SubmitState>()
}

/// Moves focus to the first field in error, for keyboard and screen-reader users.
pub fn focus_first_error(errors: &[FieldError]) {
    if let Some(el) = errors
        .first()
        .and_then(|first| document().get_element_by_id(&first.field))
    {
        let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
    }
}

#[component]
pub fn SubmitPage() -> impl IntoView {
    let reference = LocalResource::new(load_reference);
    view! {
        <h1>{tr(|s| s.submit_title)}</h1>
        <Suspense fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok((catalog, grid)) => view! { <SubmitForm catalog grid /> }.into_any(),
                    Err(_) => view! {
                        <p class="notice notice-error" role="alert">{tr(|s| s.load_failed)}</p>
                        <button type="button" class="button" on:click=move |_| reference.refetch()>
                            {tr(|s| s.retry)}
                        </button>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the banner above the buttons says.
#[derive(Clone, Copy, PartialEq)]
enum Banner {
    None,
    Restored,
    FixErrors,
    SendFailed,
}

#[component]
fn SubmitForm(catalog: Catalog, grid: Grid) -> impl IntoView {
    let router = use_router();
    let outbox = use_outbox();
    let clock = use_server_clock();

    let restored = draft::load().filter(|d| !d.is_blank());
    let banner = RwSignal::new(if restored.is_some() {
        Banner::Restored
    } else {
        Banner::None
    });
    let state = SubmitState {
        form: RwSignal::new(restored.unwrap_or_else(SavedDraft::with_new_key)),
        errors: RwSignal::new(Vec::new()),
        catalog: StoredValue::new(catalog),
        grid: StoredValue::new(grid),
        suggestions: RwSignal::new(None),
    };
    provide_context(state);
    let form = state.form;
    let errors = state.errors;
    let sending = RwSignal::new(false);

    // Every keystroke is kept on the phone.
    Effect::new(move |_| form.with(draft::save));

    // Leaving the screen keeps the last step, so no step's effects run on the way out.
    let step = Memo::new(move |last: Option<&Step>| match router.route() {
        Route::Submit { step } => Step::from_slug(step.as_deref()),
        _ => last.copied().unwrap_or(Step::from_slug(None)),
    });

    // A new step: its heading takes the focus, so a screen reader says where the resident is.
    Effect::new(move |previous: Option<Step>| {
        let now = step.get();
        if previous.is_some_and(|p| p != now)
            && let Some(heading) = document().get_element_by_id("step-title")
        {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(heading).focus();
        }
        now
    });

    // On the review, ask the platform what it thinks (never waiting for it).
    Effect::new(move |_| {
        if step.get() != Step::Review {
            return;
        }
        let request = form.with_untracked(|f| yousu_core::api::SuggestionRequest {
            description: f.case.description.clone(),
            community_id: f.case.community_id.clone(),
            category_id: f.case.category_id.clone(),
        });
        spawn_local(async move {
            if let Ok(found) = api::suggestions(&request).await {
                state.suggestions.set(Some(found));
            }
        });
    });

    let go = move |to: Step, pushed: bool| {
        let to = routes::submit_step(to.slug());
        if pushed {
            router.push(&to, Some(PUSHED_BY_NEXT));
        } else {
            router.replace(&to);
        }
    };

    let on_next = move |_| {
        let current = step.get_untracked();
        let found = errors_of(current, &state.check());
        if !found.is_empty() {
            focus_first_error(&found);
            errors.set(found);
            banner.set(Banner::FixErrors);
            return;
        }
        errors.set(Vec::new());
        banner.set(Banner::None);
        if let Some(next) = current.next() {
            go(next, true);
        }
    };

    let on_back = move |_| {
        let Some(previous) = step.get_untracked().previous() else {
            return;
        };
        errors.set(Vec::new());
        banner.set(Banner::None);
        let history = window().history().ok();
        let pushed = history
            .as_ref()
            .and_then(|h| h.state().ok())
            .and_then(|s| s.as_string())
            .is_some_and(|s| s == PUSHED_BY_NEXT);
        // Reached by "next": going back is the browser's own back, so the history stays
        // one entry per step.
        match history {
            Some(history) if pushed => {
                let _ = history.back();
            }
            _ => go(previous, false),
        }
    };

    let on_send = move |_| {
        if sending.get_untracked() {
            return;
        }
        let found = state.check();
        if let Some(at) = first_step_with_error(&found) {
            errors.set(found);
            banner.set(Banner::FixErrors);
            if at != Step::Review {
                go(at, true);
            }
            return;
        }
        errors.set(Vec::new());
        banner.set(Banner::None);
        sending.set(true);
        spawn_local(async move {
            let mut current = form.get_untracked();
            let key = current.idempotency_key.clone();
            let case = current.case.clone();
            let proxy = current.proxy.clone();
            let result =
                crate::send::deliver(&key, &case, proxy.as_ref(), &mut current.photos, |photos| {
                    form.update(|f| f.photos = photos.to_vec())
                })
                .await;
            sending.set(false);
            match result {
                Ok((receipt, replayed)) => {
                    // A replayed answer carries the server time of the first one: not a clock.
                    if !replayed {
                        clock.observe(receipt.case.server_time);
                    }
                    if let Some(proxy) = &current.proxy {
                        draft::remember_volunteer_name(&proxy.volunteer_name);
                    }
                    my_cases::upsert(SavedCase {
                        proxy: current.proxy.clone(),
                        ..SavedCase::from_view(&receipt.case, Some(receipt.access_token))
                    });
                    crate::send::forget_photos(&current.photos);
                    draft::clear();
                    router.replace(&routes::case_detail(&receipt.case.case_number));
                }
                Err(ApiFailure::Rejected {
                    status: 422, error, ..
                }) => {
                    let at = first_step_with_error(&error.fields).unwrap_or(Step::Review);
                    errors.set(error.fields);
                    banner.set(Banner::FixErrors);
                    if at != Step::Review {
                        go(at, true);
                    }
                }
                // No network, or the platform cannot take it right now (its database
                // restarting, say): the outbox keeps it and sends it again, with the same key.
                Err(failure) if failure.is_transient() => {
                    outbox.enqueue(form.get_untracked());
                    draft::clear();
                    router.replace(routes::MY_CASES);
                }
                Err(_) => banner.set(Banner::SendFailed),
            }
        });
    };

    view! {
        <StepIndicator current=Signal::derive(move || step.get()) />
        <form class="submit-form" novalidate on:submit=|ev| ev.prevent_default()>
            {move || match step.get() {
                Step::What => view! { <WhatStep /> }.into_any(),
                Step::Details => view! { <DetailsStep /> }.into_any(),
                Step::Where => view! { <WhereStep /> }.into_any(),
                Step::Who => view! { <WhoStep /> }.into_any(),
                Step::Review => view! { <ReviewStep /> }.into_any(),
            }}

            <div class="submit-form-banner" role="status" aria-live="polite">
                {move || {
                    match banner.get() {
                        Banner::None => None,
                        Banner::Restored => Some(("notice", tr(|s| s.draft_restored))),
                        Banner::FixErrors => Some(("notice notice-error", tr(|s| s.fix_errors))),
                        Banner::SendFailed => Some(("notice notice-error", tr(|s| s.send_failed_kept))),
                    }
                    .map(|(class, text)| view! { <p class=class>{text}</p> })
                }}
            </div>

            <div class="submit-form-buttons">
                {move || (step.get() == Step::Review).then(|| view! {
                    <button type="button" class="button button-primary"
                        aria-disabled=move || sending.get().to_string()
                        on:click=on_send>
                        {move || if sending.get() { tr(|s| s.sending) } else { tr(|s| s.send) }}
                    </button>
                })}
                {move || (step.get() != Step::Review).then(|| view! {
                    <button type="submit" class="button button-primary" on:click=on_next>
                        {tr(|s| s.next)}
                    </button>
                })}
                {move || (step.get() != Step::What).then(|| view! {
                    <button type="button" class="button" on:click=on_back>
                        {tr(|s| s.previous)}
                    </button>
                })}
            </div>
        </form>
    }
}

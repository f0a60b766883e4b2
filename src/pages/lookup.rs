//! Looking up a case by its number and lookup code, from any phone (an elder's family, say).
//! A case found joins "my cases" on this phone, to follow but not to act on.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::{CaseNumber, FieldError, LookupCode};

use crate::api::{self, ApiFailure};
use crate::clock::use_server_clock;
use crate::components::text_field::TextField;
use crate::i18n::{tr, use_i18n};
use crate::router::use_router;
use crate::routes;
use crate::store::my_cases::{self, SavedCase};

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    None,
    NotFound,
    Locked,
    Failed,
}

#[component]
pub fn LookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let clock = use_server_clock();
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let outcome = RwSignal::new(Outcome::None);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = i18n.t();
        let parsed_number = CaseNumber::parse(&number.get_untracked());
        let parsed_code = LookupCode::parse(&code.get_untracked());
        let mut found = Vec::new();
        if parsed_number.is_none() {
            found.push(FieldError::new(
                "case_number",
                "invalid",
                t.case_number_invalid,
                t.case_number_invalid,
            ));
        }
        if parsed_code.is_none() {
            found.push(FieldError::new(
                "lookup_code",
                "invalid",
                t.lookup_code_invalid,
                t.lookup_code_invalid,
            ));
        }
        errors.set(found);
        let (Some(case_number), Some(lookup_code)) = (parsed_number, parsed_code) else {
            return;
        };
        busy.set(true);
        outcome.set(Outcome::None);
        spawn_local(async move {
            let result = api::case_by_code(&case_number, lookup_code.as_str()).await;
            busy.set(false);
            match result {
                Ok(case) => {
                    clock.observe(case.server_time);
                    // A token this phone already holds for the case is kept.
                    let token = my_cases::find(&case.case_number).and_then(|c| c.access_token);
                    my_cases::upsert(SavedCase::from_view(&case, token));
                    router.push(&routes::case_detail(&case.case_number), None);
                }
                Err(ApiFailure::Rejected { status: 404, .. }) => outcome.set(Outcome::NotFound),
                Err(ApiFailure::Rejected { status: 429, .. }) => outcome.set(Outcome::Locked),
                Err(_) => outcome.set(Outcome::Failed),
            }
        });
    };

    view! {
        <h1>{tr(|s| s.nav_lookup)}</h1>
        <form class="lookup-form" novalidate on:submit=on_submit>
            <TextField
                id="case_number"
                label=tr(|s| s.case_number)
                value=Signal::derive(move || number.get())
                on_input=Callback::new(move |v| number.set(v))
                numeric=true
                errors=Signal::derive(move || errors.get())
            />
            <TextField
                id="lookup_code"
                label=tr(|s| s.lookup_code)
                value=Signal::derive(move || code.get())
                on_input=Callback::new(move |v| code.set(v))
                numeric=true
                errors=Signal::derive(move || errors.get())
            />
            <div role="alert">
                {move || {
                    let t = i18n.t();
                    match outcome.get() {
                        Outcome::None => None,
                        Outcome::NotFound => Some(t.lookup_not_found),
                        Outcome::Locked => Some(t.lookup_locked),
                        Outcome::Failed => Some(t.load_failed),
                    }
                    .map(|text| view! { <p class="notice notice-error">{text}</p> })
                }}
            </div>
            <button type="submit" class="button button-primary" aria-disabled=move || busy.get().to_string()>
                {tr(|s| s.lookup_send)}
            </button>
        </form>
    }
}

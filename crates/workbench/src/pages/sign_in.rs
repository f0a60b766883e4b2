//! Sign-in: username and password of a staff account; says why it shows when a session ended.

use leptos::prelude::*;
use yousu_core::api::LoginRequest;

use crate::api::{self, ApiFailure};
use crate::components::status_line::failure_text;
use crate::i18n::{tr, use_i18n};
use crate::session::{SignInReason, use_session};

#[component]
pub fn SignInPage() -> impl IntoView {
    let store = use_session();
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let reason = move || {
        let s = i18n.locale().strings();
        store.reason.get().map(|r| match r {
            SignInReason::Expired => s.session_expired,
            SignInReason::SignedOut => s.signed_out,
            SignInReason::SignedOutEverywhere => s.signed_out_everywhere,
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::login(&request).await {
                Ok(login) => store.sign_in(login.into()),
                Err(ApiFailure::Rejected { status: 401, .. }) => {
                    error.set(Some(i18n.locale().strings().wrong_password.to_owned()));
                }
                Err(failure) => error.set(Some(failure_text(i18n.locale(), &failure))),
            }
            busy.set(false);
        });
    };
    view! {
        <main id="main" class="sign-in">
            <div class="sign-in-card">
                <p class="shell-name"><span class="shell-logo">"12345"</span>{tr(|s| s.app_name)}</p>
                <h1>{tr(|s| s.sign_in_title)}</h1>
                <Show when=move || reason().is_some()>
                    <p class="notice" role="status">{reason}</p>
                </Show>
                <form on:submit=submit>
                    <label for="username">{tr(|s| s.username)}</label>
                    <input id="username" name="username" autocomplete="username" required bind:value=username />
                    <label for="password">{tr(|s| s.password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required bind:value=password />
                    <Show when=move || error.get().is_some()>
                        <p class="notice notice-error" role="alert">{move || error.get()}</p>
                    </Show>
                    <button type="submit" class="primary" disabled=move || busy.get()>{tr(|s| s.sign_in)}</button>
                </form>
                <button type="button" class="link-button" lang=move || i18n.locale().other().html_lang()
                    on:click=move |_| i18n.toggle()>{tr(|s| s.switch_language)}</button>
            </div>
        </main>
    }
}

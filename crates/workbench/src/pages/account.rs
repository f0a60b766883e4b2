//! My account: a staff member changes their own password. The shared rule checks the fields
//! before sending; the server checks the current password and ends the account's other sessions.

use leptos::prelude::*;
use yousu_core::FieldError;
use yousu_core::admin::check_password_change;
use yousu_core::api::PasswordChange;

use crate::api::use_api;
use crate::components::admin_form::{Errors, TextField, field_errors};
use crate::components::status_line::{Outcome, StatusLine, failure_text};
use crate::i18n::{tr, use_i18n};

/// The form's own check before the shared rule: the new password typed twice alike.
pub fn check_form(
    current: &str,
    new: &str,
    again: &str,
) -> Result<PasswordChange, Vec<FieldError>> {
    let change = PasswordChange {
        current_password: current.to_owned(),
        new_password: new.to_owned(),
    };
    let mut errors = check_password_change(&change).err().unwrap_or_default();
    if new != again {
        errors.push(FieldError::new(
            "new_password_again",
            "differs",
            "两次输入的新密码不一致",
            "the two new passwords differ",
        ));
    }
    if errors.is_empty() {
        Ok(change)
    } else {
        Err(errors)
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let outcome = RwSignal::new(None::<Outcome>);
    let errors: Errors = RwSignal::new(Vec::new());
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let change = match check_form(
            &current.get_untracked(),
            &new.get_untracked(),
            &again.get_untracked(),
        ) {
            Ok(change) => change,
            Err(found) => {
                errors.set(found);
                outcome.set(Some(Outcome::Failed(
                    i18n.locale().strings().fix_fields.to_owned(),
                )));
                return;
            }
        };
        errors.set(Vec::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api.post_unit("/staff/password", &change).await;
            busy.set(false);
            match answer {
                Ok(()) => {
                    for field in [current, new, again] {
                        field.set(String::new());
                    }
                    outcome.set(Some(Outcome::Done(
                        i18n.locale().strings().password_changed.to_owned(),
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
    view! {
        <h1>{tr(|s| s.account_title)}</h1>
        <p class="screen-hint" id="account-hint">{tr(|s| s.account_hint)}</p>
        <StatusLine outcome />
        <form class="admin-form" on:submit=submit novalidate aria-describedby="account-hint">
            <TextField id="account-current" field="current_password" label=|s| s.current_password
                value=current errors kind="password" autocomplete="current-password" />
            <TextField id="account-new" field="new_password" label=|s| s.new_password
                value=new errors kind="password" autocomplete="new-password" />
            <TextField id="account-again" field="new_password_again" label=|s| s.new_password_again
                value=again errors kind="password" autocomplete="new-password" />
            <button type="submit" class="primary" disabled=move || busy.get()>
                {tr(|s| s.change_password)}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(result: Result<PasswordChange, Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn the_new_password_is_typed_twice_alike_and_follows_the_shared_rule() {
        assert!(check_form("yousu-demo", "a new long password", "a new long password").is_ok());
        assert_eq!(
            fields(check_form(
                "yousu-demo",
                "a new long password",
                "a new long passw0rd"
            )),
            ["new_password_again"]
        );
        assert_eq!(
            fields(check_form("", "short", "short")),
            ["current_password", "new_password"]
        );
    }
}

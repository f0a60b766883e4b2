//! Time left to a case's deadline, by the platform's clock; "overdue by …" once past it.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use yousu_core::Countdown;

use crate::clock::use_server_clock;
use crate::i18n::use_i18n;

#[component]
pub fn CountdownText(deadline: DateTime<Utc>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = use_server_clock();
    let countdown = move || Countdown::at(deadline, clock.now());
    view! {
        <span class="countdown" class:countdown-overdue=move || countdown().is_overdue()>
            {move || i18n.locale().countdown(countdown())}
        </span>
    }
}

//! Step 2, details: the description with a live character count, and up to nine photos.

use leptos::prelude::*;
use yousu_core::Description;

use crate::components::field_error::{FieldErrorText, aria_described_by, aria_invalid};
use crate::components::photo_picker::PhotoPicker;
use crate::i18n::{tr, use_i18n};
use crate::pages::submit::step::Step;
use crate::pages::submit::use_submit_state;

#[component]
pub fn DetailsStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_submit_state();
    let form = state.form;
    let errors = state.errors_of(Step::Details);
    let count = move || form.with(|f| f.case.description.trim().chars().count());
    view! {
        <h2 id="step-title" tabindex="-1">{tr(|s| s.details_title)}</h2>
        <div class="field">
            <label for="description">{tr(|s| s.field_description)}</label>
            <textarea
                id="description"
                rows="6"
                placeholder=tr(|s| s.description_placeholder)
                aria-invalid=aria_invalid(errors, "description")
                aria-describedby=aria_described_by(errors, "description", Some("description-count".into()))
                prop:value=state.text(|f| &f.case.description)
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.update(|f| f.case.description = value);
                }
            ></textarea>
            <p
                id="description-count"
                class=move || {
                    if count() > Description::MAX_CHARS {
                        "field-hint field-hint-over"
                    } else {
                        "field-hint"
                    }
                }
            >
                {move || i18n.locale().char_count(count(), Description::MAX_CHARS)}
            </p>
            <FieldErrorText errors field="description" />
        </div>
        <PhotoPicker errors />
    }
}

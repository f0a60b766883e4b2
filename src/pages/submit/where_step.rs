//! Step 3, where: district → subdistrict → community from the grid, an address line, and the
//! phone's current position if the resident chooses to attach it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::photo::Position;
use yousu_core::validation::MAX_ADDRESS_CHARS;

use crate::components::field_error::FieldErrorText;
use crate::components::select_field::{Choice, SelectField};
use crate::components::text_field::TextField;
use crate::i18n::{Locale, tr, use_i18n};
use crate::native;
use crate::pages::submit::step::Step;
use crate::pages::submit::use_submit_state;

#[derive(Clone, Copy, PartialEq)]
enum Locating {
    Idle,
    Busy,
    Failed,
}

/// The choices of one level of the grid, in the current language.
fn named<'a, T: 'a>(
    items: impl Iterator<Item = &'a T>,
    locale: Locale,
    fields: impl Fn(&T) -> (&String, &String, &String),
) -> Vec<Choice> {
    items
        .map(|item| {
            let (id, zh, en) = fields(item);
            (id.clone(), locale.pick(zh, en).to_owned())
        })
        .collect()
}

#[component]
pub fn WhereStep() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_submit_state();
    let form = state.form;
    let grid = state.grid;
    let errors = state.errors_of(Step::Where);
    let locating = RwSignal::new(Locating::Idle);

    let districts = move || {
        grid.with_value(|g| {
            named(g.districts.iter(), i18n.locale(), |d| {
                (&d.district_id, &d.name_zh, &d.name_en)
            })
        })
    };
    let subdistricts = move || {
        let district_id = form.with(|f| f.district_id.clone());
        grid.with_value(|g| {
            named(
                g.districts
                    .iter()
                    .filter(|d| d.district_id == district_id)
                    .flat_map(|d| &d.subdistricts),
                i18n.locale(),
                |s| (&s.subdistrict_id, &s.name_zh, &s.name_en),
            )
        })
    };
    let communities = move || {
        let subdistrict_id = form.with(|f| f.subdistrict_id.clone());
        grid.with_value(|g| {
            named(
                g.districts
                    .iter()
                    .flat_map(|d| &d.subdistricts)
                    .filter(|s| s.subdistrict_id == subdistrict_id)
                    .flat_map(|s| &s.communities),
                i18n.locale(),
                |c| (&c.community_id, &c.name_zh, &c.name_en),
            )
        })
    };
    let locate = move |_| {
        locating.set(Locating::Busy);
        spawn_local(async move {
            match native::locate().await {
                Ok((lat, long)) => {
                    locating.set(Locating::Idle);
                    form.update(|f| f.case.position = Some(Position { lat, long }));
                }
                Err(_) => locating.set(Locating::Failed),
            }
        });
    };

    view! {
        <h2 id="step-title" tabindex="-1">{tr(|s| s.where_title)}</h2>
        <SelectField
            id="district_id"
            label=tr(|s| s.field_district)
            choices=Signal::derive(districts)
            selected=state.text(|f| &f.district_id)
            on_change=Callback::new(move |v| form.update(|f| {
                f.district_id = v;
                f.subdistrict_id.clear();
                f.case.community_id.clear();
            }))
            errors
        />
        <SelectField
            id="subdistrict_id"
            label=tr(|s| s.field_subdistrict)
            choices=Signal::derive(subdistricts)
            selected=state.text(|f| &f.subdistrict_id)
            on_change=Callback::new(move |v| form.update(|f| {
                f.subdistrict_id = v;
                f.case.community_id.clear();
            }))
            disabled=Signal::derive(move || form.with(|f| f.district_id.is_empty()))
            errors
        />
        <SelectField
            id="community_id"
            label=tr(|s| s.field_community)
            choices=Signal::derive(communities)
            selected=state.text(|f| &f.case.community_id)
            on_change=Callback::new(move |v| form.update(|f| f.case.community_id = v))
            disabled=Signal::derive(move || form.with(|f| f.subdistrict_id.is_empty()))
            errors
        />
        <TextField
            id="address"
            label=tr(|s| s.field_address)
            value=state.text(|f| &f.case.address)
            on_input=Callback::new(move |v| form.update(|f| f.case.address = v))
            autocomplete="street-address"
            max_chars=MAX_ADDRESS_CHARS
            optional=true
            errors
        />
        <div class="field position" id="position" tabindex="-1">
            {move || match form.with(|f| f.case.position) {
                Some(_) => view! {
                    <p class="position-attached">{tr(|s| s.position_attached)}</p>
                    <button type="button" class="button"
                        on:click=move |_| form.update(|f| f.case.position = None)>
                        {tr(|s| s.remove_position)}
                    </button>
                }.into_any(),
                None => view! {
                    <button type="button" class="button"
                        aria-disabled=move || (locating.get() == Locating::Busy).to_string()
                        on:click=locate>
                        {move || if locating.get() == Locating::Busy {
                            tr(|s| s.locating)
                        } else {
                            tr(|s| s.use_position)
                        }}
                    </button>
                }.into_any(),
            }}
            <div role="status" aria-live="polite">
                {move || (locating.get() == Locating::Failed).then(|| view! {
                    <p class="field-hint">{tr(|s| s.position_failed)}</p>
                })}
            </div>
            <FieldErrorText errors field="position" />
        </div>
    }
}

//! A queue of cases as a table: the selected row follows j/k, Enter or a click opens it. Each
//! screen says what its last column shows (time left, the unit, the reason).

use leptos::prelude::*;
use yousu_core::api::StaffCaseView;

use crate::clock::city_time;
use crate::i18n::{tr, use_i18n};
use crate::reference::use_reference;

#[component]
pub fn CaseQueue(
    /// The table's caption (its accessible name).
    caption: Signal<String>,
    cases: Signal<Vec<StaffCaseView>>,
    selected: RwSignal<usize>,
    /// Which case is open in the pane.
    open: Signal<Option<String>>,
    on_open: Callback<usize>,
    /// The last column's heading and text for each case.
    extra_heading: Signal<String>,
    extra: Callback<StaffCaseView, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reference = use_reference();
    view! {
        <div class="case-queue">
            <table>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(|s| s.case_number)}</th>
                        <th scope="col">{tr(|s| s.category)}</th>
                        <th scope="col">{tr(|s| s.community)}</th>
                        <th scope="col">{tr(|s| s.submitted_at)}</th>
                        <th scope="col">{tr(|s| s.status)}</th>
                        <th scope="col">{extra_heading}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let locale = i18n.locale();
                        let reference = reference.get();
                        cases.get().into_iter().enumerate().map(|(index, case)| {
                            let number = case.case.case_number.to_string();
                            let is_open = {
                                let number = number.clone();
                                move || open.get().as_deref() == Some(number.as_str())
                            };
                            let extra_text = extra.run(case.clone());
                            let is_open_class = is_open.clone();
                            view! {
                                <tr
                                    class:selected=move || selected.get() == index
                                    class:open=is_open_class
                                    aria-current=move || (selected.get() == index).then_some("true")
                                    on:click=move |_| { selected.set(index); on_open.run(index) }
                                >
                                    <td>
                                        <button type="button" class="link-button queue-open"
                                            aria-pressed=move || if is_open() { "true" } else { "false" }>
                                            {number.clone()}
                                        </button>
                                    </td>
                                    <td>{reference.category_name(locale, &case.case.category_id)}</td>
                                    <td>{reference.place_name(locale, &case.case.community_id)}</td>
                                    <td>{city_time(case.case.submitted_at)}</td>
                                    <td>{locale.status(case.case.status)}</td>
                                    <td>{extra_text}</td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <Show when=move || cases.with(Vec::is_empty)>
                <p class="queue-empty">{tr(|s| s.queue_empty)}</p>
            </Show>
        </div>
    }
}

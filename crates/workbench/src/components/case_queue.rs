//! A queue of cases as a table: the selected row follows j/k, Enter or a click opens it. Each
//! screen says what its last column shows (time left, the unit, the reason).
//!
//! A long queue renders a page of rows at first and another each time the reader scrolls near
//! its end or the selection nears the last rendered row: a city's backlog of 10,000 cases
//! would otherwise build 80,000 elements before the first frame (4.7 s in `cargo xtask
//! bench`). The table tells assistive technology how many rows there are in all.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yousu_core::api::StaffCaseView;

use crate::clock::city_time;
use crate::i18n::{tr, use_i18n};
use crate::reference::use_reference;

/// Rows rendered at first, and added at a time.
pub const QUEUE_PAGE: usize = 100;

/// How many of `len` rows to render: at least `shown`, and always the page after the selected
/// row's, so j/k never runs past the rendered rows.
pub fn rows_to_render(len: usize, shown: usize, selected: usize) -> usize {
    shown.max((selected / QUEUE_PAGE + 2) * QUEUE_PAGE).min(len)
}

/// Whether a scrolled container is within a few rows of its end.
fn near_the_end(element: &web_sys::Element) -> bool {
    let bottom = element.scroll_top() + element.client_height();
    bottom + 400 >= element.scroll_height()
}

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
    let shown = RwSignal::new(QUEUE_PAGE);
    let rendered =
        Memo::new(move |_| rows_to_render(cases.with(Vec::len), shown.get(), selected.get()));
    let more_on_scroll = move |event: leptos::ev::Event| {
        let at_end = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| near_the_end(&e));
        if at_end && shown.get_untracked() < cases.with_untracked(Vec::len) {
            shown.update(|s| *s += QUEUE_PAGE);
        }
    };
    // The selected row stays in sight as j/k move it.
    Effect::new(move |_| {
        selected.track();
        if let Ok(Some(row)) = document().query_selector(".case-queue tr.selected") {
            row.scroll_into_view_with_bool(false);
        }
    });
    view! {
        <div class="case-queue" on:scroll=more_on_scroll>
            <table aria-rowcount=move || cases.with(Vec::len) + 1>
                <caption>{caption}</caption>
                <thead>
                    <tr aria-rowindex="1">
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
                        let rows = cases.with(|c| c.iter().take(rendered.get()).cloned().collect::<Vec<_>>());
                        rows.into_iter().enumerate().map(|(index, case)| {
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
                                    aria-rowindex=index + 2
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_queue_renders_a_page_and_follows_the_selection() {
        assert_eq!(rows_to_render(10_000, QUEUE_PAGE, 0), 2 * QUEUE_PAGE);
        assert_eq!(rows_to_render(10_000, QUEUE_PAGE, 250), 4 * QUEUE_PAGE);
        assert_eq!(
            rows_to_render(10_000, 700, 0),
            700,
            "scrolled further stays rendered"
        );
        assert_eq!(rows_to_render(30, QUEUE_PAGE, 29), 30);
        assert_eq!(rows_to_render(0, QUEUE_PAGE, 0), 0);
    }
}

//! Evaluation and report (评 报): each unit's month — response, resolution and satisfaction
//! rates, each beside its counts and last month's figure, the on-time rate, overdue cases and
//! refused return requests. Sortable, but never a bare ranking: every rate shows what it rests on
//! and units with too few cases are marked. Exported as CSV; printed as the monthly report.

use std::cmp::Ordering;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yousu_core::api::{Evaluation, UnitEvaluation};
use yousu_core::rates::{Rate, UnitRates};

use crate::api::use_api;
use crate::clock::{city_month, use_clock};
use crate::components::status_line::failure_text;
use crate::csv::{evaluation_csv, previous};
use crate::i18n::{Locale, rate_percent, tr, use_i18n};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Unit,
    Response,
    Resolution,
    Satisfaction,
    OnTime,
    Overdue,
    RefusedReturns,
}

fn rate_of(sort: SortBy, r: &UnitRates) -> Option<f64> {
    match sort {
        SortBy::Response => r.response.value,
        SortBy::Resolution => r.resolution.value,
        SortBy::Satisfaction => r.satisfaction.value,
        SortBy::OnTime => r.on_time.value,
        SortBy::Overdue => Some(r.overdue as f64),
        SortBy::RefusedReturns => Some(r.refused_returns as f64),
        SortBy::Unit => None,
    }
}

/// The rows in the chosen order. Units without a figure go last either way; ties keep the
/// units' own order.
pub fn sorted(
    units: &[UnitEvaluation],
    sort: SortBy,
    ascending: bool,
    locale: Locale,
) -> Vec<UnitEvaluation> {
    let mut rows = units.to_vec();
    rows.sort_by(|a, b| {
        if sort == SortBy::Unit {
            let order = locale
                .pick(&a.name_zh, &a.name_en)
                .cmp(locale.pick(&b.name_zh, &b.name_en));
            return if ascending { order } else { order.reverse() };
        }
        match (rate_of(sort, &a.rates), rate_of(sort, &b.rates)) {
            (Some(x), Some(y)) => {
                let order = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                if ascending { order } else { order.reverse() }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    });
    rows
}

/// Offers `text` as a file download (a Blob and a temporary link; no server round trip).
fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(link) = document().create_element("a") {
        let link: web_sys::HtmlAnchorElement = link.unchecked_into();
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let clock = use_clock();
    let month = RwSignal::new(city_month(clock.now()));
    let evaluation = RwSignal::new(None::<Result<Evaluation, String>>);
    let sort = RwSignal::new((SortBy::Unit, true));
    Effect::new(move |_| {
        let m = month.get();
        leptos::task::spawn_local(async move {
            let result = api
                .get::<Evaluation>(&format!("/evaluation?month={m}"))
                .await;
            evaluation.set(Some(result.map_err(|f| failure_text(i18n.locale(), &f))));
        });
    });
    let rows = move || {
        let (by, ascending) = sort.get();
        evaluation.with(|e| match e {
            Some(Ok(e)) => sorted(&e.units, by, ascending, i18n.locale()),
            _ => Vec::new(),
        })
    };
    let export = move |_| {
        let (by, ascending) = sort.get_untracked();
        evaluation.with_untracked(|e| {
            if let Some(Ok(e)) = e {
                let locale = i18n.locale();
                let csv = evaluation_csv(e, locale, &sorted(&e.units, by, ascending, locale));
                download(
                    &format!("yousu-evaluation-{}.csv", e.month),
                    "text/csv;charset=utf-8",
                    &csv,
                );
            }
        });
    };
    let header = move |by: SortBy, label: fn(&'static crate::i18n::Strings) -> &'static str| {
        let aria = move || {
            let (current, ascending) = sort.get();
            if current == by {
                if ascending { "ascending" } else { "descending" }
            } else {
                "none"
            }
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort-button" on:click=move |_| sort.update(|(current, ascending)| {
                    if *current == by { *ascending = !*ascending } else { *current = by; *ascending = by == SortBy::Unit }
                })>{tr(label)}</button>
            </th>
        }
    };
    view! {
        <h1>{tr(|s| s.evaluation_title)}</h1>
        <p class="screen-hint">{tr(|s| s.evaluation_hint)}</p>
        <div class="toolbar no-print">
            <label for="evaluation-month">{tr(|s| s.month)}</label>
            <input id="evaluation-month" type="month" prop:value=move || month.get()
                on:change=move |ev| { let v = event_target_value(&ev); if !v.is_empty() { month.set(v) } } />
            <button type="button" on:click=export>{tr(|s| s.export_csv)}</button>
            <button type="button" on:click=move |_| { let _ = window().print(); }>{tr(|s| s.print_report)}</button>
        </div>
        <p class="print-only report-title">{move || i18n.locale().strings().report_heading.replace("{month}", &month.get())}</p>
        {move || match evaluation.get() {
            None => view! { <p class="loading">{tr(|s| s.loading)}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice-error" role="alert">{e}</p> }.into_any(),
            Some(Ok(e)) => view! {
                <p class="screen-hint">{i18n.locale().strings().min_cases_note.replace("{n}", &e.min_cases.to_string())}</p>
            }.into_any(),
        }}
        <table class="evaluation-table">
            <caption>{move || i18n.locale().strings().evaluation_caption.replace("{month}", &month.get())}</caption>
            <thead>
                <tr>
                    {header(SortBy::Unit, |s| s.unit)}
                    {header(SortBy::Response, |s| s.response_rate)}
                    {header(SortBy::Resolution, |s| s.resolution_rate)}
                    {header(SortBy::Satisfaction, |s| s.satisfaction_rate)}
                    {header(SortBy::OnTime, |s| s.on_time_rate)}
                    {header(SortBy::Overdue, |s| s.overdue)}
                    {header(SortBy::RefusedReturns, |s| s.refused_returns)}
                </tr>
            </thead>
            <tbody>
                {move || {
                    let locale = i18n.locale();
                    let s = locale.strings();
                    let last = evaluation.with(|e| match e { Some(Ok(e)) => e.clone(), _ => Evaluation { month: String::new(), min_cases: 0, units: vec![], previous_month: vec![] } });
                    rows().into_iter().map(|u| {
                        let before = previous(&last, &u.unit_id).map(|p| p.rates);
                        let cell = move |rate: &Rate, before: Option<&Rate>| {
                            let last_text = before.map(rate_percent).unwrap_or_else(|| "—".to_owned());
                            view! {
                                <td>
                                    <span class="rate">{rate_percent(rate)}</span>
                                    <span class="rate-counts">{format!(" ({})", locale.counts(rate.numerator, rate.denominator))}</span>
                                    <span class="rate-last">{format!("{} {}", s.last_month, last_text)}</span>
                                </td>
                            }
                        };
                        let r = u.rates;
                        let b = before;
                        view! {
                            <tr class:too-few=r.too_few_cases>
                                <th scope="row">
                                    {locale.pick(&u.name_zh, &u.name_en).to_owned()}
                                    {r.too_few_cases.then(|| view! { <span class="badge">{s.too_few_cases}</span> })}
                                </th>
                                {cell(&r.response, b.as_ref().map(|b| &b.response))}
                                {cell(&r.resolution, b.as_ref().map(|b| &b.resolution))}
                                {cell(&r.satisfaction, b.as_ref().map(|b| &b.satisfaction))}
                                {cell(&r.on_time, b.as_ref().map(|b| &b.on_time))}
                                <td>{r.overdue}</td>
                                <td>{r.refused_returns}</td>
                            </tr>
                        }
                    }).collect_view()
                }}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yousu_core::rates::UnitCounts;

    fn unit(id: &str, dispatched: u64, responded: u64) -> UnitEvaluation {
        UnitEvaluation {
            unit_id: id.into(),
            name_zh: id.into(),
            name_en: id.into(),
            rates: UnitRates::from(UnitCounts {
                dispatched,
                responded_in_time: responded,
                ..Default::default()
            }),
        }
    }

    #[test]
    fn units_without_a_figure_sort_last_both_ways() {
        let units = [unit("a", 10, 5), unit("b", 0, 0), unit("c", 10, 9)];
        let ids =
            |rows: Vec<UnitEvaluation>| rows.into_iter().map(|u| u.unit_id).collect::<Vec<_>>();
        assert_eq!(
            ids(sorted(&units, SortBy::Response, false, Locale::Zh)),
            ["c", "a", "b"]
        );
        assert_eq!(
            ids(sorted(&units, SortBy::Response, true, Locale::Zh)),
            ["a", "c", "b"]
        );
    }
}

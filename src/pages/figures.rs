//! The public figures (宣): this month's appeals received and finished, by category and by
//! district, the on-time rate, and each unit's three rates — every rate beside the counts it rests
//! on, units in a fixed order (never a bare ranking). Each chart is a simple SVG drawn from a
//! table that says the same in words.

use leptos::prelude::*;
use yousu_core::api::{CountBy, Figures};
use yousu_core::catalog::{Catalog, Grid};
use yousu_core::rates::Rate;

use crate::api::{self, EvaluationMonth, UnitMonth};
use crate::i18n::{Locale, rate_percent, tr, use_i18n};

/// The width of a bar for `value` when the largest is `max`, on a scale of `full`. Whole
/// numbers: formatting floats would cost the wasm some 15 KB.
pub fn bar_width(value: u64, max: u64, full: u64) -> u64 {
    (value * full).checked_div(max).unwrap_or(0)
}

/// Figures and evaluation, fresh when online, remembered when not.
async fn load() -> api::ApiResult<(Figures, EvaluationMonth)> {
    let figures = crate::store::fresh_or_cached("yousu.figures.v1", api::figures()).await?;
    let evaluation =
        crate::store::fresh_or_cached("yousu.evaluation.v1", api::evaluation()).await?;
    Ok((figures, evaluation))
}

fn category_names(locale: Locale) -> impl Fn(&str) -> String {
    let catalog = crate::store::load::<Catalog>("yousu.catalog.v1");
    move |id| {
        catalog
            .as_ref()
            .and_then(|c| c.category(id))
            .map(|c| locale.pick(&c.name_zh, &c.name_en).to_owned())
            .unwrap_or_else(|| id.to_owned())
    }
}

fn place_names(locale: Locale) -> impl Fn(&str) -> String {
    let grid = crate::store::load::<Grid>("yousu.grid.v1");
    move |id| {
        let Some(grid) = grid.as_ref() else {
            return id.to_owned();
        };
        if let Some(d) = grid.districts.iter().find(|d| d.district_id == id) {
            return locale.pick(&d.name_zh, &d.name_en).to_owned();
        }
        grid.community(id)
            .map(|c| locale.pick(&c.name_zh, &c.name_en).to_owned())
            .unwrap_or_else(|| id.to_owned())
    }
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    // Names come from the remembered catalogue and grid; fetch them if this phone has none yet.
    let reference = LocalResource::new(|| async {
        let _ = crate::store::fresh_or_cached("yousu.catalog.v1", api::catalog()).await;
        let _ = crate::store::fresh_or_cached("yousu.grid.v1", api::grid()).await;
        load().await
    });
    view! {
        <h1>{tr(|s| s.figures_title)}</h1>
        <p class="field-hint">{tr(|s| s.figures_note)}</p>
        <Suspense fallback=move || view! { <p class="loading">{tr(|s| s.loading)}</p> }>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok((figures, evaluation)) => view! { <FiguresView figures evaluation /> }.into_any(),
                    Err(_) => view! {
                        <p class="notice notice-error" role="alert">{tr(|s| s.load_failed)}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FiguresView(figures: Figures, evaluation: EvaluationMonth) -> impl IntoView {
    let i18n = use_i18n();
    let figures = StoredValue::new(figures);
    let units = StoredValue::new(evaluation.units);
    let on_time = figures.with_value(|f| f.on_time);
    view! {
        <dl class="case-facts figures-summary">
            <div>
                <dt>{tr(|s| s.received)}</dt>
                <dd>{figures.with_value(|f| f.received)}</dd>
            </div>
            <div>
                <dt>{tr(|s| s.finished)}</dt>
                <dd>{figures.with_value(|f| f.finished)}</dd>
            </div>
            <div>
                <dt>{tr(|s| s.on_time_rate)}</dt>
                <dd>{move || i18n.locale().rate(&on_time)}</dd>
            </div>
        </dl>
        {move || {
            let locale = i18n.locale();
            let names = category_names(locale);
            let rows = figures.with_value(|f| named(&f.by_category, &names));
            view! { <CountChart id="by-category" title=tr(|s| s.by_category) rows /> }
        }}
        {move || {
            let locale = i18n.locale();
            let names = place_names(locale);
            let rows = figures.with_value(|f| named(&f.by_district, &names));
            view! { <CountChart id="by-district" title=tr(|s| s.by_district) rows /> }
        }}
        {move || {
            let locale = i18n.locale();
            let names = place_names(locale);
            let rows = figures.with_value(|f| named(&f.hot_spots, &names));
            view! { <CountChart id="hot-spots" title=tr(|s| s.hot_spots) rows /> }
        }}
        <h2 id="unit-rates">{tr(|s| s.unit_rates)}</h2>
        {move || units.with_value(|u| u.is_empty()).then(|| view! {
            <p class="notice">{tr(|s| s.no_figures)}</p>
        })}
        <ul class="unit-rates" aria-labelledby="unit-rates">
            {move || {
                let mut all = units.get_value();
                // A fixed order by name: the page shows each unit's own figures, not a league table.
                all.sort_by(|a, b| a.name_zh.cmp(&b.name_zh));
                all.into_iter().map(|unit| view! { <UnitCard unit /> }).collect_view()
            }}
        </ul>
    }
}

/// Rows of (name, received, finished).
fn named(counts: &[CountBy], names: &impl Fn(&str) -> String) -> Vec<(String, u64, u64)> {
    counts
        .iter()
        .map(|c| (names(&c.id), c.received, c.finished))
        .collect()
}

/// Received and finished per row: bars for the eye, a table for every reader.
#[component]
fn CountChart(
    id: &'static str,
    title: Signal<&'static str>,
    rows: Vec<(String, u64, u64)>,
) -> impl IntoView {
    let max = rows.iter().map(|r| r.1.max(r.2)).max().unwrap_or(0);
    let row_height = 28;
    let height = (rows.len() as u64 * row_height).max(row_height);
    let empty = rows.is_empty();
    view! {
        <figure class="chart" id=id>
            <figcaption><h2>{title}</h2></figcaption>
            {empty.then(|| view! { <p class="notice">{tr(|s| s.no_figures)}</p> })}
            <svg class="chart-bars" viewBox=format!("0 0 300 {height}") preserveAspectRatio="none"
                width="100%" height=height aria-hidden="true" focusable="false">
                {rows.iter().enumerate().map(|(i, (_, received, finished))| {
                    let y = i as u64 * row_height;
                    view! {
                        <rect class="chart-bar-received" x="0" y=y + 4
                            width=bar_width(*received, max, 300) height="10" />
                        <rect class="chart-bar-finished" x="0" y=y + 15
                            width=bar_width(*finished, max, 300) height="10" />
                    }
                }).collect_view()}
            </svg>
            <p class="chart-legend" aria-hidden="true">
                <span class="chart-key chart-key-received"></span>{tr(|s| s.received)}
                " "
                <span class="chart-key chart-key-finished"></span>{tr(|s| s.finished)}
            </p>
            <table class="chart-table">
                <thead>
                    <tr>
                        <th scope="col">{title}</th>
                        <th scope="col">{tr(|s| s.received)}</th>
                        <th scope="col">{tr(|s| s.finished)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|(name, received, finished)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{received}</td>
                            <td>{finished}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

/// One unit: its three rates (and on-time), each as a bar and in words with its counts.
#[component]
fn UnitCard(unit: UnitMonth) -> impl IntoView {
    let i18n = use_i18n();
    let name = move || i18n.locale().pick(&unit.name_zh, &unit.name_en).to_owned();
    let rate_row = move |label: Signal<&'static str>, rate: Rate| {
        let width = rate_percent(&rate).unwrap_or(0);
        view! {
            <div class="unit-rate">
                <dt>{label}</dt>
                <dd>
                    <svg class="unit-rate-bar" viewBox="0 0 100 8" preserveAspectRatio="none"
                        width="100%" height="8" aria-hidden="true" focusable="false">
                        <rect class="unit-rate-track" x="0" y="0" width="100" height="8" />
                        <rect class="unit-rate-fill" x="0" y="0" width=width height="8" />
                    </svg>
                    <span class="unit-rate-text">{move || i18n.locale().rate(&rate)}</span>
                </dd>
            </div>
        }
    };
    view! {
        <li class="unit-card">
            <h3>{name}</h3>
            {unit.too_few_cases.then(|| view! { <p class="field-hint">{tr(|s| s.too_few_cases)}</p> })}
            <dl>
                {rate_row(tr(|s| s.response_rate), unit.response)}
                {rate_row(tr(|s| s.resolution_rate), unit.resolution)}
                {rate_row(tr(|s| s.satisfaction_rate), unit.satisfaction)}
                {rate_row(tr(|s| s.on_time_rate), unit.on_time)}
            </dl>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_to_the_largest_count() {
        assert_eq!(bar_width(5, 10, 300), 150);
        assert_eq!(bar_width(10, 10, 300), 300);
        assert_eq!(bar_width(0, 0, 300), 0);
    }
}

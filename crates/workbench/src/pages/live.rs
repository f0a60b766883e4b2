//! Live figures (宣): the wall screen. Today's received, finished and on-time counts, open and
//! overdue cases, by category and district, and the hot spots by community as an SVG bar chart
//! (no map tiles). Follows the server's event stream and reconnects when it breaks.

use leptos::prelude::*;
use yousu_core::api::{CountBy, LiveFigures};

use crate::clock::{city_time, use_clock};
use crate::i18n::{tr, use_i18n};
use crate::live::{StreamEnd, follow};
use crate::reference::use_reference;
use crate::session::{SignInReason, use_session};

/// Try again this long after the stream broke.
const RECONNECT_MS: u32 = 2_000;

/// A bar's length for `value` when the largest is `max`, on a scale of `full`.
pub fn bar_length(value: u64, max: u64, full: f64) -> f64 {
    if max == 0 {
        0.0
    } else {
        full * value as f64 / max as f64
    }
}

#[component]
pub fn LivePage() -> impl IntoView {
    let store = use_session();
    let i18n = use_i18n();
    let clock = use_clock();
    let figures = RwSignal::new(None::<LiveFigures>);
    let connected = RwSignal::new(false);
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let alive = StoredValue::new(true);
    leptos::task::spawn_local(async move {
        let Some(signal) = signal else { return };
        while alive.try_get_value().unwrap_or(false) {
            let Some(token) = store.token() else { return };
            let end = follow(&crate::api::url("/staff/live"), &token, &signal, |event| {
                if event.event == "figures"
                    && let Ok(live) = serde_json::from_str::<LiveFigures>(&event.data)
                {
                    clock.observe(live.server_time);
                    connected.set(true);
                    figures.set(Some(live));
                }
            })
            .await;
            let _ = connected.try_set(false);
            if end == StreamEnd::Unauthorised {
                store.end(SignInReason::Expired);
                return;
            }
            if signal.aborted() {
                return;
            }
            gloo_timers::future::TimeoutFuture::new(RECONNECT_MS).await;
        }
    });
    on_cleanup(move || {
        alive.set_value(false);
        if let Some(controller) = controller {
            controller.abort();
        }
    });
    let number = move |pick: fn(&LiveFigures) -> u64| {
        move || {
            figures.with(|f| {
                f.as_ref()
                    .map(pick)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "—".into())
            })
        }
    };
    view! {
        <div class="live">
            <h1>{tr(|s| s.live_title)}</h1>
            <p class="screen-hint" role="status">
                {move || {
                    let s = i18n.locale().strings();
                    match (connected.get(), figures.get()) {
                        (true, Some(f)) => s.live_updated.replace("{at}", &city_time(f.server_time)),
                        (false, Some(_)) => s.live_reconnecting.to_owned(),
                        _ => s.live_connecting.to_owned(),
                    }
                }}
            </p>
            <dl class="live-numbers">
                <div><dt>{tr(|s| s.received_today)}</dt><dd data-testid="received-today">{number(|f| f.received_today)}</dd></div>
                <div><dt>{tr(|s| s.finished_today)}</dt><dd data-testid="finished-today">{number(|f| f.finished_today)}</dd></div>
                <div><dt>{tr(|s| s.on_time_today)}</dt><dd>{number(|f| f.on_time_today)}</dd></div>
                <div><dt>{tr(|s| s.open_now)}</dt><dd>{number(|f| f.open_now)}</dd></div>
                <div><dt>{tr(|s| s.overdue_now)}</dt><dd>{number(|f| f.overdue_now)}</dd></div>
            </dl>
            <div class="live-charts">
                <BarChart title=Signal::derive(move || i18n.locale().strings().hot_spots.to_owned())
                    rows=Signal::derive(move || figures.with(|f| f.as_ref().map(|f| f.hot_spots.clone()).unwrap_or_default()))
                    kind=NameKind::Community />
                <BarChart title=Signal::derive(move || i18n.locale().strings().by_category.to_owned())
                    rows=Signal::derive(move || figures.with(|f| f.as_ref().map(|f| f.by_category.clone()).unwrap_or_default()))
                    kind=NameKind::Category />
                <BarChart title=Signal::derive(move || i18n.locale().strings().by_district.to_owned())
                    rows=Signal::derive(move || figures.with(|f| f.as_ref().map(|f| f.by_district.clone()).unwrap_or_default()))
                    kind=NameKind::Place />
            </div>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Community,
    Category,
    Place,
}

/// Horizontal bars of received counts, drawn in SVG, with the same figures as text for screen
/// readers (the SVG itself is one labelled image).
#[component]
fn BarChart(title: Signal<String>, rows: Signal<Vec<CountBy>>, kind: NameKind) -> impl IntoView {
    let i18n = use_i18n();
    let reference = use_reference();
    const ROW: f64 = 34.0;
    const LABEL: f64 = 150.0;
    const BAR: f64 = 300.0;
    let named = move || {
        let locale = i18n.locale();
        let r = reference.get();
        rows.get()
            .into_iter()
            .take(10)
            .map(|c| {
                let name = match kind {
                    NameKind::Community => r.community_name(locale, &c.id),
                    NameKind::Category => r.category_name(locale, &c.id),
                    NameKind::Place => r.place_name(locale, &c.id),
                };
                (name, c.received, c.finished)
            })
            .collect::<Vec<_>>()
    };
    view! {
        <figure class="bar-chart">
            <figcaption>{title}</figcaption>
            {move || {
                let rows = named();
                let max = rows.iter().map(|r| r.1).max().unwrap_or(0);
                let height = (rows.len().max(1) as f64) * ROW;
                let summary = rows.iter().map(|(n, v, _)| format!("{n} {v}")).collect::<Vec<_>>().join("，");
                view! {
                    <svg viewBox=format!("0 0 {} {height}", LABEL + BAR + 60.0) role="img" aria-label=format!("{}: {summary}", title.get())>
                        {rows.into_iter().enumerate().map(|(i, (name, value, _))| {
                            let y = i as f64 * ROW;
                            view! {
                                <g>
                                    <text x=LABEL - 8.0 y=y + 22.0 text-anchor="end" class="bar-label">{name}</text>
                                    <rect x=LABEL y=y + 6.0 width=bar_length(value, max, BAR).max(2.0) height=ROW - 12.0 class="bar" />
                                    <text x=LABEL + bar_length(value, max, BAR) + 8.0 y=y + 22.0 class="bar-value">{value}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                }
            }}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_an_empty_chart_has_none() {
        assert_eq!(bar_length(5, 10, 300.0), 150.0);
        assert_eq!(bar_length(0, 0, 300.0), 0.0);
    }
}

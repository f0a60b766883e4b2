//! The live figures (宣) for the wall screen: today's counts, pushed to every open screen within
//! a second of a change on this instance, and within two seconds of one on another instance
//! (each stream also looks again every two seconds, and sends only what changed).

use std::convert::Infallible;
use std::time::Duration;

use axum::response::sse::Event;
use chrono::{Duration as Span, NaiveTime, TimeZone, Utc};
use futures_util::Stream;
use yousu_core::api::LiveFigures;
use yousu_core::case::city_offset;

use crate::app::AppState;
use crate::error::AppResult;
use crate::services::figures::counts;

/// How long a stream waits after a change for the ones that follow it, and how often it looks
/// again without being told.
const SETTLE: Duration = Duration::from_millis(300);
const LOOK_AGAIN: Duration = Duration::from_secs(2);

/// Tells the open wall screens that something changed.
pub fn notify(state: &AppState) {
    state.changes.send_modify(|n| *n = n.wrapping_add(1));
}

/// Today's figures, in city time.
pub async fn today(state: &AppState) -> AppResult<LiveFigures> {
    let now = state.clock.now();
    let city = city_offset();
    let midnight = city
        .from_local_datetime(
            &now.with_timezone(&city)
                .date_naive()
                .and_time(NaiveTime::MIN),
        )
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let end = now + Span::seconds(1);
    let today = state.store.month_counts(midnight, end).await?;
    let month = state.store.month_counts(now - Span::days(30), end).await?;
    let (open, overdue) = state.store.open_and_overdue(now).await?;
    Ok(LiveFigures {
        received_today: today.received.max(0) as u64,
        finished_today: today.finished.max(0) as u64,
        on_time_today: today.finished_on_time.max(0) as u64,
        open_now: open.max(0) as u64,
        overdue_now: overdue.max(0) as u64,
        by_category: counts(today.by_category),
        by_district: counts(today.by_district),
        hot_spots: counts(month.hot_spots),
        server_time: state.clock.now(),
    })
}

/// The server-sent events of one wall screen: the figures now, then whenever they change, for
/// as long as the session `token_hash` lasts: each wake-up (at least every `LOOK_AGAIN`) asks
/// the store whether it still does, so a sign-out or a disabled account on any instance ends
/// the stream too. (A store that cannot answer does not end it: that is not a sign-out.)
pub fn stream(
    state: AppState,
    token_hash: String,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let changes = state.changes.subscribe();
    futures_util::stream::unfold(
        (state, changes, None::<LiveFigures>, token_hash),
        |(state, mut changes, last, token_hash)| async move {
            let mut first = last.is_none();
            loop {
                if !first {
                    tokio::select! {
                        changed = changes.changed() => {
                            if changed.is_err() {
                                return None;
                            }
                            tokio::time::sleep(SETTLE).await;
                        }
                        () = tokio::time::sleep(LOOK_AGAIN) => {}
                    }
                }
                first = false;
                // An open wall screen is a session in use: it keeps it from going idle.
                if let Ok(None) = crate::auth::session_in_use(&state, &token_hash).await {
                    return None;
                }
                let Ok(figures) = today(&state).await else {
                    continue;
                };
                let same = last.as_ref().is_some_and(|l| {
                    LiveFigures {
                        server_time: figures.server_time,
                        ..l.clone()
                    } == figures
                });
                if same {
                    continue;
                }
                let event = Event::default()
                    .event("figures")
                    .json_data(&figures)
                    .unwrap_or_else(|_| Event::default().comment("unserialisable"));
                return Some((Ok(event), (state, changes, Some(figures), token_hash)));
            }
        },
    )
}

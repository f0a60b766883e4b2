//! The platform's clock as the app knows it: the phone's clock corrected by the offset measured
//! from the server's answers, so a countdown is right whatever the phone's clock or zone says.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;

const STORAGE_KEY: &str = "yousu.clock_offset_ms";

#[derive(Clone, Copy)]
pub struct ServerClock {
    offset_ms: RwSignal<i64>,
    /// Ticks every 30 seconds so countdowns move.
    tick: RwSignal<u64>,
}

impl ServerClock {
    /// Records the server's time from an answer just received.
    pub fn observe(&self, server_time: DateTime<Utc>) {
        let offset = (server_time - Utc::now()).num_milliseconds();
        self.offset_ms.set(offset);
        crate::store::save(STORAGE_KEY, &offset);
    }

    /// The server's "now" (tracked: views reading it refresh on every tick).
    pub fn now(&self) -> DateTime<Utc> {
        self.tick.track();
        Utc::now() + Duration::milliseconds(self.offset_ms.get())
    }
}

pub fn provide_server_clock() {
    let clock = ServerClock {
        offset_ms: RwSignal::new(crate::store::load(STORAGE_KEY).unwrap_or(0)),
        tick: RwSignal::new(0),
    };
    let tick = clock.tick;
    let interval = gloo_timers::callback::Interval::new(30_000, move || tick.update(|t| *t += 1));
    // The clock lives as long as the app.
    interval.forget();
    provide_context(clock);
}

pub fn use_server_clock() -> ServerClock {
    expect_context::<ServerClock>()
}

/// A time as the city reads it (UTC+8), in the current language's format.
pub fn city_time(at: DateTime<Utc>, format: &str) -> String {
    at.with_timezone(&yousu_core::case::city_offset())
        .format(format)
        .to_string()
}

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

/// A time as the city reads it (UTC+8), in the language's format: "2026年12月3日 09:05" or
/// "2026-12-03 09:05". Written out by hand: chrono's `format` costs the wasm some 10 KB.
pub fn city_time(at: DateTime<Utc>, locale: crate::i18n::Locale) -> String {
    use chrono::{Datelike, Timelike};
    let t = at.with_timezone(&yousu_core::case::city_offset());
    let (y, mo, d, h, mi) = (t.year(), t.month(), t.day(), t.hour(), t.minute());
    match locale {
        crate::i18n::Locale::Zh => format!("{y}年{mo}月{d}日 {h:02}:{mi:02}"),
        crate::i18n::Locale::En => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}"),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn times_are_shown_in_the_citys_zone_in_each_language() {
        // 17:05 UTC on the last day of November is 01:05 on 1 December in the city.
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 17, 5, 0).unwrap();
        assert_eq!(city_time(at, Locale::Zh), "2026年12月1日 01:05");
        assert_eq!(city_time(at, Locale::En), "2026-12-01 01:05");
    }
}

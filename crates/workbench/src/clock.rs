//! The platform's clock as the workbench shows it: the offset from this computer's clock measured
//! from the server's answers, and a `now` that ticks every 20 seconds for countdowns.

use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct ServerClock {
    offset: RwSignal<Duration>,
    tick: RwSignal<u64>,
}

impl ServerClock {
    /// Learns the offset from a server time just received.
    pub fn observe(&self, server_time: DateTime<Utc>) {
        self.offset.set(server_time - Utc::now());
    }

    /// The server's now; reactive, re-read at each tick.
    pub fn now(&self) -> DateTime<Utc> {
        self.tick.track();
        Utc::now() + self.offset.get()
    }
}

pub fn provide_server_clock() {
    let clock = ServerClock {
        offset: RwSignal::new(Duration::zero()),
        tick: RwSignal::new(0),
    };
    let handle = set_interval_with_handle(
        move || clock.tick.update(|t| *t += 1),
        std::time::Duration::from_secs(20),
    );
    if let Ok(handle) = handle {
        on_cleanup(move || handle.clear());
    }
    provide_context(clock);
}

pub fn use_clock() -> ServerClock {
    expect_context::<ServerClock>()
}

/// A time as the city reads it: `2026-11-26 14:05`.
pub fn city_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&yousu_core::case::city_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The city's current month, `YYYY-MM`.
pub fn city_month(at: DateTime<Utc>) -> String {
    at.with_timezone(&yousu_core::case::city_offset())
        .format("%Y-%m")
        .to_string()
}

/// How often a queue asks for new cases by itself.
pub const QUEUE_REFRESH_SECS: u64 = 30;

/// Runs `f` every `secs` seconds while the calling component lives.
pub fn every(secs: u64, f: impl Fn() + 'static) {
    if let Ok(handle) = set_interval_with_handle(f, std::time::Duration::from_secs(secs)) {
        on_cleanup(move || handle.clear());
    }
}

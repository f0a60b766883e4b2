//! The outbox: submissions made without a network wait here, on the phone, with their idempotency
//! keys, and go out when the network returns — at start, on the browser's `online` event and on a
//! timer (WebViews have no Background Sync). However often one is sent, the key makes it one case.
//! Once acknowledged, an item and the contact details in it leave the phone.
//!
//! A failed send is tried again with the same key, later each time (`after_failure`): no answer,
//! a 5xx (the platform's database restarting, say), a 409 or a 429 all mean "not now", never
//! "no". Only an answer naming fields at fault needs the resident.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use yousu_core::CaseDraft;

use crate::api::ApiFailure;
use crate::store::draft::{DraftPhoto, Proxy, SavedDraft};
use crate::store::my_cases::{self, SavedCase};

const KEY: &str = "yousu.outbox.v1";
/// Seconds between two looks at the outbox while something waits (each item keeps its own
/// back-off; this only makes sure nothing is forgotten).
const RETRY_SECONDS: u32 = 20;
/// The wait after a first failed send, doubled after each further one up to `LONGEST_WAIT_MS`.
const FIRST_WAIT_MS: u32 = 2_000;
/// A phone keeps trying every few minutes at least, however long the platform was away.
const LONGEST_WAIT_MS: u32 = 5 * 60 * 1000;

/// What the outbox does with an item whose send failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Keep it and send it again, with the same key, in this many milliseconds.
    RetryIn(u32),
    /// The platform named fields it will not take: only the resident can change them.
    AskResident,
}

/// Decides what follows a failed send, the `attempts`-th failure of this item (1 after the
/// first). A 4xx naming fields needs the resident; anything else — no answer, 5xx, 409, 429,
/// or another 4xx that a proxy or a captive portal may have sent — is tried again: after a
/// back-off that doubles from `FIRST_WAIT_MS` up to `LONGEST_WAIT_MS`, and never before the
/// platform's `Retry-After`. `jitter` (0 to 1, random) spreads the back-off over its upper
/// half, so that phones which lost the platform together do not all come back at once.
pub fn after_failure(failure: &ApiFailure, attempts: u32, jitter: f64) -> AfterFailure {
    if let ApiFailure::Rejected { status, error, .. } = failure
        && (400..500).contains(status)
        && !error.fields.is_empty()
    {
        return AfterFailure::AskResident;
    }
    let doublings = attempts.saturating_sub(1).min(16);
    let backoff = FIRST_WAIT_MS
        .saturating_mul(1 << doublings)
        .min(LONGEST_WAIT_MS);
    let jitter = jitter.clamp(0.0, 1.0);
    let backoff = backoff / 2 + (f64::from(backoff / 2) * jitter) as u32;
    let asked = match failure {
        ApiFailure::Rejected {
            retry_after: Some(seconds),
            ..
        } => seconds.saturating_mul(1000).min(LONGEST_WAIT_MS),
        _ => 0,
    };
    AfterFailure::RetryIn(backoff.max(asked))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub idempotency_key: String,
    pub case: CaseDraft,
    pub queued_at: DateTime<Utc>,
    /// The platform refused it (a rule changed since it was checked): the resident must edit it.
    ///
    /// Stored under a new name: items an earlier version marked refused for any error (a 503
    /// included) are sent once more, and only those the platform still refuses stay marked.
    #[serde(default, rename = "needs_resident")]
    pub refused: bool,
    /// Failed sends so far; the back-off grows with them.
    #[serde(default)]
    pub attempts: u32,
    /// Not sent again before this (its back-off), unless the network has just returned.
    #[serde(default)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Photos kept on the phone (IndexedDB) until they are uploaded, just before the case.
    #[serde(default)]
    pub photos: Vec<DraftPhoto>,
    #[serde(default)]
    pub proxy: Option<Proxy>,
}

#[derive(Clone, Copy)]
pub struct Outbox {
    items: RwSignal<Vec<OutboxItem>>,
    sending: RwSignal<bool>,
    /// Bumped whenever an item becomes a case, so lists of cases reload.
    pub delivered: RwSignal<u32>,
}

impl Outbox {
    pub fn items(&self) -> Vec<OutboxItem> {
        self.items.get()
    }

    /// How many wait to be sent (tracked).
    pub fn waiting(&self) -> usize {
        self.items
            .with(|items| items.iter().filter(|i| !i.refused).count())
    }

    pub fn enqueue(&self, draft: SavedDraft) {
        self.items.update(|items| {
            if !items
                .iter()
                .any(|i| i.idempotency_key == draft.idempotency_key)
            {
                items.push(OutboxItem {
                    idempotency_key: draft.idempotency_key,
                    case: draft.case,
                    queued_at: Utc::now(),
                    refused: false,
                    attempts: 0,
                    next_attempt_at: None,
                    photos: draft.photos,
                    proxy: draft.proxy,
                });
            }
        });
        self.save();
    }

    /// Records photo ids won while sending, so a later attempt does not upload them again.
    fn keep_photos(&self, idempotency_key: &str, photos: &[DraftPhoto]) {
        self.items.update(|items| {
            for item in items
                .iter_mut()
                .filter(|i| i.idempotency_key == idempotency_key)
            {
                item.photos = photos.to_vec();
            }
        });
        self.save();
    }

    fn save(&self) {
        self.items.with_untracked(|items| super::save(KEY, items));
    }

    /// Sends what waits, oldest first, one item at a time; stops at the first failure and
    /// tries again after its back-off. `now_anyway` (at start, when the network returns) sends
    /// without waiting out the back-off.
    pub fn flush(self, now_anyway: bool) {
        if self.sending.get_untracked() || self.waiting_untracked() == 0 {
            return;
        }
        // A timer may fire a little early; a back-off this close to its end is over.
        let due = Utc::now() + chrono::Duration::milliseconds(100);
        let pending: Vec<OutboxItem> = self
            .items
            .get_untracked()
            .into_iter()
            .filter(|i| !i.refused)
            .collect();
        if !now_anyway
            && pending
                .first()
                .is_some_and(|i| i.next_attempt_at > Some(due))
        {
            return;
        }
        self.sending.set(true);
        spawn_local(async move {
            for mut item in pending {
                let key = item.idempotency_key.clone();
                let proxy = item.proxy.clone();
                let sent = crate::send::deliver(
                    &key,
                    &item.case,
                    proxy.as_ref(),
                    &mut item.photos,
                    |photos| self.keep_photos(&key, photos),
                )
                .await;
                match sent {
                    Ok((receipt, _)) => {
                        crate::send::forget_photos(&item.photos);
                        my_cases::upsert(SavedCase {
                            proxy: item.proxy.clone(),
                            ..SavedCase::from_view(&receipt.case, Some(receipt.access_token))
                        });
                        self.items.update(|items| {
                            items.retain(|i| i.idempotency_key != item.idempotency_key)
                        });
                        self.save();
                        self.delivered.update(|n| *n += 1);
                    }
                    Err(failure) => {
                        let attempts = item.attempts.saturating_add(1);
                        let next = after_failure(&failure, attempts, js_sys::Math::random());
                        self.failed(&key, attempts, next);
                        if let AfterFailure::RetryIn(ms) = next {
                            gloo_timers::callback::Timeout::new(ms, move || self.flush(false))
                                .forget();
                            break;
                        }
                    }
                }
            }
            self.sending.set(false);
        });
    }

    /// Records a failed send: its count and when to try again, or that the resident must act.
    fn failed(&self, idempotency_key: &str, attempts: u32, next: AfterFailure) {
        self.items.update(|items| {
            for item in items
                .iter_mut()
                .filter(|i| i.idempotency_key == idempotency_key)
            {
                item.attempts = attempts;
                match next {
                    AfterFailure::AskResident => item.refused = true,
                    AfterFailure::RetryIn(ms) => {
                        item.next_attempt_at =
                            Some(Utc::now() + chrono::Duration::milliseconds(i64::from(ms)));
                    }
                }
            }
        });
        self.save();
    }

    fn waiting_untracked(&self) -> usize {
        self.items
            .with_untracked(|items| items.iter().filter(|i| !i.refused).count())
    }
}

/// Restores the outbox and starts sending it: now, whenever the browser comes back online, and
/// every few seconds while anything waits.
pub fn provide_outbox() {
    let outbox = Outbox {
        items: RwSignal::new(super::load(KEY).unwrap_or_default()),
        sending: RwSignal::new(false),
        delivered: RwSignal::new(0),
    };
    provide_context(outbox);
    outbox.flush(true);
    let handle = window_event_listener(leptos::ev::online, move |_| outbox.flush(true));
    // The listener lives as long as the app.
    std::mem::forget(handle);
    gloo_timers::callback::Interval::new(RETRY_SECONDS * 1000, move || outbox.flush(false))
        .forget();
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use yousu_core::FieldError;
    use yousu_core::api::ApiError;

    fn rejected(status: u16, fields: Vec<FieldError>, retry_after: Option<u32>) -> ApiFailure {
        ApiFailure::Rejected {
            status,
            error: ApiError {
                error: "x".into(),
                message: "x".into(),
                fields,
            },
            retry_after,
        }
    }

    fn field() -> FieldError {
        FieldError {
            field: "description".into(),
            code: "too_short".into(),
            message_zh: "太短".into(),
            message_en: "too short".into(),
        }
    }

    #[test]
    fn only_a_4xx_naming_fields_needs_the_resident() {
        let refused = rejected(422, vec![field()], None);
        assert_eq!(after_failure(&refused, 1, 0.5), AfterFailure::AskResident);
        for failure in [
            ApiFailure::Network,
            ApiFailure::Unreadable,
            rejected(500, Vec::new(), None),
            rejected(502, Vec::new(), None),
            rejected(503, Vec::new(), Some(2)),
            rejected(409, Vec::new(), Some(1)),
            rejected(429, Vec::new(), Some(30)),
            rejected(400, Vec::new(), None),
            rejected(422, Vec::new(), None),
            rejected(403, Vec::new(), None),
        ] {
            assert!(
                matches!(after_failure(&failure, 1, 0.5), AfterFailure::RetryIn(_)),
                "{failure:?} is tried again"
            );
        }
    }

    #[test]
    fn the_back_off_doubles_from_two_seconds_up_to_five_minutes() {
        let waits: Vec<_> = (1..=10)
            .map(|n| after_failure(&ApiFailure::Network, n, 1.0))
            .collect();
        let ms = |s: u32| AfterFailure::RetryIn(s * 1000);
        assert_eq!(waits[..4], [ms(2), ms(4), ms(8), ms(16)]);
        assert_eq!(waits[8], ms(300));
        assert_eq!(
            after_failure(&ApiFailure::Network, u32::MAX, 1.0),
            ms(300),
            "no overflow, however long the outage"
        );
    }

    #[test]
    fn jitter_spreads_the_back_off_over_its_upper_half() {
        assert_eq!(
            after_failure(&ApiFailure::Network, 3, 0.0),
            AfterFailure::RetryIn(4_000)
        );
        assert_eq!(
            after_failure(&ApiFailure::Network, 3, 1.0),
            AfterFailure::RetryIn(8_000)
        );
    }

    #[test]
    fn never_before_the_platforms_retry_after() {
        let busy = rejected(429, Vec::new(), Some(30));
        assert_eq!(after_failure(&busy, 1, 0.0), AfterFailure::RetryIn(30_000));
        // A later back-off longer than Retry-After wins.
        let unavailable = rejected(503, Vec::new(), Some(2));
        assert_eq!(
            after_failure(&unavailable, 6, 1.0),
            AfterFailure::RetryIn(64_000)
        );
        // A Retry-After of a day is capped like the back-off.
        let away = rejected(503, Vec::new(), Some(86_400));
        assert_eq!(after_failure(&away, 1, 0.0), AfterFailure::RetryIn(300_000));
    }

    #[test]
    fn items_refused_by_an_earlier_version_are_sent_once_more() {
        let old = r#"{"idempotency_key":"k","case":{"category_id":"a","description":"d",
            "community_id":"c","contact_phone":"1"},"queued_at":"2026-12-08T00:00:00Z",
            "refused":true}"#;
        let item: OutboxItem = serde_json::from_str(old).unwrap();
        assert!(!item.refused);
        assert_eq!((item.attempts, item.next_attempt_at), (0, None));
    }
}

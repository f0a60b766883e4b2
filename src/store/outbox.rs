//! The outbox: submissions made without a network wait here, on the phone, with their idempotency
//! keys, and go out when the network returns — at start, on the browser's `online` event and on a
//! timer (WebViews have no Background Sync). However often one is sent, the key makes it one case.
//! Once acknowledged, an item and the contact details in it leave the phone.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use yousu_core::CaseDraft;

use crate::api::ApiFailure;
use crate::store::draft::{DraftPhoto, Proxy, SavedDraft};
use crate::store::my_cases::{self, SavedCase};

const KEY: &str = "yousu.outbox.v1";
/// Seconds between two attempts while something waits.
const RETRY_SECONDS: u32 = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub idempotency_key: String,
    pub case: CaseDraft,
    pub queued_at: DateTime<Utc>,
    /// The platform refused it (a rule changed since it was checked): the resident must edit it.
    #[serde(default)]
    pub refused: bool,
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

    /// Sends what waits, one item at a time; stops at the first network failure.
    pub fn flush(self) {
        if self.sending.get_untracked() || self.waiting_untracked() == 0 {
            return;
        }
        self.sending.set(true);
        spawn_local(async move {
            let pending: Vec<OutboxItem> = self
                .items
                .get_untracked()
                .into_iter()
                .filter(|i| !i.refused)
                .collect();
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
                    Err(ApiFailure::Rejected { status, .. }) if status != 409 && status != 429 => {
                        self.items.update(|items| {
                            for i in items
                                .iter_mut()
                                .filter(|i| i.idempotency_key == item.idempotency_key)
                            {
                                i.refused = true;
                            }
                        });
                        self.save();
                    }
                    // The first attempt with this key is still running on the platform (a
                    // send cut off by a reload, say): ask again shortly, as Retry-After says.
                    Err(ApiFailure::Rejected { status: 409, .. }) => {
                        gloo_timers::callback::Timeout::new(1500, move || self.flush()).forget();
                        break;
                    }
                    // No network, or too many requests: the timer tries again later.
                    Err(_) => break,
                }
            }
            self.sending.set(false);
        });
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
    outbox.flush();
    let handle = window_event_listener(leptos::ev::online, move |_| outbox.flush());
    // The listener lives as long as the app.
    std::mem::forget(handle);
    gloo_timers::callback::Interval::new(RETRY_SECONDS * 1000, move || outbox.flush()).forget();
}

pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

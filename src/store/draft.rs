//! The submission being typed, saved on every change so a closed tab or a crash loses nothing.
//! Its idempotency key is made with the draft and kept until the case is acknowledged, so sending
//! again after a failure (or a reload mid-send) can never create a second case.

use serde::{Deserialize, Serialize};
use yousu_core::CaseDraft;

const KEY: &str = "yousu.draft.v1";

// No `Default`: a draft without its random key must not exist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub idempotency_key: String,
    pub district_id: String,
    pub subdistrict_id: String,
    pub case: CaseDraft,
}

impl SavedDraft {
    /// An empty draft with a new random idempotency key.
    pub fn with_new_key() -> Self {
        Self {
            idempotency_key: super::random_key(),
            district_id: String::new(),
            subdistrict_id: String::new(),
            case: CaseDraft::default(),
        }
    }

    pub fn is_blank(&self) -> bool {
        let c = &self.case;
        c.category_id.is_empty()
            && c.description.trim().is_empty()
            && c.community_id.is_empty()
            && c.address.trim().is_empty()
            && c.contact_name.trim().is_empty()
            && c.contact_phone.trim().is_empty()
    }
}

pub fn load() -> Option<SavedDraft> {
    super::load::<SavedDraft>(KEY).filter(|d| !d.idempotency_key.is_empty())
}

pub fn save(draft: &SavedDraft) {
    super::save(KEY, draft);
}

/// Forgets the draft — and with it the resident's name and phone — once the case is acknowledged.
pub fn clear() {
    super::remove(KEY);
}

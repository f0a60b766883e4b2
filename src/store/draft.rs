//! The submission being typed, saved on every change so a closed tab or a crash loses nothing.
//! Its idempotency key is made with the draft and kept until the case is acknowledged, so sending
//! again after a failure (or a reload mid-send) can never create a second case.

use serde::{Deserialize, Serialize};
use yousu_core::{CaseDraft, Channel};

const KEY: &str = "yousu.draft.v1";

/// A photo picked for the appeal. The downscaled JPEG waits in IndexedDB under `key` (see
/// `public/native.js`) and is uploaded when the appeal is sent; its id is kept as soon as the
/// platform gives one, so a retried send reuses it rather than uploading again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DraftPhoto {
    pub key: String,
    /// A small JPEG as a data URL, for the thumbnail (a few KB).
    pub thumb: String,
    #[serde(default)]
    pub photo_id: Option<String>,
}

/// A volunteer's appeal for someone else (代办). The volunteer's own name goes to the platform with
/// the case (so it knows who helped); `for_whom` stays on this phone to keep the cases apart.
/// Both are kept with the acknowledged case for the hand-over receipt.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Proxy {
    pub for_whom: String,
    pub volunteer_name: String,
}

// No `Default`: a draft without its random key must not exist.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub idempotency_key: String,
    pub district_id: String,
    pub subdistrict_id: String,
    pub case: CaseDraft,
    #[serde(default)]
    pub photos: Vec<DraftPhoto>,
    #[serde(default)]
    pub proxy: Option<Proxy>,
}

impl SavedDraft {
    /// An empty draft with a new random idempotency key.
    pub fn with_new_key() -> Self {
        Self {
            idempotency_key: super::random_key(),
            district_id: String::new(),
            subdistrict_id: String::new(),
            case: CaseDraft::default(),
            photos: Vec::new(),
            proxy: None,
        }
    }

    pub fn is_blank(&self) -> bool {
        let c = &self.case;
        c.category_id.is_empty()
            && !c.let_platform_decide
            && c.description.trim().is_empty()
            && c.community_id.is_empty()
            && c.address.trim().is_empty()
            && c.contact_name.trim().is_empty()
            && c.contact_phone.trim().is_empty()
            && self.photos.is_empty()
    }

    /// Switches volunteer mode: the channel says so to the platform.
    pub fn set_proxy(&mut self, on: bool) {
        if on {
            self.proxy.get_or_insert_with(|| Proxy {
                for_whom: String::new(),
                volunteer_name: remembered_volunteer_name(),
            });
            self.case.channel = Some(Channel::Volunteer);
        } else {
            self.proxy = None;
            self.case.channel = None;
        }
    }
}

/// The case as it goes out — and as the shared rules check it: the typed draft with the ids of
/// the photos uploaded so far and, for a volunteer, their own name.
pub fn outgoing(case: &CaseDraft, photos: &[DraftPhoto], proxy: Option<&Proxy>) -> CaseDraft {
    let mut case = case.clone();
    case.photo_ids = photos.iter().filter_map(|p| p.photo_id.clone()).collect();
    case.volunteer_name = proxy.map(|p| p.volunteer_name.clone()).unwrap_or_default();
    case
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

const VOLUNTEER_NAME_KEY: &str = "yousu.volunteer_name";

/// A volunteer types their own name once; later proxies start with it.
pub fn remembered_volunteer_name() -> String {
    super::load(VOLUNTEER_NAME_KEY).unwrap_or_default()
}

pub fn remember_volunteer_name(name: &str) {
    super::save(VOLUNTEER_NAME_KEY, &name.trim());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_uploaded_photos_go_out_in_their_order() {
        let photo = |key: &str, id: Option<&str>| DraftPhoto {
            key: key.into(),
            thumb: String::new(),
            photo_id: id.map(Into::into),
        };
        let case = outgoing(
            &CaseDraft::default(),
            &[
                photo("a", Some("ph-2")),
                photo("b", None),
                photo("c", Some("ph-1")),
            ],
            None,
        );
        assert_eq!(case.photo_ids, ["ph-2", "ph-1"]);
        assert_eq!(case.volunteer_name, "");
    }

    #[test]
    fn a_volunteer_sends_their_own_name_but_not_for_whom() {
        let proxy = Proxy {
            for_whom: "楼下王奶奶".into(),
            volunteer_name: "小李".into(),
        };
        let case = outgoing(&CaseDraft::default(), &[], Some(&proxy));
        assert_eq!(case.volunteer_name, "小李");
        assert!(!serde_json::to_string(&case).unwrap().contains("王奶奶"));
    }

    #[test]
    fn a_draft_saved_before_photos_existed_still_loads() {
        let old = r#"{"idempotency_key":"k","district_id":"","subdistrict_id":"","case":{}}"#;
        let draft: SavedDraft = serde_json::from_str(old).unwrap();
        assert!(draft.photos.is_empty() && draft.proxy.is_none() && draft.is_blank());
    }

    #[test]
    fn choosing_to_let_the_platform_decide_is_not_blank() {
        let mut draft = SavedDraft {
            idempotency_key: "k".into(),
            district_id: String::new(),
            subdistrict_id: String::new(),
            case: CaseDraft::default(),
            photos: Vec::new(),
            proxy: None,
        };
        draft.case.let_platform_decide = true;
        assert!(!draft.is_blank());
    }
}

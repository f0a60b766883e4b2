//! The browser features reached through `public/native.js` (`window.yousuNative`): photos
//! downscaled and kept in IndexedDB, their upload, the current position and speech. A phone
//! where the script did not load simply lacks the feature; nothing here panics.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::api::{ApiFailure, ApiResult};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = yousuNative, js_name = addPhotos)]
    fn add_photos_js(input: &JsValue, limit: u32) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = yousuNative, js_name = uploadPhoto)]
    fn upload_photo_js(key: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = yousuNative, js_name = forgetPhoto)]
    fn forget_photo_js(key: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = yousuNative, js_name = locate)]
    fn locate_js() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = yousuNative, js_name = canSpeak)]
    fn can_speak_js() -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = yousuNative, js_name = speak)]
    fn speak_js(text: &str, lang: &str) -> Result<(), JsValue>;
}

async fn settle(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(promise?).await
}

/// The photos just picked in a file input: each downscaled, kept on the phone, as (key,
/// thumbnail data URL); and how many could not be read.
pub async fn add_photos(input: &JsValue, limit: usize) -> (Vec<(String, String)>, usize) {
    let Ok(result) = settle(add_photos_js(input, limit as u32)).await else {
        return (Vec::new(), 1);
    };
    let field = |name: &str| js_sys::Reflect::get(&result, &JsValue::from_str(name)).ok();
    let added = field("added")
        .map(|list| {
            js_sys::Array::from(&list)
                .iter()
                .filter_map(|pair| {
                    let pair = js_sys::Array::from(&pair);
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect()
        })
        .unwrap_or_default();
    let failed = field("failed").and_then(|n| n.as_f64()).unwrap_or(0.0) as usize;
    (added, failed)
}

/// Why a kept photo did not upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadFailure {
    /// No network now: try again later.
    Network,
    /// The phone no longer has the photo, or the platform refused it: drop it.
    Lost,
}

pub async fn upload_photo(key: &str) -> Result<String, UploadFailure> {
    match settle(upload_photo_js(key)).await {
        Ok(id) => id.as_string().ok_or(UploadFailure::Lost),
        // Only a photo known to be gone or refused is dropped; anything else (no network, the
        // script or IndexedDB failing for now) keeps it for the next attempt.
        Err(reason) if matches!(reason.as_string().as_deref(), Some("missing" | "refused")) => {
            Err(UploadFailure::Lost)
        }
        Err(_) => Err(UploadFailure::Network),
    }
}

impl From<UploadFailure> for ApiFailure {
    fn from(failure: UploadFailure) -> Self {
        match failure {
            UploadFailure::Network => ApiFailure::Network,
            UploadFailure::Lost => ApiFailure::Unreadable,
        }
    }
}

/// Drops a kept photo from the phone (removed by the resident, or its case acknowledged).
pub fn forget_photo(key: &str) {
    let key = key.to_owned();
    leptos::task::spawn_local(async move {
        let _ = settle(forget_photo_js(&key)).await;
    });
}

/// The phone's position, if the resident allows it.
pub async fn locate() -> ApiResult<(f64, f64)> {
    let pair = settle(locate_js())
        .await
        .map_err(|_| ApiFailure::Unreadable)?;
    let pair = js_sys::Array::from(&pair);
    match (pair.get(0).as_f64(), pair.get(1).as_f64()) {
        (Some(lat), Some(long)) => Ok((lat, long)),
        _ => Err(ApiFailure::Unreadable),
    }
}

pub fn can_speak() -> bool {
    can_speak_js().unwrap_or(false)
}

pub fn speak(text: &str, lang: &str) {
    let _ = speak_js(text, lang);
}

//! What the app keeps on the phone (localStorage): the resident's cases, the unsent draft, the
//! language. Storage can be full or disabled (private modes): then the app still works, it just
//! forgets on reload.

use gloo_storage::{LocalStorage, Storage};
use serde::{Serialize, de::DeserializeOwned};

pub mod draft;
pub mod my_cases;
pub mod outbox;

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = LocalStorage::raw().get_item(key).ok()??;
    crate::json::from_str(&text)
}

pub fn save<T: Serialize>(key: &str, value: &T) {
    let saved = crate::json::to_string(value)
        .is_some_and(|text| LocalStorage::raw().set_item(key, &text).is_ok());
    if !saved {
        leptos::logging::warn!("could not save {key} on this device");
    }
}

pub fn remove(key: &str) {
    LocalStorage::delete(key);
}

/// A random secret for a submission: 128 bits from the browser's CSPRNG, as 32 hex digits.
pub fn random_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Every browser that runs wasm has getRandomValues; this is only a safety net.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads fresh data and remembers it; with no network, falls back to what was remembered.
pub async fn fresh_or_cached<T, F>(key: &str, fetch: F) -> crate::api::ApiResult<T>
where
    T: Serialize + DeserializeOwned,
    F: std::future::Future<Output = crate::api::ApiResult<T>>,
{
    match fetch.await {
        Ok(value) => {
            save(key, &value);
            Ok(value)
        }
        Err(crate::api::ApiFailure::Network) => load(key).ok_or(crate::api::ApiFailure::Network),
        Err(other) => Err(other),
    }
}

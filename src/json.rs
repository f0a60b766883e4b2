//! JSON in and out of the app through the browser's own `JSON.parse` / `JSON.stringify`, with
//! serde-wasm-bindgen between JavaScript values and our types. serde_json compiled a whole
//! parser into each type's decoding: this way the wasm is some 10 KB (brotli) smaller, which
//! issue 5's first-screen budget needs. The JSON itself is the same either way.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `text` as a `T`; `None` for text that is not JSON or not a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// `value` as JSON text, as serde_json would write it (maps as objects, `None` as `null`).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}

//! The live figures stream (宣): `GET /api/v1/staff/live` as server-sent events, read through
//! `fetch()` and a stream reader because `EventSource` cannot send the session's Authorization
//! header (and a token never goes in a URL). The parser is a plain function the tests reach.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// One server-sent event: its name (`message` when none) and its data lines joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

/// Takes every complete event off the front of `buffer` (events end with a blank line; CRLF
/// and LF both count), leaving a partial event for the next chunk.
pub fn take_events(buffer: &mut String) -> Vec<SseEvent> {
    if buffer.contains('\r') {
        *buffer = buffer.replace("\r\n", "\n").replace('\r', "\n");
    }
    let mut events = Vec::new();
    while let Some(end) = buffer.find("\n\n") {
        let block: String = buffer.drain(..end + 2).collect();
        let mut event = String::from("message");
        let mut data: Vec<&str> = Vec::new();
        for line in block.lines() {
            if line.is_empty() || line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => event = value.to_owned(),
                "data" => data.push(value),
                _ => {}
            }
        }
        if !data.is_empty() {
            events.push(SseEvent {
                event,
                data: data.join("\n"),
            });
        }
    }
    events
}

/// Why the stream stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// The session is no longer valid.
    Unauthorised,
    /// Anything else: network, server restart, endpoint missing. Try again later.
    Broken,
}

/// Reads the stream until it ends, handing each event to `on_event`. `signal` aborts it.
pub async fn follow(
    path: &str,
    token: &str,
    signal: &web_sys::AbortSignal,
    mut on_event: impl FnMut(SseEvent),
) -> StreamEnd {
    let Some(window) = web_sys::window() else {
        return StreamEnd::Broken;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_signal(Some(signal));
    let Ok(headers) = web_sys::Headers::new() else {
        return StreamEnd::Broken;
    };
    let _ = headers.set("Authorization", &format!("Bearer {token}"));
    let _ = headers.set("Accept", "text/event-stream");
    init.set_headers(&headers);
    let Ok(request) = web_sys::Request::new_with_str_and_init(path, &init) else {
        return StreamEnd::Broken;
    };
    let Ok(response) = JsFuture::from(window.fetch_with_request(&request)).await else {
        return StreamEnd::Broken;
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return StreamEnd::Broken;
    };
    if response.status() == 401 {
        return StreamEnd::Unauthorised;
    }
    if !response.ok() {
        return StreamEnd::Broken;
    }
    let Some(body) = response.body() else {
        return StreamEnd::Broken;
    };
    let Ok(reader) = body
        .get_reader()
        .dyn_into::<web_sys::ReadableStreamDefaultReader>()
    else {
        return StreamEnd::Broken;
    };
    let mut bytes: Vec<u8> = Vec::new();
    let mut text = String::new();
    loop {
        let Ok(chunk) = JsFuture::from(reader.read()).await else {
            return StreamEnd::Broken;
        };
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return StreamEnd::Broken;
        }
        let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) else {
            return StreamEnd::Broken;
        };
        bytes.extend(js_sys::Uint8Array::new(&value).to_vec());
        // Keep a multi-byte character split across chunks for the next one.
        let valid = match std::str::from_utf8(&bytes) {
            Ok(s) => s.len(),
            Err(e) => e.valid_up_to(),
        };
        text.push_str(std::str::from_utf8(&bytes[..valid]).unwrap_or_default());
        bytes.drain(..valid);
        for event in take_events(&mut text) {
            on_event(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_events_are_taken_and_a_partial_one_waits() {
        let mut buffer = String::from(
            ": keep-alive\n\nevent: figures\ndata: {\"received_today\":1}\n\nevent: figures\ndata: {\"rec",
        );
        let events = take_events(&mut buffer);
        assert_eq!(
            events,
            [SseEvent {
                event: "figures".into(),
                data: "{\"received_today\":1}".into()
            }]
        );
        assert_eq!(buffer, "event: figures\ndata: {\"rec");
        buffer.push_str("eived_today\":2}\n\n");
        assert_eq!(take_events(&mut buffer)[0].data, "{\"received_today\":2}");
        assert!(buffer.is_empty());
    }

    #[test]
    fn crlf_and_multi_line_data_are_read() {
        let mut buffer = String::from("data: a\r\ndata: b\r\n\r\n");
        assert_eq!(
            take_events(&mut buffer),
            [SseEvent {
                event: "message".into(),
                data: "a\nb".into()
            }]
        );
    }
}

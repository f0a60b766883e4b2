//! Open311 answers in both formats: one JSON value, rendered as JSON or as the spec's XML
//! (arrays become a plural element around singular ones: `<services><service>…`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// Splits a path's last segment, `requests.json`, into its name and format.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (name, extension) = file.rsplit_once('.')?;
        let format = match extension {
            "json" => Format::Json,
            "xml" => Format::Xml,
            _ => return None,
        };
        (!name.is_empty()).then_some((name, format))
    }
}

/// An answer: `value` under the XML element `root` (an array's items take the singular name).
pub struct Reply {
    pub status: StatusCode,
    pub format: Format,
    pub root: &'static str,
    pub value: Value,
}

impl Reply {
    pub fn ok(format: Format, root: &'static str, value: Value) -> Self {
        Self {
            status: StatusCode::OK,
            format,
            root,
            value,
        }
    }

    /// Open311's error list: `[{code, description}]`, `<errors><error>…`.
    pub fn errors(status: StatusCode, format: Format, descriptions: &[String]) -> Self {
        let errors = descriptions
            .iter()
            .map(|d| json!({ "code": status.as_u16(), "description": d }))
            .collect();
        Self {
            status,
            format,
            root: "errors",
            value: Value::Array(errors),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let (content_type, body) = match self.format {
            Format::Json => (
                "application/json; charset=utf-8",
                serde_json::to_string(&self.value).expect("JSON values serialise"),
            ),
            Format::Xml => {
                let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
                element(&mut xml, self.root, &self.value);
                ("text/xml; charset=utf-8", xml)
            }
        };
        let mut response = (self.status, body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    }
}

/// The element name of one item of a list element.
fn singular(plural: &str) -> &str {
    match plural {
        "services" => "service",
        "service_requests" => "request",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "notes" => "note",
        "photos" => "photo",
        "errors" => "error",
        _ => "item",
    }
}

fn element(out: &mut String, name: &str, value: &Value) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(text) => escape(out, text),
        Value::Array(items) => {
            for item in items {
                element(out, singular(name), item);
            }
        }
        Value::Object(fields) => {
            for (key, field) in fields {
                element(out, key, field);
            }
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Escapes text for XML, dropping the control characters XML 1.0 cannot carry at all.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(root: &'static str, value: Value) -> String {
        let mut out = String::new();
        element(&mut out, root, &value);
        out
    }

    #[test]
    fn lists_wrap_singular_items_and_text_is_escaped() {
        let value = json!([{ "service_code": "a&b", "metadata": true, "keywords": null }]);
        assert_eq!(
            xml("services", value),
            "<services><service><keywords></keywords><metadata>true</metadata>\
             <service_code>a&amp;b</service_code></service></services>"
        );
        assert_eq!(
            xml(
                "errors",
                json!([{ "code": 400, "description": "<bad>\u{1}" }])
            ),
            "<errors><error><code>400</code><description>&lt;bad&gt;</description></error></errors>"
        );
    }

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(
            Format::split("requests.json"),
            Some(("requests", Format::Json))
        );
        assert_eq!(
            Format::split("20261126000001.xml"),
            Some(("20261126000001", Format::Xml))
        );
        assert_eq!(Format::split("requests.html"), None);
        assert_eq!(Format::split("requests"), None);
        assert_eq!(Format::split(".json"), None);
    }
}

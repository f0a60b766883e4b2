//! What pages may do and what may be kept of the answers: the apps' Content-Security-Policy
//! (built from the inline scripts of the `index.html` actually served), the API's, framing,
//! HSTS and the default `Cache-Control` of answers that may hold personal data.

use axum::Router;
use axum::http::{HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::links::PublicUrl;

/// The policy of an app page. Scripts: our own files and the inline scripts of its
/// `index.html` by hash (Trunk's module loader, the start-up checks), never `unsafe-inline`;
/// `wasm-unsafe-eval` because compiling WebAssembly needs it. Images: our own, plus the
/// `blob:` and `data:` previews and thumbnails of photos made on the phone. Fetches (the API,
/// the wasm modules, the service worker's copies) only to this origin. No plug-ins, no
/// `<base>` elsewhere, forms only to us, and no framing: the WeChat-style webviews we serve
/// open the page as a top-level document, they do not frame it.
pub fn app_policy(html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html)
        .into_iter()
        .map(|script| format!(" 'sha256-{}'", script_hash(script)))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'",
        hashes.concat()
    )
}

/// The policy of every other answer (JSON, XML, errors): nothing may run or load in it.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The default for answers of the API and Open311 that do not say otherwise: many hold
/// personal data (case views, staff lists, sign-in tokens), and no cache — shared or the
/// browser's own — may keep them. Public answers pay a refetch; none is large.
pub fn no_store_by_default() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    )
}

/// The headers every answer carries: no framing (for webviews too old for `frame-ancestors`),
/// the API's policy unless the answer has its own, and HSTS when the public address is HTTPS
/// (a browser ignores it over plain HTTP, and without a known HTTPS address it could lock a
/// plain-HTTP deployment out of browsers that saw it once).
pub fn everywhere(router: Router, public_url: Option<&PublicUrl>) -> Router {
    let router = router
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_POLICY),
        ));
    if public_url.is_some_and(PublicUrl::is_https) {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ))
    } else {
        router
    }
}

/// The base64 SHA-256 of a script's text as a browser hashes it: the HTML parser has already
/// turned CR LF and lone CR into LF.
pub fn script_hash(script: &str) -> String {
    let text = script.replace("\r\n", "\n").replace('\r', "\n");
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The text of each `<script>` without a `src` in a page, as written (Trunk's release build
/// minifies them and leaves attributes unquoted, so this reads tags, not lines).
pub fn inline_scripts(html: &str) -> Vec<&str> {
    // ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut scripts = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let name_end = at + found + "<script".len();
        let Some(&next) = lower.as_bytes().get(name_end) else {
            break;
        };
        if !(next.is_ascii_whitespace() || next == b'>' || next == b'/') {
            at = name_end;
            continue;
        }
        let Some((tag_end, names)) = start_tag(&lower, name_end) else {
            break;
        };
        let content_start = tag_end + 1;
        let Some(length) = lower[content_start..].find("</script") else {
            break;
        };
        if !names.contains(&"src") {
            scripts.push(&html[content_start..content_start + length]);
        }
        at = content_start + length + "</script".len();
    }
    scripts
}

/// Reads a start tag's attributes from `from`: the index of its closing `>` and the attribute
/// names (values may be quoted, and a quoted value may hold `>`).
fn start_tag(tag: &str, from: usize) -> Option<(usize, Vec<&str>)> {
    let bytes = tag.as_bytes();
    let mut names = Vec::new();
    let mut i = from;
    loop {
        while bytes.get(i)?.is_ascii_whitespace() || bytes[i] == b'/' {
            i += 1;
        }
        if bytes[i] == b'>' {
            return Some((i, names));
        }
        let start = i;
        while !matches!(bytes.get(i)?, b'=' | b'>' | b'/') && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        names.push(&tag[start..i]);
        while bytes.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i] != b'=' {
            continue;
        }
        i += 1;
        while bytes.get(i)?.is_ascii_whitespace() {
            i += 1;
        }
        match bytes[i] {
            quote @ (b'"' | b'\'') => {
                i += 1 + tag[i + 1..].find(quote as char)? + 1;
            }
            _ => {
                while !bytes.get(i)?.is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_in_plain_and_minified_pages() {
        let page = "<!doctype html><head><script>one()</script>\
            <script nomodule>\ntwo()\n</script><script src=/a.js></script>\
            <script data-x=\"a>b\" type=module>import x from '/x.js'</script>\
            <noscript>no</noscript><SCRIPT TYPE='module'>four()</SCRIPT>\
            <scripts>not a script</scripts><script src=\"/b.js\" defer></script>";
        assert_eq!(
            inline_scripts(page),
            vec!["one()", "\ntwo()\n", "import x from '/x.js'", "four()"]
        );
        assert!(inline_scripts("<p>no scripts</p><script>unterminated").is_empty());
    }

    #[test]
    fn script_hashes_are_those_browsers_compute() {
        // The value CSP's own examples give for `alert('Hello, world.');`.
        assert_eq!(
            script_hash("alert('Hello, world.');"),
            "qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
        );
        assert_eq!(script_hash("a()\r\nb()\r"), script_hash("a()\nb()\n"));
    }

    #[test]
    fn the_app_policy_names_each_inline_script_and_never_unsafe_inline() {
        let policy = app_policy("<script>a()</script><script>b()</script>");
        assert!(policy.contains(&format!("'sha256-{}'", script_hash("a()"))));
        assert!(policy.contains(&format!("'sha256-{}'", script_hash("b()"))));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}

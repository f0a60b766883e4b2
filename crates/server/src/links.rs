//! The platform's public address (`--public-url`) and the links the server writes with it. A
//! request's `Host` header is never used: anyone can send any value, and a link built from it
//! would point a client (or a cache) at someone else's server.

use std::fmt;
use std::str::FromStr;

/// `https://12345.example.gov.cn` or `https://example.gov.cn/12345`: a scheme, a host and
/// perhaps a path, kept without a trailing slash.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim().trim_end_matches('/');
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or("expected http:// or https:// and a host, e.g. https://12345.example.gov.cn")?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() || host.contains('@') {
            return Err("expected a host after the scheme, without user or password".into());
        }
        if !rest.bytes().all(|b| b.is_ascii_graphic()) || rest.contains(['?', '#']) {
            return Err("expected a plain address without spaces, query or fragment".into());
        }
        Ok(Self(text.to_owned()))
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Where the links the server writes start: the public address, or nothing (links relative to
/// the server's root) when none is configured.
#[derive(Clone, Debug, Default)]
pub struct Links {
    origin: String,
}

impl Links {
    pub fn new(public_url: Option<&PublicUrl>) -> Self {
        Self {
            origin: public_url.map(|u| u.0.clone()).unwrap_or_default(),
        }
    }

    /// The link to `path` (which starts with `/`).
    pub fn to(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_keep_scheme_host_and_path_without_a_final_slash() {
        let url: PublicUrl = "https://12345.example.gov.cn/".parse().unwrap();
        assert_eq!(url.as_str(), "https://12345.example.gov.cn");
        assert!(url.is_https());
        let url: PublicUrl = "http://10.0.0.5:8080/yousu".parse().unwrap();
        assert!(!url.is_https());
        assert_eq!(
            Links::new(Some(&url)).to("/open311/v2"),
            "http://10.0.0.5:8080/yousu/open311/v2"
        );
        for bad in [
            "12345.example.gov.cn",
            "ftp://x",
            "https://",
            "https://a b",
            "https://u:p@x",
            "https://x/?q",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn without_a_public_url_links_are_relative_to_the_root() {
        assert_eq!(
            Links::new(None).to("/api/v1/photos/p1"),
            "/api/v1/photos/p1"
        );
    }
}

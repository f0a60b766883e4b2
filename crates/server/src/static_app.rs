//! Serving the built apps: the resident app from the app folder and the staff workbench from its
//! `staff/` subfolder under `/staff/` — files (brotli or gzip copies when the build made them),
//! each app's own `index.html` for its own routes, long-lived caching for content-hashed assets,
//! and each app's Content-Security-Policy made from the inline scripts of the `index.html` served.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower::service_fn;
use tower_http::services::{ServeDir, ServeFile};

/// The workbench's folder inside the app folder, and the path it is served at.
pub const STAFF_DIR: &str = "staff";
pub const STAFF_PATH: &str = "/staff";

pub fn router(app_dir: &Path) -> Router {
    Router::new()
        .nest_service(STAFF_PATH, single_page_app(&app_dir.join(STAFF_DIR)))
        .fallback_service(single_page_app(app_dir))
        .layer(middleware::from_fn(cache_control))
}

/// One app's files, and its `index.html` for any path that is not a file (its own routes).
fn single_page_app(dir: &Path) -> Router {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let app_route = service_fn(move |request: Request| {
        let index = index.clone();
        async move {
            if looks_like_file(request.uri().path()) {
                return Ok::<_, Infallible>(StatusCode::NOT_FOUND.into_response());
            }
            let response = index.oneshot(request).await?;
            Ok(response.map(Body::new))
        }
    });
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(app_route);
    let policy = Arc::new(Policy::new(dir.join("index.html")));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(
            policy,
            content_security_policy,
        ))
}

/// One app's Content-Security-Policy, made at start-up from its `index.html` and made again when
/// that file changes (a new build put in place): Trunk minifies the inline scripts of a release
/// build and `cargo xtask split-app` rewrites the page, so only the file served has the right
/// hashes.
struct Policy {
    index: PathBuf,
    made: Mutex<(Option<(SystemTime, u64)>, HeaderValue)>,
}

impl Policy {
    fn new(index: PathBuf) -> Self {
        let stamp = stamp(std::fs::metadata(&index).ok());
        let html = std::fs::read_to_string(&index).unwrap_or_default();
        Self {
            index,
            made: Mutex::new((stamp, policy_of(&html))),
        }
    }

    async fn current(&self) -> HeaderValue {
        let stamp = stamp(tokio::fs::metadata(&self.index).await.ok());
        {
            let made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
            if made.0 == stamp {
                return made.1.clone();
            }
        }
        let html = tokio::fs::read_to_string(&self.index)
            .await
            .unwrap_or_default();
        let value = policy_of(&html);
        *self.made.lock().unwrap_or_else(PoisonError::into_inner) = (stamp, value.clone());
        value
    }
}

fn stamp(metadata: Option<std::fs::Metadata>) -> Option<(SystemTime, u64)> {
    metadata.and_then(|m| Some((m.modified().ok()?, m.len())))
}

fn policy_of(html: &str) -> HeaderValue {
    HeaderValue::from_str(&crate::headers::app_policy(html))
        .expect("a policy of ASCII sources and base64 hashes is a valid header")
}

async fn content_security_policy(
    State(policy): State<Arc<Policy>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy.current().await);
    response
}

/// A path whose last segment has an extension asks for a file, not for a screen of the app.
fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

/// Trunk names built assets `name-<hex hash>.ext` (`yousu-1a2b…_bg.wasm`): such a file never
/// changes, so browsers may keep it for a year. Everything else is revalidated on each visit.
fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.rsplit('/').next() else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed_asset("/yousu-5e0d7c0b3f1a2c9d_bg.wasm"));
        assert!(is_hashed_asset("/yousu-5e0d7c0b3f1a2c9d.js"));
        assert!(is_hashed_asset("/main-a1b2c3d4e5f60718.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/favicon.svg"));
        assert!(!is_hashed_asset("/yousu-core.js"));
    }

    #[test]
    fn app_routes_are_not_files() {
        assert!(!looks_like_file("/cases/20261126000001"));
        assert!(!looks_like_file("/"));
        assert!(looks_like_file("/missing.js"));
    }
}

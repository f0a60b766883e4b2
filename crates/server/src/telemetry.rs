//! Logging: one structured line per request, carrying the request id and never personal data —
//! no query strings (they may hold a lookup code), no bodies, no headers.

use std::io::IsTerminal;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::EnvFilter;

use crate::error::InternalError;

/// Logs to stderr; `RUST_LOG` overrides the level, `YOUSU_LOG_FORMAT=json` gives JSON lines.
pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if std::env::var("YOUSU_LOG_FORMAT").is_ok_and(|v| v == "json") {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let micros = started.elapsed().as_micros() as u64;
    match response.extensions().get::<InternalError>() {
        Some(InternalError(detail)) => tracing::error!(
            %method, %path, status, micros, request_id, error = %detail, "request failed"
        ),
        None => tracing::info!(%method, %path, status, micros, request_id, "request"),
    }
    response
}

//! Our own JSON API under `/api/v1`; each resource module owns its routes.

use axum::Router;
use axum::http::{Method, StatusCode, Uri};

use crate::app::AppState;
use crate::error::AppError;

pub mod cases;
pub mod figures;
pub mod health;
pub mod reference;
pub mod staff;

/// The largest JSON body the API reads (the longest description is 4,000 characters).
pub const MAX_JSON_BODY: usize = 64 * 1024;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(reference::router())
        .merge(cases::router())
        .merge(staff::router())
        .merge(figures::router())
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
}

/// A known path asked with a method it does not answer.
async fn method_not_allowed(method: Method) -> AppError {
    AppError::client(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("this endpoint does not answer {method}"),
    )
}

/// An unknown API path answers in our error shape rather than with the app's `index.html`.
async fn unknown_endpoint(_: Uri) -> AppError {
    AppError::NotFound("endpoint")
}

//! Our own JSON API under `/api/v1`; each resource module owns its routes.

use axum::Router;
use axum::http::Uri;

use crate::app::AppState;
use crate::error::AppError;

pub mod cases;
pub mod figures;
pub mod health;
pub mod reference;
pub mod staff;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(reference::router())
        .merge(cases::router())
        .merge(staff::router())
        .merge(figures::router())
        .fallback(unknown_endpoint)
}

/// An unknown API path answers in our error shape rather than with the app's `index.html`.
async fn unknown_endpoint(_: Uri) -> AppError {
    AppError::NotFound("endpoint")
}

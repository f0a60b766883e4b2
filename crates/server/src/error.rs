//! The API's one error type. Every failure becomes our JSON error shape (`yousu_core::api::ApiError`)
//! with a fitting 4xx/5xx status; converting does not log — the request middleware logs once.

use axum::Json;
use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use yousu_core::FieldError;
use yousu_core::api::ApiError;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A request the client must change (4xx), with a stable code.
    #[error("{message}")]
    Client {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// A request refused (400) for what one of its fields is, field by field.
    #[error("{message}")]
    BadFields {
        code: &'static str,
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    RateLimited {
        retry_after_secs: u64,
        message: String,
    },
    /// The platform cannot take this now (not the client's doing): 503 with `Retry-After`.
    #[error("{message}")]
    Unavailable {
        retry_after_secs: u64,
        code: &'static str,
        message: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::client(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn client(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Client {
            status,
            code,
            message: message.into(),
        }
    }
}

/// `Retry-After` of a 503 (the database busy, locked, restarting or unreachable): soon enough
/// that a resident's appeal goes out within seconds of the database's return, not so soon that
/// every phone hammers a database that is starting up. The app backs off further on its own.
pub const RETRY_UNAVAILABLE_AFTER_SECS: u64 = 2;

/// What went wrong inside, for the request log only; never sent to the client.
#[derive(Clone, Debug)]
pub struct InternalError(pub String);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            AppError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ApiError {
                    error: "invalid".into(),
                    message: "some fields are not valid".into(),
                    fields: fields.clone(),
                },
            ),
            AppError::Client {
                status,
                code,
                message,
            } => (
                *status,
                ApiError {
                    error: (*code).into(),
                    message: message.clone(),
                    fields: Vec::new(),
                },
            ),
            AppError::BadFields {
                code,
                message,
                fields,
            } => (
                StatusCode::BAD_REQUEST,
                ApiError {
                    error: (*code).into(),
                    message: message.clone(),
                    fields: fields.clone(),
                },
            ),
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                ApiError {
                    error: "not_found".into(),
                    message: format!("{what} not found"),
                    fields: Vec::new(),
                },
            ),
            AppError::RateLimited { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                ApiError {
                    error: "rate_limited".into(),
                    message: message.clone(),
                    fields: Vec::new(),
                },
            ),
            AppError::Unavailable { code, message, .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError {
                    error: (*code).into(),
                    message: message.clone(),
                    fields: Vec::new(),
                },
            ),
            AppError::Store(e) if e.is_unavailable() => (
                StatusCode::SERVICE_UNAVAILABLE,
                ApiError {
                    error: "unavailable".into(),
                    message: "the platform cannot take this request right now; try again".into(),
                    fields: Vec::new(),
                },
            ),
            AppError::Store(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ApiError {
                    error: "internal".into(),
                    message: "something went wrong on the platform; it has been logged".into(),
                    fields: Vec::new(),
                },
            ),
        };
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::CONFLICT {
            // The same request is still being handled: ask the client to try again shortly.
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if let AppError::RateLimited {
            retry_after_secs, ..
        }
        | AppError::Unavailable {
            retry_after_secs, ..
        } = &self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        if let AppError::Store(e) = &self {
            if e.is_unavailable() {
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(RETRY_UNAVAILABLE_AFTER_SECS),
                );
            }
            response
                .extensions_mut()
                .insert(InternalError(e.to_string()));
        }
        response
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        let code = match rejection {
            JsonRejection::MissingJsonContentType(_) => "not_json",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            JsonRejection::JsonDataError(_) => "wrong_json_shape",
            _ => "unreadable_body",
        };
        // The rejection knows its status: 400 unreadable, 413 too large, 415 not JSON, 422 shape.
        AppError::client(rejection.status(), code, rejection.body_text())
    }
}

/// `axum::Json`, but a body it cannot read answers in our error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

pub type AppResult<T> = Result<T, AppError>;

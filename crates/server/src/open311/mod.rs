//! Open311 GeoReport v2 under `/open311/v2`, as existing 311 clients read it: `discovery`,
//! `services`, `services/{code}`, `requests` (GET and POST), `requests/{id}` and
//! `tokens/{token}`, each as `.xml` and `.json`. Service codes are the catalogue's categories,
//! `address_id` is a community's id (see `/api/v1/grid`), request ids are case numbers.

use axum::Router;
use axum::extract::{DefaultBodyLimit, Extension, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use yousu_core::photo::MAX_PHOTO_BYTES;

use crate::app::AppState;
use crate::client_addr::ClientIp;
use crate::error::{AppError, InternalError};
use crate::links::Links;
use format::{Format, Reply};

mod format;
mod read;
mod submit;

pub const PREFIX: &str = "/open311/v2";

pub fn router(state: AppState, links: Links) -> Router {
    Router::new()
        .route("/{file}", get(get_root).post(post_root))
        .route("/services/{file}", get(get_service))
        .route("/requests/{file}", get(get_request))
        .route("/tokens/{file}", get(get_token))
        .fallback(unknown)
        .method_not_allowed_fallback(method_not_allowed)
        // Room for one photo in a multipart submission.
        .layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 64 * 1024))
        .layer(Extension(links))
        .with_state(state)
}

/// The language of names and notes: Chinese unless the client prefers English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    fn of(headers: &HeaderMap) -> Self {
        let preferred = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .trim_start()
            .to_ascii_lowercase();
        if preferred.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// What went wrong, as Open311's error list with a 4xx (or, for our own faults, 5xx) status.
#[derive(Debug)]
pub struct Open311Error {
    status: StatusCode,
    descriptions: Vec<String>,
    retry_after: Option<u64>,
    /// For the request log only, never sent.
    internal: Option<String>,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Self {
            status,
            descriptions: vec![description.into()],
            retry_after: None,
            internal: None,
        }
    }

    pub fn bad(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn forbidden(description: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, description)
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }

    /// A fault of ours: logged, answered without detail.
    pub fn store(error: impl std::fmt::Display) -> Self {
        Self {
            internal: Some(error.to_string()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "something went wrong on the platform; it has been logged",
            )
        }
    }

    /// A database that is busy, locked, restarting or unreachable is 503 with `Retry-After`, as
    /// in our own API; any other store failure is a fault of ours.
    pub fn from_store(error: crate::store::StoreError) -> Self {
        if error.is_unavailable() {
            Self {
                internal: Some(error.to_string()),
                retry_after: Some(crate::error::RETRY_UNAVAILABLE_AFTER_SECS),
                ..Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the platform cannot take this request right now; try again",
                )
            }
        } else {
            Self::store(error)
        }
    }

    /// Our API's errors in Open311's shape: every field error becomes one error entry.
    pub fn from_app(error: AppError, lang: Lang) -> Self {
        match error {
            AppError::Invalid(fields) => Self {
                descriptions: fields
                    .iter()
                    .map(|f| {
                        let field = f.field.replace("photo_ids", "media");
                        format!("{field}: {}", lang.pick(&f.message_zh, &f.message_en))
                    })
                    .collect(),
                ..Self::bad("")
            },
            AppError::Client {
                status, message, ..
            } => Self::new(status, message),
            AppError::BadFields { message, .. } => Self::bad(message),
            AppError::NotFound(what) => Self::not_found(format!("{what} not found")),
            AppError::RateLimited {
                retry_after_secs,
                message,
            } => Self {
                retry_after: Some(retry_after_secs),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, message)
            },
            AppError::Unavailable {
                retry_after_secs,
                message,
                ..
            } => Self {
                retry_after: Some(retry_after_secs),
                ..Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
            },
            AppError::Store(e) => Self::from_store(e),
        }
    }

    fn reply(self, format: Format) -> Response {
        let mut response = Reply::errors(self.status, format, &self.descriptions).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(internal) = self.internal {
            response.extensions_mut().insert(InternalError(internal));
        }
        response
    }
}

/// This endpoint's address, from the configured public URL (never the request's `Host`).
fn base_url(links: &Links) -> String {
    links.to(PREFIX)
}

/// A path without `.json` or `.xml`: 404, in JSON.
fn no_format() -> Response {
    Open311Error::not_found("add .json or .xml to the path").reply(Format::Json)
}

fn answer(format: Format, result: Result<Reply, Open311Error>) -> Response {
    match result {
        Ok(reply) => reply.into_response(),
        Err(error) => error.reply(format),
    }
}

fn query_pairs(uri: &Uri) -> Result<Vec<(String, String)>, Open311Error> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .map_err(|_| Open311Error::bad("the query string cannot be read"))
}

async fn get_root(
    State(state): State<AppState>,
    Extension(links): Extension<Links>,
    Path(file): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return no_format();
    };
    let lang = Lang::of(&headers);
    let base = base_url(&links);
    let result = match name {
        "discovery" => Ok(read::discovery(&base, format)),
        "services" => Ok(read::services(&state, lang, format)),
        "requests" => {
            async {
                let query = read::RequestsQuery::from_pairs(&query_pairs(&uri)?)?;
                let list = read::requests(&state, &query, &base, lang).await?;
                Ok(Reply::ok(format, "service_requests", list))
            }
            .await
        }
        _ => Err(Open311Error::not_found(format!("no resource {name}"))),
    };
    answer(format, result)
}

async fn post_root(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(file): Path<String>,
    request: Request,
) -> Response {
    let Some((name, format)) = Format::split(&file) else {
        return no_format();
    };
    if name != "requests" {
        return Open311Error::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{name} cannot be posted to"),
        )
        .reply(format);
    }
    let lang = Lang::of(request.headers());
    let result = submit::submit(&state, client, request, lang).await;
    match result {
        Ok(value) => Reply {
            status: StatusCode::CREATED,
            format,
            root: "service_requests",
            value,
        }
        .into_response(),
        Err(error) => error.reply(format),
    }
}

async fn get_service(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((code, format)) = Format::split(&file) else {
        return no_format();
    };
    answer(
        format,
        read::service_definition(&state, code, Lang::of(&headers), format),
    )
}

async fn get_request(
    State(state): State<AppState>,
    Extension(links): Extension<Links>,
    Path(file): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let Some((id, format)) = Format::split(&file) else {
        return no_format();
    };
    let result = async {
        let mut query = read::RequestsQuery::from_pairs(&query_pairs(&uri)?)?;
        query.service_request_id = Some(id.to_owned());
        let list = read::requests(&state, &query, &base_url(&links), Lang::of(&headers)).await?;
        if list.as_array().is_none_or(|l| l.is_empty()) {
            return Err(Open311Error::not_found(format!("no request {id}")));
        }
        Ok(Reply::ok(format, "service_requests", list))
    }
    .await;
    answer(format, result)
}

async fn get_token(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((token, format)) = Format::split(&file) else {
        return no_format();
    };
    let result = read::token(&state, token)
        .await
        .map(|value| Reply::ok(format, "service_requests", value));
    answer(format, result)
}

fn format_of(uri: &Uri) -> Format {
    if uri.path().ends_with(".xml") {
        Format::Xml
    } else {
        Format::Json
    }
}

async fn unknown(uri: Uri) -> Response {
    Open311Error::not_found("no such Open311 resource").reply(format_of(&uri))
}

async fn method_not_allowed(uri: Uri) -> Response {
    Open311Error::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "this resource does not answer that method",
    )
    .reply(format_of(&uri))
}

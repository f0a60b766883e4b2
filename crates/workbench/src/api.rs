//! The typed client of `/api/v1` as staff use it: relative URLs, the session token in
//! `Authorization: Bearer`, non-2xx answers decoded into the shared error shape. A 401 ends the
//! session at once, so the sign-in screen shows with "your session has ended".

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use yousu_core::api::{API_PREFIX, ApiError, IDEMPOTENCY_KEY_HEADER, LoginRequest, LoginResponse};

use crate::session::{SessionStore, SignInReason};

#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// No answer at all: offline, server down, connection cut.
    Network,
    /// The server answered with an error.
    Rejected { status: u16, error: ApiError },
    /// An answer we could not read.
    Unreadable,
}

impl ApiFailure {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiFailure::Rejected { status, .. } => Some(*status),
            _ => None,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiFailure>;

pub fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn read_text(response: Result<Response, gloo_net::Error>) -> ApiResult<(u16, String)> {
    let response = response.map_err(|_| ApiFailure::Network)?;
    let status = response.status();
    if response.ok() {
        let text = response.text().await.map_err(|_| ApiFailure::Network)?;
        return Ok((status, text));
    }
    match response.json::<ApiError>().await {
        Ok(error) => Err(ApiFailure::Rejected { status, error }),
        Err(_) if status >= 500 => Err(ApiFailure::Network),
        Err(_) => Err(ApiFailure::Rejected {
            status,
            error: ApiError {
                error: "unreadable".into(),
                message: format!("HTTP {status}"),
                fields: Vec::new(),
            },
        }),
    }
}

fn decode<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    serde_json::from_str(text).map_err(|_| ApiFailure::Unreadable)
}

/// Signs in; a wrong password is a 401 here, not an ended session.
pub async fn login(request: &LoginRequest) -> ApiResult<LoginResponse> {
    let request = Request::post(&url("/staff/login"))
        .json(request)
        .map_err(|_| ApiFailure::Unreadable)?;
    let (_, text) = read_text(request.send().await).await?;
    decode(&text)
}

/// The client of one signed-in staff member.
#[derive(Clone, Copy)]
pub struct Api {
    store: SessionStore,
}

impl Api {
    pub fn new(store: SessionStore) -> Self {
        Self { store }
    }

    fn authorised(&self, builder: RequestBuilder) -> RequestBuilder {
        match self.store.token() {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        }
    }

    /// Sends and reads; a 401 ends the session (expired, or signed out elsewhere).
    async fn send(&self, request: Result<Request, gloo_net::Error>) -> ApiResult<String> {
        let request = request.map_err(|_| ApiFailure::Unreadable)?;
        match read_text(request.send().await).await {
            Ok((_, text)) => Ok(text),
            Err(failure) => {
                if failure.status() == Some(401) && self.store.token().is_some() {
                    self.store.end(SignInReason::Expired);
                }
                Err(failure)
            }
        }
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        let text = self
            .send(self.authorised(Request::get(&url(path))).build())
            .await?;
        decode(&text)
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> ApiResult<T> {
        let text = self
            .send(self.authorised(Request::post(&url(path))).json(body))
            .await?;
        decode(&text)
    }

    /// A post with an idempotency key, so a retried intake makes one case.
    pub async fn post_once<T: DeserializeOwned>(
        &self,
        path: &str,
        key: &str,
        body: &impl Serialize,
    ) -> ApiResult<T> {
        let builder = self
            .authorised(Request::post(&url(path)))
            .header(IDEMPOTENCY_KEY_HEADER, key);
        let text = self.send(builder.json(body)).await?;
        decode(&text)
    }

    pub async fn put<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> ApiResult<T> {
        let text = self
            .send(self.authorised(Request::put(&url(path))).json(body))
            .await?;
        decode(&text)
    }

    /// A JSON post whose answer has no body (204).
    pub async fn post_unit(&self, path: &str, body: &impl Serialize) -> ApiResult<()> {
        self.send(self.authorised(Request::post(&url(path))).json(body))
            .await
            .map(|_| ())
    }

    /// Uploads a CSV file's text.
    pub async fn post_csv<T: DeserializeOwned>(&self, path: &str, csv: String) -> ApiResult<T> {
        let builder = self
            .authorised(Request::post(&url(path)))
            .header("Content-Type", "text/csv; charset=utf-8");
        let text = self.send(builder.body(csv)).await?;
        decode(&text)
    }

    /// A post whose answer has no body (sign out).
    pub async fn post_empty(&self, path: &str) -> ApiResult<()> {
        self.send(self.authorised(Request::post(&url(path))).build())
            .await
            .map(|_| ())
    }
}

pub fn use_api() -> Api {
    Api::new(crate::session::use_session())
}

/// A random idempotency key (32 hex digits) from the browser's cryptographic generator.
pub fn random_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

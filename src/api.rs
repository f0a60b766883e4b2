//! The typed client of `/api/v1`, on relative URLs (the server serves the app, and Trunk's dev
//! server proxies `/api/`). A non-2xx answer decodes into the shared error shape.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use yousu_core::api::{
    API_PREFIX, ApiError, CaseReceipt, CaseView, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER,
};
use yousu_core::catalog::{Catalog, Grid, Units};
use yousu_core::{CaseDraft, CaseNumber};

#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// No answer at all: offline, server down, connection cut.
    Network,
    /// The server answered with an error.
    Rejected { status: u16, error: ApiError },
    /// An answer we could not read.
    Unreadable,
}

pub type ApiResult<T> = Result<T, ApiFailure>;

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let response = response.map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        return response.json().await.map_err(|_| ApiFailure::Unreadable);
    }
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(error) => Err(ApiFailure::Rejected { status, error }),
        // A proxy or gateway error page: the platform itself was not reached.
        Err(_) if status >= 500 => Err(ApiFailure::Network),
        Err(_) => Err(ApiFailure::Unreadable),
    }
}

pub async fn catalog() -> ApiResult<Catalog> {
    read(Request::get(&url("/catalog")).send().await).await
}

pub async fn grid() -> ApiResult<Grid> {
    read(Request::get(&url("/grid")).send().await).await
}

/// Sends a submission; the same key always yields the same one case. Says too whether the answer
/// is a replay of an earlier one (whose server time is old).
pub async fn submit_case(
    idempotency_key: &str,
    draft: &CaseDraft,
) -> ApiResult<(CaseReceipt, bool)> {
    let request = Request::post(&url("/cases"))
        .header(IDEMPOTENCY_KEY_HEADER, idempotency_key)
        .json(draft)
        .map_err(|_| ApiFailure::Unreadable)?;
    let response = request.send().await;
    let replayed = response.as_ref().is_ok_and(|r| {
        r.headers()
            .get(IDEMPOTENT_REPLAYED_HEADER)
            .is_some_and(|v| v == "true")
    });
    Ok((read(response).await?, replayed))
}

/// The case as its resident sees it, opened with the access token its submission returned.
pub async fn case_by_token(case_number: &CaseNumber, access_token: &str) -> ApiResult<CaseView> {
    let request = Request::get(&url(&format!("/cases/{case_number}")))
        .header("Authorization", &format!("Bearer {access_token}"));
    read(request.send().await).await
}

pub async fn units() -> ApiResult<Units> {
    read(Request::get(&url("/units")).send().await).await
}

/// A resident's action on their own case (`rating`, `reopen`, `withdraw`, `information`).
pub async fn resident_act(
    case_number: &CaseNumber,
    access_token: &str,
    action: &str,
    body: &impl serde::Serialize,
) -> ApiResult<CaseView> {
    let request = Request::post(&url(&format!("/cases/{case_number}/{action}")))
        .header("Authorization", &format!("Bearer {access_token}"))
        .json(body)
        .map_err(|_| ApiFailure::Unreadable)?;
    read(request.send().await).await
}

/// The case opened with its lookup code, from any device.
pub async fn case_by_code(case_number: &CaseNumber, lookup_code: &str) -> ApiResult<CaseView> {
    let request =
        Request::get(&url(&format!("/cases/{case_number}"))).query([("code", lookup_code)]);
    read(request.send().await).await
}

//! The typed client of `/api/v1`, on relative URLs (the server serves the app, and Trunk's dev
//! server proxies `/api/`). A non-2xx answer decodes into the shared error shape.

use gloo_net::http::{Request, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use yousu_core::api::{
    API_PREFIX, ApiError, CaseView, Figures, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER,
    LOOKUP_CODE_HEADER, PublicCaseView, SuggestionRequest, Suggestions,
};
use yousu_core::catalog::{Catalog, Grid, Units};
use yousu_core::rates::Rate;
use yousu_core::{CaseDraft, CaseNumber};

use crate::json;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiFailure {
    /// No answer at all: offline, server down, connection cut.
    Network,
    /// The server answered with an error, and perhaps how many seconds to wait (`Retry-After`).
    Rejected {
        status: u16,
        error: ApiError,
        retry_after: Option<u32>,
    },
    /// An answer we could not read.
    Unreadable,
}

pub type ApiResult<T> = Result<T, ApiFailure>;

impl ApiFailure {
    /// A failure that sending the same request again later can cure: no answer, the platform
    /// or its database unavailable (5xx), too many requests (429), or the first attempt with
    /// this key still running (409).
    pub fn is_transient(&self) -> bool {
        match self {
            ApiFailure::Network => true,
            ApiFailure::Rejected { status, .. } => {
                *status >= 500 || matches!(status, 408 | 409 | 429)
            }
            ApiFailure::Unreadable => false,
        }
    }
}

fn url(path: &str) -> String {
    format!("{API_PREFIX}{path}")
}

async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let text = read_text(response).await?;
    json::from_str(&text).ok_or(ApiFailure::Unreadable)
}

/// The body of a 2xx answer; any other answer as the failure it is.
async fn read_text(response: Result<Response, gloo_net::Error>) -> ApiResult<String> {
    let response = response.map_err(|_| ApiFailure::Network)?;
    if response.ok() {
        return response.text().await.map_err(|_| ApiFailure::Network);
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let error = response.text().await.ok();
    match error.as_deref().and_then(json::from_str::<ApiError>) {
        Some(error) => Err(ApiFailure::Rejected {
            status,
            error,
            retry_after,
        }),
        // A proxy or gateway error page: the platform itself was not reached.
        None if status >= 500 => Err(ApiFailure::Network),
        None => Err(ApiFailure::Unreadable),
    }
}

pub async fn catalog() -> ApiResult<Catalog> {
    read(Request::get(&url("/catalog")).send().await).await
}

pub async fn grid() -> ApiResult<Grid> {
    read(Request::get(&url("/grid")).send().await).await
}

/// The answer to a submission: the case and the token that opens it from this phone.
///
/// `yousu_core::api::CaseReceipt` flattens the case into the same object; serde's flatten costs
/// the wasm some 15 KB, so the app reads the one body twice instead — as a `CaseView` (which
/// ignores the extra member) and for its token.
pub struct Receipt {
    pub case: CaseView,
    pub access_token: String,
}

#[derive(Deserialize)]
struct TokenOnly {
    access_token: String,
}

/// Sends a submission; the same key always yields the same one case. Says too whether the answer
/// is a replay of an earlier one (whose server time is old).
pub async fn submit_case(idempotency_key: &str, draft: &CaseDraft) -> ApiResult<(Receipt, bool)> {
    let request = Request::post(&url("/cases"))
        .header(IDEMPOTENCY_KEY_HEADER, idempotency_key)
        .header("Content-Type", "application/json")
        .body(json::to_string(draft).ok_or(ApiFailure::Unreadable)?)
        .map_err(|_| ApiFailure::Unreadable)?;
    let response = request.send().await;
    let replayed = response.as_ref().is_ok_and(|r| {
        r.headers()
            .get(IDEMPOTENT_REPLAYED_HEADER)
            .is_some_and(|v| v == "true")
    });
    let text = read_text(response).await?;
    let case = json::from_str(&text).ok_or(ApiFailure::Unreadable)?;
    let TokenOnly { access_token } = json::from_str(&text).ok_or(ApiFailure::Unreadable)?;
    Ok((Receipt { case, access_token }, replayed))
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
        .header("Content-Type", "application/json")
        .body(json::to_string(body).ok_or(ApiFailure::Unreadable)?)
        .map_err(|_| ApiFailure::Unreadable)?;
    read(request.send().await).await
}

/// The case opened with its lookup code, from any device. The code goes in a header, never in
/// the address (which proxies log and browsers keep).
pub async fn case_by_code(case_number: &CaseNumber, lookup_code: &str) -> ApiResult<CaseView> {
    let request = Request::get(&url(&format!("/cases/{case_number}")))
        .header(LOOKUP_CODE_HEADER, lookup_code);
    read(request.send().await).await
}

/// What the platform proposes for an appeal being written, and likely duplicates. Never a reason
/// to wait: callers show it when (and if) it comes.
pub async fn suggestions(request: &SuggestionRequest) -> ApiResult<Suggestions> {
    let request = Request::post(&url("/suggestions"))
        .header("Content-Type", "application/json")
        .body(json::to_string(request).ok_or(ApiFailure::Unreadable)?)
        .map_err(|_| ApiFailure::Unreadable)?;
    read(request.send().await).await
}

/// A case anyone may follow (no contact, no address, no notes).
pub async fn public_case(case_number: &CaseNumber) -> ApiResult<PublicCaseView> {
    read(
        Request::get(&url(&format!("/public/cases/{case_number}")))
            .send()
            .await,
    )
    .await
}

/// This month's public figures.
pub async fn figures() -> ApiResult<Figures> {
    read(Request::get(&url("/figures")).send().await).await
}

/// One unit's month as the public figures show it: `yousu_core::api::UnitEvaluation` read
/// without serde's flatten (see [`Receipt`]); a unit test keeps the two in step.
#[derive(Clone, Debug, PartialEq, serde::Serialize, Deserialize)]
pub struct UnitMonth {
    pub unit_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub response: Rate,
    pub resolution: Rate,
    pub satisfaction: Rate,
    pub on_time: Rate,
    pub too_few_cases: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, Deserialize)]
pub struct EvaluationMonth {
    pub month: String,
    pub units: Vec<UnitMonth>,
}

/// This month's evaluation of every unit: the three rates, each with its counts.
pub async fn evaluation() -> ApiResult<EvaluationMonth> {
    read(Request::get(&url("/evaluation")).send().await).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use yousu_core::api::{Evaluation, UnitEvaluation};
    use yousu_core::rates::{UnitCounts, UnitRates};

    #[test]
    fn the_evaluation_reads_into_the_apps_own_shape() {
        let counts = UnitCounts {
            dispatched: 20,
            responded_in_time: 18,
            rated: 10,
            resolved: 8,
            satisfied: 6,
            basically_satisfied: 2,
            completed: 12,
            completed_on_time: 11,
            ..Default::default()
        };
        let evaluation = Evaluation {
            month: "2026-11".into(),
            min_cases: 10,
            units: vec![UnitEvaluation {
                unit_id: "ecology".into(),
                name_zh: "市生态环境局".into(),
                name_en: "City Ecology Bureau".into(),
                rates: UnitRates::from(counts),
            }],
            previous_month: Vec::new(),
        };
        let read: EvaluationMonth =
            serde_json::from_str(&serde_json::to_string(&evaluation).unwrap()).unwrap();
        assert_eq!(read.units[0].response, Rate::new(18, 20));
        assert_eq!(read.units[0].satisfaction, Rate::new(8, 10));
        assert_eq!(read.units[0].name_zh, "市生态环境局");
        assert!(!read.units[0].too_few_cases);
    }

    #[test]
    fn no_answer_a_5xx_409_and_429_are_transient_and_a_refusal_is_not() {
        let rejected = |status| ApiFailure::Rejected {
            status,
            error: ApiError {
                error: "x".into(),
                message: "x".into(),
                fields: Vec::new(),
            },
            retry_after: None,
        };
        assert!(ApiFailure::Network.is_transient());
        for status in [500, 502, 503, 504, 409, 429] {
            assert!(rejected(status).is_transient(), "{status}");
        }
        for status in [400, 404, 413, 422] {
            assert!(!rejected(status).is_transient(), "{status}");
        }
    }

    #[test]
    fn a_receipt_reads_as_a_case_and_a_token() {
        let json = r#"{"access_token":"t0k3n","case_number":"x"}"#;
        let TokenOnly { access_token } = serde_json::from_str(json).unwrap();
        assert_eq!(access_token, "t0k3n");
    }
}

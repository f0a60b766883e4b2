//! Our own JSON API under `/api/v1`; each resource module owns its routes.

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::app::AppState;
use crate::error::AppError;
use crate::reference::JsonBytes;

pub mod admin;
pub mod api_keys;
pub mod cases;
pub mod figures;
pub mod health;
pub mod live;
pub mod oversight;
pub mod photos;
pub mod reference;
pub mod staff;
pub mod suggestions;

/// The largest JSON body the API reads (the longest description is 4,000 characters).
pub const MAX_JSON_BODY: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Yousu (有诉) API",
        description = "The 12345 appeal platform's own JSON API: submission, the case chain, \
            evaluation and public figures. Errors always have the `ApiError` shape.",
    ),
    servers((url = "/api/v1")),
    modifiers(&Security),
    tags(
        (name = "resident", description = "Submitting and following one's own case"),
        (name = "staff", description = "The platform's people: 接 派 办 督"),
        (name = "reference", description = "Catalogue, grid and units"),
        (name = "figures", description = "Evaluation (评) and public figures (宣)"),
        (name = "admin", description = "Administration: units, catalogue, staff, clock rules"),
        (name = "platform", description = "Health"),
    )
)]
struct ApiDoc;

/// The two bearer tokens: a case's access token (resident) and a staff session token.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, what) in [
            ("case_token", "the access token a submission answered with"),
            ("staff_session", "the token of POST /staff/login"),
        ] {
            let scheme = HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(what))
                .build();
            components.add_security_scheme(name, SecurityScheme::Http(scheme));
        }
    }
}

/// The API's routes and the OpenAPI document made from the same handler annotations, so the
/// document cannot drift from what is served.
pub fn api_router() -> Router<AppState> {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(reference::router())
        .merge(cases::router())
        .merge(photos::router())
        .merge(staff::router())
        .merge(api_keys::router())
        .merge(admin::router())
        .merge(suggestions::router())
        .merge(oversight::router())
        .merge(live::router())
        .merge(figures::router())
        .split_for_parts();
    let document = JsonBytes::of(&openapi);
    router
        .route(
            "/openapi.json",
            get(move || async move { document.clone() }),
        )
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

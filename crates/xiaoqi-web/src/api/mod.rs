//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/openapi.json`.

mod account;
mod destinations;
mod membership;
mod order_classes;
mod orgs;
mod people;
mod placements;
mod practice;
mod refdata;
mod research;
mod research_benefit;
mod service_requests;
mod services;
mod talent;

use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use xiaoqi_app::AppError;
use xiaoqi_domain::page::{Page, PageRequest};

use crate::AppState;

pub use orgs::OrgQuery;
pub use service_requests::ServiceRequestQuery;
pub use services::ServiceQuery;

/// Pagination parameters shared by every list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    pub offset: Option<i64>,
}

impl PageQuery {
    /// Validates into a page request.
    pub fn page(&self) -> Result<PageRequest, AppError> {
        Ok(PageRequest::new(self.limit, self.offset)?)
    }
}

/// A page of items with the total count.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageOf<T: ToSchema> {
    pub items: Vec<T>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

impl<T: ToSchema> From<Page<T>> for PageOf<T> {
    fn from(p: Page<T>) -> Self {
        PageOf { items: p.items, total: p.total, limit: p.limit, offset: p.offset }
    }
}

/// A created record's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Documents the errors every operation can answer, whatever its handler: malformed input
/// (400, 413, 415, 422), a missing or bad token (401), hidden or missing records (404).
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |desc: &str| {
            ResponseBuilder::new()
                .description(desc)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                for (code, desc) in [
                    ("400", "Malformed request"),
                    ("401", "Not authenticated"),
                    ("404", "Not found"),
                    ("413", "Body too large"),
                    ("415", "Unsupported media type"),
                    ("422", "Invalid input: each offending field is named"),
                    ("429", "Too many attempts"),
                ] {
                    op.responses.responses.entry(code.to_string()).or_insert_with(|| error(desc).into());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Xiaoqi 校企合作平台 API", description = "School–enterprise cooperation platform. Authenticate with `Authorization: Bearer xq_…` (see `xiaoqi token issue` or `POST /api/v1/auth/token`). Errors are `{code, message, fields}`; messages follow `Accept-Language` (zh default, en)."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::ErrorBody, crate::error::FieldProblem))
)]
struct ApiDoc;

/// The `/api/v1` routes and their OpenAPI document.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let v1 = OpenApiRouter::<AppState>::new()
        .merge(account::routes())
        .merge(orgs::routes())
        .merge(people::routes())
        .merge(membership::routes())
        .merge(services::routes())
        .merge(practice::routes())
        .merge(research::routes())
        .merge(placements::routes())
        .merge(order_classes::routes())
        .merge(research_benefit::routes())
        .merge(service_requests::routes())
        .merge(refdata::routes())
        .merge(talent::routes())
        .merge(destinations::routes());
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1).split_for_parts();
    // After the merge: the paths exist only now.
    CommonErrors.modify(&mut doc);
    (router, doc)
}

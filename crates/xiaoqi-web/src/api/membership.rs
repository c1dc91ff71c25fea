//! Alliance membership: applying and deciding.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::membership::DecisionInput;
use xiaoqi_domain::org::ApplicationStatus;
use xiaoqi_store::ApplicationRecord;

use super::{Created, PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(apply)).routes(routes!(list_applications)).routes(routes!(decide))
}

/// An application's covering message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MembershipApplicationInput)]
pub struct ApplicationInput {
    pub message: Option<String>,
}

/// Applies to join the alliance on behalf of an organisation the caller administers.
#[utoipa::path(post, path = "/organizations/{id}/membership-applications", tag = "membership", params(("id" = i64, Path)),
    request_body = ApplicationInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn apply(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ApplicationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = ctx.require()?;
    let id = s.app.apply_for_membership(p, id, b.message.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Application filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// pending, approved or rejected.
    pub status: Option<String>,
    /// Required for organisation administrators (their own organisation).
    pub organization: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Membership applications (all for alliance administrators; own for organisation administrators).
#[utoipa::path(get, path = "/membership-applications", tag = "membership", params(ApplicationQuery),
    responses((status = 200, body = PageOf<ApplicationRecord>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_applications(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ApplicationQuery>,
) -> Result<Json<PageOf<ApplicationRecord>>, ApiError> {
    let p = ctx.require()?;
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(st) => Some(ApplicationStatus::parse_field("status", "status_unknown", st)?),
        None => None,
    };
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_applications(p, status, q.organization, page).await?.into()))
}

/// Approves or rejects a pending application (alliance administrators; a rejection needs a reason).
#[utoipa::path(post, path = "/membership-applications/{id}/decision", tag = "membership", params(("id" = i64, Path)),
    request_body = DecisionInput,
    responses((status = 200, body = ApplicationRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DecisionInput>,
) -> Result<Json<ApplicationRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.decide_application(p, id, &b).await?))
}

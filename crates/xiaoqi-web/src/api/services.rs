//! The services marketplace: colleges' offerings, requests for them and training invitations.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::services::{InvitationInput, OfferingInput, OfferingPatch, OfferingQuery, RequestInput};
use xiaoqi_store::{ServiceOfferingRecord, ServiceRequestRecord};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_services, create_service))
        .routes(routes!(get_service, update_service))
        .routes(routes!(request_service))
        .routes(routes!(invite_college))
}

/// Marketplace filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceQuery {
    /// technical_service, management_consulting, investment_decision, skills_training or training_base.
    pub kind: Option<String>,
    /// One college's offerings (organisation id).
    pub college: Option<i64>,
    /// active (default) or withdrawn (the college's own staff and alliance administrators).
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl ServiceQuery {
    /// The app's filter.
    pub fn query(&self) -> OfferingQuery {
        OfferingQuery { kind: self.kind.clone(), college: self.college, status: self.status.clone() }
    }
}

/// The marketplace: active offerings of alliance-member colleges, newest first.
#[utoipa::path(get, path = "/services", tag = "services", params(ServiceQuery),
    responses((status = 200, body = PageOf<ServiceOfferingRecord>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_services(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ServiceQuery>,
) -> Result<Json<PageOf<ServiceOfferingRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_offerings(p, &q.query(), page).await?.into()))
}

/// Publishes an offering (the college's administrators and programme leaders).
#[utoipa::path(post, path = "/services", tag = "services", request_body = OfferingInput,
    responses((status = 201, body = ServiceOfferingRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_service(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<OfferingInput>,
) -> Result<(StatusCode, Json<ServiceOfferingRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_offering(p, &b).await?)))
}

/// One offering.
#[utoipa::path(get, path = "/services/{id}", tag = "services", params(("id" = i64, Path)),
    responses((status = 200, body = ServiceOfferingRecord), (status = 404, body = ErrorBody)))]
async fn get_service(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ServiceOfferingRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_offering(p, id).await?))
}

/// Edits, withdraws (`status: withdrawn`) or re-activates an offering (the college's staff).
#[utoipa::path(patch, path = "/services/{id}", tag = "services", params(("id" = i64, Path)), request_body = OfferingPatch,
    responses((status = 200, body = ServiceOfferingRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_service(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<OfferingPatch>,
) -> Result<Json<ServiceOfferingRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.update_offering(p, id, &b).await?))
}

/// Requests an offering for an enterprise (its administrators and HR). Refused for a withdrawn
/// offering (409) and for more participants than its capacity (422, `participants_expected`).
#[utoipa::path(post, path = "/services/{id}/requests", tag = "services", params(("id" = i64, Path)), request_body = RequestInput,
    responses((status = 201, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_service(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RequestInput>,
) -> Result<(StatusCode, Json<ServiceRequestRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.request_service(p, id, &b).await?)))
}

/// Invites a college to run corporate training (an enterprise's administrators and HR); the
/// organisation must be a college (409 otherwise).
#[utoipa::path(post, path = "/organizations/{id}/training-invitations", tag = "services", params(("id" = i64, Path)),
    request_body = InvitationInput,
    responses((status = 201, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn invite_college(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InvitationInput>,
) -> Result<(StatusCode, Json<ServiceRequestRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.invite_college(p, id, &b).await?)))
}

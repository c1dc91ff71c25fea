//! Service requests, seen from both sides, and their steps.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::services::{DeclineInput, DeliverInput, RateInput, RequestQuery, ScheduleInput, ServiceRequestView};
use xiaoqi_store::ServiceRequestRecord;

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_service_requests))
        .routes(routes!(get_service_request))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(schedule))
        .routes(routes!(deliver))
        .routes(routes!(rate))
        .routes(routes!(cancel))
}

/// Service request filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ServiceRequestQuery {
    /// requested, accepted, declined, scheduled, delivered, rated or cancelled.
    pub status: Option<String>,
    /// The kind of service.
    pub kind: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Cancelling, with an optional reason shown to the college.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    pub reason: Option<String>,
}

/// The caller's service requests on either side (all of them for alliance administrators),
/// most recently changed first.
#[utoipa::path(get, path = "/service-requests", tag = "services", params(ServiceRequestQuery),
    responses((status = 200, body = PageOf<ServiceRequestRecord>), (status = 422, body = ErrorBody)))]
async fn list_service_requests(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ServiceRequestQuery>,
) -> Result<Json<PageOf<ServiceRequestRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let filter = RequestQuery { status: q.status, kind: q.kind };
    Ok(Json(s.app.list_service_requests(p, &filter, page).await?.into()))
}

/// One request with its history and the actions the caller may take (the parties' staff and
/// alliance administrators).
#[utoipa::path(get, path = "/service-requests/{id}", tag = "services", params(("id" = i64, Path)),
    responses((status = 200, body = ServiceRequestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_service_request(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ServiceRequestView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_service_request(p, id).await?))
}

type Step = Result<Json<ServiceRequestRecord>, ApiError>;

/// The college accepts a request.
#[utoipa::path(post, path = "/service-requests/{id}/accept", tag = "services", params(("id" = i64, Path)),
    responses((status = 200, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Step {
    let p = ctx.require()?;
    Ok(Json(s.app.accept_service_request(p, id).await?))
}

/// The college declines a request, with a reason.
#[utoipa::path(post, path = "/service-requests/{id}/decline", tag = "services", params(("id" = i64, Path)),
    request_body = DeclineInput,
    responses((status = 200, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decline(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DeclineInput>,
) -> Step {
    let p = ctx.require()?;
    Ok(Json(s.app.decline_service_request(p, id, &b).await?))
}

/// The college schedules (or reschedules) an accepted request; times in Beijing time.
#[utoipa::path(post, path = "/service-requests/{id}/schedule", tag = "services", params(("id" = i64, Path)),
    request_body = ScheduleInput,
    responses((status = 200, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn schedule(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ScheduleInput>,
) -> Step {
    let p = ctx.require()?;
    Ok(Json(s.app.schedule_service_request(p, id, &b).await?))
}

/// The college records the delivery: hours (to a tenth) and participants.
#[utoipa::path(post, path = "/service-requests/{id}/deliver", tag = "services", params(("id" = i64, Path)),
    request_body = DeliverInput,
    responses((status = 200, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn deliver(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DeliverInput>,
) -> Step {
    let p = ctx.require()?;
    Ok(Json(s.app.deliver_service_request(p, id, &b).await?))
}

/// The enterprise rates a delivered request, once (1–5).
#[utoipa::path(post, path = "/service-requests/{id}/rate", tag = "services", params(("id" = i64, Path)),
    request_body = RateInput,
    responses((status = 200, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn rate(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>, ApiJson(b): ApiJson<RateInput>) -> Step {
    let p = ctx.require()?;
    Ok(Json(s.app.rate_service_request(p, id, &b).await?))
}

/// The enterprise cancels a request before delivery.
#[utoipa::path(post, path = "/service-requests/{id}/cancel", tag = "services", params(("id" = i64, Path)),
    request_body = CancelInput,
    responses((status = 200, body = ServiceRequestRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CancelInput>,
) -> Step {
    let p = ctx.require()?;
    Ok(Json(s.app.cancel_service_request(p, id, b.reason.as_deref()).await?))
}

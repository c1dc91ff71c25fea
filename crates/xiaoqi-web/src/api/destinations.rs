//! Graduate destinations (毕业去向): the register, its figures as of dates, imports, and the
//! occupations majors serve.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::outcomes::destinations::{DestinationInput, DestinationView, RegisterQuery};
use xiaoqi_app::outcomes::figures::CohortFigures;
use xiaoqi_app::outcomes::import::DestinationImportReport;

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_destinations, record_destination))
        .routes(routes!(destination_figures))
        .routes(routes!(import_destinations))
        .routes(routes!(list_own_destinations, record_own_destination))
        .routes(routes!(list_employer_destinations))
        .routes(routes!(get_destination))
        .routes(routes!(check_destination))
        .routes(routes!(confirm_destination))
        .routes(routes!(set_major_occupations))
}

/// Register filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RegisterParams {
    /// The graduation year.
    pub cohort: Option<i64>,
    /// entered (awaiting check) or checked.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Which figures to read.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FiguresParams {
    /// The graduation year.
    pub cohort: i64,
    /// Up to four dates, comma-separated (YYYY-MM-DD); default 31 August and 31 December.
    pub as_of: Option<String>,
}

/// An import's cohort and file name.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    pub cohort: i64,
    pub file_name: String,
}

/// The occupations a major serves (CSCO 2022 codes).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MajorOccupations {
    pub occupations: Vec<String>,
}

/// A college's register, latest destination first (its administrators, career officers,
/// programme leaders; alliance administrators).
#[utoipa::path(get, path = "/organizations/{id}/destinations", tag = "destinations",
    params(("id" = i64, Path), RegisterParams),
    responses((status = 200, body = PageOf<DestinationView>), (status = 403, body = ErrorBody)))]
async fn list_destinations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<RegisterParams>,
) -> Result<Json<PageOf<DestinationView>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let filter = RegisterQuery { cohort: q.cohort, status: q.status };
    Ok(Json(s.app.list_destinations(p, id, &filter, page).await?.into()))
}

/// The career officer records a graduate's destination by student number (checked on entry).
/// A student of another college, an unknown employer or a date outside the cohort: 422.
#[utoipa::path(post, path = "/organizations/{id}/destinations", tag = "destinations",
    params(("id" = i64, Path)), request_body = DestinationInput,
    responses((status = 201, body = DestinationView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_destination(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DestinationInput>,
) -> Result<(StatusCode, Json<DestinationView>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.record_destination(p, id, &input).await?)))
}

/// A cohort's figures as of each date, with their versioned definitions. A rate over no
/// graduates has no `basis_points`.
#[utoipa::path(get, path = "/organizations/{id}/destination-figures", tag = "destinations",
    params(("id" = i64, Path), FiguresParams),
    responses((status = 200, body = CohortFigures), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn destination_figures(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<FiguresParams>,
) -> Result<Json<CohortFigures>, ApiError> {
    let p = ctx.require()?;
    let dates: Vec<String> =
        q.as_of.as_deref().unwrap_or("").split(',').map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
    Ok(Json(s.app.destination_figures(p, id, q.cohort, &dates).await?))
}

/// Imports a cohort's destinations from a CSV (UTF-8 or GB18030) or .xlsx body: columns 学号,
/// 毕业去向, 日期, and optionally 单位名称, 统一社会信用代码, 职业代码, 备注. All or nothing:
/// every bad row is reported as `rows[LINE].COLUMN`.
#[utoipa::path(post, path = "/organizations/{id}/destination-imports", tag = "destinations",
    params(("id" = i64, Path), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = DestinationImportReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_destinations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportParams>,
    body: Bytes,
) -> Result<(StatusCode, Json<DestinationImportReport>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.import_destinations(p, id, q.cohort, &q.file_name, &body).await?)))
}

/// The caller's own destination entries (a student).
#[utoipa::path(get, path = "/me/destinations", tag = "destinations", params(PageQuery),
    responses((status = 200, body = PageOf<DestinationView>)))]
async fn list_own_destinations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<DestinationView>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_own_destinations(p, q.page()?).await?.into()))
}

/// A student enters their own destination (without `student_no`); it waits for the career
/// officer's check before it counts.
#[utoipa::path(post, path = "/me/destinations", tag = "destinations", request_body = DestinationInput,
    responses((status = 201, body = DestinationView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_own_destination(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(input): ApiJson<DestinationInput>,
) -> Result<(StatusCode, Json<DestinationView>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.record_own_destination(p, &input).await?)))
}

/// Destinations at an enterprise, for its administrators and HR (to confirm).
#[utoipa::path(get, path = "/organizations/{id}/employed-graduates", tag = "destinations",
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = PageOf<DestinationView>), (status = 403, body = ErrorBody)))]
async fn list_employer_destinations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<DestinationView>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_employer_destinations(p, id, q.page()?).await?.into()))
}

/// One entry with the actions the caller may take.
#[utoipa::path(get, path = "/destinations/{id}", tag = "destinations", params(("id" = i64, Path)),
    responses((status = 200, body = DestinationView), (status = 404, body = ErrorBody)))]
async fn get_destination(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DestinationView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_destination(p, id).await?))
}

/// The career officer checks a student's entry (once; 409 after).
#[utoipa::path(post, path = "/destinations/{id}/check", tag = "destinations", params(("id" = i64, Path)),
    responses((status = 200, body = DestinationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn check_destination(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DestinationView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.check_destination(p, id).await?))
}

/// The employer confirms a destination at the enterprise (once; 409 after).
#[utoipa::path(post, path = "/destinations/{id}/confirm", tag = "destinations", params(("id" = i64, Path)),
    responses((status = 200, body = DestinationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn confirm_destination(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DestinationView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.confirm_destination(p, id).await?))
}

/// Replaces the occupations a major serves (the college's administrators and programme
/// leaders); the related-to-major rate compares graduates' posts with them.
#[utoipa::path(put, path = "/organizations/{id}/majors/{major}/occupations", tag = "destinations",
    params(("id" = i64, Path), ("major" = i64, Path)), request_body = MajorOccupations,
    responses((status = 200, body = MajorOccupations), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_major_occupations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, major)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<MajorOccupations>,
) -> Result<Json<MajorOccupations>, ApiError> {
    let p = ctx.require()?;
    let occupations = s.app.set_major_occupations(p, id, major, &input.occupations).await?;
    Ok(Json(MajorOccupations { occupations }))
}

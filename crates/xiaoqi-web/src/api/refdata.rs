//! Reference data: the occupation classification and administrative divisions.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_store::{OccupationRecord, RegionRecord};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(occupation_children))
        .routes(routes!(search_occupations))
        .routes(routes!(get_occupation))
        .routes(routes!(region_children))
        .routes(routes!(search_regions))
        .routes(routes!(get_region))
}

/// A tree level: the children of `parent`, or the roots without it.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChildrenQuery {
    pub parent: Option<String>,
}

/// A text search with pagination.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a code, name, alias (occupations) or pinyin (regions).
    pub q: String,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Occupations (CSCO 2022) under a parent; the eight major groups without one.
#[utoipa::path(get, path = "/occupations", tag = "reference", params(ChildrenQuery),
    responses((status = 200, body = Vec<OccupationRecord>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn occupation_children(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ChildrenQuery>,
) -> Result<Json<Vec<OccupationRecord>>, ApiError> {
    ctx.require()?;
    Ok(Json(s.app.occupation_children(q.parent.as_deref()).await?))
}

/// Searches occupations by code, name or alias.
#[utoipa::path(get, path = "/occupations/search", tag = "reference", params(SearchQuery),
    responses((status = 200, body = PageOf<OccupationRecord>), (status = 422, body = ErrorBody)))]
async fn search_occupations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<PageOf<OccupationRecord>>, ApiError> {
    ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.search_occupations(&q.q, page).await?.into()))
}

/// One occupation by code (e.g. 2-02-10-03).
#[utoipa::path(get, path = "/occupations/{code}", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = OccupationRecord), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_occupation(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<OccupationRecord>, ApiError> {
    ctx.require()?;
    Ok(Json(s.app.get_occupation(&code).await?))
}

/// Regions under a parent; the provinces without one.
#[utoipa::path(get, path = "/regions", tag = "reference", params(ChildrenQuery),
    responses((status = 200, body = Vec<RegionRecord>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn region_children(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ChildrenQuery>,
) -> Result<Json<Vec<RegionRecord>>, ApiError> {
    ctx.require()?;
    Ok(Json(s.app.region_children(q.parent.as_deref()).await?))
}

/// Searches regions by code, name or pinyin.
#[utoipa::path(get, path = "/regions/search", tag = "reference", params(SearchQuery),
    responses((status = 200, body = PageOf<RegionRecord>), (status = 422, body = ErrorBody)))]
async fn search_regions(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<PageOf<RegionRecord>>, ApiError> {
    ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.search_regions(&q.q, page).await?.into()))
}

/// One region by its six-digit code.
#[utoipa::path(get, path = "/regions/{code}", tag = "reference", params(("code" = String, Path)),
    responses((status = 200, body = RegionRecord), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn get_region(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<RegionRecord>, ApiError> {
    ctx.require()?;
    Ok(Json(s.app.get_region(&code).await?))
}

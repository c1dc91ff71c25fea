//! Practice places (实习岗位) and allocation rounds: offers under the internship rules, ranked
//! applications, enterprise rankings, the stable allocation and each student's certificate.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::practice::{
    OutcomeView, PlaceInput, PreferencesInput, RankingInput, RankingView, RoundInput, RoundView,
};
use xiaoqi_store::{PlaceRecord, PracticeApplicationRecord, RankingRecord, RoundRecord};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_places, create_place))
        .routes(routes!(get_place, update_place))
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(get_round))
        .routes(routes!(put_preferences))
        .routes(routes!(get_ranking, put_ranking))
        .routes(routes!(run_round))
        .routes(routes!(list_outcomes))
        .routes(routes!(get_outcome))
}

/// Place list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlaceQuery {
    /// One enterprise's places (organisation id).
    pub enterprise: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Places of alliance-member enterprises, newest first.
#[utoipa::path(get, path = "/practice-places", tag = "practice", params(PlaceQuery),
    responses((status = 200, body = PageOf<PlaceRecord>), (status = 422, body = ErrorBody)))]
async fn list_places(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PlaceQuery>,
) -> Result<Json<PageOf<PlaceRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_places(p, q.enterprise, page).await?.into()))
}

/// Offers a place (the enterprise's administrators and HR). Terms that break an internship
/// rule due at the offer are refused with 422, each naming its rule and article.
#[utoipa::path(post, path = "/practice-places", tag = "practice", request_body = PlaceInput,
    responses((status = 201, body = PlaceRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_place(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<PlaceInput>,
) -> Result<(StatusCode, Json<PlaceRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_place(p, &b).await?)))
}

/// One place.
#[utoipa::path(get, path = "/practice-places/{id}", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = PlaceRecord), (status = 404, body = ErrorBody)))]
async fn get_place(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlaceRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_place(p, id).await?))
}

/// Replaces a place's terms (the enterprise's administrators and HR), checked as on creation.
#[utoipa::path(put, path = "/practice-places/{id}", tag = "practice", params(("id" = i64, Path)), request_body = PlaceInput,
    responses((status = 200, body = PlaceRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_place(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PlaceInput>,
) -> Result<Json<PlaceRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.update_place(p, id, &b).await?))
}

/// Round list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// The college (organisation id).
    pub college: i64,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// A college's rounds, newest first (its staff and students, alliance administrators).
#[utoipa::path(get, path = "/practice-rounds", tag = "practice", params(RoundQuery),
    responses((status = 200, body = PageOf<RoundRecord>), (status = 403, body = ErrorBody)))]
async fn list_rounds(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<RoundQuery>,
) -> Result<Json<PageOf<RoundRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_rounds(p, q.college, page).await?.into()))
}

/// Opens an allocation round (the college's administrators and career officers).
#[utoipa::path(post, path = "/practice-rounds", tag = "practice", request_body = RoundInput,
    responses((status = 201, body = RoundView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_round(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RoundInput>,
) -> Result<(StatusCode, Json<RoundView>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_round(p, &b).await?)))
}

/// One round (its college's staff and students, its places' enterprises, alliance admins);
/// the allocation's inputs for the college's staff once allocated.
#[utoipa::path(get, path = "/practice-rounds/{id}", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = RoundView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_round(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoundView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_round(p, id).await?))
}

/// Submits or replaces the caller's ranked places (a student of the round's college; up to 10).
#[utoipa::path(put, path = "/practice-rounds/{id}/preferences", tag = "practice", params(("id" = i64, Path)),
    request_body = PreferencesInput,
    responses((status = 200, body = PracticeApplicationRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_preferences(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PreferencesInput>,
) -> Result<Json<PracticeApplicationRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.put_preferences(p, id, &b).await?))
}

/// The ranking a place will be allocated with (the place's enterprise staff): the
/// enterprise's, else the order of application.
#[utoipa::path(get, path = "/practice-rounds/{id}/places/{place}/ranking", tag = "practice",
    params(("id" = i64, Path), ("place" = i64, Path)),
    responses((status = 200, body = RankingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_ranking(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, place)): ApiPath<(i64, i64)>,
) -> Result<Json<RankingView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_ranking(p, id, place).await?))
}

/// Ranks a place's applicants (the place's enterprise staff); only students who applied.
#[utoipa::path(put, path = "/practice-rounds/{id}/places/{place}/ranking", tag = "practice",
    params(("id" = i64, Path), ("place" = i64, Path)), request_body = RankingInput,
    responses((status = 200, body = RankingRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_ranking(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, place)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<RankingInput>,
) -> Result<Json<RankingRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.put_ranking(p, id, place, &b).await?))
}

/// Runs the stable allocation once (the college's administrators and career officers); 409
/// when already allocated.
#[utoipa::path(post, path = "/practice-rounds/{id}/run", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OutcomeView>), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn run_round(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<OutcomeView>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.run_round(p, id).await?))
}

/// The outcomes the caller may see: all for the college's staff, its placed students for an
/// enterprise, a student's own.
#[utoipa::path(get, path = "/practice-rounds/{id}/outcomes", tag = "practice", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<OutcomeView>), (status = 403, body = ErrorBody)))]
async fn list_outcomes(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<OutcomeView>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_outcomes(p, id).await?))
}

/// One student's outcome and certificate (the student, the college's staff, the enterprise
/// the student is placed with).
#[utoipa::path(get, path = "/practice-rounds/{id}/outcomes/{student}", tag = "practice",
    params(("id" = i64, Path), ("student" = i64, Path)),
    responses((status = 200, body = OutcomeView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_outcome(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, student)): ApiPath<(i64, i64)>,
) -> Result<Json<OutcomeView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_outcome(p, id, student).await?))
}

//! Research cooperation, part 2: the risk- and benefit-sharing agreement (versions, signatures),
//! results, conversion events with their distribution ledger and statements, government
//! programmes with applications and awards, and the measures.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::research::{
    AgreementView, ApplicationInput, AwardInput, ConversionDecisionInput, ConversionInput, ConversionView,
    MeasuresView, ProgrammeInput, ProgrammeView, ResultInput, SignInput, Statement, TermsInput,
};
use xiaoqi_store::{ProgrammeApplicationRecord, ProgrammeRecord, ResultRecord};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_agreement, propose_agreement))
        .routes(routes!(sign_project_agreement))
        .routes(routes!(list_results, register_result))
        .routes(routes!(record_conversion))
        .routes(routes!(decide_conversion))
        .routes(routes!(list_conversions))
        .routes(routes!(list_statements))
        .routes(routes!(list_programmes, publish_programme))
        .routes(routes!(get_programme))
        .routes(routes!(apply_to_programme))
        .routes(routes!(award_application))
        .routes(routes!(research_measures))
}

/// A project's agreement: the version in force, the one awaiting signatures, the history and
/// the terms to start from (both parties' staff and alliance administrators).
#[utoipa::path(get, path = "/projects/{id}/agreement", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = AgreementView), (status = 404, body = ErrorBody)))]
async fn get_agreement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<AgreementView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_agreement(p, id).await?))
}

/// Proposes a new version of the terms (the first, or an amendment): the enterprise's
/// administrators and HR, the college's administrators and programme leaders. Shares are exact
/// percentages summing to exactly 100 %.
#[utoipa::path(put, path = "/projects/{id}/agreement", tag = "research", params(("id" = i64, Path)),
    request_body = TermsInput,
    responses((status = 200, body = AgreementView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn propose_agreement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TermsInput>,
) -> Result<Json<AgreementView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.propose_agreement(p, id, &b).await?))
}

/// Signs the version awaiting signatures for the caller's party; the last signature puts it
/// in force.
#[utoipa::path(post, path = "/projects/{id}/agreement/sign", tag = "research", params(("id" = i64, Path)),
    request_body = SignInput,
    responses((status = 200, body = AgreementView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sign_project_agreement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SignInput>,
) -> Result<Json<AgreementView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.sign_project_agreement(p, id, &b).await?))
}

/// A project's results with their conversions and income.
#[utoipa::path(get, path = "/projects/{id}/results", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ResultRecord>), (status = 404, body = ErrorBody)))]
async fn list_results(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ResultRecord>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_results(p, id).await?))
}

/// Registers a result of the project (either party's staff).
#[utoipa::path(post, path = "/projects/{id}/results", tag = "research", params(("id" = i64, Path)),
    request_body = ResultInput,
    responses((status = 201, body = ResultRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register_result(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ResultInput>,
) -> Result<(StatusCode, Json<ResultRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.register_result(p, id, &b).await?)))
}

/// Records a conversion event of a result; its income is distributed by the agreement in
/// force into the ledger in the same transaction (409 without an agreement in force).
#[utoipa::path(post, path = "/results/{id}/conversions", tag = "research", params(("id" = i64, Path)),
    request_body = ConversionInput,
    responses((status = 201, body = ConversionView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_conversion(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ConversionInput>,
) -> Result<(StatusCode, Json<ConversionView>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.record_conversion(p, id, &b).await?)))
}

/// The other party confirms a recorded conversion income (it enters the ledger and the
/// statements) or disputes it with a reason; decided once (409 again, or for the recording side).
#[utoipa::path(post, path = "/conversions/{id}/decision", tag = "research", params(("id" = i64, Path)),
    request_body = ConversionDecisionInput,
    responses((status = 200, body = ConversionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn decide_conversion(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ConversionDecisionInput>,
) -> Result<Json<ConversionView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.decide_conversion(p, id, &b).await?))
}

/// A project's conversion events, each with its ledger lines and their sum.
#[utoipa::path(get, path = "/projects/{id}/conversions", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ConversionView>), (status = 404, body = ErrorBody)))]
async fn list_conversions(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ConversionView>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_conversions(p, id).await?))
}

/// The statements the caller may read: its party's (the college's staff also the inventors'),
/// an inventor's own; each with its lines and total.
#[utoipa::path(get, path = "/projects/{id}/statements", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Statement>), (status = 404, body = ErrorBody)))]
async fn list_statements(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<Statement>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_statements(p, id).await?))
}

/// Government funding programmes, newest first.
#[utoipa::path(get, path = "/programmes", tag = "research", params(PageQuery),
    responses((status = 200, body = PageOf<ProgrammeRecord>), (status = 422, body = ErrorBody)))]
async fn list_programmes(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<ProgrammeRecord>>, ApiError> {
    ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_programmes(page).await?.into()))
}

/// Publishes a programme (administrators of a government agency).
#[utoipa::path(post, path = "/programmes", tag = "research", request_body = ProgrammeInput,
    responses((status = 201, body = ProgrammeRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish_programme(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ProgrammeInput>,
) -> Result<(StatusCode, Json<ProgrammeRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.publish_programme(p, &b).await?)))
}

/// One programme with the applications the caller may see.
#[utoipa::path(get, path = "/programmes/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProgrammeView), (status = 404, body = ErrorBody)))]
async fn get_programme(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProgrammeView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_programme(p, id).await?))
}

/// Applies with a project (its enterprise's administrators and HR or its college's team
/// managers); refused with the rule named (deadline, size class, ceiling, matching).
#[utoipa::path(post, path = "/programmes/{id}/applications", tag = "research", params(("id" = i64, Path)),
    request_body = ApplicationInput,
    responses((status = 201, body = ProgrammeApplicationRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn apply_to_programme(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ApplicationInput>,
) -> Result<(StatusCode, Json<ProgrammeApplicationRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.apply_to_programme(p, id, &b).await?)))
}

/// The agency awards an application; the award becomes a government budget line of the project.
#[utoipa::path(post, path = "/programme-applications/{id}/award", tag = "research", params(("id" = i64, Path)),
    request_body = AwardInput,
    responses((status = 200, body = ProgrammeApplicationRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn award_application(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AwardInput>,
) -> Result<Json<ProgrammeApplicationRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.award_application(p, id, &b).await?))
}

/// Measures per team, college, enterprise and region, with their definitions.
#[utoipa::path(get, path = "/research/measures", tag = "research",
    responses((status = 200, body = MeasuresView), (status = 401, body = ErrorBody)))]
async fn research_measures(State(s): State<AppState>, ctx: Ctx) -> Result<Json<MeasuresView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.research_measures(p).await?))
}

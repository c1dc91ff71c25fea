//! Order classes (订单班): the agreement, its signatures and amendments, the lifecycle, the
//! students' applications, selection, scores, employment and the scholarship ledger.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::order_class::{
    AdvanceInput, AnswerInput, ApplyInput, DisbursementInput, NewOrderClassInput, OfferInput, OrderClassView,
    ScoreInput, SelectionInput, TermsBody,
};
use xiaoqi_store::OrderClassRecord;

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_order_classes, create_order_class))
        .routes(routes!(get_order_class))
        .routes(routes!(put_terms))
        .routes(routes!(sign))
        .routes(routes!(propose_amendment))
        .routes(routes!(sign_amendment))
        .routes(routes!(advance))
        .routes(routes!(apply))
        .routes(routes!(select))
        .routes(routes!(score))
        .routes(routes!(offer))
        .routes(routes!(answer))
        .routes(routes!(disburse))
}

/// Order class list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrderClassQuery {
    /// draft, signed, recruiting, in_training, assessment, employment or closed.
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

type Record = Result<Json<OrderClassRecord>, ApiError>;
type View = Result<Json<OrderClassView>, ApiError>;
type CreatedView = Result<(StatusCode, Json<OrderClassView>), ApiError>;

/// The classes the caller may see (parties' members; drafts only for the parties' acting staff;
/// all for alliance administrators), most recently changed first.
#[utoipa::path(get, path = "/order-classes", tag = "order_classes", params(OrderClassQuery),
    responses((status = 200, body = PageOf<OrderClassRecord>), (status = 422, body = ErrorBody)))]
async fn list_order_classes(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OrderClassQuery>,
) -> Result<Json<PageOf<OrderClassRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_order_classes(p, q.status.as_deref(), page).await?.into()))
}

/// Drafts an agreement (the acting staff of the enterprise or the college named): majors of the
/// college, quota 1–500, scholarships in exact yuan, employment commitment, curriculum (college
/// courses are theory), assessment weights summing to 100.
#[utoipa::path(post, path = "/order-classes", tag = "order_classes", request_body = NewOrderClassInput,
    responses((status = 201, body = OrderClassRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_order_class(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<NewOrderClassInput>,
) -> Result<(StatusCode, Json<OrderClassRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_order_class(p, &b).await?)))
}

/// One class with versions, signatures, students, scores, employment, the ledger with totals,
/// the conversion rate and the caller's next steps. Outsiders get 404.
#[utoipa::path(get, path = "/order-classes/{id}", tag = "order_classes", params(("id" = i64, Path)),
    responses((status = 200, body = OrderClassView), (status = 404, body = ErrorBody)))]
async fn get_order_class(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> View {
    let p = ctx.require()?;
    Ok(Json(s.app.get_order_class(p, id).await?))
}

/// Replaces the draft's terms (either party's acting staff); voids signatures of the draft.
/// Signed terms answer 409: they change only by an amendment.
#[utoipa::path(put, path = "/order-classes/{id}/terms", tag = "order_classes", params(("id" = i64, Path)),
    request_body = TermsBody,
    responses((status = 200, body = OrderClassRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_terms(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TermsBody>,
) -> Record {
    let p = ctx.require()?;
    Ok(Json(s.app.update_draft_terms(p, id, &b.terms).await?))
}

/// Signs the draft for the caller's side; the second signature makes the class signed.
#[utoipa::path(post, path = "/order-classes/{id}/sign", tag = "order_classes", params(("id" = i64, Path)),
    responses((status = 200, body = OrderClassRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sign(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Record {
    let p = ctx.require()?;
    Ok(Json(s.app.sign_order_class(p, id).await?))
}

/// Proposes an amendment to a signed agreement: a new version in force once both sign.
#[utoipa::path(post, path = "/order-classes/{id}/amendments", tag = "order_classes", params(("id" = i64, Path)),
    request_body = TermsBody,
    responses((status = 201, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn propose_amendment(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TermsBody>,
) -> CreatedView {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.propose_amendment(p, id, &b.terms).await?)))
}

/// Signs an open amendment for the caller's side; with both signatures it is in force.
#[utoipa::path(post, path = "/order-classes/{id}/amendments/{version}/sign", tag = "order_classes",
    params(("id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sign_amendment(State(s): State<AppState>, ctx: Ctx, ApiPath((id, version)): ApiPath<(i64, i64)>) -> View {
    let p = ctx.require()?;
    Ok(Json(s.app.sign_amendment(p, id, version).await?))
}

/// A lifecycle step: open_recruiting and start_assessment (college), start_employment
/// (enterprise), start_training and close (either). Unsigned classes cannot recruit (409).
#[utoipa::path(post, path = "/order-classes/{id}/advance", tag = "order_classes", params(("id" = i64, Path)),
    request_body = AdvanceInput,
    responses((status = 200, body = OrderClassRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn advance(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AdvanceInput>,
) -> Record {
    let p = ctx.require()?;
    Ok(Json(s.app.advance_order_class(p, id, &b).await?))
}

/// A student of the college applies while the class recruits, consenting to share the profile
/// with the sponsor.
#[utoipa::path(post, path = "/order-classes/{id}/applications", tag = "order_classes", params(("id" = i64, Path)),
    request_body = ApplyInput,
    responses((status = 201, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn apply(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ApplyInput>,
) -> CreatedView {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.apply_to_order_class(p, id, &b).await?)))
}

/// One party's selection decision on an applicant; enrolled when both selected, within quota.
#[utoipa::path(put, path = "/order-classes/{id}/students/{student}/selection", tag = "order_classes",
    params(("id" = i64, Path), ("student" = i64, Path)), request_body = SelectionInput,
    responses((status = 200, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn select(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, student)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<SelectionInput>,
) -> View {
    let p = ctx.require()?;
    Ok(Json(s.app.select_student(p, id, student, &b).await?))
}

/// The caller's side's score of an enrolled student during the joint assessment (0–100, one
/// decimal).
#[utoipa::path(put, path = "/order-classes/{id}/students/{student}/score", tag = "order_classes",
    params(("id" = i64, Path), ("student" = i64, Path)), request_body = ScoreInput,
    responses((status = 200, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn score(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, student)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<ScoreInput>,
) -> View {
    let p = ctx.require()?;
    Ok(Json(s.app.score_student(p, id, student, &b).await?))
}

/// The enterprise offers a post to an enrolled student (at least the agreed pay floor).
#[utoipa::path(post, path = "/order-classes/{id}/students/{student}/offer", tag = "order_classes",
    params(("id" = i64, Path), ("student" = i64, Path)), request_body = OfferInput,
    responses((status = 200, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn offer(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, student)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<OfferInput>,
) -> View {
    let p = ctx.require()?;
    Ok(Json(s.app.offer_employment(p, id, student, &b).await?))
}

/// The student accepts or declines (with a reason) their own offer.
#[utoipa::path(post, path = "/order-classes/{id}/students/{student}/answer", tag = "order_classes",
    params(("id" = i64, Path), ("student" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn answer(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, student)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<AnswerInput>,
) -> View {
    let p = ctx.require()?;
    Ok(Json(s.app.answer_offer(p, id, student, &b).await?))
}

/// The enterprise records a scholarship payment (append-only ledger); beyond amount × count it
/// answers 422 and writes nothing.
#[utoipa::path(post, path = "/order-classes/{id}/disbursements", tag = "order_classes", params(("id" = i64, Path)),
    request_body = DisbursementInput,
    responses((status = 201, body = OrderClassView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn disburse(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DisbursementInput>,
) -> CreatedView {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.record_disbursement(p, id, &b).await?)))
}

//! Talent demand and supply, matching, insight and search.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::search::SearchAnswer;
use xiaoqi_app::talent::demand::{DemandInput, DemandView};
use xiaoqi_app::talent::insight::{DemandInsight, cells_csv, skills_csv};
use xiaoqi_app::talent::matching::{CollegeMatch, DemandMatch, MajorMatch, StudentMatch};
use xiaoqi_app::talent::supply::{ConsentInput, MajorSupplyInput, ProfileInput};
use xiaoqi_app::talent::{OccupationSuggestion, suggest_occupations, vocab};
use xiaoqi_domain::FieldError;
use xiaoqi_domain::talent::DemandAction;
use xiaoqi_refdata::VocabEntry;
use xiaoqi_store::{ConsentRecord, MajorRecord, SearchKind, StudentProfileRecord};

use super::PageOf;
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(suggest))
        .routes(routes!(list_skills))
        .routes(routes!(list_certificates))
        .routes(routes!(list_demands, create_demand))
        .routes(routes!(get_demand, update_demand))
        .routes(routes!(demand_action))
        .routes(routes!(match_students))
        .routes(routes!(match_majors))
        .routes(routes!(match_colleges))
        .routes(routes!(get_major, update_major_supply))
        .routes(routes!(get_my_profile, save_my_profile))
        .routes(routes!(my_matches))
        .routes(routes!(list_consents, grant_consent))
        .routes(routes!(revoke_consent))
        .routes(routes!(get_profile))
        .routes(routes!(insight))
        .routes(routes!(insight_csv))
        .routes(routes!(search))
}

/// A job title to suggest occupations for.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// Free text, any length or script; longer than 200 characters is cut.
    pub title: String,
}

/// Suggestions for a title.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestAnswer {
    pub title: String,
    pub suggestions: Vec<OccupationSuggestion>,
}

/// The five most likely standard occupations (CSCO 2022) for a free-text job title, best first.
#[utoipa::path(get, path = "/occupations/suggest", tag = "talent", params(SuggestQuery),
    responses((status = 200, body = SuggestAnswer)))]
async fn suggest(ctx: Ctx, ApiQuery(q): ApiQuery<SuggestQuery>) -> Result<Json<SuggestAnswer>, ApiError> {
    ctx.require()?;
    let suggestions = suggest_occupations(&q.title)?;
    Ok(Json(SuggestAnswer { title: q.title, suggestions }))
}

/// A vocabulary entry (skill or certificate).
#[derive(Debug, Serialize, ToSchema)]
pub struct VocabItem {
    pub code: String,
    pub group: String,
    pub zh: String,
    pub en: String,
}

fn items(v: &[VocabEntry]) -> Vec<VocabItem> {
    v.iter()
        .map(|e| VocabItem { code: e.code.clone(), group: e.group.clone(), zh: e.zh.clone(), en: e.en.clone() })
        .collect()
}

/// The skill vocabulary that demands, majors and profiles use.
#[utoipa::path(get, path = "/skills", tag = "talent", responses((status = 200, body = Vec<VocabItem>)))]
async fn list_skills(ctx: Ctx) -> Result<Json<Vec<VocabItem>>, ApiError> {
    ctx.require()?;
    Ok(Json(items(vocab::skill_vocabulary()?)))
}

/// The certificate vocabulary (1+X skill-level certificates, permits, qualifications).
#[utoipa::path(get, path = "/certificates", tag = "talent", responses((status = 200, body = Vec<VocabItem>)))]
async fn list_certificates(ctx: Ctx) -> Result<Json<Vec<VocabItem>>, ApiError> {
    ctx.require()?;
    Ok(Json(items(vocab::certificate_vocabulary()?)))
}

/// Filters of the demand list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DemandQuery {
    /// An organisation's own demands (every state for its members); without it, the alliance's
    /// open demands.
    pub org: Option<i64>,
    /// Occupation code prefix, e.g. `6-18`.
    pub occupation: Option<String>,
    /// Region code prefix, e.g. `44` or `4403`.
    pub region: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Talent demands: the alliance's open ones, or one organisation's.
#[utoipa::path(get, path = "/demands", tag = "talent", params(DemandQuery),
    responses((status = 200, body = PageOf<DemandView>)))]
async fn list_demands(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<DemandQuery>,
) -> Result<Json<PageOf<DemandView>>, ApiError> {
    let p = ctx.require()?;
    let page = super::PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let filter = xiaoqi_app::talent::demand::demand_filter(q.occupation.as_deref(), q.region.as_deref())?;
    Ok(Json(s.app.list_demands(p, q.org, filter, page).await?.into()))
}

/// Where to create a demand.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrgParam {
    /// The enterprise posting the demand.
    pub org: i64,
}

/// Creates a demand (as a draft): enterprise administrators and HR.
#[utoipa::path(post, path = "/demands", tag = "talent", params(OrgParam), request_body = DemandInput,
    responses((status = 201, body = DemandView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn create_demand(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OrgParam>,
    ApiJson(b): ApiJson<DemandInput>,
) -> Result<(StatusCode, Json<DemandView>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_demand(p, q.org, &b).await?)))
}

/// One demand (drafts only for its organisation).
#[utoipa::path(get, path = "/demands/{id}", tag = "talent", params(("id" = i64, Path)),
    responses((status = 200, body = DemandView)))]
async fn get_demand(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<DemandView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_demand(p, id).await?))
}

/// Edits a demand that is a draft, published or expired.
#[utoipa::path(put, path = "/demands/{id}", tag = "talent", params(("id" = i64, Path)), request_body = DemandInput,
    responses((status = 200, body = DemandView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn update_demand(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<DemandInput>,
) -> Result<Json<DemandView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.update_demand(p, id, &b).await?))
}

/// Publish, fill or close a demand: draft → published → filled / closed; an expired demand
/// may be published again after its closing date was moved.
#[utoipa::path(post, path = "/demands/{id}/{action}", tag = "talent",
    params(("id" = i64, Path), ("action" = String, Path, description = "publish, fill or close")),
    responses((status = 200, body = DemandView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn demand_action(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, action)): ApiPath<(i64, String)>,
) -> Result<Json<DemandView>, ApiError> {
    let p = ctx.require()?;
    let action = DemandAction::parse_field("action", "demand_action", &action)?;
    Ok(Json(s.app.demand_action(p, id, action).await?))
}

/// Students for a demand, best first, with explanations; only students who consented to the
/// demand's enterprise. For the enterprise's HR and administrators, and (their own students) for
/// college staff.
#[utoipa::path(get, path = "/demands/{id}/matches/students", tag = "talent", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<StudentMatch>), (status = 403, body = ErrorBody)))]
async fn match_students(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<StudentMatch>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.match_students(p, id, ctx.lang.code()).await?))
}

/// Majors of member colleges for a demand, best first.
#[utoipa::path(get, path = "/demands/{id}/matches/majors", tag = "talent", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MajorMatch>)))]
async fn match_majors(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<MajorMatch>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.match_majors(p, id, ctx.lang.code()).await?))
}

/// Member colleges for a demand, by their best majors.
#[utoipa::path(get, path = "/demands/{id}/matches/colleges", tag = "talent", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CollegeMatch>)))]
async fn match_colleges(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<CollegeMatch>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.match_colleges(p, id, ctx.lang.code()).await?))
}

/// One major with what it teaches.
#[utoipa::path(get, path = "/majors/{id}", tag = "talent", params(("id" = i64, Path)),
    responses((status = 200, body = MajorRecord)))]
async fn get_major(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MajorRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_major(p, id).await?))
}

/// Sets what a major teaches (skills with levels, certificates, yearly graduates): the college's
/// administrators and programme leaders.
#[utoipa::path(put, path = "/majors/{id}", tag = "talent", params(("id" = i64, Path)), request_body = MajorSupplyInput,
    responses((status = 200, body = MajorRecord), (status = 403, body = ErrorBody)))]
async fn update_major_supply(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MajorSupplyInput>,
) -> Result<Json<MajorRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.update_major_supply(p, id, &b).await?))
}

/// The calling student's profile (`null` until written).
#[utoipa::path(get, path = "/me/profile", tag = "talent",
    responses((status = 200, body = Option<StudentProfileRecord>), (status = 409, body = ErrorBody)))]
async fn get_my_profile(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Option<StudentProfileRecord>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.my_profile(p).await?))
}

/// Writes the calling student's profile.
#[utoipa::path(put, path = "/me/profile", tag = "talent", request_body = ProfileInput,
    responses((status = 200, body = StudentProfileRecord), (status = 409, body = ErrorBody)))]
async fn save_my_profile(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ProfileInput>,
) -> Result<Json<StudentProfileRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.save_my_profile(p, &b).await?))
}

/// Open demands that fit the calling student, best first, with explanations.
#[utoipa::path(get, path = "/me/matches", tag = "talent",
    responses((status = 200, body = Vec<DemandMatch>), (status = 409, body = ErrorBody)))]
async fn my_matches(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<DemandMatch>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.match_demands_for_me(p, ctx.lang.code()).await?))
}

/// The calling student's consents, live and revoked, newest first.
#[utoipa::path(get, path = "/me/consents", tag = "talent", responses((status = 200, body = Vec<ConsentRecord>)))]
async fn list_consents(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<ConsentRecord>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.my_consents(p).await?))
}

/// Shows the calling student's profile alliance-wide or to one named organisation.
#[utoipa::path(post, path = "/me/consents", tag = "talent", request_body = ConsentInput,
    responses((status = 200, body = ConsentRecord), (status = 409, body = ErrorBody)))]
async fn grant_consent(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ConsentInput>,
) -> Result<Json<ConsentRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.grant_consent(p, &b).await?))
}

/// Revokes one of the calling student's consents (the record is kept).
#[utoipa::path(post, path = "/me/consents/{id}/revoke", tag = "talent", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn revoke_consent(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<axum::http::StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.revoke_consent(p, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// A student's profile: the student, the college's staff and organisations the student
/// consented to; anyone else gets 404.
#[utoipa::path(get, path = "/students/{id}/profile", tag = "talent", params(("id" = i64, Path)),
    responses((status = 200, body = StudentProfileRecord)))]
async fn get_profile(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<StudentProfileRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_profile(p, id).await?))
}

/// Period of the insight.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InsightQuery {
    /// Quarters back from the current one, 1–12 (default 4).
    pub quarters: Option<u32>,
    /// For the CSV: `demand` (by occupation, region, quarter) or `skills` (the gap table).
    pub table: Option<String>,
}

/// Demand aggregated by occupation, region and quarter, and the demanded skills set against
/// what the college's majors teach: the college's staff and alliance administrators.
#[utoipa::path(get, path = "/organizations/{id}/demand-insight", tag = "talent", params(("id" = i64, Path), InsightQuery),
    responses((status = 200, body = DemandInsight), (status = 403, body = ErrorBody)))]
async fn insight(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<InsightQuery>,
) -> Result<Json<DemandInsight>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.demand_insight(p, id, q.quarters.unwrap_or(4), ctx.lang.code()).await?))
}

/// The insight as CSV (UTF-8 with BOM): `table=demand` or `table=skills`.
#[utoipa::path(get, path = "/organizations/{id}/demand-insight.csv", tag = "talent", params(("id" = i64, Path), InsightQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
async fn insight_csv(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<InsightQuery>,
) -> Result<Response, ApiError> {
    let p = ctx.require()?;
    let table = q.table.as_deref().unwrap_or("demand");
    if !matches!(table, "demand" | "skills") {
        return Err(ApiError::from(FieldError::new(
            "table",
            "insight_table",
            "table 应为 demand 或 skills",
            "table must be demand or skills",
        )));
    }
    let i = s.app.demand_insight(p, id, q.quarters.unwrap_or(4), ctx.lang.code()).await?;
    Ok(csv_response(
        &format!("demand-insight-{table}.csv"),
        if table == "skills" { skills_csv(&i, ctx.lang.code()) } else { cells_csv(&i, ctx.lang.code()) },
    ))
}

/// A CSV download.
pub fn csv_response(filename: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response()
}

/// A search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (Chinese or English); every word must occur.
    pub q: String,
    /// Comma-separated kinds: org, demand, major, service, team (default all).
    pub kinds: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Parses a comma-separated list of search kinds.
pub fn parse_kinds(s: Option<&str>) -> Result<Vec<SearchKind>, FieldError> {
    let mut out = Vec::new();
    for k in s.unwrap_or("").split(',').map(str::trim).filter(|k| !k.is_empty()) {
        let kind = SearchKind::parse(k).ok_or_else(|| {
            FieldError::new("kinds", "search_kind", format!("未知的类别：{k}"), format!("unknown kind: {k}"))
        })?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

/// One search box over organisations, demands, majors, services and teams.
#[utoipa::path(get, path = "/search", tag = "talent", params(SearchParams),
    responses((status = 200, body = SearchAnswer)))]
async fn search(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let p = ctx.require()?;
    let page = super::PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let kinds = parse_kinds(q.kinds.as_deref())?;
    Ok(Json(s.app.search(p, &q.q, kinds, page).await?))
}

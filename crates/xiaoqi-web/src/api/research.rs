//! Industry–university–research cooperation: teams, technical problems (public summary,
//! confidential details for admitted teams), admissions, proposals and projects with
//! milestones, budget lines and expenditures.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::research::{
    AdmissionInput, BudgetLineInput, ExpenditureInput, MilestoneSubmitInput, ProblemDetails, ProblemInput, ProblemView,
    ProjectStatusInput, ProjectView, ProposalInput, RisksInput, TeamInput, TeamSuggestion,
};
use xiaoqi_domain::research::ProposalAction;
use xiaoqi_store::{AdmissionRecord, ProjectRecord, ProposalRecord, TeamRecord};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team, update_team))
        .routes(routes!(list_problems, create_problem))
        .routes(routes!(get_problem))
        .routes(routes!(get_problem_details))
        .routes(routes!(close_problem))
        .routes(routes!(suggest_teams))
        .routes(routes!(request_admission))
        .routes(routes!(accept_terms))
        .routes(routes!(admit_team))
        .routes(routes!(list_proposals, submit_proposal))
        .routes(routes!(get_proposal))
        .routes(routes!(shortlist_proposal))
        .routes(routes!(reject_proposal))
        .routes(routes!(select_proposal))
        .routes(routes!(list_projects))
        .routes(routes!(get_project))
        .routes(routes!(submit_milestone))
        .routes(routes!(accept_milestone))
        .routes(routes!(add_budget_line))
        .routes(routes!(record_expenditure))
        .routes(routes!(set_risks))
        .routes(routes!(change_project_status))
}

/// Filters of the team and problem lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrgPageQuery {
    /// One organisation's records (its id).
    pub org: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

impl OrgPageQuery {
    fn page(&self) -> Result<xiaoqi_domain::page::PageRequest, xiaoqi_app::AppError> {
        PageQuery { limit: self.limit, offset: self.offset }.page()
    }
}

/// Teams of alliance-member colleges, newest first (`org`: one college's).
#[utoipa::path(get, path = "/teams", tag = "research", params(OrgPageQuery),
    responses((status = 200, body = PageOf<TeamRecord>), (status = 422, body = ErrorBody)))]
async fn list_teams(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OrgPageQuery>,
) -> Result<Json<PageOf<TeamRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_teams(p, q.org, page).await?.into()))
}

/// Creates a team (the college's administrators, programme leaders and teachers).
#[utoipa::path(post, path = "/teams", tag = "research", request_body = TeamInput,
    responses((status = 201, body = TeamRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_team(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<TeamInput>,
) -> Result<(StatusCode, Json<TeamRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_team(p, &b).await?)))
}

/// One team.
#[utoipa::path(get, path = "/teams/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = TeamRecord), (status = 404, body = ErrorBody)))]
async fn get_team(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TeamRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_team(p, id).await?))
}

/// Replaces a team's fields and members (the college's administrators, programme leaders and teachers).
#[utoipa::path(put, path = "/teams/{id}", tag = "research", params(("id" = i64, Path)), request_body = TeamInput,
    responses((status = 200, body = TeamRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_team(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TeamInput>,
) -> Result<Json<TeamRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.update_team(p, id, &b).await?))
}

/// Open problems of member enterprises, newest first; with `org`, every problem of that
/// enterprise for its own people. Never the details.
#[utoipa::path(get, path = "/problems", tag = "research", params(OrgPageQuery),
    responses((status = 200, body = PageOf<ProblemView>), (status = 422, body = ErrorBody)))]
async fn list_problems(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OrgPageQuery>,
) -> Result<Json<PageOf<ProblemView>>, ApiError> {
    let p = ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_problems(p, q.org, page).await?.into()))
}

/// Posts a technical problem (the enterprise's administrators and HR).
#[utoipa::path(post, path = "/problems", tag = "research", request_body = ProblemInput,
    responses((status = 201, body = ProblemView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_problem(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ProblemInput>,
) -> Result<(StatusCode, Json<ProblemView>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_problem(p, &b).await?)))
}

/// One problem: the details only for the enterprise's people and admitted teams.
#[utoipa::path(get, path = "/problems/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProblemView), (status = 404, body = ErrorBody)))]
async fn get_problem(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProblemView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_problem(p, id).await?))
}

/// The confidential details: 403 with the reason for anyone the enterprise has not admitted.
#[utoipa::path(get, path = "/problems/{id}/details", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProblemDetails), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_problem_details(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProblemDetails>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_problem_details(p, id).await?))
}

/// Closes a problem (the enterprise's administrators and HR).
#[utoipa::path(post, path = "/problems/{id}/close", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProblemView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn close_problem(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProblemView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.close_problem(p, id).await?))
}

/// Teams whose skills and occupations match the problem, best first, with what matched (the
/// enterprise's administrators and HR).
#[utoipa::path(get, path = "/problems/{id}/suggested-teams", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TeamSuggestion>), (status = 403, body = ErrorBody)))]
async fn suggest_teams(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<TeamSuggestion>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.suggest_teams(p, id).await?))
}

/// A team's managers ask to be admitted to an open problem's details.
#[utoipa::path(post, path = "/problems/{id}/admissions", tag = "research", params(("id" = i64, Path)),
    request_body = AdmissionInput,
    responses((status = 201, body = AdmissionRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn request_admission(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AdmissionInput>,
) -> Result<(StatusCode, Json<AdmissionRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.request_admission(p, id, &b).await?)))
}

/// The team's managers accept the confidentiality terms (who and when are recorded).
#[utoipa::path(post, path = "/problems/{id}/admissions/{team}/accept-terms", tag = "research",
    params(("id" = i64, Path), ("team" = i64, Path)),
    responses((status = 200, body = AdmissionRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_terms(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, team)): ApiPath<(i64, i64)>,
) -> Result<Json<AdmissionRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.accept_terms(p, id, team).await?))
}

/// The enterprise admits a team that accepted the terms (its administrators and HR).
#[utoipa::path(post, path = "/problems/{id}/admissions/{team}/admit", tag = "research",
    params(("id" = i64, Path), ("team" = i64, Path)),
    responses((status = 200, body = AdmissionRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn admit_team(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, team)): ApiPath<(i64, i64)>,
) -> Result<Json<AdmissionRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.admit_team(p, id, team).await?))
}

/// A problem's proposals: all for the enterprise's staff, their own for team managers.
#[utoipa::path(get, path = "/problems/{id}/proposals", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ProposalRecord>), (status = 403, body = ErrorBody)))]
async fn list_proposals(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<ProposalRecord>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_proposals(p, id).await?))
}

/// An admitted team's managers submit a proposal.
#[utoipa::path(post, path = "/problems/{id}/proposals", tag = "research", params(("id" = i64, Path)),
    request_body = ProposalInput,
    responses((status = 201, body = ProposalRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_proposal(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ProposalInput>,
) -> Result<(StatusCode, Json<ProposalRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.submit_proposal(p, id, &b).await?)))
}

/// One proposal (the enterprise's staff and the proposing team's managers).
#[utoipa::path(get, path = "/proposals/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalRecord), (status = 404, body = ErrorBody)))]
async fn get_proposal(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_proposal(p, id).await?))
}

/// Shortlists a proposal (the enterprise's administrators and HR).
#[utoipa::path(post, path = "/proposals/{id}/shortlist", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn shortlist_proposal(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.decide_proposal(p, id, ProposalAction::Shortlist).await?))
}

/// Rejects a proposal (the enterprise's administrators and HR).
#[utoipa::path(post, path = "/proposals/{id}/reject", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reject_proposal(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProposalRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.decide_proposal(p, id, ProposalAction::Reject).await?))
}

/// Selects a proposal and creates the project in the same transaction (the enterprise's
/// administrators and HR); 409 when the problem already has one.
#[utoipa::path(post, path = "/proposals/{id}/select", tag = "research", params(("id" = i64, Path)),
    responses((status = 201, body = ProjectRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn select_proposal(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<ProjectRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.select_proposal(p, id).await?)))
}

/// Projects of one organisation.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// The enterprise or college (organisation id).
    pub org: i64,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// An organisation's projects, newest first (its acting staff and alliance administrators).
#[utoipa::path(get, path = "/projects", tag = "research", params(ProjectQuery),
    responses((status = 200, body = PageOf<ProjectRecord>), (status = 403, body = ErrorBody)))]
async fn list_projects(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ProjectQuery>,
) -> Result<Json<PageOf<ProjectRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_projects(p, q.org, page).await?.into()))
}

/// One project with milestones, budget lines (spent and remaining) and expenditures (both
/// parties' staff and alliance administrators).
#[utoipa::path(get, path = "/projects/{id}", tag = "research", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = ErrorBody)))]
async fn get_project(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_project(p, id).await?))
}

/// The team submits a milestone's deliverable.
#[utoipa::path(post, path = "/projects/{id}/milestones/{milestone}/submit", tag = "research",
    params(("id" = i64, Path), ("milestone" = i64, Path)), request_body = MilestoneSubmitInput,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn submit_milestone(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, milestone)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<MilestoneSubmitInput>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.submit_milestone(p, id, milestone, &b).await?))
}

/// The enterprise accepts a submitted milestone.
#[utoipa::path(post, path = "/projects/{id}/milestones/{milestone}/accept", tag = "research",
    params(("id" = i64, Path), ("milestone" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn accept_milestone(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, milestone)): ApiPath<(i64, i64)>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.accept_milestone(p, id, milestone).await?))
}

/// Adds a budget line (enterprise lines by the enterprise, college lines by the college,
/// government lines by either).
#[utoipa::path(post, path = "/projects/{id}/budget-lines", tag = "research", params(("id" = i64, Path)),
    request_body = BudgetLineInput,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_budget_line(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<BudgetLineInput>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.add_budget_line(p, id, &b).await?))
}

/// Records an expenditure against a budget line (either party); past the line → 422 naming
/// `amount` and the remaining amount in yuan, nothing written.
#[utoipa::path(post, path = "/projects/{id}/expenditures", tag = "research", params(("id" = i64, Path)),
    request_body = ExpenditureInput,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn record_expenditure(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ExpenditureInput>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.record_expenditure(p, id, &b).await?))
}

/// Replaces the project's risks (either party).
#[utoipa::path(put, path = "/projects/{id}/risks", tag = "research", params(("id" = i64, Path)),
    request_body = RisksInput,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_risks(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RisksInput>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.set_project_risks(p, id, &b).await?))
}

/// Suspends, resumes, completes (every milestone accepted) or terminates a project (the
/// enterprise's administrators and HR).
#[utoipa::path(post, path = "/projects/{id}/status", tag = "research", params(("id" = i64, Path)),
    request_body = ProjectStatusInput,
    responses((status = 200, body = ProjectView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn change_project_status(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ProjectStatusInput>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.change_project_status(p, id, &b).await?))
}

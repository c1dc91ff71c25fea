//! Placements (实习): the tripartite agreement and its signatures, the dual mentors, the
//! record of the internship (tasks, logs, attendance, weekly reports, sign-offs, reviews), the
//! final report, the master's evaluation and the composite grade; the college's warnings,
//! compliance view and theory loop. Everything is decided by `xiaoqi_app::placements`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::placements::{
    AttendanceInput, CommentInput, ComplianceView, EvaluationInput, GradeInput, LogInput, MentorInput, PlacementDetail,
    ReportInput, ReviewInput, SignInput, SignReviewInput, SignoffInput, TaskInput, TheoryLoop, WarningRow,
    WeeklyReportInput,
};
use xiaoqi_store::{AgreementFacts, PlacementRecord, PlacementSettings};

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_placements))
        .routes(routes!(get_placement))
        .routes(routes!(put_agreement))
        .routes(routes!(sign_agreement))
        .routes(routes!(start_placement))
        .routes(routes!(assign_mentors))
        .routes(routes!(add_task))
        .routes(routes!(add_log))
        .routes(routes!(put_attendance))
        .routes(routes!(confirm_attendance))
        .routes(routes!(put_weekly_report))
        .routes(routes!(comment_weekly_report))
        .routes(routes!(add_signoff))
        .routes(routes!(add_review))
        .routes(routes!(sign_review))
        .routes(routes!(submit_report))
        .routes(routes!(grade_report))
        .routes(routes!(evaluate))
        .routes(routes!(complete_placement))
        .routes(routes!(list_warnings))
        .routes(routes!(compliance_view))
        .routes(routes!(theory_loop))
        .routes(routes!(get_settings, put_settings))
}

/// The id of a record just created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Placement list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A college (organisation id): all its placements, for its staff.
    pub college: Option<i64>,
    /// One allocation round's.
    pub round: Option<i64>,
}

/// The college (and optionally the round) a view is of.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ViewQuery {
    /// The college (organisation id).
    pub college: i64,
    /// One allocation round's placements.
    pub round: Option<i64>,
}

/// The college a view is of.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CollegeQuery {
    /// The college (organisation id).
    pub college: i64,
}

/// The placements the caller takes part in (student, mentor, the enterprise's staff); with `college`,
/// all of that college's for its staff.
#[utoipa::path(get, path = "/placements", tag = "placements", params(ListQuery),
    responses((status = 200, body = Vec<PlacementRecord>), (status = 403, body = ErrorBody)))]
async fn list_placements(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<PlacementRecord>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_placements(p, q.college, q.round).await?))
}

/// One placement with its agreement, mentors, record, compliance and warnings; 404 unless the caller
/// takes part.
#[utoipa::path(get, path = "/placements/{id}", tag = "placements", params(("id" = i64, Path)),
    responses((status = 200, body = PlacementDetail), (status = 404, body = ErrorBody)))]
async fn get_placement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlacementDetail>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_placement(p, id).await?))
}

/// Fills in the student facts of the tripartite agreement (the student, the school's signers, the
/// enterprise's staff) while nobody has signed.
#[utoipa::path(put, path = "/placements/{id}/agreement", tag = "placements", params(("id" = i64, Path)), request_body = AgreementFacts,
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_agreement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AgreementFacts>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.put_agreement(p, id, &b).await?))
}

/// Signs the agreement for a party; 422 naming each internship rule broken at the placing (age,
/// guardian consent, intern shares, terms).
#[utoipa::path(post, path = "/placements/{id}/sign", tag = "placements", params(("id" = i64, Path)), request_body = SignInput,
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sign_agreement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SignInput>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.sign_agreement(p, id, &b).await?))
}

/// Starts the internship; 422 naming each rule due at the start (three signatures, insurance for the
/// whole period), 409 unless agreed.
#[utoipa::path(post, path = "/placements/{id}/start", tag = "placements", params(("id" = i64, Path)),
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start_placement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.start_placement(p, id).await?))
}

/// Assigns the teacher (the college) and/or the master (the enterprise); 422 `mentor_load` over the
/// college's limit.
#[utoipa::path(put, path = "/placements/{id}/mentors", tag = "placements", params(("id" = i64, Path)), request_body = MentorInput,
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn assign_mentors(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MentorInput>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.assign_mentors(p, id, &b).await?))
}

/// Adds a training-plan task with the skill it trains (the mentors, the enterprise's staff).
#[utoipa::path(post, path = "/placements/{id}/tasks", tag = "placements", params(("id" = i64, Path)), request_body = TaskInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_task(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = ctx.require()?;
    let id = s.app.add_task(p, id, &b).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Writes a short log of a day, optionally with a problem met (the student, during the internship).
#[utoipa::path(post, path = "/placements/{id}/logs", tag = "placements", params(("id" = i64, Path)), request_body = LogInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_log(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<LogInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = ctx.require()?;
    let id = s.app.add_log(p, id, &b).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Records a day's attendance (the student); a confirmed day is fixed (409).
#[utoipa::path(put, path = "/placements/{id}/attendance", tag = "placements", params(("id" = i64, Path)), request_body = AttendanceInput,
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_attendance(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AttendanceInput>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.put_attendance(p, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirms a recorded day (the placement's master only); only confirmed days count.
#[utoipa::path(post, path = "/placements/{id}/attendance/{day}/confirm", tag = "placements", params(("id" = i64, Path), ("day" = String, Path)),
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn confirm_attendance(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, day)): ApiPath<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.confirm_attendance(p, id, &day).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submits or replaces a week's report (the student).
#[utoipa::path(put, path = "/placements/{id}/weekly-reports", tag = "placements", params(("id" = i64, Path)), request_body = WeeklyReportInput,
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_weekly_report(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<WeeklyReportInput>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.put_weekly_report(p, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Comments a weekly report (the placement's teacher).
#[utoipa::path(post, path = "/placements/{id}/weekly-reports/{week}/comment", tag = "placements", params(("id" = i64, Path), ("week" = String, Path)), request_body = CommentInput,
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn comment_weekly_report(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, week)): ApiPath<(i64, String)>,
    ApiJson(b): ApiJson<CommentInput>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.comment_weekly_report(p, id, &week, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Signs off a skill at a level 1–5 (the placement's master).
#[utoipa::path(post, path = "/placements/{id}/signoffs", tag = "placements", params(("id" = i64, Path)), request_body = SignoffInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_signoff(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<SignoffInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = ctx.require()?;
    let id = s.app.add_signoff(p, id, &b).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Schedules a tripartite review with a due date (the teacher, the school's signers).
#[utoipa::path(post, path = "/placements/{id}/reviews", tag = "placements", params(("id" = i64, Path)), request_body = ReviewInput,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_review(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReviewInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let p = ctx.require()?;
    let id = s.app.add_review(p, id, &b).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Signs a review as its student, teacher or master, once each.
#[utoipa::path(post, path = "/placements/{id}/reviews/{review}/sign", tag = "placements", params(("id" = i64, Path), ("review" = i64, Path)), request_body = SignReviewInput,
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn sign_review(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, review)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<SignReviewInput>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.sign_review(p, id, review, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submits the final internship report (the student) until it is graded.
#[utoipa::path(put, path = "/placements/{id}/report", tag = "placements", params(("id" = i64, Path)), request_body = ReportInput,
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit_report(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReportInput>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.submit_report(p, id, &b).await?))
}

/// Grades the final report 0–100 (the placement's teacher).
#[utoipa::path(post, path = "/placements/{id}/report/grade", tag = "placements", params(("id" = i64, Path)), request_body = GradeInput,
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn grade_report(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<GradeInput>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.grade_report(p, id, &b).await?))
}

/// The master's evaluation, 0–100 with a comment.
#[utoipa::path(post, path = "/placements/{id}/evaluation", tag = "placements", params(("id" = i64, Path)), request_body = EvaluationInput,
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn evaluate(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<EvaluationInput>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.evaluate(p, id, &b).await?))
}

/// Fixes the composite grade with the college's weights and completes the placement (the teacher); 409
/// before the report is graded and the master evaluated.
#[utoipa::path(post, path = "/placements/{id}/complete", tag = "placements", params(("id" = i64, Path)),
    responses((status = 200, body = PlacementRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn complete_placement(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PlacementRecord>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.complete_placement(p, id).await?))
}

/// Early warnings of active placements: the teacher's own, every one for the college's administrators
/// and career officers.
#[utoipa::path(get, path = "/placement-warnings", tag = "placements", params(CollegeQuery),
    responses((status = 200, body = Vec<WarningRow>), (status = 403, body = ErrorBody)))]
async fn list_warnings(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<CollegeQuery>,
) -> Result<Json<Vec<WarningRow>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_warnings(p, q.college).await?))
}

/// The college's compliance view: every placement on every internship rule (its staff).
#[utoipa::path(get, path = "/placement-compliance", tag = "placements", params(ViewQuery),
    responses((status = 200, body = ComplianceView), (status = 403, body = ErrorBody)))]
async fn compliance_view(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ViewQuery>,
) -> Result<Json<ComplianceView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.compliance_view(p, q.college, q.round).await?))
}

/// The theory loop: sign-offs by skill and logged problems by task across the college's cohort (its
/// staff).
#[utoipa::path(get, path = "/placement-theory", tag = "placements", params(ViewQuery),
    responses((status = 200, body = TheoryLoop), (status = 403, body = ErrorBody)))]
async fn theory_loop(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<ViewQuery>,
) -> Result<Json<TheoryLoop>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.theory_loop(p, q.college, q.round).await?))
}

/// A college's placement settings: mentor limits, warning threshold, grade weights (defaults until
/// set).
#[utoipa::path(get, path = "/placement-settings/{college}", tag = "placements", params(("college" = i64, Path)),
    responses((status = 200, body = PlacementSettings), (status = 403, body = ErrorBody)))]
async fn get_settings(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(college): ApiPath<i64>,
) -> Result<Json<PlacementSettings>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.placement_settings(p, college).await?))
}

/// Sets the college's placement settings (its administrators and career officers); weights must sum to
/// 100.
#[utoipa::path(put, path = "/placement-settings/{college}", tag = "placements", params(("college" = i64, Path)), request_body = PlacementSettings,
    responses((status = 200, body = PlacementSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_settings(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(college): ApiPath<i64>,
    ApiJson(b): ApiJson<PlacementSettings>,
) -> Result<Json<PlacementSettings>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.put_placement_settings(p, college, &b).await?))
}

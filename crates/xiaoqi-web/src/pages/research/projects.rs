//! Projects: milestones, budget lines (spent and remaining), expenditures and updates.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{
    BudgetLineInput, ExpenditureInput, MilestoneSubmitInput, ProjectStatusInput, ProjectView, RisksInput,
};
use xiaoqi_domain::research::FundingSource;

use super::{shown_on_page, yuan};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::{Chrome, CsrfForm, FormErrors, field_messages, forms, page_error, render, see_other, shanghai};

/// One budget line as shown.
struct LineRow {
    id: i64,
    source: &'static str,
    programme: String,
    amount: String,
    spent: String,
    remaining: String,
}

/// One milestone as shown.
struct MilestoneRow {
    id: i64,
    title: String,
    deliverable: String,
    due: String,
    state: &'static str,
    submitted: String,
    accepted: String,
}

#[derive(Template)]
#[template(path = "research_project.html")]
struct ProjectPage {
    c: Chrome,
    v: ProjectView,
    status: &'static str,
    lines: Vec<LineRow>,
    milestones: Vec<MilestoneRow>,
    expenditures: Vec<(String, String, String, String)>,
    is_team: bool,
    is_enterprise: bool,
    /// (action code, label) the enterprise may take on the status now.
    actions: Vec<(String, &'static str)>,
    sources: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
}

async fn project_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_project(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let lang = ctx.lang.code();
    let source_of =
        |line: i64| v.budget_lines.iter().find(|l| l.line.id == line).map_or("", |l| l.line.source.label(lang));
    let page = ProjectPage {
        c: Chrome::new(s, ctx, &format!("/projects/{id}")).await,
        status: v.project.status.label(lang),
        lines: v
            .budget_lines
            .iter()
            .map(|l| LineRow {
                id: l.line.id,
                source: l.line.source.label(lang),
                programme: l.line.programme.clone().unwrap_or_default(),
                amount: yuan(l.line.amount_fen),
                spent: yuan(l.line.spent_fen),
                remaining: yuan(l.remaining_fen),
            })
            .collect(),
        milestones: v
            .milestones
            .iter()
            .map(|m| MilestoneRow {
                id: m.id,
                title: m.title.clone(),
                deliverable: m.deliverable.clone(),
                due: m.due_date.clone(),
                state: match (m.submitted_at, m.accepted_at) {
                    (_, Some(_)) => "research.ms_accepted",
                    (Some(_), None) => "research.ms_submitted",
                    _ => "research.ms_open",
                },
                submitted: m.submitted_at.map(shanghai).unwrap_or_default(),
                accepted: m.accepted_at.map(shanghai).unwrap_or_default(),
            })
            .collect(),
        expenditures: v
            .expenditures
            .iter()
            .map(|x| (x.spent_on.clone(), source_of(x.line_id).to_string(), yuan(x.amount_fen), x.purpose.clone()))
            .collect(),
        actions: v
            .actions
            .iter()
            .filter_map(|a| xiaoqi_domain::research::ProjectAction::parse(a).map(|x| (a.clone(), x.label(lang))))
            .collect(),
        is_team: v.side.as_deref() == Some("college"),
        is_enterprise: v.side.as_deref() == Some("enterprise"),
        sources: FundingSource::ALL.iter().map(|f| (f.as_str(), f.label(lang))).collect(),
        errors,
        v,
    };
    render(&page)
}

pub(in crate::pages) async fn project(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    project_view(&s, &ctx, id, FormErrors::none()).await
}

async fn after_project(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/projects/{id}")),
        Err(e) if shown_on_page(&e) => project_view(s, ctx, id, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn milestone_step(
    State(s): State<AppState>,
    ApiPath((id, milestone, step)): ApiPath<(i64, i64, String)>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = match step.as_str() {
        "submit" => {
            let note = form.get("note").cloned().filter(|n| !n.trim().is_empty());
            s.app.submit_milestone(p, id, milestone, &MilestoneSubmitInput { note }).await.map(|_| ())
        }
        "accept" => s.app.accept_milestone(p, id, milestone).await.map(|_| ()),
        _ => Err(AppError::NotFound("page")),
    };
    after_project(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn expenditure(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let mut read = forms::Reader::new();
    let input = ExpenditureInput {
        line_id: read.int("line_id", &get("line_id")),
        amount: get("amount"),
        spent_on: get("spent_on"),
        purpose: get("purpose"),
    };
    let r = match read.finish() {
        Ok(()) => s.app.record_expenditure(p, id, &input).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    after_project(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn budget_line(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = BudgetLineInput {
        source: get("source"),
        programme: Some(get("programme")).filter(|v| !v.trim().is_empty()),
        amount: get("amount"),
    };
    let r = s.app.add_budget_line(p, id, &input).await.map(|_| ());
    after_project(&s, &ctx, id, r).await
}

/// A step on the project's status or its risks (one per line).
pub(in crate::pages) async fn project_update(
    State(s): State<AppState>,
    ApiPath((id, what)): ApiPath<(i64, String)>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let r = match what.as_str() {
        "status" => s.app.change_project_status(p, id, &ProjectStatusInput { action: get("action") }).await.map(|_| ()),
        "risks" => {
            let risks = get("risks").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
            s.app.set_project_risks(p, id, &RisksInput { risks }).await.map(|_| ())
        }
        _ => Err(AppError::NotFound("page")),
    };
    after_project(&s, &ctx, id, r).await
}

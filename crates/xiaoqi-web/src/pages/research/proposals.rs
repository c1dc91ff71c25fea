//! Admissions of teams to a problem, and proposals with shortlist and selection.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{AdmissionInput, MilestoneInput, ProposalInput};
use xiaoqi_domain::research::ProposalAction;

use super::problems::after_problem;
use super::{items, part, rows};
use crate::AppState;
use crate::extract::ApiPath;
use crate::pages::{CsrfForm, forms, page_error, see_other};

pub(in crate::pages) async fn request_admission(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let team_id = forms::parse_int("team_id", form.get("team_id").map_or("", String::as_str));
    let r = match team_id {
        Ok(Some(team_id)) => s.app.request_admission(p, id, &AdmissionInput { team_id }).await.map(|_| ()),
        Ok(None) => Err(xiaoqi_domain::FieldError::required("team_id").into()),
        Err(e) => Err(e.into()),
    };
    after_problem(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn admission_step(
    State(s): State<AppState>,
    ApiPath((id, team, step)): ApiPath<(i64, i64, String)>,
    CsrfForm { ctx, form: _ }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = match step.as_str() {
        "accept-terms" => s.app.accept_terms(p, id, team).await.map(|_| ()),
        "admit" => s.app.admit_team(p, id, team).await.map(|_| ()),
        _ => Err(AppError::NotFound("page")),
    };
    after_problem(&s, &ctx, id, r).await
}

/// The proposal form as typed.
#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct ProposalForm {
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    approach: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    members: String,
    /// `title | deliverable | YYYY-MM-DD` per line.
    #[serde(default)]
    milestones: String,
}

pub(in crate::pages) async fn submit_proposal(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<ProposalForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = ProposalInput {
        team_id: read.int("team_id", &form.team_id),
        approach: form.approach.clone(),
        budget: form.budget.clone(),
        members: items(&form.members),
        milestones: rows(&form.milestones)
            .iter()
            .map(|r| MilestoneInput { title: part(r, 0), deliverable: part(r, 1), due_date: part(r, 2) })
            .collect(),
    };
    let r = match read.finish() {
        Ok(()) => s.app.submit_proposal(p, id, &input).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    after_problem(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn proposal_step(
    State(s): State<AppState>,
    ApiPath((id, step)): ApiPath<(i64, String)>,
    CsrfForm { ctx, form: _ }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let problem = match s.app.get_proposal(p, id).await {
        Ok(r) => r.problem_id,
        Err(e) => return page_error(e),
    };
    match step.as_str() {
        "select" => match s.app.select_proposal(p, id).await {
            Ok(j) => see_other(&format!("/projects/{}", j.id)),
            Err(e) => after_problem(&s, &ctx, problem, Err(e)).await,
        },
        "shortlist" | "reject" => {
            let action = if step == "shortlist" { ProposalAction::Shortlist } else { ProposalAction::Reject };
            let r = s.app.decide_proposal(p, id, action).await.map(|_| ());
            after_problem(&s, &ctx, problem, r).await
        }
        _ => page_error(AppError::NotFound("page")),
    }
}

//! Technical problems: posting one, its page (the details only for admitted teams), and closing it.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{ProblemInput, ProblemView, TeamSuggestion, managed_colleges};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::research::{ProblemStatus, ProposalAction};
use xiaoqi_domain::service::Side;
use xiaoqi_store::ProposalRecord;

use super::{items, shown_on_page, yuan};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other};

/// The problem form as typed.
#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct ProblemForm {
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    details: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    occupations: String,
    #[serde(default)]
    budget_min: String,
    #[serde(default)]
    budget_max: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    deliverable: String,
    #[serde(default)]
    trl: String,
    #[serde(default)]
    terms: String,
}

impl ProblemForm {
    fn input(&self) -> Result<ProblemInput, AppError> {
        let mut r = forms::Reader::new();
        let input = ProblemInput {
            enterprise_id: r.int("enterprise_id", &self.enterprise_id),
            title: self.title.clone(),
            summary: self.summary.clone(),
            details: self.details.clone(),
            field: self.field.clone(),
            skills: items(&self.skills),
            occupations: items(&self.occupations),
            budget_min: self.budget_min.clone(),
            budget_max: self.budget_max.clone(),
            deadline: self.deadline.clone(),
            deliverable: self.deliverable.clone(),
            trl: r.int("trl", &self.trl),
            terms: self.terms.clone(),
        };
        r.finish()?;
        Ok(input)
    }
}

#[derive(Template)]
#[template(path = "research_problem_form.html")]
struct ProblemFormPage {
    c: Chrome,
    enterprises: Vec<(i64, String)>,
    f: ProblemForm,
    errors: FormErrors,
}

async fn problem_form(s: &AppState, ctx: &Ctx, f: ProblemForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mine = acting_orgs(p, Side::Enterprise);
    let enterprises = p.orgs().into_iter().filter(|(o, _, _)| mine.contains(o)).map(|(o, n, _)| (o, n)).collect();
    let page = ProblemFormPage { c: Chrome::new(s, ctx, "/problems/new").await, enterprises, f, errors };
    render(&page)
}

pub(in crate::pages) async fn new_problem(State(s): State<AppState>, ctx: Ctx) -> Response {
    problem_form(&s, &ctx, ProblemForm::default(), FormErrors::none()).await
}

pub(in crate::pages) async fn create_problem(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<ProblemForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) => s.app.create_problem(p, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(v) => see_other(&format!("/problems/{}", v.id)),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            problem_form(&s, &ctx, form, errors).await
        }
        Err(e) => page_error(e),
    }
}

/// One proposal as shown.
struct ProposalRow {
    id: i64,
    team: String,
    approach: String,
    budget: String,
    status: &'static str,
    open: bool,
    milestones: Vec<String>,
}

fn proposal_row(r: &ProposalRecord, lang: &str) -> ProposalRow {
    ProposalRow {
        id: r.id,
        team: r.team_name.clone(),
        approach: r.fields.approach.clone(),
        budget: yuan(r.fields.budget_fen),
        status: r.status.label(lang),
        open: r.status.after(ProposalAction::Select).is_some(),
        milestones: r
            .fields
            .milestones
            .iter()
            .map(|m| format!("{} · {} · {}", m.due_date, m.title, m.deliverable))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "research_problem.html")]
struct ProblemPage {
    c: Chrome,
    v: ProblemView,
    /// The status in the reader's language (`v.status` is its code).
    status_label: String,
    budget: String,
    /// (team id, team name, state key, whether the caller takes the next step).
    admissions: Vec<(i64, String, &'static str, bool)>,
    /// The caller's teams that may still ask for admission.
    requestable: Vec<(i64, String)>,
    /// The caller's admitted teams (for the proposal form).
    proposing: Vec<(i64, String)>,
    proposals: Vec<ProposalRow>,
    suggestions: Vec<TeamSuggestion>,
    steps: [(&'static str, &'static str); 3],
    errors: FormErrors,
}

async fn problem_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_problem(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let lang = ctx.lang.code();
    let acting = v.acting_for_enterprise;
    let admissions = v
        .admissions
        .iter()
        .map(|a| {
            let (state, mine) = match (a.terms_accepted_at, a.admitted_at) {
                (_, Some(_)) => ("research.admitted", false),
                (Some(_), None) => ("research.terms_accepted", acting),
                (None, None) => ("research.requested", !acting),
            };
            (a.team_id, a.team_name.clone(), state, mine)
        })
        .collect::<Vec<_>>();
    let mut requestable = Vec::new();
    let mut proposing = Vec::new();
    for college in managed_colleges(p) {
        let teams = match all_pages(|r| s.app.list_teams(p, Some(college), r)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        };
        for t in teams {
            match v.admissions.iter().find(|a| a.team_id == t.id) {
                None => requestable.push((t.id, t.fields.name.clone())),
                Some(a) if a.admitted_at.is_some() => proposing.push((t.id, t.fields.name.clone())),
                Some(_) => {}
            }
        }
    }
    let proposals = if v.may_list_proposals {
        match s.app.list_proposals(p, id).await {
            Ok(all) => all.iter().map(|r| proposal_row(r, lang)).collect(),
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let suggestions = if acting {
        match s.app.suggest_teams(p, id).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let page = ProblemPage {
        c: Chrome::new(s, ctx, &format!("/problems/{id}")).await,
        budget: format!("{} – {}", yuan(v.budget_min_fen), yuan(v.budget_max_fen)),
        status_label: ProblemStatus::parse(&v.status)
            .map_or_else(|| v.status.clone(), |st| st.label(ctx.t().code()).to_string()),
        v,
        admissions,
        requestable,
        proposing,
        proposals,
        suggestions,
        steps: [("shortlist", "research.shortlist"), ("select", "research.select"), ("reject", "research.reject")],
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn problem(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    problem_view(&s, &ctx, id, FormErrors::none()).await
}

pub(super) async fn after_problem(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/problems/{id}")),
        Err(e) if shown_on_page(&e) => problem_view(s, ctx, id, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

/// Closes a problem (its enterprise's administrators and HR).
pub(in crate::pages) async fn close_problem(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = s.app.close_problem(p, id).await.map(|_| ());
    after_problem(&s, &ctx, id, r).await
}

//! Pages of industry–university–research cooperation (产学研): teams, technical problems (the
//! details only for admitted teams), admissions, proposals with shortlist and selection, and
//! projects with milestones, budget lines (spent and remaining) and expenditures.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{
    AdmissionInput, BudgetLineInput, ExpenditureInput, MilestoneInput, MilestoneSubmitInput, ProblemInput, ProblemView,
    ProjectStatusInput, ProjectView, ProposalInput, RisksInput, TeamInput, TeamMemberInput, TeamSuggestion,
    managed_colleges,
};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::research::{FundingSource, MemberRole, ProblemStatus, ProposalAction, TeamKind};
use xiaoqi_domain::service::Side;
use xiaoqi_store::{Equipment, ProjectRecord, ProposalRecord, TeamRecord};

use super::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, forms, page_error, render, see_other,
    shanghai,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

fn yuan(fen: i64) -> String {
    Fen(fen).to_cny_string()
}

/// Splits a text area into trimmed, non-empty lines (or comma-separated items).
fn items(text: &str) -> Vec<String> {
    text.split(['\n', ',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Splits `a | b | c` lines into their parts.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(['|', '｜']).map(|p| p.trim().to_string()).collect())
        .collect()
}

fn part(r: &[String], i: usize) -> String {
    r.get(i).cloned().unwrap_or_default()
}

fn kinds(lang: &str) -> Vec<(&'static str, &'static str)> {
    TeamKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect()
}

#[derive(Template)]
#[template(path = "research.html")]
struct HubPage {
    c: Chrome,
    teams: Vec<TeamRecord>,
    problems: Vec<ProblemView>,
    projects: Vec<ProjectRecord>,
    may_create_team: bool,
    may_post_problem: bool,
    teams_pager: Pager,
    problems_pager: Pager,
}

/// The hub: teams, open problems (each list paged), the caller's projects.
pub(super) async fn hub(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let (team_request, problem_request) =
        match (PageParams::prefixed(&query, "teams_").request(), PageParams::prefixed(&query, "problems_").request()) {
            (Ok(t), Ok(pr)) => (t, pr),
            (Err(e), _) | (_, Err(e)) => return page_error(e.into()),
        };
    let t = ctx.t();
    let (teams, teams_pager) = match s.app.list_teams(p, None, team_request).await {
        Ok(pg) => {
            let pager = Pager::named(&t, &pg, "/research", "teams_");
            (pg.items, pager)
        }
        Err(e) => return page_error(e),
    };
    let (problems, problems_pager) = match s.app.list_problems(p, None, problem_request).await {
        Ok(pg) => {
            let pager = Pager::named(&t, &pg, "/research", "problems_");
            (pg.items, pager)
        }
        Err(e) => return page_error(e),
    };
    let mut orgs = managed_colleges(p);
    orgs.extend(acting_orgs(p, Side::Enterprise));
    let mut projects = Vec::new();
    for org in orgs {
        // The caller manages teams of, or acts for, each of these organisations: their
        // projects are theirs to list.
        let all = match all_pages(|r| s.app.list_projects(p, org, r)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        };
        for j in all {
            if !projects.iter().any(|k: &ProjectRecord| k.id == j.id) {
                projects.push(j);
            }
        }
    }
    let page = HubPage {
        c: Chrome::new(&s, &ctx, "/research").await,
        teams,
        problems,
        projects,
        may_create_team: !managed_colleges(p).is_empty(),
        may_post_problem: !acting_orgs(p, Side::Enterprise).is_empty(),
        teams_pager,
        problems_pager,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "research_team.html")]
struct TeamPage {
    c: Chrome,
    t: TeamRecord,
    skills: Vec<String>,
    kind: &'static str,
    may_edit: bool,
}

pub(super) async fn team(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.get_team(p, id).await {
        Ok(t) => {
            let lang = ctx.lang.code();
            let page = TeamPage {
                skills: t.fields.skills.iter().map(|s| xiaoqi_app::talent::vocab::skill_name(s, lang)).collect(),
                kind: t.fields.kind.label(lang),
                may_edit: xiaoqi_app::research::manages_teams(p, t.college_org_id),
                c: Chrome::new(&s, &ctx, &format!("/teams/{id}")).await,
                t,
            };
            render(&page)
        }
        Err(e) => page_error(e),
    }
}

/// The team form as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct TeamForm {
    #[serde(default)]
    college_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    skills: String,
    #[serde(default)]
    occupations: String,
    /// `name | availability` per line.
    #[serde(default)]
    equipment: String,
    /// `name | role` per line.
    #[serde(default)]
    members: String,
}

impl TeamForm {
    fn input(&self) -> Result<TeamInput, AppError> {
        let mut r = forms::Reader::new();
        let input = TeamInput {
            college_id: r.int("college_id", &self.college_id),
            name: self.name.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            skills: items(&self.skills),
            occupations: items(&self.occupations),
            equipment: rows(&self.equipment)
                .iter()
                .map(|r| Equipment { name: part(r, 0), availability: part(r, 1) })
                .collect(),
            members: rows(&self.members)
                .iter()
                .map(|r| TeamMemberInput {
                    account_id: None,
                    external_name: Some(part(r, 0)),
                    org_id: None,
                    role: part(r, 1),
                })
                .collect(),
        };
        r.finish()?;
        Ok(input)
    }

    fn of(t: &TeamRecord) -> TeamForm {
        TeamForm {
            college_id: t.college_org_id.to_string(),
            name: t.fields.name.clone(),
            kind: t.fields.kind.as_str().to_string(),
            description: t.fields.description.clone(),
            skills: t.fields.skills.join(", "),
            occupations: t.fields.occupations.join(", "),
            equipment: t
                .fields
                .equipment
                .iter()
                .map(|q| format!("{} | {}", q.name, q.availability))
                .collect::<Vec<_>>()
                .join("\n"),
            members: t
                .members
                .iter()
                .map(|m| format!("{} | {}", m.name, m.member.role.as_str()))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

#[derive(Template)]
#[template(path = "research_team_form.html")]
struct TeamFormPage {
    c: Chrome,
    action: String,
    colleges: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
    f: TeamForm,
    errors: FormErrors,
}

async fn team_form(s: &AppState, ctx: &Ctx, action: String, f: TeamForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let colleges = managed_colleges(p);
    let names = p.orgs();
    let page = TeamFormPage {
        c: Chrome::new(s, ctx, &action).await,
        action,
        colleges: colleges
            .iter()
            .map(|c| (*c, names.iter().find(|(o, _, _)| o == c).map(|(_, n, _)| n.clone()).unwrap_or_default()))
            .collect(),
        kinds: kinds(lang),
        roles: MemberRole::ALL.iter().map(|r| (r.as_str(), r.label(lang))).collect(),
        f,
        errors,
    };
    render(&page)
}

pub(super) async fn new_team(State(s): State<AppState>, ctx: Ctx) -> Response {
    team_form(&s, &ctx, "/teams/new".into(), TeamForm::default(), FormErrors::none()).await
}

pub(super) async fn create_team(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<TeamForm>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) => s.app.create_team(p, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(t) => see_other(&format!("/teams/{}", t.id)),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            team_form(&s, &ctx, "/teams/new".into(), form, errors).await
        }
        Err(e) => page_error(e),
    }
}

pub(super) async fn edit_team(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.get_team(p, id).await {
        Ok(t) if !xiaoqi_app::research::manages_teams(p, t.college_org_id) => page_error(AppError::Forbidden),
        Ok(t) => team_form(&s, &ctx, format!("/teams/{id}/edit"), TeamForm::of(&t), FormErrors::none()).await,
        Err(e) => page_error(e),
    }
}

pub(super) async fn update_team(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<TeamForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) => s.app.update_team(p, id, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other(&format!("/teams/{id}")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            team_form(&s, &ctx, format!("/teams/{id}/edit"), form, errors).await
        }
        Err(e) => page_error(e),
    }
}

/// The problem form as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ProblemForm {
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

pub(super) async fn new_problem(State(s): State<AppState>, ctx: Ctx) -> Response {
    problem_form(&s, &ctx, ProblemForm::default(), FormErrors::none()).await
}

pub(super) async fn create_problem(
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

pub(super) async fn problem(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    problem_view(&s, &ctx, id, FormErrors::none()).await
}

/// Whether a refusal is shown on the page it came from (bad input, a conflict, a wrong state).
pub(super) fn shown_on_page(e: &AppError) -> bool {
    matches!(e, AppError::Validation(_) | AppError::Conflict(_) | AppError::InvalidState { .. })
}

async fn after_problem(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/problems/{id}")),
        Err(e) if shown_on_page(&e) => problem_view(s, ctx, id, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(super) async fn request_admission(
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

pub(super) async fn admission_step(
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
pub(super) struct ProposalForm {
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

pub(super) async fn submit_proposal(
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

pub(super) async fn proposal_step(
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

pub(super) async fn project(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    project_view(&s, &ctx, id, FormErrors::none()).await
}

async fn after_project(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/projects/{id}")),
        Err(e) if shown_on_page(&e) => project_view(s, ctx, id, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(super) async fn milestone_step(
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

pub(super) async fn expenditure(
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

pub(super) async fn budget_line(
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
pub(super) async fn project_update(
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

/// Closes a problem (its enterprise's administrators and HR).
pub(super) async fn close_problem(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = s.app.close_problem(p, id).await.map(|_| ());
    after_problem(&s, &ctx, id, r).await
}

//! The research hub (teams and problems), a team's page, and forming or editing a team.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{ProblemView, TeamInput, TeamMemberInput, managed_colleges};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::research::MemberRole;
use xiaoqi_domain::service::Side;
use xiaoqi_store::{Equipment, ProjectRecord, TeamRecord};

use super::{items, kinds, part, rows};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, forms, page_error, render, see_other,
};

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
pub(in crate::pages) async fn hub(
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

pub(in crate::pages) async fn team(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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
pub(in crate::pages) struct TeamForm {
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

pub(in crate::pages) async fn new_team(State(s): State<AppState>, ctx: Ctx) -> Response {
    team_form(&s, &ctx, "/teams/new".into(), TeamForm::default(), FormErrors::none()).await
}

pub(in crate::pages) async fn create_team(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<TeamForm>,
) -> Response {
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

pub(in crate::pages) async fn edit_team(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.get_team(p, id).await {
        Ok(t) if !xiaoqi_app::research::manages_teams(p, t.college_org_id) => page_error(AppError::Forbidden),
        Ok(t) => team_form(&s, &ctx, format!("/teams/{id}/edit"), TeamForm::of(&t), FormErrors::none()).await,
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn update_team(
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

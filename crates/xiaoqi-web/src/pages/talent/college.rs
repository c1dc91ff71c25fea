//! A college's side: the demand insight and a major's supply.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::talent::insight::DemandInsight;
use xiaoqi_app::talent::vocab;

use super::list;
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::forms::opt_text;
use crate::pages::{Chrome, CsrfForm, FormErrors, field_messages, forms, page_error, render, see_other};

#[derive(Template)]
#[template(path = "insight.html")]
struct InsightPage {
    c: Chrome,
    i: DemandInsight,
    quarters: u32,
}

#[derive(Deserialize)]
pub(in crate::pages) struct InsightQuery {
    quarters: Option<u32>,
}

pub(in crate::pages) async fn insight(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<InsightQuery>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let quarters = q.quarters.unwrap_or(4).clamp(1, 12);
    match s.app.demand_insight(p, id, quarters, ctx.lang.code()).await {
        Ok(i) => render(&InsightPage { c: Chrome::new(&s, &ctx, "/demands").await, i, quarters }),
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "major_edit.html")]
struct MajorEditPage {
    c: Chrome,
    id: i64,
    org_id: i64,
    name: String,
    skills: String,
    certificates: String,
    graduates: String,
    description: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct MajorForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    certificates: String,
    #[serde(default)]
    yearly_graduates: String,
    #[serde(default)]
    description: String,
}

pub(in crate::pages) async fn edit_major(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let m = match s.app.get_major(p, id).await {
        Ok(m) => m,
        Err(e) => return page_error(e),
    };
    if !xiaoqi_app::authz::manages_majors(p, m.org_id) {
        return page_error(AppError::Forbidden);
    }
    let lang = ctx.lang.code();
    render(&MajorEditPage {
        c: Chrome::new(&s, &ctx, "/directory").await,
        id,
        org_id: m.org_id,
        name: m.name.clone(),
        skills: vocab::format_skill_levels(&m.supply.skills, lang),
        certificates: m.supply.certificates.join(", "),
        graduates: m.supply.yearly_graduates.to_string(),
        description: m.supply.description,
        errors: FormErrors::none(),
    })
}

pub(in crate::pages) async fn save_major(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<MajorForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = xiaoqi_app::talent::supply::MajorSupplyInput {
        skills_text: Some(form.skills.clone()),
        certificates: list(&form.certificates),
        yearly_graduates: read.int("yearly_graduates", &form.yearly_graduates),
        description: opt_text(&form.description),
        ..Default::default()
    };
    let result = match read.finish() {
        Ok(()) => s.app.update_major_supply(p, id, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(m) => see_other(&format!("/orgs/{}", m.org_id)),
        Err(e @ AppError::Validation(_)) => {
            let errors = field_messages(&ctx, &e);
            let Ok(m) = s.app.get_major(p, id).await else { return page_error(e) };
            render(&MajorEditPage {
                c: Chrome::new(&s, &ctx, "/directory").await,
                id,
                org_id: m.org_id,
                name: m.name,
                skills: form.skills,
                certificates: form.certificates,
                graduates: form.yearly_graduates,
                description: form.description,
                errors,
            })
        }
        Err(e) => page_error(e),
    }
}

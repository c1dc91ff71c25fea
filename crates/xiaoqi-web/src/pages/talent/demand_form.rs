//! Posting and editing a demand, with occupation suggestions while typing its title.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::talent::demand::{DemandInput, DemandView, RoleInput};
use xiaoqi_app::talent::{OccupationSuggestion, suggest_occupations, vocab};
use xiaoqi_domain::talent::Education;
use xiaoqi_domain::time::Date;

use super::{date, writable_orgs, yuan};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::forms::opt_text;
use crate::pages::{Chrome, CsrfForm, FormErrors, field_messages, forms, page_error, render, see_other};

/// The demand form's fields, flat (three post blocks `r0_…` to `r2_…`).
#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct DemandForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    occupation_code: String,
    #[serde(default)]
    headcount: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    pay_min: String,
    #[serde(default)]
    pay_max: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    r0_title: String,
    #[serde(default)]
    r0_share: String,
    #[serde(default)]
    r0_skills: String,
    #[serde(default)]
    r0_certs: String,
    #[serde(default)]
    r1_title: String,
    #[serde(default)]
    r1_share: String,
    #[serde(default)]
    r1_skills: String,
    #[serde(default)]
    r1_certs: String,
    #[serde(default)]
    r2_title: String,
    #[serde(default)]
    r2_share: String,
    #[serde(default)]
    r2_skills: String,
    #[serde(default)]
    r2_certs: String,
    /// Publish right away instead of saving a draft.
    #[serde(default)]
    publish: Option<String>,
}

impl DemandForm {
    /// The use case's input; a number that does not read is the field's error.
    fn input(&self) -> Result<DemandInput, AppError> {
        let mut r = forms::Reader::new();
        let mut role = |i: usize, title: &str, share: &str, skills: &str, certs: &str| RoleInput {
            title: opt_text(title),
            occupation_code: None,
            share: r.opt_int(&format!("roles[{i}].share"), share),
            skills: Vec::new(),
            skills_text: opt_text(skills),
            certificates: forms::list(certs),
        };
        let roles = vec![
            role(0, &self.r0_title, &self.r0_share, &self.r0_skills, &self.r0_certs),
            role(1, &self.r1_title, &self.r1_share, &self.r1_skills, &self.r1_certs),
            role(2, &self.r2_title, &self.r2_share, &self.r2_skills, &self.r2_certs),
        ];
        let input = DemandInput {
            title: self.title.clone(),
            occupation_code: opt_text(&self.occupation_code),
            roles,
            headcount: r.int("headcount", &self.headcount),
            region_code: opt_text(&self.region_code),
            pay_min: opt_text(&self.pay_min),
            pay_max: opt_text(&self.pay_max),
            start_date: opt_text(&self.start_date),
            valid_until: self.valid_until.clone(),
            education: opt_text(&self.education),
            description: opt_text(&self.description),
        };
        r.finish()?;
        Ok(input)
    }

    fn from_view(d: &DemandView, lang: &str) -> DemandForm {
        let c = &d.record.content;
        let r = |i: usize| c.roles.get(i);
        let skills = |i: usize| r(i).map(|r| vocab::format_skill_reqs(&r.skills, lang)).unwrap_or_default();
        let certs = |i: usize| r(i).map(|r| r.certificates.join(", ")).unwrap_or_default();
        let share = |i: usize| r(i).map(|r| r.share.to_string()).unwrap_or_default();
        let title = |i: usize| r(i).map(|r| r.title.clone()).unwrap_or_default();
        DemandForm {
            title: c.title.clone(),
            occupation_code: c.occupation_code.clone().unwrap_or_default(),
            headcount: c.headcount.to_string(),
            region_code: c.region_code.clone().unwrap_or_default(),
            pay_min: yuan(c.pay_min_fen),
            pay_max: yuan(c.pay_max_fen),
            start_date: date(c.start_date),
            valid_until: Date(c.valid_until).format(),
            education: c.education.as_str().into(),
            description: c.description.clone(),
            r0_title: title(0),
            r0_share: share(0),
            r0_skills: skills(0),
            r0_certs: certs(0),
            r1_title: title(1),
            r1_share: share(1),
            r1_skills: skills(1),
            r1_certs: certs(1),
            r2_title: title(2),
            r2_share: share(2),
            r2_skills: skills(2),
            r2_certs: certs(2),
            publish: None,
        }
    }
}

#[derive(Template)]
#[template(path = "demand_form.html")]
struct DemandFormPage {
    c: Chrome,
    action: String,
    f: DemandForm,
    errors: FormErrors,
    educations: Vec<(&'static str, &'static str)>,
    skill_names: Vec<String>,
}

fn form_page(c: Chrome, action: String, f: DemandForm, errors: FormErrors, lang: &str) -> Response {
    let educations = Education::ALL.iter().map(|e| (e.as_str(), e.label(lang))).collect();
    let skill_names = vocab::skill_display_names(lang);
    render(&DemandFormPage { c, action, f, errors, educations, skill_names })
}

#[derive(Deserialize)]
pub(in crate::pages) struct OrgQuery {
    org: i64,
}

pub(in crate::pages) async fn new_demand(State(s): State<AppState>, ctx: Ctx, Query(q): Query<OrgQuery>) -> Response {
    if ctx.principal.is_none() {
        return see_other("/login");
    }
    if !writable_orgs(&ctx).iter().any(|(o, _)| *o == q.org) {
        return page_error(AppError::Forbidden);
    }
    let f = DemandForm { headcount: "1".into(), r0_share: String::new(), ..Default::default() };
    let c = Chrome::new(&s, &ctx, "/demands").await;
    form_page(c, format!("/demands/new?org={}", q.org), f, FormErrors::none(), ctx.lang.code())
}

pub(in crate::pages) async fn create_demand(
    State(s): State<AppState>,
    Query(q): Query<OrgQuery>,
    CsrfForm { ctx, form }: CsrfForm<DemandForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) if form.publish.is_some() => s.app.create_and_publish_demand(p, q.org, &input).await,
        Ok(input) => s.app.create_demand(p, q.org, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(d) => see_other(&format!("/demands/{}", d.record.id)),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            let c = Chrome::new(&s, &ctx, "/demands").await;
            form_page(c, format!("/demands/new?org={}", q.org), form, errors, ctx.lang.code())
        }
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn edit_demand(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.get_demand(p, id).await {
        Ok(d) if d.editable => {
            let f = DemandForm::from_view(&d, ctx.lang.code());
            let c = Chrome::new(&s, &ctx, "/demands").await;
            form_page(c, format!("/demands/{id}/edit"), f, FormErrors::none(), ctx.lang.code())
        }
        Ok(_) => page_error(AppError::Forbidden),
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn update_demand(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<DemandForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) => s.app.update_demand(p, id, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other(&format!("/demands/{id}")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            let c = Chrome::new(&s, &ctx, "/demands").await;
            form_page(c, format!("/demands/{id}/edit"), form, errors, ctx.lang.code())
        }
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "suggestions.html")]
struct SuggestionsPart {
    t: crate::i18n::T,
    items: Vec<OccupationSuggestion>,
}

#[derive(Deserialize)]
pub(in crate::pages) struct SuggestQuery {
    #[serde(default)]
    title: String,
}

/// The htmx fragment of occupation suggestions for the title being typed.
pub(in crate::pages) async fn suggest(ctx: Ctx, Query(q): Query<SuggestQuery>) -> Response {
    if ctx.principal.is_none() {
        return see_other("/login");
    }
    let items = suggest_occupations(&q.title).unwrap_or_default();
    render(&SuggestionsPart { t: ctx.t(), items })
}

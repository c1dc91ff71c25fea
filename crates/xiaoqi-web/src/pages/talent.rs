//! Pages of the talent market: demands (list, post, detail with matches), the student's
//! profile and consents, a college's demand insight, and the search box.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::talent::demand::{DemandInput, DemandView, RoleInput};
use xiaoqi_app::talent::insight::DemandInsight;
use xiaoqi_app::talent::matching::{MajorMatch, StudentMatch};
use xiaoqi_app::talent::supply::{ConsentInput, ProfileInput};
use xiaoqi_app::talent::{OccupationSuggestion, suggest_occupations, vocab};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::Page;
use xiaoqi_domain::talent::{DemandAction, Education};
use xiaoqi_domain::time::Date;
use xiaoqi_store::{ConsentRecord, DemandFilter, SearchHit};

use super::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, forms, page_error, render, see_other,
    shanghai,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

/// An amount for a form field (`4200.00`).
fn yuan(f: Option<i64>) -> String {
    f.map(|v| Fen(v).to_yuan_string()).unwrap_or_default()
}

/// An amount as people read it (`¥4,200.00`).
fn cny(f: Option<i64>) -> String {
    f.map(|v| Fen(v).to_cny_string()).unwrap_or_default()
}

fn date(d: Option<i64>) -> String {
    d.map(|d| Date(d).format()).unwrap_or_default()
}

/// A demand as one row or card.
struct DemandRow {
    id: i64,
    title: String,
    org_name: String,
    status: String,
    status_code: &'static str,
    occupation: String,
    region: String,
    headcount: i64,
    pay: String,
    valid_until: String,
}

fn row(d: &DemandView, lang: &str) -> DemandRow {
    let c = &d.record.content;
    let pay = match (c.pay_min_fen, c.pay_max_fen) {
        (None, None) => String::new(),
        (lo, hi) => format!("{}–{}", cny(lo), cny(hi)),
    };
    DemandRow {
        id: d.record.id,
        title: c.title.clone(),
        org_name: d.record.org_name.clone(),
        status: d.effective_status.label(lang).into(),
        status_code: d.effective_status.as_str(),
        occupation: d.occupation_name.clone().unwrap_or_default(),
        region: d.region_name.clone().unwrap_or_default(),
        headcount: c.headcount,
        pay,
        valid_until: Date(c.valid_until).format(),
    }
}

/// The enterprises where the person may post demands.
fn writable_orgs(ctx: &Ctx) -> Vec<(i64, String)> {
    let Some(p) = ctx.principal.as_ref() else { return Vec::new() };
    p.orgs()
        .into_iter()
        .filter(|(o, _, k)| *k == OrgKind::Enterprise && xiaoqi_app::authz::recruits_for(p, *o))
        .map(|(o, n, _)| (o, n))
        .collect()
}

#[derive(Template)]
#[template(path = "demands.html")]
struct DemandsPage {
    c: Chrome,
    open: Vec<DemandRow>,
    mine: Vec<(String, Vec<DemandRow>)>,
    writable: Vec<(i64, String)>,
    total: u64,
    pager: Pager,
}

#[derive(Deserialize)]
pub(super) struct DemandListQuery {
    occupation: Option<String>,
    region: Option<String>,
    #[serde(flatten)]
    paging: PageParams,
}

pub(super) async fn demands(State(s): State<AppState>, ctx: Ctx, Query(q): Query<DemandListQuery>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let filter = match xiaoqi_app::talent::demand::demand_filter(q.occupation.as_deref(), q.region.as_deref()) {
        Ok(f) => f,
        Err(e) => return page_error(e.into()),
    };
    let request = match q.paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let open = match s.app.list_demands(p, None, filter, request).await {
        Ok(pg) => pg,
        Err(e) => return page_error(e),
    };
    let writable = writable_orgs(&ctx);
    let mut mine = Vec::new();
    for (org, name) in &writable {
        let all = all_pages(|r| s.app.list_demands(p, Some(*org), DemandFilter::default(), r)).await;
        match all {
            Ok(items) => mine.push((name.clone(), items.iter().map(|d| row(d, lang)).collect())),
            Err(e) => return page_error(e),
        }
    }
    let mut base = String::from("/demands");
    for (k, v) in [("occupation", &q.occupation), ("region", &q.region)] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            base.push(if base.contains('?') { '&' } else { '?' });
            base.push_str(&format!("{k}={}", super::directory::percent_encode(v)));
        }
    }
    let page = DemandsPage {
        pager: Pager::new(&ctx.t(), &open, &base),
        c: Chrome::new(&s, &ctx, "/demands").await,
        open: open.items.iter().map(|d| row(d, lang)).collect(),
        total: open.total,
        mine,
        writable,
    };
    render(&page)
}

/// The demand form's fields, flat (three post blocks `r0_…` to `r2_…`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct DemandForm {
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

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|v| !v.is_empty())
}

impl DemandForm {
    /// The use case's input; a number that does not read is the field's error.
    fn input(&self) -> Result<DemandInput, AppError> {
        let mut r = forms::Reader::new();
        let mut role = |i: usize, title: &str, share: &str, skills: &str, certs: &str| RoleInput {
            title: opt(title),
            occupation_code: None,
            share: r.opt_int(&format!("roles[{i}].share"), share),
            skills: Vec::new(),
            skills_text: opt(skills),
            certificates: forms::list(certs),
        };
        let roles = vec![
            role(0, &self.r0_title, &self.r0_share, &self.r0_skills, &self.r0_certs),
            role(1, &self.r1_title, &self.r1_share, &self.r1_skills, &self.r1_certs),
            role(2, &self.r2_title, &self.r2_share, &self.r2_skills, &self.r2_certs),
        ];
        let input = DemandInput {
            title: self.title.clone(),
            occupation_code: opt(&self.occupation_code),
            roles,
            headcount: r.int("headcount", &self.headcount),
            region_code: opt(&self.region_code),
            pay_min: opt(&self.pay_min),
            pay_max: opt(&self.pay_max),
            start_date: opt(&self.start_date),
            valid_until: self.valid_until.clone(),
            education: opt(&self.education),
            description: opt(&self.description),
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
pub(super) struct OrgQuery {
    org: i64,
}

pub(super) async fn new_demand(State(s): State<AppState>, ctx: Ctx, Query(q): Query<OrgQuery>) -> Response {
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

pub(super) async fn create_demand(
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

pub(super) async fn edit_demand(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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

pub(super) async fn update_demand(
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
pub(super) struct SuggestQuery {
    #[serde(default)]
    title: String,
}

/// The htmx fragment of occupation suggestions for the title being typed.
pub(super) async fn suggest(ctx: Ctx, Query(q): Query<SuggestQuery>) -> Response {
    if ctx.principal.is_none() {
        return see_other("/login");
    }
    let items = suggest_occupations(&q.title).unwrap_or_default();
    render(&SuggestionsPart { t: ctx.t(), items })
}

struct RoleLine {
    title: String,
    share: u32,
    skills: Vec<String>,
    certificates: Vec<String>,
}

#[derive(Template)]
#[template(path = "demand.html")]
struct DemandPage {
    c: Chrome,
    d: DemandRow,
    occupation_code: String,
    education: String,
    start_date: String,
    description: String,
    roles: Vec<RoleLine>,
    editable: bool,
    actions: Vec<(&'static str, &'static str)>,
    students: Option<Vec<StudentMatch>>,
    majors: Vec<MajorMatch>,
    errors: FormErrors,
}

async fn demand_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let d = match s.app.get_demand(p, id).await {
        Ok(d) => d,
        Err(e) => return page_error(e),
    };
    let students = if d.may_match_students {
        match s.app.match_students(p, id, lang).await {
            Ok(list) => Some(list),
            Err(e) => return page_error(e),
        }
    } else {
        None
    };
    // Anyone who sees the demand sees its matching majors.
    let majors = match s.app.match_majors(p, id, lang).await {
        Ok(mut m) => {
            m.truncate(10);
            m
        }
        Err(e) => return page_error(e),
    };
    let c = &d.record.content;
    let roles = c
        .roles
        .iter()
        .map(|r| RoleLine {
            title: r.title.clone(),
            share: r.share,
            skills: r
                .skills
                .iter()
                .map(|k| format!("{} ≥{} ×{}", vocab::skill_name(&k.skill, lang), k.min_level, k.weight))
                .collect(),
            certificates: r.certificates.iter().map(|k| vocab::certificate_name(k, lang)).collect(),
        })
        .collect();
    let actions: Vec<(&'static str, &'static str)> = if d.editable {
        DemandAction::ALL
            .iter()
            .filter(|a| d.effective_status.apply(**a).is_ok())
            .map(|a| (a.as_str(), a.label(lang)))
            .collect()
    } else {
        Vec::new()
    };
    let page = DemandPage {
        c: Chrome::new(s, ctx, "/demands").await,
        d: row(&d, lang),
        occupation_code: c.occupation_code.clone().unwrap_or_default(),
        education: c.education.label(lang).into(),
        start_date: date(c.start_date),
        description: c.description.clone(),
        roles,
        editable: d.editable && d.effective_status.editable(),
        actions,
        students: students.map(|mut v| {
            v.truncate(30);
            v
        }),
        majors,
        errors,
    };
    render(&page)
}

pub(super) async fn demand(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    demand_view(&s, &ctx, id, FormErrors::none()).await
}

#[derive(Deserialize)]
pub(super) struct ActionForm {
    action: String,
}

pub(super) async fn demand_action(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<ActionForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match DemandAction::parse_field("action", "demand_action", &form.action) {
        Ok(action) => s.app.demand_action(p, id, action).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => see_other(&format!("/demands/{id}")),
        Err(e @ (AppError::Validation(_) | AppError::InvalidState { .. })) => {
            let errors = field_messages(&ctx, &e);
            demand_view(&s, &ctx, id, errors).await
        }
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    c: Chrome,
    skills: String,
    certificates: String,
    grade_avg: String,
    graduation_year: String,
    region_code: String,
    preferred_regions: String,
    preferred_occupations: String,
    intro: String,
    consents: Vec<ConsentLine>,
    matches: Vec<(i64, String, String, f32, String)>,
    errors: FormErrors,
}

struct ConsentLine {
    id: i64,
    scope: String,
    at: String,
    revoked: String,
    live: bool,
}

fn consent_lines(list: Vec<ConsentRecord>, lang: &str) -> Vec<ConsentLine> {
    list.into_iter()
        .map(|c| ConsentLine {
            id: c.id,
            scope: c.grantee_name.unwrap_or_else(|| c.scope.label(lang).into()),
            at: shanghai(c.granted_at),
            revoked: c.revoked_at.map(shanghai).unwrap_or_default(),
            live: c.revoked_at.is_none(),
        })
        .collect()
}

async fn profile_view(s: &AppState, ctx: &Ctx, form: Option<ProfileForm>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let prof = match s.app.my_profile(p).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let consents = match s.app.my_consents(p).await {
        Ok(c) => c,
        Err(e) => return page_error(e),
    };
    let matches = s
        .app
        .match_demands_for_me(p, lang)
        .await
        .map(|v| {
            v.into_iter()
                .take(10)
                .map(|m| {
                    let missing: Vec<String> =
                        m.explanation.roles.iter().flat_map(|r| r.missing.iter().map(|x| x.name.clone())).collect();
                    (
                        m.demand.record.id,
                        m.demand.record.content.title.clone(),
                        m.demand.record.org_name.clone(),
                        m.score,
                        missing.join("、"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let f = form.unwrap_or_else(|| match &prof {
        Some(pr) => ProfileForm {
            skills: vocab::format_skill_levels(&pr.content.skills, lang),
            certificates: pr.content.certificates.join(", "),
            grade_avg: pr.content.grade_avg.map(|g| g.to_string()).unwrap_or_default(),
            graduation_year: pr.content.graduation_year.map(|g| g.to_string()).unwrap_or_default(),
            region_code: pr.content.region_code.clone().unwrap_or_default(),
            preferred_regions: pr.content.preferred_regions.join(", "),
            preferred_occupations: pr.content.preferred_occupations.join(", "),
            intro: pr.content.intro.clone(),
        },
        None => ProfileForm::default(),
    });
    render(&ProfilePage {
        c: Chrome::new(s, ctx, "/me/profile").await,
        skills: f.skills,
        certificates: f.certificates,
        grade_avg: f.grade_avg,
        graduation_year: f.graduation_year,
        region_code: f.region_code,
        preferred_regions: f.preferred_regions,
        preferred_occupations: f.preferred_occupations,
        intro: f.intro,
        consents: consent_lines(consents, lang),
        matches,
        errors,
    })
}

pub(super) async fn profile(State(s): State<AppState>, ctx: Ctx) -> Response {
    profile_view(&s, &ctx, None, FormErrors::none()).await
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ProfileForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    certificates: String,
    #[serde(default)]
    grade_avg: String,
    #[serde(default)]
    graduation_year: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    preferred_regions: String,
    #[serde(default)]
    preferred_occupations: String,
    #[serde(default)]
    intro: String,
}

fn list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect()
}

pub(super) async fn save_profile(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<ProfileForm>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = ProfileInput {
        skills_text: Some(form.skills.clone()),
        certificates: list(&form.certificates),
        grade_avg: read.opt_int("grade_avg", &form.grade_avg),
        graduation_year: read.opt_int("graduation_year", &form.graduation_year),
        region_code: opt(&form.region_code),
        preferred_regions: list(&form.preferred_regions),
        preferred_occupations: list(&form.preferred_occupations),
        intro: opt(&form.intro),
        ..Default::default()
    };
    let result = match read.finish() {
        Ok(()) => s.app.save_my_profile(p, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => see_other("/me/profile"),
        Err(e @ AppError::Validation(_)) => {
            let errors = field_messages(&ctx, &e);
            profile_view(&s, &ctx, Some(form), errors).await
        }
        Err(e) => page_error(e),
    }
}

#[derive(Deserialize)]
pub(super) struct ConsentForm {
    scope: String,
    #[serde(default)]
    org_id: String,
}

pub(super) async fn grant_consent(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<ConsentForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = ConsentInput { scope: form.scope.clone(), org_id: read.opt_int("org_id", &form.org_id) };
    let result = match read.finish() {
        Ok(()) => s.app.grant_consent(p, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => see_other("/me/profile"),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            profile_view(&s, &ctx, None, errors).await
        }
        Err(e) => page_error(e),
    }
}

pub(super) async fn revoke_consent(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.revoke_consent(p, id).await {
        Ok(()) => see_other("/me/profile"),
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "insight.html")]
struct InsightPage {
    c: Chrome,
    i: DemandInsight,
    quarters: u32,
}

#[derive(Deserialize)]
pub(super) struct InsightQuery {
    quarters: Option<u32>,
}

pub(super) async fn insight(
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
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    hits: Vec<(String, String, SearchHit)>,
    total: String,
    errors: FormErrors,
    pager: Pager,
}

#[derive(Deserialize)]
pub(super) struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(flatten)]
    paging: PageParams,
}

fn kind_key(k: xiaoqi_store::SearchKind) -> &'static str {
    match k {
        xiaoqi_store::SearchKind::Org => "search.kind_org",
        xiaoqi_store::SearchKind::Demand => "search.kind_demand",
        xiaoqi_store::SearchKind::Major => "search.kind_major",
        xiaoqi_store::SearchKind::Service => "search.kind_service",
        xiaoqi_store::SearchKind::Team => "search.kind_team",
        xiaoqi_store::SearchKind::Problem => "search.kind_problem",
    }
}

fn hit_link(h: &SearchHit) -> String {
    match h.kind {
        xiaoqi_store::SearchKind::Org => format!("/orgs/{}", h.ref_id),
        xiaoqi_store::SearchKind::Demand => format!("/demands/{}", h.ref_id),
        xiaoqi_store::SearchKind::Major => format!("/orgs/{}", h.org_id.unwrap_or(0)),
        xiaoqi_store::SearchKind::Service => format!("/services/{}", h.ref_id),
        xiaoqi_store::SearchKind::Team => format!("/teams/{}", h.ref_id),
        xiaoqi_store::SearchKind::Problem => format!("/problems/{}", h.ref_id),
    }
}

pub(super) async fn search(State(s): State<AppState>, ctx: Ctx, Query(q): Query<SearchForm>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let request = match q.paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let mut pager = Pager::default();
    let (hits, total, errors) = if q.q.trim().is_empty() {
        (Vec::new(), String::new(), FormErrors::none())
    } else {
        match s.app.search(p, &q.q, Vec::new(), request).await {
            Ok(a) => {
                let total =
                    if a.results.total_capped { format!("{}+", a.results.total) } else { a.results.total.to_string() };
                let shown = Page::new(vec![(); a.results.hits.len()], a.results.total, request);
                pager = Pager::new(&ctx.t(), &shown, &format!("/search?q={}", super::directory::percent_encode(&q.q)));
                (
                    a.results
                        .hits
                        .into_iter()
                        .map(|h| (hit_link(&h), ctx.t().get(kind_key(h.kind)).to_string(), h))
                        .collect(),
                    total,
                    FormErrors::none(),
                )
            }
            Err(e) => (Vec::new(), String::new(), field_messages(&ctx, &e)),
        }
    };
    render(&SearchPage { c: Chrome::new(&s, &ctx, "/search").await, q: q.q, hits, total, errors, pager })
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
pub(super) struct MajorForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    certificates: String,
    #[serde(default)]
    yearly_graduates: String,
    #[serde(default)]
    description: String,
}

pub(super) async fn edit_major(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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

pub(super) async fn save_major(
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
        description: opt(&form.description),
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

#[derive(Template)]
#[template(path = "student.html")]
struct StudentPage {
    c: Chrome,
    name: String,
    college: String,
    major: String,
    skills: Vec<String>,
    certificates: Vec<String>,
    grade: String,
    graduation_year: String,
    intro: String,
}

/// A student's profile, for those the student consented to (and the college's staff).
pub(super) async fn student(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    match s.app.get_profile(p, id).await {
        Ok(pr) => render(&StudentPage {
            c: Chrome::new(&s, &ctx, "/demands").await,
            name: pr.display_name,
            college: pr.org_name,
            major: pr.major_name.unwrap_or_default(),
            skills: pr
                .content
                .skills
                .iter()
                .map(|k| format!("{} {}", vocab::skill_name(&k.skill, lang), k.level))
                .collect(),
            certificates: pr.content.certificates.iter().map(|k| vocab::certificate_name(k, lang)).collect(),
            grade: pr.content.grade_avg.map(|g| g.to_string()).unwrap_or_default(),
            graduation_year: pr.content.graduation_year.map(|g| g.to_string()).unwrap_or_default(),
            intro: pr.content.intro,
        }),
        Err(e) => page_error(e),
    }
}

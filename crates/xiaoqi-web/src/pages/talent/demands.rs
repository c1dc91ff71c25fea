//! Demands: the list, a demand's page with its matches, and the owner's actions on it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::talent::matching::{MajorMatch, StudentMatch};
use xiaoqi_app::talent::vocab;
use xiaoqi_domain::talent::DemandAction;
use xiaoqi_store::DemandFilter;

use super::{DemandRow, date, row, writable_orgs};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, page_error, render, see_other,
};

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
pub(in crate::pages) struct DemandListQuery {
    occupation: Option<String>,
    region: Option<String>,
    #[serde(flatten)]
    paging: PageParams,
}

pub(in crate::pages) async fn demands(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DemandListQuery>,
) -> Response {
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
            base.push_str(&format!("{k}={}", crate::pages::directory::percent_encode(v)));
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

pub(in crate::pages) async fn demand(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    demand_view(&s, &ctx, id, FormErrors::none()).await
}

#[derive(Deserialize)]
pub(in crate::pages) struct ActionForm {
    action: String,
}

pub(in crate::pages) async fn demand_action(
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

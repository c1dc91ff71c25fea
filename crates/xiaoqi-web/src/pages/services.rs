//! The marketplace pages: offerings with filters, one offering with its request form, a
//! college's own offerings (publish, edit, withdraw) and the training invitation form.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::services::{
    InvitationInput, OfferingActions, OfferingInput, OfferingPatch, OfferingQuery, RequestInput, acting_orgs, acts_for,
    price_label,
};
use xiaoqi_app::{AppError, Principal};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceKind, Side};
use xiaoqi_store::{OrgFilter, ServiceOfferingRecord};

use super::{Chrome, CsrfForm, FormErrors, Pager, all_pages, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

/// One offering as the pages list it.
pub(super) struct OfferingRow {
    id: i64,
    title: String,
    college_id: i64,
    college_name: String,
    kind: String,
    price: String,
    capacity: i64,
    status: String,
    active: bool,
    description: String,
}

fn row(o: &ServiceOfferingRecord, lang: &str) -> OfferingRow {
    OfferingRow {
        id: o.id,
        title: o.fields.title.clone(),
        college_id: o.org_id,
        college_name: o.college_name.clone(),
        kind: o.fields.kind.label(lang).into(),
        price: price_label(o, lang),
        capacity: o.fields.capacity,
        status: o.status.label(lang).into(),
        active: o.status == OfferingStatus::Active,
        description: o.fields.description.clone(),
    }
}

/// (code, label) pairs of an enum, for selects.
fn kinds(lang: &str) -> Vec<(&'static str, &'static str)> {
    ServiceKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect()
}

fn units(lang: &str) -> Vec<(&'static str, &'static str)> {
    PriceUnit::ALL.iter().map(|u| (u.as_str(), u.label(lang))).collect()
}

/// Blank form text as `None`.
pub(super) fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The enterprises the caller acts for: (id, name).
fn my_enterprises(p: &Principal) -> Vec<(i64, String)> {
    let ids = acting_orgs(p, Side::Enterprise);
    p.orgs().into_iter().filter(|(id, _, _)| ids.contains(id)).map(|(id, name, _)| (id, name)).collect()
}

#[derive(Deserialize, Default)]
pub(super) struct MarketQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    college: String,
    offset: Option<i64>,
}

#[derive(Template)]
#[template(path = "services.html")]
struct MarketplacePage {
    c: Chrome,
    rows: Vec<OfferingRow>,
    total: u64,
    pager: Pager,
    kinds: Vec<(&'static str, &'static str)>,
    colleges: Vec<(String, String)>,
    q_kind: String,
    q_college: String,
}

pub(super) async fn marketplace(State(s): State<AppState>, ctx: Ctx, Query(q): Query<MarketQuery>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let code = ctx.lang.code();
    let college = match forms::parse_int("college", &q.college) {
        Ok(c) => c,
        Err(e) => return page_error(e.into()),
    };
    let page = match PageRequest::new(Some(20), q.offset) {
        Ok(pg) => pg,
        Err(e) => return page_error(e.into()),
    };
    let query = OfferingQuery { kind: opt(&q.kind), college, status: None };
    let result = match s.app.list_offerings(p, &query, page).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let filter =
        OrgFilter { kind: Some(OrgKind::College), membership: Some(MembershipStatus::Member), ..OrgFilter::default() };
    let colleges = match all_pages(|r| s.app.list_orgs(p, filter.clone(), r)).await {
        Ok(all) => all.into_iter().map(|v| (v.record.id.to_string(), v.record.profile.name)).collect(),
        Err(e) => return page_error(e),
    };
    let base = format!(
        "/services?kind={}&college={}",
        super::directory::percent_encode(q.kind.trim()),
        super::directory::percent_encode(q.college.trim())
    );
    let page = MarketplacePage {
        c: Chrome::new(&s, &ctx, "/services").await,
        rows: result.items.iter().map(|o| row(o, code)).collect(),
        total: result.total,
        pager: Pager::new(&ctx.t(), &result, &base),
        kinds: kinds(code),
        colleges,
        q_kind: q.kind.trim().to_string(),
        q_college: q.college.trim().to_string(),
    };
    render(&page)
}

/// The request form as typed, for refilling it.
#[derive(Deserialize, Default)]
pub(super) struct RequestForm {
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    participants_expected: String,
    #[serde(default)]
    preferred_period: String,
    #[serde(default)]
    message: String,
}

#[derive(Template)]
#[template(path = "service.html")]
struct OfferingPage {
    c: Chrome,
    o: OfferingRow,
    may_request: bool,
    may_edit: bool,
    enterprises: Vec<(i64, String)>,
    f: RequestForm,
    errors: FormErrors,
}

async fn offering_view(s: &AppState, ctx: &Ctx, id: i64, f: RequestForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let o = match s.app.get_offering(p, id).await {
        Ok(o) => o,
        Err(e) => return page_error(e),
    };
    let enterprises = my_enterprises(p);
    let may = OfferingActions::of(p, &o);
    let page = OfferingPage {
        c: Chrome::new(s, ctx, &format!("/services/{id}")).await,
        may_request: may.may_request,
        may_edit: may.may_edit,
        o: row(&o, ctx.lang.code()),
        enterprises,
        f,
        errors,
    };
    render(&page)
}

pub(super) async fn offering_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    offering_view(&s, &ctx, id, RequestForm::default(), FormErrors::none()).await
}

pub(super) async fn request_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<RequestForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let input = RequestInput {
            enterprise_id: forms::parse_int("enterprise_id", &form.enterprise_id)?,
            title: opt(&form.title),
            message: opt(&form.message),
            participants_expected: forms::parse_int("participants_expected", &form.participants_expected)?,
            preferred_period: opt(&form.preferred_period),
        };
        s.app.request_service(p, id, &input).await
    }
    .await;
    match result {
        Ok(r) => see_other(&format!("/service-requests/{}", r.id)),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            offering_view(&s, &ctx, id, form, errs).await
        }
    }
}

/// The offering form as typed (publishing and editing).
#[derive(Deserialize, Default)]
pub(super) struct OfferingForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    price_yuan: String,
    #[serde(default)]
    price_unit: String,
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "college_services.html")]
struct CollegeServicesPage {
    c: Chrome,
    id: i64,
    org_name: String,
    rows: Vec<OfferingRow>,
    kinds: Vec<(&'static str, &'static str)>,
    units: Vec<(&'static str, &'static str)>,
    f: OfferingForm,
    errors: FormErrors,
}

async fn college_view(s: &AppState, ctx: &Ctx, id: i64, f: OfferingForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    if !acts_for(p, Side::College, id) {
        return page_error(AppError::Forbidden);
    }
    let org_name = p.orgs().into_iter().find(|(o, _, _)| *o == id).map(|(_, n, _)| n).unwrap_or_default();
    let code = ctx.lang.code();
    let mut rows = Vec::new();
    for status in OfferingStatus::ALL {
        let q = OfferingQuery { kind: None, college: Some(id), status: Some(status.as_str().into()) };
        match all_pages(|r| s.app.list_offerings(p, &q, r)).await {
            Ok(all) => rows.extend(all.iter().map(|o| row(o, code))),
            Err(e) => return page_error(e),
        }
    }
    let page = CollegeServicesPage {
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/services")).await,
        id,
        org_name,
        rows,
        kinds: kinds(code),
        units: units(code),
        f,
        errors,
    };
    render(&page)
}

pub(super) async fn college_services(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let f = OfferingForm { price_unit: PriceUnit::PerSession.as_str().into(), ..OfferingForm::default() };
    college_view(&s, &ctx, id, f, FormErrors::none()).await
}

pub(super) async fn create_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<OfferingForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let input = OfferingInput {
            college_id: id,
            kind: form.kind.clone(),
            title: form.title.clone(),
            description: form.description.clone(),
            capacity: forms::required_int("capacity", &form.capacity)?,
            price_yuan: form.price_yuan.clone(),
            price_unit: form.price_unit.clone(),
        };
        s.app.create_offering(p, &input).await
    }
    .await;
    match result {
        Ok(o) => see_other(&format!("/services/{}", o.id)),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            college_view(&s, &ctx, id, form, errs).await
        }
    }
}

#[derive(Template)]
#[template(path = "service_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    college_id: i64,
    kinds: Vec<(&'static str, &'static str)>,
    units: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    f: OfferingForm,
    errors: FormErrors,
}

async fn edit_view(s: &AppState, ctx: &Ctx, id: i64, f: Option<OfferingForm>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let o = match s.app.get_offering(p, id).await {
        Ok(o) => o,
        Err(e) => return page_error(e),
    };
    if !OfferingActions::of(p, &o).may_edit {
        return page_error(AppError::Forbidden);
    }
    let f = f.unwrap_or_else(|| OfferingForm {
        kind: o.fields.kind.as_str().into(),
        title: o.fields.title.clone(),
        description: o.fields.description.clone(),
        capacity: o.fields.capacity.to_string(),
        price_yuan: Fen(o.fields.price_fen).to_yuan_string(),
        price_unit: o.fields.price_unit.as_str().into(),
        status: o.status.as_str().into(),
    });
    let code = ctx.lang.code();
    let page = EditPage {
        c: Chrome::new(s, ctx, &format!("/services/{id}/edit")).await,
        id,
        college_id: o.org_id,
        kinds: kinds(code),
        units: units(code),
        statuses: OfferingStatus::ALL.iter().map(|st| (st.as_str(), st.label(code))).collect(),
        f,
        errors,
    };
    render(&page)
}

pub(super) async fn edit_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    edit_view(&s, &ctx, id, None, FormErrors::none()).await
}

pub(super) async fn edit_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<OfferingForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let patch = OfferingPatch {
            kind: Some(form.kind.clone()),
            title: Some(form.title.clone()),
            description: Some(form.description.clone()),
            capacity: Some(forms::required_int("capacity", &form.capacity)?),
            price_yuan: Some(form.price_yuan.clone()),
            price_unit: Some(form.price_unit.clone()),
            status: Some(form.status.clone()),
        };
        s.app.update_offering(p, id, &patch).await
    }
    .await;
    match result {
        Ok(o) => see_other(&format!("/services/{}", o.id)),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            edit_view(&s, &ctx, id, Some(form), errs).await
        }
    }
}

/// The invitation form as typed.
#[derive(Deserialize, Default)]
pub(super) struct InviteForm {
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    participants_expected: String,
    #[serde(default)]
    preferred_period: String,
    #[serde(default)]
    message: String,
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    c: Chrome,
    id: i64,
    college_name: String,
    enterprises: Vec<(i64, String)>,
    f: InviteForm,
    errors: FormErrors,
}

async fn invite_view(s: &AppState, ctx: &Ctx, id: i64, f: InviteForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let college = match s.app.get_org(p, id).await {
        Ok(v) => v.record,
        Err(e) => return page_error(e),
    };
    let enterprises = my_enterprises(p);
    if enterprises.is_empty() {
        return page_error(AppError::Forbidden);
    }
    let page = InvitePage {
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/invite")).await,
        id,
        college_name: college.profile.name,
        enterprises,
        f,
        errors,
    };
    render(&page)
}

pub(super) async fn invite_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    invite_view(&s, &ctx, id, InviteForm::default(), FormErrors::none()).await
}

pub(super) async fn invite_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<InviteForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let input = InvitationInput {
            enterprise_id: forms::parse_int("enterprise_id", &form.enterprise_id)?,
            title: form.title.clone(),
            message: opt(&form.message),
            participants_expected: forms::parse_int("participants_expected", &form.participants_expected)?,
            preferred_period: opt(&form.preferred_period),
        };
        s.app.invite_college(p, id, &input).await
    }
    .await;
    match result {
        Ok(r) => see_other(&format!("/service-requests/{}", r.id)),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_) | AppError::InvalidState { .. })) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            invite_view(&s, &ctx, id, form, errs).await
        }
    }
}

//! Organisation profile, editing, members, imports and the audit log.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::directory::{OrgInput, OrgView};
use xiaoqi_app::import::{ImportReport, TEMPLATE_CSV};
use xiaoqi_app::people::{CreatedMember, NewMemberInput};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::sme::{Industry, SizeClass};

use super::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other, shanghai};
use crate::AppState;
use crate::ctx::{Ctx, check_csrf};
use crate::extract::ApiPath;

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    c: Chrome,
    v: OrgView,
    kind: String,
    industry: String,
    size: String,
    membership: String,
    revenue: String,
    assets: String,
    size_explanation: String,
    /// (id, code, name, department, taught skills, yearly graduates)
    majors: Vec<(i64, String, String, String, String, i64)>,
    /// College staff see the demand insight link.
    sees_insight: bool,
    /// Teaching classes (name, intake year), shown to the college's members.
    classes: Vec<(String, i64)>,
    classes_total: u64,
    is_admin: bool,
    is_member: bool,
    may_apply: bool,
    manages_majors: bool,
    /// A college: its offerings are linked; enterprise staff may invite it to run training.
    is_college: bool,
    manages_services: bool,
    may_invite: bool,
    /// A college's research teams: (id, name, kind label).
    teams: Vec<(i64, String, &'static str)>,
}

pub(super) async fn org_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let code = ctx.lang.code();
    let r = &v.record.profile;
    let majors = if r.kind == OrgKind::College {
        let st = match s.app.college_structure(p, id).await {
            Ok(st) => st,
            Err(e) => return page_error(e),
        };
        st.majors
            .iter()
            .map(|m| {
                let d = st
                    .departments
                    .iter()
                    .find(|d| Some(d.id) == m.department_id)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                let skills: Vec<String> = m
                    .supply
                    .skills
                    .iter()
                    .map(|k| format!("{} {}", xiaoqi_app::talent::vocab::skill_name(&k.skill, code), k.level))
                    .collect();
                (m.id, m.code.clone(), m.name.clone(), d, skills.join("、"), m.supply.yearly_graduates)
            })
            .collect()
    } else {
        Vec::new()
    };
    let classes = if r.kind == OrgKind::College && v.may.may_read_private {
        match all_pages(|req| s.app.list_classes(p, id, req)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let classes_total = classes.len() as u64;
    let teams = if r.kind == OrgKind::College {
        match all_pages(|req| s.app.list_teams(p, Some(id), req)).await {
            Ok(all) => all.into_iter().map(|t| (t.id, t.fields.name, t.fields.kind.label(code))).collect(),
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let classes = classes.into_iter().map(|k| (k.name, k.entry_year)).collect();
    let page = OrgPage {
        classes,
        classes_total,
        c: Chrome::new(&s, &ctx, &format!("/orgs/{id}")).await,
        kind: r.kind.label(code).into(),
        industry: r
            .industry
            .as_deref()
            .and_then(Industry::parse)
            .map(|i| i.label(code).to_string())
            .unwrap_or_default(),
        size: r.size_class.as_deref().and_then(SizeClass::parse).map(|i| i.label(code).to_string()).unwrap_or_default(),
        membership: v.record.membership.label(code).into(),
        revenue: r.revenue_fen.map(|f| Fen(f).to_cny_string()).unwrap_or_default(),
        assets: r.assets_fen.map(|f| Fen(f).to_cny_string()).unwrap_or_default(),
        size_explanation: if ctx.t().is_en() { v.size_explanation_en.clone() } else { v.size_explanation_zh.clone() }
            .unwrap_or_default(),
        majors,
        is_admin: v.may.may_administer,
        sees_insight: v.may.may_see_insight,
        is_member: v.may.may_read_private,
        manages_majors: v.may.may_manage_majors,
        may_apply: v.may.may_apply,
        is_college: r.kind == OrgKind::College,
        manages_services: v.may.may_manage_services,
        may_invite: v.may.may_invite,
        teams,
        v,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "org_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    f: EditForm,
    is_enterprise: bool,
    errors: FormErrors,
    industries: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub(super) struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    employees: String,
    #[serde(default)]
    annual_revenue_yuan: String,
    #[serde(default)]
    total_assets_yuan: String,
    #[serde(default)]
    credit_code: String,
}

async fn edit_view(s: &AppState, ctx: &Ctx, id: i64, f: EditForm, is_enterprise: bool, errors: FormErrors) -> EditPage {
    let code = ctx.lang.code();
    EditPage {
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/edit")).await,
        id,
        f,
        is_enterprise,
        errors,
        industries: Industry::ALL.iter().map(|i| (i.as_str(), i.label(code))).collect(),
    }
}

pub(super) async fn edit_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    if let Err(e) = p.org_admin(id) {
        return page_error(e);
    }
    let v = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let r = v.record.profile;
    let f = EditForm {
        name: r.name,
        name_en: r.name_en.unwrap_or_default(),
        region_code: r.region_code.unwrap_or_default(),
        description: r.description.unwrap_or_default(),
        website: r.website.unwrap_or_default(),
        industry: r.industry.unwrap_or_default(),
        employees: r.employees.map(|n| n.to_string()).unwrap_or_default(),
        annual_revenue_yuan: r.revenue_fen.map(|f| Fen(f).to_yuan_string()).unwrap_or_default(),
        total_assets_yuan: r.assets_fen.map(|f| Fen(f).to_yuan_string()).unwrap_or_default(),
        credit_code: r.credit_code.unwrap_or_default(),
    };
    render(&edit_view(&s, &ctx, id, f, r.kind == OrgKind::Enterprise, FormErrors::none()).await)
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

pub(super) async fn edit_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<EditForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let current = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let kind = current.record.profile.kind;
    let employees = match forms::parse_int("employees", &form.employees) {
        Ok(v) => v,
        Err(e) => {
            let errs = field_messages(&ctx, &e.into());
            return render(&edit_view(&s, &ctx, id, form, kind == OrgKind::Enterprise, errs).await);
        }
    };
    let input = OrgInput {
        kind: kind.as_str().into(),
        name: form.name.clone(),
        name_en: opt(&form.name_en),
        region_code: opt(&form.region_code),
        description: opt(&form.description),
        website: opt(&form.website),
        industry: opt(&form.industry),
        employees,
        annual_revenue_yuan: opt(&form.annual_revenue_yuan),
        total_assets_yuan: opt(&form.total_assets_yuan),
        credit_code: opt(&form.credit_code),
    };
    match s.app.update_org(p, id, &input).await {
        Ok(_) => see_other(&format!("/orgs/{id}")),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            render(&edit_view(&s, &ctx, id, form, kind == OrgKind::Enterprise, errs).await)
        }
    }
}

/// One member as the members page shows it.
struct MemberRow {
    id: i64,
    name: String,
    login: String,
    /// (code, label) of each role held.
    roles: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    c: Chrome,
    id: i64,
    org_name: String,
    members: Vec<MemberRow>,
    is_admin: bool,
    roles: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
    created: Option<CreatedMember>,
    reset: Option<(String, String)>,
    prev: Option<String>,
    next: Option<String>,
    total: u64,
}

async fn members_view(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
    created: Option<CreatedMember>,
    reset: Option<(String, String)>,
    offset: Option<i64>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let page = match s.app.list_members(p, id, PageRequest::new(Some(100), offset).unwrap_or_default()).await {
        Ok(pg) => pg,
        Err(e) => return page_error(e),
    };
    let t = ctx.t();
    let members = page
        .items
        .iter()
        .map(|m| {
            let login = m
                .account
                .email
                .clone()
                .or_else(|| m.account.mobile.as_deref().map(xiaoqi_app::people::mask_mobile))
                .unwrap_or_default();
            MemberRow {
                id: m.account.id,
                name: m.account.display_name.clone(),
                login,
                roles: m.roles.iter().map(|r| (r.as_str(), r.label(t.code()))).collect(),
            }
        })
        .collect();
    let kind = v.record.profile.kind;
    let link = |o: u64| format!("/orgs/{id}/members?offset={o}");
    let prev = (page.offset > 0).then(|| link(page.offset.saturating_sub(u64::from(page.limit))));
    let next = page.has_next().then(|| link(page.offset + u64::from(page.limit)));
    let total = page.total;
    let page = MembersPage {
        prev,
        next,
        total,
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/members")).await,
        id,
        org_name: v.record.profile.name,
        members,
        is_admin: v.may.may_administer,
        roles: Role::for_kind(kind)
            .into_iter()
            .filter(|r| *r != Role::AllianceAdmin)
            .map(|r| (r.as_str(), r.label(t.code())))
            .collect(),
        errors,
        created,
        reset,
    };
    render(&page)
}

pub(super) async fn members_page(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<Offset>,
) -> Response {
    members_view(&s, &ctx, id, FormErrors::none(), None, None, q.offset).await
}

#[derive(Deserialize)]
pub(super) struct MemberForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    role: String,
}

pub(super) async fn create_member(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<MemberForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = NewMemberInput {
        display_name: form.display_name,
        email: opt(&form.email),
        mobile: opt(&form.mobile),
        roles: opt(&form.role).into_iter().collect(),
    };
    match s.app.create_member(p, id, &input).await {
        Ok(c) => members_view(&s, &ctx, id, FormErrors::none(), Some(c), None, None).await,
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            members_view(&s, &ctx, id, errs, None, None, None).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Empty {}

pub(super) async fn reset_password(
    State(s): State<AppState>,
    ApiPath((id, account)): ApiPath<(i64, i64)>,
    CsrfForm { ctx, .. }: CsrfForm<Empty>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.reset_password(p, id, account).await {
        Ok(pw) => members_view(&s, &ctx, id, FormErrors::none(), None, Some((account.to_string(), pw)), None).await,
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    id: i64,
    errors: FormErrors,
    report: Option<ImportReport>,
}

pub(super) async fn import_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    if let Err(e) = p.org_admin(id) {
        return page_error(e);
    }
    render(&ImportPage {
        c: Chrome::new(&s, &ctx, &format!("/orgs/{id}/import")).await,
        id,
        errors: FormErrors::none(),
        report: None,
    })
}

/// Reads the multipart upload: the CSRF field and the file.
pub(super) async fn read_upload(mut mp: Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let mut csrf = String::new();
    let mut file = None;
    let bad = |e: String| AppError::state(format!("上传失败：{e}"), format!("The upload failed: {e}"));
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(|e| bad(e.body_text()))?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::from(xiaoqi_domain::FieldError::required("file")))?;
    Ok((csrf, name, bytes))
}

pub(super) async fn import_submit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    mp: Multipart,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let (csrf, name, bytes) = read_upload(mp).await?;
        check_csrf(&ctx, Some(&csrf))?;
        s.app.import_people(p, id, &name, &bytes).await
    }
    .await;
    let c = Chrome::new(&s, &ctx, &format!("/orgs/{id}/import")).await;
    match result {
        Ok(report) => render(&ImportPage { c, id, errors: FormErrors::none(), report: Some(report) }),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => render(&ImportPage { c, id, errors: field_messages(&ctx, &e), report: None }),
    }
}

pub(super) async fn import_template(ApiPath(_id): ApiPath<i64>) -> Response {
    // A BOM makes Excel open the UTF-8 file with the right encoding.
    let body = format!("\u{FEFF}{TEMPLATE_CSV}");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"people-template.csv\""),
        ],
        body,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    id: i64,
    rows: Vec<(String, String, String, String, String, String)>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Offset {
    offset: Option<i64>,
}

pub(super) async fn audit_page(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<Offset>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let req = PageRequest::new(Some(50), q.offset).unwrap_or_default();
    let pg = match s.app.list_audit(p, id, req).await {
        Ok(pg) => pg,
        Err(e) => return page_error(e),
    };
    let fmt = |v: &Option<serde_json::Value>| v.as_ref().map(|j| j.to_string()).unwrap_or_default();
    let rows = pg
        .items
        .iter()
        .map(|a| {
            let e = &a.entry;
            (
                shanghai(e.at),
                e.actor_id.map(|x| x.to_string()).unwrap_or_default(),
                e.action.clone(),
                format!("{} {}", e.entity, e.entity_id),
                fmt(&e.before),
                fmt(&e.after),
            )
        })
        .collect();
    let link = |o: u64| format!("/orgs/{id}/audit?offset={o}");
    let page = AuditPage {
        c: Chrome::new(&s, &ctx, &format!("/orgs/{id}/audit")).await,
        id,
        rows,
        prev: (pg.offset > 0).then(|| link(pg.offset.saturating_sub(u64::from(pg.limit)))),
        next: pg.has_next().then(|| link(pg.offset + u64::from(pg.limit))),
    };
    render(&page)
}

#[derive(Deserialize)]
pub(super) struct RoleForm {
    role: String,
}

pub(super) async fn grant_role(
    State(s): State<AppState>,
    ApiPath((id, account)): ApiPath<(i64, i64)>,
    CsrfForm { ctx, form }: CsrfForm<RoleForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.grant_role(p, id, account, &form.role).await {
        Ok(()) => see_other(&format!("/orgs/{id}/members")),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            members_view(&s, &ctx, id, errs, None, None, None).await
        }
    }
}

pub(super) async fn revoke_role(
    State(s): State<AppState>,
    ApiPath((id, account, role)): ApiPath<(i64, i64, String)>,
    CsrfForm { ctx, .. }: CsrfForm<Empty>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.revoke_role(p, id, account, &role).await {
        Ok(()) => see_other(&format!("/orgs/{id}/members")),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            members_view(&s, &ctx, id, errs, None, None, None).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct MajorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    department: String,
}

pub(super) async fn create_major(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<MajorForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = xiaoqi_app::college::MajorInput { code: form.code, name: form.name, department: opt(&form.department) };
    match s.app.create_major(p, id, &input).await {
        Ok(_) => see_other(&format!("/orgs/{id}")),
        Err(e) => page_error(e),
    }
}

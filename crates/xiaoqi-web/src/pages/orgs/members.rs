//! An organisation's members: the list, adding one, password resets, roles, and a college's majors.

use super::*;

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

pub(in crate::pages) async fn members_page(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<Offset>,
) -> Response {
    members_view(&s, &ctx, id, FormErrors::none(), None, None, q.offset).await
}

#[derive(Deserialize)]
pub(in crate::pages) struct MemberForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    mobile: String,
    #[serde(default)]
    role: String,
}

pub(in crate::pages) async fn create_member(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<MemberForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = NewMemberInput {
        display_name: form.display_name,
        email: opt_text(&form.email),
        mobile: opt_text(&form.mobile),
        roles: opt_text(&form.role).into_iter().collect(),
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
pub(in crate::pages) struct Empty {}

pub(in crate::pages) async fn reset_password(
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

#[derive(Deserialize)]
pub(in crate::pages) struct RoleForm {
    role: String,
}

pub(in crate::pages) async fn grant_role(
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

pub(in crate::pages) async fn revoke_role(
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
pub(in crate::pages) struct MajorForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    department: String,
}

pub(in crate::pages) async fn create_major(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<MajorForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input =
        xiaoqi_app::college::MajorInput { code: form.code, name: form.name, department: opt_text(&form.department) };
    match s.app.create_major(p, id, &input).await {
        Ok(_) => see_other(&format!("/orgs/{id}")),
        Err(e) => page_error(e),
    }
}

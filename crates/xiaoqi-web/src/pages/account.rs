//! The home dashboard, account settings, API tokens and notifications.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::Principal;
use xiaoqi_app::auth::IssuedToken;
use xiaoqi_app::{AppResult, authz};
use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, OrgKind};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_store::{NotificationRecord, OrgFilter, TokenRecord};

use super::{Chrome, CsrfForm, FormErrors, field_messages, page_error, render, role_labels, see_other, shanghai};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

/// One organisation of the user, as the home page shows it.
struct HomeOrg {
    id: i64,
    name: String,
    kind: String,
    roles: String,
    is_admin: bool,
    is_college: bool,
    membership: String,
    may_apply: bool,
    /// The user publishes this college's offerings or requests services for this enterprise.
    services_link: Option<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    name: String,
    orgs: Vec<HomeOrg>,
    /// Members by kind, and pending applications for alliance administrators.
    overview: Overview,
    notifications: Vec<(String, Option<String>, String)>,
}

/// Members by kind (code, label, count) and, for alliance administrators, the number of
/// pending applications.
type Overview = (Vec<(String, String, u64)>, Option<u64>);

/// The alliance at a glance: aggregates are public inside the alliance (DESIGN.md §1).
async fn alliance_overview(s: &AppState, p: &Principal, lang: &str) -> AppResult<Overview> {
    let one = PageRequest::first(1);
    let mut by_kind = Vec::new();
    for k in OrgKind::ALL.iter().filter(|k| **k != OrgKind::Alliance) {
        let f = OrgFilter { kind: Some(*k), membership: Some(MembershipStatus::Member), ..OrgFilter::default() };
        let n = s.app.list_orgs(p, f, one).await?.total;
        by_kind.push((k.as_str().to_string(), k.label(lang).to_string(), n));
    }
    let pending = if authz::reviews_membership(p) {
        Some(s.app.list_applications(p, Some(ApplicationStatus::Pending), None, one).await?.total)
    } else {
        None
    };
    Ok((by_kind, pending))
}

pub(super) async fn home(State(s): State<AppState>, ctx: Ctx) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return super::landing::landing(&s, &ctx).await };
    let t = ctx.t();
    let mut orgs = Vec::new();
    for (id, name, kind) in p.orgs() {
        let v = match s.app.get_org(p, id).await {
            Ok(v) => v,
            Err(e) => return page_error(e),
        };
        orgs.push(HomeOrg {
            id,
            name,
            kind: kind.label(t.code()).to_string(),
            roles: role_labels(&t, &p.roles_in(id)),
            is_admin: v.may.may_administer,
            is_college: kind == OrgKind::College,
            membership: v.record.membership.label(t.code()).to_string(),
            may_apply: v.may.may_apply,
            services_link: if v.may.may_manage_services {
                Some((format!("/orgs/{id}/services"), "services.mine"))
            } else if v.may.may_request_services {
                Some(("/service-requests".to_string(), "nav.service_requests"))
            } else {
                None
            },
        });
    }
    let notes = match s.app.list_notifications(p, PageRequest::first(5)).await {
        Ok(pg) => pg.items,
        Err(e) => return page_error(e),
    };
    let overview = match alliance_overview(&s, p, t.code()).await {
        Ok(o) => o,
        Err(e) => return page_error(e),
    };
    let page = HomePage {
        c: Chrome::new(&s, &ctx, "/").await,
        name: p.account.display_name.clone(),
        orgs,
        overview,
        notifications: notes.iter().map(|n| note_line(&ctx, n)).collect(),
    };
    render(&page)
}

fn note_line(ctx: &Ctx, n: &NotificationRecord) -> (String, Option<String>, String) {
    let title = if ctx.t().is_en() { n.notification.title_en.clone() } else { n.notification.title_zh.clone() };
    (title, n.notification.link.clone(), shanghai(n.notification.created_at))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    login: String,
    must_change: bool,
    errors: FormErrors,
    tokens: Vec<(i64, String, String, bool)>,
    new_token: Option<IssuedToken>,
}

async fn account_view(
    s: &AppState,
    ctx: &Ctx,
    errors: FormErrors,
    new_token: Option<IssuedToken>,
    flash: Option<String>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let tokens: Vec<TokenRecord> = match s.app.list_tokens(p).await {
        Ok(t) => t,
        Err(e) => return page_error(e),
    };
    let mut c = Chrome::new(s, ctx, "/account").await;
    if let Some(f) = flash {
        c = c.with_flash(f);
    }
    let page = AccountPage {
        c,
        login: p
            .account
            .email
            .clone()
            .or_else(|| p.account.mobile.as_deref().map(xiaoqi_app::people::mask_mobile))
            .unwrap_or_default(),
        must_change: p.account.must_change_password,
        errors,
        tokens: tokens.into_iter().map(|t| (t.id, t.name, shanghai(t.created_at), t.revoked_at.is_some())).collect(),
        new_token,
    };
    render(&page)
}

pub(super) async fn account_page(State(s): State<AppState>, ctx: Ctx) -> Response {
    account_view(&s, &ctx, FormErrors::none(), None, None).await
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    current_password: String,
    new_password: String,
}

pub(super) async fn change_password(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<PasswordForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.change_password(p, &form.current_password, &form.new_password).await {
        // Every session ended, this one too: log in again with the new password.
        Ok(()) => see_other("/login?password_changed=1"),
        Err(e) => {
            let errors = field_messages(&ctx, &e);
            account_view(&s, &ctx, errors, None, None).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    name: String,
}

pub(super) async fn issue_token(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<TokenForm>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.issue_token(p, &form.name).await {
        Ok(t) => account_view(&s, &ctx, FormErrors::none(), Some(t), None).await,
        Err(e) => {
            let errors = field_messages(&ctx, &e);
            account_view(&s, &ctx, errors, None, None).await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Empty {}

pub(super) async fn revoke_token(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, .. }: CsrfForm<Empty>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.revoke_token(p, id).await {
        Ok(()) => see_other("/account"),
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    c: Chrome,
    items: Vec<(i64, String, Option<String>, String, bool)>,
}

#[derive(Deserialize)]
pub(super) struct PageParams {
    offset: Option<i64>,
}

pub(super) async fn notifications(State(s): State<AppState>, ctx: Ctx, Query(q): Query<PageParams>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let page = PageRequest::new(Some(50), q.offset).unwrap_or_default();
    match s.app.list_notifications(p, page).await {
        Ok(pg) => {
            let items = pg
                .items
                .iter()
                .map(|n| {
                    let (title, link, at) = note_line(&ctx, n);
                    (n.id, title, link, at, n.read_at.is_none())
                })
                .collect();
            render(&NotificationsPage { c: Chrome::new(&s, &ctx, "/notifications").await, items })
        }
        Err(e) => page_error(e),
    }
}

pub(super) async fn mark_read(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, .. }: CsrfForm<Empty>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.mark_read(p, id).await {
        Ok(()) => see_other("/notifications"),
        Err(e) => page_error(e),
    }
}

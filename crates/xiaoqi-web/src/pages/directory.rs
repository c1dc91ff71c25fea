//! The member directory page with its filters.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::sme::{Industry, SizeClass};

use super::{Chrome, page_error, render, see_other};
use crate::AppState;
use crate::api::PageQuery;
use crate::ctx::Ctx;
use crate::extract::ApiQuery;

/// The directory filters as typed, for refilling the form and building page links.
struct OrgQueryView {
    kind: String,
    region: String,
    industry: String,
    size_class: String,
    q: String,
    membership: String,
}

impl From<&crate::api::OrgQuery> for OrgQueryView {
    fn from(q: &crate::api::OrgQuery) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        OrgQueryView {
            kind: s(&q.kind),
            region: s(&q.region),
            industry: s(&q.industry),
            size_class: s(&q.size_class),
            q: s(&q.q),
            membership: s(&q.membership),
        }
    }
}

impl OrgQueryView {
    fn query_string(&self) -> String {
        [
            ("kind", &self.kind),
            ("region", &self.region),
            ("industry", &self.industry),
            ("size_class", &self.size_class),
            ("q", &self.q),
            ("membership", &self.membership),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
pub(super) fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

struct Row {
    id: i64,
    name: String,
    name_en: String,
    kind: String,
    region: String,
    industry: String,
    size: String,
    membership: String,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    c: Chrome,
    q: OrgQueryView,
    rows: Vec<Row>,
    total: u64,
    prev: Option<String>,
    next: Option<String>,
    kinds: Vec<(&'static str, &'static str)>,
    industries: Vec<(&'static str, &'static str)>,
    sizes: Vec<(&'static str, &'static str)>,
    memberships: Vec<(&'static str, &'static str)>,
    is_admin: bool,
}

pub(super) async fn directory(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<crate::api::OrgQuery>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => return page_error(e),
    };
    let page = match (PageQuery { limit: q.limit.or(Some(20)), offset: q.offset }).page() {
        Ok(p) => p,
        Err(e) => return page_error(e),
    };
    let result = match s.app.list_orgs(p, filter, page).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let t = ctx.t();
    let code = t.code();
    let mut rows = Vec::new();
    for v in &result.items {
        let r = &v.record.profile;
        let region = match &r.region_code {
            Some(c) => s.app.get_region(c).await.map(|x| x.full_name).unwrap_or_else(|_| c.clone()),
            None => String::new(),
        };
        rows.push(Row {
            id: v.record.id,
            name: r.name.clone(),
            name_en: r.name_en.clone().unwrap_or_default(),
            kind: r.kind.label(code).to_string(),
            region,
            industry: r
                .industry
                .as_deref()
                .and_then(Industry::parse)
                .map(|i| i.label(code).to_string())
                .unwrap_or_default(),
            size: r
                .size_class
                .as_deref()
                .and_then(SizeClass::parse)
                .map(|i| i.label(code).to_string())
                .unwrap_or_default(),
            membership: v.record.membership.label(code).to_string(),
        });
    }
    let view = OrgQueryView::from(&q);
    let link = |offset: u64| format!("/directory?{}&offset={offset}", view.query_string());
    let prev = (result.offset > 0).then(|| link(result.offset.saturating_sub(u64::from(result.limit))));
    let next = result.has_next().then(|| link(result.offset + u64::from(result.limit)));
    let page = DirectoryPage {
        c: Chrome::new(&s, &ctx, "/directory").await,
        q: view,
        total: result.total,
        rows,
        prev,
        next,
        kinds: OrgKind::ALL.iter().map(|k| (k.as_str(), k.label(code))).collect(),
        industries: Industry::ALL.iter().map(|i| (i.as_str(), i.label(code))).collect(),
        sizes: SizeClass::ALL.iter().map(|i| (i.as_str(), i.label(code))).collect(),
        memberships: MembershipStatus::ALL.iter().map(|i| (i.as_str(), i.label(code))).collect(),
        is_admin: xiaoqi_app::authz::sees_all_memberships(p),
    };
    render(&page)
}

//! The search box: organisations, demands, majors, services, research teams and technical problems.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_domain::page::Page;
use xiaoqi_store::SearchHit;

use crate::AppState;
use crate::ctx::Ctx;
use crate::pages::{Chrome, FormErrors, PageParams, Pager, field_messages, page_error, render, see_other};

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
pub(in crate::pages) struct SearchForm {
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

pub(in crate::pages) async fn search(State(s): State<AppState>, ctx: Ctx, Query(q): Query<SearchForm>) -> Response {
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
                pager = Pager::new(
                    &ctx.t(),
                    &shown,
                    &format!("/search?q={}", crate::pages::directory::percent_encode(&q.q)),
                );
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

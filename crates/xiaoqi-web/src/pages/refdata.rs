//! The occupation browser, the region picker and the API documentation page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_store::{OccupationRecord, RegionRecord};

use super::{Chrome, PageParams, Pager, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;

#[derive(Template)]
#[template(path = "occupations.html")]
struct OccupationsPage {
    c: Chrome,
    q: String,
    trail: Vec<OccupationRecord>,
    items: Vec<OccupationRecord>,
    total: u64,
    pager: Pager,
}

#[derive(Deserialize)]
pub(super) struct OccQuery {
    parent: Option<String>,
    q: Option<String>,
    #[serde(flatten)]
    paging: PageParams,
}

pub(super) async fn occupations(State(s): State<AppState>, ctx: Ctx, Query(q): Query<OccQuery>) -> Response {
    if ctx.principal.is_none() {
        return see_other("/login");
    }
    let search = q.q.clone().unwrap_or_default();
    let mut pager = Pager::default();
    let result = if !search.trim().is_empty() {
        match q.paging.request() {
            Ok(request) => s.app.search_occupations(&search, request).await.map(|pg| {
                pager =
                    Pager::new(&ctx.t(), &pg, &format!("/occupations?q={}", super::directory::percent_encode(&search)));
                (pg.total, pg.items)
            }),
            Err(e) => Err(e.into()),
        }
    } else {
        s.app.occupation_children(q.parent.as_deref()).await.map(|v| (v.len() as u64, v))
    };
    let (total, items) = match result {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let mut trail = Vec::new();
    let mut cur = q.parent.clone();
    while let Some(code) = cur {
        match s.app.get_occupation(&code).await {
            Ok(o) => {
                cur = o.parent_code.clone();
                trail.insert(0, o);
            }
            Err(_) => break,
        }
    }
    render(&OccupationsPage { c: Chrome::new(&s, &ctx, "/occupations").await, q: search, trail, items, total, pager })
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    c: Chrome,
    q: String,
    trail: Vec<RegionRecord>,
    items: Vec<RegionRecord>,
    pager: Pager,
}

#[derive(Template)]
#[template(path = "region_picker.html")]
struct RegionPicker {
    items: Vec<RegionRecord>,
}

#[derive(Deserialize)]
pub(super) struct RegionQuery {
    parent: Option<String>,
    q: Option<String>,
    /// The picker fragment (htmx): suggestions for what is typed in a region field.
    picker: Option<String>,
    region_code: Option<String>,
    #[serde(flatten)]
    paging: PageParams,
}

pub(super) async fn regions(State(s): State<AppState>, ctx: Ctx, Query(q): Query<RegionQuery>) -> Response {
    let search = q.q.clone().or(q.region_code.clone()).unwrap_or_default();
    if q.picker.is_some() {
        let items = if search.trim().chars().count() >= 2 {
            // The picker shows the eight best suggestions, by design not a list to page through.
            match s.app.search_regions(&search, PageRequest::first(8)).await {
                Ok(pg) => pg.items,
                Err(e) => return page_error(e),
            }
        } else {
            Vec::new()
        };
        return render(&RegionPicker { items });
    }
    let mut pager = Pager::default();
    let result = if !search.trim().is_empty() {
        match q.paging.request() {
            Ok(request) => s.app.search_regions(&search, request).await.map(|pg| {
                pager = Pager::new(&ctx.t(), &pg, &format!("/regions?q={}", super::directory::percent_encode(&search)));
                pg.items
            }),
            Err(e) => Err(e.into()),
        }
    } else {
        s.app.region_children(q.parent.as_deref()).await
    };
    let items = match result {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let mut trail = Vec::new();
    let mut cur = q.parent.clone();
    while let Some(code) = cur {
        match s.app.get_region(&code).await {
            Ok(r) => {
                cur = r.parent_code.clone();
                trail.insert(0, r);
            }
            Err(_) => break,
        }
    }
    render(&RegionsPage { c: Chrome::new(&s, &ctx, "/regions").await, q: search, trail, items, pager })
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    c: Chrome,
    ops: Vec<(String, String, String)>,
}

pub(super) async fn api_docs(State(s): State<AppState>, ctx: Ctx) -> Response {
    let doc = &s.openapi;
    let mut ops = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ];
        for (m, op) in methods {
            if let Some(op) = op {
                let summary = op.summary.clone().or_else(|| op.description.clone()).unwrap_or_default();
                ops.push((m.to_string(), path.clone(), summary));
            }
        }
    }
    render(&ApiDocsPage { c: Chrome::new(&s, &ctx, "/api/docs").await, ops })
}

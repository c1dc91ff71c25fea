//! An organisation's audit log, paged.

use super::*;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    id: i64,
    rows: Vec<(String, String, String, String, String, String)>,
    prev: Option<String>,
    next: Option<String>,
}

pub(in crate::pages) async fn audit_page(
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

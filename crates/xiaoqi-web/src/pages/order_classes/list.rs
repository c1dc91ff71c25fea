//! The list of order classes the caller takes part in.

use super::*;

#[derive(Template)]
#[template(path = "order_classes.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    total: u64,
    may_draft: bool,
    pager: Pager,
}

pub(in crate::pages) async fn list(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(paging): axum::extract::Query<PageParams>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let request = match paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let result = match s.app.list_order_classes(p, None, request).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let may_draft = !acting_orgs(p, Side::Enterprise).is_empty() || !acting_orgs(p, Side::College).is_empty();
    let page = ListPage {
        c: Chrome::new(&s, &ctx, "/order-classes").await,
        rows: result.items.iter().map(|r| row(r, ctx.lang.code())).collect(),
        total: result.total,
        may_draft,
        pager: Pager::new(&ctx.t(), &result, "/order-classes"),
    };
    render(&page)
}

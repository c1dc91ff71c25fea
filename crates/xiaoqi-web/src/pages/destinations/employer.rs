//! The destinations at an employer, which its administrators and HR confirm.

use super::*;

#[derive(Template)]
#[template(path = "employed_graduates.html")]
struct EmployedPage {
    c: Chrome,
    entries: Vec<EntryShown>,
    pager: Pager,
}

/// `/orgs/{id}/employed-graduates`: the destinations at an enterprise, to confirm.
pub(in crate::pages) async fn employed(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(paging): Query<PageParams>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let t = ctx.t();
    let page = match paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let list = match s.app.list_employer_destinations(p, id, page).await {
        Ok(l) => l,
        Err(e) => return page_error(e),
    };
    let here = format!("/orgs/{id}/employed-graduates");
    let pager = Pager::new(&t, &list, &here);
    let entries = list.items.into_iter().map(|v| shown(&t, v)).collect();
    render(&EmployedPage { c: Chrome::new(&s, &ctx, &here).await, entries, pager })
}

/// The employer confirms a destination, back to its list.
pub(in crate::pages) async fn confirm(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.confirm_destination(p, id).await {
        Ok(v) => match v.record.employer_org_id {
            Some(e) => see_other(&format!("/orgs/{e}/employed-graduates")),
            None => see_other("/"),
        },
        Err(e) => page_error(e),
    }
}

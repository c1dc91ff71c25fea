//! A student's own destination entries, and where `/destinations` leads each person.

use super::*;

#[derive(Template)]
#[template(path = "my_destination.html")]
struct OwnPage {
    c: Chrome,
    entries: Vec<EntryShown>,
    pager: Pager,
    kinds: Vec<(&'static str, &'static str)>,
    f: Entered,
    errors: FormErrors,
}

/// `/me/destination`: the student's entries and the form to enter one.
pub(in crate::pages) async fn own(State(s): State<AppState>, ctx: Ctx, Query(paging): Query<PageParams>) -> Response {
    own_view(&s, &ctx, &paging, None, FormErrors::none()).await
}

async fn own_view(s: &AppState, ctx: &Ctx, paging: &PageParams, form: Option<Form>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let t = ctx.t();
    let page = match paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let list = match s.app.list_own_destinations(p, page).await {
        Ok(l) => l,
        Err(e) => return page_error(e),
    };
    let pager = Pager::new(&t, &list, "/me/destination");
    let cohort = list.items.first().map(|v| v.record.cohort.to_string()).unwrap_or_default();
    let page = OwnPage {
        c: Chrome::new(s, ctx, "/me/destination").await,
        entries: list.items.into_iter().map(|v| shown(&t, v)).collect(),
        pager,
        kinds: kinds(&t),
        f: form.as_ref().map(Entered::of).unwrap_or(Entered { cohort, ..Entered::default() }),
        errors,
    };
    render(&page)
}

/// The student enters their own destination.
pub(in crate::pages) async fn own_submit(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = match input_of(&form, false) {
        Ok(input) => s.app.record_own_destination(p, &input).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => see_other("/me/destination"),
        Err(e) if shown_on_page(&e) => {
            own_view(&s, &ctx, &PageParams::default(), Some(form), field_messages(&ctx, &e)).await
        }
        Err(e) => page_error(e),
    }
}

/// `/destinations`: the register of the first college whose destinations the caller reads,
/// else the student's own page.
pub(in crate::pages) async fn start(ctx: Ctx) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let college = |g: &&xiaoqi_store::RoleGrant| {
        g.org_kind == xiaoqi_domain::org::OrgKind::College && xiaoqi_app::outcomes::reads_destinations(p, g.org_id)
    };
    match p.grants.iter().find(college) {
        Some(g) => see_other(&format!("/orgs/{}/destinations", g.org_id)),
        _ if p.grants.iter().any(|g| g.role == xiaoqi_domain::org::Role::Student) => see_other("/me/destination"),
        _ => page_error(AppError::Forbidden),
    }
}

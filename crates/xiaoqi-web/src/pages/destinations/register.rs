//! The career officer's register: the figures at two dates, recording, checking and importing.

use super::*;

#[derive(Template)]
#[template(path = "destinations.html")]
struct RegisterPage {
    c: Chrome,
    college: i64,
    college_name: String,
    cohort: i64,
    dates: Vec<String>,
    rows: Vec<FigureRow>,
    bars: Vec<Bar>,
    definitions: Vec<(&'static str, &'static str, &'static str)>,
    entries: Vec<EntryShown>,
    pager: Pager,
    kinds: Vec<(&'static str, &'static str)>,
    f: Entered,
    errors: FormErrors,
    may_record: bool,
}

/// `/orgs/{id}/destinations?cohort=&a=&b=`: the figures at two dates and the register.
pub(in crate::pages) async fn register(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    register_view(&s, &ctx, id, &q, None, FormErrors::none()).await
}

async fn register_view(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    q: &BTreeMap<String, String>,
    form: Option<Form>,
    errors: FormErrors,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let t = ctx.t();
    let cohort = match q.get("cohort").map(|c| forms::parse_int("cohort", c)) {
        Some(Ok(Some(c))) => c,
        Some(Err(e)) => return page_error(e.into()),
        _ => s.app.today().format()[..4].parse().unwrap_or(2026),
    };
    let defaults = default_dates(cohort);
    let dates: Vec<String> = ["a", "b"]
        .iter()
        .zip(&defaults)
        .map(|(k, d)| q.get(*k).filter(|v| !v.trim().is_empty()).cloned().unwrap_or_else(|| d.clone()))
        .collect();
    let figures = match s.app.destination_figures(p, id, cohort, &dates).await {
        Ok(f) => f,
        Err(e) => return page_error(e),
    };
    let paging = PageParams { limit: q.get("limit").cloned(), offset: q.get("offset").cloned() };
    let page = match paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let filter = RegisterQuery { cohort: Some(cohort), status: q.get("status").cloned() };
    let list = match s.app.list_destinations(p, id, &filter, page).await {
        Ok(l) => l,
        Err(e) => return page_error(e),
    };
    let here = format!("/orgs/{id}/destinations?cohort={cohort}&a={}&b={}", dates[0], dates[1]);
    let pager = Pager::new(&t, &list, &here);
    let en = t.is_en();
    let page = RegisterPage {
        c: Chrome::new(s, ctx, &here).await,
        college: id,
        college_name: figures.college_name.clone(),
        cohort,
        rows: figure_rows(&t, &figures),
        bars: bars(&figures),
        dates: figures.dates.iter().map(|d| d.as_of.clone()).collect(),
        definitions: figures.definitions.iter().map(|d| (d.key, d.version, if en { d.en } else { d.zh })).collect(),
        entries: list.items.into_iter().map(|v| shown(&t, v)).collect(),
        pager,
        kinds: kinds(&t),
        f: form
            .as_ref()
            .map(Entered::of)
            .unwrap_or_else(|| Entered { cohort: cohort.to_string(), ..Entered::default() }),
        errors,
        may_record: xiaoqi_app::authz::runs_internships(p, id),
    };
    render(&page)
}

/// The career officer records a destination from the register page.
pub(in crate::pages) async fn record(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = match input_of(&form, true) {
        Ok(input) => s.app.record_destination(p, id, &input).await,
        Err(e) => Err(e),
    };
    let cohort = field(&form, "cohort");
    match r {
        Ok(_) => see_other(&format!("/orgs/{id}/destinations?cohort={}", cohort.trim())),
        Err(e) if shown_on_page(&e) => {
            register_view(&s, &ctx, id, &cohort_query(cohort), Some(form), field_messages(&ctx, &e)).await
        }
        Err(e) => page_error(e),
    }
}

/// The career officer checks a student's entry, back to the register.
pub(in crate::pages) async fn check(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.check_destination(p, id).await {
        Ok(v) => see_other(&format!("/orgs/{}/destinations?cohort={}", v.record.college_org_id, v.record.cohort)),
        Err(e) => page_error(e),
    }
}

/// The career officer imports a cohort's destinations from the register page (all or nothing).
pub(in crate::pages) async fn import_submit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<BTreeMap<String, String>>,
    mp: axum::extract::Multipart,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let cohort = q.get("cohort").cloned().unwrap_or_default();
    let result = async {
        let (csrf, name, bytes) = crate::pages::orgs::read_upload(mp).await?;
        crate::ctx::check_csrf(&ctx, Some(&csrf))?;
        let year = forms::required_int("cohort", &cohort)?;
        s.app.import_destinations(p, id, year, &name, &bytes).await
    }
    .await;
    match result {
        Ok(r) => see_other(&format!("/orgs/{id}/destinations?cohort={}", r.cohort)),
        Err(e) if shown_on_page(&e) => {
            register_view(&s, &ctx, id, &cohort_query(cohort), None, field_messages(&ctx, &e)).await
        }
        Err(e) => page_error(e),
    }
}

//! Graduate destinations (毕业去向): the career officer's register with the figures as of two
//! dates, and the student's own entry.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use xiaoqi_app::AppError;
use xiaoqi_app::outcomes::destinations::{DestinationInput, DestinationView, RegisterQuery};
use xiaoqi_app::outcomes::figures::{CohortFigures, default_dates};
use xiaoqi_domain::destination::{DestinationKind, DestinationStatus, Ratio};
use xiaoqi_domain::sme::SizeClass;

use super::research::shown_on_page;
use super::{Chrome, CsrfForm, FormErrors, PageParams, Pager, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::i18n::T;

type Form = BTreeMap<String, String>;

fn field(f: &Form, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

/// A ratio as people read it: `3/4 = 75.00%`, and `—` (with the reason) over nothing.
fn ratio(t: &T, r: &Ratio, none: &str) -> String {
    match r.percent() {
        Some(p) => format!("{p}（{}/{}）", r.part, r.whole),
        None => format!("— {}", t.get(none)),
    }
}

/// One row of the figures table: a label and the value at each date.
struct FigureRow {
    key: &'static str,
    label: String,
    values: Vec<String>,
}

/// One bar of the chart: the placement rate at a date, in hundredths of a percent.
struct Bar {
    label: String,
    y: u32,
    height: u32,
    text: String,
}

fn figure_rows(t: &T, f: &CohortFigures) -> Vec<FigureRow> {
    let lang = t.code();
    let mut rows = vec![FigureRow {
        key: "graduates",
        label: t.get("dest.graduates").to_string(),
        values: f.dates.iter().map(|d| d.figures.graduates.to_string()).collect(),
    }];
    for (i, k) in DestinationKind::ALL.iter().enumerate() {
        rows.push(FigureRow {
            key: k.as_str(),
            label: k.label(lang).to_string(),
            values: f.dates.iter().map(|d| d.figures.by_kind.get(i).map_or(0, |x| x.1).to_string()).collect(),
        });
    }
    let no_record = DestinationKind::ALL.len();
    rows.push(FigureRow {
        key: "no_record",
        label: t.get("dest.no_record").to_string(),
        values: f.dates.iter().map(|d| d.figures.by_kind.get(no_record).map_or(0, |x| x.1).to_string()).collect(),
    });
    type Pick = fn(&xiaoqi_domain::destination::Figures) -> &Ratio;
    let rates: [(&'static str, &'static str, &'static str, Pick); 4] = [
        ("placement_rate", "dest.placement_rate", "dest.no_graduates", |f| &f.placement_rate),
        ("related_to_major_rate", "dest.related_rate", "dest.no_employed", |f| &f.related_to_major),
        ("sme_share", "dest.sme_share", "dest.no_employed", |f| &f.sme_share),
        ("alliance_share", "dest.alliance_share", "dest.no_employed", |f| &f.alliance_share),
    ];
    for (key, label, none, pick) in rates {
        rows.push(FigureRow {
            key,
            label: t.get(label).to_string(),
            values: f.dates.iter().map(|d| ratio(t, pick(&d.figures), none)).collect(),
        });
    }
    rows.push(FigureRow {
        key: "awaiting_check",
        label: t.get("dest.awaiting_check").to_string(),
        values: f.dates.iter().map(|d| d.figures.awaiting_check.to_string()).collect(),
    });
    rows
}

/// The placement rate at each date as bars 0–100 % high (160 px), server-drawn.
fn bars(f: &CohortFigures) -> Vec<Bar> {
    f.dates
        .iter()
        .map(|d| {
            let bp = d.figures.placement_rate.basis_points.unwrap_or(0);
            let height = bp * 160 / 10_000;
            Bar {
                label: d.as_of.clone(),
                y: 180 - height,
                height,
                text: d.figures.placement_rate.percent().unwrap_or_else(|| "—".into()),
            }
        })
        .collect()
}

/// What a form of an entry shows again after a refusal.
#[derive(Default)]
struct Entered {
    student_no: String,
    cohort: String,
    kind: String,
    date: String,
    employer_org_id: String,
    employer_name: String,
    occupation_code: String,
    note: String,
}

impl Entered {
    fn of(f: &Form) -> Entered {
        Entered {
            student_no: field(f, "student_no"),
            cohort: field(f, "cohort"),
            kind: field(f, "kind"),
            date: field(f, "date"),
            employer_org_id: field(f, "employer_org_id"),
            employer_name: field(f, "employer_name"),
            occupation_code: field(f, "occupation_code"),
            note: field(f, "note"),
        }
    }
}

fn input_of(f: &Form, with_student: bool) -> Result<DestinationInput, AppError> {
    let mut read = forms::Reader::new();
    let cohort = read.int("cohort", &field(f, "cohort"));
    let employer_org_id = read.opt_int("employer_org_id", &field(f, "employer_org_id"));
    read.finish()?;
    Ok(DestinationInput {
        student_no: if with_student { forms::opt_text(&field(f, "student_no")) } else { None },
        cohort,
        kind: field(f, "kind"),
        date: field(f, "date"),
        employer_org_id,
        employer_name: forms::opt_text(&field(f, "employer_name")),
        occupation_code: forms::opt_text(&field(f, "occupation_code")),
        note: forms::opt_text(&field(f, "note")),
    })
}

fn kinds(t: &T) -> Vec<(&'static str, &'static str)> {
    DestinationKind::ALL.iter().map(|k| (k.as_str(), k.label(t.code()))).collect()
}

/// An entry as a row of the register.
struct EntryShown {
    v: DestinationView,
    kind: &'static str,
    status: &'static str,
    /// The employer's SME size class from the directory, labelled.
    size: Option<&'static str>,
    done: bool,
}

fn shown(t: &T, v: DestinationView) -> EntryShown {
    EntryShown {
        kind: v.record.kind.label(t.code()),
        status: v.record.status.label(t.code()),
        size: v.record.employer_size_class.as_deref().and_then(SizeClass::parse).map(|c| c.label(t.code())),
        done: v.record.status == DestinationStatus::Checked,
        v,
    }
}

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
pub(super) async fn register(
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
pub(super) async fn record(
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
pub(super) async fn check(
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
pub(super) async fn own(State(s): State<AppState>, ctx: Ctx, Query(paging): Query<PageParams>) -> Response {
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
pub(super) async fn own_submit(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<Form>) -> Response {
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
pub(super) async fn start(ctx: Ctx) -> Response {
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

/// The career officer imports a cohort's destinations from the register page (all or nothing).
pub(super) async fn import_submit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<BTreeMap<String, String>>,
    mp: axum::extract::Multipart,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let cohort = q.get("cohort").cloned().unwrap_or_default();
    let result = async {
        let (csrf, name, bytes) = super::orgs::read_upload(mp).await?;
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

/// The register's query for a typed cohort, or none (the current year) when it does not read.
fn cohort_query(cohort: String) -> BTreeMap<String, String> {
    if forms::parse_int("cohort", &cohort).ok().flatten().is_some() {
        BTreeMap::from([("cohort".to_string(), cohort)])
    } else {
        BTreeMap::new()
    }
}

#[derive(Template)]
#[template(path = "employed_graduates.html")]
struct EmployedPage {
    c: Chrome,
    entries: Vec<EntryShown>,
    pager: Pager,
}

/// `/orgs/{id}/employed-graduates`: the destinations at an enterprise, to confirm.
pub(super) async fn employed(
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
pub(super) async fn confirm(
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

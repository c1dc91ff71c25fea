//! Government programmes: publishing, one programme with its applications, applying and awarding.

use super::*;

impl FormValues for ProgrammesPage {
    fn form(&self) -> &Form {
        &self.form
    }
}

/// The government agencies the caller administers.
fn agencies(c: &Ctx) -> Vec<(i64, String)> {
    let Some(p) = c.principal.as_ref() else { return Vec::new() };
    p.orgs()
        .into_iter()
        .filter(|(id, _, _)| xiaoqi_app::authz::administers_agency(p, *id))
        .map(|(id, name, _)| (id, name))
        .collect()
}

#[derive(Template)]
#[template(path = "research_programmes.html")]
struct ProgrammesPage {
    c: Chrome,
    programmes: Vec<(ProgrammeRecord, String, String)>,
    agencies: Vec<(i64, String)>,
    sizes: Vec<(&'static str, &'static str)>,
    form: Form,
    errors: FormErrors,
}

async fn programmes_view(s: &AppState, ctx: &Ctx, form: Form, errors: FormErrors) -> Response {
    if ctx.principal.is_none() {
        return see_other("/login");
    }
    let list = match all_pages(|r| s.app.list_programmes(r)).await {
        Ok(all) => all,
        Err(e) => return page_error(e),
    };
    let lang = ctx.lang.code();
    let page = ProgrammesPage {
        c: Chrome::new(s, ctx, "/programmes").await,
        programmes: list
            .into_iter()
            .map(|g| {
                let (ratio, ceiling) = (pct(g.fields.matching_ratio), yuan(g.fields.ceiling_fen));
                (g, ratio, ceiling)
            })
            .collect(),
        agencies: agencies(ctx),
        sizes: SizeClass::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect(),
        form,
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn programmes(State(s): State<AppState>, ctx: Ctx) -> Response {
    programmes_view(&s, &ctx, Form::new(), FormErrors::none()).await
}

pub(in crate::pages) async fn publish(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<Form>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    // One checkbox per size class: `size_micro`, `size_small`, …
    let sizes: Vec<String> = SizeClass::ALL
        .iter()
        .filter(|k| form.contains_key(&format!("size_{}", k.as_str())))
        .map(|k| k.as_str().into())
        .collect();
    let f = form;
    let mut read = forms::Reader::new();
    let input = ProgrammeInput {
        agency_id: read.int("agency_id", &field(&f, "agency_id")),
        name: field(&f, "name"),
        description: field(&f, "description"),
        eligible_sizes: sizes,
        matching_ratio: field(&f, "matching_ratio"),
        ceiling: field(&f, "ceiling"),
        deadline: field(&f, "deadline"),
    };
    let result = match read.finish() {
        Ok(()) => s.app.publish_programme(p, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(g) => see_other(&format!("/programmes/{}", g.id)),
        Err(e) if shown_on_page(&e) => programmes_view(&s, &ctx, f, field_messages(&ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "research_programme.html")]
struct ProgrammePage {
    c: Chrome,
    v: ProgrammeView,
    ratio: String,
    ceiling: String,
    sizes: String,
    /// The caller's projects it may apply with: (id, title).
    projects: Vec<(i64, String)>,
    applications: Vec<(i64, String, String, String, String, String)>,
    errors: FormErrors,
}

async fn programme_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_programme(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let lang = ctx.lang.code();
    let mut orgs = managed_colleges(p);
    orgs.extend(acting_orgs(p, Side::Enterprise));
    let mut projects: Vec<(i64, String)> = Vec::new();
    for org in orgs {
        let all = match all_pages(|r| s.app.list_projects(p, org, r)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        };
        for j in all {
            if !projects.iter().any(|(i, _)| *i == j.id) {
                projects.push((j.id, j.title));
            }
        }
    }
    let page = ProgrammePage {
        c: Chrome::new(s, ctx, &format!("/programmes/{id}")).await,
        ratio: pct(v.programme.fields.matching_ratio),
        ceiling: yuan(v.programme.fields.ceiling_fen),
        sizes: v
            .programme
            .fields
            .eligible_sizes
            .iter()
            .filter_map(|c| SizeClass::parse(c))
            .map(|c| c.label(lang))
            .collect::<Vec<_>>()
            .join(" · "),
        projects,
        applications: v
            .applications
            .iter()
            .map(|a| {
                (
                    a.id,
                    a.project_title.clone(),
                    a.applicant_name.clone(),
                    yuan(a.requested_fen),
                    a.status.clone(),
                    a.awarded_fen.map(yuan).unwrap_or_default(),
                )
            })
            .collect(),
        errors,
        v,
    };
    render(&page)
}

pub(in crate::pages) async fn programme(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    programme_view(&s, &ctx, id, FormErrors::none()).await
}

async fn after_programme(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/programmes/{id}")),
        Err(e) if shown_on_page(&e) => programme_view(s, ctx, id, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn apply(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = ApplicationInput {
        project_id: read.int("project_id", &field(&form, "project_id")),
        requested: field(&form, "requested"),
    };
    let r = match read.finish() {
        Ok(()) => s.app.apply_to_programme(p, id, &input).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    after_programme(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn award(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let programme = field(&form, "programme_id").trim().parse().unwrap_or(0);
    let r = s.app.award_application(p, id, &AwardInput { amount: field(&form, "amount") }).await.map(|_| ());
    after_programme(&s, &ctx, programme, r).await
}

//! Pages of research cooperation, part 2: a project's agreement (terms, signatures, amendments),
//! its results and conversions with the ledger, the statements, government programmes with
//! applications and awards, and the measures with their formulas.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{
    AgreementView, ApplicationInput, AwardInput, ConversionDecisionInput, ConversionInput, ConversionView,
    InventorInput, MeasuresView, PartyInput, ProgrammeInput, ProgrammeView, ResultInput, SignInput, Statement,
    TermsInput, managed_colleges,
};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::benefit::{IpOwnership, Terms};
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::service::Side;
use xiaoqi_domain::sme::SizeClass;
use xiaoqi_store::{ProgrammeRecord, ResultOwner, ResultRecord};

use super::research::shown_on_page;
use super::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

type Form = BTreeMap<String, String>;

fn yuan(fen: i64) -> String {
    Fen(fen).to_cny_string()
}

fn pct(hundredths: i64) -> String {
    xiaoqi_domain::decimal::hundredths(hundredths)
}

fn rate(r: Option<u32>) -> String {
    r.map_or_else(|| "—".to_string(), |v| format!("{} %", pct(i64::from(v))))
}

fn field(f: &Form, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

/// One party or inventor line of terms, as shown.
struct TermsRow {
    name: String,
    cost: String,
    revenue: String,
}

/// Terms as shown: parties, IP, inventors.
struct TermsShown {
    parties: Vec<TermsRow>,
    ip: &'static str,
    ip_note: String,
    inventors_share: String,
    inventors: Vec<(String, String)>,
}

fn shown(t: &Terms, lang: &str) -> TermsShown {
    TermsShown {
        parties: t
            .parties
            .iter()
            .map(|p| TermsRow {
                name: p.name.clone(),
                cost: p.cost_share.to_percent_string(),
                revenue: p.revenue_share.to_percent_string(),
            })
            .collect(),
        ip: t.ip_ownership.label(lang),
        ip_note: t.ip_note.clone(),
        inventors_share: t.inventors_share.to_percent_string(),
        inventors: t.inventors.iter().map(|i| (i.name.clone(), i.share.to_percent_string())).collect(),
    }
}

#[derive(Template)]
#[template(path = "research_agreement.html")]
struct AgreementPage {
    c: Chrome,
    id: i64,
    title: String,
    v: AgreementView,
    in_force: Option<TermsShown>,
    pending: Option<TermsShown>,
    /// The form's values: enterprise and college shares, the inventors' part and lines.
    form: Form,
    ips: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
}

/// A form value for a page, empty when absent.
trait FormValues {
    fn form(&self) -> &Form;
    fn val(&self, k: &str) -> &str {
        self.form().get(k).map_or("", String::as_str)
    }
}

impl FormValues for AgreementPage {
    fn form(&self) -> &Form {
        &self.form
    }
}

impl FormValues for ResultsPage {
    fn form(&self) -> &Form {
        &self.form
    }
}

impl FormValues for ProgrammesPage {
    fn form(&self) -> &Form {
        &self.form
    }
}

fn draft_form(t: &Terms) -> Form {
    let mut f = Form::new();
    for (i, p) in t.parties.iter().take(2).enumerate() {
        let k = if i == 0 { "e" } else { "c" };
        f.insert(format!("{k}_cost"), p.cost_share.to_percent_string());
        f.insert(format!("{k}_revenue"), p.revenue_share.to_percent_string());
    }
    f.insert("ip_ownership".into(), t.ip_ownership.as_str().into());
    f.insert("ip_note".into(), t.ip_note.clone());
    f.insert("inventors_share".into(), t.inventors_share.to_percent_string());
    let lines: Vec<String> =
        t.inventors.iter().map(|i| format!("{} | {}", i.name, i.share.to_percent_string())).collect();
    f.insert("inventors".into(), lines.join("\n"));
    f
}

async fn agreement_view(s: &AppState, ctx: &Ctx, id: i64, form: Option<Form>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let (v, j) = match (s.app.get_agreement(p, id).await, s.app.get_project(p, id).await) {
        (Ok(v), Ok(j)) => (v, j),
        (Err(e), _) | (_, Err(e)) => return page_error(e),
    };
    let lang = ctx.lang.code();
    let page = AgreementPage {
        c: Chrome::new(s, ctx, &format!("/projects/{id}/agreement")).await,
        id,
        title: j.project.title,
        in_force: v.in_force.as_ref().map(|x| shown(&x.terms, lang)),
        pending: v.pending.as_ref().map(|x| shown(&x.terms, lang)),
        form: form.unwrap_or_else(|| draft_form(&v.draft)),
        ips: IpOwnership::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect(),
        errors,
        v,
    };
    render(&page)
}

pub(super) async fn agreement(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    agreement_view(&s, &ctx, id, None, FormErrors::none()).await
}

/// The terms typed on the form: the project's enterprise and college and the inventors' lines
/// (`name | share`).
fn terms_input(f: &Form, v: &AgreementView) -> TermsInput {
    let party = |i: usize, k: &str| {
        let d = v.draft.parties.get(i);
        PartyInput {
            kind: d.map(|p| p.kind.as_str().to_string()).unwrap_or_default(),
            org_id: d.and_then(|p| p.org_id),
            name: d.map(|p| p.name.clone()).unwrap_or_default(),
            cost_share: field(f, &format!("{k}_cost")),
            revenue_share: field(f, &format!("{k}_revenue")),
        }
    };
    let inventors = field(f, "inventors")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split(['|', '｜']).map(str::trim);
            InventorInput {
                account_id: None,
                name: parts.next().unwrap_or_default().to_string(),
                share: parts.next().unwrap_or_default().to_string(),
            }
        })
        .collect();
    TermsInput {
        parties: vec![party(0, "e"), party(1, "c")],
        ip_ownership: field(f, "ip_ownership"),
        ip_note: Some(field(f, "ip_note")),
        inventors_share: field(f, "inventors_share"),
        inventors,
    }
}

pub(super) async fn propose(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_agreement(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    match s.app.propose_agreement(p, id, &terms_input(&form, &v)).await {
        Ok(_) => see_other(&format!("/projects/{id}/agreement")),
        Err(e) if shown_on_page(&e) => agreement_view(&s, &ctx, id, Some(form), field_messages(&ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(super) async fn sign(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let version = read.int("version", &field(&form, "version"));
    let result = match read.finish() {
        Ok(()) => s.app.sign_project_agreement(p, id, &SignInput { version }).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => see_other(&format!("/projects/{id}/agreement")),
        Err(e) if shown_on_page(&e) => agreement_view(&s, &ctx, id, None, field_messages(&ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

/// A conversion as shown, with its lines and their sum.
struct ConversionShown {
    id: i64,
    /// `pending`, `confirmed` or `disputed`, and its label key.
    status: &'static str,
    status_key: &'static str,
    /// Why the other party disputed it (empty otherwise).
    reason: String,
    /// The caller answers it now (confirm or dispute).
    may_decide: bool,
    date: String,
    result: String,
    kind: &'static str,
    counterparty: String,
    income: String,
    lines: Vec<(String, String)>,
    total: String,
    adds_up: bool,
    version: i64,
}

fn conversion_shown(c: &ConversionView, lang: &str) -> ConversionShown {
    ConversionShown {
        id: c.conversion.id,
        status: c.status,
        status_key: match c.status {
            "pending" => "rb.status_pending",
            "confirmed" => "rb.status_confirmed",
            _ => "rb.status_disputed",
        },
        reason: c.conversion.decision.as_ref().map(|d| d.reason.clone()).unwrap_or_default(),
        may_decide: c.may_decide,
        date: c.conversion.event_date.clone(),
        result: c.conversion.result_title.clone(),
        kind: c.conversion.kind.label(lang),
        counterparty: c.conversion.counterparty.clone(),
        income: yuan(c.conversion.income_fen),
        lines: c.conversion.lines.iter().map(|l| (l.name.clone(), yuan(l.amount_fen))).collect(),
        total: yuan(c.lines_total_fen),
        adds_up: c.lines_total_fen == c.conversion.income_fen,
        version: c.conversion.agreement_version,
    }
}

#[derive(Template)]
#[template(path = "research_results.html")]
struct ResultsPage {
    c: Chrome,
    id: i64,
    title: String,
    results: Vec<(ResultRecord, &'static str, String)>,
    conversions: Vec<ConversionShown>,
    result_kinds: Vec<(&'static str, &'static str)>,
    conversion_kinds: Vec<(&'static str, &'static str)>,
    may_write: bool,
    form: Form,
    errors: FormErrors,
}

async fn results_view(s: &AppState, ctx: &Ctx, id: i64, form: Form, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let (j, results, conversions) =
        match (s.app.get_project(p, id).await, s.app.list_results(p, id).await, s.app.list_conversions(p, id).await) {
            (Ok(j), Ok(r), Ok(c)) => (j, r, c),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page_error(e),
        };
    let lang = ctx.lang.code();
    let page = ResultsPage {
        c: Chrome::new(s, ctx, &format!("/projects/{id}/results")).await,
        id,
        title: j.project.title,
        results: results
            .into_iter()
            .map(|r| {
                let kind = r.kind.label(lang);
                let income = yuan(r.income_fen);
                (r, kind, income)
            })
            .collect(),
        conversions: conversions.iter().map(|c| conversion_shown(c, lang)).collect(),
        result_kinds: ResultKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect(),
        conversion_kinds: ConversionKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect(),
        may_write: j.side.is_some(),
        form,
        errors,
    };
    render(&page)
}

pub(super) async fn results(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    results_view(&s, &ctx, id, Form::new(), FormErrors::none()).await
}

async fn after_results(s: &AppState, ctx: &Ctx, id: i64, form: Form, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/projects/{id}/results")),
        Err(e) if shown_on_page(&e) => results_view(s, ctx, id, form, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(super) async fn register_result(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let owners = field(&form, "owners")
        .split(['\n', ',', '，', '、'])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|o| ResultOwner { name: o.to_string(), org_id: None })
        .collect();
    let input = ResultInput {
        kind: field(&form, "kind"),
        title: field(&form, "title"),
        registration_no: Some(field(&form, "registration_no")),
        date: field(&form, "date"),
        owners,
    };
    let r = s.app.register_result(p, id, &input).await.map(|_| ());
    after_results(&s, &ctx, id, form, r).await
}

pub(super) async fn record_conversion(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let result = read.int("result_id", &field(&form, "result_id"));
    let input = ConversionInput {
        kind: field(&form, "kind"),
        counterparty: field(&form, "counterparty"),
        date: field(&form, "date"),
        income: field(&form, "income"),
        note: Some(field(&form, "note")),
    };
    let r = match read.finish() {
        Ok(()) => s.app.record_conversion(p, result, &input).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    after_results(&s, &ctx, id, form, r).await
}

/// The other party confirms or disputes a recorded conversion income from the results page.
pub(super) async fn decide_conversion(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = ConversionDecisionInput { decision: field(&form, "decision"), reason: Some(field(&form, "reason")) };
    match s.app.decide_conversion(p, id, &input).await {
        Ok(v) => see_other(&format!("/projects/{}/results", v.conversion.project_id)),
        Err(e) if shown_on_page(&e) => match forms::parse_int("project", &field(&form, "project")) {
            Ok(Some(project)) => results_view(&s, &ctx, project, form, field_messages(&ctx, &e)).await,
            _ => page_error(e),
        },
        Err(e) => page_error(e),
    }
}

/// A statement line as shown: date, result, conversion kind, income, the share.
type StatementRow = (String, String, &'static str, String, String);

#[derive(Template)]
#[template(path = "research_statements.html")]
struct StatementsPage {
    c: Chrome,
    id: i64,
    statements: Vec<(Statement, Vec<StatementRow>, String)>,
}

pub(super) async fn statements(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let list = match s.app.list_statements(p, id).await {
        Ok(l) => l,
        Err(e) => return page_error(e),
    };
    let lang = ctx.lang.code();
    let page = StatementsPage {
        c: Chrome::new(&s, &ctx, &format!("/projects/{id}/statements")).await,
        id,
        statements: list
            .into_iter()
            .map(|st| {
                let lines = st
                    .lines
                    .iter()
                    .map(|l| {
                        (
                            l.event_date.clone(),
                            l.result_title.clone(),
                            l.kind.label(lang),
                            yuan(l.income_fen),
                            yuan(l.amount_fen),
                        )
                    })
                    .collect();
                let total = yuan(st.total_fen);
                (st, lines, total)
            })
            .collect(),
    };
    render(&page)
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

pub(super) async fn programmes(State(s): State<AppState>, ctx: Ctx) -> Response {
    programmes_view(&s, &ctx, Form::new(), FormErrors::none()).await
}

pub(super) async fn publish(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<Form>) -> Response {
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

pub(super) async fn programme(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    programme_view(&s, &ctx, id, FormErrors::none()).await
}

async fn after_programme(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/programmes/{id}")),
        Err(e) if shown_on_page(&e) => programme_view(s, ctx, id, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(super) async fn apply(
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

pub(super) async fn award(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<Form>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let programme = field(&form, "programme_id").trim().parse().unwrap_or(0);
    let r = s.app.award_application(p, id, &AwardInput { amount: field(&form, "amount") }).await.map(|_| ());
    after_programme(&s, &ctx, programme, r).await
}

/// One row of a measures table, formatted.
struct MeasureShown {
    name: String,
    posted: i64,
    solved: i64,
    statuses: String,
    on_time: String,
    income: String,
    conversion: String,
}

#[derive(Template)]
#[template(path = "research_measures.html")]
struct MeasuresPage {
    c: Chrome,
    definitions: Vec<(&'static str, &'static str)>,
    tables: Vec<(&'static str, Vec<MeasureShown>)>,
}

pub(super) async fn measures(State(s): State<AppState>, ctx: Ctx) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let m: MeasuresView = match s.app.research_measures(p).await {
        Ok(m) => m,
        Err(e) => return page_error(e),
    };
    let en = ctx.t().is_en();
    let lang = ctx.lang.code();
    let rows = |rows: &[xiaoqi_app::research::MeasureRow]| -> Vec<MeasureShown> {
        rows.iter()
            .map(|r| MeasureShown {
                name: r.name.clone(),
                posted: r.problems_posted,
                solved: r.problems_solved,
                statuses: r
                    .projects_by_status
                    .iter()
                    .map(|(k, n)| {
                        let label =
                            xiaoqi_domain::research::ProjectStatus::parse(k).map_or(k.as_str(), |s| s.label(lang));
                        format!("{label} {n}")
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                on_time: format!("{}/{} = {}", r.deliverables_on_time, r.deliverables_accepted, rate(r.on_time_rate)),
                income: yuan(r.income_fen),
                conversion: format!("{}/{} = {}", r.results_converted, r.results, rate(r.conversion_rate)),
            })
            .collect()
    };
    let page = MeasuresPage {
        c: Chrome::new(&s, &ctx, "/research/measures").await,
        definitions: m.definitions.iter().map(|d| (d.key, if en { d.en } else { d.zh })).collect(),
        tables: vec![
            ("rb.by_team", rows(&m.teams)),
            ("rb.by_college", rows(&m.colleges)),
            ("rb.by_enterprise", rows(&m.enterprises)),
            ("rb.by_region", rows(&m.regions)),
        ],
    };
    render(&page)
}

//! A project's results and conversions with the ledger lines, the other party's confirmation, and the statements.

use super::*;

impl FormValues for ResultsPage {
    fn form(&self) -> &Form {
        &self.form
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

pub(in crate::pages) async fn results(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    results_view(&s, &ctx, id, Form::new(), FormErrors::none()).await
}

async fn after_results(s: &AppState, ctx: &Ctx, id: i64, form: Form, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/projects/{id}/results")),
        Err(e) if shown_on_page(&e) => results_view(s, ctx, id, form, field_messages(ctx, &e)).await,
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn register_result(
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

pub(in crate::pages) async fn record_conversion(
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
pub(in crate::pages) async fn decide_conversion(
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

pub(in crate::pages) async fn statements(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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

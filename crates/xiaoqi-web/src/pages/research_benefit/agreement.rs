//! A project's agreement: its terms in force and pending, the form that proposes an amendment, and the signatures.

use super::*;

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

impl FormValues for AgreementPage {
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

pub(in crate::pages) async fn agreement(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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

pub(in crate::pages) async fn propose(
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

pub(in crate::pages) async fn sign(
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

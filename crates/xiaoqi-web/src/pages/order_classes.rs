//! Order class pages: the list, the terms form (a draft, or an amendment once signed), the class
//! page with the forms of the steps the viewer may take, and the printable agreement (Chinese, A4).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::order_class::{
    AdvanceInput, AnswerInput, ApplyInput, DisbursementInput, NewOrderClassInput, OfferInput, OrderClassView,
    ScoreInput, SelectionInput,
};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::order_class::{
    AssessmentWeights, CommittedPost, CourseInput, EmploymentInput, EnrolmentStatus, OrderClassStatus,
    ScholarshipInput, Terms, TermsInput,
};
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::service::{Side, format_tenths};
use xiaoqi_store::{OrderClassRecord, OrgFilter};

use super::services::opt;
use super::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, forms, page_error, render, see_other,
    shanghai, unless_refused,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::i18n::{Lang, T};

struct Row {
    id: i64,
    name: String,
    college: String,
    enterprise: String,
    status: String,
    status_code: &'static str,
    updated: String,
}

fn row(r: &OrderClassRecord, lang: &str) -> Row {
    Row {
        id: r.id,
        name: r.terms.class_name.clone(),
        college: r.college_name.clone(),
        enterprise: r.enterprise_name.clone(),
        status: r.status.label(lang).into(),
        status_code: r.status.as_str(),
        updated: shanghai(r.updated_at),
    }
}

#[derive(Template)]
#[template(path = "order_classes.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    total: u64,
    may_draft: bool,
    pager: Pager,
}

pub(super) async fn list(
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

/// The terms form as typed: lists as lines of `|`-separated columns.
#[derive(Deserialize, Default, Clone)]
pub(super) struct TermsForm {
    #[serde(default)]
    college_id: String,
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    class_name: String,
    /// Major ids, comma- or space-separated.
    #[serde(default)]
    major_ids: String,
    #[serde(default)]
    quota: String,
    /// `名称 | 金额（元） | 人数 | 条件` per line.
    #[serde(default)]
    scholarships: String,
    /// `岗位 | 职业编码` per line.
    #[serde(default)]
    posts: String,
    #[serde(default)]
    pay_floor_yuan: String,
    #[serde(default)]
    service_years: String,
    /// `课程 | college/enterprise | theory/practice/lecture/summer_practice | 学时` per line.
    #[serde(default)]
    courses: String,
    #[serde(default)]
    college_weight: String,
    #[serde(default)]
    enterprise_weight: String,
    /// The majors' checkboxes, `major_{id}`.
    #[serde(flatten)]
    ticked: std::collections::BTreeMap<String, String>,
}

fn columns(line: &str) -> Vec<String> {
    line.split('|').map(|c| c.trim().to_string()).collect()
}

fn lines(s: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    s.lines().filter(|l| !l.trim().is_empty()).map(columns)
}

fn col(c: &[String], i: usize) -> String {
    c.get(i).cloned().unwrap_or_default()
}

/// An organisation picked in a select (0 when none is: the use case refuses it by name).
fn picked(s: &str) -> i64 {
    forms::parse_int("id", s).ok().flatten().unwrap_or(0)
}

impl TermsForm {
    /// The use case's input; a number that does not read is the field's error.
    fn to_input(&self) -> Result<TermsInput, AppError> {
        let mut r = forms::Reader::new();
        let scholarships = lines(&self.scholarships)
            .enumerate()
            .map(|(i, c)| ScholarshipInput {
                name: col(&c, 0),
                amount_yuan: col(&c, 1),
                count: r.int(&format!("scholarships[{i}].count"), &col(&c, 2)),
                condition: opt(&col(&c, 3)),
            })
            .collect();
        let courses = lines(&self.courses)
            .enumerate()
            .map(|(i, c)| CourseInput {
                name: col(&c, 0),
                taught_by: col(&c, 1),
                kind: col(&c, 2),
                hours: r.int(&format!("courses[{i}].hours"), &col(&c, 3)),
            })
            .collect();
        let input = TermsInput {
            class_name: self.class_name.clone(),
            major_ids: self.major_list(),
            quota: r.int("quota", &self.quota),
            scholarships,
            employment: EmploymentInput {
                posts: lines(&self.posts)
                    .map(|c| CommittedPost { title: col(&c, 0), occupation_code: opt(&col(&c, 1)) })
                    .collect(),
                pay_floor_yuan: self.pay_floor_yuan.clone(),
                service_years: r.int("employment.service_years", &self.service_years),
            },
            courses,
            weights: AssessmentWeights {
                college: r.int("weights.college", &self.college_weight),
                enterprise: r.int("weights.enterprise", &self.enterprise_weight),
            },
        };
        r.finish()?;
        Ok(input)
    }

    /// The majors chosen: the ticked boxes, then any typed ids (API-style), each once.
    fn major_list(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .ticked
            .keys()
            .filter_map(|k| k.strip_prefix("major_")?.parse().ok())
            .chain(
                self.major_ids
                    .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
                    .filter(|x| !x.is_empty())
                    // An id that does not read is no major of the college: refused by name.
                    .map(|x| x.parse().unwrap_or(-1)),
            )
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn of(r: &OrderClassRecord) -> TermsForm {
        let t = &r.terms;
        TermsForm {
            college_id: r.college_org_id.to_string(),
            enterprise_id: r.enterprise_org_id.to_string(),
            class_name: t.class_name.clone(),
            major_ids: t.major_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
            quota: t.quota.to_string(),
            scholarships: t
                .scholarships
                .iter()
                .map(|s| format!("{} | {} | {} | {}", s.name, Fen(s.amount_fen).to_yuan_string(), s.count, s.condition))
                .collect::<Vec<_>>()
                .join("\n"),
            posts: t
                .employment
                .posts
                .iter()
                .map(|p| format!("{} | {}", p.title, p.occupation_code.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("\n"),
            pay_floor_yuan: Fen(t.employment.pay_floor_fen).to_yuan_string(),
            service_years: t.employment.service_years.to_string(),
            courses: t
                .courses
                .iter()
                .map(|c| format!("{} | {} | {} | {}", c.name, c.taught_by.as_str(), c.kind.as_str(), c.hours))
                .collect::<Vec<_>>()
                .join("\n"),
            college_weight: t.weights.college.to_string(),
            enterprise_weight: t.weights.enterprise.to_string(),
            ticked: Default::default(),
        }
    }
}

#[derive(Template)]
#[template(path = "order_class_form.html")]
struct FormPage {
    c: Chrome,
    /// None: a new draft; Some(id): the draft's terms or an amendment of class id.
    id: Option<i64>,
    amendment: bool,
    f: TermsForm,
    errors: FormErrors,
    /// Member colleges and enterprises to pick the parties from (a new draft): (id, name).
    colleges: Vec<(i64, String)>,
    enterprises: Vec<(i64, String)>,
    majors: MajorChoices,
}

/// The chosen college's majors as checkboxes (also the htmx fragment when the college changes).
#[derive(Template)]
#[template(path = "order_class_majors.html")]
struct MajorChoices {
    /// (id, "code name", ticked).
    majors: Vec<(i64, String, bool)>,
    none_label: String,
}

/// The majors of the picked college; a college id that names no college the caller may see
/// offers none (the form's own check names the field).
async fn major_choices(s: &AppState, ctx: &Ctx, college: i64, chosen: &[i64]) -> Result<MajorChoices, AppError> {
    let majors = match ctx.principal.as_ref() {
        Some(p) if college > 0 => {
            unless_refused(s.app.college_structure(p, college).await)?.map(|st| st.majors).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    Ok(MajorChoices {
        majors: majors.into_iter().map(|m| (m.id, format!("{} {}", m.code, m.name), chosen.contains(&m.id))).collect(),
        none_label: ctx.t().get("oc.no_majors").to_string(),
    })
}

/// Member organisations of a kind, by name: (id, name).
async fn members_of(s: &AppState, ctx: &Ctx, kind: OrgKind) -> Result<Vec<(i64, String)>, AppError> {
    let Some(p) = ctx.principal.as_ref() else { return Ok(Vec::new()) };
    let filter = OrgFilter { kind: Some(kind), membership: Some(MembershipStatus::Member), ..OrgFilter::default() };
    let all = all_pages(|r| s.app.list_orgs(p, filter.clone(), r)).await?;
    Ok(all.into_iter().map(|o| (o.record.id, o.record.profile.name)).collect())
}

#[derive(Deserialize)]
pub(super) struct CollegeQuery {
    #[serde(default)]
    college_id: String,
}

/// The majors of the college picked in the form (htmx).
pub(super) async fn majors_fragment(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<CollegeQuery>,
) -> Response {
    match major_choices(&s, &ctx, picked(&q.college_id), &[]).await {
        Ok(m) => render(&m),
        Err(e) => page_error(e),
    }
}

async fn form_view(
    s: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    amendment: bool,
    f: TermsForm,
    errors: FormErrors,
) -> Response {
    let here = id.map_or("/order-classes/new".to_string(), |i| format!("/order-classes/{i}/edit"));
    let choices = async {
        let (colleges, enterprises) = if id.is_none() {
            (members_of(s, ctx, OrgKind::College).await?, members_of(s, ctx, OrgKind::Enterprise).await?)
        } else {
            (Vec::new(), Vec::new())
        };
        let majors = major_choices(s, ctx, picked(&f.college_id), &f.major_list()).await?;
        Ok::<_, AppError>((colleges, enterprises, majors))
    };
    let (colleges, enterprises, majors) = match choices.await {
        Ok(c) => c,
        Err(e) => return page_error(e),
    };
    render(&FormPage { c: Chrome::new(s, ctx, &here).await, id, amendment, f, errors, colleges, enterprises, majors })
}

pub(super) async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    // Prefill the caller's own side; the other party is picked from the alliance's members.
    let mut f = TermsForm { college_weight: "60".into(), enterprise_weight: "40".into(), ..TermsForm::default() };
    if let Some(e) = acting_orgs(p, Side::Enterprise).first() {
        f.enterprise_id = e.to_string();
    }
    if let Some(c) = acting_orgs(p, Side::College).first() {
        f.college_id = c.to_string();
    }
    form_view(&s, &ctx, None, false, f, FormErrors::none()).await
}

pub(super) async fn create(State(s): State<AppState>, CsrfForm { ctx, form }: CsrfForm<TermsForm>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.to_input() {
        Ok(terms) => {
            let input = NewOrderClassInput {
                college_id: picked(&form.college_id),
                enterprise_id: picked(&form.enterprise_id),
                terms,
            };
            s.app.create_order_class(p, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => see_other(&format!("/order-classes/{}", r.id)),
        Err(e @ AppError::Forbidden) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            form_view(&s, &ctx, None, false, form, errs).await
        }
    }
}

pub(super) async fn edit_form(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.get_order_class(p, id).await {
        Ok(v) => {
            let amendment = v.record.status != OrderClassStatus::Draft;
            form_view(&s, &ctx, Some(id), amendment, TermsForm::of(&v.record), FormErrors::none()).await
        }
        Err(e) => page_error(e),
    }
}

pub(super) async fn edit_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<TermsForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let current = match s.app.get_order_class(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let amendment = current.record.status != OrderClassStatus::Draft;
    let result = match form.to_input() {
        Ok(terms) if amendment => s.app.propose_amendment(p, id, &terms).await.map(|_| ()),
        Ok(terms) => s.app.update_draft_terms(p, id, &terms).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => see_other(&format!("/order-classes/{id}")),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            form_view(&s, &ctx, Some(id), amendment, form, errs).await
        }
    }
}

/// One student's row as shown.
struct StudentRow {
    id: i64,
    name: String,
    major: String,
    status: String,
    enrolled: bool,
    college: String,
    enterprise: String,
    college_score: String,
    enterprise_score: String,
    composite: String,
    employment: String,
}

fn decision(t: &T, d: Option<bool>) -> String {
    match d {
        Some(true) => t.get("oc.selected").into(),
        Some(false) => t.get("oc.turned_down").into(),
        None => "—".into(),
    }
}

fn student_rows(t: &T, v: &OrderClassView) -> Vec<StudentRow> {
    let lang = t.code();
    v.enrolments
        .iter()
        .map(|e| {
            let status = EnrolmentStatus::of(e.record.college_selected, e.record.enterprise_selected);
            let employment = e.employment.as_ref().map_or(String::new(), |o| {
                let mut s = format!("{} · {} · ¥{}", o.status.label(lang), o.post_title, Fen(o.monthly_pay_fen));
                if let Some(r) = &o.decline_reason {
                    s.push_str(&format!(" · {r}"));
                }
                s
            });
            StudentRow {
                id: e.record.student_id,
                name: e.record.student_name.clone(),
                major: e.major_name.clone().unwrap_or_default(),
                status: status.label(lang).into(),
                enrolled: e.enrolled(),
                college: decision(t, e.record.college_selected),
                enterprise: decision(t, e.record.enterprise_selected),
                college_score: e.college_score_tenths.map(format_tenths).unwrap_or_default(),
                enterprise_score: e.enterprise_score_tenths.map(format_tenths).unwrap_or_default(),
                composite: e.composite.clone().unwrap_or_default(),
                employment,
            }
        })
        .collect()
}

/// The terms as lines for people: (label, value).
fn term_lines(t: &T, v: &OrderClassView) -> Vec<(String, String)> {
    let lang = t.code();
    let terms: &Terms = &v.record.terms;
    let majors = v.majors.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("、");
    let posts = terms
        .employment
        .posts
        .iter()
        .map(|p| match &p.occupation_code {
            Some(c) => format!("{}（{c}）", p.title),
            None => p.title.clone(),
        })
        .collect::<Vec<_>>()
        .join("、");
    let mut out = vec![
        (t.get("oc.majors").to_string(), majors),
        (t.get("oc.quota").to_string(), terms.quota.to_string()),
        (t.get("oc.posts").to_string(), posts),
        (t.get("oc.pay_floor").to_string(), format!("¥{}", Fen(terms.employment.pay_floor_fen))),
        (t.get("oc.service_years").to_string(), terms.employment.service_years.to_string()),
        (
            t.get("oc.weights").to_string(),
            format!(
                "{} {}% · {} {}%",
                Side::College.label(lang),
                terms.weights.college,
                Side::Enterprise.label(lang),
                terms.weights.enterprise
            ),
        ),
    ];
    out.push((
        t.get("oc.hours").to_string(),
        format!(
            "{} {} · {} {}",
            Side::College.label(lang),
            terms.hours_by(Side::College),
            Side::Enterprise.label(lang),
            terms.hours_by(Side::Enterprise)
        ),
    ));
    out
}

/// The curriculum as shown: (course, taught by, kind, hours).
fn course_rows(lang: &str, terms: &Terms) -> Vec<(String, String, String, i64)> {
    terms
        .courses
        .iter()
        .map(|c| (c.name.clone(), c.taught_by.label(lang).to_string(), c.kind.label(lang).to_string(), c.hours))
        .collect()
}

/// The scholarships as shown: (name, amount, recipients, condition).
fn scholarship_rows(terms: &Terms) -> Vec<(String, String, i64, String)> {
    terms
        .scholarships
        .iter()
        .map(|x| (x.name.clone(), format!("¥{}", Fen(x.amount_fen)), x.count, x.condition.clone()))
        .collect()
}

#[derive(Template)]
#[template(path = "order_class.html")]
struct ClassPage {
    c: Chrome,
    v: OrderClassView,
    r: Row,
    terms: Vec<(String, String)>,
    courses: Vec<(String, String, String, i64)>,
    scholarships: Vec<(String, String, i64, String)>,
    signatures: Vec<(i64, String, String, String, String)>,
    versions: Vec<(i64, String, String, String)>,
    students: Vec<StudentRow>,
    ledger: Vec<(String, String, String, String)>,
    totals: Vec<(String, String, String, String, i64)>,
    paid_total: String,
    actions: Vec<String>,
    advance: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
}

impl ClassPage {
    fn can(&self, a: &str) -> bool {
        self.actions.iter().any(|x| x == a)
    }
}

async fn class_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors, flash: Option<String>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_order_class(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let t = ctx.t();
    let lang = t.code();
    let terms = &v.record.terms;
    let courses = course_rows(lang, terms);
    let scholarships = scholarship_rows(terms);
    let signatures = v
        .signatures
        .iter()
        .map(|x| {
            let role = xiaoqi_domain::org::Role::parse(&x.role).map_or(x.role.clone(), |r| r.label(lang).to_string());
            (x.version, x.side.label(lang).to_string(), x.signer_name.clone(), role, shanghai(x.signed_at))
        })
        .collect();
    let versions = v
        .versions
        .iter()
        .map(|x| {
            let state = match x.effective_at {
                Some(at) => format!("{} {}", t.get("oc.effective"), shanghai(at)),
                None if x.version > v.record.current_version => t.get("oc.pending").to_string(),
                None => "—".to_string(),
            };
            (x.version, x.proposed_side.label(lang).to_string(), shanghai(x.proposed_at), state)
        })
        .collect();
    let ledger = v
        .ledger
        .iter()
        .map(|d| (d.paid_on.clone(), d.student_name.clone(), d.scholarship.clone(), format!("¥{}", Fen(d.amount_fen))))
        .collect();
    let totals = v
        .scholarship_totals
        .iter()
        .map(|x| {
            (
                x.name.clone(),
                format!("¥{}", Fen(x.limit_fen)),
                format!("¥{}", Fen(x.paid_fen)),
                format!("¥{}", Fen(x.remaining_fen)),
                x.recipients,
            )
        })
        .collect();
    let advance = v
        .actions
        .iter()
        .filter_map(|a| xiaoqi_domain::order_class::OrderClassAction::parse(a))
        .filter(|a| *a != xiaoqi_domain::order_class::OrderClassAction::Sign)
        .map(|a| (a.as_str(), a.label(lang)))
        .collect();
    let mut c = Chrome::new(s, ctx, &format!("/order-classes/{id}")).await;
    if let Some(m) = flash {
        c = c.with_flash(m);
    }
    let page = ClassPage {
        terms: term_lines(&t, &v),
        courses,
        scholarships,
        signatures,
        versions,
        students: student_rows(&t, &v),
        ledger,
        totals,
        paid_total: format!("¥{}", Fen(v.paid_total_fen)),
        actions: v.actions.clone(),
        advance,
        r: row(&v.record, lang),
        errors,
        c,
        v,
    };
    render(&page)
}

pub(super) async fn class_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    class_view(&s, &ctx, id, FormErrors::none(), None).await
}

/// Every step form of the class page, as typed.
#[derive(Deserialize, Default)]
pub(super) struct StepForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    consent: Option<String>,
    #[serde(default)]
    student: String,
    #[serde(default)]
    selected: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    post_title: String,
    #[serde(default)]
    monthly_pay_yuan: String,
    #[serde(default)]
    accept: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    scholarship: String,
    #[serde(default)]
    amount_yuan: String,
    #[serde(default)]
    paid_on: String,
}

pub(super) async fn act(
    State(s): State<AppState>,
    ApiPath((id, step)): ApiPath<(i64, String)>,
    CsrfForm { ctx, form }: CsrfForm<StepForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let app = &s.app;
    let student = || forms::required_int("student", &form.student);
    let result: Result<(), AppError> = async {
        match step.as_str() {
            "sign" => app.sign_order_class(p, id).await.map(|_| ()),
            "sign_amendment" => {
                let v = forms::required_int("version", &form.version)?;
                app.sign_amendment(p, id, v).await.map(|_| ())
            }
            "advance" => {
                app.advance_order_class(p, id, &AdvanceInput { action: form.action.clone() }).await.map(|_| ())
            }
            "apply" => {
                app.apply_to_order_class(p, id, &ApplyInput { consent: form.consent.is_some() }).await.map(|_| ())
            }
            "select" => {
                let input = SelectionInput { selected: form.selected == "yes" };
                app.select_student(p, id, student()?, &input).await.map(|_| ())
            }
            "score" => {
                app.score_student(p, id, student()?, &ScoreInput { score: form.score.clone() }).await.map(|_| ())
            }
            "offer" => {
                let input =
                    OfferInput { post_title: form.post_title.clone(), monthly_pay_yuan: form.monthly_pay_yuan.clone() };
                app.offer_employment(p, id, student()?, &input).await.map(|_| ())
            }
            "answer" => {
                let input = AnswerInput { accept: form.accept == "yes", reason: opt(&form.reason) };
                app.answer_offer(p, id, p.id(), &input).await.map(|_| ())
            }
            "disburse" => {
                let input = DisbursementInput {
                    student_id: student()?,
                    scholarship: form.scholarship.clone(),
                    amount_yuan: form.amount_yuan.clone(),
                    paid_on: opt(&form.paid_on),
                };
                app.record_disbursement(p, id, &input).await.map(|_| ())
            }
            _ => Err(AppError::NotFound("page")),
        }
    }
    .await;
    match result {
        // Post/redirect/get: a reload does not take the step again.
        Ok(()) => see_other(&format!("/order-classes/{id}?done=1")),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            class_view(&s, &ctx, id, errs, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "order_class_agreement.html")]
struct AgreementPage {
    t: T,
    v: OrderClassView,
    terms: Vec<(String, String)>,
    courses: Vec<(String, String, String, i64)>,
    scholarships: Vec<(String, String, i64, String)>,
    college_signature: String,
    enterprise_signature: String,
    printed: String,
}

/// The agreement in force as a printable A4 page, always in Chinese (the language of the
/// contract), with both parties, every term and who signed when.
pub(super) async fn agreement(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_order_class(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let t = T { lang: Lang::Zh };
    let lang = t.code();
    let terms = &v.record.terms;
    let signed = |side: Side| {
        v.signatures
            .iter()
            .find(|x| x.version == v.record.current_version && x.side == side)
            .map_or(t.get("oc.unsigned").to_string(), |x| {
                format!("{}（{}） {}", x.signer_name, x.role_label(), shanghai(x.signed_at))
            })
    };
    let page = AgreementPage {
        terms: term_lines(&t, &v),
        courses: course_rows(lang, terms),
        scholarships: scholarship_rows(terms),
        college_signature: signed(Side::College),
        enterprise_signature: signed(Side::Enterprise),
        printed: shanghai(s.app.now()),
        t,
        v,
    };
    render(&page)
}

/// The signer's role in Chinese, for the agreement.
trait RoleLabel {
    fn role_label(&self) -> String;
}

impl RoleLabel for xiaoqi_store::SignatureRecord {
    fn role_label(&self) -> String {
        xiaoqi_domain::org::Role::parse(&self.role).map_or(self.role.clone(), |r| r.label_zh().to_string())
    }
}

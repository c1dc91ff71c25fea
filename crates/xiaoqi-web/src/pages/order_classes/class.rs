//! One order class with the forms of the steps the viewer may take.

use super::*;

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

pub(in crate::pages) async fn class_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    class_view(&s, &ctx, id, FormErrors::none(), None).await
}

/// Every step form of the class page, as typed.
#[derive(Deserialize, Default)]
pub(in crate::pages) struct StepForm {
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

pub(in crate::pages) async fn act(
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
                let input = AnswerInput { accept: form.accept == "yes", reason: opt_text(&form.reason) };
                app.answer_offer(p, id, p.id(), &input).await.map(|_| ())
            }
            "disburse" => {
                let input = DisbursementInput {
                    student_id: student()?,
                    scholarship: form.scholarship.clone(),
                    amount_yuan: form.amount_yuan.clone(),
                    paid_on: opt_text(&form.paid_on),
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

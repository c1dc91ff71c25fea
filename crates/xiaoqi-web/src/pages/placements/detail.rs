//! One placement: each party's forms, the steps they post, and the printable agreement.

use super::*;

#[derive(Template)]
#[template(path = "placement.html")]
struct DetailPage {
    c: Chrome,
    d: PlacementDetail,
    status: &'static str,
    kind: &'static str,
    pay: String,
    today: String,
    rules: Vec<RuleLine>,
    teachers: Vec<(i64, String)>,
    masters: Vec<(i64, String)>,
    composite: String,
    lang: &'static str,
    errors: FormErrors,
    /// Every skill of the vocabulary for the task form: (code, name).
    skills: Vec<(String, String)>,
}

impl DetailPage {
    fn skill(&self, code: &str) -> String {
        vocab::skill_name(code, self.lang)
    }

    fn task_title(&self, id: &Option<i64>) -> String {
        id.and_then(|id| self.d.tasks.iter().find(|t| t.id == id)).map(|t| t.title.clone()).unwrap_or_default()
    }

    fn pending(&self) -> bool {
        self.status == "agreement_pending"
    }

    fn active(&self) -> bool {
        self.status == "active"
    }
}

async fn detail_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let d = match s.app.get_placement(p, id).await {
        Ok(d) => d,
        Err(e) => return page_error(e),
    };
    let r = &d.placement;
    // The school's signers choose teachers and the enterprise's staff masters among the members
    // of their own organisation, which they may list.
    let teachers = if d.access.school_signer {
        match all_pages(|q| s.app.list_members(p, r.college_org_id, q)).await {
            Ok(all) => all
                .into_iter()
                .filter(|m| m.roles.contains(&Role::Teacher))
                .map(|m| (m.account.id, m.account.display_name))
                .collect(),
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let masters = if d.access.enterprise {
        match all_pages(|q| s.app.list_members(p, r.enterprise_org_id, q)).await {
            Ok(all) => all.into_iter().map(|m| (m.account.id, m.account.display_name)).collect(),
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let page = DetailPage {
        c: Chrome::new(s, ctx, &format!("/placements/{id}")).await,
        status: r.status.as_str(),
        kind: r.place.kind.label(lang),
        pay: Fen(r.place.monthly_pay_fen).to_cny_string(),
        today: s.app.today().format(),
        rules: rule_lines(&d.compliance, lang),
        composite: r.outcome.composite_centi.map(|c| format_centi(u32::try_from(c).unwrap_or(0))).unwrap_or_default(),
        skills: vocab::skill_vocabulary()
            .map(|v| v.iter().map(|e| (e.code.clone(), vocab::skill_name(&e.code, lang))).collect())
            .unwrap_or_default(),
        teachers,
        masters,
        lang,
        errors,
        d,
    };
    render(&page)
}

pub(in crate::pages) async fn detail(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    detail_view(&s, &ctx, id, FormErrors::none()).await
}

#[derive(Template)]
#[template(path = "placement_agreement.html")]
struct AgreementPage {
    d: PlacementDetail,
    kind: &'static str,
    pay: String,
    wage: String,
}

/// The printable tripartite agreement (Chinese, A4), for the placement's parties.
pub(in crate::pages) async fn agreement(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let d = match s.app.get_placement(p, id).await {
        Ok(d) => d,
        Err(e) => return page_error(e),
    };
    let pl = &d.placement.place;
    let page = AgreementPage {
        kind: pl.kind.label_zh(),
        pay: Fen(pl.monthly_pay_fen).to_cny_string(),
        wage: Fen(pl.terms.post_wage_fen).to_cny_string(),
        d,
    };
    render(&page)
}

fn text(form: &BTreeMap<String, String>, k: &str) -> String {
    form.get(k).cloned().unwrap_or_default()
}

fn opt(form: &BTreeMap<String, String>, k: &str) -> Option<String> {
    form.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// An optional whole number of the form; unreadable is the field's error.
fn int(form: &BTreeMap<String, String>, k: &str) -> Result<Option<i64>, FieldError> {
    forms::parse_int(k, form.get(k).map_or("", String::as_str))
}

/// A whole number the form requires; blank or unreadable is the field's error.
fn number(form: &BTreeMap<String, String>, k: &str) -> Result<i64, FieldError> {
    forms::required_int(k, form.get(k).map_or("", String::as_str))
}

/// Runs the step a form asks for.
async fn act(s: &AppState, p: &xiaoqi_app::Principal, id: i64, f: &BTreeMap<String, String>) -> Result<(), AppError> {
    let a = &s.app;
    match text(f, "op").as_str() {
        "facts" => {
            let i = AgreementInput {
                birth_date: opt(f, "birth_date"),
                guardian_name: opt(f, "guardian_name"),
                guardian_consent_date: opt(f, "guardian_consent_date"),
                insurer: opt(f, "insurer"),
                insurance_policy_no: opt(f, "insurance_policy_no"),
                insurance_start: opt(f, "insurance_start"),
                insurance_end: opt(f, "insurance_end"),
            };
            a.put_agreement(p, id, &i).await.map(|_| ())
        }
        "sign" => a.sign_agreement(p, id, &SignInput { party: text(f, "party") }).await.map(|_| ()),
        "start" => a.start_placement(p, id).await.map(|_| ()),
        "mentors" => {
            let i = MentorInput { teacher_id: int(f, "teacher_id")?, master_id: int(f, "master_id")? };
            a.assign_mentors(p, id, &i).await.map(|_| ())
        }
        "task" => {
            let i = TaskInput { title: text(f, "title"), skill_code: text(f, "skill_code") };
            a.add_task(p, id, &i).await.map(|_| ())
        }
        "log" => {
            let i = LogInput {
                date: text(f, "date"),
                task_id: int(f, "task_id")?,
                body: text(f, "body"),
                problem: opt(f, "problem"),
            };
            a.add_log(p, id, &i).await.map(|_| ())
        }
        "attendance" => {
            a.put_attendance(p, id, &AttendanceInput { day: text(f, "day"), status: text(f, "status") }).await
        }
        "confirm" => a.confirm_attendance(p, id, &text(f, "day")).await,
        "weekly" => {
            let i = WeeklyReportInput { week_start: text(f, "week_start"), body: text(f, "body") };
            a.put_weekly_report(p, id, &i).await
        }
        "comment" => {
            a.comment_weekly_report(p, id, &text(f, "week_start"), &CommentInput { comment: text(f, "comment") }).await
        }
        "signoff" => {
            let i =
                SignoffInput { skill_code: text(f, "skill_code"), level: number(f, "level")?, date: opt(f, "date") };
            a.add_signoff(p, id, &i).await.map(|_| ())
        }
        "review" => {
            a.add_review(p, id, &ReviewInput { name: text(f, "name"), due_date: text(f, "due_date") }).await.map(|_| ())
        }
        "sign_review" => {
            let i = SignReviewInput { reviewer: text(f, "reviewer"), comment: opt(f, "comment") };
            a.sign_review(p, id, number(f, "review_id")?, &i).await
        }
        "report" => a.submit_report(p, id, &ReportInput { text: text(f, "text") }).await.map(|_| ()),
        "grade" => a.grade_report(p, id, &GradeInput { grade: number(f, "grade")? }).await.map(|_| ()),
        "evaluate" => {
            let i = EvaluationInput { score: number(f, "score")?, comment: opt(f, "comment") };
            a.evaluate(p, id, &i).await.map(|_| ())
        }
        "complete" => a.complete_placement(p, id).await.map(|_| ()),
        other => Err(FieldError::new(
            "op",
            "placement_step",
            format!("未知的操作：{other}"),
            format!("Unknown step: {other}"),
        )
        .into()),
    }
}

/// Every form of the placement page posts here.
pub(in crate::pages) async fn post(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match act(&s, p, id, &form).await {
        Ok(()) => see_other(&format!("/placements/{id}")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            detail_view(&s, &ctx, id, errors).await
        }
        Err(e) => page_error(e),
    }
}

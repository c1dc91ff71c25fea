//! Pages of placements (实习): the list of one's internships with the teacher's dashboard
//! (warnings, reports to grade, theory loop, compliance), one internship with the forms of each
//! party (phone first: one column, big buttons), and the printable tripartite agreement (A4).
//! Every form posts to one route with an `op` field; the app decides everything.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::authz::{self, is_college_staff};
use xiaoqi_app::placements::{
    AgreementInput, AttendanceInput, CommentInput, ComplianceView, EvaluationInput, GradeInput, LogInput, MentorInput,
    PlacementDetail, ReportInput, ReviewInput, SignInput, SignReviewInput, SignoffInput, TaskInput, TheoryLoop,
    WarningRow, WeeklyReportInput,
};
use xiaoqi_app::talent::vocab;
use xiaoqi_domain::FieldError;
use xiaoqi_domain::internship::RuleStatus;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::placement::format_centi;
use xiaoqi_store::{PlacementRecord, PlacementSettings};

use super::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::{ApiPath, ApiQuery};

/// A placement as one card.
struct Card {
    id: i64,
    student: String,
    enterprise: String,
    title: String,
    status: &'static str,
    status_code: &'static str,
}

fn card(r: &PlacementRecord, lang: &str) -> Card {
    Card {
        id: r.id,
        student: r.student_name.clone(),
        enterprise: r.enterprise_name.clone(),
        title: r.place.title.clone(),
        status: r.status.label(lang),
        status_code: r.status.as_str(),
    }
}

/// One rule's line in a compliance table.
struct RuleLine {
    title: &'static str,
    status: &'static str,
    label_key: &'static str,
    note: String,
}

fn rule_lines(checks: &[xiaoqi_domain::internship::RuleCheck], lang: &str) -> Vec<RuleLine> {
    let en = lang == "en";
    checks
        .iter()
        .map(|c| {
            let msg = |v: &xiaoqi_domain::internship::Violation| if en { v.en.clone() } else { v.zh.clone() };
            let (status, label_key, note) = match &c.status {
                RuleStatus::NotApplicable => ("not_applicable", "placements.rule_not_applicable", String::new()),
                RuleStatus::Met => ("met", "placements.rule_met", String::new()),
                RuleStatus::Violated(v) => ("violated", "placements.rule_violated", msg(v)),
                RuleStatus::Outstanding(v) => ("outstanding", "placements.rule_outstanding", msg(v)),
            };
            RuleLine { title: c.rule.label(lang), status, label_key, note }
        })
        .collect()
}

/// The college whose dashboard the person sees: the first where they are staff.
fn staff_college(ctx: &Ctx) -> Option<i64> {
    let p = ctx.principal.as_ref()?;
    p.orgs().into_iter().find(|(o, _, k)| *k == OrgKind::College && is_college_staff(p, *o)).map(|(o, _, _)| o)
}

#[derive(Template)]
#[template(path = "placements.html")]
struct ListPage {
    c: Chrome,
    cards: Vec<Card>,
    college: Option<i64>,
    warnings: Vec<WarningRow>,
    to_grade: Vec<Card>,
    theory: Option<TheoryLoop>,
    compliance: Option<ComplianceView>,
    compliance_rows: Vec<(Card, Vec<RuleLine>)>,
    lang: &'static str,
    /// The college's rounds for the dashboard's filter: (id, name), and the one chosen.
    rounds: Vec<(i64, String)>,
    round: Option<i64>,
    /// The college's settings, for those who manage its placements.
    settings: Option<PlacementSettings>,
    errors: FormErrors,
}

impl ListPage {
    fn skill(&self, code: &str) -> String {
        vocab::skill_name(code, self.lang)
    }

    fn avg(&self, centi: &u32) -> String {
        format_centi(*centi)
    }
}

/// Filters of the list page.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ListQuery {
    round: Option<i64>,
}

pub(super) async fn list(State(s): State<AppState>, ctx: Ctx, ApiQuery(q): ApiQuery<ListQuery>) -> Response {
    list_view(&s, &ctx, q.round, FormErrors::none()).await
}

async fn list_view(s: &AppState, ctx: &Ctx, round: Option<i64>, errors: FormErrors) -> Response {
    let q = ListQuery { round };
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let mine = match s.app.list_placements(p, None, q.round).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let college = staff_college(ctx);
    let (mut warnings, mut theory, mut compliance, mut compliance_rows) = (Vec::new(), None, None, Vec::new());
    let (mut rounds, mut settings) = (Vec::new(), None);
    if let Some(c) = college {
        rounds = match all_pages(|r| s.app.list_rounds(p, c, r)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        };
        // The college is one the person oversees (`staff_college`): every panel below is theirs
        // to see, so any failure is shown as the page's error.
        let panels = async {
            if authz::runs_internships(p, c) {
                settings = Some(s.app.placement_settings(p, c).await?);
            }
            warnings = s.app.list_warnings(p, c).await?;
            theory = Some(s.app.theory_loop(p, c, q.round).await?);
            let view = s.app.compliance_view(p, c, q.round).await?;
            let all = s.app.list_placements(p, Some(c), q.round).await?;
            for row in &view.rows {
                if let Some(r) = all.iter().find(|r| r.id == row.placement_id) {
                    compliance_rows.push((card(r, lang), rule_lines(&row.checks, lang)));
                }
            }
            compliance = Some(view);
            Ok::<(), AppError>(())
        };
        if let Err(e) = panels.await {
            return page_error(e);
        }
    }
    let to_grade = mine
        .iter()
        .filter(|r| r.teacher_id == Some(p.id()) && r.outcome.report_text.is_some() && r.outcome.report_grade.is_none())
        .map(|r| card(r, lang))
        .collect();
    let page = ListPage {
        c: Chrome::new(s, ctx, "/placements").await,
        cards: mine.iter().map(|r| card(r, lang)).collect(),
        college,
        warnings,
        to_grade,
        theory,
        compliance,
        compliance_rows,
        lang,
        rounds: rounds.into_iter().map(|r| (r.id, r.name)).collect(),
        round: q.round,
        settings,
        errors,
    };
    render(&page)
}

/// The college's placement settings from the dashboard form.
pub(super) async fn settings(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let Some(college) = staff_college(&ctx) else { return page_error(AppError::Forbidden) };
    let mut read = forms::Reader::new();
    let field = |k: &str| form.get(k).map_or("", String::as_str);
    let input = PlacementSettings {
        max_per_teacher: read.int("max_per_teacher", field("max_per_teacher")),
        max_per_master: read.int("max_per_master", field("max_per_master")),
        warn_after_days: read.int("warn_after_days", field("warn_after_days")),
        weight_report: read.int("weight_report", field("weight_report")),
        weight_evaluation: read.int("weight_evaluation", field("weight_evaluation")),
        weight_attendance: read.int("weight_attendance", field("weight_attendance")),
    };
    let result = match read.finish() {
        Ok(()) => s.app.put_placement_settings(p, college, &input).await,
        Err(e) => Err(e.into()),
    };

    match result {
        Ok(_) => see_other("/placements"),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            list_view(&s, &ctx, None, errors).await
        }
        Err(e) => page_error(e),
    }
}

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

pub(super) async fn detail(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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
pub(super) async fn agreement(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
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
pub(super) async fn post(
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

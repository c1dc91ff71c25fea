//! The record of an internship: training tasks, logs, attendance, weekly reports, skill
//! sign-offs, tripartite reviews, the final report, the master's evaluation and the composite
//! grade. Each write is one transaction under the college's lock with its audit entry.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::placement::{
    AttendanceStatus, MAX_LOG_CHARS, PlacementAction, Reviewer, check_score, check_signoff_level, composite_centi,
    weekday, working_days,
};
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{AttendanceRecord, Conn, PlacementRecord, ReviewRecord};

use super::{Access, ReviewView, check_status, locked, save, settings_or_default, weights_of};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// A training-plan task.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub title: String,
    /// A skill code of the vocabulary.
    pub skill_code: String,
}

/// A short log (≤ 500 characters) of a day.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogInput {
    /// YYYY-MM-DD, within the placement and not after today.
    pub date: String,
    pub task_id: Option<i64>,
    pub body: String,
    /// A problem met, if any (≤ 500 characters).
    pub problem: Option<String>,
}

/// A day of attendance.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    /// YYYY-MM-DD.
    pub day: String,
    /// present, absent or leave.
    pub status: String,
}

/// A weekly report.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyReportInput {
    /// The Monday of the week, YYYY-MM-DD.
    pub week_start: String,
    pub body: String,
}

/// A teacher's comment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    pub comment: String,
}

/// A master's skill sign-off.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignoffInput {
    pub skill_code: String,
    /// 1–5.
    pub level: i64,
    /// YYYY-MM-DD; today when left out.
    pub date: Option<String>,
}

/// A tripartite review to hold.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// e.g. 期中评议.
    pub name: String,
    /// YYYY-MM-DD.
    pub due_date: String,
}

/// One reviewer's signature.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignReviewInput {
    /// student, teacher or master (the caller must be that person of the placement).
    pub reviewer: String,
    pub comment: Option<String>,
}

/// The student's final report.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub text: String,
}

/// The teacher's grade of the final report.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    /// 0–100.
    pub grade: i64,
}

/// The master's evaluation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    /// 0–100.
    pub score: i64,
    pub comment: Option<String>,
}

/// Confirmed present days and working days from the start to the end or today, whichever is
/// earlier.
pub fn attendance_score(r: &PlacementRecord, days: &[AttendanceRecord], today: Date) -> (u32, u32) {
    let (Ok(start), Ok(end)) = (Date::parse("s", &r.place.start_date), Date::parse("e", &r.place.end_date)) else {
        return (0, 0);
    };
    let present = days.iter().filter(|d| d.status == AttendanceStatus::Present && d.confirmed_at.is_some()).count();
    (u32::try_from(present).unwrap_or(u32::MAX), working_days(start, end.min(today)))
}

/// A review with its overdue flag on `today`.
pub fn review_view(review: ReviewRecord, today: Date) -> ReviewView {
    let all_signed = review.all_signed();
    let overdue = !all_signed && Date::parse("due", &review.due_date).is_ok_and(|d| d < today);
    ReviewView { review, all_signed, overdue }
}

/// A day within the placement and not after today.
fn day_in(r: &PlacementRecord, field: &str, v: &str, today: Date) -> Result<Date, FieldError> {
    let d = Date::parse(field, v)?;
    let in_period =
        r.place.start_date.as_str() <= d.format().as_str() && d.format().as_str() <= r.place.end_date.as_str();
    if !in_period || d > today {
        return Err(FieldError::new(
            field,
            "date_outside_placement",
            format!("日期须在实习期（{} 至 {}）内且不晚于今天", r.place.start_date, r.place.end_date),
            format!(
                "the date must be within the placement ({} to {}) and not after today",
                r.place.start_date, r.place.end_date
            ),
        ));
    }
    Ok(d)
}

fn check_skill(field: &str, code: &str) -> Result<String, FieldError> {
    let code = code.trim();
    let known = xiaoqi_refdata::skills().ok().is_some_and(|v| v.get(code).is_some());
    if known {
        Ok(code.to_string())
    } else {
        Err(FieldError::new(
            field,
            "skill_unknown",
            format!("未知的技能：{code}（请从技能目录中选择）"),
            format!("Unknown skill: {code} (choose one from the skill list)"),
        ))
    }
}

/// One journal write: visibility (404) and the caller's part (403) first, then the caller
/// validates, then the status (409) under the college's lock, the write and its audit entry.
struct Write<'a> {
    app: &'a App,
    p: &'a Principal,
    id: i64,
}

impl<'a> Write<'a> {
    async fn open(&self, allowed: fn(&Access) -> bool) -> AppResult<PlacementRecord> {
        let (r, a) = self.app.visible_placement(self.p, self.id).await?;
        if !allowed(&a) {
            return Err(AppError::Forbidden);
        }
        Ok(r)
    }

    async fn lock(&self, r: &PlacementRecord, action: PlacementAction) -> AppResult<(Box<dyn Conn>, PlacementRecord)> {
        let mut tx = self.app.store.begin().await?;
        let r = locked(&mut tx, r).await?;
        check_status(&r, action)?;
        Ok((tx, r))
    }

    async fn finish<T: Serialize>(
        &self,
        mut tx: Box<dyn Conn>,
        r: &PlacementRecord,
        action: &'static str,
        what: &T,
    ) -> AppResult<()> {
        record(
            &mut tx,
            self.app.now(),
            self.p,
            Some(r.college_org_id),
            Change::created(action, "placement", r.id, what),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    fn write<'a>(&'a self, p: &'a Principal, id: i64) -> Write<'a> {
        Write { app: self, p, id }
    }

    /// Adds a training-plan task: the mentors and the enterprise's staff.
    pub async fn add_task(&self, p: &Principal, id: i64, i: &TaskInput) -> AppResult<i64> {
        let w = self.write(p, id);
        let r = w.open(|a| a.teacher || a.master || a.enterprise).await?;
        let mut e = ValidationErrors::new();
        let title = e.check(required_text("title", &i.title, 100));
        let skill = e.check(check_skill("skill_code", &i.skill_code));
        e.into_result()?;
        let (title, skill) = (title.unwrap_or_default(), skill.unwrap_or_default());
        let (mut tx, r) = w.lock(&r, PlacementAction::Plan).await?;
        let task = tx.create_task(id, &title, &skill, p.id(), self.now()).await?;
        w.finish(tx, &r, "placement.task", &serde_json::json!({"task": task, "title": title, "skill": skill})).await?;
        Ok(task)
    }

    /// Writes a log of a day: the student, during the internship.
    pub async fn add_log(&self, p: &Principal, id: i64, i: &LogInput) -> AppResult<i64> {
        let w = self.write(p, id);
        let r = w.open(|a| a.student).await?;
        let mut e = ValidationErrors::new();
        let date = e.check(day_in(&r, "date", &i.date, self.today()));
        let body = e.check(required_text("body", &i.body, MAX_LOG_CHARS));
        let problem = e.check(optional_text("problem", i.problem.as_deref(), MAX_LOG_CHARS));
        e.into_result()?;
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        if let Some(task) = i.task_id
            && !tx.list_tasks(id).await?.iter().any(|t| t.id == task)
        {
            return Err(FieldError::new(
                "task_id",
                "task_unknown",
                "该任务不属于本实习",
                "no such task in this placement",
            )
            .into());
        }
        let (date, body, problem) =
            (date.map(|d| d.format()).unwrap_or_default(), body.unwrap_or_default(), problem.flatten());
        let log = tx.create_log(id, &date, i.task_id, &body, problem.as_deref(), self.now()).await?;
        w.finish(tx, &r, "placement.log", &serde_json::json!({"log": log, "date": date})).await?;
        Ok(log)
    }

    /// Records a day's attendance: the student; a day the master confirmed is fixed (409).
    pub async fn put_attendance(&self, p: &Principal, id: i64, i: &AttendanceInput) -> AppResult<()> {
        let w = self.write(p, id);
        let r = w.open(|a| a.student).await?;
        let mut e = ValidationErrors::new();
        let day = e.check(day_in(&r, "day", &i.day, self.today()));
        let status = e.check(AttendanceStatus::parse(i.status.trim()).ok_or_else(|| {
            FieldError::new(
                "status",
                "attendance_status",
                "考勤须为 present、absent 或 leave",
                "status must be present, absent or leave",
            )
        }));
        e.into_result()?;
        let (Some(day), Some(status)) = (day, status) else { return Err(FieldError::required("day").into()) };
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        let confirmed = tx.list_attendance(id).await?.iter().any(|d| d.day == day.format() && d.confirmed_at.is_some());
        if confirmed {
            return Err(AppError::Conflict(FieldError::new(
                "day",
                "attendance_confirmed",
                "师傅已确认当天考勤，不能修改",
                "the master has confirmed this day: it cannot be changed",
            )));
        }
        tx.put_attendance(id, &day.format(), status, self.now()).await?;
        w.finish(tx, &r, "placement.attendance", &serde_json::json!({"day": day.format(), "status": status})).await
    }

    /// Confirms a day the student recorded: the placement's master only.
    pub async fn confirm_attendance(&self, p: &Principal, id: i64, day: &str) -> AppResult<()> {
        let w = self.write(p, id);
        let r = w.open(|a| a.master).await?;
        let d = Date::parse("day", day)?;
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        tx.confirm_attendance(id, &d.format(), p.id(), self.now()).await?;
        w.finish(tx, &r, "placement.attendance_confirm", &serde_json::json!({"day": d.format()})).await
    }

    /// Submits or replaces a week's report: the student; the week starts on a Monday.
    pub async fn put_weekly_report(&self, p: &Principal, id: i64, i: &WeeklyReportInput) -> AppResult<()> {
        let w = self.write(p, id);
        let r = w.open(|a| a.student).await?;
        let mut e = ValidationErrors::new();
        let week = e.check(Date::parse("week_start", &i.week_start).and_then(|d| {
            if weekday(d) == 0 {
                Ok(d)
            } else {
                Err(FieldError::new("week_start", "not_monday", "周报的起始日须为星期一", "a week starts on a Monday"))
            }
        }));
        let body = e.check(required_text("body", &i.body, 5000));
        e.into_result()?;
        let (week, body) = (week.map(|d| d.format()).unwrap_or_default(), body.unwrap_or_default());
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        tx.put_weekly_report(id, &week, &body, self.now()).await?;
        w.finish(tx, &r, "placement.weekly_report", &serde_json::json!({"week_start": week})).await
    }

    /// Comments a weekly report: the placement's teacher.
    pub async fn comment_weekly_report(&self, p: &Principal, id: i64, week: &str, i: &CommentInput) -> AppResult<()> {
        let w = self.write(p, id);
        let r = w.open(|a| a.teacher).await?;
        let week = Date::parse("week_start", week)?.format();
        let comment = required_text("comment", &i.comment, 1000)?;
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        tx.comment_weekly_report(id, &week, &comment, p.id(), self.now()).await?;
        w.finish(tx, &r, "placement.weekly_comment", &serde_json::json!({"week_start": week})).await
    }

    /// Signs off a skill at a level: the placement's master.
    pub async fn add_signoff(&self, p: &Principal, id: i64, i: &SignoffInput) -> AppResult<i64> {
        let w = self.write(p, id);
        let r = w.open(|a| a.master).await?;
        let mut e = ValidationErrors::new();
        let skill = e.check(check_skill("skill_code", &i.skill_code));
        let level = e.check(check_signoff_level(i.level));
        let t = self.today();
        let on = match i.date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(d) => e.check(day_in(&r, "date", d, t)),
            None => Some(t),
        };
        e.into_result()?;
        let (Some(skill), Some(level), Some(on)) = (skill, level, on) else {
            return Err(FieldError::required("skill_code").into());
        };
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        let so = tx.create_signoff(id, &skill, i64::from(level), &on.format(), p.id(), self.now()).await?;
        w.finish(tx, &r, "placement.signoff", &serde_json::json!({"skill": skill, "level": level})).await?;
        Ok(so)
    }

    /// Schedules a tripartite review: the teacher or the school's signers.
    pub async fn add_review(&self, p: &Principal, id: i64, i: &ReviewInput) -> AppResult<i64> {
        let w = self.write(p, id);
        let r = w.open(|a| a.teacher || a.school_signer).await?;
        let mut e = ValidationErrors::new();
        let name = e.check(required_text("name", &i.name, 50));
        let due = e.check(Date::parse("due_date", &i.due_date));
        e.into_result()?;
        let (name, due) = (name.unwrap_or_default(), due.map(|d| d.format()).unwrap_or_default());
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        let rid = tx.create_review(id, &name, &due, p.id(), self.now()).await?;
        w.finish(tx, &r, "placement.review", &serde_json::json!({"review": rid, "name": name, "due": due})).await?;
        Ok(rid)
    }

    /// Signs a review as the placement's student, teacher or master, once each (409 after).
    pub async fn sign_review(&self, p: &Principal, id: i64, review: i64, i: &SignReviewInput) -> AppResult<()> {
        let w = self.write(p, id);
        let (r, a) = self.visible_placement(p, id).await?;
        let who = Reviewer::parse(i.reviewer.trim()).ok_or_else(|| {
            FieldError::new(
                "reviewer",
                "reviewer_unknown",
                "评议人须为 student、teacher 或 master",
                "reviewer must be student, teacher or master",
            )
        })?;
        let is = match who {
            Reviewer::Student => a.student,
            Reviewer::Teacher => a.teacher,
            Reviewer::Master => a.master,
        };
        if !is {
            return Err(AppError::Forbidden);
        }
        let comment = optional_text("comment", i.comment.as_deref(), 1000)?;
        let (mut tx, r) = w.lock(&r, PlacementAction::Record).await?;
        if !tx.list_reviews(id).await?.iter().any(|rv| rv.id == review) {
            return Err(AppError::NotFound("placement_review"));
        }
        tx.sign_review(review, who, comment.as_deref(), self.now()).await.map_err(|e| match e {
            xiaoqi_store::StoreError::Conflict { .. } => AppError::Conflict(FieldError::new(
                "reviewer",
                "already_signed",
                format!("{}已签署该评议", who.label_zh()),
                format!("the {} has already signed this review", who.label_en().to_lowercase()),
            )),
            other => other.into(),
        })?;
        w.finish(tx, &r, "placement.review_sign", &serde_json::json!({"review": review, "reviewer": who})).await
    }

    /// Submits the final report: the student (replacing an ungraded one).
    pub async fn submit_report(&self, p: &Principal, id: i64, i: &ReportInput) -> AppResult<PlacementRecord> {
        let r = self.write(p, id).open(|a| a.student).await?;
        let text = required_text("text", &i.text, 20_000)?;
        self.update_outcome(p, &r, "placement.report", move |r, _| {
            if r.outcome.report_grade.is_some() {
                return Err(graded());
            }
            r.outcome.report_text = Some(text);
            r.outcome.report_submitted_at = Some(self.now());
            Ok(())
        })
        .await
    }

    /// Grades the final report 0–100: the placement's teacher, once it is submitted.
    pub async fn grade_report(&self, p: &Principal, id: i64, i: &GradeInput) -> AppResult<PlacementRecord> {
        let r = self.write(p, id).open(|a| a.teacher).await?;
        let grade = check_score("grade", i.grade)?;
        self.update_outcome(p, &r, "placement.grade", move |r, p| {
            if r.outcome.report_text.is_none() {
                return Err(AppError::Conflict(FieldError::new(
                    "report",
                    "report_missing",
                    "学生尚未提交实习报告",
                    "the student has not submitted the report",
                )));
            }
            r.outcome.report_grade = Some(i64::from(grade));
            r.outcome.report_graded_by = Some(p.id());
            Ok(())
        })
        .await
    }

    /// Evaluates the student 0–100 with a comment: the placement's master.
    pub async fn evaluate(&self, p: &Principal, id: i64, i: &EvaluationInput) -> AppResult<PlacementRecord> {
        let r = self.write(p, id).open(|a| a.master).await?;
        let mut e = ValidationErrors::new();
        let score = e.check(check_score("score", i.score));
        let comment = e.check(optional_text("comment", i.comment.as_deref(), 1000));
        e.into_result()?;
        let (score, comment) = (score.unwrap_or_default(), comment.flatten());
        self.update_outcome(p, &r, "placement.evaluate", move |r, p| {
            r.outcome.evaluation_score = Some(i64::from(score));
            r.outcome.evaluation_comment = comment;
            r.outcome.evaluated_by = Some(p.id());
            Ok(())
        })
        .await
    }

    /// Fixes the composite grade and completes the placement: the teacher, once the report is
    /// graded and the master evaluated (409 before). The weights are the college's.
    pub async fn complete_placement(&self, p: &Principal, id: i64) -> AppResult<PlacementRecord> {
        let w = self.write(p, id);
        let r = w.open(|a| a.teacher).await?;
        let (mut tx, before) = w.lock(&r, PlacementAction::Complete).await?;
        let (Some(report), Some(evaluation)) = (before.outcome.report_grade, before.outcome.evaluation_score) else {
            return Err(AppError::Conflict(FieldError::new(
                "outcome",
                "grades_missing",
                "须先由校内导师评定实习报告、企业师傅完成评价",
                "the teacher must grade the report and the master evaluate first",
            )));
        };
        let settings = settings_or_default(tx.find_placement_settings(before.college_org_id).await?);
        let days = tx.list_attendance(id).await?;
        let (present, working) = attendance_score(&before, &days, self.today());
        let u = |v: i64| u32::try_from(v.clamp(0, 100)).unwrap_or(0);
        let centi = composite_centi(weights_of(&settings), u(report), u(evaluation), present, working);
        let mut after = before.clone();
        after.outcome.composite_centi = Some(i64::from(centi));
        after.status = check_status(&before, PlacementAction::Complete)?;
        let saved = save(&mut tx, self.now(), p, &before, &after, "placement.complete").await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn update_outcome(
        &self,
        p: &Principal,
        r: &PlacementRecord,
        action: &'static str,
        change: impl FnOnce(&mut PlacementRecord, &Principal) -> AppResult<()> + Send,
    ) -> AppResult<PlacementRecord> {
        let (mut tx, before) = self.write(p, r.id).lock(r, PlacementAction::Record).await?;
        let mut after = before.clone();
        change(&mut after, p)?;
        let saved = save(&mut tx, self.now(), p, &before, &after, action).await?;
        tx.commit().await?;
        Ok(saved)
    }
}

fn graded() -> AppError {
    AppError::Conflict(FieldError::new(
        "report",
        "report_graded",
        "实习报告已评分，不能再修改",
        "the report is graded: it cannot be changed",
    ))
}

//! Placements, their agreements, mentors and outcomes, and the record of the internship.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::placement::{AttendanceStatus, PlacementStatus, Reviewer};
use xiaoqi_store::{
    AccountId, AgreementFacts, AgreementSignatures, AttendanceRecord, LogRecord, Millis, NewPlacement, OrgId,
    PlacementFilter, PlacementOutcome, PlacementRecord, PlacementRepo, PlacementSettings, ReviewRecord,
    ReviewSignature, SignoffRecord, StoreError, StoreResult, TaskRecord, WeeklyReportRecord,
};

use crate::conn::{Arg, Filter, SqlConn, bind_all, code, expect_one, json_col, map_err, to_json};

const PLACEMENT_COLS: &str = "p.id, p.round_id, p.college_org_id, c.name AS college_name, p.student_id, \
     s.display_name AS student_name, p.place_id, p.enterprise_org_id, e.name AS enterprise_name, p.status, \
     p.place_json, p.birth_date, p.guardian_name, p.guardian_consent_date, p.insurer, p.insurance_policy_no, \
     p.insurance_start, p.insurance_end, p.school_signed_by, p.school_signed_on, p.enterprise_signed_by, \
     p.enterprise_signed_on, p.student_signed_on, p.teacher_id, t.display_name AS teacher_name, p.master_id, \
     m.display_name AS master_name, p.report_text, p.report_submitted_at, p.report_grade, p.report_graded_by, \
     p.evaluation_score, p.evaluation_comment, p.evaluated_by, p.composite_centi, p.created_at, p.updated_at";
const PLACEMENT_FROM: &str = "placements p JOIN organizations c ON c.id = p.college_org_id \
     JOIN organizations e ON e.id = p.enterprise_org_id JOIN accounts s ON s.id = p.student_id \
     LEFT JOIN accounts t ON t.id = p.teacher_id LEFT JOIN accounts m ON m.id = p.master_id";

fn row_to_placement(r: &AnyRow) -> Result<PlacementRecord, sqlx::Error> {
    Ok(PlacementRecord {
        id: r.try_get("id")?,
        round_id: r.try_get("round_id")?,
        college_org_id: r.try_get("college_org_id")?,
        college_name: r.try_get("college_name")?,
        student_id: r.try_get("student_id")?,
        student_name: r.try_get("student_name")?,
        place_id: r.try_get("place_id")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        status: code(r, "status", PlacementStatus::parse)?,
        place: json_col(r, "place_json")?,
        facts: AgreementFacts {
            birth_date: r.try_get("birth_date")?,
            guardian_name: r.try_get("guardian_name")?,
            guardian_consent_date: r.try_get("guardian_consent_date")?,
            insurer: r.try_get("insurer")?,
            insurance_policy_no: r.try_get("insurance_policy_no")?,
            insurance_start: r.try_get("insurance_start")?,
            insurance_end: r.try_get("insurance_end")?,
        },
        signatures: AgreementSignatures {
            school_signed_by: r.try_get("school_signed_by")?,
            school_signed_on: r.try_get("school_signed_on")?,
            enterprise_signed_by: r.try_get("enterprise_signed_by")?,
            enterprise_signed_on: r.try_get("enterprise_signed_on")?,
            student_signed_on: r.try_get("student_signed_on")?,
        },
        teacher_id: r.try_get("teacher_id")?,
        teacher_name: r.try_get("teacher_name")?,
        master_id: r.try_get("master_id")?,
        master_name: r.try_get("master_name")?,
        outcome: PlacementOutcome {
            report_text: r.try_get("report_text")?,
            report_submitted_at: r.try_get("report_submitted_at")?,
            report_grade: r.try_get("report_grade")?,
            report_graded_by: r.try_get("report_graded_by")?,
            evaluation_score: r.try_get("evaluation_score")?,
            evaluation_comment: r.try_get("evaluation_comment")?,
            evaluated_by: r.try_get("evaluated_by")?,
            composite_centi: r.try_get("composite_centi")?,
        },
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn signature(r: &AnyRow, who: &str) -> Result<ReviewSignature, sqlx::Error> {
    Ok(ReviewSignature {
        comment: r.try_get(format!("{who}_comment").as_str())?,
        signed_at: r.try_get(format!("{who}_signed_at").as_str())?,
    })
}

fn collect<T>(rows: &[AnyRow], f: fn(&AnyRow) -> Result<T, sqlx::Error>) -> StoreResult<Vec<T>> {
    rows.iter().map(f).collect::<Result<_, sqlx::Error>>().map_err(map_err)
}

impl SqlConn {
    async fn rows_of(&mut self, sql: &'static str, placement: i64) -> StoreResult<Vec<AnyRow>> {
        sqlx::query(sql).bind(placement).fetch_all(self.c()).await.map_err(map_err)
    }
}

#[async_trait]
impl PlacementRepo for SqlConn {
    async fn find_placement_settings(&mut self, college: OrgId) -> StoreResult<Option<PlacementSettings>> {
        let row = sqlx::query(
            "SELECT max_per_teacher, max_per_master, warn_after_days, weight_report, weight_evaluation, \
             weight_attendance FROM placement_settings WHERE college_org_id = $1",
        )
        .bind(college)
        .fetch_optional(self.c())
        .await
        .map_err(map_err)?;
        row.map(|r| {
            Ok(PlacementSettings {
                max_per_teacher: r.try_get("max_per_teacher")?,
                max_per_master: r.try_get("max_per_master")?,
                warn_after_days: r.try_get("warn_after_days")?,
                weight_report: r.try_get("weight_report")?,
                weight_evaluation: r.try_get("weight_evaluation")?,
                weight_attendance: r.try_get("weight_attendance")?,
            })
        })
        .transpose()
        .map_err(map_err)
    }

    async fn put_placement_settings(
        &mut self,
        college: OrgId,
        s: &PlacementSettings,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM placement_settings WHERE college_org_id = $1")
            .bind(college)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO placement_settings (college_org_id, max_per_teacher, max_per_master, warn_after_days, \
             weight_report, weight_evaluation, weight_attendance, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(college)
        .bind(s.max_per_teacher)
        .bind(s.max_per_master)
        .bind(s.warn_after_days)
        .bind(s.weight_report)
        .bind(s.weight_evaluation)
        .bind(s.weight_attendance)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn create_placement(&mut self, p: &NewPlacement, at: Millis) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO placements (round_id, college_org_id, student_id, place_id, enterprise_org_id, status, \
             place_json, start_date, end_date, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'agreement_pending', $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(p.round_id)
        .bind(p.college_org_id)
        .bind(p.student_id)
        .bind(p.place_id)
        .bind(p.enterprise_org_id)
        .bind(to_json(&p.place)?)
        .bind(&p.place.start_date)
        .bind(&p.place.end_date)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_placement(&mut self, id: i64) -> StoreResult<Option<PlacementRecord>> {
        let sql = format!("SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE p.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_placement).transpose().map_err(map_err)
    }

    async fn list_placements(&mut self, f: &PlacementFilter) -> StoreResult<Vec<PlacementRecord>> {
        let mut w = Filter::default();
        let conds = [
            ("p.college_org_id = {}", f.college),
            ("p.enterprise_org_id = {}", f.enterprise),
            ("p.round_id = {}", f.round),
            ("p.student_id = {}", f.student),
            ("p.teacher_id = {}", f.teacher),
            ("p.master_id = {}", f.master),
        ];
        for (sql, v) in conds {
            if let Some(v) = v {
                w.push(sql, Arg::Int(v));
            }
        }
        let sql = format!("SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM}{} ORDER BY p.id", w.where_sql());
        let rows =
            bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &w.args).fetch_all(self.c()).await.map_err(map_err)?;
        collect(&rows, row_to_placement)
    }

    async fn save_placement(&mut self, p: &PlacementRecord, from: PlacementStatus, at: Millis) -> StoreResult<()> {
        let (f, s, o) = (&p.facts, &p.signatures, &p.outcome);
        let done = sqlx::query(
            "UPDATE placements SET status = $3, birth_date = $4, guardian_name = $5, guardian_consent_date = $6, \
             insurer = $7, insurance_policy_no = $8, insurance_start = $9, insurance_end = $10, \
             school_signed_by = $11, school_signed_on = $12, enterprise_signed_by = $13, enterprise_signed_on = $14, \
             student_signed_on = $15, teacher_id = $16, master_id = $17, report_text = $18, \
             report_submitted_at = $19, report_grade = $20, report_graded_by = $21, evaluation_score = $22, \
             evaluation_comment = $23, evaluated_by = $24, composite_centi = $25, updated_at = $26 \
             WHERE id = $1 AND status = $2",
        )
        .bind(p.id)
        .bind(from.as_str())
        .bind(p.status.as_str())
        .bind(&f.birth_date)
        .bind(&f.guardian_name)
        .bind(&f.guardian_consent_date)
        .bind(&f.insurer)
        .bind(&f.insurance_policy_no)
        .bind(&f.insurance_start)
        .bind(&f.insurance_end)
        .bind(s.school_signed_by)
        .bind(&s.school_signed_on)
        .bind(s.enterprise_signed_by)
        .bind(&s.enterprise_signed_on)
        .bind(&s.student_signed_on)
        .bind(p.teacher_id)
        .bind(p.master_id)
        .bind(&o.report_text)
        .bind(o.report_submitted_at)
        .bind(o.report_grade)
        .bind(o.report_graded_by)
        .bind(o.evaluation_score)
        .bind(&o.evaluation_comment)
        .bind(o.evaluated_by)
        .bind(o.composite_centi)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { constraint: "placement_status_changed".into() });
        }
        Ok(())
    }

    async fn count_mentored(&mut self, mentor: AccountId, as_master: bool, except: i64) -> StoreResult<i64> {
        let sql = if as_master {
            "SELECT COUNT(*) FROM placements WHERE master_id = $1 AND status <> 'completed' AND id <> $2"
        } else {
            "SELECT COUNT(*) FROM placements WHERE teacher_id = $1 AND status <> 'completed' AND id <> $2"
        };
        sqlx::query_scalar(sql).bind(mentor).bind(except).fetch_one(self.c()).await.map_err(map_err)
    }

    async fn count_interns(
        &mut self,
        enterprise: OrgId,
        place: i64,
        start: &str,
        end: &str,
        except: i64,
    ) -> StoreResult<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS at_enterprise, COALESCE(SUM(CASE WHEN place_id = $2 THEN 1 ELSE 0 END), 0) AS at_post \
             FROM placements WHERE enterprise_org_id = $1 AND status IN ('agreed', 'active') \
             AND start_date <= $4 AND end_date >= $3 AND id <> $5",
        )
        .bind(enterprise)
        .bind(place)
        .bind(start)
        .bind(end)
        .bind(except)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        Ok((row.try_get("at_enterprise").map_err(map_err)?, row.try_get("at_post").map_err(map_err)?))
    }

    async fn create_task(
        &mut self,
        placement: i64,
        title: &str,
        skill: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO placement_tasks (placement_id, title, skill_code, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(placement)
        .bind(title)
        .bind(skill)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_tasks(&mut self, placement: i64) -> StoreResult<Vec<TaskRecord>> {
        let rows = self
            .rows_of(
                "SELECT id, placement_id, title, skill_code, created_by, created_at FROM placement_tasks \
                 WHERE placement_id = $1 ORDER BY id",
                placement,
            )
            .await?;
        collect(&rows, |r| {
            Ok(TaskRecord {
                id: r.try_get("id")?,
                placement_id: r.try_get("placement_id")?,
                title: r.try_get("title")?,
                skill_code: r.try_get("skill_code")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
            })
        })
    }

    async fn create_log(
        &mut self,
        placement: i64,
        date: &str,
        task: Option<i64>,
        body: &str,
        problem: Option<&str>,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO placement_logs (placement_id, log_date, task_id, body, problem, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(placement)
        .bind(date)
        .bind(task)
        .bind(body)
        .bind(problem)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_logs(&mut self, placement: i64) -> StoreResult<Vec<LogRecord>> {
        let rows = self
            .rows_of(
                "SELECT id, placement_id, log_date, task_id, body, problem, created_at FROM placement_logs \
                 WHERE placement_id = $1 ORDER BY log_date DESC, id DESC",
                placement,
            )
            .await?;
        collect(&rows, |r| {
            Ok(LogRecord {
                id: r.try_get("id")?,
                placement_id: r.try_get("placement_id")?,
                log_date: r.try_get("log_date")?,
                task_id: r.try_get("task_id")?,
                body: r.try_get("body")?,
                problem: r.try_get("problem")?,
                created_at: r.try_get("created_at")?,
            })
        })
    }

    async fn put_attendance(
        &mut self,
        placement: i64,
        day: &str,
        status: AttendanceStatus,
        at: Millis,
    ) -> StoreResult<()> {
        let confirmed: Option<i64> = sqlx::query_scalar(
            "SELECT COUNT(*) FROM placement_attendance WHERE placement_id = $1 AND day = $2 \
             AND confirmed_at IS NOT NULL",
        )
        .bind(placement)
        .bind(day)
        .fetch_optional(self.c())
        .await
        .map_err(map_err)?;
        if confirmed.unwrap_or(0) > 0 {
            return Err(StoreError::Conflict { constraint: "attendance_confirmed".into() });
        }
        sqlx::query("DELETE FROM placement_attendance WHERE placement_id = $1 AND day = $2")
            .bind(placement)
            .bind(day)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO placement_attendance (placement_id, day, status, recorded_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(placement)
        .bind(day)
        .bind(status.as_str())
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn confirm_attendance(&mut self, placement: i64, day: &str, by: AccountId, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE placement_attendance SET confirmed_by = $3, confirmed_at = $4 WHERE placement_id = $1 AND day = $2",
        )
        .bind(placement)
        .bind(day)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "placement_attendance")
    }

    async fn list_attendance(&mut self, placement: i64) -> StoreResult<Vec<AttendanceRecord>> {
        let rows = self
            .rows_of(
                "SELECT placement_id, day, status, recorded_at, confirmed_by, confirmed_at FROM placement_attendance \
                 WHERE placement_id = $1 ORDER BY day DESC",
                placement,
            )
            .await?;
        collect(&rows, |r| {
            Ok(AttendanceRecord {
                placement_id: r.try_get("placement_id")?,
                day: r.try_get("day")?,
                status: code(r, "status", AttendanceStatus::parse)?,
                recorded_at: r.try_get("recorded_at")?,
                confirmed_by: r.try_get("confirmed_by")?,
                confirmed_at: r.try_get("confirmed_at")?,
            })
        })
    }

    async fn put_weekly_report(&mut self, placement: i64, week: &str, body: &str, at: Millis) -> StoreResult<()> {
        sqlx::query("DELETE FROM placement_weekly_reports WHERE placement_id = $1 AND week_start = $2")
            .bind(placement)
            .bind(week)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO placement_weekly_reports (placement_id, week_start, body, submitted_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(placement)
        .bind(week)
        .bind(body)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn comment_weekly_report(
        &mut self,
        placement: i64,
        week: &str,
        comment: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE placement_weekly_reports SET teacher_comment = $3, commented_by = $4, commented_at = $5 \
             WHERE placement_id = $1 AND week_start = $2",
        )
        .bind(placement)
        .bind(week)
        .bind(comment)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "placement_weekly_report")
    }

    async fn list_weekly_reports(&mut self, placement: i64) -> StoreResult<Vec<WeeklyReportRecord>> {
        let rows = self
            .rows_of(
                "SELECT placement_id, week_start, body, submitted_at, teacher_comment, commented_by, commented_at \
                 FROM placement_weekly_reports WHERE placement_id = $1 ORDER BY week_start DESC",
                placement,
            )
            .await?;
        collect(&rows, |r| {
            Ok(WeeklyReportRecord {
                placement_id: r.try_get("placement_id")?,
                week_start: r.try_get("week_start")?,
                body: r.try_get("body")?,
                submitted_at: r.try_get("submitted_at")?,
                teacher_comment: r.try_get("teacher_comment")?,
                commented_by: r.try_get("commented_by")?,
                commented_at: r.try_get("commented_at")?,
            })
        })
    }

    async fn create_signoff(
        &mut self,
        placement: i64,
        skill: &str,
        level: i64,
        on: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO placement_signoffs (placement_id, skill_code, level, signed_on, signed_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(placement)
        .bind(skill)
        .bind(level)
        .bind(on)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_signoffs(&mut self, placement: i64) -> StoreResult<Vec<SignoffRecord>> {
        let rows = self
            .rows_of(
                "SELECT id, placement_id, skill_code, level, signed_on, signed_by, created_at FROM placement_signoffs \
                 WHERE placement_id = $1 ORDER BY signed_on, id",
                placement,
            )
            .await?;
        collect(&rows, |r| {
            Ok(SignoffRecord {
                id: r.try_get("id")?,
                placement_id: r.try_get("placement_id")?,
                skill_code: r.try_get("skill_code")?,
                level: r.try_get("level")?,
                signed_on: r.try_get("signed_on")?,
                signed_by: r.try_get("signed_by")?,
                created_at: r.try_get("created_at")?,
            })
        })
    }

    async fn create_review(
        &mut self,
        placement: i64,
        name: &str,
        due: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO placement_reviews (placement_id, name, due_date, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(placement)
        .bind(name)
        .bind(due)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn sign_review(&mut self, review: i64, who: Reviewer, comment: Option<&str>, at: Millis) -> StoreResult<()> {
        let sql = match who {
            Reviewer::Student => {
                "UPDATE placement_reviews SET student_comment = $2, student_signed_at = $3 \
                 WHERE id = $1 AND student_signed_at IS NULL"
            }
            Reviewer::Teacher => {
                "UPDATE placement_reviews SET teacher_comment = $2, teacher_signed_at = $3 \
                 WHERE id = $1 AND teacher_signed_at IS NULL"
            }
            Reviewer::Master => {
                "UPDATE placement_reviews SET master_comment = $2, master_signed_at = $3 \
                 WHERE id = $1 AND master_signed_at IS NULL"
            }
        };
        let done = sqlx::query(sql).bind(review).bind(comment).bind(at).execute(self.c()).await.map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { constraint: "review_signed".into() });
        }
        Ok(())
    }

    async fn list_reviews(&mut self, placement: i64) -> StoreResult<Vec<ReviewRecord>> {
        let rows = self
            .rows_of(
                "SELECT id, placement_id, name, due_date, student_comment, student_signed_at, teacher_comment, \
                 teacher_signed_at, master_comment, master_signed_at, created_by, created_at FROM placement_reviews \
                 WHERE placement_id = $1 ORDER BY due_date, id",
                placement,
            )
            .await?;
        collect(&rows, |r| {
            Ok(ReviewRecord {
                id: r.try_get("id")?,
                placement_id: r.try_get("placement_id")?,
                name: r.try_get("name")?,
                due_date: r.try_get("due_date")?,
                student: signature(r, "student")?,
                teacher: signature(r, "teacher")?,
                master: signature(r, "master")?,
                created_by: r.try_get("created_by")?,
                created_at: r.try_get("created_at")?,
            })
        })
    }
}

//! Placements, their agreements, mentors and outcomes, and the record of the internship.

use async_trait::async_trait;
use xiaoqi_domain::placement::{AttendanceStatus, PlacementStatus, Reviewer};
use xiaoqi_store::{
    AccountId, AgreementFacts, AgreementSignatures, AttendanceRecord, LogRecord, Millis, NewPlacement, OrgId,
    PlacementFilter, PlacementOutcome, PlacementRecord, PlacementRepo, PlacementSettings, ReadScope, ReviewRecord,
    ReviewSignature, SignoffRecord, StoreError, StoreResult, TaskRecord, WeeklyReportRecord,
};

use crate::conn::{Filter, Row, SqlConn, args, row, to_json};

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

fn placement(r: &Row) -> StoreResult<PlacementRecord> {
    Ok(row! { r, PlacementRecord {
        id, round_id, college_org_id, college_name, student_id, student_name, place_id, enterprise_org_id,
        enterprise_name, status, place: r.json("place_json")?, teacher_id, teacher_name, master_id, master_name,
        created_at, updated_at,
        facts: AgreementFacts {
            birth_date, guardian_name, guardian_consent_date, insurer, insurance_policy_no, insurance_start,
            insurance_end,
        },
        signatures: AgreementSignatures {
            school_signed_by, school_signed_on, enterprise_signed_by, enterprise_signed_on, student_signed_on,
        },
        outcome: PlacementOutcome {
            report_text, report_submitted_at, report_grade, report_graded_by, evaluation_score, evaluation_comment,
            evaluated_by, composite_centi,
        },
    }})
}

fn signature(r: &Row, who: &str) -> StoreResult<ReviewSignature> {
    Ok(ReviewSignature { comment: r.get(&format!("{who}_comment"))?, signed_at: r.get(&format!("{who}_signed_at"))? })
}

#[async_trait]
impl PlacementRepo for SqlConn {
    async fn find_placement_settings(&mut self, college: OrgId) -> StoreResult<Option<PlacementSettings>> {
        let sql = "SELECT max_per_teacher, max_per_master, warn_after_days, weight_report, weight_evaluation, \
             weight_attendance FROM placement_settings WHERE college_org_id = $1";
        self.opt(sql, args![college], |r| {
            Ok(row! { r, PlacementSettings {
                max_per_teacher, max_per_master, warn_after_days, weight_report, weight_evaluation, weight_attendance,
            }})
        })
        .await
    }

    async fn put_placement_settings(
        &mut self,
        college: OrgId,
        s: &PlacementSettings,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        self.exec("DELETE FROM placement_settings WHERE college_org_id = $1", args![college]).await?;
        let sql = "INSERT INTO placement_settings (college_org_id, max_per_teacher, max_per_master, warn_after_days, \
             weight_report, weight_evaluation, weight_attendance, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let (t, m, w) = (s.max_per_teacher, s.max_per_master, s.warn_after_days);
        self.exec(sql, args![college, t, m, w, s.weight_report, s.weight_evaluation, s.weight_attendance, by, at])
            .await?;
        Ok(())
    }

    async fn create_placement(&mut self, p: &NewPlacement, at: Millis) -> StoreResult<i64> {
        let sql = "INSERT INTO placements (round_id, college_org_id, student_id, place_id, enterprise_org_id, status, \
             place_json, start_date, end_date, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'agreement_pending', $6, $7, $8, $9, $9) RETURNING id";
        let (place, start, end) = (to_json(&p.place)?, &p.place.start_date, &p.place.end_date);
        let args =
            args![p.round_id, p.college_org_id, p.student_id, p.place_id, p.enterprise_org_id, place, start, end, at];
        self.scalar(sql, args).await
    }

    async fn find_placement(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<PlacementRecord>> {
        let mut w = Filter::after(args![id]);
        w.scope(scope, &["p.college_org_id", "p.enterprise_org_id"], Some("p.student_id"));
        let sql = format!("SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM} WHERE p.id = $1 AND {}", w.and_sql());
        self.opt(&sql, w.args, placement).await
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
                w.push(sql, v);
            }
        }
        let sql = format!("SELECT {PLACEMENT_COLS} FROM {PLACEMENT_FROM}{} ORDER BY p.id", w.where_sql());
        self.all(&sql, w.args, placement).await
    }

    async fn save_placement(&mut self, p: &PlacementRecord, from: PlacementStatus, at: Millis) -> StoreResult<()> {
        let (f, s, o) = (&p.facts, &p.signatures, &p.outcome);
        let sql = "UPDATE placements SET status = $3, birth_date = $4, guardian_name = $5, guardian_consent_date = $6, \
             insurer = $7, insurance_policy_no = $8, insurance_start = $9, insurance_end = $10, \
             school_signed_by = $11, school_signed_on = $12, enterprise_signed_by = $13, enterprise_signed_on = $14, \
             student_signed_on = $15, teacher_id = $16, master_id = $17, report_text = $18, \
             report_submitted_at = $19, report_grade = $20, report_graded_by = $21, evaluation_score = $22, \
             evaluation_comment = $23, evaluated_by = $24, composite_centi = $25, updated_at = $26 \
             WHERE id = $1 AND status = $2";
        let args = args![
            p.id,
            from,
            p.status,
            &f.birth_date,
            &f.guardian_name,
            &f.guardian_consent_date,
            &f.insurer,
            &f.insurance_policy_no,
            &f.insurance_start,
            &f.insurance_end,
            s.school_signed_by,
            &s.school_signed_on,
            s.enterprise_signed_by,
            &s.enterprise_signed_on,
            &s.student_signed_on,
            p.teacher_id,
            p.master_id,
            &o.report_text,
            o.report_submitted_at,
            o.report_grade,
            o.report_graded_by,
            o.evaluation_score,
            &o.evaluation_comment,
            o.evaluated_by,
            o.composite_centi,
            at,
        ];
        if self.exec(sql, args).await? == 0 {
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
        self.scalar(sql, args![mentor, except]).await
    }

    async fn count_interns(
        &mut self,
        enterprise: OrgId,
        place: i64,
        start: &str,
        end: &str,
        except: i64,
    ) -> StoreResult<(i64, i64)> {
        let sql = "SELECT COUNT(*) AS at_enterprise, COALESCE(SUM(CASE WHEN place_id = $2 THEN 1 ELSE 0 END), 0) AS at_post \
             FROM placements WHERE enterprise_org_id = $1 AND status IN ('agreed', 'active') \
             AND start_date <= $4 AND end_date >= $3 AND id <> $5";
        self.one(sql, args![enterprise, place, start, end, except], |r| {
            Ok((r.get("at_enterprise")?, r.get("at_post")?))
        })
        .await
    }

    async fn create_task(
        &mut self,
        placement: i64,
        title: &str,
        skill: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO placement_tasks (placement_id, title, skill_code, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id";
        self.scalar(sql, args![placement, title, skill, by, at]).await
    }

    async fn list_tasks(&mut self, placement: i64) -> StoreResult<Vec<TaskRecord>> {
        let sql = "SELECT id, placement_id, title, skill_code, created_by, created_at FROM placement_tasks \
             WHERE placement_id = $1 ORDER BY id";
        self.all(sql, args![placement], |r| {
            Ok(row! { r, TaskRecord { id, placement_id, title, skill_code, created_by, created_at } })
        })
        .await
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
        let sql = "INSERT INTO placement_logs (placement_id, log_date, task_id, body, problem, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        self.scalar(sql, args![placement, date, task, body, problem, at]).await
    }

    async fn list_logs(&mut self, placement: i64) -> StoreResult<Vec<LogRecord>> {
        let sql = "SELECT id, placement_id, log_date, task_id, body, problem, created_at FROM placement_logs \
             WHERE placement_id = $1 ORDER BY log_date DESC, id DESC";
        self.all(sql, args![placement], |r| {
            Ok(row! { r, LogRecord { id, placement_id, log_date, task_id, body, problem, created_at } })
        })
        .await
    }

    async fn put_attendance(
        &mut self,
        placement: i64,
        day: &str,
        status: AttendanceStatus,
        at: Millis,
    ) -> StoreResult<()> {
        let sql = "SELECT COUNT(*) FROM placement_attendance WHERE placement_id = $1 AND day = $2 \
             AND confirmed_at IS NOT NULL";
        let confirmed: Option<i64> = self.opt_scalar(sql, args![placement, day]).await?;
        if confirmed.unwrap_or(0) > 0 {
            return Err(StoreError::Conflict { constraint: "attendance_confirmed".into() });
        }
        self.exec("DELETE FROM placement_attendance WHERE placement_id = $1 AND day = $2", args![placement, day])
            .await?;
        let sql = "INSERT INTO placement_attendance (placement_id, day, status, recorded_at) VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![placement, day, status, at]).await?;
        Ok(())
    }

    async fn confirm_attendance(&mut self, placement: i64, day: &str, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql =
            "UPDATE placement_attendance SET confirmed_by = $3, confirmed_at = $4 WHERE placement_id = $1 AND day = $2";
        self.exec_one(sql, args![placement, day, by, at], "placement_attendance").await
    }

    async fn list_attendance(&mut self, placement: i64) -> StoreResult<Vec<AttendanceRecord>> {
        let sql = "SELECT placement_id, day, status, recorded_at, confirmed_by, confirmed_at FROM placement_attendance \
             WHERE placement_id = $1 ORDER BY day DESC";
        self.all(sql, args![placement], |r| {
            Ok(row! { r, AttendanceRecord { placement_id, day, status, recorded_at, confirmed_by, confirmed_at } })
        })
        .await
    }

    async fn put_weekly_report(&mut self, placement: i64, week: &str, body: &str, at: Millis) -> StoreResult<()> {
        let sql = "DELETE FROM placement_weekly_reports WHERE placement_id = $1 AND week_start = $2";
        self.exec(sql, args![placement, week]).await?;
        let sql = "INSERT INTO placement_weekly_reports (placement_id, week_start, body, submitted_at) \
             VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![placement, week, body, at]).await?;
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
        let sql = "UPDATE placement_weekly_reports SET teacher_comment = $3, commented_by = $4, commented_at = $5 \
             WHERE placement_id = $1 AND week_start = $2";
        self.exec_one(sql, args![placement, week, comment, by, at], "placement_weekly_report").await
    }

    async fn list_weekly_reports(&mut self, placement: i64) -> StoreResult<Vec<WeeklyReportRecord>> {
        let sql = "SELECT placement_id, week_start, body, submitted_at, teacher_comment, commented_by, commented_at \
             FROM placement_weekly_reports WHERE placement_id = $1 ORDER BY week_start DESC";
        self.all(sql, args![placement], |r| {
            Ok(row! { r, WeeklyReportRecord {
                placement_id, week_start, body, submitted_at, teacher_comment, commented_by, commented_at,
            }})
        })
        .await
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
        let sql = "INSERT INTO placement_signoffs (placement_id, skill_code, level, signed_on, signed_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        self.scalar(sql, args![placement, skill, level, on, by, at]).await
    }

    async fn list_signoffs(&mut self, placement: i64) -> StoreResult<Vec<SignoffRecord>> {
        let sql = "SELECT id, placement_id, skill_code, level, signed_on, signed_by, created_at FROM placement_signoffs \
             WHERE placement_id = $1 ORDER BY signed_on, id";
        self.all(sql, args![placement], |r| {
            Ok(row! { r, SignoffRecord { id, placement_id, skill_code, level, signed_on, signed_by, created_at } })
        })
        .await
    }

    async fn create_review(
        &mut self,
        placement: i64,
        name: &str,
        due: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO placement_reviews (placement_id, name, due_date, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id";
        self.scalar(sql, args![placement, name, due, by, at]).await
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
        if self.exec(sql, args![review, comment, at]).await? == 0 {
            return Err(StoreError::Conflict { constraint: "review_signed".into() });
        }
        Ok(())
    }

    async fn list_reviews(&mut self, placement: i64) -> StoreResult<Vec<ReviewRecord>> {
        let sql = "SELECT id, placement_id, name, due_date, student_comment, student_signed_at, teacher_comment, \
             teacher_signed_at, master_comment, master_signed_at, created_by, created_at FROM placement_reviews \
             WHERE placement_id = $1 ORDER BY due_date, id";
        self.all(sql, args![placement], |r| {
            Ok(row! { r, ReviewRecord {
                id, placement_id, name, due_date, created_by, created_at,
                student: signature(r, "student")?, teacher: signature(r, "teacher")?, master: signature(r, "master")?,
            }})
        })
        .await
    }
}

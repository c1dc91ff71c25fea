//! Graduates, their destination registers and the occupations majors serve.

use async_trait::async_trait;
use xiaoqi_domain::destination::DestinationStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, DestinationFilter, DestinationRecord, DestinationRepo, GraduateRecord, Millis, NewDestination,
    NewGraduate, OrgId, ReadScope, StoreResult, StudentRecord,
};

use crate::conn::{Filter, Row, SqlConn, args, row};

const GRADUATE_COLS: &str = "g.id, g.college_org_id, g.account_id, a.display_name AS student_name, \
     s.student_no, g.cohort, g.major_id, m.name AS major_name, g.created_at";
const GRADUATE_FROM: &str = "graduates g JOIN accounts a ON a.id = g.account_id \
     JOIN students s ON s.account_id = g.account_id LEFT JOIN majors m ON m.id = g.major_id";

fn graduate(r: &Row) -> StoreResult<GraduateRecord> {
    Ok(row! { r, GraduateRecord {
        id, college_org_id, account_id, student_name, student_no, cohort, major_id, major_name, created_at,
    }})
}

const DEST_COLS: &str = "d.id, d.graduate_id, g.college_org_id, g.account_id, a.display_name AS student_name, \
     s.student_no, g.cohort, g.major_id, d.kind, d.destination_date, d.employer_org_id, \
     COALESCE(e.name, d.employer_name) AS employer_name, e.size_class AS employer_size_class, \
     CASE WHEN e.membership = 'member' THEN 1 ELSE 0 END AS employer_is_member, d.occupation_code, d.note, \
     d.status, d.entered_by, d.entered_at, d.checked_by, d.checked_at, d.confirmed_by, d.confirmed_at";
const DEST_FROM: &str = "destinations d JOIN graduates g ON g.id = d.graduate_id \
     JOIN accounts a ON a.id = g.account_id JOIN students s ON s.account_id = g.account_id \
     LEFT JOIN organizations e ON e.id = d.employer_org_id";

fn destination(r: &Row) -> StoreResult<DestinationRecord> {
    Ok(row! { r, DestinationRecord {
        id, graduate_id, college_org_id, account_id, student_name, student_no, cohort, major_id, kind,
        destination_date, employer_org_id, employer_name, employer_size_class, employer_is_member, occupation_code,
        note, status, entered_by, entered_at, checked_by, checked_at, confirmed_by, confirmed_at,
    }})
}

#[async_trait]
impl DestinationRepo for SqlConn {
    async fn find_student_of(&mut self, account: AccountId) -> StoreResult<Option<StudentRecord>> {
        let sql = "SELECT account_id, org_id, student_no, class_id FROM students WHERE account_id = $1";
        self.opt(sql, args![account], |r| Ok(row! { r, StudentRecord { account_id, org_id, student_no, class_id } }))
            .await
    }

    async fn create_graduate(&mut self, g: &NewGraduate) -> StoreResult<i64> {
        // Without a major given, the graduate's major is their class's, else their profile's.
        let sql = "INSERT INTO graduates (college_org_id, account_id, cohort, major_id, created_at) \
             VALUES ($1, $2, $3, COALESCE($4, \
               (SELECT c.major_id FROM students s JOIN classes c ON c.id = s.class_id WHERE s.account_id = $2), \
               (SELECT p.major_id FROM student_profiles p WHERE p.account_id = $2)), $5) RETURNING id";
        self.scalar(sql, args![g.college_org_id, g.account_id, g.cohort, g.major_id, g.at]).await
    }

    async fn find_graduate_of(&mut self, account: AccountId) -> StoreResult<Option<GraduateRecord>> {
        let sql = format!("SELECT {GRADUATE_COLS} FROM {GRADUATE_FROM} WHERE g.account_id = $1");
        self.opt(&sql, args![account], graduate).await
    }

    async fn list_graduates(&mut self, college: OrgId, cohort: i64) -> StoreResult<Vec<GraduateRecord>> {
        let sql = format!(
            "SELECT {GRADUATE_COLS} FROM {GRADUATE_FROM} WHERE g.college_org_id = $1 AND g.cohort = $2 ORDER BY g.id"
        );
        self.all(&sql, args![college, cohort], graduate).await
    }

    async fn create_destination(&mut self, d: &NewDestination) -> StoreResult<i64> {
        let checked = d.status == DestinationStatus::Checked;
        let sql = "INSERT INTO destinations (graduate_id, kind, destination_date, employer_org_id, employer_name, \
             occupation_code, note, status, entered_by, entered_at, checked_by, checked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
        let args = args![
            d.graduate_id,
            d.kind,
            &d.destination_date,
            d.employer_org_id,
            &d.employer_name,
            &d.occupation_code,
            &d.note,
            d.status,
            d.by,
            d.at,
            checked.then_some(d.by),
            checked.then_some(d.at),
        ];
        self.scalar(sql, args).await
    }

    async fn find_destination(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<DestinationRecord>> {
        let mut w = Filter::default();
        w.push("d.id = {}", id);
        w.scope(scope, &["g.college_org_id", "d.employer_org_id"], Some("g.account_id"));
        let sql = format!("SELECT {DEST_COLS} FROM {DEST_FROM}{}", w.where_sql());
        self.opt(&sql, w.args, destination).await
    }

    async fn list_destinations(
        &mut self,
        scope: &ReadScope,
        f: &DestinationFilter,
        page: PageRequest,
    ) -> StoreResult<Page<DestinationRecord>> {
        let mut w = Filter::default();
        w.scope(scope, &["g.college_org_id", "d.employer_org_id"], Some("g.account_id"));
        if let Some(c) = f.college {
            w.push("g.college_org_id = {}", c);
        }
        if let Some(c) = f.cohort {
            w.push("g.cohort = {}", c);
        }
        if let Some(a) = f.account {
            w.push("g.account_id = {}", a);
        }
        if let Some(e) = f.employer {
            w.push("d.employer_org_id = {}", e);
        }
        if let Some(s) = f.status {
            w.push("d.status = {}", s);
        }
        self.page(DEST_FROM, DEST_COLS, &w, "d.destination_date DESC, d.id DESC", page, destination).await
    }

    async fn list_cohort_destinations(&mut self, college: OrgId, cohort: i64) -> StoreResult<Vec<DestinationRecord>> {
        let sql = format!(
            "SELECT {DEST_COLS} FROM {DEST_FROM} WHERE g.college_org_id = $1 AND g.cohort = $2 ORDER BY d.graduate_id, d.id"
        );
        self.all(&sql, args![college, cohort], destination).await
    }

    async fn check_destination(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE destinations SET status = 'checked', checked_by = $2, checked_at = $3 \
             WHERE id = $1 AND status = 'entered'";
        self.exec_one(sql, args![id, by, at], "destination").await
    }

    async fn confirm_destination(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE destinations SET confirmed_by = $2, confirmed_at = $3 WHERE id = $1 AND confirmed_at IS NULL";
        self.exec_one(sql, args![id, by, at], "destination").await
    }

    async fn set_major_occupations(&mut self, major: i64, codes: &[String]) -> StoreResult<()> {
        self.exec("DELETE FROM major_occupations WHERE major_id = $1", args![major]).await?;
        for code in codes {
            let sql = "INSERT INTO major_occupations (major_id, occupation_code) VALUES ($1, $2)";
            self.exec(sql, args![major, code]).await?;
        }
        Ok(())
    }

    async fn list_major_occupations(&mut self, major: i64) -> StoreResult<Vec<String>> {
        let order = self.text_order("occupation_code");
        let sql = format!("SELECT occupation_code FROM major_occupations WHERE major_id = $1 ORDER BY {order}");
        self.scalars(&sql, args![major]).await
    }
}

//! Practice places, allocation rounds, ranked applications, rankings and allocations.

use async_trait::async_trait;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, AllocationRecord, Millis, OrgId, PlaceFields, PlaceFilter, PlaceRecord, PracticeApplicationRecord,
    PracticeRepo, RankingRecord, RoundRecord, StoreError, StoreResult,
};

use crate::conn::{Arg, Filter, Row, SqlConn, args, row, to_json};

const PLACE_COLS: &str = "p.id, p.org_id, o.name AS org_name, p.kind, p.title, p.occupation_code, p.capacity, \
     p.effective_capacity, p.start_date, p.end_date, p.region_code, p.monthly_pay_fen, p.terms_json, p.skills_json, \
     p.created_by, \
     p.created_at, p.updated_at";
const PLACE_FROM: &str = "practice_places p JOIN organizations o ON o.id = p.org_id";

fn place(r: &Row) -> StoreResult<PlaceRecord> {
    Ok(row! { r, PlaceRecord {
        id, org_id, org_name, created_by, created_at, updated_at,
        fields: PlaceFields {
            kind, title, occupation_code, capacity, effective_capacity, start_date, end_date, region_code,
            monthly_pay_fen, terms: r.json("terms_json")?, skills: r.json("skills_json")?,
        },
    }})
}

/// The fields of a place from `kind` to `skills`, in the order of both statements.
fn place_args(f: &PlaceFields) -> StoreResult<Vec<Arg>> {
    Ok(args![
        f.kind,
        &f.title,
        &f.occupation_code,
        f.capacity,
        f.effective_capacity,
        &f.start_date,
        &f.end_date,
        &f.region_code,
        f.monthly_pay_fen,
        to_json(&f.terms)?,
        to_json(&f.skills)?,
    ])
}

const ROUND_COLS: &str = "r.id, r.college_org_id, o.name AS college_name, r.name, r.place_ids_json, r.status, \
     r.inputs_json, r.created_by, r.created_at, r.allocated_by, r.allocated_at, r.updated_at";
const ROUND_FROM: &str = "practice_rounds r JOIN organizations o ON o.id = r.college_org_id";

fn round(r: &Row) -> StoreResult<RoundRecord> {
    Ok(row! { r, RoundRecord {
        id, college_org_id, college_name, name, place_ids: r.json("place_ids_json")?, status, inputs_json, created_by,
        created_at, allocated_by, allocated_at, updated_at,
    }})
}

#[async_trait]
impl PracticeRepo for SqlConn {
    async fn create_place(&mut self, org: OrgId, f: &PlaceFields, by: AccountId, at: Millis) -> StoreResult<i64> {
        let sql = "INSERT INTO practice_places (org_id, kind, title, occupation_code, capacity, effective_capacity, \
             start_date, end_date, region_code, monthly_pay_fen, terms_json, skills_json, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id";
        let mut args = args![org];
        args.extend(place_args(f)?);
        args.extend(args![by, at]);
        self.scalar(sql, args).await
    }

    async fn update_place(&mut self, id: i64, f: &PlaceFields, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE practice_places SET kind = $2, title = $3, occupation_code = $4, capacity = $5, \
             effective_capacity = $6, start_date = $7, end_date = $8, region_code = $9, monthly_pay_fen = $10, \
             terms_json = $11, skills_json = $12, updated_at = $13 WHERE id = $1";
        let mut args = args![id];
        args.extend(place_args(f)?);
        args.extend(args![at]);
        self.exec_one(sql, args, "practice_place").await
    }

    async fn find_place(&mut self, id: i64) -> StoreResult<Option<PlaceRecord>> {
        self.opt(&format!("SELECT {PLACE_COLS} FROM {PLACE_FROM} WHERE p.id = $1"), args![id], place).await
    }

    async fn list_places(&mut self, f: &PlaceFilter, page: PageRequest) -> StoreResult<Page<PlaceRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.org {
            w.push("p.org_id = {}", org);
        }
        if f.member_orgs_only {
            w.push("o.membership = {}", MembershipStatus::Member);
        }
        self.page(PLACE_FROM, PLACE_COLS, &w, "p.created_at DESC, p.id DESC", page, place).await
    }

    async fn create_round(
        &mut self,
        college: OrgId,
        name: &str,
        place_ids: &[i64],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO practice_rounds (college_org_id, name, place_ids_json, status, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, 'open', $4, $5, $5) RETURNING id";
        self.scalar(sql, args![college, name, to_json(&place_ids)?, by, at]).await
    }

    async fn find_round(&mut self, id: i64) -> StoreResult<Option<RoundRecord>> {
        self.opt(&format!("SELECT {ROUND_COLS} FROM {ROUND_FROM} WHERE r.id = $1"), args![id], round).await
    }

    async fn list_rounds(&mut self, college: OrgId, page: PageRequest) -> StoreResult<Page<RoundRecord>> {
        let mut w = Filter::default();
        w.push("r.college_org_id = {}", college);
        self.page(ROUND_FROM, ROUND_COLS, &w, "r.created_at DESC, r.id DESC", page, round).await
    }

    async fn put_practice_application(
        &mut self,
        round: i64,
        student: AccountId,
        place_ids: &[i64],
        at: Millis,
    ) -> StoreResult<()> {
        self.exec("DELETE FROM practice_applications WHERE round_id = $1 AND student_id = $2", args![round, student])
            .await?;
        let sql = "INSERT INTO practice_applications (round_id, student_id, place_ids_json, submitted_at) \
             VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![round, student, to_json(&place_ids)?, at]).await?;
        Ok(())
    }

    async fn list_practice_applications(&mut self, round: i64) -> StoreResult<Vec<PracticeApplicationRecord>> {
        let sql = "SELECT round_id, student_id, place_ids_json, submitted_at FROM practice_applications \
             WHERE round_id = $1 ORDER BY submitted_at, student_id";
        self.all(sql, args![round], |r| {
            Ok(row! { r, PracticeApplicationRecord {
                round_id, student_id, place_ids: r.json("place_ids_json")?, submitted_at,
            }})
        })
        .await
    }

    async fn put_ranking(
        &mut self,
        round: i64,
        place: i64,
        student_ids: &[AccountId],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        self.exec("DELETE FROM practice_rankings WHERE round_id = $1 AND place_id = $2", args![round, place]).await?;
        let sql = "INSERT INTO practice_rankings (round_id, place_id, student_ids_json, ranked_by, ranked_at) \
             VALUES ($1, $2, $3, $4, $5)";
        self.exec(sql, args![round, place, to_json(&student_ids)?, by, at]).await?;
        Ok(())
    }

    async fn list_rankings(&mut self, round: i64) -> StoreResult<Vec<RankingRecord>> {
        let sql = "SELECT round_id, place_id, student_ids_json, ranked_by, ranked_at FROM practice_rankings \
             WHERE round_id = $1 ORDER BY place_id";
        self.all(sql, args![round], |r| {
            Ok(row! { r, RankingRecord {
                round_id, place_id, student_ids: r.json("student_ids_json")?, ranked_by, ranked_at,
            }})
        })
        .await
    }

    async fn save_allocation(
        &mut self,
        round: i64,
        inputs_json: &str,
        rows: &[AllocationRecord],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let sql = "UPDATE practice_rounds SET status = 'allocated', inputs_json = $2, allocated_by = $3, allocated_at = $4, \
             updated_at = $4 WHERE id = $1 AND status = 'open'";
        if self.exec(sql, args![round, inputs_json, by, at]).await? == 0 {
            return Err(StoreError::Conflict { constraint: "practice_round_not_open".into() });
        }
        for row in rows {
            let sql = "INSERT INTO practice_allocations (round_id, student_id, place_id, certificate_json) \
                 VALUES ($1, $2, $3, $4)";
            self.exec(sql, args![round, row.student_id, row.place_id, &row.certificate_json]).await?;
        }
        Ok(())
    }

    async fn list_allocations(&mut self, round: i64) -> StoreResult<Vec<AllocationRecord>> {
        let sql = "SELECT round_id, student_id, place_id, certificate_json FROM practice_allocations \
             WHERE round_id = $1 ORDER BY student_id";
        self.all(sql, args![round], |r| {
            Ok(row! { r, AllocationRecord { round_id, student_id, place_id, certificate_json } })
        })
        .await
    }
}

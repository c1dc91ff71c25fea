//! Practice places, allocation rounds, ranked applications, rankings and allocations.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::internship::InternshipKind;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, AllocationRecord, Millis, OrgId, PlaceFields, PlaceFilter, PlaceRecord, PracticeApplicationRecord,
    PracticeRepo, RankingRecord, RoundRecord, StoreError, StoreResult,
};

use crate::conn::{Arg, Filter, SqlConn, code, expect_one, fetch_page, json_col, map_err, to_json};

const PLACE_COLS: &str = "p.id, p.org_id, o.name AS org_name, p.kind, p.title, p.occupation_code, p.capacity, \
     p.effective_capacity, p.start_date, p.end_date, p.region_code, p.monthly_pay_fen, p.terms_json, p.skills_json, \
     p.created_by, \
     p.created_at, p.updated_at";
const PLACE_FROM: &str = "practice_places p JOIN organizations o ON o.id = p.org_id";

fn row_to_place(r: &AnyRow) -> Result<PlaceRecord, sqlx::Error> {
    Ok(PlaceRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        fields: PlaceFields {
            kind: code(r, "kind", InternshipKind::parse)?,
            title: r.try_get("title")?,
            occupation_code: r.try_get("occupation_code")?,
            capacity: r.try_get("capacity")?,
            effective_capacity: r.try_get("effective_capacity")?,
            start_date: r.try_get("start_date")?,
            end_date: r.try_get("end_date")?,
            region_code: r.try_get("region_code")?,
            monthly_pay_fen: r.try_get("monthly_pay_fen")?,
            terms: json_col(r, "terms_json")?,
            skills: json_col(r, "skills_json")?,
        },
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const ROUND_COLS: &str = "r.id, r.college_org_id, o.name AS college_name, r.name, r.place_ids_json, r.status, \
     r.inputs_json, r.created_by, r.created_at, r.allocated_by, r.allocated_at, r.updated_at";

fn row_to_round(r: &AnyRow) -> Result<RoundRecord, sqlx::Error> {
    Ok(RoundRecord {
        id: r.try_get("id")?,
        college_org_id: r.try_get("college_org_id")?,
        college_name: r.try_get("college_name")?,
        name: r.try_get("name")?,
        place_ids: json_col(r, "place_ids_json")?,
        status: r.try_get("status")?,
        inputs_json: r.try_get("inputs_json")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        allocated_by: r.try_get("allocated_by")?,
        allocated_at: r.try_get("allocated_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

#[async_trait]
impl PracticeRepo for SqlConn {
    async fn create_place(&mut self, org: OrgId, f: &PlaceFields, by: AccountId, at: Millis) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO practice_places (org_id, kind, title, occupation_code, capacity, effective_capacity, \
             start_date, end_date, region_code, monthly_pay_fen, terms_json, skills_json, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(org)
        .bind(f.kind.as_str())
        .bind(&f.title)
        .bind(&f.occupation_code)
        .bind(f.capacity)
        .bind(f.effective_capacity)
        .bind(&f.start_date)
        .bind(&f.end_date)
        .bind(&f.region_code)
        .bind(f.monthly_pay_fen)
        .bind(to_json(&f.terms)?)
        .bind(to_json(&f.skills)?)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn update_place(&mut self, id: i64, f: &PlaceFields, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE practice_places SET kind = $2, title = $3, occupation_code = $4, capacity = $5, \
             effective_capacity = $6, start_date = $7, end_date = $8, region_code = $9, monthly_pay_fen = $10, \
             terms_json = $11, skills_json = $12, updated_at = $13 WHERE id = $1",
        )
        .bind(id)
        .bind(f.kind.as_str())
        .bind(&f.title)
        .bind(&f.occupation_code)
        .bind(f.capacity)
        .bind(f.effective_capacity)
        .bind(&f.start_date)
        .bind(&f.end_date)
        .bind(&f.region_code)
        .bind(f.monthly_pay_fen)
        .bind(to_json(&f.terms)?)
        .bind(to_json(&f.skills)?)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "practice_place")
    }

    async fn find_place(&mut self, id: i64) -> StoreResult<Option<PlaceRecord>> {
        let sql = format!("SELECT {PLACE_COLS} FROM {PLACE_FROM} WHERE p.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_place).transpose().map_err(map_err)
    }

    async fn list_places(&mut self, f: &PlaceFilter, page: PageRequest) -> StoreResult<Page<PlaceRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.org {
            w.push("p.org_id = {}", Arg::Int(org));
        }
        if f.member_orgs_only {
            w.push("o.membership = {}", Arg::Text(MembershipStatus::Member.as_str().into()));
        }
        fetch_page(self.c(), PLACE_FROM, PLACE_COLS, &w, "p.created_at DESC, p.id DESC", page, row_to_place).await
    }

    async fn create_round(
        &mut self,
        college: OrgId,
        name: &str,
        place_ids: &[i64],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO practice_rounds (college_org_id, name, place_ids_json, status, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, 'open', $4, $5, $5) RETURNING id",
        )
        .bind(college)
        .bind(name)
        .bind(to_json(&place_ids)?)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_round(&mut self, id: i64) -> StoreResult<Option<RoundRecord>> {
        let sql = format!(
            "SELECT {ROUND_COLS} FROM practice_rounds r JOIN organizations o ON o.id = r.college_org_id WHERE r.id = $1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_round).transpose().map_err(map_err)
    }

    async fn list_rounds(&mut self, college: OrgId, page: PageRequest) -> StoreResult<Page<RoundRecord>> {
        let mut w = Filter::default();
        w.push("r.college_org_id = {}", Arg::Int(college));
        let from = "practice_rounds r JOIN organizations o ON o.id = r.college_org_id";
        fetch_page(self.c(), from, ROUND_COLS, &w, "r.created_at DESC, r.id DESC", page, row_to_round).await
    }

    async fn put_practice_application(
        &mut self,
        round: i64,
        student: AccountId,
        place_ids: &[i64],
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM practice_applications WHERE round_id = $1 AND student_id = $2")
            .bind(round)
            .bind(student)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO practice_applications (round_id, student_id, place_ids_json, submitted_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(round)
        .bind(student)
        .bind(to_json(&place_ids)?)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_practice_applications(&mut self, round: i64) -> StoreResult<Vec<PracticeApplicationRecord>> {
        let rows = sqlx::query(
            "SELECT round_id, student_id, place_ids_json, submitted_at FROM practice_applications \
             WHERE round_id = $1 ORDER BY submitted_at, student_id",
        )
        .bind(round)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(PracticeApplicationRecord {
                    round_id: r.try_get("round_id")?,
                    student_id: r.try_get("student_id")?,
                    place_ids: json_col(r, "place_ids_json")?,
                    submitted_at: r.try_get("submitted_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_err)
    }

    async fn put_ranking(
        &mut self,
        round: i64,
        place: i64,
        student_ids: &[AccountId],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query("DELETE FROM practice_rankings WHERE round_id = $1 AND place_id = $2")
            .bind(round)
            .bind(place)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO practice_rankings (round_id, place_id, student_ids_json, ranked_by, ranked_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(round)
        .bind(place)
        .bind(to_json(&student_ids)?)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_rankings(&mut self, round: i64) -> StoreResult<Vec<RankingRecord>> {
        let rows = sqlx::query(
            "SELECT round_id, place_id, student_ids_json, ranked_by, ranked_at FROM practice_rankings \
             WHERE round_id = $1 ORDER BY place_id",
        )
        .bind(round)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(RankingRecord {
                    round_id: r.try_get("round_id")?,
                    place_id: r.try_get("place_id")?,
                    student_ids: json_col(r, "student_ids_json")?,
                    ranked_by: r.try_get("ranked_by")?,
                    ranked_at: r.try_get("ranked_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_err)
    }

    async fn save_allocation(
        &mut self,
        round: i64,
        inputs_json: &str,
        rows: &[AllocationRecord],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE practice_rounds SET status = 'allocated', inputs_json = $2, allocated_by = $3, allocated_at = $4, \
             updated_at = $4 WHERE id = $1 AND status = 'open'",
        )
        .bind(round)
        .bind(inputs_json)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { constraint: "practice_round_not_open".into() });
        }
        for row in rows {
            sqlx::query(
                "INSERT INTO practice_allocations (round_id, student_id, place_id, certificate_json) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(round)
            .bind(row.student_id)
            .bind(row.place_id)
            .bind(&row.certificate_json)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn list_allocations(&mut self, round: i64) -> StoreResult<Vec<AllocationRecord>> {
        let rows = sqlx::query(
            "SELECT round_id, student_id, place_id, certificate_json FROM practice_allocations \
             WHERE round_id = $1 ORDER BY student_id",
        )
        .bind(round)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(AllocationRecord {
                    round_id: r.try_get("round_id")?,
                    student_id: r.try_get("student_id")?,
                    place_id: r.try_get("place_id")?,
                    certificate_json: r.try_get("certificate_json")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_err)
    }
}

//! Talent demand and supply: demands, majors' teaching, student profiles and consents.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus, Education};
use xiaoqi_store::{
    AccountId, ConsentRecord, DemandContent, DemandFilter, DemandRecord, MajorRecord, MajorSupply, Millis, OrgId,
    ProfileContent, StoreError, StoreResult, StudentProfileRecord, TalentRepo,
};

use crate::conn::{
    Arg, Filter, SqlConn, bind_all, code, expect_one, fetch_page, json_col, like_prefix, map_err, to_json,
};

const DEMAND_FROM: &str = "demands d JOIN organizations o ON o.id = d.org_id";
const DEMAND_COLS: &str = "d.id, d.org_id, o.name AS org_name, d.title, d.occupation_code, d.roles_json, d.headcount, \
     d.region_code, d.pay_min_fen, d.pay_max_fen, d.start_date, d.valid_until, d.education, d.description, d.status, \
     d.published_at, d.created_by, d.created_at, d.updated_at";

fn row_to_demand(r: &AnyRow) -> Result<DemandRecord, sqlx::Error> {
    Ok(DemandRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        content: DemandContent {
            title: r.try_get("title")?,
            occupation_code: r.try_get("occupation_code")?,
            roles: json_col(r, "roles_json")?,
            headcount: r.try_get("headcount")?,
            region_code: r.try_get("region_code")?,
            pay_min_fen: r.try_get("pay_min_fen")?,
            pay_max_fen: r.try_get("pay_max_fen")?,
            start_date: r.try_get("start_date")?,
            valid_until: r.try_get("valid_until")?,
            education: code(r, "education", Education::parse)?,
            description: r.try_get("description")?,
        },
        status: code(r, "status", DemandStatus::parse)?,
        published_at: r.try_get("published_at")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The columns of a major, supply included; shared with the college module.
pub(crate) const MAJOR_COLS: &str =
    "id, org_id, department_id, code, name, skills_json, certificates_json, yearly_graduates, description";

pub(crate) fn row_to_major(r: &AnyRow) -> Result<MajorRecord, sqlx::Error> {
    Ok(MajorRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        department_id: r.try_get("department_id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        supply: MajorSupply {
            skills: json_col(r, "skills_json")?,
            certificates: json_col(r, "certificates_json")?,
            yearly_graduates: r.try_get("yearly_graduates")?,
            description: r.try_get("description")?,
        },
    })
}

const PROFILE_SELECT: &str = "SELECT p.account_id, p.org_id, o.name AS org_name, a.display_name, m.name AS major_name, \
     p.major_id, p.skills_json, p.certificates_json, p.grade_avg, p.graduation_year, p.region_code, \
     p.preferred_regions_json, p.preferred_occupations_json, p.intro, p.updated_at \
     FROM student_profiles p JOIN organizations o ON o.id = p.org_id JOIN accounts a ON a.id = p.account_id \
     LEFT JOIN majors m ON m.id = p.major_id";

fn row_to_profile(r: &AnyRow) -> Result<StudentProfileRecord, sqlx::Error> {
    Ok(StudentProfileRecord {
        account_id: r.try_get("account_id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        display_name: r.try_get("display_name")?,
        major_name: r.try_get("major_name")?,
        content: ProfileContent {
            major_id: r.try_get("major_id")?,
            skills: json_col(r, "skills_json")?,
            certificates: json_col(r, "certificates_json")?,
            grade_avg: r.try_get("grade_avg")?,
            graduation_year: r.try_get("graduation_year")?,
            region_code: r.try_get("region_code")?,
            preferred_regions: json_col(r, "preferred_regions_json")?,
            preferred_occupations: json_col(r, "preferred_occupations_json")?,
            intro: r.try_get("intro")?,
        },
        updated_at: r.try_get("updated_at")?,
    })
}

/// The content columns of a demand, in the order of both statements (`$2`–`$12`).
fn content_args(c: &DemandContent) -> StoreResult<Vec<Arg>> {
    let text = |v: &Option<String>| v.clone().map_or(Arg::Null, Arg::Text);
    let int = |v: Option<i64>| v.map_or(Arg::NullInt, Arg::Int);
    Ok(vec![
        Arg::Text(c.title.clone()),
        text(&c.occupation_code),
        Arg::Text(to_json(&c.roles)?),
        Arg::Int(c.headcount),
        text(&c.region_code),
        int(c.pay_min_fen),
        int(c.pay_max_fen),
        int(c.start_date),
        Arg::Int(c.valid_until),
        Arg::Text(c.education.as_str().to_string()),
        Arg::Text(c.description.clone()),
    ])
}

/// A live consent of the profile's student to `$1` (alliance-wide or by name).
const CONSENTED: &str = "EXISTS (SELECT 1 FROM profile_consents c WHERE c.account_id = p.account_id \
     AND c.revoked_at IS NULL AND (c.grantee_org_id = $1 OR (c.scope = 'alliance' AND EXISTS \
     (SELECT 1 FROM organizations v WHERE v.id = $1 AND v.membership = 'member'))))";

#[async_trait]
impl TalentRepo for SqlConn {
    async fn create_demand(&mut self, org: OrgId, c: &DemandContent, by: AccountId, at: Millis) -> StoreResult<i64> {
        let mut args = vec![Arg::Int(org)];
        args.extend(content_args(c)?);
        args.extend([Arg::Int(by), Arg::Int(at)]);
        let q = sqlx::query(
            "INSERT INTO demands (org_id, title, occupation_code, roles_json, headcount, region_code, pay_min_fen, \
             pay_max_fen, start_date, valid_until, education, description, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $14, $14) RETURNING id",
        );
        let row = bind_all(q, &args).fetch_one(self.c()).await.map_err(map_err)?;
        row.try_get("id").map_err(map_err)
    }

    async fn update_demand(&mut self, id: i64, c: &DemandContent, at: Millis) -> StoreResult<()> {
        let mut args = vec![Arg::Int(id)];
        args.extend(content_args(c)?);
        args.push(Arg::Int(at));
        let q = sqlx::query(
            "UPDATE demands SET title = $2, occupation_code = $3, roles_json = $4, headcount = $5, region_code = $6, \
             pay_min_fen = $7, pay_max_fen = $8, start_date = $9, valid_until = $10, education = $11, \
             description = $12, updated_at = $13 WHERE id = $1",
        );
        let done = bind_all(q, &args).execute(self.c()).await.map_err(map_err)?;
        expect_one(done, "demand")
    }

    async fn set_demand_status(&mut self, id: i64, status: DemandStatus, at: Millis) -> StoreResult<()> {
        if status == DemandStatus::Expired {
            return Err(StoreError::Backend("expired is derived, never stored".into()));
        }
        let done = sqlx::query(
            "UPDATE demands SET status = $2, updated_at = $3, \
             published_at = CASE WHEN $2 = 'published' AND published_at IS NULL THEN $3 ELSE published_at END \
             WHERE id = $1",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "demand")
    }

    async fn find_demand(&mut self, id: i64) -> StoreResult<Option<DemandRecord>> {
        let sql = format!("SELECT {DEMAND_COLS} FROM {DEMAND_FROM} WHERE d.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_demand).transpose().map_err(map_err)
    }

    async fn list_demands(&mut self, f: &DemandFilter, page: PageRequest) -> StoreResult<Page<DemandRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.org {
            w.push("d.org_id = {}", Arg::Int(org));
        }
        if !f.statuses.is_empty() {
            // The codes come from the enum, never from the caller.
            let list: Vec<String> = f.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            w.push_raw(&format!("d.status IN ({})", list.join(", ")));
        }
        if let Some(day) = f.open_on {
            w.push("d.valid_until >= {}", Arg::Int(day));
        }
        if let Some(day) = f.lapsed_before {
            w.push("d.valid_until < {}", Arg::Int(day));
        }
        if let Some(p) = &f.occupation_prefix {
            w.push("d.occupation_code LIKE {} ESCAPE '\\'", Arg::Text(like_prefix(p)));
        }
        if let Some(p) = &f.region_prefix {
            w.push("d.region_code LIKE {} ESCAPE '\\'", Arg::Text(like_prefix(p)));
        }
        if f.members_only {
            w.push_raw("o.membership = 'member'");
        }
        fetch_page(self.c(), DEMAND_FROM, DEMAND_COLS, &w, "d.id DESC", page, row_to_demand).await
    }

    async fn find_major(&mut self, id: i64) -> StoreResult<Option<MajorRecord>> {
        let sql = format!("SELECT {MAJOR_COLS} FROM majors WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_major).transpose().map_err(map_err)
    }

    async fn update_major_supply(&mut self, id: i64, s: &MajorSupply) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE majors SET skills_json = $2, certificates_json = $3, yearly_graduates = $4, description = $5 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(to_json(&s.skills)?)
        .bind(to_json(&s.certificates)?)
        .bind(s.yearly_graduates)
        .bind(&s.description)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "major")
    }

    async fn list_member_majors(&mut self) -> StoreResult<Vec<MajorRecord>> {
        let cols: Vec<String> = MAJOR_COLS.split(", ").map(|c| format!("m.{c}")).collect();
        let sql = format!(
            "SELECT {} FROM majors m JOIN organizations o ON o.id = m.org_id \
             WHERE o.kind = 'college' AND o.membership = 'member' ORDER BY m.id",
            cols.join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(row_to_major).collect::<Result<_, _>>().map_err(map_err)
    }

    async fn upsert_student_profile(
        &mut self,
        account: AccountId,
        org: OrgId,
        c: &ProfileContent,
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO student_profiles (account_id, org_id, major_id, skills_json, certificates_json, grade_avg, \
             graduation_year, region_code, preferred_regions_json, preferred_occupations_json, intro, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (account_id) DO UPDATE SET org_id = excluded.org_id, major_id = excluded.major_id, \
             skills_json = excluded.skills_json, certificates_json = excluded.certificates_json, \
             grade_avg = excluded.grade_avg, graduation_year = excluded.graduation_year, \
             region_code = excluded.region_code, preferred_regions_json = excluded.preferred_regions_json, \
             preferred_occupations_json = excluded.preferred_occupations_json, intro = excluded.intro, \
             updated_at = excluded.updated_at",
        )
        .bind(account)
        .bind(org)
        .bind(c.major_id)
        .bind(to_json(&c.skills)?)
        .bind(to_json(&c.certificates)?)
        .bind(c.grade_avg)
        .bind(c.graduation_year)
        .bind(&c.region_code)
        .bind(to_json(&c.preferred_regions)?)
        .bind(to_json(&c.preferred_occupations)?)
        .bind(&c.intro)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn find_student_profile(&mut self, account: AccountId) -> StoreResult<Option<StudentProfileRecord>> {
        let sql = format!("{PROFILE_SELECT} WHERE p.account_id = $1");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(account).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_profile).transpose().map_err(map_err)
    }

    async fn list_college_profiles(&mut self, college: OrgId) -> StoreResult<Vec<StudentProfileRecord>> {
        let sql = format!("{PROFILE_SELECT} WHERE p.org_id = $1 ORDER BY p.account_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(college).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(row_to_profile).collect::<Result<_, _>>().map_err(map_err)
    }

    async fn list_consented_profiles(
        &mut self,
        viewer: OrgId,
        college: Option<OrgId>,
    ) -> StoreResult<Vec<StudentProfileRecord>> {
        let mut sql = format!("{PROFILE_SELECT} WHERE {CONSENTED}");
        if college.is_some() {
            sql.push_str(" AND p.org_id = $2");
        }
        sql.push_str(" ORDER BY p.account_id");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(viewer);
        if let Some(c) = college {
            q = q.bind(c);
        }
        let rows = q.fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(row_to_profile).collect::<Result<_, _>>().map_err(map_err)
    }

    async fn grant_consent(
        &mut self,
        account: AccountId,
        scope: ConsentScope,
        grantee: Option<OrgId>,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO profile_consents (account_id, scope, grantee_org_id, granted_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(account)
        .bind(scope.as_str())
        .bind(grantee)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn revoke_consent(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE profile_consents SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(account)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn list_consents(&mut self, account: AccountId) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query(
            "SELECT c.id, c.account_id, c.scope, c.grantee_org_id, o.name AS grantee_name, c.granted_at, c.revoked_at \
             FROM profile_consents c LEFT JOIN organizations o ON o.id = c.grantee_org_id \
             WHERE c.account_id = $1 ORDER BY c.id DESC",
        )
        .bind(account)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(ConsentRecord {
                    id: r.try_get("id")?,
                    account_id: r.try_get("account_id")?,
                    scope: code(r, "scope", ConsentScope::parse)?,
                    grantee_org_id: r.try_get("grantee_org_id")?,
                    grantee_name: r.try_get("grantee_name")?,
                    granted_at: r.try_get("granted_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_err)
    }

    async fn has_consent(&mut self, account: AccountId, viewer: OrgId) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM profile_consents WHERE account_id = $2 AND revoked_at IS NULL \
             AND (grantee_org_id = $1 OR (scope = 'alliance' AND EXISTS \
             (SELECT 1 FROM organizations v WHERE v.id = $1 AND v.membership = 'member')))",
        )
        .bind(viewer)
        .bind(account)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        Ok(n > 0)
    }
}

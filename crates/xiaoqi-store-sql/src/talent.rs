//! Talent demand and supply: demands, majors' teaching, student profiles and consents.

use async_trait::async_trait;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus};
use xiaoqi_store::{
    AccountId, ConsentRecord, DemandContent, DemandFilter, DemandRecord, MajorRecord, MajorSupply, Millis, OrgId,
    ProfileContent, StoreError, StoreResult, StudentProfileRecord, TalentRepo,
};

use crate::conn::{Arg, Filter, Row, SqlConn, args, like_prefix, row, to_json};

const DEMAND_FROM: &str = "demands d JOIN organizations o ON o.id = d.org_id";
const DEMAND_COLS: &str = "d.id, d.org_id, o.name AS org_name, d.title, d.occupation_code, d.roles_json, d.headcount, \
     d.region_code, d.pay_min_fen, d.pay_max_fen, d.start_date, d.valid_until, d.education, d.description, d.status, \
     d.published_at, d.created_by, d.created_at, d.updated_at";

fn demand(r: &Row) -> StoreResult<DemandRecord> {
    Ok(row! { r, DemandRecord {
        id, org_id, org_name, status, published_at, created_by, created_at, updated_at,
        content: DemandContent {
            title, occupation_code, roles: r.json("roles_json")?, headcount, region_code, pay_min_fen, pay_max_fen,
            start_date, valid_until, education, description,
        },
    }})
}

/// The columns of a major, supply included; shared with the college module.
pub(crate) const MAJOR_COLS: &str =
    "id, org_id, department_id, code, name, skills_json, certificates_json, yearly_graduates, description";

pub(crate) fn major(r: &Row) -> StoreResult<MajorRecord> {
    Ok(row! { r, MajorRecord {
        id, org_id, department_id, code, name,
        supply: MajorSupply {
            skills: r.json("skills_json")?, certificates: r.json("certificates_json")?, yearly_graduates, description,
        },
    }})
}

const PROFILE_SELECT: &str = "SELECT p.account_id, p.org_id, o.name AS org_name, a.display_name, m.name AS major_name, \
     p.major_id, p.skills_json, p.certificates_json, p.grade_avg, p.graduation_year, p.region_code, \
     p.preferred_regions_json, p.preferred_occupations_json, p.intro, p.updated_at \
     FROM student_profiles p JOIN organizations o ON o.id = p.org_id JOIN accounts a ON a.id = p.account_id \
     LEFT JOIN majors m ON m.id = p.major_id";

fn profile(r: &Row) -> StoreResult<StudentProfileRecord> {
    Ok(row! { r, StudentProfileRecord {
        account_id, org_id, org_name, display_name, major_name, updated_at,
        content: ProfileContent {
            major_id, skills: r.json("skills_json")?, certificates: r.json("certificates_json")?, grade_avg,
            graduation_year, region_code, preferred_regions: r.json("preferred_regions_json")?,
            preferred_occupations: r.json("preferred_occupations_json")?, intro,
        },
    }})
}

/// The content columns of a demand, in the order of both statements (`$2`–`$12`).
fn content_args(c: &DemandContent) -> StoreResult<Vec<Arg>> {
    Ok(args![
        &c.title,
        &c.occupation_code,
        to_json(&c.roles)?,
        c.headcount,
        &c.region_code,
        c.pay_min_fen,
        c.pay_max_fen,
        c.start_date,
        c.valid_until,
        c.education,
        &c.description,
    ])
}

/// A live consent of the profile's student to `$1` (alliance-wide or by name).
const CONSENTED: &str = "EXISTS (SELECT 1 FROM profile_consents c WHERE c.account_id = p.account_id \
     AND c.revoked_at IS NULL AND (c.grantee_org_id = $1 OR (c.scope = 'alliance' AND EXISTS \
     (SELECT 1 FROM organizations v WHERE v.id = $1 AND v.membership = 'member'))))";

#[async_trait]
impl TalentRepo for SqlConn {
    async fn create_demand(&mut self, org: OrgId, c: &DemandContent, by: AccountId, at: Millis) -> StoreResult<i64> {
        let mut args = args![org];
        args.extend(content_args(c)?);
        args.extend(args![by, at]);
        let sql = "INSERT INTO demands (org_id, title, occupation_code, roles_json, headcount, region_code, pay_min_fen, \
             pay_max_fen, start_date, valid_until, education, description, status, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $14, $14) RETURNING id";
        self.scalar(sql, args).await
    }

    async fn update_demand(&mut self, id: i64, c: &DemandContent, at: Millis) -> StoreResult<()> {
        let mut args = args![id];
        args.extend(content_args(c)?);
        args.extend(args![at]);
        let sql = "UPDATE demands SET title = $2, occupation_code = $3, roles_json = $4, headcount = $5, region_code = $6, \
             pay_min_fen = $7, pay_max_fen = $8, start_date = $9, valid_until = $10, education = $11, \
             description = $12, updated_at = $13 WHERE id = $1";
        self.exec_one(sql, args, "demand").await
    }

    async fn set_demand_status(&mut self, id: i64, status: DemandStatus, at: Millis) -> StoreResult<()> {
        if status == DemandStatus::Expired {
            return Err(StoreError::Backend("expired is derived, never stored".into()));
        }
        let sql = "UPDATE demands SET status = $2, updated_at = $3, \
             published_at = CASE WHEN $2 = 'published' AND published_at IS NULL THEN $3 ELSE published_at END \
             WHERE id = $1";
        self.exec_one(sql, args![id, status, at], "demand").await
    }

    async fn find_demand(&mut self, id: i64) -> StoreResult<Option<DemandRecord>> {
        self.opt(&format!("SELECT {DEMAND_COLS} FROM {DEMAND_FROM} WHERE d.id = $1"), args![id], demand).await
    }

    async fn list_demands(&mut self, f: &DemandFilter, page: PageRequest) -> StoreResult<Page<DemandRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.org {
            w.push("d.org_id = {}", org);
        }
        if !f.statuses.is_empty() {
            // The codes come from the enum, never from the caller.
            let list: Vec<String> = f.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            w.push_raw(&format!("d.status IN ({})", list.join(", ")));
        }
        if let Some(day) = f.open_on {
            w.push("d.valid_until >= {}", day);
        }
        if let Some(day) = f.lapsed_before {
            w.push("d.valid_until < {}", day);
        }
        if let Some(p) = &f.occupation_prefix {
            w.push("d.occupation_code LIKE {} ESCAPE '\\'", like_prefix(p));
        }
        if let Some(p) = &f.region_prefix {
            w.push("d.region_code LIKE {} ESCAPE '\\'", like_prefix(p));
        }
        if f.members_only {
            w.push_raw("o.membership = 'member'");
        }
        self.page(DEMAND_FROM, DEMAND_COLS, &w, "d.id DESC", page, demand).await
    }

    async fn find_major(&mut self, id: i64) -> StoreResult<Option<MajorRecord>> {
        self.opt(&format!("SELECT {MAJOR_COLS} FROM majors WHERE id = $1"), args![id], major).await
    }

    async fn update_major_supply(&mut self, id: i64, s: &MajorSupply) -> StoreResult<()> {
        let sql = "UPDATE majors SET skills_json = $2, certificates_json = $3, yearly_graduates = $4, description = $5 \
             WHERE id = $1";
        let args = args![id, to_json(&s.skills)?, to_json(&s.certificates)?, s.yearly_graduates, &s.description];
        self.exec_one(sql, args, "major").await
    }

    async fn list_member_majors(&mut self) -> StoreResult<Vec<MajorRecord>> {
        let cols: Vec<String> = MAJOR_COLS.split(", ").map(|c| format!("m.{c}")).collect();
        let sql = format!(
            "SELECT {} FROM majors m JOIN organizations o ON o.id = m.org_id \
             WHERE o.kind = 'college' AND o.membership = 'member' ORDER BY m.id",
            cols.join(", ")
        );
        self.all(&sql, args![], major).await
    }

    async fn upsert_student_profile(
        &mut self,
        account: AccountId,
        org: OrgId,
        c: &ProfileContent,
        at: Millis,
    ) -> StoreResult<()> {
        let sql = "INSERT INTO student_profiles (account_id, org_id, major_id, skills_json, certificates_json, grade_avg, \
             graduation_year, region_code, preferred_regions_json, preferred_occupations_json, intro, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (account_id) DO UPDATE SET org_id = excluded.org_id, major_id = excluded.major_id, \
             skills_json = excluded.skills_json, certificates_json = excluded.certificates_json, \
             grade_avg = excluded.grade_avg, graduation_year = excluded.graduation_year, \
             region_code = excluded.region_code, preferred_regions_json = excluded.preferred_regions_json, \
             preferred_occupations_json = excluded.preferred_occupations_json, intro = excluded.intro, \
             updated_at = excluded.updated_at";
        let args = args![
            account,
            org,
            c.major_id,
            to_json(&c.skills)?,
            to_json(&c.certificates)?,
            c.grade_avg,
            c.graduation_year,
            &c.region_code,
            to_json(&c.preferred_regions)?,
            to_json(&c.preferred_occupations)?,
            &c.intro,
            at,
        ];
        self.exec(sql, args).await?;
        Ok(())
    }

    async fn find_student_profile(&mut self, account: AccountId) -> StoreResult<Option<StudentProfileRecord>> {
        self.opt(&format!("{PROFILE_SELECT} WHERE p.account_id = $1"), args![account], profile).await
    }

    async fn list_college_profiles(&mut self, college: OrgId) -> StoreResult<Vec<StudentProfileRecord>> {
        self.all(&format!("{PROFILE_SELECT} WHERE p.org_id = $1 ORDER BY p.account_id"), args![college], profile).await
    }

    async fn list_consented_profiles(
        &mut self,
        viewer: OrgId,
        college: Option<OrgId>,
    ) -> StoreResult<Vec<StudentProfileRecord>> {
        let mut sql = format!("{PROFILE_SELECT} WHERE {CONSENTED}");
        let mut args = args![viewer];
        if let Some(c) = college {
            sql.push_str(" AND p.org_id = $2");
            args.push(c.into());
        }
        sql.push_str(" ORDER BY p.account_id");
        self.all(&sql, args, profile).await
    }

    async fn grant_consent(
        &mut self,
        account: AccountId,
        scope: ConsentScope,
        grantee: Option<OrgId>,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO profile_consents (account_id, scope, grantee_org_id, granted_at) VALUES ($1, $2, $3, $4) \
             RETURNING id";
        self.scalar(sql, args![account, scope, grantee, at]).await
    }

    async fn revoke_consent(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool> {
        let sql =
            "UPDATE profile_consents SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL";
        Ok(self.exec(sql, args![id, account, at]).await? > 0)
    }

    async fn list_consents(&mut self, account: AccountId) -> StoreResult<Vec<ConsentRecord>> {
        let sql = "SELECT c.id, c.account_id, c.scope, c.grantee_org_id, o.name AS grantee_name, c.granted_at, c.revoked_at \
             FROM profile_consents c LEFT JOIN organizations o ON o.id = c.grantee_org_id \
             WHERE c.account_id = $1 ORDER BY c.id DESC";
        self.all(sql, args![account], |r| {
            Ok(row! { r, ConsentRecord { id, account_id, scope, grantee_org_id, grantee_name, granted_at, revoked_at } })
        })
        .await
    }

    async fn has_consent(&mut self, account: AccountId, viewer: OrgId) -> StoreResult<bool> {
        let sql = "SELECT COUNT(*) FROM profile_consents WHERE account_id = $2 AND revoked_at IS NULL \
             AND (grantee_org_id = $1 OR (scope = 'alliance' AND EXISTS \
             (SELECT 1 FROM organizations v WHERE v.id = $1 AND v.membership = 'member')))";
        let n: i64 = self.scalar(sql, args![viewer, account]).await?;
        Ok(n > 0)
    }
}

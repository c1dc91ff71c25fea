//! Organisations.

use async_trait::async_trait;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::time::Date;
use xiaoqi_engine::text::fold;
use xiaoqi_store::{
    Backend, Millis, OrgFilter, OrgId, OrgProfile, OrgRecord, OrgRepo, PublicFigures, StoreError, StoreResult,
};

use crate::conn::{Arg, Filter, Row, SqlConn, args, like_contains, row};

const COLS: &str = "id, kind, name, name_en, region_code, description, website, industry, employees, \
                    revenue_fen, assets_fen, credit_code, size_class, membership, created_at, updated_at";

fn org(r: &Row) -> StoreResult<OrgRecord> {
    Ok(row! { r, OrgRecord {
        id, membership, created_at, updated_at,
        profile: OrgProfile {
            kind, name, name_en, region_code, description, website, industry, employees, revenue_fen, assets_fen,
            credit_code, size_class,
        },
    }})
}

/// The profile's columns from `name` to `size_class`, in the order of both statements.
fn profile_args(p: &OrgProfile) -> Vec<Arg> {
    args![
        &p.name,
        &p.name_en,
        &p.region_code,
        &p.description,
        &p.website,
        &p.industry,
        p.employees,
        p.revenue_fen,
        p.assets_fen,
        &p.credit_code,
        &p.size_class
    ]
}

fn folded_names(p: &OrgProfile) -> String {
    match &p.name_en {
        Some(en) => format!("{} {}", fold(&p.name), fold(en)),
        None => fold(&p.name),
    }
}

#[async_trait]
impl OrgRepo for SqlConn {
    async fn create_org(&mut self, p: &OrgProfile, membership: MembershipStatus, at: Millis) -> StoreResult<OrgId> {
        let sql = "INSERT INTO organizations (kind, name, name_en, region_code, description, website, industry, \
             employees, revenue_fen, assets_fen, credit_code, size_class, membership, name_folded, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id";
        let mut args = args![p.kind];
        args.extend(profile_args(p));
        args.extend(args![membership, folded_names(p), at]);
        self.scalar(sql, args).await
    }

    async fn update_org(&mut self, id: OrgId, p: &OrgProfile, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE organizations SET name = $2, name_en = $3, region_code = $4, description = $5, website = $6, \
             industry = $7, employees = $8, revenue_fen = $9, assets_fen = $10, credit_code = $11, size_class = $12, \
             name_folded = $13, updated_at = $14 WHERE id = $1";
        let mut args = args![id];
        args.extend(profile_args(p));
        args.extend(args![folded_names(p), at]);
        self.exec_one(sql, args, "organization").await
    }

    async fn find_org(&mut self, id: OrgId) -> StoreResult<Option<OrgRecord>> {
        self.opt(&format!("SELECT {COLS} FROM organizations WHERE id = $1"), args![id], org).await
    }

    async fn find_org_by_credit_code(&mut self, credit_code: &str) -> StoreResult<Option<OrgRecord>> {
        self.opt(&format!("SELECT {COLS} FROM organizations WHERE credit_code = $1"), args![credit_code], org).await
    }

    async fn list_orgs(&mut self, f: &OrgFilter, page: PageRequest) -> StoreResult<Page<OrgRecord>> {
        let mut w = Filter::default();
        if let Some(k) = f.kind {
            w.push("kind = {}", k);
        }
        if let Some(r) = &f.region_prefix {
            let prefix = like_contains(r);
            let prefix = prefix.strip_prefix('%').unwrap_or(&prefix).to_string();
            w.push("region_code LIKE {} ESCAPE '\\'", prefix);
        }
        if let Some(i) = &f.industry {
            w.push("industry = {}", i);
        }
        if let Some(s) = &f.size_class {
            w.push("size_class = {}", s);
        }
        if let Some(q) = &f.name_contains {
            w.push("name_folded LIKE {} ESCAPE '\\'", like_contains(&fold(q)));
        }
        if let Some(m) = f.membership {
            w.push("membership = {}", m);
        }
        let order = self.text_order("name");
        self.page("organizations", COLS, &w, &format!("{order}, id"), page, org).await
    }

    async fn lock_org(&mut self, id: OrgId) -> StoreResult<()> {
        // PostgreSQL: a row lock. SQLite: the transaction already holds the database's write
        // lock (BEGIN IMMEDIATE), so reading the row is enough to check it exists.
        let sql = match self.backend {
            Backend::Postgres => "SELECT id FROM organizations WHERE id = $1 FOR UPDATE",
            Backend::Sqlite => "SELECT id FROM organizations WHERE id = $1",
        };
        let found: Option<i64> = self.opt_scalar(sql, args![id]).await?;
        found.map(|_| ()).ok_or(StoreError::NotFound { entity: "organization" })
    }

    async fn set_membership_status(&mut self, id: OrgId, s: MembershipStatus, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE organizations SET membership = $2, updated_at = $3 WHERE id = $1";
        self.exec_one(sql, args![id, s, at], "organization").await
    }

    async fn public_figures(&mut self, today: Date) -> StoreResult<PublicFigures> {
        let member = |alias: &str| format!("JOIN organizations o ON o.id = {alias}.org_id AND o.membership = 'member'");
        let members = self
            .all(
                "SELECT kind, COUNT(*) AS n FROM organizations WHERE membership = 'member' AND kind <> 'alliance' \
                 GROUP BY kind ORDER BY kind",
                args![],
                |r| Ok((r.get::<OrgKind>("kind")?, r.get::<i64>("n")?)),
            )
            .await?;
        // SUM is cast so both engines answer a 64-bit integer (PostgreSQL's SUM of bigint is numeric).
        let practice_seats = self
            .scalar(
                &format!(
                    "SELECT CAST(COALESCE(SUM(p.effective_capacity), 0) AS BIGINT) FROM practice_places p {} \
                     WHERE p.end_date >= $1",
                    member("p")
                ),
                args![today.format()],
            )
            .await?;
        let (open_demands, demand_headcount) = self
            .one(
                &format!(
                    "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(d.headcount), 0) AS BIGINT) AS heads FROM demands d {} \
                     WHERE d.status = 'published' AND d.valid_until >= $1",
                    member("d")
                ),
                args![today.0],
                |r| Ok((r.get::<i64>("n")?, r.get::<i64>("heads")?)),
            )
            .await?;
        let services = self
            .scalar(
                &format!("SELECT COUNT(*) FROM service_offerings s {} WHERE s.status = 'active'", member("s")),
                args![],
            )
            .await?;
        let order_classes =
            self.scalar("SELECT COUNT(*) FROM order_classes WHERE status NOT IN ('draft', 'closed')", args![]).await?;
        Ok(PublicFigures { members, practice_seats, open_demands, demand_headcount, services, order_classes })
    }
}

//! Organisations.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_engine::text::fold;
use xiaoqi_store::{Millis, OrgFilter, OrgId, OrgProfile, OrgRecord, OrgRepo, StoreResult};

use crate::conn::{Arg, Filter, SqlConn, code, expect_one, fetch_page, like_contains, map_err};

const COLS: &str = "id, kind, name, name_en, region_code, description, website, industry, employees, \
                    revenue_fen, assets_fen, credit_code, size_class, membership, created_at, updated_at";

fn row_to_org(r: &AnyRow) -> Result<OrgRecord, sqlx::Error> {
    Ok(OrgRecord {
        id: r.try_get("id")?,
        profile: OrgProfile {
            kind: code(r, "kind", OrgKind::parse)?,
            name: r.try_get("name")?,
            name_en: r.try_get("name_en")?,
            region_code: r.try_get("region_code")?,
            description: r.try_get("description")?,
            website: r.try_get("website")?,
            industry: r.try_get("industry")?,
            employees: r.try_get("employees")?,
            revenue_fen: r.try_get("revenue_fen")?,
            assets_fen: r.try_get("assets_fen")?,
            credit_code: r.try_get("credit_code")?,
            size_class: r.try_get("size_class")?,
        },
        membership: code(r, "membership", MembershipStatus::parse)?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
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
        sqlx::query_scalar(
            "INSERT INTO organizations (kind, name, name_en, region_code, description, website, industry, \
             employees, revenue_fen, assets_fen, credit_code, size_class, membership, name_folded, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
        )
        .bind(p.kind.as_str())
        .bind(&p.name)
        .bind(&p.name_en)
        .bind(&p.region_code)
        .bind(&p.description)
        .bind(&p.website)
        .bind(&p.industry)
        .bind(p.employees)
        .bind(p.revenue_fen)
        .bind(p.assets_fen)
        .bind(&p.credit_code)
        .bind(&p.size_class)
        .bind(membership.as_str())
        .bind(folded_names(p))
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn update_org(&mut self, id: OrgId, p: &OrgProfile, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE organizations SET name = $2, name_en = $3, region_code = $4, description = $5, website = $6, \
             industry = $7, employees = $8, revenue_fen = $9, assets_fen = $10, credit_code = $11, size_class = $12, \
             name_folded = $13, updated_at = $14 WHERE id = $1",
        )
        .bind(id)
        .bind(&p.name)
        .bind(&p.name_en)
        .bind(&p.region_code)
        .bind(&p.description)
        .bind(&p.website)
        .bind(&p.industry)
        .bind(p.employees)
        .bind(p.revenue_fen)
        .bind(p.assets_fen)
        .bind(&p.credit_code)
        .bind(&p.size_class)
        .bind(folded_names(p))
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "organization")
    }

    async fn find_org(&mut self, id: OrgId) -> StoreResult<Option<OrgRecord>> {
        let sql = const_format(COLS, "id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_org).transpose().map_err(map_err)
    }

    async fn find_org_by_credit_code(&mut self, credit_code: &str) -> StoreResult<Option<OrgRecord>> {
        let sql = const_format(COLS, "credit_code = $1");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(credit_code).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_org).transpose().map_err(map_err)
    }

    async fn list_orgs(&mut self, f: &OrgFilter, page: PageRequest) -> StoreResult<Page<OrgRecord>> {
        let mut w = Filter::default();
        if let Some(k) = f.kind {
            w.push("kind = {}", Arg::Text(k.as_str().into()));
        }
        if let Some(r) = &f.region_prefix {
            let prefix = like_contains(r);
            let prefix = prefix.strip_prefix('%').unwrap_or(&prefix).to_string();
            w.push("region_code LIKE {} ESCAPE '\\'", Arg::Text(prefix));
        }
        if let Some(i) = &f.industry {
            w.push("industry = {}", Arg::Text(i.clone()));
        }
        if let Some(s) = &f.size_class {
            w.push("size_class = {}", Arg::Text(s.clone()));
        }
        if let Some(q) = &f.name_contains {
            w.push("name_folded LIKE {} ESCAPE '\\'", Arg::Text(like_contains(&fold(q))));
        }
        if let Some(m) = f.membership {
            w.push("membership = {}", Arg::Text(m.as_str().into()));
        }
        let order = self.text_order("name");
        fetch_page(self.c(), "organizations", COLS, &w, &format!("{order}, id"), page, row_to_org).await
    }

    async fn lock_org(&mut self, id: OrgId) -> StoreResult<()> {
        // PostgreSQL: a row lock. SQLite: the transaction already holds the database's write
        // lock (BEGIN IMMEDIATE), so reading the row is enough to check it exists.
        let sql = match self.backend {
            xiaoqi_store::Backend::Postgres => "SELECT id FROM organizations WHERE id = $1 FOR UPDATE",
            xiaoqi_store::Backend::Sqlite => "SELECT id FROM organizations WHERE id = $1",
        };
        let found: Option<i64> = sqlx::query_scalar(sql).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        found.map(|_| ()).ok_or(xiaoqi_store::StoreError::NotFound { entity: "organization" })
    }

    async fn set_membership_status(&mut self, id: OrgId, s: MembershipStatus, at: Millis) -> StoreResult<()> {
        let done = sqlx::query("UPDATE organizations SET membership = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(s.as_str())
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "organization")
    }
}

fn const_format(cols: &str, cond: &str) -> String {
    format!("SELECT {cols} FROM organizations WHERE {cond}")
}

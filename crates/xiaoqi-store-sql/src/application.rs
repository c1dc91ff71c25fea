//! Membership applications.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::org::ApplicationStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{AccountId, ApplicationRecord, ApplicationRepo, Millis, OrgId, StoreResult};

use crate::conn::{Arg, Filter, SqlConn, code, expect_one, fetch_page, map_err};

const COLS: &str = "a.id, a.org_id, o.name AS org_name, a.applicant_id, a.message, a.status, a.reason, \
                    a.decided_by, a.created_at, a.decided_at";
const FROM: &str = "membership_applications a JOIN organizations o ON o.id = a.org_id";

fn row_to_app(r: &AnyRow) -> Result<ApplicationRecord, sqlx::Error> {
    Ok(ApplicationRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        org_name: r.try_get("org_name")?,
        applicant_id: r.try_get("applicant_id")?,
        message: r.try_get("message")?,
        status: code(r, "status", ApplicationStatus::parse)?,
        reason: r.try_get("reason")?,
        decided_by: r.try_get("decided_by")?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
    })
}

#[async_trait]
impl ApplicationRepo for SqlConn {
    async fn create_application(
        &mut self,
        org: OrgId,
        applicant: AccountId,
        message: Option<&str>,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO membership_applications (org_id, applicant_id, message, status, created_at) \
             VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
        )
        .bind(org)
        .bind(applicant)
        .bind(message)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_application(&mut self, id: i64) -> StoreResult<Option<ApplicationRecord>> {
        let sql = format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_app).transpose().map_err(map_err)
    }

    async fn list_applications(
        &mut self,
        status: Option<ApplicationStatus>,
        org: Option<OrgId>,
        page: PageRequest,
    ) -> StoreResult<Page<ApplicationRecord>> {
        let mut w = Filter::default();
        if let Some(s) = status {
            w.push("a.status = {}", Arg::Text(s.as_str().into()));
        }
        if let Some(o) = org {
            w.push("a.org_id = {}", Arg::Int(o));
        }
        fetch_page(self.c(), FROM, COLS, &w, "a.created_at DESC, a.id DESC", page, row_to_app).await
    }

    async fn decide_application(
        &mut self,
        id: i64,
        status: ApplicationStatus,
        reason: Option<&str>,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        // Only a pending application can be decided: the condition makes a second decision a no-op
        // that the caller sees as NotFound, even when two administrators click at once.
        let done = sqlx::query(
            "UPDATE membership_applications SET status = $2, reason = $3, decided_by = $4, decided_at = $5 \
             WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(reason)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "pending application")
    }
}

//! Membership applications.

use async_trait::async_trait;
use xiaoqi_domain::org::ApplicationStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{AccountId, ApplicationRecord, ApplicationRepo, Millis, OrgId, ReadScope, StoreResult};

use crate::conn::{Filter, Row, SqlConn, args, row};

const COLS: &str = "a.id, a.org_id, o.name AS org_name, a.applicant_id, a.message, a.status, a.reason, \
                    a.decided_by, a.created_at, a.decided_at";
const FROM: &str = "membership_applications a JOIN organizations o ON o.id = a.org_id";

fn application(r: &Row) -> StoreResult<ApplicationRecord> {
    Ok(row! { r, ApplicationRecord {
        id, org_id, org_name, applicant_id, message, status, reason, decided_by, created_at, decided_at,
    }})
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
        let sql = "INSERT INTO membership_applications (org_id, applicant_id, message, status, created_at) \
             VALUES ($1, $2, $3, 'pending', $4) RETURNING id";
        self.scalar(sql, args![org, applicant, message, at]).await
    }

    async fn find_application(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ApplicationRecord>> {
        let mut w = Filter::after(args![id]);
        w.scope(scope, &["a.org_id"], Some("a.applicant_id"));
        self.opt(&format!("SELECT {COLS} FROM {FROM} WHERE a.id = $1 AND {}", w.and_sql()), w.args, application).await
    }

    async fn list_applications(
        &mut self,
        status: Option<ApplicationStatus>,
        org: Option<OrgId>,
        page: PageRequest,
    ) -> StoreResult<Page<ApplicationRecord>> {
        let mut w = Filter::default();
        if let Some(s) = status {
            w.push("a.status = {}", s);
        }
        if let Some(o) = org {
            w.push("a.org_id = {}", o);
        }
        self.page(FROM, COLS, &w, "a.created_at DESC, a.id DESC", page, application).await
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
        let sql = "UPDATE membership_applications SET status = $2, reason = $3, decided_by = $4, decided_at = $5 \
             WHERE id = $1 AND status = 'pending'";
        self.exec_one(sql, args![id, status, reason, by, at], "pending application").await
    }
}

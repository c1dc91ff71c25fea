//! The audit log, notifications and the outbox.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, AuditEntry, AuditRecord, AuditRepo, Millis, NewNotification, NewOutboxMessage, NotificationRecord,
    OrgId, StoreResult,
};

use crate::conn::{Arg, Filter, SqlConn, fetch_page, map_err};

fn json_col(r: &AnyRow, col: &str) -> Result<Option<serde_json::Value>, sqlx::Error> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(Box::new(e)))).transpose()
}

fn row_to_audit(r: &AnyRow) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        id: r.try_get("id")?,
        entry: AuditEntry {
            at: r.try_get("at")?,
            actor_id: r.try_get("actor_id")?,
            org_id: r.try_get("org_id")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before: json_col(r, "before_json")?,
            after: json_col(r, "after_json")?,
            request_id: r.try_get("request_id")?,
        },
    })
}

fn row_to_notification(r: &AnyRow) -> Result<NotificationRecord, sqlx::Error> {
    Ok(NotificationRecord {
        id: r.try_get("id")?,
        notification: NewNotification {
            account_id: r.try_get("account_id")?,
            kind: r.try_get("kind")?,
            title_zh: r.try_get("title_zh")?,
            title_en: r.try_get("title_en")?,
            link: r.try_get("link")?,
            created_at: r.try_get("created_at")?,
        },
        read_at: r.try_get("read_at")?,
    })
}

#[async_trait]
impl AuditRepo for SqlConn {
    async fn append_audit(&mut self, e: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, org_id, action, entity, entity_id, before_json, after_json, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(e.at)
        .bind(e.actor_id)
        .bind(e.org_id)
        .bind(&e.action)
        .bind(&e.entity)
        .bind(&e.entity_id)
        .bind(e.before.as_ref().map(|v| v.to_string()))
        .bind(e.after.as_ref().map(|v| v.to_string()))
        .bind(&e.request_id)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_audit(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<AuditRecord>> {
        let mut w = Filter::default();
        w.push("org_id = {}", Arg::Int(org));
        let cols = "id, at, actor_id, org_id, action, entity, entity_id, before_json, after_json, request_id";
        fetch_page(self.c(), "audit_log", cols, &w, "id DESC", page, row_to_audit).await
    }

    async fn create_notification(&mut self, n: &NewNotification) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO notifications (account_id, kind, title_zh, title_en, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(n.account_id)
        .bind(&n.kind)
        .bind(&n.title_zh)
        .bind(&n.title_en)
        .bind(&n.link)
        .bind(n.created_at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_notifications(
        &mut self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<NotificationRecord>> {
        let mut w = Filter::default();
        w.push("account_id = {}", Arg::Int(account));
        let cols = "id, account_id, kind, title_zh, title_en, link, created_at, read_at";
        fetch_page(self.c(), "notifications", cols, &w, "id DESC", page, row_to_notification).await
    }

    async fn count_unread_notifications(&mut self, account: AccountId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL")
            .bind(account)
            .fetch_one(self.c())
            .await
            .map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn mark_notification_read(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE notifications SET read_at = $3 WHERE id = $1 AND account_id = $2 AND read_at IS NULL")
                .bind(id)
                .bind(account)
                .bind(at)
                .execute(self.c())
                .await
                .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn enqueue_outbox(&mut self, m: &NewOutboxMessage) -> StoreResult<()> {
        sqlx::query("INSERT INTO outbox (channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&m.channel)
            .bind(&m.recipient)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(m.created_at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn count_outbox_pending(&mut self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(self.c())
            .await
            .map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

//! The audit log, notifications and the outbox.

use async_trait::async_trait;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, AuditEntry, AuditRecord, AuditRepo, Millis, NewNotification, NewOutboxMessage, NotificationRecord,
    OrgId, StoreResult,
};

use crate::conn::{Filter, Row, SqlConn, args, row};

fn audit(r: &Row) -> StoreResult<AuditRecord> {
    Ok(row! { r, AuditRecord {
        id,
        entry: AuditEntry {
            at, actor_id, org_id, action, entity, entity_id, request_id,
            before: r.opt_json("before_json")?, after: r.opt_json("after_json")?,
        },
    }})
}

fn notification(r: &Row) -> StoreResult<NotificationRecord> {
    Ok(row! { r, NotificationRecord {
        id, read_at,
        notification: NewNotification { account_id, kind, title_zh, title_en, link, created_at },
    }})
}

#[async_trait]
impl AuditRepo for SqlConn {
    async fn append_audit(&mut self, e: &AuditEntry) -> StoreResult<()> {
        let sql = "INSERT INTO audit_log (at, actor_id, org_id, action, entity, entity_id, before_json, after_json, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let (before, after) = (e.before.as_ref().map(|v| v.to_string()), e.after.as_ref().map(|v| v.to_string()));
        let args = args![e.at, e.actor_id, e.org_id, &e.action, &e.entity, &e.entity_id, before, after, &e.request_id];
        self.exec(sql, args).await?;
        Ok(())
    }

    async fn list_audit(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<AuditRecord>> {
        let mut w = Filter::default();
        w.push("org_id = {}", org);
        let cols = "id, at, actor_id, org_id, action, entity, entity_id, before_json, after_json, request_id";
        self.page("audit_log", cols, &w, "id DESC", page, audit).await
    }

    async fn create_notification(&mut self, n: &NewNotification) -> StoreResult<()> {
        let sql = "INSERT INTO notifications (account_id, kind, title_zh, title_en, link, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        self.exec(sql, args![n.account_id, &n.kind, &n.title_zh, &n.title_en, &n.link, n.created_at]).await?;
        Ok(())
    }

    async fn list_notifications(
        &mut self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<NotificationRecord>> {
        let mut w = Filter::default();
        w.push("account_id = {}", account);
        let cols = "id, account_id, kind, title_zh, title_en, link, created_at, read_at";
        self.page("notifications", cols, &w, "id DESC", page, notification).await
    }

    async fn count_unread_notifications(&mut self, account: AccountId) -> StoreResult<u64> {
        let sql = "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL";
        let n: i64 = self.scalar(sql, args![account]).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn mark_notification_read(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool> {
        let sql = "UPDATE notifications SET read_at = $3 WHERE id = $1 AND account_id = $2 AND read_at IS NULL";
        Ok(self.exec(sql, args![id, account, at]).await? > 0)
    }

    async fn enqueue_outbox(&mut self, m: &NewOutboxMessage) -> StoreResult<()> {
        let sql = "INSERT INTO outbox (channel, recipient, subject, body, created_at) VALUES ($1, $2, $3, $4, $5)";
        self.exec(sql, args![&m.channel, &m.recipient, &m.subject, &m.body, m.created_at]).await?;
        Ok(())
    }

    async fn count_outbox_pending(&mut self) -> StoreResult<u64> {
        let n: i64 = self.scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL", args![]).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn list_outbox_pending_for(&mut self, recipient: &str) -> StoreResult<Vec<NewOutboxMessage>> {
        let sql = "SELECT channel, recipient, subject, body, created_at FROM outbox \
             WHERE recipient = $1 AND sent_at IS NULL ORDER BY id";
        self.all(sql, args![recipient], |r| {
            Ok(row! { r, NewOutboxMessage { channel, recipient, subject, body, created_at } })
        })
        .await
    }
}

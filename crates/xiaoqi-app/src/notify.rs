//! In-app notifications and the outbox for external channels.

use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AccountId, NewNotification, NewOutboxMessage, NotificationRecord};

use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// Tells one person, at `t`, in the caller's transaction, that something awaits them; and
/// queues the same text for email when the person has an address.
pub(crate) async fn notify(
    conn: &mut Box<dyn Conn>,
    t: i64,
    account: AccountId,
    kind: &str,
    title_zh: String,
    title_en: String,
    link: Option<String>,
) -> AppResult<()> {
    if let Some(a) = conn.find_account(account).await?
        && let Some(email) = a.email
    {
        conn.enqueue_outbox(&NewOutboxMessage {
            channel: "email".into(),
            recipient: email,
            subject: title_zh.clone(),
            body: format!("{title_zh}\n{title_en}"),
            created_at: t,
        })
        .await?;
    }
    conn.create_notification(&NewNotification {
        account_id: account,
        kind: kind.into(),
        title_zh,
        title_en,
        link,
        created_at: t,
    })
    .await?;
    Ok(())
}

impl App {
    /// How many outbox messages wait to be sent (for operators and health figures).
    pub async fn outbox_pending(&self) -> AppResult<u64> {
        Ok(self.store.conn().await?.count_outbox_pending().await?)
    }

    /// The unsent messages to one email address or mobile number (for operators).
    pub async fn outbox_pending_for(&self, recipient: &str) -> AppResult<Vec<NewOutboxMessage>> {
        Ok(self.store.conn().await?.list_outbox_pending_for(recipient).await?)
    }

    /// The caller's notifications, newest first.
    pub async fn list_notifications(&self, p: &Principal, page: PageRequest) -> AppResult<Page<NotificationRecord>> {
        Ok(self.store.conn().await?.list_notifications(p.id(), page).await?)
    }

    /// How many of the caller's notifications are unread.
    pub async fn unread_count(&self, p: &Principal) -> AppResult<u64> {
        Ok(self.store.conn().await?.count_unread_notifications(p.id()).await?)
    }

    /// Marks one of the caller's notifications read.
    pub async fn mark_read(&self, p: &Principal, id: i64) -> AppResult<()> {
        if self.store.conn().await?.mark_notification_read(id, p.id(), self.now()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound("notification"))
        }
    }
}

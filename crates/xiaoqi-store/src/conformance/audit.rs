//! The audit log, notifications and the outbox.

use serde_json::json;

use super::{T0, add_account, all, assert_page_meta, conn, page};
use crate::prelude::*;
use crate::{AuditEntry, NewNotification, NewOutboxMessage};

/// A few audit entries of one organisation, oldest first, with awkward JSON.
pub(crate) fn sample_audit_entries(org: i64, actor: i64) -> Vec<AuditEntry> {
    vec![
        AuditEntry {
            at: T0,
            actor_id: Some(actor),
            org_id: Some(org),
            action: "organization.create".to_string(),
            entity: "organization".to_string(),
            entity_id: org.to_string(),
            before: None,
            after: Some(json!({"name": "深圳智造", "employees": 120, "kind": "enterprise"})),
            request_id: Some("req-0001".to_string()),
        },
        AuditEntry {
            at: T0 + 1_000,
            actor_id: Some(actor),
            org_id: Some(org),
            action: "organization.update".to_string(),
            entity: "organization".to_string(),
            entity_id: org.to_string(),
            before: Some(json!({"name": "深圳智造", "website": null, "tags": ["a", "b"], "ok": true})),
            after: Some(json!({
                "name": "深圳“新”智造 \"quoted\" \\ back\\slash\nnew line 😀",
                "website": "https://example.com/?a=1&b='2'",
                "tags": [],
                "ok": false,
                "nested": {"depth": {"list": [1, -2, 2.5, {"x": null}]}},
                "big": 9_007_199_254_740_993_i64,
                "empty": {}
            })),
            request_id: Some("req-0002".to_string()),
        },
        AuditEntry {
            at: T0 + 2_000,
            actor_id: None,
            org_id: Some(org),
            action: "membership.approve".to_string(),
            entity: "membership_application".to_string(),
            entity_id: "42".to_string(),
            before: Some(json!("pending")),
            after: None,
            request_id: None,
        },
    ]
}

/// Audit entries of an organisation are listed newest first, each field and JSON value intact.
pub async fn audit_is_listed_newest_first_with_json_intact(store: &dyn Store) {
    let mut c = conn(store).await;
    let (org, other, actor) = (7, 8, 99);
    let entries = sample_audit_entries(org, actor);
    c.append_audit(&entries[0]).await.expect("append_audit");
    let mut foreign = entries[0].clone();
    foreign.org_id = Some(other);
    c.append_audit(&foreign).await.expect("append_audit of another organisation");
    c.append_audit(&entries[1]).await.expect("append_audit");
    let mut platform = entries[1].clone();
    platform.org_id = None;
    c.append_audit(&platform).await.expect("append_audit without organisation");
    c.append_audit(&entries[2]).await.expect("append_audit");

    let p = c.list_audit(org, all()).await.expect("list_audit");
    assert_page_meta(&p, all(), 3, 3, "audit of the organisation");
    let got: Vec<&AuditEntry> = p.items.iter().map(|r| &r.entry).collect();
    let want: Vec<&AuditEntry> = entries.iter().rev().collect();
    assert_eq!(got, want, "newest first, every field intact");
    let ids: Vec<i64> = p.items.iter().map(|r| r.id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "sequence numbers descend: {ids:?}");

    let first = c.list_audit(org, page(2, 0)).await.expect("list_audit");
    assert_page_meta(&first, page(2, 0), 3, 2, "first page");
    let second = c.list_audit(org, page(2, 2)).await.expect("list_audit");
    assert_page_meta(&second, page(2, 2), 3, 1, "second page");
    assert_eq!(second.items[0].entry, entries[0], "the oldest entry comes last");

    let p = c.list_audit(other, all()).await.expect("list_audit");
    assert_eq!((p.total, p.items.iter().map(|r| &r.entry).collect::<Vec<_>>()), (1, vec![&foreign]));
    assert_eq!(c.list_audit(12345, all()).await.expect("list_audit").total, 0, "an organisation without entries");
}

fn notification(account_id: i64, n: i64) -> NewNotification {
    NewNotification {
        account_id,
        kind: "membership.application_received".to_string(),
        title_zh: format!("收到入盟申请 {n}"),
        title_en: format!("Membership application received {n}"),
        link: if n % 2 == 0 { Some(format!("/applications/{n}")) } else { None },
        created_at: T0 + n,
    }
}

/// Notifications of an account are listed newest first, with the count of unread ones.
pub async fn notifications_are_listed_newest_first_with_unread_count(store: &dyn Store) {
    let mut c = conn(store).await;
    let a1 = add_account(&mut c, "a1@example.com").await;
    let a2 = add_account(&mut c, "a2@example.com").await;
    let quiet = add_account(&mut c, "quiet@example.com").await;
    c.create_notification(&notification(a1, 1)).await.expect("create_notification");
    c.create_notification(&notification(a2, 2)).await.expect("create_notification");
    c.create_notification(&notification(a1, 3)).await.expect("create_notification");
    c.create_notification(&notification(a1, 4)).await.expect("create_notification");

    let p = c.list_notifications(a1, all()).await.expect("list_notifications");
    assert_page_meta(&p, all(), 3, 3, "notifications of a1");
    let got: Vec<&NewNotification> = p.items.iter().map(|n| &n.notification).collect();
    assert_eq!(got, vec![&notification(a1, 4), &notification(a1, 3), &notification(a1, 1)], "newest first");
    assert!(p.items.iter().all(|n| n.read_at.is_none()), "new notifications are unread");
    let p = c.list_notifications(a1, page(2, 2)).await.expect("list_notifications");
    assert_page_meta(&p, page(2, 2), 3, 1, "second page");
    assert_eq!(p.items[0].notification, notification(a1, 1));

    assert_eq!(c.count_unread_notifications(a1).await.expect("count_unread_notifications"), 3);
    assert_eq!(c.count_unread_notifications(a2).await.expect("count_unread_notifications"), 1);
    assert_eq!(c.count_unread_notifications(quiet).await.expect("count_unread_notifications"), 0);
    assert_eq!(c.list_notifications(quiet, all()).await.expect("list_notifications").total, 0);
}

/// Only the recipient marks a notification read; the first read time is kept.
pub async fn notification_is_marked_read_only_by_its_owner(store: &dyn Store) {
    let mut c = conn(store).await;
    let owner = add_account(&mut c, "owner@example.com").await;
    let other = add_account(&mut c, "other@example.com").await;
    for n in 1..=3 {
        c.create_notification(&notification(owner, n)).await.expect("create_notification");
    }
    let listed = c.list_notifications(owner, all()).await.expect("list_notifications");
    let target = listed.items.iter().find(|n| n.notification.created_at == T0 + 2).expect("notification 2").id;

    assert!(!c.mark_notification_read(target, other, T0 + 10).await.expect("mark_notification_read"), "not yours");
    assert_eq!(c.count_unread_notifications(owner).await.expect("count"), 3, "the refused mark changed nothing");
    assert!(c.mark_notification_read(target, owner, T0 + 20).await.expect("mark_notification_read"), "the owner");
    assert_eq!(c.count_unread_notifications(owner).await.expect("count"), 2);
    assert!(
        !c.mark_notification_read(target, owner, T0 + 30).await.expect("marking twice is not an error"),
        "a notification already read is not marked again"
    );
    let listed = c.list_notifications(owner, all()).await.expect("list_notifications");
    let reads: Vec<(i64, Option<i64>)> = listed.items.iter().map(|n| (n.notification.created_at, n.read_at)).collect();
    assert_eq!(reads, vec![(T0 + 3, None), (T0 + 2, Some(T0 + 20)), (T0 + 1, None)], "read times");
    assert!(!c.mark_notification_read(target + 1000, owner, T0).await.expect("mark_notification_read"), "missing id");
}

/// Enqueued outbox messages count as pending and are listed per recipient.
pub async fn outbox_counts_pending_messages(store: &dyn Store) {
    let mut c = conn(store).await;
    assert_eq!(c.count_outbox_pending().await.expect("count_outbox_pending"), 0, "an empty outbox");
    c.enqueue_outbox(&NewOutboxMessage {
        channel: "email".to_string(),
        recipient: "li.lei@example.com".to_string(),
        subject: "入盟申请已批准".to_string(),
        body: "您好，贵单位的入盟申请已批准。\nYour application was approved.".to_string(),
        created_at: T0,
    })
    .await
    .expect("enqueue_outbox");
    c.enqueue_outbox(&NewOutboxMessage {
        channel: "sms".to_string(),
        recipient: "13800138000".to_string(),
        subject: String::new(),
        body: "【校企通】验证码 123456".to_string(),
        created_at: T0 + 1,
    })
    .await
    .expect("enqueue_outbox");
    assert_eq!(c.count_outbox_pending().await.expect("count_outbox_pending"), 2);
    let to_li = c.list_outbox_pending_for("li.lei@example.com").await.expect("list_outbox_pending_for");
    assert_eq!(to_li.iter().map(|m| (m.channel.as_str(), m.created_at)).collect::<Vec<_>>(), vec![("email", T0)]);
    assert!(to_li[0].body.contains("Your application was approved."), "the body is kept whole");
}

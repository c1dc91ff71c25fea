//! Writing and reading the append-only audit log.

use serde::Serialize;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AuditEntry, AuditRecord, OrgId};

use crate::error::AppResult;
use crate::{App, Principal};

/// What a write changed: an action on one entity with its before and after images.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

fn to_json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

impl Change {
    /// An event without images (a login, a revocation).
    pub fn event(action: &'static str, entity: &'static str, id: impl ToString) -> Self {
        Self { action, entity, entity_id: id.to_string(), before: None, after: None }
    }

    /// A new record.
    pub fn created<T: Serialize>(action: &'static str, entity: &'static str, id: impl ToString, after: &T) -> Self {
        Self { action, entity, entity_id: id.to_string(), before: None, after: to_json(after) }
    }

    /// A changed record.
    pub fn updated<B: Serialize, A: Serialize>(
        action: &'static str,
        entity: &'static str,
        id: impl ToString,
        before: &B,
        after: &A,
    ) -> Self {
        Self { action, entity, entity_id: id.to_string(), before: to_json(before), after: to_json(after) }
    }
}

/// Appends one audit entry, made at `at`, in the caller's transaction, so it is kept exactly
/// when the write is.
pub async fn record(
    conn: &mut Box<dyn Conn>,
    at: i64,
    actor: &Principal,
    org: Option<OrgId>,
    c: Change,
) -> AppResult<()> {
    append(conn, at, Some(actor.id()), org, actor.request_id.clone(), c).await
}

/// Appends an audit entry for a write with no logged-in actor (self-registration, seeding).
pub async fn append(
    conn: &mut Box<dyn Conn>,
    at: i64,
    actor: Option<i64>,
    org: Option<OrgId>,
    request_id: Option<String>,
    c: Change,
) -> AppResult<()> {
    conn.append_audit(&AuditEntry {
        at,
        actor_id: actor,
        org_id: org,
        action: c.action.to_string(),
        entity: c.entity.to_string(),
        entity_id: c.entity_id,
        before: c.before,
        after: c.after,
        request_id,
    })
    .await?;
    Ok(())
}

impl App {
    /// The audit entries of an organisation, newest first: its administrators only.
    pub async fn list_audit(&self, p: &Principal, org: OrgId, page: PageRequest) -> AppResult<Page<AuditRecord>> {
        let admin = p.org_admin(org)?;
        Ok(self.store.conn().await?.list_audit(admin.org_id, page).await?)
    }
}

//! Applying to the alliance and the administrators' approval queue.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::FieldError;
use xiaoqi_domain::error::optional_text;
use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{ApplicationRecord, OrgFilter, OrgId};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::notify::notify;
use crate::{App, Principal};

/// A decision on an application.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required when rejecting; shown to the applicant.
    pub reason: Option<String>,
}

impl App {
    /// Applies for alliance membership on behalf of an organisation the caller administers.
    pub async fn apply_for_membership(&self, p: &Principal, org: OrgId, message: Option<&str>) -> AppResult<i64> {
        let admin = p.org_admin(org)?;
        let message = optional_text("message", message, 1000)?;
        let mut tx = self.store.begin().await?;
        tx.lock_org(admin.org_id).await?;
        let o = tx.find_org(admin.org_id).await?.ok_or(AppError::NotFound("organization"))?;
        if !crate::authz::may_apply_for_membership(p, &o) {
            return Err(AppError::state(
                format!("当前状态（{}）不能提交入盟申请", o.membership.label_zh()),
                format!("An application cannot be made in the current state ({})", o.membership.label_en()),
            ));
        }
        let t = self.now();
        // The unique index on pending applications backs the check above.
        let id = tx.create_application(org, p.id(), message.as_deref(), t).await.map_err(|e| match e {
            xiaoqi_store::StoreError::Conflict { .. } => {
                AppError::state("已有待审核的申请", "An application is already pending")
            }
            other => other.into(),
        })?;
        tx.set_membership_status(org, MembershipStatus::Pending, t).await?;
        for admin_id in alliance_admins(&mut tx).await? {
            notify(
                &mut tx,
                self.now(),
                admin_id,
                "membership.application_received",
                format!("{} 申请加入联盟，等待审核", o.profile.name),
                format!("{} applied to join the alliance and awaits review", o.profile.name),
                Some("/membership/queue".into()),
            )
            .await?;
        }
        let after = serde_json::json!({"org_id": org, "message": message, "status": "pending"});
        record(
            &mut tx,
            self.now(),
            p,
            Some(org),
            Change::created("membership.apply", "membership_application", id, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Applications: all of them for alliance administrators; an organisation's own for its
    /// administrators (who must name the organisation).
    pub async fn list_applications(
        &self,
        p: &Principal,
        status: Option<ApplicationStatus>,
        org: Option<OrgId>,
        page: PageRequest,
    ) -> AppResult<Page<ApplicationRecord>> {
        if !p.is_alliance_admin() {
            let org = org.ok_or(AppError::Forbidden)?;
            p.org_admin(org)?;
        }
        Ok(self.store.conn().await?.list_applications(status, org, page).await?)
    }

    /// Approves or rejects a pending application (alliance administrators only); a rejection
    /// needs a reason. The applicant is notified.
    pub async fn decide_application(
        &self,
        p: &Principal,
        id: i64,
        input: &DecisionInput,
    ) -> AppResult<ApplicationRecord> {
        let admin = p.alliance_admin()?;
        let status = match input.decision.trim() {
            "approve" => ApplicationStatus::Approved,
            "reject" => ApplicationStatus::Rejected,
            other => {
                return Err(FieldError::new(
                    "decision",
                    "decision_unknown",
                    format!("决定须为 approve 或 reject，而不是 {other}"),
                    format!("The decision must be approve or reject, not {other}"),
                )
                .into());
            }
        };
        let reason = optional_text("reason", input.reason.as_deref(), 1000)?;
        if status == ApplicationStatus::Rejected && reason.is_none() {
            return Err(FieldError::new(
                "reason",
                "reason_required",
                "拒绝申请时须说明理由",
                "A rejection needs a reason",
            )
            .into());
        }
        let mut tx = self.store.begin().await?;
        let before =
            tx.find_application(&p.read_scope(), id).await?.ok_or(AppError::NotFound("membership_application"))?;
        tx.lock_org(before.org_id).await?;
        let before =
            tx.find_application(&p.read_scope(), id).await?.ok_or(AppError::NotFound("membership_application"))?;
        if before.status != ApplicationStatus::Pending {
            return Err(AppError::state("该申请已处理", "This application has already been decided"));
        }
        let t = self.now();
        tx.decide_application(id, status, reason.as_deref(), admin.actor, t).await.map_err(|e| match e {
            // Decided by someone else in the meantime.
            xiaoqi_store::StoreError::NotFound { .. } => {
                AppError::state("该申请已处理", "This application has already been decided")
            }
            other => other.into(),
        })?;
        let org_status =
            if status == ApplicationStatus::Approved { MembershipStatus::Member } else { MembershipStatus::Rejected };
        tx.set_membership_status(before.org_id, org_status, t).await?;
        self.reindex_org_tree(&mut tx, before.org_id).await?;
        let (zh, en) = match status {
            ApplicationStatus::Approved => (
                format!("{} 的入盟申请已通过", before.org_name),
                format!("The membership application of {} was approved", before.org_name),
            ),
            _ => (
                format!("{} 的入盟申请未通过：{}", before.org_name, reason.clone().unwrap_or_default()),
                format!(
                    "The membership application of {} was rejected: {}",
                    before.org_name,
                    reason.clone().unwrap_or_default()
                ),
            ),
        };
        notify(
            &mut tx,
            self.now(),
            before.applicant_id,
            "membership.decided",
            zh,
            en,
            Some(format!("/orgs/{}", before.org_id)),
        )
        .await?;
        let after =
            tx.find_application(&p.read_scope(), id).await?.ok_or(AppError::NotFound("membership_application"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(before.org_id),
            Change::updated("membership.decide", "membership_application", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Every alliance administrator's account id.
async fn alliance_admins(conn: &mut Box<dyn Conn>) -> AppResult<Vec<i64>> {
    let filter = OrgFilter { kind: Some(OrgKind::Alliance), ..OrgFilter::default() };
    let alliances = conn.list_orgs(&filter, PageRequest { limit: 10, offset: 0 }).await?;
    let mut out = Vec::new();
    for a in alliances.items {
        let members = conn.list_members(a.id, PageRequest { limit: 100, offset: 0 }).await?;
        out.extend(members.items.iter().filter(|m| m.roles.contains(&Role::AllianceAdmin)).map(|m| m.account.id));
    }
    Ok(out)
}

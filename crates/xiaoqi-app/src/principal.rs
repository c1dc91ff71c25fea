//! Who is acting, with the roles they hold, and the checks every use case starts with.

use serde::Serialize;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_store::{AccountId, AccountRecord, OrgId, ReadScope, RoleGrant};

use crate::error::{AppError, AppResult};

/// An authenticated person and the roles they hold, loaded once per request.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub account: AccountRecord,
    pub grants: Vec<RoleGrant>,
    /// Set when the request came through a web session (its CSRF token).
    #[serde(skip)]
    pub csrf_token: Option<String>,
    /// The request this principal acts in, recorded in the audit log.
    #[serde(skip)]
    pub request_id: Option<String>,
}

/// Proof that the caller administers an organisation: only `Principal::org_admin` makes one.
#[derive(Debug, Clone, Copy)]
pub struct OrgAdminOf {
    pub org_id: OrgId,
    pub actor: AccountId,
}

/// Proof that the caller is an alliance administrator.
#[derive(Debug, Clone, Copy)]
pub struct AllianceAdmin {
    pub actor: AccountId,
    pub alliance_org: OrgId,
}

impl Principal {
    /// The account id.
    pub fn id(&self) -> AccountId {
        self.account.id
    }

    /// Whether the person holds `role` in `org`.
    pub fn has_role(&self, org: OrgId, role: Role) -> bool {
        self.grants.iter().any(|g| g.org_id == org && g.role == role)
    }

    /// Whether the person holds any role in `org`.
    pub fn is_member_of(&self, org: OrgId) -> bool {
        self.grants.iter().any(|g| g.org_id == org)
    }

    /// The organisations the person belongs to, without repeats, in grant order.
    pub fn orgs(&self) -> Vec<(OrgId, String, OrgKind)> {
        let mut out: Vec<(OrgId, String, OrgKind)> = Vec::new();
        for g in &self.grants {
            if !out.iter().any(|(id, _, _)| *id == g.org_id) {
                out.push((g.org_id, g.org_name.clone(), g.org_kind));
            }
        }
        out
    }

    /// The roles held in one organisation.
    pub fn roles_in(&self, org: OrgId) -> Vec<Role> {
        self.grants.iter().filter(|g| g.org_id == org).map(|g| g.role).collect()
    }

    /// The capability to administer `org`: its organisation administrators only.
    pub fn org_admin(&self, org: OrgId) -> AppResult<OrgAdminOf> {
        if self.has_role(org, Role::OrgAdmin) {
            Ok(OrgAdminOf { org_id: org, actor: self.id() })
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The capability to run the alliance.
    pub fn alliance_admin(&self) -> AppResult<AllianceAdmin> {
        self.grants
            .iter()
            .find(|g| g.role == Role::AllianceAdmin && g.org_kind == OrgKind::Alliance)
            .map(|g| AllianceAdmin { actor: self.id(), alliance_org: g.org_id })
            .ok_or(AppError::Forbidden)
    }

    /// Whether the person is an alliance administrator.
    pub fn is_alliance_admin(&self) -> bool {
        self.alliance_admin().is_ok()
    }

    /// The floor of the private records the person may read, passed to the store's lookups:
    /// everything for alliance administrators, else what belongs to the organisations they hold
    /// a role in or to their own account. The use cases' finer rules apply on top.
    pub fn read_scope(&self) -> ReadScope {
        if self.is_alliance_admin() {
            ReadScope::Everything
        } else {
            ReadScope::Member { account: self.id(), orgs: self.orgs().into_iter().map(|(id, _, _)| id).collect() }
        }
    }

    /// Whether the person may read the private records of `org`: its members and the alliance
    /// administrators (who run governance over member organisations).
    pub fn may_read_private(&self, org: OrgId) -> bool {
        self.is_member_of(org) || self.is_alliance_admin()
    }
}

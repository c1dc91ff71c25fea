//! The risk- and benefit-sharing agreement of a project (DESIGN.md §2.3): versions of the terms,
//! each signed by every platform party (the enterprise's administrators or HR, the college's
//! administrators or programme leaders); a version is in force once all have signed, and a
//! signed agreement changes only by a new version that all sign again (an amendment). Work on
//! the project waits for an agreement in force.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::benefit::{Inventor, IpOwnership, Party, PartyKind, Terms};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::sharing::Share;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{AgreementVersionRecord, OrgId, ProjectRecord, StoreError};

use super::{unknown, wrong_state};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::services::acts_for;
use crate::{App, Principal};

/// A party of the terms as typed; shares are percentages with at most two decimals.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// enterprise, college or other.
    pub kind: String,
    /// The organisation on the platform (the project's enterprise or college); none for others.
    pub org_id: Option<OrgId>,
    pub name: String,
    pub cost_share: String,
    pub revenue_share: String,
}

/// An inventor as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InventorInput {
    pub account_id: Option<i64>,
    pub name: String,
    pub share: String,
}

/// The terms as typed (a whole new version).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    pub parties: Vec<PartyInput>,
    /// enterprise, college or joint.
    pub ip_ownership: String,
    pub ip_note: Option<String>,
    /// The inventors' part of the college's revenue share, e.g. "50".
    pub inventors_share: String,
    pub inventors: Vec<InventorInput>,
}

/// A signature on a version (the version shown, so nobody signs terms they did not read).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AgreementSignInput)]
pub struct SignInput {
    pub version: i64,
}

/// A platform party that signs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Signatory {
    pub org_id: OrgId,
    pub name: String,
    pub signed: bool,
}

/// A project's agreement: what is in force, what awaits signatures, the history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgreementView {
    pub project_id: i64,
    pub in_force: Option<AgreementVersionRecord>,
    /// The newest version awaiting signatures (an amendment when one is in force).
    pub pending: Option<AgreementVersionRecord>,
    /// Who signs the pending version and who already did.
    pub signatories: Vec<Signatory>,
    /// Every version, oldest first.
    pub history: Vec<AgreementVersionRecord>,
    /// Terms to start from: the pending or in-force version's, else the legal defaults.
    #[schema(value_type = Object)]
    pub draft: Terms,
    pub may_propose: bool,
    pub may_sign: bool,
}

fn share(e: &mut ValidationErrors, field: String, input: &str) -> Share {
    e.check(Share::parse_percent(&field, input)).unwrap_or_default()
}

/// Parses and checks terms for a project: every share exact, the domain's rules, and the
/// project's own enterprise and college as the platform parties.
pub fn validate_terms(i: &TermsInput, j: &ProjectRecord) -> Result<Terms, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let mut parties = Vec::with_capacity(i.parties.len());
    for (n, p) in i.parties.iter().enumerate() {
        let kind = e.check(
            PartyKind::parse(p.kind.trim())
                .ok_or_else(|| unknown(&format!("parties[{n}].kind"), "单位类型", "party kind", &p.kind)),
        );
        let cost_share = share(&mut e, format!("parties[{n}].cost_share"), &p.cost_share);
        let revenue_share = share(&mut e, format!("parties[{n}].revenue_share"), &p.revenue_share);
        let expected = match kind {
            Some(PartyKind::Enterprise) => Some(j.enterprise_org_id),
            Some(PartyKind::College) => Some(j.college_org_id),
            _ => None,
        };
        if p.org_id.is_some() && p.org_id != expected {
            e.push(FieldError::new(
                format!("parties[{n}].org_id"),
                "party_org",
                "平台上的签约方只能是本项目的企业和院校",
                "the platform parties are the project's enterprise and college",
            ));
        }
        parties.push(Party {
            kind: kind.unwrap_or(PartyKind::Other),
            org_id: p.org_id,
            name: p.name.trim().to_string(),
            cost_share,
            revenue_share,
        });
    }
    for (kind, org) in [(PartyKind::Enterprise, j.enterprise_org_id), (PartyKind::College, j.college_org_id)] {
        if !parties.iter().any(|p| p.kind == kind && p.org_id == Some(org)) {
            e.push(FieldError::new(
                "parties",
                "project_parties",
                "协议须包括本项目的企业和院校（填写其单位编号）",
                "the agreement names the project's enterprise and college (with their organisation ids)",
            ));
            break;
        }
    }
    let ip_ownership = e.check(
        IpOwnership::parse(i.ip_ownership.trim())
            .ok_or_else(|| unknown("ip_ownership", "知识产权归属", "IP ownership", &i.ip_ownership)),
    );
    let inventors_share = share(&mut e, "inventors_share".into(), &i.inventors_share);
    let inventors: Vec<Inventor> = i
        .inventors
        .iter()
        .enumerate()
        .map(|(n, v)| Inventor {
            account_id: v.account_id,
            name: v.name.trim().to_string(),
            share: share(&mut e, format!("inventors[{n}].share"), &v.share),
        })
        .collect();
    let terms = Terms {
        parties,
        ip_ownership: ip_ownership.unwrap_or(IpOwnership::Joint),
        ip_note: i.ip_note.as_deref().unwrap_or("").trim().to_string(),
        inventors_share,
        inventors,
    };
    // Shares that did not parse are already named; the sums over them would only repeat it.
    if e.is_empty()
        && let Err(v) = terms.validate()
    {
        for f in v.0 {
            e.push(f);
        }
    }
    e.into_result()?;
    Ok(terms)
}

/// The platform parties of terms (organisations that sign).
fn platform_parties(t: &Terms) -> Vec<(OrgId, String)> {
    let mut out: Vec<(OrgId, String)> = Vec::new();
    for p in &t.parties {
        if let Some(org) = p.org_id
            && !out.iter().any(|(o, _)| *o == org)
        {
            out.push((org, p.name.clone()));
        }
    }
    out
}

/// Whether the caller signs for `org` on the project: the enterprise's administrators and HR,
/// the college's administrators and programme leaders.
fn signs_for(p: &Principal, j: &ProjectRecord, org: OrgId) -> bool {
    (org == j.enterprise_org_id && acts_for(p, Side::Enterprise, org))
        || (org == j.college_org_id && acts_for(p, Side::College, org))
}

fn may_propose(p: &Principal, j: &ProjectRecord) -> bool {
    signs_for(p, j, j.enterprise_org_id) || signs_for(p, j, j.college_org_id)
}

/// The version in force: the newest one that came into force.
pub(super) fn in_force(history: &[AgreementVersionRecord]) -> Option<&AgreementVersionRecord> {
    history.iter().filter(|v| v.in_force_at.is_some()).max_by_key(|v| v.version)
}

fn pending(history: &[AgreementVersionRecord]) -> Option<&AgreementVersionRecord> {
    history.iter().filter(|v| v.in_force_at.is_none() && v.superseded_at.is_none()).max_by_key(|v| v.version)
}

impl App {
    /// A project's agreement (both parties' staff and alliance administrators; others 404).
    pub async fn get_agreement(&self, p: &Principal, id: i64) -> AppResult<AgreementView> {
        let j = self.project(p, id).await?;
        let history = self.store.conn().await?.list_agreement_versions(&p.read_scope(), id).await?;
        let force = in_force(&history).cloned();
        let wait = pending(&history).cloned();
        let signatories: Vec<Signatory> = wait
            .as_ref()
            .map(|v| {
                platform_parties(&v.terms)
                    .into_iter()
                    .map(|(org, name)| Signatory {
                        signed: v.signatures.iter().any(|s| s.org_id == org),
                        org_id: org,
                        name,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let may_sign = signatories.iter().any(|s: &Signatory| !s.signed && signs_for(p, &j, s.org_id));
        let draft = wait.as_ref().or(force.as_ref()).map(|v| v.terms.clone()).unwrap_or_else(|| {
            Terms::prefilled((j.enterprise_org_id, &j.enterprise_name), (j.college_org_id, &j.college_name))
        });
        Ok(AgreementView {
            project_id: id,
            in_force: force,
            pending: wait,
            signatories,
            history,
            draft,
            may_propose: may_propose(p, &j),
            may_sign,
        })
    }

    /// Proposes a new version of the terms (the first, or an amendment of a signed one): the
    /// signatories of either party. It replaces a version still awaiting signatures and takes
    /// effect only when every platform party has signed it.
    pub async fn propose_agreement(&self, p: &Principal, id: i64, input: &TermsInput) -> AppResult<AgreementView> {
        let j = self.project(p, id).await?;
        if !may_propose(p, &j) {
            return Err(AppError::Forbidden);
        }
        let terms = validate_terms(input, &j)?;
        let mut unknown_accounts = ValidationErrors::new();
        let mut conn = self.store.conn().await?;
        for (n, inv) in terms.inventors.iter().enumerate() {
            if let Some(account) = inv.account_id
                && conn.find_account(account).await?.is_none()
            {
                unknown_accounts.push(unknown(
                    &format!("inventors[{n}].account_id"),
                    "账号",
                    "account",
                    &account.to_string(),
                ));
            }
        }
        drop(conn);
        unknown_accounts.into_result()?;
        let mut tx = self.store.begin().await?;
        tx.lock_org(j.enterprise_org_id).await?;
        let history = tx.list_agreement_versions(&p.read_scope(), id).await?;
        let version = history.iter().map(|v| v.version).max().unwrap_or(0) + 1;
        let vid = tx.propose_agreement(id, version, &terms, p.id(), self.now()).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::created("research_agreement.propose", "research_agreement_version", vid, &terms),
        )
        .await?;
        tx.commit().await?;
        self.get_agreement(p, id).await
    }

    /// Signs the pending version for the party the caller acts for; the version comes into
    /// force, in the same transaction, with the last signature.
    pub async fn sign_project_agreement(&self, p: &Principal, id: i64, input: &SignInput) -> AppResult<AgreementView> {
        let j = self.project(p, id).await?;
        if !may_propose(p, &j) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        tx.lock_org(j.enterprise_org_id).await?;
        let history = tx.list_agreement_versions(&p.read_scope(), id).await?;
        let Some(v) = pending(&history).filter(|v| v.version == input.version) else {
            return Err(wrong_state(
                &format!("第 {} 版协议不在待签署状态（已生效、已被新版本取代或不存在）", input.version),
                &format!("Version {} is not awaiting signatures (in force, replaced or missing)", input.version),
            ));
        };
        let parties = platform_parties(&v.terms);
        let Some((org, _)) =
            parties.iter().find(|(org, _)| signs_for(p, &j, *org) && !v.signatures.iter().any(|s| s.org_id == *org))
        else {
            return Err(wrong_state("你所代表的一方已签署此版本", "Your party has already signed this version"));
        };
        let at = self.now();
        match tx.sign_agreement(v.id, *org, p.id(), at).await {
            Err(StoreError::Conflict { .. }) => {
                return Err(wrong_state("你所代表的一方已签署此版本", "Your party has already signed this version"));
            }
            other => other?,
        }
        let signed = v.signatures.len() + 1;
        if signed >= parties.len() {
            tx.put_agreement_in_force(v.id, at).await?;
        }
        record(
            &mut tx,
            self.now(),
            p,
            Some(*org),
            Change::created(
                "research_agreement.sign",
                "research_agreement_version",
                v.id,
                &serde_json::json!({"version": v.version, "org_id": org, "in_force": signed >= parties.len()}),
            ),
        )
        .await?;
        tx.commit().await?;
        self.get_agreement(p, id).await
    }

    /// Refuses work on a project (409) until an agreement is in force; returns the version.
    pub(super) async fn require_agreement(
        &self,
        project: i64,
        doing_zh: &str,
        doing_en: &str,
    ) -> AppResult<AgreementVersionRecord> {
        // Every caller has read the project in its own scope first.
        let history =
            self.store.conn().await?.list_agreement_versions(&xiaoqi_store::ReadScope::Everything, project).await?;
        in_force(&history).cloned().ok_or_else(|| {
            wrong_state(
                &format!("风险共担与利益分配协议尚未由各方签署生效，暂不能{doing_zh}"),
                &format!(
                    "The risk- and benefit-sharing agreement is not yet signed by every party; {doing_en} must wait"
                ),
            )
        })
    }
}

//! Order classes (订单班/冠名班, DESIGN.md §2.2): an enterprise and a college draft and sign an
//! agreement, amend it only by a version both sign, recruit the college's students, assess them
//! jointly, decide employment per student and keep a scholarship ledger. Which step follows
//! which and who takes it live in `xiaoqi_domain::order_class`; who acts for a side is
//! `services::acting_for`, reused.

mod students;
mod view;

use serde::{Deserialize, Serialize};
pub use students::{AnswerInput, ApplyInput, DisbursementInput, OfferInput, ScoreInput, SelectionInput};
pub use view::{EnrolmentView, MajorName, OrderClassView, ScholarshipTotal};
use xiaoqi_domain::order_class::{OrderClassAction, OrderClassStatus, Taker, Terms, TermsInput, validate_terms};
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{OrderClassFilter, OrderClassRecord, OrgId, StoreError};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::notify::notify;
use crate::services::{ActingFor, acting_for, acting_orgs, acts_for};
use crate::talent::supply::is_college_staff;
use crate::{App, Principal};

/// A new draft agreement between a college and an enterprise; the caller acts for one of them.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrderClassInput {
    pub college_id: OrgId,
    pub enterprise_id: OrgId,
    /// The terms: class_name, major_ids, quota, scholarships, employment, courses, weights.
    #[schema(value_type = Object)]
    pub terms: TermsInput,
}

/// The terms of a draft or of an amendment.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsBody {
    #[schema(value_type = Object)]
    pub terms: TermsInput,
}

/// A lifecycle step other than signing.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvanceInput {
    /// open_recruiting, start_training, start_assessment, start_employment or close.
    pub action: String,
}

/// The organisation on one side of a class.
pub(crate) fn party(r: &OrderClassRecord, side: Side) -> OrgId {
    match side {
        Side::College => r.college_org_id,
        Side::Enterprise => r.enterprise_org_id,
    }
}

/// The sides the caller acts for in this class (a person acts for at most one in practice).
pub fn acting_sides(p: &Principal, r: &OrderClassRecord) -> Vec<Side> {
    [Side::College, Side::Enterprise].into_iter().filter(|s| acts_for(p, *s, party(r, *s))).collect()
}

/// Whether the caller may see a class: alliance administrators and either party's acting
/// staff always; once signed, every member of either party (the college's students, the
/// enterprise's mentors). Anyone else is told it does not exist.
pub fn may_read(p: &Principal, r: &OrderClassRecord) -> bool {
    p.is_alliance_admin()
        || !acting_sides(p, r).is_empty()
        || (r.status != OrderClassStatus::Draft
            && (p.is_member_of(r.college_org_id) || p.is_member_of(r.enterprise_org_id)))
}

/// Whether the caller sees every student's rows (applications, scores, offers, payments); a
/// student sees only their own.
pub fn sees_everyone(p: &Principal, r: &OrderClassRecord) -> bool {
    p.is_alliance_admin()
        || !acting_sides(p, r).is_empty()
        || is_college_staff(p, r.college_org_id)
        || p.is_member_of(r.enterprise_org_id)
}

/// The capability to take a step that `taker` allows, for the side the caller acts for.
pub(crate) fn acting_in(p: &Principal, r: &OrderClassRecord, taker: Taker) -> AppResult<ActingFor> {
    let side = acting_sides(p, r).into_iter().find(|s| taker.includes(*s)).ok_or(AppError::Forbidden)?;
    acting_for(p, side, party(r, side))
}

/// The role a signer acts in: the first of the side's acting roles they hold.
fn signing_role(p: &Principal, a: &ActingFor) -> &'static str {
    a.side.acting_roles().iter().find(|r| p.has_role(a.org_id, **r)).map_or("org_admin", |r| r.as_str())
}

/// A step the current status does not allow, named in both languages.
pub(crate) fn not_now(what_zh: &str, what_en: &str, status: OrderClassStatus) -> AppError {
    AppError::state(
        format!("订单班当前状态（{}）不能{what_zh}", status.label_zh()),
        format!("{what_en} is not possible while the order class is {}", status.label_en().to_lowercase()),
    )
}

/// Opens a transaction on a class the caller may see: the college's lock first (so that quota,
/// signatures and the ledger are read and written one writer at a time), then the record.
pub(crate) async fn begin_on(app: &App, p: &Principal, id: i64) -> AppResult<(Box<dyn Conn>, OrderClassRecord)> {
    let mut tx = app.store.begin().await?;
    let r = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
    if !may_read(p, &r) {
        return Err(AppError::NotFound("order_class"));
    }
    tx.lock_org(r.college_org_id).await?;
    let r = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
    Ok((tx, r))
}

/// Tells the acting staff of one side about a class.
pub(crate) async fn notify_side(
    tx: &mut Box<dyn Conn>,
    at: i64,
    r: &OrderClassRecord,
    side: Side,
    kind: &str,
    zh: String,
    en: String,
) -> AppResult<()> {
    for account in tx.list_role_holders(party(r, side), side.acting_roles()).await? {
        notify(tx, at, account, kind, zh.clone(), en.clone(), Some(format!("/order-classes/{}", r.id))).await?;
    }
    Ok(())
}

/// Validates terms and checks that every major is one of the college's.
async fn checked_terms(conn: &mut Box<dyn Conn>, college: OrgId, input: &TermsInput) -> AppResult<Terms> {
    let mut errors = match validate_terms(input) {
        Ok(_) => ValidationErrors::new(),
        Err(e) => e,
    };
    let majors = conn.list_majors(college).await?;
    for (i, m) in input.major_ids.iter().enumerate() {
        if !majors.iter().any(|x| x.id == *m) {
            errors.push(FieldError::new(
                format!("major_ids[{i}]"),
                "major_unknown",
                format!("专业 {m} 不是该院校的专业（major_unknown）"),
                format!("Major {m} is not a major of the college (major_unknown)"),
            ));
        }
    }
    errors.into_result()?;
    validate_terms(input).map_err(AppError::from)
}

fn org_kind_error(field: &str, kind: OrgKind) -> FieldError {
    FieldError::new(
        field,
        "org_kind",
        format!("{field} 须为{}（org_kind）", kind.label_zh()),
        format!("{field} must be a {} (org_kind)", kind.label_en().to_lowercase()),
    )
}

impl App {
    /// Drafts an agreement: the acting staff of the enterprise or of the college named.
    pub async fn create_order_class(&self, p: &Principal, input: &NewOrderClassInput) -> AppResult<OrderClassRecord> {
        let me = acting_for(p, Side::Enterprise, input.enterprise_id)
            .or_else(|_| acting_for(p, Side::College, input.college_id))?;
        let mut tx = self.store.begin().await?;
        let mut e = ValidationErrors::new();
        for (field, id, kind) in [
            ("college_id", input.college_id, OrgKind::College),
            ("enterprise_id", input.enterprise_id, OrgKind::Enterprise),
        ] {
            if tx.find_org(id).await?.is_none_or(|o| o.profile.kind != kind) {
                e.push(org_kind_error(field, kind));
            }
        }
        e.into_result()?;
        let terms = checked_terms(&mut tx, input.college_id, &input.terms).await?;
        let at = self.now();
        let id = tx.create_order_class(input.college_id, input.enterprise_id, &terms, me.actor, me.side, at).await?;
        let r = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
        let (zh, en) = (
            format!("{} 起草了订单班协议“{}”，请审阅并签署", party_name(&r, me.side), r.terms.class_name),
            format!(
                "{} drafted the order class agreement \"{}\": review and sign",
                party_name(&r, me.side),
                r.terms.class_name
            ),
        );
        notify_side(&mut tx, self.now(), &r, me.side.other(), "order_class.create", zh, en).await?;
        record(&mut tx, self.now(), p, Some(me.org_id), Change::created("order_class.create", "order_class", id, &r))
            .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// The classes the caller may see, most recently changed first.
    pub async fn list_order_classes(
        &self,
        p: &Principal,
        status: Option<&str>,
        page: PageRequest,
    ) -> AppResult<Page<OrderClassRecord>> {
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(OrderClassStatus::parse(s).ok_or_else(|| {
                FieldError::new("status", "status_unknown", format!("未知的状态：{s}"), format!("Unknown status: {s}"))
            })?),
        };
        let mut drafts = acting_orgs(p, Side::College);
        drafts.extend(acting_orgs(p, Side::Enterprise));
        let filter = if p.is_alliance_admin() {
            OrderClassFilter { orgs: None, draft_orgs: Vec::new(), status }
        } else {
            OrderClassFilter { orgs: Some(p.orgs().into_iter().map(|o| o.0).collect()), draft_orgs: drafts, status }
        };
        Ok(self.store.conn().await?.list_order_classes(&filter, page).await?)
    }

    /// Replaces a draft's terms (either party's acting staff); signed terms change only by an
    /// amendment (409). Signatures already given to the draft are voided: each party signs the
    /// terms it has seen.
    pub async fn update_draft_terms(&self, p: &Principal, id: i64, input: &TermsInput) -> AppResult<OrderClassRecord> {
        let (mut tx, before) = begin_on(self, p, id).await?;
        let me = acting_in(p, &before, Taker::Either)?;
        let terms = checked_terms(&mut tx, before.college_org_id, input).await?;
        if before.status != OrderClassStatus::Draft {
            return Err(AppError::state(
                "协议已签署，条款不可直接修改；请提出补充协议，经双方签署后生效",
                "The agreement is signed: its terms change only by an amendment both parties sign",
            ));
        }
        tx.replace_draft_terms(id, &terms, self.now()).await?;
        let after = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
        let (zh, en) = (
            format!(
                "{} 修改了订单班协议草案“{}”，请重新审阅并签署",
                party_name(&after, me.side),
                after.terms.class_name
            ),
            format!(
                "{} changed the draft agreement \"{}\": review and sign again",
                party_name(&after, me.side),
                after.terms.class_name
            ),
        );
        notify_side(&mut tx, self.now(), &after, me.side.other(), "order_class.terms", zh, en).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(me.org_id),
            Change::updated("order_class.terms", "order_class", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Signs the draft for the caller's side; with the other side's signature already there the
    /// class is signed and its terms in force.
    pub async fn sign_order_class(&self, p: &Principal, id: i64) -> AppResult<OrderClassRecord> {
        let (mut tx, before) = begin_on(self, p, id).await?;
        let me = acting_in(p, &before, OrderClassAction::Sign.taker())?;
        let Some(to) = before.status.after(OrderClassAction::Sign) else {
            return Err(not_now("签署协议", "Signing", before.status));
        };
        self.sign_version(&mut tx, p, &me, &before, before.current_version).await?;
        if both_signed(&mut tx, id, before.current_version).await? {
            tx.set_order_class_status(id, before.status, to, self.now()).await.map_err(|e| race(e, before.status))?;
            tx.set_current_version(id, before.current_version, self.now()).await?;
        }
        let after = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(me.org_id),
            Change::updated("order_class.sign", "order_class", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records the caller's signature under one version and tells the other side.
    async fn sign_version(
        &self,
        tx: &mut Box<dyn Conn>,
        p: &Principal,
        me: &ActingFor,
        r: &OrderClassRecord,
        version: i64,
    ) -> AppResult<()> {
        let role = signing_role(p, me);
        tx.add_signature(r.id, version, me.side, me.actor, role, self.now()).await.map_err(|e| match e {
            StoreError::Conflict { .. } => AppError::state(
                format!("{}已签署第 {version} 版", me.side.label_zh()),
                format!("The {} side has signed version {version} already", me.side.label_en().to_lowercase()),
            ),
            other => other.into(),
        })?;
        let (zh, en) = (
            format!("{} 签署了订单班协议“{}”第 {version} 版", party_name(r, me.side), r.terms.class_name),
            format!("{} signed version {version} of the agreement \"{}\"", party_name(r, me.side), r.terms.class_name),
        );
        notify_side(tx, self.now(), r, me.side.other(), "order_class.sign", zh, en).await
    }

    /// Proposes an amendment (a new version of the terms) to a signed agreement; it takes
    /// effect once both parties have signed it. One open amendment at a time.
    pub async fn propose_amendment(&self, p: &Principal, id: i64, input: &TermsInput) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        let me = acting_in(p, &r, Taker::Either)?;
        let terms = checked_terms(&mut tx, r.college_org_id, input).await?;
        if !r.status.in_force() {
            return Err(not_now("提出补充协议", "An amendment", r.status));
        }
        let versions = tx.list_terms_versions(id).await?;
        if versions.iter().any(|v| v.version > r.current_version) {
            return Err(AppError::state(
                "已有一份待签署的补充协议，请先签署或等待对方签署",
                "An amendment is already awaiting signatures",
            ));
        }
        let enrolled = view::enrolled_count(&mut tx, id).await?;
        if terms.quota < enrolled {
            return Err(FieldError::new(
                "quota",
                "quota_below_enrolled",
                format!("名额不能少于已录取的 {enrolled} 人（quota_below_enrolled）"),
                format!("The quota cannot be below the {enrolled} students enrolled (quota_below_enrolled)"),
            )
            .into());
        }
        let version = versions.iter().map(|v| v.version).max().unwrap_or(1) + 1;
        tx.create_terms_version(id, version, &terms, me.actor, me.side, self.now()).await?;
        let (zh, en) = (
            format!(
                "{} 提出了订单班“{}”的补充协议（第 {version} 版），请审阅并签署",
                party_name(&r, me.side),
                r.terms.class_name
            ),
            format!(
                "{} proposed amendment {version} to \"{}\": review and sign",
                party_name(&r, me.side),
                r.terms.class_name
            ),
        );
        notify_side(&mut tx, self.now(), &r, me.side.other(), "order_class.amend", zh, en).await?;
        let change = Change::created("order_class.amend", "order_class_version", format!("{id}/{version}"), &terms);
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// Signs an open amendment for the caller's side; with both signatures it is in force.
    pub async fn sign_amendment(&self, p: &Principal, id: i64, version: i64) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        let me = acting_in(p, &r, Taker::Both)?;
        let versions = tx.list_terms_versions(id).await?;
        let Some(v) = versions.iter().find(|v| v.version == version) else {
            return Err(AppError::NotFound("order_class_version"));
        };
        if v.version <= r.current_version || v.effective_at.is_some() || !r.status.in_force() {
            return Err(AppError::state(
                format!("第 {version} 版不是待签署的补充协议"),
                format!("Version {version} is not an amendment awaiting signatures"),
            ));
        }
        self.sign_version(&mut tx, p, &me, &r, version).await?;
        if both_signed(&mut tx, id, version).await? {
            tx.set_current_version(id, version, self.now()).await?;
        }
        let after = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
        let change = Change::updated("order_class.sign_amendment", "order_class", id, &r, &after);
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// Takes a lifecycle step other than signing: the side the table names (403), a known
    /// action (422), allowed in the current status (409). Training starts with at least one
    /// student enrolled.
    pub async fn advance_order_class(
        &self,
        p: &Principal,
        id: i64,
        input: &AdvanceInput,
    ) -> AppResult<OrderClassRecord> {
        let action =
            OrderClassAction::parse(input.action.trim()).filter(|a| *a != OrderClassAction::Sign).ok_or_else(|| {
                FieldError::new(
                    "action",
                    "action_unknown",
                    "步骤须为 open_recruiting、start_training、start_assessment、start_employment 或 close",
                    "action must be open_recruiting, start_training, start_assessment, start_employment or close",
                )
            });
        let (mut tx, before) = begin_on(self, p, id).await?;
        let action = action?;
        let me = acting_in(p, &before, action.taker())?;
        let Some(to) = before.status.after(action) else {
            return Err(not_now(action.label_zh(), action.label_en(), before.status));
        };
        if action == OrderClassAction::StartTraining && view::enrolled_count(&mut tx, id).await? == 0 {
            return Err(AppError::state(
                "尚无双方均录取的学生，不能开班",
                "No student has been selected by both parties yet: training cannot start",
            ));
        }
        tx.set_order_class_status(id, before.status, to, self.now()).await.map_err(|e| race(e, before.status))?;
        let after = tx.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
        let (zh, en) = (
            format!("订单班“{}”：{}{}", after.terms.class_name, party_name(&after, me.side), action.label_zh()),
            format!(
                "Order class \"{}\": {} — {}",
                after.terms.class_name,
                party_name(&after, me.side),
                action.label_en()
            ),
        );
        notify_side(&mut tx, self.now(), &after, me.side.other(), "order_class.advance", zh, en).await?;
        let change = Change::updated("order_class.advance", "order_class", id, &before, &after);
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// Whether both parties have signed one version.
async fn both_signed(tx: &mut Box<dyn Conn>, id: i64, version: i64) -> AppResult<bool> {
    let signed = tx.list_signatures(id).await?;
    Ok([Side::College, Side::Enterprise].iter().all(|s| signed.iter().any(|x| x.version == version && x.side == *s)))
}

/// The name of the organisation on one side.
pub(crate) fn party_name(r: &OrderClassRecord, side: Side) -> &str {
    match side {
        Side::College => &r.college_name,
        Side::Enterprise => &r.enterprise_name,
    }
}

/// A status change that lost a race: the class moved since it was read.
fn race(e: StoreError, status: OrderClassStatus) -> AppError {
    match e {
        StoreError::NotFound { .. } => not_now("执行此步骤", "This step", status),
        other => other.into(),
    }
}

/// Whether the caller is a student of the class's college.
pub(crate) fn is_student_of(p: &Principal, r: &OrderClassRecord) -> bool {
    p.has_role(r.college_org_id, Role::Student)
}

//! Records and the port for order classes (订单班, DESIGN.md §2.2): the class, its versions of
//! terms (JSON text, read and written whole), signatures per version and side, enrolments with
//! both parties' selections, scores, employment decisions and the append-only scholarship ledger.

use async_trait::async_trait;
use serde::Serialize;
use xiaoqi_domain::order_class::{EmploymentStatus, OrderClassStatus, Terms};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;

use crate::{AccountId, Millis, OrgId, ReadScope, StoreResult};

/// An order class with its current terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrderClassRecord {
    pub id: i64,
    pub college_org_id: OrgId,
    pub college_name: String,
    pub enterprise_org_id: OrgId,
    pub enterprise_name: String,
    #[schema(value_type = String)]
    pub status: OrderClassStatus,
    /// The version of the terms in force (or being drafted).
    pub current_version: i64,
    #[schema(value_type = Object)]
    pub terms: Terms,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which order classes to list: those where one of `orgs` is a party; drafts only where one of
/// `draft_orgs` is. `None` for `orgs` means every class (alliance administrators).
#[derive(Debug, Clone, Default)]
pub struct OrderClassFilter {
    pub orgs: Option<Vec<OrgId>>,
    pub draft_orgs: Vec<OrgId>,
    pub status: Option<OrderClassStatus>,
}

/// One version of the terms: version 1 is the draft; later ones are amendments, in force once
/// both parties signed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TermsVersionRecord {
    pub class_id: i64,
    pub version: i64,
    #[schema(value_type = Object)]
    pub terms: Terms,
    pub proposed_by: AccountId,
    #[schema(value_type = String)]
    pub proposed_side: Side,
    pub proposed_at: Millis,
    /// When both signatures were in and the version took effect.
    pub effective_at: Option<Millis>,
}

/// A party's signature under one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SignatureRecord {
    pub class_id: i64,
    pub version: i64,
    #[schema(value_type = String)]
    pub side: Side,
    pub account_id: AccountId,
    pub signer_name: String,
    /// The role the signer acted in (org_admin, enterprise_hr, programme_leader).
    pub role: String,
    pub signed_at: Millis,
}

/// A student's application and both parties' selection decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EnrolmentRecord {
    pub class_id: i64,
    pub student_id: AccountId,
    pub student_name: String,
    pub applied_at: Millis,
    /// When the student consented to share the profile with the sponsor.
    pub consented_at: Millis,
    pub college_selected: Option<bool>,
    pub enterprise_selected: Option<bool>,
    pub college_decided_by: Option<AccountId>,
    pub enterprise_decided_by: Option<AccountId>,
}

/// One side's score of one student, in tenths of a point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScoreRecord {
    pub class_id: i64,
    pub student_id: AccountId,
    #[schema(value_type = String)]
    pub side: Side,
    pub score_tenths: i64,
    pub scored_by: AccountId,
    pub scored_at: Millis,
}

/// The employment decision of one student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EmploymentRecord {
    pub class_id: i64,
    pub student_id: AccountId,
    #[schema(value_type = String)]
    pub status: EmploymentStatus,
    pub post_title: String,
    pub monthly_pay_fen: i64,
    pub offered_by: AccountId,
    pub offered_at: Millis,
    pub decided_at: Option<Millis>,
    pub decline_reason: Option<String>,
}

/// A scholarship payment to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDisbursement {
    pub class_id: i64,
    pub student_id: AccountId,
    pub scholarship: String,
    pub amount_fen: i64,
    /// YYYY-MM-DD.
    pub paid_on: String,
    pub recorded_by: AccountId,
    pub recorded_at: Millis,
}

/// A stored scholarship payment (append-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DisbursementRecord {
    pub id: i64,
    pub class_id: i64,
    pub student_id: AccountId,
    pub student_name: String,
    pub scholarship: String,
    pub amount_fen: i64,
    pub paid_on: String,
    pub recorded_by: AccountId,
    pub recorded_at: Millis,
}

/// The port.
#[async_trait]
pub trait OrderClassRepo: Send {
    /// Creates a draft class with its terms as version 1.
    async fn create_order_class(
        &mut self,
        college: OrgId,
        enterprise: OrgId,
        terms: &Terms,
        by: AccountId,
        side: Side,
        at: Millis,
    ) -> StoreResult<i64>;
    /// An order class one of whose parties is in `scope`.
    async fn find_order_class(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<OrderClassRecord>>;
    /// Most recently changed first.
    async fn list_order_classes(
        &mut self,
        f: &OrderClassFilter,
        page: PageRequest,
    ) -> StoreResult<Page<OrderClassRecord>>;
    /// Replaces the draft's terms (version 1) and removes its signatures: a signature holds
    /// for the terms signed. `Conflict` when the class is no longer a draft.
    async fn replace_draft_terms(&mut self, id: i64, terms: &Terms, at: Millis) -> StoreResult<()>;
    /// Adds an amendment (a new version) proposed by one side.
    async fn create_terms_version(
        &mut self,
        id: i64,
        version: i64,
        terms: &Terms,
        by: AccountId,
        side: Side,
        at: Millis,
    ) -> StoreResult<()>;
    /// Every version, oldest first.
    async fn list_terms_versions(&mut self, id: i64) -> StoreResult<Vec<TermsVersionRecord>>;
    /// Records a signature; a second one of the same side under the same version is a conflict.
    async fn add_signature(
        &mut self,
        id: i64,
        version: i64,
        side: Side,
        by: AccountId,
        role: &str,
        at: Millis,
    ) -> StoreResult<()>;
    /// Every signature, by version then time.
    async fn list_signatures(&mut self, id: i64) -> StoreResult<Vec<SignatureRecord>>;
    /// Moves the class from `from` to `to`; `NotFound` when it is no longer in `from`.
    async fn set_order_class_status(
        &mut self,
        id: i64,
        from: OrderClassStatus,
        to: OrderClassStatus,
        at: Millis,
    ) -> StoreResult<()>;
    /// Puts a version in force.
    async fn set_current_version(&mut self, id: i64, version: i64, at: Millis) -> StoreResult<()>;
    /// Records an application; a second one of the same student is a conflict.
    async fn create_enrolment(&mut self, id: i64, student: AccountId, at: Millis) -> StoreResult<()>;
    /// Records one side's selection decision (it may be changed).
    async fn set_selection(
        &mut self,
        id: i64,
        student: AccountId,
        side: Side,
        selected: bool,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    /// Applications, earliest first.
    async fn list_enrolments(&mut self, id: i64) -> StoreResult<Vec<EnrolmentRecord>>;
    /// Inserts or replaces one side's score of a student.
    async fn put_score(
        &mut self,
        id: i64,
        student: AccountId,
        side: Side,
        score_tenths: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    async fn list_scores(&mut self, id: i64) -> StoreResult<Vec<ScoreRecord>>;
    /// Records an offer; a second offer to the same student is a conflict.
    async fn create_offer(
        &mut self,
        id: i64,
        student: AccountId,
        post_title: &str,
        monthly_pay_fen: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    /// Answers an open offer; `NotFound` when there is no open offer.
    async fn answer_offer(
        &mut self,
        id: i64,
        student: AccountId,
        status: EmploymentStatus,
        reason: Option<&str>,
        at: Millis,
    ) -> StoreResult<()>;
    async fn list_employment(&mut self, id: i64) -> StoreResult<Vec<EmploymentRecord>>;
    /// Appends a payment to the ledger.
    async fn append_disbursement(&mut self, d: &NewDisbursement) -> StoreResult<i64>;
    /// The ledger, oldest first.
    async fn list_disbursements(&mut self, id: i64) -> StoreResult<Vec<DisbursementRecord>>;
}

//! Records and the port for the second part of research cooperation (DESIGN.md §2.3): the
//! risk- and benefit-sharing agreement of a project (versions, signatures per party), results,
//! conversion events with their append-only distribution ledger, government programmes with
//! applications and awards, and the facts the measures are computed from.
//!
//! An agreement's terms are JSON text read and written whole; the rules over them live in
//! `xiaoqi_domain::benefit`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use xiaoqi_domain::benefit::Terms;
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::ProjectStatus;

use crate::{AccountId, Millis, OrgId, ReadScope, StoreResult};

/// A party's signature on one version of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgreementSignatureRecord {
    pub org_id: OrgId,
    pub org_name: String,
    pub signed_by: AccountId,
    pub signer_name: String,
    pub signed_at: Millis,
}

/// One version of a project's agreement with its signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgreementVersionRecord {
    pub id: i64,
    pub project_id: i64,
    pub version: i64,
    #[schema(value_type = Object)]
    pub terms: Terms,
    pub proposed_by: AccountId,
    pub proposed_at: Millis,
    /// When every platform party had signed it.
    pub in_force_at: Option<Millis>,
    /// When a newer proposal replaced it before it came into force.
    pub superseded_at: Option<Millis>,
    pub signatures: Vec<AgreementSignatureRecord>,
}

/// An owner of a result: a person or an organisation, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResultOwner {
    pub name: String,
    /// The organisation, when the owner is one on the platform.
    pub org_id: Option<OrgId>,
}

/// A result to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResult {
    pub project_id: i64,
    pub kind: ResultKind,
    pub title: String,
    pub registration_no: Option<String>,
    /// YYYY-MM-DD.
    pub result_date: String,
    pub owners: Vec<ResultOwner>,
    pub by: AccountId,
    pub at: Millis,
}

/// A registered result with what its conversions earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ResultRecord {
    pub id: i64,
    pub project_id: i64,
    #[schema(value_type = String)]
    pub kind: ResultKind,
    pub title: String,
    pub registration_no: Option<String>,
    pub result_date: String,
    pub owners: Vec<ResultOwner>,
    pub conversions: i64,
    pub income_fen: i64,
    pub created_by: AccountId,
    pub created_at: Millis,
}

/// One line of a conversion's distribution, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LedgerLine {
    /// `party` or `inventor`.
    pub beneficiary_kind: String,
    /// The party's or inventor's place in the terms of the version used.
    pub beneficiary_index: i64,
    pub name: String,
    pub org_id: Option<OrgId>,
    pub account_id: Option<AccountId>,
    pub amount_fen: i64,
}

/// A conversion event to record with its distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversion {
    pub result_id: i64,
    pub kind: ConversionKind,
    pub counterparty: String,
    /// YYYY-MM-DD.
    pub event_date: String,
    pub income_fen: i64,
    pub note: String,
    pub agreement_version_id: i64,
    pub lines: Vec<LedgerLine>,
    /// The side whose staff recorded it (`college` or `enterprise`); the other side confirms.
    pub recorded_side: String,
    pub by: AccountId,
    pub at: Millis,
}

/// The other party's answer to a recorded conversion: `confirmed` (its income enters the ledger)
/// or `disputed` (with the reason; it never does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConversionDecision {
    pub decision: String,
    pub reason: String,
    pub decided_by: AccountId,
    pub decided_at: Millis,
}

/// A stored conversion event with its ledger lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConversionRecord {
    pub id: i64,
    pub result_id: i64,
    pub result_title: String,
    pub project_id: i64,
    #[schema(value_type = String)]
    pub kind: ConversionKind,
    pub counterparty: String,
    pub event_date: String,
    pub income_fen: i64,
    pub note: String,
    pub agreement_version: i64,
    pub lines: Vec<LedgerLine>,
    pub recorded_side: String,
    pub recorded_by: AccountId,
    pub recorded_at: Millis,
    /// None while it waits for the other party.
    pub decision: Option<ConversionDecision>,
}

/// A programme's fields, validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProgrammeFields {
    pub name: String,
    pub description: String,
    /// SME size class codes; empty: any enterprise.
    pub eligible_sizes: Vec<String>,
    /// Hundredths of a percent.
    pub matching_ratio: i64,
    pub ceiling_fen: i64,
    /// YYYY-MM-DD, the last day to apply.
    pub deadline: String,
}

/// A stored programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgrammeRecord {
    pub id: i64,
    pub agency_org_id: OrgId,
    pub agency_name: String,
    #[serde(flatten)]
    pub fields: ProgrammeFields,
    pub created_by: AccountId,
    pub created_at: Millis,
}

/// An application to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub programme_id: i64,
    pub project_id: i64,
    pub applicant_org_id: OrgId,
    pub requested_fen: i64,
    pub enterprise_funding_fen: i64,
    pub by: AccountId,
    pub at: Millis,
}

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgrammeApplicationRecord {
    pub id: i64,
    pub programme_id: i64,
    pub programme_name: String,
    pub agency_org_id: OrgId,
    pub project_id: i64,
    pub project_title: String,
    pub enterprise_org_id: OrgId,
    pub college_org_id: OrgId,
    pub applicant_org_id: OrgId,
    pub applicant_name: String,
    pub requested_fen: i64,
    pub enterprise_funding_fen: i64,
    /// submitted or awarded.
    pub status: String,
    pub awarded_fen: Option<i64>,
    pub line_id: Option<i64>,
    pub applied_by: AccountId,
    pub applied_at: Millis,
    pub decided_by: Option<AccountId>,
    pub decided_at: Option<Millis>,
}

/// What the measures are computed from: one row per project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFact {
    pub project_id: i64,
    pub problem_id: i64,
    pub team_id: i64,
    pub team_name: String,
    pub enterprise_org_id: OrgId,
    pub college_org_id: OrgId,
    pub status: ProjectStatus,
    pub milestones: i64,
    pub accepted: i64,
    /// Accepted on or before the due date (Asia/Shanghai day).
    pub accepted_on_time: i64,
    pub results: i64,
    pub results_converted: i64,
    pub income_fen: i64,
}

/// A problem for the measures: who posted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemFact {
    pub problem_id: i64,
    pub enterprise_org_id: OrgId,
}

/// An organisation's name and region, for grouping the measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgFact {
    pub org_id: OrgId,
    pub name: String,
    pub region_code: Option<String>,
}

/// All facts of the measures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureFacts {
    pub problems: Vec<ProblemFact>,
    pub projects: Vec<ProjectFact>,
    pub orgs: Vec<OrgFact>,
}

/// The port.
#[async_trait]
pub trait BenefitRepo: Send {
    /// Adds version `version` of a project's agreement, marking any earlier version still
    /// awaiting signatures superseded.
    async fn propose_agreement(
        &mut self,
        project: i64,
        version: i64,
        terms: &Terms,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    /// A project's agreement versions, oldest first, with their signatures (none outside `scope`).
    async fn list_agreement_versions(
        &mut self,
        scope: &ReadScope,
        project: i64,
    ) -> StoreResult<Vec<AgreementVersionRecord>>;
    /// Records a party's signature; `Conflict` when the party already signed this version.
    async fn sign_agreement(&mut self, version_id: i64, org: OrgId, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Puts a fully signed version in force; `NotFound` unless it is neither in force nor superseded.
    async fn put_agreement_in_force(&mut self, version_id: i64, at: Millis) -> StoreResult<()>;

    async fn create_result(&mut self, r: &NewResult) -> StoreResult<i64>;
    /// A result of a project in `scope`.
    async fn find_result(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ResultRecord>>;
    /// A project's results, in order of registration (none outside `scope`).
    async fn list_results(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<ResultRecord>>;
    /// Records a conversion event and its ledger lines (append-only).
    async fn record_conversion(&mut self, c: &NewConversion) -> StoreResult<i64>;
    /// A project's conversion events with their lines, in order of recording (none outside `scope`).
    async fn list_conversions(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<ConversionRecord>>;
    /// One conversion event the scope may read.
    async fn find_conversion(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ConversionRecord>>;
    /// Records the other party's decision on a conversion; a second decision is a `Conflict`.
    async fn decide_conversion(&mut self, id: i64, d: &ConversionDecision) -> StoreResult<()>;

    async fn create_programme(
        &mut self,
        agency: OrgId,
        f: &ProgrammeFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    async fn find_programme(&mut self, id: i64) -> StoreResult<Option<ProgrammeRecord>>;
    /// Newest first.
    async fn list_programmes(&mut self, page: PageRequest) -> StoreResult<Page<ProgrammeRecord>>;
    /// `Conflict` when the project already applied to the programme.
    async fn create_programme_application(&mut self, a: &NewApplication) -> StoreResult<i64>;
    async fn find_programme_application(&mut self, id: i64) -> StoreResult<Option<ProgrammeApplicationRecord>>;
    /// A programme's applications (or a project's, when `project` is given), in order of application.
    async fn list_programme_applications(
        &mut self,
        programme: Option<i64>,
        project: Option<i64>,
    ) -> StoreResult<Vec<ProgrammeApplicationRecord>>;
    /// Records an award with its budget line; `NotFound` unless the application is still submitted.
    async fn award_programme_application(
        &mut self,
        id: i64,
        amount_fen: i64,
        line_id: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;

    /// Everything the measures count.
    async fn measure_facts(&mut self) -> StoreResult<MeasureFacts>;
}

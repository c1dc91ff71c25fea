//! Records and the port for industry–university–research cooperation (DESIGN.md §2.3): teams,
//! technical problems, admissions to their confidential details, proposals, projects with
//! milestones, budget lines by funding source and expenditures against them.
//!
//! Capabilities, proposed milestones, proposal members and risks are JSON text read and written
//! whole. A budget line's `spent_fen` is kept by the statement that records an expenditure, under
//! a CHECK that it never exceeds the line.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{
    FundingSource, MemberRole, MilestonePlan, ProblemStatus, ProjectStatus, ProposalStatus, TeamKind,
};

use crate::{AccountId, Millis, OrgId, ReadScope, StoreResult};

/// Equipment or a lab a team can use, with when it is available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Equipment {
    pub name: String,
    /// Free text, e.g. "工作日 9:00–17:00，需提前一周预约".
    pub availability: String,
}

/// The editable content of a team, validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamFields {
    pub name: String,
    #[schema(value_type = String)]
    pub kind: TeamKind,
    pub description: String,
    /// Skill codes from the skills vocabulary.
    pub skills: Vec<String>,
    /// CSCO 2022 occupation codes.
    pub occupations: Vec<String>,
    pub equipment: Vec<Equipment>,
}

/// A member of a team: an account of the platform or a person named in free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TeamMember {
    pub account_id: Option<AccountId>,
    /// The name of a person without an account (exactly one of the two is set).
    pub external_name: Option<String>,
    /// The college or enterprise the member comes from.
    pub org_id: Option<OrgId>,
    #[schema(value_type = String)]
    pub role: MemberRole,
}

/// A member as stored, with names for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TeamMemberRecord {
    #[serde(flatten)]
    pub member: TeamMember,
    /// The account's display name or the external name.
    pub name: String,
    pub org_name: Option<String>,
}

/// A stored team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TeamRecord {
    pub id: i64,
    pub college_org_id: OrgId,
    pub college_name: String,
    #[serde(flatten)]
    pub fields: TeamFields,
    pub members: Vec<TeamMemberRecord>,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which teams to list.
#[derive(Debug, Clone, Default)]
pub struct TeamFilter {
    pub college: Option<OrgId>,
    /// Only teams of alliance-member colleges.
    pub member_orgs_only: bool,
}

/// The editable content of a technical problem, validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProblemFields {
    pub title: String,
    /// Public.
    pub summary: String,
    /// Confidential: only the enterprise and admitted teams read it.
    pub details: String,
    /// The technical field, e.g. "精密加工".
    pub field: String,
    /// Skill codes the problem needs (public; used to suggest teams).
    pub skills: Vec<String>,
    /// CSCO occupation codes the problem concerns (public).
    pub occupations: Vec<String>,
    pub budget_min_fen: i64,
    pub budget_max_fen: i64,
    /// YYYY-MM-DD.
    pub deadline: String,
    pub deliverable: String,
    /// Technology readiness level, 1–9.
    pub trl: i64,
    /// The confidentiality terms a team accepts before it is admitted.
    pub terms: String,
}

/// A stored problem (the app removes `details` for callers who may not read them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProblemRecord {
    pub id: i64,
    pub enterprise_org_id: OrgId,
    pub enterprise_name: String,
    #[serde(flatten)]
    pub fields: ProblemFields,
    #[schema(value_type = String)]
    pub status: ProblemStatus,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which problems to list.
#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    pub enterprise: Option<OrgId>,
    pub status: Option<ProblemStatus>,
    /// Only problems of alliance-member enterprises.
    pub member_orgs_only: bool,
}

/// A team's way to a problem's details: requested, terms accepted (recorded), admitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AdmissionRecord {
    pub problem_id: i64,
    pub team_id: i64,
    pub team_name: String,
    pub requested_by: AccountId,
    pub requested_at: Millis,
    pub terms_accepted_by: Option<AccountId>,
    pub terms_accepted_at: Option<Millis>,
    pub admitted_by: Option<AccountId>,
    pub admitted_at: Option<Millis>,
}

/// A proposal as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProposalFields {
    pub approach: String,
    #[schema(value_type = Vec<Object>)]
    pub milestones: Vec<MilestonePlan>,
    pub budget_fen: i64,
    /// Who of the team works on it (names).
    pub members: Vec<String>,
}

/// A stored proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProposalRecord {
    pub id: i64,
    pub problem_id: i64,
    pub problem_title: String,
    pub enterprise_org_id: OrgId,
    pub team_id: i64,
    pub team_name: String,
    pub college_org_id: OrgId,
    #[serde(flatten)]
    pub fields: ProposalFields,
    #[schema(value_type = String)]
    pub status: ProposalStatus,
    pub submitted_by: AccountId,
    pub submitted_at: Millis,
    pub updated_at: Millis,
}

/// A project to create from a selected proposal, with its milestones and first budget line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    pub problem_id: i64,
    pub proposal_id: i64,
    pub team_id: i64,
    pub enterprise_org_id: OrgId,
    pub college_org_id: OrgId,
    pub title: String,
    pub milestones: Vec<MilestonePlan>,
    pub first_line: Option<NewBudgetLine>,
    pub by: AccountId,
    pub at: Millis,
}

/// A stored project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProjectRecord {
    pub id: i64,
    pub problem_id: i64,
    pub proposal_id: i64,
    pub team_id: i64,
    pub team_name: String,
    pub enterprise_org_id: OrgId,
    pub enterprise_name: String,
    pub college_org_id: OrgId,
    pub college_name: String,
    pub title: String,
    #[schema(value_type = String)]
    pub status: ProjectStatus,
    pub risks: Vec<String>,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which projects to list: those where `org` is the enterprise or the college.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub org: Option<OrgId>,
}

/// A milestone of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MilestoneRecord {
    pub id: i64,
    pub project_id: i64,
    pub position: i64,
    pub title: String,
    pub deliverable: String,
    /// YYYY-MM-DD.
    pub due_date: String,
    pub submitted_by: Option<AccountId>,
    pub submitted_at: Option<Millis>,
    pub submission_note: Option<String>,
    pub accepted_by: Option<AccountId>,
    pub accepted_at: Option<Millis>,
}

/// A budget line to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBudgetLine {
    pub source: FundingSource,
    /// The government programme, for government lines only.
    pub programme: Option<String>,
    pub amount_fen: i64,
}

/// A stored budget line with what is spent of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct BudgetLineRecord {
    pub id: i64,
    pub project_id: i64,
    #[schema(value_type = String)]
    pub source: FundingSource,
    pub programme: Option<String>,
    pub amount_fen: i64,
    pub spent_fen: i64,
    pub created_by: AccountId,
    pub created_at: Millis,
}

/// An expenditure to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExpenditure {
    pub line_id: i64,
    pub amount_fen: i64,
    /// YYYY-MM-DD.
    pub spent_on: String,
    pub purpose: String,
    pub by: AccountId,
    pub at: Millis,
}

/// A stored expenditure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExpenditureRecord {
    pub id: i64,
    pub line_id: i64,
    pub amount_fen: i64,
    pub spent_on: String,
    pub purpose: String,
    pub recorded_by: AccountId,
    pub recorded_at: Millis,
}

/// The port.
#[async_trait]
pub trait ResearchRepo: Send {
    async fn create_team(
        &mut self,
        college: OrgId,
        f: &TeamFields,
        members: &[TeamMember],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    /// Replaces a team's fields and members.
    async fn update_team(&mut self, id: i64, f: &TeamFields, members: &[TeamMember], at: Millis) -> StoreResult<()>;
    async fn find_team(&mut self, id: i64) -> StoreResult<Option<TeamRecord>>;
    /// Newest first.
    async fn list_teams(&mut self, f: &TeamFilter, page: PageRequest) -> StoreResult<Page<TeamRecord>>;

    async fn create_problem(
        &mut self,
        enterprise: OrgId,
        f: &ProblemFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    async fn find_problem(&mut self, id: i64) -> StoreResult<Option<ProblemRecord>>;
    /// Newest first.
    async fn list_problems(&mut self, f: &ProblemFilter, page: PageRequest) -> StoreResult<Page<ProblemRecord>>;
    /// Moves a problem from `from` to `to`; `NotFound` (nothing changed) when it is no longer in `from`.
    async fn set_problem_status(
        &mut self,
        id: i64,
        from: ProblemStatus,
        to: ProblemStatus,
        at: Millis,
    ) -> StoreResult<()>;

    /// Records a request; `Conflict` when the team already asked.
    async fn request_admission(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Records the acceptance of the terms; `NotFound` unless requested and not yet accepted.
    async fn accept_terms(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Admits a team; `NotFound` unless it accepted the terms and is not yet admitted.
    async fn admit_team(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()>;
    /// A team's admission to a problem, when the problem's enterprise or the team's college is in `scope`.
    async fn find_admission(
        &mut self,
        scope: &ReadScope,
        problem: i64,
        team: i64,
    ) -> StoreResult<Option<AdmissionRecord>>;
    /// A problem's admissions, in order of request.
    async fn list_admissions(&mut self, problem: i64) -> StoreResult<Vec<AdmissionRecord>>;

    async fn create_proposal(
        &mut self,
        problem: i64,
        team: i64,
        f: &ProposalFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    /// A proposal whose problem's enterprise or team's college is in `scope`.
    async fn find_proposal(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ProposalRecord>>;
    /// A problem's proposals (of one team, when given), in order of submission.
    async fn list_proposals(&mut self, problem: i64, team: Option<i64>) -> StoreResult<Vec<ProposalRecord>>;
    /// Moves a proposal from `from` to `to`; `NotFound` (nothing changed) when it is no longer in `from`.
    async fn set_proposal_status(
        &mut self,
        id: i64,
        from: ProposalStatus,
        to: ProposalStatus,
        at: Millis,
    ) -> StoreResult<()>;
    /// Rejects every proposal of the problem still submitted or shortlisted; returns how many.
    async fn reject_open_proposals(&mut self, problem: i64, at: Millis) -> StoreResult<u64>;

    /// Creates a project with its milestones and first budget line.
    async fn create_project(&mut self, p: &NewProject) -> StoreResult<i64>;
    /// A project of a party in `scope` (or naming its account in the ledger).
    async fn find_project(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ProjectRecord>>;
    /// Newest first.
    async fn list_projects(&mut self, f: &ProjectFilter, page: PageRequest) -> StoreResult<Page<ProjectRecord>>;
    /// Moves a project from `from` to `to`; `NotFound` (nothing changed) when it is no longer in `from`.
    async fn set_project_status(
        &mut self,
        id: i64,
        from: ProjectStatus,
        to: ProjectStatus,
        at: Millis,
    ) -> StoreResult<()>;
    async fn set_project_risks(&mut self, id: i64, risks: &[String], at: Millis) -> StoreResult<()>;

    /// A project's milestones, in order (none outside `scope`).
    async fn list_milestones(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<MilestoneRecord>>;
    /// Records a submission; `NotFound` unless the milestone is not yet accepted.
    async fn submit_milestone(&mut self, id: i64, note: Option<&str>, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Records the acceptance; `NotFound` unless submitted and not yet accepted.
    async fn accept_milestone(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()>;

    async fn add_budget_line(
        &mut self,
        project: i64,
        line: &NewBudgetLine,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    /// A project's lines, in order of creation (none outside `scope`).
    async fn list_budget_lines(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<BudgetLineRecord>>;
    /// A budget line of a project in `scope`.
    async fn find_budget_line(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<BudgetLineRecord>>;
    /// Records an expenditure and adds it to its line's spending in one conditional statement:
    /// `Conflict { constraint: "budget_line_exceeded" }` (nothing written) when it would go past
    /// the line.
    async fn record_expenditure(&mut self, e: &NewExpenditure) -> StoreResult<i64>;
    /// A project's expenditures, in order of recording (none outside `scope`).
    async fn list_expenditures(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<ExpenditureRecord>>;
}

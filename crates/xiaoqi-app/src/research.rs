//! Industry–university–research cooperation (产学研合作, DESIGN.md §2.3): colleges' teams,
//! enterprises' technical problems with confidential details for admitted teams only, teams'
//! proposals, and the project a selection creates (milestones, budget lines by funding source,
//! expenditures that never pass their line, risks).
//!
//! Who acts: a college's administrators, programme leaders and teachers manage its teams (and
//! act for them on problems and projects); an enterprise's administrators and HR post problems,
//! admit teams, select proposals and accept milestones.

mod agreement;
mod measures;
mod problems;
mod programmes;
mod projects;
mod results;
mod teams;

use serde::{Deserialize, Serialize};
use xiaoqi_domain::FieldError;
use xiaoqi_store::OrgId;

use crate::Principal;
use crate::error::AppError;

pub use agreement::{AgreementView, InventorInput, PartyInput, SignInput, Signatory, TermsInput};
pub use measures::{DEFINITIONS, Definition, MeasureRow, MeasuresView};
pub use problems::{AdmissionInput, ProblemDetails, ProblemInput, ProblemView, ProposalInput, TeamSuggestion};
pub use programmes::{ApplicationInput, AwardInput, ProgrammeInput, ProgrammeView};
pub use projects::{
    BudgetLineInput, BudgetLineView, ExpenditureInput, MilestoneSubmitInput, ProjectStatusInput, ProjectView,
    RisksInput,
};
pub use results::{
    ConversionDecisionInput, ConversionInput, ConversionView, ResultInput, Statement, StatementLine, conversion_status,
};
pub use teams::{TeamInput, TeamMemberInput};
// For the demo, which seeds through the store with the same checks as the use cases.
pub(crate) use problems::{validate_problem, validate_proposal};
pub(crate) use results::ledger_lines;
pub(crate) use teams::validate_team;

pub use crate::authz::{TEAM_MANAGER_ROLES, manages_teams};

/// The colleges whose teams the caller manages.
pub fn managed_colleges(p: &Principal) -> Vec<OrgId> {
    let mut out: Vec<OrgId> = Vec::new();
    for g in &p.grants {
        if manages_teams(p, g.org_id) && !out.contains(&g.org_id) {
            out.push(g.org_id);
        }
    }
    out
}

/// A milestone as typed: what is delivered by when.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneInput {
    pub title: String,
    pub deliverable: String,
    /// YYYY-MM-DD.
    pub due_date: String,
}

fn unknown(field: &str, what_zh: &str, what_en: &str, v: &str) -> FieldError {
    FieldError::new(field, "unknown_code", format!("未知的{what_zh}：{v}"), format!("Unknown {what_en}: {v}"))
}

fn too_many(field: &str, max: usize) -> FieldError {
    FieldError::new(field, "too_many", format!("{field} 最多 {max} 项"), format!("{field} takes at most {max} items"))
}

fn wrong_state(zh: &str, en: &str) -> AppError {
    AppError::state(zh, en)
}

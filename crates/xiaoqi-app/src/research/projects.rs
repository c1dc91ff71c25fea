//! Projects: milestones submitted by the team and accepted by the enterprise, budget lines by
//! funding source, expenditures that never pass their line (checked in the domain under the
//! enterprise's lock, and again by the database's conditional update), risks and status.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{self, FundingSource, ProjectAction, ProjectStatus};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    BudgetLineRecord, ExpenditureRecord, MilestoneRecord, NewBudgetLine, NewExpenditure, OrgId, ProjectFilter,
    ProjectRecord, StoreError,
};

use super::{manages_teams, too_many, unknown, wrong_state};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::services::acts_for;
use crate::{App, Principal};

/// A budget line with what is left of it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BudgetLineView {
    #[serde(flatten)]
    pub line: BudgetLineRecord,
    pub remaining_fen: i64,
}

/// A project with everything on its page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectView {
    #[serde(flatten)]
    pub project: ProjectRecord,
    pub milestones: Vec<MilestoneRecord>,
    pub budget_lines: Vec<BudgetLineView>,
    pub expenditures: Vec<ExpenditureRecord>,
    /// The steps the caller may take on the project's status now.
    pub actions: Vec<String>,
    /// Which side the caller acts for: enterprise, college, or none (alliance administrators).
    pub side: Option<String>,
}

/// A milestone submission.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneSubmitInput {
    /// What was delivered, where to find it.
    pub note: Option<String>,
}

/// A new budget line.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineInput {
    /// enterprise, college or government.
    pub source: String,
    /// The government programme (government lines only).
    pub programme: Option<String>,
    /// The amount in yuan, exact.
    pub amount: String,
}

/// An expenditure against a budget line.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpenditureInput {
    pub line_id: i64,
    /// The amount in yuan, exact (at most two decimals, more than 0).
    pub amount: String,
    /// YYYY-MM-DD.
    pub spent_on: String,
    pub purpose: String,
}

/// The project's risks (replaces the list).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RisksInput {
    pub risks: Vec<String>,
}

/// A step on a project's status.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectStatusInput {
    /// suspend, resume, complete or terminate.
    pub action: String,
}

/// The side the caller acts for on a project, if any.
pub(super) fn side_of(p: &Principal, j: &ProjectRecord) -> Option<Side> {
    if acts_for(p, Side::Enterprise, j.enterprise_org_id) {
        Some(Side::Enterprise)
    } else if manages_teams(p, j.college_org_id) {
        Some(Side::College)
    } else {
        None
    }
}

fn require_side(p: &Principal, j: &ProjectRecord, side: Side) -> AppResult<()> {
    if side_of(p, j) == Some(side) { Ok(()) } else { Err(AppError::Forbidden) }
}

fn require_active(j: &ProjectRecord) -> AppResult<()> {
    if j.status == ProjectStatus::Active {
        Ok(())
    } else {
        Err(wrong_state(
            &format!("项目当前状态为“{}”，不能记录此项", j.status.label_zh()),
            &format!("The project is {}; this cannot be recorded now", j.status.label_en()),
        ))
    }
}

fn line_view(line: BudgetLineRecord) -> BudgetLineView {
    let remaining_fen = research::remaining(Fen(line.amount_fen), Fen(line.spent_fen)).map_or(0, |f| f.0);
    BudgetLineView { line, remaining_fen }
}

/// Validates a budget line.
pub fn validate_line(i: &BudgetLineInput) -> Result<NewBudgetLine, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let source = e.check(
        FundingSource::parse(i.source.trim()).ok_or_else(|| unknown("source", "资金来源", "funding source", &i.source)),
    );
    let programme = e.check(optional_text("programme", i.programme.as_deref(), 200)).flatten();
    if programme.is_some() && source.is_some_and(|s| s != FundingSource::Government) {
        e.push(FieldError::new(
            "programme",
            "programme_only_government",
            "只有政府项目资金可以填写项目名称",
            "Only government lines name a programme",
        ));
    }
    let amount = e.check(research::amount("amount", &i.amount, true));
    e.into_result()?;
    let (Some(source), Some(amount)) = (source, amount) else {
        return Err(FieldError::required("source").into());
    };
    Ok(NewBudgetLine { source, programme, amount_fen: amount.0 })
}

impl App {
    pub(super) async fn project(&self, p: &Principal, id: i64) -> AppResult<ProjectRecord> {
        let j = self
            .store
            .conn()
            .await?
            .find_project(&p.read_scope(), id)
            .await?
            .ok_or(AppError::NotFound("research_project"))?;
        if side_of(p, &j).is_none() && !p.is_alliance_admin() {
            return Err(AppError::NotFound("research_project"));
        }
        Ok(j)
    }

    /// One project with milestones, budget lines and expenditures: both parties' staff and
    /// alliance administrators; anyone else 404.
    pub async fn get_project(&self, p: &Principal, id: i64) -> AppResult<ProjectView> {
        let project = self.project(p, id).await?;
        let mut conn = self.store.conn().await?;
        let side = side_of(p, &project);
        let actions = if side == Some(Side::Enterprise) {
            project.status.actions().iter().map(|a| a.as_str().to_string()).collect()
        } else {
            Vec::new()
        };
        Ok(ProjectView {
            milestones: conn.list_milestones(&p.read_scope(), id).await?,
            budget_lines: conn.list_budget_lines(&p.read_scope(), id).await?.into_iter().map(line_view).collect(),
            expenditures: conn.list_expenditures(&p.read_scope(), id).await?,
            actions,
            side: side.map(|s| s.as_str().to_string()),
            project,
        })
    }

    /// Projects of an organisation (as enterprise or college), newest first: its acting staff
    /// and alliance administrators.
    pub async fn list_projects(&self, p: &Principal, org: OrgId, page: PageRequest) -> AppResult<Page<ProjectRecord>> {
        if !(acts_for(p, Side::Enterprise, org) || manages_teams(p, org) || p.is_alliance_admin()) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.conn().await?.list_projects(&ProjectFilter { org: Some(org) }, page).await?)
    }

    async fn milestone_of(&self, project: i64, milestone: i64) -> AppResult<MilestoneRecord> {
        // Every caller has read the project in its own scope first.
        let ms = self.store.conn().await?.list_milestones(&xiaoqi_store::ReadScope::Everything, project).await?;
        ms.into_iter().find(|m| m.id == milestone).ok_or(AppError::NotFound("research_milestone"))
    }

    /// The team submits a milestone's deliverable (again, until it is accepted).
    pub async fn submit_milestone(
        &self,
        p: &Principal,
        id: i64,
        milestone: i64,
        input: &MilestoneSubmitInput,
    ) -> AppResult<ProjectView> {
        let j = self.project(p, id).await?;
        require_side(p, &j, Side::College)?;
        let note = optional_text("note", input.note.as_deref(), 2000)?;
        require_active(&j)?;
        self.require_agreement(id, "提交里程碑", "submitting milestones").await?;
        let before = self.milestone_of(id, milestone).await?;
        if before.accepted_at.is_some() {
            return Err(wrong_state("该里程碑已验收", "The milestone is already accepted"));
        }
        let mut tx = self.store.begin().await?;
        tx.submit_milestone(milestone, note.as_deref(), p.id(), self.now()).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.college_org_id),
            Change::created("research_milestone.submit", "research_milestone", milestone, &note),
        )
        .await?;
        tx.commit().await?;
        self.get_project(p, id).await
    }

    /// The enterprise accepts a submitted milestone's deliverable.
    pub async fn accept_milestone(&self, p: &Principal, id: i64, milestone: i64) -> AppResult<ProjectView> {
        let j = self.project(p, id).await?;
        require_side(p, &j, Side::Enterprise)?;
        let before = self.milestone_of(id, milestone).await?;
        if before.submitted_at.is_none() || before.accepted_at.is_some() {
            return Err(wrong_state(
                "只能验收已提交且尚未验收的里程碑",
                "Only a submitted milestone that is not yet accepted can be accepted",
            ));
        }
        let mut tx = self.store.begin().await?;
        tx.accept_milestone(milestone, p.id(), self.now()).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::event("research_milestone.accept", "research_milestone", milestone),
        )
        .await?;
        tx.commit().await?;
        self.get_project(p, id).await
    }

    /// Adds a budget line: the enterprise funds enterprise lines, the college college lines,
    /// either party records a government programme's line.
    pub async fn add_budget_line(&self, p: &Principal, id: i64, input: &BudgetLineInput) -> AppResult<ProjectView> {
        let j = self.project(p, id).await?;
        let side = side_of(p, &j).ok_or(AppError::Forbidden)?;
        let line = validate_line(input)?;
        let allowed = match line.source {
            FundingSource::Enterprise => side == Side::Enterprise,
            FundingSource::College => side == Side::College,
            FundingSource::Government => true,
        };
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        let lid = tx.add_budget_line(id, &line, p.id(), self.now()).await?;
        let created =
            tx.find_budget_line(&p.read_scope(), lid).await?.ok_or(AppError::NotFound("research_budget_line"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::created("research_budget_line.add", "research_budget_line", lid, &created),
        )
        .await?;
        tx.commit().await?;
        self.get_project(p, id).await
    }

    /// Records an expenditure against a line of the project (either party): refused with 422
    /// naming `amount` and what remains when it goes past the line; nothing is written then.
    pub async fn record_expenditure(&self, p: &Principal, id: i64, input: &ExpenditureInput) -> AppResult<ProjectView> {
        let j = self.project(p, id).await?;
        if side_of(p, &j).is_none() {
            return Err(AppError::Forbidden);
        }
        let mut e = ValidationErrors::new();
        let amount = e.check(research::amount("amount", &input.amount, true));
        let spent_on = e.check(Date::parse("spent_on", &input.spent_on));
        let purpose = e.check(required_text("purpose", &input.purpose, 500));
        e.into_result()?;
        let (Some(amount), Some(spent_on), Some(purpose)) = (amount, spent_on, purpose) else {
            return Err(FieldError::required("amount").into());
        };
        require_active(&j)?;
        self.require_agreement(id, "记录支出", "recording expenditures").await?;
        let mut tx = self.store.begin().await?;
        tx.lock_org(j.enterprise_org_id).await?;
        let line = tx
            .find_budget_line(&p.read_scope(), input.line_id)
            .await?
            .filter(|l| l.project_id == id)
            .ok_or_else(|| unknown("line_id", "预算科目", "budget line", &input.line_id.to_string()))?;
        research::check_expenditure(Fen(line.amount_fen), Fen(line.spent_fen), amount)?;
        let new = NewExpenditure {
            line_id: line.id,
            amount_fen: amount.0,
            spent_on: spent_on.format(),
            purpose,
            by: p.id(),
            at: self.now(),
        };
        let xid = match tx.record_expenditure(&new).await {
            Err(StoreError::Conflict { .. }) => {
                // The database's own guard refused: say what remains now.
                let now_line = tx.find_budget_line(&p.read_scope(), line.id).await?.unwrap_or(line);
                let refusal = research::check_expenditure(Fen(now_line.amount_fen), Fen(now_line.spent_fen), amount);
                return Err(refusal.err().map_or(AppError::Internal("budget line guard".into()), AppError::from));
            }
            other => other?,
        };
        record(&mut tx, self.now(), p, Some(j.enterprise_org_id), Change::created("research_expenditure.record", "research_expenditure", xid, &serde_json::json!({"line_id": line.id, "amount_fen": amount.0, "spent_on": new.spent_on, "purpose": new.purpose})))
            .await?;
        tx.commit().await?;
        self.get_project(p, id).await
    }

    /// Replaces the project's risks (either party).
    pub async fn set_project_risks(&self, p: &Principal, id: i64, input: &RisksInput) -> AppResult<ProjectView> {
        let j = self.project(p, id).await?;
        if side_of(p, &j).is_none() {
            return Err(AppError::Forbidden);
        }
        let mut e = ValidationErrors::new();
        if input.risks.len() > 50 {
            e.push(too_many("risks", 50));
        }
        let risks: Vec<String> = input
            .risks
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.trim().is_empty())
            .filter_map(|(n, r)| e.check(required_text(&format!("risks[{n}]"), r, 500)))
            .collect();
        e.into_result()?;
        let mut tx = self.store.begin().await?;
        tx.set_project_risks(id, &risks, self.now()).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::updated("research_project.risks", "research_project", id, &j.risks, &risks),
        )
        .await?;
        tx.commit().await?;
        self.get_project(p, id).await
    }

    /// Takes a step on the project's status (the enterprise's administrators and HR); completing
    /// needs every milestone accepted.
    pub async fn change_project_status(
        &self,
        p: &Principal,
        id: i64,
        input: &ProjectStatusInput,
    ) -> AppResult<ProjectView> {
        let j = self.project(p, id).await?;
        require_side(p, &j, Side::Enterprise)?;
        let action = ProjectAction::parse(input.action.trim())
            .ok_or_else(|| unknown("action", "操作", "action", &input.action))?;
        let to = j.status.after(action).ok_or_else(|| {
            wrong_state(
                &format!("项目当前状态为“{}”，不能{}", j.status.label_zh(), action.label_zh()),
                &format!("The project is {}; it cannot {} now", j.status.label_en(), action.as_str()),
            )
        })?;
        if action == ProjectAction::Complete {
            let open = self
                .store
                .conn()
                .await?
                .list_milestones(&p.read_scope(), id)
                .await?
                .iter()
                .filter(|m| m.accepted_at.is_none())
                .count();
            if open > 0 {
                return Err(wrong_state(
                    &format!("还有 {open} 个里程碑未验收，不能结题"),
                    &format!("{open} milestones are not accepted yet; the project cannot be completed"),
                ));
            }
        }
        let mut tx = self.store.begin().await?;
        tx.set_project_status(id, j.status, to, self.now()).await?;
        let after = tx.find_project(&p.read_scope(), id).await?.ok_or(AppError::NotFound("research_project"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::updated("research_project.status", "research_project", id, &j, &after),
        )
        .await?;
        tx.commit().await?;
        self.get_project(p, id).await
    }
}

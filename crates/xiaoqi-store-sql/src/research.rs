//! Teams, technical problems, admissions, proposals, projects, milestones, budget lines and
//! expenditures (industry–university–research cooperation).

use async_trait::async_trait;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{ProblemStatus, ProjectStatus, ProposalStatus};
use xiaoqi_store::{
    AccountId, AdmissionRecord, BudgetLineRecord, ExpenditureRecord, MilestoneRecord, Millis, NewBudgetLine,
    NewExpenditure, NewProject, OrgId, ProblemFields, ProblemFilter, ProblemRecord, ProjectFilter, ProjectRecord,
    ProposalFields, ProposalRecord, ReadScope, ResearchRepo, StoreError, StoreResult, TeamFields, TeamFilter,
    TeamMember, TeamMemberRecord, TeamRecord,
};

use crate::conn::{Arg, Filter, Row, SqlConn, args, row, to_json};

const TEAM_COLS: &str = "t.id, t.college_org_id, o.name AS college_name, t.name, t.kind, t.description, \
     t.skills_json, t.occupations_json, t.equipment_json, t.created_by, t.created_at, t.updated_at";
const TEAM_FROM: &str = "research_teams t JOIN organizations o ON o.id = t.college_org_id";

fn team(r: &Row) -> StoreResult<TeamRecord> {
    Ok(row! { r, TeamRecord {
        id, college_org_id, college_name, members: Vec::new(), created_by, created_at, updated_at,
        fields: TeamFields {
            name, kind, description, skills: r.json("skills_json")?, occupations: r.json("occupations_json")?,
            equipment: r.json("equipment_json")?,
        },
    }})
}

/// The fields of a team from `name` to `equipment`, in the order of both statements.
fn team_args(f: &TeamFields) -> StoreResult<Vec<Arg>> {
    Ok(args![&f.name, f.kind, &f.description, to_json(&f.skills)?, to_json(&f.occupations)?, to_json(&f.equipment)?])
}

const PROBLEM_COLS: &str = "p.id, p.enterprise_org_id, o.name AS enterprise_name, p.title, p.summary, p.details, \
     p.field, p.skills_json, p.occupations_json, p.budget_min_fen, p.budget_max_fen, p.deadline, p.deliverable, \
     p.trl, p.terms, p.status, p.created_by, p.created_at, p.updated_at";
const PROBLEM_FROM: &str = "research_problems p JOIN organizations o ON o.id = p.enterprise_org_id";

fn problem(r: &Row) -> StoreResult<ProblemRecord> {
    Ok(row! { r, ProblemRecord {
        id, enterprise_org_id, enterprise_name, status, created_by, created_at, updated_at,
        fields: ProblemFields {
            title, summary, details, field, skills: r.json("skills_json")?, occupations: r.json("occupations_json")?,
            budget_min_fen, budget_max_fen, deadline, deliverable, trl, terms,
        },
    }})
}

const PROPOSAL_SELECT: &str = "SELECT r.id, r.problem_id, p.title AS problem_title, p.enterprise_org_id, r.team_id, \
     t.name AS team_name, t.college_org_id, r.approach, r.milestones_json, r.budget_fen, r.members_json, r.status, \
     r.submitted_by, r.submitted_at, r.updated_at FROM research_proposals r \
     JOIN research_problems p ON p.id = r.problem_id JOIN research_teams t ON t.id = r.team_id";

fn proposal(r: &Row) -> StoreResult<ProposalRecord> {
    Ok(row! { r, ProposalRecord {
        id, problem_id, problem_title, enterprise_org_id, team_id, team_name, college_org_id, status, submitted_by,
        submitted_at, updated_at,
        fields: ProposalFields {
            approach, milestones: r.json("milestones_json")?, budget_fen, members: r.json("members_json")?,
        },
    }})
}

const PROJECT_COLS: &str = "j.id, j.problem_id, j.proposal_id, j.team_id, t.name AS team_name, j.enterprise_org_id, \
     e.name AS enterprise_name, j.college_org_id, c.name AS college_name, j.title, j.status, j.risks_json, \
     j.created_by, j.created_at, j.updated_at";
const PROJECT_FROM: &str = "research_projects j JOIN research_teams t ON t.id = j.team_id \
     JOIN organizations e ON e.id = j.enterprise_org_id JOIN organizations c ON c.id = j.college_org_id";

fn project(r: &Row) -> StoreResult<ProjectRecord> {
    Ok(row! { r, ProjectRecord {
        id, problem_id, proposal_id, team_id, team_name, enterprise_org_id, enterprise_name, college_org_id,
        college_name, title, status, risks: r.json("risks_json")?, created_by, created_at, updated_at,
    }})
}

const ADMISSION_SELECT: &str = "SELECT a.problem_id, a.team_id, t.name AS team_name, a.requested_by, a.requested_at, \
     a.terms_accepted_by, a.terms_accepted_at, a.admitted_by, a.admitted_at FROM research_admissions a \
     JOIN research_teams t ON t.id = a.team_id";

fn admission(r: &Row) -> StoreResult<AdmissionRecord> {
    Ok(row! { r, AdmissionRecord {
        problem_id, team_id, team_name, requested_by, requested_at, terms_accepted_by, terms_accepted_at, admitted_by,
        admitted_at,
    }})
}

const LINE_COLS: &str = "id, project_id, source, programme, amount_fen, spent_fen, created_by, created_at";

fn line(r: &Row) -> StoreResult<BudgetLineRecord> {
    Ok(
        row! { r, BudgetLineRecord { id, project_id, source, programme, amount_fen, spent_fen, created_by, created_at } },
    )
}

/// An account named in the ledger of the project `col` points at (an inventor reading their
/// statement), as a read-scope condition.
fn ledger_beneficiary(col: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM research_ledger_lines fl JOIN research_conversions fc ON fc.id = fl.conversion_id \
         JOIN research_results fr ON fr.id = fc.result_id WHERE fr.project_id = {col} AND fl.account_id = {{}})"
    )
}

/// The read-scope floor of a row that points at a project through `col`: the project's parties,
/// or an account named in its ledger.
pub(crate) fn project_floor(w: &mut Filter, scope: &ReadScope, col: &str) {
    let enterprise = format!("(SELECT fj.enterprise_org_id FROM research_projects fj WHERE fj.id = {col})");
    let college = format!("(SELECT fj.college_org_id FROM research_projects fj WHERE fj.id = {col})");
    w.scope(scope, &[&enterprise, &college], Some(&ledger_beneficiary(col)));
}

impl SqlConn {
    /// Moves a row of `table` from one status to another; `NotFound` when it is no longer in
    /// `from` (a concurrent step won), changing nothing.
    async fn move_status(
        &mut self,
        table: &'static str,
        entity: &'static str,
        id: i64,
        (from, to): (&str, &str),
        at: Millis,
    ) -> StoreResult<()> {
        let sql = format!("UPDATE {table} SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2");
        self.exec_one(&sql, args![id, from, to, at], entity).await
    }

    async fn put_members(&mut self, team: i64, members: &[TeamMember]) -> StoreResult<()> {
        self.exec("DELETE FROM research_team_members WHERE team_id = $1", args![team]).await?;
        for (i, m) in members.iter().enumerate() {
            let sql = "INSERT INTO research_team_members (team_id, position, account_id, external_name, org_id, role) \
                 VALUES ($1, $2, $3, $4, $5, $6)";
            let position = i64::try_from(i).unwrap_or(i64::MAX);
            self.exec(sql, args![team, position, m.account_id, &m.external_name, m.org_id, m.role]).await?;
        }
        Ok(())
    }

    async fn members_of(&mut self, team: i64) -> StoreResult<Vec<TeamMemberRecord>> {
        let sql = "SELECT m.account_id, m.external_name, m.org_id, m.role, \
             COALESCE(a.display_name, m.external_name) AS name, o.name AS org_name \
             FROM research_team_members m LEFT JOIN accounts a ON a.id = m.account_id \
             LEFT JOIN organizations o ON o.id = m.org_id WHERE m.team_id = $1 ORDER BY m.position";
        self.all(sql, args![team], |r| {
            Ok(row! { r, TeamMemberRecord { name, org_name, member: TeamMember { account_id, external_name, org_id, role } } })
        })
        .await
    }

    async fn with_members(&mut self, mut t: TeamRecord) -> StoreResult<TeamRecord> {
        t.members = self.members_of(t.id).await?;
        Ok(t)
    }

    async fn insert_milestones(&mut self, project: i64, p: &NewProject) -> StoreResult<()> {
        for (i, m) in p.milestones.iter().enumerate() {
            let sql = "INSERT INTO research_milestones (project_id, position, title, deliverable, due_date) \
                 VALUES ($1, $2, $3, $4, $5)";
            let position = i64::try_from(i).unwrap_or(i64::MAX);
            self.exec(sql, args![project, position, &m.title, &m.deliverable, &m.due_date]).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl ResearchRepo for SqlConn {
    async fn create_team(
        &mut self,
        college: OrgId,
        f: &TeamFields,
        members: &[TeamMember],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO research_teams (college_org_id, name, kind, description, skills_json, occupations_json, \
             equipment_json, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             RETURNING id";
        let mut args = args![college];
        args.extend(team_args(f)?);
        args.extend(args![by, at]);
        let id: i64 = self.scalar(sql, args).await?;
        self.put_members(id, members).await?;
        Ok(id)
    }

    async fn update_team(&mut self, id: i64, f: &TeamFields, members: &[TeamMember], at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_teams SET name = $2, kind = $3, description = $4, skills_json = $5, \
             occupations_json = $6, equipment_json = $7, updated_at = $8 WHERE id = $1";
        let mut args = args![id];
        args.extend(team_args(f)?);
        args.extend(args![at]);
        self.exec_one(sql, args, "research_team").await?;
        self.put_members(id, members).await
    }

    async fn find_team(&mut self, id: i64) -> StoreResult<Option<TeamRecord>> {
        match self.opt(&format!("SELECT {TEAM_COLS} FROM {TEAM_FROM} WHERE t.id = $1"), args![id], team).await? {
            Some(t) => Ok(Some(self.with_members(t).await?)),
            None => Ok(None),
        }
    }

    async fn list_teams(&mut self, f: &TeamFilter, page: PageRequest) -> StoreResult<Page<TeamRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.college {
            w.push("t.college_org_id = {}", org);
        }
        if f.member_orgs_only {
            w.push("o.membership = {}", MembershipStatus::Member);
        }
        let mut p = self.page(TEAM_FROM, TEAM_COLS, &w, "t.created_at DESC, t.id DESC", page, team).await?;
        let mut items = Vec::with_capacity(p.items.len());
        for t in std::mem::take(&mut p.items) {
            items.push(self.with_members(t).await?);
        }
        p.items = items;
        Ok(p)
    }

    async fn create_problem(
        &mut self,
        enterprise: OrgId,
        f: &ProblemFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO research_problems (enterprise_org_id, title, summary, details, field, skills_json, \
             occupations_json, budget_min_fen, budget_max_fen, deadline, deliverable, trl, terms, status, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15, \
             $15) RETURNING id";
        let args = args![
            enterprise,
            &f.title,
            &f.summary,
            &f.details,
            &f.field,
            to_json(&f.skills)?,
            to_json(&f.occupations)?,
            f.budget_min_fen,
            f.budget_max_fen,
            &f.deadline,
            &f.deliverable,
            f.trl,
            &f.terms,
            by,
            at,
        ];
        self.scalar(sql, args).await
    }

    async fn find_problem(&mut self, id: i64) -> StoreResult<Option<ProblemRecord>> {
        self.opt(&format!("SELECT {PROBLEM_COLS} FROM {PROBLEM_FROM} WHERE p.id = $1"), args![id], problem).await
    }

    async fn list_problems(&mut self, f: &ProblemFilter, page: PageRequest) -> StoreResult<Page<ProblemRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.enterprise {
            w.push("p.enterprise_org_id = {}", org);
        }
        if let Some(s) = f.status {
            w.push("p.status = {}", s);
        }
        if f.member_orgs_only {
            w.push("o.membership = {}", MembershipStatus::Member);
        }
        self.page(PROBLEM_FROM, PROBLEM_COLS, &w, "p.created_at DESC, p.id DESC", page, problem).await
    }

    async fn set_problem_status(
        &mut self,
        id: i64,
        from: ProblemStatus,
        to: ProblemStatus,
        at: Millis,
    ) -> StoreResult<()> {
        self.move_status("research_problems", "research_problem", id, (from.as_str(), to.as_str()), at).await
    }

    async fn request_admission(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql =
            "INSERT INTO research_admissions (problem_id, team_id, requested_by, requested_at) VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![problem, team, by, at]).await?;
        Ok(())
    }

    async fn accept_terms(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_admissions SET terms_accepted_by = $3, terms_accepted_at = $4 \
             WHERE problem_id = $1 AND team_id = $2 AND terms_accepted_at IS NULL";
        self.exec_one(sql, args![problem, team, by, at], "research_admission").await
    }

    async fn admit_team(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_admissions SET admitted_by = $3, admitted_at = $4 \
             WHERE problem_id = $1 AND team_id = $2 AND terms_accepted_at IS NOT NULL AND admitted_at IS NULL";
        self.exec_one(sql, args![problem, team, by, at], "research_admission").await
    }

    async fn find_admission(
        &mut self,
        scope: &ReadScope,
        problem: i64,
        team: i64,
    ) -> StoreResult<Option<AdmissionRecord>> {
        let mut w = Filter::after(args![problem, team]);
        let enterprise = "(SELECT fp.enterprise_org_id FROM research_problems fp WHERE fp.id = a.problem_id)";
        w.scope(scope, &[enterprise, "t.college_org_id"], None);
        let sql = format!("{ADMISSION_SELECT} WHERE a.problem_id = $1 AND a.team_id = $2 AND {}", w.and_sql());
        self.opt(&sql, w.args, admission).await
    }

    async fn list_admissions(&mut self, problem: i64) -> StoreResult<Vec<AdmissionRecord>> {
        let sql = format!("{ADMISSION_SELECT} WHERE a.problem_id = $1 ORDER BY a.requested_at, a.team_id");
        self.all(&sql, args![problem], admission).await
    }

    async fn create_proposal(
        &mut self,
        problem: i64,
        team: i64,
        f: &ProposalFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO research_proposals (problem_id, team_id, approach, milestones_json, budget_fen, \
             members_json, status, submitted_by, submitted_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $8) RETURNING id";
        let (milestones, members) = (to_json(&f.milestones)?, to_json(&f.members)?);
        self.scalar(sql, args![problem, team, &f.approach, milestones, f.budget_fen, members, by, at]).await
    }

    async fn find_proposal(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ProposalRecord>> {
        let mut w = Filter::after(args![id]);
        w.scope(scope, &["p.enterprise_org_id", "t.college_org_id"], None);
        self.opt(&format!("{PROPOSAL_SELECT} WHERE r.id = $1 AND {}", w.and_sql()), w.args, proposal).await
    }

    async fn list_proposals(&mut self, problem: i64, team: Option<i64>) -> StoreResult<Vec<ProposalRecord>> {
        match team {
            Some(team) => {
                let sql = format!("{PROPOSAL_SELECT} WHERE r.problem_id = $1 AND r.team_id = $2 ORDER BY r.id");
                self.all(&sql, args![problem, team], proposal).await
            }
            None => {
                self.all(&format!("{PROPOSAL_SELECT} WHERE r.problem_id = $1 ORDER BY r.id"), args![problem], proposal)
                    .await
            }
        }
    }

    async fn set_proposal_status(
        &mut self,
        id: i64,
        from: ProposalStatus,
        to: ProposalStatus,
        at: Millis,
    ) -> StoreResult<()> {
        self.move_status("research_proposals", "research_proposal", id, (from.as_str(), to.as_str()), at).await
    }

    async fn reject_open_proposals(&mut self, problem: i64, at: Millis) -> StoreResult<u64> {
        let sql = "UPDATE research_proposals SET status = 'rejected', updated_at = $2 \
             WHERE problem_id = $1 AND status IN ('submitted', 'shortlisted')";
        self.exec(sql, args![problem, at]).await
    }

    async fn create_project(&mut self, p: &NewProject) -> StoreResult<i64> {
        let sql = "INSERT INTO research_projects (problem_id, proposal_id, team_id, enterprise_org_id, college_org_id, \
             title, status, risks_json, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'active', '[]', $7, $8, $8) RETURNING id";
        let args =
            args![p.problem_id, p.proposal_id, p.team_id, p.enterprise_org_id, p.college_org_id, &p.title, p.by, p.at];
        let id: i64 = self.scalar(sql, args).await?;
        self.insert_milestones(id, p).await?;
        if let Some(line) = &p.first_line {
            self.add_budget_line(id, line, p.by, p.at).await?;
        }
        Ok(id)
    }

    async fn find_project(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ProjectRecord>> {
        let mut w = Filter::after(args![id]);
        w.scope(scope, &["j.enterprise_org_id", "j.college_org_id"], Some(&ledger_beneficiary("j.id")));
        let sql = format!("SELECT {PROJECT_COLS} FROM {PROJECT_FROM} WHERE j.id = $1 AND {}", w.and_sql());
        self.opt(&sql, w.args, project).await
    }

    async fn list_projects(&mut self, f: &ProjectFilter, page: PageRequest) -> StoreResult<Page<ProjectRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.org {
            w.push("(j.enterprise_org_id = {} OR j.college_org_id = {})", org);
        }
        self.page(PROJECT_FROM, PROJECT_COLS, &w, "j.created_at DESC, j.id DESC", page, project).await
    }

    async fn set_project_status(
        &mut self,
        id: i64,
        from: ProjectStatus,
        to: ProjectStatus,
        at: Millis,
    ) -> StoreResult<()> {
        self.move_status("research_projects", "research_project", id, (from.as_str(), to.as_str()), at).await
    }

    async fn set_project_risks(&mut self, id: i64, risks: &[String], at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_projects SET risks_json = $2, updated_at = $3 WHERE id = $1";
        self.exec_one(sql, args![id, to_json(&risks)?, at], "research_project").await
    }

    async fn list_milestones(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<MilestoneRecord>> {
        let mut w = Filter::after(args![project]);
        project_floor(&mut w, scope, "project_id");
        let sql = format!(
            "SELECT id, project_id, position, title, deliverable, due_date, submitted_by, submitted_at, \
             submission_note, accepted_by, accepted_at FROM research_milestones WHERE project_id = $1 AND {} \
             ORDER BY position",
            w.and_sql()
        );
        self.all(&sql, w.args, |r| {
            Ok(row! { r, MilestoneRecord {
                id, project_id, position, title, deliverable, due_date, submitted_by, submitted_at, submission_note,
                accepted_by, accepted_at,
            }})
        })
        .await
    }

    async fn submit_milestone(&mut self, id: i64, note: Option<&str>, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_milestones SET submitted_by = $2, submitted_at = $3, submission_note = $4 \
             WHERE id = $1 AND accepted_at IS NULL";
        self.exec_one(sql, args![id, by, at, note], "research_milestone").await
    }

    async fn accept_milestone(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_milestones SET accepted_by = $2, accepted_at = $3 \
             WHERE id = $1 AND submitted_at IS NOT NULL AND accepted_at IS NULL";
        self.exec_one(sql, args![id, by, at], "research_milestone").await
    }

    async fn add_budget_line(
        &mut self,
        project: i64,
        line: &NewBudgetLine,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO research_budget_lines (project_id, source, programme, amount_fen, spent_fen, created_by, \
             created_at) VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id";
        self.scalar(sql, args![project, line.source, &line.programme, line.amount_fen, by, at]).await
    }

    async fn list_budget_lines(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<BudgetLineRecord>> {
        let mut w = Filter::after(args![project]);
        project_floor(&mut w, scope, "project_id");
        let sql = format!(
            "SELECT {LINE_COLS} FROM research_budget_lines WHERE project_id = $1 AND {} ORDER BY id",
            w.and_sql()
        );
        self.all(&sql, w.args, line).await
    }

    async fn find_budget_line(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<BudgetLineRecord>> {
        let mut w = Filter::after(args![id]);
        project_floor(&mut w, scope, "project_id");
        self.opt(
            &format!("SELECT {LINE_COLS} FROM research_budget_lines WHERE id = $1 AND {}", w.and_sql()),
            w.args,
            line,
        )
        .await
    }

    async fn record_expenditure(&mut self, e: &NewExpenditure) -> StoreResult<i64> {
        // One conditional statement: only a line with room for the amount takes it (written as
        // `spent <= amount - x` so that nothing can overflow), and concurrent writers re-check
        // the condition on the row they update.
        let sql = "UPDATE research_budget_lines SET spent_fen = spent_fen + $2 \
             WHERE id = $1 AND $2 > 0 AND spent_fen <= amount_fen - $2";
        if self.exec(sql, args![e.line_id, e.amount_fen]).await? == 0 {
            // The caller checked the line's project; this only tells a missing line from a full one.
            return match self.find_budget_line(&ReadScope::Everything, e.line_id).await? {
                None => Err(StoreError::NotFound { entity: "research_budget_line" }),
                Some(_) => Err(StoreError::Conflict { constraint: "budget_line_exceeded".into() }),
            };
        }
        let sql = "INSERT INTO research_expenditures (line_id, amount_fen, spent_on, purpose, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        self.scalar(sql, args![e.line_id, e.amount_fen, &e.spent_on, &e.purpose, e.by, e.at]).await
    }

    async fn list_expenditures(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<ExpenditureRecord>> {
        let mut w = Filter::after(args![project]);
        project_floor(&mut w, scope, "l.project_id");
        let sql = format!(
            "SELECT x.id, x.line_id, x.amount_fen, x.spent_on, x.purpose, x.recorded_by, x.recorded_at \
             FROM research_expenditures x JOIN research_budget_lines l ON l.id = x.line_id \
             WHERE l.project_id = $1 AND {} ORDER BY x.id",
            w.and_sql()
        );
        self.all(&sql, w.args, |r| {
            Ok(row! { r, ExpenditureRecord { id, line_id, amount_fen, spent_on, purpose, recorded_by, recorded_at } })
        })
        .await
    }
}

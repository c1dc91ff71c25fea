//! Teams, technical problems, admissions, proposals, projects, milestones, budget lines and
//! expenditures (industry–university–research cooperation).

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{FundingSource, MemberRole, ProblemStatus, ProjectStatus, ProposalStatus, TeamKind};
use xiaoqi_store::{
    AccountId, AdmissionRecord, BudgetLineRecord, ExpenditureRecord, MilestoneRecord, Millis, NewBudgetLine,
    NewExpenditure, NewProject, OrgId, ProblemFields, ProblemFilter, ProblemRecord, ProjectFilter, ProjectRecord,
    ProposalFields, ProposalRecord, ResearchRepo, StoreError, StoreResult, TeamFields, TeamFilter, TeamMember,
    TeamMemberRecord, TeamRecord,
};

use crate::conn::{Arg, Filter, SqlConn, code, expect_one, fetch_page, json_col, map_err, to_json};

const TEAM_COLS: &str = "t.id, t.college_org_id, o.name AS college_name, t.name, t.kind, t.description, \
     t.skills_json, t.occupations_json, t.equipment_json, t.created_by, t.created_at, t.updated_at";
const TEAM_FROM: &str = "research_teams t JOIN organizations o ON o.id = t.college_org_id";

fn row_to_team(r: &AnyRow) -> Result<TeamRecord, sqlx::Error> {
    Ok(TeamRecord {
        id: r.try_get("id")?,
        college_org_id: r.try_get("college_org_id")?,
        college_name: r.try_get("college_name")?,
        fields: TeamFields {
            name: r.try_get("name")?,
            kind: code(r, "kind", TeamKind::parse)?,
            description: r.try_get("description")?,
            skills: json_col(r, "skills_json")?,
            occupations: json_col(r, "occupations_json")?,
            equipment: json_col(r, "equipment_json")?,
        },
        members: Vec::new(),
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const PROBLEM_COLS: &str = "p.id, p.enterprise_org_id, o.name AS enterprise_name, p.title, p.summary, p.details, \
     p.field, p.skills_json, p.occupations_json, p.budget_min_fen, p.budget_max_fen, p.deadline, p.deliverable, \
     p.trl, p.terms, p.status, p.created_by, p.created_at, p.updated_at";
const PROBLEM_FROM: &str = "research_problems p JOIN organizations o ON o.id = p.enterprise_org_id";

fn row_to_problem(r: &AnyRow) -> Result<ProblemRecord, sqlx::Error> {
    Ok(ProblemRecord {
        id: r.try_get("id")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        fields: ProblemFields {
            title: r.try_get("title")?,
            summary: r.try_get("summary")?,
            details: r.try_get("details")?,
            field: r.try_get("field")?,
            skills: json_col(r, "skills_json")?,
            occupations: json_col(r, "occupations_json")?,
            budget_min_fen: r.try_get("budget_min_fen")?,
            budget_max_fen: r.try_get("budget_max_fen")?,
            deadline: r.try_get("deadline")?,
            deliverable: r.try_get("deliverable")?,
            trl: r.try_get("trl")?,
            terms: r.try_get("terms")?,
        },
        status: code(r, "status", ProblemStatus::parse)?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const PROPOSAL_SELECT: &str = "SELECT r.id, r.problem_id, p.title AS problem_title, p.enterprise_org_id, r.team_id, \
     t.name AS team_name, t.college_org_id, r.approach, r.milestones_json, r.budget_fen, r.members_json, r.status, \
     r.submitted_by, r.submitted_at, r.updated_at FROM research_proposals r \
     JOIN research_problems p ON p.id = r.problem_id JOIN research_teams t ON t.id = r.team_id";

fn row_to_proposal(r: &AnyRow) -> Result<ProposalRecord, sqlx::Error> {
    Ok(ProposalRecord {
        id: r.try_get("id")?,
        problem_id: r.try_get("problem_id")?,
        problem_title: r.try_get("problem_title")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        team_id: r.try_get("team_id")?,
        team_name: r.try_get("team_name")?,
        college_org_id: r.try_get("college_org_id")?,
        fields: ProposalFields {
            approach: r.try_get("approach")?,
            milestones: json_col(r, "milestones_json")?,
            budget_fen: r.try_get("budget_fen")?,
            members: json_col(r, "members_json")?,
        },
        status: code(r, "status", ProposalStatus::parse)?,
        submitted_by: r.try_get("submitted_by")?,
        submitted_at: r.try_get("submitted_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const PROJECT_COLS: &str = "j.id, j.problem_id, j.proposal_id, j.team_id, t.name AS team_name, j.enterprise_org_id, \
     e.name AS enterprise_name, j.college_org_id, c.name AS college_name, j.title, j.status, j.risks_json, \
     j.created_by, j.created_at, j.updated_at";
const PROJECT_FROM: &str = "research_projects j JOIN research_teams t ON t.id = j.team_id \
     JOIN organizations e ON e.id = j.enterprise_org_id JOIN organizations c ON c.id = j.college_org_id";

fn row_to_project(r: &AnyRow) -> Result<ProjectRecord, sqlx::Error> {
    Ok(ProjectRecord {
        id: r.try_get("id")?,
        problem_id: r.try_get("problem_id")?,
        proposal_id: r.try_get("proposal_id")?,
        team_id: r.try_get("team_id")?,
        team_name: r.try_get("team_name")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        college_org_id: r.try_get("college_org_id")?,
        college_name: r.try_get("college_name")?,
        title: r.try_get("title")?,
        status: code(r, "status", ProjectStatus::parse)?,
        risks: json_col(r, "risks_json")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const ADMISSION_SELECT: &str = "SELECT a.problem_id, a.team_id, t.name AS team_name, a.requested_by, a.requested_at, \
     a.terms_accepted_by, a.terms_accepted_at, a.admitted_by, a.admitted_at FROM research_admissions a \
     JOIN research_teams t ON t.id = a.team_id";

fn row_to_admission(r: &AnyRow) -> Result<AdmissionRecord, sqlx::Error> {
    Ok(AdmissionRecord {
        problem_id: r.try_get("problem_id")?,
        team_id: r.try_get("team_id")?,
        team_name: r.try_get("team_name")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        terms_accepted_by: r.try_get("terms_accepted_by")?,
        terms_accepted_at: r.try_get("terms_accepted_at")?,
        admitted_by: r.try_get("admitted_by")?,
        admitted_at: r.try_get("admitted_at")?,
    })
}

const LINE_COLS: &str = "id, project_id, source, programme, amount_fen, spent_fen, created_by, created_at";

fn row_to_line(r: &AnyRow) -> Result<BudgetLineRecord, sqlx::Error> {
    Ok(BudgetLineRecord {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        source: code(r, "source", FundingSource::parse)?,
        programme: r.try_get("programme")?,
        amount_fen: r.try_get("amount_fen")?,
        spent_fen: r.try_get("spent_fen")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(crate) fn collect<T>(rows: &[AnyRow], f: fn(&AnyRow) -> Result<T, sqlx::Error>) -> StoreResult<Vec<T>> {
    rows.iter().map(f).collect::<Result<_, sqlx::Error>>().map_err(map_err)
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
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, entity)
    }

    async fn put_members(&mut self, team: i64, members: &[TeamMember]) -> StoreResult<()> {
        sqlx::query("DELETE FROM research_team_members WHERE team_id = $1")
            .bind(team)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        for (i, m) in members.iter().enumerate() {
            sqlx::query(
                "INSERT INTO research_team_members (team_id, position, account_id, external_name, org_id, role) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(team)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(m.account_id)
            .bind(&m.external_name)
            .bind(m.org_id)
            .bind(m.role.as_str())
            .execute(self.c())
            .await
            .map_err(map_err)?;
        }
        Ok(())
    }

    async fn members_of(&mut self, team: i64) -> StoreResult<Vec<TeamMemberRecord>> {
        let rows = sqlx::query(
            "SELECT m.account_id, m.external_name, m.org_id, m.role, \
             COALESCE(a.display_name, m.external_name) AS name, o.name AS org_name \
             FROM research_team_members m LEFT JOIN accounts a ON a.id = m.account_id \
             LEFT JOIN organizations o ON o.id = m.org_id WHERE m.team_id = $1 ORDER BY m.position",
        )
        .bind(team)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        collect(&rows, |r| {
            Ok(TeamMemberRecord {
                member: TeamMember {
                    account_id: r.try_get("account_id")?,
                    external_name: r.try_get("external_name")?,
                    org_id: r.try_get("org_id")?,
                    role: code(r, "role", MemberRole::parse)?,
                },
                name: r.try_get("name")?,
                org_name: r.try_get("org_name")?,
            })
        })
    }

    async fn with_members(&mut self, mut t: TeamRecord) -> StoreResult<TeamRecord> {
        t.members = self.members_of(t.id).await?;
        Ok(t)
    }

    async fn insert_milestones(&mut self, project: i64, p: &NewProject) -> StoreResult<()> {
        for (i, m) in p.milestones.iter().enumerate() {
            sqlx::query(
                "INSERT INTO research_milestones (project_id, position, title, deliverable, due_date) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(project)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(&m.title)
            .bind(&m.deliverable)
            .bind(&m.due_date)
            .execute(self.c())
            .await
            .map_err(map_err)?;
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO research_teams (college_org_id, name, kind, description, skills_json, occupations_json, \
             equipment_json, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
             RETURNING id",
        )
        .bind(college)
        .bind(&f.name)
        .bind(f.kind.as_str())
        .bind(&f.description)
        .bind(to_json(&f.skills)?)
        .bind(to_json(&f.occupations)?)
        .bind(to_json(&f.equipment)?)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        self.put_members(id, members).await?;
        Ok(id)
    }

    async fn update_team(&mut self, id: i64, f: &TeamFields, members: &[TeamMember], at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_teams SET name = $2, kind = $3, description = $4, skills_json = $5, \
             occupations_json = $6, equipment_json = $7, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.name)
        .bind(f.kind.as_str())
        .bind(&f.description)
        .bind(to_json(&f.skills)?)
        .bind(to_json(&f.occupations)?)
        .bind(to_json(&f.equipment)?)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_team")?;
        self.put_members(id, members).await
    }

    async fn find_team(&mut self, id: i64) -> StoreResult<Option<TeamRecord>> {
        let sql = format!("SELECT {TEAM_COLS} FROM {TEAM_FROM} WHERE t.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        match row.as_ref().map(row_to_team).transpose().map_err(map_err)? {
            Some(t) => Ok(Some(self.with_members(t).await?)),
            None => Ok(None),
        }
    }

    async fn list_teams(&mut self, f: &TeamFilter, page: PageRequest) -> StoreResult<Page<TeamRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.college {
            w.push("t.college_org_id = {}", Arg::Int(org));
        }
        if f.member_orgs_only {
            w.push("o.membership = {}", Arg::Text(MembershipStatus::Member.as_str().into()));
        }
        let mut p =
            fetch_page(self.c(), TEAM_FROM, TEAM_COLS, &w, "t.created_at DESC, t.id DESC", page, row_to_team).await?;
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
        sqlx::query_scalar(
            "INSERT INTO research_problems (enterprise_org_id, title, summary, details, field, skills_json, \
             occupations_json, budget_min_fen, budget_max_fen, deadline, deliverable, trl, terms, status, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15, \
             $15) RETURNING id",
        )
        .bind(enterprise)
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.details)
        .bind(&f.field)
        .bind(to_json(&f.skills)?)
        .bind(to_json(&f.occupations)?)
        .bind(f.budget_min_fen)
        .bind(f.budget_max_fen)
        .bind(&f.deadline)
        .bind(&f.deliverable)
        .bind(f.trl)
        .bind(&f.terms)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_problem(&mut self, id: i64) -> StoreResult<Option<ProblemRecord>> {
        let sql = format!("SELECT {PROBLEM_COLS} FROM {PROBLEM_FROM} WHERE p.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_problem).transpose().map_err(map_err)
    }

    async fn list_problems(&mut self, f: &ProblemFilter, page: PageRequest) -> StoreResult<Page<ProblemRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.enterprise {
            w.push("p.enterprise_org_id = {}", Arg::Int(org));
        }
        if let Some(s) = f.status {
            w.push("p.status = {}", Arg::Text(s.as_str().into()));
        }
        if f.member_orgs_only {
            w.push("o.membership = {}", Arg::Text(MembershipStatus::Member.as_str().into()));
        }
        fetch_page(self.c(), PROBLEM_FROM, PROBLEM_COLS, &w, "p.created_at DESC, p.id DESC", page, row_to_problem).await
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
        sqlx::query(
            "INSERT INTO research_admissions (problem_id, team_id, requested_by, requested_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(problem)
        .bind(team)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn accept_terms(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_admissions SET terms_accepted_by = $3, terms_accepted_at = $4 \
             WHERE problem_id = $1 AND team_id = $2 AND terms_accepted_at IS NULL",
        )
        .bind(problem)
        .bind(team)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_admission")
    }

    async fn admit_team(&mut self, problem: i64, team: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_admissions SET admitted_by = $3, admitted_at = $4 \
             WHERE problem_id = $1 AND team_id = $2 AND terms_accepted_at IS NOT NULL AND admitted_at IS NULL",
        )
        .bind(problem)
        .bind(team)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_admission")
    }

    async fn find_admission(&mut self, problem: i64, team: i64) -> StoreResult<Option<AdmissionRecord>> {
        let sql = format!("{ADMISSION_SELECT} WHERE a.problem_id = $1 AND a.team_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(problem)
            .bind(team)
            .fetch_optional(self.c())
            .await
            .map_err(map_err)?;
        row.as_ref().map(row_to_admission).transpose().map_err(map_err)
    }

    async fn list_admissions(&mut self, problem: i64) -> StoreResult<Vec<AdmissionRecord>> {
        let sql = format!("{ADMISSION_SELECT} WHERE a.problem_id = $1 ORDER BY a.requested_at, a.team_id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(problem).fetch_all(self.c()).await.map_err(map_err)?;
        collect(&rows, row_to_admission)
    }

    async fn create_proposal(
        &mut self,
        problem: i64,
        team: i64,
        f: &ProposalFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO research_proposals (problem_id, team_id, approach, milestones_json, budget_fen, \
             members_json, status, submitted_by, submitted_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $8) RETURNING id",
        )
        .bind(problem)
        .bind(team)
        .bind(&f.approach)
        .bind(to_json(&f.milestones)?)
        .bind(f.budget_fen)
        .bind(to_json(&f.members)?)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_proposal(&mut self, id: i64) -> StoreResult<Option<ProposalRecord>> {
        let sql = format!("{PROPOSAL_SELECT} WHERE r.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_proposal).transpose().map_err(map_err)
    }

    async fn list_proposals(&mut self, problem: i64, team: Option<i64>) -> StoreResult<Vec<ProposalRecord>> {
        let rows = match team {
            Some(team) => {
                let sql = format!("{PROPOSAL_SELECT} WHERE r.problem_id = $1 AND r.team_id = $2 ORDER BY r.id");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(problem).bind(team).fetch_all(self.c()).await
            }
            None => {
                let sql = format!("{PROPOSAL_SELECT} WHERE r.problem_id = $1 ORDER BY r.id");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(problem).fetch_all(self.c()).await
            }
        }
        .map_err(map_err)?;
        collect(&rows, row_to_proposal)
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
        let done = sqlx::query(
            "UPDATE research_proposals SET status = 'rejected', updated_at = $2 \
             WHERE problem_id = $1 AND status IN ('submitted', 'shortlisted')",
        )
        .bind(problem)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn create_project(&mut self, p: &NewProject) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO research_projects (problem_id, proposal_id, team_id, enterprise_org_id, college_org_id, \
             title, status, risks_json, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'active', '[]', $7, $8, $8) RETURNING id",
        )
        .bind(p.problem_id)
        .bind(p.proposal_id)
        .bind(p.team_id)
        .bind(p.enterprise_org_id)
        .bind(p.college_org_id)
        .bind(&p.title)
        .bind(p.by)
        .bind(p.at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        self.insert_milestones(id, p).await?;
        if let Some(line) = &p.first_line {
            self.add_budget_line(id, line, p.by, p.at).await?;
        }
        Ok(id)
    }

    async fn find_project(&mut self, id: i64) -> StoreResult<Option<ProjectRecord>> {
        let sql = format!("SELECT {PROJECT_COLS} FROM {PROJECT_FROM} WHERE j.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_project).transpose().map_err(map_err)
    }

    async fn list_projects(&mut self, f: &ProjectFilter, page: PageRequest) -> StoreResult<Page<ProjectRecord>> {
        let mut w = Filter::default();
        if let Some(org) = f.org {
            w.push("(j.enterprise_org_id = {} OR j.college_org_id = {})", Arg::Int(org));
        }
        fetch_page(self.c(), PROJECT_FROM, PROJECT_COLS, &w, "j.created_at DESC, j.id DESC", page, row_to_project).await
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
        let done = sqlx::query("UPDATE research_projects SET risks_json = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(to_json(&risks)?)
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "research_project")
    }

    async fn list_milestones(&mut self, project: i64) -> StoreResult<Vec<MilestoneRecord>> {
        let rows = sqlx::query(
            "SELECT id, project_id, position, title, deliverable, due_date, submitted_by, submitted_at, \
             submission_note, accepted_by, accepted_at FROM research_milestones WHERE project_id = $1 ORDER BY position",
        )
        .bind(project)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        collect(&rows, |r| {
            Ok(MilestoneRecord {
                id: r.try_get("id")?,
                project_id: r.try_get("project_id")?,
                position: r.try_get("position")?,
                title: r.try_get("title")?,
                deliverable: r.try_get("deliverable")?,
                due_date: r.try_get("due_date")?,
                submitted_by: r.try_get("submitted_by")?,
                submitted_at: r.try_get("submitted_at")?,
                submission_note: r.try_get("submission_note")?,
                accepted_by: r.try_get("accepted_by")?,
                accepted_at: r.try_get("accepted_at")?,
            })
        })
    }

    async fn submit_milestone(&mut self, id: i64, note: Option<&str>, by: AccountId, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_milestones SET submitted_by = $2, submitted_at = $3, submission_note = $4 \
             WHERE id = $1 AND accepted_at IS NULL",
        )
        .bind(id)
        .bind(by)
        .bind(at)
        .bind(note)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_milestone")
    }

    async fn accept_milestone(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_milestones SET accepted_by = $2, accepted_at = $3 \
             WHERE id = $1 AND submitted_at IS NOT NULL AND accepted_at IS NULL",
        )
        .bind(id)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_milestone")
    }

    async fn add_budget_line(
        &mut self,
        project: i64,
        line: &NewBudgetLine,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO research_budget_lines (project_id, source, programme, amount_fen, spent_fen, created_by, \
             created_at) VALUES ($1, $2, $3, $4, 0, $5, $6) RETURNING id",
        )
        .bind(project)
        .bind(line.source.as_str())
        .bind(&line.programme)
        .bind(line.amount_fen)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_budget_lines(&mut self, project: i64) -> StoreResult<Vec<BudgetLineRecord>> {
        let sql = format!("SELECT {LINE_COLS} FROM research_budget_lines WHERE project_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(project).fetch_all(self.c()).await.map_err(map_err)?;
        collect(&rows, row_to_line)
    }

    async fn find_budget_line(&mut self, id: i64) -> StoreResult<Option<BudgetLineRecord>> {
        let sql = format!("SELECT {LINE_COLS} FROM research_budget_lines WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_line).transpose().map_err(map_err)
    }

    async fn record_expenditure(&mut self, e: &NewExpenditure) -> StoreResult<i64> {
        // One conditional statement: only a line with room for the amount takes it (written as
        // `spent <= amount - x` so that nothing can overflow), and concurrent writers re-check
        // the condition on the row they update.
        let done = sqlx::query(
            "UPDATE research_budget_lines SET spent_fen = spent_fen + $2 \
             WHERE id = $1 AND $2 > 0 AND spent_fen <= amount_fen - $2",
        )
        .bind(e.line_id)
        .bind(e.amount_fen)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return match self.find_budget_line(e.line_id).await? {
                None => Err(StoreError::NotFound { entity: "research_budget_line" }),
                Some(_) => Err(StoreError::Conflict { constraint: "budget_line_exceeded".into() }),
            };
        }
        sqlx::query_scalar(
            "INSERT INTO research_expenditures (line_id, amount_fen, spent_on, purpose, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(e.line_id)
        .bind(e.amount_fen)
        .bind(&e.spent_on)
        .bind(&e.purpose)
        .bind(e.by)
        .bind(e.at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_expenditures(&mut self, project: i64) -> StoreResult<Vec<ExpenditureRecord>> {
        let rows = sqlx::query(
            "SELECT x.id, x.line_id, x.amount_fen, x.spent_on, x.purpose, x.recorded_by, x.recorded_at \
             FROM research_expenditures x JOIN research_budget_lines l ON l.id = x.line_id \
             WHERE l.project_id = $1 ORDER BY x.id",
        )
        .bind(project)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        collect(&rows, |r| {
            Ok(ExpenditureRecord {
                id: r.try_get("id")?,
                line_id: r.try_get("line_id")?,
                amount_fen: r.try_get("amount_fen")?,
                spent_on: r.try_get("spent_on")?,
                purpose: r.try_get("purpose")?,
                recorded_by: r.try_get("recorded_by")?,
                recorded_at: r.try_get("recorded_at")?,
            })
        })
    }
}

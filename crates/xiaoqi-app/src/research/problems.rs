//! Technical problems: posted by an enterprise's administrators and HR with a public part and
//! confidential details; a team's managers request admission and accept the confidentiality
//! terms (recorded), the enterprise admits; only the enterprise's people and admitted teams read
//! the details. Admitted teams propose; the enterprise shortlists, rejects or selects one, and
//! the selection creates the project in the same transaction.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::required_text;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{
    self, FundingSource, MAX_MILESTONES, MilestonePlan, ProblemAction, ProblemStatus, ProposalAction, ProposalStatus,
};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{
    AdmissionRecord, NewBudgetLine, NewProject, OrgId, ProblemFields, ProblemFilter, ProblemRecord, ProjectRecord,
    ProposalFields, ProposalRecord, SearchKind, TeamRecord,
};

use super::teams::{occupation_codes, skill_codes};
use super::{MilestoneInput, managed_colleges, manages_teams, too_many, wrong_state};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::services::{acting_for, acts_for};
use crate::talent::vocab::{check_occupation, skill_name};
use crate::{App, Principal};

/// A problem as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProblemInput {
    /// The enterprise posting it (the caller administers it or is its HR).
    pub enterprise_id: i64,
    pub title: String,
    /// Public: everyone on the platform reads it.
    pub summary: String,
    /// Confidential: only the enterprise and admitted teams read it.
    pub details: String,
    /// The technical field.
    pub field: String,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub occupations: Vec<String>,
    /// Lowest budget in yuan, exact ("50000", "50,000.00").
    pub budget_min: String,
    /// Highest budget in yuan, exact; not below the minimum.
    pub budget_max: String,
    /// YYYY-MM-DD, today or later (Asia/Shanghai).
    pub deadline: String,
    pub deliverable: String,
    /// Technology readiness level 1–9.
    pub trl: i64,
    /// The confidentiality terms a team accepts before it is admitted.
    pub terms: String,
}

/// A problem as the caller may see it: `details` only for the enterprise's people and admitted teams.
///
/// The public fields are copied one by one (rather than flattening the stored record) so that
/// the confidential text can only get out through `details`, which `view` fills only when allowed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    pub id: i64,
    pub enterprise_org_id: OrgId,
    pub enterprise_name: String,
    pub title: String,
    pub summary: String,
    pub field: String,
    pub skills: Vec<String>,
    pub occupations: Vec<String>,
    pub budget_min_fen: i64,
    pub budget_max_fen: i64,
    pub deadline: String,
    pub deliverable: String,
    pub trl: i64,
    /// The confidentiality terms (public, so that a team knows what it accepts).
    pub terms: String,
    pub status: String,
    pub created_at: i64,
    /// None unless the caller may read the details.
    pub details: Option<String>,
    pub details_visible: bool,
    /// The enterprise's staff see every admission; a team's managers their teams'.
    pub admissions: Vec<AdmissionRecord>,
    /// Whether the caller acts for the enterprise (admits, selects, closes, sees suggested teams).
    pub acting_for_enterprise: bool,
    /// Whether the caller sees proposals (`list_proposals`): all of them when acting for the
    /// enterprise, their teams' as a team manager.
    pub may_list_proposals: bool,
}

/// The confidential part of a problem.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemDetails {
    pub problem_id: i64,
    pub details: String,
}

/// A team the platform suggests for a problem, with what matched.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamSuggestion {
    pub team_id: i64,
    pub team_name: String,
    pub college_name: String,
    /// Matched skills + matched occupations (each counts 1).
    pub score: i64,
    /// Skill codes the team has and the problem needs.
    pub matched_skills: Vec<String>,
    pub matched_occupations: Vec<String>,
    pub explanation_zh: String,
    pub explanation_en: String,
}

/// A proposal as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// The admitted team proposing (the caller manages it).
    pub team_id: i64,
    pub approach: String,
    pub milestones: Vec<MilestoneInput>,
    /// The budget asked, in yuan, exact.
    pub budget: String,
    /// Who of the team works on it.
    #[serde(default)]
    pub members: Vec<String>,
}

/// A team to admit, or whose admission is requested.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdmissionInput {
    pub team_id: i64,
}

/// Validates a problem (every field at once) except what needs the database.
pub fn validate_problem(i: &ProblemInput, today: Date) -> Result<ProblemFields, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let title = e.check(required_text("title", &i.title, 100));
    let summary = e.check(required_text("summary", &i.summary, 2000));
    let details = e.check(required_text("details", &i.details, 10_000));
    let field = e.check(required_text("field", &i.field, 50));
    let skills = skill_codes("skills", &i.skills, &mut e);
    let occupations = occupation_codes("occupations", &i.occupations, &mut e);
    let min = e.check(research::amount("budget_min", &i.budget_min, false));
    let max = e.check(research::amount("budget_max", &i.budget_max, false));
    if let (Some(min), Some(max)) = (min, max) {
        e.check(research::budget_range(min, max));
    }
    let deadline = e.check(research::deadline("deadline", &i.deadline, today));
    let deliverable = e.check(required_text("deliverable", &i.deliverable, 500));
    let trl = e.check(research::trl("trl", i.trl));
    let terms = e.check(required_text("terms", &i.terms, 4000));
    e.into_result()?;
    let (
        Some(title),
        Some(summary),
        Some(details),
        Some(field),
        Some(min),
        Some(max),
        Some(deadline),
        Some(deliverable),
        Some(trl),
        Some(terms),
    ) = (title, summary, details, field, min, max, deadline, deliverable, trl, terms)
    else {
        return Err(FieldError::required("title").into());
    };
    Ok(ProblemFields {
        title,
        summary,
        details,
        field,
        skills,
        occupations,
        budget_min_fen: min.0,
        budget_max_fen: max.0,
        deadline: deadline.format(),
        deliverable,
        trl,
        terms,
    })
}

/// Validates a proposal's milestones, budget and members.
pub fn validate_proposal(i: &ProposalInput) -> Result<ProposalFields, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let approach = e.check(required_text("approach", &i.approach, 10_000));
    let milestones = validate_milestones(&i.milestones, &mut e);
    let budget = e.check(research::amount("budget", &i.budget, true));
    if i.members.len() > 50 {
        e.push(too_many("members", 50));
    }
    let members: Vec<String> = i
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.trim().is_empty())
        .filter_map(|(n, m)| e.check(required_text(&format!("members[{n}]"), m, 50)))
        .collect();
    e.into_result()?;
    let (Some(approach), Some(budget)) = (approach, budget) else {
        return Err(FieldError::required("approach").into());
    };
    Ok(ProposalFields { approach, milestones, budget_fen: budget.0, members })
}

fn validate_milestones(items: &[MilestoneInput], e: &mut ValidationErrors) -> Vec<MilestonePlan> {
    if items.is_empty() || items.len() > MAX_MILESTONES {
        e.push(FieldError::new(
            "milestones",
            "milestone_count",
            format!("请列出 1 到 {MAX_MILESTONES} 个里程碑"),
            format!("List 1 to {MAX_MILESTONES} milestones"),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (n, m) in items.iter().enumerate() {
        let title = e.check(required_text(&format!("milestones[{n}].title"), &m.title, 100));
        let deliverable = e.check(required_text(&format!("milestones[{n}].deliverable"), &m.deliverable, 500));
        let due = e.check(Date::parse(&format!("milestones[{n}].due_date"), &m.due_date));
        if let (Some(title), Some(deliverable), Some(due)) = (title, deliverable, due) {
            out.push(MilestonePlan { title, deliverable, due_date: due.format() });
        }
    }
    out
}

fn view(
    p: ProblemRecord,
    details_visible: bool,
    admissions: Vec<AdmissionRecord>,
    acting: bool,
    may_list_proposals: bool,
) -> ProblemView {
    let f = p.fields;
    ProblemView {
        id: p.id,
        enterprise_org_id: p.enterprise_org_id,
        enterprise_name: p.enterprise_name,
        title: f.title,
        summary: f.summary,
        field: f.field,
        skills: f.skills,
        occupations: f.occupations,
        budget_min_fen: f.budget_min_fen,
        budget_max_fen: f.budget_max_fen,
        deadline: f.deadline,
        deliverable: f.deliverable,
        trl: f.trl,
        terms: f.terms,
        status: p.status.as_str().to_string(),
        created_at: p.created_at,
        details: details_visible.then_some(f.details),
        details_visible,
        admissions,
        acting_for_enterprise: acting,
        may_list_proposals,
    }
}

fn not_admitted() -> AppError {
    AppError::Denied {
        zh: "该难题的详细内容保密：仅发布企业和经企业准入（已接受保密条款）的团队可以查看".into(),
        en: "The details of this problem are confidential: only the enterprise and teams it admitted \
             (after they accepted its confidentiality terms) may read them"
            .into(),
    }
}

fn not_open() -> AppError {
    wrong_state("该难题已不再征集方案", "The problem no longer takes proposals")
}

/// What a team and a problem share, scored 1 per matched skill and occupation.
pub fn suggest(problem: &ProblemFields, team: &TeamRecord) -> Option<TeamSuggestion> {
    let skills: Vec<String> = problem.skills.iter().filter(|s| team.fields.skills.contains(s)).cloned().collect();
    let occupations: Vec<String> =
        problem.occupations.iter().filter(|o| team.fields.occupations.contains(o)).cloned().collect();
    let score = i64::try_from(skills.len() + occupations.len()).unwrap_or(i64::MAX);
    if score == 0 {
        return None;
    }
    let names = |lang: &str| skills.iter().map(|s| skill_name(s, lang)).collect::<Vec<_>>();
    Some(TeamSuggestion {
        team_id: team.id,
        team_name: team.fields.name.clone(),
        college_name: team.college_name.clone(),
        score,
        explanation_zh: format!(
            "匹配技能 {} 项（{}），匹配职业 {} 项（{}）",
            skills.len(),
            names("zh").join("、"),
            occupations.len(),
            occupations.join("、")
        ),
        explanation_en: format!(
            "{} matching skills ({}), {} matching occupations ({})",
            skills.len(),
            names("en").join(", "),
            occupations.len(),
            occupations.join(", ")
        ),
        matched_skills: skills,
        matched_occupations: occupations,
    })
}

impl App {
    /// Indexes the public part of an open problem of a member enterprise; removes it otherwise.
    pub(crate) async fn index_problem(&self, conn: &mut Box<dyn Conn>, p: &ProblemRecord) -> AppResult<()> {
        let member =
            conn.find_org(p.enterprise_org_id).await?.is_some_and(|o| o.membership == MembershipStatus::Member);
        if !member || p.status != ProblemStatus::Open {
            return self.unindex_doc(conn, SearchKind::Problem, p.id).await;
        }
        let f = &p.fields;
        let mut body =
            vec![f.title.clone(), f.summary.clone(), f.field.clone(), p.enterprise_name.clone(), f.deliverable.clone()];
        for s in &f.skills {
            body.push(skill_name(s, "zh"));
            body.push(skill_name(s, "en"));
        }
        let summary = format!("{} · {}", p.enterprise_name, f.field);
        self.index_doc(
            conn,
            SearchKind::Problem,
            p.id,
            Some(p.enterprise_org_id),
            (&f.title, &summary, &body.join(" ")),
        )
        .await
    }

    /// Posts a problem: the enterprise's administrators and HR.
    pub async fn create_problem(&self, p: &Principal, input: &ProblemInput) -> AppResult<ProblemView> {
        let staff = acting_for(p, Side::Enterprise, input.enterprise_id)?;
        let fields = validate_problem(input, self.today())?;
        {
            let mut conn = self.store.conn().await?;
            for (i, code) in fields.occupations.iter().enumerate() {
                check_occupation(&mut conn, &format!("occupations[{i}]"), code).await?;
            }
        }
        let mut tx = self.store.begin().await?;
        self.require_admitted(&mut tx, staff.org_id).await?;
        let id = tx.create_problem(staff.org_id, &fields, staff.actor, self.now()).await?;
        let created = tx.find_problem(id).await?.ok_or(AppError::NotFound("research_problem"))?;
        self.index_problem(&mut tx, &created).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(staff.org_id),
            Change::created("research_problem.create", "research_problem", id, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(view(created, true, Vec::new(), true, true))
    }

    /// A problem the caller may see (of a member enterprise, or the caller's own); else 404.
    async fn visible_problem(&self, p: &Principal, id: i64) -> AppResult<ProblemRecord> {
        let mut conn = self.store.conn().await?;
        let problem = conn.find_problem(id).await?.ok_or(AppError::NotFound("research_problem"))?;
        let member =
            conn.find_org(problem.enterprise_org_id).await?.is_some_and(|o| o.membership == MembershipStatus::Member);
        if !member && !p.may_read_private(problem.enterprise_org_id) {
            return Err(AppError::NotFound("research_problem"));
        }
        Ok(problem)
    }

    /// The caller's teams' admissions to a problem (as a team manager).
    async fn my_admissions(&self, p: &Principal, problem: i64) -> AppResult<Vec<AdmissionRecord>> {
        let colleges = managed_colleges(p);
        if colleges.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.store.conn().await?;
        let mut out = Vec::new();
        for a in conn.list_admissions(problem).await? {
            if let Some(t) = conn.find_team(a.team_id).await?
                && colleges.contains(&t.college_org_id)
            {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// Whether the caller reads the details: the enterprise's people, or a manager of an
    /// admitted team.
    async fn may_read_details(&self, p: &Principal, problem: &ProblemRecord) -> AppResult<bool> {
        if p.is_member_of(problem.enterprise_org_id) {
            return Ok(true);
        }
        Ok(self.my_admissions(p, problem.id).await?.iter().any(|a| a.admitted_at.is_some()))
    }

    /// One problem: the public part for everyone who may see it, the details as well for the
    /// enterprise's people and admitted teams.
    pub async fn get_problem(&self, p: &Principal, id: i64) -> AppResult<ProblemView> {
        let problem = self.visible_problem(p, id).await?;
        let acting = acts_for(p, Side::Enterprise, problem.enterprise_org_id);
        let admissions = if acting {
            self.store.conn().await?.list_admissions(id).await?
        } else {
            self.my_admissions(p, id).await?
        };
        let details = self.may_read_details(p, &problem).await?;
        let proposals = crate::authz::sees_proposals(p, problem.enterprise_org_id);
        Ok(view(problem, details, admissions, acting, proposals))
    }

    /// The confidential details: 403 with the reason for anyone not admitted.
    pub async fn get_problem_details(&self, p: &Principal, id: i64) -> AppResult<ProblemDetails> {
        let problem = self.visible_problem(p, id).await?;
        if !self.may_read_details(p, &problem).await? {
            return Err(not_admitted());
        }
        Ok(ProblemDetails { problem_id: id, details: problem.fields.details })
    }

    /// Problems, newest first: open ones of member enterprises, or every problem of one
    /// enterprise for its own people (who name it).
    pub async fn list_problems(
        &self,
        p: &Principal,
        enterprise: Option<OrgId>,
        page: PageRequest,
    ) -> AppResult<Page<ProblemView>> {
        let own = enterprise.is_some_and(|e| p.may_read_private(e));
        let filter = ProblemFilter {
            enterprise,
            status: if own { None } else { Some(ProblemStatus::Open) },
            member_orgs_only: !own,
        };
        let page = self.store.conn().await?.list_problems(&filter, page).await?;
        let items = page
            .items
            .into_iter()
            .map(|r| {
                let acting = acts_for(p, Side::Enterprise, r.enterprise_org_id);
                let proposals = crate::authz::sees_proposals(p, r.enterprise_org_id);
                view(r, false, Vec::new(), acting, proposals)
            })
            .collect();
        Ok(Page { items, total: page.total, limit: page.limit, offset: page.offset })
    }

    /// Closes a problem (the enterprise's administrators and HR); its search entry goes.
    pub async fn close_problem(&self, p: &Principal, id: i64) -> AppResult<ProblemView> {
        let problem = self.visible_problem(p, id).await?;
        acting_for(p, Side::Enterprise, problem.enterprise_org_id)?;
        let to = problem
            .status
            .after(ProblemAction::Close)
            .ok_or_else(|| wrong_state("该难题已关闭", "The problem is already closed"))?;
        let mut tx = self.store.begin().await?;
        tx.set_problem_status(id, problem.status, to, self.now()).await.map_err(|_| not_open())?;
        let after = tx.find_problem(id).await?.ok_or(AppError::NotFound("research_problem"))?;
        self.index_problem(&mut tx, &after).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(problem.enterprise_org_id),
            Change::updated("research_problem.close", "research_problem", id, &problem, &after),
        )
        .await?;
        tx.commit().await?;
        self.get_problem(p, id).await
    }

    /// Teams of member colleges whose skills or occupations match the problem, best first:
    /// for the enterprise's administrators and HR.
    pub async fn suggest_teams(&self, p: &Principal, id: i64) -> AppResult<Vec<TeamSuggestion>> {
        let problem = self.visible_problem(p, id).await?;
        acting_for(p, Side::Enterprise, problem.enterprise_org_id)?;
        let mut conn = self.store.conn().await?;
        let mut out: Vec<TeamSuggestion> =
            self.all_member_teams(&mut conn).await?.iter().filter_map(|t| suggest(&problem.fields, t)).collect();
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.team_id.cmp(&b.team_id)));
        Ok(out)
    }

    /// The team, checked to be one the caller manages (403 otherwise, 404 when missing).
    async fn managed_team(&self, p: &Principal, team: i64) -> AppResult<TeamRecord> {
        let t = self.store.conn().await?.find_team(team).await?.ok_or(AppError::NotFound("research_team"))?;
        if !manages_teams(p, t.college_org_id) {
            return Err(AppError::Forbidden);
        }
        Ok(t)
    }

    /// A team's managers ask to be admitted to an open problem.
    pub async fn request_admission(
        &self,
        p: &Principal,
        id: i64,
        input: &AdmissionInput,
    ) -> AppResult<AdmissionRecord> {
        let problem = self.visible_problem(p, id).await?;
        let team = self.managed_team(p, input.team_id).await?;
        if problem.status != ProblemStatus::Open {
            return Err(not_open());
        }
        let mut tx = self.store.begin().await?;
        if tx.find_admission(&p.read_scope(), id, team.id).await?.is_some() {
            return Err(AppError::Conflict(FieldError::new(
                "team_id",
                "admission_requested",
                "该团队已申请过准入",
                "This team has already asked to be admitted",
            )));
        }
        tx.request_admission(id, team.id, p.id(), self.now()).await?;
        let a =
            tx.find_admission(&p.read_scope(), id, team.id).await?.ok_or(AppError::NotFound("research_admission"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(team.college_org_id),
            Change::created("research_admission.request", "research_admission", format!("{id}/{}", team.id), &a),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// A team's managers accept the problem's confidentiality terms (who and when are recorded).
    pub async fn accept_terms(&self, p: &Principal, id: i64, team: i64) -> AppResult<AdmissionRecord> {
        self.visible_problem(p, id).await?;
        let team = self.managed_team(p, team).await?;
        let mut tx = self.store.begin().await?;
        let before =
            tx.find_admission(&p.read_scope(), id, team.id).await?.ok_or(AppError::NotFound("research_admission"))?;
        if before.terms_accepted_at.is_some() {
            return Err(wrong_state("已接受过保密条款", "The confidentiality terms were already accepted"));
        }
        tx.accept_terms(id, team.id, p.id(), self.now()).await?;
        let after =
            tx.find_admission(&p.read_scope(), id, team.id).await?.ok_or(AppError::NotFound("research_admission"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(team.college_org_id),
            Change::updated(
                "research_admission.accept_terms",
                "research_admission",
                format!("{id}/{}", team.id),
                &before,
                &after,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The enterprise admits a team that accepted the terms; from then on it reads the details.
    pub async fn admit_team(&self, p: &Principal, id: i64, team: i64) -> AppResult<AdmissionRecord> {
        let problem = self.visible_problem(p, id).await?;
        acting_for(p, Side::Enterprise, problem.enterprise_org_id)?;
        let mut tx = self.store.begin().await?;
        let before =
            tx.find_admission(&p.read_scope(), id, team).await?.ok_or(AppError::NotFound("research_admission"))?;
        if before.terms_accepted_at.is_none() {
            return Err(wrong_state(
                "该团队尚未接受保密条款，不能准入",
                "The team has not accepted the confidentiality terms yet and cannot be admitted",
            ));
        }
        if before.admitted_at.is_some() {
            return Err(wrong_state("该团队已获准入", "The team is already admitted"));
        }
        tx.admit_team(id, team, p.id(), self.now()).await?;
        let after =
            tx.find_admission(&p.read_scope(), id, team).await?.ok_or(AppError::NotFound("research_admission"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(problem.enterprise_org_id),
            Change::updated("research_admission.admit", "research_admission", format!("{id}/{team}"), &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An admitted team's managers submit a proposal to an open problem.
    pub async fn submit_proposal(&self, p: &Principal, id: i64, input: &ProposalInput) -> AppResult<ProposalRecord> {
        let problem = self.visible_problem(p, id).await?;
        let team = self.managed_team(p, input.team_id).await?;
        let fields = validate_proposal(input)?;
        if problem.status != ProblemStatus::Open {
            return Err(not_open());
        }
        let mut tx = self.store.begin().await?;
        let admitted = tx.find_admission(&p.read_scope(), id, team.id).await?.is_some_and(|a| a.admitted_at.is_some());
        if !admitted {
            return Err(AppError::Denied {
                zh: "只有经企业准入的团队可以提交方案".into(),
                en: "Only teams the enterprise admitted may submit a proposal".into(),
            });
        }
        let pid = tx.create_proposal(id, team.id, &fields, p.id(), self.now()).await?;
        let created = tx.find_proposal(&p.read_scope(), pid).await?.ok_or(AppError::NotFound("research_proposal"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(team.college_org_id),
            Change::created("research_proposal.submit", "research_proposal", pid, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A problem's proposals: all for the enterprise's staff, their teams' for team managers.
    pub async fn list_proposals(&self, p: &Principal, id: i64) -> AppResult<Vec<ProposalRecord>> {
        let problem = self.visible_problem(p, id).await?;
        let all = self.store.conn().await?.list_proposals(id, None).await?;
        if !crate::authz::sees_proposals(p, problem.enterprise_org_id) {
            return Err(AppError::Forbidden);
        }
        if acts_for(p, Side::Enterprise, problem.enterprise_org_id) {
            return Ok(all);
        }
        let colleges = managed_colleges(p);
        Ok(all.into_iter().filter(|r| colleges.contains(&r.college_org_id)).collect())
    }

    /// One proposal: the enterprise's staff and the proposing team's managers; else 404.
    pub async fn get_proposal(&self, p: &Principal, id: i64) -> AppResult<ProposalRecord> {
        let r = self
            .store
            .conn()
            .await?
            .find_proposal(&p.read_scope(), id)
            .await?
            .ok_or(AppError::NotFound("research_proposal"))?;
        if acts_for(p, Side::Enterprise, r.enterprise_org_id) || manages_teams(p, r.college_org_id) {
            Ok(r)
        } else {
            Err(AppError::NotFound("research_proposal"))
        }
    }

    /// Shortlists or rejects a proposal (the enterprise's administrators and HR).
    pub async fn decide_proposal(&self, p: &Principal, id: i64, action: ProposalAction) -> AppResult<ProposalRecord> {
        let before = self.get_proposal(p, id).await?;
        acting_for(p, Side::Enterprise, before.enterprise_org_id)?;
        let to = before.status.after(action).filter(|to| *to != ProposalStatus::Selected).ok_or_else(|| {
            wrong_state(
                format!("方案当前状态为“{}”，不能{}", before.status.label_zh(), action.label_zh()).as_str(),
                format!("The proposal is {}; it cannot be {}ed now", before.status.label_en(), action.as_str())
                    .as_str(),
            )
        })?;
        let mut tx = self.store.begin().await?;
        tx.set_proposal_status(id, before.status, to, self.now()).await?;
        let after = tx.find_proposal(&p.read_scope(), id).await?.ok_or(AppError::NotFound("research_proposal"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(before.enterprise_org_id),
            Change::updated("research_proposal.decide", "research_proposal", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Selects a proposal (the enterprise's administrators and HR): in one transaction the
    /// proposal is selected, the others rejected, the problem marked selected and the project
    /// created with the proposal's milestones and an enterprise budget line of its budget.
    pub async fn select_proposal(&self, p: &Principal, id: i64) -> AppResult<ProjectRecord> {
        let r = self.get_proposal(p, id).await?;
        let staff = acting_for(p, Side::Enterprise, r.enterprise_org_id)?;
        let (Some(to), Some(problem_to)) =
            (r.status.after(ProposalAction::Select), ProblemStatus::Open.after(ProblemAction::Select))
        else {
            return Err(wrong_state("该方案不能再被选定", "This proposal can no longer be selected"));
        };
        let at = self.now();
        let mut tx = self.store.begin().await?;
        tx.lock_org(r.enterprise_org_id).await?;
        let problem = tx.find_problem(r.problem_id).await?.ok_or(AppError::NotFound("research_problem"))?;
        if problem.status != ProblemStatus::Open {
            return Err(wrong_state(
                "该难题已选定方案或已关闭",
                "The problem already has a selected proposal or is closed",
            ));
        }
        tx.set_proposal_status(id, r.status, to, at).await?;
        tx.reject_open_proposals(r.problem_id, at).await?;
        tx.set_problem_status(r.problem_id, ProblemStatus::Open, problem_to, at).await?;
        let project = tx
            .create_project(&NewProject {
                problem_id: r.problem_id,
                proposal_id: id,
                team_id: r.team_id,
                enterprise_org_id: r.enterprise_org_id,
                college_org_id: r.college_org_id,
                title: problem.fields.title.clone(),
                milestones: r.fields.milestones.clone(),
                first_line: Some(NewBudgetLine {
                    source: FundingSource::Enterprise,
                    programme: None,
                    amount_fen: Fen(r.fields.budget_fen).0,
                }),
                by: staff.actor,
                at,
            })
            .await?;
        let after = tx.find_problem(r.problem_id).await?.ok_or(AppError::NotFound("research_problem"))?;
        self.index_problem(&mut tx, &after).await?;
        let created = tx.find_project(&p.read_scope(), project).await?.ok_or(AppError::NotFound("research_project"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(r.enterprise_org_id),
            Change::created("research_proposal.select", "research_project", project, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProblemInput {
        ProblemInput {
            enterprise_id: 1,
            title: "薄壁件变形".into(),
            summary: "公开摘要".into(),
            details: "机密".into(),
            field: "精密加工".into(),
            budget_min: "50,000".into(),
            budget_max: "200000.00".into(),
            deadline: "2027-06-30".into(),
            deliverable: "工艺方案".into(),
            trl: 4,
            terms: "保密".into(),
            ..Default::default()
        }
    }

    fn rules(r: Result<ProblemFields, ValidationErrors>) -> Vec<(String, &'static str)> {
        r.err().map(|v| v.0.into_iter().map(|f| (f.field, f.rule)).collect()).unwrap_or_default()
    }

    #[test]
    fn a_problem_is_validated_whole_with_exact_budgets() {
        let today = Date::parse("d", "2026-11-27").unwrap_or(Date(0));
        let ok = validate_problem(&input(), today).ok().map(|f| (f.budget_min_fen, f.budget_max_fen));
        assert_eq!(ok, Some((5_000_000, 20_000_000)));
        let mut bad = input();
        bad.budget_min = "-1".into();
        bad.budget_max = "1.234".into();
        bad.trl = 10;
        bad.deadline = "2026-11-26".into();
        assert_eq!(
            rules(validate_problem(&bad, today)),
            vec![
                ("budget_min".to_string(), "money_negative"),
                ("budget_max".to_string(), "money_too_many_decimals"),
                ("deadline".to_string(), "deadline_past"),
                ("trl".to_string(), "trl_range"),
            ]
        );
        let mut inverted = input();
        inverted.budget_min = "300000".into();
        assert_eq!(
            rules(validate_problem(&inverted, today)),
            vec![("budget_max".to_string(), "budget_range_inverted")]
        );
    }
}

//! Teams: created and edited by a college's administrators, programme leaders and teachers;
//! public inside the platform when the college is an alliance member, indexed for search.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{MemberRole, TeamKind};
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{Equipment, OrgId, SearchKind, TeamFields, TeamFilter, TeamMember, TeamRecord};

use super::{manages_teams, too_many, unknown};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::talent::vocab::{check_occupation, skill_code, skill_name};
use crate::{App, Principal};

const MAX_SKILLS: usize = 30;
const MAX_OCCUPATIONS: usize = 20;
const MAX_EQUIPMENT: usize = 30;
const MAX_MEMBERS: usize = 50;

/// A member as typed: an account of the platform or a name, with a role.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMemberInput {
    pub account_id: Option<i64>,
    /// A person without an account (give this or `account_id`).
    pub external_name: Option<String>,
    /// The college or enterprise the member comes from.
    pub org_id: Option<i64>,
    /// leader, teacher, student or technician.
    pub role: String,
}

/// A team as typed in a form or sent as JSON (create and full update).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    /// The college running it. Ignored on update.
    pub college_id: i64,
    pub name: String,
    /// rd_service_centre (研发服务中心), young_teachers_studio (青年教师工作室) or
    /// application_technology_team (应用技术团队).
    pub kind: String,
    pub description: String,
    /// Skills by code or name, from the skills vocabulary.
    #[serde(default)]
    pub skills: Vec<String>,
    /// CSCO 2022 occupation codes.
    #[serde(default)]
    pub occupations: Vec<String>,
    #[serde(default)]
    pub equipment: Vec<Equipment>,
    #[serde(default)]
    pub members: Vec<TeamMemberInput>,
}

/// Resolves skills (codes or names) to unique codes.
pub(super) fn skill_codes(field: &str, items: &[String], e: &mut ValidationErrors) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if items.len() > MAX_SKILLS {
        e.push(too_many(field, MAX_SKILLS));
        return out;
    }
    for (i, s) in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).enumerate() {
        match skill_code(&format!("{field}[{i}]"), s) {
            Ok(code) if !out.contains(&code) => out.push(code),
            Ok(_) => {}
            Err(AppError::Validation(v)) => v.0.into_iter().for_each(|f| e.push(f)),
            Err(_) => e.push(unknown(field, "技能", "skill", s)),
        }
    }
    out
}

/// Unique, trimmed occupation codes (checked against the classification later).
pub(super) fn occupation_codes(field: &str, items: &[String], e: &mut ValidationErrors) -> Vec<String> {
    if items.len() > MAX_OCCUPATIONS {
        e.push(too_many(field, MAX_OCCUPATIONS));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for s in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

fn validate_members(items: &[TeamMemberInput], e: &mut ValidationErrors) -> Vec<TeamMember> {
    if items.len() > MAX_MEMBERS {
        e.push(too_many("members", MAX_MEMBERS));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, m) in items.iter().enumerate() {
        let f = |name: &str| format!("members[{i}].{name}");
        let role = e.check(
            MemberRole::parse(m.role.trim()).ok_or_else(|| unknown(&f("role"), "成员角色", "member role", &m.role)),
        );
        let name = e.check(optional_text(&f("external_name"), m.external_name.as_deref(), 50));
        let name = name.flatten();
        if m.account_id.is_some() == name.is_some() {
            e.push(FieldError::new(
                f("account_id"),
                "member_account_or_name",
                "成员须填写平台账号或姓名之一（且只能填一个）",
                "A member is either an account of the platform or a name, exactly one of the two",
            ));
            continue;
        }
        if let Some(role) = role {
            out.push(TeamMember { account_id: m.account_id, external_name: name, org_id: m.org_id, role });
        }
    }
    out
}

/// Validates a team (every field at once) except what needs the database.
pub fn validate_team(i: &TeamInput) -> Result<(TeamFields, Vec<TeamMember>), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let name = e.check(required_text("name", &i.name, 100));
    let kind = e.check(TeamKind::parse(i.kind.trim()).ok_or_else(|| unknown("kind", "团队类型", "team kind", &i.kind)));
    let description = e.check(required_text("description", &i.description, 4000));
    let skills = skill_codes("skills", &i.skills, &mut e);
    let occupations = occupation_codes("occupations", &i.occupations, &mut e);
    let mut equipment = Vec::new();
    if i.equipment.len() > MAX_EQUIPMENT {
        e.push(too_many("equipment", MAX_EQUIPMENT));
    }
    for (n, q) in i.equipment.iter().take(MAX_EQUIPMENT).enumerate() {
        let name = e.check(required_text(&format!("equipment[{n}].name"), &q.name, 100));
        let availability = e.check(required_text(&format!("equipment[{n}].availability"), &q.availability, 200));
        if let (Some(name), Some(availability)) = (name, availability) {
            equipment.push(Equipment { name, availability });
        }
    }
    let members = validate_members(&i.members, &mut e);
    e.into_result()?;
    let (Some(name), Some(kind), Some(description)) = (name, kind, description) else {
        return Err(FieldError::required("name").into());
    };
    Ok((TeamFields { name, kind, description, skills, occupations, equipment }, members))
}

/// The public text of a team for search: (title, summary, body).
fn team_search_text(t: &TeamRecord) -> (String, String, String) {
    let mut body = vec![
        t.fields.name.clone(),
        t.fields.kind.label_zh().to_string(),
        t.fields.kind.label_en().to_string(),
        t.college_name.clone(),
        t.fields.description.clone(),
    ];
    for s in &t.fields.skills {
        body.push(skill_name(s, "zh"));
        body.push(skill_name(s, "en"));
    }
    body.extend(t.fields.equipment.iter().map(|q| q.name.clone()));
    let summary = format!("{} · {}", t.college_name, t.fields.kind.label_zh());
    (t.fields.name.clone(), summary, body.join(" "))
}

impl App {
    /// Indexes a team of a member college; removes it otherwise.
    pub(crate) async fn index_team(&self, conn: &mut Box<dyn Conn>, t: &TeamRecord) -> AppResult<()> {
        let member = conn.find_org(t.college_org_id).await?.is_some_and(|o| o.membership == MembershipStatus::Member);
        if !member {
            return self.unindex_doc(conn, SearchKind::Team, t.id).await;
        }
        let (title, summary, body) = team_search_text(t);
        self.index_doc(conn, SearchKind::Team, t.id, Some(t.college_org_id), (&title, &summary, &body)).await
    }

    async fn check_team_refs(&self, fields: &TeamFields, members: &[TeamMember]) -> AppResult<()> {
        let mut conn = self.store.conn().await?;
        for (i, code) in fields.occupations.iter().enumerate() {
            check_occupation(&mut conn, &format!("occupations[{i}]"), code).await?;
        }
        for (i, m) in members.iter().enumerate() {
            if let Some(a) = m.account_id
                && conn.find_account(a).await?.is_none()
            {
                return Err(unknown(&format!("members[{i}].account_id"), "账号", "account", &a.to_string()).into());
            }
            if let Some(o) = m.org_id
                && conn.find_org(o).await?.is_none()
            {
                return Err(unknown(&format!("members[{i}].org_id"), "机构", "organisation", &o.to_string()).into());
            }
        }
        Ok(())
    }

    /// Creates a team: the college's administrators, programme leaders and teachers.
    pub async fn create_team(&self, p: &Principal, input: &TeamInput) -> AppResult<TeamRecord> {
        if !manages_teams(p, input.college_id) {
            return Err(AppError::Forbidden);
        }
        let (fields, members) = validate_team(input)?;
        self.check_team_refs(&fields, &members).await?;
        let mut tx = self.store.begin().await?;
        let id = tx.create_team(input.college_id, &fields, &members, p.id(), self.now()).await?;
        let created = tx.find_team(id).await?.ok_or(AppError::NotFound("research_team"))?;
        self.index_team(&mut tx, &created).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(input.college_id),
            Change::created("research_team.create", "research_team", id, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Replaces a team's fields and members (the same people as creating).
    pub async fn update_team(&self, p: &Principal, id: i64, input: &TeamInput) -> AppResult<TeamRecord> {
        let before = self.get_team(p, id).await?;
        if !manages_teams(p, before.college_org_id) {
            return Err(AppError::Forbidden);
        }
        let (fields, members) = validate_team(input)?;
        self.check_team_refs(&fields, &members).await?;
        let mut tx = self.store.begin().await?;
        tx.update_team(id, &fields, &members, self.now()).await?;
        let after = tx.find_team(id).await?.ok_or(AppError::NotFound("research_team"))?;
        self.index_team(&mut tx, &after).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(before.college_org_id),
            Change::updated("research_team.update", "research_team", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One team: of an alliance-member college, or the caller's own (or alliance admins); else 404.
    pub async fn get_team(&self, p: &Principal, id: i64) -> AppResult<TeamRecord> {
        let mut conn = self.store.conn().await?;
        let team = conn.find_team(id).await?.ok_or(AppError::NotFound("research_team"))?;
        let member =
            conn.find_org(team.college_org_id).await?.is_some_and(|o| o.membership == MembershipStatus::Member);
        if !member && !p.may_read_private(team.college_org_id) {
            return Err(AppError::NotFound("research_team"));
        }
        Ok(team)
    }

    /// Teams, newest first: of alliance-member colleges; a college's own people (who name it)
    /// and alliance administrators see its teams whatever its membership.
    pub async fn list_teams(
        &self,
        p: &Principal,
        college: Option<OrgId>,
        page: PageRequest,
    ) -> AppResult<Page<TeamRecord>> {
        let own = college.is_some_and(|c| p.may_read_private(c));
        let filter = TeamFilter { college, member_orgs_only: !own };
        Ok(self.store.conn().await?.list_teams(&filter, page).await?)
    }

    /// Every team of member colleges (for suggestions and the index), page by page.
    pub(crate) async fn all_member_teams(&self, conn: &mut Box<dyn Conn>) -> AppResult<Vec<TeamRecord>> {
        let filter = TeamFilter { college: None, member_orgs_only: true };
        let mut out = Vec::new();
        loop {
            let page = conn.list_teams(&filter, PageRequest { limit: 100, offset: out.len() as u64 }).await?;
            if page.items.is_empty() {
                break;
            }
            out.extend(page.items);
        }
        Ok(out)
    }
}

impl App {
    /// Re-indexes one organisation's teams and problems (after a membership decision or edit).
    pub(crate) async fn reindex_research_of(&self, conn: &mut Box<dyn Conn>, org: OrgId) -> AppResult<()> {
        let teams = TeamFilter { college: Some(org), member_orgs_only: false };
        let mut offset = 0;
        loop {
            let page = conn.list_teams(&teams, PageRequest { limit: 100, offset }).await?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as u64;
            for t in &page.items {
                self.index_team(conn, t).await?;
            }
        }
        let problems = xiaoqi_store::ProblemFilter { enterprise: Some(org), ..Default::default() };
        let mut offset = 0;
        loop {
            let page = conn.list_problems(&problems, PageRequest { limit: 100, offset }).await?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as u64;
            for p in &page.items {
                self.index_problem(conn, p).await?;
            }
        }
        Ok(())
    }

    /// Indexes every team of member colleges and every open problem; returns how many.
    pub(crate) async fn reindex_research(&self, conn: &mut Box<dyn Conn>) -> AppResult<u64> {
        let mut n = 0;
        for t in self.all_member_teams(conn).await? {
            self.index_team(conn, &t).await?;
            n += 1;
        }
        let filter = xiaoqi_store::ProblemFilter {
            status: Some(xiaoqi_domain::research::ProblemStatus::Open),
            member_orgs_only: true,
            ..Default::default()
        };
        let mut offset = 0;
        loop {
            let page = conn.list_problems(&filter, PageRequest { limit: 100, offset }).await?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as u64;
            for p in &page.items {
                self.index_problem(conn, p).await?;
                n += 1;
            }
        }
        Ok(n)
    }
}

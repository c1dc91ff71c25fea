//! What the college and its teachers see across placements: early warnings, the compliance
//! view of every placement, and the theory loop (sign-offs and logged problems by skill and
//! task, to re-teach theory against practice).

use std::collections::BTreeMap;

use serde::Serialize;
use xiaoqi_domain::internship::{self, ComplianceSummary, RuleCheck, RuleSet};
use xiaoqi_domain::placement::{PlacementStatus, WarningFacts, warnings};
use xiaoqi_domain::time::Date;
use xiaoqi_store::{
    AttendanceRecord, LogRecord, OrgId, PlacementFilter, PlacementRecord, PlacementSettings, ReviewRecord,
};

use super::{WarningView, agreement, reached_step, settings_or_default};
use crate::authz::{oversees_placements, runs_internships};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// The warnings of an active placement today.
pub(crate) fn warnings_of(
    r: &PlacementRecord,
    logs: &[LogRecord],
    days: &[AttendanceRecord],
    reviews: &[ReviewRecord],
    today: Date,
    s: &PlacementSettings,
) -> Vec<xiaoqi_domain::placement::Warning> {
    let date = |v: &str| Date::parse("d", v).ok();
    let (Some(start), Some(end)) = (date(&r.place.start_date), date(&r.place.end_date)) else { return Vec::new() };
    let facts = WarningFacts {
        start,
        end,
        last_confirmed_attendance: days.iter().filter(|d| d.confirmed_at.is_some()).filter_map(|d| date(&d.day)).max(),
        last_log: logs.iter().filter_map(|l| date(&l.log_date)).max(),
        reviews: reviews
            .iter()
            .filter_map(|rv| date(&rv.due_date).map(|d| (rv.name.clone(), d, rv.all_signed())))
            .collect(),
    };
    warnings(&facts, today, u32::try_from(s.warn_after_days.max(1)).unwrap_or(1))
}

/// A placement that needs attention.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WarningRow {
    pub placement_id: i64,
    pub student_name: String,
    pub enterprise_name: String,
    pub place_title: String,
    pub warnings: Vec<WarningView>,
}

/// One placement's line of the compliance view.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceRow {
    pub placement_id: i64,
    pub student_name: String,
    pub enterprise_name: String,
    pub place_title: String,
    #[schema(value_type = String)]
    pub status: PlacementStatus,
    #[schema(value_type = Vec<Object>)]
    pub checks: Vec<RuleCheck>,
}

/// The college's compliance view: every placement per rule, and the counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceView {
    #[schema(value_type = Object)]
    pub summary: ComplianceSummary,
    pub rows: Vec<ComplianceRow>,
}

/// Sign-offs of one skill across the cohort.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkillRow {
    pub skill_code: String,
    /// Sign-offs (each student's latest counts).
    pub students: u32,
    /// Average level in hundredths (350 = 3.50).
    pub average_level_centi: u32,
    /// Students signed off below the level their major says it teaches.
    pub below_taught_level: u32,
    /// Placements whose tasks train the skill and that have no sign-off of it: the gaps.
    pub not_signed_off: u32,
}

/// Logged problems of one task.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemRow {
    pub task_title: String,
    pub skill_code: String,
    pub count: u32,
    /// Up to five different problems, in the order logged (newest day first).
    pub examples: Vec<String>,
}

/// The theory loop of a college's cohort.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TheoryLoop {
    pub placements: u32,
    pub skills: Vec<SkillRow>,
    pub problems: Vec<ProblemRow>,
}

impl App {
    fn may_oversee(p: &Principal, college: OrgId) -> AppResult<()> {
        if oversees_placements(p, college) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// Active placements with warnings: the teacher's own (or every one of the college for its
    /// administrators and career officers and alliance admins).
    pub async fn list_warnings(&self, p: &Principal, college: OrgId) -> AppResult<Vec<WarningRow>> {
        Self::may_oversee(p, college)?;
        let all = runs_internships(p, college) || p.is_alliance_admin();
        let mut conn = self.store.conn().await?;
        let settings = settings_or_default(conn.find_placement_settings(college).await?);
        let teacher = (!all).then(|| p.id());
        let list =
            conn.list_placements(&PlacementFilter { college: Some(college), teacher, ..Default::default() }).await?;
        let today = self.today();
        let mut out = Vec::new();
        for r in list.into_iter().filter(|r| r.status == PlacementStatus::Active) {
            let (logs, days, reviews) =
                (conn.list_logs(r.id).await?, conn.list_attendance(r.id).await?, conn.list_reviews(r.id).await?);
            let w = warnings_of(&r, &logs, &days, &reviews, today, &settings);
            if !w.is_empty() {
                out.push(WarningRow {
                    placement_id: r.id,
                    student_name: r.student_name,
                    enterprise_name: r.enterprise_name,
                    place_title: r.place.title,
                    warnings: w.iter().map(WarningView::from).collect(),
                });
            }
        }
        Ok(out)
    }

    /// Every placement of the college with its status on each internship rule: its staff and
    /// alliance administrators.
    pub async fn compliance_view(
        &self,
        p: &Principal,
        college: OrgId,
        round: Option<i64>,
    ) -> AppResult<ComplianceView> {
        Self::may_oversee(p, college)?;
        let mut conn = self.store.conn().await?;
        let list =
            conn.list_placements(&PlacementFilter { college: Some(college), round, ..Default::default() }).await?;
        let rules = RuleSet::national_2021();
        let mut rows = Vec::new();
        for r in list {
            let facts = agreement::rule_facts(&mut conn, &r).await?;
            rows.push(ComplianceRow {
                placement_id: r.id,
                checks: internship::compliance(&rules, &facts, reached_step(r.status)),
                status: r.status,
                student_name: r.student_name,
                enterprise_name: r.enterprise_name,
                place_title: r.place.title,
            });
        }
        let summary = internship::summarize(rows.iter().map(|r| r.checks.as_slice()));
        Ok(ComplianceView { summary, rows })
    }

    /// The cohort's sign-offs by skill and logged problems by task: the college's staff and
    /// alliance administrators; optionally one round.
    pub async fn theory_loop(&self, p: &Principal, college: OrgId, round: Option<i64>) -> AppResult<TheoryLoop> {
        Self::may_oversee(p, college)?;
        let mut conn = self.store.conn().await?;
        let list =
            conn.list_placements(&PlacementFilter { college: Some(college), round, ..Default::default() }).await?;
        // skill → (levels, below, gaps)
        let mut skills: BTreeMap<String, (Vec<u32>, u32, u32)> = BTreeMap::new();
        let mut problems: BTreeMap<i64, ProblemRow> = BTreeMap::new();
        for r in &list {
            let taught = self.taught_levels(&mut conn, r.student_id).await?;
            let tasks = conn.list_tasks(r.id).await?;
            let mut latest: BTreeMap<String, u32> = BTreeMap::new();
            for so in conn.list_signoffs(r.id).await? {
                latest.insert(so.skill_code, u32::try_from(so.level).unwrap_or(0));
            }
            for (skill, level) in &latest {
                let e = skills.entry(skill.clone()).or_default();
                e.0.push(*level);
                if taught.get(skill).is_some_and(|t| level < t) {
                    e.1 += 1;
                }
            }
            let mut trained: Vec<&str> = tasks.iter().map(|t| t.skill_code.as_str()).collect();
            trained.dedup();
            for skill in trained.into_iter().filter(|s| !latest.contains_key(*s)) {
                skills.entry(skill.to_string()).or_default().2 += 1;
            }
            for log in conn.list_logs(r.id).await? {
                let (Some(problem), Some(task)) = (log.problem, log.task_id) else { continue };
                let Some(t) = tasks.iter().find(|t| t.id == task) else { continue };
                let row = problems.entry(task).or_insert_with(|| ProblemRow {
                    task_title: t.title.clone(),
                    skill_code: t.skill_code.clone(),
                    count: 0,
                    examples: Vec::new(),
                });
                row.count += 1;
                if row.examples.len() < 5 && !row.examples.contains(&problem) {
                    row.examples.push(problem);
                }
            }
        }
        let skills = skills
            .into_iter()
            .map(|(skill_code, (levels, below, gaps))| {
                let n = u32::try_from(levels.len()).unwrap_or(u32::MAX);
                let sum: u32 = levels.iter().sum();
                SkillRow {
                    skill_code,
                    students: n,
                    average_level_centi: if n == 0 { 0 } else { (sum * 200 + n) / (2 * n) },
                    below_taught_level: below,
                    not_signed_off: gaps,
                }
            })
            .collect();
        let mut problems: Vec<ProblemRow> = problems.into_values().collect();
        problems.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.task_title.cmp(&b.task_title)));
        Ok(TheoryLoop { placements: u32::try_from(list.len()).unwrap_or(u32::MAX), skills, problems })
    }

    /// The level each skill is taught at in the student's major (empty without a profile).
    async fn taught_levels(
        &self,
        conn: &mut Box<dyn xiaoqi_store::Conn>,
        student: i64,
    ) -> AppResult<BTreeMap<String, u32>> {
        let Some(profile) = conn.find_student_profile(student).await? else { return Ok(BTreeMap::new()) };
        let Some(major) = profile.content.major_id else { return Ok(BTreeMap::new()) };
        let Some(m) = conn.find_major(major).await? else { return Ok(BTreeMap::new()) };
        Ok(m.supply.skills.iter().map(|s| (s.skill.clone(), u32::from(s.level))).collect())
    }
}

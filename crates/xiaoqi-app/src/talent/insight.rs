//! Demand insight for colleges ("vertical integration"): what member enterprises ask for, by
//! occupation, region and quarter, set against what the college's majors teach.

use std::collections::BTreeMap;

use serde::Serialize;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::talent::DemandStatus;
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{DemandFilter, DemandRecord, OrgId};

use super::vocab;
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// Most demands one insight reads (the newest).
pub const MAX_DEMANDS: u64 = 20_000;

/// Demand for one occupation in one region and quarter.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandCell {
    pub occupation_code: String,
    pub occupation_name: String,
    /// City-level region code (4 digits) or `-` when unknown.
    pub region_code: String,
    pub region_name: String,
    /// `YYYY-Qn` of publication (Asia/Shanghai).
    pub quarter: String,
    pub demands: u64,
    pub headcount: i64,
}

/// One demanded skill set against the college's teaching.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SkillGap {
    pub skill: String,
    pub name: String,
    /// Demands asking for it.
    pub demands: u64,
    /// Headcount-weighted demand: Σ headcount × the role's share × the skill's weight share.
    pub weighted_headcount: f64,
    /// The highest minimum level asked for.
    pub level_needed: u8,
    /// The highest level any of the college's majors teaches (0 = not taught).
    pub level_taught: u8,
    /// `not_taught`, `below_level` or `covered`.
    pub gap: String,
    /// Majors teaching it.
    pub majors: Vec<String>,
}

/// The insight for one college.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandInsight {
    pub college_id: OrgId,
    pub college_name: String,
    /// First quarter included.
    pub since_quarter: String,
    pub demands_read: u64,
    pub cells: Vec<DemandCell>,
    /// Skills by weighted demand, highest first.
    pub skills: Vec<SkillGap>,
}

fn quarter_start(today: Date, quarters: u32) -> Date {
    let (y, m, _) = xiaoqi_domain::time::civil_from_days(today.0);
    let q0 = (y * 4 + i64::from((m - 1) / 3)) - i64::from(quarters.saturating_sub(1));
    let (yy, qq) = (q0.div_euclid(4), q0.rem_euclid(4));
    Date(xiaoqi_domain::time::days_from_civil(yy, u32::try_from(qq * 3 + 1).unwrap_or(1), 1))
}

/// (occupation, city, quarter) → (demands, headcount)
type Cells = BTreeMap<(String, String, String), (u64, i64)>;
/// skill → (demands, weighted headcount, highest level needed)
type SkillDemand = BTreeMap<String, (u64, f64, u8)>;

fn aggregate(demands: &[DemandRecord], since: Date) -> (Cells, SkillDemand) {
    let mut cells = Cells::new();
    let mut skills = SkillDemand::new();
    for d in demands {
        let Some(published) = d.published_at else { continue };
        let day = Date::shanghai_of(Timestamp(published));
        if day < since {
            continue;
        }
        let occ = d.content.occupation_code.clone().unwrap_or_else(|| "-".into());
        let region = d.content.region_code.as_deref().and_then(|c| c.get(0..4)).unwrap_or("-").to_string();
        let cell = cells.entry((occ, region, day.quarter())).or_default();
        cell.0 += 1;
        cell.1 += d.content.headcount;
        let share_total: u32 = d.content.roles.iter().map(|r| r.share).sum::<u32>().max(1);
        let mut seen: Vec<&str> = Vec::new();
        for r in &d.content.roles {
            let weight_total: u32 = r.skills.iter().map(|s| s.weight).sum::<u32>().max(1);
            for s in &r.skills {
                let e = skills.entry(s.skill.clone()).or_default();
                if !seen.contains(&s.skill.as_str()) {
                    e.0 += 1;
                    seen.push(&s.skill);
                }
                e.1 += d.content.headcount as f64 * f64::from(r.share) / f64::from(share_total) * f64::from(s.weight)
                    / f64::from(weight_total);
                e.2 = e.2.max(s.min_level);
            }
        }
    }
    (cells, skills)
}

impl App {
    /// The demand insight for a college: its staff and alliance administrators.
    pub async fn demand_insight(
        &self,
        p: &Principal,
        college: OrgId,
        quarters: u32,
        lang: &str,
    ) -> AppResult<DemandInsight> {
        if !crate::authz::sees_demand_insight(p, college) {
            return Err(AppError::Forbidden);
        }
        let quarters = quarters.clamp(1, 12);
        let mut conn = self.store.conn().await?;
        let org = conn.find_org(college).await?.ok_or(AppError::NotFound("organization"))?;
        if org.profile.kind != OrgKind::College {
            return Err(AppError::state("只有院校有需求洞察", "Demand insight is for colleges"));
        }
        let filter = DemandFilter {
            statuses: vec![DemandStatus::Published, DemandStatus::Filled, DemandStatus::Closed],
            members_only: true,
            ..Default::default()
        };
        let mut demands = Vec::new();
        let mut offset = 0;
        while offset < MAX_DEMANDS {
            let page = conn.list_demands(&filter, PageRequest { limit: 200, offset }).await?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as u64;
            demands.extend(page.items);
        }
        let since = quarter_start(self.today(), quarters);
        let (cells, skills) = aggregate(&demands, since);

        let majors = conn.list_majors(college).await?;
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut out_cells = Vec::new();
        for ((occ, region, quarter), (n, heads)) in cells {
            let occupation_name = match names.get(&occ) {
                Some(n) => n.clone(),
                None => {
                    let n = conn.find_occupation(&occ).await?.map(|o| o.name).unwrap_or_else(|| "-".into());
                    names.insert(occ.clone(), n.clone());
                    n
                }
            };
            let region_key = format!("r{region}");
            let region_name = match names.get(&region_key) {
                Some(n) => n.clone(),
                None => {
                    let n = conn
                        .find_region(&format!("{region}00"))
                        .await?
                        .map(|r| r.full_name)
                        .unwrap_or_else(|| "-".into());
                    names.insert(region_key, n.clone());
                    n
                }
            };
            out_cells.push(DemandCell {
                occupation_code: occ,
                occupation_name,
                region_code: region,
                region_name,
                quarter,
                demands: n,
                headcount: heads,
            });
        }
        out_cells.sort_by(|a, b| {
            b.headcount
                .cmp(&a.headcount)
                .then(a.quarter.cmp(&b.quarter))
                .then(a.occupation_code.cmp(&b.occupation_code))
        });

        let mut gaps: Vec<SkillGap> = skills
            .into_iter()
            .map(|(skill, (n, weighted, needed))| {
                let teaching: Vec<(&str, u8)> = majors
                    .iter()
                    .filter_map(|mj| {
                        mj.supply.skills.iter().find(|s| s.skill == skill).map(|s| (mj.name.as_str(), s.level))
                    })
                    .collect();
                let taught = teaching.iter().map(|t| t.1).max().unwrap_or(0);
                let gap = if taught == 0 {
                    "not_taught"
                } else if taught < needed {
                    "below_level"
                } else {
                    "covered"
                };
                SkillGap {
                    name: vocab::skill_name(&skill, lang),
                    skill,
                    demands: n,
                    weighted_headcount: (weighted * 100.0).round() / 100.0,
                    level_needed: needed,
                    level_taught: taught,
                    gap: gap.into(),
                    majors: teaching.iter().map(|t| t.0.to_string()).collect(),
                }
            })
            .collect();
        gaps.sort_by(|a, b| b.weighted_headcount.total_cmp(&a.weighted_headcount).then(a.skill.cmp(&b.skill)));
        Ok(DemandInsight {
            college_id: college,
            college_name: org.profile.name,
            since_quarter: since.quarter(),
            demands_read: demands.len() as u64,
            cells: out_cells,
            skills: gaps,
        })
    }
}

/// The demand table as CSV (UTF-8 with a BOM so that Excel reads Chinese correctly).
pub fn cells_csv(i: &DemandInsight, lang: &str) -> String {
    let header = if lang == "en" {
        "occupation_code,occupation,region_code,region,quarter,demands,headcount"
    } else {
        "职业代码,职业,地区代码,地区,季度,需求数,招聘人数"
    };
    let mut out = format!("\u{feff}{header}\r\n");
    for c in &i.cells {
        out.push_str(&csv_row(&[
            &c.occupation_code,
            &c.occupation_name,
            &c.region_code,
            &c.region_name,
            &c.quarter,
            &c.demands.to_string(),
            &c.headcount.to_string(),
        ]));
    }
    out
}

/// The skill gap table as CSV (UTF-8 with a BOM).
pub fn skills_csv(i: &DemandInsight, lang: &str) -> String {
    let header = if lang == "en" {
        "skill_code,skill,demands,weighted_headcount,level_needed,level_taught,gap,majors"
    } else {
        "技能代码,技能,需求数,加权人数,要求等级,教学等级,差距,开设专业"
    };
    let mut out = format!("\u{feff}{header}\r\n");
    for s in &i.skills {
        out.push_str(&csv_row(&[
            &s.skill,
            &s.name,
            &s.demands.to_string(),
            &format!("{:.2}", s.weighted_headcount),
            &s.level_needed.to_string(),
            &s.level_taught.to_string(),
            &s.gap,
            &s.majors.join("；"),
        ]));
    }
    out
}

/// One CSV line; fields are quoted when needed, and a leading `=`, `+`, `-` or `@` is defused
/// so a spreadsheet does not run it as a formula.
fn csv_row(fields: &[&str]) -> String {
    let cells: Vec<String> = fields
        .iter()
        .map(|f| {
            let f = if f.starts_with(['=', '+', '@']) || (f.starts_with('-') && f.len() > 1) {
                format!("'{f}")
            } else {
                f.to_string()
            };
            if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
        })
        .collect();
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_count_back_from_the_current_one() {
        let d = Date::parse("d", "2026-11-27").expect("date");
        assert_eq!(quarter_start(d, 1).format(), "2026-10-01");
        assert_eq!(quarter_start(d, 4).format(), "2026-01-01");
        assert_eq!(quarter_start(d, 5).format(), "2025-10-01");
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_row(&["a,b", "=1+1", "说\"明\"", "-"]), "\"a,b\",'=1+1,\"说\"\"明\"\"\",-\r\n");
    }
}

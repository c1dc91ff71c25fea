//! Measures of cooperation per team, college, enterprise and region (province and city of the
//! enterprise), each with the formula it is computed by, stated in both languages.

use std::collections::BTreeMap;

use serde::Serialize;
use xiaoqi_domain::conversion::rate;
use xiaoqi_domain::research::ProjectStatus;
use xiaoqi_store::{MeasureFacts, OrgId, ProjectFact};

use crate::error::AppResult;
use crate::{App, Principal};

/// One measure's definition.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Definition {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The definitions the page prints beside the figures.
pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "problems_posted",
        zh: "发布难题数 = 企业（或地区内企业）发布的技术难题数；团队和院校为其承接（已立项）的难题数",
        en: "problems posted = technical problems the enterprise (or the region's enterprises) posted; for a team or college, the problems it took on as projects",
    },
    Definition {
        key: "problems_solved",
        zh: "解决难题数 = 其项目已结题，或项目至少有一个里程碑且全部已验收的难题数",
        en: "problems solved = problems whose project is completed, or has at least one milestone and all of them accepted",
    },
    Definition {
        key: "projects_by_status",
        zh: "各状态项目数 = 按状态（进行中、已暂停、已结题、已终止）计数的项目",
        en: "projects by status = projects counted by status (active, suspended, completed, terminated)",
    },
    Definition {
        key: "on_time",
        zh: "按期验收率 = 在截止日（北京时间当日）或之前验收的交付物 ÷ 已验收的交付物",
        en: "accepted on time = deliverables accepted on or before their due day (Asia/Shanghai) ÷ deliverables accepted",
    },
    Definition {
        key: "income",
        zh: "转化收入 = 各成果转化事件（许可、转让、销售、自行实施的评估作价）登记收入之和",
        en: "conversion income = the sum of the income of every conversion event (licence, transfer, sale, assessed value of internal use)",
    },
    Definition {
        key: "conversion_rate",
        zh: "成果转化率 = 至少有一次转化事件的成果数 ÷ 登记的成果数",
        en: "conversion rate of results = results with at least one conversion event ÷ results registered",
    },
];

/// The figures of one team, organisation or region.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MeasureRow {
    /// Team id, organisation id or division code prefix.
    pub key: String,
    pub name: String,
    pub problems_posted: i64,
    pub problems_solved: i64,
    pub projects_by_status: BTreeMap<String, i64>,
    pub deliverables_accepted: i64,
    pub deliverables_on_time: i64,
    /// On time ÷ accepted, in hundredths of a percent (none when nothing is accepted).
    pub on_time_rate: Option<u32>,
    pub income_fen: i64,
    pub results: i64,
    pub results_converted: i64,
    /// Converted ÷ registered, in hundredths of a percent (none when nothing is registered).
    pub conversion_rate: Option<u32>,
}

/// The measures by scope, with their definitions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasuresView {
    pub definitions: Vec<Definition>,
    pub teams: Vec<MeasureRow>,
    pub colleges: Vec<MeasureRow>,
    pub enterprises: Vec<MeasureRow>,
    /// By the division code of the enterprise's region: 2 digits a province, 4 a city.
    pub regions: Vec<MeasureRow>,
}

fn solved(j: &ProjectFact) -> bool {
    j.status == ProjectStatus::Completed || (j.milestones > 0 && j.accepted == j.milestones)
}

fn add_project(row: &mut MeasureRow, j: &ProjectFact) {
    *row.projects_by_status.entry(j.status.as_str().to_string()).or_default() += 1;
    row.deliverables_accepted += j.accepted;
    row.deliverables_on_time += j.accepted_on_time;
    row.income_fen = row.income_fen.saturating_add(j.income_fen);
    row.results += j.results;
    row.results_converted += j.results_converted;
}

fn finish(rows: BTreeMap<String, MeasureRow>) -> Vec<MeasureRow> {
    rows.into_values()
        .map(|mut r| {
            r.on_time_rate = rate(
                u64::try_from(r.deliverables_on_time).unwrap_or(0),
                u64::try_from(r.deliverables_accepted).unwrap_or(0),
            );
            r.conversion_rate =
                rate(u64::try_from(r.results_converted).unwrap_or(0), u64::try_from(r.results).unwrap_or(0));
            r
        })
        .collect()
}

/// Computes every scope's figures from the facts; `region_name` names a 2- or 4-digit division
/// prefix (a province or a city), else the prefix itself is shown.
pub fn compute(f: &MeasureFacts, region_name: &dyn Fn(&str) -> Option<String>) -> MeasuresView {
    let name_of = |org: OrgId| f.orgs.iter().find(|o| o.org_id == org).map(|o| o.name.clone()).unwrap_or_default();
    let region_keys = |org: OrgId| -> Vec<String> {
        let code = f.orgs.iter().find(|o| o.org_id == org).and_then(|o| o.region_code.clone()).unwrap_or_default();
        [2, 4].iter().filter(|n| code.len() >= **n).filter_map(|n| code.get(..*n).map(str::to_string)).collect()
    };
    let row = |key: String, name: String| MeasureRow { key, name, ..MeasureRow::default() };
    let (mut teams, mut colleges, mut enterprises, mut regions) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for pr in &f.problems {
        let e = pr.enterprise_org_id;
        enterprises.entry(format!("{e:010}")).or_insert_with(|| row(e.to_string(), name_of(e))).problems_posted += 1;
        for k in region_keys(e) {
            let name = region_name(&k).unwrap_or_else(|| k.clone());
            regions.entry(k.clone()).or_insert_with(|| row(k, name)).problems_posted += 1;
        }
    }
    for j in &f.projects {
        let s = i64::from(solved(j));
        let t = teams
            .entry(format!("{:010}", j.team_id))
            .or_insert_with(|| row(j.team_id.to_string(), j.team_name.clone()));
        t.problems_posted += 1;
        t.problems_solved += s;
        add_project(t, j);
        let c = colleges
            .entry(format!("{:010}", j.college_org_id))
            .or_insert_with(|| row(j.college_org_id.to_string(), name_of(j.college_org_id)));
        c.problems_posted += 1;
        c.problems_solved += s;
        add_project(c, j);
        let e = enterprises
            .entry(format!("{:010}", j.enterprise_org_id))
            .or_insert_with(|| row(j.enterprise_org_id.to_string(), name_of(j.enterprise_org_id)));
        e.problems_solved += s;
        add_project(e, j);
        for k in region_keys(j.enterprise_org_id) {
            let name = region_name(&k).unwrap_or_else(|| k.clone());
            let r = regions.entry(k.clone()).or_insert_with(|| row(k, name));
            r.problems_solved += s;
            add_project(r, j);
        }
    }
    MeasuresView {
        definitions: DEFINITIONS.to_vec(),
        teams: finish(teams),
        colleges: finish(colleges),
        enterprises: finish(enterprises),
        regions: finish(regions),
    }
}

impl App {
    /// The measures of every team, college, enterprise and region (everyone signed in: they
    /// are counts and sums, no record's private detail).
    pub async fn research_measures(&self, _p: &Principal) -> AppResult<MeasuresView> {
        let facts = self.store.conn().await?.measure_facts().await?;
        let divisions = xiaoqi_refdata::regions().ok();
        // Division codes are six digits: a province is `PP0000`, a city `PPCC00`.
        let region_name = |prefix: &str| -> Option<String> {
            let code = format!("{prefix:0<6}");
            divisions?.iter().find(|r| r.code == code).map(|r| r.name.clone())
        };
        Ok(compute(&facts, &region_name))
    }
}

#[cfg(test)]
mod tests {
    use xiaoqi_store::{OrgFact, ProblemFact};

    use super::*;

    fn project(id: i64, status: ProjectStatus, milestones: i64, accepted: i64) -> ProjectFact {
        ProjectFact {
            project_id: id,
            problem_id: id,
            team_id: 7,
            team_name: "工作室".into(),
            enterprise_org_id: 1,
            college_org_id: 2,
            status,
            milestones,
            accepted,
            accepted_on_time: accepted.min(1),
            results: 2,
            results_converted: 1,
            income_fen: 150,
        }
    }

    #[test]
    fn a_problem_counts_as_solved_when_completed_or_every_milestone_is_accepted() {
        let facts = MeasureFacts {
            problems: (1..=4).map(|id| ProblemFact { problem_id: id, enterprise_org_id: 1 }).collect(),
            projects: vec![
                project(1, ProjectStatus::Completed, 2, 0),
                project(2, ProjectStatus::Active, 2, 2),
                project(3, ProjectStatus::Active, 2, 1),
            ],
            orgs: vec![
                OrgFact { org_id: 1, name: "企业".into(), region_code: Some("440306".into()) },
                OrgFact { org_id: 2, name: "学院".into(), region_code: None },
            ],
        };
        let m = compute(&facts, &|k: &str| (k == "44").then(|| "广东省".to_string()));
        let e = &m.enterprises[0];
        assert_eq!((e.problems_posted, e.problems_solved), (4, 2));
        assert_eq!(e.projects_by_status.get("active"), Some(&2));
        assert_eq!((e.deliverables_accepted, e.deliverables_on_time, e.on_time_rate), (3, 2, Some(6_666)));
        assert_eq!((e.results, e.results_converted, e.conversion_rate, e.income_fen), (6, 3, Some(5_000), 450));
        let keys: Vec<&str> = m.regions.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["44", "4403"], "province and city of the enterprise");
        assert_eq!(m.regions[0].name, "广东省");
        assert_eq!(m.regions[1].name, "4403", "a prefix without a name is shown as the code");
        assert_eq!(m.colleges[0].problems_posted, 3, "a college counts the problems it took on");
        assert_eq!(m.teams[0].problems_solved, 2);
    }
}

//! Demo cooperation at 鹏城职业技术学院: one team of each kind; two open problems of demo
//! enterprises (one with an admitted team and its proposal); one project with milestones (one
//! accepted), an enterprise and a government budget line and an expenditure.

use xiaoqi_domain::money::Fen;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::research::{FundingSource, ProblemStatus, ProposalStatus};
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{Conn, Equipment, NewBudgetLine, NewExpenditure, NewProject, OrgFilter, OrgId, TeamMember};

use super::{DAY, account};
use crate::App;
use crate::error::{AppError, AppResult};
use crate::research::{
    MilestoneInput, ProblemInput, ProposalInput, TeamInput, validate_problem, validate_proposal, validate_team,
};

/// A team asks at `at`, accepts the terms an hour later and is admitted the next day.
async fn admit(
    tx: &mut Box<dyn Conn>,
    (problem, team): (i64, i64),
    (asker, admitter): (i64, i64),
    at: i64,
) -> AppResult<()> {
    tx.request_admission(problem, team, asker, at).await?;
    tx.accept_terms(problem, team, asker, at + 3_600_000).await?;
    tx.admit_team(problem, team, admitter, at + DAY).await?;
    Ok(())
}

fn bad(what: &str, e: impl std::fmt::Debug) -> AppError {
    AppError::internal(format!("demo {what} is invalid: {e:?}"))
}

fn team(
    college: OrgId,
    name: &str,
    kind: &str,
    skills: &[&str],
    description: &str,
    equipment: &[(&str, &str)],
) -> TeamInput {
    TeamInput {
        college_id: college,
        name: name.into(),
        kind: kind.into(),
        description: description.into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        occupations: vec!["6-18-01-07".into()],
        equipment: equipment.iter().map(|(n, a)| Equipment { name: (*n).into(), availability: (*a).into() }).collect(),
        members: Vec::new(),
    }
}

fn problem(
    enterprise: OrgId,
    title: &str,
    summary: &str,
    details: &str,
    skills: &[&str],
    budget: (&str, &str),
    deadline: Date,
) -> ProblemInput {
    ProblemInput {
        enterprise_id: enterprise,
        title: title.into(),
        summary: summary.into(),
        details: details.into(),
        field: "精密制造".into(),
        skills: skills.iter().map(|s| s.to_string()).collect(),
        occupations: vec!["6-18-01-07".into()],
        budget_min: budget.0.into(),
        budget_max: budget.1.into(),
        deadline: deadline.format(),
        deliverable: "工艺改进方案、试验报告与作业指导书".into(),
        trl: 5,
        terms: "乙方对甲方提供的图纸、工艺参数和生产数据负有保密义务，未经书面许可不得向第三方披露或用于其他项目，保密期三年。".into(),
    }
}

fn proposal(team_id: i64, approach: &str, budget: &str, today: Date) -> ProposalInput {
    let ms = |title: &str, deliverable: &str, days: i64| MilestoneInput {
        title: title.into(),
        deliverable: deliverable.into(),
        due_date: Date(today.0 + days).format(),
    };
    ProposalInput {
        team_id,
        approach: approach.into(),
        milestones: vec![
            ms("现状诊断", "诊断报告", 30),
            ms("方案试验", "试验报告", 90),
            ms("推广应用", "作业指导书", 150),
        ],
        budget: budget.into(),
        members: vec!["刘专业主任".into(), "王老师".into(), "吴工程师".into()],
    }
}

impl App {
    /// Seeds the demo teams, problems and project (called by `seed_demo` after the practice demo).
    pub(super) async fn seed_research_demo(&self) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.now();
        let today = Date::shanghai_of(Timestamp(t));
        let orgs = tx.list_orgs(&OrgFilter::default(), PageRequest { limit: 100, offset: 0 }).await?.items;
        let id_of = |name: &str| -> AppResult<OrgId> {
            orgs.iter()
                .find(|o| o.profile.name == name)
                .map(|o| o.id)
                .ok_or_else(|| AppError::internal(format!("demo organisation {name} missing")))
        };
        let (college, ent, tools) =
            (id_of("鹏城职业技术学院")?, id_of("深圳创智精密机械有限公司")?, id_of("鹏城数控刀具有限公司")?);
        let (leader, teacher, tech) = (
            account(&mut tx, "leader@pcvc.demo").await?,
            account(&mut tx, "teacher@pcvc.demo").await?,
            account(&mut tx, "tech@chuangzhi.demo").await?,
        );
        let (hr, tools_admin) =
            (account(&mut tx, "hr@chuangzhi.demo").await?, account(&mut tx, "admin@ent02.demo").await?);

        let inputs = [
            team(
                college,
                "精密制造技术研发服务中心",
                "rd_service_centre",
                &["数控车削", "数控铣削"],
                "面向中小制造企业的工艺诊断、数控加工工艺优化与精密检测服务。",
                &[("五轴加工中心", "工作日 9:00–17:00，提前一周预约"), ("三坐标测量机", "每周二、四全天")],
            ),
            team(
                college,
                "智能焊接青年教师工作室",
                "young_teachers_studio",
                &["焊接"],
                "青年教师带领学生开展焊接变形控制与焊接机器人工艺研究。",
                &[("焊接机器人工作站", "周一至周五，需安全培训后使用")],
            ),
            team(
                college,
                "工业机器人应用技术团队",
                "application_technology_team",
                &["工业机器人操作", "工业机器人编程", "PLC编程"],
                "为企业产线提供机器人上下料、视觉检测集成与调试服务。",
                &[("六轴工业机器人实训线", "寒暑假全天开放")],
            ),
        ];
        let mut teams = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let (fields, _) = validate_team(input).map_err(|e| bad("team", e))?;
            let members = vec![
                TeamMember {
                    account_id: Some(leader),
                    external_name: None,
                    org_id: Some(college),
                    role: xiaoqi_domain::research::MemberRole::Leader,
                },
                TeamMember {
                    account_id: Some(teacher),
                    external_name: None,
                    org_id: Some(college),
                    role: xiaoqi_domain::research::MemberRole::Teacher,
                },
                TeamMember {
                    account_id: Some(tech),
                    external_name: None,
                    org_id: Some(ent),
                    role: xiaoqi_domain::research::MemberRole::Technician,
                },
                TeamMember {
                    account_id: None,
                    external_name: Some("陈同学".into()),
                    org_id: Some(college),
                    role: xiaoqi_domain::research::MemberRole::Student,
                },
            ];
            let id = tx.create_team(college, &fields, &members, leader, t - (30 - i as i64) * DAY).await?;
            teams.push(id);
        }

        let deadline = Date(today.0 + 120);
        let open = [
            (
                ent,
                hr,
                problem(
                    ent,
                    "主轴箱铸件精加工振纹抑制",
                    "主轴箱铸件精镗孔时出现振纹，表面粗糙度达不到 Ra0.8，寻求工艺与夹具改进方案。",
                    "机密：HT300 铸件，孔径 Φ120H7，现用刀具与切削参数见附表，客户为某机床整机厂。",
                    &["数控铣削", "数控车削"],
                    ("50,000", "150,000"),
                    deadline,
                ),
            ),
            (
                tools,
                tools_admin,
                problem(
                    tools,
                    "硬质合金刀片刃口钝化工艺优化",
                    "刀片刃口钝化一致性差，寿命波动大，寻求钝化工艺参数优化与检测方法。",
                    "机密：现用毛刷钝化设备型号与配方参数、近三个月寿命统计数据。",
                    &["数控车削"],
                    ("30,000", "80,000"),
                    deadline,
                ),
            ),
            (
                ent,
                hr,
                problem(
                    ent,
                    "自动化产线焊接变形控制",
                    "机架焊接后变形超差，影响后续机加工装夹，寻求焊接顺序与工装优化方案。",
                    "机密：机架图纸编号 CZ-JJ-2026-07，现用焊接工艺卡。",
                    &["焊接"],
                    ("100,000", "200,000"),
                    deadline,
                ),
            ),
        ];
        let mut problems = Vec::new();
        for (i, (org, by, input)) in open.iter().enumerate() {
            let fields = validate_problem(input, today).map_err(|e| bad("problem", e))?;
            problems.push(tx.create_problem(*org, &fields, *by, t - (20 - i as i64) * DAY).await?);
        }
        // The first problem: the R&D centre is admitted and has proposed.
        let (p1, p3) = (problems[0], problems[2]);
        admit(&mut tx, (p1, teams[0]), (leader, hr), t - 15 * DAY).await?;
        let fields = validate_proposal(&proposal(
            teams[0],
            "模态分析定位振源，改进夹具刚性并优化镗削参数，试切验证。",
            "120,000",
            today,
        ))
        .map_err(|e| bad("proposal", e))?;
        tx.create_proposal(p1, teams[0], &fields, leader, t - 10 * DAY).await?;

        // The third problem became a project with the welding studio.
        admit(&mut tx, (p3, teams[1]), (teacher, hr), t - 19 * DAY).await?;
        let fields = validate_proposal(&proposal(
            teams[1],
            "优化焊接顺序与反变形量，设计专用焊接工装并验证。",
            "150,000",
            today,
        ))
        .map_err(|e| bad("proposal", e))?;
        let r = tx.create_proposal(p3, teams[1], &fields, teacher, t - 17 * DAY).await?;
        tx.set_proposal_status(r, ProposalStatus::Submitted, ProposalStatus::Selected, t - 16 * DAY).await?;
        tx.set_problem_status(p3, ProblemStatus::Open, ProblemStatus::Selected, t - 16 * DAY).await?;
        let project = tx
            .create_project(&NewProject {
                problem_id: p3,
                proposal_id: r,
                team_id: teams[1],
                enterprise_org_id: ent,
                college_org_id: college,
                title: "自动化产线焊接变形控制".into(),
                milestones: fields.milestones.clone(),
                first_line: Some(NewBudgetLine {
                    source: FundingSource::Enterprise,
                    programme: None,
                    amount_fen: fields.budget_fen,
                }),
                by: hr,
                at: t - 16 * DAY,
            })
            .await?;
        let gov = NewBudgetLine {
            source: FundingSource::Government,
            programme: Some("深圳市技术攻关项目（演示）".into()),
            amount_fen: Fen(5_000_000).0,
        };
        tx.add_budget_line(project, &gov, teacher, t - 12 * DAY).await?;
        let lines = tx.list_budget_lines(&xiaoqi_store::ReadScope::Everything, project).await?;
        let enterprise_line =
            lines.first().map(|l| l.id).ok_or_else(|| AppError::Internal("demo budget line missing".into()))?;
        tx.record_expenditure(&NewExpenditure {
            line_id: enterprise_line,
            amount_fen: 1_250_050,
            spent_on: Date(today.0 - 5).format(),
            purpose: "焊接工装材料与试焊耗材".into(),
            by: teacher,
            at: t - 5 * DAY,
        })
        .await?;
        let first = tx.list_milestones(&xiaoqi_store::ReadScope::Everything, project).await?.first().map(|m| m.id);
        if let Some(m) = first {
            tx.submit_milestone(m, Some("诊断报告已上传至共享盘"), teacher, t - 8 * DAY).await?;
            tx.accept_milestone(m, hr, t - 7 * DAY).await?;
        }
        tx.set_project_risks(
            project,
            &["焊接机器人工作站排期紧张".into(), "试焊材料到货周期约两周".into()],
            t - 7 * DAY,
        )
        .await?;

        for id in &teams {
            if let Some(team) = tx.find_team(*id).await? {
                self.index_team(&mut tx, &team).await?;
            }
        }
        for id in &problems {
            if let Some(p) = tx.find_problem(*id).await? {
                self.index_problem(&mut tx, &p).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

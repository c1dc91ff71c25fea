//! Teams, technical problems, admissions, proposals, projects, milestones, budget lines and
//! expenditures.

use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::research::{
    FundingSource, MemberRole, MilestonePlan, ProblemStatus, ProjectStatus, ProposalStatus, TeamKind,
};

use super::{T0, add_account, add_org, all, assert_conflict, assert_not_found, conn};
use crate::ReadScope;
use crate::prelude::*;
use crate::{
    AccountId, Equipment, NewBudgetLine, NewExpenditure, NewProject, OrgId, ProblemFields, ProblemFilter,
    ProjectFilter, ProposalFields, StoreError, TeamFields, TeamFilter, TeamMember,
};

pub(super) fn team(name: &str) -> TeamFields {
    TeamFields {
        name: name.to_string(),
        kind: TeamKind::RdServiceCentre,
        description: "数控加工工艺优化与“智能制造” 'A' 线".to_string(),
        skills: vec!["cnc_programming".to_string(), "welding".to_string()],
        occupations: vec!["6-18-02-04".to_string()],
        equipment: vec![Equipment {
            name: "五轴加工中心".to_string(), availability: "工作日 9:00–17:00".to_string()
        }],
    }
}

pub(super) fn problem(title: &str) -> ProblemFields {
    ProblemFields {
        title: title.to_string(),
        summary: "薄壁件加工变形".to_string(),
        details: "机密：材料牌号 7075-T6，公差 ±0.01".to_string(),
        field: "精密加工".to_string(),
        skills: vec!["cnc_programming".to_string()],
        occupations: vec!["6-18-02-04".to_string()],
        budget_min_fen: 5_000_000,
        budget_max_fen: 20_000_000,
        deadline: "2027-06-30".to_string(),
        deliverable: "工艺方案与试切报告".to_string(),
        trl: 4,
        terms: "不得向第三方披露".to_string(),
    }
}

pub(super) fn proposal(budget_fen: i64) -> ProposalFields {
    ProposalFields {
        approach: "有限元仿真 + 夹具改进".to_string(),
        milestones: vec![
            MilestonePlan { title: "仿真".into(), deliverable: "仿真报告".into(), due_date: "2027-01-31".into() },
            MilestonePlan { title: "试切".into(), deliverable: "试切报告".into(), due_date: "2027-05-31".into() },
        ],
        budget_fen,
        members: vec!["王老师".to_string(), "李工".to_string()],
    }
}

pub(super) struct Parties {
    pub(super) college: OrgId,
    pub(super) enterprise: OrgId,
    pub(super) staff: AccountId,
}

pub(super) async fn parties(c: &mut Box<dyn Conn>) -> Parties {
    let college = add_org(c, OrgKind::College, "鹏城职业技术学院").await;
    let enterprise = add_org(c, OrgKind::Enterprise, "创智精密机械").await;
    let staff = add_account(c, "leader@college.example").await;
    Parties { college, enterprise, staff }
}

pub async fn research_team_is_created_found_updated_and_listed_with_members(store: &dyn Store) {
    let mut c = conn(store).await;
    let Parties { college, enterprise, staff } = parties(&mut c).await;
    let other = add_org(&mut c, OrgKind::College, "非会员学院").await;
    c.set_membership_status(college, MembershipStatus::Member, T0).await.expect("member");
    let members = vec![
        TeamMember { account_id: Some(staff), external_name: None, org_id: Some(college), role: MemberRole::Leader },
        TeamMember {
            account_id: None,
            external_name: Some("李工".into()),
            org_id: Some(enterprise),
            role: MemberRole::Technician,
        },
    ];
    let id = c.create_team(college, &team("数控工艺中心"), &members, staff, T0).await.expect("create_team");
    let t = c.find_team(id).await.expect("find_team").expect("the team");
    assert_eq!(t.fields, team("数控工艺中心"), "every field round-trips, capabilities included");
    assert_eq!(
        (t.college_org_id, t.college_name.as_str(), t.created_by, t.created_at),
        (college, "鹏城职业技术学院", staff, T0)
    );
    let got: Vec<_> = t.members.iter().map(|m| (m.member.clone(), m.name.as_str(), m.org_name.as_deref())).collect();
    assert_eq!(got[0].0, members[0]);
    assert_eq!(got[1], (members[1].clone(), "李工", Some("创智精密机械")), "external names and orgs shown");

    let mut changed = team("数控工艺研发中心");
    changed.kind = TeamKind::YoungTeachersStudio;
    changed.equipment.clear();
    c.update_team(id, &changed, &members[1..], T0 + 5).await.expect("update_team");
    let t = c.find_team(id).await.expect("find_team").expect("the team");
    assert_eq!((t.fields.clone(), t.members.len(), t.updated_at), (changed.clone(), 1, T0 + 5));
    assert_not_found(c.update_team(999_999, &changed, &[], T0).await, "update of a missing team");

    // A member must be an account or a name, not both and not neither.
    let both = TeamMember {
        account_id: Some(staff),
        external_name: Some("x".into()),
        org_id: None,
        role: MemberRole::Teacher,
    };
    let mut tx = store.begin().await.expect("begin");
    assert!(tx.create_team(college, &team("坏团队"), &[both], staff, T0).await.is_err(), "CHECK refuses both");
    drop(tx);

    let later = c.create_team(other, &team("外校团队"), &[], staff, T0 + 1).await.expect("create_team");
    let every = c.list_teams(&TeamFilter::default(), all()).await.expect("list_teams");
    assert_eq!(every.items.iter().map(|t| t.id).collect::<Vec<_>>(), vec![later, id], "newest first");
    let members_only = TeamFilter { college: None, member_orgs_only: true };
    let listed = c.list_teams(&members_only, all()).await.expect("list_teams");
    assert_eq!((listed.total, listed.items[0].id, listed.items[0].members.len()), (1, id, 1));
    let of_other = TeamFilter { college: Some(other), member_orgs_only: false };
    assert_eq!(c.list_teams(&of_other, all()).await.expect("list_teams").total, 1);
}

pub async fn research_admission_goes_request_terms_admit_once_each(store: &dyn Store) {
    let mut c = conn(store).await;
    let Parties { college, enterprise, staff } = parties(&mut c).await;
    let hr = add_account(&mut c, "hr@enterprise.example").await;
    let t = c.create_team(college, &team("数控工艺中心"), &[], staff, T0).await.expect("team");
    let p = c.create_problem(enterprise, &problem("薄壁件变形"), hr, T0).await.expect("create_problem");
    let found = c.find_problem(p).await.expect("find_problem").expect("the problem");
    assert_eq!(
        (found.fields.clone(), found.status, found.enterprise_name.as_str()),
        (problem("薄壁件变形"), ProblemStatus::Open, "创智精密机械")
    );

    assert_not_found(c.admit_team(p, t, hr, T0).await, "admitting before a request");
    c.request_admission(p, t, staff, T0 + 1).await.expect("request");
    assert_conflict(c.request_admission(p, t, staff, T0 + 2).await, "a second request");
    assert_not_found(c.admit_team(p, t, hr, T0 + 2).await, "admitting before the terms are accepted");
    c.accept_terms(p, t, staff, T0 + 3).await.expect("accept terms");
    assert_not_found(c.accept_terms(p, t, staff, T0 + 4).await, "accepting twice");
    c.admit_team(p, t, hr, T0 + 5).await.expect("admit");
    assert_not_found(c.admit_team(p, t, hr, T0 + 6).await, "admitting twice");
    let a = c.find_admission(&ReadScope::Everything, p, t).await.expect("find_admission").expect("the admission");
    assert_eq!(
        (a.requested_by, a.requested_at, a.terms_accepted_by, a.terms_accepted_at, a.admitted_by, a.admitted_at),
        (staff, T0 + 1, Some(staff), Some(T0 + 3), Some(hr), Some(T0 + 5)),
        "who and when of every step"
    );
    assert_eq!(c.list_admissions(p).await.expect("list_admissions"), vec![a]);

    let closed = c.create_problem(enterprise, &problem("已关闭"), hr, T0 + 9).await.expect("problem");
    c.set_problem_status(closed, ProblemStatus::Open, ProblemStatus::Closed, T0 + 10).await.expect("close");
    assert_not_found(
        c.set_problem_status(closed, ProblemStatus::Open, ProblemStatus::Selected, T0 + 11).await,
        "a step from a stale status",
    );
    let open = ProblemFilter { status: Some(ProblemStatus::Open), ..Default::default() };
    let listed = c.list_problems(&open, all()).await.expect("list_problems");
    assert_eq!(listed.items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![p]);
    let mine = ProblemFilter { enterprise: Some(enterprise), ..Default::default() };
    assert_eq!(c.list_problems(&mine, all()).await.expect("list_problems").total, 2);
    let members = ProblemFilter { member_orgs_only: true, ..Default::default() };
    assert_eq!(c.list_problems(&members, all()).await.expect("list_problems").total, 0);
}

pub async fn research_selection_makes_one_project_with_milestones_and_a_budget_line(store: &dyn Store) {
    let mut c = conn(store).await;
    let Parties { college, enterprise, staff } = parties(&mut c).await;
    let t1 = c.create_team(college, &team("甲团队"), &[], staff, T0).await.expect("team");
    let t2 = c.create_team(college, &team("乙团队"), &[], staff, T0).await.expect("team");
    let p = c.create_problem(enterprise, &problem("难题"), staff, T0).await.expect("problem");
    assert!(c.create_proposal(p, t1, &proposal(1), staff, T0).await.is_err(), "only admitted teams propose");
    for t in [t1, t2] {
        c.request_admission(p, t, staff, T0).await.expect("request");
    }
    let a = c.create_proposal(p, t1, &proposal(9_000_000), staff, T0 + 1).await.expect("create_proposal");
    let b = c.create_proposal(p, t2, &proposal(8_000_000), staff, T0 + 2).await.expect("create_proposal");
    let got = c.find_proposal(&ReadScope::Everything, a).await.expect("find_proposal").expect("the proposal");
    assert_eq!(
        (got.fields.clone(), got.status, got.team_name.as_str()),
        (proposal(9_000_000), ProposalStatus::Submitted, "甲团队")
    );
    assert_eq!((got.problem_title.as_str(), got.enterprise_org_id, got.college_org_id), ("难题", enterprise, college));
    assert_eq!(c.list_proposals(p, None).await.expect("list").iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(c.list_proposals(p, Some(t2)).await.expect("list").iter().map(|r| r.id).collect::<Vec<_>>(), vec![b]);

    let mut tx = store.begin().await.expect("begin");
    tx.set_proposal_status(a, ProposalStatus::Submitted, ProposalStatus::Shortlisted, T0 + 3).await.expect("shortlist");
    tx.set_proposal_status(a, ProposalStatus::Shortlisted, ProposalStatus::Selected, T0 + 4).await.expect("select");
    assert_eq!(tx.reject_open_proposals(p, T0 + 4).await.expect("reject the rest"), 1);
    tx.set_problem_status(p, ProblemStatus::Open, ProblemStatus::Selected, T0 + 4).await.expect("problem selected");
    let project = tx
        .create_project(&NewProject {
            problem_id: p,
            proposal_id: a,
            team_id: t1,
            enterprise_org_id: enterprise,
            college_org_id: college,
            title: "难题".into(),
            milestones: proposal(1).milestones,
            first_line: Some(NewBudgetLine {
                source: FundingSource::Enterprise,
                programme: None,
                amount_fen: 9_000_000,
            }),
            by: staff,
            at: T0 + 4,
        })
        .await
        .expect("create_project");
    tx.commit().await.expect("commit");
    assert_eq!(
        c.find_proposal(&ReadScope::Everything, b).await.expect("find").map(|r| r.status),
        Some(ProposalStatus::Rejected)
    );
    assert_not_found(
        c.set_proposal_status(b, ProposalStatus::Submitted, ProposalStatus::Selected, T0 + 5).await,
        "a step from a stale status",
    );

    let j = c.find_project(&ReadScope::Everything, project).await.expect("find_project").expect("the project");
    assert_eq!(
        (j.problem_id, j.proposal_id, j.team_name.as_str(), j.enterprise_name.as_str(), j.college_name.as_str()),
        (p, a, "甲团队", "创智精密机械", "鹏城职业技术学院")
    );
    assert_eq!((j.status, j.risks.clone()), (ProjectStatus::Active, Vec::<String>::new()));
    let ms = c.list_milestones(&ReadScope::Everything, project).await.expect("list_milestones");
    assert_eq!(
        ms.iter().map(|m| (m.title.as_str(), m.due_date.as_str())).collect::<Vec<_>>(),
        vec![("仿真", "2027-01-31"), ("试切", "2027-05-31")]
    );
    let lines = c.list_budget_lines(&ReadScope::Everything, project).await.expect("list_budget_lines");
    assert_eq!(
        lines.iter().map(|l| (l.source, l.amount_fen, l.spent_fen)).collect::<Vec<_>>(),
        vec![(FundingSource::Enterprise, 9_000_000, 0)]
    );

    // Milestones: accepted only after a submission, once.
    let m = ms[0].id;
    assert_not_found(c.accept_milestone(m, staff, T0 + 6).await, "accepting before submission");
    c.submit_milestone(m, Some("见附件"), staff, T0 + 6).await.expect("submit");
    c.accept_milestone(m, staff, T0 + 7).await.expect("accept");
    assert_not_found(c.accept_milestone(m, staff, T0 + 8).await, "accepting twice");
    assert_not_found(c.submit_milestone(m, None, staff, T0 + 8).await, "resubmitting an accepted milestone");
    let m0 = &c.list_milestones(&ReadScope::Everything, project).await.expect("list")[0];
    assert_eq!(
        (m0.submitted_at, m0.submission_note.as_deref(), m0.accepted_at),
        (Some(T0 + 6), Some("见附件"), Some(T0 + 7))
    );

    c.set_project_risks(project, &["关键设备交期".to_string()], T0 + 9).await.expect("risks");
    c.set_project_status(project, ProjectStatus::Active, ProjectStatus::Suspended, T0 + 9).await.expect("suspend");
    assert_not_found(
        c.set_project_status(project, ProjectStatus::Active, ProjectStatus::Completed, T0 + 9).await,
        "a step from a stale status",
    );
    let j = c.find_project(&ReadScope::Everything, project).await.expect("find").expect("the project");
    assert_eq!((j.status, j.risks, j.updated_at), (ProjectStatus::Suspended, vec!["关键设备交期".to_string()], T0 + 9));
    for org in [enterprise, college] {
        let f = ProjectFilter { org: Some(org) };
        assert_eq!(c.list_projects(&f, all()).await.expect("list_projects").total, 1, "listed for both parties");
    }
    let nobody = add_org(&mut c, OrgKind::Enterprise, "无关企业").await;
    assert_eq!(c.list_projects(&ProjectFilter { org: Some(nobody) }, all()).await.expect("list").total, 0);

    // The read scope is a floor in the query: a member of either party reads the project and
    // what hangs off it; a member of neither reads nothing, whatever the id.
    let line = lines[0].id;
    for (orgs, seen) in
        [(vec![enterprise], true), (vec![nobody, college], true), (vec![nobody], false), (vec![], false)]
    {
        let s = ReadScope::Member { account: staff, orgs: orgs.clone() };
        let what = format!("read through {orgs:?}");
        assert_eq!(c.find_project(&s, project).await.expect("find_project").is_some(), seen, "project {what}");
        assert_eq!(c.find_proposal(&s, a).await.expect("find_proposal").is_some(), seen, "proposal {what}");
        assert_eq!(c.find_admission(&s, p, t1).await.expect("find_admission").is_some(), seen, "admission {what}");
        assert_eq!(c.find_budget_line(&s, line).await.expect("find_budget_line").is_some(), seen, "line {what}");
        assert_eq!(!c.list_milestones(&s, project).await.expect("milestones").is_empty(), seen, "milestones {what}");
        assert_eq!(!c.list_budget_lines(&s, project).await.expect("lines").is_empty(), seen, "lines {what}");
    }
}

pub async fn research_expenditures_never_pass_their_budget_line(store: &dyn Store) {
    let mut c = conn(store).await;
    let Parties { college, enterprise, staff } = parties(&mut c).await;
    let t = c.create_team(college, &team("甲团队"), &[], staff, T0).await.expect("team");
    let p = c.create_problem(enterprise, &problem("难题"), staff, T0).await.expect("problem");
    c.request_admission(p, t, staff, T0).await.expect("request");
    let r = c.create_proposal(p, t, &proposal(100), staff, T0).await.expect("proposal");
    let project = c
        .create_project(&NewProject {
            problem_id: p,
            proposal_id: r,
            team_id: t,
            enterprise_org_id: enterprise,
            college_org_id: college,
            title: "难题".into(),
            milestones: Vec::new(),
            first_line: None,
            by: staff,
            at: T0,
        })
        .await
        .expect("project");
    let gov = NewBudgetLine {
        source: FundingSource::Government,
        programme: Some("深圳市科技计划".into()),
        amount_fen: 10_000,
    };
    let line = c.add_budget_line(project, &gov, staff, T0).await.expect("add_budget_line");
    let bad = NewBudgetLine { source: FundingSource::College, programme: Some("x".into()), amount_fen: 1 };
    assert!(c.add_budget_line(project, &bad, staff, T0).await.is_err(), "a programme only on government lines");
    let spend = |amount_fen: i64, at: i64| NewExpenditure {
        line_id: line,
        amount_fen,
        spent_on: "2027-01-05".into(),
        purpose: "刀具".into(),
        by: staff,
        at,
    };
    let first = c.record_expenditure(&spend(3_000, T0 + 1)).await.expect("within the line");
    c.record_expenditure(&spend(7_000, T0 + 2)).await.expect("exactly what remains");
    let over = c.record_expenditure(&spend(1, T0 + 3)).await;
    assert!(
        matches!(&over, Err(StoreError::Conflict { constraint }) if constraint == "budget_line_exceeded"),
        "one fen past the line: {over:?}"
    );
    assert!(c.record_expenditure(&spend(0, T0 + 3)).await.is_err(), "zero is no expenditure");
    assert_not_found(
        c.record_expenditure(&NewExpenditure { line_id: 999_999, ..spend(1, T0) }).await,
        "a missing line",
    );
    let l = c.find_budget_line(&ReadScope::Everything, line).await.expect("find_budget_line").expect("the line");
    assert_eq!((l.amount_fen, l.spent_fen, l.programme.as_deref()), (10_000, 10_000, Some("深圳市科技计划")));
    let xs = c.list_expenditures(&ReadScope::Everything, project).await.expect("list_expenditures");
    assert_eq!(xs.iter().map(|x| x.amount_fen).collect::<Vec<_>>(), vec![3_000, 7_000], "the refused one left nothing");
    assert_eq!(
        (xs[0].id, xs[0].spent_on.as_str(), xs[0].purpose.as_str(), xs[0].recorded_at),
        (first, "2027-01-05", "刀具", T0 + 1)
    );

    // Huge amounts cannot overflow the condition into accepting.
    let big = NewBudgetLine { source: FundingSource::Enterprise, programme: None, amount_fen: 100_000_000_000 };
    let big_line = c.add_budget_line(project, &big, staff, T0).await.expect("largest line");
    let huge = NewExpenditure { line_id: big_line, ..spend(i64::MAX, T0 + 4) };
    assert!(c.record_expenditure(&huge).await.is_err(), "i64::MAX is refused");
    assert_eq!(c.find_budget_line(&ReadScope::Everything, big_line).await.expect("find").map(|l| l.spent_fen), Some(0));
}

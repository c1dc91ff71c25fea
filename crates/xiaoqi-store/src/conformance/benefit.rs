//! Agreements (versions, signatures, in force), results, conversions with their ledger, and
//! government programmes with applications and awards.

use xiaoqi_domain::benefit::Terms;
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::research::{FundingSource, ProjectStatus};

use super::research::{Parties, parties, problem, proposal, team};
use super::{T0, add_org, all, assert_conflict, assert_not_found, conn};
use crate::ReadScope;
use crate::prelude::*;
use crate::{
    ConversionDecision, LedgerLine, NewApplication, NewBudgetLine, NewConversion, NewProject, NewResult, OrgId,
    ProgrammeFields, ResultOwner,
};

async fn project(c: &mut Box<dyn Conn>, p: &Parties) -> i64 {
    let t = c.create_team(p.college, &team("甲团队"), &[], p.staff, T0).await.expect("team");
    let pr = c.create_problem(p.enterprise, &problem("难题"), p.staff, T0).await.expect("problem");
    c.request_admission(pr, t, p.staff, T0).await.expect("request");
    let r = c.create_proposal(pr, t, &proposal(100), p.staff, T0).await.expect("proposal");
    c.create_project(&NewProject {
        problem_id: pr,
        proposal_id: r,
        team_id: t,
        enterprise_org_id: p.enterprise,
        college_org_id: p.college,
        title: "难题".into(),
        milestones: proposal(1).milestones,
        first_line: Some(NewBudgetLine { source: FundingSource::Enterprise, programme: None, amount_fen: 8_000_000 }),
        by: p.staff,
        at: T0,
    })
    .await
    .expect("project")
}

fn terms(p: &Parties) -> Terms {
    Terms::prefilled((p.enterprise, "创智精密机械"), (p.college, "鹏城职业技术学院"))
}

pub async fn agreement_versions_are_signed_once_per_party_and_a_new_proposal_supersedes_a_pending_one(
    store: &dyn Store,
) {
    let mut c = conn(store).await;
    let p = parties(&mut c).await;
    let j = project(&mut c, &p).await;
    let v1 = c.propose_agreement(j, 1, &terms(&p), p.staff, T0).await.expect("v1");
    c.sign_agreement(v1, p.enterprise, p.staff, T0 + 1).await.expect("sign");
    assert_conflict(c.sign_agreement(v1, p.enterprise, p.staff, T0 + 2).await, "one signature per party");
    c.sign_agreement(v1, p.college, p.staff, T0 + 3).await.expect("sign");
    c.put_agreement_in_force(v1, T0 + 3).await.expect("in force");
    assert_not_found(c.put_agreement_in_force(v1, T0 + 4).await, "in force once");
    let mut amended = terms(&p);
    amended.ip_note = "修订".into();
    let v2 = c.propose_agreement(j, 2, &amended, p.staff, T0 + 5).await.expect("v2");
    let v3 = c.propose_agreement(j, 3, &amended, p.staff, T0 + 6).await.expect("v3");
    assert_conflict(
        c.propose_agreement(j, 3, &amended, p.staff, T0 + 7).await.map(|_| ()),
        "version numbers are unique",
    );
    assert_not_found(c.put_agreement_in_force(v2, T0 + 8).await, "a superseded version never comes into force");
    let history = c.list_agreement_versions(&ReadScope::Everything, j).await.expect("history");
    let summary: Vec<(i64, bool, bool, usize)> = history
        .iter()
        .map(|v| (v.version, v.in_force_at.is_some(), v.superseded_at.is_some(), v.signatures.len()))
        .collect();
    assert_eq!(summary, vec![(1, true, false, 2), (2, false, true, 0), (3, false, false, 0)]);
    assert_eq!(history[2].id, v3);
    assert_eq!(history[2].terms, amended, "terms are read back whole");
    assert_eq!(history[0].signatures[1].org_name, "鹏城职业技术学院");
}

pub async fn conversions_keep_their_ledger_lines_in_order_and_results_sum_their_income(store: &dyn Store) {
    let mut c = conn(store).await;
    let p = parties(&mut c).await;
    let j = project(&mut c, &p).await;
    let v = c.propose_agreement(j, 1, &terms(&p), p.staff, T0).await.expect("v1");
    let owners = vec![ResultOwner { name: "鹏城职业技术学院".into(), org_id: Some(p.college) }];
    let r = c
        .create_result(&NewResult {
            project_id: j,
            kind: ResultKind::SoftwareCopyright,
            title: "夹具设计软件".into(),
            registration_no: None,
            result_date: "2027-01-01".into(),
            owners: owners.clone(),
            by: p.staff,
            at: T0,
        })
        .await
        .expect("result");
    let line = |kind: &str, name: &str, org_id: Option<OrgId>, amount_fen: i64| LedgerLine {
        beneficiary_kind: kind.into(),
        beneficiary_index: 0,
        name: name.into(),
        org_id,
        account_id: None,
        amount_fen,
    };
    let inventor = super::add_account(&mut c, "inventor@elsewhere.example").await;
    let mut lines = vec![line("party", "创智", Some(p.enterprise), 51), line("inventor", "王老师", None, 50)];
    lines[1].account_id = Some(inventor);
    for income in [101, 7] {
        c.record_conversion(&NewConversion {
            result_id: r,
            kind: ConversionKind::Licence,
            counterparty: "华联".into(),
            event_date: "2027-02-01".into(),
            income_fen: income,
            note: String::new(),
            agreement_version_id: v,
            lines: lines.clone(),
            recorded_side: "enterprise".into(),
            by: p.staff,
            at: T0 + 1,
        })
        .await
        .expect("conversion");
    }
    let all_conversions = c.list_conversions(&ReadScope::Everything, j).await.expect("conversions");
    assert_eq!(all_conversions.len(), 2);
    assert_eq!(all_conversions[0].lines, lines, "lines in order, whole");
    assert_eq!((all_conversions[0].agreement_version, all_conversions[0].result_title.as_str()), (1, "夹具设计软件"));
    assert_eq!(all_conversions[0].decision, None, "a recorded conversion waits for the other party");
    // The other party confirms the first and disputes the second; only a confirmed one counts.
    let decision = |d: &str, reason: &str| ConversionDecision {
        decision: d.into(),
        reason: reason.into(),
        decided_by: p.staff,
        decided_at: T0 + 2,
    };
    let (first, second) = (all_conversions[0].id, all_conversions[1].id);
    c.decide_conversion(first, &decision("confirmed", "")).await.expect("confirm");
    c.decide_conversion(second, &decision("disputed", "金额有误")).await.expect("dispute");
    assert_conflict(c.decide_conversion(first, &decision("disputed", "改主意")).await, "a second decision");
    let decided = c.find_conversion(&ReadScope::Everything, second).await.expect("find").expect("the conversion");
    assert_eq!(decided.decision, Some(decision("disputed", "金额有误")));
    assert_eq!(decided.lines, lines, "found with its lines");
    let found = c.find_result(&ReadScope::Everything, r).await.expect("find").expect("the result");
    assert_eq!((found.conversions, found.income_fen, found.owners), (1, 101, owners));
    // The read scope: the parties' members, and an inventor named by account in the ledger
    // (who belongs to neither party), read the project's records; an outsider reads none.
    let outsider = super::add_account(&mut c, "outsider@elsewhere.example").await;
    for (account, orgs, seen) in
        [(p.staff, vec![p.enterprise], true), (inventor, vec![], true), (outsider, vec![], false)]
    {
        let s = ReadScope::Member { account, orgs };
        assert_eq!(c.find_project(&s, j).await.expect("find_project").is_some(), seen, "project for {account}");
        assert_eq!(c.find_result(&s, r).await.expect("find_result").is_some(), seen, "result for {account}");
        assert_eq!(c.list_conversions(&s, j).await.expect("conversions").len(), if seen { 2 } else { 0 });
        assert_eq!(c.find_conversion(&s, first).await.expect("find_conversion").is_some(), seen);
        assert_eq!(c.list_results(&s, j).await.expect("results").len(), usize::from(seen));
        assert_eq!(c.list_agreement_versions(&s, j).await.expect("versions").is_empty(), !seen);
    }
    let facts = c.measure_facts().await.expect("facts");
    let fact = facts.projects.iter().find(|f| f.project_id == j).expect("the project's facts");
    assert_eq!((fact.results, fact.results_converted, fact.income_fen, fact.milestones), (1, 1, 101, 2));
    assert_eq!(fact.status, ProjectStatus::Active);
    assert_eq!(facts.problems.len(), 1);
}

pub async fn a_programme_application_is_unique_per_project_and_awarded_once(store: &dyn Store) {
    let mut c = conn(store).await;
    let p = parties(&mut c).await;
    let j = project(&mut c, &p).await;
    let agency = add_org(&mut c, OrgKind::Government, "工信局").await;
    let fields = ProgrammeFields {
        name: "攻关计划".into(),
        description: String::new(),
        eligible_sizes: vec!["small".into()],
        matching_ratio: 5_000,
        ceiling_fen: 1_000_000,
        deadline: "2027-12-31".into(),
    };
    let g = c.create_programme(agency, &fields, p.staff, T0).await.expect("programme");
    let found = c.find_programme(g).await.expect("find").expect("the programme");
    assert_eq!((found.fields, found.agency_name.as_str()), (fields, "工信局"));
    assert_eq!(c.list_programmes(all()).await.expect("list").total, 1);
    let new = NewApplication {
        programme_id: g,
        project_id: j,
        applicant_org_id: p.enterprise,
        requested_fen: 500_000,
        enterprise_funding_fen: 8_000_000,
        by: p.staff,
        at: T0,
    };
    let a = c.create_programme_application(&new).await.expect("application");
    assert_conflict(c.create_programme_application(&new).await.map(|_| ()), "one application per project");
    let gov =
        NewBudgetLine {
            source: FundingSource::Government, programme: Some("攻关计划".into()), amount_fen: 400_000
        };
    let line = c.add_budget_line(j, &gov, p.staff, T0).await.expect("line");
    c.award_programme_application(a, 400_000, line, p.staff, T0 + 1).await.expect("award");
    assert_not_found(c.award_programme_application(a, 1, line, p.staff, T0 + 2).await, "awarded once");
    let listed = c.list_programme_applications(None, Some(j)).await.expect("list");
    assert_eq!(
        listed.iter().map(|a| (a.status.as_str(), a.awarded_fen, a.line_id)).collect::<Vec<_>>(),
        vec![("awarded", Some(400_000), Some(line))]
    );
    assert_eq!(c.list_programme_applications(Some(g), None).await.expect("list").len(), 1);
}

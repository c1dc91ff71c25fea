//! Order classes: terms versions, signatures, enrolments, scores, employment and the ledger.

use xiaoqi_domain::order_class::{
    AssessmentWeights, CommittedPost, Course, CourseKind, EmploymentCommitment, EmploymentStatus, OrderClassStatus,
    Scholarship, Terms,
};
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::service::Side;

use super::{T0, add_account, add_org, all, assert_conflict, assert_not_found, conn};
use crate::ReadScope;
use crate::prelude::*;
use crate::{NewDisbursement, OrderClassFilter};

fn terms(name: &str, quota: i64) -> Terms {
    Terms {
        class_name: name.to_string(),
        major_ids: vec![1, 2],
        quota,
        scholarships: vec![Scholarship {
            name: "创智奖学金".into(),
            amount_fen: 500_000,
            count: 3,
            condition: "综合成绩前 3 名 'A'".into(),
        }],
        employment: EmploymentCommitment {
            posts: vec![CommittedPost { title: "数控车工".into(), occupation_code: Some("6-18-02-04".into()) }],
            pay_floor_fen: 550_000,
            service_years: 3,
        },
        courses: vec![
            Course { name: "机械制图".into(), taught_by: Side::College, kind: CourseKind::Theory, hours: 64 },
            Course {
                name: "暑期实践".into(),
                taught_by: Side::Enterprise,
                kind: CourseKind::SummerPractice,
                hours: 160,
            },
        ],
        weights: AssessmentWeights { college: 60, enterprise: 40 },
    }
}

pub async fn order_class_terms_versions_and_signatures_round_trip(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "鹏城职业技术学院").await;
    let enterprise = add_org(&mut c, OrgKind::Enterprise, "创智精密机械").await;
    let hr = add_account(&mut c, "hr@oc.example").await;
    let leader = add_account(&mut c, "leader@oc.example").await;
    let first = terms("数控订单班", 30);
    let id = c.create_order_class(college, enterprise, &first, hr, Side::Enterprise, T0).await;
    let id = id.expect("create_order_class");
    let found = c.find_order_class(&ReadScope::Everything, id).await.expect("find").expect("the class");
    assert_eq!(found.terms, terms("数控订单班", 30), "terms round-trip whole");
    assert_eq!((found.status, found.current_version), (OrderClassStatus::Draft, 1));
    assert_eq!((found.college_name.as_str(), found.enterprise_name.as_str()), ("鹏城职业技术学院", "创智精密机械"));
    let outsider = add_org(&mut c, OrgKind::Enterprise, "无关企业").await;
    for (orgs, seen) in
        [(vec![college], true), (vec![outsider, enterprise], true), (vec![outsider], false), (vec![], false)]
    {
        let s = ReadScope::Member { account: hr, orgs: orgs.clone() };
        let found = c.find_order_class(&s, id).await.expect("find").is_some();
        assert_eq!(found, seen, "an order class read through {orgs:?}: its parties only");
    }

    c.add_signature(id, 1, Side::Enterprise, hr, "enterprise_hr", T0 + 1).await.expect("sign");
    assert_conflict(c.add_signature(id, 1, Side::Enterprise, hr, "org_admin", T0 + 2).await, "a side signs once");
    c.replace_draft_terms(id, &terms("数控订单班（修订）", 40), T0 + 3).await.expect("edit draft");
    assert!(c.list_signatures(id).await.expect("signatures").is_empty(), "editing a draft voids its signatures");
    c.add_signature(id, 1, Side::Enterprise, hr, "enterprise_hr", T0 + 4).await.expect("sign");
    c.add_signature(id, 1, Side::College, leader, "programme_leader", T0 + 5).await.expect("sign");
    c.set_order_class_status(id, OrderClassStatus::Draft, OrderClassStatus::Signed, T0 + 5).await.expect("signed");
    assert_conflict(c.replace_draft_terms(id, &terms("改", 1), T0 + 6).await, "signed terms cannot be replaced");
    assert_not_found(
        c.set_order_class_status(id, OrderClassStatus::Draft, OrderClassStatus::Signed, T0 + 6).await,
        "a step from a stale status",
    );

    c.create_terms_version(id, 2, &terms("数控订单班（二期）", 45), leader, Side::College, T0 + 7).await.expect("v2");
    let before = c.find_order_class(&ReadScope::Everything, id).await.expect("find").expect("the class");
    assert_eq!(before.terms.class_name, "数控订单班（修订）", "an amendment is not in force until both sign");
    c.set_current_version(id, 2, T0 + 8).await.expect("in force");
    assert_not_found(c.set_current_version(id, 2, T0 + 9).await, "a version takes effect once");
    let after = c.find_order_class(&ReadScope::Everything, id).await.expect("find").expect("the class");
    assert_eq!((after.current_version, after.terms.quota, after.status), (2, 45, OrderClassStatus::Signed));
    let versions = c.list_terms_versions(id).await.expect("versions");
    assert_eq!(
        versions.iter().map(|v| (v.version, v.effective_at)).collect::<Vec<_>>(),
        vec![(1, None), (2, Some(T0 + 8))]
    );
    assert_eq!((versions[1].proposed_by, versions[1].proposed_side), (leader, Side::College));
    let sigs = c.list_signatures(id).await.expect("signatures");
    let who: Vec<_> = sigs.iter().map(|s| (s.version, s.side, s.signer_name.as_str(), s.role.as_str())).collect();
    assert_eq!(
        who,
        vec![
            (1, Side::Enterprise, "hr@oc.example", "enterprise_hr"),
            (1, Side::College, "leader@oc.example", "programme_leader")
        ]
    );

    let other_college = add_org(&mut c, OrgKind::College, "珠江轻工职业技术学院").await;
    let draft_terms = terms("草稿班", 10);
    let draft = c.create_order_class(other_college, enterprise, &draft_terms, hr, Side::Enterprise, T0 + 10);
    let draft = draft.await.expect("draft");
    let of = |orgs: Vec<i64>, draft_orgs: Vec<i64>| OrderClassFilter { orgs: Some(orgs), draft_orgs, status: None };
    let ids = |p: crate::Page<crate::OrderClassRecord>| p.items.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(c.list_order_classes(&OrderClassFilter::default(), all()).await.expect("list")), vec![draft, id]);
    assert_eq!(ids(c.list_order_classes(&of(vec![enterprise], vec![]), all()).await.expect("list")), vec![id]);
    assert_eq!(
        ids(c.list_order_classes(&of(vec![enterprise], vec![enterprise]), all()).await.expect("l")),
        vec![draft, id]
    );
    assert_eq!(ids(c.list_order_classes(&of(vec![college], vec![college]), all()).await.expect("list")), vec![id]);
    assert!(ids(c.list_order_classes(&of(vec![], vec![]), all()).await.expect("list")).is_empty());
    let drafts = OrderClassFilter { status: Some(OrderClassStatus::Draft), ..OrderClassFilter::default() };
    assert_eq!(ids(c.list_order_classes(&drafts, all()).await.expect("list")), vec![draft]);
}

pub async fn order_class_enrolments_scores_offers_and_an_append_only_ledger(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "鹏城职业技术学院").await;
    let enterprise = add_org(&mut c, OrgKind::Enterprise, "创智精密机械").await;
    let hr = add_account(&mut c, "hr@oc.example").await;
    let (s1, s2) = (add_account(&mut c, "s1@oc.example").await, add_account(&mut c, "s2@oc.example").await);
    let id = c.create_order_class(college, enterprise, &terms("班", 30), hr, Side::Enterprise, T0).await.expect("c");
    c.create_enrolment(id, s1, T0 + 1).await.expect("apply");
    c.create_enrolment(id, s2, T0 + 2).await.expect("apply");
    assert_conflict(c.create_enrolment(id, s1, T0 + 3).await, "one application per student");
    c.set_selection(id, s1, Side::College, true, hr, T0 + 4).await.expect("select");
    c.set_selection(id, s1, Side::Enterprise, true, hr, T0 + 5).await.expect("select");
    c.set_selection(id, s2, Side::Enterprise, false, hr, T0 + 5).await.expect("turn down");
    assert_not_found(c.set_selection(id, hr, Side::College, true, hr, T0).await, "selecting a non-applicant");
    let e = c.list_enrolments(id).await.expect("enrolments");
    let got: Vec<_> = e.iter().map(|r| (r.student_id, r.college_selected, r.enterprise_selected)).collect();
    assert_eq!(got, vec![(s1, Some(true), Some(true)), (s2, None, Some(false))]);
    assert_eq!((e[0].student_name.as_str(), e[0].consented_at), ("s1@oc.example", T0 + 1));

    c.put_score(id, s1, Side::College, 855, hr, T0 + 6).await.expect("score");
    c.put_score(id, s1, Side::College, 860, hr, T0 + 7).await.expect("rescore");
    c.put_score(id, s1, Side::Enterprise, 1000, hr, T0 + 7).await.expect("score");
    assert!(c.put_score(id, s1, Side::Enterprise, 1001, hr, T0 + 8).await.is_err(), "the CHECK refuses > 100.0");
    let scores = c.list_scores(id).await.expect("scores");
    assert_eq!(
        scores.iter().map(|s| (s.side, s.score_tenths)).collect::<Vec<_>>(),
        vec![(Side::College, 860), (Side::Enterprise, 1000)]
    );

    c.create_offer(id, s1, "数控车工", 600_000, hr, T0 + 9).await.expect("offer");
    assert_conflict(c.create_offer(id, s1, "钳工", 600_000, hr, T0 + 9).await, "one offer per student");
    c.answer_offer(id, s1, EmploymentStatus::Accepted, None, T0 + 10).await.expect("accept");
    assert_not_found(c.answer_offer(id, s1, EmploymentStatus::Declined, Some("变卦"), T0 + 11).await, "answered once");
    c.create_offer(id, s2, "钳工", 600_000, hr, T0 + 9).await.expect("offer");
    c.answer_offer(id, s2, EmploymentStatus::Declined, Some("继续升学"), T0 + 12).await.expect("decline");
    let emp = c.list_employment(id).await.expect("employment");
    let got: Vec<_> = emp.iter().map(|r| (r.status, r.decline_reason.as_deref(), r.decided_at)).collect();
    assert_eq!(
        got,
        vec![
            (EmploymentStatus::Accepted, None, Some(T0 + 10)),
            (EmploymentStatus::Declined, Some("继续升学"), Some(T0 + 12))
        ]
    );

    let pay = |amount_fen| NewDisbursement {
        class_id: id,
        student_id: s1,
        scholarship: "创智奖学金".into(),
        amount_fen,
        paid_on: "2026-01-15".into(),
        recorded_by: hr,
        recorded_at: T0 + 13,
    };
    let first = c.append_disbursement(&pay(500_000)).await.expect("pay");
    let second = c.append_disbursement(&pay(1)).await.expect("pay");
    assert!(c.append_disbursement(&pay(0)).await.is_err(), "the CHECK refuses a zero payment");
    let ledger = c.list_disbursements(id).await.expect("ledger");
    assert_eq!(ledger.iter().map(|d| (d.id, d.amount_fen)).collect::<Vec<_>>(), vec![(first, 500_000), (second, 1)]);
    assert_eq!((ledger[0].student_name.as_str(), ledger[0].paid_on.as_str()), ("s1@oc.example", "2026-01-15"));
    let outsider = add_account(&mut c, "s3@oc.example").await;
    let not_enrolled = NewDisbursement { student_id: outsider, ..pay(100) };
    assert_conflict(c.append_disbursement(&not_enrolled).await, "only applicants of the class are paid");
}

/// Writes one class with one enrolled student and one scholarship payment, for the adapters'
/// raw-SQL checks that the ledger is append-only; returns the class id.
pub async fn seed_one_disbursement(store: &dyn Store) -> i64 {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "鹏城职业技术学院").await;
    let enterprise = add_org(&mut c, OrgKind::Enterprise, "创智精密机械").await;
    let hr = add_account(&mut c, "hr@ledger.example").await;
    let s1 = add_account(&mut c, "s1@ledger.example").await;
    let id = c.create_order_class(college, enterprise, &terms("班", 30), hr, Side::Enterprise, T0).await.expect("c");
    c.create_enrolment(id, s1, T0).await.expect("apply");
    let d = NewDisbursement {
        class_id: id,
        student_id: s1,
        scholarship: "创智奖学金".into(),
        amount_fen: 500_000,
        paid_on: "2026-01-15".into(),
        recorded_by: hr,
        recorded_at: T0,
    };
    c.append_disbursement(&d).await.expect("pay");
    id
}

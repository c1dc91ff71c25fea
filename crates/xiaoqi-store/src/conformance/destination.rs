//! Graduates and their destination register.

use xiaoqi_domain::destination::{DestinationKind, DestinationStatus};
use xiaoqi_domain::org::OrgKind;

use super::{T0, add_account, add_org, assert_not_found, conn};
use crate::prelude::*;
use crate::{DestinationFilter, NewDestination, NewGraduate, ReadScope, StudentRecord};

/// A register entry is read within its scope (the college, the student, the employer), a graduate
/// takes the class's major, a check and a confirmation happen once each, and the occupations a
/// major serves are replaced whole.
pub async fn destinations_are_scoped_checked_once_and_take_the_class_major(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "去向学院").await;
    let employer = add_org(&mut c, OrgKind::Enterprise, "去向企业").await;
    let stranger = add_org(&mut c, OrgKind::Enterprise, "无关企业").await;
    let major = c.create_major(college, None, "460103", "数控技术").await.expect("create_major");
    let class = c.create_class(college, Some(major), "数控2301班", 2023).await.expect("create_class");
    let student = add_account(&mut c, "grad@conformance.test").await;
    let no = "20230101".to_string();
    c.create_student(&StudentRecord { account_id: student, org_id: college, student_no: no, class_id: Some(class) })
        .await
        .expect("create_student");
    let g = NewGraduate { college_org_id: college, account_id: student, cohort: 2026, major_id: None, at: T0 };
    let graduate = c.create_graduate(&g).await.expect("create_graduate");
    let found = c.find_graduate_of(student).await.expect("find_graduate_of").expect("the graduate");
    assert_eq!((found.id, found.major_id, found.cohort), (graduate, Some(major), 2026), "the class's major");
    let entry = NewDestination {
        graduate_id: graduate,
        kind: DestinationKind::ContractEmployment,
        destination_date: "2026-06-20".into(),
        employer_org_id: Some(employer),
        employer_name: None,
        occupation_code: Some("6-18-01-01".into()),
        note: String::new(),
        status: DestinationStatus::Entered,
        by: student,
        at: T0,
    };
    let id = c.create_destination(&entry).await.expect("create_destination");
    let member = |orgs: Vec<i64>| ReadScope::Member { account: 0, orgs };
    for (scope, seen) in
        [(member(vec![college]), true), (member(vec![employer]), true), (member(vec![stranger]), false)]
    {
        assert_eq!(c.find_destination(&scope, id).await.expect("find").is_some(), seen, "{scope:?}");
    }
    let own = ReadScope::Member { account: student, orgs: vec![] };
    let got = c.find_destination(&own, id).await.expect("find").expect("the student's own entry");
    assert_eq!((got.employer_name.as_deref(), got.status), (Some("去向企业"), DestinationStatus::Entered));
    c.check_destination(id, student, T0 + 1).await.expect("check");
    assert_not_found(c.check_destination(id, student, T0 + 2).await, "a second check");
    c.confirm_destination(id, student, T0 + 3).await.expect("confirm");
    assert_not_found(c.confirm_destination(id, student, T0 + 4).await, "a second confirmation");
    let f = DestinationFilter { college: Some(college), cohort: Some(2026), ..Default::default() };
    let page = c.list_destinations(&ReadScope::Everything, &f, Default::default()).await.expect("list");
    assert_eq!((page.total, page.items[0].checked_at, page.items[0].confirmed_at), (1, Some(T0 + 1), Some(T0 + 3)));
    assert_eq!(c.list_cohort_destinations(college, 2025).await.expect("list cohort").len(), 0, "another cohort");
    let codes = vec!["6-18-01-02".to_string(), "6-18-01-01".to_string()];
    c.set_major_occupations(major, &codes).await.expect("set");
    c.set_major_occupations(major, &codes[..1]).await.expect("replace");
    assert_eq!(c.list_major_occupations(major).await.expect("list"), vec!["6-18-01-02".to_string()]);
}

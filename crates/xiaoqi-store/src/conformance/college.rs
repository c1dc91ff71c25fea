//! Departments, majors and classes of a college.

use xiaoqi_domain::org::OrgKind;

use super::{add_org, assert_conflict, conn};
use crate::prelude::*;
use crate::{ClassRecord, DepartmentRecord, MajorRecord};

/// Departments, majors and classes are created and listed per college.
pub async fn college_structure_is_created_and_listed_per_org(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "深圳职业技术大学").await;
    let other = add_org(&mut c, OrgKind::College, "广州番禺职业技术学院").await;
    let d1 = c.create_department(college, "人工智能学院").await.expect("create_department");
    let d2 = c.create_department(college, "汽车与交通学院").await.expect("create_department");
    let m1 = c.create_major(college, Some(d1), "510209", "人工智能技术应用").await.expect("create_major");
    let m2 = c.create_major(college, None, "460702", "汽车制造与试验技术").await.expect("create_major");
    let k1 = c.create_class(college, Some(m1), "人工智能2401班", 2024).await.expect("create_class");
    let k2 = c.create_class(college, None, "公共基础2301班", 2023).await.expect("create_class");
    let od = c.create_department(other, "信息工程学院").await.expect("create_department elsewhere");

    let dept = |id, org_id, name: &str| DepartmentRecord { id, org_id, name: name.to_string() };
    let mut got = c.list_departments(college).await.expect("list_departments");
    got.sort_by_key(|d| d.id);
    assert_eq!(got, vec![dept(d1, college, "人工智能学院"), dept(d2, college, "汽车与交通学院")], "departments");
    assert_eq!(c.list_departments(other).await.expect("list_departments"), vec![dept(od, other, "信息工程学院")]);

    let mut got = c.list_majors(college).await.expect("list_majors");
    got.sort_by_key(|m| m.id);
    let want = vec![
        MajorRecord {
            id: m1,
            org_id: college,
            department_id: Some(d1),
            code: "510209".to_string(),
            name: "人工智能技术应用".to_string(),
            supply: Default::default(),
        },
        MajorRecord {
            id: m2,
            org_id: college,
            department_id: None,
            code: "460702".to_string(),
            name: "汽车制造与试验技术".to_string(),
            supply: Default::default(),
        },
    ];
    assert_eq!(got, want, "majors");
    assert!(c.list_majors(other).await.expect("list_majors").is_empty(), "majors of another college");

    let mut got = c.list_classes(college, Default::default()).await.expect("list_classes").items;
    got.sort_by_key(|k| k.id);
    let want = vec![
        ClassRecord {
            id: k1,
            org_id: college,
            major_id: Some(m1),
            name: "人工智能2401班".to_string(),
            entry_year: 2024,
        },
        ClassRecord {
            id: k2, org_id: college, major_id: None, name: "公共基础2301班".to_string(), entry_year: 2023
        },
    ];
    assert_eq!(got, want, "classes");
    assert!(
        c.list_classes(other, Default::default()).await.expect("list_classes").items.is_empty(),
        "classes of another college"
    );
    let page =
        c.list_classes(college, xiaoqi_domain::page::PageRequest { limit: 1, offset: 0 }).await.expect("list_classes");
    assert_eq!((page.items.len(), page.total), (1, 2), "classes are paged");
    assert_eq!(page.items[0].name, "人工智能2401班", "newest intake first");
    let found = c.find_class_by_name(college, "公共基础2301班").await.expect("find_class_by_name");
    assert_eq!(found.map(|k| k.id), Some(k2));
    assert_eq!(c.find_class_by_name(other, "公共基础2301班").await.expect("find_class_by_name"), None, "per college");

    assert_conflict(c.create_department(college + 1000, "无主学院").await, "a department of a missing org");
    assert_conflict(
        c.create_major(college, Some(d1 + 1000), "000001", "无院系").await,
        "a major of a missing department",
    );
    assert_conflict(c.create_class(college, Some(m1 + 1000), "无专业班", 2024).await, "a class of a missing major");
}

/// A major code is unique within a college; another college may use the same code.
pub async fn college_major_code_is_unique_within_an_org(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "甲学院").await;
    let other = add_org(&mut c, OrgKind::College, "乙学院").await;
    c.create_major(college, None, "510201", "计算机应用技术").await.expect("create_major");
    assert_conflict(c.create_major(college, None, "510201", "计算机应用技术（重复）").await, "a taken code");
    c.create_major(other, None, "510201", "计算机应用技术").await.expect("the same code in another college");
    c.create_major(college, None, "510202", "计算机应用技术").await.expect("the same name with another code");
    assert_eq!(c.list_majors(college).await.expect("list_majors").len(), 2);
    assert_eq!(c.list_majors(other).await.expect("list_majors").len(), 1);
}

/// Department and class names are unique within a college; another college may reuse them.
pub async fn college_department_and_class_names_are_unique_within_an_org(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "甲学院").await;
    let other = add_org(&mut c, OrgKind::College, "乙学院").await;
    c.create_department(college, "机电学院").await.expect("create_department");
    assert_conflict(c.create_department(college, "机电学院").await, "a taken department name");
    c.create_department(other, "机电学院").await.expect("the same department name in another college");
    c.create_class(college, None, "机电2401", 2024).await.expect("create_class");
    assert_conflict(c.create_class(college, None, "机电2401", 2025).await, "a taken class name");
    c.create_class(other, None, "机电2401", 2024).await.expect("the same class name in another college");
    assert_eq!(c.list_departments(college).await.expect("list_departments").len(), 1);
    assert_eq!(c.list_classes(college, Default::default()).await.expect("list_classes").items.len(), 1);
}

//! Talent demand and supply: demands, majors' teaching, student profiles and consents.

use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus, Education};

use super::{add_account, add_org, all, assert_conflict, conn, set};
use crate::prelude::*;
use crate::{DemandContent, DemandFilter, DemandRole, MajorSupply, ProfileContent, SkillLevel, SkillReq};

fn content(title: &str, occupation: &str, region: &str, valid_until: i64) -> DemandContent {
    DemandContent {
        title: title.to_string(),
        occupation_code: Some(occupation.to_string()),
        roles: vec![
            DemandRole {
                title: "焊工".into(),
                occupation_code: Some(occupation.to_string()),
                share: 60,
                skills: vec![SkillReq { skill: "welding".into(), weight: 5, min_level: 3 }],
                certificates: vec!["welder-special".into()],
            },
            DemandRole {
                title: "质检".into(),
                occupation_code: None,
                share: 40,
                skills: vec![SkillReq { skill: "quality-inspection".into(), weight: 2, min_level: 2 }],
                certificates: vec![],
            },
        ],
        headcount: 3,
        region_code: Some(region.to_string()),
        pay_min_fen: Some(600_000),
        pay_max_fen: Some(900_050),
        start_date: Some(20_800),
        valid_until,
        education: Education::Associate,
        description: "两班倒，包住宿".into(),
    }
}

/// A demand is stored whole (roles and skills included), updated, and moves through statuses;
/// the first publication stamps `published_at` and a later one keeps it.
pub async fn demand_round_trips_and_records_first_publication(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = add_org(&mut c, OrgKind::Enterprise, "佛山精工机械").await;
    let hr = add_account(&mut c, "hr@example.cn").await;
    let want = content("焊接技术员（兼质检）", "6-18-02-04", "440604", 20_900);
    let id = c.create_demand(org, &want, hr, 1_000).await.expect("create_demand");
    let got = c.find_demand(id).await.expect("find_demand").expect("the demand exists");
    assert_eq!(got.content, want, "content read back whole");
    assert_eq!((got.status, got.published_at, got.org_name.as_str()), (DemandStatus::Draft, None, "佛山精工机械"));

    let mut changed = want.clone();
    changed.headcount = 5;
    changed.roles.truncate(1);
    c.update_demand(id, &changed, 2_000).await.expect("update_demand");
    c.set_demand_status(id, DemandStatus::Published, 3_000).await.expect("publish");
    c.set_demand_status(id, DemandStatus::Draft, 3_500).await.expect("back to draft");
    c.set_demand_status(id, DemandStatus::Published, 4_000).await.expect("publish again");
    let got = c.find_demand(id).await.expect("find_demand").expect("the demand exists");
    assert_eq!(got.content, changed);
    assert_eq!((got.status, got.published_at, got.updated_at), (DemandStatus::Published, Some(3_000), 4_000));
    assert!(c.set_demand_status(id, DemandStatus::Expired, 5_000).await.is_err(), "expired is never stored");
    assert!(c.find_demand(id + 1000).await.expect("find_demand").is_none());
    assert!(c.update_demand(id + 1000, &changed, 1).await.is_err(), "updating a missing demand");
}

/// Demand lists filter by organisation, status, open day, occupation and region prefix and
/// membership, newest first.
pub async fn demands_are_filtered_and_listed_newest_first(store: &dyn Store) {
    let mut c = conn(store).await;
    let member = add_org(&mut c, OrgKind::Enterprise, "成员企业").await;
    c.set_membership_status(member, MembershipStatus::Member, 1).await.expect("member");
    let outsider = add_org(&mut c, OrgKind::Enterprise, "非成员企业").await;
    let hr = add_account(&mut c, "hr@example.cn").await;
    let a = c.create_demand(member, &content("焊工", "6-18-02-04", "440604", 100), hr, 1).await.expect("a");
    let b = c.create_demand(member, &content("电商运营", "4-01-02-05", "330102", 200), hr, 2).await.expect("b");
    let d = c.create_demand(outsider, &content("焊工", "6-18-02-04", "440305", 200), hr, 3).await.expect("d");
    for id in [a, b, d] {
        c.set_demand_status(id, DemandStatus::Published, 10).await.expect("publish");
    }
    let e = c.create_demand(member, &content("草稿", "6-18-02-04", "440604", 200), hr, 4).await.expect("e");
    let ids = |p: crate::Page<crate::DemandRecord>| p.items.iter().map(|d| d.id).collect::<Vec<_>>();

    let every = c.list_demands(&DemandFilter::default(), all()).await.expect("list");
    assert_eq!(ids(every), vec![e, d, b, a], "newest first");
    let f = DemandFilter { org: Some(member), ..Default::default() };
    assert_eq!(set(ids(c.list_demands(&f, all()).await.expect("list"))), set([a, b, e]));
    let f = DemandFilter { statuses: vec![DemandStatus::Published], open_on: Some(150), ..Default::default() };
    assert_eq!(ids(c.list_demands(&f, all()).await.expect("list")), vec![d, b], "open on day 150");
    let f = DemandFilter { lapsed_before: Some(150), ..Default::default() };
    assert_eq!(ids(c.list_demands(&f, all()).await.expect("list")), vec![a], "lapsed");
    let f = DemandFilter { occupation_prefix: Some("6-18".into()), ..Default::default() };
    assert_eq!(set(ids(c.list_demands(&f, all()).await.expect("list"))), set([a, d, e]));
    let f = DemandFilter { region_prefix: Some("44".into()), members_only: true, ..Default::default() };
    assert_eq!(set(ids(c.list_demands(&f, all()).await.expect("list"))), set([a, e]));
    let f = DemandFilter { occupation_prefix: Some("6-1%".into()), ..Default::default() };
    assert!(c.list_demands(&f, all()).await.expect("list").items.is_empty(), "% is literal");
}

/// A major's teaching is stored and listed, only member colleges' majors are the supply side.
pub async fn major_supply_round_trips_and_member_majors_are_listed(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "成员学院").await;
    c.set_membership_status(college, MembershipStatus::Member, 1).await.expect("member");
    let other = add_org(&mut c, OrgKind::College, "非成员学院").await;
    let m = c.create_major(college, None, "460104", "焊接技术及自动化").await.expect("major");
    c.create_major(other, None, "460104", "焊接技术及自动化").await.expect("major elsewhere");
    let s = MajorSupply {
        skills: vec![SkillLevel { skill: "welding".into(), level: 4 }],
        certificates: vec!["welder-special".into()],
        yearly_graduates: 120,
        description: "焊接与质量检验".into(),
    };
    c.update_major_supply(m, &s).await.expect("update_major_supply");
    let got = c.find_major(m).await.expect("find_major").expect("exists");
    assert_eq!(got.supply, s);
    let members = c.list_member_majors().await.expect("list_member_majors");
    assert_eq!(members.iter().map(|m| m.id).collect::<Vec<_>>(), vec![m], "only member colleges");
    assert!(c.update_major_supply(m + 100, &s).await.is_err(), "missing major");
}

/// Consents: one live consent per scope and grantee; revoking keeps the record; only live
/// consents show a profile, and an alliance-wide consent counts only for alliance members.
pub async fn consents_are_recorded_revocable_and_scope_profiles(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "学院").await;
    let member = add_org(&mut c, OrgKind::Enterprise, "成员企业").await;
    c.set_membership_status(member, MembershipStatus::Member, 1).await.expect("member");
    let outsider = add_org(&mut c, OrgKind::Enterprise, "非成员企业").await;
    let named = add_org(&mut c, OrgKind::Enterprise, "指定企业").await;
    let s1 = add_account(&mut c, "s1@example.cn").await;
    let s2 = add_account(&mut c, "s2@example.cn").await;
    let s3 = add_account(&mut c, "s3@example.cn").await;
    let p = ProfileContent {
        skills: vec![SkillLevel { skill: "welding".into(), level: 3 }],
        preferred_regions: vec!["4406".into()],
        ..Default::default()
    };
    for s in [s1, s2, s3] {
        c.upsert_student_profile(s, college, &p, 5).await.expect("profile");
    }
    let mut p2 = p.clone();
    p2.grade_avg = Some(88);
    c.upsert_student_profile(s1, college, &p2, 6).await.expect("upsert replaces");
    let got = c.find_student_profile(s1).await.expect("find").expect("exists");
    assert_eq!((got.content.clone(), got.updated_at, got.org_name.as_str()), (p2, 6, "学院"));

    let wide = c.grant_consent(s1, ConsentScope::Alliance, None, 10).await.expect("alliance consent");
    assert_conflict(c.grant_consent(s1, ConsentScope::Alliance, None, 11).await, "second live alliance consent");
    let by_name = c.grant_consent(s2, ConsentScope::Organisation, Some(named), 12).await.expect("named consent");

    let visible = |v: Vec<crate::StudentProfileRecord>| set(v.iter().map(|p| p.account_id));
    assert_eq!(visible(c.list_consented_profiles(member, None).await.expect("list")), set([s1]));
    assert_eq!(visible(c.list_consented_profiles(outsider, None).await.expect("list")), set([]), "non-member");
    assert_eq!(visible(c.list_consented_profiles(named, Some(college)).await.expect("list")), set([s2]));
    assert!(c.has_consent(s1, member).await.expect("has") && !c.has_consent(s1, outsider).await.expect("has"));
    assert!(!c.has_consent(s3, member).await.expect("has"), "no consent, no visibility");
    assert_eq!(visible(c.list_college_profiles(college).await.expect("college")), set([s1, s2, s3]));

    assert!(c.revoke_consent(wide, s2, 20).await.is_ok_and(|r| !r), "only the owner revokes");
    assert!(c.revoke_consent(wide, s1, 20).await.expect("revoke"), "revoked");
    assert!(!c.revoke_consent(wide, s1, 21).await.expect("revoke again"), "revoked once");
    assert!(!c.has_consent(s1, member).await.expect("has"), "revoked consent hides the profile");
    let history = c.list_consents(s1).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].revoked_at, history[0].scope), (Some(20), ConsentScope::Alliance));
    c.grant_consent(s1, ConsentScope::Alliance, None, 30).await.expect("consent again after revoking");
    let named_history = c.list_consents(s2).await.expect("history");
    assert_eq!((named_history[0].id, named_history[0].grantee_name.as_deref()), (by_name, Some("指定企业")));
}

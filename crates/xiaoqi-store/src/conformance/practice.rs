//! Practice places, allocation rounds, ranked applications, rankings and allocations.

use xiaoqi_domain::internship::InternshipKind;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};

use super::{T0, add_account, add_org, all, assert_conflict, assert_not_found, conn};
use crate::prelude::*;
use crate::{AllocationRecord, PlaceFields, PlaceFilter, PlaceTerms, SkillReq};

fn place(title: &str, capacity: i64) -> PlaceFields {
    PlaceFields {
        kind: InternshipKind::Post,
        title: title.to_string(),
        occupation_code: Some("6-18-02-04".to_string()),
        capacity,
        effective_capacity: capacity - 1,
        start_date: "2026-03-01".to_string(),
        end_date: "2026-08-31".to_string(),
        region_code: Some("440306".to_string()),
        monthly_pay_fen: 400_000,
        terms: PlaceTerms {
            location: "深圳市宝安区“智造园” 'B' 栋".to_string(),
            post_wage_fen: 500_000,
            working_hours: "周一至周五 9:00–17:30".to_string(),
            hazards: None,
            high_risk_work: false,
            insured: true,
            insurer: Some("中国人保".to_string()),
            enterprise_staff: 260,
            post_staff: 20,
            night_shifts: false,
            overtime: false,
            holiday_work: false,
            fees_fen: 0,
        },
        skills: vec![SkillReq { skill: "welding".to_string(), weight: 5, min_level: 3 }],
    }
}

pub async fn practice_place_is_created_found_updated_and_listed(store: &dyn Store) {
    let mut c = conn(store).await;
    let e1 = add_org(&mut c, OrgKind::Enterprise, "创智精密机械").await;
    let e2 = add_org(&mut c, OrgKind::Enterprise, "非会员企业").await;
    c.set_membership_status(e1, MembershipStatus::Member, T0).await.expect("member");
    let hr = add_account(&mut c, "hr@enterprise.example").await;
    let id = c.create_place(e1, &place("数控车工实习", 4), hr, T0).await.expect("create_place");
    let other = c.create_place(e2, &place("装配实习", 2), hr, T0 + 1).await.expect("create_place");
    let found = c.find_place(id).await.expect("find_place").expect("the place");
    assert_eq!(found.fields, place("数控车工实习", 4), "every field round-trips, terms included");
    assert_eq!((found.org_id, found.org_name.as_str(), found.created_by), (e1, "创智精密机械", hr));
    assert_eq!((found.created_at, found.updated_at), (T0, T0));

    let mut changed = place("数控车工实习（二期）", 6);
    changed.kind = InternshipKind::Shadowing;
    changed.occupation_code = None;
    changed.terms.insured = false;
    changed.terms.insurer = None;
    changed.skills = vec![SkillReq { skill: "cnc-turning".to_string(), weight: 8, min_level: 2 }];
    c.update_place(id, &changed, T0 + 5).await.expect("update_place");
    let after = c.find_place(id).await.expect("find_place").expect("the place");
    assert_eq!((after.fields.clone(), after.created_at, after.updated_at), (changed.clone(), T0, T0 + 5));
    assert_not_found(c.update_place(999_999, &changed, T0).await, "update of a missing place");
    assert!(c.find_place(999_999).await.expect("find_place").is_none());

    let every = c.list_places(&PlaceFilter::default(), all()).await.expect("list_places");
    assert_eq!(every.items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![other, id], "newest first");
    assert_eq!(every.total, 2);
    let members = PlaceFilter { org: None, member_orgs_only: true };
    let p = c.list_places(&members, all()).await.expect("list_places");
    assert_eq!(p.items.iter().map(|p| p.id).collect::<Vec<_>>(), vec![id], "member enterprises only");
    let of_e2 = PlaceFilter { org: Some(e2), member_orgs_only: false };
    assert_eq!(c.list_places(&of_e2, all()).await.expect("list_places").total, 1);
}

pub async fn practice_round_keeps_applications_rankings_and_one_allocation(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "鹏城职业技术学院").await;
    let enterprise = add_org(&mut c, OrgKind::Enterprise, "创智精密机械").await;
    let staff = add_account(&mut c, "career@college.example").await;
    let (s1, s2) = (add_account(&mut c, "s1@college.example").await, add_account(&mut c, "s2@college.example").await);
    let p1 = c.create_place(enterprise, &place("车工", 3), staff, T0).await.expect("place");
    let p2 = c.create_place(enterprise, &place("钳工", 3), staff, T0).await.expect("place");
    let round = c.create_round(college, "2026 春季岗位实习", &[p2, p1], staff, T0).await.expect("create_round");
    let r = c.find_round(round).await.expect("find_round").expect("the round");
    assert_eq!(
        (r.college_org_id, r.college_name.as_str(), r.name.as_str()),
        (college, "鹏城职业技术学院", "2026 春季岗位实习")
    );
    assert_eq!((r.place_ids.clone(), r.status.as_str(), r.inputs_json.clone()), (vec![p2, p1], "open", None));
    assert!(c.find_round(999_999).await.expect("find_round").is_none());
    let later = c.create_round(college, "2026 秋季", &[p1], staff, T0 + 1).await.expect("create_round");
    let listed = c.list_rounds(college, all()).await.expect("list_rounds");
    assert_eq!((listed.total, listed.items.iter().map(|r| r.id).collect::<Vec<_>>()), (2, vec![later, round]));
    assert_eq!(c.list_rounds(enterprise, all()).await.expect("list_rounds").total, 0);

    c.put_practice_application(round, s2, &[p1], T0 + 1).await.expect("apply");
    c.put_practice_application(round, s1, &[p1, p2], T0 + 2).await.expect("apply");
    c.put_practice_application(round, s2, &[p2, p1], T0 + 3).await.expect("replace");
    let apps = c.list_practice_applications(round).await.expect("list applications");
    let got: Vec<_> = apps.iter().map(|a| (a.student_id, a.place_ids.clone(), a.submitted_at)).collect();
    assert_eq!(got, vec![(s1, vec![p1, p2], T0 + 2), (s2, vec![p2, p1], T0 + 3)], "replaced, earliest first");

    c.put_ranking(round, p1, &[s1, s2], staff, T0 + 4).await.expect("rank");
    c.put_ranking(round, p1, &[s2, s1], staff, T0 + 5).await.expect("re-rank");
    c.put_ranking(round, p2, &[s2], staff, T0 + 6).await.expect("rank");
    let ranks = c.list_rankings(round).await.expect("list rankings");
    let mut got: Vec<_> = ranks.iter().map(|r| (r.place_id, r.student_ids.clone(), r.ranked_at)).collect();
    got.sort();
    let mut want = vec![(p1, vec![s2, s1], T0 + 5), (p2, vec![s2], T0 + 6)];
    want.sort();
    assert_eq!(got, want);

    let rows = vec![
        AllocationRecord { round_id: round, student_id: s1, place_id: Some(p1), certificate_json: "{\"a\":1}".into() },
        AllocationRecord { round_id: round, student_id: s2, place_id: None, certificate_json: "{}".into() },
    ];
    let mut tx = store.begin().await.expect("begin");
    tx.save_allocation(round, "{\"inputs\":true}", &rows, staff, T0 + 7).await.expect("save_allocation");
    tx.commit().await.expect("commit");
    let r = c.find_round(round).await.expect("find_round").expect("the round");
    assert_eq!((r.status.as_str(), r.inputs_json.as_deref()), ("allocated", Some("{\"inputs\":true}")));
    assert_eq!((r.allocated_by, r.allocated_at, r.updated_at), (Some(staff), Some(T0 + 7), T0 + 7));
    assert_eq!(c.list_allocations(round).await.expect("list_allocations"), rows);

    // A second run is refused and, rolled back, changes nothing.
    let mut tx = store.begin().await.expect("begin");
    assert_conflict(tx.save_allocation(round, "{}", &[], staff, T0 + 9).await, "a second allocation");
    drop(tx);
    let r = c.find_round(round).await.expect("find_round").expect("the round");
    assert_eq!((r.inputs_json.as_deref(), r.allocated_at), (Some("{\"inputs\":true}"), Some(T0 + 7)));
    assert_eq!(c.list_allocations(round).await.expect("list_allocations").len(), 2);
}

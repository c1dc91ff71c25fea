//! The services marketplace: offerings, service requests and their steps; and the role holders
//! a step notifies.

use std::collections::BTreeSet;

use xiaoqi_domain::org::{MembershipStatus, OrgKind, Role};
use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceKind, ServiceRequestStatus as S};

use super::{T0, add_account, add_org, all, assert_conflict, assert_not_found, assert_page_meta, conn, page, set};
use crate::prelude::*;
use crate::{
    AccountId, NewServiceRequest, OrgId, ServiceOfferingFields, ServiceOfferingFilter, ServiceOfferingRecord,
    ServiceRequestFilter, ServiceRequestRecord, ServiceRequestScope, ServiceStep,
};

fn fields(kind: ServiceKind, title: &str, price_fen: i64) -> ServiceOfferingFields {
    ServiceOfferingFields {
        kind,
        title: title.to_string(),
        description: "数控编程与“五轴加工”培训 / 'quoted' text".to_string(),
        capacity: 40,
        price_fen,
        price_unit: PriceUnit::PerPerson,
    }
}

fn request(offering: Option<i64>, enterprise: OrgId, college: OrgId, by: AccountId, title: &str) -> NewServiceRequest {
    NewServiceRequest {
        offering_id: offering,
        enterprise_org_id: enterprise,
        college_org_id: college,
        kind: ServiceKind::SkillsTraining,
        title: title.to_string(),
        message: Some("希望周末授课".to_string()),
        participants_expected: Some(25),
        preferred_period: Some("2026年3月".to_string()),
        requested_by: by,
        requested_at: T0,
    }
}

/// A college, an enterprise and one account in each.
async fn parties(c: &mut Box<dyn Conn>) -> (OrgId, OrgId, AccountId, AccountId) {
    let college = add_org(c, OrgKind::College, "鹏城职业技术学院").await;
    let enterprise = add_org(c, OrgKind::Enterprise, "创智精密机械").await;
    let teacher = add_account(c, "admin@college.example").await;
    let hr = add_account(c, "hr@enterprise.example").await;
    (college, enterprise, teacher, hr)
}

/// The offerings a filter matches (all pages), as a set; also checks that `total` agrees.
async fn offering_ids(c: &mut Box<dyn Conn>, f: ServiceOfferingFilter) -> BTreeSet<i64> {
    let p = c.list_offerings(&f, all()).await.expect("list_offerings");
    assert_eq!(p.total, p.items.len() as u64, "total of {f:?}");
    set(p.items.iter().map(|o| o.id))
}

/// The requests in scope matching a filter, in list order; also checks that `total` agrees.
async fn request_ids(c: &mut Box<dyn Conn>, scope: ServiceRequestScope, f: ServiceRequestFilter) -> Vec<i64> {
    let p = c.list_service_requests(&scope, &f, all()).await.expect("list_service_requests");
    assert_eq!(p.total, p.items.len() as u64, "total of {scope:?} {f:?}");
    p.items.iter().map(|r| r.id).collect()
}

async fn find(c: &mut Box<dyn Conn>, id: i64) -> ServiceRequestRecord {
    c.find_service_request(id).await.expect("find_service_request").expect("the request")
}

/// An offering is read back as written (money beyond 32 bits included), edited, withdrawn, and
/// listed by kind, college and status.
pub async fn offering_is_created_found_updated_and_listed_by_kind_college_and_status(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, _, admin, _) = parties(&mut c).await;
    let other = add_org(&mut c, OrgKind::College, "珠江轻工").await;
    let f = fields(ServiceKind::SkillsTraining, "五轴加工培训", 9_000_000_000);
    let id = c.create_offering(college, &f, admin, T0).await.expect("create_offering");
    let got = c.find_offering(id).await.expect("find_offering").expect("the offering");
    let want = ServiceOfferingRecord {
        id,
        org_id: college,
        college_name: "鹏城职业技术学院".to_string(),
        fields: f.clone(),
        status: OfferingStatus::Active,
        created_by: admin,
        created_at: T0,
        updated_at: T0,
    };
    assert_eq!(got, want, "round trip");
    assert_eq!(c.find_offering(id + 1000).await.expect("find_offering"), None, "a missing offering is None");

    let free = c
        .create_offering(other, &fields(ServiceKind::TechnicalService, "免费技术诊断", 0), admin, T0 + 1)
        .await
        .expect("create a free offering");
    let edited = ServiceOfferingFields {
        kind: ServiceKind::ManagementConsulting,
        title: "精益生产咨询".to_string(),
        description: "现场诊断".to_string(),
        capacity: 5,
        price_fen: 1,
        price_unit: PriceUnit::PerProject,
    };
    c.update_offering(id, &edited, OfferingStatus::Withdrawn, T0 + 5_000).await.expect("update_offering");
    let got = c.find_offering(id).await.expect("find_offering").expect("the offering");
    assert_eq!(
        got,
        ServiceOfferingRecord { fields: edited, status: OfferingStatus::Withdrawn, updated_at: T0 + 5_000, ..want },
        "after update: created_at and created_by kept"
    );
    assert_not_found(
        c.update_offering(id + 1000, &f, OfferingStatus::Active, T0).await,
        "update_offering of a missing id",
    );

    assert_eq!(offering_ids(&mut c, ServiceOfferingFilter::default()).await, set([id, free]), "no filter");
    let f = ServiceOfferingFilter { kind: Some(ServiceKind::TechnicalService), ..Default::default() };
    assert_eq!(offering_ids(&mut c, f).await, set([free]), "by kind");
    let f = ServiceOfferingFilter { college: Some(college), ..Default::default() };
    assert_eq!(offering_ids(&mut c, f).await, set([id]), "by college");
    let f = ServiceOfferingFilter { status: Some(OfferingStatus::Active), ..Default::default() };
    assert_eq!(offering_ids(&mut c, f).await, set([free]), "by status");
    let f =
        ServiceOfferingFilter { status: Some(OfferingStatus::Withdrawn), college: Some(other), ..Default::default() };
    assert!(offering_ids(&mut c, f).await.is_empty(), "filters combine with AND");
    assert_conflict(
        c.create_offering(college + 1000, &fields(ServiceKind::TrainingBase, "无主", 0), admin, T0).await,
        "an offering of a missing organisation",
    );
}

/// Offerings of colleges outside the alliance are left out when asked; pages come newest first.
pub async fn offerings_are_paged_newest_first_and_member_colleges_filtered(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, _, admin, _) = parties(&mut c).await;
    let outsider = add_org(&mut c, OrgKind::College, "未入盟学院").await;
    c.set_membership_status(college, MembershipStatus::Member, T0).await.expect("set_membership_status");
    let mut made = Vec::new();
    for i in 0..5 {
        let f = fields(ServiceKind::SkillsTraining, &format!("课程{i}"), 100 * i);
        made.push(c.create_offering(college, &f, admin, T0 + i).await.expect("create_offering"));
    }
    let hidden = c
        .create_offering(outsider, &fields(ServiceKind::SkillsTraining, "外部课程", 0), admin, T0 + 10)
        .await
        .expect("create_offering outside");
    let members = ServiceOfferingFilter { member_colleges_only: true, ..Default::default() };
    let p = c.list_offerings(&members, all()).await.expect("list_offerings");
    assert!(!p.items.iter().any(|o| o.id == hidden), "the non-member college's offering is left out");
    assert_eq!(p.total, 5);
    let everyone = c.list_offerings(&ServiceOfferingFilter::default(), all()).await.expect("list_offerings");
    assert_eq!(everyone.items.first().map(|o| o.id), Some(hidden), "newest first");

    let req = page(2, 2);
    let p = c.list_offerings(&members, req).await.expect("list_offerings page");
    assert_page_meta(&p, req, 5, 2, "second page of two");
    assert_eq!(p.items.iter().map(|o| o.id).collect::<Vec<_>>(), vec![made[2], made[1]], "newest first");
}

/// A request (and an invitation, without an offering) is read back with the parties' names.
pub async fn service_request_is_created_and_found_with_party_names(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, enterprise, admin, hr) = parties(&mut c).await;
    let offering = c
        .create_offering(college, &fields(ServiceKind::SkillsTraining, "数控培训", 50_000), admin, T0)
        .await
        .expect("create_offering");
    let new = request(Some(offering), enterprise, college, hr, "数控培训（创智）");
    let id = c.create_service_request(&new).await.expect("create_service_request");
    let got = find(&mut c, id).await;
    let want = ServiceRequestRecord {
        id,
        offering_id: Some(offering),
        enterprise_org_id: enterprise,
        enterprise_name: "创智精密机械".to_string(),
        college_org_id: college,
        college_name: "鹏城职业技术学院".to_string(),
        kind: ServiceKind::SkillsTraining,
        title: "数控培训（创智）".to_string(),
        message: Some("希望周末授课".to_string()),
        participants_expected: Some(25),
        preferred_period: Some("2026年3月".to_string()),
        status: S::Requested,
        decline_reason: None,
        cancel_reason: None,
        scheduled_start: None,
        scheduled_end: None,
        delivered_hours_tenths: None,
        delivered_participants: None,
        rating: None,
        rating_comment: None,
        requested_by: hr,
        requested_at: T0,
        accepted_by: None,
        accepted_at: None,
        declined_by: None,
        declined_at: None,
        scheduled_by: None,
        scheduled_at: None,
        delivered_by: None,
        delivered_at: None,
        rated_by: None,
        rated_at: None,
        cancelled_by: None,
        cancelled_at: None,
        updated_at: T0,
    };
    assert_eq!(got, want, "round trip");

    let invitation = NewServiceRequest { offering_id: None, message: None, participants_expected: None, ..new };
    let inv = c.create_service_request(&invitation).await.expect("an invitation without an offering");
    let got = find(&mut c, inv).await;
    assert_eq!((got.offering_id, got.message, got.participants_expected), (None, None, None), "invitation");
    assert_eq!(c.find_service_request(inv + 1000).await.expect("find_service_request"), None);

    let bad = NewServiceRequest { offering_id: Some(offering + 1000), ..invitation.clone() };
    assert_conflict(c.create_service_request(&bad).await, "a request for a missing offering");
    let bad = NewServiceRequest { college_org_id: college + 1000, ..invitation };
    assert_conflict(c.create_service_request(&bad).await, "a request to a missing college");
}

/// A party sees the requests it is in, from either side; the alliance sees all; filters combine.
pub async fn service_requests_are_listed_per_party_and_filtered(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, enterprise, _, hr) = parties(&mut c).await;
    let other_college = add_org(&mut c, OrgKind::College, "另一学院").await;
    let other_enterprise = add_org(&mut c, OrgKind::Enterprise, "另一企业").await;
    let a = c.create_service_request(&request(None, enterprise, college, hr, "甲")).await.expect("create a");
    let mut b_new = request(None, other_enterprise, college, hr, "乙");
    b_new.kind = ServiceKind::TechnicalService;
    b_new.requested_at = T0 + 1;
    let b = c.create_service_request(&b_new).await.expect("create b");
    let mut x_new = request(None, other_enterprise, other_college, hr, "丙");
    x_new.requested_at = T0 + 2;
    let x = c.create_service_request(&x_new).await.expect("create x");
    c.advance_service_request(a, S::Requested, S::Accepted, &ServiceStep::Accept, hr, T0 + 10).await.expect("accept a");

    let no_filter = ServiceRequestFilter::default();
    use ServiceRequestScope::{Alliance, Parties};
    let got = request_ids(&mut c, Parties(vec![enterprise]), no_filter.clone()).await;
    assert_eq!(got, vec![a], "the enterprise sees its own request");
    let got = request_ids(&mut c, Parties(vec![college]), no_filter.clone()).await;
    assert_eq!(got, vec![a, b], "the college sees both requests to it, most recently changed first");
    let got = request_ids(&mut c, Parties(vec![enterprise, other_college]), no_filter.clone()).await;
    assert_eq!(set(got), set([a, x]), "either side of several organisations");
    let got = request_ids(&mut c, Parties(vec![]), no_filter.clone()).await;
    assert!(got.is_empty(), "no organisation, no requests");
    let got = request_ids(&mut c, Alliance, no_filter).await;
    assert_eq!(set(got), set([a, b, x]), "the alliance sees all");
    let f = ServiceRequestFilter { status: Some(S::Requested), kind: None };
    assert_eq!(request_ids(&mut c, Parties(vec![college]), f).await, vec![b], "by status");
    let f = ServiceRequestFilter { status: None, kind: Some(ServiceKind::TechnicalService) };
    assert_eq!(request_ids(&mut c, Alliance, f).await, vec![b], "by kind");
    let req = page(1, 1);
    let p = c
        .list_service_requests(&ServiceRequestScope::Alliance, &ServiceRequestFilter::default(), req)
        .await
        .expect("page");
    assert_page_meta(&p, req, 3, 1, "paged");
}

/// Each step records its values and who took it when; the whole lifecycle is kept.
pub async fn service_request_steps_record_values_who_and_when(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, enterprise, admin, hr) = parties(&mut c).await;
    let id = c.create_service_request(&request(None, enterprise, college, hr, "培训")).await.expect("create");
    let steps = [
        (S::Requested, S::Accepted, ServiceStep::Accept, admin),
        (S::Accepted, S::Scheduled, ServiceStep::Schedule { start: T0 + 100, end: T0 + 200 }, admin),
        (S::Scheduled, S::Scheduled, ServiceStep::Schedule { start: T0 + 300, end: T0 + 400 }, admin),
        (S::Scheduled, S::Delivered, ServiceStep::Deliver { hours_tenths: 125, participants: 24 }, admin),
        (S::Delivered, S::Rated, ServiceStep::Rate { rating: 5, comment: Some("很实用".to_string()) }, hr),
    ];
    for (i, (from, to, step, by)) in steps.iter().enumerate() {
        let at = T0 + 1_000 * (i as i64 + 1);
        c.advance_service_request(id, *from, *to, step, *by, at).await.unwrap_or_else(|e| panic!("{step:?}: {e}"));
        let got = find(&mut c, id).await;
        assert_eq!((got.status, got.updated_at), (*to, at), "after {step:?}");
    }
    let r = find(&mut c, id).await;
    assert_eq!((r.accepted_by, r.accepted_at), (Some(admin), Some(T0 + 1_000)));
    assert_eq!((r.scheduled_start, r.scheduled_end), (Some(T0 + 300), Some(T0 + 400)), "rescheduled");
    assert_eq!((r.scheduled_by, r.scheduled_at), (Some(admin), Some(T0 + 3_000)), "the last scheduling counts");
    assert_eq!((r.delivered_hours_tenths, r.delivered_participants), (Some(125), Some(24)));
    assert_eq!((r.delivered_by, r.delivered_at), (Some(admin), Some(T0 + 4_000)));
    assert_eq!((r.rating, r.rating_comment.as_deref()), (Some(5), Some("很实用")));
    assert_eq!((r.rated_by, r.rated_at), (Some(hr), Some(T0 + 5_000)));
    assert_eq!((r.declined_by, r.cancelled_by, r.decline_reason, r.cancel_reason), (None, None, None, None));
    assert_eq!((r.requested_by, r.requested_at), (hr, T0), "the request itself is kept");

    let declined = c.create_service_request(&request(None, enterprise, college, hr, "婉拒")).await.expect("create");
    let step = ServiceStep::Decline { reason: "师资已排满".to_string() };
    c.advance_service_request(declined, S::Requested, S::Declined, &step, admin, T0 + 9).await.expect("decline");
    let r = find(&mut c, declined).await;
    assert_eq!(
        (r.status, r.decline_reason.as_deref(), r.declined_by, r.declined_at),
        (S::Declined, Some("师资已排满"), Some(admin), Some(T0 + 9))
    );
    let cancelled = c.create_service_request(&request(None, enterprise, college, hr, "取消")).await.expect("create");
    let step = ServiceStep::Cancel { reason: None };
    c.advance_service_request(cancelled, S::Requested, S::Cancelled, &step, hr, T0 + 7).await.expect("cancel");
    let r = find(&mut c, cancelled).await;
    assert_eq!((r.status, r.cancel_reason, r.cancelled_by), (S::Cancelled, None, Some(hr)), "no reason is NULL");
}

/// A step from a status the request is no longer in changes nothing and is `NotFound`.
pub async fn service_request_step_from_a_stale_status_changes_nothing(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, enterprise, admin, hr) = parties(&mut c).await;
    let id = c.create_service_request(&request(None, enterprise, college, hr, "竞争")).await.expect("create");
    c.advance_service_request(id, S::Requested, S::Accepted, &ServiceStep::Accept, admin, T0 + 1)
        .await
        .expect("accept");
    let before = find(&mut c, id).await;
    let decline = ServiceStep::Decline { reason: "晚了一步".to_string() };
    assert_not_found(
        c.advance_service_request(id, S::Requested, S::Declined, &decline, admin, T0 + 2).await,
        "declining a request accepted in the meantime",
    );
    assert_not_found(
        c.advance_service_request(id + 1000, S::Requested, S::Accepted, &ServiceStep::Accept, admin, T0).await,
        "a step on a missing request",
    );
    assert_eq!(find(&mut c, id).await, before, "the refused step changed nothing");
}

/// The holders of given roles in one organisation, each once.
pub async fn role_holders_are_listed_per_org_and_role(store: &dyn Store) {
    let mut c = conn(store).await;
    let (college, enterprise, admin, hr) = parties(&mut c).await;
    let leader = add_account(&mut c, "leader@college.example").await;
    let student = add_account(&mut c, "student@college.example").await;
    c.grant_role(admin, college, Role::OrgAdmin).await.expect("grant");
    c.grant_role(admin, college, Role::ProgrammeLeader).await.expect("grant");
    c.grant_role(leader, college, Role::ProgrammeLeader).await.expect("grant");
    c.grant_role(student, college, Role::Student).await.expect("grant");
    c.grant_role(hr, enterprise, Role::OrgAdmin).await.expect("grant");
    let staff = [Role::OrgAdmin, Role::ProgrammeLeader];
    let mut got = c.list_role_holders(college, &staff).await.expect("list_role_holders");
    got.sort_unstable();
    let mut want = vec![admin, leader];
    want.sort_unstable();
    assert_eq!(got, want, "each holder once, students left out, other organisations left out");
    assert_eq!(c.list_role_holders(college, &[Role::Student]).await.expect("list_role_holders"), vec![student]);
    assert!(c.list_role_holders(college, &[]).await.expect("no roles").is_empty());
    assert!(c.list_role_holders(enterprise + 1000, &staff).await.expect("missing org").is_empty());
}

//! Accounts, role grants, members, students and membership applications.

use std::collections::BTreeSet;

use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, OrgKind, Role};

use super::{
    T0, add_account, add_org, all, assert_conflict, assert_not_found, assert_page_meta, conn, new_account, page, set,
};
use crate::ReadScope;
use crate::prelude::*;
use crate::{AccountRecord, ApplicationRecord, NewAccount, RoleGrant, StudentRecord};

/// Roles as a set of codes, for comparisons that do not depend on order.
fn role_set(roles: &[Role]) -> BTreeSet<&'static str> {
    roles.iter().map(|r| r.as_str()).collect()
}

/// An account is read back unchanged by id, email and mobile; unknown keys find nothing.
pub async fn account_created_is_found_by_id_email_and_mobile(store: &dyn Store) {
    let mut c = conn(store).await;
    let input = NewAccount {
        email: Some("li.lei@example.com".to_string()),
        mobile: Some("13800138000".to_string()),
        display_name: "李雷 Li Lei".to_string(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".to_string(),
        must_change_password: true,
        created_at: T0,
    };
    let id = c.create_account(&input).await.expect("create_account");
    let want = AccountRecord {
        id,
        email: input.email.clone(),
        mobile: input.mobile.clone(),
        display_name: input.display_name.clone(),
        password_hash: input.password_hash.clone(),
        must_change_password: true,
        disabled: false,
        created_at: T0,
    };
    assert_eq!(c.find_account(id).await.expect("find_account"), Some(want.clone()), "by id");
    let by_email = c.find_account_by_email("li.lei@example.com").await.expect("find_account_by_email");
    assert_eq!(by_email, Some(want.clone()), "by email");
    let by_mobile = c.find_account_by_mobile("13800138000").await.expect("find_account_by_mobile");
    assert_eq!(by_mobile, Some(want), "by mobile");

    assert_eq!(c.find_account(id + 1000).await.expect("find_account"), None, "missing id");
    assert_eq!(c.find_account_by_email("han.meimei@example.com").await.expect("by email"), None, "missing email");
    assert_eq!(c.find_account_by_mobile("13900139000").await.expect("by mobile"), None, "missing mobile");

    // Accounts with only a mobile number or only an email.
    let mobile_only = c.create_account(&new_account(None, Some("13700137000"), "韩梅梅")).await.expect("mobile only");
    let email_only = c.create_account(&new_account(Some("lily@example.com"), None, "Lily")).await.expect("email only");
    let got = c.find_account_by_mobile("13700137000").await.expect("by mobile").expect("the mobile-only account");
    assert_eq!((got.id, got.email, got.must_change_password), (mobile_only, None, false));
    let got = c.find_account_by_email("lily@example.com").await.expect("by email").expect("the email-only account");
    assert_eq!((got.id, got.mobile), (email_only, None));
}

/// Email and mobile number are unique; many accounts may lack one of them.
pub async fn account_duplicate_email_or_mobile_conflicts(store: &dyn Store) {
    let mut c = conn(store).await;
    c.create_account(&new_account(Some("dup@example.com"), Some("13800000001"), "甲")).await.expect("first account");
    assert_conflict(
        c.create_account(&new_account(Some("dup@example.com"), Some("13800000002"), "乙")).await,
        "create_account with a taken email",
    );
    assert_conflict(
        c.create_account(&new_account(Some("other@example.com"), Some("13800000001"), "丙")).await,
        "create_account with a taken mobile",
    );
    // NULL is not a value: several accounts without email (or without mobile) coexist.
    c.create_account(&new_account(None, Some("13800000003"), "丁")).await.expect("no email, 1");
    c.create_account(&new_account(None, Some("13800000004"), "戊")).await.expect("no email, 2");
    c.create_account(&new_account(Some("a@example.com"), None, "己")).await.expect("no mobile, 1");
    c.create_account(&new_account(Some("b@example.com"), None, "庚")).await.expect("no mobile, 2");
    let other = c.find_account_by_email("other@example.com").await.expect("find_account_by_email");
    assert_eq!(other, None, "the refused account was not kept");
}

/// `update_password` and `update_account_name` change only their fields; a missing id is `NotFound`.
pub async fn account_password_and_name_are_updated(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut input = new_account(Some("wang@example.com"), Some("13600136000"), "王五");
    input.must_change_password = true;
    let id = c.create_account(&input).await.expect("create_account");
    c.update_password(id, "$argon2id$new-hash", false).await.expect("update_password");
    let got = c.find_account(id).await.expect("find_account").expect("the account");
    assert_eq!((got.password_hash.as_str(), got.must_change_password), ("$argon2id$new-hash", false));
    c.update_password(id, "$argon2id$temporary", true).await.expect("update_password to a temporary one");
    let got = c.find_account(id).await.expect("find_account").expect("the account");
    assert_eq!((got.password_hash.as_str(), got.must_change_password), ("$argon2id$temporary", true));
    assert!(!c.replace_password_hash(id, "$argon2id$other", "$x$used").await.expect("replace"), "not the stored hash");
    assert!(c.replace_password_hash(id, "$argon2id$temporary", "$x$used").await.expect("replace"));
    assert!(!c.replace_password_hash(id, "$argon2id$temporary", "$x$used").await.expect("replace"), "only once");
    c.update_password(id, "$argon2id$temporary", true).await.expect("update_password to a temporary one");

    c.update_account_name(id, "王小五").await.expect("update_account_name");
    let got = c.find_account(id).await.expect("find_account").expect("the account");
    let want = AccountRecord {
        id,
        email: input.email,
        mobile: input.mobile,
        display_name: "王小五".to_string(),
        password_hash: "$argon2id$temporary".to_string(),
        must_change_password: true,
        disabled: false,
        created_at: T0,
    };
    assert_eq!(got, want, "after both updates");

    assert_not_found(c.update_password(id + 1000, "x", false).await, "update_password of a missing account");
    assert_not_found(c.update_account_name(id + 1000, "x").await, "update_account_name of a missing account");
}

/// Granting a role twice keeps a single grant.
pub async fn role_grant_is_idempotent(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = add_org(&mut c, OrgKind::College, "深圳职业技术大学").await;
    let acc = add_account(&mut c, "teacher@example.com").await;
    c.grant_role(acc, org, Role::Teacher).await.expect("grant_role");
    c.grant_role(acc, org, Role::Teacher).await.expect("grant_role again");
    let roles = c.list_roles(acc).await.expect("list_roles");
    assert_eq!(roles.len(), 1, "one grant after granting twice: {roles:?}");
    let members = c.list_members(org, all()).await.expect("list_members");
    assert_eq!(members.total, 1);
    assert_eq!(members.items[0].roles, vec![Role::Teacher], "one role after granting twice");
}

/// Revoking removes exactly that grant; revoking a grant that does not exist is `NotFound`.
pub async fn role_revoke_removes_the_grant_and_missing_is_not_found(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = add_org(&mut c, OrgKind::College, "广东轻工职业技术大学").await;
    let other = add_org(&mut c, OrgKind::College, "广州番禺职业技术学院").await;
    let acc = add_account(&mut c, "admin@example.com").await;
    c.grant_role(acc, org, Role::OrgAdmin).await.expect("grant OrgAdmin");
    c.grant_role(acc, org, Role::Teacher).await.expect("grant Teacher");
    c.grant_role(acc, other, Role::Teacher).await.expect("grant Teacher elsewhere");
    c.revoke_role(acc, org, Role::Teacher).await.expect("revoke_role");
    let mut left: Vec<(i64, &str)> =
        c.list_roles(acc).await.expect("list_roles").iter().map(|g| (g.org_id, g.role.as_str())).collect();
    left.sort();
    let mut want = vec![(org, "org_admin"), (other, "teacher")];
    want.sort();
    assert_eq!(left, want, "only the revoked grant is gone");
    assert_not_found(c.revoke_role(acc, org, Role::Teacher).await, "revoking the same grant again");
    assert_not_found(c.revoke_role(acc, org, Role::Student).await, "revoking a role never granted");
    assert_not_found(c.revoke_role(acc + 1000, org, Role::OrgAdmin).await, "revoking for a missing account");
}

/// `list_roles` gives each grant with the organisation's name and kind.
pub async fn role_list_joins_org_name_and_kind(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "深圳信息职业技术学院").await;
    let firm = add_org(&mut c, OrgKind::Enterprise, "华为技术有限公司").await;
    let acc = add_account(&mut c, "mentor@example.com").await;
    let bystander = add_account(&mut c, "bystander@example.com").await;
    c.grant_role(acc, college, Role::Teacher).await.expect("grant");
    c.grant_role(acc, firm, Role::EnterpriseMentor).await.expect("grant");
    c.grant_role(acc, college, Role::OrgAdmin).await.expect("grant");
    c.grant_role(bystander, firm, Role::EnterpriseHr).await.expect("grant");
    let key = |g: &RoleGrant| (g.org_id, g.role.as_str());
    let mut got = c.list_roles(acc).await.expect("list_roles");
    got.sort_by_key(key);
    let grant =
        |org_id, org_name: &str, org_kind, role| RoleGrant { org_id, org_name: org_name.to_string(), org_kind, role };
    let mut want = vec![
        grant(college, "深圳信息职业技术学院", OrgKind::College, Role::Teacher),
        grant(firm, "华为技术有限公司", OrgKind::Enterprise, Role::EnterpriseMentor),
        grant(college, "深圳信息职业技术学院", OrgKind::College, Role::OrgAdmin),
    ];
    want.sort_by_key(key);
    assert_eq!(got, want, "grants of the account");
    let none = add_account(&mut c, "nobody@example.com").await;
    assert!(c.list_roles(none).await.expect("list_roles").is_empty(), "an account without grants");
}

/// A grant must name an existing account and organisation (foreign keys are enforced).
pub async fn role_grant_to_missing_org_or_account_conflicts(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = add_org(&mut c, OrgKind::Enterprise, "某企业").await;
    let acc = add_account(&mut c, "someone@example.com").await;
    assert_conflict(c.grant_role(acc, org + 1000, Role::Member).await, "grant_role in a missing organisation");
    assert_conflict(c.grant_role(acc + 1000, org, Role::Member).await, "grant_role to a missing account");
    assert!(c.list_roles(acc).await.expect("list_roles").is_empty(), "nothing was granted");
}

/// `list_members` pages the accounts holding a role in the organisation, each with its roles there.
pub async fn members_are_paged_with_roles_grouped_per_account(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = add_org(&mut c, OrgKind::College, "成员学院").await;
    let other = add_org(&mut c, OrgKind::College, "别的学院").await;
    let empty = add_org(&mut c, OrgKind::College, "空学院").await;
    let a1 = add_account(&mut c, "a1@example.com").await;
    let a2 = add_account(&mut c, "a2@example.com").await;
    let a3 = add_account(&mut c, "a3@example.com").await;
    let a4 = add_account(&mut c, "a4@example.com").await;
    for (acc, o, role) in [
        (a1, org, Role::OrgAdmin),
        (a1, org, Role::Teacher),
        (a1, org, Role::CareerOfficer),
        (a2, org, Role::Student),
        (a3, org, Role::Member),
        (a1, other, Role::Member),
        (a4, other, Role::Teacher),
    ] {
        c.grant_role(acc, o, role).await.expect("grant_role");
    }
    let expected_roles = |acc: i64| -> BTreeSet<&'static str> {
        match acc {
            a if a == a1 => ["org_admin", "teacher", "career_officer"].into(),
            a if a == a2 => ["student"].into(),
            a if a == a3 => ["member"].into(),
            _ => BTreeSet::new(),
        }
    };

    let mut seen = Vec::new();
    for (req, len) in [(page(2, 0), 2), (page(2, 2), 1), (page(2, 4), 0)] {
        let p = c.list_members(org, req).await.expect("list_members");
        assert_page_meta(&p, req, 3, len, &format!("members {req:?}"));
        for m in p.items {
            let stored = c.find_account(m.account.id).await.expect("find_account");
            assert_eq!(Some(&m.account), stored.as_ref(), "the member's account record");
            assert_eq!(role_set(&m.roles), expected_roles(m.account.id), "roles of account {}", m.account.id);
            assert_eq!(m.roles.len(), role_set(&m.roles).len(), "no role is listed twice");
            seen.push(m.account.id);
        }
    }
    assert_eq!(seen.len(), 3, "pages do not repeat members: {seen:?}");
    assert_eq!(set(seen), set([a1, a2, a3]), "pages cover every member");

    let p = c.list_members(other, all()).await.expect("list_members");
    let got: BTreeSet<(i64, BTreeSet<&str>)> = p.items.iter().map(|m| (m.account.id, role_set(&m.roles))).collect();
    let want: BTreeSet<(i64, BTreeSet<&str>)> = [(a1, ["member"].into()), (a4, ["teacher"].into())].into();
    assert_eq!((p.total, got), (2, want), "members of the other college hold only their roles there");

    let p = c.list_members(empty, all()).await.expect("list_members");
    assert_page_meta(&p, all(), 0, 0, "an organisation without members");
}

/// A student record is found by its number within the college.
pub async fn student_is_found_by_number(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "学生学院").await;
    let other = add_org(&mut c, OrgKind::College, "另一学院").await;
    let class = c.create_class(college, None, "软件2401", 2024).await.expect("create_class");
    let s1 = add_account(&mut c, "s1@example.com").await;
    let s2 = add_account(&mut c, "s2@example.com").await;
    let r1 =
        StudentRecord { account_id: s1, org_id: college, student_no: "2024010001".to_string(), class_id: Some(class) };
    let r2 = StudentRecord { account_id: s2, org_id: college, student_no: "2024010002".to_string(), class_id: None };
    c.create_student(&r1).await.expect("create_student with a class");
    c.create_student(&r2).await.expect("create_student without a class");
    assert_eq!(c.find_student_by_no(college, "2024010001").await.expect("find"), Some(r1), "with a class");
    assert_eq!(c.find_student_by_no(college, "2024010002").await.expect("find"), Some(r2), "without a class");
    assert_eq!(c.find_student_by_no(college, "2024019999").await.expect("find"), None, "unknown number");
    assert_eq!(c.find_student_by_no(other, "2024010001").await.expect("find"), None, "number of another college");
}

/// A student number is unique within a college, may repeat across colleges, and an account is one student.
pub async fn student_number_is_unique_within_an_org(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "甲学院").await;
    let other = add_org(&mut c, OrgKind::College, "乙学院").await;
    let s1 = add_account(&mut c, "s1@example.com").await;
    let s2 = add_account(&mut c, "s2@example.com").await;
    let s3 = add_account(&mut c, "s3@example.com").await;
    let rec =
        |account_id, org_id, no: &str| StudentRecord { account_id, org_id, student_no: no.to_string(), class_id: None };
    c.create_student(&rec(s1, college, "001")).await.expect("first student");
    assert_conflict(c.create_student(&rec(s2, college, "001")).await, "same number in the same college");
    c.create_student(&rec(s2, other, "001")).await.expect("same number in another college");
    assert_conflict(c.create_student(&rec(s1, college, "002")).await, "the same account as a second student");
    assert_conflict(c.create_student(&rec(s3, college + 1000, "003")).await, "a student of a missing college");
    let found = c.find_student_by_no(college, "001").await.expect("find").expect("the first student");
    assert_eq!(found.account_id, s1, "the refused student did not replace the first");
    assert_eq!(c.find_student_by_no(other, "001").await.expect("find").map(|s| s.account_id), Some(s2));
}

/// Applications are stored pending, found with the organisation's name, and listed by status and org.
pub async fn application_is_created_found_and_listed_by_status_and_org(store: &dyn Store) {
    let mut c = conn(store).await;
    let o1 = add_org(&mut c, OrgKind::Enterprise, "申请企业甲").await;
    let o2 = add_org(&mut c, OrgKind::College, "申请学院乙").await;
    let applicant = add_account(&mut c, "applicant@example.com").await;
    let app1 = c.create_application(o1, applicant, Some("请批准入盟 \"谢谢\""), T0).await.expect("create_application");
    let app2 = c.create_application(o2, applicant, None, T0 + 1_000).await.expect("create_application");
    let got = c.find_application(&ReadScope::Everything, app1).await.expect("find_application");
    let want = ApplicationRecord {
        id: app1,
        org_id: o1,
        org_name: "申请企业甲".to_string(),
        applicant_id: applicant,
        message: Some("请批准入盟 \"谢谢\"".to_string()),
        status: ApplicationStatus::Pending,
        reason: None,
        decided_by: None,
        created_at: T0,
        decided_at: None,
    };
    assert_eq!(got, Some(want), "the stored application");
    for (account, orgs, seen) in
        [(applicant, vec![], true), (applicant + 1, vec![o1], true), (applicant + 1, vec![o2], false)]
    {
        let s = ReadScope::Member { account, orgs: orgs.clone() };
        let found = c.find_application(&s, app1).await.expect("find_application").is_some();
        assert_eq!(found, seen, "the application read by {account} through {orgs:?}: its organisation or applicant");
    }
    assert_eq!(
        c.find_application(&ReadScope::Everything, app2 + 1000).await.expect("find_application"),
        None,
        "missing id"
    );

    let cases = [
        ("pending", Some(ApplicationStatus::Pending), None, set([app1, app2])),
        ("approved", Some(ApplicationStatus::Approved), None, set([])),
        ("any status", None, None, set([app1, app2])),
        ("of o1", None, Some(o1), set([app1])),
        ("pending of o2", Some(ApplicationStatus::Pending), Some(o2), set([app2])),
        ("of a missing org", None, Some(o2 + 1000), set([])),
    ];
    for (what, status, org, want) in cases {
        let p = c.list_applications(status, org, all()).await.expect("list_applications");
        assert_eq!(p.total, want.len() as u64, "{what}: total");
        assert_eq!(set(p.items.iter().map(|a| a.id)), want, "{what}");
    }
    let p = c.list_applications(None, None, page(1, 1)).await.expect("list_applications");
    assert_page_meta(&p, page(1, 1), 2, 1, "second page of one");
    assert_conflict(c.create_application(o1 + 1000, applicant, None, T0).await, "an application of a missing org");
}

/// A pending application is decided once; deciding it again is `NotFound` and changes nothing.
/// An organisation has at most one pending application at a time.
pub async fn application_is_decided_only_once(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = add_org(&mut c, OrgKind::Enterprise, "待审企业").await;
    let applicant = add_account(&mut c, "applicant@example.com").await;
    let admin = add_account(&mut c, "admin@example.com").await;
    let second_admin = add_account(&mut c, "admin2@example.com").await;
    let app = c.create_application(org, applicant, None, T0).await.expect("create_application");
    assert_conflict(
        c.create_application(org, applicant, Some("重复申请"), T0 + 1).await,
        "a second pending application of the same organisation",
    );

    c.decide_application(app, ApplicationStatus::Approved, Some("材料齐全"), admin, T0 + 60_000)
        .await
        .expect("decide_application");
    let decided =
        c.find_application(&ReadScope::Everything, app).await.expect("find_application").expect("the application");
    assert_eq!(
        (decided.status, decided.reason.as_deref(), decided.decided_by, decided.decided_at),
        (ApplicationStatus::Approved, Some("材料齐全"), Some(admin), Some(T0 + 60_000)),
        "the decision is recorded"
    );
    assert_not_found(
        c.decide_application(app, ApplicationStatus::Rejected, Some("改主意"), second_admin, T0 + 120_000).await,
        "deciding an application twice",
    );
    let after =
        c.find_application(&ReadScope::Everything, app).await.expect("find_application").expect("the application");
    assert_eq!(after, decided, "the second decision changed nothing");
    let other =
        c.create_application(org, applicant, Some("再次申请"), T0 + 1).await.expect("a new application once decided");

    c.decide_application(other, ApplicationStatus::Rejected, None, second_admin, T0 + 2)
        .await
        .expect("reject the other application");
    assert_not_found(
        c.decide_application(other, ApplicationStatus::Approved, None, admin, T0 + 3).await,
        "approving a rejected application",
    );
    assert_not_found(
        c.decide_application(other + 1000, ApplicationStatus::Approved, None, admin, T0).await,
        "deciding a missing application",
    );
    let count = async |c: &mut Box<dyn Conn>, s: ApplicationStatus| {
        c.list_applications(Some(s), None, all()).await.expect("list").total
    };
    assert_eq!(count(&mut c, ApplicationStatus::Pending).await, 0);
    assert_eq!(count(&mut c, ApplicationStatus::Approved).await, 1);
    assert_eq!(count(&mut c, ApplicationStatus::Rejected).await, 1);
    // The organisation's membership is the app's business, not the store's.
    let o = c.find_org(org).await.expect("find_org").expect("the organisation");
    assert_eq!(o.membership, MembershipStatus::None);
}

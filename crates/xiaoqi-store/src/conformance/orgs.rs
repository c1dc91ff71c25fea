//! Organisations, the member directory and transactions.

use xiaoqi_domain::org::{MembershipStatus, OrgKind};

use super::{
    T0, add_account, add_org, all, assert_conflict, assert_not_found, assert_page_meta, conn, page, profile, set,
};
use crate::prelude::*;
use crate::{OrgFilter, OrgId, OrgProfile, OrgRecord};

/// A profile with every field set, values chosen to catch truncation and type mix-ups.
fn full_profile() -> OrgProfile {
    OrgProfile {
        kind: OrgKind::Enterprise,
        name: "深圳智造科技有限公司".to_string(),
        name_en: Some("Shenzhen Smart Manufacturing Co., Ltd.".to_string()),
        region_code: Some("440305".to_string()),
        description: Some("工业机器人与“智能产线”集成 / industrial robots, 'quoted' text".to_string()),
        website: Some("https://zhizao.example.cn/".to_string()),
        industry: Some("industry".to_string()),
        employees: Some(320),
        // Beyond 32 bits: money is stored as 64-bit integers of fen.
        revenue_fen: Some(1_250_000_000_000),
        assets_fen: Some(9_000_000_000_000_000),
        credit_code: Some("91440300MA5FXXXX1X".to_string()),
        size_class: Some("medium".to_string()),
    }
}

/// The ids of a directory page, in page order.
fn ids(p: &xiaoqi_domain::page::Page<OrgRecord>) -> Vec<OrgId> {
    p.items.iter().map(|o| o.id).collect()
}

/// The ids matched by a filter (all pages), as a set; also checks that `total` agrees.
async fn matching(c: &mut Box<dyn Conn>, f: &OrgFilter) -> std::collections::BTreeSet<OrgId> {
    let p = c.list_orgs(f, all()).await.expect("list_orgs");
    assert_eq!(p.total, p.items.len() as u64, "total of {f:?}");
    set(ids(&p))
}

fn by_name(q: &str) -> OrgFilter {
    OrgFilter { name_contains: Some(q.to_string()), ..OrgFilter::default() }
}

/// An organisation created with every field is read back unchanged, with its membership and times.
pub async fn org_create_then_find_returns_the_same_record(store: &dyn Store) {
    let mut c = conn(store).await;
    let p = full_profile();
    let id = c.create_org(&p, MembershipStatus::Pending, T0).await.expect("create_org");
    let got = c.find_org(id).await.expect("find_org").expect("the organisation just created");
    let want = OrgRecord { id, profile: p, membership: MembershipStatus::Pending, created_at: T0, updated_at: T0 };
    assert_eq!(got, want, "full profile round trip");

    let minimal = profile(OrgKind::College, "最小学院");
    let id2 = c.create_org(&minimal, MembershipStatus::None, T0 + 1).await.expect("create_org minimal");
    assert_ne!(id, id2, "ids are distinct");
    let got = c.find_org(id2).await.expect("find_org").expect("the minimal organisation");
    let want = OrgRecord {
        id: id2,
        profile: minimal,
        membership: MembershipStatus::None,
        created_at: T0 + 1,
        updated_at: T0 + 1,
    };
    assert_eq!(got, want, "profile with every optional field empty round trip");
}

/// Looking up an organisation that does not exist is not an error.
pub async fn org_find_missing_returns_none(store: &dyn Store) {
    let mut c = conn(store).await;
    assert_eq!(c.find_org(1).await.expect("find_org on an empty store"), None);
    let id = add_org(&mut c, OrgKind::Enterprise, "存在的企业").await;
    assert_eq!(c.find_org(id + 1000).await.expect("find_org"), None);
    assert_eq!(c.find_org(-1).await.expect("find_org"), None);
    assert_eq!(c.find_org_by_credit_code("91440300NOTHERE00").await.expect("find_org_by_credit_code"), None);
}

/// An update replaces the profile fields, moves `updated_at` and keeps `created_at` and the membership.
pub async fn org_update_changes_fields_and_updated_at(store: &dyn Store) {
    let mut c = conn(store).await;
    let id = c.create_org(&full_profile(), MembershipStatus::Member, T0).await.expect("create_org");
    let new = OrgProfile {
        kind: OrgKind::Enterprise,
        name: "深圳新智造集团".to_string(),
        name_en: None,
        region_code: Some("440106".to_string()),
        description: None,
        website: None,
        industry: Some("software_it_services".to_string()),
        employees: Some(12),
        revenue_fen: Some(0),
        assets_fen: None,
        credit_code: Some("91440101MA9YYYYY2Y".to_string()),
        size_class: Some("micro".to_string()),
    };
    c.update_org(id, &new, T0 + 5_000).await.expect("update_org");
    let got = c.find_org(id).await.expect("find_org").expect("the updated organisation");
    let want =
        OrgRecord { id, profile: new, membership: MembershipStatus::Member, created_at: T0, updated_at: T0 + 5_000 };
    assert_eq!(got, want, "after update");
    let by_code = c.find_org_by_credit_code("91440101MA9YYYYY2Y").await.expect("find by new credit code");
    assert_eq!(by_code.map(|o| o.id), Some(id), "the new credit code finds the organisation");
    let old = c.find_org_by_credit_code("91440300MA5FXXXX1X").await.expect("find by old credit code");
    assert_eq!(old, None, "the old credit code is gone");
    // The directory searches the new names, not the old ones.
    assert_eq!(matching(&mut c, &by_name("新智造")).await, set([id]), "new Chinese name is searchable");
    assert!(matching(&mut c, &by_name("smart manufacturing")).await.is_empty(), "old English name is forgotten");
    assert!(matching(&mut c, &by_name("深圳智造科技")).await.is_empty(), "old Chinese name is forgotten");
}

/// Updating an organisation that does not exist is `NotFound`.
pub async fn org_update_of_missing_org_is_not_found(store: &dyn Store) {
    let mut c = conn(store).await;
    let id = add_org(&mut c, OrgKind::College, "某学院").await;
    let r = c.update_org(id + 1000, &profile(OrgKind::College, "不存在"), T0).await;
    assert_not_found(r, "update_org of a missing id");
    assert_eq!(c.list_orgs(&OrgFilter::default(), all()).await.expect("list_orgs").total, 1, "nothing was created");
}

/// Two organisations cannot share a unified social credit code; several may have none.
pub async fn org_credit_code_is_unique(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut a = profile(OrgKind::Enterprise, "甲公司");
    a.credit_code = Some("91440300AAAAAAAA1A".to_string());
    let a_id = c.create_org(&a, MembershipStatus::None, T0).await.expect("create the first holder");

    let mut b = profile(OrgKind::Enterprise, "乙公司");
    b.credit_code = a.credit_code.clone();
    assert_conflict(c.create_org(&b, MembershipStatus::None, T0).await, "create_org with a taken credit code");

    b.credit_code = Some("91440300BBBBBBBB2B".to_string());
    let b_id = c.create_org(&b, MembershipStatus::None, T0).await.expect("create with a free credit code");
    let mut stolen = b.clone();
    stolen.credit_code = a.credit_code.clone();
    assert_conflict(c.update_org(b_id, &stolen, T0 + 1).await, "update_org to a taken credit code");
    let b_now = c.find_org(b_id).await.expect("find_org").expect("b");
    assert_eq!(b_now.profile.credit_code, b.credit_code, "the refused update changed nothing");
    assert_eq!(b_now.updated_at, T0, "the refused update changed nothing");

    // Organisations without a credit code (colleges, associations) do not collide.
    add_org(&mut c, OrgKind::College, "丙学院").await;
    add_org(&mut c, OrgKind::College, "丁学院").await;
    let total = c.list_orgs(&OrgFilter::default(), all()).await.expect("list_orgs").total;
    assert_eq!(total, 4);
    assert_ne!(a_id, b_id);
}

/// `find_org_by_credit_code` returns the organisation holding the code.
pub async fn org_found_by_credit_code(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut ids = Vec::new();
    for (name, code) in [("甲公司", "91110000AAAAAAAA1A"), ("乙公司", "91110000BBBBBBBB2B")] {
        let mut p = profile(OrgKind::Enterprise, name);
        p.credit_code = Some(code.to_string());
        ids.push((c.create_org(&p, MembershipStatus::None, T0).await.expect("create_org"), name, code));
    }
    for (id, name, code) in ids {
        let got = c.find_org_by_credit_code(code).await.expect("find_org_by_credit_code").expect("a holder");
        assert_eq!((got.id, got.profile.name.as_str()), (id, name), "holder of {code}");
    }
    let none = c.find_org_by_credit_code("91110000aaaaaaaa1a").await.expect("find_org_by_credit_code");
    assert_eq!(none, None, "a different code finds nothing");
}

/// `set_membership_status` changes the membership and `updated_at`; a missing id is `NotFound`.
pub async fn org_membership_status_is_set(store: &dyn Store) {
    let mut c = conn(store).await;
    let id = add_org(&mut c, OrgKind::Enterprise, "会员企业").await;
    c.set_membership_status(id, MembershipStatus::Member, T0 + 10).await.expect("set_membership_status");
    let got = c.find_org(id).await.expect("find_org").expect("the organisation");
    assert_eq!((got.membership, got.created_at, got.updated_at), (MembershipStatus::Member, T0, T0 + 10));
    assert_eq!(got.profile, profile(OrgKind::Enterprise, "会员企业"), "the profile is untouched");
    assert_not_found(
        c.set_membership_status(id + 1000, MembershipStatus::Rejected, T0).await,
        "set_membership_status of a missing id",
    );
}

/// The directory filters by kind, region, industry, size class and membership, combined with AND.
pub async fn directory_filters_by_kind_region_industry_size_and_membership(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut create = async |kind, name: &str, region: Option<&str>, industry: Option<&str>, size: Option<&str>, m| {
        let mut p = profile(kind, name);
        p.region_code = region.map(str::to_string);
        p.industry = industry.map(str::to_string);
        p.size_class = size.map(str::to_string);
        c.create_org(&p, m, T0).await.expect("create_org")
    };
    use MembershipStatus as M;
    use OrgKind as K;
    let e1 =
        create(K::Enterprise, "甲企业", Some("440305"), Some("software_it_services"), Some("small"), M::Member).await;
    let e2 = create(K::Enterprise, "乙企业", Some("440106"), Some("industry"), Some("micro"), M::None).await;
    let e3 =
        create(K::Enterprise, "丙企业", Some("110105"), Some("software_it_services"), Some("medium"), M::Member).await;
    let c1 = create(K::College, "丁学院", Some("440303"), None, None, M::Member).await;
    let g1 = create(K::Government, "戊部门", None, None, None, M::Pending).await;

    let f = |kind, region: Option<&str>, industry: Option<&str>, size: Option<&str>, membership| OrgFilter {
        kind,
        region_prefix: region.map(str::to_string),
        industry: industry.map(str::to_string),
        size_class: size.map(str::to_string),
        name_contains: None,
        membership,
    };
    let cases = [
        ("no filter", f(None, None, None, None, None), set([e1, e2, e3, c1, g1])),
        ("kind enterprise", f(Some(K::Enterprise), None, None, None, None), set([e1, e2, e3])),
        ("kind college", f(Some(K::College), None, None, None, None), set([c1])),
        ("kind alliance", f(Some(K::Alliance), None, None, None, None), set([])),
        ("industry", f(None, None, Some("software_it_services"), None, None), set([e1, e3])),
        ("size class", f(None, None, None, Some("small"), None), set([e1])),
        ("membership member", f(None, None, None, None, Some(M::Member)), set([e1, e3, c1])),
        ("membership pending", f(None, None, None, None, Some(M::Pending)), set([g1])),
        ("membership rejected", f(None, None, None, None, Some(M::Rejected)), set([])),
        ("kind + region", f(Some(K::Enterprise), Some("44"), None, None, None), set([e1, e2])),
        ("kind + region + membership", f(Some(K::Enterprise), Some("44"), None, None, Some(M::Member)), set([e1])),
        ("industry + size", f(None, None, Some("software_it_services"), Some("medium"), None), set([e3])),
    ];
    for (what, filter, want) in cases {
        assert_eq!(matching(&mut c, &filter).await, want, "{what}: {filter:?}");
    }
}

/// A region prefix matches the codes below it: "44" a province, "4403" a city, a full code itself.
pub async fn directory_region_prefix_matches_codes_below_it(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut with_region = async |name: &str, region: Option<&str>| {
        let mut p = profile(OrgKind::Enterprise, name);
        p.region_code = region.map(str::to_string);
        c.create_org(&p, MembershipStatus::None, T0).await.expect("create_org")
    };
    let nanshan = with_region("南山企业", Some("440305")).await;
    let futian = with_region("福田企业", Some("440304")).await;
    let guangzhou = with_region("广州企业", Some("440106")).await;
    let beijing = with_region("北京企业", Some("110105")).await;
    let _nowhere = with_region("无地区企业", None).await;
    // "4" followed by "4" elsewhere in the code must not match.
    let other = with_region("其他企业", Some("654400")).await;
    let region = |r: &str| OrgFilter { region_prefix: Some(r.to_string()), ..OrgFilter::default() };
    assert_eq!(matching(&mut c, &region("44")).await, set([nanshan, futian, guangzhou]), "province 44");
    assert_eq!(matching(&mut c, &region("4403")).await, set([nanshan, futian]), "city 4403");
    assert_eq!(matching(&mut c, &region("440305")).await, set([nanshan]), "a full code");
    assert_eq!(matching(&mut c, &region("11")).await, set([beijing]), "province 11");
    assert_eq!(matching(&mut c, &region("65")).await, set([other]), "province 65");
    assert!(matching(&mut c, &region("3")).await.is_empty(), "no code starts with 3");
    assert!(matching(&mut c, &region("4403050")).await.is_empty(), "longer than any code");
}

/// Name search is case-insensitive on English names and folds full-width letters and digits.
pub async fn directory_name_search_ignores_case_and_full_width(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut named = async |name: &str, en: Option<&str>| {
        let mut p = profile(OrgKind::Enterprise, name);
        p.name_en = en.map(str::to_string);
        c.create_org(&p, MembershipStatus::None, T0).await.expect("create_org")
    };
    let sz = named("深圳智造科技有限公司", Some("SZ Robotics Ltd")).await;
    let gz = named("广州数据服务中心", Some("Guangzhou Data Center")).await;
    let abc = named("ＡＢＣ教育集团１２３", None).await;
    let cases = [
        ("sz", set([sz])),
        ("SZ", set([sz])),
        ("ＳＺ", set([sz])),
        ("ｓｚ", set([sz])),
        ("sz robotics", set([sz])),
        ("Ｒｏｂｏｔｉｃｓ　Ｌｔｄ", set([sz])),
        ("智造", set([sz])),
        ("数据", set([gz])),
        ("data", set([gz])),
        ("DATA CENTER", set([gz])),
        ("abc", set([abc])),
        ("ＡＢＣ", set([abc])),
        ("Abc教育", set([abc])),
        ("123", set([abc])),
        ("１２３", set([abc])),
        ("有限公司", set([sz])),
        ("center robotics", set([])),
        ("上海", set([])),
    ];
    for (q, want) in cases {
        assert_eq!(matching(&mut c, &by_name(q)).await, want, "name_contains {q:?}");
    }
}

/// `%`, `_` and `\` in a name search are ordinary characters, not LIKE wildcards.
pub async fn directory_name_search_treats_like_wildcards_literally(store: &dyn Store) {
    let mut c = conn(store).await;
    let percent = add_org(&mut c, OrgKind::Enterprise, "100% Organic 有机农场").await;
    let thousand = add_org(&mut c, OrgKind::Enterprise, "1000 Organic 千亩农场").await;
    let underscore = add_org(&mut c, OrgKind::Enterprise, "a_b Studio").await;
    let _axb = add_org(&mut c, OrgKind::Enterprise, "axb Studio").await;
    let backslash = add_org(&mut c, OrgKind::Enterprise, "Back\\Slash 工作室").await;
    let cases = [
        ("%", set([percent])),
        ("100%", set([percent])),
        ("0% o", set([percent])),
        ("100", set([percent, thousand])),
        ("_", set([underscore])),
        ("a_b", set([underscore])),
        ("%_%", set([])),
        ("\\", set([backslash])),
        ("k\\s", set([backslash])),
        ("\\%", set([])),
    ];
    for (q, want) in cases {
        assert_eq!(matching(&mut c, &by_name(q)).await, want, "name_contains {q:?}");
    }
}

/// Pages hold at most `limit` items after skipping `offset`, with the total of all matches.
pub async fn directory_pages_report_total_limit_and_offset(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut made = Vec::new();
    for i in 1..=5 {
        made.push(add_org(&mut c, OrgKind::College, &format!("机构{i}")).await);
    }
    add_org(&mut c, OrgKind::Enterprise, "另一家企业").await;
    let colleges = OrgFilter { kind: Some(OrgKind::College), ..OrgFilter::default() };
    for (req, want) in [
        (page(2, 0), &made[0..2]),
        (page(2, 2), &made[2..4]),
        (page(2, 4), &made[4..5]),
        (page(2, 5), &made[5..5]),
        (page(2, 100), &made[5..5]),
        (page(100, 0), &made[..]),
        (page(1, 3), &made[3..4]),
    ] {
        let p = c.list_orgs(&colleges, req).await.expect("list_orgs");
        assert_page_meta(&p, req, 5, want.len(), &format!("colleges {req:?}"));
        assert_eq!(ids(&p), want, "colleges {req:?}");
    }
    let filtered = OrgFilter { name_contains: Some("机构".to_string()), ..colleges.clone() };
    let p = c.list_orgs(&filtered, page(3, 3)).await.expect("list_orgs");
    assert_page_meta(&p, page(3, 3), 5, 2, "name + kind, second page");
    let p = c.list_orgs(&by_name("不存在"), page(10, 0)).await.expect("list_orgs");
    assert_page_meta(&p, page(10, 0), 0, 0, "no match");
    let p = c.list_orgs(&OrgFilter::default(), page(4, 4)).await.expect("list_orgs");
    assert_page_meta(&p, page(4, 4), 6, 2, "everything, second page");
}

/// The directory is ordered by name, comparing code points (as Rust compares `String`s), on every
/// engine and whatever the database's collation; equal names keep creation order.
pub async fn directory_orders_names_by_code_point(store: &dyn Store) {
    let mut c = conn(store).await;
    let names = [
        "深圳职业技术大学",
        "Beta Corp",
        "alpha Ltd",
        "阿里巴巴",
        "中山大学",
        "Zeta Inc",
        "广州番禺职业技术学院",
        "_Under Co",
        "Ａｌｐｈａ Full-width",
        "1st Factory",
        "爱学院",
        "東莞理工學院",
        "东莞理工学院",
        "Beta Corp",
        "beta corp",
        "Éclair SARL",
        "𠀀 Extension B",
    ];
    let mut made: Vec<(String, OrgId)> = Vec::new();
    for n in names {
        made.push((n.to_string(), add_org(&mut c, OrgKind::Enterprise, n).await));
    }
    // Ids grow with creation order, so (name, id) is the promised order.
    made.sort();
    let want: Vec<OrgId> = made.iter().map(|(_, id)| *id).collect();
    let p = c.list_orgs(&OrgFilter::default(), all()).await.expect("list_orgs");
    let got: Vec<(&str, OrgId)> = p.items.iter().map(|o| (o.profile.name.as_str(), o.id)).collect();
    let want_named: Vec<(&str, OrgId)> = made.iter().map(|(n, id)| (n.as_str(), *id)).collect();
    assert_eq!(got, want_named, "directory order");
    // Pages cut the same order.
    let p = c.list_orgs(&OrgFilter::default(), page(5, 5)).await.expect("list_orgs");
    assert_eq!(ids(&p), want[5..10], "second page of five");
}

/// Writes in a transaction dropped without `commit` are rolled back; the store stays writable.
pub async fn transaction_dropped_without_commit_leaves_nothing(store: &dyn Store) {
    let mut tx = store.begin().await.expect("begin");
    let mut p = profile(OrgKind::Enterprise, "回滚企业");
    p.credit_code = Some("91440300ROLLBACK1X".to_string());
    let org = tx.create_org(&p, MembershipStatus::None, T0).await.expect("create_org in a transaction");
    let acc = add_account(&mut tx, "rolled.back@example.com").await;
    tx.grant_role(acc, org, xiaoqi_domain::org::Role::OrgAdmin).await.expect("grant_role in a transaction");
    assert!(tx.find_org(org).await.expect("find_org").is_some(), "a transaction sees its own writes");
    drop(tx);

    let mut c = conn(store).await;
    assert_eq!(c.find_org(org).await.expect("find_org"), None, "rolled-back organisation");
    assert_eq!(c.find_org_by_credit_code("91440300ROLLBACK1X").await.expect("find by credit code"), None);
    assert_eq!(c.find_account_by_email("rolled.back@example.com").await.expect("find_account"), None);
    assert_eq!(c.list_orgs(&OrgFilter::default(), all()).await.expect("list_orgs").total, 0);
    drop(c);

    // The rolled-back transaction released everything: the same writes succeed now.
    let mut tx = store.begin().await.expect("begin again");
    let org = tx.create_org(&p, MembershipStatus::None, T0).await.expect("create_org after a rollback");
    add_account(&mut tx, "rolled.back@example.com").await;
    tx.commit().await.expect("commit");
    let mut c = conn(store).await;
    assert!(c.find_org(org).await.expect("find_org").is_some(), "committed after the rollback");
}

/// Committed writes are visible to later connections; other connections do not see them before.
pub async fn transaction_committed_is_visible_and_isolated_until_then(store: &dyn Store) {
    let mut tx = store.begin().await.expect("begin");
    let org = add_org(&mut tx, OrgKind::College, "提交学院").await;
    let acc = add_account(&mut tx, "commit@example.com").await;
    tx.grant_role(acc, org, xiaoqi_domain::org::Role::Teacher).await.expect("grant_role");

    let mut other = conn(store).await;
    assert_eq!(other.find_org(org).await.expect("find_org"), None, "uncommitted write seen by another connection");
    tx.commit().await.expect("commit");

    assert!(other.find_org(org).await.expect("find_org").is_some(), "committed organisation");
    drop(other);
    let mut c = conn(store).await;
    let found = c.find_account_by_email("commit@example.com").await.expect("find_account").expect("committed account");
    assert_eq!(found.id, acc);
    let roles = c.list_roles(acc).await.expect("list_roles");
    assert_eq!(roles.len(), 1, "committed role grant");
    // A plain connection's commit is a no-op that succeeds.
    c.commit().await.expect("commit on a plain connection");
}

//! Reference data: occupations and administrative divisions.

use super::{all, assert_page_meta, conn, page};
use crate::prelude::*;
use crate::{OccupationRecord, RegionRecord};

fn occ(code: &str, level: i64, parent: Option<&str>, name: &str, aliases: &str, digital: bool) -> OccupationRecord {
    OccupationRecord {
        code: code.to_string(),
        level,
        parent_code: parent.map(str::to_string),
        name: name.to_string(),
        definition: format!("{name}的定义：从事相关工作的人员。"),
        aliases: aliases.to_string(),
        green: code.ends_with("-01"),
        digital,
    }
}

fn region(code: &str, parent: Option<&str>, level: i64, name: &str, full_name: &str, pinyin: &str) -> RegionRecord {
    RegionRecord {
        code: code.to_string(),
        parent_code: parent.map(str::to_string),
        level,
        name: name.to_string(),
        full_name: full_name.to_string(),
        pinyin: pinyin.to_string(),
    }
}

/// Three occupations in a tree (major group, middle group, occupation).
fn occupations_v1() -> Vec<OccupationRecord> {
    vec![
        occ("2", 1, None, "专业技术人员", "", false),
        occ("2-02", 2, Some("2"), "工程技术人员", "工程师", false),
        occ("2-02-10-01", 4, Some("2-02"), "信息通信网络运行管理工程技术人员", "网络工程师;ICT Engineer", true),
    ]
}

/// Three regions in a tree (province, city, district).
fn regions_v1() -> Vec<RegionRecord> {
    vec![
        region("440000", None, 1, "广东省", "广东省", "Guangdong"),
        region("440300", Some("440000"), 2, "深圳市", "广东省深圳市", "Shenzhen"),
        region("440305", Some("440300"), 3, "南山区", "广东省深圳市南山区", "Nanshan"),
    ]
}

fn codes_occ(items: &[OccupationRecord]) -> Vec<&str> {
    items.iter().map(|o| o.code.as_str()).collect()
}

fn codes_region(items: &[RegionRecord]) -> Vec<&str> {
    items.iter().map(|r| r.code.as_str()).collect()
}

/// Loading reference data sets the version; records are found by code and listed level by level.
pub async fn refdata_replace_sets_version_and_tree(store: &dyn Store) {
    let mut c = conn(store).await;
    assert_eq!(c.refdata_version().await.expect("refdata_version"), None, "nothing loaded yet");
    assert!(c.list_occupation_children(None).await.expect("list_occupation_children").is_empty());
    let (occs, regions) = (occupations_v1(), regions_v1());
    c.replace_refdata("csco-2022+gb2260-2023", &occs, &regions).await.expect("replace_refdata");
    assert_eq!(c.refdata_version().await.expect("refdata_version").as_deref(), Some("csco-2022+gb2260-2023"));

    for o in &occs {
        assert_eq!(
            c.find_occupation(&o.code).await.expect("find_occupation").as_ref(),
            Some(o),
            "occupation {}",
            o.code
        );
    }
    assert_eq!(c.find_occupation("9-99").await.expect("find_occupation"), None, "unknown occupation");
    assert_eq!(c.list_occupation_children(None).await.expect("children"), vec![occs[0].clone()], "roots");
    assert_eq!(c.list_occupation_children(Some("2")).await.expect("children"), vec![occs[1].clone()]);
    assert_eq!(c.list_occupation_children(Some("2-02")).await.expect("children"), vec![occs[2].clone()]);
    assert!(c.list_occupation_children(Some("2-02-10-01")).await.expect("children").is_empty(), "a leaf");

    for r in &regions {
        assert_eq!(c.find_region(&r.code).await.expect("find_region").as_ref(), Some(r), "region {}", r.code);
    }
    assert_eq!(c.find_region("110000").await.expect("find_region"), None, "unknown region");
    assert_eq!(c.list_region_children(None).await.expect("children"), vec![regions[0].clone()], "roots");
    assert_eq!(c.list_region_children(Some("440000")).await.expect("children"), vec![regions[1].clone()]);
    assert_eq!(c.list_region_children(Some("440300")).await.expect("children"), vec![regions[2].clone()]);
    assert!(c.list_region_children(Some("440305")).await.expect("children").is_empty(), "a leaf");
}

/// Occupations are found by a substring of their name, alias or code.
pub async fn refdata_occupations_are_searched_by_name_alias_and_code(store: &dyn Store) {
    let mut c = conn(store).await;
    c.replace_refdata("v1", &occupations_v1(), &regions_v1()).await.expect("replace_refdata");
    let cases: [(&str, &[&str]); 9] = [
        ("工程技术", &["2-02", "2-02-10-01"]),
        ("网络运行", &["2-02-10-01"]),
        ("网络工程师", &["2-02-10-01"]),
        ("ICT Engineer", &["2-02-10-01"]),
        ("2-02", &["2-02", "2-02-10-01"]),
        ("10-01", &["2-02-10-01"]),
        ("专业技术人员", &["2"]),
        ("%", &[]),
        ("医生", &[]),
    ];
    for (q, want) in cases {
        let p = c.search_occupations(q, all()).await.expect("search_occupations");
        let mut got = codes_occ(&p.items);
        got.sort();
        assert_eq!((p.total, got.as_slice()), (want.len() as u64, want), "search_occupations {q:?}");
    }
    let hit = c.search_occupations("网络工程师", all()).await.expect("search_occupations");
    assert_eq!(hit.items, vec![occupations_v1()[2].clone()], "a hit is the whole record");
    let p = c.search_occupations("2", page(1, 1)).await.expect("search_occupations");
    assert_page_meta(&p, page(1, 1), 3, 1, "a page of a search");
}

/// Occupation search ignores the case of Latin letters, as the directory and region search do, and
/// answers the same on every engine (CSCO names and aliases contain GIS, PLC, CNC, pH, ...).
/// (Full-width letters fold to ASCII; a query never matches across two fields, e.g. the end
/// of a code and the start of a name.)
pub async fn refdata_occupation_search_ignores_ascii_case(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut occs = occupations_v1();
    occs.push(occ("6-31-01-09", 4, Some("2-02"), "PLC编程调试员", "可编程控制器调试员", false));
    c.replace_refdata("v1", &occs, &regions_v1()).await.expect("replace_refdata");
    let cases: [(&str, &[&str]); 8] = [
        ("ＰＬＣ", &["6-31-01-09"]),
        ("09PLC", &[]),
        ("ICT Engineer", &["2-02-10-01"]),
        ("ict engineer", &["2-02-10-01"]),
        ("ICT ENGINEER", &["2-02-10-01"]),
        ("PLC", &["6-31-01-09"]),
        ("plc", &["6-31-01-09"]),
        ("Plc编程", &["6-31-01-09"]),
    ];
    for (q, want) in cases {
        let p = c.search_occupations(q, all()).await.expect("search_occupations");
        let mut got = codes_occ(&p.items);
        got.sort();
        assert_eq!((p.total, got.as_slice()), (want.len() as u64, want), "search_occupations {q:?}");
    }
}

/// A load larger than any single statement's batch keeps every row.
pub async fn refdata_replace_keeps_every_row_of_a_large_set(store: &dyn Store) {
    let mut c = conn(store).await;
    let mut occs = vec![occ("9", 1, None, "大类", "", false)];
    for i in 0..450 {
        occs.push(occ(&format!("9-{i:03}"), 2, Some("9"), &format!("职业{i:03}"), &format!("别名{i}"), i % 2 == 0));
    }
    let mut regions = vec![region("650000", None, 1, "新疆维吾尔自治区", "新疆维吾尔自治区", "Xinjiang")];
    for i in 0..450 {
        let code = format!("65{:04}", i + 1);
        regions.push(region(
            &code,
            Some("650000"),
            2,
            &format!("地区{i}"),
            &format!("新疆维吾尔自治区地区{i}"),
            "Diqu",
        ));
    }
    c.replace_refdata("big", &occs, &regions).await.expect("replace_refdata with many rows");
    let children = c.list_occupation_children(Some("9")).await.expect("children");
    assert_eq!(children, occs[1..].to_vec(), "every occupation, in code order");
    let children = c.list_region_children(Some("650000")).await.expect("children");
    assert_eq!(children, regions[1..].to_vec(), "every region, in code order");
    assert_eq!(c.search_occupations("9-", page(10, 440)).await.expect("search").total, 450);
    assert_eq!(c.search_regions("diqu", page(10, 0)).await.expect("search").total, 450);
}

/// Regions are found by code, by (full) name, and by pinyin in any letter case.
pub async fn refdata_regions_are_searched_by_name_code_and_pinyin_ignoring_case(store: &dyn Store) {
    let mut c = conn(store).await;
    c.replace_refdata("v1", &occupations_v1(), &regions_v1()).await.expect("replace_refdata");
    let cases: [(&str, &[&str]); 11] = [
        ("shenzhen", &["440300"]),
        ("SHENZHEN", &["440300"]),
        ("ShenZhen", &["440300"]),
        ("nan", &["440305"]),
        ("guangdong", &["440000"]),
        ("深圳", &["440300", "440305"]),
        ("南山区", &["440305"]),
        ("广东省", &["440000", "440300", "440305"]),
        ("4403", &["440300", "440305"]),
        ("440305", &["440305"]),
        ("beijing", &[]),
    ];
    for (q, want) in cases {
        let p = c.search_regions(q, all()).await.expect("search_regions");
        let mut got = codes_region(&p.items);
        got.sort();
        assert_eq!((p.total, got.as_slice()), (want.len() as u64, want), "search_regions {q:?}");
    }
    let p = c.search_regions("44", page(2, 0)).await.expect("search_regions");
    assert_page_meta(&p, page(2, 0), 3, 2, "a page of a search");
    let p = c.search_regions("_", all()).await.expect("search_regions");
    assert_eq!(p.total, 0, "_ is not a wildcard");
}

/// Loading a second set replaces the first one entirely.
pub async fn refdata_replace_replaces_instead_of_appending(store: &dyn Store) {
    let mut c = conn(store).await;
    c.replace_refdata("v1", &occupations_v1(), &regions_v1()).await.expect("replace_refdata v1");
    let occs = vec![
        occ("6", 1, None, "生产制造及有关人员", "", false),
        occ("6-01", 2, Some("6"), "农副产品加工人员", "", false),
    ];
    let regions = vec![region("110000", None, 1, "北京市", "北京市", "Beijing")];
    // The same code as before with a changed name: replaced, not duplicated.
    let mut occs2 = occs.clone();
    occs2.push(occ("2", 1, None, "专业技术人员（新版）", "", false));
    c.replace_refdata("v2", &occs2, &regions).await.expect("replace_refdata v2");
    assert_eq!(c.refdata_version().await.expect("refdata_version").as_deref(), Some("v2"));
    let roots = c.list_occupation_children(None).await.expect("children");
    assert_eq!(codes_occ(&roots), vec!["2", "6"], "occupation roots of v2");
    let two = c.find_occupation("2").await.expect("find_occupation").expect("occupation 2 of v2");
    assert_eq!(two.name, "专业技术人员（新版）");
    assert_eq!(c.find_occupation("2-02").await.expect("find_occupation"), None, "v1-only occupation is gone");
    assert!(c.list_occupation_children(Some("2")).await.expect("children").is_empty(), "v1 children are gone");
    assert_eq!(c.search_occupations("工程", all()).await.expect("search").total, 0, "v1 occupations are not searched");
    assert_eq!(c.list_region_children(None).await.expect("children"), regions, "region roots of v2");
    assert_eq!(c.find_region("440305").await.expect("find_region"), None, "v1 regions are gone");
    assert_eq!(c.search_regions("shenzhen", all()).await.expect("search").total, 0);

    // Loading the same set again is not a conflict with itself.
    c.replace_refdata("v2", &occs2, &regions).await.expect("replace_refdata v2 again");
    assert_eq!(c.list_occupation_children(None).await.expect("children").len(), 2);
}

/// A load rolled back (a failed import) leaves the previous set and version in place.
pub async fn refdata_replace_rolled_back_keeps_the_previous_set(store: &dyn Store) {
    let mut c = conn(store).await;
    c.replace_refdata("v1", &occupations_v1(), &regions_v1()).await.expect("replace_refdata v1");
    drop(c);
    let mut tx = store.begin().await.expect("begin");
    tx.replace_refdata("v2", &[occ("6", 1, None, "生产制造及有关人员", "", false)], &[]).await.expect("replace in tx");
    assert_eq!(tx.refdata_version().await.expect("refdata_version").as_deref(), Some("v2"), "inside the transaction");
    drop(tx);
    let mut c = conn(store).await;
    assert_eq!(c.refdata_version().await.expect("refdata_version").as_deref(), Some("v1"), "after the rollback");
    assert_eq!(codes_occ(&c.list_occupation_children(None).await.expect("children")), vec!["2"]);
    assert_eq!(c.list_region_children(None).await.expect("children"), vec![regions_v1()[0].clone()]);
}

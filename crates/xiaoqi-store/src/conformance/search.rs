//! The search index: Chinese words, English ignoring case, every word required, kinds, upserts,
//! deletes, paging and capped totals, with the same hits in the same order on every engine.

use super::{T0, assert_conflict, conn, page};
use crate::prelude::*;
use crate::{SEARCH_COUNT_CAP, SearchDoc, SearchHit, SearchKind, SearchQuery, SearchResults};
use xiaoqi_domain::page::PageRequest;

fn doc(kind: SearchKind, ref_id: i64, org: Option<i64>, title: &str, summary: &str, body: &str) -> SearchDoc {
    SearchDoc {
        kind,
        ref_id,
        org_id: org,
        title: title.to_string(),
        summary: summary.to_string(),
        body: body.to_string(),
        updated_at: T0 + ref_id,
    }
}

/// A small mixed corpus, indexed in this order (so hits come in the reverse order).
fn corpus() -> Vec<SearchDoc> {
    use SearchKind::*;
    vec![
        doc(
            Org,
            1,
            Some(1),
            "深圳智能焊接科技有限公司",
            "机器人焊接、激光切割",
            "Shenzhen Smart Welding Tech Co., Ltd.",
        ),
        doc(Demand, 2, Some(1), "焊接工艺工程师", "负责焊接工艺与设备调试", "Welding process engineer; 3 years"),
        doc(Demand, 3, Some(2), "跨境电商运营专员", "亚马逊店铺运营，英语四级", "Cross-border e-commerce operator"),
        doc(Major, 4, Some(3), "机电一体化技术", "高职专业，三年制", "Mechatronics; PLC, CNC"),
        doc(Service, 5, Some(3), "电商直播实训基地", "对外提供直播电商培训", "Live-stream e-commerce training"),
        doc(Team, 6, Some(3), "数控加工技术团队", "CNC操机、数控编程", "CNC machining team"),
        doc(Demand, 7, Some(2), "会计助理", "熟悉用友财务软件", "Accounting assistant"),
        doc(Org, 8, None, "ＡＢＣ物流有限公司", "仓储与物流配送", "ABC Logistics"),
    ]
}

fn query(text: &str, kinds: &[SearchKind], page: PageRequest) -> SearchQuery {
    SearchQuery { text: text.to_string(), kinds: kinds.to_vec(), page }
}

/// Runs a query on the first page of 100 and returns the hits' (kind, ref_id).
async fn ids(c: &mut Box<dyn Conn>, text: &str, kinds: &[SearchKind]) -> Vec<(SearchKind, i64)> {
    let r = run(c, text, kinds, page(100, 0)).await;
    r.hits.iter().map(|h| (h.kind, h.ref_id)).collect()
}

async fn run(c: &mut Box<dyn Conn>, text: &str, kinds: &[SearchKind], p: PageRequest) -> SearchResults {
    c.search(&query(text, kinds, p)).await.unwrap_or_else(|e| panic!("search {text:?}: {e}"))
}

async fn load(c: &mut Box<dyn Conn>, docs: &[SearchDoc]) {
    for d in docs {
        c.upsert_search_doc(d).await.expect("upsert_search_doc");
    }
}

/// Two-character Chinese words are found inside longer text, English ignores case and width, and
/// hits carry the stored fields, most recently indexed first.
pub async fn search_finds_chinese_words_and_english_ignoring_case(store: &dyn Store) {
    use SearchKind::*;
    let mut c = conn(store).await;
    load(&mut c, &corpus()).await;
    assert_eq!(ids(&mut c, "焊接", &[]).await, vec![(Demand, 2), (Org, 1)], "焊接");
    assert_eq!(ids(&mut c, "电商", &[]).await, vec![(Service, 5), (Demand, 3)], "电商");
    assert_eq!(ids(&mut c, "跨境电商", &[]).await, vec![(Demand, 3)], "跨境电商");
    assert_eq!(ids(&mut c, "一体化", &[]).await, vec![(Major, 4)], "a sub-word of 机电一体化");
    assert_eq!(ids(&mut c, "焊", &[]).await, vec![(Demand, 2), (Org, 1)], "a single character");
    assert_eq!(ids(&mut c, "操机", &[]).await, vec![(Team, 6)], "a word the dictionary lacks");
    assert_eq!(ids(&mut c, "WELDING", &[]).await, vec![(Demand, 2), (Org, 1)], "English ignores case");
    assert_eq!(ids(&mut c, "ｃｎｃ", &[]).await, vec![(Team, 6), (Major, 4)], "full-width letters fold");
    assert_eq!(ids(&mut c, "abc", &[]).await, vec![(Org, 8)], "full-width text in a document folds");
    assert_eq!(ids(&mut c, "用友", &[]).await, vec![(Demand, 7)], "the summary is searched");
    assert_eq!(ids(&mut c, "accounting", &[]).await, vec![(Demand, 7)], "the body is searched");
    assert!(ids(&mut c, "护理", &[]).await.is_empty(), "a word no document holds");
    assert!(ids(&mut c, "weld", &[]).await.is_empty(), "whole words only, no prefixes");

    let r = run(&mut c, "会计", &[], page(20, 0)).await;
    let expected = SearchHit {
        kind: Demand,
        ref_id: 7,
        org_id: Some(2),
        title: "会计助理".to_string(),
        summary: "熟悉用友财务软件".to_string(),
        updated_at: T0 + 7,
    };
    assert_eq!(r, SearchResults { hits: vec![expected], total: 1, total_capped: false }, "a hit's fields");
    let r = run(&mut c, "物流", &[], page(20, 0)).await;
    assert_eq!(r.hits.first().and_then(|h| h.org_id), None, "a document without organisation");
}

/// A document matches only when it holds every word of the query.
pub async fn search_requires_every_word(store: &dyn Store) {
    use SearchKind::*;
    let mut c = conn(store).await;
    load(&mut c, &corpus()).await;
    assert_eq!(ids(&mut c, "电商 运营", &[]).await, vec![(Demand, 3)], "电商 and 运营");
    assert_eq!(ids(&mut c, "电商运营", &[]).await, vec![(Demand, 3)], "the same words written together");
    assert_eq!(ids(&mut c, "直播 e-commerce", &[]).await, vec![(Service, 5)], "Chinese and English");
    assert!(ids(&mut c, "电商 焊接", &[]).await.is_empty(), "no document holds both");
    assert_eq!(ids(&mut c, "焊接 工程师", &[]).await, vec![(Demand, 2)], "焊接 and 工程师");
    assert_eq!(ids(&mut c, "焊接，工程师！", &[]).await, vec![(Demand, 2)], "punctuation between words is ignored");
}

/// The kinds filter keeps only the kinds asked for; no kinds means all.
pub async fn search_filters_by_kind(store: &dyn Store) {
    use SearchKind::*;
    let mut c = conn(store).await;
    load(&mut c, &corpus()).await;
    assert_eq!(ids(&mut c, "焊接", &[Demand]).await, vec![(Demand, 2)]);
    assert_eq!(ids(&mut c, "焊接", &[Org]).await, vec![(Org, 1)]);
    assert_eq!(ids(&mut c, "焊接", &[Org, Demand]).await, vec![(Demand, 2), (Org, 1)]);
    assert_eq!(ids(&mut c, "电商", &[Service, Team]).await, vec![(Service, 5)]);
    assert!(ids(&mut c, "电商", &[Major]).await.is_empty());
    assert_eq!(ids(&mut c, "cnc", &SearchKind::ALL).await, vec![(Team, 6), (Major, 4)], "every kind");
    let r = run(&mut c, "电商", &[Demand], page(20, 0)).await;
    assert_eq!((r.total, r.total_capped), (1, false), "the total counts the filtered hits");
}

/// An upsert replaces the document: its old words no longer match, its new ones do, it moves to
/// the front, and the same ref_id of another kind is a different document.
pub async fn search_upsert_replaces_the_document(store: &dyn Store) {
    use SearchKind::*;
    let mut c = conn(store).await;
    load(&mut c, &corpus()).await;
    assert_eq!(c.count_search_docs().await.expect("count"), 8);
    let mut d = doc(Demand, 2, Some(1), "数控车床操作工", "三班倒", "CNC lathe operator");
    d.updated_at = T0 + 100;
    c.upsert_search_doc(&d).await.expect("upsert an existing document");
    assert_eq!(c.count_search_docs().await.expect("count"), 8, "replaced, not added");
    assert_eq!(ids(&mut c, "焊接", &[]).await, vec![(Org, 1)], "the old words no longer match");
    assert_eq!(ids(&mut c, "cnc", &[]).await, vec![(Demand, 2), (Team, 6), (Major, 4)], "moved to the front");
    let r = run(&mut c, "车床", &[], page(20, 0)).await;
    assert_eq!(r.hits.len(), 1);
    assert_eq!((r.hits[0].title.as_str(), r.hits[0].updated_at), ("数控车床操作工", T0 + 100), "new fields");

    c.upsert_search_doc(&doc(Major, 2, None, "焊接技术与自动化", "", "")).await.expect("same ref_id, other kind");
    assert_eq!(c.count_search_docs().await.expect("count"), 9, "kind and ref_id together identify a document");
    assert_eq!(ids(&mut c, "焊接", &[]).await, vec![(Major, 2), (Org, 1)]);
}

/// A delete removes the document from every query; deleting again reports there was none.
pub async fn search_delete_removes_the_document(store: &dyn Store) {
    use SearchKind::*;
    let mut c = conn(store).await;
    load(&mut c, &corpus()).await;
    assert!(c.delete_search_doc(Demand, 3).await.expect("delete"), "there was one");
    assert!(!c.delete_search_doc(Demand, 3).await.expect("delete again"), "gone already");
    assert!(!c.delete_search_doc(Org, 3).await.expect("delete another kind"), "never indexed");
    assert_eq!(ids(&mut c, "电商", &[]).await, vec![(Service, 5)]);
    assert!(ids(&mut c, "跨境", &[]).await.is_empty());
    assert_eq!(c.count_search_docs().await.expect("count"), 7);
    c.upsert_search_doc(&corpus()[2]).await.expect("index it again");
    assert_eq!(ids(&mut c, "电商", &[]).await, vec![(Demand, 3), (Service, 5)], "back, at the front");
}

/// Hits are paged most recently indexed first, the total counts every match, and a bulk load
/// puts its later documents first.
pub async fn search_pages_hits_in_a_stable_order(store: &dyn Store) {
    let mut c = conn(store).await;
    let docs: Vec<SearchDoc> = (1..=25)
        .map(|i| {
            let extra = if i % 2 == 0 { "物流" } else { "会计" };
            doc(SearchKind::Demand, i, Some(1), &format!("电商专员{i}"), extra, "")
        })
        .collect();
    c.bulk_insert_search_docs(&docs[..10]).await.expect("bulk insert");
    load(&mut c, &docs[10..]).await;
    let all: Vec<i64> = (1..=25).rev().collect();
    let mut seen = Vec::new();
    for offset in [0, 10, 20] {
        let r = run(&mut c, "电商", &[], page(10, offset)).await;
        assert_eq!((r.total, r.total_capped), (25, false), "total on the page at {offset}");
        seen.extend(r.hits.iter().map(|h| h.ref_id));
    }
    assert_eq!(seen, all, "pages in order, without gaps or repeats");
    let r = run(&mut c, "电商", &[], page(10, 30)).await;
    assert!(r.hits.is_empty() && r.total == 25, "past the end: no hits, the same total");
    let evens: Vec<i64> = all.iter().copied().filter(|i| i % 2 == 0).collect();
    let r = run(&mut c, "电商 物流", &[], page(5, 3)).await;
    assert_eq!(r.hits.iter().map(|h| h.ref_id).collect::<Vec<_>>(), evens[3..8].to_vec(), "filtered pages");
    assert_eq!(r.total, 12);
}

/// More matches than the cap are counted as the cap and flagged; every page is still served.
pub async fn search_total_is_capped(store: &dyn Store) {
    let mut c = conn(store).await;
    let n = i64::try_from(SEARCH_COUNT_CAP).unwrap_or(1000) + 5;
    let docs: Vec<SearchDoc> = (1..=n)
        .map(|i| doc(SearchKind::Team, i, None, &format!("实训团队 {i}"), if i == 3 { "唯一" } else { "" }, ""))
        .collect();
    c.bulk_insert_search_docs(&docs).await.expect("bulk insert");
    assert_eq!(c.count_search_docs().await.expect("count"), u64::try_from(n).unwrap_or(0));
    c.optimize_search_index().await.expect("optimize after a bulk load");
    let r = run(&mut c, "实训", &[], page(3, 0)).await;
    assert_eq!((r.total, r.total_capped), (SEARCH_COUNT_CAP, true), "capped total");
    assert_eq!(r.hits.iter().map(|h| h.ref_id).collect::<Vec<_>>(), vec![n, n - 1, n - 2]);
    let r = run(&mut c, "实训", &[], page(3, 1002)).await;
    assert_eq!(r.hits.iter().map(|h| h.ref_id).collect::<Vec<_>>(), vec![3, 2, 1], "pages beyond the cap");
    let r = run(&mut c, "实训 唯一", &[], page(3, 0)).await;
    assert_eq!((r.total, r.total_capped, r.hits.len()), (1, false, 1), "a rare word among many");
    let r = run(&mut c, &format!("团队 {}", n - 1), &[], page(3, 0)).await;
    assert_eq!(r.hits.iter().map(|h| h.ref_id).collect::<Vec<_>>(), vec![n - 1], "numbers are words");
}

/// A blank or punctuation-only query finds nothing (not everything); a 10,000-character query
/// is answered without error.
pub async fn search_of_blank_punctuation_or_huge_text_is_harmless(store: &dyn Store) {
    let mut c = conn(store).await;
    load(&mut c, &corpus()).await;
    let none = SearchResults { hits: vec![], total: 0, total_capped: false };
    for text in ["", "   ", "\u{3000}", "，。！？", "!!! *** ''' \"\" -- ;", "的", "AND OR NOT", "* : ^ ( ) NEAR"]
    {
        assert_eq!(run(&mut c, text, &[], page(20, 0)).await, none, "{text:?}");
    }
    assert_eq!(run(&mut c, "", &[SearchKind::Org], page(20, 0)).await, none, "kinds alone find nothing");
    let huge = "焊接".repeat(5_000);
    let r = run(&mut c, &huge, &[], page(20, 0)).await;
    assert_eq!(r.hits.len(), 2, "a repeated word is one word");
    let noisy: String = "电商';--\"()*:^ ".chars().cycle().take(10_000).collect();
    let r = run(&mut c, &noisy, &[], page(20, 0)).await;
    assert_eq!(r.hits.len(), 2, "query syntax of either engine is ordinary text");
    let mixed: String = "weld 焊接 xyz 护理 ".chars().cycle().take(10_000).collect();
    assert!(run(&mut c, &mixed, &[], page(20, 0)).await.hits.is_empty(), "a long query without a match");
}

/// Bulk inserts refuse a document already indexed; documents written in a transaction that is
/// dropped are not kept, and those of a committed one are found.
pub async fn search_index_follows_transactions_and_refuses_bulk_duplicates(store: &dyn Store) {
    let mut c = conn(store).await;
    let docs = corpus();
    c.bulk_insert_search_docs(&docs[..2]).await.expect("bulk insert");
    assert_conflict(c.bulk_insert_search_docs(&docs[1..3]).await, "bulk insert of an indexed document");
    c.bulk_insert_search_docs(&[]).await.expect("an empty bulk insert");
    drop(c);

    let mut tx = store.begin().await.expect("begin");
    tx.upsert_search_doc(&docs[2]).await.expect("upsert in a transaction");
    tx.delete_search_doc(SearchKind::Org, 1).await.expect("delete in a transaction");
    drop(tx);
    let mut c = conn(store).await;
    assert!(ids(&mut c, "电商", &[]).await.is_empty(), "an upsert rolled back leaves nothing");
    assert_eq!(ids(&mut c, "焊接", &[]).await.len(), 2, "a delete rolled back keeps the document");
    drop(c);

    let mut tx = store.begin().await.expect("begin");
    tx.upsert_search_doc(&docs[2]).await.expect("upsert in a transaction");
    tx.delete_search_doc(SearchKind::Org, 1).await.expect("delete in a transaction");
    assert_eq!(ids(&mut tx, "电商", &[]).await.len(), 1, "the transaction sees its own writes");
    tx.commit().await.expect("commit");
    let mut c = conn(store).await;
    assert_eq!(ids(&mut c, "电商", &[]).await, vec![(SearchKind::Demand, 3)]);
    assert_eq!(ids(&mut c, "焊接", &[]).await, vec![(SearchKind::Demand, 2)]);
    assert_eq!(c.count_search_docs().await.expect("count"), 2);
}

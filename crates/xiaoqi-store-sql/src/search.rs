//! The search index: SQLite FTS5 or a PostgreSQL `tsvector` with a GIN index, both fed the same
//! ASCII-encoded words from `xiaoqi_engine::search`, so a query matches the same documents.
//!
//! A document's words are its text's index tokens plus one token for its kind (`korg`,
//! `kdemand`, …), so the kinds filter is part of the full-text query on both engines. A query is
//! the AND of its tokens; hits are ordered by `search_doc.id`, newest first, and the total is
//! counted up to [`SEARCH_COUNT_CAP`] + 1 matches only. No relevance ranking: ranking a broad
//! word means reading every match (STACK.md).
//!
//! Engine differences, named:
//! - SQLite: words in the contentless FTS5 table `search_fts` (rowid = `search_doc.id`), removed
//!   by a trigger when the `search_doc` row goes; a query is `w1 AND w2 …`. FTS5 reads matches in
//!   rowid order and stops early, so the count and the page are two plain statements.
//! - PostgreSQL: words in `search_words.tokens` (id = `search_doc.id`, deleted with it by the
//!   foreign key), built by `array_to_tsvector` (no text-search parser); a query is the `tsquery`
//!   `w1 & w2 …`. A GIN index returns matches in no order, at a cost that grows with the posting
//!   list of the query's rarest word, so the access path is chosen here ([`pg_plan`]) from the
//!   planner's estimates rather than left to the planner, whose plan for an AND of words assumes
//!   them independent and, when wrong, reads the whole table.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::{AnyConnection, Connection};
use xiaoqi_engine::search::{index_tokens, is_plain_token, query_tokens};
use xiaoqi_store::{
    Backend, SEARCH_COUNT_CAP, SearchDoc, SearchHit, SearchKind, SearchQuery, SearchRepo, SearchResults, StoreError,
    StoreResult,
};

use crate::conn::{Arg, Row, SqlConn, all_on, args, exec_on, map_err, row, scalars_once_on};

const HIT_COLS: &str = "kind, ref_id, org_id, title, summary, updated_at";
/// Documents per multi-row INSERT in a bulk load (7 parameters each: far below both bind limits).
const BULK_BATCH: usize = 500;

fn hit(r: &Row) -> StoreResult<SearchHit> {
    Ok(row! { r, SearchHit { kind, ref_id, org_id, title, summary, updated_at } })
}

/// The token standing for a kind: not a word token (those start with `w`), so no text matches it.
fn kind_token(kind: SearchKind) -> String {
    format!("k{}", kind.as_str())
}

/// Every word of a document, space-separated: its kind token, then its text's index tokens.
fn doc_tokens(d: &SearchDoc) -> String {
    let text = [d.title.as_str(), &d.summary, &d.body].join("\n");
    let mut tokens = vec![kind_token(d.kind)];
    tokens.extend(index_tokens(&text));
    tokens.join(" ")
}

/// A query as an AND of ORs of tokens (the kinds filter is one OR; each word is an OR of one),
/// every token checked to be `[a-z0-9]+`, so that it can be written into either engine's
/// full-text syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Terms(Vec<Vec<String>>);

impl Terms {
    /// The terms of a query; `None` when its text has no word (which finds nothing).
    fn of(q: &SearchQuery) -> StoreResult<Option<Terms>> {
        let words = query_tokens(&q.text);
        if words.is_empty() {
            return Ok(None);
        }
        let mut kinds: Vec<SearchKind> = q.kinds.clone();
        kinds.sort();
        kinds.dedup();
        let mut all = Vec::with_capacity(words.len() + 1);
        if !kinds.is_empty() && kinds.len() < SearchKind::ALL.len() {
            all.push(kinds.into_iter().map(kind_token).collect::<Vec<_>>());
        }
        all.extend(words.into_iter().map(|w| vec![w]));
        if !all.iter().flatten().all(|t| is_plain_token(t)) {
            return Err(StoreError::Backend("search: a query token is not plain ASCII".to_string()));
        }
        Ok(Some(Terms(all)))
    }

    /// The expression in the engine's syntax: `(a OR b) AND c` (FTS5) or `(a | b) & c` (tsquery).
    fn expr(&self, backend: Backend) -> String {
        let (and, or) = match backend {
            Backend::Sqlite => (" AND ", " OR "),
            Backend::Postgres => (" & ", " | "),
        };
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|alts| if alts.len() == 1 { alts.join("") } else { format!("({})", alts.join(or)) })
            .collect();
        parts.join(and)
    }
}

/// A page's LIMIT and OFFSET as bind values.
fn limit_offset(q: &SearchQuery) -> (i64, i64) {
    (i64::from(q.page.limit), i64::try_from(q.page.offset).unwrap_or(i64::MAX))
}

/// How many matches to look for: one more than the cap, to know whether it is exceeded.
fn count_limit() -> i64 {
    i64::try_from(SEARCH_COUNT_CAP).unwrap_or(i64::MAX).saturating_add(1)
}

/// Results with the total capped.
fn results(hits: Vec<SearchHit>, matches: u64) -> SearchResults {
    SearchResults { hits, total: matches.min(SEARCH_COUNT_CAP), total_capped: matches > SEARCH_COUNT_CAP }
}

/// The PostgreSQL probe walks the newest rows when it expects to meet cap + 1 matches within
/// this many (a share of at least about 7 %); below that density the GIN index is cheaper.
/// Measured on a million documents: walking costs about 1 µs a row, while the GIN path costs
/// about 0.25 µs per entry of the rarest word's posting list plus a heap visit (up to tens of µs
/// when the page is not cached) per match kept.
const PG_PROBE_EXPECTED_ROWS: f64 = 15_000.0;
/// Rows walked at most by the probe, however wrong the estimate.
const PG_PROBE_MAX_ROWS: f64 = 30_000.0;

/// How PostgreSQL looks for the first cap + 1 matches.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PgPlan {
    /// Through the GIN index (cheap when a word is rare).
    Gin,
    /// Walking the newest rows by primary key, at most this many (cheap when matches are dense);
    /// falls back to [`PgPlan::Gin`] when it does not meet cap + 1 matches.
    Probe { rows: i64 },
}

/// Chooses the access path from the planner's estimates of the rows in the table (`n`) and of
/// the matches (`matches`, which assumes the words independent: a guess, so the probe is given
/// twice the rows it should need, within a bound).
fn pg_plan(n: f64, matches: f64) -> PgPlan {
    if !(n >= 1.0 && matches > 0.0) {
        return PgPlan::Gin;
    }
    let density = (matches / n).min(1.0);
    let expected_rows = count_limit() as f64 / density;
    if expected_rows > PG_PROBE_EXPECTED_ROWS {
        return PgPlan::Gin;
    }
    PgPlan::Probe { rows: (2.0 * expected_rows).min(PG_PROBE_MAX_ROWS).ceil() as i64 }
}

/// The estimated rows of the direct subplans of the top node, in order, from the lines of a text
/// `EXPLAIN` (the Any driver cannot read the `json` type of its JSON form): the `->` lines
/// indented least, each holding `(cost=… rows=N width=…)`.
fn explained_rows(lines: &[String]) -> Vec<f64> {
    let children: Vec<(usize, &str)> = lines
        .iter()
        .filter_map(|l| {
            let body = l.trim_start();
            body.starts_with("->").then(|| (l.len() - body.len(), body))
        })
        .collect();
    let Some(depth) = children.iter().map(|(d, _)| *d).min() else { return Vec::new() };
    children
        .iter()
        .filter(|(d, _)| *d == depth)
        .filter_map(|(_, body)| {
            let rows = body.split(" rows=").nth(1)?;
            rows.split(|c: char| !c.is_ascii_digit() && c != '.').next()?.parse::<f64>().ok()
        })
        .collect()
}

impl SqlConn {
    /// SQLite: the (capped) count and the page, both read from FTS5 in rowid order.
    async fn search_sqlite(&mut self, terms: &Terms, q: &SearchQuery) -> StoreResult<SearchResults> {
        let expr = terms.expr(Backend::Sqlite);
        let sql = "SELECT COUNT(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH $1 LIMIT $2) AS m";
        let n: i64 = self.scalar(sql, args![expr.clone(), count_limit()]).await?;
        let matches = u64::try_from(n).unwrap_or(0);
        if matches == 0 || (matches <= SEARCH_COUNT_CAP && q.page.offset >= matches) {
            return Ok(results(Vec::new(), matches));
        }
        let (limit, offset) = limit_offset(q);
        let sql = format!(
            "SELECT {HIT_COLS} FROM search_doc WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH $1 \
             ORDER BY rowid DESC LIMIT $2 OFFSET $3) ORDER BY id DESC"
        );
        let hits = self.all(&sql, args![expr, limit, offset], hit).await?;
        Ok(results(hits, matches))
    }

    /// PostgreSQL: find up to cap + 1 matching ids the cheaper way ([`pg_plan`]), then the page.
    ///
    /// Statements carrying the query are unnamed (`persistent(false)`), so PostgreSQL plans each
    /// for its actual words rather than reusing a generic plan.
    async fn search_postgres(&mut self, terms: &Terms, q: &SearchQuery) -> StoreResult<SearchResults> {
        let expr = terms.expr(Backend::Postgres);
        let plan = self.pg_plan_for(&expr).await?;
        // The newest cap + 1 matches in order, when the probe finds them.
        let mut found: Option<Vec<i64>> = None;
        if let PgPlan::Probe { rows } = plan {
            // The newest `rows` rows by primary key (the inner LIMIT fences the plan), tested one
            // by one; stops at cap + 1 matches. `ts_match_vq` is the function behind `@@`:
            // spelled so, it cannot use the GIN index.
            let sql = "SELECT id FROM (SELECT id, tokens FROM search_words ORDER BY id DESC LIMIT $2) AS newest \
                 WHERE ts_match_vq(tokens, $1::tsquery) ORDER BY id DESC LIMIT $3";
            let ids: Vec<i64> = self.scalars_once(sql, args![expr.clone(), rows, count_limit()]).await?;
            if ids.len() as u64 > SEARCH_COUNT_CAP {
                found = Some(ids);
            }
        }
        // `ordered`: ids sorted newest first that are either every match or the newest ones.
        let (ordered, matches) = match found {
            Some(ids) => {
                let n = ids.len() as u64;
                (ids, n)
            }
            None => {
                let mut ids = self.pg_gin_ids(&expr).await?;
                let n = ids.len() as u64;
                if n > SEARCH_COUNT_CAP {
                    // Some cap + 1 matches, not the newest: good for the count only.
                    ids.clear();
                }
                ids.sort_unstable_by(|a, b| b.cmp(a));
                (ids, n)
            }
        };
        let (limit, offset) = limit_offset(q);
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let end = start.saturating_add(usize::try_from(limit).unwrap_or(0));
        if matches <= SEARCH_COUNT_CAP || end <= ordered.len() {
            // The page is among the ids known: read those rows by primary key.
            let page = &ordered[start.min(ordered.len())..end.min(ordered.len())];
            if page.is_empty() {
                return Ok(results(Vec::new(), matches));
            }
            let placeholders: Vec<String> = (1..=page.len()).map(|i| format!("${i}")).collect();
            let sql =
                format!("SELECT {HIT_COLS} FROM search_doc WHERE id IN ({}) ORDER BY id DESC", placeholders.join(", "));
            let hits = self.all_once(&sql, page.iter().map(|id| Arg::Int(*id)).collect(), hit).await?;
            return Ok(results(hits, matches));
        }
        // Beyond the first cap + 1 matches, which are dense (over cap in the whole table): walk
        // the primary key backwards, testing each row, until the page is full.
        let sql = format!(
            "SELECT {HIT_COLS} FROM search_doc WHERE id IN (SELECT id FROM search_words \
             WHERE ts_match_vq(tokens, $1::tsquery) ORDER BY id DESC LIMIT $2 OFFSET $3) ORDER BY id DESC"
        );
        let hits = self.all_once(&sql, args![expr, limit, offset], hit).await?;
        Ok(results(hits, matches))
    }

    /// Up to cap + 1 matching ids, in no order, through the GIN index. The planner is told not to
    /// scan the table instead (`enable_seqscan`, `enable_indexscan` off), inside a savepoint or
    /// transaction that is rolled back (it only reads), which also restores the settings: when
    /// its estimate is too high, a sequential scan hoping to meet the matches early would read
    /// the whole table.
    async fn pg_gin_ids(&mut self, expr: &str) -> StoreResult<Vec<i64>> {
        let mut tx = self.c().begin().await.map_err(map_err)?;
        let sql = "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)";
        exec_on(&mut tx, sql, args![]).await?;
        let sql = "SELECT id FROM search_words WHERE tokens @@ $1::tsquery LIMIT $2";
        let ids: Vec<i64> = scalars_once_on(&mut tx, sql, args![expr, count_limit()]).await?;
        tx.rollback().await.map_err(map_err)?;
        Ok(ids)
    }

    /// The access path for `expr`, from the planner's estimates (one `EXPLAIN`, not run): the
    /// first branch of the `UNION ALL` estimates the matches, the second the rows of the table.
    async fn pg_plan_for(&mut self, expr: &str) -> StoreResult<PgPlan> {
        let sql =
            "EXPLAIN SELECT id FROM search_words WHERE tokens @@ $1::tsquery UNION ALL SELECT id FROM search_words";
        let lines: Vec<String> = self.scalars_once(sql, args![expr]).await?;
        Ok(match explained_rows(&lines)[..] {
            [matches, n] => pg_plan(n, matches),
            _ => PgPlan::Gin,
        })
    }
}

/// Inserts one batch of new documents, then their words under the new ids (matched by kind and
/// `ref_id`, since RETURNING promises no order).
async fn insert_batch(conn: &mut AnyConnection, backend: Backend, docs: &[SearchDoc]) -> StoreResult<()> {
    let mut sql = "INSERT INTO search_doc (kind, ref_id, org_id, title, summary, updated_at) VALUES ".to_string();
    for i in 0..docs.len() {
        let p = |c: usize| format!("${}", i * 6 + c);
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("({}, {}, {}, {}, {}, {})", p(1), p(2), p(3), p(4), p(5), p(6)));
    }
    sql.push_str(" RETURNING id, kind, ref_id");
    let mut args = Vec::with_capacity(docs.len() * 6);
    for d in docs {
        args.extend(args![d.kind, d.ref_id, d.org_id, &d.title, &d.summary, d.updated_at]);
    }
    let returned =
        all_on(&mut *conn, &sql, args, |r| Ok(((r.get::<String>("kind")?, r.get("ref_id")?), r.get("id")?))).await?;
    let ids: HashMap<(String, i64), i64> = returned.into_iter().collect();
    let (head, words) = match backend {
        Backend::Sqlite => ("INSERT INTO search_fts (rowid, tokens) VALUES ", "{}"),
        Backend::Postgres => {
            ("INSERT INTO search_words (id, tokens) VALUES ", "array_to_tsvector(string_to_array({}, ' '))")
        }
    };
    let mut sql = head.to_string();
    for i in 0..docs.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, {})", 2 * i + 1, words.replace("{}", &format!("${}", 2 * i + 2))));
    }
    let mut args = Vec::with_capacity(docs.len() * 2);
    for d in docs {
        let id = ids
            .get(&(d.kind.as_str().to_string(), d.ref_id))
            .ok_or_else(|| StoreError::Backend("search: an inserted document was not returned".to_string()))?;
        args.extend(args![*id, doc_tokens(d)]);
    }
    exec_on(&mut *conn, &sql, args).await?;
    Ok(())
}

#[async_trait]
impl SearchRepo for SqlConn {
    async fn upsert_search_doc(&mut self, doc: &SearchDoc) -> StoreResult<()> {
        // Delete and insert (not an in-place update), so the document gets a new, higher id and
        // comes first; a savepoint (or transaction) keeps the pair atomic.
        let backend = self.backend;
        let mut tx = self.c().begin().await.map_err(map_err)?;
        exec_on(&mut tx, "DELETE FROM search_doc WHERE kind = $1 AND ref_id = $2", args![doc.kind, doc.ref_id]).await?;
        insert_batch(&mut tx, backend, std::slice::from_ref(doc)).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_search_doc(&mut self, kind: SearchKind, ref_id: i64) -> StoreResult<bool> {
        Ok(self.exec("DELETE FROM search_doc WHERE kind = $1 AND ref_id = $2", args![kind, ref_id]).await? > 0)
    }

    async fn search(&mut self, q: &SearchQuery) -> StoreResult<SearchResults> {
        let Some(terms) = Terms::of(q)? else {
            return Ok(results(Vec::new(), 0));
        };
        match self.backend {
            Backend::Sqlite => self.search_sqlite(&terms, q).await,
            Backend::Postgres => self.search_postgres(&terms, q).await,
        }
    }

    async fn bulk_insert_search_docs(&mut self, docs: &[SearchDoc]) -> StoreResult<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let backend = self.backend;
        let mut tx = self.c().begin().await.map_err(map_err)?;
        for chunk in docs.chunks(BULK_BATCH) {
            insert_batch(&mut tx, backend, chunk).await?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn count_search_docs(&mut self) -> StoreResult<u64> {
        let n: i64 = self.scalar("SELECT COUNT(*) FROM search_doc", args![]).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn optimize_search_index(&mut self) -> StoreResult<()> {
        let statements: &[&'static str] = match (self.backend, self.in_transaction()) {
            (Backend::Sqlite, _) => &["INSERT INTO search_fts (search_fts) VALUES ('optimize')", "ANALYZE search_doc"],
            // VACUUM cannot run in a transaction; it also merges the GIN pending list and sets the
            // visibility map. ANALYZE gives the statistics the access path is chosen from.
            (Backend::Postgres, false) => &["VACUUM ANALYZE search_doc", "VACUUM ANALYZE search_words"],
            (Backend::Postgres, true) => &["ANALYZE search_doc", "ANALYZE search_words"],
        };
        for sql in statements {
            sqlx::raw_sql(*sql).execute(self.c()).await.map_err(map_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use xiaoqi_domain::page::PageRequest;

    use super::*;

    fn query(text: &str, kinds: &[SearchKind]) -> SearchQuery {
        SearchQuery { text: text.to_string(), kinds: kinds.to_vec(), page: PageRequest::default() }
    }

    #[test]
    fn query_expressions_are_built_from_plain_tokens_only() {
        let t = Terms::of(&query("焊接 Welding", &[SearchKind::Team, SearchKind::Org])).ok().flatten();
        let Some(t) = t else { panic!("terms") };
        assert_eq!(t.expr(Backend::Sqlite), "(korg OR kteam) AND we7848ae68ea5 AND w77656c64696e67");
        assert_eq!(t.expr(Backend::Postgres), "(korg | kteam) & we7848ae68ea5 & w77656c64696e67");
        let one = Terms::of(&query("焊接", &[SearchKind::Demand])).ok().flatten().map(|t| t.expr(Backend::Postgres));
        assert_eq!(one.as_deref(), Some("kdemand & we7848ae68ea5"));
        let all = Terms::of(&query("焊接", &SearchKind::ALL)).ok().flatten().map(|t| t.expr(Backend::Sqlite));
        assert_eq!(all.as_deref(), Some("we7848ae68ea5"), "every kind is no filter");
        for text in ["", "  ", "'; DROP TABLE search_doc; --", "\" OR 1=1 \"", "!&|()"] {
            let t = Terms::of(&query(text, &[])).ok().flatten();
            for token in t.iter().flat_map(|t| t.0.iter().flatten()) {
                assert!(is_plain_token(token), "{text:?} gave {token:?}");
            }
        }
        assert_eq!(Terms::of(&query("，。", &[SearchKind::Org])).ok().flatten(), None);
    }

    #[test]
    fn pg_plan_probes_dense_matches_and_uses_gin_for_rare_ones() {
        let n = 1_000_000.0;
        assert_eq!(pg_plan(n, 0.0), PgPlan::Gin, "nothing expected");
        assert_eq!(pg_plan(0.0, 10.0), PgPlan::Gin, "an empty table");
        assert_eq!(pg_plan(f64::NAN, 10.0), PgPlan::Gin, "no estimate");
        assert_eq!(pg_plan(n, 500.0), PgPlan::Gin, "a rare word");
        assert_eq!(pg_plan(n, 30_000.0), PgPlan::Gin, "3 %");
        assert_eq!(pg_plan(n, 600_000.0), PgPlan::Probe { rows: 3_337 }, "a common word: twice the rows needed");
        assert_eq!(pg_plan(n, 70_000.0), PgPlan::Probe { rows: 28_600 }, "7 %");
        assert_eq!(pg_plan(2_000.0, 5_000.0), PgPlan::Probe { rows: 2_002 }, "an estimate above the rows");
    }

    #[test]
    fn explain_output_is_read_by_branch() {
        let text = "Append  (cost=276.41..172583.60 rows=1029837 width=8)
  ->  Bitmap Heap Scan on search_doc  (cost=276.41..71783.62 rows=28440 width=8)
        Recheck Cond: (tokens @@ '''w707974686f6e'''::tsquery)
        ->  Bitmap Index Scan on search_doc_tokens  (cost=0.00..269.30 rows=28440 width=0)
              Index Cond: (tokens @@ '''w707974686f6e'''::tsquery)
  ->  Seq Scan on search_doc search_doc_1  (cost=0.00..150185.97 rows=1001397 width=8)";
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        assert_eq!(explained_rows(&lines), vec![28440.0, 1001397.0]);
        assert!(explained_rows(&[]).is_empty());
        assert!(explained_rows(&["Result  (cost=0.00..0.01 rows=1 width=4)".to_string()]).is_empty());
    }
}

//! The search index: SQLite FTS5 or a PostgreSQL `tsvector` with a GIN index, both fed the same
//! ASCII-encoded words from `xiaoqi_engine::search`, so a query matches the same documents.
//!
//! A document's words are its text's index tokens plus one token for its kind (`korg`,
//! `kdemand`, …), so the kinds filter is part of the full-text query on both engines. A query is
//! the AND of its tokens; hits are ordered by `search_doc.id`, newest first, and the total is
//! counted up to [`SEARCH_COUNT_CAP`] + 1 matches only.
//!
//! Engine differences, named:
//! - SQLite: words in the contentless FTS5 table `search_fts` (rowid = `search_doc.id`), removed
//!   by a trigger when the `search_doc` row goes; a query is `w1 AND w2 …`. FTS5 reads matches in
//!   rowid order and stops early, so the count and the page are two plain statements.
//! - PostgreSQL: words in `search_doc.tokens`, built by `array_to_tsvector` (no text-search
//!   parser); a query is the `tsquery` `w1 & w2 …`. A GIN index returns matches in no order and
//!   costs time in proportion to the rarest word's posting list, so the access path is chosen
//!   here from the planner statistics (see [`pg_plan`]), not left to the planner, whose estimate
//!   for an AND of words assumes they are independent.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Connection, Row};
use xiaoqi_engine::search::{index_tokens, is_plain_token, query_tokens};
use xiaoqi_store::{
    Backend, SEARCH_COUNT_CAP, SearchDoc, SearchHit, SearchKind, SearchQuery, SearchRepo, SearchResults, StoreError,
    StoreResult,
};

use crate::conn::{SqlConn, code, map_err};

const HIT_COLS: &str = "kind, ref_id, org_id, title, summary, updated_at";
/// Documents per multi-row INSERT in a bulk load (7 parameters each: far below both bind limits).
const BULK_BATCH: usize = 500;

fn row_to_hit(r: &AnyRow) -> Result<SearchHit, sqlx::Error> {
    Ok(SearchHit {
        kind: code(r, "kind", SearchKind::parse)?,
        ref_id: r.try_get("ref_id")?,
        org_id: r.try_get("org_id")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        updated_at: r.try_get("updated_at")?,
    })
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

    /// Every token, space-separated.
    fn flat(&self) -> String {
        self.0.iter().flatten().cloned().collect::<Vec<_>>().join(" ")
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

/// Rows scanned at most by the PostgreSQL probe of the newest documents.
const PG_PROBE_MAX_ROWS: f64 = 60_000.0;

/// Cost model of the two PostgreSQL access paths, in microseconds, measured on a million
/// documents (2 cores, data in memory): the GIN bitmap costs per entry of the rarest term's
/// posting list plus a heap visit per match kept; the probe costs per row walked.
const PG_GIN_US_PER_ENTRY: f64 = 0.25;
const PG_HEAP_US_PER_MATCH: f64 = 3.0;
const PG_PROBE_US_PER_ROW: f64 = 0.8;

/// How PostgreSQL looks for the first cap + 1 matches.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PgPlan {
    /// Through the GIN index (cheap when one term is rare).
    Gin,
    /// Walking the newest rows by primary key, at most this many (cheap when matches are dense);
    /// falls back to [`PgPlan::Gin`] when it does not meet cap + 1 matches.
    Probe { rows: i64 },
}

/// Chooses the access path from the number of rows `n` and, for each AND-ed term, its estimated
/// share of rows (`None` when the statistics say nothing, e.g. before the first ANALYZE).
fn pg_plan(n: f64, shares: &[Option<f64>]) -> PgPlan {
    let known: Option<Vec<f64>> = shares.iter().copied().collect();
    let Some(shares) = known.filter(|s| !s.is_empty() && n >= 1.0) else { return PgPlan::Gin };
    let rarest = shares.iter().copied().fold(1.0_f64, f64::min).clamp(0.0, 1.0);
    // The AND of the terms, as if independent: a guess, only used to size the probe.
    let density = shares.iter().product::<f64>().clamp(0.0, 1.0);
    let wanted = count_limit() as f64;
    let gin = PG_GIN_US_PER_ENTRY * rarest * n + PG_HEAP_US_PER_MATCH * wanted.min(density * n);
    let probe_rows = if density > 0.0 { wanted / density } else { f64::INFINITY };
    if probe_rows > PG_PROBE_MAX_ROWS || PG_PROBE_US_PER_ROW * probe_rows >= gin {
        return PgPlan::Gin;
    }
    // Room for the guess to be off by a factor of two, within the bound.
    PgPlan::Probe { rows: (2.0 * probe_rows).min(PG_PROBE_MAX_ROWS).ceil() as i64 }
}

impl SqlConn {
    /// SQLite: the (capped) count and the page, both read from FTS5 in rowid order.
    async fn search_sqlite(&mut self, terms: &Terms, q: &SearchQuery) -> StoreResult<SearchResults> {
        let expr = terms.expr(Backend::Sqlite);
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH $1 LIMIT $2) AS m",
        )
        .bind(expr.clone())
        .bind(count_limit())
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        let matches = u64::try_from(n).unwrap_or(0);
        if matches == 0 || (matches <= SEARCH_COUNT_CAP && q.page.offset >= matches) {
            return Ok(results(Vec::new(), matches));
        }
        let (limit, offset) = limit_offset(q);
        let sql = format!(
            "SELECT {HIT_COLS} FROM search_doc WHERE id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH $1 \
             ORDER BY rowid DESC LIMIT $2 OFFSET $3) ORDER BY id DESC"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(expr)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let hits = rows.iter().map(row_to_hit).collect::<Result<_, _>>().map_err(map_err)?;
        Ok(results(hits, matches))
    }

    /// PostgreSQL: find up to cap + 1 matching ids the cheaper way ([`pg_plan`]), then the page.
    ///
    /// Statements carrying the query are unnamed (`persistent(false)`), so PostgreSQL plans each
    /// for its actual words rather than reusing a generic plan.
    async fn search_postgres(&mut self, terms: &Terms, q: &SearchQuery) -> StoreResult<SearchResults> {
        let expr = terms.expr(Backend::Postgres);
        let plan = self.pg_plan_for(terms).await?;
        // The newest cap + 1 matches in order, when the probe finds them.
        let mut found: Option<Vec<i64>> = None;
        if let PgPlan::Probe { rows } = plan {
            // The newest `rows` rows by primary key (the inner LIMIT fences the plan), tested one
            // by one; stops at cap + 1 matches. `ts_match_vq` is the function behind `@@`:
            // spelled so, it cannot use the GIN index.
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM (SELECT id, tokens FROM search_doc ORDER BY id DESC LIMIT $2) AS newest \
                 WHERE ts_match_vq(tokens, $1::tsquery) ORDER BY id DESC LIMIT $3",
            )
            .bind(expr.clone())
            .bind(rows)
            .bind(count_limit())
            .persistent(false)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
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
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in page {
                query = query.bind(*id);
            }
            let rows = query.persistent(false).fetch_all(self.c()).await.map_err(map_err)?;
            let hits = rows.iter().map(row_to_hit).collect::<Result<_, _>>().map_err(map_err)?;
            return Ok(results(hits, matches));
        }
        // Beyond the first cap + 1 matches, which are dense (over cap in the whole table): walk
        // the primary key backwards, testing each row, until the page is full.
        let sql = format!(
            "SELECT {HIT_COLS} FROM search_doc WHERE ts_match_vq(tokens, $1::tsquery) ORDER BY id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(expr)
            .bind(limit)
            .bind(offset)
            .persistent(false)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let hits = rows.iter().map(row_to_hit).collect::<Result<_, _>>().map_err(map_err)?;
        Ok(results(hits, matches))
    }

    /// Up to cap + 1 matching ids, in no order, through the GIN index. The planner is told not to
    /// scan the table instead (`enable_seqscan`, `enable_indexscan` off), inside a savepoint or
    /// transaction that is rolled back (it only reads), which also restores the settings: when
    /// its estimate is too high, a sequential scan hoping to meet the matches early would read
    /// the whole table.
    async fn pg_gin_ids(&mut self, expr: &str) -> StoreResult<Vec<i64>> {
        let mut tx = self.c().begin().await.map_err(map_err)?;
        sqlx::query("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM search_doc WHERE tokens @@ $1::tsquery LIMIT $2")
            .bind(expr.to_string())
            .bind(count_limit())
            .persistent(false)
            .fetch_all(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.rollback().await.map_err(map_err)?;
        Ok(ids)
    }

    /// Reads the row count and the share of rows holding each term from the planner statistics
    /// (`pg_stats.most_common_elems` of `tokens`; a word not listed there is rarer than the
    /// least common listed one), and chooses the access path.
    async fn pg_plan_for(&mut self, terms: &Terms) -> StoreResult<PgPlan> {
        let row = sqlx::query(
            "WITH st AS (SELECT most_common_elems::text::text[] AS e, most_common_elem_freqs AS f FROM pg_stats \
                 WHERE schemaname = current_schema() AND tablename = 'search_doc' AND attname = 'tokens'), \
             m AS (SELECT u.e, u.f FROM st, unnest(st.e, st.f) AS u(e, f) \
                 WHERE u.e = ANY (string_to_array($1, ' '))) \
             SELECT (SELECT reltuples::float8 FROM pg_class WHERE oid = 'search_doc'::regclass) AS n, \
                 (SELECT f[array_length(e, 1) + 1]::float8 FROM st) AS min_share, \
                 (SELECT string_agg(e || '=' || f::text, ' ') FROM m) AS shares",
        )
        .bind(terms.flat())
        .persistent(false)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        let n: Option<f64> = row.try_get("n").map_err(map_err)?;
        let min_share: Option<f64> = row.try_get("min_share").map_err(map_err)?;
        let listed: Option<String> = row.try_get("shares").map_err(map_err)?;
        let (Some(n), Some(min_share)) = (n, min_share) else { return Ok(PgPlan::Gin) };
        let listed: HashMap<&str, f64> = listed
            .as_deref()
            .unwrap_or("")
            .split(' ')
            .filter_map(|p| p.split_once('='))
            .filter_map(|(t, f)| Some((t, f.parse::<f64>().ok()?)))
            .collect();
        // An OR of tokens holds at most the sum of their shares.
        let shares: Vec<Option<f64>> = terms
            .0
            .iter()
            .map(|alts| Some(alts.iter().map(|t| listed.get(t.as_str()).copied().unwrap_or(min_share)).sum::<f64>()))
            .collect();
        Ok(pg_plan(n, &shares))
    }
}

/// Inserts one batch of new documents (and, on SQLite, their words).
async fn insert_batch(conn: &mut AnyConnection, backend: Backend, docs: &[SearchDoc]) -> StoreResult<()> {
    let width = if backend == Backend::Postgres { 7 } else { 6 };
    let mut sql = "INSERT INTO search_doc (kind, ref_id, org_id, title, summary, updated_at".to_string();
    sql.push_str(if backend == Backend::Postgres { ", tokens) VALUES " } else { ") VALUES " });
    for i in 0..docs.len() {
        let p = |c: usize| format!("${}", i * width + c);
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("({}, {}, {}, {}, {}, {}", p(1), p(2), p(3), p(4), p(5), p(6)));
        if backend == Backend::Postgres {
            sql.push_str(&format!(", array_to_tsvector(string_to_array({}, ' '))", p(7)));
        }
        sql.push(')');
    }
    let tokens: Vec<String> = docs.iter().map(doc_tokens).collect();
    let mut q = sqlx::query(AssertSqlSafe(if backend == Backend::Sqlite {
        format!("{sql} RETURNING id, kind, ref_id")
    } else {
        sql
    }));
    for (d, t) in docs.iter().zip(&tokens) {
        q = q
            .bind(d.kind.as_str())
            .bind(d.ref_id)
            .bind(d.org_id)
            .bind(d.title.clone())
            .bind(d.summary.clone())
            .bind(d.updated_at);
        if backend == Backend::Postgres {
            q = q.bind(t.clone());
        }
    }
    if backend == Backend::Postgres {
        q.execute(&mut *conn).await.map_err(map_err)?;
        return Ok(());
    }
    // SQLite: the words go to the FTS5 table under the new ids, matched by (kind, ref_id)
    // since RETURNING promises no order.
    let rows = q.fetch_all(&mut *conn).await.map_err(map_err)?;
    let mut ids: HashMap<(String, i64), i64> = HashMap::with_capacity(rows.len());
    for r in &rows {
        let key = (r.try_get::<String, _>("kind").map_err(map_err)?, r.try_get("ref_id").map_err(map_err)?);
        ids.insert(key, r.try_get("id").map_err(map_err)?);
    }
    let mut sql = "INSERT INTO search_fts (rowid, tokens) VALUES ".to_string();
    for i in 0..docs.len() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
    }
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for (d, t) in docs.iter().zip(tokens) {
        let id = ids
            .get(&(d.kind.as_str().to_string(), d.ref_id))
            .ok_or_else(|| StoreError::Backend("search: an inserted document was not returned".to_string()))?;
        q = q.bind(*id).bind(t);
    }
    q.execute(&mut *conn).await.map_err(map_err)?;
    Ok(())
}

#[async_trait]
impl SearchRepo for SqlConn {
    async fn upsert_search_doc(&mut self, doc: &SearchDoc) -> StoreResult<()> {
        // Delete and insert (not an in-place update), so the document gets a new, higher id and
        // comes first; a savepoint (or transaction) keeps the pair atomic.
        let backend = self.backend;
        let mut tx = self.c().begin().await.map_err(map_err)?;
        sqlx::query("DELETE FROM search_doc WHERE kind = $1 AND ref_id = $2")
            .bind(doc.kind.as_str())
            .bind(doc.ref_id)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        insert_batch(&mut tx, backend, std::slice::from_ref(doc)).await?;
        tx.commit().await.map_err(map_err)
    }

    async fn delete_search_doc(&mut self, kind: SearchKind, ref_id: i64) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM search_doc WHERE kind = $1 AND ref_id = $2")
            .bind(kind.as_str())
            .bind(ref_id)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
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
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM search_doc").fetch_one(self.c()).await.map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn optimize_search_index(&mut self) -> StoreResult<()> {
        let statements: &[&'static str] = match (self.backend, self.in_transaction()) {
            (Backend::Sqlite, _) => &["INSERT INTO search_fts (search_fts) VALUES ('optimize')", "ANALYZE search_doc"],
            // VACUUM cannot run in a transaction; it also merges the GIN pending list and sets the
            // visibility map. ANALYZE gives the statistics the access path is chosen from.
            (Backend::Postgres, false) => &["VACUUM ANALYZE search_doc"],
            (Backend::Postgres, true) => &["ANALYZE search_doc"],
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
        assert_eq!(pg_plan(n, &[None]), PgPlan::Gin, "no statistics");
        assert_eq!(pg_plan(0.0, &[Some(0.5)]), PgPlan::Gin, "empty table");
        assert_eq!(pg_plan(n, &[Some(0.0005)]), PgPlan::Gin, "a rare word");
        assert_eq!(pg_plan(n, &[Some(0.6), Some(0.0005)]), PgPlan::Gin, "a rare word with a common one");
        assert!(matches!(pg_plan(n, &[Some(0.6)]), PgPlan::Probe { rows } if rows < 5_000), "a common word");
        assert!(matches!(pg_plan(n, &[Some(0.3), Some(0.5)]), PgPlan::Probe { .. }), "two common words");
        assert_eq!(pg_plan(n, &[Some(0.02), Some(0.02)]), PgPlan::Gin, "too sparse to probe");
        assert!(matches!(pg_plan(2_000.0, &[Some(1.0)]), PgPlan::Probe { rows } if rows <= 2_002));
    }
}

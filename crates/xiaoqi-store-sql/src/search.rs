//! The search index: SQLite FTS5 or a PostgreSQL `tsvector` with a GIN index, both fed the same
//! ASCII-encoded words from `xiaoqi_engine::search`, so a query matches the same documents.
//!
//! A document's words are its text's index tokens plus one token for its kind (`korg`,
//! `kdemand`, …), so the kinds filter is part of the full-text query on both engines. A query is
//! the AND of its tokens; hits are ordered by `search_doc.id`, newest first, which FTS5 reads
//! directly from its index in rowid order and PostgreSQL from the primary key.
//!
//! Engine differences, named:
//! - SQLite: words in the contentless FTS5 table `search_fts` (rowid = `search_doc.id`), removed
//!   by a trigger when the `search_doc` row goes; a query is `w1 AND w2 …`.
//! - PostgreSQL: words in `search_doc.tokens`, built by `array_to_tsvector` (no parser); a query
//!   is the `tsquery` `w1 & w2 …`, bound as text and planned for its actual value (unnamed
//!   statement). How the rows are found depends on how many match: the count (capped) comes
//!   first, through the GIN index; a selective query then sorts its few matches, a broad one walks
//!   the primary key backwards until the page is full.

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

/// The full-text expression of a query in the engine's syntax, or `None` when the text has no
/// word (which finds nothing). Built only from encoded tokens, each checked to be `[a-z0-9]+`.
fn match_expr(backend: Backend, q: &SearchQuery) -> StoreResult<Option<String>> {
    let words = query_tokens(&q.text);
    if words.is_empty() {
        return Ok(None);
    }
    let mut kinds: Vec<SearchKind> = q.kinds.clone();
    kinds.sort();
    kinds.dedup();
    let (and, or) = match backend {
        Backend::Sqlite => (" AND ", " OR "),
        Backend::Postgres => (" & ", " | "),
    };
    let alts: Vec<String> = kinds.into_iter().map(kind_token).collect();
    if !words.iter().chain(&alts).all(|t| is_plain_token(t)) {
        return Err(StoreError::Backend("search: a query token is not plain ASCII".to_string()));
    }
    let mut parts = Vec::with_capacity(words.len() + 1);
    if !alts.is_empty() && alts.len() < SearchKind::ALL.len() {
        parts.push(if alts.len() == 1 { alts.join("") } else { format!("({})", alts.join(or)) });
    }
    parts.extend(words);
    Ok(Some(parts.join(and)))
}

/// A page's LIMIT and OFFSET as bind values.
fn limit_offset(q: &SearchQuery) -> (i64, i64) {
    (i64::from(q.page.limit), i64::try_from(q.page.offset).unwrap_or(i64::MAX))
}

impl SqlConn {
    /// SQLite: the (capped) count and the page, both read from FTS5 in rowid order.
    async fn search_sqlite(&mut self, expr: &str, q: &SearchQuery) -> StoreResult<SearchResults> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH $1 LIMIT $2) AS m",
        )
        .bind(expr.to_string())
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
            .bind(expr.to_string())
            .bind(limit)
            .bind(offset)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let hits = rows.iter().map(row_to_hit).collect::<Result<_, _>>().map_err(map_err)?;
        Ok(results(hits, matches))
    }

    /// PostgreSQL: GIN gives no order, so the plan depends on how many documents match.
    ///
    /// 1. The ids of up to cap + 1 matches, through the GIN index. The planner is told not to
    ///    scan the table instead (`enable_seqscan`/`enable_indexscan` off for this statement
    ///    only, inside a savepoint or transaction that is rolled back): its estimate for an AND
    ///    of words assumes they are independent and can be off by orders of magnitude, and a
    ///    sequential scan hoping to meet the matches early would then read the whole table.
    /// 2. At most cap matches: they are all known; sort them here and read the page by id.
    /// 3. More: the matches are dense (over 0.1 % of a million documents), so walk the primary
    ///    key backwards testing each row until the page is full. `ts_match_vq` is the function
    ///    behind `@@`; spelled as a function it cannot use the GIN index, so the planner cannot
    ///    pick the bitmap-then-sort plan, which would read every match.
    async fn search_postgres(&mut self, expr: &str, q: &SearchQuery) -> StoreResult<SearchResults> {
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
        // Read-only so far; rolling back also restores the planner settings.
        tx.rollback().await.map_err(map_err)?;
        let matches = u64::try_from(ids.len()).unwrap_or(u64::MAX);
        let (limit, offset) = limit_offset(q);
        if matches <= SEARCH_COUNT_CAP {
            let mut ids = ids;
            ids.sort_unstable_by(|a, b| b.cmp(a));
            let start = usize::try_from(offset).unwrap_or(usize::MAX).min(ids.len());
            let end = start.saturating_add(usize::try_from(limit).unwrap_or(0)).min(ids.len());
            let page = &ids[start..end];
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
        let sql = format!(
            "SELECT {HIT_COLS} FROM search_doc WHERE ts_match_vq(tokens, $1::tsquery) ORDER BY id DESC LIMIT $2 OFFSET $3"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(expr.to_string())
            .bind(limit)
            .bind(offset)
            .persistent(false)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let hits = rows.iter().map(row_to_hit).collect::<Result<_, _>>().map_err(map_err)?;
        Ok(results(hits, matches))
    }
}

/// How many matches to look for: one more than the cap, to know whether it is exceeded.
fn count_limit() -> i64 {
    i64::try_from(SEARCH_COUNT_CAP).unwrap_or(i64::MAX).saturating_add(1)
}

/// Results with the total capped.
fn results(hits: Vec<SearchHit>, matches: u64) -> SearchResults {
    SearchResults { hits, total: matches.min(SEARCH_COUNT_CAP), total_capped: matches > SEARCH_COUNT_CAP }
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
        let Some(expr) = match_expr(self.backend, q)? else {
            return Ok(results(Vec::new(), 0));
        };
        match self.backend {
            Backend::Sqlite => self.search_sqlite(&expr, q).await,
            Backend::Postgres => self.search_postgres(&expr, q).await,
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
        let statements: &[&str] = match (self.backend, self.in_transaction()) {
            (Backend::Sqlite, _) => &["INSERT INTO search_fts (search_fts) VALUES ('optimize')", "ANALYZE search_doc"],
            // VACUUM cannot run in a transaction; it also merges the GIN pending list and sets the
            // visibility map, which lets counts skip the table.
            (Backend::Postgres, false) => &["VACUUM ANALYZE search_doc"],
            (Backend::Postgres, true) => &["ANALYZE search_doc"],
        };
        for sql in statements {
            sqlx::raw_sql(*sql).execute(self.c()).await.map_err(map_err)?;
        }
        Ok(())
    }
}

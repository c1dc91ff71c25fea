//! The connection type behind `Conn`, driver-error mapping and small query helpers.

use async_trait::async_trait;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Transaction};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{Backend, Conn, StoreError, StoreResult};

enum Inner {
    Plain(PoolConnection<Any>),
    Tx(Transaction<'static, Any>),
}

/// A pooled connection or an open transaction; dropping an uncommitted transaction rolls it back.
pub struct SqlConn {
    inner: Inner,
    pub(crate) backend: Backend,
}

impl SqlConn {
    pub(crate) fn plain(c: PoolConnection<Any>, backend: Backend) -> Self {
        Self { inner: Inner::Plain(c), backend }
    }

    pub(crate) fn tx(t: Transaction<'static, Any>, backend: Backend) -> Self {
        Self { inner: Inner::Tx(t), backend }
    }

    /// An ORDER BY term sorting a text column by code point on both engines (PostgreSQL would
    /// otherwise use the database's locale collation and disagree with SQLite).
    pub(crate) fn text_order(&self, col: &str) -> String {
        match self.backend {
            Backend::Sqlite => col.to_string(),
            Backend::Postgres => format!("{col} COLLATE \"C\""),
        }
    }

    /// Whether this is an open transaction (statements such as `VACUUM` cannot run in one).
    pub(crate) fn in_transaction(&self) -> bool {
        matches!(self.inner, Inner::Tx(_))
    }

    /// The connection to run a statement on.
    pub(crate) fn c(&mut self) -> &mut AnyConnection {
        match &mut self.inner {
            Inner::Plain(c) => c,
            Inner::Tx(t) => t,
        }
    }
}

#[async_trait]
impl Conn for SqlConn {
    async fn commit(self: Box<Self>) -> StoreResult<()> {
        match self.inner {
            Inner::Plain(_) => Ok(()),
            Inner::Tx(t) => t.commit().await.map_err(map_err),
        }
    }
}

/// Maps a driver error to a `StoreError`; constraint violations become `Conflict`.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound { entity: "row" },
        sqlx::Error::Database(db) if db.is_unique_violation() || db.is_foreign_key_violation() => {
            let constraint = db.constraint().map(str::to_string).unwrap_or_else(|| db.message().to_string());
            StoreError::Conflict { constraint }
        }
        other => StoreError::Backend(other.to_string()),
    }
}

/// Milliseconds since the epoch, now.
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A value bound to a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    /// A NULL text value.
    Null,
    /// A NULL integer value (PostgreSQL types the parameter, so NULLs keep their column's type).
    NullInt,
}

/// A `WHERE` clause built from optional filters, numbering `$n` placeholders as it goes.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    pub(crate) args: Vec<Arg>,
}

impl Filter {
    /// Adds a condition; each `{}` (or `{0}`) in `sql` becomes the next placeholder, bound to `arg`.
    pub(crate) fn push(&mut self, sql: &str, arg: Arg) {
        self.args.push(arg);
        let n = self.args.len();
        let ph = format!("${n}");
        self.clauses.push(sql.replace("{0}", &ph).replace("{}", &ph));
    }

    /// Adds a condition without arguments; `sql` must not contain caller-supplied text.
    pub(crate) fn push_raw(&mut self, sql: &str) {
        self.clauses.push(sql.to_string());
    }

    /// Adds a condition with several values: the n-th `{}` in `sql` becomes the placeholder
    /// bound to the n-th argument.
    pub(crate) fn push_many(&mut self, sql: &str, args: Vec<Arg>) {
        let mut parts = sql.split("{}");
        let mut out = parts.next().unwrap_or_default().to_string();
        for (part, arg) in parts.zip(args) {
            self.args.push(arg);
            out.push_str(&format!("${}", self.args.len()));
            out.push_str(part);
        }
        self.clauses.push(out);
    }

    /// The `WHERE …` text, or nothing when no condition was added.
    pub(crate) fn where_sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }

    /// The next placeholder numbers for LIMIT and OFFSET.
    pub(crate) fn limit_offset_sql(&self) -> String {
        let n = self.args.len();
        format!(" LIMIT ${} OFFSET ${}", n + 1, n + 2)
    }
}

/// Binds dynamic arguments to a query.
pub(crate) fn bind_all<'q>(mut q: Query<'q, Any, AnyArguments>, args: &[Arg]) -> Query<'q, Any, AnyArguments> {
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s.clone()),
            Arg::Int(i) => q.bind(*i),
            Arg::Null => q.bind(None::<String>),
            Arg::NullInt => q.bind(None::<i64>),
        };
    }
    q
}

/// Runs `SELECT COUNT(*) FROM … WHERE …` and `SELECT cols FROM … WHERE … ORDER BY … LIMIT`,
/// mapping rows with `map`, to give one page.
pub(crate) async fn fetch_page<T>(
    conn: &mut AnyConnection,
    from: &str,
    cols: &str,
    filter: &Filter,
    order_by: &str,
    page: PageRequest,
    map: impl Fn(&AnyRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Page<T>> {
    let where_sql = filter.where_sql();
    let count_sql = format!("SELECT COUNT(*) FROM {from}{where_sql}");
    let total: i64 = bind_all(sqlx::query(AssertSqlSafe(count_sql)), &filter.args)
        .fetch_one(&mut *conn)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, 0))
        .map_err(map_err)?;
    let sql = format!("SELECT {cols} FROM {from}{where_sql} ORDER BY {order_by}{}", filter.limit_offset_sql());
    let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), &filter.args)
        .bind(i64::from(page.limit))
        .bind(i64::try_from(page.offset).unwrap_or(i64::MAX))
        .fetch_all(&mut *conn)
        .await
        .map_err(map_err)?;
    let items = rows.iter().map(map).collect::<Result<Vec<_>, _>>().map_err(map_err)?;
    Ok(Page { items, total: u64::try_from(total).unwrap_or(0), limit: page.limit, offset: page.offset })
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern and wraps it in `%…%`.
pub(crate) fn like_contains(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('%');
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// Reads a 0/1 integer column as a flag.
pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::Row::try_get::<i64, _>(row, col)? != 0)
}

/// Parses a stored enum code, reporting corruption as a decode error.
pub(crate) fn code<T>(row: &AnyRow, col: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    let s: String = sqlx::Row::try_get(row, col)?;
    parse(&s).ok_or_else(|| sqlx::Error::Decode(format!("unknown code {s:?} in column {col}").into()))
}

/// Writes `rows_affected == 0` as `NotFound`.
pub(crate) fn expect_one(done: sqlx::any::AnyQueryResult, entity: &'static str) -> StoreResult<()> {
    if done.rows_affected() == 0 { Err(StoreError::NotFound { entity }) } else { Ok(()) }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern matching values that start with `s`.
pub(crate) fn like_prefix(s: &str) -> String {
    let mut out = like_contains(s);
    out.remove(0);
    out
}

/// Reads a JSON text column into a value, reporting corruption as a decode error.
pub(crate) fn json_col<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T, sqlx::Error> {
    let s: String = sqlx::Row::try_get(row, col)?;
    serde_json::from_str(&s).map_err(|e| sqlx::Error::Decode(format!("bad JSON in column {col}: {e}").into()))
}

/// Serialises a value for a JSON text column.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(format!("cannot encode JSON: {e}")))
}

//! The connection type behind `Conn`, and the one place that speaks to the driver: statements
//! run through [`SqlConn::exec`], [`SqlConn::one`], [`SqlConn::opt`], [`SqlConn::all`],
//! [`SqlConn::scalar`] and [`SqlConn::page`], with arguments built by [`args!`] and rows read
//! through [`Row`] (or [`row!`]). The entity modules name no driver type.

use async_trait::async_trait;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Transaction};
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::destination::{DestinationKind, DestinationStatus};
use xiaoqi_domain::internship::InternshipKind;
use xiaoqi_domain::order_class::{EmploymentStatus, OrderClassStatus};
use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::placement::{AttendanceStatus, PlacementStatus};
use xiaoqi_domain::research::{FundingSource, MemberRole, ProblemStatus, ProjectStatus, ProposalStatus, TeamKind};
use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceKind, ServiceRequestStatus, Side};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus, Education};
use xiaoqi_store::{Backend, Conn, ReadScope, SearchKind, StoreError, StoreResult};

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

    /// Runs a statement; returns how many rows it changed.
    pub(crate) async fn exec(&mut self, sql: &str, args: Vec<Arg>) -> StoreResult<u64> {
        let done = query(sql, &args).execute(self.c()).await.map_err(map_err)?;
        Ok(done.rows_affected())
    }

    /// Runs a statement that must change a row: `NotFound { entity }` when it changed none (the
    /// row is missing, or a condition guarding a race no longer holds).
    pub(crate) async fn exec_one(&mut self, sql: &str, args: Vec<Arg>, entity: &'static str) -> StoreResult<()> {
        if self.exec(sql, args).await? == 0 { Err(StoreError::NotFound { entity }) } else { Ok(()) }
    }

    /// The one row a query returns, mapped.
    pub(crate) async fn one<T>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<T> {
        let row = query(sql, &args).fetch_one(self.c()).await.map_err(map_err)?;
        map(&Row(&row))
    }

    /// The row a query returns, if any, mapped.
    pub(crate) async fn opt<T>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Option<T>> {
        let row = query(sql, &args).fetch_optional(self.c()).await.map_err(map_err)?;
        row.map(|r| map(&Row(&r))).transpose()
    }

    /// Every row a query returns, mapped, in order.
    pub(crate) async fn all<T>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let rows = query(sql, &args).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(|r| map(&Row(r))).collect()
    }

    /// The first column of the one row a query returns (`COUNT(*)`, `RETURNING id`).
    pub(crate) async fn scalar<T: Col>(&mut self, sql: &str, args: Vec<Arg>) -> StoreResult<T> {
        let row = query(sql, &args).fetch_one(self.c()).await.map_err(map_err)?;
        T::read(&row, 0).map_err(map_err)
    }

    /// The first column of the row a query returns, if any.
    pub(crate) async fn opt_scalar<T: Col>(&mut self, sql: &str, args: Vec<Arg>) -> StoreResult<Option<T>> {
        let row = query(sql, &args).fetch_optional(self.c()).await.map_err(map_err)?;
        row.map(|r| T::read(&r, 0)).transpose().map_err(map_err)
    }

    /// The first column of every row a query returns.
    pub(crate) async fn scalars<T: Col>(&mut self, sql: &str, args: Vec<Arg>) -> StoreResult<Vec<T>> {
        let rows = query(sql, &args).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(|r| T::read(r, 0)).collect::<Result<_, _>>().map_err(map_err)
    }

    /// Like [`SqlConn::all`], as an unnamed statement: PostgreSQL plans it for these arguments
    /// each time rather than reusing a generic plan.
    pub(crate) async fn all_once<T>(
        &mut self,
        sql: &str,
        args: Vec<Arg>,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let rows = query(sql, &args).persistent(false).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(|r| map(&Row(r))).collect()
    }

    /// Like [`SqlConn::scalars`], as an unnamed statement (see [`SqlConn::all_once`]).
    pub(crate) async fn scalars_once<T: Col>(&mut self, sql: &str, args: Vec<Arg>) -> StoreResult<Vec<T>> {
        let rows = query(sql, &args).persistent(false).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(|r| T::read(r, 0)).collect::<Result<_, _>>().map_err(map_err)
    }

    /// Runs `SELECT COUNT(*) FROM … WHERE …` and `SELECT cols FROM … WHERE … ORDER BY … LIMIT`,
    /// mapping rows with `map`, to give one page.
    pub(crate) async fn page<T>(
        &mut self,
        from: &str,
        cols: &str,
        filter: &Filter,
        order_by: &str,
        page: PageRequest,
        map: fn(&Row) -> StoreResult<T>,
    ) -> StoreResult<Page<T>> {
        let where_sql = filter.where_sql();
        let total: i64 = self.scalar(&format!("SELECT COUNT(*) FROM {from}{where_sql}"), filter.args.clone()).await?;
        let sql = format!("SELECT {cols} FROM {from}{where_sql} ORDER BY {order_by}{}", filter.limit_offset_sql());
        let mut args = filter.args.clone();
        args.extend(page_args(page));
        let items = self.all(&sql, args, map).await?;
        Ok(Page { items, total: u64::try_from(total).unwrap_or(0), limit: page.limit, offset: page.offset })
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

/// Runs a statement on a given connection (a savepoint opened on this one); returns the rows
/// it changed.
pub(crate) async fn exec_on(c: &mut AnyConnection, sql: &str, args: Vec<Arg>) -> StoreResult<u64> {
    Ok(query(sql, &args).execute(c).await.map_err(map_err)?.rows_affected())
}

/// Every row a query returns on a given connection, mapped (see [`exec_on`]).
pub(crate) async fn all_on<T>(
    c: &mut AnyConnection,
    sql: &str,
    args: Vec<Arg>,
    map: fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let rows = query(sql, &args).fetch_all(c).await.map_err(map_err)?;
    rows.iter().map(|r| map(&Row(r))).collect()
}

/// The first column of every row a query returns on a given connection, as an unnamed
/// statement (see [`SqlConn::all_once`]).
pub(crate) async fn scalars_once_on<T: Col>(c: &mut AnyConnection, sql: &str, args: Vec<Arg>) -> StoreResult<Vec<T>> {
    let rows = query(sql, &args).persistent(false).fetch_all(c).await.map_err(map_err)?;
    rows.iter().map(|r| T::read(r, 0)).collect::<Result<_, _>>().map_err(map_err)
}

/// A statement with its arguments bound.
pub(crate) fn query<'q>(sql: &str, args: &[Arg]) -> Query<'q, Any, AnyArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql.to_string()));
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

/// A value bound to a statement.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
    /// A NULL text value.
    Null,
    /// A NULL integer value (PostgreSQL types the parameter, so NULLs keep their column's type).
    NullInt,
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}

impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Arg {
        v.map_or(Arg::NullInt, Arg::Int)
    }
}

/// Flags are stored as 0 or 1.
impl From<bool> for Arg {
    fn from(v: bool) -> Arg {
        Arg::Int(i64::from(v))
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(v.clone())
    }
}

impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Arg {
        v.map_or(Arg::Null, Arg::from)
    }
}

impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Arg {
        v.map_or(Arg::Null, Arg::Text)
    }
}

impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Arg {
        Arg::from(v.as_deref())
    }
}

/// The arguments of a statement, in placeholder order: `args![id, &p.name, p.kind]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => { vec![$($crate::conn::Arg::from($v)),*] };
}
pub(crate) use args;

/// The LIMIT and OFFSET arguments of a page.
pub(crate) fn page_args(page: PageRequest) -> [Arg; 2] {
    [Arg::Int(i64::from(page.limit)), Arg::Int(i64::try_from(page.offset).unwrap_or(i64::MAX))]
}

/// A row being read. Errors name the column; a stored code or JSON text that does not parse is
/// reported as corruption, not as the caller's fault.
pub(crate) struct Row<'r>(&'r AnyRow);

impl Row<'_> {
    /// The value of a column, as the type the caller expects.
    pub(crate) fn get<T: Col>(&self, col: &str) -> StoreResult<T> {
        T::read(self.0, col).map_err(map_err)
    }

    /// A JSON text column, decoded.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, col: &str) -> StoreResult<T> {
        let s: String = self.get(col)?;
        serde_json::from_str(&s).map_err(|e| StoreError::Backend(format!("bad JSON in column {col}: {e}")))
    }

    /// A nullable JSON text column, decoded.
    pub(crate) fn opt_json<T: serde::de::DeserializeOwned>(&self, col: &str) -> StoreResult<Option<T>> {
        let s: Option<String> = self.get(col)?;
        s.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Backend(format!("bad JSON in column {col}: {e}"))))
            .transpose()
    }
}

/// Builds a record from a row: `field` reads the column of the same name, `field: Type { … }`
/// builds a nested record the same way, and `field: expr` is taken as written
/// (`r.json("roles_json")?`, `r.get("display_name")?`, `Vec::new()`).
macro_rules! row {
    ($r:ident, $ty:ident { $($body:tt)* }) => { $crate::conn::row!(@ $r, $ty, [] $($body)*) };
    (@ $r:ident, $ty:ident, [$($done:tt)*]) => { $ty { $($done)* } };
    (@ $r:ident, $ty:ident, [$($done:tt)*] $f:ident $(, $($rest:tt)*)?) => {
        $crate::conn::row!(@ $r, $ty, [$($done)* $f: $r.get(stringify!($f))?,] $($($rest)*)?)
    };
    (@ $r:ident, $ty:ident, [$($done:tt)*] $f:ident : $sub:ident { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::conn::row!(@ $r, $ty, [$($done)* $f: $crate::conn::row!($r, $sub { $($inner)* }),] $($($rest)*)?)
    };
    (@ $r:ident, $ty:ident, [$($done:tt)*] $f:ident : $e:expr $(, $($rest:tt)*)?) => {
        $crate::conn::row!(@ $r, $ty, [$($done)* $f: $e,] $($($rest)*)?)
    };
}
pub(crate) use row;

/// A type a column can be read as: integers, text, 0/1 flags and the domain's stored codes.
pub(crate) trait Col: Sized {
    /// Reads column `i` (a name or a position).
    fn read<I: sqlx::ColumnIndex<AnyRow> + std::fmt::Display + Copy>(r: &AnyRow, i: I) -> Result<Self, sqlx::Error>;
}

macro_rules! plain_cols {
    ($($t:ty),*) => {$(
        impl Col for $t {
            fn read<I: sqlx::ColumnIndex<AnyRow> + std::fmt::Display + Copy>(r: &AnyRow, i: I) -> Result<Self, sqlx::Error> {
                sqlx::Row::try_get(r, i)
            }
        }
    )*};
}
plain_cols!(i64, Option<i64>, String, Option<String>);

impl Col for bool {
    fn read<I: sqlx::ColumnIndex<AnyRow> + std::fmt::Display + Copy>(r: &AnyRow, i: I) -> Result<Self, sqlx::Error> {
        Ok(i64::read(r, i)? != 0)
    }
}

impl Col for Option<bool> {
    fn read<I: sqlx::ColumnIndex<AnyRow> + std::fmt::Display + Copy>(r: &AnyRow, i: I) -> Result<Self, sqlx::Error> {
        Ok(Option::<i64>::read(r, i)?.map(|v| v != 0))
    }
}

/// The domain's enums are stored as their stable codes: bound with `as_str`, read with `parse`
/// (an unknown code is a decode error naming the column).
macro_rules! code_cols {
    ($($t:ty),* $(,)?) => {$(
        impl Col for $t {
            fn read<I: sqlx::ColumnIndex<AnyRow> + std::fmt::Display + Copy>(r: &AnyRow, i: I) -> Result<Self, sqlx::Error> {
                let s = String::read(r, i)?;
                <$t>::parse(&s).ok_or_else(|| sqlx::Error::Decode(format!("unknown code {s:?} in column {i}").into()))
            }
        }

        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Text(v.as_str().to_string())
            }
        }
    )*};
}
code_cols!(
    ApplicationStatus,
    AttendanceStatus,
    ConsentScope,
    ConversionKind,
    DemandStatus,
    DestinationKind,
    DestinationStatus,
    Education,
    EmploymentStatus,
    FundingSource,
    InternshipKind,
    MemberRole,
    MembershipStatus,
    OfferingStatus,
    OrderClassStatus,
    OrgKind,
    PlacementStatus,
    PriceUnit,
    ProblemStatus,
    ProjectStatus,
    ProposalStatus,
    ResultKind,
    Role,
    SearchKind,
    ServiceKind,
    ServiceRequestStatus,
    Side,
    TeamKind,
);

/// A `WHERE` clause built from optional filters, numbering `$n` placeholders as it goes.
#[derive(Debug, Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    pub(crate) args: Vec<Arg>,
}

impl Filter {
    /// A filter whose first placeholders are taken by `args` (written as `$1`, `$2` … in the
    /// statement it is added to).
    pub(crate) fn after(args: Vec<Arg>) -> Filter {
        Filter { clauses: Vec::new(), args }
    }

    /// Adds a condition; each `{}` (or `{0}`) in `sql` becomes the next placeholder, bound to `arg`.
    pub(crate) fn push(&mut self, sql: &str, arg: impl Into<Arg>) {
        self.args.push(arg.into());
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

    /// Adds the floor of a read scope: a row passes when one of `org_cols` (columns or scalar
    /// subqueries) is an organisation of the scope, or `account_col` (when given) is its
    /// account (`account_col` may hold its own `{}`, for a condition such as `EXISTS (…)`).
    /// `Everything` adds nothing; a scope with neither adds a condition no row meets.
    pub(crate) fn scope(&mut self, scope: &ReadScope, org_cols: &[&str], account_col: Option<&str>) {
        let ReadScope::Member { account, orgs } = scope else { return };
        let mut alternatives = Vec::new();
        let mut args = Vec::new();
        if !orgs.is_empty() {
            let marks = vec!["{}"; orgs.len()].join(", ");
            for col in org_cols {
                alternatives.push(format!("{col} IN ({marks})"));
                args.extend(orgs.iter().map(|o| Arg::Int(*o)));
            }
        }
        if let Some(col) = account_col {
            alternatives.push(if col.contains("{}") { col.to_string() } else { format!("{col} = {{}}") });
            args.push(Arg::Int(*account));
        }
        if alternatives.is_empty() {
            self.push_raw("1 = 0");
        } else {
            self.push_many(&format!("({})", alternatives.join(" OR ")), args);
        }
    }

    /// The conditions joined by AND, for a statement that writes its own `WHERE`; `1 = 1` when
    /// there are none.
    pub(crate) fn and_sql(&self) -> String {
        if self.clauses.is_empty() { "1 = 1".to_string() } else { self.clauses.join(" AND ") }
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

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern matching values that start with `s`.
pub(crate) fn like_prefix(s: &str) -> String {
    let mut out = like_contains(s);
    out.remove(0);
    out
}

/// Serialises a value for a JSON text column.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(format!("cannot encode JSON: {e}")))
}

#![doc = include_str!("../README.md")]

mod account;
pub mod admin;
mod application;
mod audit;
mod auth;
mod backup;
mod benefit;
mod college;
mod conn;
mod destination;
mod migrate;
mod order_class;
mod org;
mod placement;
mod practice;
mod refdata;
mod research;
mod search;
mod service;
mod talent;

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use xiaoqi_store::{Backend, Conn, Store, StoreResult};

pub use backup::TableDigest;
pub use conn::SqlConn;

/// The oldest SQLite library accepted: 3.51.3 fixes a WAL-reset corruption bug (STACK.md).
pub const MIN_SQLITE_VERSION: (u32, u32, u32) = (3, 51, 3);

/// Why opening a database failed.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The URL names no supported engine.
    #[error("unsupported database URL (use sqlite://PATH or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// The SQLite library linked in is too old to be safe.
    #[error("SQLite {found} is older than the required {required}")]
    SqliteTooOld { found: String, required: String },
    /// Connecting or migrating failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration {version} failed: {source}")]
    Migration { version: i64, source: sqlx::Error },
}

/// A store on SQLite or PostgreSQL, chosen by the URL; queries are written once in portable SQL.
#[derive(Clone)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
}

impl SqlStore {
    /// Opens (creating a SQLite file if needed), checks the engine and applies pending migrations.
    pub async fn open(url: &str, max_connections: u32) -> Result<SqlStore, OpenError> {
        let store = SqlStore::connect(url, max_connections).await?;
        migrate::run(&store.pool, store.backend).await?;
        Ok(store)
    }

    /// Opens a copy of a database migrated by this build (a test's copy of a template) without
    /// looking at its migrations. Test support: anything else opens with [`SqlStore::open`].
    #[doc(hidden)]
    pub async fn open_migrated_copy(url: &str, max_connections: u32) -> Result<SqlStore, OpenError> {
        SqlStore::connect(url, max_connections).await
    }

    /// Connects and checks the engine.
    async fn connect(url: &str, max_connections: u32) -> Result<SqlStore, OpenError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(OpenError::UnsupportedUrl(redact_url(url)));
        };
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_string()
        };
        let opts = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; FULL keeps committed transactions
                        // across power loss (NORMAL can lose them, STACK.md).
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await?;
        let store = SqlStore { pool, backend };
        if backend == Backend::Sqlite {
            store.check_sqlite_version().await?;
        }
        Ok(store)
    }

    async fn check_sqlite_version(&self) -> Result<(), OpenError> {
        let found: String = sqlx::query_scalar("SELECT sqlite_version()").fetch_one(&self.pool).await?;
        if parse_version(&found) < MIN_SQLITE_VERSION {
            let (a, b, c) = MIN_SQLITE_VERSION;
            return Err(OpenError::SqliteTooOld { found, required: format!("{a}.{b}.{c}") });
        }
        Ok(())
    }

    /// The version string of the database engine, for start-up logs.
    pub async fn engine_version(&self) -> StoreResult<String> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT 'SQLite ' || sqlite_version()",
            Backend::Postgres => "SELECT version()",
        };
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.map_err(conn::map_err)
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Parses "3.51.3" into a comparable triple; missing parts count as 0.
pub fn parse_version(v: &str) -> (u32, u32, u32) {
    let mut it = v.split('.').map(|p| p.trim().parse::<u32>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// Hides a password in a database URL before it is logged or shown.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map_err(conn::map_err)?;
        Ok(())
    }

    async fn conn(&self) -> StoreResult<Box<dyn Conn>> {
        let c = self.pool.acquire().await.map_err(conn::map_err)?;
        Ok(Box::new(SqlConn::plain(c, self.backend)))
    }

    async fn begin(&self) -> StoreResult<Box<dyn Conn>> {
        // SQLite: take the write lock up front, so a read-then-write transaction cannot fail
        // with SQLITE_BUSY when it upgrades; busy_timeout then queues writers.
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(conn::map_err)?;
        Ok(Box::new(SqlConn::tx(tx, self.backend)))
    }
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore").field("backend", &self.backend).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(parse_version("3.40.1") < MIN_SQLITE_VERSION);
        assert!(parse_version("3.51.2") < MIN_SQLITE_VERSION);
        assert!(parse_version("3.51.3") >= MIN_SQLITE_VERSION);
        assert!(parse_version("3.100.0") > MIN_SQLITE_VERSION);
    }

    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[tokio::test]
    async fn other_engines_are_refused() {
        let r = SqlStore::open("mysql://localhost/x", 1).await;
        assert!(matches!(r, Err(OpenError::UnsupportedUrl(_))), "{r:?}");
    }
}

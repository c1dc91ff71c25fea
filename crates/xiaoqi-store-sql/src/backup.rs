//! Backups: a consistent copy of the whole database taken while the platform runs, and content
//! digests per table to prove that a restored copy holds what the backup held.
//!
//! SQLite: `VACUUM INTO` reads the database in one read transaction, so the copy is a snapshot
//! at one instant while writers go on (WAL mode); the copy is a plain database file, compacted.
//! PostgreSQL: the server's own `pg_dump --format=custom` (one repeatable-read snapshot) and
//! `pg_restore`, which the binary runs; see the README's "Backups".

use std::path::Path;

use sqlx::{AssertSqlSafe, Row as _};
use xiaoqi_store::{Backend, StoreError, StoreResult};

use crate::SqlStore;
use crate::conn::map_err;

/// The content of one table: its row count and a digest over every row in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub table: String,
    pub rows: u64,
    /// FNV-1a (64 bit) over each row's columns rendered as text, rows ordered by every column.
    pub digest: u64,
}

impl SqlStore {
    /// Writes a consistent copy of the whole SQLite database to `dest`, which must not exist.
    /// Refused on PostgreSQL, whose backups are the server's `pg_dump`.
    pub async fn backup_sqlite_into(&self, dest: &Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Backend("in-process backups are for SQLite; use pg_dump on PostgreSQL".into()));
        }
        if dest.exists() {
            return Err(StoreError::Backend(format!("{} already exists; a backup never overwrites", dest.display())));
        }
        let path = dest.to_str().ok_or_else(|| StoreError::Backend("the backup path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.pool).await.map_err(map_err)?;
        Ok(())
    }

    /// SQLite's `PRAGMA integrity_check`: "ok" or the problems found. PostgreSQL: "ok" when
    /// the database answers (it has no equivalent check of the whole file).
    pub async fn integrity_check(&self) -> StoreResult<String> {
        match self.backend {
            Backend::Sqlite => {
                let rows = sqlx::query("PRAGMA integrity_check").fetch_all(&self.pool).await.map_err(map_err)?;
                let lines: Vec<String> = rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).collect();
                Ok(lines.join("; "))
            }
            Backend::Postgres => {
                sqlx::query("SELECT 1").execute(&self.pool).await.map_err(map_err)?;
                Ok("ok".into())
            }
        }
    }

    /// A digest of every table of the platform (migration bookkeeping included), by name.
    pub async fn table_digests(&self) -> StoreResult<Vec<TableDigest>> {
        let tables_sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
                 AND table_type = 'BASE TABLE' ORDER BY table_name"
            }
        };
        let tables: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(&self.pool).await.map_err(map_err)?;
        let mut out = Vec::with_capacity(tables.len());
        for table in tables {
            out.push(self.table_digest(&table).await?);
        }
        Ok(out)
    }

    async fn table_digest(&self, table: &str) -> StoreResult<TableDigest> {
        // Names come from the catalogue, but are still checked before they are spliced in.
        let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !plain(table) {
            return Err(StoreError::Backend(format!("unexpected table name {table:?}")));
        }
        let cols_sql = match self.backend {
            Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            Backend::Postgres => {
                "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name = $1 ORDER BY ordinal_position"
            }
        };
        let cols: Vec<String> =
            sqlx::query_scalar(cols_sql).bind(table).fetch_all(&self.pool).await.map_err(map_err)?;
        if let Some(bad) = cols.iter().find(|c| !plain(c)) {
            return Err(StoreError::Backend(format!("unexpected column name {bad:?} in {table}")));
        }
        // Each value as text: SQLite's quote() also renders blobs (as X'…'), PostgreSQL's text
        // cast renders bytea as \x….
        let select: Vec<String> = match self.backend {
            Backend::Sqlite => cols.iter().map(|c| format!("quote({c})")).collect(),
            Backend::Postgres => cols.iter().map(|c| format!("CAST({c} AS TEXT)")).collect(),
        };
        let order: Vec<String> = (1..=cols.len()).map(|i| i.to_string()).collect();
        let sql = format!("SELECT {} FROM {table} ORDER BY {}", select.join(", "), order.join(", "));
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await.map_err(map_err)?;
        let mut digest = Fnv::new();
        for r in &rows {
            for i in 0..cols.len() {
                let v: Option<String> = r.try_get(i).map_err(map_err)?;
                match v {
                    Some(v) => {
                        digest.write(&[1]);
                        digest.write(v.as_bytes());
                    }
                    None => digest.write(&[0]),
                }
                digest.write(&[0x1f]);
            }
            digest.write(&[0x1e]);
        }
        Ok(TableDigest { table: table.to_string(), rows: rows.len() as u64, digest: digest.0 })
    }
}

/// FNV-1a, 64 bit: stable across builds and platforms (unlike std's hasher), enough to tell
/// two copies of a table apart.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

//! The two migration directories describe one schema: after migrating, SQLite and PostgreSQL
//! have the same tables, columns, nullability, primary keys, unique constraints and CHECK
//! constraints (compared by the columns they involve), with column types mapped to a small
//! common set (integer, text, real). The engine-specific search tables are left out by name.
//!
//! The SQLite schema is always read and checked on its own; the comparison runs when
//! `XIAOQI_TEST_POSTGRES_URL` names a server whose user may create databases (required in CI).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AnyConnection, Connection, Row};
use xiaoqi_store_sql::SqlStore;
use xiaoqi_store_sql::admin::{drop_postgres_database, recreate_postgres_database};

const URL_VAR: &str = "XIAOQI_TEST_POSTGRES_URL";

/// Tables that exist on one engine only, by design: the search index's words (an FTS5 table and
/// its shadow tables on SQLite, a `tsvector` table on PostgreSQL; see `search.rs`).
const SQLITE_ONLY: &[&str] = &["search_fts"];
const POSTGRES_ONLY: &[&str] = &["search_words"];

/// One table as both engines can describe it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column name → (common type, NOT NULL).
    columns: BTreeMap<String, (&'static str, bool)>,
    primary_key: Vec<String>,
    /// Unique constraints and indexes: (columns in order, partial).
    uniques: BTreeSet<(Vec<String>, bool)>,
    /// CHECK constraints, each as the sorted set of the table's columns it mentions.
    checks: BTreeSet<Vec<String>>,
}

type Schema = BTreeMap<String, Table>;

/// A declared or catalogued column type in the common set; `None` when it maps to none.
fn common_type(t: &str) -> Option<&'static str> {
    let t = t.to_ascii_lowercase();
    if t.contains("int") || t == "serial" || t == "bigserial" {
        Some("integer")
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        Some("text")
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") || t.contains("numeric") {
        Some("real")
    } else {
        None
    }
}

/// The CHECK expressions of a `CREATE TABLE` statement (SQLite keeps no catalog of them).
fn check_expressions(sql: &str) -> Vec<String> {
    let bytes = sql.as_bytes();
    let lower = sql.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("check").map(|i| i + from) {
        from = at + 5;
        let word_start = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        let rest = lower[from..].trim_start();
        if !word_start || !rest.starts_with('(') {
            continue;
        }
        let open = from + (lower[from..].len() - rest.len());
        let (mut depth, mut quoted) = (0usize, false);
        for (i, ch) in sql[open..].char_indices() {
            match ch {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        out.push(sql[open + 1..open + i].to_string());
                        from = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The columns of `columns` an expression mentions (identifiers outside string literals).
fn mentioned_columns(expr: &str, columns: &BTreeMap<String, (&'static str, bool)>) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut quoted = false;
    let mut word = String::new();
    for ch in expr.chars().chain(std::iter::once(' ')) {
        if ch == '\'' {
            quoted = !quoted;
        }
        if !quoted && (ch.is_ascii_alphanumeric() || ch == '_') {
            word.push(ch.to_ascii_lowercase());
        } else {
            if columns.contains_key(&word) {
                found.insert(std::mem::take(&mut word));
            }
            word.clear();
        }
    }
    found.into_iter().collect()
}

async fn sqlite_schema(url: &str) -> Schema {
    let mut c = AnyConnection::connect(url).await.expect("connect to the SQLite file");
    let tables = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut c)
    .await
    .expect("tables");
    let virtual_tables: Vec<String> = tables
        .iter()
        .filter(|r| r.get::<String, _>("sql").to_ascii_uppercase().starts_with("CREATE VIRTUAL TABLE"))
        .map(|r| r.get("name"))
        .collect();
    let mut schema = Schema::new();
    for t in &tables {
        let (name, sql): (String, String) = (t.get("name"), t.get("sql"));
        if virtual_tables.iter().any(|v| name == *v || name.starts_with(&format!("{v}_"))) {
            continue;
        }
        let mut table = Table::default();
        let cols = sqlx::query("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info($1) ORDER BY cid")
            .bind(&name)
            .fetch_all(&mut c)
            .await
            .expect("columns");
        let mut pk: Vec<(i64, String)> = Vec::new();
        for col in &cols {
            let (col_name, ty, nn, pk_pos): (String, String, i64, i64) =
                (col.get("name"), col.get("type"), col.get("nn"), col.get("pk"));
            let ty =
                common_type(&ty).unwrap_or_else(|| panic!("{name}.{col_name}: type {ty:?} is not in the common set"));
            // A primary key column cannot be NULL on either engine, whatever SQLite's flag says.
            table.columns.insert(col_name.clone(), (ty, nn != 0 || pk_pos > 0));
            if pk_pos > 0 {
                pk.push((pk_pos, col_name));
            }
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        let indexes =
            sqlx::query("SELECT name, \"unique\" AS uq, origin, partial FROM pragma_index_list($1) ORDER BY name")
                .bind(&name)
                .fetch_all(&mut c)
                .await
                .expect("indexes");
        for ix in &indexes {
            let (ix_name, unique, origin, partial): (String, i64, String, i64) =
                (ix.get("name"), ix.get("uq"), ix.get("origin"), ix.get("partial"));
            if unique == 0 || origin == "pk" {
                continue;
            }
            let cols = sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                .bind(&ix_name)
                .fetch_all(&mut c)
                .await
                .expect("index columns");
            let cols = cols.iter().map(|r| r.get::<Option<String>, _>("name").unwrap_or_else(|| "(expression)".into()));
            table.uniques.insert((cols.collect(), partial != 0));
        }
        for expr in check_expressions(&sql) {
            table.checks.insert(mentioned_columns(&expr, &table.columns));
        }
        schema.insert(name, table);
    }
    c.close().await.expect("close");
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let mut c = AnyConnection::connect(url).await.expect("connect to the PostgreSQL database");
    let mut schema = Schema::new();
    let cols = sqlx::query(
        "SELECT c.table_name::text AS t, c.column_name::text AS col, c.data_type::text AS ty, \
         c.is_nullable::text AS nullable FROM information_schema.columns c \
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut c)
    .await
    .expect("columns");
    for r in &cols {
        let (t, col, ty, nullable): (String, String, String, String) =
            (r.get("t"), r.get("col"), r.get("ty"), r.get("nullable"));
        let common = common_type(&ty).unwrap_or("other");
        schema.entry(t).or_default().columns.insert(col, (common, nullable == "NO"));
    }
    let indexes = sqlx::query(
        "SELECT t.relname::text AS t, x.indisprimary::int AS pk, (x.indpred IS NOT NULL)::int AS partial, \
         (SELECT string_agg(COALESCE(a.attname::text, '(expression)'), ',' ORDER BY k.ord) \
            FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS cols \
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND x.indisunique",
    )
    .fetch_all(&mut c)
    .await
    .expect("indexes");
    for r in &indexes {
        let (t, pk, partial, cols): (String, i32, i32, String) =
            (r.get("t"), r.get("pk"), r.get("partial"), r.get("cols"));
        let cols: Vec<String> = cols.split(',').map(str::to_string).collect();
        let Some(table) = schema.get_mut(&t) else { continue };
        if pk != 0 {
            table.primary_key = cols;
        } else {
            table.uniques.insert((cols, partial != 0));
        }
    }
    let checks = sqlx::query(
        "SELECT t.relname::text AS t, (SELECT string_agg(a.attname::text, ',' ORDER BY a.attname::text) \
            FROM unnest(k.conkey) AS u(attnum) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.attnum) AS cols \
         FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND k.contype = 'c'",
    )
    .fetch_all(&mut c)
    .await
    .expect("checks");
    for r in &checks {
        let (t, cols): (String, Option<String>) = (r.get("t"), r.get("cols"));
        let cols = cols.map(|c| c.split(',').map(str::to_string).collect()).unwrap_or_default();
        if let Some(table) = schema.get_mut(&t) {
            table.checks.insert(cols);
        }
    }
    c.close().await.expect("close");
    schema
}

/// Every difference between the two schemas, one line each.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for name in names {
        let skip = |only: &[&str]| only.contains(&name.as_str());
        match (sqlite.get(name), postgres.get(name)) {
            (Some(_), None) if skip(SQLITE_ONLY) => {}
            (None, Some(_)) if skip(POSTGRES_ONLY) => {}
            (Some(_), None) => out.push(format!("{name}: only on SQLite")),
            (None, Some(_)) => out.push(format!("{name}: only on PostgreSQL")),
            (Some(s), Some(p)) => {
                let cols: BTreeSet<&String> = s.columns.keys().chain(p.columns.keys()).collect();
                for col in cols {
                    let (a, b) = (s.columns.get(col), p.columns.get(col));
                    if a != b {
                        out.push(format!("{name}.{col}: SQLite {a:?}, PostgreSQL {b:?} (type, not null)"));
                    }
                }
                if s.primary_key != p.primary_key {
                    out.push(format!("{name}: primary key SQLite {:?}, PostgreSQL {:?}", s.primary_key, p.primary_key));
                }
                for u in s.uniques.symmetric_difference(&p.uniques) {
                    let on = if s.uniques.contains(u) { "SQLite" } else { "PostgreSQL" };
                    out.push(format!("{name}: unique {:?} (partial: {}) only on {on}", u.0, u.1));
                }
                for k in s.checks.symmetric_difference(&p.checks) {
                    let on = if s.checks.contains(k) { "SQLite" } else { "PostgreSQL" };
                    out.push(format!("{name}: a CHECK on {k:?} only on {on}"));
                }
            }
            (None, None) => {}
        }
    }
    out
}

fn temp_sqlite() -> PathBuf {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    std::env::temp_dir().join(format!("xq_schema_{}_{nanos}.db", std::process::id()))
}

fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

async fn migrated_sqlite_schema() -> Schema {
    let path = temp_sqlite();
    let url = format!("sqlite://{}", path.display());
    let store = SqlStore::open(&url, 1).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    store.close().await;
    let schema = sqlite_schema(&format!("{url}?mode=ro")).await;
    remove_sqlite(&path);
    schema
}

#[tokio::test]
async fn sqlite_schema_uses_the_common_types_and_gives_every_table_a_primary_key() {
    let schema = migrated_sqlite_schema().await;
    assert!(schema.len() > 20, "the migrated schema has its tables: {:?}", schema.keys());
    for (name, t) in &schema {
        assert!(!t.primary_key.is_empty(), "{name} has a primary key");
    }
    let audit = schema.get("audit_log").expect("the audit log");
    assert_eq!(audit.columns.get("action"), Some(&("text", true)), "columns are read with their nullability");
}

#[tokio::test]
async fn sqlite_and_postgres_migrate_to_the_same_schema() {
    let server = match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ if std::env::var_os("CI").is_some() => panic!("{URL_VAR} must be set in CI"),
        _ => {
            eprintln!("note: skipping the schema comparison: {URL_VAR} is not set");
            return;
        }
    };
    let sqlite = migrated_sqlite_schema().await;
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let name = format!("xq_schema_{}_{}", std::process::id(), nanos % 1_000_000_000);
    let url = recreate_postgres_database(&server, &name).await.expect("create a scratch database");
    let opened = SqlStore::open(&url, 1).await;
    let postgres = match opened {
        Ok(store) => {
            store.close().await;
            Some(postgres_schema(&url).await)
        }
        Err(e) => {
            eprintln!("open {name}: {e}");
            None
        }
    };
    drop_postgres_database(&server, &name).await.expect("drop the scratch database");
    let postgres = postgres.expect("the PostgreSQL migrations apply");
    for (engine, schema) in [("SQLite", &sqlite), ("PostgreSQL", &postgres)] {
        let checks: usize = schema.values().map(|t| t.checks.len()).sum();
        let uniques: usize = schema.values().map(|t| t.uniques.len()).sum();
        assert!(checks > 50 && uniques > 10, "{engine}'s catalog was read: {checks} checks, {uniques} uniques");
    }
    let diff = differences(&sqlite, &postgres);
    assert!(diff.is_empty(), "the migration directories drifted apart:\n{}", diff.join("\n"));
}

#[test]
fn checks_are_found_in_create_table_text_with_the_columns_they_mention() {
    let sql = "CREATE TABLE t (a INTEGER CHECK (a > 0), b TEXT NOT NULL CHECK (b IN ('x', 'check (c)')), \
               c INTEGER, checked INTEGER, CHECK ((c IS NULL) = (a IS NULL)))";
    let exprs = check_expressions(sql);
    assert_eq!(exprs, vec!["a > 0", "b IN ('x', 'check (c)')", "(c IS NULL) = (a IS NULL)"]);
    let columns: BTreeMap<String, (&'static str, bool)> =
        ["a", "b", "c", "checked"].iter().map(|c| (c.to_string(), ("integer", false))).collect();
    assert_eq!(mentioned_columns(&exprs[1], &columns), vec!["b"], "words inside literals are not columns");
    assert_eq!(mentioned_columns(&exprs[2], &columns), vec!["a", "c"]);
    assert_eq!(common_type("BIGINT"), Some("integer"));
    assert_eq!(common_type("character varying"), Some("text"));
    assert_eq!(common_type("double precision"), Some("real"));
    assert_eq!(common_type("tsvector"), None);
}

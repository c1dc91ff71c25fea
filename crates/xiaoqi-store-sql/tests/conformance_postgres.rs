//! The storage conformance suite on PostgreSQL: every scenario in its own copy of a migrated
//! template database, plus the promises only raw SQL can check (migrations applied twice, the
//! append-only audit log).
//!
//! Every test here is `#[ignore]`d so that a run without a server shows them as ignored, never
//! as passed. Run them with `--include-ignored` and `XIAOQI_TEST_POSTGRES_URL` set (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`) to a database whose user may create databases;
//! without the variable they fail.

#[path = "support/template_db.rs"]
mod template_db;

use std::sync::Arc;

use sqlx::{AnyConnection, AssertSqlSafe, Connection};
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_store::conformance::ScenarioFn;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AuditEntry, Backend, OrgFilter, OrgProfile};
use xiaoqi_store_sql::SqlStore;

use crate::template_db::{Engine, Template, TestDb, postgres_server, with_database};

/// The starting point of every scenario: the schema, nothing else, in a database with a Chinese
/// ICU collation when the server has one, so that the suite proves ordering does not depend on
/// the database's collation.
const MIGRATED: Template = Template {
    kind: "schema",
    build: |url| {
        Box::pin(async move {
            SqlStore::open(url, 1).await.unwrap_or_else(|e| panic!("migrate the template: {e}")).close().await;
        })
    },
    icu: true,
};

/// A database created empty for one test (the raw-SQL tests that need no migrations applied yet).
struct TempDb {
    server: String,
    name: String,
    url: String,
}

impl TempDb {
    async fn create() -> TempDb {
        let server = postgres_server();
        sqlx::any::install_default_drivers();
        let name = format!(
            "xq_test_{}_{}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        );
        let mut admin = AnyConnection::connect(&server).await.expect("connect to XIAOQI_TEST_POSTGRES_URL");
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
        admin.close().await.expect("close the admin connection");
        let url = with_database(&server, &name);
        TempDb { server, name, url }
    }

    async fn drop_db(self) {
        let mut admin = AnyConnection::connect(&self.server).await.expect("connect to drop the test database");
        sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("DROP DATABASE {}: {e}", self.name));
        admin.close().await.expect("close the admin connection");
    }
}

async fn open(url: &str) -> SqlStore {
    match SqlStore::open(url, 4).await {
        Ok(s) => s,
        Err(e) => panic!("open {url}: {e}"),
    }
}

/// Opens a test's copy of the migrated template.
async fn open_copy(db: &TestDb) -> SqlStore {
    match SqlStore::open_migrated_copy(&db.url, 4).await {
        Ok(s) => s,
        Err(e) => panic!("open {}: {e}", db.url),
    }
}

/// Runs one scenario in a fresh copy of the migrated template; the copy is dropped even when the
/// scenario fails.
async fn run_scenario(name: &'static str, scenario: ScenarioFn) {
    let db = TestDb::copy_of(Engine::Postgres, MIGRATED).await;
    let store = Arc::new(open_copy(&db).await);
    assert_eq!(store.backend(), Backend::Postgres, "{name}");
    let shared = Arc::clone(&store);
    let outcome = tokio::spawn(async move { scenario(&*shared).await }).await;
    store.close().await;
    db.remove().await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("scenario {name} did not finish: {e}"),
        }
    }
}

xiaoqi_store::conformance_tests!(
    run_scenario,
    ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"
);

fn audit_entry(org: i64) -> AuditEntry {
    AuditEntry {
        at: 1_700_000_000_000,
        actor_id: Some(1),
        org_id: Some(org),
        action: "organization.update".to_string(),
        entity: "organization".to_string(),
        entity_id: org.to_string(),
        before: Some(serde_json::json!({"name": "旧名"})),
        after: Some(serde_json::json!({"name": "新名"})),
        request_id: Some("req-1".to_string()),
    }
}

#[test]
fn database_names_are_replaced_in_urls() {
    assert_eq!(with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
    assert_eq!(with_database("postgres://u:p@h/test?sslmode=disable", "x"), "postgres://u:p@h/x?sslmode=disable");
    assert_eq!(with_database("postgresql://h", "x"), "postgresql://h/x");
}

/// Opening the same database again (twice at once, then after closing) re-applies no migration.
#[tokio::test]
#[ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"]
async fn migrations_are_idempotent_when_opening_the_same_database_twice() {
    let db = TempDb::create().await;
    // Two instances starting at once: one migrates, the other waits and finds nothing to do.
    let (first, second) = tokio::join!(open(&db.url), open(&db.url));
    let mut c = first.conn().await.expect("conn");
    let profile = OrgProfile::new(OrgKind::Enterprise, "迁移测试企业");
    let id = c.create_org(&profile, MembershipStatus::None, 1).await.expect("create_org");
    drop(c);
    let mut c = second.conn().await.expect("conn on the second store");
    assert!(c.find_org(id).await.expect("find_org").is_some(), "both stores see the same data");
    drop(c);
    second.close().await;
    first.close().await;

    let third = open(&db.url).await;
    let mut c = third.conn().await.expect("conn on the third store");
    let total = c.list_orgs(&OrgFilter::default(), Default::default()).await.expect("list_orgs").total;
    assert_eq!(total, 1, "data survives closing and reopening");
    drop(c);
    third.close().await;

    let mut raw = AnyConnection::connect(&db.url).await.expect("raw connection");
    let (rows, versions): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations")
            .fetch_one(&mut raw)
            .await
            .expect("read schema_migrations");
    raw.close().await.expect("close raw connection");
    db.drop_db().await;
    assert!(rows >= 1, "migrations are recorded");
    assert_eq!(rows, versions, "each migration is recorded once");
}

/// The database itself refuses to edit or delete audit entries written through the store.
#[tokio::test]
#[ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"]
async fn audit_log_refuses_update_and_delete() {
    let db = TestDb::copy_of(Engine::Postgres, MIGRATED).await;
    let store = open_copy(&db).await;
    let mut c = store.conn().await.expect("conn");
    c.append_audit(&audit_entry(7)).await.expect("append_audit");
    drop(c);

    let mut raw = AnyConnection::connect(&db.url).await.expect("raw connection");
    let mut accepted = Vec::new();
    for sql in [
        "UPDATE audit_log SET action = 'tampered'",
        "UPDATE audit_log SET after_json = NULL WHERE org_id = 7",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE org_id = 7",
        "TRUNCATE audit_log",
    ] {
        if sqlx::raw_sql(sql).execute(&mut raw).await.is_ok() {
            accepted.push(sql);
        }
    }
    raw.close().await.expect("close raw connection");

    let mut c = store.conn().await.expect("conn");
    let entries: Vec<AuditEntry> =
        c.list_audit(7, Default::default()).await.expect("list_audit").items.into_iter().map(|r| r.entry).collect();
    drop(c);
    store.close().await;
    db.remove().await;
    assert!(accepted.is_empty(), "the append-only audit log accepted: {accepted:?}");
    assert_eq!(entries, vec![audit_entry(7)], "entry intact");
}

/// Conversion events and their ledger lines cannot be edited, deleted or truncated, even with raw SQL.
#[tokio::test]
#[ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"]
async fn conversion_ledger_refuses_update_and_delete() {
    let db = TestDb::copy_of(Engine::Postgres, MIGRATED).await;
    let store = open_copy(&db).await;
    store.close().await;
    let mut raw = AnyConnection::connect(&db.url).await.expect("raw connection");
    // The rows alone matter here, not what they refer to: seed them without foreign-key checks.
    sqlx::raw_sql(
        "SET session_replication_role = replica; \
         INSERT INTO research_conversions (id, result_id, kind, counterparty, event_date, income_fen, note, \
           agreement_version_id, recorded_by, recorded_at) VALUES (1, 1, 'licence', 'x', '2027-01-01', 100, '', 1, 1, 0); \
         INSERT INTO research_ledger_lines (conversion_id, position, beneficiary_kind, beneficiary_index, name, \
           amount_fen) VALUES (1, 0, 'party', 0, 'x', 100); \
         SET session_replication_role = origin;",
    )
    .execute(&mut raw)
    .await
    .expect("seed rows");
    let mut accepted = Vec::new();
    for sql in [
        "UPDATE research_conversions SET income_fen = 1",
        "DELETE FROM research_conversions",
        "UPDATE research_ledger_lines SET amount_fen = 1",
        "DELETE FROM research_ledger_lines",
        "TRUNCATE research_ledger_lines",
    ] {
        if sqlx::raw_sql(sql).execute(&mut raw).await.is_ok() {
            accepted.push(sql);
        }
    }
    let left: i64 = sqlx::query_scalar("SELECT CAST(SUM(amount_fen) AS BIGINT) FROM research_ledger_lines")
        .fetch_one(&mut raw)
        .await
        .expect("sum");
    raw.close().await.expect("close raw connection");
    db.remove().await;
    assert!(accepted.is_empty(), "the append-only ledger accepted {accepted:?}");
    assert_eq!(left, 100, "the line is intact");
}

/// The database itself refuses to edit, delete or truncate scholarship payments.
#[tokio::test]
#[ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"]
async fn order_class_ledger_refuses_update_and_delete() {
    let db = TestDb::copy_of(Engine::Postgres, MIGRATED).await;
    let store = open_copy(&db).await;
    let class = xiaoqi_store::conformance::seed_one_disbursement(&store).await;
    let mut raw = AnyConnection::connect(&db.url).await.expect("raw connection");
    let mut accepted = Vec::new();
    for sql in [
        "UPDATE order_class_disbursements SET amount_fen = 1",
        "DELETE FROM order_class_disbursements",
        "TRUNCATE order_class_disbursements",
    ] {
        if sqlx::raw_sql(sql).execute(&mut raw).await.is_ok() {
            accepted.push(sql);
        }
    }
    raw.close().await.expect("close raw connection");
    let mut c = store.conn().await.expect("conn");
    let rows = c.list_disbursements(class).await.expect("ledger");
    drop(c);
    store.close().await;
    db.remove().await;
    assert!(accepted.is_empty(), "the append-only ledger accepted {accepted:?}");
    assert_eq!(rows.iter().map(|d| d.amount_fen).collect::<Vec<_>>(), vec![500_000], "the payment is intact");
}

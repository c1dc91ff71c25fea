//! The storage conformance suite on SQLite: every scenario on its own copy of a migrated template
//! file, plus the promises only raw SQL can check (migrations applied twice, the append-only audit
//! log).

#[path = "support/template_db.rs"]
mod template_db;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{AnyConnection, Connection};
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_store::conformance::ScenarioFn;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AuditEntry, Backend, OrgFilter, OrgProfile};
use xiaoqi_store_sql::SqlStore;

use crate::template_db::{Engine, Template, TestDb};

/// The starting point of every scenario: the schema, nothing else.
const MIGRATED: Template = Template {
    kind: "schema",
    build: |url| {
        Box::pin(async move {
            SqlStore::open(url, 1).await.unwrap_or_else(|e| panic!("migrate {url}: {e}")).close().await;
        })
    },
    icu: false,
};

/// A database file in the temp directory, deleted (with its WAL companions) on drop.
struct TempDb {
    path: PathBuf,
}

impl TempDb {
    fn new(label: &str) -> TempDb {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let name = format!("xq_conf_{}_{n}_{nanos}_{label}.db", std::process::id());
        TempDb { path: std::env::temp_dir().join(name) }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.path.display())
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

async fn open(db: &TempDb) -> SqlStore {
    SqlStore::open(&db.url(), 4).await.unwrap_or_else(|e| panic!("open {}: {e}", db.url()))
}

/// Runs one scenario on a fresh copy of the migrated template; the copy is removed even when the
/// scenario fails.
async fn run_scenario(name: &'static str, scenario: ScenarioFn) {
    let db = TestDb::copy_of(Engine::Sqlite, MIGRATED).await;
    let store = Arc::new(SqlStore::open_migrated_copy(&db.url, 4).await.unwrap_or_else(|e| panic!("open {name}: {e}")));
    assert_eq!(store.backend(), Backend::Sqlite);
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

xiaoqi_store::conformance_tests!(run_scenario);

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

/// Opening the same file again (while it is open, and after closing) re-applies no migration.
#[tokio::test]
async fn migrations_are_idempotent_when_opening_the_same_file_twice() {
    let db = TempDb::new("migrations");
    let first = open(&db).await;
    let mut c = first.conn().await.expect("conn");
    let profile = OrgProfile::new(OrgKind::Enterprise, "迁移测试企业");
    let id = c.create_org(&profile, MembershipStatus::None, 1).await.expect("create_org");
    drop(c);

    let second = open(&db).await;
    let mut c = second.conn().await.expect("conn on the second store");
    assert!(c.find_org(id).await.expect("find_org").is_some(), "data survives a second open");
    drop(c);
    second.close().await;
    first.close().await;

    let third = open(&db).await;
    let mut c = third.conn().await.expect("conn on the third store");
    let total = c.list_orgs(&OrgFilter::default(), Default::default()).await.expect("list_orgs").total;
    assert_eq!(total, 1, "data survives closing and reopening");
    drop(c);
    third.close().await;

    let mut raw = AnyConnection::connect(&db.url()).await.expect("raw connection");
    let (rows, versions): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations")
            .fetch_one(&mut raw)
            .await
            .expect("read schema_migrations");
    assert!(rows >= 1, "migrations are recorded");
    assert_eq!(rows, versions, "each migration is recorded once");
    raw.close().await.expect("close raw connection");
}

/// Two stores opening the same fresh file at once (a server and a CLI starting together) both
/// succeed: one applies the migrations, the other finds them applied. Tried on several files,
/// since the two openings race.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn migrations_are_idempotent_when_two_stores_open_a_fresh_file_at_once() {
    let mut failures = Vec::new();
    for attempt in 0..20 {
        let db = TempDb::new(&format!("concurrent_open_{attempt}"));
        let url = db.url();
        let (a, b) = tokio::join!(SqlStore::open(&url, 2), SqlStore::open(&url, 2));
        for r in [a, b] {
            match r {
                Ok(store) => store.close().await,
                Err(e) => failures.push(format!("attempt {attempt}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "opening a fresh file twice at once failed {} times: {failures:#?}", failures.len());
}

/// The database itself refuses to edit or delete audit entries written through the store.
#[tokio::test]
async fn audit_log_refuses_update_and_delete() {
    sqlx::any::install_default_drivers();
    let db = TempDb::new("audit");
    let store = open(&db).await;
    let mut c = store.conn().await.expect("conn");
    c.append_audit(&audit_entry(7)).await.expect("append_audit");
    drop(c);

    let mut raw = AnyConnection::connect(&db.url()).await.expect("raw connection");
    for sql in [
        "UPDATE audit_log SET action = 'tampered'",
        "UPDATE audit_log SET after_json = NULL WHERE org_id = 7",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE org_id = 7",
    ] {
        let r = sqlx::raw_sql(sql).execute(&mut raw).await;
        assert!(r.is_err(), "{sql} must fail on the append-only audit log, got {r:?}");
    }
    raw.close().await.expect("close raw connection");

    let mut c = store.conn().await.expect("conn");
    let page = c.list_audit(7, Default::default()).await.expect("list_audit");
    assert_eq!(page.items.iter().map(|r| r.entry.clone()).collect::<Vec<_>>(), vec![audit_entry(7)], "entry intact");
    drop(c);
    store.close().await;
}

/// The database itself refuses to edit or delete scholarship payments.
#[tokio::test]
async fn order_class_ledger_refuses_update_and_delete() {
    sqlx::any::install_default_drivers();
    let db = TempDb::new("ledger");
    let store = open(&db).await;
    let class = xiaoqi_store::conformance::seed_one_disbursement(&store).await;
    let mut raw = AnyConnection::connect(&db.url()).await.expect("raw connection");
    for sql in ["UPDATE order_class_disbursements SET amount_fen = 1", "DELETE FROM order_class_disbursements"] {
        let r = sqlx::raw_sql(sql).execute(&mut raw).await;
        assert!(r.is_err(), "{sql} must fail on the append-only ledger, got {r:?}");
    }
    raw.close().await.expect("close raw connection");
    let mut c = store.conn().await.expect("conn");
    let rows = c.list_disbursements(class).await.expect("ledger");
    assert_eq!(rows.iter().map(|d| d.amount_fen).collect::<Vec<_>>(), vec![500_000], "the payment is intact");
    drop(c);
    store.close().await;
}

/// Conversion events and their ledger lines cannot be edited or deleted, even with raw SQL.
#[tokio::test]
async fn conversion_ledger_refuses_update_and_delete() {
    sqlx::any::install_default_drivers();
    let db = TempDb::new("ledger");
    let store = open(&db).await;
    store.close().await;
    let mut raw = AnyConnection::connect(&db.url()).await.expect("raw connection");
    // The rows alone matter here, not what they refer to.
    sqlx::raw_sql(
        "PRAGMA foreign_keys = OFF; \
         INSERT INTO research_conversions (id, result_id, kind, counterparty, event_date, income_fen, note, \
           agreement_version_id, recorded_by, recorded_at) VALUES (1, 1, 'licence', 'x', '2027-01-01', 100, '', 1, 1, 0); \
         INSERT INTO research_ledger_lines (conversion_id, position, beneficiary_kind, beneficiary_index, name, \
           amount_fen) VALUES (1, 0, 'party', 0, 'x', 100);",
    )
    .execute(&mut raw)
    .await
    .expect("seed rows");
    for sql in [
        "UPDATE research_conversions SET income_fen = 1",
        "DELETE FROM research_conversions",
        "UPDATE research_ledger_lines SET amount_fen = 1",
        "DELETE FROM research_ledger_lines",
    ] {
        let r = sqlx::raw_sql(sql).execute(&mut raw).await;
        assert!(r.is_err(), "{sql} must fail on the append-only ledger, got {r:?}");
    }
    let left: i64 =
        sqlx::query_scalar("SELECT SUM(amount_fen) FROM research_ledger_lines").fetch_one(&mut raw).await.expect("sum");
    assert_eq!(left, 100, "the line is intact");
    raw.close().await.expect("close raw connection");
}

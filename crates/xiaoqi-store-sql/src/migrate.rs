//! A small migration runner: numbered SQL files per backend, applied once each, in order.
//!
//! sqlx's `migrate!` needs the `macros` feature (a second compile of sqlx for the proc macro);
//! this keeps the same contract (a version table, one transaction per migration) in 60 lines.

use sqlx::{AnyPool, AssertSqlSafe, Connection};
use xiaoqi_store::Backend;

use crate::OpenError;

/// (version, name, SQLite text, PostgreSQL text); same numbers on both backends, ascending but
/// not necessarily contiguous (numbers are reserved by work in progress elsewhere).
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "refdata_search",
        include_str!("../migrations/sqlite/0002_refdata_search.sql"),
        include_str!("../migrations/postgres/0002_refdata_search.sql"),
    ),
    (
        3,
        "talent",
        include_str!("../migrations/sqlite/0003_talent.sql"),
        include_str!("../migrations/postgres/0003_talent.sql"),
    ),
    (
        4,
        "search",
        include_str!("../migrations/sqlite/0004_search.sql"),
        include_str!("../migrations/postgres/0004_search.sql"),
    ),
    (
        5,
        "services",
        include_str!("../migrations/sqlite/0005_services.sql"),
        include_str!("../migrations/postgres/0005_services.sql"),
    ),
    (
        6,
        "practice",
        include_str!("../migrations/sqlite/0006_practice.sql"),
        include_str!("../migrations/postgres/0006_practice.sql"),
    ),
    (
        7,
        "order_classes",
        include_str!("../migrations/sqlite/0007_order_classes.sql"),
        include_str!("../migrations/postgres/0007_order_classes.sql"),
    ),
    (
        8,
        "placements",
        include_str!("../migrations/sqlite/0008_placements.sql"),
        include_str!("../migrations/postgres/0008_placements.sql"),
    ),
    (
        9,
        "research",
        include_str!("../migrations/sqlite/0009_research.sql"),
        include_str!("../migrations/postgres/0009_research.sql"),
    ),
    (
        10,
        "place_skills",
        include_str!("../migrations/sqlite/0010_place_skills.sql"),
        include_str!("../migrations/postgres/0010_place_skills.sql"),
    ),
    (
        11,
        "research_benefit",
        include_str!("../migrations/sqlite/0011_research_benefit.sql"),
        include_str!("../migrations/postgres/0011_research_benefit.sql"),
    ),
    (
        12,
        "account_hardening",
        include_str!("../migrations/sqlite/0012_account_hardening.sql"),
        include_str!("../migrations/postgres/0012_account_hardening.sql"),
    ),
    (
        13,
        "destinations",
        include_str!("../migrations/sqlite/0013_destinations.sql"),
        include_str!("../migrations/postgres/0013_destinations.sql"),
    ),
    (
        14,
        "conversion_confirmation",
        include_str!("../migrations/sqlite/0014_conversion_confirmation.sql"),
        include_str!("../migrations/postgres/0014_conversion_confirmation.sql"),
    ),
];

/// Applies the migrations not yet recorded in `schema_migrations`.
pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<(), OpenError> {
    let mut conn = pool.acquire().await?;
    if backend == Backend::Postgres {
        // Several instances may start at once: one migrates, the others wait.
        sqlx::query("SELECT pg_advisory_lock(7461636)").execute(&mut *conn).await?;
    }
    let result = apply(&mut conn, backend).await;
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(7461636)").execute(&mut *conn).await?;
    }
    result
}

async fn apply(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<(), OpenError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    for (version, name, sqlite, postgres) in MIGRATIONS {
        // SQLite: take the write lock first and check inside it, so that two processes opening
        // a fresh file at once apply each migration exactly once (PostgreSQL has the advisory
        // lock for that).
        let mut tx = match backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => conn.begin().await?,
        };
        let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = $1")
            .bind(*version)
            .fetch_one(&mut *tx)
            .await?;
        if done > 0 {
            // End the transaction now: a dropped one rolls back only when the connection is next
            // used, and until then it holds SQLite's write lock ("database is locked" for the
            // first write of another connection of the pool).
            tx.rollback().await?;
            continue;
        }
        let sql = if backend == Backend::Sqlite { sqlite } else { postgres };
        let step = async {
            sqlx::raw_sql(AssertSqlSafe(*sql)).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(*version)
                .bind(*name)
                .bind(crate::conn::now_millis())
                .execute(&mut *tx)
                .await?;
            Ok::<(), sqlx::Error>(())
        };
        step.await.map_err(|source| OpenError::Migration { version: *version, source })?;
        tx.commit().await.map_err(|source| OpenError::Migration { version: *version, source })?;
        tracing::info!(version, name, "applied migration");
    }
    Ok(())
}

//! Template databases for tests: each kind of starting point (migrated, seeded …) is built once
//! per test process and engine, and every test gets its own copy of it.
//!
//! - SQLite: the template is one file written with `VACUUM INTO` (consistent on its own, no
//!   `-wal` or `-shm` companions); a test copies the file into a directory of its own.
//! - PostgreSQL: the template is a database marked `IS_TEMPLATE` that accepts no connections,
//!   named after its kind, the day, the test binary's path and the build of that binary, so that
//!   concurrent test processes of one build share it and other builds never see it. It is built
//!   under a private name and renamed into place (a process that loses the race drops its own
//!   copy); a test gets `CREATE DATABASE … TEMPLATE …`. Templates of other days, and of older builds
//!   of the same binary, are dropped when a template is built.
//!
//! Shared by the adapter's conformance tests and the API tests (included with `#[path]`).

#![allow(dead_code)]

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::{AnyConnection, AssertSqlSafe, Connection};

/// The variable naming the PostgreSQL server of the tests.
pub const POSTGRES_URL_VAR: &str = "XIAOQI_TEST_POSTGRES_URL";

/// The reason PostgreSQL variants of tests are ignored by default.
pub const POSTGRES_IGNORED: &str = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL";

/// The engine a test database runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Fills a freshly created, empty database (given by its URL) and closes every connection to it.
pub type Build = for<'a> fn(&'a str) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A kind of template: its name (lower-case letters, at most 8), how it is built, and whether its
/// PostgreSQL database uses a Chinese ICU collation (so that a suite proves ordering does not
/// depend on it).
#[derive(Clone, Copy)]
pub struct Template {
    pub kind: &'static str,
    pub build: Build,
    pub icu: bool,
}

/// The server URL of the PostgreSQL tests; a PostgreSQL test without it fails, never passes.
pub fn postgres_server() -> String {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "{POSTGRES_URL_VAR} is not set: the PostgreSQL tests need a server whose user may create databases, \
             e.g. {POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432/test"
        ),
    }
}

/// `url` with its database name replaced by `db` (query parameters are kept).
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority..].find('/') {
        Some(i) => &base[..authority + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

/// One test's database, removed when dropped (also when the test panics).
pub struct TestDb {
    pub url: String,
    pub engine: Engine,
    place: Place,
}

enum Place {
    SqliteDir(PathBuf),
    Postgres { server: String, name: String },
    Gone,
}

impl TestDb {
    /// A copy of the template `t` on `engine`, building the template first if this process has not.
    pub async fn copy_of(engine: Engine, t: Template) -> TestDb {
        match engine {
            Engine::Sqlite => {
                let template = sqlite_template(t).await;
                let dir = std::env::temp_dir().join(unique(&format!("xq_t_{}", t.kind)));
                std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
                let file = dir.join("t.db");
                std::fs::copy(&template, &file).unwrap_or_else(|e| panic!("copy {}: {e}", template.display()));
                TestDb { url: format!("sqlite://{}", file.display()), engine, place: Place::SqliteDir(dir) }
            }
            Engine::Postgres => {
                let server = postgres_server();
                let name = take_postgres_copy(&server, t).await;
                TestDb { url: with_database(&server, &name), engine, place: Place::Postgres { server, name } }
            }
        }
    }

    /// Removes the database (PostgreSQL: `DROP DATABASE … WITH (FORCE)` on the background
    /// runtime; one still in flight when the process ends is dropped by the next process).
    pub async fn remove(mut self) {
        match std::mem::replace(&mut self.place, Place::Gone) {
            Place::SqliteDir(dir) => remove_dir(&dir),
            Place::Postgres { server, name } => drop_in_background(server, name),
            Place::Gone => {}
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.place, Place::Gone) {
            Place::SqliteDir(dir) => remove_dir(&dir),
            Place::Postgres { server, name } => drop_in_background(server, name),
            Place::Gone => {}
        }
    }
}

fn remove_dir(dir: &Path) {
    // A file still open elsewhere keeps its space until closed; nothing else to do about it.
    let _ = std::fs::remove_dir_all(dir);
}

/// A name no other test of any process uses: prefix, process id, counter, clock.
fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// FNV-1a: a stable hash for names (std's hasher may change between releases).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// (path, build) fingerprints of the running test binary: a rebuild (new migrations, a new
/// seed) changes the second.
fn binary_fingerprints() -> (u32, u32) {
    let exe = std::env::current_exe().unwrap_or_default();
    let meta = std::fs::metadata(&exe).ok();
    let len = meta.as_ref().map_or(0, |m| m.len());
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let path = fnv(exe.to_string_lossy().as_bytes());
    let build = fnv(format!("{len}:{modified}").as_bytes());
    (path as u32, build as u32)
}

fn today() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400)
}

/// The templates this process has built, per engine and kind; `None` until built (or after the
/// PostgreSQL template went missing).
type Slot = Arc<tokio::sync::Mutex<Option<String>>>;

fn slot(engine: Engine, kind: &'static str) -> Slot {
    static SLOTS: LazyLock<Mutex<HashMap<(Engine, &'static str), Slot>>> = LazyLock::new(Default::default);
    let mut slots = SLOTS.lock().unwrap_or_else(|p| p.into_inner());
    Arc::clone(slots.entry((engine, kind)).or_default())
}

// ----- SQLite -----

async fn sqlite_template(t: Template) -> PathBuf {
    let slot = slot(Engine::Sqlite, t.kind);
    let mut built = slot.lock().await;
    if let Some(path) = built.as_ref() {
        return PathBuf::from(path);
    }
    remove_stale_sqlite_templates();
    let dir = std::env::temp_dir().join(unique(&format!("xq_tpl_{}", t.kind)));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let build_file = dir.join("build.db");
    let url = format!("sqlite://{}", build_file.display());
    (t.build)(&url).await;
    // The build closed its pool; closing the last connection checkpointed the write-ahead log
    // into the file and removed it, so the file alone is the database.
    for suffix in ["-wal", "-shm"] {
        let companion = format!("{}{suffix}", build_file.display());
        assert!(!Path::new(&companion).exists(), "{companion} is left after the template was built");
    }
    let template = build_file;
    *built = Some(template.display().to_string());
    template
}

/// Removes the template directories of test processes that have ended (Linux: no `/proc/PID`).
fn remove_stale_sqlite_templates() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix("xq_tpl_") else { continue };
        // xq_tpl_{kind}_{pid}_{n}_{nanos}
        let pid = rest.split('_').nth(1).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && !Path::new(&format!("/proc/{pid}")).exists()
        {
            remove_dir(&entry.path());
        }
    }
}

// ----- PostgreSQL -----

/// The SQLSTATE of a database error, if it is one.
fn sqlstate(e: &sqlx::Error) -> Option<String> {
    e.as_database_error().and_then(|d| d.code()).map(|c| c.to_string())
}

const DUPLICATE_DATABASE: &str = "42P04";
const INVALID_CATALOG_NAME: &str = "3D000";
const OBJECT_IN_USE: &str = "55006";

async fn admin(server: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(server).await.unwrap_or_else(|e| panic!("connect to {POSTGRES_URL_VAR}: {e}"))
}

async fn exec(c: &mut AnyConnection, sql: String) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql)).execute(c).await.map(|_| ())
}

/// Runs `sql` until it does not fail because a database is in use (a connection that is closing,
/// a copy being made), for at most about ten seconds.
async fn exec_when_free(c: &mut AnyConnection, sql: &str) -> Result<(), sqlx::Error> {
    let mut wait = Duration::from_millis(10);
    for _ in 0..40 {
        match exec(c, sql.to_string()).await {
            Err(e) if sqlstate(&e).as_deref() == Some(OBJECT_IN_USE) => {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_millis(500));
            }
            other => return other,
        }
    }
    exec(c, sql.to_string()).await
}

/// The runtime that makes PostgreSQL copies ahead of the tests that take them and drops them
/// afterwards (each test's own runtime ends with the test). `CREATE DATABASE … TEMPLATE` waits
/// mostly on the server's disk, so a few at once take little longer than one.
fn background() -> &'static tokio::runtime::Runtime {
    static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("a runtime for the test databases: {e}"))
    });
    &RUNTIME
}

/// How many copies of a template are made ahead of the tests that will take them. Those left
/// when the process ends are dropped by the next test process that builds a template.
const AHEAD: usize = 3;

type Copying = tokio::task::JoinHandle<Result<String, sqlx::Error>>;

fn stock(kind: &'static str) -> Arc<Mutex<std::collections::VecDeque<Copying>>> {
    type Stocks = HashMap<&'static str, Arc<Mutex<std::collections::VecDeque<Copying>>>>;
    static STOCKS: LazyLock<Mutex<Stocks>> = LazyLock::new(Default::default);
    let mut stocks = STOCKS.lock().unwrap_or_else(|p| p.into_inner());
    Arc::clone(stocks.entry(kind).or_default())
}

/// A fresh copy of the template of `t` for one test: the oldest of the copies being made (more are
/// started so that [`AHEAD`] stay in the making), building or rebuilding the template when this
/// process has none or it went missing.
async fn take_postgres_copy(server: &str, t: Template) -> String {
    let slot = slot(Engine::Postgres, t.kind);
    for _ in 0..3 {
        let template = {
            let mut built = slot.lock().await;
            match built.as_ref() {
                Some(tpl) => tpl.clone(),
                None => {
                    let mut c = admin(server).await;
                    let tpl = build_postgres_template(server, &mut c, t).await;
                    let _ = c.close().await;
                    *built = Some(tpl.clone());
                    tpl
                }
            }
        };
        let next = {
            let stock = stock(t.kind);
            let mut stock = stock.lock().unwrap_or_else(|p| p.into_inner());
            while stock.len() <= AHEAD {
                let (server, template, name) =
                    (server.to_string(), template.clone(), unique(&format!("xq_t_{}", t.kind)));
                stock.push_back(background().spawn(async move {
                    let mut c = admin(&server).await;
                    let made = exec_when_free(&mut c, &format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
                    let _ = c.close().await;
                    made.map(|()| name)
                }));
            }
            stock.pop_front()
        };
        let Some(next) = next else { continue };
        match next.await.unwrap_or_else(|e| panic!("making a copy of {template} stopped: {e}")) {
            Ok(name) => return name,
            Err(e) if sqlstate(&e).as_deref() == Some(INVALID_CATALOG_NAME) => {
                // Dropped by another process as stale: build it again.
                let mut built = slot.lock().await;
                if built.as_deref() == Some(template.as_str()) {
                    *built = None;
                }
            }
            Err(e) => panic!("CREATE DATABASE … TEMPLATE {template}: {e}"),
        }
    }
    panic!("the template database of {} kept disappearing", t.kind);
}

/// The name of the template of `kind` for this build of this binary, today.
fn template_name(kind: &str) -> String {
    let (path, build) = binary_fingerprints();
    format!("xq_tpl_{kind}_{}_{path:08x}_{build:08x}", today())
}

/// Builds the template of `t` unless a process of this build already has; returns its name.
async fn build_postgres_template(server: &str, c: &mut AnyConnection, t: Template) -> String {
    let name = template_name(t.kind);
    drop_stale_postgres_templates(c, t.kind, &name).await;
    drop_copies_of_ended_processes(c).await;
    let ready: Option<i64> =
        sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM pg_database WHERE datname = $1 AND datistemplate")
            .bind(&name)
            .fetch_optional(&mut *c)
            .await
            .unwrap_or_else(|e| panic!("look for {name}: {e}"));
    if ready.is_some() {
        return name;
    }
    let building = format!("{name}_b{}", std::process::id());
    unmark_and_drop(c, &building).await;
    let create = if t.icu {
        format!(
            "CREATE DATABASE {building} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu \
             ICU_LOCALE 'zh-Hans-CN' LOCALE 'C.UTF-8'"
        )
    } else {
        format!("CREATE DATABASE {building}")
    };
    if let Err(icu_err) = exec(c, create).await {
        assert!(t.icu, "CREATE DATABASE {building}: {icu_err}");
        eprintln!("note: no Chinese ICU collation ({icu_err}); creating {building} with the server's defaults");
        exec(c, format!("CREATE DATABASE {building}"))
            .await
            .unwrap_or_else(|e| panic!("CREATE DATABASE {building}: {e}"));
    }
    (t.build)(&with_database(server, &building)).await;
    exec_when_free(c, &format!("ALTER DATABASE {building} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"))
        .await
        .unwrap_or_else(|e| panic!("mark {building} as a template: {e}"));
    match exec_when_free(c, &format!("ALTER DATABASE {building} RENAME TO {name}")).await {
        Ok(()) => {}
        // Another process of this build finished first: use its template.
        Err(e) if sqlstate(&e).as_deref() == Some(DUPLICATE_DATABASE) => unmark_and_drop(c, &building).await,
        Err(e) => panic!("rename {building} to {name}: {e}"),
    }
    name
}

/// Drops the templates of `kind` made on another day or by another build of this binary (the
/// templates of other binaries, e.g. other checkouts, are theirs until the day ends).
async fn drop_stale_postgres_templates(c: &mut AnyConnection, kind: &str, current: &str) {
    let prefix = format!("xq_tpl_{kind}_");
    let names: Vec<String> = sqlx::query_scalar("SELECT CAST(datname AS TEXT) FROM pg_database")
        .fetch_all(&mut *c)
        .await
        .unwrap_or_else(|e| panic!("list the databases: {e}"));
    let fields = |n: &str| -> Option<(String, String, String)> {
        let mut it = n.strip_prefix(&prefix)?.split('_');
        Some((it.next()?.to_string(), it.next()?.to_string(), it.next()?.to_string()))
    };
    let Some((day, path, build)) = fields(current) else { return };
    for other in names.iter().filter(|n| n.starts_with(&prefix) && n.as_str() != current) {
        let Some((d, p, b)) = fields(other) else { continue };
        let stale = d != day || (p == path && b != build);
        if stale {
            unmark_and_drop(c, other).await;
        }
    }
}

/// Drops the test databases (`xq_t_{kind}_{pid}_…`) and unfinished templates (`…_b{pid}`) of
/// test processes on this machine that have ended (Linux: no `/proc/PID`).
async fn drop_copies_of_ended_processes(c: &mut AnyConnection) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let names: Vec<String> = sqlx::query_scalar("SELECT CAST(datname AS TEXT) FROM pg_database")
        .fetch_all(&mut *c)
        .await
        .unwrap_or_else(|e| panic!("list the databases: {e}"));
    for name in names {
        let pid = if let Some(rest) = name.strip_prefix("xq_t_") {
            rest.split('_').nth(1).map(str::to_string)
        } else if name.starts_with("xq_tpl_") {
            // xq_tpl_{kind}_{day}_{path}_{build}_b{pid}
            let fields: Vec<&str> = name.split('_').collect();
            fields.get(6).and_then(|b| b.strip_prefix('b')).filter(|_| fields.len() == 7).map(str::to_string)
        } else {
            None
        };
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { continue };
        if !Path::new(&format!("/proc/{pid}")).exists() {
            unmark_and_drop(c, &name).await;
        }
    }
}

/// Drops a database that may be marked as a template; a database still in use stays.
async fn unmark_and_drop(c: &mut AnyConnection, name: &str) {
    let _ = exec(c, format!("ALTER DATABASE {name} WITH IS_TEMPLATE false")).await;
    if let Err(e) = exec(c, format!("DROP DATABASE IF EXISTS {name}")).await {
        eprintln!("note: {name} not dropped: {e}");
    }
}

/// Drops a test's database on the background runtime: the test need not wait for it, and one the
/// process ends before dropping is dropped by the next process that builds a template.
fn drop_in_background(server: String, name: String) {
    background().spawn(async move { drop_database(&server, &name).await });
}

async fn drop_database(server: &str, name: &str) {
    let mut c = admin(server).await;
    if let Err(e) = exec(&mut c, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await {
        eprintln!("note: DROP DATABASE {name}: {e}");
    }
    let _ = c.close().await;
}

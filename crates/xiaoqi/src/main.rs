//! `xiaoqi`: the one binary of the platform (serve, migrate, demo, token, import).

mod backup;
mod bench_search;
mod config;
mod occupation;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use config::{Config, ConfigArgs};
use xiaoqi_app::{App, AppConfig};
use xiaoqi_store_sql::SqlStore;

#[derive(Parser)]
#[command(
    name = "xiaoqi",
    version,
    about = "校企合作平台 Xiaoqi: school–enterprise cooperation for vocational colleges and SMEs"
)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    /// Use the demo database (DATA_DIR/demo.db unless a URL is given): `serve --demo` fills it
    /// with demo data, and any other command given `--demo` works on that same database (for
    /// example `xiaoqi token issue admin@alliance.demo --demo`).
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (migrates the database first).
    Serve,
    /// Apply pending migrations and load the reference data, then exit.
    Migrate,
    /// Seed the demo data into the database (skipped when already there).
    Demo,
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// The occupation classification (CSCO 2022).
    Occupation {
        #[command(subcommand)]
        command: OccupationCommand,
    },
    /// The alliance itself.
    Alliance {
        #[command(subcommand)]
        command: AllianceCommand,
    },
    /// Stable allocation of students to places (student-proposing deferred acceptance) from a
    /// JSON instance; prints the matches as JSON. Bad input exits with status 2.
    Allocate { instance: PathBuf },
    /// Benchmarks that print their figures as JSON.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Back up the database to a new file: SQLite online and consistent (the server may run),
    /// PostgreSQL with pg_dump (custom format).
    Backup { path: PathBuf },
    /// Restore a backup into the configured database (stop the server first); an existing SQLite
    /// file is kept beside it, and only replaced with --replace.
    Restore {
        path: PathBuf,
        #[arg(long)]
        replace: bool,
    },
    /// Import people from a file.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
}

#[derive(Subcommand)]
enum AccountCommand {
    /// Reset an account's password (email or mobile number): prints a one-time password
    /// (72 hours, one login, to be changed at once); its sessions, tokens and devices end.
    Reset { login: String },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new bearer token for an account (email or mobile number).
    Issue {
        login: String,
        /// A name for the token.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand)]
enum OccupationCommand {
    /// Suggest standard occupations for a job title (JSON); without a title, one per line of stdin.
    Suggest { title: Option<String> },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Rank generated student profiles for one demand (top 100), against streaming the same bytes.
    Rank {
        #[arg(long, default_value_t = 1_000_000)]
        profiles: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Timed runs of each (the median is reported).
        #[arg(long, default_value_t = 11)]
        repeats: usize,
    },
    /// Solve a seeded allocation instance in memory and report the time and the proposals.
    Allocate {
        #[arg(long, default_value_t = 100_000)]
        students: usize,
        #[arg(long, default_value_t = 10_000)]
        positions: usize,
        /// Preferences per student.
        #[arg(long, default_value_t = 10)]
        prefs: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Build a search corpus in a fresh database and time queries (percentiles).
    Search {
        #[arg(long, default_value_t = 1_000_000)]
        docs: usize,
        #[arg(long, default_value_t = 1_000)]
        queries: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// A PostgreSQL server URL (a scratch database is created and dropped); default a
        /// temporary SQLite file.
        #[arg(long)]
        postgres: Option<String>,
    },
}

#[derive(Subcommand)]
enum AllianceCommand {
    /// Create the alliance and its first administrator (prints a one-time password).
    Init {
        /// The alliance's name, e.g. 粤港澳校企合作联盟.
        #[arg(long)]
        name: String,
        /// The administrator's email (their login).
        #[arg(long)]
        admin_email: String,
        /// The administrator's display name.
        #[arg(long, default_value = "联盟管理员")]
        admin_name: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import students, teachers and classes of a college from CSV (UTF-8/GB18030) or .xlsx.
    Students {
        file: PathBuf,
        /// The college: its id or unified social credit code.
        #[arg(long)]
        org: String,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Needs no runtime and no database; bad input is status 2, as documented.
    if let Command::Allocate { instance } = &cli.command {
        return allocate(instance);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Needs no database: the classification is embedded.
    if let Command::Occupation { command: OccupationCommand::Suggest { title } } = &cli.command {
        return occupation::run(title.as_deref());
    }
    // Benches make their own data.
    if let Command::Bench { command } = &cli.command {
        let report = match command {
            BenchCommand::Rank { profiles, seed, repeats } => {
                if *profiles == 0 || *profiles > 20_000_000 || *repeats == 0 || *repeats > 1000 {
                    bail!("--profiles must be 1–20,000,000 and --repeats 1–1,000");
                }
                serde_json::to_value(xiaoqi_match::bench::run_rank_bench(*profiles, *seed, *repeats))?
            }
            BenchCommand::Allocate { students, positions, prefs, seed } => {
                if *students == 0 || *students > 5_000_000 || *positions == 0 || *positions > 1_000_000 {
                    bail!("--students must be 1–5,000,000 and --positions 1–1,000,000");
                }
                if *prefs == 0 || *prefs > 100 {
                    bail!("--prefs must be 1–100");
                }
                serde_json::to_value(xiaoqi_alloc::run_allocate_bench(*students, *positions, *prefs, *seed))?
            }
            BenchCommand::Search { docs, queries, seed, postgres } => {
                if *docs == 0 || *docs > 20_000_000 || *queries == 0 || *queries > 1_000_000 {
                    bail!("--docs must be 1–20,000,000 and --queries 1–1,000,000");
                }
                bench_search::run(postgres.clone(), *docs, *queries, *seed).await?
            }
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let demo = cli.demo;
    let cfg = cli.config.resolve(if demo { "demo.db" } else { "xiaoqi.db" })?;
    init_logs(&cfg.log_format);
    // Backups and restores work on the database itself, before the app opens (and migrates) it.
    match &cli.command {
        Command::Backup { path } => return backup::backup(&cfg, path).await,
        Command::Restore { path, replace } => return backup::restore(&cfg, path, *replace).await,
        _ => {}
    }
    let app = open(&cfg, demo).await?;
    match cli.command {
        Command::Serve => {
            if demo && app.seed_demo().await? {
                tracing::info!("demo data seeded");
            }
            serve(app, &cfg, demo).await
        }
        Command::Migrate => {
            println!("database migrated: {}", xiaoqi_store_sql::redact_url(&cfg.database_url));
            Ok(())
        }
        Command::Demo => {
            if app.seed_demo().await? {
                println!("demo data seeded; every demo password is {}", xiaoqi_app::demo::DEMO_PASSWORD);
            } else {
                println!("demo data already present");
            }
            Ok(())
        }
        Command::Token { command: TokenCommand::Issue { login, name } } => {
            let t = app.issue_token_for_login(&login, &name).await.map_err(|e| {
                let missing = matches!(e, xiaoqi_app::AppError::NotFound(_));
                let e = cli_error(e);
                if missing && !demo {
                    e.context(format!(
                        "no account {login} in {}; the demo database of `serve --demo` is reached with --demo",
                        xiaoqi_store_sql::redact_url(&cfg.database_url)
                    ))
                } else {
                    e
                }
            })?;
            println!("{}", t.token);
            Ok(())
        }
        Command::Account { command: AccountCommand::Reset { login } } => {
            let pw = app.reset_password_for_login(&login).await.map_err(cli_error)?;
            println!("{pw}");
            Ok(())
        }
        Command::Import { command: ImportCommand::Students { file, org } } => import_students(&app, &file, &org).await,
        Command::Occupation { .. }
        | Command::Bench { .. }
        | Command::Allocate { .. }
        | Command::Backup { .. }
        | Command::Restore { .. } => Ok(()),
        Command::Alliance { command: AllianceCommand::Init { name, admin_email, admin_name } } => {
            let (_, password) = app.init_alliance(&name, &admin_name, &admin_email).await.map_err(cli_error)?;
            println!("alliance created; log in as {admin_email} with the one-time password {password} and change it");
            Ok(())
        }
    }
}

/// `xiaoqi allocate INSTANCE.json`: the matches on stdout; a message naming the offending id or
/// line on stderr with status 2 for bad input (1 when the file cannot be read).
fn allocate(path: &std::path::Path) -> std::process::ExitCode {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                eprintln!("error: {} is not UTF-8 text", path.display());
                return std::process::ExitCode::from(2);
            }
        },
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            return std::process::ExitCode::FAILURE;
        }
    };
    match xiaoqi_alloc::run_cli(&text) {
        Ok(json) => {
            println!("{json}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// An app error for the terminal: the message and each offending field, in English.
fn cli_error(e: xiaoqi_app::AppError) -> anyhow::Error {
    let fields: Vec<String> = e.fields().into_iter().map(|f| format!("{}: {}", f.field, f.en)).collect();
    if fields.is_empty() { anyhow::anyhow!(e.message("en")) } else { anyhow::anyhow!(fields.join("; ")) }
}

fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("XIAOQI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    // Colours only on a terminal: log files and journald get plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = if format == "json" { builder.json().try_init() } else { builder.try_init() };
}

async fn open(cfg: &Config, demo: bool) -> anyhow::Result<App> {
    if cfg.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&cfg.data_dir)
            .with_context(|| format!("cannot create data directory {}", cfg.data_dir.display()))?;
    }
    let store = SqlStore::open(&cfg.database_url, cfg.max_connections)
        .await
        .with_context(|| format!("cannot open database {}", xiaoqi_store_sql::redact_url(&cfg.database_url)))?;
    tracing::info!(engine = %store.engine_version().await.unwrap_or_default(), "database ready");
    let app =
        App::new(Arc::new(store), AppConfig { session_ttl_secs: cfg.session_ttl_secs, demo, ..AppConfig::default() });
    if app.ensure_reference_data().await.map_err(|e| anyhow::anyhow!("loading reference data: {e}"))? {
        tracing::info!("reference data loaded");
    }
    let indexed = app.ensure_search_index().await.map_err(|e| anyhow::anyhow!("building the search index: {e}"))?;
    if indexed > 0 {
        tracing::info!(documents = indexed, "search index built");
    }
    Ok(app)
}

async fn serve(app: App, cfg: &Config, demo: bool) -> anyhow::Result<()> {
    let web = xiaoqi_web::WebConfig {
        secure_cookies: cfg.secure_cookies,
        trust_forwarded_for: cfg.trust_forwarded_for,
        metrics_token: cfg.metrics_token.clone(),
        ..xiaoqi_web::WebConfig::default()
    };
    spawn_housekeeping(app.clone());
    let router = xiaoqi_web::router(app, web);
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("cannot listen on {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    println!("Xiaoqi 校企合作平台 listening on http://{addr}");
    println!("database: {}", xiaoqi_store_sql::redact_url(&cfg.database_url));
    if demo {
        println!(
            "demo mode: log in as admin@alliance.demo (alliance administrator) or any account listed on the login page; password: {}",
            xiaoqi_app::demo::DEMO_PASSWORD
        );
    }
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Purges expired sessions, old login attempts and unused devices every five minutes (every
/// instance takes part; the deletes are idempotent). A jobs scheduler may take this over.
fn spawn_housekeeping(app: App) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match app.purge_expired().await {
                Ok(n) => tracing::debug!(rows = n, "housekeeping"),
                Err(e) => tracing::warn!(error = %e.chain(), "housekeeping failed"),
            }
        }
    });
}

/// Resolves on SIGINT or SIGTERM; in-flight requests then finish before the server exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}

async fn import_students(app: &App, file: &PathBuf, org: &str) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let org = app.find_org_by_key(org).await.map_err(|e| anyhow::anyhow!("--org {org}: {}", e.message("en")))?;
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} people written ({elapsed})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    let result = app.import_people_as_operator(org.id, &name, &bytes, &|n| bar.set_position(n)).await;
    bar.finish_and_clear();
    match result {
        Ok(r) => {
            println!(
                "imported into {}: {} students, {} teachers, {} new classes",
                org.profile.name, r.students, r.teachers, r.classes_created
            );
            println!("name,login,temporary_password");
            for c in r.credentials {
                println!("{},{},{}", c.name, c.login, c.temporary_password);
            }
            Ok(())
        }
        Err(xiaoqi_app::AppError::Validation(v)) => {
            for f in &v.0 {
                eprintln!("{}: {}", f.field, f.en);
            }
            bail!("{} problem(s) in {}; nothing was written", v.0.len(), file.display())
        }
        Err(e) => bail!(e.message("en")),
    }
}

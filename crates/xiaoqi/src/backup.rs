//! `xiaoqi backup PATH` and `xiaoqi restore PATH`.
//!
//! SQLite: an online, consistent copy (`VACUUM INTO`) while the server runs; restoring copies a
//! checked backup into place (the server stopped), keeping any database it replaces beside it,
//! then migrates it to this build. PostgreSQL: the server's own tools, `pg_dump --format=custom`
//! (one snapshot, the server running) and `pg_restore` into an empty database.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use xiaoqi_store_sql::{SqlStore, redact_url};

use crate::config::Config;

/// The file of a `sqlite://PATH[?…]` URL.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// Tables and rows of a database, for the summary a backup or restore prints.
async fn summary(store: &SqlStore) -> anyhow::Result<String> {
    let digests = store.table_digests().await?;
    let rows: u64 = digests.iter().map(|d| d.rows).sum();
    Ok(format!("{} tables, {rows} rows", digests.len()))
}

/// Writes a backup of the configured database to `dest` (never overwriting).
pub async fn backup(cfg: &Config, dest: &Path) -> anyhow::Result<()> {
    ensure!(!dest.exists(), "{} already exists; a backup never overwrites a file", dest.display());
    if is_postgres(&cfg.database_url) {
        let status = Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(dest)
            .arg(&cfg.database_url)
            .status()
            .context("cannot run pg_dump (install the PostgreSQL client tools)")?;
        ensure!(status.success(), "pg_dump failed ({status})");
        println!("backup of {} written to {}", redact_url(&cfg.database_url), dest.display());
        return Ok(());
    }
    if let Some(file) = sqlite_file(&cfg.database_url) {
        ensure!(file.is_file(), "there is no database at {} to back up", file.display());
    }
    let store = SqlStore::open(&cfg.database_url, 2)
        .await
        .with_context(|| format!("cannot open database {}", redact_url(&cfg.database_url)))?;
    store.backup_sqlite_into(dest).await?;
    let copy = SqlStore::open_migrated_copy(&format!("sqlite://{}", dest.display()), 1).await?;
    let check = copy.integrity_check().await?;
    ensure!(check == "ok", "the backup failed its integrity check: {check}");
    println!("backup written to {} ({}; integrity ok)", dest.display(), summary(&copy).await?);
    Ok(())
}

/// Restores `src` into the configured database. SQLite: the database file must not exist
/// unless `replace`, in which case it is kept beside as `NAME.before-restore-UNIXTIME`.
/// PostgreSQL: the database must be empty unless `replace` (then `pg_restore --clean`).
pub async fn restore(cfg: &Config, src: &Path, replace: bool) -> anyhow::Result<()> {
    ensure!(src.is_file(), "{} is not a file", src.display());
    if is_postgres(&cfg.database_url) {
        let mut cmd = Command::new("pg_restore");
        cmd.args(["--no-owner", "--exit-on-error", "--single-transaction"]);
        if replace {
            cmd.args(["--clean", "--if-exists"]);
        }
        let status = cmd
            .arg("--dbname")
            .arg(&cfg.database_url)
            .arg(src)
            .status()
            .context("cannot run pg_restore (install the PostgreSQL client tools)")?;
        ensure!(status.success(), "pg_restore failed ({status}); nothing was restored");
        let store = SqlStore::open(&cfg.database_url, 2).await?;
        println!("restored {} into {} ({})", src.display(), redact_url(&cfg.database_url), summary(&store).await?);
        return Ok(());
    }
    let Some(target) = sqlite_file(&cfg.database_url) else {
        bail!("unsupported database URL {}", redact_url(&cfg.database_url));
    };
    let backup = SqlStore::open_migrated_copy(&format!("sqlite://{}?mode=ro", src.display()), 1)
        .await
        .with_context(|| format!("{} is not a SQLite database", src.display()))?;
    let check = backup.integrity_check().await.with_context(|| format!("{} is not a database", src.display()))?;
    ensure!(check == "ok", "{} failed its integrity check: {check}; nothing was restored", src.display());
    backup.close().await;
    if target.exists() {
        ensure!(replace, "{} exists; stop the server and add --replace to replace it", target.display());
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", target.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}.before-restore-{stamp}", target.display()));
                std::fs::rename(&from, &to).with_context(|| format!("cannot move {} aside", from.display()))?;
            }
        }
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(src, &target).with_context(|| format!("cannot write {}", target.display()))?;
    let store = SqlStore::open(&cfg.database_url, 2).await?;
    println!("restored {} into {} ({})", src.display(), target.display(), summary(&store).await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url_drops_its_options() {
        assert_eq!(sqlite_file("sqlite://data/x.db?mode=rwc"), Some(PathBuf::from("data/x.db")));
        assert_eq!(sqlite_file("sqlite:/tmp/y.db"), Some(PathBuf::from("/tmp/y.db")));
        assert_eq!(sqlite_file("postgres://h/db"), None);
        assert_eq!(sqlite_file("sqlite://"), None);
    }
}

//! The one configuration: flag > `XIAOQI_*` environment > TOML file > default.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

/// Options shared by every command; each is optional so that the layers can be merged.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// TOML configuration file.
    #[arg(long, env = "XIAOQI_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH (default: DATA_DIR/xiaoqi.db) or postgres://USER@HOST/DB.
    #[arg(long, env = "XIAOQI_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Directory for the embedded SQLite database.
    #[arg(long, env = "XIAOQI_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "XIAOQI_LISTEN", global = true)]
    pub listen: Option<String>,
    /// Database connections per instance.
    #[arg(long, env = "XIAOQI_MAX_CONNECTIONS", global = true)]
    pub max_connections: Option<u32>,
    /// Mark cookies Secure (serve behind HTTPS).
    #[arg(long, env = "XIAOQI_SECURE_COOKIES", global = true)]
    pub secure_cookies: Option<bool>,
    /// Trust X-Forwarded-For for the client address (behind a trusted proxy only).
    #[arg(long, env = "XIAOQI_TRUST_FORWARDED_FOR", global = true)]
    pub trust_forwarded_for: Option<bool>,
    /// Web session lifetime without activity, in seconds.
    #[arg(long, env = "XIAOQI_SESSION_TTL_SECS", global = true)]
    pub session_ttl_secs: Option<i64>,
    /// Log format: text or json.
    #[arg(long, env = "XIAOQI_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Bearer token that `/metrics` requires; without one `/metrics` is refused.
    #[arg(long, env = "XIAOQI_METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<String>,
}

/// The file layer: the same keys as the flags, snake_case.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    listen: Option<String>,
    max_connections: Option<u32>,
    secure_cookies: Option<bool>,
    trust_forwarded_for: Option<bool>,
    session_ttl_secs: Option<i64>,
    log_format: Option<String>,
    metrics_token: Option<String>,
}

/// The merged configuration.
#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    pub listen: String,
    pub max_connections: u32,
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    pub session_ttl_secs: i64,
    pub log_format: String,
    pub metrics_token: Option<String>,
}

impl std::fmt::Debug for Config {
    // The database URL may hold a password: never print it whole.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &xiaoqi_store_sql::redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("listen", &self.listen)
            .field("max_connections", &self.max_connections)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .field("session_ttl_secs", &self.session_ttl_secs)
            .field("log_format", &self.log_format)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl ConfigArgs {
    /// Merges flags and environment (already in `self`) over the file over the defaults;
    /// `default_db_file` names the SQLite file used when no URL is given.
    pub fn resolve(&self, default_db_file: &str) -> anyhow::Result<Config> {
        let file = match &self.config {
            Some(p) => read_file(p)?,
            None => FileConfig::default(),
        };
        let data_dir = self.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let database_url = self
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join(default_db_file).display()));
        let log_format = self.log_format.clone().or(file.log_format).unwrap_or_else(|| "text".into());
        anyhow::ensure!(
            matches!(log_format.as_str(), "text" | "json"),
            "log_format must be text or json, not {log_format:?}"
        );
        let session_ttl_secs = self.session_ttl_secs.or(file.session_ttl_secs).unwrap_or(8 * 3600);
        anyhow::ensure!(
            (60..=30 * 86400).contains(&session_ttl_secs),
            "session_ttl_secs must be between 60 and 2592000"
        );
        let max_connections = self.max_connections.or(file.max_connections).unwrap_or(8);
        anyhow::ensure!((1..=200).contains(&max_connections), "max_connections must be between 1 and 200");
        Ok(Config {
            database_url,
            data_dir,
            listen: self.listen.clone().or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".into()),
            max_connections,
            secure_cookies: self.secure_cookies.or(file.secure_cookies).unwrap_or(false),
            trust_forwarded_for: self.trust_forwarded_for.or(file.trust_forwarded_for).unwrap_or(false),
            session_ttl_secs,
            log_format,
            metrics_token: self.metrics_token.clone().or(file.metrics_token).filter(|t| !t.trim().is_empty()),
        })
    }
}

fn read_file(p: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(p).with_context(|| format!("cannot read configuration file {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid configuration file {}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = std::env::temp_dir().join(format!("xq-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("x.toml");
        std::fs::write(&file, "listen = \"0.0.0.0:9000\"\nmax_connections = 3\n").expect("write");
        let args = ConfigArgs { config: Some(file), max_connections: Some(5), ..ConfigArgs::default() };
        let c = args.resolve("xiaoqi.db").expect("config");
        assert_eq!(c.listen, "0.0.0.0:9000");
        assert_eq!(c.max_connections, 5);
        assert_eq!(c.database_url, format!("sqlite://{}", PathBuf::from("data").join("xiaoqi.db").display()));
        assert!(!format!("{c:?}").contains("secret"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let dir = std::env::temp_dir().join(format!("xq-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("bad.toml");
        std::fs::write(&file, "listne = \"x\"\n").expect("write");
        assert!(ConfigArgs { config: Some(file), ..ConfigArgs::default() }.resolve("x.db").is_err());
        assert!(ConfigArgs { log_format: Some("xml".into()), ..ConfigArgs::default() }.resolve("x.db").is_err());
    }

    #[test]
    fn passwords_in_the_database_url_are_not_printed() {
        let c = ConfigArgs { database_url: Some("postgres://u:secret@h/db".into()), ..ConfigArgs::default() }
            .resolve("x.db")
            .expect("config");
        assert!(!format!("{c:?}").contains("secret"));
    }
}

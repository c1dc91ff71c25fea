#![doc = include_str!("../README.md")]

pub mod audit;
pub mod auth;
pub mod authz;
pub mod clock;
pub mod college;
pub mod demo;
pub mod directory;
pub mod error;
pub mod import;
pub mod landing;
pub mod membership;
pub mod menu;
pub mod notify;
pub mod order_class;
pub mod outcomes;
pub mod password;
pub mod people;
pub mod placements;
pub mod practice;
pub mod principal;
pub mod refdata;
pub mod research;
pub mod search;
pub mod services;
pub mod setup;
pub mod talent;

use std::sync::Arc;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{AppError, AppResult};
pub use principal::Principal;
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::Store;

/// Settings of the use cases (a part of the binary's configuration).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// How long a web session lives without activity, in seconds.
    pub session_ttl_secs: i64,
    /// Failed logins allowed per account within `login_window_secs` before it is locked.
    pub login_max_failures_per_account: u64,
    /// Failed logins allowed per client address within the window.
    pub login_max_failures_per_address: u64,
    /// The throttling window, in seconds.
    pub login_window_secs: i64,
    /// Demo mode: the login page lists demo accounts.
    pub demo: bool,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            session_ttl_secs: 8 * 3600,
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 30,
            login_window_secs: 15 * 60,
            demo: false,
        }
    }
}

/// The use cases, over a store; cheap to clone and shared by every request.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) config: Arc<AppConfig>,
    pub(crate) passwords: password::Passwords,
    pub(crate) clock: Arc<dyn Clock>,
}

impl App {
    /// Builds the use cases on a store.
    pub fn new(store: Arc<dyn Store>, config: AppConfig) -> Self {
        let permits = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self {
            store,
            config: Arc::new(config),
            passwords: password::Passwords::new(permits),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same use cases reading `clock` instead of the system clock (tests fix the time).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The current instant, in milliseconds since the epoch, from the app's clock.
    pub fn now(&self) -> i64 {
        self.clock.now().0
    }

    /// Today in Asia/Shanghai, by the app's clock.
    pub fn today(&self) -> Date {
        Date::shanghai_of(Timestamp(self.now()))
    }

    /// The configuration in force.
    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// Checks the database, for `/healthz`.
    pub async fn health(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }
}

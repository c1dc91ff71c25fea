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
pub mod recovery;
pub mod refdata;
pub mod research;
pub mod search;
pub mod services;
pub mod setup;
pub mod talent;
pub mod throttle;

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
    /// Failed logins per account within `login_window_secs` before each further attempt waits
    /// (a delay doubling from 1 s); never a lock-out.
    pub login_max_failures_per_account: u64,
    /// Failed logins per client address within the window before delays start.
    pub login_max_failures_per_address: u64,
    /// The throttling window, in seconds.
    pub login_window_secs: i64,
    /// The first delay after the free failures, in milliseconds; each further failure doubles it.
    pub login_first_delay_ms: i64,
    /// The longest delay a login, a password check or a registration waits, in seconds.
    pub login_max_delay_secs: i64,
    /// Login attempts kept at most (the oldest beyond go, so a flood cannot grow the table).
    pub login_attempts_kept: u64,
    /// Registrations per client address within `registration_window_secs` before delays start.
    pub registrations_per_address: u64,
    /// The registration throttling window, in seconds.
    pub registration_window_secs: i64,
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
            login_first_delay_ms: 1000,
            login_max_delay_secs: 60,
            login_attempts_kept: 100_000,
            registrations_per_address: 5,
            registration_window_secs: 3600,
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

//! The clock the use cases read: the system clock in a deployment, a fixed one that tests set
//! and advance. The domain reads no clock; every rule that depends on the time (a demand past
//! its closing date, an overdue weekly report, a session's expiry) takes it as an argument, and
//! the app passes `App::now` / `App::today`.

use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use xiaoqi_domain::time::Timestamp;

/// A source of the current instant.
pub trait Clock: Debug + Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        // Negative if the system clock is before 1970.
        let ms = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |v| -v),
        };
        Timestamp(ms)
    }
}

/// A clock that stands still until it is set or advanced (for tests).
#[derive(Debug)]
pub struct FixedClock {
    ms: AtomicI64,
}

impl FixedClock {
    /// A clock showing `at`.
    pub fn new(at: Timestamp) -> Self {
        Self { ms: AtomicI64::new(at.0) }
    }

    /// Moves the clock to `at` (forwards or backwards).
    pub fn set(&self, at: Timestamp) {
        self.ms.store(at.0, Ordering::SeqCst);
    }

    /// Moves the clock forwards by `ms` milliseconds.
    pub fn advance(&self, ms: i64) {
        self.ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// Moves the clock forwards by whole days.
    pub fn advance_days(&self, days: i64) {
        self.advance(days * 86_400_000);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.ms.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_shows_what_it_is_set_to_until_advanced() {
        let c = FixedClock::new(Timestamp(1_000));
        assert_eq!(c.now(), Timestamp(1_000));
        c.advance(500);
        assert_eq!(c.now(), Timestamp(1_500));
        c.advance_days(1);
        assert_eq!(c.now(), Timestamp(86_401_500));
        c.set(Timestamp(7));
        assert_eq!(c.now(), Timestamp(7));
    }

    #[test]
    fn the_system_clock_is_after_2024() {
        assert!(SystemClock.now().0 > 1_704_067_200_000);
    }
}

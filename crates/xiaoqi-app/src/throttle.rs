//! Throttling of guesses (logins, current passwords, registrations) by a growing delay per key,
//! in the database so that every instance sees the same counts.
//!
//! A key's first `free` failures within the window cost nothing; after that each attempt must
//! wait 1 s, 2 s, 4 s … (by default) (at most the configured maximum) after the key's latest failure. An
//! attempt made too early is refused *and not recorded*, so refusals cannot keep a key delayed,
//! and the right password is accepted as soon as the delay has passed: there is no lock-out.

use xiaoqi_store::prelude::*;

use crate::App;
use crate::error::{AppError, AppResult};

/// One key to throttle and how many failures it may have before delays start.
pub(crate) struct Limit<'a> {
    pub key: &'a str,
    pub free: u64,
}

/// How long an attempt must wait after a key's latest failure, in milliseconds, when the key
/// has `failures` within the window: nothing for the first `free`, then doubling from
/// `first_ms` up to `max_ms`.
pub fn delay_ms(failures: u64, free: u64, first_ms: i64, max_ms: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = u32::try_from((failures - free).min(30)).unwrap_or(30);
    first_ms.saturating_mul(1_i64 << doublings).min(max_ms)
}

impl App {
    /// Records a pending failure under each key (counted by parallel attempts, so a burst cannot
    /// slip under the limit) and refuses, withdrawing them all, when any key is inside its delay.
    /// Returns the ids of the recorded attempts, in the order of `limits`.
    pub(crate) async fn throttle(
        &self,
        conn: &mut Box<dyn Conn>,
        limits: &[Limit<'_>],
        window_secs: i64,
        max_delay_secs: i64,
    ) -> AppResult<Vec<i64>> {
        let t = self.now();
        let since = t - window_secs * 1000;
        let mut ids = Vec::with_capacity(limits.len());
        let mut wait_ms = 0;
        for l in limits {
            let id = conn.record_login_attempt(l.key, false, t).await?;
            ids.push(id);
            let f = conn.login_failures_before(l.key, since, id).await?;
            if let Some(last) = f.last_at {
                let delay = delay_ms(f.count, l.free, self.config.login_first_delay_ms, max_delay_secs * 1000);
                wait_ms = wait_ms.max(last + delay - t);
            }
        }
        if wait_ms > 0 {
            for id in ids {
                conn.delete_login_attempt(id).await?;
            }
            let secs = u64::try_from((wait_ms + 999) / 1000).unwrap_or(1);
            return Err(AppError::RateLimited { retry_after_secs: secs.max(1) });
        }
        Ok(ids)
    }

    /// Housekeeping the server runs periodically: expired sessions, login attempts older than
    /// twice the window (and beyond a bound of rows, under a flood), devices unused for 400
    /// days, and spent or expired password-reset codes. Returns how many rows went.
    pub async fn purge_expired(&self) -> AppResult<u64> {
        let t = self.now();
        let window = self.config.login_window_secs.max(self.config.registration_window_secs);
        let mut tx = self.store.begin().await?;
        let mut gone = tx.purge_expired(t, t - 2 * window * 1000).await?;
        gone += tx.trim_login_attempts(self.config.login_attempts_kept).await?;
        gone += tx.purge_devices(t - 400 * 24 * 3600 * 1000).await?;
        tx.commit().await?;
        Ok(gone)
    }
}

#[cfg(test)]
mod tests {
    use super::delay_ms;

    #[test]
    fn the_delay_doubles_after_the_free_failures_up_to_the_maximum() {
        let d = |n| delay_ms(n, 5, 1_000, 60_000);
        assert_eq!([d(0), d(4)], [0, 0]);
        assert_eq!([d(5), d(6), d(7), d(10)], [1_000, 2_000, 4_000, 32_000]);
        assert_eq!([d(11), d(12), d(u64::MAX)], [60_000, 60_000, 60_000]);
    }
}

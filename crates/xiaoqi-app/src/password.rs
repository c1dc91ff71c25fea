//! Password hashing with Argon2id on the blocking pool, behind a semaphore.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Hashes and verifies passwords; at most `permits` hashes run at once so that a login flood
/// cannot take every worker thread.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

/// OWASP's Argon2id baseline: m = 19 MiB, t = 2, p = 1 (about 21 ms here, STACK.md).
fn argon() -> AppResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(AppError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password synchronously (for seeding and the command line).
pub fn hash_sync(password: &str) -> AppResult<String> {
    argon()?.hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(AppError::internal)
}

/// Verifies a password against a stored PHC string synchronously.
pub fn verify_sync(password: &str, phc: &str) -> bool {
    argon().map(|a| a.verify_password(password.as_bytes(), phc).is_ok()).unwrap_or(false)
}

impl Passwords {
    /// A hasher allowing `permits` concurrent hashes.
    pub fn new(permits: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(permits.max(1))) }
    }

    /// Hashes on the blocking pool.
    pub async fn hash(&self, password: String) -> AppResult<String> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || hash_sync(&password)).await.map_err(AppError::internal)?
    }

    /// Checks a password against a stored hash on the blocking pool, at time `now` (for
    /// one-time passwords' expiry).
    pub async fn check(&self, password: String, phc: String, now: i64) -> AppResult<Verdict> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || check(&password, &phc, now)).await.map_err(AppError::internal)
    }
}

/// What checking a password against a stored hash found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The password is right (and, if one-time, still unused and unexpired).
    Match,
    /// The password is wrong.
    Mismatch,
    /// A right one-time password past its 72 hours.
    Expired,
    /// A right one-time password that already opened a session.
    Used,
}

/// How long a one-time password works: 72 hours.
pub const ONE_TIME_TTL_MS: i64 = 72 * 3600 * 1000;

/// Prefix of an unused one-time password's hash. One-time passwords are random (about 80 bits),
/// so a fast hash is as safe as Argon2 for them, and importing 5,000 students does not cost
/// 100 s. The hash names its expiry: `$sha256-temp$<expires ms>$<hex>`.
const TEMP_PREFIX: &str = "$sha256-temp$";
/// Prefix of a one-time password that opened a session: it no longer logs in, but is still
/// accepted as the current password of the change it must be followed by.
const USED_PREFIX: &str = "$sha256-used$";

/// The stored form of a one-time password issued at `issued_at`; it expires 72 h later.
pub fn temporary_hash(password: &str, issued_at: i64) -> String {
    format!("{TEMP_PREFIX}{}${}", issued_at + ONE_TIME_TTL_MS, crate::auth::secret_hash(password))
}

/// Whether a stored hash is an unused one-time password's.
pub fn is_one_time(stored: &str) -> bool {
    stored.starts_with(TEMP_PREFIX)
}

/// The stored form of a one-time password once it has been used to log in.
pub fn used_form(stored: &str) -> Option<String> {
    stored.strip_prefix(TEMP_PREFIX).map(|rest| format!("{USED_PREFIX}{rest}"))
}

/// Checks a password against either an Argon2id hash or a one-time password's hash. A one-time
/// password is also run through Argon2 (against a dummy hash), so its quicker check does not
/// tell by its timing which accounts still have one. A one-time hash without an expiry (the
/// form before expiries) counts as expired.
pub fn check(password: &str, stored: &str, now: i64) -> Verdict {
    let (rest, used) = match (stored.strip_prefix(TEMP_PREFIX), stored.strip_prefix(USED_PREFIX)) {
        (Some(r), _) => (r, false),
        (None, Some(r)) => (r, true),
        (None, None) => return if verify_sync(password, stored) { Verdict::Match } else { Verdict::Mismatch },
    };
    if let Ok(dummy) = dummy_hash() {
        let _ = verify_sync(password, &dummy);
    }
    let (expires, hex) = rest.split_once('$').map_or((None, rest), |(e, h)| (e.parse::<i64>().ok(), h));
    if !constant_time_eq(crate::auth::secret_hash(password).as_bytes(), hex.as_bytes()) {
        return Verdict::Mismatch;
    }
    match expires {
        Some(e) if now >= e => Verdict::Expired,
        None => Verdict::Expired,
        Some(_) if used => Verdict::Used,
        Some(_) => Verdict::Match,
    }
}

/// An Argon2id hash of a random secret, verified against when there is no real hash to check.
pub(crate) fn dummy_hash() -> AppResult<String> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_sync(&crate::auth::random_secret())?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let h = hash_sync("correct horse").unwrap_or_default();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_sync("correct horse", &h));
        assert!(!verify_sync("wrong horse", &h));
        assert!(!verify_sync("correct horse", "not a hash"));
    }

    #[test]
    fn a_one_time_password_expires_after_72_hours_and_logs_in_once() {
        let h = temporary_hash("abcdefgh23456789", 1_000);
        assert!(is_one_time(&h));
        assert_eq!(check("abcdefgh23456789", &h, 1_000), Verdict::Match);
        assert_eq!(check("abcdefgh2345678x", &h, 1_000), Verdict::Mismatch);
        assert_eq!(check("abcdefgh23456789", &h, 1_000 + ONE_TIME_TTL_MS - 1), Verdict::Match);
        assert_eq!(check("abcdefgh23456789", &h, 1_000 + ONE_TIME_TTL_MS), Verdict::Expired);
        let used = used_form(&h).unwrap_or_default();
        assert!(!is_one_time(&used));
        assert_eq!(check("abcdefgh23456789", &used, 1_000), Verdict::Used);
        assert_eq!(check("wrong", &used, 1_000), Verdict::Mismatch);
        let legacy = format!("$sha256-temp${}", crate::auth::secret_hash("abcdefgh23456789"));
        assert_eq!(check("abcdefgh23456789", &legacy, 1_000), Verdict::Expired);
    }
}

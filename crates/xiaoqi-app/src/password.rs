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

    /// Verifies on the blocking pool.
    pub async fn verify(&self, password: String, phc: String) -> AppResult<bool> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || verify_any(&password, &phc)).await.map_err(AppError::internal)
    }
}

/// Prefix of a one-time password's hash. One-time passwords are random (about 80 bits), so a
/// fast hash is as safe as Argon2 for them, and importing 5,000 students does not cost 100 s.
const TEMP_PREFIX: &str = "$sha256-temp$";

/// The stored form of a one-time password.
pub fn temporary_hash(password: &str) -> String {
    format!("{TEMP_PREFIX}{}", crate::auth::secret_hash(password))
}

/// Verifies either an Argon2id hash or a one-time password's hash. A one-time password is
/// also run through Argon2 (against a dummy hash), so its quicker check does not tell by its
/// timing which accounts still have one.
pub fn verify_any(password: &str, stored: &str) -> bool {
    match stored.strip_prefix(TEMP_PREFIX) {
        Some(h) => {
            if let Ok(dummy) = dummy_hash() {
                let _ = verify_sync(password, &dummy);
            }
            constant_time_eq(crate::auth::secret_hash(password).as_bytes(), h.as_bytes())
        }
        None => verify_sync(password, stored),
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
}

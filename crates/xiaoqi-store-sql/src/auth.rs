//! Sessions, API tokens and login attempts.

use async_trait::async_trait;
use xiaoqi_store::{AccountId, AuthRepo, LoginFailures, Millis, SessionRecord, StoreResult, TokenRecord};

use crate::conn::{Row, SqlConn, args, row};

const TOKEN_COLS: &str = "id, account_id, name, token_hash, created_at, revoked_at";

fn token(r: &Row) -> StoreResult<TokenRecord> {
    Ok(row! { r, TokenRecord { id, account_id, name, token_hash, created_at, revoked_at } })
}

#[async_trait]
impl AuthRepo for SqlConn {
    async fn create_session(&mut self, s: &SessionRecord) -> StoreResult<()> {
        let sql = "INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
        self.exec(sql, args![&s.id_hash, s.account_id, &s.csrf_token, s.created_at, s.expires_at]).await?;
        Ok(())
    }

    async fn find_session(&mut self, id_hash: &str, now: Millis) -> StoreResult<Option<SessionRecord>> {
        let sql = "SELECT id_hash, account_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2";
        self.opt(sql, args![id_hash, now], |r| {
            Ok(row! { r, SessionRecord { id_hash, account_id, csrf_token, created_at, expires_at } })
        })
        .await
    }

    async fn extend_session(&mut self, id_hash: &str, expires_at: Millis) -> StoreResult<()> {
        self.exec("UPDATE sessions SET expires_at = $2 WHERE id_hash = $1", args![id_hash, expires_at]).await?;
        Ok(())
    }

    async fn delete_session(&mut self, id_hash: &str) -> StoreResult<()> {
        self.exec("DELETE FROM sessions WHERE id_hash = $1", args![id_hash]).await?;
        Ok(())
    }

    async fn delete_sessions_of(&mut self, account: AccountId) -> StoreResult<()> {
        self.exec("DELETE FROM sessions WHERE account_id = $1", args![account]).await?;
        Ok(())
    }

    async fn create_token(&mut self, account: AccountId, name: &str, hash: &str, at: Millis) -> StoreResult<i64> {
        let sql =
            "INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
        self.scalar(sql, args![account, name, hash, at]).await
    }

    async fn find_token_by_hash(&mut self, hash: &str) -> StoreResult<Option<TokenRecord>> {
        self.opt(&format!("SELECT {TOKEN_COLS} FROM api_tokens WHERE token_hash = $1"), args![hash], token).await
    }

    async fn list_tokens(&mut self, account: AccountId) -> StoreResult<Vec<TokenRecord>> {
        let sql = format!("SELECT {TOKEN_COLS} FROM api_tokens WHERE account_id = $1 ORDER BY id");
        self.all(&sql, args![account], token).await
    }

    async fn revoke_token(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool> {
        let sql = "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL";
        Ok(self.exec(sql, args![id, account, at]).await? > 0)
    }

    async fn record_login_attempt(&mut self, key: &str, success: bool, at: Millis) -> StoreResult<i64> {
        let sql = "INSERT INTO login_attempts (key, success, at) VALUES ($1, $2, $3) RETURNING id";
        self.scalar(sql, args![key, success, at]).await
    }

    async fn mark_login_attempt_succeeded(&mut self, id: i64) -> StoreResult<()> {
        self.exec_one("UPDATE login_attempts SET success = 1 WHERE id = $1", args![id], "login attempt").await
    }

    async fn delete_login_attempt(&mut self, id: i64) -> StoreResult<()> {
        self.exec("DELETE FROM login_attempts WHERE id = $1", args![id]).await?;
        Ok(())
    }

    async fn revoke_tokens_of(&mut self, account: AccountId, at: Millis) -> StoreResult<u64> {
        let sql = "UPDATE api_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL";
        self.exec(sql, args![account, at]).await
    }

    async fn purge_expired(&mut self, now: Millis, attempts_before: Millis) -> StoreResult<u64> {
        let sessions = self.exec("DELETE FROM sessions WHERE expires_at <= $1", args![now]).await?;
        let attempts = self.exec("DELETE FROM login_attempts WHERE at < $1", args![attempts_before]).await?;
        let resets = self.exec("DELETE FROM password_resets WHERE expires_at <= $1", args![now]).await?;
        Ok(sessions + attempts + resets)
    }

    async fn login_failures_before(&mut self, key: &str, since: Millis, before_id: i64) -> StoreResult<LoginFailures> {
        // Failures since the last success only: logging in correctly clears the count.
        let sql = "SELECT COUNT(*) AS n, MAX(at) AS last_at FROM login_attempts WHERE key = $1 AND success = 0 AND at >= $2 AND id < $3 \
             AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE key = $1 AND success = 1), 0)";
        self.one(sql, args![key, since, before_id], |r| {
            let count: i64 = r.get("n")?;
            let last_at: Option<i64> = r.get("last_at")?;
            Ok(LoginFailures { count: u64::try_from(count).unwrap_or(0), last_at })
        })
        .await
    }

    async fn trim_login_attempts(&mut self, keep: u64) -> StoreResult<u64> {
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        let sql = "DELETE FROM login_attempts WHERE id <= (SELECT MAX(id) FROM login_attempts) - $1";
        self.exec(sql, args![keep]).await
    }

    async fn remember_device(&mut self, hash: &str, account: AccountId, at: Millis) -> StoreResult<()> {
        let sql =
            "INSERT INTO known_devices (token_hash, account_id, created_at, last_used_at) VALUES ($1, $2, $3, $3)";
        self.exec(sql, args![hash, account, at]).await?;
        let sql = "DELETE FROM known_devices WHERE account_id = $1 AND token_hash NOT IN \
             (SELECT token_hash FROM known_devices WHERE account_id = $1 ORDER BY last_used_at DESC, token_hash LIMIT 20)";
        self.exec(sql, args![account]).await?;
        Ok(())
    }

    async fn touch_device(&mut self, hash: &str, account: AccountId, at: Millis) -> StoreResult<bool> {
        let sql = "UPDATE known_devices SET last_used_at = $3 WHERE token_hash = $1 AND account_id = $2";
        Ok(self.exec(sql, args![hash, account, at]).await? > 0)
    }

    async fn forget_devices_of(&mut self, account: AccountId) -> StoreResult<()> {
        self.exec("DELETE FROM known_devices WHERE account_id = $1", args![account]).await?;
        Ok(())
    }

    async fn purge_devices(&mut self, before: Millis) -> StoreResult<u64> {
        self.exec("DELETE FROM known_devices WHERE last_used_at < $1", args![before]).await
    }

    async fn create_password_reset(
        &mut self,
        hash: &str,
        account: AccountId,
        at: Millis,
        expires_at: Millis,
    ) -> StoreResult<()> {
        let sql =
            "INSERT INTO password_resets (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![hash, account, at, expires_at]).await?;
        Ok(())
    }

    async fn find_password_reset(&mut self, hash: &str, now: Millis) -> StoreResult<Option<AccountId>> {
        let sql =
            "SELECT account_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
        self.opt(sql, args![hash, now], |r| r.get("account_id")).await
    }

    async fn use_password_reset(&mut self, hash: &str, now: Millis) -> StoreResult<bool> {
        let sql =
            "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
        Ok(self.exec(sql, args![hash, now]).await? > 0)
    }
}

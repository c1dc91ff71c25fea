//! Sessions, API tokens and login attempts.

use async_trait::async_trait;
use sqlx::Row;
use xiaoqi_store::{AccountId, AuthRepo, Millis, SessionRecord, StoreResult, TokenRecord};

use crate::conn::{SqlConn, map_err};

#[async_trait]
impl AuthRepo for SqlConn {
    async fn create_session(&mut self, s: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.id_hash)
        .bind(s.account_id)
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.expires_at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn find_session(&mut self, id_hash: &str, now: Millis) -> StoreResult<Option<SessionRecord>> {
        let row = sqlx::query(
            "SELECT id_hash, account_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(now)
        .fetch_optional(self.c())
        .await
        .map_err(map_err)?;
        row.map(|r| {
            Ok(SessionRecord {
                id_hash: r.try_get("id_hash")?,
                account_id: r.try_get("account_id")?,
                csrf_token: r.try_get("csrf_token")?,
                created_at: r.try_get("created_at")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
        .map_err(map_err)
    }

    async fn extend_session(&mut self, id_hash: &str, expires_at: Millis) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET expires_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(expires_at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_session(&mut self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_sessions_of(&mut self, account: AccountId) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn create_token(&mut self, account: AccountId, name: &str, hash: &str, at: Millis) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO api_tokens (account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(account)
        .bind(name)
        .bind(hash)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_token_by_hash(&mut self, hash: &str) -> StoreResult<Option<TokenRecord>> {
        let row = sqlx::query(
            "SELECT id, account_id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE token_hash = $1",
        )
        .bind(hash)
        .fetch_optional(self.c())
        .await
        .map_err(map_err)?;
        row.as_ref().map(row_to_token).transpose().map_err(map_err)
    }

    async fn list_tokens(&mut self, account: AccountId) -> StoreResult<Vec<TokenRecord>> {
        let rows = sqlx::query(
            "SELECT id, account_id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE account_id = $1 ORDER BY id",
        )
        .bind(account)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        rows.iter().map(row_to_token).collect::<Result<_, _>>().map_err(map_err)
    }

    async fn revoke_token(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(account)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_login_attempt(&mut self, key: &str, success: bool, at: Millis) -> StoreResult<i64> {
        sqlx::query_scalar("INSERT INTO login_attempts (key, success, at) VALUES ($1, $2, $3) RETURNING id")
            .bind(key)
            .bind(i64::from(success))
            .bind(at)
            .fetch_one(self.c())
            .await
            .map_err(map_err)
    }

    async fn mark_login_attempt_succeeded(&mut self, id: i64) -> StoreResult<()> {
        let done = sqlx::query("UPDATE login_attempts SET success = 1 WHERE id = $1")
            .bind(id)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        crate::conn::expect_one(done, "login attempt")
    }

    async fn delete_login_attempt(&mut self, id: i64) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_attempts WHERE id = $1").bind(id).execute(self.c()).await.map_err(map_err)?;
        Ok(())
    }

    async fn revoke_tokens_of(&mut self, account: AccountId, at: Millis) -> StoreResult<u64> {
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL")
            .bind(account)
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn purge_expired(&mut self, now: Millis, attempts_before: Millis) -> StoreResult<u64> {
        let sessions = self.delete_before("DELETE FROM sessions WHERE expires_at <= $1", now).await?;
        let attempts = self.delete_before("DELETE FROM login_attempts WHERE at < $1", attempts_before).await?;
        Ok(sessions + attempts)
    }

    async fn count_login_failures(&mut self, key: &str, since: Millis) -> StoreResult<u64> {
        // Failures since the last success only: logging in correctly clears the count.
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_attempts WHERE key = $1 AND success = 0 AND at >= $2 \
             AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE key = $1 AND success = 1), 0)",
        )
        .bind(key)
        .bind(since)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

impl SqlConn {
    async fn delete_before(&mut self, sql: &'static str, t: Millis) -> StoreResult<u64> {
        let done = sqlx::query(sql).bind(t).execute(self.c()).await.map_err(map_err)?;
        Ok(done.rows_affected())
    }
}

fn row_to_token(r: &sqlx::any::AnyRow) -> Result<TokenRecord, sqlx::Error> {
    Ok(TokenRecord {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        name: r.try_get("name")?,
        token_hash: r.try_get("token_hash")?,
        created_at: r.try_get("created_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

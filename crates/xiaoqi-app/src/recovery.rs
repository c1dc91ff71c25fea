//! Forgotten passwords: a single-use code sent through the outbox, valid for an hour.

use xiaoqi_domain::FieldError;
use xiaoqi_domain::contact::{Login, check_password_for};
use xiaoqi_store::NewOutboxMessage;

use crate::App;
use crate::audit::{Change, append};
use crate::auth::{logins_of, random_secret, secret_hash};
use crate::error::{AppError, AppResult};
use crate::throttle::Limit;

/// How long a forgotten-password code works: one hour.
pub const RESET_CODE_TTL_MS: i64 = 3600 * 1000;

fn code_invalid() -> AppError {
    FieldError::new(
        "code",
        "reset_code_invalid",
        "重置码无效、已过期或已使用，请重新申请（reset_code_invalid）",
        "This reset code is wrong, expired or already used; ask for a new one (reset_code_invalid)",
    )
    .into()
}

impl App {
    /// Sends a reset code to the account with this login (email, or mobile by SMS), if there is
    /// one; the answer is the same either way. Throttled per address and per login.
    pub async fn request_password_reset(&self, login: &str, address: &str) -> AppResult<()> {
        let login = Login::parse("login", login)?;
        let mut conn = self.store.conn().await?;
        let (address_key, login_key) = (format!("forgot:{address}"), format!("forgot:{}", login.as_str()));
        let limits = [
            Limit { key: &address_key, free: self.config.registrations_per_address },
            Limit { key: &login_key, free: 3 },
        ];
        let window = self.config.registration_window_secs;
        self.throttle(&mut conn, &limits, window, window).await?;
        let account = match &login {
            Login::Email(e) => conn.find_account_by_email(e.as_str()).await?,
            Login::Mobile(m) => conn.find_account_by_mobile(m.as_str()).await?,
        };
        let Some(account) = account.filter(|a| !a.disabled) else {
            return Ok(());
        };
        drop(conn);
        let code = random_secret();
        let t = self.now();
        let mut tx = self.store.begin().await?;
        tx.create_password_reset(&secret_hash(&code), account.id, t, t + RESET_CODE_TTL_MS).await?;
        let channel = if matches!(login, Login::Email(_)) { "email" } else { "sms" };
        tx.enqueue_outbox(&NewOutboxMessage {
            channel: channel.into(),
            recipient: login.as_str().to_string(),
            subject: "重置密码 / Reset your password".into(),
            body: format!(
                "请在 1 小时内打开 /password/reset?code={code} 设置新密码（重置码只能使用一次）。如非本人操作，请忽略。\n\
                 Open /password/reset?code={code} within an hour to set a new password (the code works once). If this was not you, ignore this message."
            ),
            created_at: t,
        })
        .await?;
        append(
            &mut tx,
            self.now(),
            Some(account.id),
            None,
            None,
            Change::event("account.reset_requested", "account", account.id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password with a reset code; the code is used up, and every session, token and
    /// known device of the account ends.
    pub async fn reset_password_with_code(&self, code: &str, new_password: &str) -> AppResult<()> {
        let hash = secret_hash(code.trim());
        let account = {
            let mut conn = self.store.conn().await?;
            let id = conn.find_password_reset(&hash, self.now()).await?.ok_or_else(code_invalid)?;
            conn.find_account(id).await?.ok_or_else(code_invalid)?
        };
        check_password_for("new_password", new_password, &logins_of(&account))?;
        let new_hash = self.passwords.hash(new_password.to_string()).await?;
        let t = self.now();
        let mut tx = self.store.begin().await?;
        if !tx.use_password_reset(&hash, t).await? {
            return Err(code_invalid());
        }
        tx.update_password(account.id, &new_hash, false).await?;
        tx.delete_sessions_of(account.id).await?;
        tx.revoke_tokens_of(account.id, t).await?;
        tx.forget_devices_of(account.id).await?;
        append(
            &mut tx,
            self.now(),
            Some(account.id),
            None,
            None,
            Change::event("account.reset_with_code", "account", account.id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

//! Logging in and out, sessions, API tokens, throttling and password changes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};
use xiaoqi_domain::FieldError;
use xiaoqi_domain::contact::{Login, check_password_for};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AccountId, AccountRecord, SessionRecord, TokenRecord};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::password::Verdict;
use crate::throttle::Limit;
use crate::{App, Principal};

/// Prefix of API tokens, so that a leaked one is recognisable in logs and scanners.
pub const TOKEN_PREFIX: &str = "xq_";

/// A freshly opened web session: the secret goes into the cookie, only its hash is stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf_token: String,
    pub principal: Principal,
    /// The secret of the device cookie to keep (the one the caller came with, or a new one).
    pub device: String,
}

/// An account whose password was right, and its device cookie's secret.
struct Authenticated {
    account: AccountRecord,
    device: String,
}

/// A freshly issued API token: shown once.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub id: i64,
    pub name: String,
    pub token: String,
}

/// 32 random bytes, URL-safe base64.
pub fn random_secret() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// SHA-256 of a secret, hex; secrets are long and random, so no salt or slow hash is needed.
pub fn secret_hash(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    pub(crate) async fn principal_for(&self, conn: &mut Box<dyn Conn>, account: AccountRecord) -> AppResult<Principal> {
        let grants = conn.list_roles(account.id).await?;
        Ok(Principal { account, grants, csrf_token: None, request_id: None })
    }

    async fn find_by_login(&self, conn: &mut Box<dyn Conn>, login: &Login) -> AppResult<Option<AccountRecord>> {
        Ok(match login {
            Login::Email(e) => conn.find_account_by_email(e.as_str()).await?,
            Login::Mobile(m) => conn.find_account_by_mobile(m.as_str()).await?,
        })
    }

    /// Checks the throttles, then the password; records the outcome. Shared by the web login and
    /// the API's token login.
    ///
    /// A device that logged in to this account before (its cookie's secret `device`) is not
    /// throttled, so the right password from it is never refused; its own failures are counted
    /// and, past the free allowance, it is throttled like any other. Otherwise the account and
    /// the address are throttled by a growing delay (`throttle`). A one-time password logs in
    /// once: the stored hash is swapped for its used form only if it is still the same.
    async fn authenticate(
        &self,
        login: &str,
        password: &str,
        address: &str,
        device: Option<&str>,
    ) -> AppResult<Authenticated> {
        let login = Login::parse("login", login)?;
        let mut conn = self.store.conn().await?;
        let account = self.find_by_login(&mut conn, &login).await?;
        let t = self.now();
        let known = match (device, &account) {
            (Some(d), Some(a)) => self.known_device(&mut conn, d, a.id, t).await?,
            _ => None,
        };
        let account_key = format!("login:{}", login_key(&login));
        let address_key = format!("addr:{address}");
        let attempts = match &known {
            Some(key) => vec![conn.record_login_attempt(key, false, t).await?],
            None => {
                let limits = [
                    Limit { key: &account_key, free: self.config.login_max_failures_per_account },
                    Limit { key: &address_key, free: self.config.login_max_failures_per_address },
                ];
                self.throttle(&mut conn, &limits, self.config.login_window_secs, self.config.login_max_delay_secs)
                    .await?
            }
        };
        // Verify against a real hash even for unknown logins, so timing does not reveal accounts.
        let phc = match &account {
            Some(a) => a.password_hash.clone(),
            None => crate::password::dummy_hash()?,
        };
        let verdict = self.passwords.check(password.to_string(), phc, t).await?;
        let Some(mut a) = account.filter(|a| !a.disabled) else {
            return Err(AppError::BadCredentials);
        };
        match verdict {
            Verdict::Match => {}
            Verdict::Mismatch => return Err(AppError::BadCredentials),
            Verdict::Expired | Verdict::Used => return Err(one_time_spent()),
        }
        if let Some(used) = crate::password::used_form(&a.password_hash) {
            if !conn.replace_password_hash(a.id, &a.password_hash, &used).await? {
                return Err(one_time_spent());
            }
            a.password_hash = used;
        }
        let mut attempts = attempts.into_iter();
        if let Some(first) = attempts.next() {
            conn.mark_login_attempt_succeeded(first).await?;
        }
        for id in attempts {
            conn.delete_login_attempt(id).await?;
        }
        let device = match (known, device) {
            (Some(_), Some(d)) => {
                conn.record_login_attempt(&account_key, true, t).await?;
                d.to_string()
            }
            _ => {
                let d = random_secret();
                conn.remember_device(&secret_hash(&d), a.id, t).await?;
                d
            }
        };
        Ok(Authenticated { account: a, device })
    }

    /// The throttling key of a device cookie, if it belongs to the account and its failures are
    /// still within the free allowance.
    async fn known_device(
        &self,
        conn: &mut Box<dyn Conn>,
        secret: &str,
        account: AccountId,
        t: i64,
    ) -> AppResult<Option<String>> {
        let hash = secret_hash(secret);
        if !conn.touch_device(&hash, account, t).await? {
            return Ok(None);
        }
        let key = format!("device:{hash}");
        let since = t - self.config.login_window_secs * 1000;
        let failures = conn.login_failures_before(&key, since, i64::MAX).await?;
        Ok((failures.count < self.config.login_max_failures_per_account).then_some(key))
    }

    /// Logs in and opens a new session (a fresh id, so an id planted before login is worthless).
    /// `device` is the secret of the caller's device cookie, if any; the session names the
    /// device secret to keep in it.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        address: &str,
        device: Option<&str>,
    ) -> AppResult<NewSession> {
        let Authenticated { account, device } = self.authenticate(login, password, address, device).await?;
        let t = self.now();
        let mut tx = self.store.begin().await?;
        let secret = random_secret();
        let csrf_token = random_secret();
        tx.create_session(&SessionRecord {
            id_hash: secret_hash(&secret),
            account_id: account.id,
            csrf_token: csrf_token.clone(),
            created_at: t,
            expires_at: t + self.config.session_ttl_secs * 1000,
        })
        .await?;
        let mut principal = self.principal_for(&mut tx, account).await?;
        record(&mut tx, self.now(), &principal, None, Change::event("session.login", "account", principal.id()))
            .await?;
        tx.commit().await?;
        principal.csrf_token = Some(csrf_token.clone());
        Ok(NewSession { secret, csrf_token, principal, device })
    }

    /// Checks a login and password and issues a named API token (for scripts).
    pub async fn login_for_token(
        &self,
        login: &str,
        password: &str,
        address: &str,
        device: Option<&str>,
        name: &str,
    ) -> AppResult<IssuedToken> {
        let account = self.authenticate(login, password, address, device).await?.account;
        // A one-time password only opens the account page: a token would outlive it.
        if account.must_change_password {
            return Err(AppError::PasswordChangeRequired);
        }
        let mut conn = self.store.conn().await?;
        let p = self.principal_for(&mut conn, account).await?;
        drop(conn);
        self.issue_token(&p, name).await
    }

    /// Resolves a session cookie to its principal, sliding its expiry forward.
    pub async fn resolve_session(&self, secret: &str) -> AppResult<Principal> {
        let t = self.now();
        let hash = secret_hash(secret);
        let mut conn = self.store.conn().await?;
        let s = conn.find_session(&hash, t).await?.ok_or(AppError::Unauthenticated)?;
        let account = conn.find_account(s.account_id).await?.ok_or(AppError::Unauthenticated)?;
        if account.disabled {
            return Err(AppError::Unauthenticated);
        }
        // Extend at most once a minute, not on every request.
        let new_expiry = t + self.config.session_ttl_secs * 1000;
        if new_expiry - s.expires_at > 60_000 {
            conn.extend_session(&hash, new_expiry).await?;
        }
        let mut p = self.principal_for(&mut conn, account).await?;
        p.csrf_token = Some(s.csrf_token);
        Ok(p)
    }

    /// Ends a session; the cookie's secret is worthless afterwards.
    pub async fn logout(&self, secret: &str) -> AppResult<()> {
        let hash = secret_hash(secret);
        let mut tx = self.store.begin().await?;
        if let Some(s) = tx.find_session(&hash, self.now()).await? {
            tx.delete_session(&hash).await?;
            crate::audit::append(
                &mut tx,
                self.now(),
                Some(s.account_id),
                None,
                None,
                Change::event("session.logout", "account", s.account_id),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Resolves a bearer token to its principal.
    pub async fn resolve_token(&self, token: &str) -> AppResult<Principal> {
        if !token.starts_with(TOKEN_PREFIX) {
            return Err(AppError::Unauthenticated);
        }
        let mut conn = self.store.conn().await?;
        let rec = conn.find_token_by_hash(&secret_hash(token)).await?.ok_or(AppError::Unauthenticated)?;
        if rec.revoked_at.is_some() {
            return Err(AppError::Unauthenticated);
        }
        let account = conn.find_account(rec.account_id).await?.ok_or(AppError::Unauthenticated)?;
        if account.disabled {
            return Err(AppError::Unauthenticated);
        }
        self.principal_for(&mut conn, account).await
    }

    /// Issues a named API token for the caller; the token is returned once and stored hashed.
    pub async fn issue_token(&self, p: &Principal, name: &str) -> AppResult<IssuedToken> {
        let name = xiaoqi_domain::error::required_text("name", name, 100)?;
        let token = format!("{TOKEN_PREFIX}{}", random_secret());
        let mut tx = self.store.begin().await?;
        let id = tx.create_token(p.id(), &name, &secret_hash(&token), self.now()).await?;
        record(
            &mut tx,
            self.now(),
            p,
            None,
            Change::created("api_token.issue", "api_token", id, &serde_json::json!({"name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(IssuedToken { id, name, token })
    }

    /// Issues a token for an account named by its login (the `xiaoqi token issue` command).
    pub async fn issue_token_for_login(&self, login: &str, name: &str) -> AppResult<IssuedToken> {
        let login = Login::parse("login", login)?;
        let mut conn = self.store.conn().await?;
        let account = self.find_by_login(&mut conn, &login).await?.ok_or(AppError::NotFound("account"))?;
        let p = self.principal_for(&mut conn, account).await?;
        drop(conn);
        self.issue_token(&p, name).await
    }

    /// The caller's tokens (without secrets).
    pub async fn list_tokens(&self, p: &Principal) -> AppResult<Vec<TokenRecord>> {
        Ok(self.store.conn().await?.list_tokens(p.id()).await?)
    }

    /// Revokes one of the caller's tokens.
    pub async fn revoke_token(&self, p: &Principal, id: i64) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        if !tx.revoke_token(id, p.id(), self.now()).await? {
            return Err(AppError::NotFound("api_token"));
        }
        record(&mut tx, self.now(), p, None, Change::event("api_token.revoke", "api_token", id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the caller's password after checking the current one, throttled by a delay
    /// of its own (a wrong current password slows the next check, never the account's logins);
    /// every session and API token of the account ends.
    pub async fn change_password(&self, p: &Principal, current: &str, new: &str) -> AppResult<()> {
        check_password_for("new_password", new, &logins_of(&p.account))?;
        let key = format!("password:{}", p.id());
        let mut conn = self.store.conn().await?;
        let limits = [Limit { key: &key, free: self.config.login_max_failures_per_account }];
        let attempts =
            self.throttle(&mut conn, &limits, self.config.login_window_secs, self.config.login_max_delay_secs).await?;
        // A one-time password that opened this session is still the current password here.
        let verdict = self.passwords.check(current.to_string(), p.account.password_hash.clone(), self.now()).await?;
        if !matches!(verdict, Verdict::Match | Verdict::Used) {
            return Err(FieldError::new(
                "current_password",
                "password_mismatch",
                "当前密码不正确",
                "The current password is wrong",
            )
            .into());
        }
        for id in attempts {
            conn.mark_login_attempt_succeeded(id).await?;
        }
        drop(conn);
        if new == current {
            return Err(FieldError::new(
                "new_password",
                "password_unchanged",
                "新密码不能与当前密码相同（password_unchanged）",
                "The new password must differ from the current one (password_unchanged)",
            )
            .into());
        }
        let hash = self.passwords.hash(new.to_string()).await?;
        let mut tx = self.store.begin().await?;
        tx.update_password(p.id(), &hash, false).await?;
        tx.delete_sessions_of(p.id()).await?;
        tx.revoke_tokens_of(p.id(), self.now()).await?;
        record(&mut tx, self.now(), p, None, Change::event("account.change_password", "account", p.id())).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The refusal of a right one-time password that expired or already logged in once.
fn one_time_spent() -> AppError {
    AppError::Denied {
        zh: "一次性密码已过期（72 小时）或已使用过，请联系管理员重新设置".into(),
        en: "This one-time password has expired (72 hours) or was already used; ask an administrator for a new one"
            .into(),
    }
}

/// The logins of an account (its email and mobile number), which its password must not be.
pub(crate) fn logins_of(a: &AccountRecord) -> Vec<&str> {
    a.email.iter().chain(a.mobile.iter()).map(String::as_str).collect()
}

fn login_key(l: &Login) -> String {
    match l {
        Login::Email(e) => e.as_str().to_string(),
        Login::Mobile(m) => m.as_str().to_string(),
    }
}

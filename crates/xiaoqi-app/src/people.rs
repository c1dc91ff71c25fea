//! Members of an organisation: creating them, their roles and password resets.

use rand::Rng as _;
use serde::{Deserialize, Serialize};
use xiaoqi_domain::contact::{Email, Mobile};
use xiaoqi_domain::error::required_text;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AccountId, MemberRecord, NewAccount, NewOutboxMessage, OrgId};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// Input of a new member created by an organisation administrator.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMemberInput {
    pub display_name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub roles: Vec<String>,
}

/// A member just created, with the one-time password to hand over.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreatedMember {
    pub account_id: AccountId,
    pub login: String,
    pub temporary_password: String,
}

/// Parses the optional email and mobile fields; at least one is required to log in.
pub(crate) fn parse_contacts(
    e: &mut ValidationErrors,
    email_field: &str,
    email: Option<&str>,
    mobile_field: &str,
    mobile: Option<&str>,
) -> (Option<Email>, Option<Mobile>) {
    let email = email.map(str::trim).filter(|s| !s.is_empty());
    let mobile = mobile.map(str::trim).filter(|s| !s.is_empty());
    if email.is_none() && mobile.is_none() {
        e.push(FieldError::new(
            email_field,
            "login_required",
            "邮箱和手机号至少填写一项",
            "Give an email address or a mobile number (or both)",
        ));
    }
    let email = email.and_then(|s| e.check(Email::parse(email_field, s)));
    let mobile = mobile.and_then(|s| e.check(Mobile::parse(mobile_field, s)));
    (email, mobile)
}

/// Refuses an email or mobile number that another account already uses.
pub(crate) async fn check_contacts_free(
    conn: &mut Box<dyn Conn>,
    email_field: &str,
    email: Option<&Email>,
    mobile_field: &str,
    mobile: Option<&Mobile>,
) -> AppResult<()> {
    if let Some(em) = email
        && conn.find_account_by_email(em.as_str()).await?.is_some()
    {
        return Err(AppError::Conflict(FieldError::new(
            email_field,
            "email_taken",
            "该邮箱已被其他账号使用",
            "This email address is already used by another account",
        )));
    }
    if let Some(m) = mobile
        && conn.find_account_by_mobile(m.as_str()).await?.is_some()
    {
        return Err(AppError::Conflict(FieldError::new(
            mobile_field,
            "mobile_taken",
            "该手机号已被其他账号使用",
            "This mobile number is already used by another account",
        )));
    }
    Ok(())
}

/// For an anonymous registration: when the email or mobile number is already used, tells its
/// owner through the outbox that someone tried to register with it, and answers `true`
/// (nothing is to be created). The caller's answer must not differ.
pub(crate) async fn tell_owners_of_taken_contacts(
    conn: &mut Box<dyn Conn>,
    email: Option<&Email>,
    mobile: Option<&Mobile>,
    at: i64,
) -> AppResult<bool> {
    let mut taken = Vec::new();
    if let Some(em) = email
        && conn.find_account_by_email(em.as_str()).await?.is_some()
    {
        taken.push(("email", em.as_str().to_string()));
    }
    if let Some(m) = mobile
        && conn.find_account_by_mobile(m.as_str()).await?.is_some()
    {
        taken.push(("sms", m.as_str().to_string()));
    }
    for (channel, recipient) in &taken {
        conn.enqueue_outbox(&NewOutboxMessage {
            channel: (*channel).into(),
            recipient: recipient.clone(),
            subject: "有人尝试用您的联系方式注册 / Someone tried to register with your contact".into(),
            body: "有人尝试用您的邮箱或手机号在校企合作平台注册新机构。您已有账号，无需再次注册；如忘记密码，请使用登录页的“忘记密码”。若不是您本人操作，请忽略本消息。\n\
                   Someone tried to register a new organisation on Xiaoqi with your email address or mobile number. You already have an account; if you forgot its password, use \"Forgot password\" on the login page. If this was not you, ignore this message."
                .into(),
            created_at: at,
        })
        .await?;
    }
    Ok(!taken.is_empty())
}

/// Masks an email for people who may see that a member exists but not how to reach them:
/// `l***@example.com`.
pub fn mask_email(e: &str) -> String {
    match e.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".into(),
    }
}

/// Masks a stored mobile number: `138****5678` (anything unparsable becomes `****`).
pub fn mask_mobile(m: &str) -> String {
    Mobile::parse("mobile", m).map(|m| xiaoqi_domain::contact::mask_mobile(&m)).unwrap_or_else(|_| "****".into())
}

/// A one-time password: 16 characters from an unambiguous alphabet (about 80 bits).
pub fn temporary_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..16).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// Gives an account a new one-time password (72 h, one login) and ends its sessions, tokens and
/// known devices, in the caller's transaction; returns the password to hand over.
pub(crate) async fn set_one_time_password(conn: &mut Box<dyn Conn>, account: AccountId, t: i64) -> AppResult<String> {
    let pw = temporary_password();
    conn.update_password(account, &crate::password::temporary_hash(&pw, t), true).await?;
    conn.delete_sessions_of(account).await?;
    conn.revoke_tokens_of(account, t).await?;
    conn.forget_devices_of(account).await?;
    Ok(pw)
}

/// Parses role codes and checks each may be held in an organisation of `kind`.
pub(crate) fn parse_roles(field: &str, codes: &[String], kind: OrgKind) -> Result<Vec<Role>, FieldError> {
    if codes.is_empty() {
        return Err(FieldError::new(field, "roles_required", "至少选择一个角色", "Choose at least one role"));
    }
    let mut out = Vec::new();
    for c in codes {
        let r = Role::parse(c.trim()).ok_or_else(|| {
            FieldError::new(field, "role_unknown", format!("未知的角色：{c}"), format!("Unknown role: {c}"))
        })?;
        if !r.allowed_in(kind) {
            return Err(FieldError::new(
                field,
                "role_not_allowed_for_kind",
                format!("“{}”不能授予{}", r.label_zh(), kind.label_zh()),
                format!("The role {} cannot be held in a {}", r.label_en(), kind.label_en().to_lowercase()),
            ));
        }
        if !out.contains(&r) {
            out.push(r);
        }
    }
    Ok(out)
}

impl App {
    async fn org_kind(&self, conn: &mut Box<dyn Conn>, org: OrgId) -> AppResult<OrgKind> {
        Ok(conn.find_org(org).await?.ok_or(AppError::NotFound("organization"))?.profile.kind)
    }

    /// The members of an organisation with their roles: its members and alliance administrators.
    /// Contacts are masked except for the organisation's administrators and the alliance's.
    pub async fn list_members(&self, p: &Principal, org: OrgId, page: PageRequest) -> AppResult<Page<MemberRecord>> {
        if !p.may_read_private(org) {
            return Err(AppError::Forbidden);
        }
        let page = self.store.conn().await?.list_members(org, page).await?;
        if p.has_role(org, Role::OrgAdmin) || p.is_alliance_admin() {
            return Ok(page);
        }
        Ok(page.map(|mut m| {
            m.account.email = m.account.email.as_deref().map(mask_email);
            m.account.mobile = m.account.mobile.as_deref().map(mask_mobile);
            m
        }))
    }

    /// Creates a member with roles and a one-time password that must be changed at first login.
    pub async fn create_member(&self, p: &Principal, org: OrgId, input: &NewMemberInput) -> AppResult<CreatedMember> {
        let admin = p.org_admin(org)?;
        let mut tx = self.store.begin().await?;
        let kind = self.org_kind(&mut tx, admin.org_id).await?;
        let mut e = ValidationErrors::new();
        let name = e.check(required_text("display_name", &input.display_name, 50));
        let (email, mobile) =
            parse_contacts(&mut e, "email", input.email.as_deref(), "mobile", input.mobile.as_deref());
        let roles = e.check(parse_roles("roles", &input.roles, kind));
        e.into_result()?;
        let (Some(name), Some(roles)) = (name, roles) else {
            return Err(AppError::Internal("validated input missing".into()));
        };
        check_contacts_free(&mut tx, "email", email.as_ref(), "mobile", mobile.as_ref()).await?;
        let temporary_password = temporary_password();
        let login = email
            .as_ref()
            .map(|x| x.as_str().to_string())
            .or(mobile.as_ref().map(|m| m.as_str().to_string()))
            .unwrap_or_default();
        let account_id = tx
            .create_account(&NewAccount {
                email: email.as_ref().map(|x| x.as_str().to_string()),
                mobile: mobile.as_ref().map(|m| m.as_str().to_string()),
                display_name: name.clone(),
                password_hash: crate::password::temporary_hash(&temporary_password, self.now()),
                must_change_password: true,
                created_at: self.now(),
            })
            .await?;
        for r in &roles {
            tx.grant_role(account_id, org, *r).await?;
        }
        if let Some(em) = &email {
            tx.enqueue_outbox(&NewOutboxMessage {
                channel: "email".into(),
                recipient: em.as_str().to_string(),
                subject: "您已被添加到校企合作平台 / You have been added to Xiaoqi".into(),
                body: format!("{name}，您的登录账号为 {login}。初始密码请向机构管理员索取，首次登录须修改密码。"),
                created_at: self.now(),
            })
            .await?;
        }
        let after = serde_json::json!({"display_name": name, "login": login, "roles": roles});
        record(&mut tx, self.now(), p, Some(org), Change::created("member.create", "account", account_id, &after))
            .await?;
        tx.commit().await?;
        Ok(CreatedMember { account_id, login, temporary_password })
    }

    /// Grants a role to a member of the organisation.
    pub async fn grant_role(&self, p: &Principal, org: OrgId, account: AccountId, role: &str) -> AppResult<()> {
        let admin = p.org_admin(org)?;
        let mut tx = self.store.begin().await?;
        let kind = self.org_kind(&mut tx, admin.org_id).await?;
        let roles = parse_roles("role", &[role.to_string()], kind)?;
        self.require_member(&mut tx, org, account).await?;
        for r in &roles {
            tx.grant_role(account, org, *r).await?;
        }
        record(
            &mut tx,
            self.now(),
            p,
            Some(org),
            Change::created("role.grant", "account", account, &serde_json::json!({"role": role})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revokes a role; the last administrator of an organisation (or of the alliance) stays.
    pub async fn revoke_role(&self, p: &Principal, org: OrgId, account: AccountId, role: &str) -> AppResult<()> {
        let admin = p.org_admin(org)?;
        let role = Role::parse(role).ok_or_else(|| {
            FieldError::new("role", "role_unknown", format!("未知的角色：{role}"), format!("Unknown role: {role}"))
        })?;
        let mut tx = self.store.begin().await?;
        // One removal at a time per organisation, so two administrators cannot remove each other.
        tx.lock_org(admin.org_id).await?;
        if matches!(role, Role::OrgAdmin | Role::AllianceAdmin)
            && self.count_role(&mut tx, admin.org_id, role).await? <= 1
        {
            return Err(AppError::state(
                format!("不能移除最后一位{}", role.label_zh()),
                format!("The last {} cannot be removed", role.label_en().to_lowercase()),
            ));
        }
        tx.revoke_role(account, org, role).await?;
        record(&mut tx, self.now(), p, Some(org), Change::event("role.revoke", "account", account)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Resets a member's password to a one-time password; their sessions, tokens and known
    /// devices end. Administrators of every organisation the member belongs to may, and alliance
    /// administrators may reset any account.
    pub async fn reset_password(&self, p: &Principal, org: OrgId, account: AccountId) -> AppResult<String> {
        if !p.is_alliance_admin() {
            p.org_admin(org)?;
        }
        let mut tx = self.store.begin().await?;
        let grants = tx.list_roles(account).await?;
        if !grants.iter().any(|g| g.org_id == org) {
            return Err(AppError::NotFound("member"));
        }
        // The new password opens every organisation the account belongs to: only an
        // administrator of all of them (or of the alliance) may set it.
        if !p.is_alliance_admin() && grants.iter().any(|g| !p.has_role(g.org_id, Role::OrgAdmin)) {
            return Err(AppError::state(
                "该成员也属于其他机构，请联系联盟管理员重置密码",
                "This member also belongs to other organisations; ask an alliance administrator to reset the password",
            ));
        }
        let pw = set_one_time_password(&mut tx, account, self.now()).await?;
        record(&mut tx, self.now(), p, Some(org), Change::event("account.reset_password", "account", account)).await?;
        tx.commit().await?;
        Ok(pw)
    }

    /// Resets the password of the account with this login to a one-time password, for the
    /// operator on the server (`xiaoqi account reset LOGIN`); audited without an actor.
    pub async fn reset_password_for_login(&self, login: &str) -> AppResult<String> {
        let login = xiaoqi_domain::contact::Login::parse("login", login)?;
        let mut tx = self.store.begin().await?;
        let account = match &login {
            xiaoqi_domain::contact::Login::Email(e) => tx.find_account_by_email(e.as_str()).await?,
            xiaoqi_domain::contact::Login::Mobile(m) => tx.find_account_by_mobile(m.as_str()).await?,
        }
        .ok_or(AppError::NotFound("account"))?;
        let pw = set_one_time_password(&mut tx, account.id, self.now()).await?;
        let change = Change::event("account.reset_password_cli", "account", account.id);
        crate::audit::append(&mut tx, self.now(), None, None, None, change).await?;
        tx.commit().await?;
        Ok(pw)
    }

    async fn require_member(&self, conn: &mut Box<dyn Conn>, org: OrgId, account: AccountId) -> AppResult<()> {
        let grants = conn.list_roles(account).await?;
        if grants.iter().any(|g| g.org_id == org) { Ok(()) } else { Err(AppError::NotFound("member")) }
    }

    async fn count_role(&self, conn: &mut Box<dyn Conn>, org: OrgId, role: Role) -> AppResult<usize> {
        let mut n = 0;
        let mut offset = 0;
        loop {
            let page = conn.list_members(org, PageRequest { limit: 100, offset }).await?;
            n += page.items.iter().filter(|m| m.roles.contains(&role)).count();
            if !page.has_next() {
                return Ok(n);
            }
            offset += 100;
        }
    }
}

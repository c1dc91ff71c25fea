//! Organisations: self-registration, profiles and the member directory.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::contact::check_password_for;
use xiaoqi_domain::credit_code::CreditCode;
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{MembershipStatus, OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::sme::{EnterpriseFigures, Industry, classify};
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AccountId, NewAccount, OrgFilter, OrgId, OrgProfile, OrgRecord};

use crate::audit::{Change, append, record};
use crate::authz;
use crate::error::{AppError, AppResult};
use crate::throttle::Limit;
use crate::{App, Principal};

/// Profile input of an organisation, as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    pub kind: String,
    pub name: String,
    pub name_en: Option<String>,
    pub region_code: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    /// Enterprises: industry code of the SME rules (e.g. `software_it_services`).
    pub industry: Option<String>,
    /// Enterprises: number of employees.
    pub employees: Option<i64>,
    /// Enterprises: annual revenue in yuan, exact ("12500000.00").
    pub annual_revenue_yuan: Option<String>,
    /// Enterprises: total assets in yuan (used by some industries' rules).
    pub total_assets_yuan: Option<String>,
    pub credit_code: Option<String>,
}

/// Input of a self-registration: the organisation and its first administrator.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    pub organization: OrgInput,
    pub admin_name: String,
    pub admin_email: Option<String>,
    pub admin_mobile: Option<String>,
    pub password: String,
}

/// An organisation as shown to a given viewer: figures only to its members and alliance admins.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgView {
    #[serde(flatten)]
    pub record: OrgRecord,
    pub region_name: Option<String>,
    /// How the size class was derived (the rule row and the conditions that held).
    pub size_explanation_zh: Option<String>,
    pub size_explanation_en: Option<String>,
    /// Whether the viewer sees the private figures.
    pub private_visible: bool,
    /// What the viewer may do with the organisation next.
    #[serde(flatten)]
    pub may: OrgActions,
}

/// What the viewer may do with an organisation, decided by the rules in `authz`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgActions {
    /// Edit the profile, manage members and roles, import people, read the audit log.
    pub may_administer: bool,
    /// Read its private records (classes, members): its members and alliance administrators.
    pub may_read_private: bool,
    /// Apply for alliance membership on its behalf.
    pub may_apply: bool,
    /// A college: manage its majors and what they teach.
    pub may_manage_majors: bool,
    /// A college: see its demand insight.
    pub may_see_insight: bool,
    /// A college: publish its service offerings and answer requests.
    pub may_manage_services: bool,
    /// An enterprise: request services and follow its requests.
    pub may_request_services: bool,
    /// A college: invite it to run corporate training (the viewer acts for an enterprise).
    pub may_invite: bool,
}

impl OrgActions {
    /// What `p` may do with `org`.
    pub fn of(p: &Principal, org: &OrgRecord) -> OrgActions {
        let id = org.id;
        let college = org.profile.kind == OrgKind::College;
        OrgActions {
            may_administer: authz::administers(p, id),
            may_read_private: p.may_read_private(id),
            may_apply: authz::may_apply_for_membership(p, org),
            may_manage_majors: college && authz::manages_majors(p, id),
            may_see_insight: college && authz::sees_demand_insight(p, id),
            may_manage_services: authz::acts_for(p, Side::College, id),
            may_request_services: authz::acts_for(p, Side::Enterprise, id),
            may_invite: college && !authz::acting_orgs(p, Side::Enterprise).is_empty(),
        }
    }
}

fn parse_kind(s: &str) -> Result<OrgKind, FieldError> {
    OrgKind::parse(s.trim()).ok_or_else(|| {
        FieldError::new(
            "kind",
            "org_kind_unknown",
            format!("未知的机构类型：{s}"),
            format!("Unknown organisation kind: {s}"),
        )
    })
}

fn parse_website(v: Option<&str>) -> Result<Option<String>, FieldError> {
    let w = optional_text("website", v, 200)?;
    match w {
        Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) || u.contains(char::is_whitespace) => {
            Err(FieldError::new(
                "website",
                "url_format",
                "网址须以 http:// 或 https:// 开头",
                "The website must start with http:// or https://",
            ))
        }
        other => Ok(other),
    }
}

fn parse_money(field: &str, v: Option<&str>) -> Result<Option<i64>, FieldError> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Fen::parse_yuan(field, s).map(|f| Some(f.0)),
    }
}

/// Validates the profile fields; the region is checked against the reference data by the caller.
pub fn validate_org(input: &OrgInput) -> Result<OrgProfile, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let kind = e.check(parse_kind(&input.kind));
    let name = e.check(required_text("name", &input.name, 100));
    let name_en = e.check(optional_text("name_en", input.name_en.as_deref(), 200)).flatten();
    let region_code = e.check(optional_text("region_code", input.region_code.as_deref(), 12)).flatten();
    let description = e.check(optional_text("description", input.description.as_deref(), 2000)).flatten();
    let website = e.check(parse_website(input.website.as_deref())).flatten();
    let credit_code = match input.credit_code.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => e.check(CreditCode::parse("credit_code", c)).map(|c| c.as_str().to_string()),
    };
    let mut profile = OrgProfile {
        kind: kind.unwrap_or(OrgKind::Enterprise),
        name: name.unwrap_or_default(),
        name_en,
        region_code,
        description,
        website,
        industry: None,
        employees: None,
        revenue_fen: None,
        assets_fen: None,
        credit_code,
        size_class: None,
    };
    if kind == Some(OrgKind::Enterprise) {
        enterprise_fields(input, &mut profile, &mut e);
    }
    e.into_result().map(|()| profile)
}

fn enterprise_fields(input: &OrgInput, p: &mut OrgProfile, e: &mut ValidationErrors) {
    let industry = match input.industry.as_deref().map(str::trim) {
        None | Some("") => {
            e.push(FieldError::required("industry"));
            None
        }
        Some(s) => e.check(Industry::parse(s).ok_or_else(|| {
            FieldError::new(
                "industry",
                "industry_unknown",
                format!("未知的行业：{s}"),
                format!("Unknown industry: {s}"),
            )
        })),
    };
    let employees = match input.employees {
        None => {
            e.push(FieldError::required("employees"));
            None
        }
        Some(n) if !(0..=10_000_000).contains(&n) => {
            e.push(FieldError::new(
                "employees",
                "employees_range",
                "从业人员数须在 0 到 10,000,000 之间",
                "Employees must be between 0 and 10,000,000",
            ));
            None
        }
        Some(n) => Some(n),
    };
    let revenue = e.check(parse_money("annual_revenue_yuan", input.annual_revenue_yuan.as_deref())).flatten();
    if input.annual_revenue_yuan.as_deref().is_none_or(|s| s.trim().is_empty()) {
        e.push(FieldError::required("annual_revenue_yuan"));
    }
    let assets = e.check(parse_money("total_assets_yuan", input.total_assets_yuan.as_deref())).flatten();
    if p.credit_code.is_none() && input.credit_code.as_deref().is_none_or(|s| s.trim().is_empty()) {
        e.push(FieldError::required("credit_code"));
    }
    if let (Some(i), Some(n), Some(r)) = (industry, employees, revenue) {
        let figures = EnterpriseFigures {
            employees: u32::try_from(n).unwrap_or(u32::MAX),
            revenue_fen: r,
            total_assets_fen: assets,
        };
        p.size_class = Some(classify(i, &figures).size.as_str().to_string());
    }
    p.industry = industry.map(|i| i.as_str().to_string());
    p.employees = employees;
    p.revenue_fen = revenue;
    p.assets_fen = assets;
}

/// The size class explanation of a stored enterprise, recomputed from its figures.
pub fn size_explanation(r: &OrgRecord) -> Option<(String, String)> {
    let i = Industry::parse(r.profile.industry.as_deref()?)?;
    let f = EnterpriseFigures {
        employees: u32::try_from(r.profile.employees?).ok()?,
        revenue_fen: r.profile.revenue_fen?,
        total_assets_fen: r.profile.assets_fen,
    };
    let c = classify(i, &f);
    Some((c.explanation_zh, c.explanation_en))
}

impl App {
    /// Checks that a region code exists in the reference data.
    pub(crate) async fn check_region(
        &self,
        conn: &mut Box<dyn Conn>,
        field: &str,
        code: Option<&str>,
    ) -> AppResult<()> {
        if let Some(c) = code
            && conn.find_region(c).await?.is_none()
        {
            return Err(FieldError::new(
                field,
                "region_unknown",
                format!("未知的行政区划代码：{c}"),
                format!("Unknown region code: {c}"),
            )
            .into());
        }
        Ok(())
    }

    async fn check_credit_code_free(
        &self,
        conn: &mut Box<dyn Conn>,
        code: Option<&str>,
        except: Option<OrgId>,
    ) -> AppResult<()> {
        if let Some(c) = code
            && let Some(o) = conn.find_org_by_credit_code(c).await?
            && Some(o.id) != except
        {
            return Err(AppError::Conflict(FieldError::new(
                "credit_code",
                "credit_code_taken",
                "该统一社会信用代码已被其他机构登记",
                "This unified social credit code is already registered by another organisation",
            )));
        }
        Ok(())
    }

    /// Registers an organisation and its first administrator (no login needed). The alliance
    /// itself cannot be registered this way. Throttled per client address.
    ///
    /// The caller learns nothing about other accounts: when the email or mobile number is
    /// already used, nothing is created and its owner is told through the outbox instead, and
    /// the answer is the same (`None` here, which callers must not show differently).
    pub async fn register(
        &self,
        input: &RegistrationInput,
        request_id: Option<String>,
        address: &str,
    ) -> AppResult<Option<(OrgId, AccountId)>> {
        let mut e = ValidationErrors::new();
        let profile = match validate_org(&input.organization) {
            Ok(p) => Some(p),
            Err(v) => {
                for f in v.0 {
                    e.push(f.clone().at(format!("organization.{}", f.field)));
                }
                None
            }
        };
        if profile.as_ref().is_some_and(|p| p.kind == OrgKind::Alliance) {
            e.push(FieldError::new(
                "organization.kind",
                "org_kind_not_registrable",
                "联盟不能自行注册",
                "The alliance cannot be registered",
            ));
        }
        let name = e.check(required_text("admin_name", &input.admin_name, 50));
        let (email, mobile) = crate::people::parse_contacts(
            &mut e,
            "admin_email",
            input.admin_email.as_deref(),
            "admin_mobile",
            input.admin_mobile.as_deref(),
        );
        let logins: Vec<&str> =
            [input.admin_email.as_deref(), input.admin_mobile.as_deref()].into_iter().flatten().collect();
        e.check(check_password_for("password", &input.password, &logins));
        e.into_result()?;
        let (Some(profile), Some(name)) = (profile, name) else {
            return Err(AppError::Internal("validated input missing".into()));
        };
        {
            let mut conn = self.store.conn().await?;
            let key = format!("register:{address}");
            let limits = [Limit { key: &key, free: self.config.registrations_per_address }];
            let window = self.config.registration_window_secs;
            self.throttle(&mut conn, &limits, window, window).await?;
        }
        let hash = self.passwords.hash(input.password.clone()).await?;
        let mut tx = self.store.begin().await?;
        self.check_region(&mut tx, "organization.region_code", profile.region_code.as_deref()).await?;
        self.check_credit_code_free(&mut tx, profile.credit_code.as_deref(), None).await?;
        let t = self.now();
        if crate::people::tell_owners_of_taken_contacts(&mut tx, email.as_ref(), mobile.as_ref(), t).await? {
            tx.commit().await?;
            return Ok(None);
        }
        let org = tx.create_org(&profile, MembershipStatus::None, t).await?;
        let account = tx
            .create_account(&NewAccount {
                email: email.map(|e| e.as_str().to_string()),
                mobile: mobile.map(|m| m.as_str().to_string()),
                display_name: name,
                password_hash: hash,
                must_change_password: false,
                created_at: t,
            })
            .await?;
        tx.grant_role(account, org, Role::OrgAdmin).await?;
        append(
            &mut tx,
            t,
            Some(account),
            Some(org),
            request_id,
            Change::created("organization.register", "organization", org, &profile),
        )
        .await?;
        tx.commit().await?;
        Ok(Some((org, account)))
    }

    /// Refuses with `organisation_pending` unless the organisation is a member of the alliance:
    /// an organisation not yet approved publishes nothing others see.
    pub(crate) async fn require_admitted(&self, conn: &mut Box<dyn Conn>, org: OrgId) -> AppResult<()> {
        let record = conn.find_org(org).await?.ok_or(AppError::NotFound("organization"))?;
        if record.membership == MembershipStatus::Member { Ok(()) } else { Err(AppError::OrganisationPending) }
    }

    /// One organisation as the viewer may see it.
    pub async fn get_org(&self, p: &Principal, id: OrgId) -> AppResult<OrgView> {
        let mut conn = self.store.conn().await?;
        let record = conn.find_org(id).await?.ok_or(AppError::NotFound("organization"))?;
        let private_visible = p.may_read_private(id);
        // Organisations outside the alliance are visible only to themselves and its administrators.
        if record.membership != MembershipStatus::Member && !private_visible {
            return Err(AppError::NotFound("organization"));
        }
        let region_name = match &record.profile.region_code {
            Some(c) => conn.find_region(c).await?.map(|r| r.full_name),
            None => None,
        };
        Ok(view(p, record, region_name, private_visible))
    }

    /// Updates an organisation's profile: its administrators only. The kind cannot change.
    pub async fn update_org(&self, p: &Principal, id: OrgId, input: &OrgInput) -> AppResult<OrgView> {
        let admin = p.org_admin(id)?;
        let mut tx = self.store.begin().await?;
        let before = tx.find_org(admin.org_id).await?.ok_or(AppError::NotFound("organization"))?;
        if parse_kind(&input.kind)? != before.profile.kind {
            return Err(FieldError::new(
                "kind",
                "org_kind_immutable",
                "机构类型不能修改",
                "The organisation kind cannot be changed",
            )
            .into());
        }
        let profile = validate_org(input)?;
        self.check_region(&mut tx, "region_code", profile.region_code.as_deref()).await?;
        self.check_credit_code_free(&mut tx, profile.credit_code.as_deref(), Some(id)).await?;
        tx.update_org(id, &profile, self.now()).await?;
        self.reindex_org_tree(&mut tx, id).await?;
        let after = tx.find_org(id).await?.ok_or(AppError::NotFound("organization"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(id),
            Change::updated("organization.update", "organization", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(view(p, after, None, true))
    }

    /// The member directory. Everyone sees alliance members; alliance administrators may filter
    /// by any membership state.
    pub async fn list_orgs(&self, p: &Principal, mut filter: OrgFilter, page: PageRequest) -> AppResult<Page<OrgView>> {
        if !authz::sees_all_memberships(p) {
            filter.membership = Some(MembershipStatus::Member);
        }
        if let Some(r) = &filter.region_prefix
            && !(r.len() <= 6 && r.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(FieldError::new(
                "region",
                "region_format",
                "地区代码须为 1 到 6 位数字",
                "The region code must be 1 to 6 digits",
            )
            .into());
        }
        if let Some(i) = &filter.industry
            && Industry::parse(i).is_none()
        {
            return Err(FieldError::new(
                "industry",
                "industry_unknown",
                format!("未知的行业：{i}"),
                format!("Unknown industry: {i}"),
            )
            .into());
        }
        if let Some(s) = &filter.size_class
            && xiaoqi_domain::sme::SizeClass::parse(s).is_none()
        {
            return Err(FieldError::new(
                "size_class",
                "size_class_unknown",
                format!("未知的规模：{s}"),
                format!("Unknown size class: {s}"),
            )
            .into());
        }
        let page = self.store.conn().await?.list_orgs(&filter, page).await?;
        Ok(page.map(|r| {
            let private = p.may_read_private(r.id);
            view(p, r, None, private)
        }))
    }
}

fn view(p: &Principal, mut record: OrgRecord, region_name: Option<String>, private_visible: bool) -> OrgView {
    let may = OrgActions::of(p, &record);
    let expl = if private_visible { size_explanation(&record) } else { None };
    if !private_visible {
        record.profile.employees = None;
        record.profile.revenue_fen = None;
        record.profile.assets_fen = None;
    }
    let (zh, en) = expl.map_or((None, None), |(z, e)| (Some(z), Some(e)));
    OrgView { record, region_name, size_explanation_zh: zh, size_explanation_en: en, private_visible, may }
}

impl App {
    /// An organisation by id or unified social credit code, for operator commands.
    pub async fn find_org_by_key(&self, key: &str) -> AppResult<OrgRecord> {
        let mut conn = self.store.conn().await?;
        let found = match key.trim().parse::<i64>() {
            Ok(id) => conn.find_org(id).await?,
            Err(_) => conn.find_org_by_credit_code(&key.trim().to_uppercase()).await?,
        };
        found.ok_or(AppError::NotFound("organization"))
    }
}

//! Records as stored, and the inputs and filters of store methods.

use serde::Serialize;
use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, OrgKind, Role};

/// Identifier of an organisation.
pub type OrgId = i64;
/// Identifier of an account (a person).
pub type AccountId = i64;
/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// Profile fields of an organisation, as validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgProfile {
    #[schema(value_type = String)]
    pub kind: OrgKind,
    pub name: String,
    pub name_en: Option<String>,
    pub region_code: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    /// Industry code of the SME rules (enterprises only).
    pub industry: Option<String>,
    pub employees: Option<i64>,
    pub revenue_fen: Option<i64>,
    pub assets_fen: Option<i64>,
    pub credit_code: Option<String>,
    /// Computed by the domain from industry and figures; stored so the directory can filter.
    pub size_class: Option<String>,
}

impl OrgProfile {
    /// A profile with only the kind and the name set.
    pub fn new(kind: OrgKind, name: impl Into<String>) -> Self {
        OrgProfile {
            kind,
            name: name.into(),
            name_en: None,
            region_code: None,
            description: None,
            website: None,
            industry: None,
            employees: None,
            revenue_fen: None,
            assets_fen: None,
            credit_code: None,
            size_class: None,
        }
    }
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgRecord {
    pub id: OrgId,
    #[serde(flatten)]
    pub profile: OrgProfile,
    #[schema(value_type = String)]
    pub membership: MembershipStatus,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Filters of the member directory; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub kind: Option<OrgKind>,
    /// Region code prefix: "44" (a province), "4403" (a city) or a full code.
    pub region_prefix: Option<String>,
    pub industry: Option<String>,
    pub size_class: Option<String>,
    /// Case-insensitive substring of the Chinese or English name.
    pub name_contains: Option<String>,
    pub membership: Option<MembershipStatus>,
}

/// A department (院系) of a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DepartmentRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub name: String,
}

/// A major (专业) of a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MajorRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub department_id: Option<i64>,
    pub code: String,
    pub name: String,
    /// What the major teaches (empty until the college describes it).
    #[serde(flatten)]
    pub supply: crate::talent::MajorSupply,
}

/// A teaching class (班级) of a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClassRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub major_id: Option<i64>,
    pub name: String,
    pub entry_year: i64,
}

/// A membership application of an organisation to the alliance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApplicationRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub applicant_id: AccountId,
    pub message: Option<String>,
    #[schema(value_type = String)]
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub decided_by: Option<AccountId>,
    pub created_at: Millis,
    pub decided_at: Option<Millis>,
}

/// Input of a new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub display_name: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub created_at: Millis,
}

/// An account as stored (the password hash is never serialised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountRecord {
    pub id: AccountId,
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: Millis,
}

/// One role held by an account in an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoleGrant {
    pub org_id: OrgId,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_kind: OrgKind,
    #[schema(value_type = String)]
    pub role: Role,
}

/// A member of an organisation with the roles held there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MemberRecord {
    pub account: AccountRecord,
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
}

/// Student details held by a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StudentRecord {
    pub account_id: AccountId,
    pub org_id: OrgId,
    pub student_no: String,
    pub class_id: Option<i64>,
}

/// A server-side session; the cookie holds a secret whose hash is `id_hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id_hash: String,
    pub account_id: AccountId,
    pub csrf_token: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// An API bearer token; only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TokenRecord {
    pub id: i64,
    pub account_id: AccountId,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: Millis,
    pub revoked_at: Option<Millis>,
}

/// One entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub at: Millis,
    pub actor_id: Option<AccountId>,
    pub org_id: Option<OrgId>,
    /// What happened, e.g. `organization.update`.
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

/// An audit entry as stored, with its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// An in-app notification for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NewNotification {
    pub account_id: AccountId,
    /// Stable kind, e.g. `membership.application_received`.
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    pub link: Option<String>,
    pub created_at: Millis,
}

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NotificationRecord {
    pub id: i64,
    #[serde(flatten)]
    pub notification: NewNotification,
    pub read_at: Option<Millis>,
}

/// A message for an external channel (email, SMS), handed over by a deployment's worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NewOutboxMessage {
    /// `email` or `sms`.
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: Millis,
}

/// A standard occupation (CSCO 2022) as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OccupationRecord {
    pub code: String,
    pub level: i64,
    pub parent_code: Option<String>,
    pub name: String,
    pub definition: String,
    pub aliases: String,
    pub green: bool,
    pub digital: bool,
}

/// An administrative division as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RegionRecord {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: i64,
    pub name: String,
    pub full_name: String,
    pub pinyin: String,
}

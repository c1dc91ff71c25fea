//! Records as stored, and the inputs and filters of store methods.

use serde::Serialize;
use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, OrgKind, Role};
use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceAction, ServiceKind, ServiceRequestStatus};

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

/// What anyone may see of the alliance before logging in: counts over its member organisations,
/// never a record of one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PublicFigures {
    /// Member organisations per kind (the alliance itself not counted); kinds without members
    /// are absent.
    pub members: Vec<(OrgKind, i64)>,
    /// Seats in member enterprises' practice places that have not ended.
    pub practice_seats: i64,
    /// Member enterprises' published talent demands still open.
    pub open_demands: i64,
    /// The headcount those demands ask for.
    pub demand_headcount: i64,
    /// Active service offerings (training, technical services, consulting) of member colleges.
    pub services: i64,
    /// Order classes signed and not yet closed.
    pub order_classes: i64,
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

/// The failures recorded under a throttling key: how many, and when the latest was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginFailures {
    pub count: u64,
    pub last_at: Option<Millis>,
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

/// What a college says about one service it offers, as validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ServiceOfferingFields {
    #[schema(value_type = String)]
    pub kind: ServiceKind,
    pub title: String,
    pub description: String,
    /// Participants per session.
    pub capacity: i64,
    /// Price in fen; 0 means free.
    pub price_fen: i64,
    #[schema(value_type = String)]
    pub price_unit: PriceUnit,
}

/// A service offering of a college, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ServiceOfferingRecord {
    pub id: i64,
    /// The college offering the service.
    pub org_id: OrgId,
    pub college_name: String,
    #[serde(flatten)]
    pub fields: ServiceOfferingFields,
    #[schema(value_type = String)]
    pub status: OfferingStatus,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Filters of the offerings list; all optional, combined with AND.
#[derive(Debug, Clone, Default)]
pub struct ServiceOfferingFilter {
    pub kind: Option<ServiceKind>,
    /// One college's offerings.
    pub college: Option<OrgId>,
    pub status: Option<OfferingStatus>,
    /// Only offerings of colleges that are alliance members.
    pub member_colleges_only: bool,
}

/// Input of a new service request, or of an invitation (no offering) to run corporate training.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewServiceRequest {
    pub offering_id: Option<i64>,
    pub enterprise_org_id: OrgId,
    pub college_org_id: OrgId,
    pub kind: ServiceKind,
    pub title: String,
    pub message: Option<String>,
    pub participants_expected: Option<i64>,
    /// When the enterprise would like it, in its own words (e.g. "2026年3月，周末").
    pub preferred_period: Option<String>,
    pub requested_by: AccountId,
    pub requested_at: Millis,
}

/// A service request as stored, with who took each step and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ServiceRequestRecord {
    pub id: i64,
    /// The offering requested; none for an invitation to run corporate training.
    pub offering_id: Option<i64>,
    pub enterprise_org_id: OrgId,
    pub enterprise_name: String,
    pub college_org_id: OrgId,
    pub college_name: String,
    #[schema(value_type = String)]
    pub kind: ServiceKind,
    pub title: String,
    pub message: Option<String>,
    pub participants_expected: Option<i64>,
    pub preferred_period: Option<String>,
    #[schema(value_type = String)]
    pub status: ServiceRequestStatus,
    pub decline_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub scheduled_start: Option<Millis>,
    pub scheduled_end: Option<Millis>,
    /// Delivered hours in tenths of an hour (125 = 12.5 hours), exact.
    pub delivered_hours_tenths: Option<i64>,
    pub delivered_participants: Option<i64>,
    /// 1 to 5, given once by the enterprise after delivery.
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub requested_by: AccountId,
    pub requested_at: Millis,
    pub accepted_by: Option<AccountId>,
    pub accepted_at: Option<Millis>,
    pub declined_by: Option<AccountId>,
    pub declined_at: Option<Millis>,
    pub scheduled_by: Option<AccountId>,
    pub scheduled_at: Option<Millis>,
    pub delivered_by: Option<AccountId>,
    pub delivered_at: Option<Millis>,
    pub rated_by: Option<AccountId>,
    pub rated_at: Option<Millis>,
    pub cancelled_by: Option<AccountId>,
    pub cancelled_at: Option<Millis>,
    pub updated_at: Millis,
}

/// Whose service requests a list may return: every one (alliance administrators) or those
/// where one of the organisations is a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceRequestScope {
    Alliance,
    Parties(Vec<OrgId>),
}

/// Filters of the service requests list.
#[derive(Debug, Clone, Default)]
pub struct ServiceRequestFilter {
    pub status: Option<ServiceRequestStatus>,
    pub kind: Option<ServiceKind>,
}

/// One step on a service request with the values it records; the app decides whether it is
/// allowed (the domain's transition table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ServiceStep {
    Accept,
    Decline { reason: String },
    Schedule { start: Millis, end: Millis },
    Deliver { hours_tenths: i64, participants: i64 },
    Rate { rating: i64, comment: Option<String> },
    Cancel { reason: Option<String> },
}

impl ServiceStep {
    /// The action this step takes.
    pub fn action(&self) -> ServiceAction {
        match self {
            ServiceStep::Accept => ServiceAction::Accept,
            ServiceStep::Decline { .. } => ServiceAction::Decline,
            ServiceStep::Schedule { .. } => ServiceAction::Schedule,
            ServiceStep::Deliver { .. } => ServiceAction::Deliver,
            ServiceStep::Rate { .. } => ServiceAction::Rate,
            ServiceStep::Cancel { .. } => ServiceAction::Cancel,
        }
    }
}

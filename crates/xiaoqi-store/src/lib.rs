#![doc = include_str!("../README.md")]

pub mod benefit;
pub mod destination;
pub mod error;
pub mod model;
pub mod order_class;
pub mod placement;
pub mod practice;
pub mod research;
pub mod scope;
pub mod search;
pub mod talent;

#[cfg(feature = "conformance")]
pub mod conformance;

use async_trait::async_trait;
pub use benefit::*;
pub use destination::*;
pub use error::{StoreError, StoreResult};
pub use model::*;
pub use order_class::*;
pub use placement::*;
pub use practice::*;
pub use research::*;
pub use scope::ReadScope;
pub use search::{SEARCH_COUNT_CAP, SearchDoc, SearchHit, SearchKind, SearchQuery, SearchRepo, SearchResults};
pub use talent::*;
use xiaoqi_domain::org::{ApplicationStatus, MembershipStatus, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::{OfferingStatus, ServiceRequestStatus};

/// Which database engine an adapter talks to (for start-up messages and backend-specific tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Entry point of a storage adapter: hands out connections and transactions.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The engine behind this store.
    fn backend(&self) -> Backend;
    /// Runs a trivial query, for `/healthz`.
    async fn ping(&self) -> StoreResult<()>;
    /// A connection for reads and single-statement writes (autocommit).
    async fn conn(&self) -> StoreResult<Box<dyn Conn>>;
    /// A write transaction: nothing is kept unless `commit` is called.
    async fn begin(&self) -> StoreResult<Box<dyn Conn>>;
}

/// All data access, on a plain connection or inside a transaction.
///
/// Methods that read private records take the organisation or account they are scoped to, or a
/// [`ReadScope`] that the adapter turns into a condition of the query.
#[async_trait]
pub trait Conn:
    OrgRepo
    + CollegeRepo
    + ApplicationRepo
    + AccountRepo
    + AuthRepo
    + AuditRepo
    + RefDataRepo
    + TalentRepo
    + SearchRepo
    + ServiceRepo
    + PracticeRepo
    + ResearchRepo
    + PlacementRepo
    + OrderClassRepo
    + BenefitRepo
    + DestinationRepo
    + Send
{
    /// Commits a transaction (a no-op on a plain connection).
    async fn commit(self: Box<Self>) -> StoreResult<()>;
}

/// Organisations.
#[async_trait]
pub trait OrgRepo: Send {
    async fn create_org(&mut self, p: &OrgProfile, membership: MembershipStatus, at: Millis) -> StoreResult<OrgId>;
    async fn update_org(&mut self, id: OrgId, p: &OrgProfile, at: Millis) -> StoreResult<()>;
    async fn find_org(&mut self, id: OrgId) -> StoreResult<Option<OrgRecord>>;
    async fn find_org_by_credit_code(&mut self, code: &str) -> StoreResult<Option<OrgRecord>>;
    async fn list_orgs(&mut self, f: &OrgFilter, page: PageRequest) -> StoreResult<Page<OrgRecord>>;
    /// Locks the organisation's row until the transaction ends, so that read-then-write use
    /// cases on it (applying, deciding, removing administrators) run one at a time.
    async fn lock_org(&mut self, id: OrgId) -> StoreResult<()>;
    async fn set_membership_status(&mut self, id: OrgId, s: MembershipStatus, at: Millis) -> StoreResult<()>;
    /// The alliance's public figures on a day (in Shanghai).
    async fn public_figures(&mut self, today: xiaoqi_domain::time::Date) -> StoreResult<PublicFigures>;
}

/// College structure.
#[async_trait]
pub trait CollegeRepo: Send {
    async fn create_department(&mut self, org: OrgId, name: &str) -> StoreResult<i64>;
    async fn list_departments(&mut self, org: OrgId) -> StoreResult<Vec<DepartmentRecord>>;
    async fn create_major(&mut self, org: OrgId, department: Option<i64>, code: &str, name: &str) -> StoreResult<i64>;
    async fn list_majors(&mut self, org: OrgId) -> StoreResult<Vec<MajorRecord>>;
    async fn create_class(&mut self, org: OrgId, major: Option<i64>, name: &str, entry_year: i64) -> StoreResult<i64>;
    async fn list_classes(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<ClassRecord>>;
    async fn find_class_by_name(&mut self, org: OrgId, name: &str) -> StoreResult<Option<ClassRecord>>;
}

/// Membership applications.
#[async_trait]
pub trait ApplicationRepo: Send {
    async fn create_application(
        &mut self,
        org: OrgId,
        applicant: AccountId,
        message: Option<&str>,
        at: Millis,
    ) -> StoreResult<i64>;
    /// An application of an organisation in `scope`, or by its account.
    async fn find_application(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ApplicationRecord>>;
    async fn list_applications(
        &mut self,
        status: Option<ApplicationStatus>,
        org: Option<OrgId>,
        page: PageRequest,
    ) -> StoreResult<Page<ApplicationRecord>>;
    async fn decide_application(
        &mut self,
        id: i64,
        status: ApplicationStatus,
        reason: Option<&str>,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
}

/// Accounts and roles.
#[async_trait]
pub trait AccountRepo: Send {
    async fn create_account(&mut self, a: &NewAccount) -> StoreResult<AccountId>;
    async fn find_account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>>;
    async fn find_account_by_email(&mut self, email: &str) -> StoreResult<Option<AccountRecord>>;
    async fn find_account_by_mobile(&mut self, mobile: &str) -> StoreResult<Option<AccountRecord>>;
    async fn update_password(&mut self, id: AccountId, hash: &str, must_change: bool) -> StoreResult<()>;
    /// Replaces the password hash only if it is still `old` (a one-time password is used once,
    /// whatever races the logins make); returns whether it was replaced.
    async fn replace_password_hash(&mut self, id: AccountId, old: &str, new: &str) -> StoreResult<bool>;
    async fn update_account_name(&mut self, id: AccountId, display_name: &str) -> StoreResult<()>;
    async fn grant_role(&mut self, account: AccountId, org: OrgId, role: Role) -> StoreResult<()>;
    async fn revoke_role(&mut self, account: AccountId, org: OrgId, role: Role) -> StoreResult<()>;
    async fn list_roles(&mut self, account: AccountId) -> StoreResult<Vec<RoleGrant>>;
    async fn list_members(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<MemberRecord>>;
    async fn create_student(&mut self, s: &StudentRecord) -> StoreResult<()>;
    async fn find_student_by_no(&mut self, org: OrgId, student_no: &str) -> StoreResult<Option<StudentRecord>>;
    /// The accounts holding any of `roles` in `org` (whom to notify), by id.
    async fn list_role_holders(&mut self, org: OrgId, roles: &[Role]) -> StoreResult<Vec<AccountId>>;
}

/// The services marketplace: colleges' offerings and enterprises' requests.
#[async_trait]
pub trait ServiceRepo: Send {
    async fn create_offering(
        &mut self,
        org: OrgId,
        f: &ServiceOfferingFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    async fn update_offering(
        &mut self,
        id: i64,
        f: &ServiceOfferingFields,
        status: OfferingStatus,
        at: Millis,
    ) -> StoreResult<()>;
    async fn find_offering(&mut self, id: i64) -> StoreResult<Option<ServiceOfferingRecord>>;
    /// Newest first.
    async fn list_offerings(
        &mut self,
        f: &ServiceOfferingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceOfferingRecord>>;
    async fn create_service_request(&mut self, r: &NewServiceRequest) -> StoreResult<i64>;
    async fn find_service_request(&mut self, id: i64) -> StoreResult<Option<ServiceRequestRecord>>;
    /// The requests in scope, most recently changed first.
    async fn list_service_requests(
        &mut self,
        scope: &ServiceRequestScope,
        f: &ServiceRequestFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceRequestRecord>>;
    /// Records a step and moves the request from `from` to `to`. Only a request still in `from`
    /// moves: otherwise (a concurrent step won) nothing changes and the answer is `NotFound`.
    async fn advance_service_request(
        &mut self,
        id: i64,
        from: ServiceRequestStatus,
        to: ServiceRequestStatus,
        step: &ServiceStep,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
}

/// Sessions, tokens, login throttling.
#[async_trait]
pub trait AuthRepo: Send {
    async fn create_session(&mut self, s: &SessionRecord) -> StoreResult<()>;
    async fn find_session(&mut self, id_hash: &str, now: Millis) -> StoreResult<Option<SessionRecord>>;
    async fn extend_session(&mut self, id_hash: &str, expires_at: Millis) -> StoreResult<()>;
    async fn delete_session(&mut self, id_hash: &str) -> StoreResult<()>;
    async fn delete_sessions_of(&mut self, account: AccountId) -> StoreResult<()>;
    async fn create_token(&mut self, account: AccountId, name: &str, hash: &str, at: Millis) -> StoreResult<i64>;
    async fn find_token_by_hash(&mut self, hash: &str) -> StoreResult<Option<TokenRecord>>;
    async fn list_tokens(&mut self, account: AccountId) -> StoreResult<Vec<TokenRecord>>;
    async fn revoke_token(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool>;
    /// Records an attempt and returns its id (so that a pending attempt can be resolved).
    async fn record_login_attempt(&mut self, key: &str, success: bool, at: Millis) -> StoreResult<i64>;
    /// Turns a recorded attempt into a success.
    async fn mark_login_attempt_succeeded(&mut self, id: i64) -> StoreResult<()>;
    /// Removes a recorded attempt.
    async fn delete_login_attempt(&mut self, id: i64) -> StoreResult<()>;
    /// Revokes every live token of an account; returns how many.
    async fn revoke_tokens_of(&mut self, account: AccountId, at: Millis) -> StoreResult<u64>;
    /// The failures under `key` recorded before attempt `before_id`, since `since` and since the
    /// key's last success.
    async fn login_failures_before(&mut self, key: &str, since: Millis, before_id: i64) -> StoreResult<LoginFailures>;
    /// Deletes sessions expired before `now` and login attempts older than `attempts_before`;
    /// returns how many rows went.
    async fn purge_expired(&mut self, now: Millis, attempts_before: Millis) -> StoreResult<u64>;
    /// Keeps only the newest `keep` login attempts (a bound under a flood); returns how many went.
    async fn trim_login_attempts(&mut self, keep: u64) -> StoreResult<u64>;
    /// Remembers a device (by its cookie's hash) for an account, keeping its 20 latest devices.
    async fn remember_device(&mut self, hash: &str, account: AccountId, at: Millis) -> StoreResult<()>;
    /// Whether the device is known for the account; if so, records its use.
    async fn touch_device(&mut self, hash: &str, account: AccountId, at: Millis) -> StoreResult<bool>;
    /// Forgets every device of an account (after a reset: it may have been taken over).
    async fn forget_devices_of(&mut self, account: AccountId) -> StoreResult<()>;
    /// Forgets devices unused since `before`; returns how many.
    async fn purge_devices(&mut self, before: Millis) -> StoreResult<u64>;
    /// Stores a forgotten-password code (its hash) for an account.
    async fn create_password_reset(
        &mut self,
        hash: &str,
        account: AccountId,
        at: Millis,
        expires_at: Millis,
    ) -> StoreResult<()>;
    /// The account of an unused, unexpired forgotten-password code.
    async fn find_password_reset(&mut self, hash: &str, now: Millis) -> StoreResult<Option<AccountId>>;
    /// Marks a code used, only if it is still unused and unexpired; returns whether it was.
    async fn use_password_reset(&mut self, hash: &str, now: Millis) -> StoreResult<bool>;
}

/// Audit, notifications, outbox.
#[async_trait]
pub trait AuditRepo: Send {
    async fn append_audit(&mut self, e: &AuditEntry) -> StoreResult<()>;
    async fn list_audit(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<AuditRecord>>;
    async fn create_notification(&mut self, n: &NewNotification) -> StoreResult<()>;
    async fn list_notifications(
        &mut self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<NotificationRecord>>;
    async fn count_unread_notifications(&mut self, account: AccountId) -> StoreResult<u64>;
    async fn mark_notification_read(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool>;
    async fn enqueue_outbox(&mut self, m: &NewOutboxMessage) -> StoreResult<()>;
    async fn count_outbox_pending(&mut self) -> StoreResult<u64>;
    /// The unsent messages to one recipient, oldest first.
    async fn list_outbox_pending_for(&mut self, recipient: &str) -> StoreResult<Vec<NewOutboxMessage>>;
}

/// Reference data.
#[async_trait]
pub trait RefDataRepo: Send {
    async fn refdata_version(&mut self) -> StoreResult<Option<String>>;
    async fn replace_refdata(
        &mut self,
        version: &str,
        occupations: &[OccupationRecord],
        regions: &[RegionRecord],
    ) -> StoreResult<()>;
    async fn find_occupation(&mut self, code: &str) -> StoreResult<Option<OccupationRecord>>;
    async fn list_occupation_children(&mut self, parent: Option<&str>) -> StoreResult<Vec<OccupationRecord>>;
    async fn search_occupations(&mut self, q: &str, page: PageRequest) -> StoreResult<Page<OccupationRecord>>;
    async fn find_region(&mut self, code: &str) -> StoreResult<Option<RegionRecord>>;
    async fn list_region_children(&mut self, parent: Option<&str>) -> StoreResult<Vec<RegionRecord>>;
    async fn search_regions(&mut self, q: &str, page: PageRequest) -> StoreResult<Page<RegionRecord>>;
}

/// Everything a caller needs to use a store: the traits in scope.
pub mod prelude {
    pub use crate::{
        AccountRepo, ApplicationRepo, AuditRepo, AuthRepo, CollegeRepo, Conn, DestinationRepo, OrderClassRepo, OrgRepo,
        PlacementRepo, PracticeRepo, RefDataRepo, ResearchRepo, SearchRepo, ServiceRepo, Store, TalentRepo,
    };
}

//! Records and the port for graduate destinations (毕业去向, DESIGN.md §6): the graduates of a
//! college's cohorts, every entry of their register, and the occupations each major serves.

use async_trait::async_trait;
use serde::Serialize;
use xiaoqi_domain::destination::{DestinationKind, DestinationStatus};
use xiaoqi_domain::page::{Page, PageRequest};

use crate::{AccountId, Millis, OrgId, ReadScope, StoreResult, StudentRecord};

/// A graduate of a college's cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GraduateRecord {
    pub id: i64,
    pub college_org_id: OrgId,
    pub account_id: AccountId,
    pub student_name: String,
    pub student_no: String,
    /// The graduation year.
    pub cohort: i64,
    pub major_id: Option<i64>,
    pub major_name: Option<String>,
    pub created_at: Millis,
}

/// A new graduate of a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGraduate {
    pub college_org_id: OrgId,
    pub account_id: AccountId,
    pub cohort: i64,
    pub major_id: Option<i64>,
    pub at: Millis,
}

/// A new entry of a graduate's register, validated by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDestination {
    pub graduate_id: i64,
    pub kind: DestinationKind,
    /// YYYY-MM-DD: when the destination was secured (contract signed, admission, start).
    pub destination_date: String,
    /// The employer in the directory, when it is there.
    pub employer_org_id: Option<OrgId>,
    /// The employer's or school's name as written, when it is not in the directory.
    pub employer_name: Option<String>,
    /// CSCO 2022 code of the post.
    pub occupation_code: Option<String>,
    pub note: String,
    pub status: DestinationStatus,
    pub by: AccountId,
    pub at: Millis,
}

/// A stored entry with the graduate's and the employer's facts a reader needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DestinationRecord {
    pub id: i64,
    pub graduate_id: i64,
    pub college_org_id: OrgId,
    pub account_id: AccountId,
    pub student_name: String,
    pub student_no: String,
    pub cohort: i64,
    pub major_id: Option<i64>,
    #[schema(value_type = String)]
    pub kind: DestinationKind,
    pub destination_date: String,
    pub employer_org_id: Option<OrgId>,
    /// The directory name of the employer, else the name as written.
    pub employer_name: Option<String>,
    /// The directory's SME size class of the employer (micro, small, medium, large).
    pub employer_size_class: Option<String>,
    /// Whether the employer is an alliance member.
    pub employer_is_member: bool,
    pub occupation_code: Option<String>,
    pub note: String,
    #[schema(value_type = String)]
    pub status: DestinationStatus,
    pub entered_by: AccountId,
    pub entered_at: Millis,
    pub checked_by: Option<AccountId>,
    pub checked_at: Option<Millis>,
    pub confirmed_by: Option<AccountId>,
    pub confirmed_at: Option<Millis>,
}

/// Which entries to list; the scope is applied on top.
#[derive(Debug, Clone, Default)]
pub struct DestinationFilter {
    pub college: Option<OrgId>,
    pub cohort: Option<i64>,
    pub account: Option<AccountId>,
    pub employer: Option<OrgId>,
    pub status: Option<DestinationStatus>,
}

/// The port.
#[async_trait]
pub trait DestinationRepo: Send {
    /// The student record of an account, if it is a student's.
    async fn find_student_of(&mut self, account: AccountId) -> StoreResult<Option<StudentRecord>>;
    async fn create_graduate(&mut self, g: &NewGraduate) -> StoreResult<i64>;
    /// The graduate record of a student account, if the student is in a cohort.
    async fn find_graduate_of(&mut self, account: AccountId) -> StoreResult<Option<GraduateRecord>>;
    /// A college's graduates of a cohort, by id.
    async fn list_graduates(&mut self, college: OrgId, cohort: i64) -> StoreResult<Vec<GraduateRecord>>;
    async fn create_destination(&mut self, d: &NewDestination) -> StoreResult<i64>;
    /// An entry of the college, the student's account or the employer in `scope`.
    async fn find_destination(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<DestinationRecord>>;
    /// Entries in `scope` matching `f`, latest destination date first.
    async fn list_destinations(
        &mut self,
        scope: &ReadScope,
        f: &DestinationFilter,
        page: PageRequest,
    ) -> StoreResult<Page<DestinationRecord>>;
    /// Every entry of a college's cohort (the figures' input), by graduate then id.
    async fn list_cohort_destinations(&mut self, college: OrgId, cohort: i64) -> StoreResult<Vec<DestinationRecord>>;
    /// Marks an entry checked; `NotFound` when it is not awaiting a check.
    async fn check_destination(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Records the employer's confirmation; `NotFound` when already confirmed.
    async fn confirm_destination(&mut self, id: i64, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Replaces the occupations a major serves.
    async fn set_major_occupations(&mut self, major: i64, codes: &[String]) -> StoreResult<()>;
    async fn list_major_occupations(&mut self, major: i64) -> StoreResult<Vec<String>>;
}

//! Records and the port for talent demand (岗位需求) and supply (majors' teaching, student
//! profiles and the students' consents).
//!
//! Nested parts (a demand's roles and skills, a profile's skills) are stored as JSON text in one
//! column each: they are always read and written whole, matching runs in memory
//! (`xiaoqi-match`), and the columns that lists filter and aggregate on (organisation, status,
//! occupation, region, dates) are plain columns.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus, Education};

use crate::{AccountId, Millis, OrgId, StoreResult};

/// A skill a demand's role requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkillReq {
    /// Code from the skill vocabulary (`GET /api/v1/skills`).
    pub skill: String,
    /// 1–10, relative to the role's other skills.
    pub weight: u32,
    /// 1–5: the level needed for a full match.
    pub min_level: u8,
}

/// A skill held (by a student) or taught (by a major) at a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkillLevel {
    pub skill: String,
    /// 1 (knows of it) – 5 (can teach it).
    pub level: u8,
}

/// One post of a demand; a compound demand (one hire covering several posts) has two or three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemandRole {
    pub title: String,
    /// CSCO 2022 code of this post.
    pub occupation_code: Option<String>,
    /// 1–100: the post's share of the job.
    pub share: u32,
    pub skills: Vec<SkillReq>,
    /// Certificate codes required for this post.
    pub certificates: Vec<String>,
}

/// The editable content of a demand, validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DemandContent {
    /// The job title as the enterprise writes it.
    pub title: String,
    /// The standard occupation (CSCO 2022) of the hire as a whole.
    pub occupation_code: Option<String>,
    pub roles: Vec<DemandRole>,
    pub headcount: i64,
    /// Administrative division code of the workplace.
    pub region_code: Option<String>,
    /// Monthly pay range in fen.
    pub pay_min_fen: Option<i64>,
    pub pay_max_fen: Option<i64>,
    /// Days since 1970-01-01.
    pub start_date: Option<i64>,
    /// The last day the demand is open (days since 1970-01-01); after it, it is expired.
    pub valid_until: i64,
    #[schema(value_type = String)]
    pub education: Education,
    pub description: String,
}

/// A stored demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DemandRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    #[serde(flatten)]
    pub content: DemandContent,
    /// The stored status; [`DemandStatus::effective`] turns a lapsed published demand into expired.
    #[schema(value_type = String)]
    pub status: DemandStatus,
    pub published_at: Option<Millis>,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which demands a list returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandFilter {
    pub org: Option<OrgId>,
    /// Stored statuses; empty = any.
    pub statuses: Vec<DemandStatus>,
    /// Only demands open on this day or later (`valid_until >= day`).
    pub open_on: Option<i64>,
    /// Only demands whose closing day is before this day (expired when published).
    pub lapsed_before: Option<i64>,
    /// Occupation code prefix, e.g. `6-18` for a middle group.
    pub occupation_prefix: Option<String>,
    /// Region code prefix, e.g. `44` for a province, `4403` for a city.
    pub region_prefix: Option<String>,
    /// Only demands of organisations that are alliance members.
    pub members_only: bool,
}

/// What a college's major teaches: the talent supply side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MajorSupply {
    pub skills: Vec<SkillLevel>,
    pub certificates: Vec<String>,
    pub yearly_graduates: i64,
    pub description: String,
}

/// A student's profile (one per student account).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProfileContent {
    pub major_id: Option<i64>,
    pub skills: Vec<SkillLevel>,
    pub certificates: Vec<String>,
    /// Average grade 0–100.
    pub grade_avg: Option<i64>,
    pub graduation_year: Option<i64>,
    pub region_code: Option<String>,
    pub preferred_regions: Vec<String>,
    pub preferred_occupations: Vec<String>,
    pub intro: String,
}

/// A stored student profile with the names a reader needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StudentProfileRecord {
    pub account_id: AccountId,
    pub org_id: OrgId,
    pub org_name: String,
    pub display_name: String,
    pub major_name: Option<String>,
    #[serde(flatten)]
    pub content: ProfileContent,
    pub updated_at: Millis,
}

/// A student's consent to show the profile beyond the college; never deleted, only revoked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ConsentRecord {
    pub id: i64,
    pub account_id: AccountId,
    #[schema(value_type = String)]
    pub scope: ConsentScope,
    /// The organisation consented to (scope `organisation`).
    pub grantee_org_id: Option<OrgId>,
    pub grantee_name: Option<String>,
    pub granted_at: Millis,
    pub revoked_at: Option<Millis>,
}

/// Talent demand and supply.
#[async_trait]
pub trait TalentRepo: Send {
    async fn create_demand(&mut self, org: OrgId, c: &DemandContent, by: AccountId, at: Millis) -> StoreResult<i64>;
    async fn update_demand(&mut self, id: i64, c: &DemandContent, at: Millis) -> StoreResult<()>;
    /// Sets the stored status; the first move to published records `published_at`.
    async fn set_demand_status(&mut self, id: i64, status: DemandStatus, at: Millis) -> StoreResult<()>;
    async fn find_demand(&mut self, id: i64) -> StoreResult<Option<DemandRecord>>;
    /// Newest first.
    async fn list_demands(&mut self, f: &DemandFilter, page: PageRequest) -> StoreResult<Page<DemandRecord>>;

    async fn find_major(&mut self, id: i64) -> StoreResult<Option<crate::MajorRecord>>;
    async fn update_major_supply(&mut self, id: i64, s: &MajorSupply) -> StoreResult<()>;
    /// Majors of every college that is an alliance member (the supply side of matching).
    async fn list_member_majors(&mut self) -> StoreResult<Vec<crate::MajorRecord>>;

    async fn upsert_student_profile(
        &mut self,
        account: AccountId,
        org: OrgId,
        c: &ProfileContent,
        at: Millis,
    ) -> StoreResult<()>;
    async fn find_student_profile(&mut self, account: AccountId) -> StoreResult<Option<StudentProfileRecord>>;
    /// Profiles of one college's students.
    async fn list_college_profiles(&mut self, college: OrgId) -> StoreResult<Vec<StudentProfileRecord>>;
    /// Profiles whose students consented, now, to `viewer` (alliance-wide or by name);
    /// optionally only one college's.
    async fn list_consented_profiles(
        &mut self,
        viewer: OrgId,
        college: Option<OrgId>,
    ) -> StoreResult<Vec<StudentProfileRecord>>;

    /// Records a consent; a second live consent of the same scope and grantee is a conflict.
    async fn grant_consent(
        &mut self,
        account: AccountId,
        scope: ConsentScope,
        grantee: Option<OrgId>,
        at: Millis,
    ) -> StoreResult<i64>;
    /// Revokes a live consent of this account; false when there was none with that id.
    async fn revoke_consent(&mut self, id: i64, account: AccountId, at: Millis) -> StoreResult<bool>;
    /// Every consent of the account, live and revoked, newest first.
    async fn list_consents(&mut self, account: AccountId) -> StoreResult<Vec<ConsentRecord>>;
    /// Whether the account's profile is visible, now, to `viewer` by a live consent.
    async fn has_consent(&mut self, account: AccountId, viewer: OrgId) -> StoreResult<bool>;
}

//! Records and the port for practice places (实习岗位), allocation rounds, the students' ranked
//! applications, the enterprises' rankings and the allocation results (DESIGN.md §2.2).
//!
//! The terms a place's internship rules read (wage, staff counts, flags, …) and the ranked lists
//! are JSON text read and written whole; the allocation's inputs and certificates are stored as
//! the JSON the app produced (the store does not know the allocation engine's types).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use xiaoqi_domain::internship::InternshipKind;
use xiaoqi_domain::page::{Page, PageRequest};

use crate::talent::SkillReq;
use crate::{AccountId, Millis, OrgId, StoreResult};

/// The terms of a place the internship rules check, besides its kind, period and pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlaceTerms {
    /// Where the work is done, as the enterprise writes it.
    pub location: String,
    /// The same post's monthly wage, in fen.
    pub post_wage_fen: i64,
    /// Working hours, e.g. "周一至周五 9:00–17:30".
    pub working_hours: String,
    /// Hazards of the post, if any.
    pub hazards: Option<String>,
    /// High-risk work (heights, underground, radiation, toxic, flammable or explosive).
    pub high_risk_work: bool,
    /// Internship liability insurance arranged for the whole period.
    pub insured: bool,
    pub insurer: Option<String>,
    /// The enterprise's staff.
    pub enterprise_staff: i64,
    /// The staff on this post.
    pub post_staff: i64,
    pub night_shifts: bool,
    pub overtime: bool,
    pub holiday_work: bool,
    /// Any fee or deposit charged to the student, in fen (must be 0).
    pub fees_fen: i64,
}

/// The editable content of a place, validated by the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlaceFields {
    #[schema(value_type = String)]
    pub kind: InternshipKind,
    pub title: String,
    /// CSCO 2022 code of the post.
    pub occupation_code: Option<String>,
    /// Seats the enterprise offers.
    pub capacity: i64,
    /// Seats the intern-share caps leave (≤ capacity); the allocation uses this.
    pub effective_capacity: i64,
    /// YYYY-MM-DD.
    pub start_date: String,
    /// YYYY-MM-DD.
    pub end_date: String,
    /// Administrative division code of the workplace.
    pub region_code: Option<String>,
    pub monthly_pay_fen: i64,
    pub terms: PlaceTerms,
    /// The skills the post needs or trains (codes of the skills vocabulary); the platform ranks
    /// applicants against them when the enterprise ranks nobody. Empty: by application time.
    #[serde(default)]
    pub skills: Vec<SkillReq>,
}

/// A stored place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlaceRecord {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    #[serde(flatten)]
    pub fields: PlaceFields,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which places to list.
#[derive(Debug, Clone, Default)]
pub struct PlaceFilter {
    pub org: Option<OrgId>,
    /// Only places of alliance-member enterprises.
    pub member_orgs_only: bool,
}

/// An allocation round of a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RoundRecord {
    pub id: i64,
    pub college_org_id: OrgId,
    pub college_name: String,
    pub name: String,
    /// The places students may apply to, in the order the college gave.
    pub place_ids: Vec<i64>,
    /// open or allocated.
    pub status: String,
    /// The allocation's inputs (JSON), once allocated.
    #[serde(skip)]
    pub inputs_json: Option<String>,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub allocated_by: Option<AccountId>,
    pub allocated_at: Option<Millis>,
    pub updated_at: Millis,
}

/// A student's ranked application in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PracticeApplicationRecord {
    pub round_id: i64,
    pub student_id: AccountId,
    /// Place ids, most preferred first.
    pub place_ids: Vec<i64>,
    pub submitted_at: Millis,
}

/// An enterprise's ranking of one place's applicants in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RankingRecord {
    pub round_id: i64,
    pub place_id: i64,
    /// Student account ids, most preferred first.
    pub student_ids: Vec<AccountId>,
    pub ranked_by: AccountId,
    pub ranked_at: Millis,
}

/// One student's outcome of an allocated round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AllocationRecord {
    pub round_id: i64,
    pub student_id: AccountId,
    /// None: not placed.
    pub place_id: Option<i64>,
    /// The certificate as the app stored it (JSON text).
    pub certificate_json: String,
}

/// The port.
#[async_trait]
pub trait PracticeRepo: Send {
    async fn create_place(&mut self, org: OrgId, f: &PlaceFields, by: AccountId, at: Millis) -> StoreResult<i64>;
    async fn update_place(&mut self, id: i64, f: &PlaceFields, at: Millis) -> StoreResult<()>;
    async fn find_place(&mut self, id: i64) -> StoreResult<Option<PlaceRecord>>;
    async fn list_places(&mut self, f: &PlaceFilter, page: PageRequest) -> StoreResult<Page<PlaceRecord>>;
    async fn create_round(
        &mut self,
        college: OrgId,
        name: &str,
        place_ids: &[i64],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    async fn find_round(&mut self, id: i64) -> StoreResult<Option<RoundRecord>>;
    /// A college's rounds, newest first.
    async fn list_rounds(&mut self, college: OrgId, page: PageRequest) -> StoreResult<Page<RoundRecord>>;
    /// Inserts or replaces the student's list.
    async fn put_practice_application(
        &mut self,
        round: i64,
        student: AccountId,
        place_ids: &[i64],
        at: Millis,
    ) -> StoreResult<()>;
    /// Applications of a round, earliest first (then by student id).
    async fn list_practice_applications(&mut self, round: i64) -> StoreResult<Vec<PracticeApplicationRecord>>;
    /// Inserts or replaces a place's ranking in a round.
    async fn put_ranking(
        &mut self,
        round: i64,
        place: i64,
        student_ids: &[AccountId],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    async fn list_rankings(&mut self, round: i64) -> StoreResult<Vec<RankingRecord>>;
    /// Marks an open round allocated with its inputs and stores one row per student; `Conflict`
    /// when the round is not open (already allocated), changing nothing.
    async fn save_allocation(
        &mut self,
        round: i64,
        inputs_json: &str,
        rows: &[AllocationRecord],
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    /// A round's outcomes, by student id.
    async fn list_allocations(&mut self, round: i64) -> StoreResult<Vec<AllocationRecord>>;
}

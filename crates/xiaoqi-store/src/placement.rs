//! Records and the port for placements (one per student placed by an allocation round), their
//! tripartite agreements and dual mentors, and the record of the internship: training tasks,
//! logs, attendance, weekly reports, skill sign-offs and tripartite reviews (DESIGN.md §2.2).
//!
//! The placement's agreement, mentors and outcome are one row, written whole by the app under
//! the college's lock ([`PlacementRepo::save_placement`] only while the status is still the one
//! read); the record of the internship is rows of their own.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use xiaoqi_domain::placement::{AttendanceStatus, PlacementStatus, Reviewer};

use crate::{AccountId, Millis, OrgId, PlaceFields, ReadScope, StoreResult};

/// A college's placement settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlacementSettings {
    /// Students one college teacher mentors at a time.
    pub max_per_teacher: i64,
    /// Students one enterprise master mentors at a time.
    pub max_per_master: i64,
    /// Working days without confirmed attendance or a log before a warning.
    pub warn_after_days: i64,
    /// Composite-grade weights in whole percent, summing to 100.
    pub weight_report: i64,
    pub weight_evaluation: i64,
    pub weight_attendance: i64,
}

/// The student facts of the tripartite agreement (dates YYYY-MM-DD); also the body that sets
/// them, validated by the app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementFacts {
    pub birth_date: Option<String>,
    pub guardian_name: Option<String>,
    /// The day the guardian signed the informed consent (required under 18).
    pub guardian_consent_date: Option<String>,
    pub insurer: Option<String>,
    pub insurance_policy_no: Option<String>,
    /// First and last day of the liability insurance cover.
    pub insurance_start: Option<String>,
    pub insurance_end: Option<String>,
}

/// Who signed the agreement, and on which day (YYYY-MM-DD, Asia/Shanghai).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AgreementSignatures {
    pub school_signed_by: Option<AccountId>,
    pub school_signed_on: Option<String>,
    pub enterprise_signed_by: Option<AccountId>,
    pub enterprise_signed_on: Option<String>,
    pub student_signed_on: Option<String>,
}

/// The final report, the master's evaluation and the composite grade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlacementOutcome {
    pub report_text: Option<String>,
    pub report_submitted_at: Option<Millis>,
    /// 0–100, by the teacher.
    pub report_grade: Option<i64>,
    pub report_graded_by: Option<AccountId>,
    /// 0–100, by the master.
    pub evaluation_score: Option<i64>,
    pub evaluation_comment: Option<String>,
    pub evaluated_by: Option<AccountId>,
    /// Hundredths of a point (8550 = 85.50), fixed at completion.
    pub composite_centi: Option<i64>,
}

/// A placement as created from an allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlacement {
    pub round_id: i64,
    pub college_org_id: OrgId,
    pub student_id: AccountId,
    pub place_id: i64,
    pub enterprise_org_id: OrgId,
    /// The place's terms as they were at the allocation.
    pub place: PlaceFields,
}

/// A stored placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlacementRecord {
    pub id: i64,
    pub round_id: i64,
    pub college_org_id: OrgId,
    pub college_name: String,
    pub student_id: AccountId,
    pub student_name: String,
    pub place_id: i64,
    pub enterprise_org_id: OrgId,
    pub enterprise_name: String,
    #[schema(value_type = String)]
    pub status: PlacementStatus,
    /// The place's terms copied at the allocation: these are the agreement's terms.
    pub place: PlaceFields,
    pub facts: AgreementFacts,
    pub signatures: AgreementSignatures,
    pub teacher_id: Option<AccountId>,
    pub teacher_name: Option<String>,
    pub master_id: Option<AccountId>,
    pub master_name: Option<String>,
    pub outcome: PlacementOutcome,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// Which placements to list (all conditions given must hold).
#[derive(Debug, Clone, Default)]
pub struct PlacementFilter {
    pub college: Option<OrgId>,
    pub enterprise: Option<OrgId>,
    pub round: Option<i64>,
    pub student: Option<AccountId>,
    pub teacher: Option<AccountId>,
    pub master: Option<AccountId>,
}

/// A training-plan task of a placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TaskRecord {
    pub id: i64,
    pub placement_id: i64,
    pub title: String,
    /// From the skill vocabulary.
    pub skill_code: String,
    pub created_by: AccountId,
    pub created_at: Millis,
}

/// A student's short log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LogRecord {
    pub id: i64,
    pub placement_id: i64,
    /// YYYY-MM-DD.
    pub log_date: String,
    pub task_id: Option<i64>,
    pub body: String,
    /// A problem met, if any.
    pub problem: Option<String>,
    pub created_at: Millis,
}

/// A day of attendance; it counts once the master confirmed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AttendanceRecord {
    pub placement_id: i64,
    /// YYYY-MM-DD.
    pub day: String,
    #[schema(value_type = String)]
    pub status: AttendanceStatus,
    pub recorded_at: Millis,
    pub confirmed_by: Option<AccountId>,
    pub confirmed_at: Option<Millis>,
}

/// A weekly report with the teacher's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WeeklyReportRecord {
    pub placement_id: i64,
    /// The Monday, YYYY-MM-DD.
    pub week_start: String,
    pub body: String,
    pub submitted_at: Millis,
    pub teacher_comment: Option<String>,
    pub commented_by: Option<AccountId>,
    pub commented_at: Option<Millis>,
}

/// A master's sign-off of a skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SignoffRecord {
    pub id: i64,
    pub placement_id: i64,
    pub skill_code: String,
    /// 1–5.
    pub level: i64,
    /// YYYY-MM-DD.
    pub signed_on: String,
    pub signed_by: AccountId,
    pub created_at: Millis,
}

/// One signature of a review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewSignature {
    pub comment: Option<String>,
    pub signed_at: Option<Millis>,
}

/// A tripartite review (e.g. mid-term, final).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewRecord {
    pub id: i64,
    pub placement_id: i64,
    pub name: String,
    /// YYYY-MM-DD.
    pub due_date: String,
    pub student: ReviewSignature,
    pub teacher: ReviewSignature,
    pub master: ReviewSignature,
    pub created_by: AccountId,
    pub created_at: Millis,
}

impl ReviewRecord {
    /// Whether student, teacher and master all signed.
    pub fn all_signed(&self) -> bool {
        self.student.signed_at.is_some() && self.teacher.signed_at.is_some() && self.master.signed_at.is_some()
    }

    /// One reviewer's signature.
    pub fn signature(&self, who: Reviewer) -> &ReviewSignature {
        match who {
            Reviewer::Student => &self.student,
            Reviewer::Teacher => &self.teacher,
            Reviewer::Master => &self.master,
        }
    }
}

/// The port.
#[async_trait]
pub trait PlacementRepo: Send {
    async fn find_placement_settings(&mut self, college: OrgId) -> StoreResult<Option<PlacementSettings>>;
    async fn put_placement_settings(
        &mut self,
        college: OrgId,
        s: &PlacementSettings,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    async fn create_placement(&mut self, p: &NewPlacement, at: Millis) -> StoreResult<i64>;
    /// A placement whose college or enterprise is in `scope`, or whose student is its account.
    async fn find_placement(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<PlacementRecord>>;
    /// By id.
    async fn list_placements(&mut self, f: &PlacementFilter) -> StoreResult<Vec<PlacementRecord>>;
    /// Writes status, facts, signatures, mentors and outcome of a placement still in `from`;
    /// `Conflict` (changing nothing) when its status moved meanwhile.
    async fn save_placement(&mut self, p: &PlacementRecord, from: PlacementStatus, at: Millis) -> StoreResult<()>;
    /// Open (not completed) placements the account mentors as teacher or master, except one.
    async fn count_mentored(&mut self, mentor: AccountId, as_master: bool, except: i64) -> StoreResult<i64>;
    /// Agreed or active placements overlapping `start..=end` at the enterprise and at the
    /// place, not counting `except`.
    async fn count_interns(
        &mut self,
        enterprise: OrgId,
        place: i64,
        start: &str,
        end: &str,
        except: i64,
    ) -> StoreResult<(i64, i64)>;
    async fn create_task(
        &mut self,
        placement: i64,
        title: &str,
        skill: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    async fn list_tasks(&mut self, placement: i64) -> StoreResult<Vec<TaskRecord>>;
    async fn create_log(
        &mut self,
        placement: i64,
        date: &str,
        task: Option<i64>,
        body: &str,
        problem: Option<&str>,
        at: Millis,
    ) -> StoreResult<i64>;
    /// Newest day first.
    async fn list_logs(&mut self, placement: i64) -> StoreResult<Vec<LogRecord>>;
    /// Records or replaces an unconfirmed day; `Conflict` when the day is already confirmed.
    async fn put_attendance(
        &mut self,
        placement: i64,
        day: &str,
        status: AttendanceStatus,
        at: Millis,
    ) -> StoreResult<()>;
    /// Confirms a recorded day; `NotFound` when the student did not record it.
    async fn confirm_attendance(&mut self, placement: i64, day: &str, by: AccountId, at: Millis) -> StoreResult<()>;
    /// Newest day first.
    async fn list_attendance(&mut self, placement: i64) -> StoreResult<Vec<AttendanceRecord>>;
    /// Records or replaces a week's report (and clears its comment).
    async fn put_weekly_report(&mut self, placement: i64, week: &str, body: &str, at: Millis) -> StoreResult<()>;
    async fn comment_weekly_report(
        &mut self,
        placement: i64,
        week: &str,
        comment: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()>;
    /// Newest week first.
    async fn list_weekly_reports(&mut self, placement: i64) -> StoreResult<Vec<WeeklyReportRecord>>;
    async fn create_signoff(
        &mut self,
        placement: i64,
        skill: &str,
        level: i64,
        on: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    async fn list_signoffs(&mut self, placement: i64) -> StoreResult<Vec<SignoffRecord>>;
    async fn create_review(
        &mut self,
        placement: i64,
        name: &str,
        due: &str,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64>;
    /// Records one reviewer's signature once; `Conflict` when that reviewer already signed.
    async fn sign_review(&mut self, review: i64, who: Reviewer, comment: Option<&str>, at: Millis) -> StoreResult<()>;
    /// By due date.
    async fn list_reviews(&mut self, placement: i64) -> StoreResult<Vec<ReviewRecord>>;
}

//! Placements (DESIGN.md §2.2): one per student an allocation round placed, created in the
//! round's run. Each carries the tripartite agreement (the place's terms copied at the run, the
//! student's facts, three signatures), the dual mentors, the record of the internship and the
//! composite grade; the states and which step is allowed in which are the domain's table
//! (`xiaoqi_domain::placement::TRANSITIONS`).
//!
//! Who is who: the school signs through the college's administrators and career officers (the
//! staff who run allocation rounds); the enterprise through its administrators and HR; the
//! student personally. The college's administrators and career officers assign the teacher, the
//! enterprise's administrators and HR the master. Everyone else gets 404: a placement is private
//! to its student, mentors, college staff, the enterprise's acting staff and alliance admins.

mod agreement;
mod journal;
mod overview;

use serde::Serialize;
use xiaoqi_domain::internship::{self, RuleCheck, RuleSet, Step};
use xiaoqi_domain::placement::{
    DEFAULT_MAX_PER_MASTER, DEFAULT_MAX_PER_TEACHER, DEFAULT_WARN_AFTER_DAYS, GradeWeights, PlacementAction,
    PlacementStatus, Warning,
};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    AllocationRecord, AttendanceRecord, Conn, LogRecord, NewPlacement, OrgId, PlaceRecord, PlacementFilter,
    PlacementRecord, PlacementSettings, ReviewRecord, RoundRecord, SignoffRecord, TaskRecord, WeeklyReportRecord,
};

pub use agreement::{AgreementInput, MentorInput, SignInput};
pub use journal::{
    AttendanceInput, CommentInput, EvaluationInput, GradeInput, LogInput, ReportInput, ReviewInput, SignReviewInput,
    SignoffInput, TaskInput, WeeklyReportInput,
};
pub use overview::{ComplianceRow, ComplianceView, ProblemRow, SkillRow, TheoryLoop, WarningRow};

use crate::audit::{Change, record};
use crate::authz::{is_college_staff, oversees_placements, runs_internships};
use crate::error::{AppError, AppResult};
use crate::services::acts_for;
use crate::{App, Principal};

/// Who the caller is to a placement; none of these means the placement is hidden (404).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Access {
    pub student: bool,
    pub teacher: bool,
    pub master: bool,
    /// The college's staff (administrator, teacher, programme leader, career officer).
    pub college_staff: bool,
    /// Signs for the school and assigns the teacher: the college's administrators and career officers.
    pub school_signer: bool,
    /// Acts for the enterprise: its administrators and HR.
    pub enterprise: bool,
    pub alliance_admin: bool,
}

impl Access {
    /// Whether the caller may see the placement at all.
    pub fn visible(&self) -> bool {
        self.student || self.teacher || self.master || self.college_staff || self.enterprise || self.alliance_admin
    }
}

/// The caller's relation to a placement.
pub fn access(p: &Principal, r: &PlacementRecord) -> Access {
    Access {
        student: p.id() == r.student_id,
        teacher: r.teacher_id == Some(p.id()),
        master: r.master_id == Some(p.id()),
        college_staff: is_college_staff(p, r.college_org_id),
        school_signer: runs_internships(p, r.college_org_id),
        enterprise: acts_for(p, Side::Enterprise, r.enterprise_org_id),
        alliance_admin: p.is_alliance_admin(),
    }
}

/// A review with whether it is overdue today.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    #[serde(flatten)]
    pub review: ReviewRecord,
    pub all_signed: bool,
    pub overdue: bool,
}

/// A warning with its messages.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WarningView {
    /// no_attendance, no_log or review_overdue.
    pub kind: String,
    pub zh: String,
    pub en: String,
}

impl From<&Warning> for WarningView {
    fn from(w: &Warning) -> Self {
        let kind = match w {
            Warning::NoAttendance { .. } => "no_attendance",
            Warning::NoLog { .. } => "no_log",
            Warning::ReviewOverdue { .. } => "review_overdue",
        };
        WarningView { kind: kind.into(), zh: w.zh(), en: w.en() }
    }
}

/// A placement with everything recorded on it, as its parties see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlacementDetail {
    #[serde(flatten)]
    pub placement: PlacementRecord,
    /// The caller's relation to it (which forms to show).
    pub access: Access,
    /// Every internship rule's status at the step the placement reached.
    #[schema(value_type = Vec<Object>)]
    pub compliance: Vec<RuleCheck>,
    pub tasks: Vec<TaskRecord>,
    pub logs: Vec<LogRecord>,
    pub attendance: Vec<AttendanceRecord>,
    pub weekly_reports: Vec<WeeklyReportRecord>,
    pub signoffs: Vec<SignoffRecord>,
    pub reviews: Vec<ReviewView>,
    pub warnings: Vec<WarningView>,
    /// Confirmed present days and working days of the period so far (the attendance score).
    pub present_days: u32,
    pub working_days: u32,
}

/// The settings a college's placements follow (defaults until the college sets them).
pub fn settings_or_default(s: Option<PlacementSettings>) -> PlacementSettings {
    s.unwrap_or(PlacementSettings {
        max_per_teacher: i64::from(DEFAULT_MAX_PER_TEACHER),
        max_per_master: i64::from(DEFAULT_MAX_PER_MASTER),
        warn_after_days: i64::from(DEFAULT_WARN_AFTER_DAYS),
        weight_report: i64::from(GradeWeights::default().report),
        weight_evaluation: i64::from(GradeWeights::default().evaluation),
        weight_attendance: i64::from(GradeWeights::default().attendance),
    })
}

/// The grade weights of settings.
pub fn weights_of(s: &PlacementSettings) -> GradeWeights {
    let w = |v: i64| u32::try_from(v).unwrap_or(0);
    GradeWeights { report: w(s.weight_report), evaluation: w(s.weight_evaluation), attendance: w(s.weight_attendance) }
}

/// Validates settings: limits 1–1,000, warning after 1–60 days, weights summing to 100.
pub fn validate_settings(s: &PlacementSettings) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let range = |field: &str, v: i64, max: i64| {
        if (1..=max).contains(&v) {
            Ok(())
        } else {
            Err(FieldError::new(field, "count_range", format!("须在 1 到 {max} 之间"), format!("must be 1 to {max}")))
        }
    };
    e.check(range("max_per_teacher", s.max_per_teacher, 1000));
    e.check(range("max_per_master", s.max_per_master, 1000));
    e.check(range("warn_after_days", s.warn_after_days, 60));
    let bad_weight = [s.weight_report, s.weight_evaluation, s.weight_attendance].iter().any(|w| !(0..=100).contains(w));
    if bad_weight {
        e.push(FieldError::new("weights", "weights_sum", "成绩权重须在 0 到 100 之间", "weights must be 0 to 100"));
    } else {
        e.check(weights_of(s).check());
    }
    e.into_result()
}

/// The step a placement in `status` has reached, for the compliance view.
pub fn reached_step(status: PlacementStatus) -> Step {
    match status {
        PlacementStatus::AgreementPending => Step::Offer,
        PlacementStatus::Agreed => Step::Place,
        PlacementStatus::Active | PlacementStatus::Completed => Step::Start,
    }
}

/// The refusal of an action the placement's status does not allow (409).
pub(crate) fn check_status(r: &PlacementRecord, action: PlacementAction) -> AppResult<PlacementStatus> {
    r.status.after(action).ok_or_else(|| AppError::Conflict(r.status.refusal(action)))
}

/// Creates the placements of an allocated round (one per placed student) in the run's
/// transaction, copying each place's terms as they are now.
pub(crate) async fn create_for_round(
    tx: &mut Box<dyn Conn>,
    round: &RoundRecord,
    rows: &[AllocationRecord],
    places: &[PlaceRecord],
    at: i64,
) -> AppResult<()> {
    for row in rows {
        let Some(place) = row.place_id.and_then(|id| places.iter().find(|pl| pl.id == id)) else { continue };
        let new = NewPlacement {
            round_id: round.id,
            college_org_id: round.college_org_id,
            student_id: row.student_id,
            place_id: place.id,
            enterprise_org_id: place.org_id,
            place: place.fields.clone(),
        };
        tx.create_placement(&new, at).await?;
    }
    Ok(())
}

impl App {
    /// A placement the caller may see, with the caller's relation to it; 404 otherwise.
    pub(crate) async fn visible_placement(&self, p: &Principal, id: i64) -> AppResult<(PlacementRecord, Access)> {
        let r = self
            .store
            .conn()
            .await?
            .find_placement(&p.read_scope(), id)
            .await?
            .ok_or(AppError::NotFound("placement"))?;
        let a = access(p, &r);
        if !a.visible() {
            return Err(AppError::NotFound("placement"));
        }
        Ok((r, a))
    }

    /// The college's placement settings (defaults until set): its staff and alliance admins.
    pub async fn placement_settings(&self, p: &Principal, college: OrgId) -> AppResult<PlacementSettings> {
        if !oversees_placements(p, college) {
            return Err(AppError::Forbidden);
        }
        Ok(settings_or_default(self.store.conn().await?.find_placement_settings(college).await?))
    }

    /// Sets the mentor limits, the warning threshold and the grade weights: the college's
    /// administrators and career officers.
    pub async fn put_placement_settings(
        &self,
        p: &Principal,
        college: OrgId,
        s: &PlacementSettings,
    ) -> AppResult<PlacementSettings> {
        if !runs_internships(p, college) {
            return Err(AppError::Forbidden);
        }
        validate_settings(s)?;
        let mut tx = self.store.begin().await?;
        tx.lock_org(college).await?;
        let before = settings_or_default(tx.find_placement_settings(college).await?);
        tx.put_placement_settings(college, s, p.id(), self.now()).await?;
        let change = Change::updated("placement_settings.put", "organization", college, &before, s);
        record(&mut tx, self.now(), p, Some(college), change).await?;
        tx.commit().await?;
        Ok(s.clone())
    }

    /// The placements the caller takes part in: as student, mentor, the enterprise's acting
    /// staff, or (with `college`) the college's staff; optionally one round's.
    pub async fn list_placements(
        &self,
        p: &Principal,
        college: Option<OrgId>,
        round: Option<i64>,
    ) -> AppResult<Vec<PlacementRecord>> {
        let mut conn = self.store.conn().await?;
        if let Some(c) = college {
            if !oversees_placements(p, c) {
                return Err(AppError::Forbidden);
            }
            return Ok(conn
                .list_placements(&PlacementFilter { college: Some(c), round, ..Default::default() })
                .await?);
        }
        let mut out: Vec<PlacementRecord> = Vec::new();
        let mut filters = vec![
            PlacementFilter { student: Some(p.id()), round, ..Default::default() },
            PlacementFilter { teacher: Some(p.id()), round, ..Default::default() },
            PlacementFilter { master: Some(p.id()), round, ..Default::default() },
        ];
        for org in crate::services::acting_orgs(p, Side::Enterprise) {
            filters.push(PlacementFilter { enterprise: Some(org), round, ..Default::default() });
        }
        for f in filters {
            for r in conn.list_placements(&f).await? {
                if !out.iter().any(|o| o.id == r.id) {
                    out.push(r);
                }
            }
        }
        out.sort_by_key(|r| r.id);
        Ok(out)
    }

    /// One placement with its record, compliance and warnings; 404 unless the caller takes part.
    pub async fn get_placement(&self, p: &Principal, id: i64) -> AppResult<PlacementDetail> {
        let (r, a) = self.visible_placement(p, id).await?;
        let mut conn = self.store.conn().await?;
        let settings = settings_or_default(conn.find_placement_settings(r.college_org_id).await?);
        let facts = agreement::rule_facts(&mut conn, &r).await?;
        let compliance = internship::compliance(&RuleSet::national_2021(), &facts, reached_step(r.status));
        let tasks = conn.list_tasks(id).await?;
        let logs = conn.list_logs(id).await?;
        let attendance = conn.list_attendance(id).await?;
        let weekly_reports = conn.list_weekly_reports(id).await?;
        let signoffs = conn.list_signoffs(id).await?;
        let reviews = conn.list_reviews(id).await?;
        let today = self.today();
        let warnings = if r.status == PlacementStatus::Active {
            overview::warnings_of(&r, &logs, &attendance, &reviews, today, &settings)
        } else {
            Vec::new()
        };
        let (present_days, working_days) = journal::attendance_score(&r, &attendance, today);
        Ok(PlacementDetail {
            access: a,
            compliance,
            tasks,
            logs,
            attendance,
            weekly_reports,
            signoffs,
            reviews: reviews.into_iter().map(|rv| journal::review_view(rv, today)).collect(),
            warnings: warnings.iter().map(WarningView::from).collect(),
            present_days,
            working_days,
            placement: r,
        })
    }
}

/// Saves a placement read under the college's lock, with its audit entry, and returns it fresh.
pub(crate) async fn save(
    tx: &mut Box<dyn Conn>,
    at: i64,
    p: &Principal,
    before: &PlacementRecord,
    after: &PlacementRecord,
    action: &'static str,
) -> AppResult<PlacementRecord> {
    tx.save_placement(after, before.status, at).await?;
    let saved = tx.find_placement(&p.read_scope(), after.id).await?.ok_or(AppError::NotFound("placement"))?;
    let change = Change::updated(action, "placement", after.id, before, &saved);
    record(tx, at, p, Some(before.college_org_id), change).await?;
    Ok(saved)
}

/// Reads a placement again inside a transaction, after taking the college's lock.
pub(crate) async fn locked(tx: &mut Box<dyn Conn>, r: &PlacementRecord) -> AppResult<PlacementRecord> {
    tx.lock_org(r.college_org_id).await?;
    // `r` was read in the caller's scope: this reads the same placement again under the lock.
    tx.find_placement(&xiaoqi_store::ReadScope::Everything, r.id).await?.ok_or(AppError::NotFound("placement"))
}

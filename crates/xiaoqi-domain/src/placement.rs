//! A placed student's internship (DESIGN.md §2.2, dual mentors): the placement's states in one
//! transition table, who signs the tripartite agreement, mentor load limits, the composite
//! grade in exact integer arithmetic, and the early warnings a teacher sees.
//!
//! The internship rules themselves (age, consent, insurance, intern shares, …) live in
//! [`crate::internship`]; this module only says when the app runs them: signing the agreement
//! runs [`crate::internship::Step::Place`], starting runs [`crate::internship::Step::Start`].

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::org::str_enum;
use crate::time::Date;

str_enum! {
    /// Where a placement stands.
    PlacementStatus {
        /// Allocated; the tripartite agreement is being filled in and signed.
        AgreementPending = "agreement_pending", "待签协议", "Agreement pending";
        /// All three parties signed.
        Agreed = "agreed", "协议已签", "Agreement signed";
        /// The internship is under way.
        Active = "active", "实习中", "In progress";
        /// Graded: the composite grade is final.
        Completed = "completed", "已完成", "Completed";
    }
}

str_enum! {
    /// Something done to a placement.
    PlacementAction {
        /// Fill in or correct the student facts of the agreement (before anyone signs).
        EditAgreement = "edit_agreement", "填写协议", "Fill in the agreement";
        /// One party signs; the agreement stays pending until the third signature.
        Sign = "sign", "签署协议", "Sign the agreement";
        /// The third signature: the agreement is in force.
        Agree = "agree", "协议生效", "Agreement in force";
        /// Assign or change a mentor.
        AssignMentor = "assign_mentor", "指定导师", "Assign a mentor";
        /// Start the internship.
        Start = "start", "开始实习", "Start the internship";
        /// Set up the training plan's tasks.
        Plan = "plan", "制定实习计划", "Plan the training tasks";
        /// Record the internship: logs, attendance, reports, sign-offs, reviews, grades.
        Record = "record", "记录实习", "Record the internship";
        /// Final grading: the composite grade is fixed.
        Complete = "complete", "完成评定", "Complete with the grade";
    }
}

use PlacementAction as A;
use PlacementStatus as S;

/// Which action is allowed in which status, and the status it leads to: the one table.
pub const TRANSITIONS: &[(PlacementStatus, PlacementAction, PlacementStatus)] = &[
    (S::AgreementPending, A::EditAgreement, S::AgreementPending),
    (S::AgreementPending, A::Sign, S::AgreementPending),
    (S::AgreementPending, A::Agree, S::Agreed),
    (S::AgreementPending, A::AssignMentor, S::AgreementPending),
    (S::AgreementPending, A::Plan, S::AgreementPending),
    (S::Agreed, A::AssignMentor, S::Agreed),
    (S::Agreed, A::Plan, S::Agreed),
    (S::Agreed, A::Start, S::Active),
    (S::Active, A::AssignMentor, S::Active),
    (S::Active, A::Plan, S::Active),
    (S::Active, A::Record, S::Active),
    (S::Active, A::Complete, S::Completed),
];

impl PlacementStatus {
    /// The status after `action`, or `None` when the action is not allowed now.
    pub fn after(self, action: PlacementAction) -> Option<PlacementStatus> {
        TRANSITIONS.iter().find(|(from, a, _)| *from == self && *a == action).map(|(_, _, to)| *to)
    }

    /// Whether the placement still holds a seat and a mentor's time (not completed).
    pub fn is_open(self) -> bool {
        self != PlacementStatus::Completed
    }

    /// The refusal (409) of `action` in this status, naming both.
    pub fn refusal(self, action: PlacementAction) -> FieldError {
        FieldError::new(
            "status",
            "placement_status",
            format!("实习处于「{}」状态，不能{}", self.label_zh(), action.label_zh()),
            format!("the placement is {}: cannot {}", self.label_en().to_lowercase(), action.label_en().to_lowercase()),
        )
    }
}

str_enum! {
    /// A party to the tripartite agreement.
    Party {
        /// The college: its administrators and career officers sign for it.
        School = "school", "学校", "School";
        /// The enterprise: its administrators and HR sign for it.
        Enterprise = "enterprise", "实习单位", "Enterprise";
        /// The student.
        Student = "student", "学生", "Student";
    }
}

str_enum! {
    /// One of the two mentors of a placed student.
    MentorKind {
        /// The college teacher (校内导师).
        Teacher = "teacher", "校内导师", "College teacher";
        /// The enterprise master (企业师傅).
        Master = "master", "企业师傅", "Enterprise master";
    }
}

str_enum! {
    /// A day of attendance as the student records it; only days the master confirmed count.
    AttendanceStatus {
        Present = "present", "出勤", "Present";
        Absent = "absent", "缺勤", "Absent";
        Leave = "leave", "请假", "On leave";
    }
}

str_enum! {
    /// Who signs a tripartite review.
    Reviewer {
        Student = "student", "学生", "Student";
        Teacher = "teacher", "校内导师", "College teacher";
        Master = "master", "企业师傅", "Enterprise master";
    }
}

/// Students one college teacher mentors at a time unless the college sets otherwise.
pub const DEFAULT_MAX_PER_TEACHER: u32 = 20;
/// Students one enterprise master mentors at a time unless the college sets otherwise.
pub const DEFAULT_MAX_PER_MASTER: u32 = 5;
/// Working days without a confirmed attendance or a log before a warning, by default.
pub const DEFAULT_WARN_AFTER_DAYS: u32 = 3;
/// Longest log text and problem, in characters.
pub const MAX_LOG_CHARS: usize = 500;

/// Refuses a mentor who already has `current` open placements when the limit is `max`.
pub fn check_mentor_load(kind: MentorKind, current: u32, max: u32) -> Result<(), FieldError> {
    if current < max {
        return Ok(());
    }
    Err(FieldError::new(
        match kind {
            MentorKind::Teacher => "teacher_id",
            MentorKind::Master => "master_id",
        },
        "mentor_load",
        format!("导师人数上限：每位{}最多指导 {max} 名学生，该导师已指导 {current} 名", kind.label_zh()),
        format!("mentor load limit: a {} mentors at most {max} students and already has {current}", kind.label_en()),
    ))
}

/// The weights of the composite grade, in whole percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeWeights {
    /// The teacher's grade of the final report.
    pub report: u32,
    /// The master's evaluation.
    pub evaluation: u32,
    /// Attendance: confirmed present days ÷ working days.
    pub attendance: u32,
}

impl Default for GradeWeights {
    fn default() -> Self {
        GradeWeights { report: 40, evaluation: 40, attendance: 20 }
    }
}

impl GradeWeights {
    /// Refuses weights that do not sum to exactly 100.
    pub fn check(&self) -> Result<(), FieldError> {
        let sum = u64::from(self.report) + u64::from(self.evaluation) + u64::from(self.attendance);
        if sum == 100 {
            return Ok(());
        }
        Err(FieldError::new(
            "weights",
            "weights_sum",
            format!("成绩权重之和须为 100，现为 {sum}"),
            format!("the grade weights must sum to 100, not {sum}"),
        ))
    }
}

/// Refuses a score outside 0–100.
pub fn check_score(field: &str, v: i64) -> Result<u32, FieldError> {
    u32::try_from(v).ok().filter(|s| *s <= 100).ok_or_else(|| {
        FieldError::new(field, "score_range", "分数须在 0 到 100 之间", "the score must be between 0 and 100")
    })
}

/// Refuses a skill level outside 1–5.
pub fn check_signoff_level(v: i64) -> Result<u32, FieldError> {
    u32::try_from(v).ok().filter(|l| (1..=5).contains(l)).ok_or_else(|| {
        FieldError::new("level", "level_range", "技能等级须在 1 到 5 之间", "the skill level must be 1 to 5")
    })
}

/// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
pub fn weekday(d: Date) -> i64 {
    (d.0 + 3).rem_euclid(7)
}

/// Monday to Friday from `from` to `to`, both included (public holidays are not known to the
/// platform and count as working days); zero when `to` is before `from`.
pub fn working_days(from: Date, to: Date) -> u32 {
    if to < from {
        return 0;
    }
    let span = to.0 - from.0 + 1;
    let (weeks, rest) = (span / 7, span % 7);
    let first = weekday(from);
    let extra = (0..rest).filter(|k| (first + k) % 7 < 5).count() as i64;
    u32::try_from(weeks * 5 + extra).unwrap_or(u32::MAX)
}

/// A composite grade in hundredths of a point (8_550 = 85.50), rounded half up.
///
/// `weights.report × report + weights.evaluation × evaluation + weights.attendance × 100 ×
/// min(present, working) ÷ working`, divided by 100, computed on integers so that no weight or
/// attendance ratio loses a digit. With no working day the attendance part counts as full.
pub fn composite_centi(weights: GradeWeights, report: u32, evaluation: u32, present: u32, working: u32) -> u32 {
    let (wr, we, wa) = (u64::from(weights.report), u64::from(weights.evaluation), u64::from(weights.attendance));
    let (present, working) = if working == 0 { (1, 1) } else { (u64::from(present.min(working)), u64::from(working)) };
    // (wr·r + we·e + wa·100·p/w) / 100 points = (wr·r·w + we·e·w + wa·100·p) / w hundredths.
    let numerator = (wr * u64::from(report) + we * u64::from(evaluation)) * working + wa * 100 * present;
    let centi = (2 * numerator + working) / (2 * working);
    u32::try_from(centi).unwrap_or(u32::MAX)
}

/// `8550` as `"85.50"`.
pub fn format_centi(centi: u32) -> String {
    crate::decimal::hundredths(i64::from(centi))
}

/// Why a placement needs the teacher's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// No confirmed attendance for this many working days.
    NoAttendance { days: u32 },
    /// No log for this many working days.
    NoLog { days: u32 },
    /// A review is past its due date and not signed by all three.
    ReviewOverdue { review: String, due: String },
}

impl Warning {
    /// The warning in Chinese.
    pub fn zh(&self) -> String {
        match self {
            Warning::NoAttendance { days } => format!("已连续 {days} 个工作日无师傅确认的考勤"),
            Warning::NoLog { days } => format!("已连续 {days} 个工作日未写实习日志"),
            Warning::ReviewOverdue { review, due } => format!("三方评议「{review}」已逾期（应于 {due} 前完成）"),
        }
    }

    /// The warning in English.
    pub fn en(&self) -> String {
        match self {
            Warning::NoAttendance { days } => format!("no attendance confirmed by the master for {days} working days"),
            Warning::NoLog { days } => format!("no log for {days} working days"),
            Warning::ReviewOverdue { review, due } => format!("review \"{review}\" is overdue (due {due})"),
        }
    }
}

/// The facts of an active placement the warnings look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningFacts {
    pub start: Date,
    pub end: Date,
    /// The last day with attendance the master confirmed (present, absent or leave).
    pub last_confirmed_attendance: Option<Date>,
    /// The last day the student logged.
    pub last_log: Option<Date>,
    /// (name, due date, signed by all three) of each review.
    pub reviews: Vec<(String, Date, bool)>,
}

/// Working days strictly after `last` (or from the start when nothing is recorded) and strictly
/// before `today`, within the placement: today may still be recorded.
fn silent_days(f: &WarningFacts, last: Option<Date>, today: Date) -> u32 {
    let from = last.map_or(f.start, |d| Date(d.0 + 1)).max(f.start);
    let to = Date(today.0 - 1).min(f.end);
    working_days(from, to)
}

/// The warnings of an active placement on `today`, with `after_days` working days of silence
/// allowed (a warning at `after_days` or more).
pub fn warnings(f: &WarningFacts, today: Date, after_days: u32) -> Vec<Warning> {
    let mut out = Vec::new();
    let after = after_days.max(1);
    let days = silent_days(f, f.last_confirmed_attendance, today);
    if days >= after {
        out.push(Warning::NoAttendance { days });
    }
    let days = silent_days(f, f.last_log, today);
    if days >= after {
        out.push(Warning::NoLog { days });
    }
    for (name, due, all_signed) in &f.reviews {
        if !all_signed && *due < today {
            out.push(Warning::ReviewOverdue { review: name.clone(), due: due.format() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse("d", s).expect("date")
    }

    #[test]
    fn the_table_allows_each_step_only_in_its_status() {
        assert_eq!(S::AgreementPending.after(A::Agree), Some(S::Agreed));
        assert_eq!(S::AgreementPending.after(A::Start), None, "no start before the agreement");
        assert_eq!(S::Agreed.after(A::Start), Some(S::Active));
        assert_eq!(S::Agreed.after(A::Sign), None, "signed agreements are not signed again");
        assert_eq!(S::Agreed.after(A::Record), None, "nothing is recorded before the start");
        assert_eq!(S::Active.after(A::Complete), Some(S::Completed));
        assert!(PlacementStatus::ALL.iter().all(|s| s.after(A::EditAgreement).is_none() || *s == S::AgreementPending));
        assert!(PlacementAction::ALL.iter().all(|a| S::Completed.after(*a).is_none()), "completed is final");
    }

    #[test]
    fn a_mentor_may_take_students_up_to_the_limit_and_not_one_more() {
        assert!(check_mentor_load(MentorKind::Master, 4, 5).is_ok());
        let e = check_mentor_load(MentorKind::Master, 5, 5).expect_err("full");
        assert_eq!((e.field.as_str(), e.rule), ("master_id", "mentor_load"));
        assert!(e.zh.contains("最多指导 5 名"), "{}", e.zh);
        assert!(check_mentor_load(MentorKind::Teacher, 0, 0).is_err(), "a limit of 0 takes nobody");
    }

    #[test]
    fn weights_must_sum_to_exactly_one_hundred() {
        assert!(GradeWeights::default().check().is_ok());
        assert!(GradeWeights { report: 50, evaluation: 50, attendance: 0 }.check().is_ok());
        assert!(GradeWeights { report: 40, evaluation: 40, attendance: 21 }.check().is_err());
        assert!(GradeWeights { report: 40, evaluation: 40, attendance: 19 }.check().is_err());
    }

    #[test]
    fn scores_and_levels_are_bounded() {
        assert_eq!(check_score("s", 0), Ok(0));
        assert_eq!(check_score("s", 100), Ok(100));
        assert!(check_score("s", 101).is_err() && check_score("s", -1).is_err());
        assert_eq!(check_signoff_level(1), Ok(1));
        assert_eq!(check_signoff_level(5), Ok(5));
        assert!(check_signoff_level(0).is_err() && check_signoff_level(6).is_err());
    }

    #[test]
    fn working_days_count_monday_to_friday() {
        assert_eq!(weekday(d("2026-03-02")), 0, "2 March 2026 is a Monday");
        assert_eq!(working_days(d("2026-03-02"), d("2026-03-08")), 5, "one full week");
        assert_eq!(working_days(d("2026-03-06"), d("2026-03-09")), 2, "Friday and Monday");
        assert_eq!(working_days(d("2026-03-07"), d("2026-03-08")), 0, "a weekend");
        assert_eq!(working_days(d("2026-03-02"), d("2026-03-31")), 22, "March 2026");
        assert_eq!(working_days(d("2026-03-09"), d("2026-03-08")), 0, "empty");
    }

    #[test]
    fn the_composite_grade_is_exact() {
        let w = GradeWeights::default();
        // 0.4 × 80 + 0.4 × 90 + 0.2 × 100 × 19/20 = 32 + 36 + 19 = 87.00
        assert_eq!(composite_centi(w, 80, 90, 19, 20), 8_700);
        // 0.4 × 85 + 0.4 × 88 + 0.2 × 100 × 2/3 = 34 + 35.2 + 13.333… = 82.533… → 82.53
        assert_eq!(composite_centi(w, 85, 88, 2, 3), 8_253);
        // 20 × 100 × 1/8 / 100 = 2.5 points; 0.4 × 0 + 0.4 × 0 → 2.50
        assert_eq!(composite_centi(w, 0, 0, 1, 8), 250);
        // 20 × 5/6 = 16.666… → 16.67 (half up at the third digit)
        assert_eq!(composite_centi(GradeWeights { report: 0, evaluation: 80, attendance: 20 }, 0, 0, 5, 6), 1_667);
        assert_eq!(composite_centi(w, 100, 100, 30, 20), 10_000, "present days beyond the working days cap at 100 %");
        assert_eq!(composite_centi(w, 100, 100, 0, 0), 10_000, "no working day: attendance counts full");
        assert_eq!(format_centi(8_253), "82.53");
        assert_eq!(format_centi(250), "2.50");
    }

    fn facts() -> WarningFacts {
        WarningFacts {
            start: d("2026-03-02"),
            end: d("2026-08-31"),
            last_confirmed_attendance: None,
            last_log: None,
            reviews: vec![],
        }
    }

    #[test]
    fn silence_warns_from_the_configured_number_of_working_days() {
        let mut f = facts();
        // Nothing recorded: Mon 2, Tue 3 before Wed 4 → 2 days; Thu 5 → 3 days.
        assert_eq!(warnings(&f, d("2026-03-04"), 3), vec![]);
        assert_eq!(
            warnings(&f, d("2026-03-05"), 3),
            vec![Warning::NoAttendance { days: 3 }, Warning::NoLog { days: 3 }]
        );
        // Confirmed on Friday 6, logged on Thursday 12: on Wednesday 11 Mon 9 and Tue 10 are silent.
        f.last_confirmed_attendance = Some(d("2026-03-06"));
        f.last_log = Some(d("2026-03-12"));
        assert_eq!(warnings(&f, d("2026-03-11"), 3), vec![], "the weekend does not count");
        assert_eq!(warnings(&f, d("2026-03-12"), 3), vec![Warning::NoAttendance { days: 3 }]);
        assert_eq!(warnings(&f, d("2026-03-12"), 4), vec![], "a larger setting waits longer");
    }

    #[test]
    fn nothing_is_silent_before_the_start_or_after_the_end() {
        let f = facts();
        assert_eq!(warnings(&f, d("2026-02-20"), 3), vec![]);
        let mut done = facts();
        done.last_confirmed_attendance = Some(d("2026-08-31"));
        done.last_log = Some(d("2026-08-28"));
        assert_eq!(warnings(&done, d("2026-09-30"), 3), vec![], "only Monday 31 August is unlogged");
    }

    #[test]
    fn a_review_past_due_without_three_signatures_is_overdue() {
        let mut f = facts();
        f.last_confirmed_attendance = Some(d("2026-04-30"));
        f.last_log = Some(d("2026-04-30"));
        f.reviews = vec![("期中".into(), d("2026-04-30"), false), ("首次".into(), d("2026-03-31"), true)];
        assert_eq!(warnings(&f, d("2026-04-30"), 3), vec![], "due today is not overdue");
        let w = warnings(&f, d("2026-05-01"), 3);
        assert_eq!(w, vec![Warning::ReviewOverdue { review: "期中".into(), due: "2026-04-30".into() }]);
        assert!(w[0].zh().contains("逾期") && w[0].en().contains("overdue"));
    }
}

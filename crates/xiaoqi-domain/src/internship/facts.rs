//! The facts of one placement the rules look at: plain data the app fills from its records.

use super::InternshipKind;
use crate::money::Fen;
use crate::time::Date;

/// Who signed the tripartite agreement, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Agreement {
    /// Date the school signed.
    pub school_signed: Option<Date>,
    /// Date the enterprise signed.
    pub enterprise_signed: Option<Date>,
    /// Date the student signed.
    pub student_signed: Option<Date>,
}

/// The facts of one placement the rules look at; plain data the app fills from its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Kind of the place.
    pub kind: InternshipKind,
    /// The student's date of birth (`None` at [`Step::Offer`](super::Step::Offer), when no student is known).
    pub student_birth_date: Option<Date>,
    /// First day of the internship.
    pub start: Date,
    /// Last day of the internship (inclusive).
    pub end: Date,
    /// Signatures of the tripartite agreement.
    pub agreement: Agreement,
    /// Date the guardian signed the informed consent, if on file.
    pub guardian_consent: Option<Date>,
    /// Liability insurance cover, first and last day (inclusive).
    pub insurance: Option<(Date, Date)>,
    /// The enterprise's staff in post (在岗职工), interns not counted.
    pub enterprise_staff: u32,
    /// Staff in post on the same kind of post.
    pub post_staff: u32,
    /// Interns at posts in the enterprise during the same period, not counting this one.
    pub interns_at_enterprise: u32,
    /// Interns on the same kind of post during the same period, not counting this one.
    pub interns_at_post: u32,
    /// Monthly pay to the student.
    pub monthly_pay: Fen,
    /// The enterprise's monthly wage standard for the same post.
    pub post_wage: Fen,
    /// The enterprise's lowest monthly wage grade, if it has one.
    pub lowest_wage_grade: Option<Fen>,
    /// Fees, deposits, commissions or other charges asked of the student, in total.
    pub fees_charged: Fen,
    /// The schedule includes night shifts.
    pub night_shifts: bool,
    /// The schedule includes overtime.
    pub overtime: bool,
    /// The schedule includes public holidays.
    pub holiday_work: bool,
    /// The post involves heights, underground, radiation, toxic, flammable or explosive work or
    /// another high safety risk.
    pub high_risk_work: bool,
    /// The programme's and post's special needs are filed with the supervising authority, which
    /// lifts the four working-time rules of 第十七条 for this placement.
    pub working_time_exception_filed: bool,
}

impl Placement {
    /// A placement of `kind` from `start` to `end` with nothing else recorded yet.
    pub fn new(kind: InternshipKind, start: Date, end: Date) -> Placement {
        Placement {
            kind,
            student_birth_date: None,
            start,
            end,
            agreement: Agreement::default(),
            guardian_consent: None,
            insurance: None,
            enterprise_staff: 0,
            post_staff: 0,
            interns_at_enterprise: 0,
            interns_at_post: 0,
            monthly_pay: Fen(0),
            post_wage: Fen(0),
            lowest_wage_grade: None,
            fees_charged: Fen(0),
            night_shifts: false,
            overtime: false,
            holiday_work: false,
            high_risk_work: false,
            working_time_exception_filed: false,
        }
    }
}

//! Order classes (订单班/冠名班, DESIGN.md §2.2): the terms an enterprise and a college agree on,
//! the class's lifecycle in one transition table with the side that takes each step, and the
//! exact arithmetic of joint assessment and the conversion rate.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors, optional_text, required_text};
use crate::money::Fen;
use crate::org::str_enum;
use crate::service::{Side, parse_tenths};

str_enum! {
    /// Where an order class stands.
    OrderClassStatus {
        Draft = "draft", "草拟中", "Draft";
        Signed = "signed", "已签约", "Signed";
        Recruiting = "recruiting", "招生中", "Recruiting";
        InTraining = "in_training", "培养中", "In training";
        Assessment = "assessment", "联合考核", "Joint assessment";
        Employment = "employment", "就业安置", "Employment decisions";
        Closed = "closed", "已结班", "Closed";
    }
}

str_enum! {
    /// A step in an order class's lifecycle.
    OrderClassAction {
        Sign = "sign", "签署协议", "Sign the agreement";
        OpenRecruiting = "open_recruiting", "开始招生", "Open recruiting";
        StartTraining = "start_training", "开班培养", "Start training";
        StartAssessment = "start_assessment", "开始联合考核", "Start the joint assessment";
        StartEmployment = "start_employment", "进入就业安置", "Start employment decisions";
        Close = "close", "结班", "Close the class";
    }
}

str_enum! {
    /// What kind of teaching a course is.
    CourseKind {
        Theory = "theory", "理论课", "Theory";
        Practice = "practice", "实践课", "Practice";
        Lecture = "lecture", "企业专家讲座", "Lecture by enterprise staff";
        SummerPractice = "summer_practice", "暑期实践", "Summer practice";
    }
}

str_enum! {
    /// Where one student's employment decision stands.
    EmploymentStatus {
        Offered = "offered", "已发录用通知", "Offered";
        Accepted = "accepted", "已接受", "Accepted";
        Declined = "declined", "已拒绝", "Declined";
    }
}

/// Who takes a step: one named side, either side, or both (each once: signing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taker {
    Only(Side),
    Either,
    Both,
}

impl Taker {
    /// Whether someone acting for `side` takes part in the step.
    pub fn includes(self, side: Side) -> bool {
        match self {
            Taker::Only(s) => s == side,
            Taker::Either | Taker::Both => true,
        }
    }
}

use OrderClassAction as A;
use OrderClassStatus as S;

/// Every allowed step: (from, action, who takes it, to). Nothing else is allowed.
///
/// Both parties sign the draft (the class is signed when the second signature lands); the
/// college recruits its students and runs the assessment period; the enterprise, as the
/// employer, opens the employment decisions; either party starts training and closes the class.
pub const TRANSITIONS: &[(OrderClassStatus, OrderClassAction, Taker, OrderClassStatus)] = &[
    (S::Draft, A::Sign, Taker::Both, S::Signed),
    (S::Signed, A::OpenRecruiting, Taker::Only(Side::College), S::Recruiting),
    (S::Recruiting, A::StartTraining, Taker::Either, S::InTraining),
    (S::InTraining, A::StartAssessment, Taker::Only(Side::College), S::Assessment),
    (S::Assessment, A::StartEmployment, Taker::Only(Side::Enterprise), S::Employment),
    (S::Employment, A::Close, Taker::Either, S::Closed),
];

impl OrderClassAction {
    /// Who takes this step (from the transition table).
    pub fn taker(self) -> Taker {
        TRANSITIONS.iter().find(|(_, a, _, _)| *a == self).map_or(Taker::Both, |(_, _, t, _)| *t)
    }
}

impl OrderClassStatus {
    /// The status after `action`, or `None` when the action is not allowed now.
    pub fn after(self, action: OrderClassAction) -> Option<OrderClassStatus> {
        TRANSITIONS.iter().find(|(from, a, _, _)| *from == self && *a == action).map(|(_, _, _, to)| *to)
    }

    /// The actions allowed in this status, in table order.
    pub fn actions(self) -> Vec<OrderClassAction> {
        TRANSITIONS.iter().filter(|(from, ..)| *from == self).map(|(_, a, _, _)| *a).collect()
    }

    /// Whether the agreement is in force (signed and not closed): amendments and the
    /// scholarship ledger belong here.
    pub fn in_force(self) -> bool {
        !matches!(self, S::Draft | S::Closed)
    }

    /// Whether scholarships may be paid out: from training until the employment decisions.
    pub fn pays_scholarships(self) -> bool {
        matches!(self, S::InTraining | S::Assessment | S::Employment)
    }
}

impl EmploymentStatus {
    /// The status after the student's answer to an offer, or `None` when it was answered.
    pub fn answer(self, accept: bool) -> Option<EmploymentStatus> {
        match (self, accept) {
            (EmploymentStatus::Offered, true) => Some(EmploymentStatus::Accepted),
            (EmploymentStatus::Offered, false) => Some(EmploymentStatus::Declined),
            _ => None,
        }
    }
}

/// Where one application stands, from the two parties' selection decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    /// Not yet decided by both parties.
    Applied,
    /// Both parties selected the student: enrolled.
    Selected,
    /// At least one party turned the student down.
    Rejected,
}

impl EnrolmentStatus {
    /// Enrolled only when both parties selected; turned down when either refused.
    pub fn of(college: Option<bool>, enterprise: Option<bool>) -> EnrolmentStatus {
        match (college, enterprise) {
            (Some(false), _) | (_, Some(false)) => EnrolmentStatus::Rejected,
            (Some(true), Some(true)) => EnrolmentStatus::Selected,
            _ => EnrolmentStatus::Applied,
        }
    }

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Applied => "applied",
            EnrolmentStatus::Selected => "selected",
            EnrolmentStatus::Rejected => "rejected",
        }
    }

    /// The label in `zh` or `en`.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang == "en") {
            (EnrolmentStatus::Applied, false) => "已报名",
            (EnrolmentStatus::Applied, true) => "Applied",
            (EnrolmentStatus::Selected, false) => "已录取",
            (EnrolmentStatus::Selected, true) => "Enrolled",
            (EnrolmentStatus::Rejected, false) => "未录取",
            (EnrolmentStatus::Rejected, true) => "Not selected",
        }
    }
}

/// Bounds of the terms.
pub const MAX_CLASS_NAME: usize = 60;
pub const MAX_QUOTA: i64 = 500;
/// Largest scholarship amount: 1,000,000 yuan, in fen.
pub const MAX_SCHOLARSHIP_FEN: i64 = 100_000_000;
/// Largest committed monthly pay floor: 1,000,000 yuan, in fen (as for demands).
pub const MAX_PAY_FLOOR_FEN: i64 = 100_000_000;
pub const MAX_SERVICE_YEARS: i64 = 10;
pub const MAX_COURSE_HOURS: i64 = 2_000;
/// At most this many majors, scholarships, posts and courses in one agreement.
pub const MAX_MAJORS: usize = 20;
pub const MAX_SCHOLARSHIPS: usize = 20;
pub const MAX_POSTS: usize = 20;
pub const MAX_COURSES: usize = 60;

/// A scholarship the enterprise funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scholarship {
    pub name: String,
    /// Amount per recipient, in fen.
    pub amount_fen: i64,
    /// How many recipients at most.
    pub count: i64,
    pub condition: String,
}

impl Scholarship {
    /// The most that may be paid out under this scholarship: amount × count.
    pub fn limit(&self) -> Fen {
        Fen(self.amount_fen.saturating_mul(self.count))
    }
}

/// A post the enterprise commits to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedPost {
    pub title: String,
    /// CSCO 2022 code, if given.
    pub occupation_code: Option<String>,
}

/// The employment commitment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentCommitment {
    pub posts: Vec<CommittedPost>,
    /// The lowest monthly pay offered to graduates of the class, in fen.
    pub pay_floor_fen: i64,
    /// Years of service the graduates commit to (0–10).
    pub service_years: i64,
}

/// One course of the curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub name: String,
    pub taught_by: Side,
    pub kind: CourseKind,
    pub hours: i64,
}

/// The weights of the joint assessment, whole percents summing to 100.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentWeights {
    pub college: i64,
    pub enterprise: i64,
}

/// The validated terms of an order agreement (one version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub class_name: String,
    /// Ids of the college's majors the class recruits from.
    pub major_ids: Vec<i64>,
    pub quota: i64,
    pub scholarships: Vec<Scholarship>,
    pub employment: EmploymentCommitment,
    pub courses: Vec<Course>,
    pub weights: AssessmentWeights,
}

impl Terms {
    /// Total hours taught by one side.
    pub fn hours_by(&self, side: Side) -> i64 {
        self.courses.iter().filter(|c| c.taught_by == side).map(|c| c.hours).sum()
    }

    /// The scholarship of this name.
    pub fn scholarship(&self, name: &str) -> Option<&Scholarship> {
        self.scholarships.iter().find(|s| s.name == name)
    }
}

/// A scholarship as typed: the amount in yuan ("5000" or "5,000.50").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScholarshipInput {
    pub name: String,
    pub amount_yuan: String,
    pub count: i64,
    #[serde(default)]
    pub condition: Option<String>,
}

/// The employment commitment as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmploymentInput {
    #[serde(default)]
    pub posts: Vec<CommittedPost>,
    pub pay_floor_yuan: String,
    pub service_years: i64,
}

/// A course as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseInput {
    pub name: String,
    /// college or enterprise.
    pub taught_by: String,
    /// theory, practice, lecture or summer_practice.
    pub kind: String,
    pub hours: i64,
}

/// The terms as typed (API and forms); [`validate_terms`] turns them into [`Terms`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    pub class_name: String,
    #[serde(default)]
    pub major_ids: Vec<i64>,
    pub quota: i64,
    #[serde(default)]
    pub scholarships: Vec<ScholarshipInput>,
    pub employment: EmploymentInput,
    #[serde(default)]
    pub courses: Vec<CourseInput>,
    pub weights: AssessmentWeights,
}

fn range_error(field: &str, rule: &'static str, zh: String, en: String) -> FieldError {
    FieldError::new(field, rule, zh, en)
}

fn too_many(field: &str, max: usize) -> FieldError {
    range_error(
        field,
        "too_many",
        format!("{field} 最多 {max} 项（too_many）"),
        format!("{field}: at most {max} entries (too_many)"),
    )
}

/// An amount in yuan, more than 0 and at most `max` fen.
fn positive_amount(field: &str, input: &str, max: i64) -> Result<i64, FieldError> {
    let fen = Fen::parse_yuan(field, input)?;
    if fen.0 > 0 && fen.0 <= max {
        Ok(fen.0)
    } else {
        Err(range_error(
            field,
            "amount_range",
            format!("金额须大于 0 且不超过 {}（amount_range）", Fen(max).to_cny_string()),
            format!("The amount must be more than 0 and at most {} (amount_range)", Fen(max).to_cny_string()),
        ))
    }
}

fn whole_in(field: &str, n: i64, lo: i64, hi: i64, rule: &'static str) -> Result<i64, FieldError> {
    if (lo..=hi).contains(&n) {
        Ok(n)
    } else {
        Err(range_error(
            field,
            rule,
            format!("{field} 须在 {lo} 到 {hi} 之间（{rule}），收到 {n}"),
            format!("{field} must be between {lo} and {hi} ({rule}); got {n}"),
        ))
    }
}

fn scholarships(e: &mut ValidationErrors, items: &[ScholarshipInput], quota: i64) -> Vec<Scholarship> {
    if items.len() > MAX_SCHOLARSHIPS {
        e.push(too_many("scholarships", MAX_SCHOLARSHIPS));
    }
    let mut out = Vec::new();
    for (i, s) in items.iter().enumerate().take(MAX_SCHOLARSHIPS) {
        let f = |name: &str| format!("scholarships[{i}].{name}");
        let name = e.check(required_text(&f("name"), &s.name, 60));
        if let Some(n) = &name
            && out.iter().any(|o: &Scholarship| &o.name == n)
        {
            e.push(range_error(
                &f("name"),
                "scholarship_duplicate",
                format!("奖学金名称“{n}”重复（scholarship_duplicate）"),
                format!("The scholarship name \"{n}\" appears twice (scholarship_duplicate)"),
            ));
        }
        let amount = e.check(positive_amount(&f("amount_yuan"), &s.amount_yuan, MAX_SCHOLARSHIP_FEN));
        let count = e.check(whole_in(&f("count"), s.count, 1, MAX_QUOTA, "scholarship_count_range"));
        if count.is_some_and(|c| c > quota) && quota >= 1 {
            e.push(range_error(
                &f("count"),
                "scholarship_count_over_quota",
                format!("获奖名额 {} 超过招生名额 {quota}（scholarship_count_over_quota）", s.count),
                format!("{} recipients exceed the quota of {quota} (scholarship_count_over_quota)", s.count),
            ));
        }
        let condition = e.check(optional_text(&f("condition"), s.condition.as_deref(), 500)).flatten();
        if let (Some(name), Some(amount_fen), Some(count)) = (name, amount, count) {
            out.push(Scholarship { name, amount_fen, count, condition: condition.unwrap_or_default() });
        }
    }
    out
}

fn employment(e: &mut ValidationErrors, input: &EmploymentInput) -> Option<EmploymentCommitment> {
    if input.posts.is_empty() {
        e.push(FieldError::required("employment.posts"));
    }
    if input.posts.len() > MAX_POSTS {
        e.push(too_many("employment.posts", MAX_POSTS));
    }
    let mut posts = Vec::new();
    for (i, p) in input.posts.iter().enumerate().take(MAX_POSTS) {
        let title = e.check(required_text(&format!("employment.posts[{i}].title"), &p.title, 60));
        let code = e
            .check(optional_text(&format!("employment.posts[{i}].occupation_code"), p.occupation_code.as_deref(), 20))
            .flatten();
        if let Some(title) = title {
            posts.push(CommittedPost { title, occupation_code: code });
        }
    }
    let pay = e.check(positive_amount("employment.pay_floor_yuan", &input.pay_floor_yuan, MAX_PAY_FLOOR_FEN));
    let years =
        e.check(whole_in("employment.service_years", input.service_years, 0, MAX_SERVICE_YEARS, "service_years_range"));
    Some(EmploymentCommitment { posts, pay_floor_fen: pay?, service_years: years? })
}

fn courses(e: &mut ValidationErrors, items: &[CourseInput]) -> Vec<Course> {
    if items.is_empty() {
        e.push(FieldError::required("courses"));
    }
    if items.len() > MAX_COURSES {
        e.push(too_many("courses", MAX_COURSES));
    }
    let mut out = Vec::new();
    for (i, c) in items.iter().enumerate().take(MAX_COURSES) {
        let f = |name: &str| format!("courses[{i}].{name}");
        let name = e.check(required_text(&f("name"), &c.name, 60));
        let side = Side::parse(c.taught_by.trim());
        if side.is_none() {
            e.push(range_error(
                &f("taught_by"),
                "taught_by_unknown",
                "授课方须为 college（院校）或 enterprise（企业）（taught_by_unknown）".into(),
                "taught_by must be college or enterprise (taught_by_unknown)".into(),
            ));
        }
        let kind = CourseKind::parse(c.kind.trim());
        if kind.is_none() {
            e.push(range_error(
                &f("kind"),
                "course_kind_unknown",
                "课程类型须为 theory、practice、lecture 或 summer_practice（course_kind_unknown）".into(),
                "kind must be theory, practice, lecture or summer_practice (course_kind_unknown)".into(),
            ));
        }
        if side == Some(Side::College) && kind.is_some_and(|k| k != CourseKind::Theory) {
            e.push(range_error(
                &f("kind"),
                "college_course_theory",
                "院校承担的课程须为理论课；实践、讲座与暑期实践由企业承担（college_course_theory）".into(),
                "Courses taught by the college are theory; practice, lectures and summer practice are the \
                 enterprise's (college_course_theory)"
                    .into(),
            ));
        }
        let hours = e.check(whole_in(&f("hours"), c.hours, 1, MAX_COURSE_HOURS, "course_hours_range"));
        if let (Some(name), Some(taught_by), Some(kind), Some(hours)) = (name, side, kind, hours) {
            out.push(Course { name, taught_by, kind, hours });
        }
    }
    out
}

fn weights(e: &mut ValidationErrors, w: AssessmentWeights) -> AssessmentWeights {
    let c = e.check(whole_in("weights.college", w.college, 0, 100, "weight_range"));
    let n = e.check(whole_in("weights.enterprise", w.enterprise, 0, 100, "weight_range"));
    if c.is_some() && n.is_some() && w.college + w.enterprise != 100 {
        e.push(range_error(
            "weights",
            "weights_sum",
            format!(
                "院校与企业考核权重之和须恰为 100%（weights_sum），现为 {} + {} = {}",
                w.college,
                w.enterprise,
                w.college + w.enterprise
            ),
            format!(
                "The college and enterprise weights must sum to exactly 100 % (weights_sum); got {} + {} = {}",
                w.college,
                w.enterprise,
                w.college + w.enterprise
            ),
        ));
    }
    w
}

/// Validates typed terms, reporting every offending field at once. Whether the majors belong
/// to the college is checked by the caller, which can see the college's majors.
pub fn validate_terms(input: &TermsInput) -> Result<Terms, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let class_name = e.check(required_text("class_name", &input.class_name, MAX_CLASS_NAME));
    if input.major_ids.is_empty() {
        e.push(FieldError::required("major_ids"));
    }
    if input.major_ids.len() > MAX_MAJORS {
        e.push(too_many("major_ids", MAX_MAJORS));
    }
    let mut major_ids: Vec<i64> = Vec::new();
    for m in &input.major_ids {
        if !major_ids.contains(m) {
            major_ids.push(*m);
        }
    }
    let quota = e.check(whole_in("quota", input.quota, 1, MAX_QUOTA, "quota_range"));
    let scholarships = scholarships(&mut e, &input.scholarships, input.quota);
    let employment = employment(&mut e, &input.employment);
    let courses = courses(&mut e, &input.courses);
    let weights = weights(&mut e, input.weights);
    match (class_name, quota, employment) {
        (Some(class_name), Some(quota), Some(employment)) if e.is_empty() => {
            Ok(Terms { class_name, major_ids, quota, scholarships, employment, courses, weights })
        }
        _ => Err(e),
    }
}

/// Largest score, in tenths of a point (100.0).
pub const MAX_SCORE_TENTHS: i64 = 1_000;

/// Parses an assessment score of 0 to 100 with at most one decimal (`85`, `85.5`) into tenths.
pub fn score_tenths(field: &str, input: &str) -> Result<i64, FieldError> {
    let s = input.trim();
    match parse_tenths(s) {
        Some(t) if t <= MAX_SCORE_TENTHS => Ok(t),
        _ => Err(range_error(
            field,
            "score_range",
            format!("成绩须为 0 到 100 之间的数，最多一位小数（score_range），收到“{s}”"),
            format!("The score must be a number from 0 to 100 with at most one decimal (score_range); got \"{s}\""),
        )),
    }
}

/// The composite score of one student, exactly, in thousandths of a point: each side's score
/// (tenths) times its weight (percent). `None` until both sides have scored.
pub fn composite_thousandths(w: AssessmentWeights, college: Option<i64>, enterprise: Option<i64>) -> Option<i64> {
    Some(college? * w.college + enterprise? * w.enterprise)
}

/// Thousandths of a point as text without trailing zeros: `87300` → `87.3`, `87345` → `87.345`.
pub fn format_thousandths(v: i64) -> String {
    crate::decimal::trimmed(v, 3)
}

/// The conversion rate: students with accepted employment at the sponsor ÷ students enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ConversionRate {
    pub employed: i64,
    pub enrolled: i64,
    /// The rate in tenths of a percent, rounded half up; `None` with nobody enrolled.
    pub permille: Option<i64>,
}

impl ConversionRate {
    /// The rate of `employed` out of `enrolled`, computed with integers only.
    pub fn of(employed: i64, enrolled: i64) -> ConversionRate {
        let permille = (enrolled > 0).then(|| (employed * 2000 + enrolled) / (2 * enrolled));
        ConversionRate { employed, enrolled, permille }
    }

    /// `3/5 (60.0%)`, or `0/0 (—)` with nobody enrolled.
    pub fn label(&self) -> String {
        match self.permille {
            Some(p) => format!("{}/{} ({}.{}%)", self.employed, self.enrolled, p / 10, p % 10),
            None => format!("{}/{} (—)", self.employed, self.enrolled),
        }
    }
}

/// Refuses a payment that would take a scholarship's total beyond amount × count.
pub fn within_scholarship_limit(field: &str, s: &Scholarship, paid: Fen, amount: Fen) -> Result<Fen, FieldError> {
    let limit = s.limit();
    let total = paid.checked_add(amount).unwrap_or(Fen(i64::MAX));
    if total <= limit {
        Ok(amount)
    } else {
        let left = limit.checked_sub(paid).unwrap_or(Fen(0));
        Err(range_error(
            field,
            "scholarship_limit",
            format!(
                "奖学金“{}”的发放总额不得超过 {} × {} 人 = {}；已发 {}，本次 {}，最多还可发 {}\
                 （scholarship_limit）",
                s.name,
                Fen(s.amount_fen).to_cny_string(),
                s.count,
                limit.to_cny_string(),
                paid.to_cny_string(),
                amount.to_cny_string(),
                left.to_cny_string()
            ),
            format!(
                "The scholarship \"{}\" pays at most {} × {} = {} in total; {} paid, {} now, at most {} \
                 left (scholarship_limit)",
                s.name,
                Fen(s.amount_fen).to_cny_string(),
                s.count,
                limit.to_cny_string(),
                paid.to_cny_string(),
                amount.to_cny_string(),
                left.to_cny_string()
            ),
        ))
    }
}

/// Refuses a payment that would give one student more than one award of a scholarship: "3 ×
/// ¥5,000" is ¥5,000 each to three students (in instalments if the enterprise likes), never
/// ¥15,000 to one of them.
pub fn within_student_award(
    field: &str,
    s: &Scholarship,
    paid_to_student: Fen,
    amount: Fen,
) -> Result<Fen, FieldError> {
    let award = Fen(s.amount_fen);
    let total = paid_to_student.checked_add(amount).unwrap_or(Fen(i64::MAX));
    if total <= award {
        return Ok(amount);
    }
    let left = award.checked_sub(paid_to_student).unwrap_or(Fen(0));
    Err(range_error(
        field,
        "scholarship_per_student",
        format!(
            "奖学金“{}”每名学生最多 {}；该生已领 {}，本次 {}，最多还可发 {}（scholarship_per_student）",
            s.name,
            award.to_cny_string(),
            paid_to_student.to_cny_string(),
            amount.to_cny_string(),
            left.to_cny_string()
        ),
        format!(
            "The scholarship \"{}\" pays each student at most {}; this student has had {}, {} now, at most {} \
             left (scholarship_per_student)",
            s.name,
            award.to_cny_string(),
            paid_to_student.to_cny_string(),
            amount.to_cny_string(),
            left.to_cny_string()
        ),
    ))
}

/// A positive payment amount in yuan for the ledger (at most one scholarship's maximum).
pub fn disbursement_amount(field: &str, input: &str) -> Result<Fen, FieldError> {
    positive_amount(field, input, MAX_SCHOLARSHIP_FEN).map(Fen)
}

#[cfg(test)]
mod tests;

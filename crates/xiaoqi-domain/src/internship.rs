//! The internship rules of 《职业学校学生实习管理规定》 (Ministry of Education and seven other
//! departments, 教职成〔2021〕4号, issued 2021-12-31; DESIGN.md §3), in one place.
//!
//! Every rule is a [`Rule`] that names its article; every number lives in a versioned
//! [`RuleSet`], so a province's implementing rules or a later revision can change a number
//! ([`RuleSet::with_overrides`]) and cite its own article. [`check`] lists what a step (offer a
//! place, place a student, start the internship) would break, each [`Violation`] with a bilingual
//! message that names the rule and its numbers; [`to_field_errors`] turns them into the
//! [`FieldError`]s with which the app refuses the step (422). [`compliance`] and [`summarize`]
//! feed the college's compliance view of all its placements.
//!
//! # Sources and how sure the article numbers are
//!
//! Read in the 2021 text (per-article copies, wechat.estsglobal.com/wechat/law_contents/342,
//! /348 and /350, updated 2024-11-19):
//! - 第二条: internships are 认识实习 and 岗位实习; 岗位实习 covers both assisting ("辅助") and
//!   relatively independent work, so the 2016 跟岗实习 (shadowing) is now part of 岗位实习.
//! - 第十六条(二): no school may arrange, and no enterprise accept, a student under 16 for a
//!   岗位实习.
//! - 第十八条: pay of a student doing relatively independent work is in principle at least 80% of
//!   the enterprise's wage standard for the same post or its lowest wage grade (the 2016 text said
//!   80% of the probation wage), paid in money at least monthly.
//!
//! Not read in the 2021 text; numbers given as best known and marked
//! [`ArticleCertainty::Inferred`] or [`ArticleCertainty::Unverified`] by
//! [`Rule::article_certainty`] (check them against the official text, gov.cn
//! `zhengce/zhengceku/2022-01/21/content_5669670.htm` or moe.gov.cn
//! `srcsite/A07/moe_737/s3876_qt/202201/t20220121_595529.html`, neither opened here):
//! - 第十七条 — working time: no high-risk work, no work on public holidays, no overtime or night
//!   shifts, unless the special needs of the programme and post are filed with the supervising
//!   authority. Inferred: it sits between the checked 第十六条 and 第十八条, as in 2016 (第十六条
//!   working time before 第十七条 pay).
//! - 第十条 — post internship generally 6 months, and interns at most 10% of the enterprise's staff
//!   and at most 20% of the staff of the same kind of post (2016: 第九条 shares, 第十条 duration).
//! - 第十三条 — the school, the enterprise and the student sign the agreement before a post
//!   internship; no agreement, no internship (2016: 第十二条).
//! - 第八条 — signed informed consent for a post internship the school arranges. The 2016 text
//!   (第十二条) asked the guardian's consent for students under 18; reports of the 2021 revision
//!   say consent of the student and the guardian (or parents) is now needed for every
//!   school-arranged post internship. The platform blocks the under-18 case and lets a rule set
//!   raise [`RuleSet::guardian_consent_below_age`] to require it for everyone.
//! - 第二十一条 — no deposit, training fee, pay commission, management fee or other fee; possibly
//!   第十九条–第二十一条 (2016: 第十九条).
//! - 第三十五条 — internship liability insurance (2016: 第三十五条).
//!
//! The kinds of the brief map onto the 2021 text like this: [`InternshipKind::Shadowing`] is a
//! 岗位实习 in an assisting role, [`InternshipKind::Post`] one with relatively independent work;
//! [`InternshipKind::Apprenticeship`] (现代学徒制 students) is treated as a post internship, except
//! that its length follows the programme and is not capped.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::money::Fen;
use crate::org::str_enum;
use crate::time::{Date, civil_from_days, days_from_civil};

/// The regulation the national rule set implements.
pub const REGULATION_ZH: &str = "《职业学校学生实习管理规定》（教职成〔2021〕4号）";
/// The regulation in English.
pub const REGULATION_EN: &str =
    "Provisions on the Administration of Internships of Vocational School Students (MOE et al., 2021)";

str_enum! {
    /// The kind of an internship place (DESIGN.md §2.2).
    InternshipKind {
        /// 认识实习: visiting and observing; managed like other off-campus activities.
        Cognitive = "cognitive", "认识实习", "Cognitive internship";
        /// 跟岗实习: assisting at a post under guidance (a 岗位实习 since 2021).
        Shadowing = "shadowing", "跟岗实习", "Shadowing internship";
        /// 岗位实习: relatively independent work at a post.
        Post = "post", "岗位实习", "Post internship";
        /// 现代学徒制: an enrolled student trained at a post by an enterprise master.
        Apprenticeship = "apprenticeship", "学徒（现代学徒制）", "Apprenticeship";
    }
}

impl InternshipKind {
    /// Whether the place is at a post (a 岗位实习 in the 2021 sense): shadowing, post internship
    /// or apprenticeship.
    pub fn is_at_a_post(self) -> bool {
        !matches!(self, InternshipKind::Cognitive)
    }
}

str_enum! {
    /// What is about to happen to a placement; later steps check more rules.
    Step {
        /// An enterprise offers a place (no student yet).
        Offer = "offer", "发布实习岗位", "Offer a place";
        /// A student is placed on it (directly or by the allocation).
        Place = "place", "安排学生", "Place a student";
        /// The internship starts.
        Start = "start", "开始实习", "Start the internship";
    }
}

str_enum! {
    /// How sure the article number of a rule is (see the module documentation).
    ArticleCertainty {
        /// Read in a copy of the 2021 text.
        Checked = "checked", "已核对条文", "Checked against the text";
        /// Not read, but placed between two checked articles in the 2016 order.
        Inferred = "inferred", "按相邻条文推定", "Inferred from the neighbouring articles";
        /// From recollection and the 2016 numbering; to be checked against the official text.
        Unverified = "unverified", "待核对", "To be checked";
    }
}

str_enum! {
    /// One rule of the regulation the platform enforces.
    Rule {
        /// The school, the enterprise and the student sign the agreement before a post internship.
        InternshipAgreement = "internship_agreement", "三方实习协议", "Tripartite internship agreement";
        /// A student under [`RuleSet::guardian_consent_below_age`] needs the guardian's signed
        /// informed consent.
        GuardianConsent = "guardian_consent", "监护人知情同意", "Guardian's informed consent";
        /// Nobody under [`RuleSet::min_age_shadowing_or_post`] at a post.
        MinimumAge = "minimum_age", "岗位实习最低年龄", "Minimum age at a post";
        /// Internship liability insurance in force for the whole internship.
        LiabilityInsurance = "liability_insurance", "实习责任保险", "Internship liability insurance";
        /// A post internship lasts at most [`RuleSet::post_internship_months`].
        PostInternshipDuration = "post_internship_duration", "岗位实习时长", "Length of a post internship";
        /// Interns at most [`RuleSet::max_interns_share_of_staff_pct`] of the enterprise's staff.
        EnterpriseInternShare = "enterprise_intern_share", "实习生占单位职工比例",
            "Interns' share of the enterprise's staff";
        /// Interns at most [`RuleSet::max_interns_share_of_post_pct`] of the post's staff.
        PostInternShare = "post_intern_share", "实习生占同类岗位比例", "Interns' share of a post's staff";
        /// Pay at least [`RuleSet::min_pay_share_of_post_wage_pct`] of the post's wage (or the
        /// lowest wage grade).
        MinimumPay = "minimum_pay", "岗位实习报酬下限", "Minimum post-internship pay";
        /// No fee or deposit of any kind charged to the student.
        NoFees = "no_fees", "不得收取实习费用", "No fees or deposits";
        /// No night shifts.
        NoNightShifts = "no_night_shifts", "不得安排夜班", "No night shifts";
        /// No overtime.
        NoOvertime = "no_overtime", "不得安排加班", "No overtime";
        /// No work on public holidays.
        NoHolidayWork = "no_holiday_work", "法定节假日不安排实习", "No work on public holidays";
        /// No high-risk work (heights, underground, radiation, toxic, flammable or explosive).
        NoHighRiskWork = "no_high_risk_work", "不得安排高风险实习", "No high-risk work";
    }
}

impl Rule {
    /// The stable snake_case code, used as [`FieldError::rule`].
    pub fn code(self) -> &'static str {
        self.as_str()
    }

    /// The rule's title in Chinese.
    pub fn title_zh(self) -> &'static str {
        self.label_zh()
    }

    /// The rule's title in English.
    pub fn title_en(self) -> &'static str {
        self.label_en()
    }

    /// The article of the 2021 national regulation, e.g. `第十八条`; see [`Rule::article_certainty`].
    pub fn article(self) -> &'static str {
        match self {
            Rule::GuardianConsent => "第八条",
            Rule::PostInternshipDuration | Rule::EnterpriseInternShare | Rule::PostInternShare => "第十条",
            Rule::InternshipAgreement => "第十三条",
            Rule::MinimumAge => "第十六条",
            Rule::NoNightShifts | Rule::NoOvertime | Rule::NoHolidayWork | Rule::NoHighRiskWork => "第十七条",
            Rule::MinimumPay => "第十八条",
            Rule::NoFees => "第二十一条",
            Rule::LiabilityInsurance => "第三十五条",
        }
    }

    /// The article in English, e.g. `art. 18`.
    pub fn article_en(self) -> &'static str {
        match self {
            Rule::GuardianConsent => "art. 8",
            Rule::PostInternshipDuration | Rule::EnterpriseInternShare | Rule::PostInternShare => "art. 10",
            Rule::InternshipAgreement => "art. 13",
            Rule::MinimumAge => "art. 16",
            Rule::NoNightShifts | Rule::NoOvertime | Rule::NoHolidayWork | Rule::NoHighRiskWork => "art. 17",
            Rule::MinimumPay => "art. 18",
            Rule::NoFees => "art. 21",
            Rule::LiabilityInsurance => "art. 35",
        }
    }

    /// How sure [`Rule::article`] is; only `Checked` numbers were read in the 2021 text.
    pub fn article_certainty(self) -> ArticleCertainty {
        match self {
            Rule::MinimumAge | Rule::MinimumPay => ArticleCertainty::Checked,
            Rule::NoNightShifts | Rule::NoOvertime | Rule::NoHolidayWork | Rule::NoHighRiskWork => {
                ArticleCertainty::Inferred
            }
            Rule::InternshipAgreement
            | Rule::GuardianConsent
            | Rule::LiabilityInsurance
            | Rule::PostInternshipDuration
            | Rule::EnterpriseInternShare
            | Rule::PostInternShare
            | Rule::NoFees => ArticleCertainty::Unverified,
        }
    }

    /// Whether the rule concerns a place of this kind.
    ///
    /// Fees and insurance concern every internship (the regulation speaks of all 实习学生); the
    /// length cap concerns shadowing and post internships (an apprenticeship runs with its
    /// programme); the pay floor concerns relatively independent work (post internship and
    /// apprenticeship); every other rule concerns every place at a post.
    pub fn applies_to(self, kind: InternshipKind) -> bool {
        use InternshipKind as K;
        match self {
            Rule::NoFees | Rule::LiabilityInsurance => true,
            Rule::PostInternshipDuration => matches!(kind, K::Shadowing | K::Post),
            Rule::MinimumPay => matches!(kind, K::Post | K::Apprenticeship),
            _ => kind.is_at_a_post(),
        }
    }

    /// The first step the rule blocks: the terms of a place at [`Step::Offer`], the student's age
    /// and consent at [`Step::Place`], the signed agreement and the insurance at [`Step::Start`].
    pub fn due_at(self) -> Step {
        match self {
            Rule::MinimumAge | Rule::GuardianConsent => Step::Place,
            Rule::InternshipAgreement | Rule::LiabilityInsurance => Step::Start,
            _ => Step::Offer,
        }
    }
}

/// An article as a rule set cites it, e.g. a province's own implementing rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    /// In Chinese, e.g. `《江苏省职业学校学生实习管理实施细则》第十条`.
    pub zh: String,
    /// In English, e.g. `Jiangsu rules, art. 10`.
    pub en: String,
}

/// The numbers of the rules, versioned: the national 2021 set or a province's or later year's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Version label, e.g. `moe-2021` or `js-2022`.
    pub version: String,
    /// `national` or a province's six-digit GB/T 2260 code such as `320000`.
    pub jurisdiction: String,
    /// Interns (at posts, at the same time) as a share of the enterprise's staff, in percent.
    pub max_interns_share_of_staff_pct: u32,
    /// Interns on one post as a share of that kind of post's staff, in percent.
    pub max_interns_share_of_post_pct: u32,
    /// Minimum age in full years on the first day of a place at a post.
    pub min_age_shadowing_or_post: u32,
    /// Below this age (on the first day) the guardian's signed informed consent is needed; set it
    /// above any real age (e.g. 150) to require consent for everyone, as the 2021 text may.
    pub guardian_consent_below_age: u32,
    /// Longest post internship in calendar months. The text says "一般为6个月" (generally six
    /// months); the platform refuses anything longer, and a rule set may allow more.
    pub post_internship_months: u32,
    /// Minimum pay as a share of the enterprise's wage for the same post, in percent.
    pub min_pay_share_of_post_wage_pct: u32,
    /// Articles this rule set cites instead of the national ones (none for the national set).
    #[serde(default)]
    pub citations: BTreeMap<Rule, Citation>,
}

/// Numbers (and citations) a province or a later revision changes on top of a base rule set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuleOverrides {
    /// Version label of the resulting rule set (required).
    pub version: String,
    /// Jurisdiction of the resulting rule set (required).
    pub jurisdiction: String,
    /// Replaces [`RuleSet::max_interns_share_of_staff_pct`].
    pub max_interns_share_of_staff_pct: Option<u32>,
    /// Replaces [`RuleSet::max_interns_share_of_post_pct`].
    pub max_interns_share_of_post_pct: Option<u32>,
    /// Replaces [`RuleSet::min_age_shadowing_or_post`].
    pub min_age_shadowing_or_post: Option<u32>,
    /// Replaces [`RuleSet::guardian_consent_below_age`].
    pub guardian_consent_below_age: Option<u32>,
    /// Replaces [`RuleSet::post_internship_months`].
    pub post_internship_months: Option<u32>,
    /// Replaces [`RuleSet::min_pay_share_of_post_wage_pct`].
    pub min_pay_share_of_post_wage_pct: Option<u32>,
    /// Citations added to (or replacing those of) the base set.
    #[serde(default)]
    pub citations: BTreeMap<Rule, Citation>,
}

impl RuleSet {
    /// The national rules of the 2021 regulation.
    pub fn national_2021() -> RuleSet {
        RuleSet {
            version: "moe-2021".to_string(),
            jurisdiction: "national".to_string(),
            max_interns_share_of_staff_pct: 10,
            max_interns_share_of_post_pct: 20,
            min_age_shadowing_or_post: 16,
            guardian_consent_below_age: 18,
            post_internship_months: 6,
            min_pay_share_of_post_wage_pct: 80,
            citations: BTreeMap::new(),
        }
    }

    /// This rule set with the overrides applied, validated.
    ///
    /// A province's rules normally only tighten the national ones, but a later revision may
    /// loosen them, so looser numbers are accepted; [`RuleSet::loosens`] lists them for review.
    pub fn with_overrides(&self, o: &RuleOverrides) -> Result<RuleSet, ValidationErrors> {
        let mut citations = self.citations.clone();
        citations.extend(o.citations.iter().map(|(r, c)| (*r, c.clone())));
        let set = RuleSet {
            version: o.version.trim().to_string(),
            jurisdiction: o.jurisdiction.trim().to_string(),
            max_interns_share_of_staff_pct: o
                .max_interns_share_of_staff_pct
                .unwrap_or(self.max_interns_share_of_staff_pct),
            max_interns_share_of_post_pct: o
                .max_interns_share_of_post_pct
                .unwrap_or(self.max_interns_share_of_post_pct),
            min_age_shadowing_or_post: o.min_age_shadowing_or_post.unwrap_or(self.min_age_shadowing_or_post),
            guardian_consent_below_age: o.guardian_consent_below_age.unwrap_or(self.guardian_consent_below_age),
            post_internship_months: o.post_internship_months.unwrap_or(self.post_internship_months),
            min_pay_share_of_post_wage_pct: o
                .min_pay_share_of_post_wage_pct
                .unwrap_or(self.min_pay_share_of_post_wage_pct),
            citations,
        };
        set.validate().map(|()| set)
    }

    /// Checks that the numbers are sane (e.g. after deserializing a stored rule set).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.check(crate::error::required_text("version", &self.version, 40).map(drop));
        let j = self.jurisdiction.as_str();
        let province = j.len() == 6 && j.bytes().all(|b| b.is_ascii_digit()) && j.ends_with("0000") && j != "000000";
        if j != "national" && !province {
            errors.push(FieldError::new(
                "jurisdiction",
                "rule_set_jurisdiction",
                format!("适用范围应为 national 或六位省级行政区划代码（如 320000），现为“{j}”"),
                format!("the jurisdiction must be national or a six-digit province code such as 320000, not \"{j}\""),
            ));
        }
        let ranges: [(&str, u32, u32, u32); 6] = [
            ("max_interns_share_of_staff_pct", self.max_interns_share_of_staff_pct, 1, 100),
            ("max_interns_share_of_post_pct", self.max_interns_share_of_post_pct, 1, 100),
            ("min_age_shadowing_or_post", self.min_age_shadowing_or_post, 14, 30),
            ("guardian_consent_below_age", self.guardian_consent_below_age, 0, 150),
            ("post_internship_months", self.post_internship_months, 1, 36),
            ("min_pay_share_of_post_wage_pct", self.min_pay_share_of_post_wage_pct, 0, 100),
        ];
        for (field, value, lo, hi) in ranges {
            if !(lo..=hi).contains(&value) {
                errors.push(FieldError::new(
                    field,
                    "rule_set_range",
                    format!("{field} 应在 {lo} 到 {hi} 之间，现为 {value}"),
                    format!("{field} must be between {lo} and {hi}, not {value}"),
                ));
            }
        }
        for (rule, c) in &self.citations {
            let base = format!("citations.{}", rule.code());
            errors.check(crate::error::required_text(&format!("{base}.zh"), &c.zh, 100).map(drop));
            errors.check(crate::error::required_text(&format!("{base}.en"), &c.en, 100).map(drop));
        }
        errors.into_result()
    }

    /// The names of the numbers in which this rule set is looser than `base`.
    pub fn loosens(&self, base: &RuleSet) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.max_interns_share_of_staff_pct > base.max_interns_share_of_staff_pct {
            out.push("max_interns_share_of_staff_pct");
        }
        if self.max_interns_share_of_post_pct > base.max_interns_share_of_post_pct {
            out.push("max_interns_share_of_post_pct");
        }
        if self.min_age_shadowing_or_post < base.min_age_shadowing_or_post {
            out.push("min_age_shadowing_or_post");
        }
        if self.guardian_consent_below_age < base.guardian_consent_below_age {
            out.push("guardian_consent_below_age");
        }
        if self.post_internship_months > base.post_internship_months {
            out.push("post_internship_months");
        }
        if self.min_pay_share_of_post_wage_pct < base.min_pay_share_of_post_wage_pct {
            out.push("min_pay_share_of_post_wage_pct");
        }
        out
    }

    /// The article this rule set cites for a rule, in Chinese and English.
    pub fn citation(&self, rule: Rule) -> (&str, &str) {
        self.citations.get(&rule).map_or((rule.article(), rule.article_en()), |c| (c.zh.as_str(), c.en.as_str()))
    }
}

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
    /// The student's date of birth (`None` at [`Step::Offer`], when no student is known).
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

/// One broken rule: which, under which article, on which field, and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The rule.
    pub rule: Rule,
    /// Its article as the rule set cites it, in Chinese.
    pub article: String,
    /// Its article in English.
    pub article_en: String,
    /// The [`Placement`] field at fault.
    pub field: &'static str,
    /// Message in Chinese, with the numbers.
    pub zh: String,
    /// Message in English, with the numbers.
    pub en: String,
}

impl Violation {
    /// The violation as a field error (rule = [`Rule::code`]).
    pub fn to_field_error(&self) -> FieldError {
        FieldError::new(self.field, self.rule.code(), self.zh.clone(), self.en.clone())
    }
}

/// All violations as field errors, to refuse the step with; empty when there are none.
pub fn to_field_errors(violations: &[Violation]) -> ValidationErrors {
    ValidationErrors(violations.iter().map(Violation::to_field_error).collect())
}

/// The rules `step` would break, in [`Rule::ALL`] order; empty when the step may go ahead.
pub fn check(rules: &RuleSet, p: &Placement, step: Step) -> Vec<Violation> {
    compliance(rules, p, step)
        .into_iter()
        .filter_map(|c| match c.status {
            RuleStatus::Violated(v) => Some(v),
            _ => None,
        })
        .collect()
}

/// [`check`] as a result for the app: the field errors of every violation, if any.
pub fn check_step(rules: &RuleSet, p: &Placement, step: Step) -> Result<(), ValidationErrors> {
    to_field_errors(&check(rules, p, step)).into_result()
}

/// Refuses an internship that ends before it starts (the form's error, not a rule's).
pub fn check_period(start: Date, end: Date) -> Result<(), FieldError> {
    if end < start {
        return Err(FieldError::new(
            "end",
            "date_order",
            format!("结束日期 {} 早于开始日期 {}", end.format(), start.format()),
            format!("the end date {} is before the start date {}", end.format(), start.format()),
        ));
    }
    Ok(())
}

/// Where a placement stands on one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "violation", rename_all = "snake_case")]
pub enum RuleStatus {
    /// The rule does not concern this kind of internship.
    NotApplicable,
    /// The rule is met.
    Met,
    /// The rule is broken and blocks the step reached.
    Violated(Violation),
    /// The rule is not met yet but only blocks a later step (e.g. the agreement before the start).
    Outstanding(Violation),
}

/// One line of the compliance view of a placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCheck {
    /// The rule.
    pub rule: Rule,
    /// Where the placement stands on it.
    pub status: RuleStatus,
}

/// Every rule's status for a placement that has reached `reached`, in [`Rule::ALL`] order.
pub fn compliance(rules: &RuleSet, p: &Placement, reached: Step) -> Vec<RuleCheck> {
    Rule::ALL
        .iter()
        .map(|&rule| {
            let status = if !rule.applies_to(p.kind) {
                RuleStatus::NotApplicable
            } else {
                match evaluate(rules, p, rule) {
                    None => RuleStatus::Met,
                    Some(v) if rule.due_at() <= reached => RuleStatus::Violated(v),
                    Some(v) => RuleStatus::Outstanding(v),
                }
            };
            RuleCheck { rule, status }
        })
        .collect()
}

/// Counts of one rule over many placements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    /// The rule.
    pub rule: Rule,
    /// Placements that break it.
    pub violated: u32,
    /// Placements that still have to meet it before a later step.
    pub outstanding: u32,
}

/// The college's overview of its placements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceSummary {
    /// Placements looked at.
    pub placements: u32,
    /// Placements that break no rule (they may still have outstanding ones).
    pub compliant: u32,
    /// Placements with at least one outstanding rule.
    pub with_outstanding: u32,
    /// Every rule, in [`Rule::ALL`] order.
    pub by_rule: Vec<RuleCount>,
}

/// Sums the compliance views ([`compliance`]) of many placements.
pub fn summarize<'a>(views: impl IntoIterator<Item = &'a [RuleCheck]>) -> ComplianceSummary {
    let mut by_rule: Vec<RuleCount> =
        Rule::ALL.iter().map(|&rule| RuleCount { rule, violated: 0, outstanding: 0 }).collect();
    let (mut placements, mut compliant, mut with_outstanding) = (0u32, 0u32, 0u32);
    for view in views {
        placements = placements.saturating_add(1);
        let (mut any_violated, mut any_outstanding) = (false, false);
        for c in view {
            let Some(count) = by_rule.iter_mut().find(|r| r.rule == c.rule) else { continue };
            match c.status {
                RuleStatus::Violated(_) => {
                    count.violated = count.violated.saturating_add(1);
                    any_violated = true;
                }
                RuleStatus::Outstanding(_) => {
                    count.outstanding = count.outstanding.saturating_add(1);
                    any_outstanding = true;
                }
                RuleStatus::NotApplicable | RuleStatus::Met => {}
            }
        }
        if !any_violated {
            compliant = compliant.saturating_add(1);
        }
        if any_outstanding {
            with_outstanding = with_outstanding.saturating_add(1);
        }
    }
    ComplianceSummary { placements, compliant, with_outstanding, by_rule }
}

/// The most interns a share allows: `floor(staff × pct / 100)`, so a 9-person firm gets none
/// under 10% and a 5-person post exactly one under 20% ("不超过" is a ceiling, never rounded up).
pub fn share_cap(staff: u32, pct: u32) -> u32 {
    let cap = u64::from(staff) * u64::from(pct) / 100;
    u32::try_from(cap).unwrap_or(u32::MAX)
}

/// How many more interns the enterprise may take on this post at the same time: the smaller of
/// what the enterprise share and the post share leave (zero when either is already full). The
/// allocation's capacities must respect it.
pub fn max_new_interns(
    rules: &RuleSet,
    staff: u32,
    post_staff: u32,
    current_at_enterprise: u32,
    current_at_post: u32,
) -> u32 {
    let enterprise = share_cap(staff, rules.max_interns_share_of_staff_pct).saturating_sub(current_at_enterprise);
    let post = share_cap(post_staff, rules.max_interns_share_of_post_pct).saturating_sub(current_at_post);
    enterprise.min(post)
}

/// Full years of age on `on` of someone born on `birth`; negative before the birth.
///
/// The birthday itself counts (on the 16th birthday one is 16). Someone born on 29 February is a
/// year older on 1 March in common years: the later of the two usual readings, which errs on the
/// protective side of both the minimum age and the guardian-consent age.
pub fn age_on(birth: Date, on: Date) -> i64 {
    let (by, bm, bd) = civil_from_days(birth.0);
    let (y, m, d) = civil_from_days(on.0);
    let years = y.saturating_sub(by);
    if (m, d) < birthday_in(y, bm, bd) { years.saturating_sub(1) } else { years }
}

/// The day someone born on `birth` reaches `years` full years (see [`age_on`]).
pub fn date_of_age(birth: Date, years: u32) -> Date {
    let (by, bm, bd) = civil_from_days(birth.0);
    let y = by.saturating_add(i64::from(years));
    let (m, d) = birthday_in(y, bm, bd);
    Date(days_from_civil(y, m, d))
}

/// The month and day of a birthday in `year`: 29 February becomes 1 March in common years.
fn birthday_in(year: i64, month: u32, day: u32) -> (u32, u32) {
    if (month, day) == (2, 29) && days_in_month(year, 2) == 28 { (3, 1) } else { (month, day) }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let first = days_from_civil(year, month, 1);
    let next =
        if month == 12 { days_from_civil(year.saturating_add(1), 1, 1) } else { days_from_civil(year, month + 1, 1) };
    u32::try_from(next.saturating_sub(first)).unwrap_or(31)
}

/// The last day of a period of `months` calendar months starting on `start` (inclusive).
///
/// The day before the same day of the month `months` later (1 March → 31 August for six months);
/// when that month has no such day, its last day (31 August → 28 February), in the manner of
/// 《民法典》第二百零二条 ("没有对应日的，月末日为期间的最后一日").
pub fn period_last_day(start: Date, months: u32) -> Date {
    let (y, m, d) = civil_from_days(start.0);
    let total = y.saturating_mul(12).saturating_add(i64::from(m) - 1).saturating_add(i64::from(months));
    let (ny, nm) = (total.div_euclid(12), u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1);
    let dim = days_in_month(ny, nm);
    if d <= dim { Date(days_from_civil(ny, nm, d).saturating_sub(1)) } else { Date(days_from_civil(ny, nm, dim)) }
}

/// `ceil(amount × pct / 100)` in fen (at least zero), the least pay that is `pct` of `amount`.
fn share_of_fen(amount: Fen, pct: u32) -> Fen {
    let v = (i128::from(amount.0.max(0)) * i128::from(pct) + 99) / 100;
    Fen(i64::try_from(v).unwrap_or(i64::MAX))
}

/// The violation of one rule by a placement, if any, whatever the step.
fn evaluate(rules: &RuleSet, p: &Placement, rule: Rule) -> Option<Violation> {
    let (cite_zh, cite_en) = rules.citation(rule);
    let violation = |field: &'static str, head: (String, String), detail: (String, String)| Violation {
        rule,
        article: cite_zh.to_string(),
        article_en: cite_en.to_string(),
        field,
        zh: format!("{}（{cite_zh}）：{}", head.0, detail.0),
        en: format!("{} ({cite_en}): {}", head.1, detail.1),
    };
    let (start, end) = (p.start.format(), p.end.format());
    let age = p.student_birth_date.map(|b| age_on(b, p.start));
    match rule {
        Rule::InternshipAgreement => {
            let parties = [
                ("学校", "school", p.agreement.school_signed),
                ("实习单位", "enterprise", p.agreement.enterprise_signed),
                ("学生", "student", p.agreement.student_signed),
            ];
            let missing: Vec<_> = parties.iter().filter(|(_, _, s)| s.is_none()).collect();
            let late: Vec<_> = parties.iter().filter(|(_, _, s)| s.is_some_and(|d| d > p.start)).collect();
            if missing.is_empty() && late.is_empty() {
                return None;
            }
            let mut zh = Vec::new();
            let mut en = Vec::new();
            if !missing.is_empty() {
                zh.push(format!("尚缺{}签字", missing.iter().map(|x| x.0).collect::<Vec<_>>().join("、")));
                en.push(format!("missing signatures: {}", missing.iter().map(|x| x.1).collect::<Vec<_>>().join(", ")));
            }
            for (pz, pe, signed) in late {
                let d = signed.map(|d| d.format()).unwrap_or_default();
                zh.push(format!("{pz}签字日期 {d} 晚于实习开始日 {start}"));
                en.push(format!("the {pe} signed on {d}, after the start on {start}"));
            }
            Some(violation(
                "agreement",
                (
                    "岗位实习前须由学校、实习单位、学生三方签订实习协议".to_string(),
                    "the school, the enterprise and the student must sign the internship agreement before a post \
                     internship"
                        .to_string(),
                ),
                (zh.join("；"), en.join("; ")),
            ))
        }
        Rule::GuardianConsent => {
            let n = rules.guardian_consent_below_age;
            let head = (
                format!("未满 {n} 周岁的学生参加岗位实习须取得监护人签字的知情同意书"),
                format!("a student under {n} needs the guardian's signed informed consent for a post internship"),
            );
            match (age, p.guardian_consent) {
                (Some(a), _) if a >= i64::from(n) => None,
                (_, Some(d)) if d <= p.start => None,
                (_, Some(d)) => Some(violation(
                    "guardian_consent",
                    head,
                    (
                        format!("知情同意书签署于 {}，晚于实习开始日 {start}", d.format()),
                        format!("the consent was signed on {}, after the start on {start}", d.format()),
                    ),
                )),
                (Some(a), None) => Some(violation(
                    "guardian_consent",
                    head,
                    (
                        format!("学生在实习开始日 {start} 为 {a} 周岁，尚无监护人知情同意书"),
                        format!("the student is {a} on the start date {start} and no consent is on file"),
                    ),
                )),
                (None, None) => Some(violation(
                    "guardian_consent",
                    head,
                    (
                        "学生出生日期未填写，且无监护人知情同意书".to_string(),
                        "the student's birth date is missing and no consent is on file".to_string(),
                    ),
                )),
            }
        }
        Rule::MinimumAge => {
            let n = rules.min_age_shadowing_or_post;
            let head = (
                format!("不得安排未满 {n} 周岁的学生跟岗实习或岗位实习"),
                format!("no student under {n} may do a shadowing or post internship"),
            );
            match (p.student_birth_date, age) {
                (Some(_), Some(a)) if a >= i64::from(n) => None,
                (Some(b), Some(a)) => {
                    let turns = date_of_age(b, n).format();
                    Some(violation(
                        "student_birth_date",
                        head,
                        (
                            format!("学生在实习开始日 {start} 为 {a} 周岁，{turns} 方满 {n} 周岁"),
                            format!("the student is {a} on the start date {start} and turns {n} on {turns}"),
                        ),
                    ))
                }
                _ => Some(violation(
                    "student_birth_date",
                    head,
                    (
                        "学生出生日期未填写，无法核对年龄".to_string(),
                        "the student's birth date is missing, so the age cannot be checked".to_string(),
                    ),
                )),
            }
        }
        Rule::LiabilityInsurance => {
            let head = (
                "实习责任保险须覆盖整个实习期间".to_string(),
                "internship liability insurance must be in force for the whole internship".to_string(),
            );
            match p.insurance {
                Some((from, to)) if from <= p.start && to >= p.end => None,
                Some((from, to)) => Some(violation(
                    "insurance",
                    head,
                    (
                        format!("保险期间 {} 至 {} 未覆盖实习期间 {start} 至 {end}", from.format(), to.format()),
                        format!(
                            "the cover from {} to {} does not span the internship from {start} to {end}",
                            from.format(),
                            to.format()
                        ),
                    ),
                )),
                None => Some(violation(
                    "insurance",
                    head,
                    ("未登记实习责任保险".to_string(), "no liability insurance is recorded".to_string()),
                )),
            }
        }
        Rule::PostInternshipDuration => {
            let n = rules.post_internship_months;
            let last = period_last_day(p.start, n);
            (p.end > last).then(|| {
                violation(
                    "end",
                    (format!("岗位实习时间不超过 {n} 个月"), format!("a post internship lasts at most {n} months")),
                    (
                        format!("自 {start} 开始最迟应于 {} 结束，现结束日为 {end}", last.format()),
                        format!("starting on {start} it must end by {}, but ends on {end}", last.format()),
                    ),
                )
            })
        }
        Rule::EnterpriseInternShare => {
            let pct = rules.max_interns_share_of_staff_pct;
            let cap = share_cap(p.enterprise_staff, pct);
            (p.interns_at_enterprise >= cap).then(|| {
                violation(
                    "interns_at_enterprise",
                    (
                        format!("实习学生人数将超过实习单位在岗职工总数的 {pct}%"),
                        format!("interns would exceed {pct}% of the enterprise's staff"),
                    ),
                    (
                        format!(
                            "在岗职工 {} 人，至多 {cap} 名实习学生，已有 {} 名",
                            p.enterprise_staff, p.interns_at_enterprise
                        ),
                        format!(
                            "{} staff allow at most {cap} interns and {} are already placed",
                            p.enterprise_staff, p.interns_at_enterprise
                        ),
                    ),
                )
            })
        }
        Rule::PostInternShare => {
            let pct = rules.max_interns_share_of_post_pct;
            let cap = share_cap(p.post_staff, pct);
            (p.interns_at_post >= cap).then(|| {
                violation(
                    "interns_at_post",
                    (
                        format!("该岗位实习学生人数将超过同类岗位在岗职工总人数的 {pct}%"),
                        format!("interns on this post would exceed {pct}% of the post's staff"),
                    ),
                    (
                        format!(
                            "同类岗位在岗职工 {} 人，至多 {cap} 名实习学生，已有 {} 名",
                            p.post_staff, p.interns_at_post
                        ),
                        format!(
                            "{} staff on the post allow at most {cap} interns and {} are already placed",
                            p.post_staff, p.interns_at_post
                        ),
                    ),
                )
            })
        }
        Rule::MinimumPay => {
            let pct = rules.min_pay_share_of_post_wage_pct;
            let floor = share_of_fen(p.post_wage, pct);
            let by_share = p.post_wage.0 > 0 && p.monthly_pay >= floor;
            let by_grade = p.lowest_wage_grade.is_some_and(|g| g.0 > 0 && p.monthly_pay >= g);
            if by_share || by_grade {
                return None;
            }
            let head = (
                format!("岗位实习报酬原则上不低于本单位相同岗位工资标准的 {pct}% 或最低档工资标准"),
                format!("post-internship pay must be at least {pct}% of the same post's wage or the lowest wage grade"),
            );
            let grade = p.lowest_wage_grade.filter(|g| g.0 > 0);
            let detail = if p.post_wage.0 <= 0 && grade.is_none() {
                ("未填写相同岗位工资标准".to_string(), "the same post's wage is missing".to_string())
            } else {
                let mut zh =
                    format!("相同岗位工资 {} 元的 {pct}% 为 {floor} 元，现为 {} 元", p.post_wage, p.monthly_pay);
                let mut en = format!(
                    "{pct}% of the post's wage of {} yuan is {floor} yuan; the pay is {} yuan",
                    p.post_wage, p.monthly_pay
                );
                if let Some(g) = grade {
                    zh.push_str(&format!("，最低档工资标准为 {g} 元"));
                    en.push_str(&format!("; the lowest wage grade is {g} yuan"));
                }
                (zh, en)
            };
            Some(violation("monthly_pay", head, detail))
        }
        Rule::NoFees => (p.fees_charged.0 > 0).then(|| {
            violation(
                "fees_charged",
                (
                    "不得向学生收取实习押金、培训费、实习报酬提成、管理费或其他任何形式的实习费用".to_string(),
                    "no deposit, training fee, commission on pay, management fee or other internship fee may be \
                     charged to the student"
                        .to_string(),
                ),
                (format!("现收取 {} 元", p.fees_charged), format!("{} yuan is charged", p.fees_charged)),
            )
        }),
        Rule::NoNightShifts | Rule::NoOvertime | Rule::NoHolidayWork | Rule::NoHighRiskWork => {
            let (flag, field, zh, en) = match rule {
                Rule::NoNightShifts => {
                    (p.night_shifts, "night_shifts", "不得安排学生上夜班", "interns may not work night shifts")
                }
                Rule::NoOvertime => (p.overtime, "overtime", "不得安排学生加班", "interns may not work overtime"),
                Rule::NoHolidayWork => (
                    p.holiday_work,
                    "holiday_work",
                    "不得安排学生在法定节假日实习",
                    "interns may not work on public holidays",
                ),
                _ => (
                    p.high_risk_work,
                    "high_risk_work",
                    "不得安排学生从事高空、井下、放射性、有毒、易燃易爆等较高安全风险的实习",
                    "interns may not do work at heights, underground, with radiation, toxic, flammable or explosive \
                     materials or of other high safety risk",
                ),
            };
            (flag && !p.working_time_exception_filed).then(|| {
                violation(
                    field,
                    (zh.to_string(), en.to_string()),
                    (
                        "岗位安排如此，且未就专业和岗位的特殊要求报上级主管部门备案".to_string(),
                        "the post is scheduled so and no exception for the programme's special needs is filed with the \
                         supervising authority"
                            .to_string(),
                    ),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i64, m: u32, day: u32) -> Date {
        Date(days_from_civil(y, m, day))
    }

    fn national() -> RuleSet {
        RuleSet::national_2021()
    }

    /// A post internship that meets every rule: 2026-03-01 to 2026-08-31, a student of 19.
    fn good(kind: InternshipKind) -> Placement {
        let signed = Some(d(2026, 2, 20));
        Placement {
            student_birth_date: Some(d(2007, 1, 10)),
            agreement: Agreement { school_signed: signed, enterprise_signed: signed, student_signed: signed },
            insurance: Some((d(2026, 3, 1), d(2026, 8, 31))),
            enterprise_staff: 100,
            post_staff: 10,
            monthly_pay: Fen(400_000),
            post_wage: Fen(500_000),
            ..Placement::new(kind, d(2026, 3, 1), d(2026, 8, 31))
        }
    }

    fn rules_broken(rules: &RuleSet, p: &Placement, step: Step) -> Vec<Rule> {
        check(rules, p, step).iter().map(|v| v.rule).collect()
    }

    fn breaks(p: &Placement, rule: Rule) -> bool {
        rules_broken(&national(), p, Step::Start).contains(&rule)
    }

    #[test]
    fn every_rule_has_an_article_a_code_and_bilingual_titles() {
        let mut codes = std::collections::BTreeSet::new();
        for &r in Rule::ALL {
            assert!(r.article().starts_with('第') && r.article().ends_with('条'), "{r:?}");
            assert!(r.article_en().starts_with("art. "), "{r:?}");
            assert!(!r.title_zh().is_empty() && !r.title_zh().is_ascii(), "{r:?}");
            assert!(!r.title_en().is_empty() && r.title_en().is_ascii(), "{r:?}");
            assert!(r.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{r:?}");
            assert!(codes.insert(r.code()), "duplicate code {}", r.code());
            assert_eq!(Rule::parse(r.code()), Some(r));
            assert_eq!(national().citation(r), (r.article(), r.article_en()));
        }
        assert_eq!(Rule::MinimumAge.article(), "第十六条");
        assert_eq!(Rule::MinimumPay.article(), "第十八条");
        assert_eq!(Rule::MinimumAge.article_certainty(), ArticleCertainty::Checked);
        assert_eq!(Rule::NoFees.article_certainty(), ArticleCertainty::Unverified);
    }

    #[test]
    fn the_national_rule_set_has_the_regulations_numbers() {
        let r = national();
        assert_eq!((r.version.as_str(), r.jurisdiction.as_str()), ("moe-2021", "national"));
        assert_eq!(r.max_interns_share_of_staff_pct, 10);
        assert_eq!(r.max_interns_share_of_post_pct, 20);
        assert_eq!(r.min_age_shadowing_or_post, 16);
        assert_eq!(r.guardian_consent_below_age, 18);
        assert_eq!(r.post_internship_months, 6);
        assert_eq!(r.min_pay_share_of_post_wage_pct, 80);
        assert_eq!(r.validate(), Ok(()));
        assert!(r.citations.is_empty());
    }

    #[test]
    fn a_compliant_placement_passes_every_step() {
        for kind in [InternshipKind::Shadowing, InternshipKind::Post, InternshipKind::Apprenticeship] {
            for &step in Step::ALL {
                assert_eq!(check(&national(), &good(kind), step), vec![], "{kind:?} {step:?}");
            }
        }
        let cognitive = Placement { enterprise_staff: 0, ..good(InternshipKind::Cognitive) };
        assert_eq!(check(&national(), &cognitive, Step::Start), vec![]);
        assert_eq!(check_step(&national(), &good(InternshipKind::Post), Step::Start), Ok(()));
    }

    #[test]
    fn interns_may_be_at_most_ten_percent_of_the_enterprises_staff() {
        let rules = national();
        assert_eq!(max_new_interns(&rules, 100, 1000, 0, 0), 10);
        let tenth = Placement { interns_at_enterprise: 9, ..good(InternshipKind::Post) };
        assert!(!breaks(&tenth, Rule::EnterpriseInternShare));
        let eleventh = Placement { interns_at_enterprise: 10, ..good(InternshipKind::Post) };
        let v = check(&rules, &eleventh, Step::Offer);
        assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), vec![Rule::EnterpriseInternShare]);
        assert_eq!(
            (v[0].field, v[0].article.as_str(), v[0].article_en.as_str()),
            ("interns_at_enterprise", "第十条", "art. 10")
        );
        assert!(v[0].zh.starts_with("实习学生人数将超过实习单位在岗职工总数的 10%（第十条）"), "{}", v[0].zh);
        assert!(v[0].zh.contains("在岗职工 100 人，至多 10 名"), "{}", v[0].zh);
        assert!(v[0].en.starts_with("interns would exceed 10% of the enterprise's staff (art. 10)"), "{}", v[0].en);
        // Rounding is down: a 9-person firm may take no intern, a 19-person firm one.
        assert_eq!(share_cap(9, 10), 0);
        assert_eq!(share_cap(19, 10), 1);
        assert!(breaks(&Placement { enterprise_staff: 9, ..good(InternshipKind::Post) }, Rule::EnterpriseInternShare));
    }

    #[test]
    fn interns_may_be_at_most_twenty_percent_of_a_posts_staff() {
        let rules = national();
        assert_eq!(max_new_interns(&rules, 1000, 5, 0, 0), 1);
        assert_eq!(max_new_interns(&rules, 1000, 4, 0, 0), 0);
        assert_eq!(max_new_interns(&rules, 1000, 10, 0, 0), 2);
        let first = Placement { post_staff: 5, ..good(InternshipKind::Post) };
        assert!(!breaks(&first, Rule::PostInternShare));
        let second = Placement { post_staff: 5, interns_at_post: 1, ..good(InternshipKind::Post) };
        let v = check(&rules, &second, Step::Place);
        assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), vec![Rule::PostInternShare]);
        assert!(v[0].zh.contains("同类岗位在岗职工总人数的 20%") && v[0].zh.contains("至多 1 名"), "{}", v[0].zh);
        assert!(v[0].en.contains("20% of the post's staff"), "{}", v[0].en);
        // Shadowing counts against the shares too; a cognitive visit does not.
        assert!(breaks(&Placement { post_staff: 4, ..good(InternshipKind::Shadowing) }, Rule::PostInternShare));
        let visit = Placement { post_staff: 4, enterprise_staff: 0, ..good(InternshipKind::Cognitive) };
        assert!(!breaks(&visit, Rule::PostInternShare) && !breaks(&visit, Rule::EnterpriseInternShare));
    }

    #[test]
    fn the_capacity_is_the_smaller_share_and_never_negative() {
        let rules = national();
        assert_eq!(max_new_interns(&rules, 100, 50, 3, 0), 7);
        assert_eq!(max_new_interns(&rules, 100, 50, 3, 8), 2);
        assert_eq!(max_new_interns(&rules, 100, 50, 12, 0), 0);
        assert_eq!(max_new_interns(&rules, u32::MAX, u32::MAX, 0, 0), u32::MAX / 10);
    }

    #[test]
    fn pay_must_reach_eighty_percent_of_the_posts_wage_exactly_in_fen() {
        let at = |pay: i64, wage: i64| Placement {
            monthly_pay: Fen(pay),
            post_wage: Fen(wage),
            ..good(InternshipKind::Post)
        };
        assert!(breaks(&at(799_900, 1_000_000), Rule::MinimumPay), "79.99% is refused");
        assert!(breaks(&at(799_999, 1_000_000), Rule::MinimumPay), "one fen short is refused");
        assert!(!breaks(&at(800_000, 1_000_000), Rule::MinimumPay), "80% is accepted");
        // 80% of 3,333.33 yuan is 2,666.664 yuan: 2,666.66 is short, 2,666.67 is enough.
        assert!(breaks(&at(266_666, 333_333), Rule::MinimumPay));
        assert!(!breaks(&at(266_667, 333_333), Rule::MinimumPay));
        let v = check(&national(), &at(799_900, 1_000_000), Step::Offer);
        assert_eq!(v[0].field, "monthly_pay");
        assert!(
            v[0].zh.contains("（第十八条）") && v[0].zh.contains("10,000.00 元的 80% 为 8,000.00 元，现为 7,999.00 元")
        );
        assert!(v[0].en.contains("(art. 18)") && v[0].en.contains("80% of the post's wage of 10,000.00 yuan"));
        // The lowest wage grade is the other floor the text allows.
        let graded = Placement { lowest_wage_grade: Some(Fen(700_000)), ..at(700_000, 1_000_000) };
        assert!(!breaks(&graded, Rule::MinimumPay));
        assert!(breaks(&Placement { lowest_wage_grade: Some(Fen(700_001)), ..graded.clone() }, Rule::MinimumPay));
        // A missing wage cannot pass the rule; a shadowing or cognitive place has no pay floor.
        let unknown = at(500_000, 0);
        assert!(breaks(&unknown, Rule::MinimumPay));
        assert!(check(&national(), &unknown, Step::Offer)[0].zh.contains("未填写相同岗位工资标准"));
        assert!(!breaks(&Placement { monthly_pay: Fen(0), ..good(InternshipKind::Shadowing) }, Rule::MinimumPay));
        assert!(breaks(&Placement { monthly_pay: Fen(0), ..good(InternshipKind::Apprenticeship) }, Rule::MinimumPay));
    }

    #[test]
    fn nobody_under_sixteen_at_a_post() {
        let born = d(2010, 3, 15);
        let on = |kind: InternshipKind, start: Date| Placement {
            student_birth_date: Some(born),
            guardian_consent: Some(d(2026, 1, 1)),
            ..Placement::new(kind, start, d(2026, 8, 31))
        };
        for kind in [InternshipKind::Shadowing, InternshipKind::Post, InternshipKind::Apprenticeship] {
            let day_before = on(kind, d(2026, 3, 14)); // 15 years and 364 days
            assert_eq!(age_on(born, day_before.start), 15);
            assert!(rules_broken(&national(), &day_before, Step::Place).contains(&Rule::MinimumAge), "{kind:?}");
            let birthday = on(kind, d(2026, 3, 15));
            assert!(!rules_broken(&national(), &birthday, Step::Place).contains(&Rule::MinimumAge), "{kind:?}");
        }
        let v = check(&national(), &on(InternshipKind::Post, d(2026, 3, 14)), Step::Place);
        let age =
            v.iter().find(|v| v.rule == Rule::MinimumAge).map(|v| (v.zh.clone(), v.en.clone())).unwrap_or_default();
        assert!(
            age.0.contains("未满 16 周岁")
                && age.0.contains("（第十六条）")
                && age.0.contains("2026-03-15 方满 16 周岁")
        );
        assert!(age.1.contains("under 16") && age.1.contains("turns 16 on 2026-03-15"));
        // A cognitive visit has no minimum age; the age is not asked before a student is placed.
        assert!(
            !rules_broken(&national(), &on(InternshipKind::Cognitive, d(2026, 3, 14)), Step::Start)
                .contains(&Rule::MinimumAge)
        );
        let offer = Placement::new(InternshipKind::Post, d(2026, 3, 1), d(2026, 8, 31));
        assert!(!rules_broken(&national(), &offer, Step::Offer).contains(&Rule::MinimumAge));
        assert!(rules_broken(&national(), &offer, Step::Place).contains(&Rule::MinimumAge), "unknown age is refused");
    }

    #[test]
    fn ages_follow_birthdays_including_the_twenty_ninth_of_february() {
        let leapling = d(2008, 2, 29);
        assert_eq!(age_on(leapling, leapling), 0);
        assert_eq!(age_on(leapling, d(2024, 2, 28)), 15);
        assert_eq!(age_on(leapling, d(2024, 2, 29)), 16);
        assert_eq!(age_on(leapling, d(2025, 2, 28)), 16);
        assert_eq!(age_on(leapling, d(2025, 3, 1)), 17);
        assert_eq!(age_on(leapling, d(2026, 2, 28)), 17);
        assert_eq!(age_on(leapling, d(2026, 3, 1)), 18);
        assert_eq!(date_of_age(leapling, 18), d(2026, 3, 1));
        assert_eq!(date_of_age(leapling, 16), d(2024, 2, 29));
        assert_eq!(age_on(d(2000, 12, 31), d(2001, 12, 30)), 0);
        assert_eq!(age_on(d(2000, 12, 31), d(2001, 12, 31)), 1);
        assert_eq!(age_on(d(2000, 1, 1), d(1999, 12, 31)), -1);
        assert!(age_on(Date(i64::MIN), Date(i64::MAX)) > 0, "extreme dates do not panic");
    }

    #[test]
    fn guardian_consent_is_needed_at_seventeen_but_not_at_eighteen() {
        let at_age = |birth: Date, consent: Option<Date>| Placement {
            student_birth_date: Some(birth),
            guardian_consent: consent,
            ..good(InternshipKind::Post)
        };
        let seventeen = d(2008, 3, 2); // turns 18 the day after the start, 2026-03-01
        let eighteen = d(2008, 3, 1);
        assert!(rules_broken(&national(), &at_age(seventeen, None), Step::Place).contains(&Rule::GuardianConsent));
        assert!(!breaks(&at_age(eighteen, None), Rule::GuardianConsent));
        assert!(!breaks(&at_age(seventeen, Some(d(2026, 2, 1))), Rule::GuardianConsent));
        assert!(!breaks(&at_age(seventeen, Some(d(2026, 3, 1))), Rule::GuardianConsent), "signed on the first day");
        let late = at_age(seventeen, Some(d(2026, 3, 2)));
        assert!(breaks(&late, Rule::GuardianConsent));
        let v = check(&national(), &at_age(seventeen, None), Step::Place);
        let c = v.iter().find(|v| v.rule == Rule::GuardianConsent).map(|v| (v.field, v.zh.clone(), v.en.clone()));
        let (field, zh, en) = c.unwrap_or_default();
        assert_eq!(field, "guardian_consent");
        assert!(zh.contains("未满 18 周岁") && zh.contains("（第八条）") && zh.contains("为 17 周岁"), "{zh}");
        assert!(en.contains("under 18") && en.contains("is 17"), "{en}");
        // Unknown age without consent is refused; a rule set may ask consent of everyone.
        let unknown = Placement { student_birth_date: None, ..good(InternshipKind::Post) };
        assert!(breaks(&unknown, Rule::GuardianConsent));
        let everyone = national()
            .with_overrides(&RuleOverrides {
                version: "all-consent".into(),
                jurisdiction: "national".into(),
                guardian_consent_below_age: Some(150),
                ..RuleOverrides::default()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(rules_broken(&everyone, &at_age(eighteen, None), Step::Place).contains(&Rule::GuardianConsent));
    }

    #[test]
    fn liability_insurance_must_cover_the_whole_internship() {
        let covered = |from: Date, to: Date| Placement { insurance: Some((from, to)), ..good(InternshipKind::Post) };
        assert!(!breaks(&covered(d(2026, 3, 1), d(2026, 8, 31)), Rule::LiabilityInsurance));
        assert!(!breaks(&covered(d(2026, 1, 1), d(2026, 12, 31)), Rule::LiabilityInsurance));
        let short = covered(d(2026, 3, 1), d(2026, 8, 30));
        assert!(breaks(&short, Rule::LiabilityInsurance), "ending one day before the end is refused");
        assert!(breaks(&covered(d(2026, 3, 2), d(2026, 8, 31)), Rule::LiabilityInsurance), "starting a day late");
        let none = Placement { insurance: None, ..good(InternshipKind::Cognitive) };
        assert!(breaks(&none, Rule::LiabilityInsurance), "every kind of internship is insured");
        let v = check(&national(), &short, Step::Start);
        assert_eq!(v.len(), 1);
        assert!(v[0].zh.contains("（第三十五条）") && v[0].zh.contains("2026-03-01 至 2026-08-30"), "{}", v[0].zh);
        assert!(v[0].en.contains("does not span the internship from 2026-03-01 to 2026-08-31"), "{}", v[0].en);
        // Insurance is due when the internship starts, not when it is offered or filled.
        assert_eq!(check(&national(), &none, Step::Place), vec![]);
    }

    #[test]
    fn a_post_internship_lasts_at_most_six_months() {
        let until = |start: Date, end: Date| Placement {
            start,
            end,
            insurance: Some((start, end)),
            ..good(InternshipKind::Post)
        };
        assert!(!breaks(&until(d(2026, 3, 1), d(2026, 8, 31)), Rule::PostInternshipDuration));
        let one_day_more = until(d(2026, 3, 1), d(2026, 9, 1));
        assert!(breaks(&one_day_more, Rule::PostInternshipDuration), "six months and a day is refused");
        let v = check(&national(), &one_day_more, Step::Offer);
        assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), vec![Rule::PostInternshipDuration]);
        assert!(
            v[0].zh.contains("不超过 6 个月（第十条）") && v[0].zh.contains("最迟应于 2026-08-31 结束"),
            "{}",
            v[0].zh
        );
        assert!(v[0].en.contains("at most 6 months (art. 10)") && v[0].en.contains("must end by 2026-08-31"));
        // Month ends: a start on the 31st ends by the last day of the sixth month.
        assert_eq!(period_last_day(d(2026, 8, 31), 6), d(2027, 2, 28));
        assert_eq!(period_last_day(d(2027, 8, 31), 6), d(2028, 2, 29));
        assert_eq!(period_last_day(d(2026, 8, 28), 6), d(2027, 2, 27));
        assert_eq!(period_last_day(d(2026, 1, 31), 6), d(2026, 7, 30));
        assert_eq!(period_last_day(d(2026, 9, 15), 6), d(2027, 3, 14));
        assert!(!breaks(&until(d(2026, 8, 31), d(2027, 2, 28)), Rule::PostInternshipDuration));
        assert!(breaks(&until(d(2026, 8, 31), d(2027, 3, 1)), Rule::PostInternshipDuration));
        // Shadowing is capped too; an apprenticeship runs with its programme.
        let long = |kind| Placement { kind, ..until(d(2026, 3, 1), d(2027, 6, 30)) };
        assert!(breaks(&long(InternshipKind::Shadowing), Rule::PostInternshipDuration));
        assert!(!breaks(&long(InternshipKind::Apprenticeship), Rule::PostInternshipDuration));
        assert_eq!(check_period(d(2026, 3, 1), d(2026, 3, 1)), Ok(()));
        assert_eq!(check_period(d(2026, 3, 2), d(2026, 3, 1)).map_err(|e| e.rule), Err("date_order"));
    }

    #[test]
    fn the_three_parties_sign_the_agreement_before_the_start() {
        let signed = Some(d(2026, 2, 1));
        let with = |school, enterprise, student| Placement {
            agreement: Agreement { school_signed: school, enterprise_signed: enterprise, student_signed: student },
            ..good(InternshipKind::Post)
        };
        assert!(!breaks(&with(signed, signed, signed), Rule::InternshipAgreement));
        assert!(!breaks(&with(signed, signed, Some(d(2026, 3, 1))), Rule::InternshipAgreement), "on the first day");
        for p in [with(None, signed, signed), with(signed, None, signed), with(signed, signed, None)] {
            assert!(breaks(&p, Rule::InternshipAgreement));
        }
        let v = check(&national(), &with(None, signed, None), Step::Start);
        assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), vec![Rule::InternshipAgreement]);
        assert!(v[0].zh.contains("（第十三条）") && v[0].zh.contains("尚缺学校、学生签字"), "{}", v[0].zh);
        assert!(v[0].en.contains("missing signatures: school, student"), "{}", v[0].en);
        let late = check(&national(), &with(signed, Some(d(2026, 3, 2)), signed), Step::Start);
        assert!(late[0].zh.contains("实习单位签字日期 2026-03-02 晚于实习开始日 2026-03-01"), "{}", late[0].zh);
        // Due at the start only; a cognitive visit needs none.
        assert_eq!(check(&national(), &with(None, None, None), Step::Place), vec![]);
        let visit =
            Placement { agreement: Agreement::default(), enterprise_staff: 0, ..good(InternshipKind::Cognitive) };
        assert!(!breaks(&visit, Rule::InternshipAgreement));
    }

    #[test]
    fn no_fee_or_deposit_of_any_amount() {
        let charged = |fen: i64, kind| Placement { fees_charged: Fen(fen), ..good(kind) };
        assert!(!breaks(&charged(0, InternshipKind::Post), Rule::NoFees));
        assert!(breaks(&charged(1, InternshipKind::Post), Rule::NoFees), "one fen is a fee");
        let v = check(&national(), &charged(50_000, InternshipKind::Cognitive), Step::Offer);
        assert_eq!(v.iter().map(|v| (v.rule, v.field)).collect::<Vec<_>>(), vec![(Rule::NoFees, "fees_charged")]);
        assert!(v[0].zh.contains("（第二十一条）") && v[0].zh.contains("现收取 500.00 元"), "{}", v[0].zh);
        assert!(v[0].en.contains("500.00 yuan is charged"), "{}", v[0].en);
    }

    #[test]
    fn no_night_shifts_overtime_holiday_or_high_risk_work_unless_an_exception_is_filed() {
        let base = good(InternshipKind::Shadowing);
        let cases = [
            (Placement { night_shifts: true, ..base.clone() }, Rule::NoNightShifts, "上夜班"),
            (Placement { overtime: true, ..base.clone() }, Rule::NoOvertime, "加班"),
            (Placement { holiday_work: true, ..base.clone() }, Rule::NoHolidayWork, "法定节假日"),
            (Placement { high_risk_work: true, ..base.clone() }, Rule::NoHighRiskWork, "高空、井下"),
        ];
        for (p, rule, words) in cases {
            let v = check(&national(), &p, Step::Offer);
            assert_eq!(v.iter().map(|v| v.rule).collect::<Vec<_>>(), vec![rule]);
            assert!(v[0].zh.contains(words) && v[0].zh.contains("（第十七条）"), "{}", v[0].zh);
            assert!(v[0].en.contains("(art. 17)"), "{}", v[0].en);
            let filed = Placement { working_time_exception_filed: true, ..p };
            assert_eq!(check(&national(), &filed, Step::Start), vec![], "{rule:?}");
        }
    }

    #[test]
    fn each_step_checks_its_own_rules() {
        let mut p = Placement::new(InternshipKind::Post, d(2026, 3, 1), d(2026, 8, 31));
        p.enterprise_staff = 100;
        p.post_staff = 10;
        p.monthly_pay = Fen(400_000);
        p.post_wage = Fen(500_000);
        assert_eq!(rules_broken(&national(), &p, Step::Offer), vec![]);
        assert_eq!(rules_broken(&national(), &p, Step::Place), vec![Rule::GuardianConsent, Rule::MinimumAge]);
        p.student_birth_date = Some(d(2005, 5, 5));
        assert_eq!(rules_broken(&national(), &p, Step::Place), vec![]);
        assert_eq!(
            rules_broken(&national(), &p, Step::Start),
            vec![Rule::InternshipAgreement, Rule::LiabilityInsurance]
        );
        for &r in Rule::ALL {
            assert!(r.due_at() <= Step::Start);
        }
    }

    #[test]
    fn a_province_can_override_a_number_and_cite_its_own_article() {
        let mut citations = BTreeMap::new();
        citations.insert(
            Rule::EnterpriseInternShare,
            Citation { zh: "《某省实施细则》第九条".into(), en: "provincial rules, art. 9".into() },
        );
        let overrides = RuleOverrides {
            version: "xx-2025".into(),
            jurisdiction: "320000".into(),
            max_interns_share_of_staff_pct: Some(15),
            citations,
            ..RuleOverrides::default()
        };
        let province = national().with_overrides(&overrides).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((province.version.as_str(), province.jurisdiction.as_str()), ("xx-2025", "320000"));
        assert_eq!(province.max_interns_share_of_staff_pct, 15);
        assert_eq!(province.max_interns_share_of_post_pct, 20, "numbers not overridden are kept");
        assert_eq!(province.loosens(&national()), vec!["max_interns_share_of_staff_pct"]);
        assert_eq!(national().loosens(&province), Vec::<&str>::new());
        assert_eq!(max_new_interns(&province, 100, 1000, 0, 0), 15);
        let fifteenth = Placement { interns_at_enterprise: 14, post_staff: 1000, ..good(InternshipKind::Post) };
        assert_eq!(check(&province, &fifteenth, Step::Place), vec![]);
        assert!(breaks(&fifteenth, Rule::EnterpriseInternShare), "the national 10% refuses it");
        let sixteenth = Placement { interns_at_enterprise: 15, ..fifteenth };
        let v = check(&province, &sixteenth, Step::Place);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].article, "《某省实施细则》第九条");
        assert!(
            v[0].zh.starts_with("实习学生人数将超过实习单位在岗职工总数的 15%（《某省实施细则》第九条）"),
            "{}",
            v[0].zh
        );
        assert!(v[0].en.contains("exceed 15% of the enterprise's staff (provincial rules, art. 9)"), "{}", v[0].en);
        assert_eq!(province.citation(Rule::MinimumPay), ("第十八条", "art. 18"));
    }

    #[test]
    fn overrides_are_validated() {
        let field_rules = |o: RuleOverrides| match national().with_overrides(&o) {
            Ok(_) => vec![],
            Err(e) => e.0.into_iter().map(|e| (e.field, e.rule)).collect::<Vec<_>>(),
        };
        let base = RuleOverrides { version: "v".into(), jurisdiction: "national".into(), ..RuleOverrides::default() };
        assert_eq!(field_rules(base.clone()), vec![]);
        assert_eq!(
            field_rules(RuleOverrides { max_interns_share_of_post_pct: Some(101), ..base.clone() }),
            vec![("max_interns_share_of_post_pct".to_string(), "rule_set_range")]
        );
        assert_eq!(
            field_rules(RuleOverrides { max_interns_share_of_staff_pct: Some(0), ..base.clone() }),
            vec![("max_interns_share_of_staff_pct".to_string(), "rule_set_range")]
        );
        assert_eq!(
            field_rules(RuleOverrides { post_internship_months: Some(0), ..base.clone() }),
            vec![("post_internship_months".to_string(), "rule_set_range")]
        );
        assert_eq!(
            field_rules(RuleOverrides { version: " ".into(), ..base.clone() }),
            vec![("version".to_string(), "required")]
        );
        for bad in ["", "32", "320100", "000000", "Jiangsu"] {
            assert_eq!(
                field_rules(RuleOverrides { jurisdiction: bad.into(), ..base.clone() }),
                vec![("jurisdiction".to_string(), "rule_set_jurisdiction")],
                "{bad:?}"
            );
        }
        let mut citations = BTreeMap::new();
        citations.insert(Rule::NoFees, Citation { zh: "".into(), en: "art. 1".into() });
        assert_eq!(
            field_rules(RuleOverrides { citations, ..base }),
            vec![("citations.no_fees.zh".to_string(), "required")]
        );
    }

    #[test]
    fn violations_become_field_errors_naming_the_rule() {
        let p = Placement { fees_charged: Fen(100), night_shifts: true, ..good(InternshipKind::Post) };
        let v = check(&national(), &p, Step::Offer);
        let errors = to_field_errors(&v);
        let got: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.rule)).collect();
        assert_eq!(got, vec![("fees_charged", "no_fees"), ("night_shifts", "no_night_shifts")]);
        assert_eq!(errors.0[0].zh, v[0].zh);
        assert_eq!(errors.0[1].en, v[1].en);
        assert_eq!(check_step(&national(), &p, Step::Offer), Err(errors));
        assert!(to_field_errors(&[]).is_empty());
    }

    #[test]
    fn the_compliance_view_tells_violated_from_outstanding_and_not_applicable() {
        let placed = Placement { agreement: Agreement::default(), insurance: None, ..good(InternshipKind::Post) };
        let view = compliance(&national(), &placed, Step::Place);
        assert_eq!(view.len(), Rule::ALL.len());
        let status = |view: &[RuleCheck], rule: Rule| view.iter().find(|c| c.rule == rule).map(|c| c.status.clone());
        assert!(matches!(status(&view, Rule::InternshipAgreement), Some(RuleStatus::Outstanding(_))));
        assert!(matches!(status(&view, Rule::LiabilityInsurance), Some(RuleStatus::Outstanding(_))));
        assert_eq!(status(&view, Rule::MinimumPay), Some(RuleStatus::Met));
        let started = compliance(&national(), &placed, Step::Start);
        assert!(matches!(status(&started, Rule::InternshipAgreement), Some(RuleStatus::Violated(_))));
        let visit = Placement { enterprise_staff: 0, fees_charged: Fen(1), ..good(InternshipKind::Cognitive) };
        let visit_view = compliance(&national(), &visit, Step::Start);
        assert_eq!(status(&visit_view, Rule::MinimumAge), Some(RuleStatus::NotApplicable));
        assert!(matches!(status(&visit_view, Rule::NoFees), Some(RuleStatus::Violated(_))));
        let fine = compliance(&national(), &good(InternshipKind::Post), Step::Start);
        let summary = summarize([view.as_slice(), started.as_slice(), visit_view.as_slice(), fine.as_slice()]);
        assert_eq!((summary.placements, summary.compliant, summary.with_outstanding), (4, 2, 1));
        let count = |rule: Rule| summary.by_rule.iter().find(|c| c.rule == rule).map(|c| (c.violated, c.outstanding));
        assert_eq!(count(Rule::InternshipAgreement), Some((1, 1)));
        assert_eq!(count(Rule::NoFees), Some((1, 0)));
        assert_eq!(count(Rule::MinimumAge), Some((0, 0)));
        assert_eq!(summary.by_rule.len(), Rule::ALL.len());
    }

    proptest! {
        #[test]
        fn the_capacity_is_exactly_what_the_share_rules_accept(
            staff in 0u32..3000, post in 0u32..300, at_enterprise in 0u32..400, at_post in 0u32..80
        ) {
            let rules = national();
            let n = max_new_interns(&rules, staff, post, at_enterprise, at_post);
            let p = |k: u32| Placement {
                enterprise_staff: staff,
                post_staff: post,
                interns_at_enterprise: at_enterprise + k,
                interns_at_post: at_post + k,
                ..good(InternshipKind::Post)
            };
            let share_rules = |k: u32| rules_broken(&rules, &p(k), Step::Offer)
                .into_iter()
                .filter(|r| matches!(r, Rule::EnterpriseInternShare | Rule::PostInternShare))
                .count();
            if n > 0 {
                prop_assert_eq!(share_rules(0), 0);
                prop_assert_eq!(share_rules(n - 1), 0);
            }
            prop_assert!(share_rules(n) > 0);
        }

        #[test]
        fn age_grows_by_one_on_each_birthday(birth in -20_000i64..40_000, days in 0i64..40_000) {
            let b = Date(birth);
            let on = Date(birth + days);
            let a = age_on(b, on);
            prop_assert!(a >= 0);
            prop_assert!(age_on(b, Date(on.0 + 1)) - a <= 1);
            let years = u32::try_from(a).unwrap_or(0);
            prop_assert!(date_of_age(b, years) <= on);
            prop_assert!(date_of_age(b, years + 1) > on);
        }

        #[test]
        fn a_period_ends_before_the_same_day_months_later(start in 0i64..40_000, months in 1u32..37) {
            let s = Date(start);
            let last = period_last_day(s, months);
            prop_assert!(last >= s);
            prop_assert!(last.0 - s.0 < i64::from(months) * 31);
            prop_assert!(last.0 - s.0 >= i64::from(months) * 28 - 1);
            prop_assert!(period_last_day(s, months + 1) > last);
        }
    }
}

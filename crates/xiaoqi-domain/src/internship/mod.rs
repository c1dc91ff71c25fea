//! The internship rules of 《职业学校学生实习管理规定》 (Ministry of Education and seven other
//! departments, 教职成〔2021〕4号, issued 2021-12-31; DESIGN.md §3), in one place.
//!
//! Every rule is one row of the rule table ([`Rule::definition`], a [`RuleDef`]): its id, its
//! article and how sure that article number is, whether it blocks the step or only warns, the
//! step it is due at, the kinds of internship it concerns, and one check function in `rules/`
//! whose doc comment gives the regulation's wording and which writes the bilingual message.
//! Adding a rule is adding a [`Rule`] variant, its function and its row; a missing row does not
//! compile. Every number lives in a versioned [`RuleSet`], so a province's implementing rules or
//! a later revision can change a number ([`RuleSet::with_overrides`]) and cite its own article.
//!
//! [`check`] lists what a step (offer a place, place a student, start the internship) would
//! break, each [`Violation`] with a bilingual message that names the rule and its numbers;
//! [`to_field_errors`] turns them into the [`FieldError`](crate::FieldError)s with which the app
//! refuses the step (422). [`compliance`] and [`summarize`] feed the college's compliance view of
//! all its placements; [`max_new_interns`] is the capacity the 10 % / 20 % shares leave.
//!
//! Files: `mod.rs` the kinds, steps, rules and the table; `rule_set.rs` the numbers, versions and
//! overrides; `facts.rs` the facts of a placement; `check.rs` checking a step and the compliance
//! view; `caps.rs` the intern shares as capacities; `dates.rs` ages and periods; `rules/` the
//! rules by group (the student, the papers, the shares, the terms, working time).
//!
//! # Sources and how sure the article numbers are
//!
//! Read in the 2021 text (per-article copies, wechat.estsglobal.com/wechat/law_contents/342,
//! /348 and /350, updated 2024-11-19): 第二条 (the kinds, below), 第十六条(二) (the minimum age) and
//! 第十八条 (pay). Every other number is given as best known and marked
//! [`ArticleCertainty::Inferred`] or [`ArticleCertainty::Unverified`]; each rule's doc comment
//! says why. Check them against the official text, gov.cn
//! `zhengce/zhengceku/2022-01/21/content_5669670.htm` or moe.gov.cn
//! `srcsite/A07/moe_737/s3876_qt/202201/t20220121_595529.html` (neither opened here).
//!
//! 第二条: internships are 认识实习 and 岗位实习; 岗位实习 covers both assisting ("辅助") and
//! relatively independent work, so the 2016 跟岗实习 (shadowing) is now part of 岗位实习. The
//! kinds of the brief map onto the 2021 text like this: [`InternshipKind::Shadowing`] is a
//! 岗位实习 in an assisting role, [`InternshipKind::Post`] one with relatively independent work;
//! [`InternshipKind::Apprenticeship`] (现代学徒制 students) is treated as a post internship, except
//! that its length follows the programme and is not capped.

mod caps;
mod check;
mod dates;
mod facts;
mod rule_set;
mod rules;
#[cfg(test)]
mod testing;

use serde::{Deserialize, Serialize};

pub use caps::{max_new_interns, share_cap};
pub use check::{
    ComplianceSummary, RuleCheck, RuleCount, RuleStatus, Violation, check, check_period, check_step, compliance,
    summarize, to_field_errors,
};
pub use dates::{age_on, date_of_age, period_last_day};
pub use facts::{Agreement, Placement};
pub use rule_set::{Citation, RuleOverrides, RuleSet};

use crate::org::str_enum;
use ArticleCertainty::{Checked, Inferred, Unverified};
use rules::{
    AT_A_POST, EVERY_KIND, POST_OR_APPRENTICESHIP, SHADOWING_OR_POST, paperwork, shares, student, terms, working_time,
};

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
    /// What breaking a rule does to the step.
    RuleKind {
        /// A hard rule: the step is refused while it is broken.
        Block = "block", "强制性规定", "Blocks the step";
        /// A norm: a broken norm is shown but does not refuse the step. No rule is a norm yet.
        Norm = "norm", "规范性要求", "Warns only";
    }
}

str_enum! {
    /// One rule of the regulation the platform enforces: the id of its row in the rule table.
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

/// One row of the rule table.
#[derive(Debug, Clone, Copy)]
pub struct RuleDef {
    /// The rule's id; its code is [`Rule::code`].
    pub rule: Rule,
    /// The article of the 2021 national regulation, e.g. `第十八条`.
    pub article: &'static str,
    /// The article in English, e.g. `art. 18`.
    pub article_en: &'static str,
    /// How sure `article` is; only `Checked` numbers were read in the 2021 text.
    pub certainty: ArticleCertainty,
    /// Whether a breach refuses the step or only warns.
    pub kind: RuleKind,
    /// The first step the rule blocks.
    pub due_at: Step,
    /// The kinds of internship the rule concerns.
    pub concerns: &'static [InternshipKind],
    /// What the placement breaks under the rule set's numbers, if anything, whatever the step.
    pub check: fn(&RuleSet, &Placement) -> Option<Breach>,
}

/// What a rule's check found wrong: the field at fault, what the rule requires and what is
/// amiss, each in Chinese and English (the article is added from the rule set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// The [`Placement`] field at fault.
    pub field: &'static str,
    /// What the rule requires, with the rule set's numbers.
    pub requirement: Text,
    /// What the placement does instead.
    pub finding: Text,
}

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

impl Text {
    /// A text from its two languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }
}

/// The rule table, one row per rule in [`Rule::ALL`] order (checked when compiling).
///
/// The terms of a place are due at [`Step::Offer`], the student's age and consent at
/// [`Step::Place`], the signed agreement and the insurance at [`Step::Start`]. Fees and
/// insurance concern every internship (the regulation speaks of all 实习学生); the length cap
/// concerns shadowing and post internships (an apprenticeship runs with its programme); the pay
/// floor concerns relatively independent work (post internship and apprenticeship); every other
/// rule concerns every place at a post.
#[rustfmt::skip]
const TABLE: &[RuleDef] = {
    use paperwork::*;
    use shares::*;
    use student::*;
    use terms::*;
    use working_time::*;
    use Rule::*;
    use RuleKind::Block;
    use Step::{Offer, Place, Start};
    const fn row(
        rule: Rule,
        (article, article_en, certainty): (&'static str, &'static str, ArticleCertainty),
        kind: RuleKind,
        due_at: Step,
        concerns: &'static [InternshipKind],
        check: fn(&RuleSet, &Placement) -> Option<Breach>,
    ) -> RuleDef {
        RuleDef { rule, article, article_en, certainty, kind, due_at, concerns, check }
    }
    &[
        row(InternshipAgreement, ("第十三条", "art. 13", Unverified), Block, Start, AT_A_POST, internship_agreement),
        row(GuardianConsent, ("第八条", "art. 8", Unverified), Block, Place, AT_A_POST, guardian_consent),
        row(MinimumAge, ("第十六条", "art. 16", Checked), Block, Place, AT_A_POST, minimum_age),
        row(LiabilityInsurance, ("第三十五条", "art. 35", Unverified), Block, Start, EVERY_KIND, liability_insurance),
        row(PostInternshipDuration, ("第十条", "art. 10", Unverified), Block, Offer, SHADOWING_OR_POST, post_internship_duration),
        row(EnterpriseInternShare, ("第十条", "art. 10", Unverified), Block, Offer, AT_A_POST, enterprise_intern_share),
        row(PostInternShare, ("第十条", "art. 10", Unverified), Block, Offer, AT_A_POST, post_intern_share),
        row(MinimumPay, ("第十八条", "art. 18", Checked), Block, Offer, POST_OR_APPRENTICESHIP, minimum_pay),
        row(NoFees, ("第二十一条", "art. 21", Unverified), Block, Offer, EVERY_KIND, no_fees),
        row(NoNightShifts, ("第十七条", "art. 17", Inferred), Block, Offer, AT_A_POST, no_night_shifts),
        row(NoOvertime, ("第十七条", "art. 17", Inferred), Block, Offer, AT_A_POST, no_overtime),
        row(NoHolidayWork, ("第十七条", "art. 17", Inferred), Block, Offer, AT_A_POST, no_holiday_work),
        row(NoHighRiskWork, ("第十七条", "art. 17", Inferred), Block, Offer, AT_A_POST, no_high_risk_work),
    ]
};

// Row `i` of the table is the rule `Rule::ALL[i]`, so `Rule::definition` cannot miss.
const _: () = {
    assert!(TABLE.len() == Rule::ALL.len());
    let mut i = 0;
    while i < TABLE.len() {
        assert!(TABLE[i].rule as usize == i);
        i += 1;
    }
};

/// Every row of the rule table, in [`Rule::ALL`] order.
pub fn rule_table() -> &'static [RuleDef] {
    TABLE
}

impl Rule {
    /// The rule's row in the rule table.
    pub fn definition(self) -> &'static RuleDef {
        &TABLE[self as usize]
    }

    /// The stable snake_case code, used as [`FieldError::rule`](crate::FieldError).
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
        self.definition().article
    }

    /// The article in English, e.g. `art. 18`.
    pub fn article_en(self) -> &'static str {
        self.definition().article_en
    }

    /// How sure [`Rule::article`] is; only `Checked` numbers were read in the 2021 text.
    pub fn article_certainty(self) -> ArticleCertainty {
        self.definition().certainty
    }

    /// Whether the rule concerns a place of this kind (see the rule table).
    pub fn applies_to(self, kind: InternshipKind) -> bool {
        self.definition().concerns.contains(&kind)
    }

    /// The first step the rule blocks (see the rule table).
    pub fn due_at(self) -> Step {
        self.definition().due_at
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

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
    fn the_table_has_one_row_per_rule_in_order_and_every_rule_blocks_today() {
        let ids: Vec<Rule> = rule_table().iter().map(|d| d.rule).collect();
        assert_eq!(ids, Rule::ALL);
        for &r in Rule::ALL {
            assert_eq!(r.definition().rule, r);
            assert_eq!(r.definition().kind, RuleKind::Block, "{r:?}");
            assert!(!r.definition().concerns.is_empty(), "{r:?}");
        }
        assert_eq!(Rule::NoFees.due_at(), Step::Offer);
        assert_eq!(Rule::MinimumAge.due_at(), Step::Place);
        assert_eq!(Rule::LiabilityInsurance.due_at(), Step::Start);
        assert!(Rule::LiabilityInsurance.applies_to(InternshipKind::Cognitive));
        assert!(!Rule::MinimumAge.applies_to(InternshipKind::Cognitive));
        assert!(!Rule::PostInternshipDuration.applies_to(InternshipKind::Apprenticeship));
        assert!(!Rule::MinimumPay.applies_to(InternshipKind::Shadowing));
    }
}

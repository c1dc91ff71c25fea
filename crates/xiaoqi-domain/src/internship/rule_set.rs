//! The numbers of the rules, versioned: the national 2021 set, and the overrides with which a
//! province's implementing rules or a later revision change a number and cite their own article.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Rule;
use crate::error::{FieldError, ValidationErrors};

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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, Placement, Step, check, max_new_interns};

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
}

//! Government funding programmes for school–enterprise projects (DESIGN.md §2.3): who may
//! apply (by the enterprise's SME size class), the ceiling of an award, the deadline, and the
//! matching funds the enterprise must put in for each yuan awarded.
//!
//! The matching rule: with a matching ratio `r` (in hundredths of a percent), an award `a`
//! requires the enterprise's own funding on the project to be at least `⌈a × r⌉` fen, so a
//! ratio of 100 % means one yuan of the enterprise's for each yuan awarded. The arithmetic is
//! integer and checked, so no amount overflows silently.

use crate::error::{FieldError, ValidationErrors};
use crate::money::Fen;
use crate::sharing::{Share, WHOLE};
use crate::sme::SizeClass;
use crate::time::Date;

/// Most an award or a ceiling may be: 1 billion yuan.
pub const MAX_AWARD: Fen = Fen(100_000_000_000);
/// The highest matching ratio a programme may ask: 1,000 % (ten yuan per yuan awarded).
pub const MAX_MATCHING: Share = Share(100_000);

/// The rules of a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    /// Size classes of enterprises that may apply; empty means any.
    pub eligible_sizes: Vec<SizeClass>,
    /// The enterprise's matching funds per yuan awarded (may exceed 100 %).
    pub matching_ratio: Share,
    /// The most one award may be.
    pub ceiling: Fen,
    /// The last day to apply (Asia/Shanghai).
    pub deadline: Date,
}

impl Programme {
    /// Checks the programme's own numbers, every field at once.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.ceiling.0 <= 0 || self.ceiling > MAX_AWARD {
            e.push(FieldError::new(
                "ceiling_yuan",
                "ceiling_range",
                "资助上限应大于 0 且不超过 10 亿元",
                "the ceiling is above 0 and at most 1 billion yuan",
            ));
        }
        if self.matching_ratio > MAX_MATCHING {
            e.push(FieldError::new(
                "matching_ratio",
                "matching_range",
                "配套比例应在 0 到 1000% 之间",
                "the matching ratio is between 0 and 1,000 %",
            ));
        }
        e.into_result()
    }
}

/// The enterprise funding an award of `award` requires: `⌈award × ratio⌉`.
pub fn required_matching(award: Fen, ratio: Share) -> Option<Fen> {
    let need = i128::from(award.0).checked_mul(i128::from(ratio.0))?;
    let whole = i128::from(WHOLE);
    let ceil = (need + whole - 1).div_euclid(whole);
    i64::try_from(ceil).ok().map(Fen)
}

/// Checks an application: before or on the deadline, an eligible size class, a positive request
/// within the ceiling, and enough enterprise funding for the request. `size` is the applying
/// enterprise's class (None: not an enterprise, e.g. a college team applying with one).
pub fn check_application(
    p: &Programme,
    today: Date,
    size: Option<SizeClass>,
    requested: Fen,
    enterprise_funding: Fen,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if today > p.deadline {
        e.push(FieldError::new(
            "programme_id",
            "deadline_passed",
            format!("申报已于 {} 截止", p.deadline.format()),
            format!("applications closed on {}", p.deadline.format()),
        ));
    }
    if !p.eligible_sizes.is_empty() && !size.is_some_and(|s| p.eligible_sizes.contains(&s)) {
        let allowed: Vec<&str> = p.eligible_sizes.iter().map(|s| s.label_zh()).collect();
        let allowed_en: Vec<&str> = p.eligible_sizes.iter().map(|s| s.label_en()).collect();
        e.push(FieldError::new(
            "enterprise_id",
            "size_not_eligible",
            format!("本项目只接受{}企业申报", allowed.join("、")),
            format!("only {} enterprises may apply", allowed_en.join(", ").to_lowercase()),
        ));
    }
    if requested.0 <= 0 || requested > p.ceiling {
        e.push(FieldError::new(
            "requested_yuan",
            "over_ceiling",
            format!("申请金额应大于 0 且不超过上限 {}", p.ceiling.to_cny_string()),
            format!("the request is above 0 and at most the ceiling of {}", p.ceiling.to_cny_string()),
        ));
    } else {
        e.check(check_matching("enterprise_funding_yuan", p.matching_ratio, requested, enterprise_funding));
    }
    e.into_result()
}

/// Checks that `enterprise_funding` matches `award` at `ratio`, naming what is missing.
pub fn check_matching(field: &str, ratio: Share, award: Fen, enterprise_funding: Fen) -> Result<(), FieldError> {
    let need = required_matching(award, ratio)
        .ok_or_else(|| FieldError::new(field, "money_overflow", "金额过大", "the amount is too large"))?;
    if enterprise_funding < need {
        return Err(FieldError::new(
            field,
            "matching_short",
            format!(
                "配套比例 {}% 要求企业投入至少 {}，现为 {}",
                ratio.to_percent_string(),
                need.to_cny_string(),
                enterprise_funding.to_cny_string()
            ),
            format!(
                "a matching ratio of {} % needs at least {} from the enterprise, not {}",
                ratio.to_percent_string(),
                need.to_cny_string(),
                enterprise_funding.to_cny_string()
            ),
        ));
    }
    Ok(())
}

/// Checks an award: positive, within the ceiling and the request, and matched.
pub fn check_award(p: &Programme, requested: Fen, award: Fen, enterprise_funding: Fen) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::new();
    if award.0 <= 0 || award > p.ceiling || award > requested {
        e.push(FieldError::new(
            "amount_yuan",
            "award_range",
            format!(
                "资助金额应大于 0，且不超过申请金额 {}和上限 {}",
                requested.to_cny_string(),
                p.ceiling.to_cny_string()
            ),
            format!(
                "an award is above 0 and at most the request ({}) and the ceiling ({})",
                requested.to_cny_string(),
                p.ceiling.to_cny_string()
            ),
        ));
    } else {
        e.check(check_matching("amount_yuan", p.matching_ratio, award, enterprise_funding));
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(s: &str) -> Date {
        Date::parse("d", s).expect("date")
    }

    fn programme() -> Programme {
        Programme {
            eligible_sizes: vec![SizeClass::Micro, SizeClass::Small, SizeClass::Medium],
            matching_ratio: Share(5_000),
            ceiling: Fen(50_000_000),
            deadline: day("2026-12-31"),
        }
    }

    fn rules(r: Result<(), ValidationErrors>) -> Vec<&'static str> {
        r.err().map(|e| e.0.iter().map(|f| f.rule).collect()).unwrap_or_default()
    }

    #[test]
    fn matching_is_rounded_up_to_the_fen() {
        assert_eq!(required_matching(Fen(100_000), Share(5_000)), Some(Fen(50_000)));
        assert_eq!(required_matching(Fen(3), Share(3_333)), Some(Fen(1)), "0.9999 fen needs 1 fen");
        assert_eq!(required_matching(Fen(100), Share(15_000)), Some(Fen(150)), "150 % is allowed");
        assert_eq!(required_matching(Fen(7), Share(0)), Some(Fen(0)));
    }

    #[test]
    fn an_application_on_the_deadline_within_the_ceiling_and_matched_is_accepted() {
        let p = programme();
        let ok = check_application(&p, day("2026-12-31"), Some(SizeClass::Small), Fen(50_000_000), Fen(25_000_000));
        assert_eq!(ok, Ok(()));
    }

    #[test]
    fn an_application_is_refused_for_each_broken_rule_at_once() {
        let p = programme();
        let r = check_application(&p, day("2027-01-01"), Some(SizeClass::Large), Fen(50_000_001), Fen(0));
        assert_eq!(rules(r), vec!["deadline_passed", "size_not_eligible", "over_ceiling"]);
        let r = check_application(&p, day("2026-06-01"), Some(SizeClass::Micro), Fen(10_000_000), Fen(4_999_999));
        assert_eq!(rules(r.clone()), vec!["matching_short"]);
        let msg = r.err().map(|e| e.0[0].zh.clone()).unwrap_or_default();
        assert!(msg.contains("¥50,000.00") && msg.contains("¥49,999.99"), "{msg}");
        let r = check_application(&p, day("2026-06-01"), None, Fen(100), Fen(100));
        assert_eq!(rules(r), vec!["size_not_eligible"], "a programme for SMEs needs an SME");
    }

    #[test]
    fn a_programme_open_to_all_takes_any_applicant() {
        let mut p = programme();
        p.eligible_sizes.clear();
        assert_eq!(check_application(&p, day("2026-06-01"), None, Fen(100), Fen(50)), Ok(()));
    }

    #[test]
    fn an_award_stays_within_the_request_and_the_ceiling_and_is_matched() {
        let p = programme();
        assert_eq!(check_award(&p, Fen(2_000_000), Fen(2_000_000), Fen(1_000_000)), Ok(()));
        assert_eq!(rules(check_award(&p, Fen(2_000_000), Fen(2_000_001), Fen(9_000_000))), vec!["award_range"]);
        assert_eq!(rules(check_award(&p, Fen(2_000_000), Fen(0), Fen(0))), vec!["award_range"]);
        assert_eq!(rules(check_award(&p, Fen(2_000_000), Fen(1_000_000), Fen(499_999))), vec!["matching_short"]);
    }

    #[test]
    fn a_programme_needs_a_ceiling_and_a_sane_ratio() {
        let mut p = programme();
        p.ceiling = Fen(0);
        p.matching_ratio = Share(100_001);
        assert_eq!(rules(p.validate()), vec!["ceiling_range", "matching_range"]);
    }

    proptest! {
        #[test]
        fn the_required_matching_is_the_least_amount_that_covers_the_ratio(
            award in 0i64..=MAX_AWARD.0,
            ratio in 0u32..=MAX_MATCHING.0,
        ) {
            let need = required_matching(Fen(award), Share(ratio)).expect("no overflow within bounds").0;
            let exact = i128::from(award) * i128::from(ratio);
            let whole = i128::from(WHOLE);
            prop_assert!(i128::from(need) * whole >= exact);
            prop_assert!(need == 0 || i128::from(need - 1) * whole < exact);
        }
    }
}

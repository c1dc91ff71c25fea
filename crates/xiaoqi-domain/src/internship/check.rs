//! Checking a step and the compliance view: every rule of the table is run on a placement, and
//! its finding becomes a [`Violation`] that cites the rule set's article.

use serde::Serialize;

use super::{Breach, Placement, Rule, RuleDef, RuleKind, RuleSet, Step, TABLE};
use crate::error::{FieldError, ValidationErrors};
use crate::time::Date;

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
///
/// Only rules that block ([`RuleKind::Block`]) refuse a step; a broken norm shows in the
/// [`compliance`] view only.
pub fn check(rules: &RuleSet, p: &Placement, step: Step) -> Vec<Violation> {
    blocking(TABLE, rules, p, step)
}

fn blocking(table: &[RuleDef], rules: &RuleSet, p: &Placement, step: Step) -> Vec<Violation> {
    statuses(table, rules, p, step)
        .filter(|(def, _)| def.kind == RuleKind::Block)
        .filter_map(|(_, status)| match status {
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
    statuses(TABLE, rules, p, reached).map(|(def, status)| RuleCheck { rule: def.rule, status }).collect()
}

/// Each row of `table` with the placement's status on it.
fn statuses<'t>(
    table: &'t [RuleDef],
    rules: &RuleSet,
    p: &Placement,
    reached: Step,
) -> impl Iterator<Item = (&'t RuleDef, RuleStatus)> {
    table.iter().map(move |def| {
        let status = if !def.concerns.contains(&p.kind) {
            RuleStatus::NotApplicable
        } else {
            match (def.check)(rules, p) {
                None => RuleStatus::Met,
                Some(breach) if def.due_at <= reached => RuleStatus::Violated(violation(rules, def.rule, breach)),
                Some(breach) => RuleStatus::Outstanding(violation(rules, def.rule, breach)),
            }
        };
        (def, status)
    })
}

/// A rule's finding as a violation citing the rule set's article: "requirement (article): finding".
fn violation(rules: &RuleSet, rule: Rule, b: Breach) -> Violation {
    let (cite_zh, cite_en) = rules.citation(rule);
    Violation {
        rule,
        article: cite_zh.to_string(),
        article_en: cite_en.to_string(),
        field: b.field,
        zh: format!("{}（{cite_zh}）：{}", b.requirement.zh, b.finding.zh),
        en: format!("{} ({cite_en}): {}", b.requirement.en, b.finding.en),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::internship::Agreement;
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, RuleKind};
    use crate::money::Fen;

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

    #[test]
    fn a_broken_norm_is_shown_but_refuses_no_step() {
        let fees = Rule::NoFees.definition();
        let norm = [RuleDef { kind: RuleKind::Norm, ..*fees }];
        let p = Placement { fees_charged: Fen(100), ..good(InternshipKind::Post) };
        assert_eq!(blocking(&norm, &national(), &p, Step::Start), vec![]);
        let shown: Vec<_> = statuses(&norm, &national(), &p, Step::Start).map(|(_, s)| s).collect();
        assert!(matches!(shown.as_slice(), [RuleStatus::Violated(v)] if v.rule == Rule::NoFees), "{shown:?}");
        assert_eq!(blocking(&[*fees], &national(), &p, Step::Start).len(), 1, "the same row as a block refuses");
    }
}

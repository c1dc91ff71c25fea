//! What the tests of the rules share: dates, the national set and a placement that meets every rule.

use super::{Agreement, InternshipKind, Placement, Rule, RuleSet, Step, check};
use crate::money::Fen;
use crate::time::{Date, days_from_civil};

pub(super) fn d(y: i64, m: u32, day: u32) -> Date {
    Date(days_from_civil(y, m, day))
}

pub(super) fn national() -> RuleSet {
    RuleSet::national_2021()
}

/// A post internship that meets every rule: 2026-03-01 to 2026-08-31, a student of 19.
pub(super) fn good(kind: InternshipKind) -> Placement {
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

pub(super) fn rules_broken(rules: &RuleSet, p: &Placement, step: Step) -> Vec<Rule> {
    check(rules, p, step).iter().map(|v| v.rule).collect()
}

pub(super) fn breaks(p: &Placement, rule: Rule) -> bool {
    rules_broken(&national(), p, Step::Start).contains(&rule)
}

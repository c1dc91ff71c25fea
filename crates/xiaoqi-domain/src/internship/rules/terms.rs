//! The terms of a place, due when it is offered: how long a post internship lasts, the least pay,
//! and no fees.

use super::Breach;
use crate::internship::{Placement, RuleSet, Text, period_last_day};
use crate::money::Fen;

/// 岗位实习时长, 第十条 (unverified; 2016: 第十条): a post internship "一般为6个月" (generally six
/// months).
///
/// The platform refuses anything longer than [`RuleSet::post_internship_months`] calendar
/// months from the first day ([`period_last_day`]); a rule set may allow more.
pub(crate) fn post_internship_duration(rules: &RuleSet, p: &Placement) -> Option<Breach> {
    let n = rules.post_internship_months;
    let last = period_last_day(p.start, n);
    let (start, end) = (p.start.format(), p.end.format());
    (p.end > last).then(|| {
        Breach::new(
            "end",
            Text::new(format!("岗位实习时间不超过 {n} 个月"), format!("a post internship lasts at most {n} months")),
            Text::new(
                format!("自 {start} 开始最迟应于 {} 结束，现结束日为 {end}", last.format()),
                format!("starting on {start} it must end by {}, but ends on {end}", last.format()),
            ),
        )
    })
}

/// 岗位实习报酬下限, 第十八条 (checked): the pay of a student doing relatively independent work is
/// in principle at least 80 % of the enterprise's wage standard for the same post or its lowest
/// wage grade (the 2016 text said 80 % of the probation wage), paid in money at least monthly.
///
/// Either floor suffices, exactly in fen ([`RuleSet::min_pay_share_of_post_wage_pct`] of the
/// post's wage rounded up); a missing wage cannot pass.
pub(crate) fn minimum_pay(rules: &RuleSet, p: &Placement) -> Option<Breach> {
    let pct = rules.min_pay_share_of_post_wage_pct;
    let floor = share_of_fen(p.post_wage, pct);
    let by_share = p.post_wage.0 > 0 && p.monthly_pay >= floor;
    let by_grade = p.lowest_wage_grade.is_some_and(|g| g.0 > 0 && p.monthly_pay >= g);
    if by_share || by_grade {
        return None;
    }
    let requirement = Text::new(
        format!("岗位实习报酬原则上不低于本单位相同岗位工资标准的 {pct}% 或最低档工资标准"),
        format!("post-internship pay must be at least {pct}% of the same post's wage or the lowest wage grade"),
    );
    let grade = p.lowest_wage_grade.filter(|g| g.0 > 0);
    let finding = if p.post_wage.0 <= 0 && grade.is_none() {
        Text::new("未填写相同岗位工资标准", "the same post's wage is missing")
    } else {
        let mut zh = format!("相同岗位工资 {} 元的 {pct}% 为 {floor} 元，现为 {} 元", p.post_wage, p.monthly_pay);
        let mut en = format!(
            "{pct}% of the post's wage of {} yuan is {floor} yuan; the pay is {} yuan",
            p.post_wage, p.monthly_pay
        );
        if let Some(g) = grade {
            zh.push_str(&format!("，最低档工资标准为 {g} 元"));
            en.push_str(&format!("; the lowest wage grade is {g} yuan"));
        }
        Text::new(zh, en)
    };
    Some(Breach::new("monthly_pay", requirement, finding))
}

/// `ceil(amount × pct / 100)` in fen (at least zero), the least pay that is `pct` of `amount`.
fn share_of_fen(amount: Fen, pct: u32) -> Fen {
    let v = (i128::from(amount.0.max(0)) * i128::from(pct) + 99) / 100;
    Fen(i64::try_from(v).unwrap_or(i64::MAX))
}

/// 不得收取实习费用, 第二十一条 (unverified; possibly 第十九条–第二十一条, 2016: 第十九条): no
/// deposit, training fee, pay commission, management fee or other fee.
///
/// One fen is a fee; it concerns every kind of internship.
pub(crate) fn no_fees(_: &RuleSet, p: &Placement) -> Option<Breach> {
    (p.fees_charged.0 > 0).then(|| {
        Breach::new(
            "fees_charged",
            Text::new(
                "不得向学生收取实习押金、培训费、实习报酬提成、管理费或其他任何形式的实习费用",
                "no deposit, training fee, commission on pay, management fee or other internship fee may be charged \
                 to the student",
            ),
            Text::new(format!("现收取 {} 元", p.fees_charged), format!("{} yuan is charged", p.fees_charged)),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, Placement, Rule, Step, check, check_period, period_last_day};
    use crate::money::Fen;
    use crate::time::Date;

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
    fn no_fee_or_deposit_of_any_amount() {
        let charged = |fen: i64, kind| Placement { fees_charged: Fen(fen), ..good(kind) };
        assert!(!breaks(&charged(0, InternshipKind::Post), Rule::NoFees));
        assert!(breaks(&charged(1, InternshipKind::Post), Rule::NoFees), "one fen is a fee");
        let v = check(&national(), &charged(50_000, InternshipKind::Cognitive), Step::Offer);
        assert_eq!(v.iter().map(|v| (v.rule, v.field)).collect::<Vec<_>>(), vec![(Rule::NoFees, "fees_charged")]);
        assert!(v[0].zh.contains("（第二十一条）") && v[0].zh.contains("现收取 500.00 元"), "{}", v[0].zh);
        assert!(v[0].en.contains("500.00 yuan is charged"), "{}", v[0].en);
    }
}

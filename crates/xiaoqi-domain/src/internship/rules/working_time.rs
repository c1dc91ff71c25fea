//! Working time and risk, 第十七条 (inferred: it sits between the checked 第十六条 and 第十八条, as
//! in 2016 working time came before pay): no high-risk work, no work on public holidays, no
//! overtime or night shifts, unless the special needs of the programme and post are filed with
//! the supervising authority ([`Placement::working_time_exception_filed`] lifts all four).

use super::Breach;
use crate::internship::{Placement, RuleSet, Text};

/// 不得安排夜班: no night shifts.
pub(crate) fn no_night_shifts(_: &RuleSet, p: &Placement) -> Option<Breach> {
    unless_filed(
        p,
        p.night_shifts,
        "night_shifts",
        Text::new("不得安排学生上夜班", "interns may not work night shifts"),
    )
}

/// 不得安排加班: no overtime.
pub(crate) fn no_overtime(_: &RuleSet, p: &Placement) -> Option<Breach> {
    unless_filed(p, p.overtime, "overtime", Text::new("不得安排学生加班", "interns may not work overtime"))
}

/// 法定节假日不安排实习: no work on public holidays.
pub(crate) fn no_holiday_work(_: &RuleSet, p: &Placement) -> Option<Breach> {
    let requirement = Text::new("不得安排学生在法定节假日实习", "interns may not work on public holidays");
    unless_filed(p, p.holiday_work, "holiday_work", requirement)
}

/// 不得安排高风险实习: no work at heights, underground, with radiation, toxic, flammable or
/// explosive materials or of another high safety risk.
pub(crate) fn no_high_risk_work(_: &RuleSet, p: &Placement) -> Option<Breach> {
    let requirement = Text::new(
        "不得安排学生从事高空、井下、放射性、有毒、易燃易爆等较高安全风险的实习",
        "interns may not do work at heights, underground, with radiation, toxic, flammable or explosive materials \
         or of other high safety risk",
    );
    unless_filed(p, p.high_risk_work, "high_risk_work", requirement)
}

/// The breach of a working-time rule when the post is scheduled so (`scheduled`) and no
/// exception is filed.
fn unless_filed(p: &Placement, scheduled: bool, field: &'static str, requirement: Text) -> Option<Breach> {
    (scheduled && !p.working_time_exception_filed).then(|| {
        Breach::new(
            field,
            requirement,
            Text::new(
                "岗位安排如此，且未就专业和岗位的特殊要求报上级主管部门备案",
                "the post is scheduled so and no exception for the programme's special needs is filed with the \
                 supervising authority",
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, Placement, Rule, Step, check};

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
}

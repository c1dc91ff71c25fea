//! The papers an internship needs before it starts: the tripartite agreement and the liability
//! insurance. Both are due at [`Step::Start`](crate::internship::Step::Start).

use super::Breach;
use crate::internship::{Placement, RuleSet, Text};

/// 三方实习协议, 第十三条 (unverified; 2016: 第十二条): the school, the enterprise and the student
/// sign the internship agreement before a post internship; no agreement, no internship.
///
/// Every party must have signed, on or before the first day.
pub(crate) fn internship_agreement(_: &RuleSet, p: &Placement) -> Option<Breach> {
    let start = p.start.format();
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
    Some(Breach::new(
        "agreement",
        Text::new(
            "岗位实习前须由学校、实习单位、学生三方签订实习协议",
            "the school, the enterprise and the student must sign the internship agreement before a post internship",
        ),
        Text::new(zh.join("；"), en.join("; ")),
    ))
}

/// 实习责任保险, 第三十五条 (unverified; 2016: 第三十五条): internship liability insurance for
/// every intern.
///
/// The cover must be in force from the first to the last day of the internship.
pub(crate) fn liability_insurance(_: &RuleSet, p: &Placement) -> Option<Breach> {
    let (start, end) = (p.start.format(), p.end.format());
    let requirement = Text::new(
        "实习责任保险须覆盖整个实习期间",
        "internship liability insurance must be in force for the whole internship",
    );
    match p.insurance {
        Some((from, to)) if from <= p.start && to >= p.end => None,
        Some((from, to)) => Some(Breach::new(
            "insurance",
            requirement,
            Text::new(
                format!("保险期间 {} 至 {} 未覆盖实习期间 {start} 至 {end}", from.format(), to.format()),
                format!(
                    "the cover from {} to {} does not span the internship from {start} to {end}",
                    from.format(),
                    to.format()
                ),
            ),
        )),
        None => Some(Breach::new(
            "insurance",
            requirement,
            Text::new("未登记实习责任保险", "no liability insurance is recorded"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::internship::testing::*;
    use crate::internship::{Agreement, InternshipKind, Placement, Rule, Step, check};
    use crate::time::Date;

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
}

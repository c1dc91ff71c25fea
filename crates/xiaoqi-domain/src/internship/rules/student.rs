//! The student's side: the minimum age at a post and the guardian's informed consent. Both are
//! due at [`Step::Place`](crate::internship::Step::Place), when a student is known.

use super::Breach;
use crate::internship::{Placement, RuleSet, Text, age_on, date_of_age};

/// 监护人知情同意, 第八条 (unverified): signed informed consent for a post internship the school
/// arranges.
///
/// The 2016 text (第十二条) asked the guardian's consent for students under 18; reports of the
/// 2021 revision say consent of the student and the guardian (or parents) is now needed for
/// every school-arranged post internship. The platform blocks the under-18 case
/// ([`RuleSet::guardian_consent_below_age`], age on the first day) and lets a rule set raise the
/// age to require consent of everyone. A consent signed after the first day does not count; an
/// unknown age needs consent.
pub(crate) fn guardian_consent(rules: &RuleSet, p: &Placement) -> Option<Breach> {
    let n = rules.guardian_consent_below_age;
    let start = p.start.format();
    let requirement = Text::new(
        format!("未满 {n} 周岁的学生参加岗位实习须取得监护人签字的知情同意书"),
        format!("a student under {n} needs the guardian's signed informed consent for a post internship"),
    );
    let finding = match (p.student_birth_date.map(|b| age_on(b, p.start)), p.guardian_consent) {
        (Some(a), _) if a >= i64::from(n) => return None,
        (_, Some(d)) if d <= p.start => return None,
        (_, Some(d)) => Text::new(
            format!("知情同意书签署于 {}，晚于实习开始日 {start}", d.format()),
            format!("the consent was signed on {}, after the start on {start}", d.format()),
        ),
        (Some(a), None) => Text::new(
            format!("学生在实习开始日 {start} 为 {a} 周岁，尚无监护人知情同意书"),
            format!("the student is {a} on the start date {start} and no consent is on file"),
        ),
        (None, None) => Text::new(
            "学生出生日期未填写，且无监护人知情同意书",
            "the student's birth date is missing and no consent is on file",
        ),
    };
    Some(Breach::new("guardian_consent", requirement, finding))
}

/// 岗位实习最低年龄, 第十六条(二) (checked): no school may arrange, and no enterprise accept, a
/// student under 16 for a 岗位实习.
///
/// The age counts on the first day ([`age_on`]: the birthday itself counts); an unknown birth
/// date cannot pass.
pub(crate) fn minimum_age(rules: &RuleSet, p: &Placement) -> Option<Breach> {
    let n = rules.min_age_shadowing_or_post;
    let start = p.start.format();
    let requirement = Text::new(
        format!("不得安排未满 {n} 周岁的学生跟岗实习或岗位实习"),
        format!("no student under {n} may do a shadowing or post internship"),
    );
    let finding = match p.student_birth_date.map(|b| (b, age_on(b, p.start))) {
        Some((_, a)) if a >= i64::from(n) => return None,
        Some((b, a)) => {
            let turns = date_of_age(b, n).format();
            Text::new(
                format!("学生在实习开始日 {start} 为 {a} 周岁，{turns} 方满 {n} 周岁"),
                format!("the student is {a} on the start date {start} and turns {n} on {turns}"),
            )
        }
        None => Text::new(
            "学生出生日期未填写，无法核对年龄",
            "the student's birth date is missing, so the age cannot be checked",
        ),
    };
    Some(Breach::new("student_birth_date", requirement, finding))
}

#[cfg(test)]
mod tests {
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, Placement, Rule, RuleOverrides, Step, age_on, check};
    use crate::time::Date;

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
}

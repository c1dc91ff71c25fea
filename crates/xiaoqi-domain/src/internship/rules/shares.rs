//! The intern shares, 第十条 (unverified; 2016: 第九条): interns at most 10 % of the enterprise's
//! staff and at most 20 % of the staff of the same kind of post. The capacity they leave is
//! [`max_new_interns`](crate::internship::max_new_interns).

use super::Breach;
use crate::internship::{Placement, RuleSet, Text, share_cap};

/// 实习生占单位职工比例: the interns at posts in the enterprise during the same period, this one
/// included, at most [`RuleSet::max_interns_share_of_staff_pct`] of its staff in post (rounded
/// down: "不超过" is a ceiling).
pub(crate) fn enterprise_intern_share(rules: &RuleSet, p: &Placement) -> Option<Breach> {
    let pct = rules.max_interns_share_of_staff_pct;
    let cap = share_cap(p.enterprise_staff, pct);
    (p.interns_at_enterprise >= cap).then(|| {
        Breach::new(
            "interns_at_enterprise",
            Text::new(
                format!("实习学生人数将超过实习单位在岗职工总数的 {pct}%"),
                format!("interns would exceed {pct}% of the enterprise's staff"),
            ),
            Text::new(
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

/// 实习生占同类岗位比例: the interns on the same kind of post during the same period, this one
/// included, at most [`RuleSet::max_interns_share_of_post_pct`] of that post's staff (rounded
/// down).
pub(crate) fn post_intern_share(rules: &RuleSet, p: &Placement) -> Option<Breach> {
    let pct = rules.max_interns_share_of_post_pct;
    let cap = share_cap(p.post_staff, pct);
    (p.interns_at_post >= cap).then(|| {
        Breach::new(
            "interns_at_post",
            Text::new(
                format!("该岗位实习学生人数将超过同类岗位在岗职工总人数的 {pct}%"),
                format!("interns on this post would exceed {pct}% of the post's staff"),
            ),
            Text::new(
                format!("同类岗位在岗职工 {} 人，至多 {cap} 名实习学生，已有 {} 名", p.post_staff, p.interns_at_post),
                format!(
                    "{} staff on the post allow at most {cap} interns and {} are already placed",
                    p.post_staff, p.interns_at_post
                ),
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, Placement, Rule, Step, check, max_new_interns, share_cap};

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
}

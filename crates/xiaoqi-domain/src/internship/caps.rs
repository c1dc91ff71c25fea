//! The intern shares as capacities: how many interns the 10 % of the enterprise's staff and the
//! 20 % of a post's staff allow (the rules that refuse more are in `rules/shares.rs`).

use super::RuleSet;

/// The most interns a share allows: `floor(staff × pct / 100)`, so a 9-person firm gets none
/// under 10% and a 5-person post exactly one under 20% ("不超过" is a ceiling, never rounded up).
pub fn share_cap(staff: u32, pct: u32) -> u32 {
    let cap = u64::from(staff) * u64::from(pct) / 100;
    u32::try_from(cap).unwrap_or(u32::MAX)
}

/// How many more interns the enterprise may take on this post at the same time: the smaller of
/// what the enterprise share and the post share leave (zero when either is already full). The
/// allocation's capacities must respect it.
pub fn max_new_interns(
    rules: &RuleSet,
    staff: u32,
    post_staff: u32,
    current_at_enterprise: u32,
    current_at_post: u32,
) -> u32 {
    let enterprise = share_cap(staff, rules.max_interns_share_of_staff_pct).saturating_sub(current_at_enterprise);
    let post = share_cap(post_staff, rules.max_interns_share_of_post_pct).saturating_sub(current_at_post);
    enterprise.min(post)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::internship::testing::*;
    use crate::internship::{InternshipKind, Placement, Rule, Step};
    use proptest::prelude::*;

    #[test]
    fn the_capacity_is_the_smaller_share_and_never_negative() {
        let rules = national();
        assert_eq!(max_new_interns(&rules, 100, 50, 3, 0), 7);
        assert_eq!(max_new_interns(&rules, 100, 50, 3, 8), 2);
        assert_eq!(max_new_interns(&rules, 100, 50, 12, 0), 0);
        assert_eq!(max_new_interns(&rules, u32::MAX, u32::MAX, 0, 0), u32::MAX / 10);
    }

    proptest! {
        #[test]
        fn the_capacity_is_exactly_what_the_share_rules_accept(
            staff in 0u32..3000, post in 0u32..300, at_enterprise in 0u32..400, at_post in 0u32..80
        ) {
            let rules = national();
            let n = max_new_interns(&rules, staff, post, at_enterprise, at_post);
            let p = |k: u32| Placement {
                enterprise_staff: staff,
                post_staff: post,
                interns_at_enterprise: at_enterprise + k,
                interns_at_post: at_post + k,
                ..good(InternshipKind::Post)
            };
            let share_rules = |k: u32| rules_broken(&rules, &p(k), Step::Offer)
                .into_iter()
                .filter(|r| matches!(r, Rule::EnterpriseInternShare | Rule::PostInternShare))
                .count();
            if n > 0 {
                prop_assert_eq!(share_rules(0), 0);
                prop_assert_eq!(share_rules(n - 1), 0);
            }
            prop_assert!(share_rules(n) > 0);
        }
    }
}

//! The rules, one check function each, by group: the student (`student.rs`), the papers before
//! the start (`paperwork.rs`), the intern shares (`shares.rs`), the terms of a place (`terms.rs`)
//! and working time (`working_time.rs`).
//!
//! A check reads the placement and the rule set's numbers, whatever the step (the table says
//! when a rule is due), and returns what is wrong as a [`Breach`]: the requirement and the
//! finding in both languages; the article is added from the rule set.

pub(super) mod paperwork;
pub(super) mod shares;
pub(super) mod student;
pub(super) mod terms;
pub(super) mod working_time;

use super::{Breach, InternshipKind, Text};

/// Every kind of internship.
pub(super) const EVERY_KIND: &[InternshipKind] = InternshipKind::ALL;

/// The places at a post ([`InternshipKind::is_at_a_post`]).
pub(super) const AT_A_POST: &[InternshipKind] =
    &[InternshipKind::Shadowing, InternshipKind::Post, InternshipKind::Apprenticeship];

/// The places whose length is capped: shadowing and post internships (an apprenticeship runs
/// with its programme).
pub(super) const SHADOWING_OR_POST: &[InternshipKind] = &[InternshipKind::Shadowing, InternshipKind::Post];

/// The places of relatively independent work, which have a pay floor.
pub(super) const POST_OR_APPRENTICESHIP: &[InternshipKind] = &[InternshipKind::Post, InternshipKind::Apprenticeship];

impl Breach {
    /// A breach of the rule on `field`.
    fn new(field: &'static str, requirement: Text, finding: Text) -> Breach {
        Breach { field, requirement, finding }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_lists_agree_with_the_kinds() {
        assert_eq!(EVERY_KIND, InternshipKind::ALL);
        let at_a_post: Vec<_> = InternshipKind::ALL.iter().copied().filter(|k| k.is_at_a_post()).collect();
        assert_eq!(AT_A_POST, at_a_post.as_slice());
    }
}

//! What cooperation returns (DESIGN.md §6): graduate destinations (毕业去向) and their figures.
//!
//! Who may do what lives in `crate::authz` (`runs_internships` records and checks,
//! `reads_destinations` reads, `recruits_for` confirms at an employer, `manages_majors` sets the
//! occupations a major serves).

pub mod destinations;
pub mod figures;
pub mod import;

pub use crate::authz::reads_destinations;

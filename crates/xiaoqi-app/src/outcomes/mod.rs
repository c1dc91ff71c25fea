//! What cooperation returns (DESIGN.md §6): graduate destinations (毕业去向) and their figures.
//!
//! Who may do what is written here as small named functions, one per rule.

pub mod destinations;
pub mod figures;
pub mod import;

use xiaoqi_domain::org::Role;
use xiaoqi_store::OrgId;

use crate::Principal;

/// Records and checks a college's destinations: its administrators and career officers (the
/// people who run internships and employment today).
pub fn runs_destinations(p: &Principal, college: OrgId) -> bool {
    p.has_role(college, Role::OrgAdmin) || p.has_role(college, Role::CareerOfficer)
}

/// Reads a college's register and figures: those who run it, its programme leaders and the
/// alliance administrators.
pub fn reads_destinations(p: &Principal, college: OrgId) -> bool {
    runs_destinations(p, college) || p.has_role(college, Role::ProgrammeLeader) || p.is_alliance_admin()
}

/// Confirms a destination at an employer: the employer's administrators and HR.
pub fn confirms_for_employer(p: &Principal, employer: OrgId) -> bool {
    p.has_role(employer, Role::OrgAdmin) || p.has_role(employer, Role::EnterpriseHr)
}

/// Sets the occupations a major serves: the college's administrators and programme leaders.
pub fn describes_majors(p: &Principal, college: OrgId) -> bool {
    p.has_role(college, Role::OrgAdmin) || p.has_role(college, Role::ProgrammeLeader)
}

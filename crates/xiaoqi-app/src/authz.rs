//! Who may do what: every rule of access as one named function of the [`Principal`] (and the
//! organisation or record it is about). The use cases check these before they act; the views
//! carry their answers (`may_*`, `actions`) so that pages and the menu render them and decide
//! nothing themselves. Which roles act for which side of a contract is the domain's table
//! (`xiaoqi_domain::service::Side::acting_roles`); the rules here apply it to a caller.

use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::service::Side;
use xiaoqi_store::{OrgId, OrgRecord};

use crate::Principal;

/// Whether the caller holds a role acting for `side` in `org` (a college's administrators and
/// programme leaders; an enterprise's administrators and HR).
pub fn acts_for(p: &Principal, side: Side, org: OrgId) -> bool {
    p.grants.iter().any(|g| g.org_id == org && side.acts(g.org_kind, g.role))
}

/// The organisations the caller acts for on `side`, without repeats, in grant order.
pub fn acting_orgs(p: &Principal, side: Side) -> Vec<OrgId> {
    let mut out: Vec<OrgId> = Vec::new();
    for g in p.grants.iter().filter(|g| side.acts(g.org_kind, g.role)) {
        if !out.contains(&g.org_id) {
            out.push(g.org_id);
        }
    }
    out
}

/// Whether the caller acts for a college or an enterprise anywhere (and so has service requests).
pub fn acts_for_any_side(p: &Principal) -> bool {
    [Side::College, Side::Enterprise].into_iter().any(|side| !acting_orgs(p, side).is_empty())
}

/// Whether the caller recruits for the enterprise `org` (its administrators and HR): writes its
/// demands, sees the students who consented to it, ranks its applicants.
pub fn recruits_for(p: &Principal, org: OrgId) -> bool {
    acts_for(p, Side::Enterprise, org)
}

/// Whether the caller sees the students matched to a demand of `enterprise`: the enterprise's
/// recruiters (all consenting students) and staff of any college (their own such students).
pub fn sees_matched_students(p: &Principal, enterprise: OrgId) -> bool {
    recruits_for(p, enterprise) || p.orgs().iter().any(|(o, _, k)| *k == OrgKind::College && is_college_staff(p, *o))
}

/// Whether the caller administers `org` (its organisation administrators).
pub fn administers(p: &Principal, org: OrgId) -> bool {
    p.has_role(org, Role::OrgAdmin)
}

/// Whether the caller is staff of `college` who may see every profile of its students:
/// administrators, teachers, programme leaders and career officers.
pub fn is_college_staff(p: &Principal, college: OrgId) -> bool {
    [Role::OrgAdmin, Role::Teacher, Role::ProgrammeLeader, Role::CareerOfficer].iter().any(|r| p.has_role(college, *r))
}

/// Whether the caller is a student of `college`.
pub fn is_student_of(p: &Principal, college: OrgId) -> bool {
    p.has_role(college, Role::Student)
}

/// Whether the caller is a student anywhere (and so keeps a profile).
pub fn is_student(p: &Principal) -> bool {
    p.grants.iter().any(|g| g.role == Role::Student)
}

/// Whether the caller runs the internships of `college`: signs placements for the school and
/// runs allocation rounds (its administrators and career officers).
pub fn runs_internships(p: &Principal, college: OrgId) -> bool {
    p.has_role(college, Role::OrgAdmin) || p.has_role(college, Role::CareerOfficer)
}

/// Whether the caller reads the graduate destination register and figures of `college`: those
/// who run its internships and employment, its programme leaders and alliance administrators.
/// (Recording and checking destinations is `runs_internships`; confirming one at an employer,
/// `recruits_for`.)
pub fn reads_destinations(p: &Principal, college: OrgId) -> bool {
    runs_internships(p, college) || p.has_role(college, Role::ProgrammeLeader) || p.is_alliance_admin()
}

/// Whether the caller manages the departments and majors of `college` and what they teach
/// (its administrators and programme leaders).
pub fn manages_majors(p: &Principal, college: OrgId) -> bool {
    p.has_role(college, Role::OrgAdmin) || p.has_role(college, Role::ProgrammeLeader)
}

/// Whether the caller sees the demand insight of `college`: its staff and alliance administrators.
pub fn sees_demand_insight(p: &Principal, college: OrgId) -> bool {
    is_college_staff(p, college) || p.is_alliance_admin()
}

/// Whether the caller sees the placements overview and compliance of `college`: its staff and
/// alliance administrators.
pub fn oversees_placements(p: &Principal, college: OrgId) -> bool {
    is_college_staff(p, college) || p.is_alliance_admin()
}

/// Whether the caller may apply for alliance membership on behalf of `org`: its administrators,
/// when the organisation is not the alliance itself and its state allows an application.
pub fn may_apply_for_membership(p: &Principal, org: &OrgRecord) -> bool {
    administers(p, org.id) && org.profile.kind != OrgKind::Alliance && org.membership.may_apply()
}

/// Whether the caller administers the government agency `org` (publishes its programmes and
/// awards them).
pub fn administers_agency(p: &Principal, org: OrgId) -> bool {
    p.grants.iter().any(|g| g.org_id == org && g.org_kind == OrgKind::Government && g.role == Role::OrgAdmin)
}

/// The government agencies the caller administers, without repeats.
pub fn administered_agencies(p: &Principal) -> Vec<OrgId> {
    p.orgs().into_iter().map(|(id, _, _)| id).filter(|id| administers_agency(p, *id)).collect()
}

/// The roles that manage a college's research teams.
pub const TEAM_MANAGER_ROLES: &[Role] = &[Role::OrgAdmin, Role::ProgrammeLeader, Role::Teacher];

/// Whether the caller manages the research teams of `college`: its administrators, programme
/// leaders and teachers.
pub fn manages_teams(p: &Principal, college: OrgId) -> bool {
    p.grants
        .iter()
        .any(|g| g.org_id == college && g.org_kind == OrgKind::College && TEAM_MANAGER_ROLES.contains(&g.role))
}

/// Whether the caller sees proposals to a problem of `enterprise`: the enterprise's acting staff
/// (all of them) and managers of any college's teams (their teams').
pub fn sees_proposals(p: &Principal, enterprise: OrgId) -> bool {
    acts_for(p, Side::Enterprise, enterprise) || p.grants.iter().any(|g| manages_teams(p, g.org_id))
}

/// Whether the caller takes part in placements (as student, mentor or staff): anyone holding a
/// role in a college or an enterprise.
pub fn takes_part_in_placements(p: &Principal) -> bool {
    p.grants.iter().any(|g| matches!(g.org_kind, OrgKind::College | OrgKind::Enterprise))
}

/// Whether the caller takes part in order classes: alliance administrators and anyone holding a
/// role in a college or an enterprise.
pub fn takes_part_in_order_classes(p: &Principal) -> bool {
    p.is_alliance_admin() || takes_part_in_placements(p)
}

/// Whether the caller sees organisations in every membership state in the directory (and may
/// filter by it): alliance administrators; everyone else sees alliance members only.
pub fn sees_all_memberships(p: &Principal) -> bool {
    p.is_alliance_admin()
}

/// Whether the caller reviews the alliance's membership applications.
pub fn reviews_membership(p: &Principal) -> bool {
    p.is_alliance_admin()
}

#[cfg(test)]
pub(crate) mod tests {
    use xiaoqi_domain::org::MembershipStatus;
    use xiaoqi_store::{AccountRecord, OrgProfile, RoleGrant};

    use super::*;

    pub(crate) const COLLEGE: OrgId = 10;
    pub(crate) const ENTERPRISE: OrgId = 20;
    pub(crate) const AGENCY: OrgId = 30;
    pub(crate) const ALLIANCE: OrgId = 1;

    fn kind_of(org: OrgId) -> OrgKind {
        match org {
            COLLEGE => OrgKind::College,
            ENTERPRISE => OrgKind::Enterprise,
            AGENCY => OrgKind::Government,
            ALLIANCE => OrgKind::Alliance,
            _ => OrgKind::IndustryAssociation,
        }
    }

    /// A principal holding the given (organisation, role) grants.
    pub(crate) fn holding(grants: &[(OrgId, Role)]) -> Principal {
        Principal {
            account: AccountRecord {
                id: 7,
                email: None,
                mobile: None,
                display_name: "测试用户".into(),
                password_hash: String::new(),
                must_change_password: false,
                disabled: false,
                created_at: 0,
            },
            grants: grants
                .iter()
                .map(|(org, role)| RoleGrant {
                    org_id: *org,
                    org_name: format!("org {org}"),
                    org_kind: kind_of(*org),
                    role: *role,
                })
                .collect(),
            csrf_token: None,
            request_id: None,
        }
    }

    fn org(id: OrgId, membership: MembershipStatus) -> OrgRecord {
        OrgRecord { id, profile: OrgProfile::new(kind_of(id), "机构"), membership, created_at: 0, updated_at: 0 }
    }

    #[test]
    fn enterprise_administrators_and_hr_recruit_but_mentors_and_other_orgs_do_not() {
        assert!(recruits_for(&holding(&[(ENTERPRISE, Role::OrgAdmin)]), ENTERPRISE));
        assert!(recruits_for(&holding(&[(ENTERPRISE, Role::EnterpriseHr)]), ENTERPRISE));
        assert!(!recruits_for(&holding(&[(ENTERPRISE, Role::EnterpriseMentor)]), ENTERPRISE));
        assert!(!recruits_for(&holding(&[(COLLEGE, Role::OrgAdmin)]), COLLEGE), "a college does not recruit");
        assert!(!recruits_for(&holding(&[(ENTERPRISE, Role::OrgAdmin)]), 21));
    }

    #[test]
    fn recruiters_of_the_enterprise_and_college_staff_see_matched_students_and_students_do_not() {
        assert!(sees_matched_students(&holding(&[(ENTERPRISE, Role::EnterpriseHr)]), ENTERPRISE));
        assert!(sees_matched_students(&holding(&[(COLLEGE, Role::Teacher)]), ENTERPRISE));
        assert!(!sees_matched_students(&holding(&[(COLLEGE, Role::Student)]), ENTERPRISE));
        assert!(!sees_matched_students(&holding(&[(ENTERPRISE, Role::EnterpriseHr)]), 21));
    }

    #[test]
    fn college_administrators_and_career_officers_run_internships() {
        assert!(runs_internships(&holding(&[(COLLEGE, Role::OrgAdmin)]), COLLEGE));
        assert!(runs_internships(&holding(&[(COLLEGE, Role::CareerOfficer)]), COLLEGE));
        assert!(!runs_internships(&holding(&[(COLLEGE, Role::Teacher)]), COLLEGE));
        assert!(!runs_internships(&holding(&[(COLLEGE, Role::Student)]), COLLEGE));
        assert!(!runs_internships(&holding(&[(ALLIANCE, Role::AllianceAdmin)]), COLLEGE));
    }

    #[test]
    fn college_administrators_and_programme_leaders_manage_majors() {
        assert!(manages_majors(&holding(&[(COLLEGE, Role::OrgAdmin)]), COLLEGE));
        assert!(manages_majors(&holding(&[(COLLEGE, Role::ProgrammeLeader)]), COLLEGE));
        assert!(!manages_majors(&holding(&[(COLLEGE, Role::Teacher)]), COLLEGE));
        assert!(!manages_majors(&holding(&[(COLLEGE, Role::CareerOfficer)]), COLLEGE));
    }

    #[test]
    fn college_staff_are_administrators_teachers_programme_leaders_and_career_officers() {
        for role in [Role::OrgAdmin, Role::Teacher, Role::ProgrammeLeader, Role::CareerOfficer] {
            assert!(is_college_staff(&holding(&[(COLLEGE, role)]), COLLEGE), "{role:?}");
        }
        assert!(!is_college_staff(&holding(&[(COLLEGE, Role::Student)]), COLLEGE));
        assert!(!is_college_staff(&holding(&[(COLLEGE, Role::OrgAdmin)]), 11));
    }

    #[test]
    fn college_staff_and_alliance_administrators_see_demand_insight_and_students_do_not() {
        assert!(sees_demand_insight(&holding(&[(COLLEGE, Role::Teacher)]), COLLEGE));
        assert!(sees_demand_insight(&holding(&[(ALLIANCE, Role::AllianceAdmin)]), COLLEGE));
        assert!(!sees_demand_insight(&holding(&[(COLLEGE, Role::Student)]), COLLEGE));
        assert!(!sees_demand_insight(&holding(&[(ENTERPRISE, Role::OrgAdmin)]), COLLEGE));
    }

    #[test]
    fn college_staff_and_alliance_administrators_oversee_placements() {
        assert!(oversees_placements(&holding(&[(COLLEGE, Role::CareerOfficer)]), COLLEGE));
        assert!(oversees_placements(&holding(&[(ALLIANCE, Role::AllianceAdmin)]), COLLEGE));
        assert!(!oversees_placements(&holding(&[(COLLEGE, Role::Student)]), COLLEGE));
    }

    #[test]
    fn administrators_of_an_unapplied_or_rejected_member_organisation_may_apply() {
        let admin = holding(&[(ENTERPRISE, Role::OrgAdmin)]);
        assert!(may_apply_for_membership(&admin, &org(ENTERPRISE, MembershipStatus::None)));
        assert!(may_apply_for_membership(&admin, &org(ENTERPRISE, MembershipStatus::Rejected)));
        assert!(!may_apply_for_membership(&admin, &org(ENTERPRISE, MembershipStatus::Pending)));
        assert!(!may_apply_for_membership(&admin, &org(ENTERPRISE, MembershipStatus::Member)));
        let hr = holding(&[(ENTERPRISE, Role::EnterpriseHr)]);
        assert!(!may_apply_for_membership(&hr, &org(ENTERPRISE, MembershipStatus::None)));
        let alliance = holding(&[(ALLIANCE, Role::OrgAdmin)]);
        assert!(!may_apply_for_membership(&alliance, &org(ALLIANCE, MembershipStatus::None)));
    }

    #[test]
    fn only_administrators_of_a_government_agency_administer_it() {
        assert!(administers_agency(&holding(&[(AGENCY, Role::OrgAdmin)]), AGENCY));
        assert!(!administers_agency(&holding(&[(AGENCY, Role::Member)]), AGENCY));
        assert!(!administers_agency(&holding(&[(ENTERPRISE, Role::OrgAdmin)]), ENTERPRISE));
        assert_eq!(
            administered_agencies(&holding(&[(AGENCY, Role::OrgAdmin), (ENTERPRISE, Role::OrgAdmin)])),
            [AGENCY]
        );
    }

    #[test]
    fn college_administrators_programme_leaders_and_teachers_manage_teams() {
        for role in TEAM_MANAGER_ROLES {
            assert!(manages_teams(&holding(&[(COLLEGE, *role)]), COLLEGE), "{role:?}");
        }
        assert!(!manages_teams(&holding(&[(COLLEGE, Role::CareerOfficer)]), COLLEGE));
        assert!(!manages_teams(&holding(&[(ENTERPRISE, Role::OrgAdmin)]), ENTERPRISE));
    }

    #[test]
    fn members_of_colleges_and_enterprises_and_alliance_administrators_take_part_in_order_classes() {
        assert!(takes_part_in_order_classes(&holding(&[(COLLEGE, Role::Student)])));
        assert!(takes_part_in_order_classes(&holding(&[(ENTERPRISE, Role::EnterpriseMentor)])));
        assert!(takes_part_in_order_classes(&holding(&[(ALLIANCE, Role::AllianceAdmin)])));
        assert!(!takes_part_in_order_classes(&holding(&[(AGENCY, Role::OrgAdmin)])));
    }

    #[test]
    fn members_of_colleges_and_enterprises_take_part_in_placements_and_agency_staff_do_not() {
        assert!(takes_part_in_placements(&holding(&[(COLLEGE, Role::Student)])));
        assert!(takes_part_in_placements(&holding(&[(ENTERPRISE, Role::EnterpriseMentor)])));
        assert!(!takes_part_in_placements(&holding(&[(AGENCY, Role::OrgAdmin)])));
        assert!(!takes_part_in_placements(&holding(&[(ALLIANCE, Role::AllianceAdmin)])));
    }

    #[test]
    fn the_enterprise_and_team_managers_see_proposals_and_its_mentors_do_not() {
        assert!(sees_proposals(&holding(&[(ENTERPRISE, Role::EnterpriseHr)]), ENTERPRISE));
        assert!(sees_proposals(&holding(&[(COLLEGE, Role::Teacher)]), ENTERPRISE));
        assert!(!sees_proposals(&holding(&[(ENTERPRISE, Role::EnterpriseMentor)]), ENTERPRISE));
        assert!(!sees_proposals(&holding(&[(COLLEGE, Role::Student)]), ENTERPRISE));
    }

    #[test]
    fn only_alliance_administrators_see_every_membership_state() {
        assert!(sees_all_memberships(&holding(&[(ALLIANCE, Role::AllianceAdmin)])));
        assert!(!sees_all_memberships(&holding(&[(ENTERPRISE, Role::OrgAdmin)])));
    }

    #[test]
    fn only_alliance_administrators_review_membership() {
        assert!(reviews_membership(&holding(&[(ALLIANCE, Role::AllianceAdmin)])));
        assert!(!reviews_membership(&holding(&[(ALLIANCE, Role::OrgAdmin)])));
        assert!(!reviews_membership(&holding(&[(ENTERPRISE, Role::OrgAdmin)])));
    }

    #[test]
    fn acting_orgs_lists_each_organisation_once() {
        let p = holding(&[(ENTERPRISE, Role::OrgAdmin), (ENTERPRISE, Role::EnterpriseHr), (COLLEGE, Role::Teacher)]);
        assert_eq!(acting_orgs(&p, Side::Enterprise), [ENTERPRISE]);
        assert!(acting_orgs(&p, Side::College).is_empty());
        assert!(acts_for_any_side(&p));
        assert!(!acts_for_any_side(&holding(&[(COLLEGE, Role::Teacher)])));
    }
}

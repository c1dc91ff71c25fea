//! Checks a demand before it is stored; scoring never needs it to pass (see `plan`).

use std::collections::BTreeSet;
use std::fmt;

use crate::model::{CertId, Demand, MAX_LEVEL, MIN_LEVEL, SkillId};

/// The most roles a compound demand may have; scoring ignores further roles.
pub const MAX_ROLES: usize = 3;
/// The most skills one role may require; scoring ignores further skills.
pub const MAX_SKILLS_PER_ROLE: usize = 64;
/// The largest weight of a skill; scoring treats larger weights as this.
pub const MAX_WEIGHT: u32 = 1_000;
/// The most distinct certificates a demand may ask for; scoring ignores further ones.
pub const MAX_CERTIFICATES: usize = 16;

/// Why a demand cannot be matched as written; roles are numbered from 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DemandError {
    /// The demand has no role.
    NoRoles,
    /// More than [`MAX_ROLES`] roles.
    TooManyRoles { count: usize },
    /// A role's share is 0.
    ZeroShare { role: usize },
    /// A role requires no skill.
    NoSkills { role: usize },
    /// A role requires more than [`MAX_SKILLS_PER_ROLE`] skills.
    TooManySkills { role: usize, count: usize },
    /// A skill's weight is 0.
    ZeroWeight { role: usize, skill: SkillId },
    /// A skill's weight is above [`MAX_WEIGHT`].
    WeightTooLarge { role: usize, skill: SkillId, weight: u32 },
    /// A minimum level outside 1..=5.
    LevelOutOfRange { role: usize, skill: SkillId, level: u8 },
    /// The same skill twice in one role.
    DuplicateSkill { role: usize, skill: SkillId },
    /// More than [`MAX_CERTIFICATES`] distinct certificates over all roles.
    TooManyCertificates { count: usize },
}

impl fmt::Display for DemandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoRoles => write!(f, "the demand has no role"),
            Self::TooManyRoles { count } => write!(f, "{count} roles, at most {MAX_ROLES}"),
            Self::ZeroShare { role } => write!(f, "role {role}: the share must be at least 1"),
            Self::NoSkills { role } => write!(f, "role {role}: no required skill"),
            Self::TooManySkills { role, count } => {
                write!(f, "role {role}: {count} skills, at most {MAX_SKILLS_PER_ROLE}")
            }
            Self::ZeroWeight { role, skill } => write!(f, "role {role}: skill {}: weight must be at least 1", skill.0),
            Self::WeightTooLarge { role, skill, weight } => {
                write!(f, "role {role}: skill {}: weight {weight} above {MAX_WEIGHT}", skill.0)
            }
            Self::LevelOutOfRange { role, skill, level } => {
                write!(f, "role {role}: skill {}: level {level} outside {MIN_LEVEL}..={MAX_LEVEL}", skill.0)
            }
            Self::DuplicateSkill { role, skill } => write!(f, "role {role}: skill {} required twice", skill.0),
            Self::TooManyCertificates { count } => write!(f, "{count} certificates, at most {MAX_CERTIFICATES}"),
        }
    }
}

impl std::error::Error for DemandError {}

impl Demand {
    /// Every reason the demand is invalid, in role and skill order; `Ok` when there is none.
    pub fn validate(&self) -> Result<(), Vec<DemandError>> {
        let mut errors = Vec::new();
        if self.roles.is_empty() {
            errors.push(DemandError::NoRoles);
        }
        if self.roles.len() > MAX_ROLES {
            errors.push(DemandError::TooManyRoles { count: self.roles.len() });
        }
        let mut certificates = BTreeSet::<CertId>::new();
        for (role, r) in self.roles.iter().enumerate() {
            if r.share == 0 {
                errors.push(DemandError::ZeroShare { role });
            }
            if r.skills.is_empty() {
                errors.push(DemandError::NoSkills { role });
            }
            if r.skills.len() > MAX_SKILLS_PER_ROLE {
                errors.push(DemandError::TooManySkills { role, count: r.skills.len() });
            }
            let mut seen = BTreeSet::new();
            for s in &r.skills {
                let skill = s.skill;
                if s.weight == 0 {
                    errors.push(DemandError::ZeroWeight { role, skill });
                }
                if s.weight > MAX_WEIGHT {
                    errors.push(DemandError::WeightTooLarge { role, skill, weight: s.weight });
                }
                if !(MIN_LEVEL..=MAX_LEVEL).contains(&s.min_level) {
                    errors.push(DemandError::LevelOutOfRange { role, skill, level: s.min_level });
                }
                if !seen.insert(skill) {
                    errors.push(DemandError::DuplicateSkill { role, skill });
                }
            }
            certificates.extend(r.certificates.iter().copied());
        }
        if certificates.len() > MAX_CERTIFICATES {
            errors.push(DemandError::TooManyCertificates { count: certificates.len() });
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, SkillReq};

    fn req(skill: u32, weight: u32, min_level: u8) -> SkillReq {
        SkillReq { skill: SkillId(skill), weight, min_level }
    }

    fn role(skills: Vec<SkillReq>) -> Role {
        Role { share: 1, skills, certificates: vec![] }
    }

    #[test]
    fn a_plain_demand_with_weighted_skills_is_valid() {
        let d = Demand { roles: vec![role(vec![req(1, 3, 3), req(2, 1, 1)])], ..Demand::default() };
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn a_demand_without_roles_is_rejected() {
        assert_eq!(Demand::default().validate(), Err(vec![DemandError::NoRoles]));
    }

    #[test]
    fn every_problem_is_reported_at_once_in_role_order() {
        let mut second = role(vec![]);
        second.share = 0;
        let d = Demand {
            roles: vec![role(vec![req(1, 0, 3), req(2, 1, 0), req(2, 1, 6), req(3, 1_001, 2)]), second],
            ..Demand::default()
        };
        let skill = SkillId;
        assert_eq!(
            d.validate(),
            Err(vec![
                DemandError::ZeroWeight { role: 0, skill: skill(1) },
                DemandError::LevelOutOfRange { role: 0, skill: skill(2), level: 0 },
                DemandError::LevelOutOfRange { role: 0, skill: skill(2), level: 6 },
                DemandError::DuplicateSkill { role: 0, skill: skill(2) },
                DemandError::WeightTooLarge { role: 0, skill: skill(3), weight: 1_001 },
                DemandError::ZeroShare { role: 1 },
                DemandError::NoSkills { role: 1 },
            ])
        );
    }

    #[test]
    fn limits_on_roles_skills_and_certificates_are_enforced() {
        let many: Vec<SkillReq> = (0..65).map(|s| req(s, 1, 1)).collect();
        let mut r = role(many);
        r.certificates = (0..17).map(CertId).collect();
        let d = Demand {
            roles: vec![r, role(vec![req(1, 1, 1)]), role(vec![req(1, 1, 1)]), role(vec![req(1, 1, 1)])],
            ..Demand::default()
        };
        assert_eq!(
            d.validate(),
            Err(vec![
                DemandError::TooManyRoles { count: 4 },
                DemandError::TooManySkills { role: 0, count: 65 },
                DemandError::TooManyCertificates { count: 17 },
            ])
        );
    }

    #[test]
    fn errors_read_as_sentences() {
        let e = DemandError::DuplicateSkill { role: 1, skill: SkillId(7) };
        assert_eq!(e.to_string(), "role 1: skill 7 required twice");
    }
}

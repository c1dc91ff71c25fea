//! Behaviour of the matching engine through its public API.

mod market;
mod ranking;
mod reference;

use xiaoqi_match::{CertId, Demand, Profile, Region, Role, SkillId, SkillReq};

/// A required skill: (id, weight, minimum level).
pub fn req(skill: u32, weight: u32, min_level: u8) -> SkillReq {
    SkillReq { skill: SkillId(skill), weight, min_level }
}

/// A role with share 1 and no certificate.
pub fn role(skills: Vec<SkillReq>) -> Role {
    Role { share: 1, skills, certificates: vec![] }
}

/// A demand in Nanshan, Shenzhen (440305) whose region counts.
pub fn demand(roles: Vec<Role>) -> Demand {
    Demand { roles, region: Region(440305), region_matters: true }
}

/// A student with these (skill, level) pairs and nothing else.
pub fn student(skills: &[(u32, u8)]) -> Profile {
    Profile { skills: skills.iter().map(|&(s, l)| (SkillId(s), l)).collect(), ..Profile::default() }
}

pub fn with_certificates(mut p: Profile, certs: &[u32]) -> Profile {
    p.certificates = certs.iter().map(|&c| CertId(c)).collect();
    p
}

//! Why a candidate scores what it does: per role, per skill, certificates and region.

use crate::model::{CertId, Demand, Level, Major, Profile, Region, SkillId};
use crate::plan::{
    Plan, RegionRelation, coverage, credit, held_level, prefers, region_relation, region_value, same_city_and_province,
    scored_requirement,
};
use crate::validate::{MAX_ROLES, MAX_SKILLS_PER_ROLE};

/// A required skill held below its minimum level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartialSkill {
    /// The skill.
    pub skill: SkillId,
    /// The candidate's level.
    pub have: Level,
    /// The role's minimum level.
    pub need: Level,
}

/// How well a candidate covers one role.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleExplanation {
    /// The role's position in the demand.
    pub role: usize,
    /// Skills held at or above the minimum level.
    pub matched: Vec<SkillId>,
    /// Skills held below the minimum level.
    pub partial: Vec<PartialSkill>,
    /// Skills not held.
    pub missing: Vec<SkillId>,
    /// Σ credit / Σ weight over the role's skills, in 0..=1.
    pub coverage: f32,
    /// Whether the role counts in the score (its share and weights are not all 0).
    pub counted: bool,
}

/// Why a candidate fits a demand; `score` is the score that ranks it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// One entry per role, in the demand's order.
    pub roles: Vec<RoleExplanation>,
    /// The skill fit in 0..=1 (roles combined, see the README).
    pub skill_score: f32,
    /// Required certificates the candidate holds.
    pub certificates_held: Vec<CertId>,
    /// Required certificates the candidate lacks.
    pub certificates_missing: Vec<CertId>,
    /// Where the candidate is relative to the demand.
    pub region: RegionRelation,
    /// Whether the demand counts the region.
    pub region_matters: bool,
    /// The total score in 0..=1.
    pub score: f32,
}

/// What is scored of a student or a major.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate<'a> {
    pub skills: &'a [(SkillId, Level)],
    pub certificates: &'a [CertId],
    pub region: Region,
    pub preferred: &'a [Region],
}

impl<'a> Candidate<'a> {
    pub fn student(p: &'a Profile) -> Self {
        Candidate {
            skills: &p.skills,
            certificates: &p.certificates,
            region: p.region,
            preferred: &p.preferred_regions,
        }
    }

    pub fn major(m: &'a Major) -> Self {
        Candidate { skills: &m.skills, certificates: &m.certificates, region: m.region, preferred: &[] }
    }

    /// The highest level listed for `skill`, 0 when it is not listed.
    fn level(&self, skill: SkillId) -> Level {
        self.skills.iter().filter(|(s, _)| *s == skill).map(|&(_, l)| held_level(l)).max().unwrap_or(0)
    }
}

/// Explains (and scores) how `profile` fits `demand`.
pub fn explain(demand: &Demand, profile: &Profile) -> Explanation {
    explain_with(&Plan::new(demand), demand, Candidate::student(profile))
}

pub(crate) fn explain_with(plan: &Plan, demand: &Demand, candidate: Candidate<'_>) -> Explanation {
    let mut credits = vec![0u32; plan.slots.len()];
    let mut roles = Vec::new();
    for (role, r) in demand.roles.iter().take(MAX_ROLES).enumerate() {
        let slot = plan.slot_of(role);
        let mut e = RoleExplanation {
            role,
            matched: Vec::new(),
            partial: Vec::new(),
            missing: Vec::new(),
            coverage: 0.0,
            counted: slot.is_some(),
        };
        let (mut got, mut total) = (0u32, 0u32);
        for s in r.skills.iter().take(MAX_SKILLS_PER_ROLE) {
            let (weight, need) = scored_requirement(s.weight, s.min_level);
            let have = candidate.level(s.skill);
            got += credit(weight, need, have);
            total += credit(weight, need, need);
            match have {
                0 => e.missing.push(s.skill),
                h if h < need => e.partial.push(PartialSkill { skill: s.skill, have: h, need }),
                _ => e.matched.push(s.skill),
            }
        }
        e.coverage = coverage(got, total);
        if let Some(c) = slot.and_then(|s| credits.get_mut(s)) {
            *c = got;
        }
        roles.push(e);
    }
    let (held, missing): (Vec<CertId>, Vec<CertId>) =
        plan.certificates.iter().partition(|c| candidate.certificates.contains(c));
    let preferred = !plan.region.is_unknown() && prefers(candidate.preferred, plan.region);
    let region = region_relation(plan.region, candidate.region, preferred);
    let held_count = u32::try_from(held.len()).unwrap_or(u32::MAX);
    let (same_city, same_province) = same_city_and_province(plan.region, candidate.region);
    let region_part = region_value(same_city, preferred, same_province);
    let coverages: Vec<f32> =
        plan.slots.iter().filter_map(|s| roles.get(s.role)).map(|r: &RoleExplanation| r.coverage).collect();
    let skill_score = plan.skill_fit(&coverages);
    let score = plan.score(&credits, held_count, region_part);
    Explanation {
        roles,
        skill_score,
        score,
        certificates_held: held,
        certificates_missing: missing,
        region,
        region_matters: plan.region_matters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, SkillReq};

    fn req(skill: u32, weight: u32, min_level: u8) -> SkillReq {
        SkillReq { skill: SkillId(skill), weight, min_level }
    }

    fn demand() -> Demand {
        let role = Role {
            share: 1,
            skills: vec![req(1, 2, 3), req(2, 1, 4), req(3, 1, 2)],
            certificates: vec![CertId(9), CertId(8)],
        };
        Demand { roles: vec![role], region: Region(440305), region_matters: true }
    }

    #[test]
    fn skills_are_sorted_into_matched_partial_and_missing() {
        let p = Profile {
            skills: vec![(SkillId(1), 5), (SkillId(2), 2)],
            certificates: vec![CertId(8)],
            ..Profile::default()
        };
        let e = explain(&demand(), &p);
        let role = &e.roles[0];
        assert_eq!(role.matched, vec![SkillId(1)]);
        assert_eq!(role.partial, vec![PartialSkill { skill: SkillId(2), have: 2, need: 4 }]);
        assert_eq!(role.missing, vec![SkillId(3)]);
        assert_eq!(role.coverage, 2.5 / 4.0);
        assert_eq!(e.certificates_held, vec![CertId(8)]);
        assert_eq!(e.certificates_missing, vec![CertId(9)]);
        assert_eq!(e.region, RegionRelation::Unknown);
    }

    #[test]
    fn the_score_is_the_weighted_sum_of_skills_certificates_and_region() {
        let p = Profile {
            skills: vec![(SkillId(1), 3), (SkillId(2), 4), (SkillId(3), 2)],
            region: Region(440306),
            ..Profile::default()
        };
        let e = explain(&demand(), &p);
        assert_eq!(e.skill_score, 1.0);
        assert!((e.score - (0.8 + 0.0 + 0.1)).abs() < 1e-6);
    }

    #[test]
    fn a_candidate_without_any_required_skill_scores_zero_whatever_the_bonuses() {
        let p = Profile {
            skills: vec![(SkillId(7), 5)],
            certificates: vec![CertId(8), CertId(9)],
            region: Region(440305),
            ..Profile::default()
        };
        assert_eq!(explain(&demand(), &p).score, 0.0);
    }

    #[test]
    fn duplicate_skills_of_a_profile_count_once_at_the_highest_level() {
        let once = Profile { skills: vec![(SkillId(2), 3)], ..Profile::default() };
        let twice = Profile { skills: vec![(SkillId(2), 1), (SkillId(2), 3)], ..Profile::default() };
        assert_eq!(explain(&demand(), &once), explain(&demand(), &twice));
    }
}

//! The score: a demand compiled once into a plan that scores every candidate the same way.
//!
//! Both the ranking over a [`crate::ProfileSet`] and [`crate::explain`] compute the total with
//! [`Kernel::score`] from the same credits (integers, exact in `f32`), certificate count and
//! region value, so the explanation's score is bitwise the score used to rank.

use std::collections::BTreeMap;

use crate::model::{CertId, Demand, Level, MAX_LEVEL, MIN_LEVEL, Region, SkillId};
use crate::validate::{MAX_CERTIFICATES, MAX_ROLES, MAX_SKILLS_PER_ROLE, MAX_WEIGHT};

/// Share of the skill fit in the total score.
pub const SKILL_PART: f32 = 0.8;
/// Share of the certificates in the total score.
pub const CERTIFICATE_PART: f32 = 0.1;
/// Share of the region in the total score.
pub const REGION_PART: f32 = 0.1;
/// Weight of the weakest role's coverage in the skill fit of a compound demand.
pub const WEAKEST_ROLE_WEIGHT: f32 = 0.5;

/// Credits are counted in sixtieths of a weight, so that `level / min_level` is exact for
/// every minimum level 1..=5 and sums do not depend on their order.
const CREDIT_UNITS: u32 = 60;

/// Where a candidate is relative to the demand's region, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegionRelation {
    /// Same city (the first four digits agree).
    SameCity,
    /// The demand's region is among the candidate's preferred regions.
    Preferred,
    /// Same province (the first two digits agree).
    SameProvince,
    /// Elsewhere.
    Other,
    /// The demand's or the candidate's region is unknown.
    Unknown,
}

impl RegionRelation {
    /// The region part of the score (before [`REGION_PART`]) when the region matters.
    pub fn value(self) -> f32 {
        match self {
            Self::SameCity => 1.0,
            Self::Preferred => 0.75,
            Self::SameProvince => 0.5,
            Self::Other | Self::Unknown => 0.0,
        }
    }
}

/// How a preferred region is matched: a province-level code by province, any other by city.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PreferenceKey {
    City(u32),
    Province(u32),
}

pub(crate) fn preference_key(region: Region) -> Option<PreferenceKey> {
    if region.is_unknown() {
        None
    } else if region.is_province_level() {
        Some(PreferenceKey::Province(region.province()))
    } else {
        Some(PreferenceKey::City(region.city()))
    }
}

/// Whether a demand in `demand` is in one of the `preferred` regions.
pub(crate) fn prefers(preferred: &[Region], demand: Region) -> bool {
    preferred.iter().any(|&r| match preference_key(r) {
        Some(PreferenceKey::City(c)) => c == demand.city(),
        Some(PreferenceKey::Province(p)) => p == demand.province(),
        None => false,
    })
}

/// The relation of a candidate in `candidate` (who prefers the demand's region or not).
pub(crate) fn region_relation(demand: Region, candidate: Region, preferred: bool) -> RegionRelation {
    if demand.is_unknown() {
        RegionRelation::Unknown
    } else if !candidate.is_unknown() && candidate.city() == demand.city() {
        RegionRelation::SameCity
    } else if preferred {
        RegionRelation::Preferred
    } else if candidate.is_unknown() {
        RegionRelation::Unknown
    } else if candidate.province() == demand.province() {
        RegionRelation::SameProvince
    } else {
        RegionRelation::Other
    }
}

/// The region part (before [`REGION_PART`]) from what holds of a candidate; equals
/// `region_relation(..).value()` (a test checks it). The ranking gets the three facts from
/// inverted lists, `explain` from the profile.
#[inline(always)]
pub(crate) fn region_value(same_city: bool, preferred: bool, same_province: bool) -> f32 {
    if same_city {
        1.0
    } else if preferred {
        0.75
    } else if same_province {
        0.5
    } else {
        0.0
    }
}

/// (same city, same province) of a candidate in `candidate`; both false when either is unknown.
pub(crate) fn same_city_and_province(demand: Region, candidate: Region) -> (bool, bool) {
    let known = !demand.is_unknown() && !candidate.is_unknown();
    (known && candidate.city() == demand.city(), known && candidate.province() == demand.province())
}

/// A candidate's level as scored: 0 means "does not have it", levels above 5 count as 5.
pub(crate) fn held_level(level: Level) -> Level {
    level.min(MAX_LEVEL)
}

/// A requirement as scored: weight at most [`MAX_WEIGHT`], minimum level within 1..=5.
pub(crate) fn scored_requirement(weight: u32, min_level: Level) -> (u32, Level) {
    (weight.min(MAX_WEIGHT), min_level.clamp(MIN_LEVEL, MAX_LEVEL))
}

/// Credit, in sixtieths, of holding a skill at `level` for a requirement (`weight`, `min_level`).
///
/// A role's credits sum to at most 64 × 1000 × 60 < 2^24, so they are exact in `f32` too
/// and the fast path may add them as floats in any order.
pub(crate) fn credit(weight: u32, min_level: Level, level: Level) -> u32 {
    weight * (CREDIT_UNITS / u32::from(min_level)) * u32::from(level.min(min_level))
}

/// Coverage of a role: credit over the role's full credit; 0 for a role with nothing to cover.
pub(crate) fn coverage(credit: u32, total: u32) -> f32 {
    if total == 0 { 0.0 } else { credit as f32 / total as f32 }
}

/// A role that counts in the score: its share > 0 and its skills' weights sum above 0.
#[derive(Clone, Debug)]
pub(crate) struct Slot {
    /// The role's position in the demand.
    pub role: usize,
    /// The role's share divided by the sum of the counted roles' shares.
    pub share: f32,
    /// The role's full credit (every skill at its minimum level).
    pub total: u32,
}

/// Where one skill adds credit: a slot, the credit per held level 0..=7, and for dense
/// columns the same as `multiplier × min(level, min_level)`.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub slot: usize,
    pub credit_by_level: [f32; 8],
    pub multiplier: f32,
    pub min_level: Level,
}

/// A distinct required skill and the slots it adds to.
#[derive(Clone, Debug)]
pub(crate) struct SkillPlan {
    pub skill: SkillId,
    pub targets: Vec<Target>,
}

/// A demand compiled for scoring. Invalid demands are scored as clamped (see the README).
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub slots: Vec<Slot>,
    pub skills: Vec<SkillPlan>,
    pub certificates: Vec<CertId>,
    pub region: Region,
    pub region_matters: bool,
}

impl Plan {
    pub fn new(demand: &Demand) -> Plan {
        let roles = demand.roles.get(..MAX_ROLES).unwrap_or(&demand.roles);
        let mut slots = Vec::new();
        let mut by_skill = BTreeMap::<SkillId, Vec<Target>>::new();
        for (role, r) in roles.iter().enumerate() {
            let skills = r.skills.iter().take(MAX_SKILLS_PER_ROLE);
            let total = skills.clone().map(|s| scored_requirement(s.weight, s.min_level)).map(|(w, m)| credit(w, m, m));
            let total: u32 = total.sum();
            if r.share == 0 || total == 0 {
                continue;
            }
            let slot = slots.len();
            slots.push(Slot { role, share: r.share as f32, total });
            for s in skills.filter(|s| s.weight > 0) {
                let (w, m) = scored_requirement(s.weight, s.min_level);
                let credit_by_level = std::array::from_fn(|l| credit(w, m, held_level(l as Level)) as f32);
                let multiplier = credit(w, m, 1) as f32;
                by_skill.entry(s.skill).or_default().push(Target { slot, credit_by_level, multiplier, min_level: m });
            }
        }
        let share_sum: f64 = slots.iter().map(|s| f64::from(s.share)).sum();
        for s in &mut slots {
            s.share = (f64::from(s.share) / share_sum) as f32;
        }
        let mut certificates: Vec<CertId> = Vec::new();
        for c in roles.iter().flat_map(|r| r.certificates.iter().copied()) {
            if !certificates.contains(&c) && certificates.len() < MAX_CERTIFICATES {
                certificates.push(c);
            }
        }
        let skills = by_skill.into_iter().map(|(skill, targets)| SkillPlan { skill, targets }).collect();
        Plan { slots, skills, certificates, region: demand.region, region_matters: demand.region_matters }
    }

    /// The slot of the demand's `role`, if it counts.
    pub fn slot_of(&self, role: usize) -> Option<usize> {
        self.slots.iter().position(|s| s.role == role)
    }

    /// The scoring constants for exactly `R` counted roles.
    pub fn kernel<const R: usize>(&self) -> Option<Kernel<R>> {
        if self.slots.len() != R {
            return None;
        }
        let slot = |r: usize| self.slots.get(r).map_or((0.0, 1.0), |s| (s.share, s.total as f32));
        let (mean, weakest) = (SKILL_PART * (1.0 - WEAKEST_ROLE_WEIGHT), SKILL_PART * WEAKEST_ROLE_WEIGHT);
        let n = self.certificates.len() as f32;
        Some(Kernel {
            mean_weight: std::array::from_fn(|r| mean * slot(r).0 / slot(r).1),
            weakest_weight: std::array::from_fn(|r| weakest / slot(r).1),
            certificate_base: if n > 0.0 { 0.0 } else { CERTIFICATE_PART },
            certificate_step: if n > 0.0 { CERTIFICATE_PART / n } else { 0.0 },
            region_matters: self.region_matters,
        })
    }

    /// The total score from the integer credits of each slot (see [`Kernel::score`]).
    pub fn score(&self, credits: &[u32], certificates_held: u32, region_value: f32) -> f32 {
        fn run<const R: usize>(plan: &Plan, credits: &[u32], held: f32, region: f32) -> Option<f32> {
            let k = plan.kernel::<R>()?;
            Some(k.score(std::array::from_fn(|r| credits.get(r).map_or(0.0, |&c| c as f32)), held, region))
        }
        let held = certificates_held as f32;
        match self.slots.len() {
            1 => run::<1>(self, credits, held, region_value),
            2 => run::<2>(self, credits, held, region_value),
            3 => run::<3>(self, credits, held, region_value),
            _ => None,
        }
        .unwrap_or(0.0)
    }

    /// The skill fit in 0..=1 from the counted roles' coverages (for explanations):
    /// `(1 − w) · Σ share · coverage + w · min coverage`, `w` = [`WEAKEST_ROLE_WEIGHT`].
    pub fn skill_fit(&self, coverages: &[f32]) -> f32 {
        if self.slots.is_empty() {
            return 0.0;
        }
        let mean: f32 = self.slots.iter().zip(coverages).map(|(s, c)| s.share * c).sum();
        let weakest = coverages.iter().copied().fold(1.0f32, f32::min);
        (1.0 - WEAKEST_ROLE_WEIGHT) * mean + WEAKEST_ROLE_WEIGHT * weakest
    }
}

/// The score of a demand with `R` counted roles, with every division done once per demand and
/// no branch, so that the ranking's block loop vectorises; `explain` calls the same function.
///
/// `SKILL_PART · ((1 − w) · Σ share_r · c_r / T_r + w · min_r c_r / T_r)` is computed as
/// `Σ mean_weight_r · c_r + min_r weakest_weight_r · c_r`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Kernel<const R: usize> {
    mean_weight: [f32; R],
    weakest_weight: [f32; R],
    certificate_base: f32,
    certificate_step: f32,
    region_matters: bool,
}

impl<const R: usize> Kernel<R> {
    /// The total score in 0..=1 from each counted role's credit (in sixtieths), the number of
    /// required certificates held and the region value; 0 when no required skill is held.
    #[inline(always)]
    pub fn score(&self, credits: [f32; R], certificates_held: f32, region_value: f32) -> f32 {
        let mut any = 0.0f32;
        let mut mean = 0.0f32;
        let mut weakest = f32::MAX;
        for ((&c, &m), &w) in credits.iter().zip(&self.mean_weight).zip(&self.weakest_weight) {
            any += c;
            mean += m * c;
            let w = w * c;
            weakest = if w < weakest { w } else { weakest };
        }
        let certificates = self.certificate_base + self.certificate_step * certificates_held;
        let region = if self.region_matters { REGION_PART * region_value } else { REGION_PART };
        let total = mean + weakest + certificates + region;
        let total = if total < 1.0 { total } else { 1.0 };
        if any > 0.0 { total } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, SkillReq};

    fn r(code: u32) -> Region {
        Region(code)
    }

    #[test]
    fn partial_credit_is_proportional_to_level_over_minimum() {
        assert_eq!(credit(2, 4, 4), 120);
        assert_eq!(credit(2, 4, 5), 120);
        assert_eq!(credit(2, 4, 3), 90);
        assert_eq!(credit(2, 4, 0), 0);
        assert_eq!(coverage(90, 120), 0.75);
    }

    #[test]
    fn region_relations_follow_the_division_code() {
        assert_eq!(region_relation(r(440305), r(440306), false), RegionRelation::SameCity);
        assert_eq!(region_relation(r(440305), r(440106), false), RegionRelation::SameProvince);
        assert_eq!(region_relation(r(440305), r(110105), false), RegionRelation::Other);
        assert_eq!(region_relation(r(440305), r(110105), true), RegionRelation::Preferred);
        assert_eq!(region_relation(r(440305), Region::UNKNOWN, false), RegionRelation::Unknown);
        assert_eq!(region_relation(Region::UNKNOWN, r(440305), true), RegionRelation::Unknown);
    }

    #[test]
    fn preferred_cities_and_provinces_match_the_demand_region() {
        assert!(prefers(&[r(440300)], r(440305)));
        assert!(prefers(&[r(440306)], r(440305)));
        assert!(prefers(&[r(440000)], r(440106)));
        assert!(!prefers(&[r(440100)], r(440305)));
        assert!(!prefers(&[Region::UNKNOWN], r(440305)));
    }

    #[test]
    fn the_region_value_agrees_with_the_relation() {
        let codes = [0, 5, 440000, 440300, 440305, 440306, 440106, 449999, 450102, 110105, 4_294_967_295];
        for d in codes {
            for c in codes {
                for preferred in [false, true] {
                    let relation = region_relation(r(d), r(c), preferred);
                    let (city, province) = same_city_and_province(r(d), r(c));
                    let preferred = preferred && d != 0;
                    assert_eq!(region_value(city, preferred, province), relation.value(), "{d} {c} {preferred}");
                }
            }
        }
    }

    fn two_equal_roles() -> Plan {
        let role = |skill| Role {
            share: 1,
            skills: vec![SkillReq { skill: SkillId(skill), weight: 1, min_level: 1 }],
            certificates: vec![],
        };
        Plan::new(&Demand { roles: vec![role(1), role(2)], region: Region::UNKNOWN, region_matters: false })
    }

    #[test]
    fn covering_one_of_two_equal_roles_gives_a_quarter_of_the_skill_fit() {
        let plan = two_equal_roles();
        assert_eq!(plan.skill_fit(&[1.0, 1.0]), 1.0);
        assert_eq!(plan.skill_fit(&[1.0, 0.0]), 0.25);
        assert_eq!(plan.skill_fit(&[0.5, 0.5]), 0.5);
    }

    #[test]
    fn the_kernel_adds_the_parts_of_the_score() {
        let plan = two_equal_roles();
        let near = |a: f32, b: f32| (a - b).abs() < 1e-6;
        // Skill fit 1, no certificate required, region does not matter: all three parts full.
        assert!(near(plan.score(&[60, 60], 0, 0.0), 1.0));
        assert!(near(plan.score(&[60, 0], 0, 0.0), 0.8 * 0.25 + 0.2));
        assert!(near(plan.score(&[30, 30], 0, 0.0), 0.8 * 0.5 + 0.2));
        assert_eq!(plan.score(&[0, 0], 0, 1.0), 0.0);
    }

    #[test]
    fn region_values_are_ordered_like_the_relations() {
        use RegionRelation::*;
        let values: Vec<f32> = [SameCity, Preferred, SameProvince, Other].iter().map(|r| r.value()).collect();
        assert!(values.windows(2).all(|w| w[0] > w[1]));
    }
}

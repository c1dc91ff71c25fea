#![doc = include_str!("../README.md")]

pub mod bench;
mod explain;
mod index;
mod market;
mod model;
mod plan;
mod rank;
mod validate;

pub use explain::{Explanation, PartialSkill, RoleExplanation, explain};
pub use index::{MAX_PROFILES, ProfileSet, ProfileSetBuilder, ProfileSetFull};
pub use market::{COLLEGE_MAJORS, RankedCollege, RankedDemand, RankedMajor, rank_colleges, rank_demands, rank_majors};
pub use model::{CertId, Demand, Level, MAX_LEVEL, MIN_LEVEL, Major, Profile, Region, Role, SkillId, SkillReq};
pub use plan::{CERTIFICATE_PART, REGION_PART, RegionRelation, SKILL_PART, WEAKEST_ROLE_WEIGHT};
pub use rank::{Ranked, rank_students};
pub use validate::{DemandError, MAX_CERTIFICATES, MAX_ROLES, MAX_SKILLS_PER_ROLE, MAX_WEIGHT};

//! The inputs of matching: skills, certificates, regions, demands, profiles and majors.

/// A skill of the platform's vocabulary (the caller maps database ids to these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillId(pub u32);

/// A vocational certificate (职业技能等级证书 and the like).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CertId(pub u32);

/// A skill level: 1 = aware, 3 = independent, 5 = expert.
pub type Level = u8;

/// The lowest valid skill level.
pub const MIN_LEVEL: Level = 1;
/// The highest valid skill level.
pub const MAX_LEVEL: Level = 5;

/// A six-digit administrative division code (GB/T 2260), e.g. 440305; 0 means unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region(pub u32);

impl Region {
    /// The unknown region.
    pub const UNKNOWN: Region = Region(0);

    /// Whether the code is 0.
    pub fn is_unknown(self) -> bool {
        self.0 == 0
    }

    /// The city part of the code (440305 → 4403).
    pub fn city(self) -> u32 {
        self.0 / 100
    }

    /// The province part of the code (440305 → 44).
    pub fn province(self) -> u32 {
        self.0 / 10_000
    }

    /// Whether the code names a whole province (440000).
    pub fn is_province_level(self) -> bool {
        !self.is_unknown() && self.0.is_multiple_of(10_000)
    }
}

/// One required skill of a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SkillReq {
    /// The skill.
    pub skill: SkillId,
    /// Its relative importance within the role, at least 1.
    pub weight: u32,
    /// The level at which it counts fully, 1..=5.
    pub min_level: Level,
}

/// One post of a demand; a compound demand has two or three.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Role {
    /// The role's relative share of the demand, at least 1.
    pub share: u32,
    /// The required skills.
    pub skills: Vec<SkillReq>,
    /// Certificates the role asks for.
    pub certificates: Vec<CertId>,
}

/// A job posting of an enterprise.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Demand {
    /// One role for a plain demand, two or three for a compound hire.
    pub roles: Vec<Role>,
    /// Where the work is.
    pub region: Region,
    /// Whether the region counts in the score.
    pub region_matters: bool,
}

/// What a student offers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// Skills and their levels.
    pub skills: Vec<(SkillId, Level)>,
    /// Certificates held.
    pub certificates: Vec<CertId>,
    /// Where the student is.
    pub region: Region,
    /// Where the student would like to work: districts, cities (440300) or provinces (440000).
    pub preferred_regions: Vec<Region>,
}

/// A college programme (专业) that supplies graduates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Major {
    /// Skills taught and the level they are taught to.
    pub skills: Vec<(SkillId, Level)>,
    /// Certificates the programme prepares for.
    pub certificates: Vec<CertId>,
    /// Graduates per year.
    pub graduates: u32,
    /// The college running the programme.
    pub college: u32,
    /// Where the college is.
    pub region: Region,
}

//! The student index: inverted lists of skills, certificates, cities and preferred regions,
//! built once from many profiles and ranked against many demands.

mod lists;

use std::fmt;

use lists::ListsBuilder;
pub(crate) use lists::{DenseColumns, Lists};

use crate::model::{Level, Profile};
use crate::plan::{PreferenceKey, held_level, preference_key};

/// The most profiles one [`ProfileSet`] holds (a posting packs the index in 29 bits, and the
/// end of the last block must fit too).
pub const MAX_PROFILES: usize = (1 << 29) - 1;

/// A posting of a skill list: `index << LEVEL_BITS | level`.
pub(crate) const LEVEL_BITS: u32 = 3;
pub(crate) const LEVEL_MASK: u32 = (1 << LEVEL_BITS) - 1;

/// The set already holds [`MAX_PROFILES`] profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileSetFull;

impl fmt::Display for ProfileSetFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a profile set holds at most {MAX_PROFILES} profiles")
    }
}

impl std::error::Error for ProfileSetFull {}

/// How the profiles' levels of one skill are stored.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SkillColumn<'a> {
    /// Postings `index << 3 | level`, sorted by index.
    Sparse(&'a [u32]),
    /// One level per profile.
    Dense(&'a [u8]),
}

/// Builds a [`ProfileSet`] from profiles pushed one by one.
#[derive(Debug, Default)]
pub struct ProfileSetBuilder {
    len: u32,
    skills: ListsBuilder,
    certificates: ListsBuilder,
    cities: ListsBuilder,
    preferred_cities: ListsBuilder,
    preferred_provinces: ListsBuilder,
    scratch: Vec<(u32, Level)>,
}

impl ProfileSetBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a profile and returns its index (0, 1, 2, … in push order).
    pub fn push(&mut self, profile: &Profile) -> Result<u32, ProfileSetFull> {
        let index = self.len;
        if self.len() >= MAX_PROFILES {
            return Err(ProfileSetFull);
        }
        self.scratch.clear();
        self.scratch.extend(profile.skills.iter().map(|&(s, l)| (s.0, held_level(l))).filter(|&(_, l)| l > 0));
        // Highest level first within a skill, so that dedup keeps it.
        self.scratch.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        self.scratch.dedup_by_key(|(s, _)| *s);
        for &(skill, level) in &self.scratch {
            self.skills.add(skill, index << LEVEL_BITS | u32::from(level));
        }
        self.scratch.clear();
        self.scratch.extend(profile.certificates.iter().map(|c| (c.0, 0)));
        self.scratch.sort_unstable();
        self.scratch.dedup();
        for &(cert, _) in &self.scratch {
            self.certificates.add(cert, index);
        }
        if !profile.region.is_unknown() {
            self.cities.add(profile.region.city(), index);
        }
        for &region in &profile.preferred_regions {
            match preference_key(region) {
                Some(PreferenceKey::City(c)) => self.preferred_cities.add(c, index),
                Some(PreferenceKey::Province(p)) => self.preferred_provinces.add(p, index),
                None => {}
            }
        }
        self.len += 1;
        Ok(index)
    }

    /// The number of profiles pushed so far.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether no profile was pushed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Freezes the index.
    pub fn build(self) -> ProfileSet {
        let (skills, dense_skills) = self.skills.build_skills(self.len as usize);
        ProfileSet {
            len: self.len as usize,
            skills,
            dense_skills,
            certificates: self.certificates.build(),
            cities: self.cities.build(),
            preferred_cities: self.preferred_cities.build(),
            preferred_provinces: self.preferred_provinces.build(),
        }
    }
}

/// An immutable index of student profiles for [`crate::rank_students`].
///
/// Skill lists hold `index << 3 | level` sorted by index (skills held by a quarter of the
/// profiles or more are a level byte per profile instead); certificate, city (the profile's
/// region / 100) and preferred-region lists hold indices.
#[derive(Clone, Debug, Default)]
pub struct ProfileSet {
    pub(crate) len: usize,
    pub(crate) skills: Lists,
    pub(crate) dense_skills: DenseColumns,
    pub(crate) certificates: Lists,
    pub(crate) cities: Lists,
    pub(crate) preferred_cities: Lists,
    pub(crate) preferred_provinces: Lists,
}

impl ProfileSet {
    /// Builds a set from profiles in order (indices 0, 1, 2, …).
    pub fn from_profiles<'a>(profiles: impl IntoIterator<Item = &'a Profile>) -> Result<Self, ProfileSetFull> {
        let mut b = ProfileSetBuilder::new();
        for p in profiles {
            b.push(p)?;
        }
        Ok(b.build())
    }

    /// The number of profiles.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set holds no profile.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How the profiles' levels of `skill` are stored; an empty list when no profile has it.
    pub(crate) fn skill(&self, skill: u32) -> SkillColumn<'_> {
        match self.dense_skills.get(skill, self.len) {
            Some(levels) => SkillColumn::Dense(levels),
            None => SkillColumn::Sparse(self.skills.get(skill)),
        }
    }

    fn lists(&self) -> [&Lists; 5] {
        [&self.skills, &self.certificates, &self.cities, &self.preferred_cities, &self.preferred_provinces]
    }

    /// The bytes held by the index's arrays.
    pub fn byte_size(&self) -> usize {
        self.dense_skills.bytes() + self.lists().iter().map(|l| l.bytes()).sum::<usize>()
    }

    /// Reads every element of every array once (the streaming baseline of the bench).
    pub(crate) fn checksum(&self) -> u64 {
        self.lists().iter().fold(self.dense_skills.checksum(), |a, l| a ^ l.checksum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CertId, Region, SkillId};

    fn sample() -> ProfileSet {
        let a = Profile {
            skills: vec![(SkillId(9), 2), (SkillId(3), 1), (SkillId(9), 4), (SkillId(5), 0)],
            certificates: vec![CertId(2), CertId(2)],
            region: Region(440305),
            preferred_regions: vec![Region(440300), Region(440306), Region(320000), Region::UNKNOWN],
        };
        let b = Profile { skills: vec![(SkillId(3), 7)], ..Profile::default() };
        let others = (0..6).map(|i| Profile {
            skills: vec![(SkillId(100 + i), 1)],
            region: Region(110105),
            ..Profile::default()
        });
        let profiles: Vec<Profile> = [a, b].into_iter().chain(others).collect();
        ProfileSet::from_profiles(&profiles).unwrap_or_default()
    }

    #[test]
    fn lists_are_sorted_by_key_and_hold_each_profile_once() {
        let set = sample();
        assert_eq!(set.len(), 8);
        assert_eq!(set.skills.get(9), &[4]);
        assert_eq!(set.skills.get(5), &[] as &[u32]);
        assert_eq!(set.certificates.get(2), &[0]);
        assert_eq!(set.cities.get(4403), &[0]);
        assert_eq!(set.cities.get(1101), &[2, 3, 4, 5, 6, 7]);
        assert_eq!(set.preferred_cities.get(4403), &[0]);
        assert_eq!(set.preferred_provinces.get(32), &[0]);
    }

    #[test]
    fn skills_held_by_a_quarter_of_the_profiles_become_level_columns() {
        let set = sample();
        assert!(matches!(set.skill(3), SkillColumn::Dense([1, 5, 0, 0, 0, 0, 0, 0])));
        assert!(matches!(set.skill(9), SkillColumn::Sparse([4])));
        assert!(matches!(set.skill(100), SkillColumn::Sparse([17])));
        assert_eq!(set.skills.keys(), &[9, 100, 101, 102, 103, 104, 105]);
    }

    #[test]
    fn a_key_range_yields_the_lists_of_its_keys() {
        let set = sample();
        let lists: Vec<&[u32]> = set.cities.range(4400..=4499).collect();
        assert_eq!(lists, vec![&[0u32] as &[u32]]);
        assert_eq!(set.cities.range(4500..=4599).count(), 0);
    }

    #[test]
    fn the_byte_size_counts_every_array() {
        let p = Profile { skills: vec![(SkillId(1), 3)], ..Profile::default() };
        let set = ProfileSet::from_profiles([&p]).unwrap_or_default();
        let word = size_of::<usize>();
        // One dense column: key 4 + 1 level byte; five empty lists: one offset each.
        assert_eq!(set.byte_size(), 4 + 1 + 5 * word);
    }
}

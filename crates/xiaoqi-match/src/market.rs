//! Ranking majors, colleges and demands: small inputs, each candidate explained.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::explain::{Candidate, Explanation, explain_with};
use crate::model::{Demand, Major, Profile};
use crate::plan::Plan;

/// How many of a college's best majors make up its entry in [`rank_colleges`].
pub const COLLEGE_MAJORS: usize = 3;

/// A major, its score and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedMajor {
    /// The major's position in the input slice.
    pub index: usize,
    /// Its score in 0..=1.
    pub score: f32,
    /// Its yearly graduates.
    pub graduates: u32,
    /// The major's taught skills and certificates against the demand.
    pub explanation: Explanation,
}

/// A college and the majors that make its score.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedCollege {
    /// The college id.
    pub college: u32,
    /// Its best major's score.
    pub score: f32,
    /// Yearly graduates of the majors listed.
    pub graduates: u32,
    /// Its best matching majors, best first, at most [`COLLEGE_MAJORS`].
    pub majors: Vec<RankedMajor>,
}

/// A demand, its score for one student and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedDemand {
    /// The demand's position in the input slice.
    pub index: usize,
    /// Its score in 0..=1.
    pub score: f32,
    /// How the student fits it.
    pub explanation: Explanation,
}

/// Scores that agree to two decimals are one tier; within a tier graduates decide.
fn tier(score: f32) -> u32 {
    (score * 100.0).floor() as u32
}

fn by_tier_then_graduates(a: (f32, u32), b: (f32, u32)) -> Ordering {
    tier(b.0).cmp(&tier(a.0)).then(b.1.cmp(&a.1)).then(b.0.total_cmp(&a.0))
}

fn all_majors(demand: &Demand, majors: &[Major]) -> Vec<RankedMajor> {
    let plan = Plan::new(demand);
    let mut out: Vec<RankedMajor> = majors
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let explanation = explain_with(&plan, demand, Candidate::major(m));
            RankedMajor { index, score: explanation.score, graduates: m.graduates, explanation }
        })
        .filter(|r| r.score > 0.0)
        .collect();
    out.sort_by(|a, b| {
        by_tier_then_graduates((a.score, a.graduates), (b.score, b.graduates)).then(a.index.cmp(&b.index))
    });
    out
}

/// The `k` majors whose taught skills best fit `demand`, best first.
///
/// A major is scored like a student whose skill levels are the levels taught (no preferred
/// regions). Majors whose scores agree to two decimals are ordered by yearly graduates, more
/// first, then by exact score and position.
pub fn rank_majors(demand: &Demand, majors: &[Major], k: usize) -> Vec<RankedMajor> {
    if k == 0 {
        return Vec::new();
    }
    let mut out = all_majors(demand, majors);
    out.truncate(k);
    out
}

/// The `k` colleges best placed to supply `demand`, best first.
///
/// A college's score is its best major's score; its graduates are those of its up to
/// [`COLLEGE_MAJORS`] best matching majors. Colleges are ordered like majors: by score to two
/// decimals, then graduates, then exact score, then college id.
pub fn rank_colleges(demand: &Demand, majors: &[Major], k: usize) -> Vec<RankedCollege> {
    if k == 0 {
        return Vec::new();
    }
    let mut by_college = BTreeMap::<u32, Vec<RankedMajor>>::new();
    for m in all_majors(demand, majors) {
        let Some(major) = majors.get(m.index) else { continue };
        let list = by_college.entry(major.college).or_default();
        if list.len() < COLLEGE_MAJORS {
            list.push(m);
        }
    }
    let mut out: Vec<RankedCollege> = by_college
        .into_iter()
        .map(|(college, majors)| RankedCollege {
            college,
            score: majors.first().map_or(0.0, |m| m.score),
            graduates: majors.iter().fold(0u32, |g, m| g.saturating_add(m.graduates)),
            majors,
        })
        .collect();
    out.sort_by(|a, b| {
        by_tier_then_graduates((a.score, a.graduates), (b.score, b.graduates)).then(a.college.cmp(&b.college))
    });
    out.truncate(k);
    out
}

/// The `k` demands that best fit `profile`, best first, ties by position; only scores above 0.
pub fn rank_demands(profile: &Profile, demands: &[Demand], k: usize) -> Vec<RankedDemand> {
    if k == 0 {
        return Vec::new();
    }
    let candidate = Candidate::student(profile);
    let mut out: Vec<RankedDemand> = demands
        .iter()
        .enumerate()
        .map(|(index, d)| {
            let explanation = explain_with(&Plan::new(d), d, candidate);
            RankedDemand { index, score: explanation.score, explanation }
        })
        .filter(|r| r.score > 0.0)
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    out.truncate(k);
    out
}

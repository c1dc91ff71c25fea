//! The index-based ranking agrees with scoring every profile by `explain` and sorting.

use proptest::collection::vec;
use proptest::prelude::*;
use xiaoqi_match::{CertId, Demand, Profile, ProfileSet, Region, Role, SkillId, SkillReq, explain, rank_students};

const REGIONS: [u32; 8] = [0, 440305, 440306, 440106, 440000, 110105, 320102, 5];
const PREFERRED: [u32; 7] = [0, 440300, 440000, 110000, 440306, 320100, 440106];

fn region(codes: &'static [u32]) -> impl Strategy<Value = Region> {
    proptest::sample::select(codes).prop_map(Region)
}

/// Profiles over a small vocabulary, with levels and duplicates a form might let through; half
/// the skills drawn are among three popular ones, so that large sets have dense skill columns.
fn profile(skills: u32) -> impl Strategy<Value = Profile> {
    (
        vec((prop_oneof![0u32..3, 0..skills], 0u8..8), 0..7),
        vec(0u32..5, 0..4),
        region(&REGIONS),
        vec(region(&PREFERRED), 0..3),
    )
        .prop_map(|(skills, certs, region, preferred_regions)| Profile {
            skills: skills.into_iter().map(|(s, l)| (SkillId(s), l)).collect(),
            certificates: certs.into_iter().map(CertId).collect(),
            region,
            preferred_regions,
        })
}

/// Demands, valid or not: zero shares and weights, levels out of range, duplicates, 0–4 roles.
fn demand(skills: u32) -> impl Strategy<Value = Demand> {
    let req = (prop_oneof![0u32..3, 0..skills + 3], 0u32..5, 0u8..7).prop_map(|(s, weight, min_level)| SkillReq {
        skill: SkillId(s),
        weight,
        min_level,
    });
    let role = (0u32..4, vec(req, 0..6), vec(0u32..6, 0..3)).prop_map(|(share, skills, certs)| Role {
        share,
        skills,
        certificates: certs.into_iter().map(CertId).collect(),
    });
    (vec(role, 0..5), region(&REGIONS), any::<bool>()).prop_map(|(roles, region, region_matters)| Demand {
        roles,
        region,
        region_matters,
    })
}

/// (index, score bits) of the `k` best by `explain`, best first, ties by index.
fn reference(d: &Demand, profiles: &[Profile], k: usize) -> Vec<(u32, u32)> {
    let mut all: Vec<(u32, f32)> =
        profiles.iter().enumerate().map(|(i, p)| (i as u32, explain(d, p).score)).filter(|&(_, s)| s > 0.0).collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    all.into_iter().take(k).map(|(i, s)| (i, s.to_bits())).collect()
}

fn ranked(d: &Demand, profiles: &[Profile], k: usize) -> Vec<(u32, u32)> {
    let set = ProfileSet::from_profiles(profiles).unwrap_or_default();
    rank_students(d, &set, k).into_iter().map(|r| (r.index, r.score.to_bits())).collect()
}

proptest! {
    #[test]
    fn ranking_equals_sorting_the_explained_scores(
        profiles in vec(profile(12), 0..60),
        d in demand(12),
        k in 0usize..40,
    ) {
        prop_assert_eq!(ranked(&d, &profiles, k), reference(&d, &profiles, k));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Several blocks of the ranking, dense and sparse skill columns.
    #[test]
    fn ranking_equals_sorting_across_blocks(
        profiles in vec(profile(40), 4_000..6_000),
        d in demand(40),
        k in 1usize..300,
    ) {
        prop_assert_eq!(ranked(&d, &profiles, k), reference(&d, &profiles, k));
    }
}

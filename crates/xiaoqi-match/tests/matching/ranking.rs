//! Ranking students: ordering rules, limits and edge cases.

use xiaoqi_match::{CertId, Demand, Profile, ProfileSet, Ranked, Region, RegionRelation, Role, explain, rank_students};

use crate::{demand, req, role, student, with_certificates};

fn set(profiles: &[Profile]) -> ProfileSet {
    ProfileSet::from_profiles(profiles).unwrap_or_default()
}

fn order(d: &Demand, profiles: &[Profile]) -> Vec<u32> {
    rank_students(d, &set(profiles), profiles.len()).iter().map(|r| r.index).collect()
}

#[test]
fn the_explanation_score_is_the_score_that_ranks() {
    let d = demand(vec![role(vec![req(1, 3, 3), req(2, 1, 4)]), role(vec![req(3, 2, 2)])]);
    let profiles =
        [student(&[(1, 2), (3, 5)]), student(&[(2, 4), (1, 5)]), with_certificates(student(&[(3, 1)]), &[7])];
    for r in rank_students(&d, &set(&profiles), 10) {
        assert_eq!(r.score, explain(&d, &profiles[r.index as usize]).score);
    }
}

#[test]
fn equal_scores_keep_the_smaller_index_first() {
    let d = demand(vec![role(vec![req(1, 1, 3)])]);
    let profiles = vec![student(&[(1, 3)]); 5];
    assert_eq!(order(&d, &profiles), vec![0, 1, 2, 3, 4]);
    let top2: Vec<u32> = rank_students(&d, &set(&profiles), 2).iter().map(|r| r.index).collect();
    assert_eq!(top2, vec![0, 1]);
}

#[test]
fn at_most_k_results_and_none_for_k_zero() {
    let d = demand(vec![role(vec![req(1, 1, 1)])]);
    let profiles: Vec<Profile> = (1..=5).map(|l| student(&[(1, l)])).collect();
    assert_eq!(rank_students(&d, &set(&profiles), 3).len(), 3);
    assert_eq!(rank_students(&d, &set(&profiles), 0), Vec::<Ranked>::new());
    assert_eq!(rank_students(&d, &set(&profiles), usize::MAX).len(), 5);
}

#[test]
fn covering_both_roles_of_a_compound_demand_beats_covering_one_fully() {
    let d = demand(vec![role(vec![req(1, 1, 3), req(2, 1, 3)]), role(vec![req(3, 1, 3), req(4, 1, 3)])]);
    let one_role_fully = student(&[(1, 5), (2, 5)]);
    let both_roles_half = student(&[(1, 5), (3, 5)]);
    let both_roles_fully = student(&[(1, 3), (2, 3), (3, 3), (4, 3)]);
    let scores: Vec<f32> =
        [&one_role_fully, &both_roles_half, &both_roles_fully].iter().map(|p| explain(&d, p).skill_score).collect();
    assert_eq!(scores, vec![0.25, 0.5, 1.0]);
    assert_eq!(order(&d, &[one_role_fully, both_roles_half, both_roles_fully]), vec![2, 1, 0]);
}

#[test]
fn a_skill_below_the_minimum_earns_partial_credit() {
    let d = demand(vec![role(vec![req(1, 1, 4), req(2, 1, 1)])]);
    let profiles =
        [student(&[(1, 1), (2, 1)]), student(&[(1, 4), (2, 1)]), student(&[(2, 1)]), student(&[(1, 2), (2, 1)])];
    assert_eq!(order(&d, &profiles), vec![1, 3, 0, 2]);
    let e = explain(&d, &profiles[3]);
    assert_eq!(e.roles[0].coverage, (0.5 + 1.0) / 2.0);
}

#[test]
fn same_city_beats_preferred_beats_same_province_beats_elsewhere() {
    let d = demand(vec![role(vec![req(1, 1, 1)])]);
    let at = |code: u32, preferred: &[u32]| Profile {
        region: Region(code),
        preferred_regions: preferred.iter().map(|&c| Region(c)).collect(),
        ..student(&[(1, 1)])
    };
    let profiles = [at(110105, &[]), at(440106, &[]), at(110105, &[440300]), at(440306, &[]), at(0, &[])];
    assert_eq!(order(&d, &profiles), vec![3, 2, 1, 0, 4]);
    let relations: Vec<RegionRelation> = profiles.iter().map(|p| explain(&d, p).region).collect();
    use RegionRelation::*;
    assert_eq!(relations, vec![Other, SameProvince, Preferred, SameCity, Unknown]);
}

#[test]
fn the_region_does_not_count_when_the_demand_says_so() {
    let mut d = demand(vec![role(vec![req(1, 1, 1)])]);
    d.region_matters = false;
    let profiles = [
        Profile { region: Region(110105), ..student(&[(1, 1)]) },
        Profile { region: Region(440305), ..student(&[(1, 1)]) },
    ];
    let ranked = rank_students(&d, &set(&profiles), 2);
    assert_eq!(ranked.iter().map(|r| r.index).collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(ranked[0].score, ranked[1].score);
}

#[test]
fn each_required_certificate_held_adds_to_the_score() {
    let mut r = role(vec![req(1, 1, 1)]);
    r.certificates = vec![CertId(7), CertId(8)];
    let d = demand(vec![r]);
    let profiles = [
        student(&[(1, 1)]),
        with_certificates(student(&[(1, 1)]), &[7, 8]),
        with_certificates(student(&[(1, 1)]), &[8, 9]),
    ];
    assert_eq!(order(&d, &profiles), vec![1, 2, 0]);
    let e = explain(&d, &profiles[2]);
    assert_eq!((e.certificates_held, e.certificates_missing), (vec![CertId(8)], vec![CertId(7)]));
}

#[test]
fn certificates_and_region_alone_never_rank_a_student() {
    let mut r = role(vec![req(1, 1, 1)]);
    r.certificates = vec![CertId(7)];
    let d = demand(vec![r]);
    let p = Profile { region: Region(440305), ..with_certificates(student(&[(2, 5)]), &[7]) };
    assert!(rank_students(&d, &set(&[p]), 5).is_empty());
}

#[test]
fn empty_and_degenerate_inputs_give_empty_results() {
    let profiles = [student(&[(1, 3)])];
    let unknown_skill = demand(vec![role(vec![req(99, 1, 1)])]);
    let zero_weights = demand(vec![role(vec![req(1, 0, 1)])]);
    let zero_share = demand(vec![Role { share: 0, ..role(vec![req(1, 1, 1)]) }]);
    for d in [Demand::default(), unknown_skill, zero_weights, zero_share, demand(vec![role(vec![])])] {
        assert!(rank_students(&d, &set(&profiles), 10).is_empty(), "{d:?}");
        assert_eq!(explain(&d, &profiles[0]).score, 0.0);
    }
    assert!(rank_students(&demand(vec![role(vec![req(1, 1, 1)])]), &ProfileSet::default(), 10).is_empty());
}

#[test]
fn a_perfect_candidate_scores_one() {
    let mut r = role(vec![req(1, 1, 3)]);
    r.certificates = vec![CertId(1)];
    let d = demand(vec![r]);
    let p = Profile { region: Region(440305), ..with_certificates(student(&[(1, 5)]), &[1]) };
    assert_eq!(rank_students(&d, &set(&[p]), 1)[0].score, 1.0);
}

//! Ranking majors, colleges and demands.

use xiaoqi_match::{Major, Region, SkillId, rank_colleges, rank_demands, rank_majors};

use crate::{demand, req, role, student};

fn major(college: u32, graduates: u32, skills: &[(u32, u8)]) -> Major {
    Major {
        skills: skills.iter().map(|&(s, l)| (SkillId(s), l)).collect(),
        certificates: vec![],
        graduates,
        college,
        region: Region(440305),
    }
}

#[test]
fn majors_rank_by_taught_skills_then_graduates_within_a_hundredth() {
    let d = demand(vec![role(vec![req(1, 1, 3), req(2, 1, 3)])]);
    let majors = [
        major(1, 40, &[(1, 3)]),
        major(2, 300, &[(1, 3), (2, 3)]),
        major(3, 900, &[(1, 3), (2, 3)]),
        major(4, 10, &[(1, 3), (2, 2)]),
        major(5, 999, &[(7, 5)]),
    ];
    let ranked = rank_majors(&d, &majors, 10);
    let order: Vec<usize> = ranked.iter().map(|m| m.index).collect();
    assert_eq!(order, vec![2, 1, 3, 0]);
    assert_eq!(ranked[0].graduates, 900);
    assert_eq!(ranked[2].explanation.roles[0].partial.len(), 1);
    assert_eq!(rank_majors(&d, &majors, 1).len(), 1);
    assert!(rank_majors(&d, &majors, 0).is_empty());
    assert!(rank_majors(&d, &[], 5).is_empty());
}

#[test]
fn colleges_are_scored_by_their_best_major_and_list_up_to_three() {
    let d = demand(vec![role(vec![req(1, 1, 3), req(2, 1, 3)])]);
    let majors = [
        major(10, 50, &[(1, 3)]),
        major(10, 60, &[(1, 3), (2, 3)]),
        major(10, 70, &[(2, 3)]),
        major(10, 80, &[(2, 1)]),
        major(20, 500, &[(1, 3), (2, 2)]),
        major(30, 5, &[(9, 3)]),
    ];
    let colleges = rank_colleges(&d, &majors, 10);
    let ids: Vec<u32> = colleges.iter().map(|c| c.college).collect();
    assert_eq!(ids, vec![10, 20]);
    let best = &colleges[0];
    assert_eq!(best.majors.iter().map(|m| m.index).collect::<Vec<_>>(), vec![1, 2, 0]);
    assert_eq!(best.score, best.majors[0].score);
    assert_eq!(best.graduates, 60 + 70 + 50);
    assert!(rank_colleges(&d, &majors, 0).is_empty());
}

#[test]
fn a_student_sees_the_demands_that_fit_best_first() {
    let demands = [
        demand(vec![role(vec![req(1, 1, 5)])]),
        demand(vec![role(vec![req(1, 1, 3)])]),
        demand(vec![role(vec![req(8, 1, 1)])]),
        demand(vec![role(vec![req(1, 1, 3)]), role(vec![req(2, 1, 3)])]),
    ];
    let me = student(&[(1, 3)]);
    let ranked = rank_demands(&me, &demands, 10);
    assert_eq!(ranked.iter().map(|r| r.index).collect::<Vec<_>>(), vec![1, 0, 3]);
    assert_eq!(ranked[0].explanation.roles[0].matched, vec![SkillId(1)]);
    assert_eq!(ranked[2].explanation.roles[1].missing, vec![SkillId(2)]);
    assert_eq!(rank_demands(&me, &demands, 2).len(), 2);
    assert!(rank_demands(&student(&[]), &demands, 10).is_empty());
}

//! The allocation against brute force and a round-based reference, on random instances.

use proptest::collection::vec;
use proptest::prelude::*;
use xiaoqi_alloc::{
    Allocation, Instance, PositionPrefs, Reason, StudentPrefs, Violation, certificate_for, solve, verify,
};

use crate::brute;

/// A random partial order of `0..len`: a shuffled prefix.
fn list(len: usize) -> impl Strategy<Value = Vec<u32>> {
    (Just((0..len as u32).collect::<Vec<u32>>()).prop_shuffle(), 0..=len)
        .prop_map(|(all, k)| all.into_iter().take(k).collect())
}

/// Up to `max_students` × `max_positions`, capacities `0..=max_capacity`, random partial lists.
fn instance(max_students: usize, max_positions: usize, max_capacity: u32) -> impl Strategy<Value = Instance> {
    (0..=max_students, 0..=max_positions).prop_flat_map(move |(n, m)| {
        (vec(list(m), n), vec((0..=max_capacity, list(n)), m)).prop_map(|(students, positions)| Instance {
            students: students.into_iter().map(|prefs| StudentPrefs { prefs }).collect(),
            positions: positions.into_iter().map(|(capacity, prefs)| PositionPrefs { capacity, prefs }).collect(),
        })
    })
}

fn capacity_respected(inst: &Instance, alloc: &Allocation) -> bool {
    let mut count = vec![0usize; inst.positions.len()];
    for p in alloc.assignment.iter().flatten() {
        count[*p as usize] += 1;
    }
    count.iter().zip(&inst.positions).all(|(&c, p)| c <= p.capacity as usize)
}

/// Renumbers students by `sp` (old → new) and positions by `pp`.
fn permute(inst: &Instance, sp: &[u32], pp: &[u32]) -> Instance {
    let mut students = vec![StudentPrefs::default(); inst.students.len()];
    for (s, student) in inst.students.iter().enumerate() {
        students[sp[s] as usize] = StudentPrefs { prefs: student.prefs.iter().map(|&p| pp[p as usize]).collect() };
    }
    let mut positions = vec![PositionPrefs::default(); inst.positions.len()];
    for (p, position) in inst.positions.iter().enumerate() {
        positions[pp[p] as usize] = PositionPrefs {
            capacity: position.capacity,
            prefs: position.prefs.iter().map(|&s| sp[s as usize]).collect(),
        };
    }
    Instance { students, positions }
}

fn permutation(len: usize) -> impl Strategy<Value = Vec<u32>> {
    Just((0..len as u32).collect::<Vec<u32>>()).prop_shuffle()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The result is stable, every stable matching is weakly worse for every student, all stable
    /// matchings match the same students, and `verify` agrees with the definition on every
    /// feasible matching.
    #[test]
    fn solve_is_the_student_optimal_stable_matching(inst in instance(7, 4, 3)) {
        let alloc = solve(&inst);
        prop_assert!(capacity_respected(&inst, &alloc));
        prop_assert_eq!(verify(&inst, &alloc), Ok(()));
        prop_assert!(brute::is_stable_matching(&inst, &alloc.assignment));
        let feasible = brute::feasible_matchings(&inst);
        let mut stable = 0;
        for m in &feasible {
            let is_stable = brute::is_stable_matching(&inst, m);
            let candidate = Allocation { assignment: m.clone(), proposals: 0 };
            prop_assert_eq!(verify(&inst, &candidate).is_ok(), is_stable, "matching {:?}", m);
            if !is_stable {
                continue;
            }
            stable += 1;
            for s in 0..inst.students.len() {
                prop_assert!(brute::weakly_prefers(&inst, s, alloc.assignment[s], m[s]), "student {} in {:?}", s, m);
                // Rural hospitals: the same students are matched in every stable matching.
                prop_assert_eq!(alloc.assignment[s].is_some(), m[s].is_some());
            }
        }
        prop_assert!(stable >= 1);
    }

    /// The same matching whatever the order of students and positions, and the same number of
    /// proposals.
    #[test]
    fn solve_does_not_depend_on_order(
        (inst, sp, pp) in instance(12, 6, 3).prop_flat_map(|inst| {
            let (n, m) = (inst.students.len(), inst.positions.len());
            (Just(inst), permutation(n), permutation(m))
        })
    ) {
        let alloc = solve(&inst);
        let moved = solve(&permute(&inst, &sp, &pp));
        for (s, a) in alloc.assignment.iter().enumerate() {
            prop_assert_eq!(moved.assignment[sp[s] as usize], a.map(|p| pp[p as usize]));
        }
        prop_assert_eq!(moved.proposals, alloc.proposals);
    }

    /// Larger instances: the same result and proposals as round-based deferred acceptance with
    /// linear scans; stable; every student's certificate holds.
    #[test]
    fn solve_agrees_with_round_based_deferred_acceptance(inst in instance(120, 25, 8)) {
        let alloc = solve(&inst);
        let (assignment, proposals) = brute::rounds(&inst);
        prop_assert_eq!(&alloc.assignment, &assignment);
        prop_assert_eq!(alloc.proposals, proposals);
        prop_assert!(capacity_respected(&inst, &alloc));
        prop_assert_eq!(verify(&inst, &alloc), Ok(()));
        for s in 0..inst.students.len() as u32 {
            let Some(cert) = certificate_for(&inst, &alloc, s) else {
                return Err(TestCaseError::fail(format!("no certificate for student {s}")));
            };
            prop_assert!(cert.holds, "{:?}", cert);
            prop_assert_eq!(cert.assigned, alloc.assignment[s as usize]);
            for pref in &cert.preferred {
                if let Reason::Full { student_rank, worst_assignee_rank, worst_assignee, .. } = pref.reason {
                    prop_assert!(worst_assignee_rank < student_rank);
                    prop_assert_eq!(alloc.assignment[worst_assignee as usize], Some(pref.position));
                }
            }
        }
    }

    /// On any assignment (wrong positions, over capacity, unacceptable pairs), `verify` agrees
    /// with the definition, and a blocking pair it reports shows in the student's certificate.
    #[test]
    fn verify_agrees_with_the_definition(
        (inst, raw) in instance(7, 4, 3).prop_flat_map(|inst| {
            let (n, m) = (inst.students.len(), inst.positions.len() as u32);
            (Just(inst), vec(proptest::option::of(0..m + 1), n))
        })
    ) {
        let alloc = Allocation { assignment: raw, proposals: 0 };
        let in_range = alloc.assignment.iter().flatten().all(|&p| (p as usize) < inst.positions.len());
        let result = verify(&inst, &alloc);
        prop_assert_eq!(result.is_ok(), in_range && brute::is_stable_matching(&inst, &alloc.assignment));
        if let Err(Violation::BlockingPair { student, position }) = result {
            let Some(cert) = certificate_for(&inst, &alloc, student) else {
                return Err(TestCaseError::fail("no certificate"));
            };
            prop_assert!(!cert.holds);
            let blocking = cert
                .preferred
                .iter()
                .any(|p| p.position == position && matches!(p.reason, Reason::Blocking { .. }));
            prop_assert!(blocking, "{:?}", cert);
        }
        if result.is_ok() {
            for s in 0..inst.students.len() as u32 {
                prop_assert!(certificate_for(&inst, &alloc, s).is_some_and(|c| c.holds));
            }
        }
    }

    /// Unvalidated instances (out-of-range indices, repeated entries) never panic and are read
    /// as their cleaned form: out-of-range entries dropped, repeats at their first occurrence.
    #[test]
    fn unvalidated_instances_read_as_cleaned(
        students in vec(vec(0u32..6, 0..8), 0..8),
        positions in vec((0u32..4, vec(0u32..10, 0..10)), 0..5),
    ) {
        let inst = Instance {
            students: students.into_iter().map(|prefs| StudentPrefs { prefs }).collect(),
            positions: positions.into_iter().map(|(capacity, prefs)| PositionPrefs { capacity, prefs }).collect(),
        };
        let clean = |list: &[u32], len: usize| {
            let mut out: Vec<u32> = Vec::new();
            for &x in list {
                if (x as usize) < len && !out.contains(&x) {
                    out.push(x);
                }
            }
            out
        };
        let cleaned = Instance {
            students: inst
                .students
                .iter()
                .map(|s| StudentPrefs { prefs: clean(&s.prefs, inst.positions.len()) })
                .collect(),
            positions: inst
                .positions
                .iter()
                .map(|p| PositionPrefs { capacity: p.capacity, prefs: clean(&p.prefs, inst.students.len()) })
                .collect(),
        };
        prop_assert_eq!(cleaned.validate(), Ok(()));
        prop_assert_eq!(inst.validate().is_ok(), inst == cleaned);
        let alloc = solve(&inst);
        prop_assert_eq!(&alloc.assignment, &solve(&cleaned).assignment);
        prop_assert_eq!(verify(&inst, &alloc), Ok(()));
        prop_assert_eq!(verify(&cleaned, &alloc), Ok(()));
        for s in 0..inst.students.len() as u32 {
            prop_assert!(certificate_for(&inst, &alloc, s).is_some_and(|c| c.holds));
        }
    }
}

//! Textbook instances with known answers, capacity 0 and certificates.

use xiaoqi_alloc::{
    Allocation, InstanceError, PreferredPosition, Reason, StudentCertificate, Violation, certificate_for, solve, verify,
};

use crate::{brute, instance};

// The NRMP's illustration of its applicant-proposing algorithm (Roth and Peranson 1999): eight
// applicants, four programs of two positions each.
const ANDERSON: u32 = 0;
const BROWN: u32 = 1;
const CHEN: u32 = 2;
const DAVIS: u32 = 3;
const EASTMAN: u32 = 4;
const FORD: u32 = 5;
const GARCIA: u32 = 6;
const HASSAN: u32 = 7;
const MERCY: u32 = 0;
const CITY: u32 = 1;
const GENERAL: u32 = 2;
const STATE: u32 = 3;

fn nrmp() -> xiaoqi_alloc::Instance {
    instance(
        &[
            &[CITY],
            &[CITY, MERCY],
            &[CITY, MERCY],
            &[MERCY, CITY, GENERAL, STATE],
            &[CITY, MERCY, STATE, GENERAL],
            &[CITY, GENERAL, MERCY, STATE],
            &[CITY, MERCY, STATE, GENERAL],
            &[STATE, CITY, MERCY, GENERAL],
        ],
        &[
            (2, &[CHEN, GARCIA]),
            (2, &[GARCIA, HASSAN, EASTMAN, ANDERSON, BROWN, CHEN, DAVIS, FORD]),
            (2, &[BROWN, EASTMAN, HASSAN, ANDERSON, CHEN, DAVIS, GARCIA]),
            (2, &[BROWN, EASTMAN, ANDERSON, CHEN, HASSAN, FORD, DAVIS, GARCIA]),
        ],
    )
}

#[test]
fn nrmp_example() {
    let inst = nrmp();
    assert_eq!(inst.validate(), Ok(()));
    let alloc = solve(&inst);
    assert_eq!(
        alloc.assignment,
        vec![None, None, Some(MERCY), Some(GENERAL), Some(CITY), Some(STATE), Some(CITY), Some(STATE)]
    );
    // Anderson 1, Brown 2, Chen 2, Davis 3, Eastman 1, Ford 4, Garcia 1, Hassan 1.
    assert_eq!(alloc.proposals, 15);
    assert_eq!(verify(&inst, &alloc), Ok(()));
    assert_eq!(brute::stable_matchings(&inst), vec![alloc.assignment.clone()]);
}

#[test]
fn nrmp_certificates() {
    let inst = nrmp();
    let alloc = solve(&inst);
    // Anderson wanted only City, which is full with Garcia (0) and Eastman (2); it ranks him 3.
    let anderson = certificate_for(&inst, &alloc, ANDERSON);
    assert_eq!(
        anderson,
        Some(StudentCertificate {
            student: ANDERSON,
            assigned: None,
            assigned_choice: None,
            assigned_rank: None,
            preferred: vec![PreferredPosition {
                position: CITY,
                choice: 0,
                reason: Reason::Full { capacity: 2, student_rank: 3, worst_assignee: EASTMAN, worst_assignee_rank: 2 },
            }],
            holds: true,
        })
    );
    // Ford got his fourth choice: City is full, General and Mercy did not list him.
    let Some(ford) = certificate_for(&inst, &alloc, FORD) else { panic!("no certificate") };
    assert_eq!((ford.assigned, ford.assigned_choice, ford.assigned_rank), (Some(STATE), Some(3), Some(5)));
    let reasons: Vec<(u32, u32, &Reason)> = ford.preferred.iter().map(|p| (p.position, p.choice, &p.reason)).collect();
    assert_eq!(
        reasons,
        vec![
            (CITY, 0, &Reason::Full { capacity: 2, student_rank: 7, worst_assignee: EASTMAN, worst_assignee_rank: 2 }),
            (GENERAL, 1, &Reason::NotListed),
            (MERCY, 2, &Reason::NotListed),
        ]
    );
    // Students matched to their first choice have nothing to explain.
    let Some(garcia) = certificate_for(&inst, &alloc, GARCIA) else { panic!("no certificate") };
    assert!(garcia.preferred.is_empty() && garcia.holds);
    // The certificate is stored as JSON.
    let json = serde_json::to_value(&anderson).unwrap_or_default();
    assert_eq!(json["preferred"][0]["reason"]["kind"], "full");
    assert_eq!(json["preferred"][0]["reason"]["worst_assignee_rank"], 2);
    assert_eq!(certificate_for(&inst, &alloc, 8), None);
}

/// One-to-one with two stable matchings: students get their first choices, not the positions'.
#[test]
fn student_optimal_not_position_optimal() {
    let inst = instance(&[&[0, 1, 2], &[1, 0, 2], &[0, 1, 2]], &[(1, &[1, 0, 2]), (1, &[0, 1, 2]), (1, &[0, 1, 2])]);
    let alloc = solve(&inst);
    assert_eq!(alloc.assignment, vec![Some(0), Some(1), Some(2)]);
    let stable = brute::stable_matchings(&inst);
    assert_eq!(stable.len(), 2);
    assert!(stable.contains(&vec![Some(1), Some(0), Some(2)]));
}

#[test]
fn capacity_zero_takes_no_one() {
    // Both students want position 0 first, which lists them but has no seats.
    let inst = instance(&[&[0, 1], &[0]], &[(0, &[0, 1]), (3, &[1, 0])]);
    let alloc = solve(&inst);
    assert_eq!(alloc.assignment, vec![Some(1), None]);
    assert_eq!(alloc.proposals, 3);
    assert_eq!(verify(&inst, &alloc), Ok(()));
    let Some(cert) = certificate_for(&inst, &alloc, 1) else { panic!("no certificate") };
    assert_eq!(cert.preferred, vec![PreferredPosition { position: 0, choice: 0, reason: Reason::NoSeats }]);
    assert!(cert.holds);
}

#[test]
fn only_mutually_acceptable_pairs() {
    // Student 0 lists position 0, which does not list it; position 1 lists student 0, which does
    // not list it.
    let inst = instance(&[&[0]], &[(1, &[]), (1, &[0])]);
    let alloc = solve(&inst);
    assert_eq!(alloc.assignment, vec![None]);
    assert_eq!(alloc.proposals, 1);
    let forced = Allocation { assignment: vec![Some(1)], proposals: 0 };
    assert_eq!(verify(&inst, &forced), Err(Violation::StudentDidNotList { student: 0, position: 1 }));
    let forced = Allocation { assignment: vec![Some(0)], proposals: 0 };
    assert_eq!(verify(&inst, &forced), Err(Violation::PositionDidNotList { student: 0, position: 0 }));
}

#[test]
fn verify_names_each_violation() {
    let inst = instance(&[&[0, 1], &[0, 1], &[0]], &[(1, &[0, 1, 2]), (2, &[1, 0])]);
    let alloc = solve(&inst);
    assert_eq!(alloc.assignment, vec![Some(0), Some(1), None]);
    let check = |assignment: Vec<Option<u32>>| verify(&inst, &Allocation { assignment, proposals: 0 });
    assert_eq!(check(vec![Some(0), None]), Err(Violation::WrongLength { students: 3, assignment: 2 }));
    assert_eq!(check(vec![Some(5), None, None]), Err(Violation::UnknownPosition { student: 0, position: 5 }));
    assert_eq!(
        check(vec![Some(0), Some(0), None]),
        Err(Violation::OverCapacity { position: 0, capacity: 1, assigned: 2 })
    );
    // Student 0 prefers position 0, which has a free seat.
    assert_eq!(check(vec![Some(1), Some(1), None]), Err(Violation::BlockingPair { student: 0, position: 0 }));
    // Position 0 prefers student 0 to student 1, and student 0 prefers it.
    assert_eq!(check(vec![Some(1), Some(0), None]), Err(Violation::BlockingPair { student: 0, position: 0 }));
    let Some(cert) = certificate_for(&inst, &Allocation { assignment: vec![Some(1), Some(0), None], proposals: 0 }, 0)
    else {
        panic!("no certificate")
    };
    assert!(!cert.holds);
    assert_eq!(
        cert.preferred[0].reason,
        Reason::Blocking { capacity: 1, student_rank: 0, worst_assignee: Some(1), worst_assignee_rank: Some(1) }
    );
    assert!(Violation::BlockingPair { student: 0, position: 0 }.to_string().contains("blocking pair"));
}

#[test]
fn empty_and_validation() {
    assert_eq!(solve(&instance(&[], &[])), Allocation { assignment: vec![], proposals: 0 });
    let inst = instance(&[&[], &[]], &[]);
    assert_eq!(solve(&inst).assignment, vec![None, None]);
    assert_eq!(
        instance(&[&[0, 3]], &[(1, &[0])]).validate(),
        Err(InstanceError::UnknownPosition { student: 0, position: 3 })
    );
    assert_eq!(
        instance(&[&[0, 0]], &[(1, &[0])]).validate(),
        Err(InstanceError::RepeatedPosition { student: 0, position: 0 })
    );
    assert_eq!(
        instance(&[&[0]], &[(1, &[1])]).validate(),
        Err(InstanceError::UnknownStudent { position: 0, student: 1 })
    );
    assert_eq!(
        instance(&[&[0]], &[(1, &[0, 0])]).validate(),
        Err(InstanceError::RepeatedStudent { position: 0, student: 0 })
    );
}

#[test]
fn bench_is_stable_and_deterministic() {
    let report = xiaoqi_alloc::run_allocate_bench(3_000, 300, 10, 7);
    assert!(report.stable && report.deterministic);
    assert_eq!(report.matched + report.unmatched, 3_000);
    assert_eq!(report.student_entries, 30_000);
    assert!(report.proposals >= report.matched as u64 && report.proposals <= 30_000);
    // More preferences than positions: every student lists every position.
    let small = xiaoqi_alloc::run_allocate_bench(50, 4, 10, 1);
    assert_eq!((small.prefs, small.student_entries), (4, 200));
    assert!(small.stable);
    let empty = xiaoqi_alloc::run_allocate_bench(0, 0, 10, 1);
    assert_eq!((empty.matched, empty.proposals), (0, 0));
    let nobody = xiaoqi_alloc::run_allocate_bench(10, 0, 10, 1);
    assert_eq!((nobody.unmatched, nobody.proposals), (10, 0));
}

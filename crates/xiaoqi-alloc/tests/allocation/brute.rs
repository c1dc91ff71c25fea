//! Reference solvers written from the definitions, sharing no code with the crate.

use std::collections::VecDeque;

use xiaoqi_alloc::Instance;

/// Where `x` first appears in `list`.
fn place(list: &[u32], x: u32) -> Option<usize> {
    list.iter().position(|&y| y == x)
}

/// Both sides list each other.
pub fn acceptable(inst: &Instance, s: u32, p: u32) -> bool {
    let Some(position) = inst.positions.get(p as usize) else { return false };
    let Some(student) = inst.students.get(s as usize) else { return false };
    place(&student.prefs, p).is_some() && place(&position.prefs, s).is_some()
}

/// The definition: one entry per student, every pair mutually acceptable, capacities respected
/// and no blocking pair.
pub fn is_stable_matching(inst: &Instance, assignment: &[Option<u32>]) -> bool {
    if assignment.len() != inst.students.len() {
        return false;
    }
    let mut count = vec![0usize; inst.positions.len()];
    for (s, a) in assignment.iter().enumerate() {
        if let Some(p) = *a {
            if !acceptable(inst, s as u32, p) {
                return false;
            }
            count[p as usize] += 1;
        }
    }
    if count.iter().zip(&inst.positions).any(|(&c, p)| c > p.capacity as usize) {
        return false;
    }
    !has_blocking_pair(inst, assignment, &count)
}

fn has_blocking_pair(inst: &Instance, assignment: &[Option<u32>], count: &[usize]) -> bool {
    for (s, student) in inst.students.iter().enumerate() {
        let s = s as u32;
        let current = assignment[s as usize].and_then(|p| place(&student.prefs, p)).unwrap_or(usize::MAX);
        for (p, position) in inst.positions.iter().enumerate() {
            let p = p as u32;
            let (Some(sp), Some(ps)) = (place(&student.prefs, p), place(&position.prefs, s)) else { continue };
            if sp >= current || position.capacity == 0 {
                continue;
            }
            if count[p as usize] < position.capacity as usize {
                return true;
            }
            // The position prefers s to one of its assignees.
            let prefers = assignment
                .iter()
                .enumerate()
                .any(|(t, &a)| a == Some(p) && place(&position.prefs, t as u32).is_none_or(|pt| ps < pt));
            if prefers {
                return true;
            }
        }
    }
    false
}

/// Every matching that respects capacities and mutual acceptability.
pub fn feasible_matchings(inst: &Instance) -> Vec<Vec<Option<u32>>> {
    let mut out = Vec::new();
    let mut current = vec![None; inst.students.len()];
    let mut free: Vec<usize> = inst.positions.iter().map(|p| p.capacity as usize).collect();
    extend(inst, 0, &mut current, &mut free, &mut out);
    out
}

fn extend(
    inst: &Instance,
    s: usize,
    current: &mut Vec<Option<u32>>,
    free: &mut Vec<usize>,
    out: &mut Vec<Vec<Option<u32>>>,
) {
    if s == inst.students.len() {
        out.push(current.clone());
        return;
    }
    current[s] = None;
    extend(inst, s + 1, current, free, out);
    for p in 0..inst.positions.len() as u32 {
        if free[p as usize] > 0 && acceptable(inst, s as u32, p) {
            free[p as usize] -= 1;
            current[s] = Some(p);
            extend(inst, s + 1, current, free, out);
            free[p as usize] += 1;
            current[s] = None;
        }
    }
}

/// Every stable matching, by enumeration.
pub fn stable_matchings(inst: &Instance) -> Vec<Vec<Option<u32>>> {
    feasible_matchings(inst).into_iter().filter(|m| is_stable_matching(inst, m)).collect()
}

/// `s` weakly prefers outcome `a` to outcome `b` (unmatched is last).
pub fn weakly_prefers(inst: &Instance, s: usize, a: Option<u32>, b: Option<u32>) -> bool {
    let at = |o: Option<u32>| o.and_then(|p| place(&inst.students[s].prefs, p)).unwrap_or(usize::MAX);
    at(a) <= at(b)
}

/// Round-based deferred acceptance in the style of Gale and Shapley's paper: every round, every
/// free student proposes to its next position, then each position keeps its best `capacity`
/// among those it holds and the new proposers. Linear scans everywhere; returns the assignment
/// and the proposals made.
pub fn rounds(inst: &Instance) -> (Vec<Option<u32>>, u64) {
    let n = inst.students.len();
    let mut next = vec![0usize; n];
    let mut held: Vec<Vec<u32>> = vec![Vec::new(); inst.positions.len()];
    let mut free: VecDeque<u32> = (0..n as u32).collect();
    let mut proposals = 0u64;
    while !free.is_empty() {
        let mut offers: Vec<Vec<u32>> = vec![Vec::new(); inst.positions.len()];
        for s in free.drain(..) {
            let prefs = &inst.students[s as usize].prefs;
            if let Some(&p) = prefs.get(next[s as usize]) {
                next[s as usize] += 1;
                proposals += 1;
                offers[p as usize].push(s);
            }
        }
        if offers.iter().all(Vec::is_empty) {
            break;
        }
        for (p, new) in offers.into_iter().enumerate() {
            if new.is_empty() {
                continue;
            }
            let position = &inst.positions[p];
            let mut pool: Vec<u32> = held[p].iter().copied().chain(new).collect();
            let (mut keep, rejected): (Vec<u32>, Vec<u32>) =
                pool.drain(..).partition(|&s| place(&position.prefs, s).is_some());
            free.extend(rejected);
            keep.sort_by_key(|&s| place(&position.prefs, s));
            let cap = position.capacity as usize;
            if keep.len() > cap {
                free.extend(keep.drain(cap..));
            }
            held[p] = keep;
        }
        // Students that ran out of positions stay unmatched.
        free.retain(|&s| next[s as usize] < inst.students[s as usize].prefs.len());
    }
    let mut assignment = vec![None; n];
    for (p, list) in held.iter().enumerate() {
        for &s in list {
            assignment[s as usize] = Some(p as u32);
        }
    }
    (assignment, proposals)
}

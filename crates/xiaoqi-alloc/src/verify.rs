//! Checking an allocation (capacity, mutual acceptability, no blocking pair) and explaining one
//! student's outcome.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::index::{NONE, RankIndex};
use crate::model::{Allocation, Instance};

/// The first reason an allocation is not a stable matching of its instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// The assignment does not have one entry per student.
    WrongLength { students: usize, assignment: usize },
    /// A student is assigned a position that does not exist.
    UnknownPosition { student: u32, position: u32 },
    /// A student is assigned a position it did not list.
    StudentDidNotList { student: u32, position: u32 },
    /// A student is assigned a position that did not list it.
    PositionDidNotList { student: u32, position: u32 },
    /// A position holds more students than its capacity.
    OverCapacity { position: u32, capacity: u32, assigned: usize },
    /// Both list each other, the student prefers the position to its outcome and the position
    /// has a free seat or prefers the student to one it holds.
    BlockingPair { student: u32, position: u32 },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { students, assignment } => {
                write!(f, "{assignment} assignments for {students} students")
            }
            Self::UnknownPosition { student, position } => {
                write!(f, "student {student} is assigned position {position}, which does not exist")
            }
            Self::StudentDidNotList { student, position } => {
                write!(f, "student {student} is assigned position {position}, which it did not list")
            }
            Self::PositionDidNotList { student, position } => {
                write!(f, "student {student} is assigned position {position}, which did not list it")
            }
            Self::OverCapacity { position, capacity, assigned } => {
                write!(f, "position {position} holds {assigned} students for {capacity} seats")
            }
            Self::BlockingPair { student, position } => {
                write!(f, "student {student} and position {position} form a blocking pair")
            }
        }
    }
}

impl std::error::Error for Violation {}

/// Checks that `alloc` is a stable matching of `inst`: one entry per student, every pair
/// mutually acceptable, no position over capacity, no blocking pair. O(E + S + P).
///
/// Lists are read as [`crate::solve`] reads them: out-of-range entries ignored, a repeated entry
/// at its first occurrence.
pub fn verify(inst: &Instance, alloc: &Allocation) -> Result<(), Violation> {
    let n = inst.students.len();
    let m = inst.positions.len();
    if alloc.assignment.len() != n {
        return Err(Violation::WrongLength { students: n, assignment: alloc.assignment.len() });
    }
    let index = RankIndex::build(inst);
    let mut held = vec![0usize; m];
    // The worst (largest) rank among each position's assignees.
    let mut worst = vec![0u32; m];
    // Per student: where its list is cut (its assignment's first entry, or the list's length).
    let mut cut = vec![0usize; n];
    for ((student, &assigned), s) in inst.students.iter().zip(&alloc.assignment).zip(0..=u32::MAX) {
        let Some(p) = assigned else {
            cut[s as usize] = student.prefs.len();
            continue;
        };
        if p as usize >= m {
            return Err(Violation::UnknownPosition { student: s, position: p });
        }
        let Some(k) = student.prefs.iter().position(|&q| q == p) else {
            return Err(Violation::StudentDidNotList { student: s, position: p });
        };
        let r = index.rank[index.offsets[s as usize] + k];
        if r == NONE {
            return Err(Violation::PositionDidNotList { student: s, position: p });
        }
        cut[s as usize] = k;
        held[p as usize] += 1;
        worst[p as usize] = worst[p as usize].max(r);
    }
    for ((position, &count), p) in inst.positions.iter().zip(&held).zip(0..=u32::MAX) {
        if count > position.capacity as usize {
            return Err(Violation::OverCapacity { position: p, capacity: position.capacity, assigned: count });
        }
    }
    for ((student, &cut), s) in inst.students.iter().zip(&cut).zip(0..=u32::MAX) {
        let ranks = &index.rank[index.offsets[s as usize]..];
        for (&p, &r) in student.prefs[..cut].iter().zip(ranks) {
            if r == NONE {
                continue;
            }
            let (capacity, count) = (inst.positions[p as usize].capacity as usize, held[p as usize]);
            if capacity > 0 && (count < capacity || r < worst[p as usize]) {
                return Err(Violation::BlockingPair { student: s, position: p });
            }
        }
    }
    Ok(())
}

/// One student's outcome and, for every position it ranked higher, why that position and the
/// student do not form a blocking pair. Ranks and choices count from 0 (0 = first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentCertificate {
    pub student: u32,
    /// The position the student is matched to.
    pub assigned: Option<u32>,
    /// Where the assigned position is in the student's list.
    pub assigned_choice: Option<u32>,
    /// Where the student is in the assigned position's list.
    pub assigned_rank: Option<u32>,
    /// The positions the student listed above its assignment (all of its list when unmatched),
    /// in the student's order, each once.
    pub preferred: Vec<PreferredPosition>,
    /// The outcome stands for this student: the assignment (if any) is mutually acceptable and
    /// no preferred position is [`Reason::Blocking`].
    pub holds: bool,
}

/// A position the student preferred to its outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferredPosition {
    pub position: u32,
    /// Where it is in the student's list.
    pub choice: u32,
    pub reason: Reason,
}

/// Why a preferred position did not take the student.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The position did not list the student.
    NotListed,
    /// The position has no seats.
    NoSeats,
    /// Every seat is taken by a student the position ranks higher: its worst assignee has a
    /// smaller rank than the student.
    Full { capacity: u32, student_rank: u32, worst_assignee: u32, worst_assignee_rank: u32 },
    /// The position does not exist (an instance that fails [`Instance::validate`]).
    UnknownPosition,
    /// A blocking pair: the position lists the student and has a free seat
    /// (`worst_assignee` is `None`) or holds a student it ranks lower, or one it does not list
    /// (`worst_assignee_rank` is `None`). Only an allocation that is not stable gives this.
    Blocking { capacity: u32, student_rank: u32, worst_assignee: Option<u32>, worst_assignee_rank: Option<u32> },
}

/// Explains `student`'s outcome in `alloc`; `None` when the student does not exist or the
/// assignment does not have one entry per student.
///
/// O(S + the lengths of the lists of the positions the student preferred): it scans the
/// assignment once and the preferred positions' lists, without building the full rank lookup.
pub fn certificate_for(inst: &Instance, alloc: &Allocation, student: u32) -> Option<StudentCertificate> {
    let prefs = &inst.students.get(student as usize)?.prefs;
    if alloc.assignment.len() != inst.students.len() {
        return None;
    }
    let assigned = alloc.assignment[student as usize];
    let rank_of = |p: u32, s: u32| -> Option<u32> {
        let list = &inst.positions.get(p as usize)?.prefs;
        list.iter().position(|&t| t == s).and_then(|r| u32::try_from(r).ok())
    };
    let assigned_choice = assigned.and_then(|p| prefs.iter().position(|&q| q == p));
    let assigned_rank = assigned.and_then(|p| rank_of(p, student));
    // Unmatched, or matched to a position it did not list: every listed position is preferred.
    let cut = assigned_choice.unwrap_or(prefs.len());

    // The preferred positions, each once, in the student's order.
    let mut seen = HashSet::new();
    let preferred: Vec<(u32, u32)> = prefs[..cut]
        .iter()
        .zip(0..=u32::MAX)
        .filter(|&(&p, _)| seen.insert(p))
        .map(|(&p, choice)| (p, choice))
        .collect();
    // Their assignees, by one scan of the assignment.
    let mut assignees: HashMap<u32, Vec<u32>> = preferred.iter().map(|&(p, _)| (p, Vec::new())).collect();
    for (&a, s) in alloc.assignment.iter().zip(0..=u32::MAX) {
        if let Some(list) = a.and_then(|p| assignees.get_mut(&p)) {
            list.push(s);
        }
    }

    let mut out = Vec::with_capacity(preferred.len());
    let mut holds = assigned.is_none()
        || (assigned_choice.is_some()
            && assigned_rank.is_some()
            && assigned.is_some_and(|p| (p as usize) < inst.positions.len()));
    for (p, choice) in preferred {
        let reason = match inst.positions.get(p as usize) {
            None => Reason::UnknownPosition,
            Some(position) => reason_at(position, student, assignees.get(&p).map_or(&[][..], Vec::as_slice)),
        };
        holds &= !matches!(reason, Reason::Blocking { .. });
        out.push(PreferredPosition { position: p, choice, reason });
    }
    Some(StudentCertificate {
        student,
        assigned,
        assigned_choice: assigned_choice.and_then(|k| u32::try_from(k).ok()),
        assigned_rank,
        preferred: out,
        holds,
    })
}

/// Why `position` (which the student preferred) did not take `student`, given its assignees.
fn reason_at(position: &crate::model::PositionPrefs, student: u32, assignees: &[u32]) -> Reason {
    // First occurrences only, as everywhere else.
    let mut ranks: HashMap<u32, u32> = HashMap::with_capacity(position.prefs.len());
    for (&s, r) in position.prefs.iter().zip(0..NONE) {
        ranks.entry(s).or_insert(r);
    }
    let Some(&student_rank) = ranks.get(&student) else {
        return Reason::NotListed;
    };
    let capacity = position.capacity;
    if capacity == 0 {
        return Reason::NoSeats;
    }
    // The worst assignee: the largest rank, an assignee the position does not list counting as
    // worse than any listed one.
    let worst = assignees.iter().map(|&s| (ranks.get(&s).copied(), s)).max_by_key(|&(r, _)| r.unwrap_or(NONE));
    match worst {
        Some((Some(worst_rank), worst_assignee))
            if assignees.len() >= capacity as usize && worst_rank < student_rank =>
        {
            Reason::Full { capacity, student_rank, worst_assignee, worst_assignee_rank: worst_rank }
        }
        _ if assignees.len() < capacity as usize => {
            Reason::Blocking { capacity, student_rank, worst_assignee: None, worst_assignee_rank: None }
        }
        _ => Reason::Blocking {
            capacity,
            student_rank,
            worst_assignee: worst.map(|(_, s)| s),
            worst_assignee_rank: worst.and_then(|(r, _)| r),
        },
    }
}

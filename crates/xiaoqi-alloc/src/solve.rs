//! Student-proposing deferred acceptance with capacities (Gale–Shapley 1962, in the form Roth
//! uses for hospitals and residents).

use crate::index::{NONE, RankIndex};
use crate::model::{Allocation, Instance};

/// The seats of one position: a binary max-heap of `rank << 32 | student` (its worst held
/// student on top) in `heap[start..start + cap]`, of which the first `len` are filled.
#[derive(Clone, Copy)]
struct Seats {
    start: usize,
    cap: u32,
    len: u32,
}

/// The student-optimal stable matching.
///
/// Every student proposes down its list; a position holds the best `capacity` proposers by its
/// own ranking and rejects the rest, and a student displaced from a seat goes on proposing.
/// A proposal to a position that does not list the student (or does not exist, or has no
/// seats) is rejected at once; it counts in [`Allocation::proposals`] but is never held. Only
/// mutually acceptable pairs are matched.
///
/// The result does not depend on the order of the students or of the proposals: it is the
/// unique stable matching every student weakly prefers to every other stable matching, and by
/// the rural hospitals theorem every stable matching matches the same students.
///
/// O(E + S + P) time and memory apart from the heaps, where E counts the entries of all lists:
/// each student proposes at most once per entry of its list and each proposal costs
/// O(log capacity). Out-of-range entries are ignored, and a repeated entry counts at its first
/// occurrence (see [`Instance::validate`]).
pub fn solve(inst: &Instance) -> Allocation {
    let index = RankIndex::build(inst);
    solve_indexed(inst, &index)
}

/// [`solve`] with the rank lookup already built (the bench times both halves).
pub(crate) fn solve_indexed(inst: &Instance, index: &RankIndex) -> Allocation {
    let n = inst.students.len();
    let mut seats = Vec::with_capacity(inst.positions.len());
    let mut total = 0usize;
    for (position, &named) in inst.positions.iter().zip(&index.named) {
        // A position never holds more students than named it, whatever its capacity.
        let cap = (position.capacity as usize).min(named).min(position.prefs.len());
        seats.push(Seats { start: total, cap: cap as u32, len: 0 });
        total += cap;
    }
    let mut heap = vec![0u64; total];
    // How far down its list each student has proposed.
    let mut next = vec![0usize; n];
    let mut proposals = 0u64;
    // Students enter one at a time; a displaced student proposes on at once (the order does not
    // change the result), so no queue is needed.
    for (_, first) in inst.students.iter().zip(0..=u32::MAX) {
        let mut s = first;
        'chain: loop {
            let su = s as usize;
            let prefs = &inst.students[su].prefs;
            let ranks = &index.rank[index.offsets[su]..index.offsets[su + 1]];
            let mut k = next[su];
            while let (Some(&p), Some(&r)) = (prefs.get(k), ranks.get(k)) {
                k += 1;
                proposals += 1;
                if r == NONE {
                    continue;
                }
                let seat = &mut seats[p as usize];
                if seat.cap == 0 {
                    continue;
                }
                let key = u64::from(r) << 32 | u64::from(s);
                let held = &mut heap[seat.start..seat.start + seat.cap as usize];
                if seat.len < seat.cap {
                    push(&mut held[..=seat.len as usize], key);
                    seat.len += 1;
                    next[su] = k;
                    break 'chain;
                }
                if key < held[0] {
                    let out = held[0];
                    held[0] = key;
                    sift_down(held);
                    next[su] = k;
                    s = out as u32;
                    continue 'chain;
                }
            }
            // Exhausted its list: stays unmatched.
            next[su] = k;
            break;
        }
    }
    let mut assignment = vec![None; n];
    for (seat, p) in seats.iter().zip(0..=u32::MAX) {
        for &key in &heap[seat.start..seat.start + seat.len as usize] {
            assignment[(key & 0xFFFF_FFFF) as usize] = Some(p);
        }
    }
    Allocation { assignment, proposals }
}

/// Adds `heap`'s last element to the max-heap of the others.
fn push(heap: &mut [u64], key: u64) {
    let mut i = heap.len() - 1;
    while i > 0 {
        let parent = (i - 1) / 2;
        if heap[parent] >= key {
            break;
        }
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = key;
}

/// Restores the max-heap after its top was replaced.
fn sift_down(heap: &mut [u64]) {
    let len = heap.len();
    let key = heap[0];
    let mut i = 0;
    loop {
        let left = 2 * i + 1;
        if left >= len {
            break;
        }
        let right = left + 1;
        let child = if right < len && heap[right] > heap[left] { right } else { left };
        if heap[child] <= key {
            break;
        }
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = key;
}

//! The rank lookup shared by solving, verifying and explaining: for every entry of every
//! student's list, the rank the named position gives that student.

use crate::model::Instance;

/// "Does not list the student" (or the position does not exist).
pub(crate) const NONE: u32 = u32::MAX;

/// Student `s`'s entries are `offsets[s]..offsets[s + 1]`; entry `offsets[s] + k` stands for
/// `students[s].prefs[k]`.
pub(crate) struct RankIndex {
    pub offsets: Vec<usize>,
    /// Per entry: the rank (0 = first) of the student in the named position's list, `NONE` when
    /// the position does not list the student or does not exist. A repeated student counts at
    /// its first occurrence; lists are read up to `u32::MAX - 1` entries.
    pub rank: Vec<u32>,
    /// Per position: entries of student lists that name it, a bound on how many students can
    /// ever be held there.
    pub named: Vec<usize>,
}

impl RankIndex {
    /// O(students' entries + positions' entries + students + positions): the entries are grouped
    /// by position with a counting sort, then each position marks the students it lists and
    /// reads the marks of the students that named it.
    pub fn build(inst: &Instance) -> Self {
        let n = inst.students.len();
        let m = inst.positions.len();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut total = 0usize;
        offsets.push(0);
        for student in &inst.students {
            total += student.prefs.len();
            offsets.push(total);
        }
        // start[p + 1] counts the entries naming p, then becomes where p's group ends. The
        // entries counted here are exactly those grouped below.
        let mut start = vec![0usize; m + 1];
        for (student, _) in inst.students.iter().zip(0..=u32::MAX) {
            for (&p, _) in student.prefs.iter().zip(0..NONE) {
                if (p as usize) < m {
                    start[p as usize + 1] += 1;
                }
            }
        }
        let named: Vec<usize> = start.iter().skip(1).copied().collect();
        for i in 1..=m {
            start[i] += start[i - 1];
        }
        // (student, k) of every entry naming an existing position, grouped by position.
        let mut fill = start.clone();
        let mut grouped = vec![(0u32, 0u32); start[m]];
        for (student, s) in inst.students.iter().zip(0..=u32::MAX) {
            for (&p, k) in student.prefs.iter().zip(0..NONE) {
                let p = p as usize;
                if p < m {
                    grouped[fill[p]] = (s, k);
                    fill[p] += 1;
                }
            }
        }
        let mut rank = vec![NONE; total];
        // mark[s] = (p + 1, rank of s at p) once position p has listed s.
        let mut mark = vec![(0u32, 0u32); n];
        for ((position, stamp), p) in inst.positions.iter().zip(1..=u32::MAX).zip(0usize..) {
            for (&s, r) in position.prefs.iter().zip(0..NONE) {
                if let Some(slot) = mark.get_mut(s as usize)
                    && slot.0 != stamp
                {
                    *slot = (stamp, r);
                }
            }
            for &(s, k) in &grouped[start[p]..start[p + 1]] {
                let (seen, r) = mark[s as usize];
                if seen == stamp {
                    rank[offsets[s as usize] + k as usize] = r;
                }
            }
        }
        RankIndex { offsets, rank, named }
    }
}

//! Ranking students for a demand over a [`ProfileSet`].
//!
//! Profiles are processed in blocks of [`BLOCK`] indices, so that everything a block touches
//! stays in the first-level cache and every list is read once, front to back:
//! 1. each required skill adds its credit to per-role float accumulators: a dense column by a
//!    vectorised pass, a sparse list by advancing it to the block's end;
//! 2. the required certificates' lists count into a mark byte per profile; the lists of the
//!    demand's city, of the cities of its province and of the profiles preferring it set bits;
//! 3. a branch-free pass computes every profile's score with [`Kernel::score`], the function
//!    `explain` uses;
//! 4. scores above the current k-th best are offered to a bounded heap.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::index::{LEVEL_BITS, LEVEL_MASK, ProfileSet, SkillColumn};
use crate::model::Demand;
use crate::plan::{Kernel, Plan, Target, region_value};
use crate::validate::MAX_CERTIFICATES;

const BLOCK: usize = 2048;
/// A mark byte: the number of required certificates held (at most 16) and three flags.
const CERTIFICATES: u8 = 0x1F;
const _: () = assert!(MAX_CERTIFICATES <= CERTIFICATES as usize);
const SAME_PROVINCE: u8 = 0x20;
const SAME_CITY: u8 = 0x40;
const PREFERRED: u8 = 0x80;

/// A profile of a [`ProfileSet`] and its score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranked {
    /// The profile's index in the set.
    pub index: u32,
    /// Its score in 0..=1.
    pub score: f32,
}

/// The `k` best profiles for `demand`, best first, ties by smaller index; only scores above 0.
pub fn rank_students(demand: &Demand, set: &ProfileSet, k: usize) -> Vec<Ranked> {
    rank_counting(&Plan::new(demand), set, k).0
}

/// Ranks and also returns how many profiles were scored (had any credit).
pub(crate) fn rank_counting(plan: &Plan, set: &ProfileSet, k: usize) -> (Vec<Ranked>, usize) {
    if k == 0 || set.is_empty() {
        return (Vec::new(), 0);
    }
    match plan.slots.len() {
        1 => plan.kernel::<1>().map(|kernel| rank_blocks(plan, kernel, set, k)),
        2 => plan.kernel::<2>().map(|kernel| rank_blocks(plan, kernel, set, k)),
        3 => plan.kernel::<3>().map(|kernel| rank_blocks(plan, kernel, set, k)),
        _ => None,
    }
    .unwrap_or_default()
}

/// The lists a ranking reads, each consumed block by block.
struct Sources<'a> {
    sparse: Vec<(&'a [u32], &'a [Target])>,
    dense: Vec<(&'a [u8], &'a [Target])>,
    certificates: Vec<&'a [u32]>,
    flags: Vec<(&'a [u32], u8)>,
}

impl<'a> Sources<'a> {
    fn new(plan: &'a Plan, set: &'a ProfileSet) -> Self {
        let mut s = Sources { sparse: Vec::new(), dense: Vec::new(), certificates: Vec::new(), flags: Vec::new() };
        for skill in &plan.skills {
            match set.skill(skill.skill.0) {
                SkillColumn::Sparse([]) => {}
                SkillColumn::Sparse(list) => s.sparse.push((list, &skill.targets)),
                SkillColumn::Dense(levels) => s.dense.push((levels, &skill.targets)),
            }
        }
        s.certificates = plan.certificates.iter().map(|c| set.certificates.get(c.0)).collect();
        let region = plan.region;
        if plan.region_matters && !region.is_unknown() {
            s.flags.push((set.cities.get(region.city()), SAME_CITY));
            let province = region.province() * 100..=region.province() * 100 + 99;
            s.flags.extend(set.cities.range(province).map(|l| (l, SAME_PROVINCE)));
            s.flags.push((set.preferred_cities.get(region.city()), PREFERRED));
            s.flags.push((set.preferred_provinces.get(region.province()), PREFERRED));
        }
        s.flags.retain(|(l, _)| !l.is_empty());
        s
    }

    fn is_empty(&self) -> bool {
        self.sparse.is_empty() && self.dense.is_empty()
    }
}

fn rank_blocks<const R: usize>(plan: &Plan, kernel: Kernel<R>, set: &ProfileSet, k: usize) -> (Vec<Ranked>, usize) {
    let mut sources = Sources::new(plan, set);
    if sources.is_empty() {
        return (Vec::new(), 0);
    }
    let mut acc = [[0f32; BLOCK]; R];
    let mut marks = [0u8; BLOCK];
    let mut scores = [0f32; BLOCK];
    let mut top = TopK::new(k.min(set.len()));
    let mut scored = 0;
    for first in (0..set.len()).step_by(BLOCK) {
        let n = BLOCK.min(set.len() - first);
        let (first, last) = (first as u32, (first + n) as u32);
        for (levels, targets) in &mut sources.dense {
            let (now, rest) = levels.split_at(n.min(levels.len()));
            *levels = rest;
            for t in targets.iter() {
                add_dense(&mut acc, now, t);
            }
        }
        let end = last << LEVEL_BITS;
        for (postings, targets) in &mut sources.sparse {
            let used = match targets {
                [t] => add_sparse(&mut acc, postings, t, end),
                _ => targets.iter().map(|t| add_sparse(&mut acc, postings, t, end)).max().unwrap_or(0),
            };
            *postings = postings.get(used..).unwrap_or_default();
        }
        for list in &mut sources.certificates {
            let used = mark(&mut marks, list, last, |m| *m += 1);
            *list = list.get(used..).unwrap_or_default();
        }
        for (list, flag) in &mut sources.flags {
            let flag = *flag;
            let used = mark(&mut marks, list, last, |m| *m |= flag);
            *list = list.get(used..).unwrap_or_default();
        }
        for j in 0..n {
            let credits: [f32; R] = std::array::from_fn(|r| std::mem::take(&mut acc[r][j]));
            let mark = std::mem::take(&mut marks[j]);
            let region = region_value(mark & SAME_CITY != 0, mark & PREFERRED != 0, mark & SAME_PROVINCE != 0);
            scores[j] = kernel.score(credits, f32::from(mark & CERTIFICATES), region);
        }
        let scores = &scores[..n];
        scored += scores.iter().map(|&s| u32::from(s > 0.0)).sum::<u32>() as usize;
        // Most chunks hold no score above the k-th best: skip them with a vectorised test.
        for (c, chunk) in scores.chunks(16).enumerate() {
            let floor = top.floor();
            if chunk.iter().fold(false, |any, &s| any | (s > floor)) {
                for (j, &s) in chunk.iter().enumerate() {
                    top.offer(s, first + (c * 16 + j) as u32);
                }
            }
        }
    }
    (top.into_sorted(), scored)
}

/// Adds one target's credits from the front of `postings` below `end` (`last << 3`); returns how
/// many postings that was. Blocks start at multiples of [`BLOCK`], so an index's place in the
/// block is the index modulo [`BLOCK`]. Reading the list in order, stopping at the first one beyond the
/// block, is cheaper than searching for the block's end.
fn add_sparse<const R: usize>(acc: &mut [[f32; BLOCK]; R], postings: &[u32], t: &Target, end: u32) -> usize {
    let Some(a) = acc.get_mut(t.slot) else { return 0 };
    let mut used = 0;
    for &p in postings {
        if p >= end {
            break;
        }
        a[(p >> LEVEL_BITS) as usize % BLOCK] += t.credit_by_level[(p & LEVEL_MASK) as usize];
        used += 1;
    }
    used
}

fn add_dense<const R: usize>(acc: &mut [[f32; BLOCK]; R], levels: &[u8], t: &Target) {
    let Some(a) = acc.get_mut(t.slot) else { return };
    for (a, &l) in a.iter_mut().zip(levels) {
        *a += t.multiplier * f32::from(l.min(t.min_level));
    }
}

/// Applies `f` to the marks of the profiles at the front of `list` below `last`.
fn mark(marks: &mut [u8; BLOCK], list: &[u32], last: u32, f: impl Fn(&mut u8)) -> usize {
    let mut used = 0;
    for &i in list {
        if i >= last {
            break;
        }
        f(&mut marks[i as usize % BLOCK]);
        used += 1;
    }
    used
}

/// The k best (score, index) pairs seen; offered in increasing index, so an equal score
/// never displaces an earlier (smaller) index.
struct TopK {
    k: usize,
    heap: BinaryHeap<Reverse<(u32, Reverse<u32>)>>,
}

impl TopK {
    fn new(k: usize) -> Self {
        TopK { k, heap: BinaryHeap::with_capacity(k + 1) }
    }

    /// Scores at or below this cannot enter: 0 until full, then the k-th best.
    fn floor(&self) -> f32 {
        match self.heap.peek() {
            Some(Reverse((bits, _))) if self.heap.len() >= self.k => f32::from_bits(*bits),
            _ => 0.0,
        }
    }

    fn offer(&mut self, score: f32, index: u32) {
        if score <= self.floor() {
            return;
        }
        // Scores are positive, so their bit patterns order like the numbers.
        self.heap.push(Reverse((score.to_bits(), Reverse(index))));
        if self.heap.len() > self.k {
            self.heap.pop();
        }
    }

    fn into_sorted(self) -> Vec<Ranked> {
        let mut out: Vec<Ranked> = self
            .heap
            .into_iter()
            .map(|Reverse((bits, Reverse(index)))| Ranked { index, score: f32::from_bits(bits) })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        out
    }
}

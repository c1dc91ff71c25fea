//! `xiaoqi bench allocate`: generates a seeded instance, solves it a few times and verifies the
//! result.

use std::hint::black_box;
use std::time::Instant;

use serde::Serialize;

use crate::index::RankIndex;
use crate::model::{Allocation, Instance, PositionPrefs, StudentPrefs};
use crate::solve::solve_indexed;
use crate::verify::verify;

/// The target for 100,000 students × 10,000 positions × 10 preferences.
pub const TARGET_MS: f64 = 100.0;
/// How often the bench solves the instance.
pub const RUNS: usize = 5;
/// Zipf exponent of the positions' popularity.
const SKEW: f64 = 0.8;

/// What one bench run measured; times in milliseconds.
#[derive(Clone, Debug, Serialize)]
pub struct AllocateBenchReport {
    pub students: usize,
    pub positions: usize,
    /// Preferences per student (at most `positions`).
    pub prefs: usize,
    pub seed: u64,
    /// Sum of the capacities.
    pub total_capacity: u64,
    /// Entries of the students' lists.
    pub student_entries: usize,
    /// Entries of the positions' lists.
    pub position_entries: usize,
    /// Generating the instance (not part of the solve).
    pub generate_ms: f64,
    /// How often the instance was solved.
    pub runs: usize,
    /// Median time of one `solve` (building the rank lookup and deferred acceptance).
    pub solve_ms: f64,
    /// Fastest `solve`.
    pub solve_ms_min: f64,
    /// Median time of building the rank lookup, part of `solve_ms`.
    pub index_ms: f64,
    /// Median time of deferred acceptance proper, part of `solve_ms`.
    pub accept_ms: f64,
    /// Proposals made, including those rejected at once by positions that did not list the
    /// student.
    pub proposals: u64,
    pub matched: usize,
    pub unmatched: usize,
    /// `verify` found no violation.
    pub stable: bool,
    /// Every run gave the same allocation.
    pub deterministic: bool,
    pub verify_ms: f64,
    pub target_ms: f64,
    /// `solve_ms <= target_ms`.
    pub within_target: bool,
}

/// Generates an instance of `students` × `positions` with `prefs` preferences per student from
/// `seed`, solves it [`RUNS`] times and verifies the result.
///
/// Students pick `prefs` distinct positions with a Zipf-skewed popularity; every position ranks
/// by score (a student quality plus a per-position noise) 95% of the students that listed it plus
/// 10% as many that did not (those pairs are not mutually acceptable either way); capacities are
/// uniform within ±50% of `students / positions`, so the seats about equal the students.
pub fn run_allocate_bench(students: usize, positions: usize, prefs: usize, seed: u64) -> AllocateBenchReport {
    let prefs = prefs.min(positions);
    let t = Instant::now();
    let inst = generate(students, positions, prefs, seed);
    let generate_ms = ms(t);

    let mut solve_times = Vec::with_capacity(RUNS);
    let mut index_times = Vec::with_capacity(RUNS);
    let mut accept_times = Vec::with_capacity(RUNS);
    let mut first: Option<Allocation> = None;
    let mut deterministic = true;
    for _ in 0..RUNS {
        let t = Instant::now();
        let index = black_box(RankIndex::build(black_box(&inst)));
        let index_ms = ms(t);
        let t = Instant::now();
        let alloc = black_box(solve_indexed(black_box(&inst), &index));
        let accept_ms = ms(t);
        drop(index);
        index_times.push(index_ms);
        accept_times.push(accept_ms);
        solve_times.push(index_ms + accept_ms);
        match &first {
            Some(f) => deterministic &= *f == alloc,
            None => first = Some(alloc),
        }
    }
    let alloc = first.unwrap_or_default();
    let t = Instant::now();
    let stable = verify(&inst, &alloc).is_ok();
    let verify_ms = ms(t);
    let solve_ms = median(&mut solve_times);
    let matched = alloc.matched();
    AllocateBenchReport {
        students,
        positions,
        prefs,
        seed,
        total_capacity: inst.positions.iter().map(|p| u64::from(p.capacity)).sum(),
        student_entries: inst.students.iter().map(|s| s.prefs.len()).sum(),
        position_entries: inst.positions.iter().map(|p| p.prefs.len()).sum(),
        generate_ms,
        runs: RUNS,
        solve_ms,
        solve_ms_min: solve_times.first().copied().unwrap_or(0.0),
        index_ms: median(&mut index_times),
        accept_ms: median(&mut accept_times),
        proposals: alloc.proposals,
        matched,
        unmatched: inst.students.len() - matched,
        stable,
        deterministic,
        verify_ms,
        target_ms: TARGET_MS,
        within_target: solve_ms <= TARGET_MS,
    }
}

/// The bench's instance; `prefs` must not exceed `positions`.
pub fn generate(students: usize, positions: usize, prefs: usize, seed: u64) -> Instance {
    let mut rng = Rng(seed);
    let n = students.min(u32::MAX as usize - 1);
    let m = positions.min(u32::MAX as usize - 1);
    let prefs = prefs.min(m);
    let zipf = Zipf::new(m, SKEW);
    // Popularity ranks are scattered over the indices, so that popular positions are not the
    // first ones.
    let mut by_rank: Vec<u32> = (0..m as u32).collect();
    for i in (1..m).rev() {
        by_rank.swap(i, rng.below(i + 1));
    }
    let quality: Vec<f64> = (0..n).map(|_| rng.unit()).collect();

    // seen[p] == s + 1 when student s already picked p.
    let mut seen = vec![0usize; m];
    let mut listed_by: Vec<Vec<u32>> = vec![Vec::new(); m];
    let mut student_prefs = Vec::with_capacity(n);
    for s in 0..n {
        let mut list = Vec::with_capacity(prefs);
        let mut tries = 0;
        while list.len() < prefs {
            // Skewed draws first; a list that many draws cannot fill takes the next free index.
            let p = if tries < 8 * prefs {
                tries += 1;
                by_rank[zipf.sample(&mut rng)] as usize
            } else {
                let start = rng.below(m);
                (0..m).map(|i| (start + i) % m).find(|&p| seen[p] != s + 1).unwrap_or(start)
            };
            if seen[p] == s + 1 {
                continue;
            }
            seen[p] = s + 1;
            list.push(p as u32);
            listed_by[p].push(s as u32);
        }
        student_prefs.push(StudentPrefs { prefs: list });
    }

    let mean = (n / m.max(1)).max(1);
    let mut position_prefs = Vec::with_capacity(m);
    for listed in &listed_by {
        let capacity = (mean - mean / 2 + rng.below(mean + 1)) as u32;
        let mut ranked: Vec<(f64, u32)> = Vec::with_capacity(listed.len() + listed.len() / 10);
        for &s in listed {
            // 5% of those who listed the position are not acceptable to it.
            if rng.below(20) != 0 {
                ranked.push((quality[s as usize] + 0.3 * rng.unit(), s));
            }
        }
        // Students who did not list the position (an accidental repeat is skipped below).
        for _ in 0..listed.len() / 10 {
            if n > 0 {
                let s = rng.below(n);
                ranked.push((quality[s] + 0.3 * rng.unit(), s as u32));
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut list: Vec<u32> = ranked.into_iter().map(|(_, s)| s).collect();
        let mut unique = std::collections::HashSet::with_capacity(list.len());
        list.retain(|&s| unique.insert(s));
        position_prefs.push(PositionPrefs { capacity, prefs: list });
    }
    Instance { students: student_prefs, positions: position_prefs }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1_000.0
}

/// Sorts `times` and returns the middle one.
fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

/// splitmix64: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Ranks 0..n with probability ∝ 1 / (rank + 1)^exponent.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize, exponent: f64) -> Self {
        let mut acc = 0.0;
        let mut cdf: Vec<f64> = (0..n)
            .map(|r| (r as f64 + 1.0).powf(-exponent))
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        cdf.iter_mut().for_each(|c| *c /= acc);
        Zipf(cdf)
    }

    /// A rank (0 when n is 0).
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.0.partition_point(|&c| c <= u).min(self.0.len().saturating_sub(1))
    }
}

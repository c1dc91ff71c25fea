//! `xiaoqi bench rank`: ranks generated profiles and compares the time with streaming once
//! over the same bytes.

use std::hint::black_box;
use std::time::Instant;

use serde::Serialize;

use crate::index::{ProfileSet, ProfileSetBuilder};
use crate::model::{CertId, Demand, Level, Profile, Region, Role, SkillId, SkillReq};
use crate::plan::Plan;
use crate::rank::rank_counting;

/// Size of the generated skill vocabulary.
pub const SKILLS: usize = 400;
/// Size of the generated certificate vocabulary.
pub const CERTIFICATES: usize = 60;
/// How many profiles the bench returns.
pub const TOP_K: usize = 100;
/// The target for one ranking of a million profiles.
pub const TARGET_MS: f64 = 40.0;

/// What one bench run measured; times in milliseconds.
#[derive(Clone, Debug, Serialize)]
pub struct RankBenchReport {
    /// Profiles generated and indexed.
    pub profiles: usize,
    /// The generator's seed.
    pub seed: u64,
    /// How often the ranking and the baseline ran.
    pub repeats: usize,
    /// How many profiles each ranking returns.
    pub top_k: usize,
    /// Bytes of the index's arrays (what the baseline streams).
    pub index_bytes: usize,
    /// Pushing the profiles and freezing the index (generation excluded).
    pub build_ms: f64,
    /// Profiles holding any required skill: each got its full score computed.
    pub scored_profiles: usize,
    /// Median time of one ranking.
    pub rank_ms_median: f64,
    /// Fastest ranking.
    pub rank_ms_min: f64,
    /// Median time of reading every element of every array of the index once.
    pub baseline_stream_ms_median: f64,
    /// Fastest baseline.
    pub baseline_stream_ms_min: f64,
    /// `rank_ms_median / baseline_stream_ms_median`.
    pub ratio: f64,
    /// The target for the ranking.
    pub target_ms: f64,
    /// The three best scores, for a sanity check.
    pub top_scores: Vec<f32>,
}

/// Generates `profiles` profiles from `seed`, indexes them, ranks them for a compound demand
/// `repeats` times and measures the streaming baseline as often.
pub fn run_rank_bench(profiles: usize, seed: u64, repeats: usize) -> RankBenchReport {
    let repeats = repeats.max(1);
    let mut g = Generator::new(seed);
    let (set, build_ms) = build_set(&mut g, profiles);
    let plan = Plan::new(&bench_demand(&g));
    let mut rank_times = Vec::with_capacity(repeats);
    let mut stream_times = Vec::with_capacity(repeats);
    let mut ranked = (Vec::new(), 0);
    // Alternating the two keeps a change in the machine's load from favouring either.
    for _ in 0..repeats {
        let t = Instant::now();
        ranked = black_box(rank_counting(black_box(&plan), black_box(&set), TOP_K));
        rank_times.push(ms(t));
        let t = Instant::now();
        black_box(black_box(&set).checksum());
        stream_times.push(ms(t));
    }
    let rank_ms_median = median(&mut rank_times);
    let baseline_stream_ms_median = median(&mut stream_times);
    RankBenchReport {
        profiles,
        seed,
        repeats,
        top_k: TOP_K,
        index_bytes: set.byte_size(),
        build_ms,
        scored_profiles: ranked.1,
        rank_ms_median,
        rank_ms_min: rank_times.first().copied().unwrap_or(0.0),
        baseline_stream_ms_median,
        baseline_stream_ms_min: stream_times.first().copied().unwrap_or(0.0),
        ratio: if baseline_stream_ms_median > 0.0 { rank_ms_median / baseline_stream_ms_median } else { 0.0 },
        target_ms: TARGET_MS,
        top_scores: ranked.0.iter().take(3).map(|r| r.score).collect(),
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1_000.0
}

/// Sorts `times` and returns the middle one.
fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

/// Generates in chunks so that only pushing and building are timed.
fn build_set(g: &mut Generator, profiles: usize) -> (ProfileSet, f64) {
    const CHUNK: usize = 1 << 16;
    let mut builder = ProfileSetBuilder::new();
    let mut spent = 0.0;
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut left = profiles;
    while left > 0 {
        chunk.clear();
        chunk.extend((0..left.min(CHUNK)).map(|_| g.profile()));
        left -= chunk.len();
        let t = Instant::now();
        for p in &chunk {
            // A set holds 2^29 profiles; the bench stops there rather than fail.
            if builder.push(p).is_err() {
                left = 0;
                break;
            }
        }
        spent += ms(t);
    }
    let t = Instant::now();
    let set = builder.build();
    (set, spent + ms(t))
}

/// A compound hire (two posts, nine skills from the most common to rare ones) in the most
/// common district.
fn bench_demand(g: &Generator) -> Demand {
    let role = |share, skills: &[(usize, u32, Level)], certs: &[usize]| Role {
        share,
        skills: skills
            .iter()
            .map(|&(rank, weight, min_level)| SkillReq { skill: skill_id(rank), weight, min_level })
            .collect(),
        certificates: certs.iter().map(|&rank| cert_id(rank)).collect(),
    };
    Demand {
        roles: vec![
            role(3, &[(0, 3, 3), (4, 2, 3), (11, 2, 2), (35, 1, 2), (120, 1, 1)], &[2]),
            role(2, &[(1, 3, 3), (7, 2, 2), (24, 1, 2), (180, 1, 1)], &[10]),
        ],
        region: g.districts.first().copied().unwrap_or_default(),
        region_matters: true,
    }
}

/// Skill ids are a permutation of popularity ranks, so that popular skills are not the small ids.
fn skill_id(rank: usize) -> SkillId {
    SkillId(10_000 + ((rank * 263) % SKILLS) as u32)
}

fn cert_id(rank: usize) -> CertId {
    CertId(500 + ((rank * 37) % CERTIFICATES) as u32)
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

    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.0.partition_point(|&c| c <= u).min(self.0.len().saturating_sub(1))
    }
}

struct Generator {
    rng: Rng,
    skills: Zipf,
    certificates: Zipf,
    districts: Vec<Region>,
    district_popularity: Zipf,
}

impl Generator {
    fn new(seed: u64) -> Self {
        // 12 provinces × 5 cities × 5 districts = 300 districts.
        let provinces = [11, 31, 32, 33, 35, 37, 41, 42, 43, 44, 50, 51];
        let mut rng = Rng(seed);
        let mut districts: Vec<Region> = provinces
            .iter()
            .flat_map(|p| (1..=5).flat_map(move |c| (2..=6).map(move |d| Region(p * 10_000 + c * 100 + d))))
            .collect();
        // Shuffle so that popularity is not ordered by province.
        for i in (1..districts.len()).rev() {
            districts.swap(i, rng.below(i + 1));
        }
        let n = districts.len();
        Generator {
            rng,
            skills: Zipf::new(SKILLS, 1.0),
            certificates: Zipf::new(CERTIFICATES, 1.0),
            districts,
            district_popularity: Zipf::new(n, 0.8),
        }
    }

    fn district(&mut self) -> Region {
        let i = self.district_popularity.sample(&mut self.rng);
        self.districts.get(i).copied().unwrap_or_default()
    }

    fn profile(&mut self) -> Profile {
        let count = 4 + self.rng.below(9);
        let mut skills: Vec<(SkillId, Level)> = Vec::with_capacity(count);
        while skills.len() < count {
            let skill = skill_id(self.skills.sample(&mut self.rng));
            if skills.iter().all(|(s, _)| *s != skill) {
                let level = match self.rng.below(100) {
                    0..15 => 1,
                    15..40 => 2,
                    40..70 => 3,
                    70..90 => 4,
                    _ => 5,
                };
                skills.push((skill, level));
            }
        }
        let certificates = (0..self.rng.below(4)).map(|_| cert_id(self.certificates.sample(&mut self.rng))).collect();
        let region = if self.rng.below(100) < 3 { Region::UNKNOWN } else { self.district() };
        let preferred_regions = (0..self.rng.below(3))
            .map(|_| match self.rng.below(3) {
                0 => Region(region.city() * 100),
                1 => Region(self.district().province() * 10_000),
                _ => self.district(),
            })
            .collect();
        Profile { skills, certificates, region, preferred_regions }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_report_figures() {
        let a = run_rank_bench(3_000, 7, 1);
        let b = run_rank_bench(3_000, 7, 1);
        assert_eq!(
            (a.index_bytes, a.scored_profiles, &a.top_scores),
            (b.index_bytes, b.scored_profiles, &b.top_scores)
        );
        assert_eq!(a.top_scores.len(), 3);
        assert!(a.scored_profiles > 1_000);
    }

    #[test]
    fn an_empty_bench_reports_nothing_ranked() {
        let r = run_rank_bench(0, 1, 0);
        assert_eq!((r.profiles, r.scored_profiles, r.top_scores.len()), (0, 0, 0));
    }

    #[test]
    fn the_generated_demand_is_valid() {
        assert_eq!(bench_demand(&Generator::new(1)).validate(), Ok(()));
    }
}

//! Evaluation of the occupation suggester on hand-written, job-board style titles
//! (`tests/data/occupation-titles.tsv`: title, expected CSCO code, expected name).
//!
//! Run with `cargo test -p xiaoqi-engine --test occupation_eval -- --nocapture` to see the
//! figures and the misses.

use std::collections::HashSet;
use std::time::Instant;

use xiaoqi_engine::occupation::{OccupationEntry, OccupationIndex};

fn entries() -> Vec<OccupationEntry> {
    let occs = xiaoqi_refdata::occupations().expect("reference data loads");
    occs.iter()
        .map(|o| OccupationEntry {
            code: o.code.clone(),
            level: o.level,
            name: o.name.clone(),
            aliases: o.aliases.clone(),
            definition: o.definition.clone(),
        })
        .collect()
}

/// (title, code, split)
fn eval_rows() -> Vec<(String, String, String)> {
    include_str!("data/occupation-titles.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split('\t');
            let title = parts.next().unwrap_or_default().to_string();
            let code = parts.next().unwrap_or_default().to_string();
            let split = parts.nth(1).unwrap_or("dev").to_string();
            (title, code, split)
        })
        .collect()
}

fn eval_set() -> Vec<(String, String)> {
    eval_rows().into_iter().map(|(t, c, _)| (t, c)).collect()
}

/// Top-1 and top-5 accuracy of `rows`, with the misses printed.
fn accuracy(index: &OccupationIndex, rows: &[(String, String)], label: &str) -> (f64, f64) {
    let (mut top1, mut top5) = (0usize, 0usize);
    for (title, code) in rows {
        let s = index.suggest(title, 5);
        assert!(s.len() <= 5);
        assert!(s.windows(2).all(|w| w[0].score >= w[1].score), "{title}: not sorted");
        assert!(s.iter().all(|x| (0.0..=1.0).contains(&x.score)), "{title}: score range");
        match s.iter().position(|x| &x.code == code) {
            Some(0) => {
                top1 += 1;
                top5 += 1;
            }
            Some(_) => top5 += 1,
            None => println!(
                "miss ({label}): {title}\t{code}\t→ {}",
                s.iter().map(|x| format!("{} {}", x.code, x.name)).collect::<Vec<_>>().join(" | ")
            ),
        }
    }
    let n = rows.len().max(1) as f64;
    let (a1, a5) = (top1 as f64 / n, top5 as f64 / n);
    println!("occupation eval ({label}): {} titles, top-1 {a1:.3}, top-5 {a5:.3}", rows.len());
    (a1, a5)
}

#[test]
fn eval_set_codes_exist_and_set_is_large_enough() {
    let codes: HashSet<String> = entries().into_iter().map(|e| e.code).collect();
    let set = eval_set();
    assert!(set.len() >= 300, "only {} titles", set.len());
    for (title, code) in &set {
        assert!(codes.contains(code), "{title}: unknown code {code}");
    }
}

#[test]
fn accuracy_on_eval_set() {
    let index = OccupationIndex::new(&entries());
    let rows = eval_rows();
    let pick = |split: &str| -> Vec<(String, String)> {
        rows.iter().filter(|r| r.2 == split).map(|r| (r.0.clone(), r.1.clone())).collect()
    };
    let (d1, d5) = accuracy(&index, &pick("dev"), "dev");
    let (h1, h5) = accuracy(&index, &pick("holdout"), "holdout");
    let (a1, a5) = accuracy(&index, &eval_set(), "all");
    assert!(a1 >= 0.45, "top-1 {a1:.3} below 0.45");
    assert!(a5 >= 0.75, "top-5 {a5:.3} below 0.75");
    assert!(h1 >= 0.45 && h5 >= 0.75, "holdout top-1 {h1:.3} / top-5 {h5:.3} below floors");
    let _ = (d1, d5);
}

/// Speed: 10,000 titles on one thread. `cargo test --release -p xiaoqi-engine --test
/// occupation_eval -- --ignored --nocapture`.
#[test]
#[ignore]
fn speed_10000_titles() {
    let index = OccupationIndex::new(&entries());
    let set = eval_set();
    let titles: Vec<&str> = set.iter().map(|(t, _)| t.as_str()).cycle().take(10_000).collect();
    let start = Instant::now();
    let mut total = 0usize;
    for t in &titles {
        total += index.suggest(t, 5).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "occupation suggest: {} titles in {:.3} s = {:.0} titles/s ({} suggestions)",
        titles.len(),
        secs,
        titles.len() as f64 / secs,
        total
    );
}

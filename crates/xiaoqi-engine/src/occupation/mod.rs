//! Occupation suggester: from a free-text job title (Chinese or English, as enterprises write
//! them on job boards) suggest the most likely occupations of the China Standard
//! Classification of Occupations 2022 (CSCO).
//!
//! Build an [`OccupationIndex`] once from the classification ([`OccupationEntry`] per
//! occupation, any level), then call [`OccupationIndex::suggest`] per title.
//!
//! Scoring: the title is normalised ([`normalize_title`]: full-width folding, brackets,
//! recruitment noise such as 急招/包吃住/双休, places and pay hints removed) and split into
//! posts on `/`, `、` and the like. Each post is scored by
//! - BM25 over Chinese uni/bi-grams and ASCII words of the name (high weight), aliases and
//!   definition (low weight), with postings precomputed;
//! - a phrase bonus when a whole name or alias occurs inside the post (looked up by
//!   enumerating the post's substrings in a hash map), larger for exact matches;
//! - a small hand-made map of job-board vocabulary (客服, 操机, 普工, 主播…) to occupations.
//!
//! Level-4 occupations are preferred over groups. A code's score is its best over posts
//! (the first post slightly favoured), squashed into [0, 1].

mod normalize;
mod synonyms;

use std::collections::HashMap;

pub use normalize::{normalize_title, segments, strip_markers};

/// One occupation of the classification, as given to [`OccupationIndex::new`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OccupationEntry {
    /// Code such as `4-04-05-03` (any level).
    pub code: String,
    /// Level 1 (major group) to 4 (occupation).
    pub level: u8,
    /// Name; trailing markers `L`, `S`, `L/S` are stripped by the index.
    pub name: String,
    /// Other names (job-board titles) of the occupation.
    pub aliases: Vec<String>,
    /// Definition text (may be empty).
    pub definition: String,
}

/// One suggestion, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub code: String,
    /// Name without markers.
    pub name: String,
    /// Confidence-like score in [0, 1]; comparable within one call only.
    pub score: f64,
}

const W_NAME: f32 = 3.0;
const W_ALIAS: f32 = 1.5;
const W_DEF: f32 = 0.15;
const K1: f32 = 1.2;
const B: f32 = 0.6;

struct Doc {
    code: String,
    name: String,
    level: u8,
}

/// Precomputed index over the classification. Cheap to query; build once.
pub struct OccupationIndex {
    docs: Vec<Doc>,
    /// token → (doc, weighted term frequency normalised by BM25 length factor already)
    postings: HashMap<String, Vec<(u32, f32)>>,
    idf: HashMap<String, f32>,
    /// normalised name or alias → (doc, is_name)
    phrases: HashMap<String, Vec<(u32, bool)>>,
    /// synonym key → docs with rank
    rules: Vec<(&'static str, Vec<u32>)>,
    max_phrase_chars: usize,
}

impl OccupationIndex {
    /// Builds the index. Duplicate codes are merged; entries with an empty code or name are
    /// skipped.
    pub fn new(entries: &[OccupationEntry]) -> Self {
        let mut docs: Vec<Doc> = Vec::new();
        let mut by_code: HashMap<String, u32> = HashMap::new();
        let mut fields: Vec<(Vec<String>, Vec<String>, String)> = Vec::new();
        for e in entries {
            let code = e.code.trim();
            let name = strip_markers(&e.name).to_string();
            if code.is_empty() || name.is_empty() {
                continue;
            }
            let id = *by_code.entry(code.to_string()).or_insert_with(|| {
                docs.push(Doc { code: code.to_string(), name: name.clone(), level: e.level });
                fields.push((Vec::new(), Vec::new(), String::new()));
                (docs.len() - 1) as u32
            });
            let f = &mut fields[id as usize];
            f.0.push(name.clone());
            for a in &e.aliases {
                for part in a.split(['/', '、']) {
                    let part = strip_markers(part);
                    if !part.is_empty() && !f.1.iter().any(|x| x == part) && part != name {
                        f.1.push(part.to_string());
                    }
                }
            }
            if !e.definition.is_empty() {
                f.2.push_str(&e.definition);
            }
        }
        let n = docs.len();
        let mut tf: Vec<HashMap<String, f32>> = vec![HashMap::new(); n];
        let mut lens = vec![0f32; n];
        let mut phrases: HashMap<String, Vec<(u32, bool)>> = HashMap::new();
        let mut max_phrase_chars = 0;
        let mut toks = Vec::new();
        for (i, (names, aliases, def)) in fields.iter().enumerate() {
            let mut add = |text: &str, w: f32, tf: &mut HashMap<String, f32>, len: &mut f32| {
                toks.clear();
                normalize::tokens(&normalize::normalize_name(text), &mut toks);
                for t in toks.drain(..) {
                    *tf.entry(t).or_insert(0.0) += w;
                    *len += w;
                }
            };
            for nm in names {
                add(nm, W_NAME, &mut tf[i], &mut lens[i]);
            }
            for a in aliases {
                add(a, W_ALIAS, &mut tf[i], &mut lens[i]);
            }
            let def: String = def.chars().take(200).collect();
            add(&def, W_DEF, &mut tf[i], &mut lens[i]);
            for (text, is_name) in names.iter().map(|s| (s, true)).chain(aliases.iter().map(|s| (s, false))) {
                let p = normalize::normalize_name(text);
                let chars = p.chars().count();
                if !(2..=24).contains(&chars) {
                    continue;
                }
                max_phrase_chars = max_phrase_chars.max(chars);
                let v = phrases.entry(p).or_default();
                if !v.iter().any(|&(d, _)| d == i as u32) {
                    v.push((i as u32, is_name));
                }
            }
        }
        let avg = if n == 0 { 1.0 } else { (lens.iter().sum::<f32>() / n as f32).max(1.0) };
        let mut df: HashMap<String, u32> = HashMap::new();
        for m in &tf {
            for k in m.keys() {
                *df.entry(k.clone()).or_insert(0) += 1;
            }
        }
        let idf: HashMap<String, f32> = df
            .into_iter()
            .map(|(k, d)| {
                let v = ((n as f32 - d as f32 + 0.5) / (d as f32 + 0.5) + 1.0).ln();
                (k, v)
            })
            .collect();
        let mut postings: HashMap<String, Vec<(u32, f32)>> = HashMap::new();
        for (i, m) in tf.into_iter().enumerate() {
            let norm = K1 * (1.0 - B + B * lens[i] / avg);
            for (k, f) in m {
                let sat = f * (K1 + 1.0) / (f + norm);
                postings.entry(k).or_default().push((i as u32, sat));
            }
        }
        // a name shared by a group and an occupation resolves to the most specific level
        let mut name_to_doc: HashMap<&str, u32> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            let slot = name_to_doc.entry(d.name.as_str()).or_insert(i as u32);
            if docs[*slot as usize].level < d.level {
                *slot = i as u32;
            }
        }
        let rules = synonyms::RULES
            .iter()
            .map(|(k, names)| {
                let ds: Vec<u32> = names.iter().filter_map(|nm| name_to_doc.get(nm).copied()).collect();
                (*k, ds)
            })
            .filter(|(_, ds)| !ds.is_empty())
            .collect();
        OccupationIndex { docs, postings, idf, phrases, rules, max_phrase_chars }
    }

    /// Number of distinct codes indexed.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Suggests up to `k` occupations for a job title, best first. Blank titles (or titles
    /// made only of recruitment noise) give an empty list. Never panics.
    pub fn suggest(&self, title: &str, k: usize) -> Vec<Suggestion> {
        if k == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let norm = normalize_title(title);
        let mut segs = segments(&norm);
        if segs.is_empty() {
            return Vec::new();
        }
        // also score the whole title when it has several posts (for "x/y" names)
        let n = self.docs.len();
        let mut best = vec![0f32; n];
        let mut acc = vec![0f32; n];
        let mut toks = Vec::new();
        if segs.len() > 1 {
            let joined: String = segs.concat();
            segs.push(joined);
        }
        let nsegs = segs.len();
        for (si, seg) in segs.iter().enumerate() {
            acc.iter_mut().for_each(|x| *x = 0.0);
            let compact: String = seg.chars().filter(|c| c.is_alphanumeric()).collect();
            if compact.is_empty() {
                continue;
            }
            self.score_segment(&compact, &mut acc, &mut toks);
            let factor = if si == 0 {
                1.0
            } else if si + 1 == nsegs && nsegs > 2 {
                0.85
            } else {
                0.92
            };
            for (b, a) in best.iter_mut().zip(&acc) {
                let v = a * factor;
                if v > *b {
                    *b = v;
                }
            }
        }
        for (i, b) in best.iter_mut().enumerate() {
            *b *= match self.docs[i].level {
                4 => 1.0,
                3 => 0.9,
                2 => 0.85,
                _ => 0.8,
            };
        }
        let mut order: Vec<u32> = (0..n as u32).filter(|&i| best[i as usize] > 0.0).collect();
        order.sort_by(|&a, &b| {
            best[b as usize]
                .total_cmp(&best[a as usize])
                .then_with(|| self.docs[a as usize].code.cmp(&self.docs[b as usize].code))
        });
        order
            .into_iter()
            .take(k)
            .map(|i| {
                let d = &self.docs[i as usize];
                let s = f64::from(best[i as usize]);
                Suggestion { code: d.code.clone(), name: d.name.clone(), score: s / (s + 8.0) }
            })
            .collect()
    }

    fn score_segment(&self, compact: &str, acc: &mut [f32], toks: &mut Vec<String>) {
        // BM25 over tokens (deduplicated)
        toks.clear();
        normalize::tokens(compact, toks);
        toks.sort_unstable();
        toks.dedup();
        for t in toks.iter() {
            if let (Some(p), Some(idf)) = (self.postings.get(t), self.idf.get(t)) {
                // bigrams and words count more than single characters
                let w = if t.chars().count() >= 2 { 1.0 } else { 0.5 };
                for &(d, s) in p {
                    acc[d as usize] += idf * s * w;
                }
            }
        }
        // phrase bonus: names / aliases contained in the post
        let chars: Vec<char> = compact.chars().take(normalize::MAX_CHARS).collect();
        let total = chars.len();
        let mut buf = String::new();
        let mut hit = vec![0f32; 0];
        for i in 0..total {
            let max_len = self.max_phrase_chars.min(total - i);
            for len in 2..=max_len {
                buf.clear();
                buf.extend(&chars[i..i + len]);
                if let Some(v) = self.phrases.get(buf.as_str()) {
                    let cover = len as f32 / total as f32;
                    for &(d, is_name) in v {
                        let mut bonus = 2.0 + 6.0 * cover + 0.5 * len as f32;
                        if len == total {
                            bonus += 6.0;
                        }
                        if is_name {
                            bonus *= 1.2;
                        }
                        if hit.is_empty() {
                            hit = vec![0f32; acc.len()];
                        }
                        let h = &mut hit[d as usize];
                        if bonus > *h {
                            *h = bonus;
                        }
                    }
                }
            }
        }
        for (a, h) in acc.iter_mut().zip(&hit) {
            *a += h;
        }
        // job-board vocabulary
        for (key, ds) in &self.rules {
            if compact.contains(key) {
                let strength = 9.0 + 2.0 * key.chars().count() as f32;
                for (rank, &d) in ds.iter().enumerate() {
                    acc[d as usize] += strength / (1.0 + 0.35 * rank as f32);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, name: &str, aliases: &[&str]) -> OccupationEntry {
        OccupationEntry {
            code: code.into(),
            level: 4,
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            definition: String::new(),
        }
    }

    fn index() -> OccupationIndex {
        OccupationIndex::new(&[
            entry("4-04-05-03", "呼叫中心服务员", &["客服专员", "网络客服"]),
            entry("6-18-02-04", "焊工", &["焊工", "氩弧焊工"]),
            entry("4-01-06-01", "电子商务师S", &["淘宝运营"]),
            entry("6-18-02-04", "焊工", &["电焊工"]),
        ])
    }

    #[test]
    fn blank_titles_give_nothing() {
        let ix = index();
        assert!(ix.suggest("", 5).is_empty());
        assert!(ix.suggest("   \t\n", 5).is_empty());
        assert!(ix.suggest("急招 包吃住 双休", 5).is_empty());
        assert!(ix.suggest("焊工", 0).is_empty());
    }

    #[test]
    fn odd_input_never_panics() {
        let ix = index();
        let huge = "电焊工/".repeat(50_000);
        for s in ["🚀🔥💼", "\u{0}\u{1b}[31m", "（（（【", "////", "a", "\u{FEFF}焊", huge.as_str()] {
            for sug in ix.suggest(s, 5) {
                assert!((0.0..=1.0).contains(&sug.score));
            }
        }
        assert!(OccupationIndex::new(&[]).suggest("焊工", 5).is_empty());
    }

    #[test]
    fn duplicate_codes_are_merged_and_markers_stripped() {
        let ix = index();
        assert_eq!(ix.len(), 3);
        let s = ix.suggest("淘宝运营", 5);
        assert_eq!(s[0].code, "4-01-06-01");
        assert_eq!(s[0].name, "电子商务师");
    }

    #[test]
    fn decorated_titles_find_their_occupation() {
        let ix = index();
        assert_eq!(ix.suggest("【急招】电焊工 包吃住 8000+", 5)[0].code, "6-18-02-04");
        assert_eq!(ix.suggest("抖音客服专员", 5)[0].code, "4-04-05-03");
        let s = ix.suggest("客服/焊工", 5);
        assert_eq!(s.len(), 2);
        assert!(s[0].score >= s[1].score);
    }
}

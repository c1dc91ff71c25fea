//! The platform's skill and certificate vocabularies (curated, bilingual).
//!
//! Demands, majors and student profiles name skills and certificates by these codes, so that
//! matching compares like with like and an unknown skill is refused instead of silently ignored.
//! The lists are curated for vocational education (ESCO, shipped in `../shared/data`, has no
//! Chinese labels); each entry has a stable code, a group and Chinese and English names.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::RefDataError;

const SKILLS_FILE: &str = "skills.tsv";
const SKILLS: &str = include_str!("../data/skills.tsv");
const CERTS_FILE: &str = "certificates.tsv";
const CERTS: &str = include_str!("../data/certificates.tsv");

/// One entry of a vocabulary: a skill (group = field of work) or a certificate (group = kind:
/// `1+X` skill-level certificate, `special` operation permit, `qualification`, `language`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VocabEntry {
    /// Stable code, lowercase ASCII with hyphens, e.g. `"welding"`, `"1x-web-frontend"`.
    pub code: String,
    /// The group or kind.
    pub group: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
}

/// A parsed vocabulary with lookup by code; entries keep the file's order.
#[derive(Debug)]
pub struct Vocabulary {
    entries: Vec<VocabEntry>,
    by_code: HashMap<String, usize>,
}

impl Vocabulary {
    /// All entries in file order.
    pub fn entries(&self) -> &[VocabEntry] {
        &self.entries
    }

    /// The entry with this code.
    pub fn get(&self, code: &str) -> Option<&VocabEntry> {
        self.by_code.get(code).map(|&i| &self.entries[i])
    }

    /// The position of the entry with this code (a dense id for the matching engine).
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    fn parse(file: &'static str, text: &str) -> Result<Vocabulary, RefDataError> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, "code\tgroup\tzh\ten" | "code\tkind\tzh\ten")) => {}
            _ => return Err(RefDataError::new(file, 1, "unexpected header")),
        }
        let mut entries = Vec::new();
        let mut by_code = HashMap::new();
        for (i, line) in lines {
            let line_no = i as u64 + 1;
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [code, group, zh, en] = cols[..] else {
                return Err(RefDataError::new(file, line_no, format!("expected 4 columns, found {}", cols.len())));
            };
            let code_ok = !code.is_empty()
                && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'+');
            if !code_ok || zh.is_empty() || en.is_empty() {
                return Err(RefDataError::new(file, line_no, format!("bad entry {code:?}")));
            }
            if by_code.insert(code.to_string(), entries.len()).is_some() {
                return Err(RefDataError::new(file, line_no, format!("duplicate code {code:?}")));
            }
            entries.push(VocabEntry { code: code.into(), group: group.into(), zh: zh.into(), en: en.into() });
        }
        Ok(Vocabulary { entries, by_code })
    }
}

/// The skill vocabulary, parsed once.
pub fn skills() -> Result<&'static Vocabulary, RefDataError> {
    static V: OnceLock<Result<Vocabulary, RefDataError>> = OnceLock::new();
    V.get_or_init(|| Vocabulary::parse(SKILLS_FILE, SKILLS)).as_ref().map_err(Clone::clone)
}

/// The certificate vocabulary (1+X skill-level certificates, operation permits, qualifications,
/// language and computer tests), parsed once.
pub fn certificates() -> Result<&'static Vocabulary, RefDataError> {
    static V: OnceLock<Result<Vocabulary, RefDataError>> = OnceLock::new();
    V.get_or_init(|| Vocabulary::parse(CERTS_FILE, CERTS)).as_ref().map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_vocabularies_parse_with_unique_codes() {
        let s = skills().expect("skills parse");
        assert!(s.entries().len() >= 100);
        assert_eq!(s.get("welding").map(|e| e.zh.as_str()), Some("焊接"));
        let c = certificates().expect("certificates parse");
        assert!(c.entries().iter().any(|e| e.group == "1+X"));
        assert!(c.get("welding").is_none(), "skills and certificates are separate vocabularies");
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let err =
            Vocabulary::parse("t.tsv", "code\tgroup\tzh\ten\na\tg\t甲\tA\na\tg\t乙\tB\n").expect_err("duplicate code");
        assert_eq!(err.line, 3);
        let err = Vocabulary::parse("t.tsv", "code\tgroup\tzh\ten\nBad Code\tg\t甲\tA\n").expect_err("bad code");
        assert_eq!(err.line, 2);
        assert!(Vocabulary::parse("t.tsv", "nope\n").is_err());
    }
}

//! The China Standard Classification of Occupations, 2022 edition (中华人民共和国职业分类大典 2022).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;

use crate::RefDataError;
use crate::text::{Row, read_rows, tidy};

/// Name of the embedded occupations file, as reported in errors.
const FILE: &str = "csco-2022-occupations.csv";
/// The embedded occupations file.
const CSV: &str = include_str!("../data/csco-2022-occupations.csv");
/// The expected header of the occupations file.
const HEADER: [&str; 8] = ["level", "code", "code_num", "name", "definition", "tasks", "csco_code_num", "alias"];
/// Column indexes of the fields that are kept.
const LEVEL: usize = 0;
const CODE: usize = 1;
const NAME: usize = 3;
const DEFINITION: usize = 4;
const ALIAS: usize = 7;

/// One entry of CSCO 2022: a major, middle or minor group (levels 1–3) or an occupation (level 4).
///
/// The source's `tasks` column (main tasks) is not kept, to save memory; `definition` is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occupation {
    /// The code, `D-DD-DD-DD`, e.g. `"2-02-07-04"`; unique within [`occupations`].
    pub code: String,
    /// 1 major group (大类), 2 middle group (中类), 3 minor group (小类), 4 occupation (职业/细类).
    pub level: u8,
    /// The code of the nearest enclosing entry present in the data; `None` for level 1.
    ///
    /// Usually the entry one level up; a level-2 group for an occupation coded `X-YY-00-ZZ`
    /// (directly under a middle group), for one coded `X-YY-ZZ-00` (a minor group that is
    /// itself an occupation), and where the source has no row for the minor group (e.g.
    /// `1-06-01-01` → `1-06-00-00`).
    pub parent_code: Option<String>,
    /// The display name, without the edition marker (`L`, `S`, `L/S`) the source appends.
    pub name: String,
    /// The definition (empty for groups).
    pub definition: String,
    /// Synonyms used in job postings: trimmed, without markers, duplicates or the name itself.
    pub aliases: Vec<String>,
    /// A green occupation (绿色职业), marked `L` or `L/S` in the source.
    pub green: bool,
    /// A digital occupation (数字职业), marked `S` or `L/S` in the source.
    pub digital: bool,
}

/// All CSCO 2022 entries in source order, parsed from the embedded file on first use.
///
/// Exact duplicate rows of the source are dropped, and where the source lists a code both as a
/// minor group and as an occupation only the occupation is kept, so codes are unique.
pub fn occupations() -> Result<&'static [Occupation], RefDataError> {
    static CELL: OnceLock<Result<Vec<Occupation>, RefDataError>> = OnceLock::new();
    match CELL.get_or_init(|| parse_occupations(CSV)) {
        Ok(list) => Ok(list.as_slice()),
        Err(e) => Err(e.clone()),
    }
}

/// Whether `code` has the shape of an occupation code, `D-DD-DD-DD` (e.g. `"2-02-07-04"`).
pub fn is_valid_occupation_code_format(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            1 | 4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The level implied by a well-formed code: 1 + the position of its last non-zero group, so
/// `2-00-00-00` is 1, `2-02-00-00` 2, `2-02-07-00` 3, and `2-02-07-04` or `1-01-00-01` (an
/// occupation directly under a middle group) 4.
fn code_depth(code: &str) -> u8 {
    let groups = [&code[2..4], &code[5..7], &code[8..10]];
    match groups.iter().rposition(|g| *g != "00") {
        Some(0) => 2,
        Some(1) => 3,
        Some(_) => 4,
        None => 1,
    }
}

/// The code of the level-`depth` group enclosing `code` (`depth` in 1..=3).
fn ancestor_code(code: &str, depth: u8) -> String {
    match depth {
        1 => format!("{}-00-00-00", &code[..1]),
        2 => format!("{}-00-00", &code[..4]),
        _ => format!("{}-00", &code[..7]),
    }
}

/// Splits a trailing edition marker off `s`, returning the rest and the (green, digital) flags.
///
/// Only an ASCII `L/S`, `L` or `S` that follows a non-ASCII character counts, so Latin
/// abbreviations such as `IOS` or `GIS` are left alone.
fn strip_marker(s: &str) -> (&str, bool, bool) {
    for (marker, green, digital) in [("L/S", true, true), ("L", true, false), ("S", false, true)] {
        if let Some(rest) = s.strip_suffix(marker) {
            let rest = rest.trim_end();
            if rest.chars().next_back().is_some_and(|c| !c.is_ascii()) {
                return (rest, green, digital);
            }
        }
    }
    (s, false, false)
}

/// Splits the `alias` column on ASCII and full-width commas, tidying each alias, stripping
/// markers and dropping empties, repeats and the occupation's own `name`.
fn parse_aliases(raw: &str, name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split([',', '，']) {
        let tidied = tidy(part);
        let (alias, _, _) = strip_marker(&tidied);
        if alias.is_empty() || alias == name || out.iter().any(|a| a == alias) {
            continue;
        }
        out.push(alias.to_owned());
    }
    out
}

/// Parses one record into an occupation without its parent, validating level and code.
fn parse_row(row: &Row) -> Result<Occupation, RefDataError> {
    let err = |message: String| RefDataError::new(FILE, row.line, message);
    let level_text = row.field(LEVEL).trim();
    let level = level_text
        .parse::<u8>()
        .ok()
        .filter(|l| (1..=4).contains(l))
        .ok_or_else(|| err(format!("level {level_text:?} is not 1, 2, 3 or 4")))?;
    let code = row.field(CODE).trim();
    if !is_valid_occupation_code_format(code) {
        return Err(err(format!("code {code:?} is not of the form D-DD-DD-DD")));
    }
    let depth = code_depth(code);
    // A level-4 row may carry a minor-group code: a minor group that is itself an occupation.
    if level != depth && !(level == 4 && depth == 3) {
        return Err(err(format!("level {level} does not fit code {code:?}")));
    }
    let tidied = tidy(row.field(NAME));
    let (name, green, digital) = strip_marker(&tidied);
    if name.is_empty() {
        return Err(err(format!("code {code:?} has an empty name")));
    }
    Ok(Occupation {
        code: code.to_owned(),
        level,
        parent_code: None,
        name: name.to_owned(),
        definition: tidy(row.field(DEFINITION)),
        aliases: parse_aliases(row.field(ALIAS), name),
        green,
        digital,
    })
}

/// Parses an occupations file (the embedded one, or a test's), resolving duplicates and parents.
fn parse_occupations(text: &str) -> Result<Vec<Occupation>, RefDataError> {
    let rows = read_rows(FILE, text, &HEADER)?;
    let mut list: Vec<Occupation> = Vec::with_capacity(rows.len());
    let mut lines: Vec<u64> = Vec::with_capacity(rows.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let occ = parse_row(row)?;
        let Some(&i) = index.get(&occ.code) else {
            index.insert(occ.code.clone(), list.len());
            list.push(occ);
            lines.push(row.line);
            continue;
        };
        let previous = &list[i];
        if *previous == occ {
            continue; // an exact repeat of an earlier row
        }
        if previous.level != occ.level {
            // The same X-YY-ZZ-00 code as minor group (3) and occupation (4): keep the occupation.
            if occ.level > previous.level {
                list[i] = occ;
                lines[i] = row.line;
            }
            continue;
        }
        return Err(RefDataError::new(
            FILE,
            row.line,
            format!("code {:?} repeats line {} with different content", occ.code, lines[i]),
        ));
    }

    // A level-4 row whose minor-group code has occupations below it is really the minor group.
    let groups: HashSet<String> =
        list.iter().filter(|o| code_depth(&o.code) == 4).map(|o| ancestor_code(&o.code, 3)).collect();
    for occ in &mut list {
        if occ.level == 4 && groups.contains(&occ.code) {
            occ.level = 3;
        }
    }

    for (occ, line) in list.iter_mut().zip(&lines) {
        let depth = code_depth(&occ.code);
        if depth == 1 {
            continue;
        }
        let parent =
            (1..depth).rev().map(|d| ancestor_code(&occ.code, d)).find(|c| index.contains_key(c)).ok_or_else(|| {
                RefDataError::new(FILE, *line, format!("code {:?} has no enclosing group in the data", occ.code))
            })?;
        occ.parent_code = Some(parent);
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn by_code(code: &str) -> Result<&'static Occupation, Box<dyn std::error::Error>> {
        occupations()?.iter().find(|o| o.code == code).ok_or_else(|| format!("no occupation {code}").into())
    }

    fn count_level(list: &[Occupation], level: u8) -> usize {
        list.iter().filter(|o| o.level == level).count()
    }

    const HEAD: &str = "level,code,code_num,name,definition,tasks,csco_code_num,alias\n";

    #[test]
    fn embedded_file_parses_without_errors() {
        assert!(parse_occupations(CSV).is_ok(), "{:?}", parse_occupations(CSV).err());
        assert!(occupations().is_ok());
    }

    #[test]
    fn parsing_happens_once_and_is_shared() -> TestResult {
        assert!(std::ptr::eq(occupations()?, occupations()?));
        Ok(())
    }

    #[test]
    fn source_rows_match_the_documented_counts_per_level() -> TestResult {
        let rows = read_rows(FILE, CSV, &HEADER)?;
        assert_eq!(rows.len(), 2_051);
        let count = |l: &str| rows.iter().filter(|r| r.field(LEVEL) == l).count();
        assert_eq!([count("1"), count("2"), count("3"), count("4")], [8, 73, 336, 1_634]);
        Ok(())
    }

    #[test]
    fn loaded_entries_count_per_level_after_duplicates_and_fixes() -> TestResult {
        let list = occupations()?;
        assert_eq!(list.len(), 2_047);
        let counts = [1, 2, 3, 4].map(|l| count_level(list, l));
        assert_eq!(counts, [8, 72, 336, 1_631]);
        Ok(())
    }

    #[test]
    fn codes_are_unique_and_well_formed() -> TestResult {
        let list = occupations()?;
        let codes: HashSet<&str> = list.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes.len(), list.len());
        assert!(list.iter().all(|o| is_valid_occupation_code_format(&o.code)));
        Ok(())
    }

    #[test]
    fn exact_duplicate_rows_are_kept_once() -> TestResult {
        let list = occupations()?;
        for code in ["4-12-04-02", "5-03-00-00", "6-20-05-03"] {
            assert_eq!(list.iter().filter(|o| o.code == code).count(), 1, "{code}");
        }
        assert_eq!(by_code("4-12-04-02")?.name, "修鞋工");
        Ok(())
    }

    #[test]
    fn code_listed_as_group_and_occupation_keeps_the_occupation() -> TestResult {
        let occ = by_code("2-03-01-00")?;
        assert_eq!((occ.level, occ.name.as_str()), (4, "土壤肥料技术人员"));
        assert!(!occ.definition.is_empty());
        assert_eq!(occ.parent_code.as_deref(), Some("2-03-00-00"));
        Ok(())
    }

    #[test]
    fn row_mislabelled_as_occupation_but_with_children_becomes_a_minor_group() -> TestResult {
        assert_eq!(by_code("6-20-03-00")?.level, 3);
        assert_eq!(by_code("6-20-03-01")?.parent_code.as_deref(), Some("6-20-03-00"));
        Ok(())
    }

    #[test]
    fn level_one_has_no_parent_and_every_other_parent_exists_higher_up() -> TestResult {
        let list = occupations()?;
        let levels: HashMap<&str, u8> = list.iter().map(|o| (o.code.as_str(), o.level)).collect();
        for occ in list {
            match (&occ.parent_code, occ.level) {
                (None, 1) => {}
                (Some(parent), level) if level > 1 => {
                    let parent_level = levels.get(parent.as_str()).copied();
                    assert!(parent_level.is_some_and(|p| p < level), "{occ:?}");
                    assert!((1..4).any(|d| ancestor_code(&occ.code, d) == *parent), "{occ:?}");
                }
                _ => panic!("bad parent for {occ:?}"),
            }
        }
        Ok(())
    }

    #[test]
    fn parent_is_one_level_up_except_where_the_source_skips_a_minor_group() -> TestResult {
        let list = occupations()?;
        let levels: HashMap<&str, u8> = list.iter().map(|o| (o.code.as_str(), o.level)).collect();
        let skipping: Vec<&Occupation> = list
            .iter()
            .filter(|o| o.parent_code.as_deref().and_then(|p| levels.get(p)).is_some_and(|p| *p + 1 != o.level))
            .collect();
        // 93 occupations coded X-YY-ZZ-00, 6 coded X-YY-00-ZZ (directly under a middle group)
        // and 10 whose minor group has no row of its own.
        assert_eq!(skipping.len(), 109);
        assert!(skipping.iter().all(|o| o.level == 4));
        let own_group_code = skipping.iter().filter(|o| o.code.ends_with("-00")).count();
        assert_eq!(own_group_code, 93);
        let under_middle_group = skipping.iter().filter(|o| &o.code[5..7] == "00").count();
        assert_eq!(under_middle_group, 6);
        assert_eq!(by_code("1-01-00-01")?.parent_code.as_deref(), Some("1-01-00-00"));
        assert_eq!(by_code("1-06-01-01")?.parent_code.as_deref(), Some("1-06-00-00"));
        assert_eq!(by_code("1-02-01-00")?.parent_code.as_deref(), Some("1-02-00-00"));
        assert_eq!(by_code("2-02-07-04")?.parent_code.as_deref(), Some("2-02-07-00"));
        assert_eq!(by_code("2-02-07-00")?.parent_code.as_deref(), Some("2-02-00-00"));
        assert_eq!(by_code("2-02-00-00")?.parent_code.as_deref(), Some("2-00-00-00"));
        Ok(())
    }

    #[test]
    fn digital_marker_is_stripped_and_flagged() -> TestResult {
        let occ = by_code("2-02-02-02")?;
        assert_eq!(occ.name, "工程测量工程技术人员");
        assert_eq!((occ.green, occ.digital), (false, true));
        Ok(())
    }

    #[test]
    fn green_marker_is_stripped_and_flagged() -> TestResult {
        let occ = by_code("2-02-01-03")?;
        assert_eq!(occ.name, "水工环地质工程技术人员");
        assert_eq!((occ.green, occ.digital), (true, false));
        Ok(())
    }

    #[test]
    fn combined_marker_sets_both_flags() -> TestResult {
        let occ = by_code("2-02-02-01")?;
        assert_eq!(occ.name, "大地测量工程技术人员");
        assert_eq!((occ.green, occ.digital), (true, true));
        Ok(())
    }

    #[test]
    fn unmarked_occupation_has_no_flags() -> TestResult {
        let occ = by_code("2-02-07-04")?;
        assert_eq!(occ.name, "设备工程技术人员");
        assert_eq!((occ.green, occ.digital), (false, false));
        assert_eq!(occ.aliases, ["设备工程师"]);
        Ok(())
    }

    #[test]
    fn flag_totals_match_the_source_markers() -> TestResult {
        let list = occupations()?;
        let green = list.iter().filter(|o| o.green).count();
        let digital = list.iter().filter(|o| o.digital).count();
        let both = list.iter().filter(|o| o.green && o.digital).count();
        assert_eq!((green, digital, both), (134, 95, 23));
        assert!(list.iter().filter(|o| o.green || o.digital).all(|o| o.level == 4));
        Ok(())
    }

    #[test]
    fn no_loaded_name_or_alias_keeps_a_marker() -> TestResult {
        for occ in occupations()? {
            assert_eq!(strip_marker(&occ.name).0, occ.name);
            assert!(occ.aliases.iter().all(|a| strip_marker(a).0 == a.as_str()), "{occ:?}");
        }
        Ok(())
    }

    #[test]
    fn aliases_of_a_digital_occupation_drop_its_marked_name_but_keep_latin_terms() -> TestResult {
        let occ = by_code("2-02-10-03")?;
        assert_eq!(occ.name, "计算机软件工程技术人员");
        assert!(!occ.aliases.iter().any(|a| a.starts_with("计算机软件工程技术人员")));
        for kept in ["IOS", "Java", "java", "C/C++", ".NET", "电子软件开发(ARM/MCU等)"] {
            assert!(occ.aliases.iter().any(|a| a == kept), "{kept}");
        }
        Ok(())
    }

    #[test]
    fn aliases_are_trimmed_and_never_repeat_the_name_or_each_other() -> TestResult {
        for occ in occupations()? {
            let unique: HashSet<&String> = occ.aliases.iter().collect();
            assert_eq!(unique.len(), occ.aliases.len(), "{occ:?}");
            assert!(!occ.aliases.contains(&occ.name), "{occ:?}");
            assert!(occ.aliases.iter().all(|a| !a.is_empty() && a.trim() == a));
        }
        let reliability = by_code("2-02-29-05")?;
        assert!(reliability.aliases.iter().any(|a| a == "DFT工程师"));
        Ok(())
    }

    #[test]
    fn stray_space_inside_a_chinese_name_is_removed() -> TestResult {
        assert_eq!(by_code("6-28-02-00")?.name, "气体生产、处理和输送人员");
        Ok(())
    }

    #[test]
    fn alias_parser_splits_on_both_comma_kinds_and_cleans_up() {
        let aliases = parse_aliases(" 甲S， 乙 ,甲, 名称L/S ,,IOS,丙，乙", "名称");
        assert_eq!(aliases, ["甲", "乙", "IOS", "丙"]);
    }

    #[test]
    fn marker_is_only_stripped_after_a_non_ascii_character() {
        assert_eq!(strip_marker("工程测量工程技术人员S"), ("工程测量工程技术人员", false, true));
        assert_eq!(strip_marker("发电工程技术人员L"), ("发电工程技术人员", true, false));
        assert_eq!(strip_marker("物流工程技术人员L/S"), ("物流工程技术人员", true, true));
        assert_eq!(strip_marker("IOS"), ("IOS", false, false));
        assert_eq!(strip_marker("GIS"), ("GIS", false, false));
        assert_eq!(strip_marker("S"), ("S", false, false));
        assert_eq!(strip_marker("设备工程师"), ("设备工程师", false, false));
    }

    #[test]
    fn code_format_accepts_only_d_dd_dd_dd() {
        assert!(is_valid_occupation_code_format("2-02-07-04"));
        assert!(is_valid_occupation_code_format("1-00-00-00"));
        for bad in ["", "2020704", "2-2-07-04", "2-02-07-4", "2-02-07-045", "2_02_07_04", "a-02-07-04", "２-02-07-04"]
        {
            assert!(!is_valid_occupation_code_format(bad), "{bad}");
        }
    }

    #[test]
    fn parser_reports_a_bad_level_with_file_and_line() {
        let text = format!("{HEAD}1,1-00-00-00,1000000,甲,,,1000000,甲\n5,1-01-00-00,1010000,乙,,,1010000,乙\n");
        let err = parse_occupations(&text).err();
        assert_eq!(err.as_ref().map(|e| (e.file, e.line)), Some((FILE, 3)));
        assert!(err.is_some_and(|e| e.to_string().contains("csco-2022-occupations.csv, line 3")));
    }

    #[test]
    fn parser_rejects_a_level_that_does_not_fit_the_code() {
        let text = format!("{HEAD}2,1-00-00-00,1000000,甲,,,1000000,甲\n");
        assert_eq!(parse_occupations(&text).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn parser_rejects_an_entry_without_any_enclosing_group() {
        let text = format!("{HEAD}4,1-01-02-03,1010203,甲,定义,,1010203,甲\n");
        assert_eq!(parse_occupations(&text).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn parser_rejects_a_repeated_code_with_different_content() {
        let text = format!("{HEAD}1,1-00-00-00,1000000,甲,,,1000000,甲\n1,1-00-00-00,1000000,乙,,,1000000,乙\n");
        assert_eq!(parse_occupations(&text).err().map(|e| e.line), Some(3));
    }
}

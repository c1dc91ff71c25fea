//! Chinese administrative divisions: provinces, prefecture-level cities and county-level units.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::RefDataError;
use crate::text::{Row, read_rows, tidy};

/// Name of the embedded divisions file, as reported in errors.
const FILE: &str = "cn-admin-divisions.csv";
/// The embedded divisions file.
const CSV: &str = include_str!("../data/cn-admin-divisions.csv");
/// The expected header of the divisions file (`nerge_name` is the source's spelling).
const HEADER: [&str; 10] =
    ["id", "name", "parent_id", "deep", "short_name", "nerge_name", "area_code", "zip_code", "pinyin", "initials"];
/// Column indexes of the fields that are read.
const ID: usize = 0;
const NAME: usize = 1;
const PARENT_ID: usize = 2;
const DEEP: usize = 3;
const SHORT_NAME: usize = 4;
const PINYIN: usize = 8;
/// The parent id the source gives provinces: the whole country, which has no row.
const COUNTRY_CODE: &str = "100000";
/// Pinyin corrections, applied only while the source still holds the listed wrong value:
/// (code, source value, corrected value).
const PINYIN_FIXES: [(&str, &str, &str); 6] = [
    ("341302", "埇qiao", "Yongqiao"),
    ("410304", "瀍he", "Chanhe"),
    ("411502", "浉he", "Shihe"),
    ("420104", "硚kou", "Qiaokou"),
    ("420505", "猇ting", "Xiaoting"),
    ("500000", "Zhongqing", "Chongqing"),
];

/// One administrative division, with its place in a province → city → county tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// The six-digit division code, e.g. `"110101"`; unique within [`regions`].
    pub code: String,
    /// The code of the enclosing division; `None` for provinces.
    ///
    /// Derived from the code (digits 1–2 province, 3–4 city) and the nearest existing row, so
    /// a unit without a city row above it (the districts of the four municipalities, and
    /// county-level cities run directly by their province) hangs off the province.
    pub parent_code: Option<String>,
    /// Depth in the tree: 1 province, 2 city (or a unit directly under a province), 3 district.
    pub level: u8,
    /// The name, e.g. `"东城区"`.
    pub name: String,
    /// The short name, e.g. `"东城"`.
    pub short_name: String,
    /// The names from the province down, separated by spaces, e.g. `"北京市 东城区"`.
    pub full_name: String,
    /// The pinyin of the name, e.g. `"Dongcheng"`.
    pub pinyin: String,
}

/// All administrative divisions in source order, parsed from the embedded file on first use.
pub fn regions() -> Result<&'static [Region], RefDataError> {
    static CELL: OnceLock<Result<Vec<Region>, RefDataError>> = OnceLock::new();
    match CELL.get_or_init(|| parse_regions(CSV)) {
        Ok(list) => Ok(list.as_slice()),
        Err(e) => Err(e.clone()),
    }
}

/// Whether `code` has the shape of a division code: exactly six ASCII digits.
pub fn is_valid_region_code_format(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `code` (well-formed) names a province: its last four digits are zero.
fn is_province_code(code: &str) -> bool {
    &code[2..] == "0000"
}

/// The codes that may enclose `code`, nearest first: its city (if it is below one), then its
/// province (if it is not one).
fn ancestor_codes(code: &str) -> impl Iterator<Item = String> {
    let city = (&code[4..] != "00").then(|| format!("{}00", &code[..4]));
    let province = (!is_province_code(code)).then(|| format!("{}0000", &code[..2]));
    city.into_iter().chain(province)
}

/// Parses one record into a region without parent, level or full name, validating its codes.
fn parse_row(row: &Row) -> Result<Region, RefDataError> {
    let err = |message: String| RefDataError::new(FILE, row.line, message);
    let code = row.field(ID).trim();
    if !is_valid_region_code_format(code) {
        return Err(err(format!("id {code:?} is not six digits")));
    }
    let parent_id = row.field(PARENT_ID).trim();
    if !is_valid_region_code_format(parent_id) {
        return Err(err(format!("parent_id {parent_id:?} is not six digits")));
    }
    let deep = row.field(DEEP).trim();
    let is_province = parent_id == COUNTRY_CODE;
    if is_province != is_province_code(code) || is_province != (deep == "1") {
        return Err(err(format!(
            "id {code:?}, parent_id {parent_id:?} and deep {deep:?} disagree on whether it is a province"
        )));
    }
    let name = tidy(row.field(NAME));
    if name.is_empty() {
        return Err(err(format!("id {code:?} has an empty name")));
    }
    let source_pinyin = tidy(row.field(PINYIN));
    let pinyin = PINYIN_FIXES
        .iter()
        .find(|(c, wrong, _)| *c == code && *wrong == source_pinyin)
        .map_or(source_pinyin, |(_, _, right)| (*right).to_owned());
    Ok(Region {
        code: code.to_owned(),
        parent_code: None,
        level: 1,
        name,
        short_name: tidy(row.field(SHORT_NAME)),
        full_name: String::new(),
        pinyin,
    })
}

/// Parses a divisions file (the embedded one, or a test's), deriving parents, levels and full
/// names from the codes.
fn parse_regions(text: &str) -> Result<Vec<Region>, RefDataError> {
    let rows = read_rows(FILE, text, &HEADER)?;
    let mut list: Vec<Region> = Vec::with_capacity(rows.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let region = parse_row(row)?;
        if let Some(&i) = index.get(&region.code) {
            return Err(RefDataError::new(
                FILE,
                row.line,
                format!("id {:?} repeats line {}", region.code, rows[i].line),
            ));
        }
        index.insert(region.code.clone(), list.len());
        list.push(region);
    }

    let mut parents: Vec<Option<usize>> = Vec::with_capacity(list.len());
    for (region, row) in list.iter().zip(&rows) {
        if is_province_code(&region.code) {
            parents.push(None);
            continue;
        }
        let parent = ancestor_codes(&region.code).find_map(|c| index.get(&c).copied()).ok_or_else(|| {
            RefDataError::new(FILE, row.line, format!("id {:?} has no province row in the data", region.code))
        })?;
        parents.push(Some(parent));
    }

    let mut resolved = Vec::with_capacity(list.len());
    for (i, region) in list.iter().enumerate() {
        // Ancestors come from strictly shorter code prefixes, so this walk ends within 3 steps.
        let mut chain = vec![i];
        while let Some(Some(p)) = chain.last().map(|&c| parents[c]) {
            chain.push(p);
        }
        let full_name = chain.iter().rev().map(|&c| list[c].name.as_str()).collect::<Vec<_>>().join(" ");
        resolved.push(Region {
            parent_code: parents[i].map(|p| list[p].code.clone()),
            level: u8::try_from(chain.len()).unwrap_or(u8::MAX),
            full_name,
            ..region.clone()
        });
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn by_code(code: &str) -> Result<&'static Region, Box<dyn std::error::Error>> {
        regions()?.iter().find(|r| r.code == code).ok_or_else(|| format!("no region {code}").into())
    }

    fn children(code: &str) -> Result<Vec<&'static Region>, Box<dyn std::error::Error>> {
        Ok(regions()?.iter().filter(|r| r.parent_code.as_deref() == Some(code)).collect())
    }

    const HEAD: &str = "id,name,parent_id,deep,short_name,nerge_name,area_code,zip_code,pinyin,initials\n";

    #[test]
    fn embedded_file_parses_without_errors() {
        assert!(parse_regions(CSV).is_ok(), "{:?}", parse_regions(CSV).err());
        assert!(regions().is_ok());
    }

    #[test]
    fn parsing_happens_once_and_is_shared() -> TestResult {
        assert!(std::ptr::eq(regions()?, regions()?));
        Ok(())
    }

    #[test]
    fn all_source_rows_load_with_unique_well_formed_codes() -> TestResult {
        let list = regions()?;
        assert_eq!(list.len(), 3_220);
        let codes: HashSet<&str> = list.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), list.len());
        assert!(list.iter().all(|r| is_valid_region_code_format(&r.code)));
        Ok(())
    }

    #[test]
    fn levels_count_34_provinces_448_second_level_and_2738_districts() -> TestResult {
        let list = regions()?;
        let count = |l: u8| list.iter().filter(|r| r.level == l).count();
        assert_eq!([count(1), count(2), count(3)], [34, 448, 2_738]);
        Ok(())
    }

    #[test]
    fn level_differs_from_source_depth_only_for_units_run_directly_by_a_province() -> TestResult {
        let rows = read_rows(FILE, CSV, &HEADER)?;
        let list = regions()?;
        let moved: Vec<&Region> =
            list.iter().zip(&rows).filter(|(r, row)| row.field(DEEP) != r.level.to_string()).map(|(r, _)| r).collect();
        assert_eq!(moved.len(), 29);
        assert!(moved.iter().all(|r| r.level == 2));
        assert!(moved.iter().all(|r| r.parent_code.as_deref().is_some_and(is_province_code)));
        Ok(())
    }

    #[test]
    fn every_parent_exists_one_level_up_and_shares_the_code_prefix() -> TestResult {
        let list = regions()?;
        let by: HashMap<&str, &Region> = list.iter().map(|r| (r.code.as_str(), r)).collect();
        for region in list {
            match &region.parent_code {
                None => assert_eq!(region.level, 1, "{region:?}"),
                Some(p) => {
                    let parent = by.get(p.as_str()).ok_or_else(|| format!("{region:?}"))?;
                    assert_eq!(parent.level + 1, region.level, "{region:?}");
                    assert_eq!(&region.code[..2], &parent.code[..2], "{region:?}");
                    assert!(region.full_name.starts_with(&parent.full_name));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn district_sits_under_a_city_under_a_province() -> TestResult {
        let district = by_code("430102")?;
        assert_eq!((district.name.as_str(), district.level), ("芙蓉区", 3));
        let city = by_code(district.parent_code.as_deref().ok_or("no parent")?)?;
        assert_eq!((city.name.as_str(), city.level), ("长沙市", 2));
        let province = by_code(city.parent_code.as_deref().ok_or("no parent")?)?;
        assert_eq!((province.name.as_str(), province.level), ("湖南省", 1));
        assert_eq!(province.parent_code, None);
        assert_eq!(district.full_name, "湖南省 长沙市 芙蓉区");
        Ok(())
    }

    #[test]
    fn municipality_districts_hang_directly_off_the_municipality() -> TestResult {
        let beijing = by_code("110000")?;
        assert_eq!((beijing.level, beijing.parent_code.as_ref()), (1, None));
        assert!(by_code("110100").is_err(), "the source has no 市辖区 row");
        let dongcheng = by_code("110101")?;
        assert_eq!(dongcheng.parent_code.as_deref(), Some("110000"));
        assert_eq!(dongcheng.level, 2);
        assert_eq!(dongcheng.full_name, "北京市 东城区");
        assert_eq!(dongcheng.short_name, "东城");
        assert_eq!(dongcheng.pinyin, "Dongcheng");
        assert_eq!(children("110000")?.len(), 16);
        assert_eq!(children("500000")?.len(), 38);
        Ok(())
    }

    #[test]
    fn county_level_city_run_by_its_province_is_a_second_level_unit() -> TestResult {
        let xiantao = by_code("429004")?;
        assert_eq!(xiantao.parent_code.as_deref(), Some("420000"));
        assert_eq!((xiantao.level, xiantao.full_name.as_str()), (2, "湖北省 仙桃市"));
        // The source's full name wrongly puts this under 三沙市.
        assert_eq!(by_code("469001")?.full_name, "海南省 五指山市");
        Ok(())
    }

    #[test]
    fn parent_follows_the_code_when_the_source_parent_id_is_wrong() -> TestResult {
        // The source gives 哈密市's districts (6505xx) the parent 吐鲁番市 (650400).
        let yizhou = by_code("650502")?;
        assert_eq!(yizhou.parent_code.as_deref(), Some("650500"));
        assert_eq!(yizhou.full_name, "新疆维吾尔自治区 哈密市 伊州区");
        Ok(())
    }

    #[test]
    fn full_name_uses_the_current_row_names_not_the_stale_source_full_name() -> TestResult {
        assert_eq!(by_code("130607")?.full_name, "河北省 保定市 满城区");
        Ok(())
    }

    #[test]
    fn names_are_trimmed_of_unicode_whitespace() -> TestResult {
        assert_eq!(by_code("370505")?.name, "垦利区");
        assert!(regions()?.iter().all(|r| r.name.trim() == r.name && !r.name.is_empty()));
        Ok(())
    }

    #[test]
    fn pinyin_is_ascii_after_corrections() -> TestResult {
        let list = regions()?;
        assert!(list.iter().all(|r| { r.pinyin.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') }));
        assert_eq!(by_code("500000")?.pinyin, "Chongqing");
        assert_eq!(by_code("420104")?.pinyin, "Qiaokou");
        assert_eq!(by_code("810000")?.pinyin, "Hong Kong");
        Ok(())
    }

    #[test]
    fn provinces_include_taiwan_hong_kong_and_macao_without_children() -> TestResult {
        for code in ["710000", "810000", "820000"] {
            assert_eq!(by_code(code)?.level, 1);
            assert!(children(code)?.is_empty(), "{code}");
        }
        Ok(())
    }

    #[test]
    fn code_format_accepts_only_six_ascii_digits() {
        assert!(is_valid_region_code_format("110101"));
        for bad in ["", "11010", "1101010", "11010a", "１１０１０１", " 110101"] {
            assert!(!is_valid_region_code_format(bad), "{bad}");
        }
    }

    #[test]
    fn parser_reports_a_bad_id_with_file_and_line() {
        let text = format!(
            "{HEAD}110000,北京市,100000,1,北京,北京市,,,Beijing,bj\n11010x,东城区,110100,2,东城,x,,,Dongcheng,dc\n"
        );
        let err = parse_regions(&text).err();
        assert_eq!(err.as_ref().map(|e| (e.file, e.line)), Some((FILE, 3)));
        assert!(err.is_some_and(|e| e.to_string().contains("cn-admin-divisions.csv, line 3")));
    }

    #[test]
    fn parser_rejects_a_division_whose_province_is_missing() {
        let text = format!("{HEAD}110101,东城区,110100,2,东城,x,,,Dongcheng,dc\n");
        assert_eq!(parse_regions(&text).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn parser_rejects_a_province_code_that_is_not_under_the_country() {
        let text = format!("{HEAD}110000,北京市,110000,2,北京,北京市,,,Beijing,bj\n");
        assert_eq!(parse_regions(&text).err().map(|e| e.line), Some(2));
    }

    #[test]
    fn parser_rejects_a_repeated_id() {
        let row = "110000,北京市,100000,1,北京,北京市,,,Beijing,bj\n";
        let text = format!("{HEAD}{row}{row}");
        assert_eq!(parse_regions(&text).err().map(|e| e.line), Some(3));
    }
}

//! Size classification of enterprises (micro / small / medium / large) by the 2011 SME rules.

use serde::{Deserialize, Serialize};

use crate::money::FEN_PER_WAN;
use crate::org::str_enum;

str_enum! {
    /// An industry row of 《中小企业划型标准规定》 (工信部联企业〔2011〕300号).
    Industry {
        /// Agriculture, forestry, animal husbandry and fishery.
        Agriculture = "agriculture", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery";
        /// Mining, manufacturing, and production of electricity, heat, gas and water.
        Industry = "industry", "工业", "Industry (mining, manufacturing and utilities)";
        /// Construction.
        Construction = "construction", "建筑业", "Construction";
        /// Wholesale trade.
        Wholesale = "wholesale", "批发业", "Wholesale trade";
        /// Retail trade.
        Retail = "retail", "零售业", "Retail trade";
        /// Transport (excluding railway transport).
        Transport = "transport", "交通运输业", "Transport";
        /// Warehousing.
        Warehousing = "warehousing", "仓储业", "Warehousing";
        /// Postal services.
        Postal = "postal", "邮政业", "Postal services";
        /// Accommodation (hotels and lodging).
        Accommodation = "accommodation", "住宿业", "Accommodation";
        /// Catering (restaurants).
        Catering = "catering", "餐饮业", "Catering";
        /// Telecommunications, internet and broadcast transmission services.
        InformationTransmission = "information_transmission", "信息传输业", "Information transmission";
        /// Software and information technology services.
        SoftwareItServices = "software_it_services", "软件和信息技术服务业", "Software and information technology services";
        /// Real estate development and operation.
        RealEstateDevelopment = "real_estate_development", "房地产开发经营", "Real estate development and operation";
        /// Property management.
        PropertyManagement = "property_management", "物业管理", "Property management";
        /// Leasing and business services.
        LeasingBusinessServices = "leasing_business_services", "租赁和商务服务业", "Leasing and business services";
        /// Any industry not listed above (incl. scientific research and resident services).
        Other = "other", "其他未列明行业", "Other industries not listed elsewhere";
    }
}

str_enum! {
    /// The size class of an enterprise, ordered from smallest to largest.
    SizeClass {
        /// Micro enterprise (微型企业).
        Micro = "micro", "微型", "Micro";
        /// Small enterprise (小型企业).
        Small = "small", "小型", "Small";
        /// Medium-sized enterprise (中型企业).
        Medium = "medium", "中型", "Medium";
        /// Large enterprise (大型企业), i.e. not an SME.
        Large = "large", "大型", "Large";
    }
}

/// The figures of one enterprise that decide its size class; money is in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnterpriseFigures {
    /// Number of employees (从业人员).
    pub employees: u32,
    /// Operating revenue (营业收入) in fen; 1 万元 = 1,000,000 fen.
    pub revenue_fen: i64,
    /// Total assets (资产总额) in fen, when known.
    pub total_assets_fen: Option<i64>,
}

/// A size class with a bilingual explanation naming the industry row and the deciding conditions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The size class.
    pub size: SizeClass,
    /// Why, in Chinese.
    pub explanation_zh: String,
    /// Why, in English.
    pub explanation_en: String,
}

/// Thresholds of one condition group as [staff, revenue 万元, assets 万元]; `None` = unused.
type Limits = [Option<i64>; 3];

/// One industry row: SME if ANY `sme_below` holds (strictly below); then medium if ALL
/// `medium_min` hold (≥), else small if ALL `small_min` hold (≥), else micro.
#[derive(Debug, Clone, Copy)]
struct Row {
    industry: Industry,
    sme_below: Limits,
    medium_min: Limits,
    small_min: Limits,
}

macro_rules! cell {
    (_) => {
        None
    };
    ($n:literal) => {
        Some($n)
    };
}

macro_rules! row {
    ($ind:ident, $a:tt, $b:tt, $c:tt, $d:tt, $e:tt, $f:tt, $g:tt, $h:tt, $i:tt) => {
        Row {
            industry: Industry::$ind,
            sme_below: [cell!($a), cell!($b), cell!($c)],
            medium_min: [cell!($d), cell!($e), cell!($f)],
            small_min: [cell!($g), cell!($h), cell!($i)],
        }
    };
}

/// The thresholds of 《中小企业划型标准规定》 (工信部联企业〔2011〕300号); money in 万元, `_` = unused.
///
/// Columns: SME if below (staff, revenue, assets); medium minimum (same); small minimum (same).
#[rustfmt::skip]
const ROWS: [Row; 16] = [
    row!(Agriculture,             _,    20000,  _,      _,   500,  _,     _,   50,  _),
    row!(Industry,                1000, 40000,  _,      300, 2000, _,     20,  300, _),
    row!(Construction,            _,    80000,  80000,  _,   6000, 5000,  _,   300, 300),
    row!(Wholesale,               200,  40000,  _,      20,  5000, _,     5,   1000, _),
    row!(Retail,                  300,  20000,  _,      50,  500,  _,     10,  100, _),
    row!(Transport,               1000, 30000,  _,      300, 3000, _,     20,  200, _),
    row!(Warehousing,             200,  30000,  _,      100, 1000, _,     20,  100, _),
    row!(Postal,                  1000, 30000,  _,      300, 2000, _,     20,  100, _),
    row!(Accommodation,           300,  10000,  _,      100, 2000, _,     10,  100, _),
    row!(Catering,                300,  10000,  _,      100, 2000, _,     10,  100, _),
    row!(InformationTransmission, 2000, 100000, _,      100, 1000, _,     10,  100, _),
    row!(SoftwareItServices,      300,  10000,  _,      100, 1000, _,     10,  50,  _),
    row!(RealEstateDevelopment,   _,    200000, 10000,  _,   1000, 5000,  _,   100, 2000),
    row!(PropertyManagement,      1000, 5000,   _,      300, 1000, _,     100, 500, _),
    row!(LeasingBusinessServices, 300,  _,      120000, 100, _,    8000,  10,  _,   100),
    row!(Other,                   300,  _,      _,      100, _,    _,     10,  _,   _),
];

/// The table row of an industry.
fn row_for(industry: Industry) -> &'static Row {
    const OTHER: &Row = &ROWS[ROWS.len() - 1];
    let found = ROWS.iter().find(|r| r.industry == industry);
    found.unwrap_or(OTHER)
}

/// One evaluated condition with its bilingual description, e.g. `从业人员 500 ≥ 300`.
struct Check {
    holds: bool,
    zh: String,
    en: String,
}

/// A measure an industry row may use.
#[derive(Clone, Copy)]
enum Measure {
    Staff,
    Revenue,
    Assets,
}

/// An amount of fen written in 万元 without rounding, e.g. `30000` or `1999.999999`.
fn fmt_wan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let per = FEN_PER_WAN.unsigned_abs();
    let (whole, frac) = (fen.unsigned_abs() / per, fen.unsigned_abs() % per);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:06}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// Evaluates one threshold ("below" when `below`, else "at least"); a missing value never holds.
fn check(m: Measure, f: &EnterpriseFigures, threshold: i64, below: bool) -> Check {
    let (name_zh, name_en, value) = match m {
        Measure::Staff => ("从业人员", "employees", Some(i64::from(f.employees))),
        Measure::Revenue => ("营业收入", "revenue", Some(f.revenue_fen)),
        Measure::Assets => ("资产总额", "total assets", f.total_assets_fen),
    };
    let Some(v) = value else {
        let (zh, en) = (format!("{name_zh}未填写"), format!("{name_en} not given"));
        return Check { holds: false, zh, en };
    };
    let (limit, shown, uz, ue) = match m {
        Measure::Staff => (threshold, v.to_string(), "", ""),
        _ => (threshold.saturating_mul(FEN_PER_WAN), fmt_wan(v), " 万元", " × 10k CNY"),
    };
    let rel = if v < limit { "<" } else { "≥" };
    let zh = format!("{name_zh} {shown}{uz} {rel} {threshold}{uz}");
    let en = format!("{name_en} {shown}{ue} {rel} {threshold}{ue}");
    Check { holds: (v < limit) == below, zh, en }
}

/// Evaluates every threshold that `limits` uses.
fn evaluate(limits: &Limits, f: &EnterpriseFigures, below: bool) -> Vec<Check> {
    let measures = [Measure::Staff, Measure::Revenue, Measure::Assets];
    let used = measures.into_iter().zip(limits).filter_map(|(m, t)| Some((m, (*t)?)));
    used.map(|(m, t)| check(m, f, t, below)).collect()
}

/// Joins the descriptions of the checks selected by `pick`.
fn join(checks: &[Check], pick: impl Fn(&Check) -> bool, zh_sep: &str) -> (String, String) {
    let picked: Vec<&Check> = checks.iter().filter(|c| pick(c)).collect();
    let zh: Vec<&str> = picked.iter().map(|c| c.zh.as_str()).collect();
    let en: Vec<&str> = picked.iter().map(|c| c.en.as_str()).collect();
    (zh.join(zh_sep), en.join(" and "))
}

/// Classifies an enterprise of `industry` by its figures, explaining which conditions held.
pub fn classify(industry: Industry, f: &EnterpriseFigures) -> Classification {
    let row = row_for(industry);
    let mut zh = format!("{}：", industry.label_zh());
    let mut en = format!("{}: ", industry.label_en());
    let sme = evaluate(&row.sme_below, f, true);
    let size = 'size: {
        if !sme.iter().any(|c| c.holds) {
            let (z, e) = join(&sme, |_| true, " 且");
            zh.push_str(&format!("{z}，不属中小企业，属大型"));
            en.push_str(&format!("{e}, so it is not an SME: large"));
            break 'size SizeClass::Large;
        }
        let (z, e) = join(&sme, |c| c.holds, "、");
        zh.push_str(&format!("{z}，属中小企业；"));
        en.push_str(&format!("{e}, so it is an SME; "));
        let tiers = [(&row.medium_min, SizeClass::Medium), (&row.small_min, SizeClass::Small)];
        for (limits, size) in tiers {
            let checks = evaluate(limits, f, false);
            let (name_zh, name_en) = (size.label_zh(), size.label_en().to_lowercase());
            if checks.iter().all(|c| c.holds) {
                let (z, e) = join(&checks, |_| true, " 且");
                zh.push_str(&format!("{z}，属{name_zh}"));
                en.push_str(&format!("{e}, so it is {name_en}"));
                break 'size size;
            }
            let (z, e) = join(&checks, |c| !c.holds, "、");
            zh.push_str(&format!("未达{name_zh}标准（{z}）；"));
            en.push_str(&format!("not {name_en} ({e}); "));
        }
        zh.push_str("属微型");
        en.push_str("so it is micro");
        SizeClass::Micro
    };
    let (explanation_zh, explanation_en) = (zh, en);
    Classification { size, explanation_zh, explanation_en }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Test-local copy of the regulation's table (independent of `ROWS`, so typos are caught).
    const TABLE: &str = "\
agriculture,农、林、牧、渔业,,20000,,,500,,,50,
industry,工业,1000,40000,,300,2000,,20,300,
construction,建筑业,,80000,80000,,6000,5000,,300,300
wholesale,批发业,200,40000,,20,5000,,5,1000,
retail,零售业,300,20000,,50,500,,10,100,
transport,交通运输业,1000,30000,,300,3000,,20,200,
warehousing,仓储业,200,30000,,100,1000,,20,100,
postal,邮政业,1000,30000,,300,2000,,20,100,
accommodation,住宿业,300,10000,,100,2000,,10,100,
catering,餐饮业,300,10000,,100,2000,,10,100,
information_transmission,信息传输业,2000,100000,,100,1000,,10,100,
software_it_services,软件和信息技术服务业,300,10000,,100,1000,,10,50,
real_estate_development,房地产开发经营,,200000,10000,,1000,5000,,100,2000
property_management,物业管理,1000,5000,,300,1000,,100,500,
leasing_business_services,租赁和商务服务业,300,,120000,100,,8000,10,,100
other,其他未列明行业,300,,,100,,,10,,";

    /// A row: code, Chinese name, then the nine threshold cells (staff; 万元 for money).
    type TestRow = (String, String, [Option<i64>; 9]);

    fn table() -> Vec<TestRow> {
        let mut rows = Vec::new();
        for line in TABLE.lines() {
            let cols: Vec<&str> = line.split(',').collect();
            let mut cells = [None; 9];
            for (cell, text) in cells.iter_mut().zip(cols.iter().skip(2)) {
                *cell = text.parse().ok();
            }
            rows.push((cols[0].to_string(), cols[1].to_string(), cells));
        }
        rows
    }

    /// Figures from [staff, revenue fen, assets fen].
    fn figures(v: [i64; 3]) -> EnterpriseFigures {
        let employees = u32::try_from(v[0]).unwrap_or(u32::MAX);
        let (revenue_fen, total_assets_fen) = (v[1], Some(v[2]));
        EnterpriseFigures { employees, revenue_fen, total_assets_fen }
    }

    /// Values exactly at a group's thresholds (money in fen), 0 where a measure is unused.
    fn at(group: &[Option<i64>]) -> [i64; 3] {
        let unit = |i: usize| if i == 0 { 1 } else { FEN_PER_WAN };
        [0, 1, 2].map(|i| group[i].map_or(0, |t| t * unit(i)))
    }

    fn size(industry: &Industry, v: [i64; 3]) -> SizeClass {
        classify(*industry, &figures(v)).size
    }

    /// For every row: the value at each threshold, and one unit (person or fen) below it.
    #[test]
    fn every_row_switches_class_exactly_at_its_thresholds() {
        for (code, _, cells) in table() {
            let ind = Industry::parse(&code).unwrap_or(Industry::Other);
            assert_eq!(ind.as_str(), code);
            let groups = [
                (&cells[0..3], SizeClass::Large, SizeClass::Medium),
                (&cells[3..6], SizeClass::Medium, SizeClass::Small),
                (&cells[6..9], SizeClass::Small, SizeClass::Micro),
            ];
            for (group, at_class, below_class) in groups {
                let base = at(group);
                assert_eq!(size(&ind, base), at_class, "{code} at {base:?}");
                for i in (0..3).filter(|&i| group[i].is_some()) {
                    let mut v = base;
                    v[i] -= 1;
                    assert_eq!(size(&ind, v), below_class, "{code} below at {v:?}");
                }
            }
        }
    }

    #[test]
    fn labels_and_codes_match_the_table() {
        let rows = table();
        assert_eq!(rows.len(), Industry::ALL.len());
        for ((code, name_zh, _), (ind, row)) in rows.iter().zip(Industry::ALL.iter().zip(ROWS)) {
            assert_eq!((ind.as_str(), ind.label_zh()), (code.as_str(), name_zh.as_str()));
            assert_eq!(row.industry, *ind);
            assert_eq!(Industry::parse(code), Some(*ind));
            assert_eq!(ind.label("en"), ind.label_en());
        }
        let codes: Vec<&str> = SizeClass::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(codes, ["micro", "small", "medium", "large"]);
        assert_eq!(SizeClass::Medium.label("zh"), "中型");
        assert_eq!(SizeClass::Large.label("en"), "Large");
    }

    /// Classifies figures given in 万元 and returns the class and both explanations.
    fn explain(ind: Industry, staff: u32, rev: i64, assets: Option<i64>) -> (SizeClass, String) {
        let (revenue_fen, total_assets_fen) = (rev * FEN_PER_WAN, assets.map(|a| a * FEN_PER_WAN));
        let f = EnterpriseFigures { employees: staff, revenue_fen, total_assets_fen };
        let c = classify(ind, &f);
        (c.size, format!("{} | {}", c.explanation_zh, c.explanation_en))
    }

    /// Asserts the class and that the explanation contains every fragment.
    fn assert_explained(got: (SizeClass, String), size: SizeClass, fragments: &[&str]) {
        assert_eq!(got.0, size, "{}", got.1);
        for fragment in fragments {
            assert!(got.1.contains(fragment), "missing {fragment:?} in {}", got.1);
        }
    }

    #[test]
    fn industrial_examples_are_medium_and_explained() {
        let zh = "工业：从业人员 500 < 1000、营业收入 30000 万元 < 40000 万元，属中小企业；\
                  从业人员 500 ≥ 300 且营业收入 30000 万元 ≥ 2000 万元，属中型 |";
        let en = "so it is an SME; employees 500 ≥ 300 and revenue 30000 × 10k CNY ≥ 2000 × 10k \
                  CNY, so it is medium";
        assert_explained(explain(Industry::Industry, 500, 30_000, None), SizeClass::Medium, &[zh, en]);
        let got = explain(Industry::Industry, 1200, 35_000, None);
        assert!(!got.1.contains("1200 < 1000"));
        let sme = "：营业收入 35000 万元 < 40000 万元，属中小企业";
        assert_explained(got, SizeClass::Medium, &[sme, "从业人员 1200 ≥ 300"]);
    }

    #[test]
    fn explanations_name_the_failed_conditions_for_small_micro_and_large() {
        let micro = "未达小型标准（从业人员 5 < 10、营业收入 80 万元 < 100 万元）；属微型";
        assert_explained(explain(Industry::Retail, 5, 80, None), SizeClass::Micro, &[micro]);
        let small = "not medium (employees 20 < 50 and revenue 300 × 10k CNY < 500 × 10k CNY)";
        assert_explained(explain(Industry::Retail, 20, 300, None), SizeClass::Small, &[small]);
        let large = "营业收入 20000 万元 ≥ 20000 万元，不属中小企业，属大型";
        assert_explained(explain(Industry::Retail, 300, 20_000, None), SizeClass::Large, &[large]);
    }

    #[test]
    fn fractional_wan_amounts_are_shown_exactly() {
        let f = EnterpriseFigures { revenue_fen: 2_000 * FEN_PER_WAN - 1, ..Default::default() };
        let c = classify(Industry::Industry, &f);
        assert!(c.explanation_zh.contains("营业收入 1999.999999 万元 < 2000 万元"));
        assert_eq!(fmt_wan(-1_500_000), "-1.5");
    }

    #[test]
    fn missing_total_assets_never_satisfy_an_assets_condition() {
        let missing = ["资产总额未填写", "total assets not given"];
        let c = explain(Industry::Construction, 0, 50_000, None);
        assert_explained(c, SizeClass::Micro, &missing);
        let c = explain(Industry::LeasingBusinessServices, 500, 0, None);
        assert_explained(c, SizeClass::Large, &["从业人员 500 ≥ 300 且资产总额未填写"]);
        let c = explain(Industry::LeasingBusinessServices, 500, 0, Some(100_000));
        assert_explained(c, SizeClass::Medium, &["资产总额 100000 万元 < 120000 万元"]);
    }

    proptest! {
        #[test]
        fn large_exactly_when_no_sme_condition_holds(
            idx in 0usize..16,
            employees: u32,
            revenue_fen: i64,
            total_assets_fen: Option<i64>,
        ) {
            let rows = table();
            let (code, name_zh, cells) = &rows[idx];
            let ind = Industry::parse(code).unwrap_or(Industry::Other);
            let f = EnterpriseFigures { employees, revenue_fen, total_assets_fen };
            let values = [Some(i64::from(employees)), Some(revenue_fen), total_assets_fen];
            let sme = (0..3).any(|i| match (cells[i], values[i]) {
                (Some(t), Some(v)) => v < if i == 0 { t } else { t * FEN_PER_WAN },
                _ => false,
            });
            let c = classify(ind, &f);
            prop_assert!(SizeClass::ALL.contains(&c.size));
            prop_assert_eq!(c.size == SizeClass::Large, !sme);
            prop_assert!(c.explanation_zh.starts_with(name_zh.as_str()));
        }
    }
}

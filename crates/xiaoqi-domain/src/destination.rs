//! Graduate destinations (毕业去向) in the Ministry of Education's categories, the cohort window
//! a destination date must fall in, and the figures read from the register as of a date:
//! 毕业去向落实率, the related-to-major rate and the shares employed at SMEs and at alliance
//! members (DESIGN.md §6). Each figure's definition is versioned and printed beside it.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::conversion::rate;
use crate::org::str_enum;
use crate::time::{Date, days_from_civil};

str_enum! {
    /// A graduate's destination, in the categories of the Ministry of Education's statistics
    /// (毕业去向: 升学, 协议和合同就业, 灵活就业, 自主创业, 待就业, 暂不就业).
    DestinationKind {
        FurtherStudy = "further_study", "升学", "Further study";
        ContractEmployment = "contract_employment", "协议和合同就业", "Contract employment";
        FlexibleEmployment = "flexible_employment", "灵活就业", "Flexible employment";
        SelfEmployment = "self_employment", "自主创业", "Self-employment";
        NotPlaced = "not_placed", "待就业", "Not yet placed";
        NotSeeking = "not_seeking", "暂不就业", "Not seeking";
    }
}

str_enum! {
    /// Where an entry of the register stands: the student's own entry waits for the career
    /// officer's check; only checked entries count in the figures.
    DestinationStatus {
        Entered = "entered", "待核查", "Awaiting check";
        Checked = "checked", "已核查", "Checked";
    }
}

impl DestinationKind {
    /// Counted as placed (落实) in 毕业去向落实率.
    pub fn is_placed(self) -> bool {
        matches!(self, Self::FurtherStudy | Self::ContractEmployment | Self::FlexibleEmployment | Self::SelfEmployment)
    }

    /// Employment of any kind (the base of the related-to-major rate).
    pub fn is_employment(self) -> bool {
        matches!(self, Self::ContractEmployment | Self::FlexibleEmployment | Self::SelfEmployment)
    }

    /// Work for an employer (the base of the SME and alliance shares); contract employment
    /// names its employer.
    pub fn works_for_employer(self) -> bool {
        matches!(self, Self::ContractEmployment | Self::FlexibleEmployment)
    }

    /// Parses a code or a Chinese label, refusing an internship by name: an internship record
    /// is never employment (教育部 "四不准": 不准将毕业生顶岗实习证明作为就业证明).
    pub fn parse_input(field: &str, s: &str) -> Result<Self, FieldError> {
        let t = s.trim();
        if ["internship", "实习", "岗位实习", "顶岗实习"].contains(&t) {
            return Err(FieldError::new(
                field,
                "internship_not_employment",
                "实习不是毕业去向：实习证明不能作为就业证明，请选择毕业生实际的去向",
                "An internship is not a destination: internship proof never counts as employment; choose the graduate's actual destination",
            ));
        }
        if let Some(k) = Self::ALL.iter().find(|k| k.label_zh() == t) {
            return Ok(*k);
        }
        Self::parse_field(field, "destination_kind", t)
    }
}

/// The first and last day a destination of the cohort graduating in `cohort` may be dated:
/// from 1 September of the year before (autumn recruitment) to 31 December of the graduation
/// year (the end of the year's statistics).
pub fn cohort_window(cohort: i64) -> (Date, Date) {
    (Date(days_from_civil(cohort - 1, 9, 1)), Date(days_from_civil(cohort, 12, 31)))
}

/// Checks a cohort year (2000–2100).
pub fn check_cohort(field: &str, cohort: i64) -> Result<i64, FieldError> {
    if (2000..=2100).contains(&cohort) {
        Ok(cohort)
    } else {
        Err(FieldError::new(
            field,
            "cohort_year",
            format!("届别须为 2000–2100 的毕业年份，而不是 {cohort}"),
            format!("The cohort must be a graduation year in 2000–2100, not {cohort}"),
        ))
    }
}

/// Checks that a destination date lies within its cohort's window.
pub fn check_date_in_cohort(field: &str, cohort: i64, date: Date) -> Result<Date, FieldError> {
    let (from, to) = cohort_window(cohort);
    if date < from || date > to {
        return Err(FieldError::new(
            field,
            "date_outside_cohort",
            format!("{cohort} 届的去向日期须在 {} 至 {} 之间", from.format(), to.format()),
            format!("A destination of the {cohort} cohort is dated between {} and {}", from.format(), to.format()),
        ));
    }
    Ok(date)
}

/// A figure's definition, printed on the page and served with the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub key: &'static str,
    /// Changes whenever the formula changes, so a report names the one it used.
    pub version: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The definitions of the destination figures, in display order.
pub const DEFINITIONS: &[Definition] = &[
    Definition {
        key: "placement_rate",
        version: "2026.1",
        zh: "毕业去向落实率 =（升学 + 协议和合同就业 + 灵活就业 + 自主创业）÷ 本届毕业生人数，截至所选日期。每名毕业生取该日期及之前最近一条经就业指导老师核查的去向；尚无核查记录的计为未落实。实习不计为就业。百分比保留两位小数，向下取整。",
        en: "Placement rate = (further study + contract employment + flexible employment + self-employment) ÷ graduates of the cohort, as of the chosen date. For each graduate, the latest destination checked by the career officer and dated on or before that date counts; a graduate without one counts as not placed. Internships never count as employment. Percent to two decimals, rounded down.",
    },
    Definition {
        key: "related_to_major_rate",
        version: "2026.1",
        zh: "专业相关度 = 就业岗位职业与所学专业面向职业同属《职业分类大典》（2022）一个小类的就业毕业生 ÷ 填写了职业且专业已列面向职业的就业毕业生（协议和合同就业、灵活就业、自主创业），截至所选日期。",
        en: "Related-to-major rate = employed graduates whose occupation lies in the same CSCO 2022 minor group as an occupation their major serves ÷ employed graduates (contract, flexible, self-employment) with an occupation recorded whose major lists the occupations it serves, as of the chosen date.",
    },
    Definition {
        key: "sme_share",
        version: "2026.1",
        zh: "中小微企业就业占比 = 就职于平台名录中划型为中型、小型或微型企业的毕业生 ÷ 协议和合同就业与灵活就业的毕业生，截至所选日期；单位不在名录中的计入分母。",
        en: "SME share = graduates working for an employer in the directory classed medium, small or micro ÷ graduates in contract or flexible employment, as of the chosen date; employers outside the directory count in the base only.",
    },
    Definition {
        key: "alliance_share",
        version: "2026.1",
        zh: "联盟成员单位就业占比 = 就职于联盟成员企业的毕业生 ÷ 协议和合同就业与灵活就业的毕业生，截至所选日期。",
        en: "Alliance share = graduates working for an alliance-member enterprise ÷ graduates in contract or flexible employment, as of the chosen date.",
    },
];

/// One entry of a graduate's register, as the figures read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFacts {
    /// The entry's id: of two entries on one day, the later recorded wins.
    pub id: i64,
    pub kind: DestinationKind,
    pub date: Date,
    pub checked: bool,
    /// CSCO 2022 code of the post, if recorded.
    pub occupation_code: Option<String>,
    /// The employer is in the directory and classed micro, small or medium.
    pub employer_is_sme: bool,
    /// The employer is an alliance-member enterprise.
    pub employer_is_member: bool,
}

/// One graduate of the cohort, with the occupations their major serves and their entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GraduateFacts {
    pub major_occupations: Vec<String>,
    pub entries: Vec<EntryFacts>,
}

/// A part over a whole; the rate is `None` when the whole is 0 (shown "—", never 0 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Ratio {
    pub part: u64,
    pub whole: u64,
    /// Hundredths of a percent, rounded down; absent when `whole` is 0.
    pub basis_points: Option<u32>,
}

impl Ratio {
    fn of(part: u64, whole: u64) -> Self {
        Self { part, whole, basis_points: rate(part, whole) }
    }

    /// `86.31%`, or `None` for 0/0.
    pub fn percent(&self) -> Option<String> {
        self.basis_points.map(|bp| format!("{}%", crate::decimal::hundredths(i64::from(bp))))
    }
}

/// The register's figures as of one date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Figures {
    pub graduates: u64,
    /// Graduates per destination as of the date (every kind, in display order), then
    /// `no_record` for those without a checked destination by then.
    pub by_kind: Vec<(String, u64)>,
    pub placement_rate: Ratio,
    pub related_to_major: Ratio,
    pub sme_share: Ratio,
    pub alliance_share: Ratio,
    /// Entries dated on or before the date still awaiting the career officer's check.
    pub awaiting_check: u64,
}

/// The minor group (小类) of a CSCO code: its first three segments (`2-02-10-03` → `2-02-10`).
fn minor_group(code: &str) -> &str {
    match code.match_indices('-').nth(2) {
        Some((i, _)) => &code[..i],
        None => code,
    }
}

/// Whether an occupation lies in the minor group of one the major serves.
pub fn related_to_major(occupation: &str, major_occupations: &[String]) -> bool {
    major_occupations.iter().any(|m| minor_group(m) == minor_group(occupation))
}

/// The figures of a cohort as of `as_of`.
pub fn figures(graduates: &[GraduateFacts], as_of: Date) -> Figures {
    let mut counts = vec![0u64; DestinationKind::ALL.len()];
    let (mut no_record, mut awaiting) = (0u64, 0u64);
    let (mut related, mut related_base, mut sme, mut member, mut wage) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for g in graduates {
        let due = g.entries.iter().filter(|e| e.date <= as_of);
        awaiting += due.clone().filter(|e| !e.checked).count() as u64;
        let Some(e) = due.filter(|e| e.checked).max_by_key(|e| (e.date, e.id)) else {
            no_record += 1;
            continue;
        };
        if let Some(i) = DestinationKind::ALL.iter().position(|k| *k == e.kind) {
            counts[i] += 1;
        }
        if e.kind.is_employment()
            && let Some(code) = &e.occupation_code
            && !g.major_occupations.is_empty()
        {
            related_base += 1;
            related += u64::from(related_to_major(code, &g.major_occupations));
        }
        if e.kind.works_for_employer() {
            wage += 1;
            sme += u64::from(e.employer_is_sme);
            member += u64::from(e.employer_is_member);
        }
    }
    let placed = DestinationKind::ALL.iter().zip(&counts).filter(|(k, _)| k.is_placed()).map(|(_, n)| n).sum();
    let total = graduates.len() as u64;
    let mut by_kind: Vec<(String, u64)> =
        DestinationKind::ALL.iter().zip(&counts).map(|(k, n)| (k.as_str().to_string(), *n)).collect();
    by_kind.push(("no_record".to_string(), no_record));
    Figures {
        graduates: total,
        by_kind,
        placement_rate: Ratio::of(placed, total),
        related_to_major: Ratio::of(related, related_base),
        sme_share: Ratio::of(sme, wage),
        alliance_share: Ratio::of(member, wage),
        awaiting_check: awaiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse("d", s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn entry(id: i64, kind: DestinationKind, date: &str, checked: bool) -> EntryFacts {
        EntryFacts {
            id,
            kind,
            date: d(date),
            checked,
            occupation_code: None,
            employer_is_sme: false,
            employer_is_member: false,
        }
    }

    #[test]
    fn the_placement_rate_moves_with_the_date_and_counts_checked_entries_only() {
        use DestinationKind as K;
        let g = |entries| GraduateFacts { major_occupations: vec![], entries };
        let cohort = vec![
            g(vec![entry(1, K::ContractEmployment, "2026-06-20", true)]),
            g(vec![entry(2, K::NotPlaced, "2026-07-01", true), entry(3, K::FurtherStudy, "2026-10-10", true)]),
            g(vec![entry(4, K::SelfEmployment, "2026-08-01", false)]),
            g(vec![]),
        ];
        let aug = figures(&cohort, d("2026-08-31"));
        assert_eq!((aug.graduates, aug.placement_rate.part), (4, 1));
        assert_eq!(aug.placement_rate.percent().as_deref(), Some("25.00%"));
        assert_eq!(aug.awaiting_check, 1, "the unchecked self-employment waits");
        let dec = figures(&cohort, d("2026-12-31"));
        assert_eq!(dec.placement_rate.part, 2, "further study from October counts by December");
        assert_eq!(dec.by_kind.last(), Some(&("no_record".to_string(), 2)));
    }

    #[test]
    fn no_graduates_is_no_rate_not_zero() {
        let f = figures(&[], d("2026-08-31"));
        assert_eq!(f.placement_rate, Ratio { part: 0, whole: 0, basis_points: None });
        assert_eq!(f.placement_rate.percent(), None);
    }

    #[test]
    fn the_latest_checked_entry_by_the_date_wins() {
        use DestinationKind as K;
        let g = GraduateFacts {
            major_occupations: vec![],
            entries: vec![
                entry(9, K::ContractEmployment, "2026-05-01", true),
                entry(2, K::NotSeeking, "2026-09-01", true),
            ],
        };
        let f = figures(std::slice::from_ref(&g), d("2026-12-31"));
        assert_eq!(f.placement_rate.part, 0, "the graduate left the job to not seek work");
        let f = figures(&[g], d("2026-08-31"));
        assert_eq!(f.placement_rate.part, 1);
    }

    #[test]
    fn related_to_major_compares_minor_groups_and_shares_count_wage_employment() {
        use DestinationKind as K;
        let mut a = entry(1, K::ContractEmployment, "2026-06-01", true);
        a.occupation_code = Some("6-18-02-04".into());
        a.employer_is_sme = true;
        a.employer_is_member = true;
        let mut b = entry(2, K::FlexibleEmployment, "2026-06-01", true);
        b.occupation_code = Some("4-01-02-01".into());
        let c = entry(3, K::SelfEmployment, "2026-06-01", true);
        let serves = vec!["6-18-02-01".to_string()];
        let cohort: Vec<GraduateFacts> = [a, b, c]
            .into_iter()
            .map(|e| GraduateFacts { major_occupations: serves.clone(), entries: vec![e] })
            .collect();
        let f = figures(&cohort, d("2026-08-31"));
        assert_eq!((f.related_to_major.part, f.related_to_major.whole), (1, 2), "no occupation: not in the base");
        assert_eq!((f.sme_share.part, f.sme_share.whole), (1, 2), "self-employment has no employer");
        assert_eq!(f.alliance_share.percent().as_deref(), Some("50.00%"));
    }

    #[test]
    fn an_internship_is_refused_as_a_destination_by_name() {
        let e = DestinationKind::parse_input("kind", "岗位实习").err().map(|e| e.rule);
        assert_eq!(e, Some("internship_not_employment"));
        assert_eq!(DestinationKind::parse_input("kind", "灵活就业").ok(), Some(DestinationKind::FlexibleEmployment));
        assert_eq!(DestinationKind::parse_input("kind", "x").err().map(|e| e.rule), Some("destination_kind"));
    }

    #[test]
    fn a_date_must_lie_within_the_cohort_window() {
        assert!(check_date_in_cohort("date", 2026, d("2025-09-01")).is_ok());
        assert!(check_date_in_cohort("date", 2026, d("2026-12-31")).is_ok());
        let late = check_date_in_cohort("date", 2026, d("2027-01-01")).err().map(|e| e.rule);
        assert_eq!(late, Some("date_outside_cohort"));
        assert!(check_date_in_cohort("date", 2026, d("2025-08-31")).is_err());
    }
}

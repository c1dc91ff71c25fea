//! The risk- and benefit-sharing agreement of a cooperation project (风险共担、利益共享) and the
//! distribution of each conversion income by it, exact to the fen (DESIGN.md §2.3).
//!
//! An agreement names the parties (the enterprise, the college, possibly others) with their
//! share of the costs and of the revenue (each list sums to exactly 100 %), who owns the
//! intellectual property, and, inside the college's revenue share, the part that goes to the
//! people who made the result and how it is split among them. That part defaults to
//! [`INVENTORS_DEFAULT`] (50 %, 《促进科技成果转化法》第四十五条) and stays editable.
//!
//! An income is distributed in two steps, each by [`sharing::distribute`] (largest remainder):
//! first among the parties by revenue share; then the college's part into the inventors' pool and
//! the college's own remainder, and the pool among the inventors. Every step adds up to its
//! whole, so the ledger lines always add up to the income.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::money::Fen;
use crate::org::str_enum;
use crate::sharing::{self, INVENTORS_DEFAULT, Share};

str_enum! {
    /// Who a party of the agreement is.
    PartyKind {
        Enterprise = "enterprise", "企业", "Enterprise";
        College = "college", "院校", "College";
        Other = "other", "其他单位", "Other party";
    }
}

str_enum! {
    /// Who owns the intellectual property of the project's results.
    IpOwnership {
        Enterprise = "enterprise", "归企业所有", "Owned by the enterprise";
        College = "college", "归院校所有", "Owned by the college";
        Joint = "joint", "双方共有", "Jointly owned";
    }
}

/// Most parties an agreement names.
pub const MAX_PARTIES: usize = 10;
/// Most inventors the college's share is split among.
pub const MAX_INVENTORS: usize = 50;

/// A party with its cost and revenue shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub kind: PartyKind,
    /// The organisation, when it is on the platform.
    pub org_id: Option<i64>,
    pub name: String,
    pub cost_share: Share,
    pub revenue_share: Share,
}

/// A person who made the result, with their part of the inventors' pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventor {
    /// The person's account, when they have one.
    pub account_id: Option<i64>,
    pub name: String,
    pub share: Share,
}

/// The terms both parties sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub parties: Vec<Party>,
    pub ip_ownership: IpOwnership,
    /// Further terms on the intellectual property (licensing, publication, …).
    pub ip_note: String,
    /// The inventors' part of the college's revenue share.
    pub inventors_share: Share,
    pub inventors: Vec<Inventor>,
}

impl Terms {
    /// Terms pre-filled for an enterprise and a college: costs and revenue half each, joint
    /// ownership, the inventors' part at the legal default, no inventors named yet.
    pub fn prefilled(enterprise: (i64, &str), college: (i64, &str)) -> Terms {
        let half = Share(sharing::WHOLE / 2);
        let party = |kind, (id, name): (i64, &str)| Party {
            kind,
            org_id: Some(id),
            name: name.to_string(),
            cost_share: half,
            revenue_share: half,
        };
        Terms {
            parties: vec![party(PartyKind::Enterprise, enterprise), party(PartyKind::College, college)],
            ip_ownership: IpOwnership::Joint,
            ip_note: String::new(),
            inventors_share: INVENTORS_DEFAULT,
            inventors: Vec::new(),
        }
    }

    /// Checks every rule at once: 2–10 parties with names, exactly one college, cost and
    /// revenue shares each summing to exactly 100 %; inventors (at most 50, named) whose shares
    /// sum to exactly 100 % when the inventors' part is above 0, and some inventor then.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        if self.parties.len() < 2 || self.parties.len() > MAX_PARTIES {
            e.push(FieldError::new(
                "parties",
                "party_count",
                format!("协议应有 2 到 {MAX_PARTIES} 方"),
                format!("an agreement has 2 to {MAX_PARTIES} parties"),
            ));
        }
        for (i, p) in self.parties.iter().enumerate() {
            if p.name.trim().is_empty() || p.name.chars().count() > 100 {
                e.push(FieldError::new(
                    format!("parties[{i}].name"),
                    "required",
                    "请填写 1 到 100 字的单位名称",
                    "give the party's name (1–100 characters)",
                ));
            }
        }
        let colleges = self.parties.iter().filter(|p| p.kind == PartyKind::College).count();
        if colleges != 1 {
            e.push(FieldError::new(
                "parties",
                "one_college",
                "协议应恰有一方为院校（发明人收益从院校份额中分配）",
                "exactly one party is the college (the inventors are paid from its share)",
            ));
        }
        let costs: Vec<Share> = self.parties.iter().map(|p| p.cost_share).collect();
        e.check(sharing::check_whole("parties.cost_share", &costs));
        let revenue: Vec<Share> = self.parties.iter().map(|p| p.revenue_share).collect();
        e.check(sharing::check_whole("parties.revenue_share", &revenue));
        if self.inventors_share.0 > sharing::WHOLE {
            e.push(FieldError::new(
                "inventors_share",
                "share_range",
                "发明人比例应在 0 到 100% 之间",
                "the inventors' part is between 0 and 100 %",
            ));
        }
        if self.inventors.len() > MAX_INVENTORS {
            e.push(FieldError::new(
                "inventors",
                "too_many",
                format!("发明人最多 {MAX_INVENTORS} 人"),
                format!("at most {MAX_INVENTORS} inventors"),
            ));
        }
        for (i, inv) in self.inventors.iter().enumerate() {
            if inv.name.trim().is_empty() || inv.name.chars().count() > 50 {
                e.push(FieldError::new(
                    format!("inventors[{i}].name"),
                    "required",
                    "请填写 1 到 50 字的发明人姓名",
                    "give the inventor's name (1–50 characters)",
                ));
            }
        }
        if self.inventors_share.0 > 0 {
            if self.inventors.is_empty() {
                e.push(FieldError::new(
                    "inventors",
                    "inventors_required",
                    "发明人比例大于 0 时请列出发明人",
                    "name the inventors when their part is above 0",
                ));
            } else {
                let shares: Vec<Share> = self.inventors.iter().map(|i| i.share).collect();
                e.check(sharing::check_whole("inventors.share", &shares));
            }
        }
        if self.ip_note.chars().count() > 2000 {
            e.push(FieldError::new("ip_note", "too_long", "说明最多 2000 字", "at most 2,000 characters"));
        }
        e.into_result()
    }
}

/// Who receives a ledger line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Beneficiary {
    /// A party (its index in the terms) for its own part.
    Party { index: usize },
    /// An inventor (index in the terms), paid from the college's part.
    Inventor { index: usize },
}

/// One line of an income's distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub beneficiary: Beneficiary,
    pub name: String,
    pub amount: Fen,
}

/// Distributes `income` by valid `terms`: one line per party (the college's line is what is left
/// to it after the inventors' pool) and one per inventor. The lines add up to `income` exactly.
pub fn distribute(income: Fen, terms: &Terms) -> Result<Vec<Line>, ValidationErrors> {
    terms.validate()?;
    if income.0 <= 0 {
        return Err(
            FieldError::new("amount", "money_positive", "收入金额必须大于 0", "the income must be above 0").into()
        );
    }
    let revenue: Vec<Share> = terms.parties.iter().map(|p| p.revenue_share).collect();
    let parts = sharing::distribute(income, &revenue)?;
    let mut lines = Vec::with_capacity(terms.parties.len() + terms.inventors.len());
    let mut inventor_lines = Vec::new();
    for (index, (party, part)) in terms.parties.iter().zip(parts).enumerate() {
        let mut own = part;
        if party.kind == PartyKind::College && terms.inventors_share.0 > 0 {
            let rest = Share(sharing::WHOLE - terms.inventors_share.0);
            let split = sharing::distribute(part, &[terms.inventors_share, rest])?;
            own = split[1];
            let shares: Vec<Share> = terms.inventors.iter().map(|i| i.share).collect();
            let paid = sharing::distribute(split[0], &shares)?;
            for (i, (inv, amount)) in terms.inventors.iter().zip(paid).enumerate() {
                inventor_lines.push(Line {
                    beneficiary: Beneficiary::Inventor { index: i },
                    name: inv.name.clone(),
                    amount,
                });
            }
        }
        lines.push(Line { beneficiary: Beneficiary::Party { index }, name: party.name.clone(), amount: own });
    }
    lines.extend(inventor_lines);
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pct(s: &str) -> Share {
        Share::parse_percent("s", s).expect("share")
    }

    fn terms(enterprise: &str, college: &str, inventors: &[&str]) -> Terms {
        let mut t = Terms::prefilled((1, "创智精密"), (2, "鹏城职院"));
        t.parties[0].revenue_share = pct(enterprise);
        t.parties[1].revenue_share = pct(college);
        t.inventors = inventors
            .iter()
            .enumerate()
            .map(|(i, s)| Inventor { account_id: None, name: format!("发明人{i}"), share: pct(s) })
            .collect();
        t
    }

    fn amounts(lines: &[Line]) -> Vec<i64> {
        lines.iter().map(|l| l.amount.0).collect()
    }

    #[test]
    fn the_prefilled_terms_halve_costs_and_revenue_and_give_inventors_the_legal_default() {
        let t = Terms::prefilled((1, "E"), (2, "C"));
        assert_eq!(t.inventors_share, Share(5_000));
        assert_eq!(
            t.parties.iter().map(|p| (p.cost_share.0, p.revenue_share.0)).collect::<Vec<_>>(),
            vec![(5_000, 5_000), (5_000, 5_000)]
        );
        let errors = t.validate().err().map(|e| e.0.into_iter().map(|f| f.rule).collect::<Vec<_>>());
        assert_eq!(errors, Some(vec!["inventors_required"]), "the inventors must still be named");
    }

    #[test]
    fn an_income_goes_to_the_parties_then_the_college_part_to_its_inventors() {
        // 10,000.01 yuan: enterprise 60 %, college 40 % = 4,000.00(4) → 4,000.00; the inventors
        // take 50 % of it = 2,000.00, split 2/3 and 1/3 by 66.67 % / 33.33 %.
        let t = terms("60", "40", &["66.67", "33.33"]);
        let lines = distribute(Fen(1_000_001), &t).expect("distributed");
        assert_eq!(amounts(&lines), vec![600_001, 200_000, 133_340, 66_660]);
        assert_eq!(lines[2].beneficiary, Beneficiary::Inventor { index: 0 });
        assert_eq!(amounts(&lines).iter().sum::<i64>(), 1_000_001);
    }

    #[test]
    fn a_fen_that_cannot_be_split_goes_by_largest_remainder() {
        // 1 fen among thirds: the first party takes it (ties go to the earlier party).
        let mut t = terms("33.34", "33.33", &["100"]);
        t.parties.push(Party {
            kind: PartyKind::Other,
            org_id: None,
            name: "市生产力促进中心".into(),
            cost_share: Share(0),
            revenue_share: pct("33.33"),
        });
        t.parties[0].cost_share = Share(10_000);
        t.parties[1].cost_share = Share(0);
        let lines = distribute(Fen(1), &t).expect("distributed");
        assert_eq!(amounts(&lines), vec![1, 0, 0, 0]);
    }

    #[test]
    fn shares_that_do_not_sum_to_100_are_refused_by_field() {
        let t = terms("60", "30", &["50", "40"]);
        let e = distribute(Fen(100), &t).expect_err("refused");
        let fields: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.rule)).collect();
        assert_eq!(fields, vec![("parties.revenue_share", "shares_sum"), ("inventors.share", "shares_sum")]);
        assert!(e.0[0].zh.contains("90.00%"), "{}", e.0[0].zh);
    }

    #[test]
    fn an_agreement_needs_exactly_one_college_and_at_least_two_parties() {
        let mut t = terms("50", "50", &["100"]);
        t.parties[0].kind = PartyKind::College;
        let rules: Vec<&str> = t.validate().err().map(|e| e.0.iter().map(|f| f.rule).collect()).unwrap_or_default();
        assert_eq!(rules, vec!["one_college"]);
        t.parties.truncate(1);
        t.parties[0].cost_share = Share(10_000);
        t.parties[0].revenue_share = Share(10_000);
        let rules: Vec<&str> = t.validate().err().map(|e| e.0.iter().map(|f| f.rule).collect()).unwrap_or_default();
        assert_eq!(rules, vec!["party_count"]);
    }

    #[test]
    fn no_inventors_are_needed_when_their_part_is_zero_and_the_college_keeps_its_part() {
        let mut t = terms("70", "30", &[]);
        t.inventors_share = Share(0);
        assert_eq!(amounts(&distribute(Fen(1_000), &t).expect("distributed")), vec![700, 300]);
    }

    #[test]
    fn a_zero_or_negative_income_is_refused() {
        let t = terms("50", "50", &["100"]);
        for v in [0, -5] {
            let e = distribute(Fen(v), &t).expect_err("refused");
            assert_eq!(e.0[0].field, "amount");
        }
    }

    fn shares_summing_to_whole(n: usize) -> impl Strategy<Value = Vec<Share>> {
        proptest::collection::vec(0u32..=sharing::WHOLE, n - 1).prop_map(move |mut cuts| {
            cuts.sort_unstable();
            let mut out = Vec::with_capacity(n);
            let mut prev = 0;
            for c in cuts {
                out.push(Share(c - prev));
                prev = c;
            }
            out.push(Share(sharing::WHOLE - prev));
            out
        })
    }

    proptest! {
        #[test]
        fn no_fen_is_created_or_lost_for_any_income_and_shares(
            income in 1i64..=i64::MAX / 2,
            parties in (2usize..=6).prop_flat_map(shares_summing_to_whole),
            college in 0usize..6,
            inventors_share in 0u32..=sharing::WHOLE,
            inventors in (1usize..=8).prop_flat_map(shares_summing_to_whole),
        ) {
            let college = college % parties.len();
            let t = Terms {
                parties: parties
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Party {
                        kind: if i == college { PartyKind::College } else { PartyKind::Enterprise },
                        org_id: None,
                        name: format!("p{i}"),
                        cost_share: *s,
                        revenue_share: *s,
                    })
                    .collect(),
                ip_ownership: IpOwnership::Joint,
                ip_note: String::new(),
                inventors_share: Share(inventors_share),
                inventors: inventors
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Inventor { account_id: None, name: format!("i{i}"), share: *s })
                    .collect(),
            };
            let lines = distribute(Fen(income), &t).expect("valid terms distribute");
            let total: i128 = lines.iter().map(|l| i128::from(l.amount.0)).sum();
            prop_assert_eq!(total, i128::from(income));
            prop_assert!(lines.iter().all(|l| l.amount.0 >= 0));
            // Each party's line (plus, for the college, its inventors') is within one fen of its
            // exact share of the income.
            for (i, p) in t.parties.iter().enumerate() {
                let mut got = i128::from(lines[i].amount.0);
                if p.kind == PartyKind::College && inventors_share > 0 {
                    got += lines[t.parties.len()..].iter().map(|l| i128::from(l.amount.0)).sum::<i128>();
                }
                let exact = i128::from(income) * i128::from(p.revenue_share.0);
                let whole = i128::from(sharing::WHOLE);
                prop_assert!((got * whole - exact).abs() < whole, "party {} got {} of {}", i, got, income);
            }
        }
    }
}

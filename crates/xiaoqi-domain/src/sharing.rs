//! Shares that sum to exactly 100 % and the distribution of an amount by them, exact to the fen.
//!
//! A share is held in basis points of a percent's hundredth: `Share(10_000)` is 100 %, so a
//! percentage with at most two decimals (`33.33`) is exact. An amount is split by the
//! **largest remainder** method: every party first gets the floor of its exact part, then the
//! fen left over (fewer than the number of parties) go one each to the parties with the largest
//! fractional remainders, ties to the earlier party. The parts therefore always add up to the
//! whole, and each part differs from its exact value by less than one fen.
//!
//! The law on promoting the transformation of scientific and technological results (《促进科技成果
//! 转化法》, 2015, 第四十五条) provides that, absent an agreement, at least 50 % of the net income
//! from licensing or transferring a result goes to the people who made it;
//! [`INVENTORS_DEFAULT`] pre-fills that split and stays editable.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::money::Fen;

/// 100 %, in hundredths of a percent.
pub const WHOLE: u32 = 10_000;

/// The inventors' default part of a college's net income from a licence or transfer: 50 %.
pub const INVENTORS_DEFAULT: Share = Share(5_000);

/// A share in hundredths of a percent (0–10,000).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Share(pub u32);

impl Share {
    /// Parses a percentage such as `50`, `33.33` or `12.5` (0–100, at most two decimals).
    pub fn parse_percent(field: &str, input: &str) -> Result<Share, FieldError> {
        let bad = || {
            FieldError::new(
                field,
                "share_format",
                format!("比例应为 0 到 100 之间、最多两位小数的百分数：“{}”", input.trim()),
                format!("a share is a percentage from 0 to 100 with at most two decimals: \"{}\"", input.trim()),
            )
        };
        let s = input.trim().trim_end_matches('%').trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || int.len() > 3 || !int.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
            return Err(bad());
        }
        let int: u32 = int.parse().map_err(|_| bad())?;
        let frac: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let v = int.checked_mul(100).and_then(|v| v.checked_add(frac)).ok_or_else(bad)?;
        if v > WHOLE {
            return Err(bad());
        }
        Ok(Share(v))
    }

    /// As a percentage with two decimals, e.g. `33.33`.
    pub fn to_percent_string(self) -> String {
        crate::decimal::hundredths(i64::from(self.0))
    }
}

/// Checks that shares sum to exactly 100 % (and there is at least one).
pub fn check_whole(field: &str, shares: &[Share]) -> Result<(), FieldError> {
    let sum: u64 = shares.iter().map(|s| u64::from(s.0)).sum();
    if shares.is_empty() || sum != u64::from(WHOLE) {
        let got = Share(u32::try_from(sum).unwrap_or(u32::MAX)).to_percent_string();
        return Err(FieldError::new(
            field,
            "shares_sum",
            format!("各方比例之和必须恰好为 100%，现在是 {got}%"),
            format!("the shares must add up to exactly 100 %, not {got} %"),
        ));
    }
    Ok(())
}

/// Splits a non-negative `amount` by `shares` (which must sum to 100 %): the parts add up to
/// exactly `amount`, each within one fen of its exact value (largest remainder, ties to the
/// earlier party).
pub fn distribute(amount: Fen, shares: &[Share]) -> Result<Vec<Fen>, FieldError> {
    check_whole("shares", shares)?;
    if amount.0 < 0 {
        return Err(FieldError::new("amount", "money_negative", "金额不能为负数", "the amount must not be negative"));
    }
    let total = i128::from(amount.0);
    let whole = i128::from(WHOLE);
    let mut parts: Vec<i128> = Vec::with_capacity(shares.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(shares.len());
    for (i, s) in shares.iter().enumerate() {
        let exact = total * i128::from(s.0);
        parts.push(exact / whole);
        remainders.push((exact % whole, i));
    }
    let given: i128 = parts.iter().sum();
    let left = usize::try_from(total - given).unwrap_or(0);
    // Largest remainder first; among equal remainders the earlier party first.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left) {
        parts[i] += 1;
    }
    parts
        .into_iter()
        .map(|p| i64::try_from(p).map(Fen))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| FieldError::new("amount", "money_overflow", "金额过大", "the amount is too large"))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pct(s: &str) -> Share {
        Share::parse_percent("share", s).expect(s)
    }

    #[test]
    fn percentages_parse_exactly_and_refuse_bad_input() {
        assert_eq!(pct("50"), Share(5_000));
        assert_eq!(pct("33.33"), Share(3_333));
        assert_eq!(pct("12.5%"), Share(1_250));
        assert_eq!(pct("100"), Share(WHOLE));
        assert_eq!(pct("0"), Share(0));
        for bad in ["", "100.01", "101", "-1", "12.345", "1e2", "abc", "12.", ".5", "１２"] {
            assert!(Share::parse_percent("share", bad).is_err(), "{bad:?}");
        }
        assert_eq!(Share(3_333).to_percent_string(), "33.33");
    }

    #[test]
    fn shares_must_sum_to_exactly_one_hundred_percent() {
        assert!(check_whole("s", &[pct("50"), pct("30"), pct("20")]).is_ok());
        let e = check_whole("s", &[pct("33.33"), pct("33.33"), pct("33.33")]).expect_err("99.99 %");
        assert_eq!(e.rule, "shares_sum");
        assert!(e.zh.contains("99.99"));
        assert!(check_whole("s", &[pct("60"), pct("50")]).is_err(), "110 %");
        assert!(check_whole("s", &[]).is_err(), "nobody");
    }

    #[test]
    fn one_yuan_split_three_ways_gives_the_extra_fen_to_the_earliest_largest_remainder() {
        let thirds = [pct("33.34"), pct("33.33"), pct("33.33")];
        assert_eq!(distribute(Fen(100), &thirds).expect("ok"), vec![Fen(34), Fen(33), Fen(33)]);
        // 1 fen by 50/50: the remainders tie; the earlier party gets it.
        assert_eq!(distribute(Fen(1), &[pct("50"), pct("50")]).expect("ok"), vec![Fen(1), Fen(0)]);
        // 10.01 yuan by 70/30: exact parts 700.7 and 300.3 → 701 and 300.
        assert_eq!(distribute(Fen(1_001), &[pct("70"), pct("30")]).expect("ok"), vec![Fen(701), Fen(300)]);
        assert!(distribute(Fen(-1), &[pct("100")]).is_err());
        assert!(distribute(Fen(100), &[pct("99")]).is_err());
        assert_eq!(distribute(Fen(i64::MAX), &[pct("50"), pct("50")]).expect("no overflow").len(), 2);
    }

    fn shares_summing_to_whole() -> impl Strategy<Value = Vec<Share>> {
        prop::collection::vec(0u32..=WHOLE, 1..8).prop_map(|cuts| {
            // Cut 0..=WHOLE at sorted points: the gaps sum to exactly WHOLE.
            let mut points: Vec<u32> = cuts;
            points.sort_unstable();
            let mut out = Vec::with_capacity(points.len() + 1);
            let mut prev = 0;
            for p in points {
                out.push(Share(p - prev));
                prev = p;
            }
            out.push(Share(WHOLE - prev));
            out
        })
    }

    proptest! {
        #[test]
        fn no_fen_is_created_or_lost_for_any_amount_and_shares(amount in 0i64..=i64::MAX, shares in shares_summing_to_whole()) {
            let parts = distribute(Fen(amount), &shares).expect("valid shares");
            prop_assert_eq!(parts.len(), shares.len());
            let sum: i128 = parts.iter().map(|p| i128::from(p.0)).sum();
            prop_assert_eq!(sum, i128::from(amount));
            for (p, s) in parts.iter().zip(&shares) {
                // Each part is within one fen of its exact value: |p·W − a·s| < W.
                let diff = i128::from(p.0) * i128::from(WHOLE) - i128::from(amount) * i128::from(s.0);
                prop_assert!(diff.abs() < i128::from(WHOLE), "part {} for share {} of {}", p.0, s.0, amount);
                prop_assert!(p.0 >= 0);
            }
        }

        #[test]
        fn nested_shares_still_add_up(amount in 0i64..=1_000_000_000_000, outer in shares_summing_to_whole(), inner in shares_summing_to_whole()) {
            // A party's part split again (a college's part among its inventors) keeps every fen.
            let parts = distribute(Fen(amount), &outer).expect("valid");
            let again = distribute(parts[0], &inner).expect("valid");
            let sum: i64 = again.iter().map(|p| p.0).sum::<i64>() + parts[1..].iter().map(|p| p.0).sum::<i64>();
            prop_assert_eq!(sum, amount);
        }

        #[test]
        fn parsing_any_text_never_panics(s in "\\PC{0,12}") {
            let _ = Share::parse_percent("share", &s);
        }
    }
}

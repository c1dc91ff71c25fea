//! Exact amounts of Chinese yuan (CNY), held as integer fen (分); no floating point anywhere.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// Number of fen in one yuan (元).
pub const FEN_PER_YUAN: i64 = 100;

/// Number of fen in one wan yuan (万元 = 10,000 yuan).
pub const FEN_PER_WAN: i64 = 1_000_000;

/// An exact CNY amount in fen (1 yuan = 100 fen); serialized as the integer number of fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// Parses a non-negative yuan amount such as `1234.5` or `1,234.50` (at most two decimals).
    pub fn parse_yuan(field: &str, input: &str) -> Result<Fen, FieldError> {
        let s = input.trim();
        if s.starts_with('-') {
            return Err(FieldError::new(
                field,
                "money_negative",
                format!("金额不能为负数（money_negative）：“{s}”"),
                format!("The amount must not be negative (money_negative): \"{s}\""),
            ));
        }
        let format_error = || {
            FieldError::new(
                field,
                "money_format",
                format!("金额格式不正确（money_format）：“{s}”，应为数字，如 1234.50 或 1,234.50"),
                format!(
                    "The amount is not a valid number (money_format): \"{s}\"; \
                     expected e.g. 1234.50 or 1,234.50"
                ),
            )
        };
        let overflow_error = || {
            FieldError::new(
                field,
                "money_overflow",
                format!("金额过大，超出可表示范围（money_overflow）：“{s}”"),
                format!("The amount is too large to be represented (money_overflow): \"{s}\""),
            )
        };
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        if !valid_integer_part(int_part) {
            return Err(format_error());
        }
        let frac = match frac_part {
            None => "",
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(format_error());
            }
            Some(f) if f.len() > 2 => {
                return Err(FieldError::new(
                    field,
                    "money_too_many_decimals",
                    format!("金额最多保留两位小数（money_too_many_decimals）：“{s}”"),
                    format!(
                        "The amount may have at most two decimal places \
                         (money_too_many_decimals): \"{s}\""
                    ),
                ));
            }
            Some(f) => f,
        };
        let mut yuan: i64 = 0;
        for b in int_part.bytes().filter(u8::is_ascii_digit) {
            yuan = yuan.checked_mul(10).and_then(|v| v.checked_add(i64::from(b - b'0'))).ok_or_else(overflow_error)?;
        }
        let mut cents: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            let digit = i64::from(b - b'0');
            cents += if i == 0 { digit * 10 } else { digit };
        }
        yuan.checked_mul(FEN_PER_YUAN).and_then(|v| v.checked_add(cents)).map(Fen).ok_or_else(overflow_error)
    }

    /// The amount of `wan` 万元 (10,000 yuan each), or `None` if it would overflow.
    pub fn from_wan(wan: i64) -> Option<Fen> {
        wan.checked_mul(FEN_PER_WAN).map(Fen)
    }

    /// The amount in yuan with exactly two decimals and no separators, e.g. `1234.50`.
    pub fn to_yuan_string(self) -> String {
        let (sign, yuan, cents) = self.parts();
        format!("{sign}{yuan}.{cents:02}")
    }

    /// The amount as people read it, the one money format of every page and message:
    /// `¥4,200.00` (`-¥12.50` when negative).
    pub fn to_cny_string(self) -> String {
        let (sign, yuan, cents) = self.parts();
        format!("{sign}¥{}.{cents:02}", group_thousands(&yuan.to_string()))
    }

    /// The sum of two amounts, or `None` on overflow.
    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    /// The difference of two amounts, or `None` on overflow.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// Sign, whole yuan and remaining fen of the amount (works for `i64::MIN` too).
    fn parts(self) -> (&'static str, u64, u64) {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        (sign, abs / 100, abs % 100)
    }
}

/// Whether `s` is a non-empty run of digits, optionally grouped by thousands with `,`.
fn valid_integer_part(s: &str) -> bool {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !s.contains(',') {
        return true;
    }
    let mut groups = s.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

/// Inserts `,` between every three digits of a run of ASCII digits.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Fen {
    /// Formats as yuan with two decimals and thousands separators, e.g. `1,234.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sign, yuan, cents) = self.parts();
        write!(f, "{sign}{}.{cents:02}", group_thousands(&yuan.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<Fen, FieldError> {
        Fen::parse_yuan("amount", s)
    }

    fn rule(s: &str) -> &'static str {
        parse(s).err().map_or("ok", |e| e.rule)
    }

    #[test]
    fn parses_whole_and_decimal_yuan_exactly() {
        assert_eq!(parse("1234.5"), Ok(Fen(123_450)));
        assert_eq!(parse("1234.56"), Ok(Fen(123_456)));
        assert_eq!(parse("1234"), Ok(Fen(123_400)));
        assert_eq!(parse(" 0.07 "), Ok(Fen(7)));
        assert_eq!(parse("0"), Ok(Fen(0)));
    }

    #[test]
    fn accepts_well_placed_thousands_separators_only() {
        assert_eq!(parse("1,234.50"), Ok(Fen(123_450)));
        assert_eq!(parse("12,345,678"), Ok(Fen(1_234_567_800)));
        assert_eq!(rule("1,23"), "money_format");
        assert_eq!(rule("1234,567"), "money_format");
        assert_eq!(rule(",123"), "money_format");
    }

    #[test]
    fn rejects_more_than_two_decimals() {
        assert_eq!(rule("1.234"), "money_too_many_decimals");
        assert_eq!(rule("1.500"), "money_too_many_decimals");
    }

    #[test]
    fn rejects_negative_amounts() {
        assert_eq!(rule("-1"), "money_negative");
        assert_eq!(rule(" -0.01"), "money_negative");
    }

    #[test]
    fn rejects_non_numbers() {
        for s in ["", "abc", "1.2.3", "1.", ".5", "1e5", "+1", "１２", "12 3", "1.a"] {
            assert_eq!(rule(s), "money_format", "{s:?}");
        }
    }

    #[test]
    fn rejects_amounts_beyond_i64() {
        assert_eq!(parse("92233720368547758.07"), Ok(Fen(i64::MAX)));
        assert_eq!(rule("92233720368547758.08"), "money_overflow");
        assert_eq!(rule("99999999999999999999999"), "money_overflow");
    }

    #[test]
    fn error_messages_name_the_rule_in_both_languages() {
        let e = parse("1.234").err().map(|e| (e.zh, e.en, e.field));
        let (zh, en, field) = e.unwrap_or_default();
        assert!(zh.contains("两位小数") && zh.contains("money_too_many_decimals"));
        assert!(en.contains("two decimal places") && en.contains("money_too_many_decimals"));
        assert_eq!(field, "amount");
    }

    #[test]
    fn displays_with_thousands_separators_and_two_decimals() {
        assert_eq!(Fen(123_450).to_string(), "1,234.50");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(100_000_000).to_string(), "1,000,000.00");
        assert_eq!(Fen(-123_450).to_string(), "-1,234.50");
        assert_eq!(Fen(i64::MIN).to_string(), "-92,233,720,368,547,758.08");
    }

    #[test]
    fn amounts_read_by_people_carry_the_sign_the_yuan_mark_and_thousands_separators() {
        assert_eq!(Fen(420_000).to_cny_string(), "¥4,200.00");
        assert_eq!(Fen(5).to_cny_string(), "¥0.05");
        assert_eq!(Fen(-1_250).to_cny_string(), "-¥12.50");
        assert_eq!(Fen(12_345_678_900).to_cny_string(), "¥123,456,789.00");
    }

    #[test]
    fn yuan_string_has_no_separators() {
        assert_eq!(Fen(123_450).to_yuan_string(), "1234.50");
        assert_eq!(Fen(0).to_yuan_string(), "0.00");
        assert_eq!(Fen(-1).to_yuan_string(), "-0.01");
    }

    #[test]
    fn from_wan_is_checked() {
        assert_eq!(Fen::from_wan(3), Some(Fen(3_000_000)));
        assert_eq!(Fen::from_wan(i64::MAX / 1_000_000 + 1), None);
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        assert_eq!(Fen(1).checked_add(Fen(2)), Some(Fen(3)));
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(1).checked_sub(Fen(3)), Some(Fen(-2)));
        assert_eq!(Fen(i64::MIN).checked_sub(Fen(1)), None);
    }

    proptest! {
        #[test]
        fn parsing_the_yuan_string_round_trips(x in 0..=i64::MAX) {
            prop_assert_eq!(parse(&Fen(x).to_yuan_string()), Ok(Fen(x)));
            prop_assert_eq!(parse(&Fen(x).to_string()), Ok(Fen(x)));
        }
    }
}

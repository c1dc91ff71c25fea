//! Exact fixed-point numbers as text: the one formatter of hundredths (grades, percentages,
//! shares), thousandths (weighted scores) and tenths (hours) on every page and in every message.

/// `v` units of 10^−`places` with exactly `places` decimals: `fixed(8550, 2)` is `85.50`,
/// `fixed(-150, 2)` is `-1.50`.
pub fn fixed(v: i64, places: u32) -> String {
    let scale = 10u64.pow(places);
    let abs = v.unsigned_abs();
    let sign = if v < 0 { "-" } else { "" };
    if places == 0 {
        return format!("{sign}{abs}");
    }
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = places as usize)
}

/// Hundredths with two decimals: `8550` is `85.50`.
pub fn hundredths(v: i64) -> String {
    fixed(v, 2)
}

/// `v` units of 10^−`places` without trailing zeros: `trimmed(87300, 3)` is `87.3`,
/// `trimmed(120, 1)` is `12`.
pub fn trimmed(v: i64, places: u32) -> String {
    let s = fixed(v, places);
    if places == 0 {
        return s;
    }
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hundredths_have_two_decimals_and_a_sign() {
        assert_eq!(hundredths(8550), "85.50");
        assert_eq!(hundredths(5), "0.05");
        assert_eq!(hundredths(-150), "-1.50");
        assert_eq!(hundredths(-5), "-0.05");
        assert_eq!(hundredths(i64::MIN), "-92233720368547758.08");
    }

    #[test]
    fn trimmed_drops_only_trailing_zeros() {
        assert_eq!(trimmed(87_300, 3), "87.3");
        assert_eq!(trimmed(87_345, 3), "87.345");
        assert_eq!(trimmed(120, 1), "12");
        assert_eq!(trimmed(125, 1), "12.5");
        assert_eq!(trimmed(-1_000, 3), "-1");
        assert_eq!(trimmed(100, 0), "100");
    }
}

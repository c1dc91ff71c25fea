//! Instants stored as i64 milliseconds since the Unix epoch (UTC), shown in Asia/Shanghai time.
//! The domain reads no clock: rules that depend on the time take it as an argument (the app
//! owns the clock, `xiaoqi_app::clock`).

use serde::{Serialize, Serializer};

use crate::error::FieldError;

const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_DAY: i64 = 86_400_000;

/// Offset of Asia/Shanghai from UTC: a fixed +08:00, because China has observed no daylight
/// saving time since 1991 (and the platform only deals with later instants).
const SHANGHAI_OFFSET_MS: i64 = 8 * 60 * MS_PER_MINUTE;

/// An instant as milliseconds since 1970-01-01T00:00:00Z; serialized as an RFC 3339 UTC string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// A civil date and time of day, split out of a millisecond count.
struct Parts {
    year: i64,
    month: u32,
    day: u32,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
}

impl Timestamp {
    /// Local time in Asia/Shanghai (UTC+8) as `YYYY-MM-DD HH:MM`, e.g. `2026-11-27 08:05`.
    pub fn format_shanghai(&self) -> String {
        let p = self.parts(SHANGHAI_OFFSET_MS);
        format!("{}-{:02}-{:02} {:02}:{:02}", fmt_year(p.year), p.month, p.day, p.hour, p.minute)
    }

    /// Local date in Asia/Shanghai (UTC+8) as `YYYY-MM-DD`, e.g. `2026-11-27`.
    pub fn format_shanghai_date(&self) -> String {
        let p = self.parts(SHANGHAI_OFFSET_MS);
        format!("{}-{:02}-{:02}", fmt_year(p.year), p.month, p.day)
    }

    /// The instant in UTC as RFC 3339 with milliseconds, e.g. `2026-11-27T00:05:00.000Z`.
    pub fn to_rfc3339_utc(&self) -> String {
        let p = self.parts(0);
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            fmt_year(p.year),
            p.month,
            p.day,
            p.hour,
            p.minute,
            p.second,
            p.milli
        )
    }

    /// Local time in Asia/Shanghai as `YYYY-MM-DDTHH:MM`, the value of an
    /// `<input type="datetime-local">` (and accepted back by [`Timestamp::parse`]).
    pub fn format_shanghai_input(&self) -> String {
        let p = self.parts(SHANGHAI_OFFSET_MS);
        format!("{}-{:02}-{:02}T{:02}:{:02}", fmt_year(p.year), p.month, p.day, p.hour, p.minute)
    }

    /// Parses a date and time typed by a person or sent by a client: `2026-03-01 09:00` or
    /// `2026-03-01T09:00` (seconds optional) in Asia/Shanghai time, or RFC 3339 with `Z` or an
    /// offset (`2026-03-01T01:00:00Z`, `…+08:00`). Years 2000 to 2100 only.
    pub fn parse(field: &str, input: &str) -> Result<Timestamp, FieldError> {
        let s = input.trim();
        let err = || {
            FieldError::new(
                field,
                "datetime_format",
                format!("日期时间格式不正确（datetime_format）：“{s}”，应为 2026-03-01 09:00（北京时间）"),
                format!(
                    "The date and time are not valid (datetime_format): \"{s}\"; expected e.g. \
                     2026-03-01 09:00 (Beijing time)"
                ),
            )
        };
        let b = s.as_bytes();
        if b.len() < 16 || !matches!(b[10], b'T' | b't' | b' ') {
            return Err(err());
        }
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = s.get(from..from + len)?;
            if part.bytes().all(|c| c.is_ascii_digit()) { part.parse().ok() } else { None }
        };
        let sep = |at: usize, c: u8| b.get(at) == Some(&c);
        if !(sep(4, b'-') && sep(7, b'-') && sep(13, b':')) {
            return Err(err());
        }
        let (Some(year), Some(month), Some(day), Some(hour), Some(minute)) =
            (num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2))
        else {
            return Err(err());
        };
        let mut rest = &s[16..];
        let mut second = 0;
        if let Some(r) = rest.strip_prefix(':') {
            second = r
                .get(..2)
                .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|d| d.parse().ok())
                .ok_or_else(err)?;
            rest = &r[2..];
            if let Some(frac) = rest.strip_prefix('.') {
                let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    return Err(err());
                }
                rest = &frac[digits..];
            }
        }
        let offset_ms = match rest {
            "" => SHANGHAI_OFFSET_MS,
            "Z" | "z" => 0,
            zone => {
                let zb = zone.as_bytes();
                let sign = match zb.first() {
                    Some(b'+') => 1,
                    Some(b'-') => -1,
                    _ => return Err(err()),
                };
                let hh = zone
                    .get(1..3)
                    .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                    .and_then(|d| d.parse::<i64>().ok());
                let mm = zone
                    .get(4..6)
                    .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                    .and_then(|d| d.parse::<i64>().ok());
                match (hh, mm, zb.get(3), zb.len()) {
                    (Some(h), Some(m), Some(b':'), 6) if h < 24 && m < 60 => sign * (h * 60 + m) * MS_PER_MINUTE,
                    _ => return Err(err()),
                }
            }
        };
        let month_u = u32::try_from(month).map_err(|_| err())?;
        let day_u = u32::try_from(day).map_err(|_| err())?;
        let days = days_from_civil(year, month_u, day_u);
        let valid_date = (1..=12).contains(&month) && civil_from_days(days) == (year, month_u, day_u);
        if !valid_date || hour > 23 || minute > 59 || second > 59 {
            return Err(err());
        }
        if !(2000..=2100).contains(&year) {
            return Err(FieldError::new(
                field,
                "datetime_range",
                format!("年份须在 2000 到 2100 之间（datetime_range）：“{s}”"),
                format!("The year must be between 2000 and 2100 (datetime_range): \"{s}\""),
            ));
        }
        let local = days * MS_PER_DAY + (hour * 60 + minute) * MS_PER_MINUTE + second * 1000;
        Ok(Timestamp(local - offset_ms))
    }

    /// Splits the instant shifted by `offset_ms` (0 ≤ offset < one day) into civil fields.
    fn parts(&self, offset_ms: i64) -> Parts {
        let mut days = self.0.div_euclid(MS_PER_DAY);
        let mut ms = self.0.rem_euclid(MS_PER_DAY) + offset_ms;
        if ms >= MS_PER_DAY {
            ms -= MS_PER_DAY;
            days += 1;
        }
        let (year, month, day) = civil_from_days(days);
        Parts {
            year,
            month,
            day,
            hour: ms / 3_600_000,
            minute: ms / MS_PER_MINUTE % 60,
            second: ms / 1000 % 60,
            milli: ms % 1000,
        }
    }
}

/// A year with at least four digits and a sign only when negative.
fn fmt_year(year: i64) -> String {
    let sign = if year < 0 { "-" } else { "" };
    format!("{sign}{:04}", year.unsigned_abs())
}

/// The proleptic Gregorian date `(year, month 1–12, day 1–31)` of a day count since 1970-01-01.
///
/// Howard Hinnant's `civil_from_days` (<https://howardhinnant.github.io/date_algorithms.html>);
/// exact for every day count a millisecond `i64` can reach.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11], March-based month
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both values are within small ranges established above, so the conversions cannot fail.
    (year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

/// The day count since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
///
/// Exact for valid dates; out-of-range input saturates instead of overflowing.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year.saturating_sub(1) } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let mp = if m > 2 { m - 3 } else { m + 9 }; // [0, 11]
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era.saturating_mul(146_097).saturating_add(doe - 719_468)
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339_utc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::fmt;

    /// Renders a value through serde's `Formatter` serializer, which writes strings verbatim.
    struct Ser<'a, T>(&'a T);
    impl<T: Serialize> fmt::Display for Ser<'_, T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.serialize(f)
        }
    }

    #[test]
    fn epoch_is_eight_in_the_morning_in_shanghai() {
        let t = Timestamp(0);
        assert_eq!(t.format_shanghai(), "1970-01-01 08:00");
        assert_eq!(t.format_shanghai_date(), "1970-01-01");
        assert_eq!(t.to_rfc3339_utc(), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn known_instant_formats_in_utc_and_shanghai() {
        let t = Timestamp(1_700_000_000_000);
        assert_eq!(t.to_rfc3339_utc(), "2023-11-14T22:13:20.000Z");
        assert_eq!(t.format_shanghai(), "2023-11-15 06:13");
        assert_eq!(t.format_shanghai_date(), "2023-11-15");
    }

    #[test]
    fn shanghai_date_rolls_over_at_sixteen_utc() {
        let midnight_utc = days_from_civil(2026, 11, 26) * MS_PER_DAY;
        let before = Timestamp(midnight_utc + 16 * 3_600_000 - 1);
        let at = Timestamp(midnight_utc + 16 * 3_600_000);
        assert_eq!(before.format_shanghai(), "2026-11-26 23:59");
        assert_eq!(at.format_shanghai(), "2026-11-27 00:00");
        let t = Timestamp(days_from_civil(2026, 11, 27) * MS_PER_DAY + 5 * MS_PER_MINUTE);
        assert_eq!(t.format_shanghai(), "2026-11-27 08:05");
        assert_eq!(t.to_rfc3339_utc(), "2026-11-27T00:05:00.000Z");
    }

    #[test]
    fn negative_timestamps_fall_before_the_epoch() {
        assert_eq!(Timestamp(-1).to_rfc3339_utc(), "1969-12-31T23:59:59.999Z");
        assert_eq!(Timestamp(-1).format_shanghai(), "1970-01-01 07:59");
        assert_eq!(Timestamp(-MS_PER_DAY).to_rfc3339_utc(), "1969-12-31T00:00:00.000Z");
    }

    #[test]
    fn leap_days_are_handled() {
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29) + 1), (2024, 3, 1));
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 28) + 1), (2000, 2, 29));
        assert_eq!(civil_from_days(days_from_civil(1900, 2, 28) + 1), (1900, 3, 1));
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 1), 29);
    }

    #[test]
    fn extreme_timestamps_do_not_panic() {
        assert!(Timestamp(i64::MAX).to_rfc3339_utc().ends_with('Z'));
        assert!(!Timestamp(i64::MIN).format_shanghai().is_empty());
        assert!(days_from_civil(i64::MAX, 12, 31) > 0);
        assert!(days_from_civil(i64::MIN, 1, 1) < 0);
        assert!(civil_from_days(i64::MAX).0 > 0 && civil_from_days(i64::MIN).0 < 0);
    }

    #[test]
    fn serializes_as_rfc3339_utc_string() {
        let t = Timestamp(1_700_000_000_123);
        assert_eq!(Ser(&t).to_string(), "2023-11-14T22:13:20.123Z");
    }

    #[test]
    fn parses_local_shanghai_and_rfc3339_times() {
        let want = Timestamp(days_from_civil(2026, 3, 1) * MS_PER_DAY + MS_PER_MINUTE * 60); // 01:00Z
        assert_eq!(Timestamp::parse("t", "2026-03-01 09:00"), Ok(want));
        assert_eq!(Timestamp::parse("t", "2026-03-01T09:00"), Ok(want));
        assert_eq!(Timestamp::parse("t", " 2026-03-01T09:00:00 "), Ok(want));
        assert_eq!(Timestamp::parse("t", "2026-03-01T01:00:00Z"), Ok(want));
        assert_eq!(Timestamp::parse("t", "2026-03-01T01:00:00.000Z"), Ok(want));
        assert_eq!(Timestamp::parse("t", "2026-03-01T09:00:00+08:00"), Ok(want));
        assert_eq!(Timestamp::parse("t", "2026-02-28T20:00:00-05:00"), Ok(want));
        assert_eq!(want.format_shanghai_input(), "2026-03-01T09:00");
        assert_eq!(Timestamp::parse("t", &want.format_shanghai_input()), Ok(want));
    }

    #[test]
    fn refuses_malformed_or_impossible_times_by_rule() {
        let rule = |s: &str| Timestamp::parse("when", s).err().map_or("ok", |e| e.rule);
        for bad in [
            "",
            "2026-03-01",
            "2026-3-1 09:00",
            "2026-02-30 09:00",
            "2026-13-01 09:00",
            "2026-03-01 24:00",
            "2026-03-01 09:60",
            "2026-03-01 09:00:61",
            "2026-03-01 09:00+0800",
            "2026-03-01 09:00 Z",
            "2026-03-01x09:00",
            "２０２６-03-01 09:00",
            "2026-03-01 09:00:00.",
        ] {
            assert_eq!(rule(bad), "datetime_format", "{bad:?}");
        }
        assert_eq!(rule("1999-12-31 23:59"), "datetime_range");
        assert_eq!(rule("2101-01-01 00:00"), "datetime_range");
        let e = Timestamp::parse("scheduled_start", "nope").err().map(|e| (e.field, e.zh, e.en)).unwrap_or_default();
        assert_eq!(e.0, "scheduled_start");
        assert!(e.1.contains("北京时间") && e.2.contains("Beijing time"));
    }

    proptest! {
        #[test]
        fn days_to_civil_to_days_round_trips(
            days in (i64::MIN / MS_PER_DAY - 1)..=(i64::MAX / MS_PER_DAY + 1)
        ) {
            let (y, m, d) = civil_from_days(days);
            prop_assert!((1..=12).contains(&m));
            prop_assert!((1..=31).contains(&d));
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn consecutive_days_are_consecutive_dates(days in -2_000_000i64..2_000_000) {
            let (y0, m0, d0) = civil_from_days(days);
            let (y1, m1, d1) = civil_from_days(days + 1);
            let next_in_month = (y1, m1, d1) == (y0, m0, d0 + 1);
            let new_month = d1 == 1 && ((y1, m1) == (y0, m0 + 1) || (y1, m1, m0) == (y0 + 1, 1, 12));
            prop_assert!(next_in_month || new_month);
        }
    }
}

/// A calendar date as days since 1970-01-01 (no time of day, no zone), e.g. a start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    /// Parses `YYYY-MM-DD` (years 1900–2999), refusing impossible dates such as `2026-02-30`.
    pub fn parse(field: &str, input: &str) -> Result<Date, crate::FieldError> {
        let bad = || {
            crate::FieldError::new(
                field,
                "date",
                "日期格式应为 YYYY-MM-DD 且为真实日期",
                "must be a real date written YYYY-MM-DD",
            )
        };
        let s = input.trim();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| s.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit()));
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return Err(bad()) };
        let (y, m, d): (i64, u32, u32) = match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => (y, m, d),
            _ => return Err(bad()),
        };
        if !(1900..=2999).contains(&y) || !(1..=12).contains(&m) || d == 0 {
            return Err(bad());
        }
        let days = days_from_civil(y, m, d);
        if civil_from_days(days) != (y, m, d) {
            return Err(bad());
        }
        Ok(Date(days))
    }

    /// The date in Asia/Shanghai on which an instant falls.
    pub fn shanghai_of(t: Timestamp) -> Date {
        Date((t.0.saturating_add(SHANGHAI_OFFSET_MS)).div_euclid(MS_PER_DAY))
    }

    /// `YYYY-MM-DD`.
    pub fn format(&self) -> String {
        let (y, m, d) = civil_from_days(self.0);
        format!("{}-{m:02}-{d:02}", fmt_year(y))
    }

    /// The calendar quarter as `YYYY-Qn`, e.g. `2026-Q4`.
    pub fn quarter(&self) -> String {
        let (y, m, _) = civil_from_days(self.0);
        format!("{}-Q{}", fmt_year(y), (m - 1) / 3 + 1)
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn dates_parse_and_format_round_trip_and_impossible_dates_are_refused() {
        let d = Date::parse("start_date", "2026-12-01").expect("valid");
        assert_eq!(d.format(), "2026-12-01");
        assert_eq!(d.quarter(), "2026-Q4");
        assert_eq!(Date::parse("f", "2024-02-29").map(|d| d.format()).ok().as_deref(), Some("2024-02-29"));
        for bad in
            ["2026-02-30", "2025-02-29", "2026-13-01", "26-01-01", "2026/01/01", "", "２０２６-01-01", "1899-12-31"]
        {
            let e = Date::parse("start_date", bad).expect_err(bad);
            assert_eq!(e.field, "start_date");
        }
    }

    #[test]
    fn the_shanghai_date_turns_at_sixteen_hundred_utc() {
        // 2026-11-26T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 27th there.
        let before = Timestamp(days_from_civil(2026, 11, 26) * MS_PER_DAY + 15 * 3_600_000 + 3_599_000);
        assert_eq!(Date::shanghai_of(before).format(), "2026-11-26");
        assert_eq!(Date::shanghai_of(Timestamp(before.0 + 1000)).format(), "2026-11-27");
    }
}

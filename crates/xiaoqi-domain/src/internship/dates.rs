//! Ages and periods in calendar terms: full years of age on a day, and the last day of a period
//! of months.

use crate::time::{Date, civil_from_days, days_from_civil};

/// Full years of age on `on` of someone born on `birth`; negative before the birth.
///
/// The birthday itself counts (on the 16th birthday one is 16). Someone born on 29 February is a
/// year older on 1 March in common years: the later of the two usual readings, which errs on the
/// protective side of both the minimum age and the guardian-consent age.
pub fn age_on(birth: Date, on: Date) -> i64 {
    let (by, bm, bd) = civil_from_days(birth.0);
    let (y, m, d) = civil_from_days(on.0);
    let years = y.saturating_sub(by);
    if (m, d) < birthday_in(y, bm, bd) { years.saturating_sub(1) } else { years }
}

/// The day someone born on `birth` reaches `years` full years (see [`age_on`]).
pub fn date_of_age(birth: Date, years: u32) -> Date {
    let (by, bm, bd) = civil_from_days(birth.0);
    let y = by.saturating_add(i64::from(years));
    let (m, d) = birthday_in(y, bm, bd);
    Date(days_from_civil(y, m, d))
}

/// The month and day of a birthday in `year`: 29 February becomes 1 March in common years.
fn birthday_in(year: i64, month: u32, day: u32) -> (u32, u32) {
    if (month, day) == (2, 29) && days_in_month(year, 2) == 28 { (3, 1) } else { (month, day) }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let first = days_from_civil(year, month, 1);
    let next =
        if month == 12 { days_from_civil(year.saturating_add(1), 1, 1) } else { days_from_civil(year, month + 1, 1) };
    u32::try_from(next.saturating_sub(first)).unwrap_or(31)
}

/// The last day of a period of `months` calendar months starting on `start` (inclusive).
///
/// The day before the same day of the month `months` later (1 March → 31 August for six months);
/// when that month has no such day, its last day (31 August → 28 February), in the manner of
/// 《民法典》第二百零二条 ("没有对应日的，月末日为期间的最后一日").
pub fn period_last_day(start: Date, months: u32) -> Date {
    let (y, m, d) = civil_from_days(start.0);
    let total = y.saturating_mul(12).saturating_add(i64::from(m) - 1).saturating_add(i64::from(months));
    let (ny, nm) = (total.div_euclid(12), u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1);
    let dim = days_in_month(ny, nm);
    if d <= dim { Date(days_from_civil(ny, nm, d).saturating_sub(1)) } else { Date(days_from_civil(ny, nm, dim)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::internship::testing::*;
    use proptest::prelude::*;

    #[test]
    fn ages_follow_birthdays_including_the_twenty_ninth_of_february() {
        let leapling = d(2008, 2, 29);
        assert_eq!(age_on(leapling, leapling), 0);
        assert_eq!(age_on(leapling, d(2024, 2, 28)), 15);
        assert_eq!(age_on(leapling, d(2024, 2, 29)), 16);
        assert_eq!(age_on(leapling, d(2025, 2, 28)), 16);
        assert_eq!(age_on(leapling, d(2025, 3, 1)), 17);
        assert_eq!(age_on(leapling, d(2026, 2, 28)), 17);
        assert_eq!(age_on(leapling, d(2026, 3, 1)), 18);
        assert_eq!(date_of_age(leapling, 18), d(2026, 3, 1));
        assert_eq!(date_of_age(leapling, 16), d(2024, 2, 29));
        assert_eq!(age_on(d(2000, 12, 31), d(2001, 12, 30)), 0);
        assert_eq!(age_on(d(2000, 12, 31), d(2001, 12, 31)), 1);
        assert_eq!(age_on(d(2000, 1, 1), d(1999, 12, 31)), -1);
        assert!(age_on(Date(i64::MIN), Date(i64::MAX)) > 0, "extreme dates do not panic");
    }

    proptest! {
        #[test]
        fn age_grows_by_one_on_each_birthday(birth in -20_000i64..40_000, days in 0i64..40_000) {
            let b = Date(birth);
            let on = Date(birth + days);
            let a = age_on(b, on);
            prop_assert!(a >= 0);
            prop_assert!(age_on(b, Date(on.0 + 1)) - a <= 1);
            let years = u32::try_from(a).unwrap_or(0);
            prop_assert!(date_of_age(b, years) <= on);
            prop_assert!(date_of_age(b, years + 1) > on);
        }

        #[test]
        fn a_period_ends_before_the_same_day_months_later(start in 0i64..40_000, months in 1u32..37) {
            let s = Date(start);
            let last = period_last_day(s, months);
            prop_assert!(last >= s);
            prop_assert!(last.0 - s.0 < i64::from(months) * 31);
            prop_assert!(last.0 - s.0 >= i64::from(months) * 28 - 1);
            prop_assert!(period_last_day(s, months + 1) > last);
        }
    }
}

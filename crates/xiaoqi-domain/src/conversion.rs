//! The results of a cooperation project and the events that convert them into income
//! (科技成果转化, DESIGN.md §2.3), and the conversion rate the measures page states.

use serde::{Deserialize, Serialize};

use crate::org::str_enum;

str_enum! {
    /// What kind of result a project registered.
    ResultKind {
        Patent = "patent", "专利", "Patent";
        SoftwareCopyright = "software_copyright", "软件著作权", "Software copyright";
        Product = "product", "产品", "Product";
        Process = "process", "工艺", "Process";
        Standard = "standard", "标准", "Standard";
        Paper = "paper", "论文", "Paper";
    }
}

str_enum! {
    /// How a result earned income.
    ConversionKind {
        Licence = "licence", "许可", "Licence";
        Transfer = "transfer", "转让", "Transfer";
        Sale = "sale", "销售", "Sale";
        InternalUse = "internal_use", "自行实施（评估作价）", "Internal use (assessed value)";
    }
}

/// `part ÷ whole` in hundredths of a percent, rounded down (`None` when `whole` is 0). The
/// conversion rate of results is `rate(results with ≥ 1 conversion event, results registered)`:
/// the rate is definition-dependent, and this is the definition the measures page prints beside
/// it; the on-time rate is `rate(accepted on time, accepted)`.
pub fn rate(part: u64, whole: u64) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let bp = u128::from(part.min(whole)) * 10_000 / u128::from(whole);
    u32::try_from(bp).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_is_the_part_over_the_whole_rounded_down() {
        assert_eq!(rate(0, 0), None, "no results, no rate");
        assert_eq!(rate(1, 3), Some(3_333), "rounded down to a hundredth of a percent");
        assert_eq!(rate(3, 3), Some(10_000));
        assert_eq!(rate(0, 5), Some(0));
    }

    #[test]
    fn kinds_round_trip_their_codes() {
        for k in [ResultKind::Patent, ResultKind::SoftwareCopyright, ResultKind::Paper] {
            assert_eq!(ResultKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ConversionKind::parse("internal_use"), Some(ConversionKind::InternalUse));
        assert_eq!(ConversionKind::parse("gift"), None);
    }
}

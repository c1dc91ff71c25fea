//! Talent demand and supply: the lifecycle of a demand, education levels, skill levels, consent
//! scopes and the checks on a pay range.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::money::Fen;
use crate::org::str_enum;
use crate::time::Date;

str_enum! {
    /// The lifecycle of a talent demand (岗位需求).
    DemandStatus {
        Draft = "draft", "草稿", "Draft";
        Published = "published", "已发布", "Published";
        Filled = "filled", "已招满", "Filled";
        Closed = "closed", "已关闭", "Closed";
        /// Published but past its closing date; never stored, derived by [`DemandStatus::effective`].
        Expired = "expired", "已过期", "Expired";
    }
}

str_enum! {
    /// What a lifecycle step of a demand does.
    DemandAction {
        Publish = "publish", "发布", "Publish";
        Fill = "fill", "标记为已招满", "Mark filled";
        Close = "close", "关闭", "Close";
    }
}

impl DemandStatus {
    /// The status as seen on `today`: a published demand whose closing date has passed is expired.
    pub fn effective(self, valid_until: Date, today: Date) -> DemandStatus {
        if self == DemandStatus::Published && valid_until < today { DemandStatus::Expired } else { self }
    }

    /// Whether the demand's content may still be edited.
    pub fn editable(self) -> bool {
        matches!(self, DemandStatus::Draft | DemandStatus::Published | DemandStatus::Expired)
    }

    /// Whether the demand is visible to the alliance (and to matching and search).
    pub fn is_public(self) -> bool {
        self == DemandStatus::Published
    }

    /// The status after `action` from this (effective) status, or the rule it breaks.
    ///
    /// draft → published (publish); expired → published again (publish, after the closing date
    /// was moved); published → filled / closed; draft or expired → closed. Filled and closed
    /// are final.
    pub fn apply(self, action: DemandAction) -> Result<DemandStatus, FieldError> {
        use DemandAction as A;
        use DemandStatus as S;
        match (self, action) {
            (S::Draft | S::Expired, A::Publish) => Ok(S::Published),
            (S::Published, A::Fill) => Ok(S::Filled),
            (S::Draft | S::Published | S::Expired, A::Close) => Ok(S::Closed),
            (from, action) => Err(FieldError::new(
                "status",
                "demand_transition",
                format!("处于“{}”状态的需求不能执行“{}”", from.label_zh(), action.label_zh()),
                format!(
                    "a demand that is {} cannot be moved by “{}”",
                    from.label_en().to_lowercase(),
                    action.label_en()
                ),
            )),
        }
    }
}

str_enum! {
    /// The minimum education a demand asks for.
    Education {
        Any = "any", "不限", "Any";
        Secondary = "secondary", "中职/高中", "Secondary vocational";
        Associate = "associate", "高职专科", "Associate (higher vocational)";
        Bachelor = "bachelor", "本科", "Bachelor";
        Master = "master", "硕士及以上", "Master or above";
    }
}

str_enum! {
    /// To whom a student shows the profile beyond the own college.
    ConsentScope {
        /// Every member organisation of the alliance.
        Alliance = "alliance", "联盟内所有成员单位", "All alliance members";
        /// One named organisation.
        Organisation = "organisation", "指定单位", "A named organisation";
    }
}

/// Skill levels run from 1 (knows of it) to 5 (can teach it).
pub const SKILL_LEVELS: std::ops::RangeInclusive<u8> = 1..=5;
/// The weight of one required skill, relative to the others of the same role.
pub const SKILL_WEIGHTS: std::ops::RangeInclusive<u32> = 1..=10;
/// A role's share of a compound demand.
pub const ROLE_SHARES: std::ops::RangeInclusive<u32> = 1..=100;
/// Most roles (posts) one compound hire may cover.
pub const MAX_ROLES: usize = 3;
/// Most skills per role, per major and per student profile.
pub const MAX_SKILLS: usize = 30;
/// Most certificates on a demand, major or profile.
pub const MAX_CERTIFICATES: usize = 20;
/// Largest headcount of one demand.
pub const MAX_HEADCOUNT: i64 = 10_000;
/// Highest monthly pay a demand may state (1,000,000 yuan), a guard against unit mistakes.
pub const MAX_MONTHLY_PAY: Fen = Fen(100_000_000);

/// Checks a skill level.
pub fn check_level(field: &str, level: i64) -> Result<u8, FieldError> {
    u8::try_from(level).ok().filter(|l| SKILL_LEVELS.contains(l)).ok_or_else(|| {
        FieldError::new(field, "skill_level", "技能等级应为 1 到 5", "skill level must be between 1 and 5")
    })
}

/// Checks a skill weight.
pub fn check_weight(field: &str, weight: i64) -> Result<u32, FieldError> {
    u32::try_from(weight).ok().filter(|w| SKILL_WEIGHTS.contains(w)).ok_or_else(|| {
        FieldError::new(field, "skill_weight", "技能权重应为 1 到 10", "skill weight must be between 1 and 10")
    })
}

/// Checks a role's share of a compound demand.
pub fn check_share(field: &str, share: i64) -> Result<u32, FieldError> {
    u32::try_from(share).ok().filter(|s| ROLE_SHARES.contains(s)).ok_or_else(|| {
        FieldError::new(field, "role_share", "岗位占比应为 1 到 100", "role share must be between 1 and 100")
    })
}

/// Checks a monthly pay range: both ends optional, positive, at most [`MAX_MONTHLY_PAY`], and
/// the lower end not above the upper end.
pub fn check_pay_range(min: Option<Fen>, max: Option<Fen>) -> Result<(), FieldError> {
    for (field, v) in [("pay_min", min), ("pay_max", max)] {
        if let Some(v) = v
            && (v.0 <= 0 || v > MAX_MONTHLY_PAY)
        {
            return Err(FieldError::new(
                field,
                "pay_amount",
                "月薪应大于 0 且不超过 1,000,000 元",
                "monthly pay must be above 0 and at most 1,000,000 yuan",
            ));
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(FieldError::new(
            "pay_max",
            "pay_range_order",
            "薪资上限不能低于下限",
            "the upper end of the pay range cannot be below the lower end",
        ));
    }
    Ok(())
}

/// Checks a headcount.
pub fn check_headcount(n: i64) -> Result<i64, FieldError> {
    if (1..=MAX_HEADCOUNT).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            "headcount",
            "headcount",
            "招聘人数应为 1 到 10000",
            "headcount must be between 1 and 10,000",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demand_moves_only_along_its_lifecycle() {
        use DemandAction as A;
        use DemandStatus as S;
        assert_eq!(S::Draft.apply(A::Publish).ok(), Some(S::Published));
        assert_eq!(S::Published.apply(A::Fill).ok(), Some(S::Filled));
        assert_eq!(S::Published.apply(A::Close).ok(), Some(S::Closed));
        assert_eq!(S::Expired.apply(A::Publish).ok(), Some(S::Published));
        for final_status in [S::Filled, S::Closed] {
            for a in A::ALL {
                assert!(final_status.apply(*a).is_err(), "{final_status:?} is final");
            }
        }
        assert!(S::Draft.apply(A::Fill).is_err(), "a draft cannot be filled");
        assert!(S::Published.apply(A::Publish).is_err());
    }

    #[test]
    fn a_published_demand_expires_the_day_after_its_closing_date() {
        let until = Date(100);
        assert_eq!(DemandStatus::Published.effective(until, Date(100)), DemandStatus::Published);
        assert_eq!(DemandStatus::Published.effective(until, Date(101)), DemandStatus::Expired);
        assert_eq!(DemandStatus::Draft.effective(until, Date(101)), DemandStatus::Draft);
        assert_eq!(DemandStatus::Filled.effective(until, Date(101)), DemandStatus::Filled);
    }

    #[test]
    fn pay_ranges_must_be_positive_bounded_and_ordered() {
        assert!(check_pay_range(Some(Fen(500_000)), Some(Fen(800_000))).is_ok());
        assert!(check_pay_range(None, Some(Fen(800_000))).is_ok());
        assert_eq!(check_pay_range(Some(Fen(900_000)), Some(Fen(800_000))).map_err(|e| e.rule), Err("pay_range_order"));
        assert_eq!(check_pay_range(Some(Fen(0)), None).map_err(|e| e.field), Err("pay_min".to_string()));
        assert_eq!(check_pay_range(None, Some(Fen(100_000_001))).map_err(|e| e.field), Err("pay_max".to_string()));
    }

    #[test]
    fn levels_weights_shares_and_headcounts_have_bounds() {
        assert_eq!(check_level("l", 5).ok(), Some(5));
        assert!(check_level("l", 0).is_err() && check_level("l", 6).is_err() && check_level("l", -1).is_err());
        assert!(check_weight("w", 10).is_ok() && check_weight("w", 11).is_err() && check_weight("w", 0).is_err());
        assert!(check_share("s", 100).is_ok() && check_share("s", 0).is_err());
        assert!(check_headcount(1).is_ok() && check_headcount(0).is_err() && check_headcount(10_001).is_err());
    }
}

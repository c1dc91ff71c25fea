//! The services marketplace (DESIGN.md §2.1): what colleges offer, and the lifecycle of an
//! enterprise's request — one transition table says which status may follow which, and which
//! side takes each step.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::org::{OrgKind, Role, str_enum};

str_enum! {
    /// What a college offers to enterprises.
    ServiceKind {
        TechnicalService = "technical_service", "技术服务", "Technical service";
        ManagementConsulting = "management_consulting", "管理咨询", "Management consulting";
        InvestmentDecision = "investment_decision", "投资决策支持", "Investment decision support";
        SkillsTraining = "skills_training", "员工技能培训", "Employee skills training";
        TrainingBase = "training_base", "实训基地使用", "Training-base use";
    }
}

str_enum! {
    /// What the price of an offering is counted by.
    PriceUnit {
        PerSession = "per_session", "每场", "per session";
        PerPerson = "per_person", "每人", "per person";
        PerDay = "per_day", "每天", "per day";
        PerProject = "per_project", "每个项目", "per project";
    }
}

str_enum! {
    /// Whether an offering takes new requests.
    OfferingStatus {
        Active = "active", "上架中", "Active";
        Withdrawn = "withdrawn", "已下架", "Withdrawn";
    }
}

str_enum! {
    /// The state of one service request (or training invitation).
    ServiceRequestStatus {
        Requested = "requested", "待院校回复", "Awaiting the college";
        Accepted = "accepted", "已接受", "Accepted";
        Declined = "declined", "已婉拒", "Declined";
        Scheduled = "scheduled", "已排期", "Scheduled";
        Delivered = "delivered", "已交付", "Delivered";
        Rated = "rated", "已评价", "Rated";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
}

str_enum! {
    /// A step on a service request after it was made.
    ServiceAction {
        Accept = "accept", "接受", "Accept";
        Decline = "decline", "婉拒", "Decline";
        Schedule = "schedule", "排期", "Schedule";
        Deliver = "deliver", "登记交付", "Record delivery";
        Rate = "rate", "评价", "Rate";
        Cancel = "cancel", "取消", "Cancel";
    }
}

str_enum! {
    /// The two parties of a service request.
    Side {
        College = "college", "院校方", "College";
        Enterprise = "enterprise", "企业方", "Enterprise";
    }
}

use ServiceAction as A;
use ServiceRequestStatus as S;

/// The side that makes a request (or an invitation); it starts in [`INITIAL_STATUS`].
pub const REQUESTING_SIDE: Side = Side::Enterprise;

/// The status of a request just made.
pub const INITIAL_STATUS: ServiceRequestStatus = S::Requested;

/// Every allowed step: (from, action, the side that may take it, to). Nothing else is allowed.
///
/// The college answers, schedules (again, to reschedule) and records the delivery; the
/// enterprise may cancel until the service is delivered, and rates it once afterwards.
pub const TRANSITIONS: &[(ServiceRequestStatus, ServiceAction, Side, ServiceRequestStatus)] = &[
    (S::Requested, A::Accept, Side::College, S::Accepted),
    (S::Requested, A::Decline, Side::College, S::Declined),
    (S::Requested, A::Cancel, Side::Enterprise, S::Cancelled),
    (S::Accepted, A::Schedule, Side::College, S::Scheduled),
    (S::Accepted, A::Cancel, Side::Enterprise, S::Cancelled),
    (S::Scheduled, A::Schedule, Side::College, S::Scheduled),
    (S::Scheduled, A::Deliver, Side::College, S::Delivered),
    (S::Scheduled, A::Cancel, Side::Enterprise, S::Cancelled),
    (S::Delivered, A::Rate, Side::Enterprise, S::Rated),
];

impl ServiceAction {
    /// The side that takes this step (from the transition table).
    pub fn side(self) -> Side {
        TRANSITIONS.iter().find(|(_, a, _, _)| *a == self).map_or(Side::College, |(_, _, side, _)| *side)
    }
}

impl ServiceRequestStatus {
    /// The status after `action`, or `None` when the action is not allowed now.
    pub fn after(self, action: ServiceAction) -> Option<ServiceRequestStatus> {
        TRANSITIONS.iter().find(|(from, a, _, _)| *from == self && *a == action).map(|(_, _, _, to)| *to)
    }

    /// The actions allowed in this status, in table order.
    pub fn actions(self) -> Vec<ServiceAction> {
        TRANSITIONS.iter().filter(|(from, ..)| *from == self).map(|(_, a, _, _)| *a).collect()
    }

    /// Whether nothing can happen any more.
    pub fn is_final(self) -> bool {
        self.actions().is_empty()
    }
}

impl Side {
    /// The kind of organisation on this side.
    pub fn org_kind(self) -> OrgKind {
        match self {
            Side::College => OrgKind::College,
            Side::Enterprise => OrgKind::Enterprise,
        }
    }

    /// The roles that act for this side: a college's administrators and programme leaders
    /// publish offerings and answer requests; an enterprise's administrators and HR request,
    /// invite, cancel and rate.
    pub fn acting_roles(self) -> &'static [Role] {
        match self {
            Side::College => &[Role::OrgAdmin, Role::ProgrammeLeader],
            Side::Enterprise => &[Role::OrgAdmin, Role::EnterpriseHr],
        }
    }

    /// Whether someone holding `role` in an organisation of `kind` acts for this side.
    pub fn acts(self, kind: OrgKind, role: Role) -> bool {
        kind == self.org_kind() && self.acting_roles().contains(&role)
    }

    /// The other party.
    pub fn other(self) -> Side {
        match self {
            Side::College => Side::Enterprise,
            Side::Enterprise => Side::College,
        }
    }
}

/// Largest number of participants of one session, and of one request.
pub const MAX_PARTICIPANTS: i64 = 10_000;

/// Largest price of an offering: 100 million yuan, in fen.
pub const MAX_PRICE_FEN: i64 = 10_000_000_000;

/// Largest number of delivered hours recorded for one request (a year of working days).
pub const MAX_DELIVERED_HOURS: i64 = 2_000;

/// Longest scheduled period: 366 days, in milliseconds.
pub const MAX_SCHEDULE_MS: i64 = 366 * 86_400_000;

/// A whole number of participants between 1 and [`MAX_PARTICIPANTS`].
pub fn participants(field: &str, n: i64) -> Result<i64, FieldError> {
    if (1..=MAX_PARTICIPANTS).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            field,
            "participants_range",
            format!("人数须在 1 到 {MAX_PARTICIPANTS} 之间（participants_range），收到 {n}"),
            format!("The number of people must be between 1 and {MAX_PARTICIPANTS} (participants_range); got {n}"),
        ))
    }
}

/// Refuses more expected participants than an offering's capacity per session.
pub fn within_capacity(field: &str, expected: i64, capacity: i64) -> Result<i64, FieldError> {
    if expected <= capacity {
        Ok(expected)
    } else {
        Err(FieldError::new(
            field,
            "capacity_exceeded",
            format!("预计参加人数 {expected} 超过该服务每场容量 {capacity} 人（capacity_exceeded）"),
            format!(
                "{expected} expected participants exceed the offering's capacity of {capacity} per session \
                 (capacity_exceeded)"
            ),
        ))
    }
}

/// A price of 0 (free) up to [`MAX_PRICE_FEN`].
pub fn price(field: &str, fen: i64) -> Result<i64, FieldError> {
    if (0..=MAX_PRICE_FEN).contains(&fen) {
        Ok(fen)
    } else {
        Err(FieldError::new(
            field,
            "price_range",
            "价格须在 0（免费）到 100,000,000.00 元之间（price_range）",
            "The price must be between 0 (free) and 100,000,000.00 yuan (price_range)",
        ))
    }
}

/// A rating of 1 to 5 stars.
pub fn rating(field: &str, stars: i64) -> Result<i64, FieldError> {
    if (1..=5).contains(&stars) {
        Ok(stars)
    } else {
        Err(FieldError::new(
            field,
            "rating_range",
            format!("评分须为 1 到 5 之间的整数（rating_range），收到 {stars}"),
            format!("The rating must be a whole number from 1 to 5 (rating_range); got {stars}"),
        ))
    }
}

/// Parses delivered hours such as `12` or `12.5` into tenths of an hour, exactly: more than 0
/// and at most [`MAX_DELIVERED_HOURS`].
pub fn hours_tenths(field: &str, input: &str) -> Result<i64, FieldError> {
    let s = input.trim();
    let Some(tenths) = parse_tenths(s) else {
        return Err(FieldError::new(
            field,
            "hours_format",
            format!("学时格式不正确（hours_format）：“{s}”，应为数字，最多一位小数，如 12 或 12.5"),
            format!("The hours are not a valid number (hours_format): \"{s}\"; expected e.g. 12 or 12.5"),
        ));
    };
    if tenths == 0 || tenths > MAX_DELIVERED_HOURS * 10 {
        return Err(FieldError::new(
            field,
            "hours_range",
            format!("学时须大于 0 且不超过 {MAX_DELIVERED_HOURS} 小时（hours_range），收到 {s}"),
            format!("The hours must be more than 0 and at most {MAX_DELIVERED_HOURS} (hours_range); got {s}"),
        ));
    }
    Ok(tenths)
}

/// Reads a non-negative number with at most one decimal (`12`, `12.5`) as tenths, exactly;
/// `None` for anything else (signs, exponents, more decimals, more than six whole digits).
pub fn parse_tenths(s: &str) -> Option<i64> {
    let (whole, tenth) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if whole.is_empty() || whole.len() > 6 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let tenth = match tenth {
        None => 0,
        Some(f) if f.len() == 1 && f.bytes().all(|b| b.is_ascii_digit()) => i64::from(f.as_bytes()[0] - b'0'),
        Some(_) => return None,
    };
    whole.parse::<i64>().ok().map(|w| w * 10 + tenth)
}

/// Tenths of an hour as text: `125` → `12.5`, `120` → `12`.
pub fn format_tenths(tenths: i64) -> String {
    crate::decimal::trimmed(tenths, 1)
}

/// A scheduled period must end after it starts and last at most [`MAX_SCHEDULE_MS`].
pub fn schedule(start_ms: i64, end_ms: i64) -> Result<(i64, i64), FieldError> {
    if end_ms <= start_ms {
        return Err(FieldError::new(
            "scheduled_end",
            "schedule_end_before_start",
            "结束时间须晚于开始时间（schedule_end_before_start）",
            "The end must be after the start (schedule_end_before_start)",
        ));
    }
    if end_ms - start_ms > MAX_SCHEDULE_MS {
        return Err(FieldError::new(
            "scheduled_end",
            "schedule_too_long",
            "一次排期最长 366 天（schedule_too_long）",
            "A scheduled period lasts at most 366 days (schedule_too_long)",
        ));
    }
    Ok((start_ms, end_ms))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule<T: std::fmt::Debug>(r: Result<T, FieldError>) -> &'static str {
        r.err().map_or("ok", |e| e.rule)
    }

    #[test]
    fn every_code_round_trips() {
        for k in ServiceKind::ALL {
            assert_eq!(ServiceKind::parse(k.as_str()), Some(*k));
        }
        for s in ServiceRequestStatus::ALL {
            assert_eq!(ServiceRequestStatus::parse(s.as_str()), Some(*s));
        }
        for a in ServiceAction::ALL {
            assert_eq!(ServiceAction::parse(a.as_str()), Some(*a));
        }
        assert_eq!(ServiceKind::ALL.len(), 5, "the five kinds of DESIGN.md §2.1");
        assert_eq!(PriceUnit::parse("per_day"), Some(PriceUnit::PerDay));
    }

    #[test]
    fn the_lifecycle_runs_requested_accepted_scheduled_delivered_rated() {
        let mut s = INITIAL_STATUS;
        for (action, side, to) in [
            (A::Accept, Side::College, S::Accepted),
            (A::Schedule, Side::College, S::Scheduled),
            (A::Schedule, Side::College, S::Scheduled),
            (A::Deliver, Side::College, S::Delivered),
            (A::Rate, Side::Enterprise, S::Rated),
        ] {
            assert_eq!(action.side(), side, "{action:?}");
            s = s.after(action).unwrap_or_else(|| panic!("{action:?} from {s:?}"));
            assert_eq!(s, to);
        }
        assert!(s.is_final());
    }

    #[test]
    fn the_table_is_exactly_this() {
        // Every (status, action) pair outside the table is refused.
        let mut allowed = Vec::new();
        for from in S::ALL {
            for a in A::ALL {
                if let Some(to) = from.after(*a) {
                    allowed.push((from.as_str(), a.as_str(), to.as_str()));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                ("requested", "accept", "accepted"),
                ("requested", "decline", "declined"),
                ("requested", "cancel", "cancelled"),
                ("accepted", "schedule", "scheduled"),
                ("accepted", "cancel", "cancelled"),
                ("scheduled", "schedule", "scheduled"),
                ("scheduled", "deliver", "delivered"),
                ("scheduled", "cancel", "cancelled"),
                ("delivered", "rate", "rated"),
            ]
        );
    }

    #[test]
    fn each_action_belongs_to_one_side() {
        for (_, a, side, _) in TRANSITIONS {
            assert_eq!(a.side(), *side, "{a:?} is always taken by the same side");
        }
        assert_eq!(A::Accept.side(), Side::College);
        assert_eq!(A::Decline.side(), Side::College);
        assert_eq!(A::Deliver.side(), Side::College);
        assert_eq!(A::Cancel.side(), Side::Enterprise);
        assert_eq!(A::Rate.side(), Side::Enterprise);
        assert_eq!(REQUESTING_SIDE, Side::Enterprise);
    }

    #[test]
    fn staff_roles_act_for_their_own_kind_of_organisation_only() {
        assert!(Side::College.acts(OrgKind::College, Role::OrgAdmin));
        assert!(Side::College.acts(OrgKind::College, Role::ProgrammeLeader));
        assert!(!Side::College.acts(OrgKind::College, Role::Teacher));
        assert!(!Side::College.acts(OrgKind::College, Role::Student));
        assert!(!Side::College.acts(OrgKind::Enterprise, Role::OrgAdmin), "an enterprise is not a college");
        assert!(Side::Enterprise.acts(OrgKind::Enterprise, Role::EnterpriseHr));
        assert!(Side::Enterprise.acts(OrgKind::Enterprise, Role::OrgAdmin));
        assert!(!Side::Enterprise.acts(OrgKind::Enterprise, Role::EnterpriseMentor));
        assert!(!Side::Enterprise.acts(OrgKind::IndustryAssociation, Role::OrgAdmin));
        assert_eq!(Side::College.other(), Side::Enterprise);
    }

    #[test]
    fn rating_only_once_and_only_after_delivery() {
        for s in S::ALL {
            assert_eq!(s.after(A::Rate).is_some(), *s == S::Delivered, "{s:?}");
        }
        assert!(S::Rated.after(A::Rate).is_none());
    }

    #[test]
    fn cancelling_ends_before_delivery() {
        for s in S::ALL {
            let may = matches!(s, S::Requested | S::Accepted | S::Scheduled);
            assert_eq!(s.after(A::Cancel) == Some(S::Cancelled), may, "{s:?}");
        }
        for s in [S::Declined, S::Rated, S::Cancelled] {
            assert!(s.is_final(), "{s:?}");
        }
    }

    #[test]
    fn hours_are_exact_tenths_within_range() {
        assert_eq!(hours_tenths("h", "12"), Ok(120));
        assert_eq!(hours_tenths("h", " 12.5 "), Ok(125));
        assert_eq!(hours_tenths("h", "0.1"), Ok(1));
        assert_eq!(hours_tenths("h", "2000"), Ok(20_000));
        assert_eq!(rule(hours_tenths("h", "0")), "hours_range");
        assert_eq!(rule(hours_tenths("h", "0.0")), "hours_range");
        assert_eq!(rule(hours_tenths("h", "2000.1")), "hours_range");
        for bad in ["", "-1", "1.25", "1.", ".5", "abc", "1e3", "９", "99999999999999999999"] {
            assert_eq!(rule(hours_tenths("h", bad)), "hours_format", "{bad:?}");
        }
        assert_eq!(format_tenths(125), "12.5");
        assert_eq!(format_tenths(120), "12");
    }

    #[test]
    fn ratings_participants_and_prices_have_bounds() {
        assert_eq!(rule(rating("rating", 0)), "rating_range");
        assert_eq!(rule(rating("rating", 6)), "rating_range");
        assert_eq!(rating("rating", 5), Ok(5));
        assert_eq!(rule(participants("p", 0)), "participants_range");
        assert_eq!(rule(participants("p", MAX_PARTICIPANTS + 1)), "participants_range");
        assert_eq!(participants("p", 1), Ok(1));
        assert_eq!(rule(within_capacity("p", 31, 30)), "capacity_exceeded");
        assert_eq!(within_capacity("p", 30, 30), Ok(30));
        assert_eq!(price("price", 0), Ok(0));
        assert_eq!(rule(price("price", -1)), "price_range");
        assert_eq!(rule(price("price", MAX_PRICE_FEN + 1)), "price_range");
    }

    #[test]
    fn a_schedule_ends_after_it_starts_within_a_year() {
        assert_eq!(schedule(0, 1), Ok((0, 1)));
        assert_eq!(rule(schedule(10, 10)), "schedule_end_before_start");
        assert_eq!(rule(schedule(10, 5)), "schedule_end_before_start");
        assert_eq!(rule(schedule(0, MAX_SCHEDULE_MS + 1)), "schedule_too_long");
        let e = schedule(10, 5).err().map(|e| (e.field, e.zh, e.en)).unwrap_or_default();
        assert_eq!(e.0, "scheduled_end");
        assert!(e.1.contains("晚于") && e.2.contains("after"));
    }

    #[test]
    fn capacity_message_names_both_numbers_in_both_languages() {
        let e = within_capacity("participants_expected", 40, 30).err().map(|e| (e.field, e.zh, e.en));
        let (field, zh, en) = e.unwrap_or_default();
        assert_eq!(field, "participants_expected");
        assert!(zh.contains("40") && zh.contains("30") && zh.contains("容量"));
        assert!(en.contains("40") && en.contains("30") && en.contains("capacity"));
    }
}

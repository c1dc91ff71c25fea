//! Industry–university–research cooperation (产学研合作, DESIGN.md §2.3): teams, enterprises'
//! technical problems, teams' proposals and the projects that follow a selection. Each status
//! machine is one transition table; money is exact fen with checked arithmetic.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::money::Fen;
use crate::org::str_enum;
use crate::time::Date;

str_enum! {
    /// What kind of team a college runs.
    TeamKind {
        RdServiceCentre = "rd_service_centre", "研发服务中心", "R&D service centre";
        YoungTeachersStudio = "young_teachers_studio", "青年教师工作室", "Young teachers' studio";
        ApplicationTechnologyTeam = "application_technology_team", "应用技术团队", "Application technology team";
    }
}

str_enum! {
    /// A member's role in a team.
    MemberRole {
        Leader = "leader", "团队负责人", "Team leader";
        Teacher = "teacher", "教师成员", "Teacher";
        Student = "student", "学生成员", "Student";
        Technician = "technician", "企业技术人员", "Enterprise technician";
    }
}

str_enum! {
    /// Where a project's money comes from.
    FundingSource {
        Enterprise = "enterprise", "企业", "Enterprise";
        College = "college", "院校", "College";
        Government = "government", "政府项目", "Government programme";
    }
}

str_enum! {
    /// The state of a technical problem.
    ProblemStatus {
        Open = "open", "征集中", "Open";
        Selected = "selected", "已选定团队", "Team selected";
        Closed = "closed", "已关闭", "Closed";
    }
}

str_enum! {
    /// A step on a technical problem.
    ProblemAction {
        Select = "select", "选定方案", "Select a proposal";
        Close = "close", "关闭", "Close";
    }
}

str_enum! {
    /// The state of a team's proposal.
    ProposalStatus {
        Submitted = "submitted", "已提交", "Submitted";
        Shortlisted = "shortlisted", "入围", "Shortlisted";
        Selected = "selected", "已选定", "Selected";
        Rejected = "rejected", "未选中", "Not selected";
    }
}

str_enum! {
    /// A step the enterprise takes on a proposal.
    ProposalAction {
        Shortlist = "shortlist", "列入候选", "Shortlist";
        Select = "select", "选定", "Select";
        Reject = "reject", "不予选定", "Reject";
    }
}

str_enum! {
    /// The state of a project.
    ProjectStatus {
        Active = "active", "进行中", "Active";
        Suspended = "suspended", "已暂停", "Suspended";
        Completed = "completed", "已结题", "Completed";
        Terminated = "terminated", "已终止", "Terminated";
    }
}

str_enum! {
    /// A step on a project (taken by the enterprise).
    ProjectAction {
        Suspend = "suspend", "暂停", "Suspend";
        Resume = "resume", "恢复", "Resume";
        Complete = "complete", "结题", "Complete";
        Terminate = "terminate", "终止", "Terminate";
    }
}

/// Every allowed step on a problem: (from, action, to). A problem takes one selection.
pub const PROBLEM_TRANSITIONS: &[(ProblemStatus, ProblemAction, ProblemStatus)] = &[
    (ProblemStatus::Open, ProblemAction::Select, ProblemStatus::Selected),
    (ProblemStatus::Open, ProblemAction::Close, ProblemStatus::Closed),
    (ProblemStatus::Selected, ProblemAction::Close, ProblemStatus::Closed),
];

/// Every allowed step on a proposal: (from, action, to). Selected and rejected are final.
pub const PROPOSAL_TRANSITIONS: &[(ProposalStatus, ProposalAction, ProposalStatus)] = &[
    (ProposalStatus::Submitted, ProposalAction::Shortlist, ProposalStatus::Shortlisted),
    (ProposalStatus::Submitted, ProposalAction::Select, ProposalStatus::Selected),
    (ProposalStatus::Submitted, ProposalAction::Reject, ProposalStatus::Rejected),
    (ProposalStatus::Shortlisted, ProposalAction::Select, ProposalStatus::Selected),
    (ProposalStatus::Shortlisted, ProposalAction::Reject, ProposalStatus::Rejected),
];

/// Every allowed step on a project: (from, action, to). Completed and terminated are final.
pub const PROJECT_TRANSITIONS: &[(ProjectStatus, ProjectAction, ProjectStatus)] = &[
    (ProjectStatus::Active, ProjectAction::Suspend, ProjectStatus::Suspended),
    (ProjectStatus::Active, ProjectAction::Complete, ProjectStatus::Completed),
    (ProjectStatus::Active, ProjectAction::Terminate, ProjectStatus::Terminated),
    (ProjectStatus::Suspended, ProjectAction::Resume, ProjectStatus::Active),
    (ProjectStatus::Suspended, ProjectAction::Terminate, ProjectStatus::Terminated),
];

fn after<S: Copy + PartialEq, A: Copy + PartialEq>(table: &[(S, A, S)], from: S, action: A) -> Option<S> {
    table.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to)
}

impl ProblemStatus {
    /// The status after `action`, or `None` when it is not allowed now.
    pub fn after(self, action: ProblemAction) -> Option<ProblemStatus> {
        after(PROBLEM_TRANSITIONS, self, action)
    }
}

impl ProposalStatus {
    /// The status after `action`, or `None` when it is not allowed now.
    pub fn after(self, action: ProposalAction) -> Option<ProposalStatus> {
        after(PROPOSAL_TRANSITIONS, self, action)
    }
}

impl ProjectStatus {
    /// The status after `action`, or `None` when it is not allowed now.
    pub fn after(self, action: ProjectAction) -> Option<ProjectStatus> {
        after(PROJECT_TRANSITIONS, self, action)
    }

    /// The actions allowed in this status, in table order.
    pub fn actions(self) -> Vec<ProjectAction> {
        PROJECT_TRANSITIONS.iter().filter(|(f, ..)| *f == self).map(|(_, a, _)| *a).collect()
    }
}

/// Lowest technology readiness level (basic principles observed).
pub const MIN_TRL: i64 = 1;
/// Highest technology readiness level (system proven in operation).
pub const MAX_TRL: i64 = 9;
/// Largest amount of one budget, budget line or expenditure: 1 billion yuan, in fen.
pub const MAX_AMOUNT_FEN: i64 = 100_000_000_000;
/// Most milestones of a proposal or project.
pub const MAX_MILESTONES: usize = 30;

/// A technology readiness level from 1 to 9.
pub fn trl(field: &str, level: i64) -> Result<i64, FieldError> {
    if (MIN_TRL..=MAX_TRL).contains(&level) {
        Ok(level)
    } else {
        Err(FieldError::new(
            field,
            "trl_range",
            format!("技术成熟度须为 1 到 9 的整数（trl_range），收到 {level}"),
            format!("The technology readiness level must be a whole number from 1 to 9 (trl_range); got {level}"),
        ))
    }
}

/// Parses an amount in yuan (exact, at most two decimals, not negative) that is at most
/// [`MAX_AMOUNT_FEN`]; `positive` refuses zero.
pub fn amount(field: &str, input: &str, positive: bool) -> Result<Fen, FieldError> {
    if input.trim().is_empty() {
        return Err(FieldError::required(field));
    }
    let f = Fen::parse_yuan(field, input)?;
    if f.0 > MAX_AMOUNT_FEN || (positive && f.0 == 0) {
        let low = if positive { "0.01" } else { "0" };
        return Err(FieldError::new(
            field,
            "amount_range",
            format!("金额须在 {low} 到 1,000,000,000.00 元之间（amount_range）"),
            format!("The amount must be between {low} and 1,000,000,000.00 yuan (amount_range)"),
        ));
    }
    Ok(f)
}

/// A budget range whose minimum is at most its maximum (both already checked amounts).
pub fn budget_range(min: Fen, max: Fen) -> Result<(Fen, Fen), FieldError> {
    if min <= max {
        Ok((min, max))
    } else {
        Err(FieldError::new(
            "budget_max",
            "budget_range_inverted",
            format!("预算上限 {max} 元不能低于下限 {min} 元（budget_range_inverted）"),
            format!("The budget maximum {max} yuan is below the minimum {min} yuan (budget_range_inverted)"),
        ))
    }
}

/// A deadline written `YYYY-MM-DD` that is not before `today` (Asia/Shanghai).
pub fn deadline(field: &str, input: &str, today: Date) -> Result<Date, FieldError> {
    let d = Date::parse(field, input)?;
    if d < today {
        return Err(FieldError::new(
            field,
            "deadline_past",
            format!("截止日期 {} 已过（deadline_past）", d.format()),
            format!("The deadline {} has passed (deadline_past)", d.format()),
        ));
    }
    Ok(d)
}

/// What is left of a budget line of `line` fen after `spent` fen, or `None` when the
/// arithmetic would overflow (corrupt data).
pub fn remaining(line: Fen, spent: Fen) -> Option<Fen> {
    line.checked_sub(spent)
}

/// An expenditure of `amount` against a line of `line` fen of which `spent` fen is spent:
/// refused (naming the field `amount` and what remains, in yuan) when it goes past the line;
/// returns what remains afterwards.
pub fn check_expenditure(line: Fen, spent: Fen, amount: Fen) -> Result<Fen, FieldError> {
    let corrupt = || {
        FieldError::new(
            "amount",
            "budget_line_inconsistent",
            "预算科目的已支出金额异常，无法记账（budget_line_inconsistent）",
            "The budget line's spending is inconsistent; nothing can be recorded (budget_line_inconsistent)",
        )
    };
    if amount.0 <= 0 || spent.0 < 0 || line.0 < 0 {
        return Err(corrupt());
    }
    let left = remaining(line, spent).ok_or_else(corrupt)?;
    match left.checked_sub(amount) {
        Some(after) if after.0 >= 0 => Ok(after),
        Some(_) => Err(FieldError::new(
            "amount",
            "budget_line_exceeded",
            format!(
                "支出 {} 超过该预算科目的剩余额度 {}（budget_line_exceeded）",
                amount.to_cny_string(),
                left.to_cny_string()
            ),
            format!(
                "The expenditure of {} exceeds the {} remaining on this budget line (budget_line_exceeded)",
                amount.to_cny_string(),
                left.to_cny_string()
            ),
        )),
        None => Err(corrupt()),
    }
}

/// A milestone as proposed: what is delivered by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestonePlan {
    pub title: String,
    pub deliverable: String,
    /// YYYY-MM-DD.
    pub due_date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule<T: std::fmt::Debug>(r: Result<T, FieldError>) -> &'static str {
        r.err().map_or("ok", |e| e.rule)
    }

    #[test]
    fn codes_round_trip_and_the_three_team_kinds_of_the_design() {
        for k in TeamKind::ALL {
            assert_eq!(TeamKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(
            TeamKind::ALL.iter().map(|k| k.label_zh()).collect::<Vec<_>>(),
            vec!["研发服务中心", "青年教师工作室", "应用技术团队"]
        );
        for s in FundingSource::ALL {
            assert_eq!(FundingSource::parse(s.as_str()), Some(*s));
        }
        assert_eq!(MemberRole::parse("technician"), Some(MemberRole::Technician));
        assert_eq!(ProjectStatus::parse("nope"), None);
    }

    #[test]
    fn the_problem_table_is_exactly_this() {
        let mut allowed = Vec::new();
        for from in ProblemStatus::ALL {
            for a in ProblemAction::ALL {
                if let Some(to) = from.after(*a) {
                    allowed.push((from.as_str(), a.as_str(), to.as_str()));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![("open", "select", "selected"), ("open", "close", "closed"), ("selected", "close", "closed")]
        );
    }

    #[test]
    fn the_proposal_table_is_exactly_this() {
        let mut allowed = Vec::new();
        for from in ProposalStatus::ALL {
            for a in ProposalAction::ALL {
                if let Some(to) = from.after(*a) {
                    allowed.push((from.as_str(), a.as_str(), to.as_str()));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                ("submitted", "shortlist", "shortlisted"),
                ("submitted", "select", "selected"),
                ("submitted", "reject", "rejected"),
                ("shortlisted", "select", "selected"),
                ("shortlisted", "reject", "rejected"),
            ]
        );
    }

    #[test]
    fn the_project_table_is_exactly_this_and_ends_in_completed_or_terminated() {
        let mut allowed = Vec::new();
        for from in ProjectStatus::ALL {
            for a in ProjectAction::ALL {
                if let Some(to) = from.after(*a) {
                    allowed.push((from.as_str(), a.as_str(), to.as_str()));
                }
            }
        }
        assert_eq!(
            allowed,
            vec![
                ("active", "suspend", "suspended"),
                ("active", "complete", "completed"),
                ("active", "terminate", "terminated"),
                ("suspended", "resume", "active"),
                ("suspended", "terminate", "terminated"),
            ]
        );
        assert!(ProjectStatus::Completed.actions().is_empty());
        assert!(ProjectStatus::Terminated.actions().is_empty());
    }

    #[test]
    fn trl_is_one_to_nine() {
        assert_eq!(trl("trl", 1), Ok(1));
        assert_eq!(trl("trl", 9), Ok(9));
        assert_eq!(rule(trl("trl", 0)), "trl_range");
        assert_eq!(rule(trl("trl", 10)), "trl_range");
        assert_eq!(rule(trl("trl", -1)), "trl_range");
    }

    #[test]
    fn amounts_are_exact_bounded_and_refuse_bad_input_by_rule() {
        assert_eq!(amount("a", "0.01", true), Ok(Fen(1)));
        assert_eq!(amount("a", "0", false), Ok(Fen(0)));
        assert_eq!(amount("a", "1,000,000,000.00", true), Ok(Fen(MAX_AMOUNT_FEN)));
        assert_eq!(rule(amount("a", "1000000000.01", true)), "amount_range");
        assert_eq!(rule(amount("a", "0", true)), "amount_range");
        assert_eq!(rule(amount("a", "0.00", true)), "amount_range");
        assert_eq!(rule(amount("a", "-5", true)), "money_negative");
        assert_eq!(rule(amount("a", "1.234", true)), "money_too_many_decimals");
        assert_eq!(rule(amount("a", "99999999999999999999", true)), "money_overflow");
        assert_eq!(rule(amount("a", " ", true)), "required");
        assert_eq!(amount("amount", "-1", true).err().map(|e| e.field), Some("amount".to_string()));
    }

    #[test]
    fn a_budget_range_may_be_a_single_amount_but_not_inverted() {
        assert_eq!(budget_range(Fen(5), Fen(5)), Ok((Fen(5), Fen(5))));
        assert_eq!(budget_range(Fen(0), Fen(1)), Ok((Fen(0), Fen(1))));
        let e = budget_range(Fen(200), Fen(199)).err();
        assert_eq!(e.as_ref().map(|e| (e.field.as_str(), e.rule)), Some(("budget_max", "budget_range_inverted")));
        assert!(e.is_some_and(|e| e.zh.contains("1.99") && e.en.contains("2.00")));
    }

    #[test]
    fn a_deadline_may_be_today_but_not_yesterday() {
        let today = Date::parse("d", "2026-11-27").unwrap_or(Date(0));
        assert_eq!(deadline("deadline", "2026-11-27", today), Ok(today));
        assert_eq!(rule(deadline("deadline", "2026-11-26", today)), "deadline_past");
        assert_eq!(rule(deadline("deadline", "2026-02-30", today)), "date");
    }

    #[test]
    fn an_expenditure_may_use_exactly_what_remains_and_not_one_fen_more() {
        assert_eq!(check_expenditure(Fen(10_000), Fen(3_000), Fen(7_000)), Ok(Fen(0)));
        assert_eq!(check_expenditure(Fen(10_000), Fen(3_000), Fen(6_999)), Ok(Fen(1)));
        let e = check_expenditure(Fen(10_000), Fen(3_000), Fen(7_001)).err();
        assert_eq!(e.as_ref().map(|e| (e.field.as_str(), e.rule)), Some(("amount", "budget_line_exceeded")));
        let (zh, en) = e.map(|e| (e.zh, e.en)).unwrap_or_default();
        assert!(zh.contains("70.00") && zh.contains("70.01"), "{zh}");
        assert!(en.contains("¥70.00 remaining"), "{en}");
        assert_eq!(rule(check_expenditure(Fen(0), Fen(0), Fen(1))), "budget_line_exceeded");
    }

    #[test]
    fn expenditure_arithmetic_never_overflows() {
        assert_eq!(rule(check_expenditure(Fen(i64::MAX), Fen(0), Fen(i64::MAX))), "ok");
        assert_eq!(rule(check_expenditure(Fen(i64::MAX), Fen(i64::MAX), Fen(1))), "budget_line_exceeded");
        assert_eq!(rule(check_expenditure(Fen(1), Fen(-1), Fen(1))), "budget_line_inconsistent");
        assert_eq!(rule(check_expenditure(Fen(1), Fen(0), Fen(0))), "budget_line_inconsistent");
        assert_eq!(rule(check_expenditure(Fen(1), Fen(0), Fen(-1))), "budget_line_inconsistent");
        assert_eq!(remaining(Fen(i64::MIN), Fen(1)), None);
    }
}

//! Pages of industry–university–research cooperation (产学研): teams, technical problems (the
//! details only for admitted teams), admissions, proposals with shortlist and selection, and
//! projects with milestones, budget lines (spent and remaining) and expenditures.

mod problems;
mod projects;
mod proposals;
mod teams;

pub(super) use problems::{close_problem, create_problem, new_problem, problem};
pub(super) use projects::{budget_line, expenditure, milestone_step, project, project_update};
pub(super) use proposals::{admission_step, proposal_step, request_admission, submit_proposal};
pub(super) use teams::{create_team, edit_team, hub, new_team, team, update_team};

use xiaoqi_app::AppError;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::research::TeamKind;

fn yuan(fen: i64) -> String {
    Fen(fen).to_cny_string()
}

/// Splits a text area into trimmed, non-empty lines (or comma-separated items).
fn items(text: &str) -> Vec<String> {
    text.split(['\n', ',', '，', '、']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Splits `a | b | c` lines into their parts.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(['|', '｜']).map(|p| p.trim().to_string()).collect())
        .collect()
}

fn part(r: &[String], i: usize) -> String {
    r.get(i).cloned().unwrap_or_default()
}

fn kinds(lang: &str) -> Vec<(&'static str, &'static str)> {
    TeamKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect()
}

/// Whether a refusal is shown on the page it came from (bad input, a conflict, a wrong state).
pub(super) fn shown_on_page(e: &AppError) -> bool {
    matches!(e, AppError::Validation(_) | AppError::Conflict(_) | AppError::InvalidState { .. })
}

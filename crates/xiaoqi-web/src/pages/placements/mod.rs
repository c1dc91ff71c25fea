//! Pages of placements (实习): the list of one's internships with the teacher's dashboard
//! (warnings, reports to grade, theory loop, compliance), one internship with the forms of each
//! party (phone first: one column, big buttons), and the printable tripartite agreement (A4).
//! Every form posts to one route with an `op` field; the app decides everything.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::authz::{self, is_college_staff};
use xiaoqi_app::placements::{
    AgreementInput, AttendanceInput, CommentInput, ComplianceView, EvaluationInput, GradeInput, LogInput, MentorInput,
    PlacementDetail, ReportInput, ReviewInput, SignInput, SignReviewInput, SignoffInput, TaskInput, TheoryLoop,
    WarningRow, WeeklyReportInput,
};
use xiaoqi_app::talent::vocab;
use xiaoqi_domain::FieldError;
use xiaoqi_domain::internship::RuleStatus;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::placement::format_centi;
use xiaoqi_store::{PlacementRecord, PlacementSettings};

use super::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::{ApiPath, ApiQuery};

/// A placement as one card.
struct Card {
    id: i64,
    student: String,
    enterprise: String,
    title: String,
    status: &'static str,
    status_code: &'static str,
}

fn card(r: &PlacementRecord, lang: &str) -> Card {
    Card {
        id: r.id,
        student: r.student_name.clone(),
        enterprise: r.enterprise_name.clone(),
        title: r.place.title.clone(),
        status: r.status.label(lang),
        status_code: r.status.as_str(),
    }
}

/// One rule's line in a compliance table.
struct RuleLine {
    title: &'static str,
    status: &'static str,
    label_key: &'static str,
    note: String,
}

fn rule_lines(checks: &[xiaoqi_domain::internship::RuleCheck], lang: &str) -> Vec<RuleLine> {
    let en = lang == "en";
    checks
        .iter()
        .map(|c| {
            let msg = |v: &xiaoqi_domain::internship::Violation| if en { v.en.clone() } else { v.zh.clone() };
            let (status, label_key, note) = match &c.status {
                RuleStatus::NotApplicable => ("not_applicable", "placements.rule_not_applicable", String::new()),
                RuleStatus::Met => ("met", "placements.rule_met", String::new()),
                RuleStatus::Violated(v) => ("violated", "placements.rule_violated", msg(v)),
                RuleStatus::Outstanding(v) => ("outstanding", "placements.rule_outstanding", msg(v)),
            };
            RuleLine { title: c.rule.label(lang), status, label_key, note }
        })
        .collect()
}

/// The college whose dashboard the person sees: the first where they are staff.
fn staff_college(ctx: &Ctx) -> Option<i64> {
    let p = ctx.principal.as_ref()?;
    p.orgs().into_iter().find(|(o, _, k)| *k == OrgKind::College && is_college_staff(p, *o)).map(|(o, _, _)| o)
}

mod detail;
mod list;

pub(super) use detail::{agreement, detail, post};
pub(super) use list::{list, settings};

//! Order class pages: the list, the terms form (a draft, or an amendment once signed), the class
//! page with the forms of the steps the viewer may take, and the printable agreement (Chinese, A4).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::order_class::{
    AdvanceInput, AnswerInput, ApplyInput, DisbursementInput, NewOrderClassInput, OfferInput, OrderClassView,
    ScoreInput, SelectionInput,
};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::order_class::{
    AssessmentWeights, CommittedPost, CourseInput, EmploymentInput, EnrolmentStatus, OrderClassStatus,
    ScholarshipInput, Terms, TermsInput,
};
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::service::{Side, format_tenths};
use xiaoqi_store::{OrderClassRecord, OrgFilter};

use super::forms::opt_text;
use super::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, forms, page_error, render, see_other,
    shanghai, unless_refused,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::i18n::{Lang, T};

mod agreement;
mod class;
mod list;
mod terms_form;

pub(super) use agreement::agreement;
pub(super) use class::{act, class_page};
pub(super) use list::list;
pub(super) use terms_form::{create, edit_form, edit_submit, majors_fragment, new_form};

struct Row {
    id: i64,
    name: String,
    college: String,
    enterprise: String,
    status: String,
    status_code: &'static str,
    updated: String,
}

fn row(r: &OrderClassRecord, lang: &str) -> Row {
    Row {
        id: r.id,
        name: r.terms.class_name.clone(),
        college: r.college_name.clone(),
        enterprise: r.enterprise_name.clone(),
        status: r.status.label(lang).into(),
        status_code: r.status.as_str(),
        updated: shanghai(r.updated_at),
    }
}

/// The terms as lines for people: (label, value).
fn term_lines(t: &T, v: &OrderClassView) -> Vec<(String, String)> {
    let lang = t.code();
    let terms: &Terms = &v.record.terms;
    let majors = v.majors.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("、");
    let posts = terms
        .employment
        .posts
        .iter()
        .map(|p| match &p.occupation_code {
            Some(c) => format!("{}（{c}）", p.title),
            None => p.title.clone(),
        })
        .collect::<Vec<_>>()
        .join("、");
    let mut out = vec![
        (t.get("oc.majors").to_string(), majors),
        (t.get("oc.quota").to_string(), terms.quota.to_string()),
        (t.get("oc.posts").to_string(), posts),
        (t.get("oc.pay_floor").to_string(), format!("¥{}", Fen(terms.employment.pay_floor_fen))),
        (t.get("oc.service_years").to_string(), terms.employment.service_years.to_string()),
        (
            t.get("oc.weights").to_string(),
            format!(
                "{} {}% · {} {}%",
                Side::College.label(lang),
                terms.weights.college,
                Side::Enterprise.label(lang),
                terms.weights.enterprise
            ),
        ),
    ];
    out.push((
        t.get("oc.hours").to_string(),
        format!(
            "{} {} · {} {}",
            Side::College.label(lang),
            terms.hours_by(Side::College),
            Side::Enterprise.label(lang),
            terms.hours_by(Side::Enterprise)
        ),
    ));
    out
}

/// The curriculum as shown: (course, taught by, kind, hours).
fn course_rows(lang: &str, terms: &Terms) -> Vec<(String, String, String, i64)> {
    terms
        .courses
        .iter()
        .map(|c| (c.name.clone(), c.taught_by.label(lang).to_string(), c.kind.label(lang).to_string(), c.hours))
        .collect()
}

/// The scholarships as shown: (name, amount, recipients, condition).
fn scholarship_rows(terms: &Terms) -> Vec<(String, String, i64, String)> {
    terms
        .scholarships
        .iter()
        .map(|x| (x.name.clone(), format!("¥{}", Fen(x.amount_fen)), x.count, x.condition.clone()))
        .collect()
}

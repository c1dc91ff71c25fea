//! Graduate destinations (毕业去向): the career officer's register with the figures as of two
//! dates, and the student's own entry.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use xiaoqi_app::AppError;
use xiaoqi_app::outcomes::destinations::{DestinationInput, DestinationView, RegisterQuery};
use xiaoqi_app::outcomes::figures::{CohortFigures, default_dates};
use xiaoqi_domain::destination::{DestinationKind, DestinationStatus, Ratio};
use xiaoqi_domain::sme::SizeClass;

use super::research::shown_on_page;
use super::{Chrome, CsrfForm, FormErrors, PageParams, Pager, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::i18n::T;

type Form = BTreeMap<String, String>;

fn field(f: &Form, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

/// A ratio as people read it: `3/4 = 75.00%`, and `—` (with the reason) over nothing.
fn ratio(t: &T, r: &Ratio, none: &str) -> String {
    match r.percent() {
        Some(p) => format!("{p}（{}/{}）", r.part, r.whole),
        None => format!("— {}", t.get(none)),
    }
}

/// One row of the figures table: a label and the value at each date.
struct FigureRow {
    key: &'static str,
    label: String,
    values: Vec<String>,
}

/// One bar of the chart: the placement rate at a date, in hundredths of a percent.
struct Bar {
    label: String,
    y: u32,
    height: u32,
    text: String,
}

fn figure_rows(t: &T, f: &CohortFigures) -> Vec<FigureRow> {
    let lang = t.code();
    let mut rows = vec![FigureRow {
        key: "graduates",
        label: t.get("dest.graduates").to_string(),
        values: f.dates.iter().map(|d| d.figures.graduates.to_string()).collect(),
    }];
    for (i, k) in DestinationKind::ALL.iter().enumerate() {
        rows.push(FigureRow {
            key: k.as_str(),
            label: k.label(lang).to_string(),
            values: f.dates.iter().map(|d| d.figures.by_kind.get(i).map_or(0, |x| x.1).to_string()).collect(),
        });
    }
    let no_record = DestinationKind::ALL.len();
    rows.push(FigureRow {
        key: "no_record",
        label: t.get("dest.no_record").to_string(),
        values: f.dates.iter().map(|d| d.figures.by_kind.get(no_record).map_or(0, |x| x.1).to_string()).collect(),
    });
    type Pick = fn(&xiaoqi_domain::destination::Figures) -> &Ratio;
    let rates: [(&'static str, &'static str, &'static str, Pick); 4] = [
        ("placement_rate", "dest.placement_rate", "dest.no_graduates", |f| &f.placement_rate),
        ("related_to_major_rate", "dest.related_rate", "dest.no_employed", |f| &f.related_to_major),
        ("sme_share", "dest.sme_share", "dest.no_employed", |f| &f.sme_share),
        ("alliance_share", "dest.alliance_share", "dest.no_employed", |f| &f.alliance_share),
    ];
    for (key, label, none, pick) in rates {
        rows.push(FigureRow {
            key,
            label: t.get(label).to_string(),
            values: f.dates.iter().map(|d| ratio(t, pick(&d.figures), none)).collect(),
        });
    }
    rows.push(FigureRow {
        key: "awaiting_check",
        label: t.get("dest.awaiting_check").to_string(),
        values: f.dates.iter().map(|d| d.figures.awaiting_check.to_string()).collect(),
    });
    rows
}

/// The placement rate at each date as bars 0–100 % high (160 px), server-drawn.
fn bars(f: &CohortFigures) -> Vec<Bar> {
    f.dates
        .iter()
        .map(|d| {
            let bp = d.figures.placement_rate.basis_points.unwrap_or(0);
            let height = bp * 160 / 10_000;
            Bar {
                label: d.as_of.clone(),
                y: 180 - height,
                height,
                text: d.figures.placement_rate.percent().unwrap_or_else(|| "—".into()),
            }
        })
        .collect()
}

/// What a form of an entry shows again after a refusal.
#[derive(Default)]
struct Entered {
    student_no: String,
    cohort: String,
    kind: String,
    date: String,
    employer_org_id: String,
    employer_name: String,
    occupation_code: String,
    note: String,
}

impl Entered {
    fn of(f: &Form) -> Entered {
        Entered {
            student_no: field(f, "student_no"),
            cohort: field(f, "cohort"),
            kind: field(f, "kind"),
            date: field(f, "date"),
            employer_org_id: field(f, "employer_org_id"),
            employer_name: field(f, "employer_name"),
            occupation_code: field(f, "occupation_code"),
            note: field(f, "note"),
        }
    }
}

fn input_of(f: &Form, with_student: bool) -> Result<DestinationInput, AppError> {
    let mut read = forms::Reader::new();
    let cohort = read.int("cohort", &field(f, "cohort"));
    let employer_org_id = read.opt_int("employer_org_id", &field(f, "employer_org_id"));
    read.finish()?;
    Ok(DestinationInput {
        student_no: if with_student { forms::opt_text(&field(f, "student_no")) } else { None },
        cohort,
        kind: field(f, "kind"),
        date: field(f, "date"),
        employer_org_id,
        employer_name: forms::opt_text(&field(f, "employer_name")),
        occupation_code: forms::opt_text(&field(f, "occupation_code")),
        note: forms::opt_text(&field(f, "note")),
    })
}

fn kinds(t: &T) -> Vec<(&'static str, &'static str)> {
    DestinationKind::ALL.iter().map(|k| (k.as_str(), k.label(t.code()))).collect()
}

/// An entry as a row of the register.
struct EntryShown {
    v: DestinationView,
    kind: &'static str,
    status: &'static str,
    /// The employer's SME size class from the directory, labelled.
    size: Option<&'static str>,
    done: bool,
}

fn shown(t: &T, v: DestinationView) -> EntryShown {
    EntryShown {
        kind: v.record.kind.label(t.code()),
        status: v.record.status.label(t.code()),
        size: v.record.employer_size_class.as_deref().and_then(SizeClass::parse).map(|c| c.label(t.code())),
        done: v.record.status == DestinationStatus::Checked,
        v,
    }
}

/// The register's query for a typed cohort, or none (the current year) when it does not read.
fn cohort_query(cohort: String) -> BTreeMap<String, String> {
    if forms::parse_int("cohort", &cohort).ok().flatten().is_some() {
        BTreeMap::from([("cohort".to_string(), cohort)])
    } else {
        BTreeMap::new()
    }
}

mod employer;
mod own;
mod register;

pub(super) use employer::{confirm, employed};
pub(super) use own::{own, own_submit, start};
pub(super) use register::{check, import_submit, record, register};

//! Pages of research cooperation, part 2: a project's agreement (terms, signatures, amendments),
//! its results and conversions with the ledger, the statements, government programmes with
//! applications and awards, and the measures with their formulas.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use xiaoqi_app::AppError;
use xiaoqi_app::research::{
    AgreementView, ApplicationInput, AwardInput, ConversionDecisionInput, ConversionInput, ConversionView,
    InventorInput, MeasuresView, PartyInput, ProgrammeInput, ProgrammeView, ResultInput, SignInput, Statement,
    TermsInput, managed_colleges,
};
use xiaoqi_app::services::acting_orgs;
use xiaoqi_domain::benefit::{IpOwnership, Terms};
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::service::Side;
use xiaoqi_domain::sme::SizeClass;
use xiaoqi_store::{ProgrammeRecord, ResultOwner, ResultRecord};

use super::research::shown_on_page;
use super::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

mod agreement;
mod measures;
mod programmes;
mod results;

pub(super) use agreement::{agreement, propose, sign};
pub(super) use measures::measures;
pub(super) use programmes::{apply, award, programme, programmes, publish};
pub(super) use results::{decide_conversion, record_conversion, register_result, results, statements};

type Form = BTreeMap<String, String>;

fn yuan(fen: i64) -> String {
    Fen(fen).to_cny_string()
}

fn pct(hundredths: i64) -> String {
    xiaoqi_domain::decimal::hundredths(hundredths)
}

fn rate(r: Option<u32>) -> String {
    r.map_or_else(|| "—".to_string(), |v| format!("{} %", pct(i64::from(v))))
}

fn field(f: &Form, k: &str) -> String {
    f.get(k).cloned().unwrap_or_default()
}

/// A form value for a page, empty when absent.
trait FormValues {
    fn form(&self) -> &Form;
    fn val(&self, k: &str) -> &str {
        self.form().get(k).map_or("", String::as_str)
    }
}

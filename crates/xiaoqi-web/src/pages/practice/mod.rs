//! Pages of practice places and allocation rounds: the places of alliance enterprises with the
//! offer form, a round for its students (ranked preferences, outcome and certificate), for its
//! places' enterprises (ranking the applicants) and for its college (run, outcomes).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use xiaoqi_app::practice::{MAX_PREFERENCES, OutcomeView, PlaceInput, PreferencesInput, RankingInput, RoundInput};
use xiaoqi_app::talent::vocab;
use xiaoqi_app::{AppError, authz};
use xiaoqi_domain::internship::InternshipKind;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_store::PlaceRecord;

use super::forms::opt_text;
use super::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, forms, page_error, render, see_other,
    unless_refused,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

mod places;
mod rounds;

pub(super) use places::{offer, open_round, place, places, update_place};
pub(super) use rounds::{preferences, ranking, round, run};

/// A place as one card or row.
struct PlaceRow {
    id: i64,
    kind: &'static str,
    title: String,
    enterprise: String,
    period: String,
    capacity: i64,
    effective: i64,
    pay: String,
}

fn place_row(pl: &PlaceRecord, lang: &str) -> PlaceRow {
    let f = &pl.fields;
    PlaceRow {
        id: pl.id,
        kind: f.kind.label(lang),
        title: f.title.clone(),
        enterprise: pl.org_name.clone(),
        period: format!("{} – {}", f.start_date, f.end_date),
        capacity: f.capacity,
        effective: f.effective_capacity,
        pay: Fen(f.monthly_pay_fen).to_cny_string(),
    }
}

/// The enterprises where the person may offer places (administrators and HR).
fn offering_orgs(ctx: &Ctx) -> Vec<(i64, String)> {
    let Some(p) = ctx.principal.as_ref() else { return Vec::new() };
    p.orgs()
        .into_iter()
        .filter(|(o, _, k)| *k == OrgKind::Enterprise && authz::recruits_for(p, *o))
        .map(|(o, n, _)| (o, n))
        .collect()
}

/// The colleges whose rounds the person sees (staff and students).
fn round_colleges(ctx: &Ctx) -> Vec<(i64, String)> {
    let Some(p) = ctx.principal.as_ref() else { return Vec::new() };
    p.orgs().into_iter().filter(|(_, _, k)| *k == OrgKind::College).map(|(o, n, _)| (o, n)).collect()
}

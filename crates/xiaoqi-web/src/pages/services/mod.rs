//! The marketplace pages: offerings with filters, one offering with its request form, a
//! college's own offerings (publish, edit, withdraw) and the training invitation form.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::services::{
    InvitationInput, OfferingActions, OfferingInput, OfferingPatch, OfferingQuery, RequestInput, acting_orgs, acts_for,
    price_label,
};
use xiaoqi_app::{AppError, Principal};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceKind, Side};
use xiaoqi_store::{OrgFilter, ServiceOfferingRecord};

use super::forms::opt_text;
use super::{Chrome, CsrfForm, FormErrors, Pager, all_pages, field_messages, forms, page_error, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

/// One offering as the pages list it.
pub(super) struct OfferingRow {
    id: i64,
    title: String,
    college_id: i64,
    college_name: String,
    kind: String,
    price: String,
    capacity: i64,
    status: String,
    active: bool,
    description: String,
}

fn row(o: &ServiceOfferingRecord, lang: &str) -> OfferingRow {
    OfferingRow {
        id: o.id,
        title: o.fields.title.clone(),
        college_id: o.org_id,
        college_name: o.college_name.clone(),
        kind: o.fields.kind.label(lang).into(),
        price: price_label(o, lang),
        capacity: o.fields.capacity,
        status: o.status.label(lang).into(),
        active: o.status == OfferingStatus::Active,
        description: o.fields.description.clone(),
    }
}

/// (code, label) pairs of an enum, for selects.
fn kinds(lang: &str) -> Vec<(&'static str, &'static str)> {
    ServiceKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect()
}

fn units(lang: &str) -> Vec<(&'static str, &'static str)> {
    PriceUnit::ALL.iter().map(|u| (u.as_str(), u.label(lang))).collect()
}

/// The enterprises the caller acts for: (id, name).
fn my_enterprises(p: &Principal) -> Vec<(i64, String)> {
    let ids = acting_orgs(p, Side::Enterprise);
    p.orgs().into_iter().filter(|(id, _, _)| ids.contains(id)).map(|(id, name, _)| (id, name)).collect()
}

mod college;
mod invite;
mod market;

pub(super) use college::{college_services, create_submit, edit_page, edit_submit};
pub(super) use invite::{invite_page, invite_submit};
pub(super) use market::{marketplace, offering_page, request_submit};

//! Pages of the talent market: demands (list, post, detail with matches), the student's
//! profile and consents, a college's demand insight, and the search box.

mod college;
mod demand_form;
mod demands;
mod profile;
mod search;

pub(super) use college::{edit_major, insight, save_major};
pub(super) use demand_form::{create_demand, edit_demand, new_demand, suggest, update_demand};
pub(super) use demands::{demand, demand_action, demands};
pub(super) use profile::{grant_consent, profile, revoke_consent, save_profile, student};
pub(super) use search::search;

use xiaoqi_app::talent::demand::DemandView;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::time::Date;

use crate::ctx::Ctx;

/// An amount for a form field (`4200.00`).
fn yuan(f: Option<i64>) -> String {
    f.map(|v| Fen(v).to_yuan_string()).unwrap_or_default()
}

/// An amount as people read it (`¥4,200.00`).
fn cny(f: Option<i64>) -> String {
    f.map(|v| Fen(v).to_cny_string()).unwrap_or_default()
}

fn date(d: Option<i64>) -> String {
    d.map(|d| Date(d).format()).unwrap_or_default()
}

/// A demand as one row or card.
struct DemandRow {
    id: i64,
    title: String,
    org_name: String,
    status: String,
    status_code: &'static str,
    occupation: String,
    region: String,
    headcount: i64,
    pay: String,
    valid_until: String,
}

fn row(d: &DemandView, lang: &str) -> DemandRow {
    let c = &d.record.content;
    let pay = match (c.pay_min_fen, c.pay_max_fen) {
        (None, None) => String::new(),
        (lo, hi) => format!("{}–{}", cny(lo), cny(hi)),
    };
    DemandRow {
        id: d.record.id,
        title: c.title.clone(),
        org_name: d.record.org_name.clone(),
        status: d.effective_status.label(lang).into(),
        status_code: d.effective_status.as_str(),
        occupation: d.occupation_name.clone().unwrap_or_default(),
        region: d.region_name.clone().unwrap_or_default(),
        headcount: c.headcount,
        pay,
        valid_until: Date(c.valid_until).format(),
    }
}

/// The enterprises where the person may post demands.
fn writable_orgs(ctx: &Ctx) -> Vec<(i64, String)> {
    let Some(p) = ctx.principal.as_ref() else { return Vec::new() };
    p.orgs()
        .into_iter()
        .filter(|(o, _, k)| *k == OrgKind::Enterprise && xiaoqi_app::authz::recruits_for(p, *o))
        .map(|(o, n, _)| (o, n))
        .collect()
}

fn list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect()
}

//! One order class as its viewer sees it: terms, versions, signatures, students with scores and
//! employment, the ledger with totals, the conversion rate and the steps the viewer may take.

use serde::Serialize;
use xiaoqi_domain::order_class::{
    ConversionRate, EmploymentStatus, EnrolmentStatus, OrderClassAction, OrderClassStatus, composite_thousandths,
    format_thousandths,
};
use xiaoqi_domain::service::Side;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{
    DisbursementRecord, EmploymentRecord, EnrolmentRecord, OrderClassRecord, ScoreRecord, SignatureRecord,
    TermsVersionRecord,
};

use super::{acting_sides, is_student_of, may_read, sees_everyone};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// A major of the agreement with its name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MajorName {
    pub id: i64,
    pub name: String,
}

/// One student of the class: the application, both decisions, scores, composite and offer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EnrolmentView {
    #[serde(flatten)]
    pub record: EnrolmentRecord,
    /// applied, selected (enrolled) or rejected.
    pub status: String,
    pub major_name: Option<String>,
    pub college_score_tenths: Option<i64>,
    pub enterprise_score_tenths: Option<i64>,
    /// The weighted composite, exact (e.g. "87.3"), once both sides scored.
    pub composite: Option<String>,
    pub employment: Option<EmploymentRecord>,
}

impl EnrolmentView {
    /// Whether both parties selected the student.
    pub fn enrolled(&self) -> bool {
        self.status == EnrolmentStatus::Selected.as_str()
    }
}

/// What a scholarship has paid out against its limit (amount × count).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScholarshipTotal {
    pub name: String,
    pub amount_fen: i64,
    pub count: i64,
    pub limit_fen: i64,
    pub paid_fen: i64,
    pub remaining_fen: i64,
    /// How many students received it.
    pub recipients: i64,
}

/// A class with everything its viewer may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderClassView {
    #[serde(flatten)]
    pub record: OrderClassRecord,
    pub majors: Vec<MajorName>,
    pub versions: Vec<TermsVersionRecord>,
    pub signatures: Vec<SignatureRecord>,
    /// The amendment awaiting signatures, if any.
    pub pending_version: Option<i64>,
    /// Every student for the parties' staff; the student's own row for a student.
    pub enrolments: Vec<EnrolmentView>,
    pub ledger: Vec<DisbursementRecord>,
    pub scholarship_totals: Vec<ScholarshipTotal>,
    pub paid_total_fen: i64,
    /// Students with accepted employment at the sponsor ÷ students enrolled.
    #[schema(value_type = Object)]
    pub conversion: ConversionRate,
    pub conversion_label: String,
    /// The sides the viewer acts for: college, enterprise.
    pub my_sides: Vec<String>,
    /// What the viewer may do now: edit_terms, sign, propose_amendment, sign_amendment, the
    /// lifecycle actions, apply, select, score, offer, answer, disburse.
    pub actions: Vec<String>,
}

/// How many students both parties selected.
pub(crate) async fn enrolled_count(conn: &mut Box<dyn Conn>, id: i64) -> AppResult<i64> {
    let rows = conn.list_enrolments(id).await?;
    Ok(rows
        .iter()
        .filter(|e| EnrolmentStatus::of(e.college_selected, e.enterprise_selected) == EnrolmentStatus::Selected)
        .count() as i64)
}

fn score_of(scores: &[ScoreRecord], student: i64, side: Side) -> Option<i64> {
    scores.iter().find(|s| s.student_id == student && s.side == side).map(|s| s.score_tenths)
}

/// The totals per scholarship of the current terms.
fn totals(r: &OrderClassRecord, ledger: &[DisbursementRecord]) -> Vec<ScholarshipTotal> {
    r.terms
        .scholarships
        .iter()
        .map(|s| {
            let rows: Vec<&DisbursementRecord> = ledger.iter().filter(|d| d.scholarship == s.name).collect();
            let paid: i64 = rows.iter().map(|d| d.amount_fen).sum();
            let mut students: Vec<i64> = rows.iter().map(|d| d.student_id).collect();
            students.sort_unstable();
            students.dedup();
            ScholarshipTotal {
                name: s.name.clone(),
                amount_fen: s.amount_fen,
                count: s.count,
                limit_fen: s.limit().0,
                paid_fen: paid,
                remaining_fen: s.limit().0 - paid,
                recipients: students.len() as i64,
            }
        })
        .collect()
}

/// The steps the viewer may take now, as codes.
fn actions(
    p: &Principal,
    r: &OrderClassRecord,
    signatures: &[SignatureRecord],
    pending: Option<i64>,
    mine: &[EnrolmentView],
) -> Vec<String> {
    let sides = acting_sides(p, r);
    let mut out: Vec<&str> = Vec::new();
    let signed = |v: i64, s: Side| signatures.iter().any(|x| x.version == v && x.side == s);
    if !sides.is_empty() {
        if r.status == OrderClassStatus::Draft {
            out.push("edit_terms");
            if sides.iter().any(|s| !signed(r.current_version, *s)) {
                out.push("sign");
            }
        }
        if r.status.in_force() {
            match pending {
                Some(v) if sides.iter().any(|s| !signed(v, *s)) => out.push("sign_amendment"),
                Some(_) => {}
                None => out.push("propose_amendment"),
            }
        }
        for a in r.status.actions() {
            if a != OrderClassAction::Sign && sides.iter().any(|s| a.taker().includes(*s)) {
                out.push(a.as_str());
            }
        }
        match r.status {
            OrderClassStatus::Recruiting => out.push("select"),
            OrderClassStatus::Assessment => out.push("score"),
            OrderClassStatus::Employment if sides.contains(&Side::Enterprise) => out.push("offer"),
            _ => {}
        }
        if r.status.pays_scholarships() && sides.contains(&Side::Enterprise) && !r.terms.scholarships.is_empty() {
            out.push("disburse");
        }
    }
    if is_student_of(p, r) {
        let own = mine.iter().find(|e| e.record.student_id == p.id());
        if r.status == OrderClassStatus::Recruiting && own.is_none() {
            out.push("apply");
        }
        let offered = own.and_then(|e| e.employment.as_ref()).is_some_and(|o| o.status == EmploymentStatus::Offered);
        if r.status == OrderClassStatus::Employment && offered {
            out.push("answer");
        }
    }
    out.into_iter().map(str::to_string).collect()
}

impl App {
    /// One class: alliance administrators, either party's acting staff and, once signed, the
    /// parties' members; anyone else gets 404.
    pub async fn get_order_class(&self, p: &Principal, id: i64) -> AppResult<OrderClassView> {
        let mut conn = self.store.conn().await?;
        let r = conn.find_order_class(&p.read_scope(), id).await?.ok_or(AppError::NotFound("order_class"))?;
        if !may_read(p, &r) {
            return Err(AppError::NotFound("order_class"));
        }
        let everyone = sees_everyone(p, &r);
        let all_majors = conn.list_majors(r.college_org_id).await?;
        let majors = r
            .terms
            .major_ids
            .iter()
            .map(|m| MajorName {
                id: *m,
                name: all_majors.iter().find(|x| x.id == *m).map(|x| x.name.clone()).unwrap_or_else(|| m.to_string()),
            })
            .collect();
        let versions = conn.list_terms_versions(id).await?;
        let pending_version =
            versions.iter().find(|v| v.version > r.current_version && v.effective_at.is_none()).map(|v| v.version);
        let signatures = conn.list_signatures(id).await?;
        let scores = conn.list_scores(id).await?;
        let employment = conn.list_employment(id).await?;
        let mut enrolments = Vec::new();
        let mut enrolled = 0;
        let mut employed = 0;
        for e in conn.list_enrolments(id).await? {
            let status = EnrolmentStatus::of(e.college_selected, e.enterprise_selected);
            let offer = employment.iter().find(|o| o.student_id == e.student_id).cloned();
            if status == EnrolmentStatus::Selected {
                enrolled += 1;
                if offer.as_ref().is_some_and(|o| o.status == EmploymentStatus::Accepted) {
                    employed += 1;
                }
            }
            if !everyone && e.student_id != p.id() {
                continue;
            }
            let (c, n) =
                (score_of(&scores, e.student_id, Side::College), score_of(&scores, e.student_id, Side::Enterprise));
            let major_name = conn.find_student_profile(e.student_id).await?.and_then(|s| s.major_name);
            enrolments.push(EnrolmentView {
                status: status.as_str().to_string(),
                major_name,
                college_score_tenths: c,
                enterprise_score_tenths: n,
                composite: composite_thousandths(r.terms.weights, c, n).map(format_thousandths),
                employment: offer,
                record: e,
            });
        }
        let all_ledger = conn.list_disbursements(id).await?;
        let scholarship_totals = totals(&r, &all_ledger);
        let paid_total_fen = all_ledger.iter().map(|d| d.amount_fen).sum::<i64>();
        let ledger = all_ledger.into_iter().filter(|d| everyone || d.student_id == p.id()).collect();
        let conversion = ConversionRate::of(employed, enrolled);
        let actions = actions(p, &r, &signatures, pending_version, &enrolments);
        Ok(OrderClassView {
            majors,
            versions,
            signatures,
            pending_version,
            enrolments,
            ledger,
            scholarship_totals,
            paid_total_fen,
            conversion_label: conversion.label(),
            conversion,
            my_sides: acting_sides(p, &r).iter().map(|s| s.as_str().to_string()).collect(),
            actions,
            record: r,
        })
    }
}

//! The students of an order class: applying with consent, both parties' selection, the joint
//! assessment, employment offers and answers, and the scholarship ledger.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::order_class::{
    EmploymentStatus, EnrolmentStatus, OrderClassStatus, Taker, disbursement_amount, score_tenths,
    within_scholarship_limit, within_student_award,
};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::talent::ConsentScope;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{AccountId, EnrolmentRecord, NewDisbursement, OrderClassRecord, StoreError};

use super::view::enrolled_count;
use super::{OrderClassView, acting_in, begin_on, is_student_of, not_now, notify_side};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// A student's application: the consent to share the profile with the sponsor is required.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyInput {
    /// The student consents to share their profile with the sponsoring enterprise.
    pub consent: bool,
}

/// One party's selection decision on an applicant.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectionInput {
    pub selected: bool,
}

/// One side's score of a student: 0–100, at most one decimal ("85.5").
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    pub score: String,
}

/// The enterprise's offer to an enrolled student: at least the committed pay floor.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    pub post_title: String,
    pub monthly_pay_yuan: String,
}

/// The student's answer to an offer; declining needs a reason.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub accept: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A scholarship payment to an enrolled student.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisbursementInput {
    pub student_id: AccountId,
    /// The scholarship's name, as in the terms in force.
    pub scholarship: String,
    pub amount_yuan: String,
    /// YYYY-MM-DD; today (Beijing time) when left out.
    #[serde(default)]
    pub paid_on: Option<String>,
}

/// The application of one student, or 404.
async fn enrolment_of(tx: &mut Box<dyn Conn>, id: i64, student: AccountId) -> AppResult<EnrolmentRecord> {
    tx.list_enrolments(id)
        .await?
        .into_iter()
        .find(|e| e.student_id == student)
        .ok_or(AppError::NotFound("order_class_enrolment"))
}

fn is_enrolled(e: &EnrolmentRecord) -> bool {
    EnrolmentStatus::of(e.college_selected, e.enterprise_selected) == EnrolmentStatus::Selected
}

fn not_enrolled(field: &str) -> FieldError {
    FieldError::new(
        field,
        "not_enrolled",
        "该学生未被双方录取进本订单班（not_enrolled）",
        "This student is not enrolled in the order class by both parties (not_enrolled)",
    )
}

/// The enrolled student a step is about, or 409.
async fn enrolled(tx: &mut Box<dyn Conn>, id: i64, student: AccountId) -> AppResult<EnrolmentRecord> {
    let e = enrolment_of(tx, id, student).await?;
    if is_enrolled(&e) {
        Ok(e)
    } else {
        Err(AppError::state(
            "该学生未被双方录取进本订单班",
            "This student is not enrolled in the order class by both parties",
        ))
    }
}

fn require(status: OrderClassStatus, r: &OrderClassRecord, zh: &str, en: &str) -> AppResult<()> {
    if r.status == status { Ok(()) } else { Err(not_now(zh, en, r.status)) }
}

impl App {
    /// A student of the college applies while the class recruits, consenting to share the
    /// profile with the sponsor (recorded as a consent to the enterprise); only students whose
    /// profile names a major of the agreement.
    pub async fn apply_to_order_class(&self, p: &Principal, id: i64, input: &ApplyInput) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        if !is_student_of(p, &r) {
            return Err(AppError::Forbidden);
        }
        if !input.consent {
            return Err(FieldError::new(
                "consent",
                "consent_required",
                format!("报名须同意向 {} 开放个人档案（consent_required）", r.enterprise_name),
                format!(
                    "Applying needs your consent to share your profile with {} (consent_required)",
                    r.enterprise_name
                ),
            )
            .into());
        }
        require(OrderClassStatus::Recruiting, &r, "报名", "Applying")?;
        let major = tx.find_student_profile(p.id()).await?.and_then(|s| s.content.major_id);
        if !major.is_some_and(|m| r.terms.major_ids.contains(&m)) {
            return Err(FieldError::new(
                "major",
                "major_not_in_class",
                "本订单班只招收协议所列专业的学生；请先在个人档案中填写所在专业（major_not_in_class）",
                "This class recruits only students of the majors in the agreement; set your major in your profile \
                 first (major_not_in_class)",
            )
            .into());
        }
        let at = self.now();
        tx.create_enrolment(id, p.id(), at).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                AppError::state("你已报名本订单班", "You have applied to this class already")
            }
            other => other.into(),
        })?;
        if !tx.has_consent(p.id(), r.enterprise_org_id).await? {
            tx.grant_consent(p.id(), ConsentScope::Organisation, Some(r.enterprise_org_id), at).await?;
        }
        let name = &p.account.display_name;
        let (zh, en) = (
            format!("学生{name}报名了订单班“{}”", r.terms.class_name),
            format!("Student {name} applied to the order class \"{}\"", r.terms.class_name),
        );
        notify_side(&mut tx, self.now(), &r, Side::Enterprise, "order_class.apply", zh.clone(), en.clone()).await?;
        notify_side(&mut tx, self.now(), &r, Side::College, "order_class.apply", zh, en).await?;
        let change = Change::created("order_class.apply", "order_class_enrolment", format!("{id}/{}", p.id()), input);
        record(&mut tx, self.now(), p, Some(r.college_org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// One party selects (or turns down) an applicant while the class recruits; a student is
    /// enrolled when both parties selected them, within the quota.
    pub async fn select_student(
        &self,
        p: &Principal,
        id: i64,
        student: AccountId,
        input: &SelectionInput,
    ) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        let me = acting_in(p, &r, Taker::Either)?;
        require(OrderClassStatus::Recruiting, &r, "录取学生", "Selecting students")?;
        let before = enrolment_of(&mut tx, id, student).await?;
        let (college, enterprise) = match me.side {
            Side::College => (Some(input.selected), before.enterprise_selected),
            Side::Enterprise => (before.college_selected, Some(input.selected)),
        };
        let becomes = EnrolmentStatus::of(college, enterprise) == EnrolmentStatus::Selected;
        if becomes && !is_enrolled(&before) && enrolled_count(&mut tx, id).await? >= r.terms.quota {
            return Err(AppError::state(
                format!("录取人数已达名额 {} 人", r.terms.quota),
                format!("The quota of {} students is full", r.terms.quota),
            ));
        }
        tx.set_selection(id, student, me.side, input.selected, me.actor, self.now()).await?;
        let after = enrolment_of(&mut tx, id, student).await?;
        let change =
            Change::updated("order_class.select", "order_class_enrolment", format!("{id}/{student}"), &before, &after);
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// One side scores an enrolled student during the joint assessment (may be corrected).
    pub async fn score_student(
        &self,
        p: &Principal,
        id: i64,
        student: AccountId,
        input: &ScoreInput,
    ) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        let me = acting_in(p, &r, Taker::Either)?;
        let tenths = score_tenths("score", &input.score)?;
        require(OrderClassStatus::Assessment, &r, "录入考核成绩", "Scoring")?;
        enrolled(&mut tx, id, student).await?;
        tx.put_score(id, student, me.side, tenths, me.actor, self.now()).await?;
        let change = Change::created(
            "order_class.score",
            "order_class_score",
            format!("{id}/{student}/{}", me.side.as_str()),
            &serde_json::json!({ "score_tenths": tenths }),
        );
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// The enterprise offers a post to an enrolled student, at no less than the committed pay
    /// floor; one offer per student.
    pub async fn offer_employment(
        &self,
        p: &Principal,
        id: i64,
        student: AccountId,
        input: &OfferInput,
    ) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        let me = acting_in(p, &r, Taker::Only(Side::Enterprise))?;
        let mut e = ValidationErrors::new();
        let title = e.check(required_text("post_title", &input.post_title, 60));
        let pay = e.check(Fen::parse_yuan("monthly_pay_yuan", &input.monthly_pay_yuan));
        if let Some(pay) = pay
            && pay.0 < r.terms.employment.pay_floor_fen
        {
            let floor = Fen(r.terms.employment.pay_floor_fen);
            e.push(FieldError::new(
                "monthly_pay_yuan",
                "pay_below_floor",
                format!("月薪 {pay} 元低于协议承诺的最低月薪 {floor} 元（pay_below_floor）"),
                format!("The monthly pay of {pay} yuan is below the agreed floor of {floor} yuan (pay_below_floor)"),
            ));
        }
        e.into_result()?;
        let (Some(title), Some(pay)) = (title, pay) else { return Err(AppError::Internal("no offer".into())) };
        require(OrderClassStatus::Employment, &r, "发出录用通知", "Offering employment")?;
        enrolled(&mut tx, id, student).await?;
        tx.create_offer(id, student, &title, pay.0, me.actor, self.now()).await.map_err(|e| match e {
            StoreError::Conflict { .. } => {
                AppError::state("已向该学生发出过录用通知", "This student has had an offer already")
            }
            other => other.into(),
        })?;
        let change = Change::created("order_class.offer", "order_class_employment", format!("{id}/{student}"), input);
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// The student accepts or declines (with a reason) their own open offer.
    pub async fn answer_offer(
        &self,
        p: &Principal,
        id: i64,
        student: AccountId,
        input: &AnswerInput,
    ) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        if p.id() != student {
            return Err(AppError::Forbidden);
        }
        let reason = optional_text("reason", input.reason.as_deref(), 500)?;
        if !input.accept && reason.is_none() {
            return Err(FieldError::required("reason").into());
        }
        require(OrderClassStatus::Employment, &r, "答复录用通知", "Answering an offer")?;
        let offer = tx.list_employment(id).await?.into_iter().find(|o| o.student_id == student);
        let Some(to) = offer.as_ref().and_then(|o| o.status.answer(input.accept)) else {
            return Err(AppError::state("没有待答复的录用通知", "There is no open offer to answer"));
        };
        let reason = if to == EmploymentStatus::Declined { reason } else { None };
        tx.answer_offer(id, student, to, reason.as_deref(), self.now()).await?;
        let name = &p.account.display_name;
        let (zh, en) = (
            format!("学生{name}{}了订单班“{}”的录用通知", to.label_zh(), r.terms.class_name),
            format!("Student {name} {} the offer of \"{}\"", to.label_en().to_lowercase(), r.terms.class_name),
        );
        notify_side(&mut tx, self.now(), &r, Side::Enterprise, "order_class.answer", zh, en).await?;
        let change =
            Change::updated("order_class.answer", "order_class_employment", format!("{id}/{student}"), &offer, input);
        record(&mut tx, self.now(), p, Some(r.college_org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }

    /// The enterprise records a scholarship payment to an enrolled student, from training until
    /// the employment decisions. A scholarship pays at most amount × count in total and to at
    /// most `count` students; a payment beyond that is refused (422) and nothing is written.
    pub async fn record_disbursement(
        &self,
        p: &Principal,
        id: i64,
        input: &DisbursementInput,
    ) -> AppResult<OrderClassView> {
        let (mut tx, r) = begin_on(self, p, id).await?;
        let me = acting_in(p, &r, Taker::Only(Side::Enterprise))?;
        // A class that pays nothing now refuses any payment, before its amount is weighed.
        if !r.status.pays_scholarships() {
            return Err(not_now("发放奖学金", "Paying scholarships", r.status));
        }
        let mut e = ValidationErrors::new();
        let amount = e.check(disbursement_amount("amount_yuan", &input.amount_yuan));
        let today = self.today();
        let paid_on = match input.paid_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => e.check(Date::parse("paid_on", s)),
            None => Some(today),
        };
        if paid_on.is_some_and(|d| d > today) {
            e.push(FieldError::new(
                "paid_on",
                "paid_on_future",
                "发放日期不能晚于今天",
                "The payment date cannot be in the future",
            ));
        }
        let scholarship = r.terms.scholarship(input.scholarship.trim()).cloned();
        if scholarship.is_none() {
            e.push(FieldError::new(
                "scholarship",
                "scholarship_unknown",
                format!("协议中没有名为“{}”的奖学金（scholarship_unknown）", input.scholarship.trim()),
                format!(
                    "The agreement has no scholarship named \"{}\" (scholarship_unknown)",
                    input.scholarship.trim()
                ),
            ));
        }
        let enrolment = tx.list_enrolments(id).await?.into_iter().find(|x| x.student_id == input.student_id);
        if !enrolment.as_ref().is_some_and(is_enrolled) {
            e.push(not_enrolled("student_id"));
        }
        let ledger = tx.list_disbursements(id).await?;
        if let (Some(s), Some(amount)) = (&scholarship, amount) {
            let rows: Vec<_> = ledger.iter().filter(|d| d.scholarship == s.name).collect();
            let paid = Fen(rows.iter().map(|d| d.amount_fen).sum());
            e.check(within_scholarship_limit("amount_yuan", s, paid, amount));
            let to_student = Fen(rows.iter().filter(|d| d.student_id == input.student_id).map(|d| d.amount_fen).sum());
            e.check(within_student_award("amount_yuan", s, to_student, amount));
            let mut recipients: Vec<i64> = rows.iter().map(|d| d.student_id).collect();
            recipients.sort_unstable();
            recipients.dedup();
            if !recipients.contains(&input.student_id) && recipients.len() as i64 >= s.count {
                e.push(FieldError::new(
                    "student_id",
                    "scholarship_recipients",
                    format!("奖学金“{}”最多发给 {} 名学生，名额已满（scholarship_recipients）", s.name, s.count),
                    format!(
                        "The scholarship \"{}\" goes to at most {} students (scholarship_recipients)",
                        s.name, s.count
                    ),
                ));
            }
        }
        e.into_result()?;
        let (Some(s), Some(amount), Some(paid_on)) = (scholarship, amount, paid_on) else {
            return Err(AppError::Internal("no payment".into()));
        };
        let new = NewDisbursement {
            class_id: id,
            student_id: input.student_id,
            scholarship: s.name,
            amount_fen: amount.0,
            paid_on: paid_on.format(),
            recorded_by: me.actor,
            recorded_at: self.now(),
        };
        let row = tx.append_disbursement(&new).await?;
        let change = Change::created("order_class.disburse", "order_class_disbursement", row, input);
        record(&mut tx, self.now(), p, Some(me.org_id), change).await?;
        tx.commit().await?;
        self.get_order_class(p, id).await
    }
}

//! Service requests and training invitations: making them, seeing them and each later step.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::{self, OfferingStatus, ServiceAction, ServiceKind, ServiceRequestStatus, Side};
use xiaoqi_domain::time::Timestamp;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{
    NewServiceRequest, OrgId, ServiceRequestFilter, ServiceRequestRecord, ServiceRequestScope, ServiceStep,
};

use super::offerings::parse_kind;
use super::{acting_orgs, acts_for, may_view_request, requesting_enterprise};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::notify::notify;
use crate::{App, Principal};

/// A request for an offering.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// The enterprise asking; may be left out by someone acting for one enterprise only.
    pub enterprise_id: Option<i64>,
    /// Defaults to the offering's title.
    pub title: Option<String>,
    pub message: Option<String>,
    /// At most the offering's capacity per session.
    pub participants_expected: Option<i64>,
    /// When the enterprise would like it, in its own words ("2026年3月，周末").
    pub preferred_period: Option<String>,
}

/// An invitation to a college to run corporate training (no offering needed).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub enterprise_id: Option<i64>,
    pub title: String,
    pub message: Option<String>,
    pub participants_expected: Option<i64>,
    pub preferred_period: Option<String>,
}

/// Declining a request needs a reason, shown to the enterprise.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineInput {
    pub reason: String,
}

/// When the service takes place, in Beijing time ("2026-03-01 09:00", or RFC 3339).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    pub scheduled_start: String,
    pub scheduled_end: String,
}

/// What was delivered: hours (exact to a tenth, "12.5") and participants.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverInput {
    /// Hours delivered, more than 0 and at most 2,000, at most one decimal ("12.5").
    pub hours: String,
    pub participants: i64,
}

/// The enterprise's rating after delivery, given once.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateInput {
    /// 1 to 5.
    pub rating: i64,
    pub comment: Option<String>,
}

/// Filters of the service requests list, as typed.
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
}

/// One step taken on a request: its resulting status, who took it and when.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepView {
    /// The status the step led to (requested, accepted, …).
    pub status: String,
    pub by: String,
    pub at: i64,
}

/// A request as its viewer sees it: the record, its history and the steps the viewer may take.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceRequestView {
    #[serde(flatten)]
    pub record: ServiceRequestRecord,
    pub history: Vec<StepView>,
    /// Actions the viewer may take now: accept, decline, schedule, deliver, rate, cancel.
    pub actions: Vec<String>,
}

/// The fields shared by requests and invitations, validated.
struct Common {
    title: Option<String>,
    message: Option<String>,
    participants: Option<i64>,
    period: Option<String>,
}

fn common(
    e: &mut ValidationErrors,
    title: Option<&str>,
    message: Option<&str>,
    participants: Option<i64>,
    period: Option<&str>,
) -> Common {
    Common {
        title: e.check(optional_text("title", title, 100)).flatten(),
        message: e.check(optional_text("message", message, 2000)).flatten(),
        participants: participants.and_then(|n| e.check(service::participants("participants_expected", n))),
        period: e.check(optional_text("preferred_period", period, 100)).flatten(),
    }
}

/// The steps the caller may take on a request now.
pub fn allowed_actions(p: &Principal, r: &ServiceRequestRecord) -> Vec<ServiceAction> {
    r.status.actions().into_iter().filter(|a| acts_for(p, a.side(), party(r, a.side()))).collect()
}

/// The organisation on one side of a request.
fn party(r: &ServiceRequestRecord, side: Side) -> OrgId {
    match side {
        Side::College => r.college_org_id,
        Side::Enterprise => r.enterprise_org_id,
    }
}

/// What the other side is told after a step: (kind, Chinese, English).
fn step_notice(action: ServiceAction, r: &ServiceRequestRecord) -> (String, String, String) {
    let by = match action.side() {
        Side::College => &r.college_name,
        Side::Enterprise => &r.enterprise_name,
    };
    let done_en = match action {
        ServiceAction::Accept => "accepted",
        ServiceAction::Decline => "declined",
        ServiceAction::Schedule => "scheduled",
        ServiceAction::Deliver => "recorded the delivery of",
        ServiceAction::Rate => "rated",
        ServiceAction::Cancel => "cancelled",
    };
    let zh = format!("{by} {}了服务申请“{}”", action.label_zh(), r.title);
    let en = format!("{by} {done_en} the service request \"{}\"", r.title);
    (format!("service_request.{}", action.as_str()), zh, en)
}

/// Tells every acting member of one side about a request.
async fn notify_side(
    tx: &mut Box<dyn Conn>,
    at: i64,
    side: Side,
    r: &ServiceRequestRecord,
    kind: &str,
    zh: &str,
    en: &str,
) -> AppResult<()> {
    for account in tx.list_role_holders(party(r, side), side.acting_roles()).await? {
        notify(tx, at, account, kind, zh.to_string(), en.to_string(), Some(format!("/service-requests/{}", r.id)))
            .await?;
    }
    Ok(())
}

impl App {
    /// Requests an offering for an enterprise the caller acts for. Refused for a withdrawn
    /// offering, and for more participants than its capacity.
    pub async fn request_service(
        &self,
        p: &Principal,
        offering_id: i64,
        input: &RequestInput,
    ) -> AppResult<ServiceRequestRecord> {
        let enterprise = requesting_enterprise(p, input.enterprise_id)?;
        let mut e = ValidationErrors::new();
        let c = common(
            &mut e,
            input.title.as_deref(),
            input.message.as_deref(),
            input.participants_expected,
            input.preferred_period.as_deref(),
        );
        e.into_result()?;
        let offering = self.get_offering(p, offering_id).await?;
        if offering.status == OfferingStatus::Withdrawn {
            return Err(AppError::state(
                "该服务已下架，不再接受申请",
                "This offering has been withdrawn and takes no new requests",
            ));
        }
        if let Some(n) = c.participants {
            service::within_capacity("participants_expected", n, offering.fields.capacity)?;
        }
        let new = NewServiceRequest {
            offering_id: Some(offering.id),
            enterprise_org_id: enterprise.org_id,
            college_org_id: offering.org_id,
            kind: offering.fields.kind,
            title: c.title.unwrap_or(offering.fields.title),
            message: c.message,
            participants_expected: c.participants,
            preferred_period: c.period,
            requested_by: enterprise.actor,
            requested_at: self.now(),
        };
        self.create_request(p, &new, "service_request.create").await
    }

    /// Invites a college to run corporate training, for an enterprise the caller acts for.
    /// Only colleges can be invited.
    pub async fn invite_college(
        &self,
        p: &Principal,
        college_id: OrgId,
        input: &InvitationInput,
    ) -> AppResult<ServiceRequestRecord> {
        let enterprise = requesting_enterprise(p, input.enterprise_id)?;
        let mut e = ValidationErrors::new();
        let title = e.check(required_text("title", &input.title, 100));
        let c = common(
            &mut e,
            None,
            input.message.as_deref(),
            input.participants_expected,
            input.preferred_period.as_deref(),
        );
        e.into_result()?;
        let college = self.get_org(p, college_id).await?.record;
        if college.profile.kind != OrgKind::College {
            return Err(AppError::state(
                format!("只能邀请院校开展企业培训，{} 不是院校", college.profile.name),
                format!("Only colleges can be invited to run training; {} is not a college", college.profile.name),
            ));
        }
        let new = NewServiceRequest {
            offering_id: None,
            enterprise_org_id: enterprise.org_id,
            college_org_id: college.id,
            kind: ServiceKind::SkillsTraining,
            title: title.unwrap_or_default(),
            message: c.message,
            participants_expected: c.participants,
            preferred_period: c.period,
            requested_by: enterprise.actor,
            requested_at: self.now(),
        };
        self.create_request(p, &new, "service_request.invite").await
    }

    /// Writes a request, tells the college and records it, in one transaction.
    async fn create_request(
        &self,
        p: &Principal,
        new: &NewServiceRequest,
        action: &'static str,
    ) -> AppResult<ServiceRequestRecord> {
        let mut tx = self.store.begin().await?;
        self.require_admitted(&mut tx, new.enterprise_org_id).await?;
        let id = tx.create_service_request(new).await?;
        let r = tx.find_service_request(id).await?.ok_or(AppError::NotFound("service_request"))?;
        let (zh, en) = match r.offering_id {
            Some(_) => (
                format!("{} 申请了服务“{}”", r.enterprise_name, r.title),
                format!("{} requested the service \"{}\"", r.enterprise_name, r.title),
            ),
            None => (
                format!("{} 邀请贵校开展企业培训“{}”", r.enterprise_name, r.title),
                format!("{} invites you to run the corporate training \"{}\"", r.enterprise_name, r.title),
            ),
        };
        notify_side(&mut tx, self.now(), Side::College, &r, action, &zh, &en).await?;
        record(&mut tx, self.now(), p, Some(r.enterprise_org_id), Change::created(action, "service_request", id, &r))
            .await?;
        tx.commit().await?;
        Ok(r)
    }

    /// The caller's service requests, on either side; every request for alliance administrators.
    pub async fn list_service_requests(
        &self,
        p: &Principal,
        q: &RequestQuery,
        page: PageRequest,
    ) -> AppResult<Page<ServiceRequestRecord>> {
        let mut e = ValidationErrors::new();
        let status = q.status.as_deref().filter(|s| !s.trim().is_empty()).and_then(|s| {
            e.check(ServiceRequestStatus::parse(s.trim()).ok_or_else(|| {
                FieldError::new("status", "status_unknown", format!("未知的状态：{s}"), format!("Unknown status: {s}"))
            }))
        });
        let kind = q.kind.as_deref().filter(|k| !k.trim().is_empty()).and_then(|k| e.check(parse_kind("kind", k)));
        e.into_result()?;
        let scope = if p.is_alliance_admin() {
            ServiceRequestScope::Alliance
        } else {
            let mut orgs = acting_orgs(p, Side::Enterprise);
            orgs.extend(acting_orgs(p, Side::College));
            ServiceRequestScope::Parties(orgs)
        };
        let filter = ServiceRequestFilter { status, kind };
        Ok(self.store.conn().await?.list_service_requests(&scope, &filter, page).await?)
    }

    /// One request with its history and the steps the caller may take: either party's acting
    /// staff and alliance administrators.
    pub async fn get_service_request(&self, p: &Principal, id: i64) -> AppResult<ServiceRequestView> {
        let mut conn = self.store.conn().await?;
        let r = conn.find_service_request(id).await?.ok_or(AppError::NotFound("service_request"))?;
        // Its existence is private to its parties.
        if !may_view_request(p, &r) {
            return Err(AppError::NotFound("service_request"));
        }
        use ServiceRequestStatus as S;
        let steps = [
            (S::Requested, Some(r.requested_by), Some(r.requested_at)),
            (S::Accepted, r.accepted_by, r.accepted_at),
            (S::Declined, r.declined_by, r.declined_at),
            (S::Scheduled, r.scheduled_by, r.scheduled_at),
            (S::Delivered, r.delivered_by, r.delivered_at),
            (S::Rated, r.rated_by, r.rated_at),
            (S::Cancelled, r.cancelled_by, r.cancelled_at),
        ];
        let mut history = Vec::new();
        for (status, by, at) in steps {
            if let (Some(by), Some(at)) = (by, at) {
                let name = conn.find_account(by).await?.map(|a| a.display_name).unwrap_or_default();
                history.push(StepView { status: status.as_str().into(), by: name, at });
            }
        }
        history.sort_by_key(|s| s.at);
        let actions = allowed_actions(p, &r).iter().map(|a| a.as_str().to_string()).collect();
        Ok(ServiceRequestView { record: r, history, actions })
    }

    /// The college accepts a request.
    pub async fn accept_service_request(&self, p: &Principal, id: i64) -> AppResult<ServiceRequestRecord> {
        self.take_step(p, id, ServiceAction::Accept, |_| Ok(ServiceStep::Accept)).await
    }

    /// The college declines a request, with a reason.
    pub async fn decline_service_request(
        &self,
        p: &Principal,
        id: i64,
        input: &DeclineInput,
    ) -> AppResult<ServiceRequestRecord> {
        self.take_step(p, id, ServiceAction::Decline, |_| {
            Ok(ServiceStep::Decline { reason: required_text("reason", &input.reason, 1000)? })
        })
        .await
    }

    /// The college schedules (or reschedules) an accepted request: the end after the start.
    pub async fn schedule_service_request(
        &self,
        p: &Principal,
        id: i64,
        input: &ScheduleInput,
    ) -> AppResult<ServiceRequestRecord> {
        self.take_step(p, id, ServiceAction::Schedule, |_| {
            let mut e = ValidationErrors::new();
            let start = e.check(Timestamp::parse("scheduled_start", &input.scheduled_start));
            let end = e.check(Timestamp::parse("scheduled_end", &input.scheduled_end));
            e.into_result()?;
            let (Some(start), Some(end)) = (start, end) else { return Err(AppError::Internal("no schedule".into())) };
            let (start, end) = service::schedule(start.0, end.0)?;
            Ok(ServiceStep::Schedule { start, end })
        })
        .await
    }

    /// The college records the delivery of a scheduled request: hours and participants, not
    /// before the scheduled start.
    pub async fn deliver_service_request(
        &self,
        p: &Principal,
        id: i64,
        input: &DeliverInput,
    ) -> AppResult<ServiceRequestRecord> {
        self.take_step(p, id, ServiceAction::Deliver, |r| {
            let mut e = ValidationErrors::new();
            let hours = e.check(service::hours_tenths("hours", &input.hours));
            let participants = e.check(service::participants("participants", input.participants));
            e.into_result()?;
            let (Some(hours_tenths), Some(participants)) = (hours, participants) else {
                return Err(AppError::Internal("no delivery".into()));
            };
            if r.scheduled_start.is_some_and(|s| self.now() < s) {
                return Err(AppError::state(
                    "排期尚未开始，不能登记交付",
                    "The scheduled period has not started yet; the delivery cannot be recorded",
                ));
            }
            Ok(ServiceStep::Deliver { hours_tenths, participants })
        })
        .await
    }

    /// The enterprise rates a delivered request, once.
    pub async fn rate_service_request(
        &self,
        p: &Principal,
        id: i64,
        input: &RateInput,
    ) -> AppResult<ServiceRequestRecord> {
        self.take_step(p, id, ServiceAction::Rate, |_| {
            let mut e = ValidationErrors::new();
            let rating = e.check(service::rating("rating", input.rating));
            let comment = e.check(optional_text("comment", input.comment.as_deref(), 1000)).flatten();
            e.into_result()?;
            let rating = rating.ok_or_else(|| AppError::Internal("no rating".into()))?;
            Ok(ServiceStep::Rate { rating, comment })
        })
        .await
    }

    /// The enterprise cancels a request before it is delivered.
    pub async fn cancel_service_request(
        &self,
        p: &Principal,
        id: i64,
        reason: Option<&str>,
    ) -> AppResult<ServiceRequestRecord> {
        self.take_step(p, id, ServiceAction::Cancel, |_| {
            Ok(ServiceStep::Cancel { reason: optional_text("reason", reason, 1000)? })
        })
        .await
    }

    /// Takes one step: the caller must act for the side the step belongs to (403), the input
    /// must be valid (422) and the step allowed in the current status (409); the step, its
    /// audit entry and the other side's notifications are written together.
    async fn take_step(
        &self,
        p: &Principal,
        id: i64,
        action: ServiceAction,
        build: impl FnOnce(&ServiceRequestRecord) -> AppResult<ServiceStep>,
    ) -> AppResult<ServiceRequestRecord> {
        let mut tx = self.store.begin().await?;
        let before = tx.find_service_request(id).await?.ok_or(AppError::NotFound("service_request"))?;
        let side = action.side();
        if !may_view_request(p, &before) || !acts_for(p, side, party(&before, side)) {
            return Err(AppError::Forbidden);
        }
        let step = build(&before)?;
        debug_assert_eq!(step.action(), action);
        let Some(to) = before.status.after(action) else {
            return Err(not_now(action, before.status));
        };
        tx.advance_service_request(id, before.status, to, &step, p.id(), self.now()).await.map_err(|e| match e {
            // Another step won the race since we read the request.
            xiaoqi_store::StoreError::NotFound { .. } => not_now(action, before.status),
            other => other.into(),
        })?;
        let after = tx.find_service_request(id).await?.ok_or(AppError::NotFound("service_request"))?;
        let (kind, zh, en) = step_notice(action, &after);
        notify_side(&mut tx, self.now(), side.other(), &after, &kind, &zh, &en).await?;
        let audit = Change::updated(audit_action(action), "service_request", id, &before, &after);
        record(&mut tx, self.now(), p, Some(party(&before, side)), audit).await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// The audit action of a step.
fn audit_action(action: ServiceAction) -> &'static str {
    match action {
        ServiceAction::Accept => "service_request.accept",
        ServiceAction::Decline => "service_request.decline",
        ServiceAction::Schedule => "service_request.schedule",
        ServiceAction::Deliver => "service_request.deliver",
        ServiceAction::Rate => "service_request.rate",
        ServiceAction::Cancel => "service_request.cancel",
    }
}

/// A step the current status does not allow, named in both languages.
fn not_now(action: ServiceAction, status: ServiceRequestStatus) -> AppError {
    AppError::state(
        format!("当前状态（{}）不能{}", status.label_zh(), action.label_zh()),
        format!("{} is not possible in the current state ({})", action.label_en(), status.label_en().to_lowercase()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_step_names_the_status_and_the_action() {
        let e = not_now(ServiceAction::Rate, ServiceRequestStatus::Scheduled);
        assert_eq!(e.message("zh"), "当前状态（已排期）不能评价");
        assert_eq!(e.message("en"), "Rate is not possible in the current state (scheduled)");
    }
}

//! The services marketplace: offerings and service requests.

use async_trait::async_trait;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::{OfferingStatus, ServiceRequestStatus};
use xiaoqi_store::{
    AccountId, Millis, NewServiceRequest, OrgId, ServiceOfferingFields, ServiceOfferingFilter, ServiceOfferingRecord,
    ServiceRepo, ServiceRequestFilter, ServiceRequestRecord, ServiceRequestScope, ServiceStep, StoreResult,
};

use crate::conn::{Arg, Filter, Row, SqlConn, args, row};

const OFFERING_COLS: &str = "s.id, s.org_id, o.name AS college_name, s.kind, s.title, s.description, s.capacity, \
                             s.price_fen, s.price_unit, s.status, s.created_by, s.created_at, s.updated_at";
const OFFERING_FROM: &str = "service_offerings s JOIN organizations o ON o.id = s.org_id";

fn offering(r: &Row) -> StoreResult<ServiceOfferingRecord> {
    Ok(row! { r, ServiceOfferingRecord {
        id, org_id, college_name, status, created_by, created_at, updated_at,
        fields: ServiceOfferingFields { kind, title, description, capacity, price_fen, price_unit },
    }})
}

const REQUEST_COLS: &str = "r.id, r.offering_id, r.enterprise_org_id, e.name AS enterprise_name, r.college_org_id, \
     c.name AS college_name, r.kind, r.title, r.message, r.participants_expected, r.preferred_period, r.status, \
     r.decline_reason, r.cancel_reason, r.scheduled_start, r.scheduled_end, r.delivered_hours_tenths, \
     r.delivered_participants, r.rating, r.rating_comment, r.requested_by, r.requested_at, r.accepted_by, \
     r.accepted_at, r.declined_by, r.declined_at, r.scheduled_by, r.scheduled_at, r.delivered_by, r.delivered_at, \
     r.rated_by, r.rated_at, r.cancelled_by, r.cancelled_at, r.updated_at";
const REQUEST_FROM: &str = "service_requests r JOIN organizations e ON e.id = r.enterprise_org_id \
                            JOIN organizations c ON c.id = r.college_org_id";

fn request(r: &Row) -> StoreResult<ServiceRequestRecord> {
    Ok(row! { r, ServiceRequestRecord {
        id, offering_id, enterprise_org_id, enterprise_name, college_org_id, college_name, kind, title, message,
        participants_expected, preferred_period, status, decline_reason, cancel_reason, scheduled_start, scheduled_end,
        delivered_hours_tenths, delivered_participants, rating, rating_comment, requested_by, requested_at,
        accepted_by, accepted_at, declined_by, declined_at, scheduled_by, scheduled_at, delivered_by, delivered_at,
        rated_by, rated_at, cancelled_by, cancelled_at, updated_at,
    }})
}

/// The columns a step sets besides the status, its values, and the "who" and "when" columns.
fn step_columns(step: &ServiceStep) -> (Vec<(&'static str, Arg)>, &'static str, &'static str) {
    match step {
        ServiceStep::Accept => (vec![], "accepted_by", "accepted_at"),
        ServiceStep::Decline { reason } => (vec![("decline_reason", reason.into())], "declined_by", "declined_at"),
        ServiceStep::Schedule { start, end } => (
            vec![("scheduled_start", (*start).into()), ("scheduled_end", (*end).into())],
            "scheduled_by",
            "scheduled_at",
        ),
        ServiceStep::Deliver { hours_tenths, participants } => (
            vec![
                ("delivered_hours_tenths", (*hours_tenths).into()),
                ("delivered_participants", (*participants).into()),
            ],
            "delivered_by",
            "delivered_at",
        ),
        ServiceStep::Rate { rating, comment } => {
            (vec![("rating", (*rating).into()), ("rating_comment", comment.into())], "rated_by", "rated_at")
        }
        ServiceStep::Cancel { reason } => (vec![("cancel_reason", reason.into())], "cancelled_by", "cancelled_at"),
    }
}

#[async_trait]
impl ServiceRepo for SqlConn {
    async fn create_offering(
        &mut self,
        org: OrgId,
        f: &ServiceOfferingFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO service_offerings (org_id, kind, title, description, capacity, price_fen, price_unit, status, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $9) RETURNING id";
        let args = args![org, f.kind, &f.title, &f.description, f.capacity, f.price_fen, f.price_unit, by, at];
        self.scalar(sql, args).await
    }

    async fn update_offering(
        &mut self,
        id: i64,
        f: &ServiceOfferingFields,
        status: OfferingStatus,
        at: Millis,
    ) -> StoreResult<()> {
        let sql = "UPDATE service_offerings SET kind = $2, title = $3, description = $4, capacity = $5, price_fen = $6, \
             price_unit = $7, status = $8, updated_at = $9 WHERE id = $1";
        let args = args![id, f.kind, &f.title, &f.description, f.capacity, f.price_fen, f.price_unit, status, at];
        self.exec_one(sql, args, "service_offering").await
    }

    async fn find_offering(&mut self, id: i64) -> StoreResult<Option<ServiceOfferingRecord>> {
        self.opt(&format!("SELECT {OFFERING_COLS} FROM {OFFERING_FROM} WHERE s.id = $1"), args![id], offering).await
    }

    async fn list_offerings(
        &mut self,
        f: &ServiceOfferingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceOfferingRecord>> {
        let mut w = Filter::default();
        if let Some(k) = f.kind {
            w.push("s.kind = {}", k);
        }
        if let Some(c) = f.college {
            w.push("s.org_id = {}", c);
        }
        if let Some(st) = f.status {
            w.push("s.status = {}", st);
        }
        if f.member_colleges_only {
            w.push("o.membership = {}", MembershipStatus::Member);
        }
        self.page(OFFERING_FROM, OFFERING_COLS, &w, "s.created_at DESC, s.id DESC", page, offering).await
    }

    async fn create_service_request(&mut self, r: &NewServiceRequest) -> StoreResult<i64> {
        let sql = "INSERT INTO service_requests (offering_id, enterprise_org_id, college_org_id, kind, title, message, \
             participants_expected, preferred_period, status, requested_by, requested_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $10, $10) RETURNING id";
        let args = args![
            r.offering_id,
            r.enterprise_org_id,
            r.college_org_id,
            r.kind,
            &r.title,
            &r.message,
            r.participants_expected,
            &r.preferred_period,
            r.requested_by,
            r.requested_at,
        ];
        self.scalar(sql, args).await
    }

    async fn find_service_request(&mut self, id: i64) -> StoreResult<Option<ServiceRequestRecord>> {
        self.opt(&format!("SELECT {REQUEST_COLS} FROM {REQUEST_FROM} WHERE r.id = $1"), args![id], request).await
    }

    async fn list_service_requests(
        &mut self,
        scope: &ServiceRequestScope,
        f: &ServiceRequestFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceRequestRecord>> {
        let mut w = Filter::default();
        if let ServiceRequestScope::Parties(orgs) = scope {
            if orgs.is_empty() {
                return Ok(Page::new(Vec::new(), 0, page));
            }
            let ph = vec!["{}"; orgs.len()].join(", ");
            let args = orgs.iter().chain(orgs).map(|o| Arg::Int(*o)).collect();
            w.push_many(&format!("(r.enterprise_org_id IN ({ph}) OR r.college_org_id IN ({ph}))"), args);
        }
        if let Some(s) = f.status {
            w.push("r.status = {}", s);
        }
        if let Some(k) = f.kind {
            w.push("r.kind = {}", k);
        }
        self.page(REQUEST_FROM, REQUEST_COLS, &w, "r.updated_at DESC, r.id DESC", page, request).await
    }

    async fn advance_service_request(
        &mut self,
        id: i64,
        from: ServiceRequestStatus,
        to: ServiceRequestStatus,
        step: &ServiceStep,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let (values, by_col, at_col) = step_columns(step);
        // $1 id, $2 from, $3 to, $4 by, $5 at, then the step's own values.
        let mut sets = vec!["status = $3".to_string(), format!("{by_col} = $4"), format!("{at_col} = $5")];
        sets.push("updated_at = $5".into());
        for (i, (col, _)) in values.iter().enumerate() {
            sets.push(format!("{col} = ${}", i + 6));
        }
        // The status condition makes a step that lost a race a no-op the caller sees as NotFound.
        let sql = format!("UPDATE service_requests SET {} WHERE id = $1 AND status = $2", sets.join(", "));
        let mut args = args![id, from, to, by, at];
        args.extend(values.into_iter().map(|(_, v)| v));
        self.exec_one(&sql, args, "service_request").await
    }
}

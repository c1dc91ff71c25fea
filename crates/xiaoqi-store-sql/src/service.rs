//! The services marketplace: offerings and service requests.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceKind, ServiceRequestStatus};
use xiaoqi_store::{
    AccountId, Millis, NewServiceRequest, OrgId, ServiceOfferingFields, ServiceOfferingFilter, ServiceOfferingRecord,
    ServiceRepo, ServiceRequestFilter, ServiceRequestRecord, ServiceRequestScope, ServiceStep, StoreResult,
};

use crate::conn::{Arg, Filter, SqlConn, bind_all, code, expect_one, fetch_page, map_err};

const OFFERING_COLS: &str = "s.id, s.org_id, o.name AS college_name, s.kind, s.title, s.description, s.capacity, \
                             s.price_fen, s.price_unit, s.status, s.created_by, s.created_at, s.updated_at";
const OFFERING_FROM: &str = "service_offerings s JOIN organizations o ON o.id = s.org_id";

fn row_to_offering(r: &AnyRow) -> Result<ServiceOfferingRecord, sqlx::Error> {
    Ok(ServiceOfferingRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        college_name: r.try_get("college_name")?,
        fields: ServiceOfferingFields {
            kind: code(r, "kind", ServiceKind::parse)?,
            title: r.try_get("title")?,
            description: r.try_get("description")?,
            capacity: r.try_get("capacity")?,
            price_fen: r.try_get("price_fen")?,
            price_unit: code(r, "price_unit", PriceUnit::parse)?,
        },
        status: code(r, "status", OfferingStatus::parse)?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const REQUEST_COLS: &str = "r.id, r.offering_id, r.enterprise_org_id, e.name AS enterprise_name, r.college_org_id, \
     c.name AS college_name, r.kind, r.title, r.message, r.participants_expected, r.preferred_period, r.status, \
     r.decline_reason, r.cancel_reason, r.scheduled_start, r.scheduled_end, r.delivered_hours_tenths, \
     r.delivered_participants, r.rating, r.rating_comment, r.requested_by, r.requested_at, r.accepted_by, \
     r.accepted_at, r.declined_by, r.declined_at, r.scheduled_by, r.scheduled_at, r.delivered_by, r.delivered_at, \
     r.rated_by, r.rated_at, r.cancelled_by, r.cancelled_at, r.updated_at";
const REQUEST_FROM: &str = "service_requests r JOIN organizations e ON e.id = r.enterprise_org_id \
                            JOIN organizations c ON c.id = r.college_org_id";

fn row_to_request(r: &AnyRow) -> Result<ServiceRequestRecord, sqlx::Error> {
    Ok(ServiceRequestRecord {
        id: r.try_get("id")?,
        offering_id: r.try_get("offering_id")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        college_org_id: r.try_get("college_org_id")?,
        college_name: r.try_get("college_name")?,
        kind: code(r, "kind", ServiceKind::parse)?,
        title: r.try_get("title")?,
        message: r.try_get("message")?,
        participants_expected: r.try_get("participants_expected")?,
        preferred_period: r.try_get("preferred_period")?,
        status: code(r, "status", ServiceRequestStatus::parse)?,
        decline_reason: r.try_get("decline_reason")?,
        cancel_reason: r.try_get("cancel_reason")?,
        scheduled_start: r.try_get("scheduled_start")?,
        scheduled_end: r.try_get("scheduled_end")?,
        delivered_hours_tenths: r.try_get("delivered_hours_tenths")?,
        delivered_participants: r.try_get("delivered_participants")?,
        rating: r.try_get("rating")?,
        rating_comment: r.try_get("rating_comment")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        accepted_by: r.try_get("accepted_by")?,
        accepted_at: r.try_get("accepted_at")?,
        declined_by: r.try_get("declined_by")?,
        declined_at: r.try_get("declined_at")?,
        scheduled_by: r.try_get("scheduled_by")?,
        scheduled_at: r.try_get("scheduled_at")?,
        delivered_by: r.try_get("delivered_by")?,
        delivered_at: r.try_get("delivered_at")?,
        rated_by: r.try_get("rated_by")?,
        rated_at: r.try_get("rated_at")?,
        cancelled_by: r.try_get("cancelled_by")?,
        cancelled_at: r.try_get("cancelled_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The columns a step sets besides the status, its values, and the "who" and "when" columns.
fn step_columns(step: &ServiceStep) -> (Vec<(&'static str, Arg)>, &'static str, &'static str) {
    let text = |s: &str| Arg::Text(s.to_string());
    let opt_text = |s: &Option<String>| s.as_deref().map_or(Arg::Null, text);
    match step {
        ServiceStep::Accept => (vec![], "accepted_by", "accepted_at"),
        ServiceStep::Decline { reason } => (vec![("decline_reason", text(reason))], "declined_by", "declined_at"),
        ServiceStep::Schedule { start, end } => (
            vec![("scheduled_start", Arg::Int(*start)), ("scheduled_end", Arg::Int(*end))],
            "scheduled_by",
            "scheduled_at",
        ),
        ServiceStep::Deliver { hours_tenths, participants } => (
            vec![
                ("delivered_hours_tenths", Arg::Int(*hours_tenths)),
                ("delivered_participants", Arg::Int(*participants)),
            ],
            "delivered_by",
            "delivered_at",
        ),
        ServiceStep::Rate { rating, comment } => {
            (vec![("rating", Arg::Int(*rating)), ("rating_comment", opt_text(comment))], "rated_by", "rated_at")
        }
        ServiceStep::Cancel { reason } => (vec![("cancel_reason", opt_text(reason))], "cancelled_by", "cancelled_at"),
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
        sqlx::query_scalar(
            "INSERT INTO service_offerings (org_id, kind, title, description, capacity, price_fen, price_unit, status, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $9) RETURNING id",
        )
        .bind(org)
        .bind(f.kind.as_str())
        .bind(&f.title)
        .bind(&f.description)
        .bind(f.capacity)
        .bind(f.price_fen)
        .bind(f.price_unit.as_str())
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn update_offering(
        &mut self,
        id: i64,
        f: &ServiceOfferingFields,
        status: OfferingStatus,
        at: Millis,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE service_offerings SET kind = $2, title = $3, description = $4, capacity = $5, price_fen = $6, \
             price_unit = $7, status = $8, updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(f.kind.as_str())
        .bind(&f.title)
        .bind(&f.description)
        .bind(f.capacity)
        .bind(f.price_fen)
        .bind(f.price_unit.as_str())
        .bind(status.as_str())
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "service_offering")
    }

    async fn find_offering(&mut self, id: i64) -> StoreResult<Option<ServiceOfferingRecord>> {
        let sql = format!("SELECT {OFFERING_COLS} FROM {OFFERING_FROM} WHERE s.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_offering).transpose().map_err(map_err)
    }

    async fn list_offerings(
        &mut self,
        f: &ServiceOfferingFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ServiceOfferingRecord>> {
        let mut w = Filter::default();
        if let Some(k) = f.kind {
            w.push("s.kind = {}", Arg::Text(k.as_str().into()));
        }
        if let Some(c) = f.college {
            w.push("s.org_id = {}", Arg::Int(c));
        }
        if let Some(st) = f.status {
            w.push("s.status = {}", Arg::Text(st.as_str().into()));
        }
        if f.member_colleges_only {
            w.push("o.membership = {}", Arg::Text(MembershipStatus::Member.as_str().into()));
        }
        let order = "s.created_at DESC, s.id DESC";
        fetch_page(self.c(), OFFERING_FROM, OFFERING_COLS, &w, order, page, row_to_offering).await
    }

    async fn create_service_request(&mut self, r: &NewServiceRequest) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO service_requests (offering_id, enterprise_org_id, college_org_id, kind, title, message, \
             participants_expected, preferred_period, status, requested_by, requested_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $10, $10) RETURNING id",
        )
        .bind(r.offering_id)
        .bind(r.enterprise_org_id)
        .bind(r.college_org_id)
        .bind(r.kind.as_str())
        .bind(&r.title)
        .bind(&r.message)
        .bind(r.participants_expected)
        .bind(&r.preferred_period)
        .bind(r.requested_by)
        .bind(r.requested_at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_service_request(&mut self, id: i64) -> StoreResult<Option<ServiceRequestRecord>> {
        let sql = format!("SELECT {REQUEST_COLS} FROM {REQUEST_FROM} WHERE r.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_request).transpose().map_err(map_err)
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
            w.push("r.status = {}", Arg::Text(s.as_str().into()));
        }
        if let Some(k) = f.kind {
            w.push("r.kind = {}", Arg::Text(k.as_str().into()));
        }
        let order = "r.updated_at DESC, r.id DESC";
        fetch_page(self.c(), REQUEST_FROM, REQUEST_COLS, &w, order, page, row_to_request).await
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
        let q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(from.as_str()).bind(to.as_str()).bind(by).bind(at);
        let args: Vec<Arg> = values.into_iter().map(|(_, v)| v).collect();
        let done = bind_all(q, &args).execute(self.c()).await.map_err(map_err)?;
        expect_one(done, "service_request")
    }
}

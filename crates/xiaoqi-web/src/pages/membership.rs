//! Applying to the alliance and the administrators' approval queue.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::membership::DecisionInput;
use xiaoqi_domain::org::ApplicationStatus;
use xiaoqi_domain::page::PageRequest;

use super::{
    Chrome, CsrfForm, FormErrors, PageParams, Pager, all_pages, field_messages, page_error, render, see_other, shanghai,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

#[derive(Deserialize)]
pub(super) struct ApplyForm {
    #[serde(default)]
    message: String,
}

pub(super) async fn apply(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<ApplyForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let msg = Some(form.message.trim()).filter(|m| !m.is_empty());
    match s.app.apply_for_membership(p, id, msg).await {
        Ok(_) => see_other(&format!("/orgs/{id}")),
        Err(e) => page_error(e),
    }
}

struct QueueRow {
    id: i64,
    org_id: i64,
    org_name: String,
    message: String,
    status: String,
    pending: bool,
    reason: String,
    at: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    c: Chrome,
    rows: Vec<QueueRow>,
    errors: FormErrors,
    pager: Pager,
}

#[derive(Deserialize)]
pub(super) struct QueueQuery {
    status: Option<String>,
    /// The application just decided, to confirm it at the top of the page.
    decided: Option<i64>,
    #[serde(flatten)]
    paging: PageParams,
}

async fn queue_view(
    s: &AppState,
    ctx: &Ctx,
    (status, request): (&str, PageRequest),
    errors: FormErrors,
    flash: Option<String>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    // The same refusal as the API's for a status that does not exist.
    let st = match ApplicationStatus::parse_field("status", "status_unknown", status) {
        Ok(st) => st,
        Err(e) => return page_error(e.into()),
    };
    let page = match s.app.list_applications(p, Some(st), None, request).await {
        Ok(pg) => pg,
        Err(e) => return page_error(e),
    };
    let pager = Pager::new(&ctx.t(), &page, &format!("/membership/queue?status={}", st.as_str()));
    let code = ctx.lang.code();
    let rows = page
        .items
        .into_iter()
        .map(|a| QueueRow {
            id: a.id,
            org_id: a.org_id,
            org_name: a.org_name,
            message: a.message.unwrap_or_default(),
            status: a.status.label(code).into(),
            pending: a.status == ApplicationStatus::Pending,
            reason: a.reason.unwrap_or_default(),
            at: shanghai(a.created_at),
        })
        .collect();
    let mut c = Chrome::new(s, ctx, "/membership/queue").await;
    if let Some(f) = flash {
        c = c.with_flash(f);
    }
    render(&QueuePage { c, rows, errors, pager })
}

pub(super) async fn queue(State(s): State<AppState>, ctx: Ctx, Query(q): Query<QueueQuery>) -> Response {
    let status = q.status.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "pending".into());
    let request = match q.paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let flash = match (q.decided, ctx.principal.as_ref()) {
        (Some(id), Some(p)) => match all_pages(|r| s.app.list_applications(p, None, None, r)).await {
            Ok(all) => all
                .into_iter()
                .find(|a| a.id == id)
                .map(|a| format!("{} · {}", a.org_name, a.status.label(ctx.lang.code()))),
            Err(e) => return page_error(e),
        },
        _ => None,
    };
    queue_view(&s, &ctx, (&status, request), FormErrors::none(), flash).await
}

#[derive(Deserialize)]
pub(super) struct DecideForm {
    decision: String,
    #[serde(default)]
    reason: String,
}

pub(super) async fn decide(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<DecideForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = DecisionInput { decision: form.decision, reason: Some(form.reason).filter(|r| !r.trim().is_empty()) };
    match s.app.decide_application(p, id, &input).await {
        // Post/redirect/get: a reload of the result does not resubmit the decision.
        Ok(a) => see_other(&format!("/membership/queue?decided={}", a.id)),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            queue_view(&s, &ctx, ("pending", PageRequest::default()), errs, None).await
        }
    }
}

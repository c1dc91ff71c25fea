//! Service requests for both sides: the inbox and one request with the forms of the steps the
//! viewer may take now.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::services::{DeclineInput, DeliverInput, RateInput, RequestQuery, ScheduleInput, ServiceRequestView};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::service::{ServiceAction, ServiceRequestStatus, format_tenths};
use xiaoqi_domain::time::Timestamp;
use xiaoqi_store::ServiceRequestRecord;

use super::forms::opt_text;
use super::{Chrome, CsrfForm, FormErrors, field_messages, forms, page_error, render, see_other, shanghai};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;

struct Row {
    id: i64,
    title: String,
    kind: String,
    enterprise: String,
    college: String,
    status: String,
    status_code: &'static str,
    invitation: bool,
    updated: String,
}

fn row(r: &ServiceRequestRecord, lang: &str) -> Row {
    Row {
        id: r.id,
        title: r.title.clone(),
        kind: r.kind.label(lang).into(),
        enterprise: r.enterprise_name.clone(),
        college: r.college_name.clone(),
        status: r.status.label(lang).into(),
        status_code: r.status.as_str(),
        invitation: r.offering_id.is_none(),
        updated: shanghai(r.updated_at),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct InboxQuery {
    #[serde(default)]
    status: String,
    offset: Option<i64>,
}

#[derive(Template)]
#[template(path = "service_requests.html")]
struct InboxPage {
    c: Chrome,
    rows: Vec<Row>,
    total: u64,
    statuses: Vec<(&'static str, &'static str)>,
    q_status: String,
    prev: Option<String>,
    next: Option<String>,
}

pub(super) async fn inbox(State(s): State<AppState>, ctx: Ctx, Query(q): Query<InboxQuery>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let page = match PageRequest::new(Some(20), q.offset) {
        Ok(pg) => pg,
        Err(e) => return page_error(e.into()),
    };
    let filter = RequestQuery { status: opt_text(&q.status), kind: None };
    let result = match s.app.list_service_requests(p, &filter, page).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let code = ctx.lang.code();
    let link = |o: u64| format!("/service-requests?status={}&offset={o}", q.status.trim());
    let page = InboxPage {
        c: Chrome::new(&s, &ctx, "/service-requests").await,
        rows: result.items.iter().map(|r| row(r, code)).collect(),
        total: result.total,
        statuses: ServiceRequestStatus::ALL.iter().map(|st| (st.as_str(), st.label(code))).collect(),
        q_status: q.status.trim().to_string(),
        prev: (result.offset > 0).then(|| link(result.offset.saturating_sub(u64::from(result.limit)))),
        next: result.has_next().then(|| link(result.offset + u64::from(result.limit))),
    };
    render(&page)
}

/// The step forms as typed, for refilling them after an error.
#[derive(Deserialize, Default)]
pub(super) struct StepForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    scheduled_start: String,
    #[serde(default)]
    scheduled_end: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    participants: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

#[derive(Template)]
#[template(path = "service_request.html")]
struct DetailPage {
    c: Chrome,
    r: Row,
    v: ServiceRequestView,
    schedule: String,
    hours: String,
    history: Vec<(String, String, String)>,
    actions: Vec<&'static str>,
    f: StepForm,
    errors: FormErrors,
}

async fn detail_view(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    f: StepForm,
    errors: FormErrors,
    flash: Option<String>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_service_request(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let code = ctx.lang.code();
    let rec = &v.record;
    let schedule = match (rec.scheduled_start, rec.scheduled_end) {
        (Some(a), Some(b)) => format!("{} – {}", shanghai(a), shanghai(b)),
        _ => String::new(),
    };
    let hours = rec.delivered_hours_tenths.map(format_tenths).unwrap_or_default();
    let history = v
        .history
        .iter()
        .map(|h| {
            let label = match ServiceRequestStatus::parse(&h.status) {
                // The first step is the request itself, whatever the status says now.
                Some(ServiceRequestStatus::Requested) => ctx.t().get("requests.made").to_string(),
                Some(st) => st.label(code).to_string(),
                None => h.status.clone(),
            };
            (label, h.by.clone(), shanghai(h.at))
        })
        .collect();
    let actions = v.actions.iter().filter_map(|a| ServiceAction::parse(a)).map(ServiceAction::as_str).collect();
    // A fresh schedule form starts from the current schedule, if any.
    let mut f = f;
    if f.scheduled_start.is_empty() && errors.is_empty() {
        f.scheduled_start = rec.scheduled_start.map(|t| Timestamp(t).format_shanghai_input()).unwrap_or_default();
        f.scheduled_end = rec.scheduled_end.map(|t| Timestamp(t).format_shanghai_input()).unwrap_or_default();
    }
    let mut c = Chrome::new(s, ctx, &format!("/service-requests/{id}")).await;
    if let Some(m) = flash {
        c = c.with_flash(m);
    }
    let page = DetailPage { c, r: row(rec, code), schedule, hours, history, actions, f, errors, v };
    render(&page)
}

#[derive(Deserialize)]
pub(super) struct DoneQuery {
    /// The step just taken, to confirm it at the top of the page.
    done: Option<String>,
}

pub(super) async fn detail(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let flash = q.done.as_deref().and_then(ServiceAction::parse).map(|a| {
        let t = ctx.t();
        t.fmt("requests.done", "step", &a.label(t.code()))
    });
    detail_view(&s, &ctx, id, StepForm::default(), FormErrors::none(), flash).await
}

pub(super) async fn act(
    State(s): State<AppState>,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    CsrfForm { ctx, form }: CsrfForm<StepForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let Some(action) = ServiceAction::parse(&action) else {
        return page_error(AppError::NotFound("page"));
    };
    let app = &s.app;
    let result = async {
        match action {
            ServiceAction::Accept => app.accept_service_request(p, id).await,
            ServiceAction::Decline => {
                app.decline_service_request(p, id, &DeclineInput { reason: form.reason.clone() }).await
            }
            ServiceAction::Schedule => {
                let input = ScheduleInput {
                    scheduled_start: form.scheduled_start.clone(),
                    scheduled_end: form.scheduled_end.clone(),
                };
                app.schedule_service_request(p, id, &input).await
            }
            ServiceAction::Deliver => {
                let participants = forms::required_int("participants", &form.participants)?;
                app.deliver_service_request(p, id, &DeliverInput { hours: form.hours.clone(), participants }).await
            }
            ServiceAction::Rate => {
                let rating = forms::required_int("rating", &form.rating)?;
                app.rate_service_request(p, id, &RateInput { rating, comment: opt_text(&form.comment) }).await
            }
            ServiceAction::Cancel => app.cancel_service_request(p, id, opt_text(&form.reason).as_deref()).await,
        }
    }
    .await;
    match result {
        // Post/redirect/get: a reload does not take the step again.
        Ok(r) => see_other(&format!("/service-requests/{}?done={}", r.id, action.as_str())),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            detail_view(&s, &ctx, id, form, errs, None).await
        }
    }
}

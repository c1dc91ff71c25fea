//! Server-rendered pages (askama + htmx). They call the same app functions as the API.

mod account;
mod auth;
mod destinations;
mod directory;
pub mod forms;
mod landing;
mod membership;
mod order_classes;
mod orgs;
pub mod paging;
mod placements;
mod practice;
mod recovery;
mod refdata;
mod research;
mod research_benefit;
mod service_requests;
mod services;
mod talent;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use xiaoqi_app::AppError;
use xiaoqi_app::menu::Menu;
use xiaoqi_domain::org::Role;

use crate::AppState;
use crate::ctx::{Ctx, check_csrf};
use crate::i18n::T;
pub use forms::FormErrors;
pub use paging::{PageParams, Pager, all_pages};

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(account::home))
        .route("/login", get(auth::login_page).post(auth::login_submit))
        .route("/logout", post(auth::logout))
        .route("/register", get(auth::register_page).post(auth::register_submit))
        .route("/password/forgot", get(recovery::forgot_page).post(recovery::forgot_submit))
        .route("/password/reset", get(recovery::reset_page).post(recovery::reset_submit))
        .route("/lang/{lang}", get(auth::switch_lang))
        .route("/account", get(account::account_page))
        .route("/account/password", post(account::change_password))
        .route("/account/tokens", post(account::issue_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/notifications", get(account::notifications))
        .route("/notifications/{id}/read", post(account::mark_read))
        .route("/directory", get(directory::directory))
        .route("/orgs/{id}", get(orgs::org_page))
        .route("/orgs/{id}/edit", get(orgs::edit_page).post(orgs::edit_submit))
        .route("/orgs/{id}/apply", post(membership::apply))
        .route("/orgs/{id}/members", get(orgs::members_page).post(orgs::create_member))
        .route("/orgs/{id}/members/{account}/reset", post(orgs::reset_password))
        .route("/orgs/{id}/members/{account}/roles", post(orgs::grant_role))
        .route("/orgs/{id}/members/{account}/roles/{role}/revoke", post(orgs::revoke_role))
        .route("/orgs/{id}/majors", post(orgs::create_major))
        .route("/orgs/{id}/import", get(orgs::import_page).post(orgs::import_submit))
        .route("/orgs/{id}/import/template.csv", get(orgs::import_template))
        .route("/orgs/{id}/audit", get(orgs::audit_page))
        .route("/membership/queue", get(membership::queue))
        .route("/membership/{id}/decide", post(membership::decide))
        .route("/demands", get(talent::demands))
        .route("/demands/new", get(talent::new_demand).post(talent::create_demand))
        .route("/demands/suggest", get(talent::suggest))
        .route("/demands/{id}", get(talent::demand))
        .route("/demands/{id}/edit", get(talent::edit_demand).post(talent::update_demand))
        .route("/demands/{id}/action", post(talent::demand_action))
        .route("/me/profile", get(talent::profile).post(talent::save_profile))
        .route("/me/consents", post(talent::grant_consent))
        .route("/me/consents/{id}/revoke", post(talent::revoke_consent))
        .route("/orgs/{id}/insight", get(talent::insight))
        .route("/search", get(talent::search))
        .route("/majors/{id}/edit", get(talent::edit_major).post(talent::save_major))
        .route("/students/{id}", get(talent::student))
        .route("/services", get(services::marketplace))
        .route("/services/{id}", get(services::offering_page))
        .route("/services/{id}/request", post(services::request_submit))
        .route("/services/{id}/edit", get(services::edit_page).post(services::edit_submit))
        .route("/orgs/{id}/services", get(services::college_services).post(services::create_submit))
        .route("/orgs/{id}/invite", get(services::invite_page).post(services::invite_submit))
        .route("/service-requests", get(service_requests::inbox))
        .route("/service-requests/{id}", get(service_requests::detail))
        .route("/service-requests/{id}/{action}", post(service_requests::act))
        .route("/practice", get(practice::places).post(practice::offer))
        .route("/practice/places/{id}", get(practice::place).post(practice::update_place))
        .route("/practice/rounds", post(practice::open_round))
        .route("/practice/rounds/{id}", get(practice::round))
        .route("/practice/rounds/{id}/preferences", post(practice::preferences))
        .route("/practice/rounds/{id}/places/{place}/ranking", post(practice::ranking))
        .route("/practice/rounds/{id}/run", post(practice::run))
        .route("/research", get(research::hub))
        .route("/teams/new", get(research::new_team).post(research::create_team))
        .route("/teams/{id}", get(research::team))
        .route("/teams/{id}/edit", get(research::edit_team).post(research::update_team))
        .route("/problems/new", get(research::new_problem).post(research::create_problem))
        .route("/problems/{id}", get(research::problem))
        .route("/problems/{id}/admissions", post(research::request_admission))
        .route("/problems/{id}/admissions/{team}/{step}", post(research::admission_step))
        .route("/problems/{id}/proposals", post(research::submit_proposal))
        .route("/proposals/{id}/{step}", post(research::proposal_step))
        .route("/projects/{id}", get(research::project))
        .route("/projects/{id}/milestones/{milestone}/{step}", post(research::milestone_step))
        .route("/projects/{id}/expenditures", post(research::expenditure))
        .route("/projects/{id}/budget-lines", post(research::budget_line))
        .route("/projects/{id}/update/{what}", post(research::project_update))
        .route("/problems/{id}/close", post(research::close_problem))
        .route("/placements", get(placements::list))
        .route("/placements/settings", post(placements::settings))
        .route("/placements/{id}", get(placements::detail).post(placements::post))
        .route("/placements/{id}/agreement", get(placements::agreement))
        .route("/order-classes", get(order_classes::list))
        .route("/order-classes/new", get(order_classes::new_form).post(order_classes::create))
        .route("/order-classes/majors", get(order_classes::majors_fragment))
        .route("/order-classes/{id}", get(order_classes::class_page))
        .route("/order-classes/{id}/edit", get(order_classes::edit_form).post(order_classes::edit_submit))
        .route("/order-classes/{id}/agreement", get(order_classes::agreement))
        .route("/order-classes/{id}/act/{step}", post(order_classes::act))
        .route("/projects/{id}/agreement", get(research_benefit::agreement).post(research_benefit::propose))
        .route("/projects/{id}/agreement/sign", post(research_benefit::sign))
        .route("/projects/{id}/results", get(research_benefit::results).post(research_benefit::register_result))
        .route("/conversions/{id}/decision", post(research_benefit::decide_conversion))
        .route("/projects/{id}/conversions", post(research_benefit::record_conversion))
        .route("/projects/{id}/statements", get(research_benefit::statements))
        .route("/programmes", get(research_benefit::programmes).post(research_benefit::publish))
        .route("/programmes/{id}", get(research_benefit::programme))
        .route("/programmes/{id}/applications", post(research_benefit::apply))
        .route("/programme-applications/{id}/award", post(research_benefit::award))
        .route("/research/measures", get(research_benefit::measures))
        .route("/destinations", get(destinations::start))
        .route("/orgs/{id}/destinations", get(destinations::register).post(destinations::record))
        .route("/orgs/{id}/destinations/import", post(destinations::import_submit))
        .route("/destinations/{id}/check", post(destinations::check))
        .route("/destinations/{id}/confirm", post(destinations::confirm))
        .route("/orgs/{id}/employed-graduates", get(destinations::employed))
        .route("/me/destination", get(destinations::own).post(destinations::own_submit))
        .route("/occupations", get(refdata::occupations))
        .route("/regions", get(refdata::regions))
        .route("/api/docs", get(refdata::api_docs))
}

/// What every page shows around its content: navigation, language switch, the user.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: T,
    pub user: Option<String>,
    pub csrf: String,
    pub unread: u64,
    pub nav: Vec<(&'static str, &'static str)>,
    /// The current path, so the language switch returns here.
    pub here: String,
    pub flash: Option<String>,
}

impl Chrome {
    /// Builds the chrome for a request.
    pub async fn new(state: &AppState, ctx: &Ctx, here: &str) -> Chrome {
        let t = ctx.t();
        let menu = match &ctx.principal {
            Some(p) => state.app.menu(p),
            None => Menu::public(),
        };
        let nav = menu.entries().map(|e| (e.route, e.label)).collect();
        let mut unread = 0;
        if let Some(p) = &ctx.principal {
            // The badge is decoration: a failed count must not take the page down with it.
            unread = match state.app.unread_count(p).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "unread notifications could not be counted");
                    0
                }
            };
        }
        Chrome {
            t,
            user: ctx.principal.as_ref().map(|p| p.account.display_name.clone()),
            csrf: ctx.principal.as_ref().and_then(|p| p.csrf_token.clone()).unwrap_or_default(),
            unread,
            nav,
            here: here.to_string(),
            flash: None,
        }
    }

    /// The same chrome with a one-off message at the top.
    pub fn with_flash(mut self, msg: impl Into<String>) -> Chrome {
        self.flash = Some(msg.into());
        self
    }
}

/// Renders a template to a response (500 with a log line if rendering fails).
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: String,
}

/// An error as the answer of a page handler: `finish_errors` renders it as a page in the
/// request's language (the login page when not logged in).
pub fn page_error(e: AppError) -> Response {
    crate::error::ApiError(e).into_response()
}

/// The page for an app error: the login page when not logged in, otherwise a message.
pub async fn render_error(state: &AppState, ctx: &Ctx, e: &AppError) -> Response {
    if matches!(e, AppError::Unauthenticated) {
        return Redirect::to("/login").into_response();
    }
    render_status(state, ctx, crate::error::status_of(e), e.message(ctx.lang.code())).await
}

/// An error page with a status and a message.
pub async fn render_status(state: &AppState, ctx: &Ctx, status: StatusCode, message: String) -> Response {
    let page = ErrorPage { c: Chrome::new(state, ctx, "/").await, status: status.as_u16(), message };
    (status, render(&page)).into_response()
}

/// 404 for any unknown path: JSON under `/api/`, a page elsewhere (both finished by
/// `finish_errors`).
pub async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        let lang = req.extensions().get::<crate::i18n::Lang>().copied().unwrap_or(crate::i18n::Lang::Zh);
        return crate::error::plain_error(StatusCode::NOT_FOUND, "not_found", "接口不存在", "No such endpoint", lang);
    }
    // No body: `finish_errors` renders the page ("页面不存在").
    StatusCode::NOT_FOUND.into_response()
}

/// The messages of a refused form, each beside its field and named by the field's label.
pub fn field_messages(ctx: &Ctx, e: &AppError) -> FormErrors {
    FormErrors::of(&ctx.t(), e)
}

#[derive(Deserialize)]
struct WithCsrf<T> {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(flatten)]
    inner: T,
}

/// A submitted form with the request context; the synchroniser token has been checked.
pub struct CsrfForm<T> {
    pub ctx: Ctx,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let form = match Form::<WithCsrf<T>>::from_request(req, state).await {
            Ok(Form(f)) => f,
            Err(rej) => {
                let e = AppError::state(
                    format!("表单无法读取：{}", rej.body_text()),
                    format!("The form could not be read: {}", rej.body_text()),
                );
                return Err(page_error(e));
            }
        };
        if let Err(e) = check_csrf(&ctx, Some(&form.csrf)) {
            return Err(page_error(e));
        }
        Ok(CsrfForm { ctx, form: form.inner })
    }
}

/// An app call whose refusal the page expects (the caller may not see that panel, and the app
/// offers no view flag for it): `Ok(None)` on 403 or 404, any other error is the page's error.
pub fn unless_refused<T>(r: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Forbidden | AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Labels of roles in the page language, joined.
pub fn role_labels(t: &T, roles: &[Role]) -> String {
    roles.iter().map(|r| r.label(t.code())).collect::<Vec<_>>().join(if t.is_en() { ", " } else { "、" })
}

/// A redirect after a successful form post (303, so the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// Formats a stored timestamp for people: Asia/Shanghai.
pub fn shanghai(ms: i64) -> String {
    xiaoqi_domain::time::Timestamp(ms).format_shanghai()
}

//! Forgotten passwords: asking for a reset code, and setting a new password with it.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Chrome, FormErrors, field_messages, render, see_other};
use crate::AppState;
use crate::ctx::Ctx;

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    c: Chrome,
    login: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    c: Chrome,
    code: String,
    errors: FormErrors,
}

pub(super) async fn forgot_page(State(s): State<AppState>, ctx: Ctx) -> Response {
    render(&ForgotPage {
        c: Chrome::new(&s, &ctx, "/password/forgot").await,
        login: String::new(),
        errors: FormErrors::none(),
    })
}

#[derive(Deserialize)]
pub(super) struct ForgotForm {
    #[serde(default)]
    login: String,
}

/// Like login and registration, no synchroniser token (no session yet); `Ctx` has refused
/// cross-site posts. The page says the same whether or not the login has an account.
pub(super) async fn forgot_submit(State(s): State<AppState>, ctx: Ctx, Form(form): Form<ForgotForm>) -> Response {
    match s.app.request_password_reset(&form.login, &ctx.address).await {
        Ok(()) => {
            let c = Chrome::new(&s, &ctx, "/password/forgot").await.with_flash(ctx.t().get("forgot.sent"));
            render(&ForgotPage { c, login: String::new(), errors: FormErrors::none() })
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            let errors = field_messages(&ctx, &e);
            let c = Chrome::new(&s, &ctx, "/password/forgot").await;
            (status, render(&ForgotPage { c, login: form.login, errors })).into_response()
        }
    }
}

#[derive(Deserialize)]
pub(super) struct CodeQuery {
    code: Option<String>,
}

pub(super) async fn reset_page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<CodeQuery>) -> Response {
    let c = Chrome::new(&s, &ctx, "/password/reset").await;
    render(&ResetPage { c, code: q.code.unwrap_or_default(), errors: FormErrors::none() })
}

#[derive(Deserialize)]
pub(super) struct ResetForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    new_password: String,
}

pub(super) async fn reset_submit(State(s): State<AppState>, ctx: Ctx, Form(form): Form<ResetForm>) -> Response {
    match s.app.reset_password_with_code(&form.code, &form.new_password).await {
        Ok(()) => see_other("/login?password_changed=1"),
        Err(e) => {
            let status = crate::error::status_of(&e);
            let errors = field_messages(&ctx, &e);
            let c = Chrome::new(&s, &ctx, "/password/reset").await;
            (status, render(&ResetPage { c, code: form.code, errors })).into_response()
        }
    }
}

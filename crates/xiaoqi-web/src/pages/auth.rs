//! Login, logout, registration and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use xiaoqi_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use xiaoqi_app::directory::{OrgInput, RegistrationInput};
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::sme::Industry;

use super::forms::opt_text;
use super::{Chrome, CsrfForm, FormErrors, field_messages, forms, render, see_other};
use crate::AppState;
use crate::ctx::{Ctx, LANG_COOKIE, cookie, device_cookie, device_cookie_name, session_cookie_name};
use crate::extract::ApiPath;
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    login: String,
    errors: FormErrors,
    demo: Vec<(&'static str, String, &'static str)>,
    demo_password: &'static str,
}

async fn login_view(s: &AppState, ctx: &Ctx, login: String, errors: FormErrors) -> LoginPage {
    let t = ctx.t();
    let demo = if s.app.config().demo {
        DEMO_ACCOUNTS.iter().map(|(l, who, o)| (*l, t.get(who).to_string(), *o)).collect()
    } else {
        Vec::new()
    };
    LoginPage { c: Chrome::new(s, ctx, "/login").await, login, errors, demo, demo_password: DEMO_PASSWORD }
}

#[derive(Deserialize)]
pub(super) struct LoginQuery {
    registered: Option<String>,
    password_changed: Option<String>,
}

pub(super) async fn login_page(State(s): State<AppState>, ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    if ctx.principal.is_some() {
        return see_other("/");
    }
    let mut page = login_view(&s, &ctx, String::new(), FormErrors::none()).await;
    let t = ctx.t();
    if q.registered.is_some() {
        page.c = page.c.with_flash(t.get("login.registered"));
    } else if q.password_changed.is_some() {
        page.c = page.c.with_flash(t.get("login.password_changed"));
    }
    render(&page)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    login: String,
    password: String,
}

/// Login and registration carry no synchroniser token (there is no session yet to bind it
/// to); `Ctx` has already refused cross-site posts by `Sec-Fetch-Site` / `Origin`.
pub(super) async fn login_submit(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let secure = s.web.secure_cookies;
    let device = cookie(&headers, device_cookie_name(secure));
    match s.app.login(&form.login, &form.password, &ctx.address, device).await {
        Ok(session) => {
            // No Max-Age: the server's expiry slides with activity, the cookie lasts the browser
            // session.
            let session_cookie = format!(
                "{}={}; Path=/; HttpOnly; SameSite=Lax{}",
                session_cookie_name(secure),
                session.secret,
                if secure { "; Secure" } else { "" }
            );
            let to = if session.principal.account.must_change_password { "/account?must_change=1" } else { "/" };
            let device = device_cookie(&session.device, secure);
            let mut out = HeaderMap::new();
            for c in [session_cookie, device] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    out.append(header::SET_COOKIE, v);
                }
            }
            (StatusCode::SEE_OTHER, out, [(header::LOCATION, to.to_string())]).into_response()
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            let errors = field_messages(&ctx, &e);
            (status, render(&login_view(&s, &ctx, form.login, errors).await)).into_response()
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Empty {}

pub(super) async fn logout(State(s): State<AppState>, CsrfForm { ctx, .. }: CsrfForm<Empty>) -> Response {
    if let Some(secret) = &ctx.session_secret
        && let Err(e) = s.app.logout(secret).await
    {
        tracing::warn!(error = %e, "logout failed");
    }
    let secure = s.web.secure_cookies;
    let clear = format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        session_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    );
    (StatusCode::SEE_OTHER, [(header::SET_COOKIE, clear), (header::LOCATION, "/login".to_string())]).into_response()
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    c: Chrome,
    f: RegisterForm,
    errors: FormErrors,
    kinds: Vec<(&'static str, &'static str)>,
    industries: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct RegisterForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    employees: String,
    #[serde(default)]
    annual_revenue_yuan: String,
    #[serde(default)]
    total_assets_yuan: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    admin_name: String,
    #[serde(default)]
    admin_email: String,
    #[serde(default)]
    admin_mobile: String,
    #[serde(default)]
    password: String,
}

async fn register_view(s: &AppState, ctx: &Ctx, f: RegisterForm, errors: FormErrors) -> RegisterPage {
    let code = ctx.lang.code();
    RegisterPage {
        c: Chrome::new(s, ctx, "/register").await,
        f,
        errors,
        kinds: OrgKind::ALL.iter().filter(|k| **k != OrgKind::Alliance).map(|k| (k.as_str(), k.label(code))).collect(),
        industries: Industry::ALL.iter().map(|i| (i.as_str(), i.label(code))).collect(),
    }
}

pub(super) async fn register_page(State(s): State<AppState>, ctx: Ctx) -> Response {
    let f = RegisterForm { kind: "enterprise".into(), ..RegisterForm::default() };
    render(&register_view(&s, &ctx, f, FormErrors::none()).await)
}

pub(super) async fn register_submit(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<RegisterForm>,
) -> Response {
    let employees_value = match forms::parse_int("organization.employees", &form.employees) {
        Ok(v) => v,
        Err(e) => {
            let errors = field_messages(&ctx, &e.into());
            return (StatusCode::UNPROCESSABLE_ENTITY, render(&register_view(&s, &ctx, form, errors).await))
                .into_response();
        }
    };
    let input = RegistrationInput {
        organization: OrgInput {
            kind: form.kind.clone(),
            name: form.name.clone(),
            name_en: opt_text(&form.name_en),
            region_code: opt_text(&form.region_code),
            description: opt_text(&form.description),
            website: None,
            industry: opt_text(&form.industry),
            employees: employees_value,
            annual_revenue_yuan: opt_text(&form.annual_revenue_yuan),
            total_assets_yuan: opt_text(&form.total_assets_yuan),
            credit_code: opt_text(&form.credit_code),
        },
        admin_name: form.admin_name.clone(),
        admin_email: opt_text(&form.admin_email),
        admin_mobile: opt_text(&form.admin_mobile),
        password: form.password.clone(),
    };
    match s.app.register(&input, ctx.request_id.clone(), &ctx.address).await {
        Ok(_) => see_other("/login?registered=1"),
        Err(e) => {
            let status = crate::error::status_of(&e);
            let errors = field_messages(&ctx, &e);
            let mut f = form;
            f.password.clear();
            (status, render(&register_view(&s, &ctx, f, errors).await)).into_response()
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Next {
    next: Option<String>,
}

/// A path on this site: starts with one `/` and has only path and query characters, so that
/// neither `//host`, a backslash nor control characters (which browsers strip) can lead away.
fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_-.?=&%".contains(&b))
}

/// Remembers the language for a year and returns to the page (same-site paths only).
pub(super) async fn switch_lang(
    State(s): State<AppState>,
    ApiPath(lang): ApiPath<String>,
    Query(n): Query<Next>,
) -> Response {
    let lang = Lang::parse(&lang).unwrap_or(Lang::Zh);
    let next = n.next.filter(|p| is_local_path(p)).unwrap_or_else(|| "/".into());
    let secure = if s.web.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}", lang.code());
    (StatusCode::SEE_OTHER, [(header::SET_COOKIE, cookie), (header::LOCATION, next)]).into_response()
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed_after_switching_language() {
        assert!(is_local_path("/orgs/5/members"));
        assert!(is_local_path("/directory?kind=college&q=%E6%B7%B1"));
        for bad in ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "evil", "/a b"] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}

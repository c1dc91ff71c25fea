//! Per-request context: language, the acting principal (from a bearer token or a session
//! cookie), the request id, the client address, and the CSRF checks.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use xiaoqi_app::{AppError, Principal};

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::{Lang, T};

/// Name of the session cookie; `__Host-` pins it to this host and path `/` over HTTPS.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-xq_session" } else { "xq_session" }
}

/// Name of the device cookie: a random secret remembered (hashed) for the accounts that logged
/// in from this browser, whose right password is then never throttled.
pub fn device_cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-xq_device" } else { "xq_device" }
}

/// The `Set-Cookie` value that keeps a device cookie for 400 days.
pub fn device_cookie(secret: &str, secure: bool) -> String {
    format!(
        "{}={secret}; Path=/; Max-Age=34560000; HttpOnly; SameSite=Lax{}",
        device_cookie_name(secure),
        if secure { "; Secure" } else { "" }
    )
}

/// Marks a request whose caller is not logged in (set by `Ctx`), so that a body extracted
/// after it can answer 401 before 422.
#[derive(Debug, Clone, Copy)]
pub struct Anonymous;

/// The API writes that need no login.
pub fn is_public_write(path: &str) -> bool {
    matches!(
        path,
        "/api/v1/auth/token" | "/api/v1/registrations" | "/api/v1/password-resets" | "/api/v1/password-resets/confirm"
    )
}

/// Name of the language cookie.
pub const LANG_COOKIE: &str = "xq_lang";

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language of a request: the remembered choice, else `Accept-Language`, else Chinese.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE).and_then(Lang::parse).unwrap_or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or(Lang::Zh)
    })
}

/// Everything a handler needs to know about the caller.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub principal: Option<Principal>,
    /// The session cookie's secret, when the caller came with a live session.
    pub session_secret: Option<String>,
    /// Whether the principal came from a bearer token (no cookies, so no CSRF check).
    pub via_token: bool,
    pub request_id: Option<String>,
    pub address: String,
}

impl Ctx {
    /// The strings for templates.
    pub fn t(&self) -> T {
        T { lang: self.lang }
    }

    /// The principal, or `unauthenticated`.
    pub fn require(&self) -> Result<&Principal, AppError> {
        self.principal.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// A context for a request that was not resolved (an unknown path, an error page): the
    /// language of the request and the principal of a live session, if any; never an error.
    pub async fn lenient(headers: &HeaderMap, state: &AppState) -> Ctx {
        let lang = lang_of(headers);
        let mut ctx = Ctx {
            lang,
            principal: None,
            session_secret: None,
            via_token: false,
            request_id: None,
            address: String::new(),
        };
        if let Some(secret) = cookie(headers, session_cookie_name(state.web.secure_cookies))
            && let Ok(p) = state.app.resolve_session(secret).await
        {
            ctx.principal = Some(p);
            ctx.session_secret = Some(secret.to_string());
        }
        ctx
    }
}

fn address_of(parts: &Parts, trust_forwarded: bool) -> String {
    // The right-most entry is the one our proxy appended; the ones before it are the client's
    // to invent.
    if trust_forwarded
        && let Some(last) =
            parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.rsplit(',').next())
    {
        return last.trim().to_string();
    }
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "local".into())
}

/// The request path before any `nest` stripped its prefix.
fn full_path(parts: &Parts) -> String {
    parts.extensions.get::<OriginalUri>().map_or_else(|| parts.uri.path().to_string(), |o| o.0.path().to_string())
}

/// Where an account with a one-time password may still go: changing it, and leaving.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(path, "/account" | "/account/password" | "/logout" | "/login" | "/api/v1/me" | "/api/v1/me/password")
        || path.starts_with("/lang/")
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::resolve(parts, state).await.map_err(IntoResponse::into_response)?;
        if ctx.principal.is_none() {
            parts.extensions.insert(Anonymous);
        }
        let full = full_path(parts);
        let path = full.as_str();
        if ctx.principal.as_ref().is_some_and(|p| p.account.must_change_password)
            && !allowed_before_password_change(path)
        {
            if path.starts_with("/api/") {
                return Err(ApiError::from(AppError::PasswordChangeRequired).into_response());
            }
            return Err(Redirect::to("/account?must_change=1").into_response());
        }
        Ok(ctx)
    }
}

impl Ctx {
    async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Ctx, ApiError> {
        // Set once per request by `finish_errors`; computed here only outside the middleware.
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_else(|| lang_of(&parts.headers));
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        let address = address_of(parts, state.web.trust_forwarded_for);
        let mut ctx = Ctx { lang, principal: None, session_secret: None, via_token: false, request_id, address };
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            // A presented token must be valid: no silent fallback to anonymous.
            let p = state.app.resolve_token(token).await?;
            ctx.principal = Some(p);
            ctx.via_token = true;
        } else if let Some(secret) = cookie(&parts.headers, session_cookie_name(state.web.secure_cookies)) {
            match state.app.resolve_session(secret).await {
                Ok(p) => {
                    ctx.principal = Some(p);
                    ctx.session_secret = Some(secret.to_string());
                }
                Err(AppError::Unauthenticated) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(p) = ctx.principal.as_mut() {
            p.request_id = ctx.request_id.clone();
        }
        if !ctx.via_token && is_unsafe(&parts.method) {
            check_same_origin(&parts.headers)?;
            // API writes with a session cookie carry the token in a header; page forms carry it
            // in a field, checked by `CsrfForm`.
            if full_path(parts).starts_with("/api/") {
                let submitted = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
                check_csrf(&ctx, submitted)?;
            }
        }
        Ok(ctx)
    }
}

/// Whether a method changes state.
pub fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Refuses cross-site state-changing requests by `Sec-Fetch-Site`, else (older browsers) by
/// `Origin` against `Host`. Requests with neither header (curl, old browsers) pass here and still need the
/// synchroniser token when they carry a session.
pub fn check_same_origin(h: &HeaderMap) -> Result<(), AppError> {
    // The browser's own word wins: behind a proxy that rewrites Host, Origin and Host differ
    // even for our own pages.
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return if matches!(site, "same-origin" | "none") { Ok(()) } else { Err(AppError::Forbidden) };
    }
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
        if origin == "null" || origin_host != host {
            return Err(AppError::Forbidden);
        }
    }
    Ok(())
}

/// Checks the synchroniser token of a session-authenticated write (form field or header).
pub fn check_csrf(ctx: &Ctx, submitted: Option<&str>) -> Result<(), AppError> {
    if ctx.via_token || ctx.session_secret.is_none() {
        return Ok(());
    }
    let expected = ctx.principal.as_ref().and_then(|p| p.csrf_token.as_deref());
    match (expected, submitted) {
        (Some(e), Some(s)) if constant_time_eq(e.as_bytes(), s.as_bytes()) => Ok(()),
        _ => Err(AppError::state(
            "页面已过期，请刷新后重试（CSRF 校验失败）",
            "The page has expired; reload and try again (CSRF check failed)",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_writes_are_refused() {
        assert!(check_same_origin(&headers(&[("sec-fetch-site", "cross-site")])).is_err());
        assert!(
            check_same_origin(&headers(&[("origin", "https://evil.example"), ("host", "xiaoqi.example")])).is_err()
        );
        assert!(check_same_origin(&headers(&[("origin", "null"), ("host", "x")])).is_err());
    }

    #[test]
    fn same_origin_writes_pass() {
        assert!(check_same_origin(&headers(&[("sec-fetch-site", "same-origin")])).is_ok());
        assert!(
            check_same_origin(&headers(&[("origin", "http://127.0.0.1:8080"), ("host", "127.0.0.1:8080")])).is_ok()
        );
        assert!(check_same_origin(&HeaderMap::new()).is_ok());
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let h = headers(&[("cookie", "a=1; xq_session=abc; xq_lang=en")]);
        assert_eq!(cookie(&h, "xq_session"), Some("abc"));
        assert_eq!(cookie(&h, "xq_sess"), None);
        assert_eq!(lang_of(&h), Lang::En);
    }
}

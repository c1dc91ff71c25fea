#![doc = include_str!("../README.md")]

pub mod api;
pub mod ctx;
pub mod error;
pub mod extract;
mod finish;
pub mod i18n;
mod middleware;
pub mod pages;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xiaoqi_app::App;

/// Web-layer settings.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (behind HTTPS); also switches to the `__Host-` cookie name.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Largest accepted request body in bytes (imports included).
    pub max_body_bytes: usize,
    /// The bearer token `/metrics` requires; `None` refuses `/metrics` (404).
    pub metrics_token: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            trust_forwarded_for: false,
            max_body_bytes: 10 * 1024 * 1024,
            metrics_token: None,
        }
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub web: Arc<WebConfig>,
    openapi_json: Arc<String>,
    /// The same document, for the `/api/docs` page.
    openapi: Arc<utoipa::openapi::OpenApi>,
}

/// The whole HTTP surface: API, pages, assets, operations endpoints and middleware.
pub fn router(app: App, web: WebConfig) -> Router {
    let (api, openapi) = api::router();
    let openapi_json = Arc::new(openapi.to_pretty_json().unwrap_or_else(|_| "{}".into()));
    let max_body = web.max_body_bytes;
    let secure = web.secure_cookies;
    let state = AppState { app, web: Arc::new(web), openapi_json, openapi: Arc::new(openapi) };
    let router = Router::new()
        .merge(api)
        .merge(pages::router())
        .route("/api/openapi.json", get(openapi_doc))
        .route("/healthz", get(healthz))
        .route("/livez", get(|| async { "ok" }))
        .route("/metrics", get(metrics_text))
        .route(
            "/static/htmx.min.js",
            get(|| asset("text/javascript; charset=utf-8", include_str!("../assets/htmx.min.js"))),
        )
        .route("/static/app.css", get(|| asset("text/css; charset=utf-8", include_str!("../assets/app.css"))))
        .route(
            "/static/agreement.css",
            get(|| asset("text/css; charset=utf-8", include_str!("../assets/agreement.css"))),
        )
        .route("/static/app.js", get(|| asset("text/javascript; charset=utf-8", include_str!("../assets/app.js"))))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), finish::finish_errors))
        .with_state(state);
    middleware::apply(router, secure)
}

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

async fn openapi_doc(State(s): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], s.openapi_json.as_str().to_string()).into_response()
}

async fn healthz(State(s): State<AppState>) -> Response {
    match s.app.health().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// The metrics, only for the configured bearer token: they name routes and volumes.
async fn metrics_text(State(s): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = s.web.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let ok = given.is_some_and(|g| {
        let (a, b) = (xiaoqi_app::auth::secret_hash(g.trim()), xiaoqi_app::auth::secret_hash(token));
        a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    });
    if !ok {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], middleware::render_metrics()).into_response()
}

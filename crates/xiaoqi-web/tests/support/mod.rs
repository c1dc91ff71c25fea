//! The harness of the API tests: the real router over a fresh database (SQLite always,
//! PostgreSQL when `XIAOQI_TEST_POSTGRES_URL` is set), seeded with the demo data.

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;
use xiaoqi_app::{App, AppConfig};
use xiaoqi_store_sql::SqlStore;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A running app: the router and the use cases behind it.
pub struct TestApp {
    pub router: Router,
    pub app: App,
    url: String,
    cleanup: Option<(String, String)>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

/// The PostgreSQL server URL for tests; `None` means skip, except in CI where it must be set.
pub fn postgres_url() -> Option<String> {
    match std::env::var("XIAOQI_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(std::env::var_os("CI").is_none(), "XIAOQI_TEST_POSTGRES_URL must be set in CI");
            eprintln!("skipping PostgreSQL API test: XIAOQI_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

fn with_database(url: &str, db: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
    match query {
        Some(q) => format!("{server}/{db}?{q}"),
        None => format!("{server}/{db}"),
    }
}

impl TestApp {
    /// A fresh database with demo data; `None` when PostgreSQL is not configured (outside CI).
    pub async fn start(db: Db) -> Option<TestApp> {
        let (url, cleanup) = match db {
            Db::Sqlite => {
                let dir = std::env::temp_dir().join(unique("xq_api"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                (format!("sqlite://{}", dir.join("t.db").display()), None)
            }
            Db::Postgres => {
                let server = postgres_url()?;
                let name = unique("xq_api");
                sqlx::any::install_default_drivers();
                let mut admin =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(&server).await.expect("connect to PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("create database");
                (with_database(&server, &name), Some((server, name)))
            }
        };
        let store = SqlStore::open(&url, 4).await.expect("open store");
        let app = App::new(Arc::new(store), AppConfig { demo: true, ..AppConfig::default() });
        app.seed_demo().await.expect("seed demo data");
        let router = xiaoqi_web::router(app.clone(), xiaoqi_web::WebConfig::default());
        Some(TestApp { router, app, url, cleanup })
    }

    /// Another instance of the server on the same database, as behind a load balancer.
    pub async fn second_instance(&self) -> TestApp {
        let store = SqlStore::open(&self.url, 4).await.expect("open store");
        let app = App::new(Arc::new(store), AppConfig { demo: true, ..AppConfig::default() });
        let router = xiaoqi_web::router(app.clone(), xiaoqi_web::WebConfig::default());
        TestApp { router, app, url: self.url.clone(), cleanup: None }
    }

    /// A bearer token for a demo login.
    pub async fn token(&self, login: &str) -> String {
        self.app.issue_token_for_login(login, "test").await.expect("token").token
    }

    /// Sends a request and returns status, headers and the body as JSON (or a string).
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.expect("router never fails");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp { status, headers, json, text }
    }

    /// A JSON API call with an optional bearer token.
    pub async fn call(&self, method: &str, uri: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.send(req.expect("request")).await
    }

    /// `POST /api/v1/auth/token` with a login and a password.
    pub async fn token_login(&self, login: &str, password: &str) -> Resp {
        let body = serde_json::json!({"login": login, "password": password, "name": "test"});
        self.call("POST", "/api/v1/auth/token", None, Some(body)).await
    }

    /// An administrator adds a member to an organisation (`body` as the API takes it).
    pub async fn add_member(&self, admin_token: &str, org: i64, body: Value) -> Resp {
        self.call("POST", &format!("/api/v1/organizations/{org}/members"), Some(admin_token), Some(body)).await
    }

    /// Uploads a people file to a college's import endpoint.
    pub async fn upload(&self, token: &str, org: i64, file_name: &str, bytes: Vec<u8>) -> Resp {
        let req = Request::builder()
            .method("POST")
            .uri(format!("/api/v1/organizations/{org}/imports?file_name={file_name}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(bytes))
            .expect("request");
        self.send(req).await
    }

    /// The id of a demo organisation by name.
    pub async fn org_id(&self, name: &str) -> i64 {
        let t = self.token("admin@alliance.demo").await;
        let r = self.call("GET", &format!("/api/v1/organizations?q={}", urlencode(name)), Some(&t), None).await;
        r.json["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("no organisation named {name}: {}", r.text))
    }

    /// Drops the PostgreSQL database of this test.
    pub async fn finish(self) {
        if let Some((server, name)) = self.cleanup {
            drop(self.router);
            drop(self.app);
            if let Ok(mut admin) = <sqlx::AnyConnection as sqlx::Connection>::connect(&server).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&mut admin)
                    .await;
            }
        }
    }
}

/// A response as the tests see it.
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub json: Value,
    pub text: String,
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A valid unified social credit code built around `n`.
pub fn credit_code(n: u32) -> String {
    let first17 = format!("91440305MA5X{n:05}");
    let check = xiaoqi_domain::credit_code::check_character(&first17).expect("valid 17 characters");
    format!("{first17}{check}")
}

/// Runs one async test body on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let app = TestApp::start(Db::Sqlite).await.expect("sqlite app");
                $body(&app).await;
                app.finish().await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = TestApp::start(Db::Postgres).await {
                    $body(&app).await;
                    app.finish().await;
                }
            }
        }
    };
}

/// Logs in through the login form and returns the session cookie (`name=value`).
pub async fn page_login(app: &TestApp, login: &str) -> String {
    let body = format!("_csrf=&login={}&password=xiaoqi-demo", urlencode(login));
    let req = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    let r = app.send(req).await;
    let set = r.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).expect("a session cookie");
    set.split(';').next().expect("name=value").to_string()
}

/// A page with a session cookie (and any other cookies, `; `-separated).
pub async fn page(app: &TestApp, uri: &str, cookie: &str) -> Resp {
    app.send(Request::builder().uri(uri).header(header::COOKIE, cookie).body(Body::empty()).expect("request")).await
}

/// A form post with a session cookie; `fields` are encoded here.
pub async fn form(app: &TestApp, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    let body = fields.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&");
    let req = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    app.send(req).await
}

/// The CSRF token of a rendered page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let i = html.find(marker).expect("a csrf field") + marker.len();
    html[i..].split('"').next().unwrap_or("").to_string()
}

/// The (field, rule) pairs of an error body.
pub fn field_rules(r: &Resp) -> Vec<(String, String)> {
    r.json["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| (f["field"].as_str().unwrap_or("").to_string(), f["rule"].as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

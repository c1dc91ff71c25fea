//! The harness of the API tests: the real router over a copy of a template database (SQLite, and
//! PostgreSQL for the `postgres` variants, which are ignored unless run with `--include-ignored`
//! and `XIAOQI_TEST_POSTGRES_URL`). A test starts from an empty platform ([`TestApp::empty`]:
//! migrated, reference data loaded, nothing else) and builds what it needs with the builders in
//! [`build`]; the few that prove the demo itself start from the seeded demo ([`TestApp::demo`]).
//! A test whose answer depends on the date runs on a fixed clock ([`TestApp::empty_fixed`],
//! [`TestApp::demo_fixed`]) that it reads and advances through [`TestApp::clock`].

#![allow(dead_code)]

pub mod build;
#[path = "../../../xiaoqi-store-sql/tests/support/template_db.rs"]
pub mod template_db;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;
use xiaoqi_app::{App, AppConfig, Clock, FixedClock, SystemClock};
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store_sql::SqlStore;

use self::template_db::{Engine, Template, TestDb};

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
    /// The app's clock when the test fixed it.
    clock: Option<Arc<FixedClock>>,
    url: String,
    /// The test's own database (`None` on a second instance); dropped after the pools above.
    db: Option<TestDb>,
    /// Numbers for the unique names and logins of built records.
    seq: AtomicU64,
    /// Whether a builder made the alliance already.
    alliance: tokio::sync::Mutex<bool>,
}

/// The token `/metrics` takes in tests.
pub const METRICS_TOKEN: &str = "test-metrics-token";

/// The web settings of tests: plain HTTP, `/metrics` behind `METRICS_TOKEN`.
fn web_config() -> xiaoqi_web::WebConfig {
    xiaoqi_web::WebConfig { metrics_token: Some(METRICS_TOKEN.into()), ..xiaoqi_web::WebConfig::default() }
}

/// The test configuration: throttling delays of an hour and more, so that no test depends on
/// how fast it runs (a refused attempt stays refused for the whole test).
fn config() -> AppConfig {
    AppConfig { demo: true, login_first_delay_ms: 3_600_000, login_max_delay_secs: 8 * 3600, ..AppConfig::default() }
}

/// The app reading `clock` when there is one, else the system clock.
fn with_clock(app: App, clock: Option<&Arc<FixedClock>>) -> App {
    match clock {
        Some(c) => app.with_clock(c.clone()),
        None => app,
    }
}

/// A platform as a deployment starts it: the schema and the reference data (occupations,
/// regions), no organisation.
const EMPTY: Template = Template {
    kind: "empty",
    build: |url| {
        Box::pin(async move {
            let store = SqlStore::open(url, 2).await.unwrap_or_else(|e| panic!("open the template: {e}"));
            let app = App::new(Arc::new(store.clone()), config());
            app.ensure_reference_data().await.expect("load the reference data");
            drop(app);
            store.close().await;
        })
    },
    icu: false,
};

/// The seeded demo (`xiaoqi serve --demo`).
const DEMO: Template = Template {
    kind: "demo",
    build: |url| {
        Box::pin(async move {
            let store = SqlStore::open(url, 2).await.unwrap_or_else(|e| panic!("open the template: {e}"));
            let app = App::new(Arc::new(store.clone()), config());
            app.seed_demo().await.expect("seed the demo data");
            drop(app);
            store.close().await;
        })
    },
    icu: false,
};

/// Where a fixed clock on an empty platform starts: Monday 2026-03-02 09:00 in Asia/Shanghai.
pub const START: Timestamp = Timestamp(1_772_413_200_000);

impl TestApp {
    /// An empty platform on its own database: reference data, no organisation, no account.
    pub async fn empty(db: Db) -> TestApp {
        TestApp::from_template(db, EMPTY, None).await
    }

    /// An empty platform whose clock stands at [`START`] until the test moves it.
    pub async fn empty_fixed(db: Db) -> TestApp {
        TestApp::from_template(db, EMPTY, Some(START)).await
    }

    /// The seeded demo on its own database, for the tests that prove the demo itself.
    pub async fn demo(db: Db) -> TestApp {
        TestApp::from_template(db, DEMO, None).await
    }

    /// The seeded demo with the clock stopped at the instant the test starts: the demo's dates
    /// (seeded relative to the day the template was built) still hold, and "today" cannot change
    /// under the test at midnight.
    pub async fn demo_fixed(db: Db) -> TestApp {
        TestApp::from_template(db, DEMO, Some(SystemClock.now())).await
    }

    async fn from_template(db: Db, template: Template, fixed: Option<Timestamp>) -> TestApp {
        let engine = match db {
            Db::Sqlite => Engine::Sqlite,
            Db::Postgres => Engine::Postgres,
        };
        let copy = TestDb::copy_of(engine, template).await;
        let store = SqlStore::open_migrated_copy(&copy.url, 4).await.expect("open store");
        let clock = fixed.map(|at| Arc::new(FixedClock::new(at)));
        let app = with_clock(App::new(Arc::new(store), config()), clock.as_ref());
        let router = xiaoqi_web::router(app.clone(), web_config());
        TestApp::assemble(router, app, clock, copy.url.clone(), Some(copy))
    }

    fn assemble(router: Router, app: App, clock: Option<Arc<FixedClock>>, url: String, db: Option<TestDb>) -> TestApp {
        TestApp { router, app, clock, url, db, seq: AtomicU64::new(0), alliance: tokio::sync::Mutex::new(false) }
    }

    /// The fixed clock of a test started with `empty_fixed` or `demo_fixed`.
    pub fn clock(&self) -> &FixedClock {
        self.clock.as_deref().expect("the test runs on a fixed clock (empty_fixed / demo_fixed)")
    }

    /// Today in Asia/Shanghai by the app's clock.
    pub fn today(&self) -> Date {
        self.app.today()
    }

    /// Another instance of the server on the same database, as behind a load balancer.
    pub async fn second_instance(&self) -> TestApp {
        let store = SqlStore::open_migrated_copy(&self.url, 4).await.expect("open store");
        let app = with_clock(App::new(Arc::new(store), config()), self.clock.as_ref());
        let router = xiaoqi_web::router(app.clone(), web_config());
        TestApp::assemble(router, app, self.clock.clone(), self.url.clone(), None)
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

    /// Removes the test's database (also done on drop, when a test panics).
    pub async fn finish(mut self) {
        let db = self.db.take();
        drop(self);
        if let Some(db) = db {
            db.remove().await;
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

/// Runs one async test body on SQLite and on PostgreSQL, from an empty platform
/// (`on_both!(name, body)`) or from the seeded demo (`on_both!(demo: name, body)`), each also on a
/// fixed clock (`on_both!(fixed: name, body)`, `on_both!(demo fixed: name, body)`). The PostgreSQL
/// variant is ignored unless run with `--include-ignored`, and then fails without
/// `XIAOQI_TEST_POSTGRES_URL`: a test run without a server shows it as ignored, never as passed.
#[macro_export]
macro_rules! on_both {
    (demo: $name:ident, $body:expr) => {
        $crate::on_both!(@variants $name, demo, $body);
    };
    (demo fixed: $name:ident, $body:expr) => {
        $crate::on_both!(@variants $name, demo_fixed, $body);
    };
    (fixed: $name:ident, $body:expr) => {
        $crate::on_both!(@variants $name, empty_fixed, $body);
    };
    ($name:ident, $body:expr) => {
        $crate::on_both!(@variants $name, empty, $body);
    };
    (@variants $name:ident, $world:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let app = TestApp::$world(Db::Sqlite).await;
                $body(&app).await;
                app.finish().await;
            }
            #[tokio::test]
            #[ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"]
            async fn postgres() {
                let app = TestApp::$world(Db::Postgres).await;
                $body(&app).await;
                app.finish().await;
            }
        }
    };
}

/// Logs in a demo account through the login form and returns the session cookie (`name=value`).
pub async fn page_login(app: &TestApp, login: &str) -> String {
    page_login_with(app, login, "xiaoqi-demo").await
}

/// Logs in through the login form with a password and returns the session cookie.
pub async fn page_login_with(app: &TestApp, login: &str, password: &str) -> String {
    let body = format!("_csrf=&login={}&password={}", urlencode(login), urlencode(password));
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

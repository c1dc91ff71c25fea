//! Accounts that cannot be locked out or taken over: throttling by delay, known devices,
//! password rules, one-time passwords.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::json;

use crate::on_both;
use crate::support::build::PASSWORD;
use crate::support::{Db, Resp, TestApp, urlencode};

/// Logs in through the form, with the given cookies; answers the response.
async fn form_login(app: &TestApp, login: &str, password: &str, cookies: Option<&str>) -> Resp {
    let body = format!("_csrf=&login={}&password={}", urlencode(login), urlencode(password));
    let mut b = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookies {
        b = b.header(header::COOKIE, c);
    }
    app.send(b.body(Body::from(body)).expect("request")).await
}

/// The `name=value` of a cookie set by a response.
fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_string())
        .find(|kv| kv.starts_with(&format!("{name}=")))
}

fn retry_after(r: &Resp) -> u64 {
    r.headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0)
}

async fn refused_guesses_are_not_counted_and_a_known_device_always_gets_in(app: &TestApp) {
    let college = app.college("防锁定测试学院").await;
    let teacher = app.member(&college, &["teacher"]).await.login;
    // The teacher's own browser logs in once and keeps its device cookie.
    let first = form_login(app, &teacher, PASSWORD, None).await;
    assert_eq!(first.status, 303, "{}", first.text);
    let device = set_cookie(&first, "xq_device").expect("a device cookie");

    // Someone else guesses: five wrong passwords are checked, then every attempt waits.
    for _ in 0..5 {
        let r = app.token_login(&teacher, "wrong-guess-1").await;
        assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (401, Some("bad_credentials")), "{}", r.text);
    }
    let mut waits = Vec::new();
    for _ in 0..50 {
        let r = app.token_login(&teacher, "wrong-guess-2").await;
        assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (429, Some("rate_limited")), "{}", r.text);
        waits.push(retry_after(&r));
    }
    // Refused attempts are not counted: the delay stays the first one (an hour in tests)
    // instead of doubling with every refusal.
    assert!(waits.iter().all(|w| (1..=3600).contains(w)), "{waits:?}");
    let stranger = app.token_login(&teacher, PASSWORD).await;
    assert_eq!(stranger.status, 429, "a new device waits out the delay: {}", stranger.text);

    // The right password from the teacher's device is never refused.
    let mine = form_login(app, &teacher, PASSWORD, Some(&device)).await;
    assert_eq!(mine.status, 303, "the known device logs in: {}", mine.text);
    assert_eq!(set_cookie(&mine, "xq_device").as_deref(), Some(device.as_str()), "and keeps its cookie");
    let r = form_login(app, &teacher, "wrong-guess-3", Some(&device)).await;
    assert_eq!(r.status, 401, "a wrong password from the device is still wrong");
    let other = app.member(&college, &["career_officer"]).await.login;
    let r = app.token_login(&other, PASSWORD).await;
    assert_eq!(r.status, 201, "other accounts are unaffected: {}", r.text);
}
on_both!(lockout, refused_guesses_are_not_counted_and_a_known_device_always_gets_in);

async fn wrong_current_passwords_slow_the_change_but_never_the_login(app: &TestApp) {
    let ent = app.enterprise("改密限流企业").await;
    let hr = app.member(&ent, &["enterprise_hr"]).await;
    let change = |current: &'static str| {
        let t = hr.token.clone();
        async move {
            let body = json!({"current_password": current, "new_password": "a-brand-new-pass-9"});
            app.call("POST", "/api/v1/me/password", Some(&t), Some(body)).await
        }
    };
    for _ in 0..5 {
        let r = change("not-the-current-1").await;
        assert_eq!((r.status.as_u16(), r.json["fields"][0]["rule"].as_str()), (422, Some("password_mismatch")));
    }
    for _ in 0..5 {
        assert_eq!(change("not-the-current-2").await.status, 429, "further checks wait");
    }
    let r = app.token_login(&hr.login, PASSWORD).await;
    assert_eq!(r.status, 201, "the account's logins are not throttled by the change: {}", r.text);
}
on_both!(password_change_throttle, wrong_current_passwords_slow_the_change_but_never_the_login);

async fn blank_common_personal_and_unchanged_passwords_are_refused(app: &TestApp) {
    let register = |password: &str, email: &str| {
        let body = json!({"organization": {"kind": "college", "name": format!("口令规则学院{email}")},
            "admin_name": "甲", "admin_email": email, "password": password});
        async move { app.call("POST", "/api/v1/registrations", None, Some(body)).await }
    };
    for (pw, rule) in [
        ("        ", "password_blank"),
        ("password", "password_common"),
        ("Password1", "password_common"),
        ("rule.tester@college.example", "password_is_login"),
    ] {
        let r = register(pw, "rule.tester@college.example").await;
        let rules: Vec<&str> =
            r.json["fields"].as_array().into_iter().flatten().filter_map(|f| f["rule"].as_str()).collect();
        assert_eq!((r.status.as_u16(), rules), (422, vec![rule]), "{pw:?}: {}", r.text);
    }
    let ent = app.enterprise("口令规则企业").await;
    let body = json!({"current_password": PASSWORD, "new_password": PASSWORD});
    let r = app.call("POST", "/api/v1/me/password", Some(&ent.admin.token), Some(body)).await;
    assert_eq!(
        (r.status.as_u16(), r.json["fields"][0]["rule"].as_str()),
        (422, Some("password_unchanged")),
        "{}",
        r.text
    );
    let body = json!({"current_password": PASSWORD, "new_password": ent.admin.login});
    let r = app.call("POST", "/api/v1/me/password", Some(&ent.admin.token), Some(body)).await;
    assert_eq!(r.json["fields"][0]["rule"], "password_is_login", "{}", r.text);
}
on_both!(password_rules, blank_common_personal_and_unchanged_passwords_are_refused);

async fn a_one_time_password_logs_in_once(app: &TestApp) {
    let ent = app.enterprise("一次性口令企业").await;
    let created = app
        .add_member(
            &ent.admin.token,
            ent.id,
            json!({"display_name": "一次", "email": "once@ent.example", "roles": ["technician"]}),
        )
        .await;
    let pw = created.json["temporary_password"].as_str().expect("password").to_string();
    let first = form_login(app, "once@ent.example", &pw, None).await;
    assert_eq!(first.status, 303, "{}", first.text);
    let session = set_cookie(&first, "xq_session").expect("a session");
    let again = app.token_login("once@ent.example", &pw).await;
    assert_eq!((again.status.as_u16(), again.json["code"].as_str()), (403, Some("forbidden")), "{}", again.text);
    let again = form_login(app, "once@ent.example", &pw, None).await;
    assert_eq!(again.status, 403, "not on the login page either");
    // The session it opened still changes it, with the one-time password as the current one.
    let account = crate::support::page(app, "/account", &session).await;
    let csrf = crate::support::csrf_in(&account.text);
    let r = crate::support::form(
        app,
        "/account/password",
        &session,
        &[("_csrf", &csrf), ("current_password", &pw), ("new_password", "my-own-pass-77")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text);
    assert_eq!(app.token_login("once@ent.example", "my-own-pass-77").await.status, 201);
}
on_both!(one_time_once, a_one_time_password_logs_in_once);

async fn a_pending_organisation_is_hidden_and_publishes_nothing_until_approved(app: &TestApp) {
    let body = json!({"organization": {"kind": "enterprise", "name": "待审核测试企业", "region_code": "440305",
        "industry": "retail", "employees": 5, "annual_revenue_yuan": "100000", "credit_code": crate::support::credit_code(31)},
        "admin_name": "甲", "admin_email": "pending@ent.example", "password": "pending-pass-1"});
    let r = app.call("POST", "/api/v1/registrations", None, Some(body)).await;
    assert_eq!(r.status, 202, "{}", r.text);
    let tok = app.token_login("pending@ent.example", "pending-pass-1").await.json["token"].as_str().map(str::to_string);
    let tok = tok.expect("the new administrator logs in");
    let org = app.call("GET", "/api/v1/me", Some(&tok), None).await.json["roles"][0]["org_id"].as_i64().expect("org");
    let outsider = app.enterprise("审核外测试企业").await.admin;
    let hidden = app.call("GET", &format!("/api/v1/organizations/{org}"), outsider.t(), None).await;
    assert_eq!(hidden.status, 404, "nobody outside sees it: {}", hidden.text);

    let s =
        app.call("GET", &format!("/api/v1/occupations/suggest?title={}", urlencode("电焊工")), Some(&tok), None).await;
    let code = s.json["suggestions"][0]["code"].as_str().expect("a suggestion").to_string();
    let demand = json!({"title": "电焊工", "occupation_code": code, "headcount": 1, "region_code": "440306",
        "pay_min": "6000", "pay_max": "8000", "start_date": "2027-03-01", "valid_until": "2999-12-31",
        "roles": [{"title": "焊工", "skills": [{"skill": "welding", "weight": 5, "min_level": 3}]}]});
    let draft = app.call("POST", &format!("/api/v1/demands?org={org}"), Some(&tok), Some(demand)).await;
    assert!(draft.status.is_success(), "a private draft is fine: {}", draft.text);
    let id = draft.json["id"].as_i64().expect("id");
    let pending = |r: &Resp| (r.status.as_u16(), r.json["code"].as_str().map(str::to_string));
    let want = (403, Some("organisation_pending".to_string()));
    let publish = app.call("POST", &format!("/api/v1/demands/{id}/publish"), Some(&tok), None).await;
    assert_eq!(pending(&publish), want, "no demand students see: {}", publish.text);
    assert!(publish.json["message"].as_str().unwrap_or("").contains("审核"), "{}", publish.text);

    let built = app.college("审核测试学院").await;
    app.offering(&built, "审核测试培训").await;
    let college = built.id;
    let offerings = app.call("GET", &format!("/api/v1/services?college={college}"), Some(&tok), None).await;
    let offering = offerings.json["items"][0]["id"].as_i64().expect("an offering");
    let ask = json!({"enterprise_id": org, "participants_expected": 5});
    let request = app.call("POST", &format!("/api/v1/services/{offering}/requests"), Some(&tok), Some(ask)).await;
    assert_eq!(pending(&request), want, "no service request: {}", request.text);
    let invite = json!({"enterprise_id": org, "title": "新员工培训"});
    let uri = format!("/api/v1/organizations/{college}/training-invitations");
    let invitation = app.call("POST", &uri, Some(&tok), Some(invite)).await;
    assert_eq!(pending(&invitation), want, "no invitation: {}", invitation.text);

    // Nor an internship place students apply to, nor a technical problem colleges answer.
    let place = json!({"enterprise_id": org, "kind": "post", "title": "焊工岗位实习", "occupation_code": code,
        "capacity": 1, "start_date": "2027-03-01", "end_date": "2027-06-30", "region_code": "440306",
        "location": "深圳市宝安区", "monthly_pay_yuan": "4200", "post_wage_yuan": "5000",
        "working_hours": "周一至周五 9:00–17:30", "insured": true, "insurer": "中国人保",
        "enterprise_staff": 50, "post_staff": 20});
    let p = app.call("POST", "/api/v1/practice-places", Some(&tok), Some(place)).await;
    assert_eq!(pending(&p), want, "no practice place: {}", p.text);
    let problem = crate::research::problem_body(org, "薄板焊接变形");
    let q = app.call("POST", "/api/v1/problems", Some(&tok), Some(problem)).await;
    assert_eq!(pending(&q), want, "no technical problem: {}", q.text);
}
on_both!(pending_organisation, a_pending_organisation_is_hidden_and_publishes_nothing_until_approved);

async fn the_alliance_resets_any_account_and_a_forgotten_password_is_reset_once_by_code(app: &TestApp) {
    let ent = app.enterprise("恢复测试企业").await;
    let tech = app.member(&ent, &["technician"]).await;
    let alliance = app.alliance_admin().await;
    let uri = format!("/api/v1/organizations/{}/members/{}/password-reset", ent.id, tech.id);
    let r = app.call("POST", &uri, Some(&alliance.token), None).await;
    assert_eq!(r.status, 200, "the alliance administrator may reset: {}", r.text);
    assert_eq!(app.token_login(&tech.login, PASSWORD).await.status, 401, "the old password is gone");

    // Forgotten password: the same answer for a known and an unknown login.
    let ask = |login: &str| {
        let body = json!({"login": login});
        async move { app.call("POST", "/api/v1/password-resets", None, Some(body)).await }
    };
    let known = ask(&tech.login).await;
    let unknown = ask("nobody@nowhere.example").await;
    assert_eq!((known.status, &known.text), (unknown.status, &unknown.text));
    assert_eq!(known.status, 202, "{}", known.text);
    assert!(app.app.outbox_pending_for("nobody@nowhere.example").await.expect("outbox").is_empty());
    let sent = app.app.outbox_pending_for(&tech.login).await.expect("outbox");
    let body = &sent.last().expect("a reset message").body;
    let code = body.split("code=").nth(1).and_then(|s| s.split_whitespace().next()).expect("a code").to_string();
    let confirm = |code: String, pw: &'static str| {
        let body = json!({"code": code, "new_password": pw});
        async move { app.call("POST", "/api/v1/password-resets/confirm", None, Some(body)).await }
    };
    let weak = confirm(code.clone(), "password").await;
    assert_eq!(weak.json["fields"][0]["rule"], "password_common", "the rules hold: {}", weak.text);
    let wrong = confirm("not-a-code".into(), "recovered-pass-5").await;
    assert_eq!(wrong.json["fields"][0]["rule"], "reset_code_invalid", "{}", wrong.text);
    assert_eq!(confirm(code.clone(), "recovered-pass-5").await.status, 204);
    let again = confirm(code, "recovered-pass-6").await;
    assert_eq!((again.status.as_u16(), again.json["fields"][0]["rule"].as_str()), (422, Some("reset_code_invalid")));
    assert_eq!(app.token_login(&tech.login, "recovered-pass-5").await.status, 201, "the new password works");
}
on_both!(recovery, the_alliance_resets_any_account_and_a_forgotten_password_is_reset_once_by_code);

async fn a_forgotten_password_is_reset_through_the_pages(app: &TestApp) {
    let ent = app.enterprise("页面找回企业").await;
    let login = ent.admin.login.clone();
    let asked = crate::support::form(app, "/password/forgot", "", &[("login", &login)]).await;
    let unknown = crate::support::form(app, "/password/forgot", "", &[("login", "ghost@nowhere.example")]).await;
    assert_eq!((asked.status.as_u16(), unknown.status.as_u16()), (200, 200));
    assert!(asked.text.contains("重置码已发送") && unknown.text.contains("重置码已发送"), "the same page either way");
    let sent = app.app.outbox_pending_for(&login).await.expect("outbox");
    let body = &sent.last().expect("a reset message").body;
    let code = body.split("code=").nth(1).and_then(|s| s.split_whitespace().next()).expect("a code").to_string();
    let page = crate::support::page(app, &format!("/password/reset?code={code}"), "").await;
    assert!(page.status == 200 && page.text.contains(&code), "the link fills in the code");
    let weak = crate::support::form(app, "/password/reset", "", &[("code", &code), ("new_password", "        ")]).await;
    assert_eq!(weak.status, 422, "{}", weak.text);
    let done =
        crate::support::form(app, "/password/reset", "", &[("code", &code), ("new_password", "page-reset-pass-3")])
            .await;
    assert_eq!(done.status, 303, "{}", done.text);
    assert_eq!(app.token_login(&login, "page-reset-pass-3").await.status, 201);
    let login_page = crate::support::page(app, "/login", "").await;
    assert!(login_page.text.contains("/password/forgot"), "the login page links to it");
}
on_both!(recovery_pages, a_forgotten_password_is_reset_through_the_pages);

async fn responses_are_not_stored_and_https_deployments_pin_https(app: &TestApp) {
    let ent = app.enterprise("缓存测试企业").await;
    let me = app.call("GET", "/api/v1/me", Some(&ent.admin.token), None).await;
    let cache = |r: &Resp| r.headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).map(str::to_string);
    assert_eq!(cache(&me).as_deref(), Some("no-store"), "personal API answers");
    let session = crate::support::page_login_with(app, &ent.admin.login, PASSWORD).await;
    let account = crate::support::page(app, "/account", &session).await;
    assert_eq!(cache(&account).as_deref(), Some("no-store"), "personal pages");
    let css = crate::support::page(app, "/static/app.css", "").await;
    assert_eq!(cache(&css).as_deref(), Some("public, max-age=3600"), "assets keep their own caching");
    assert!(me.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "no HSTS over plain HTTP");

    let web = xiaoqi_web::WebConfig { secure_cookies: true, ..xiaoqi_web::WebConfig::default() };
    let https = xiaoqi_web::router(app.app.clone(), web);
    let send = |uri: &str| {
        use tower::ServiceExt as _;
        let req = Request::builder().uri(uri).body(Body::empty()).expect("request");
        https.clone().oneshot(req)
    };
    let login = send("/login").await.expect("response");
    let hsts = login.headers().get(header::STRICT_TRANSPORT_SECURITY).and_then(|v| v.to_str().ok());
    assert_eq!(hsts, Some("max-age=31536000; includeSubDomains"));
    let lang = send("/lang/en?next=/login").await.expect("response");
    let set = lang.headers().get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(set.starts_with("xq_lang=en") && set.contains("; Secure"), "{set}");
    let metrics = send("/metrics").await.expect("response");
    assert_eq!(metrics.status(), 404, "without a token configured, /metrics is refused");
}
on_both!(headers, responses_are_not_stored_and_https_deployments_pin_https);

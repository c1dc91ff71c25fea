//! The web side: sessions, CSRF, security headers, operations endpoints and pages.

use axum::body::Body;
use axum::http::{Request, header};

use crate::on_both;
use crate::support::build::PASSWORD;
use crate::support::{Db, Resp, TestApp};

async fn login_form(app: &TestApp, login: &str, password: &str, cookie: Option<&str>) -> Resp {
    let mut b = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    app.send(b.body(Body::from(format!("_csrf=&login={login}&password={password}"))).expect("request")).await
}

fn session_cookie(r: &Resp) -> String {
    let set = r.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).expect("a session cookie").to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");
    set.split(';').next().expect("name=value").to_string()
}

async fn get_page(app: &TestApp, uri: &str, cookie: &str) -> Resp {
    app.send(Request::builder().uri(uri).header(header::COOKIE, cookie).body(Body::empty()).expect("request")).await
}

fn csrf_of(html: &str) -> String {
    let i = html.find("name=\"_csrf\" value=\"").expect("a csrf field") + 20;
    html[i..].split('"').next().unwrap_or("").to_string()
}

async fn sessions_are_renewed_at_login_and_end_at_logout(app: &TestApp) {
    let admin = app.alliance_admin().await.login;
    let first = login_form(app, &admin, PASSWORD, None).await;
    assert_eq!(first.status, 303);
    let c1 = session_cookie(&first);
    let second = login_form(app, &admin, PASSWORD, Some(&c1)).await;
    let c2 = session_cookie(&second);
    assert_ne!(c1, c2, "every login opens a new session id");
    let home = get_page(app, "/", &c2).await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("联盟概况"), "the alliance admin sees the overview");
    let token = csrf_of(&home.text);
    let bad = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/logout")
                .header(header::COOKIE, &c2)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("_csrf=forged"))
                .expect("request"),
        )
        .await;
    assert_eq!(bad.status, 409, "a forged synchroniser token is refused");
    assert_eq!(get_page(app, "/", &c2).await.status, 200, "and the session is still alive");
    let cross = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/logout")
                .header(header::COOKIE, &c2)
                .header("sec-fetch-site", "cross-site")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("_csrf={token}")))
                .expect("request"),
        )
        .await;
    assert_eq!(cross.status, 403, "cross-site posts are refused");
    let out = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/logout")
                .header(header::COOKIE, &c2)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("_csrf={token}")))
                .expect("request"),
        )
        .await;
    assert_eq!(out.status, 303);
    let after = get_page(app, "/account", &c2).await;
    assert_eq!(after.status, 303, "the old cookie no longer works");
    assert_eq!(after.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/login"));
}
on_both!(sessions, sessions_are_renewed_at_login_and_end_at_logout);

async fn a_wrong_password_shows_the_form_again_with_a_message(app: &TestApp) {
    let admin = app.alliance_admin().await.login;
    let r = login_form(app, &admin, "nope-nope", None).await;
    assert_eq!(r.status, 401);
    assert!(r.text.contains("账号或密码错误"), "{}", r.text);
    assert!(r.headers.get(header::SET_COOKIE).is_none());
}
on_both!(wrong_password_page, a_wrong_password_shows_the_form_again_with_a_message);

async fn every_response_has_security_headers_and_a_request_id(app: &TestApp) {
    for uri in ["/login", "/api/v1/me", "/healthz", "/nope", "/api/v1/nope"] {
        let r = app.send(Request::builder().uri(uri).body(Body::empty()).expect("request")).await;
        for h in
            ["x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy", "x-request-id"]
        {
            assert!(r.headers.contains_key(h), "{uri} lacks {h}");
        }
    }
    let nf = app.send(Request::builder().uri("/api/v1/nope").body(Body::empty()).expect("request")).await;
    assert_eq!((nf.status.as_u16(), nf.json["code"].as_str()), (404, Some("not_found")));
}
on_both!(security_headers, every_response_has_security_headers_and_a_request_id);

async fn operations_endpoints_answer(app: &TestApp) {
    let h = app.send(Request::builder().uri("/healthz").body(Body::empty()).expect("request")).await;
    assert_eq!((h.status.as_u16(), h.text.as_str()), (200, "ok"));
    let login = app.send(Request::builder().uri("/login").body(Body::empty()).expect("request")).await;
    assert_eq!(login.status, 200, "the login page answers before the metrics are read");
    let anonymous = app.send(Request::builder().uri("/metrics").body(Body::empty()).expect("request")).await;
    assert_eq!(anonymous.status, 401, "metrics only for the token");
    let wrong = Request::builder().uri("/metrics").header("authorization", "Bearer not-it").body(Body::empty());
    assert_eq!(app.send(wrong.expect("request")).await.status, 401);
    let bearer = format!("Bearer {}", crate::support::METRICS_TOKEN);
    let m = app
        .send(Request::builder().uri("/metrics").header("authorization", bearer).body(Body::empty()).expect("request"))
        .await;
    assert_eq!(m.status, 200);
    assert!(m.text.contains("xiaoqi_http_requests_total"), "{}", m.text);
    assert!(m.text.contains("route=\"/login\""), "the request just made is counted by its route: {}", m.text);
    let doc = app.send(Request::builder().uri("/api/openapi.json").body(Body::empty()).expect("request")).await;
    assert_eq!(doc.json["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    assert!(doc.json["paths"]["/api/v1/organizations"]["get"].is_object());
}
on_both!(operations, operations_endpoints_answer);

async fn the_demo_login_page_lists_accounts_and_pages_switch_language(app: &TestApp) {
    let zh = app.send(Request::builder().uri("/login").body(Body::empty()).expect("request")).await;
    assert!(zh.text.contains("admin@alliance.demo") && zh.text.contains("xiaoqi-demo") && zh.text.contains("演示账号"));
    let switch = app.send(Request::builder().uri("/lang/en?next=/login").body(Body::empty()).expect("request")).await;
    assert_eq!(switch.status, 303);
    let cookie = switch
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("lang cookie")
        .split(';')
        .next()
        .unwrap_or("")
        .to_string();
    let en = get_page(app, "/login", &cookie).await;
    assert!(en.text.contains("Demo accounts") && en.text.contains("lang=\"en\""), "{}", en.text);
    let evil =
        app.send(Request::builder().uri("/lang/en?next=//evil.example").body(Body::empty()).expect("request")).await;
    assert_eq!(evil.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/"), "no open redirect");
}
on_both!(demo: login_page, the_demo_login_page_lists_accounts_and_pages_switch_language);

/// The login list is the way into the demo: every account on it logs in, each is named by what
/// the person does (not by a generic role such as 机构成员), and the intern listed is one whose
/// internship is under way today.
async fn every_demo_account_listed_logs_in_and_the_listed_intern_is_in_an_internship(app: &TestApp) {
    let page = app.send(Request::builder().uri("/login").body(Body::empty()).expect("request")).await;
    for (login, _, _) in xiaoqi_app::demo::DEMO_ACCOUNTS {
        assert!(page.text.contains(login), "{login} is listed");
        let me = app.call("GET", "/api/v1/me", Some(&app.token(login).await), None).await;
        assert_eq!(me.status, 200, "{login} logs in");
    }
    assert!(page.text.contains("政府部门工作人员") && !page.text.contains("机构成员"), "personas are named plainly");
    let intern = app.token("s06@pcvc.demo").await;
    let placements = app.call("GET", "/api/v1/placements", Some(&intern), None).await;
    assert_eq!(placements.json[0]["status"], "active", "{}", placements.json);
}
on_both!(demo: demo_logins, every_demo_account_listed_logs_in_and_the_listed_intern_is_in_an_internship);

async fn every_page_renders_for_its_users(app: &TestApp) {
    let admin = session_cookie(&login_form(app, &app.alliance_admin().await.login, PASSWORD, None).await);
    let built = app.college("页面测试学院").await;
    let student = app.student_in(&built, "页面2401班").await;
    let enterprise = app.enterprise("页面测试企业").await;
    let college = built.id;
    for uri in [
        "/",
        "/directory",
        "/directory?kind=enterprise&size_class=small",
        "/membership/queue",
        "/occupations",
        "/occupations?parent=6-00-00-00",
        "/occupations?q=%E7%84%8A",
        "/regions",
        "/regions?parent=440000",
        "/account",
        "/notifications",
        "/api/docs",
        &format!("/orgs/{college}"),
        &format!("/orgs/{college}/members"),
    ] {
        let r = get_page(app, uri, &admin).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.text.chars().take(300).collect::<String>());
    }
    let cadmin = session_cookie(&login_form(app, &built.admin.login, PASSWORD, None).await);
    for uri in [format!("/orgs/{college}/edit"), format!("/orgs/{college}/import"), format!("/orgs/{college}/audit")] {
        assert_eq!(get_page(app, &uri, &cadmin).await.status, 200, "{uri}");
    }
    assert!(
        get_page(app, &format!("/orgs/{college}"), &cadmin).await.text.contains("页面2401班"),
        "members see classes"
    );
    let outsider = session_cookie(&login_form(app, &enterprise.admin.login, PASSWORD, None).await);
    let seen = get_page(app, &format!("/orgs/{college}"), &outsider).await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert!(!seen.text.contains("页面2401班"), "others do not");
    let student = session_cookie(&login_form(app, &student.login, PASSWORD, None).await);
    assert_eq!(get_page(app, &format!("/orgs/{college}/edit"), &student).await.status, 403);
    assert_eq!(get_page(app, "/membership/queue", &student).await.status, 403);
    let student_home = get_page(app, "/", &student).await.text;
    assert!(
        student_home.contains("联盟概况") && !student_home.contains("pending-link"),
        "aggregates for all, the queue for admins"
    );
    assert!(get_page(app, "/", &admin).await.text.contains("pending-link"));
}
on_both!(pages, every_page_renders_for_its_users);

async fn post_form(app: &TestApp, uri: &str, cookie: &str, body: String) -> Resp {
    app.send(
        Request::builder()
            .method("POST")
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

async fn administrators_manage_roles_and_majors_from_the_pages(app: &TestApp) {
    let ent = app.enterprise("角色页面测试企业").await;
    let e = ent.id;
    let mentor = app.member(&ent, &["enterprise_mentor"]).await.id;
    let hr = session_cookie(&login_form(app, &ent.admin.login, PASSWORD, None).await);
    let page = get_page(app, &format!("/orgs/{e}/members"), &hr).await;
    let csrf = csrf_of(&page.text);
    let t = ent.admin.token.clone();
    let roles_of = |r: &crate::support::Resp| {
        r.json["items"]
            .as_array()
            .and_then(|a| a.iter().find(|m| m["account"]["id"] == mentor))
            .map(|m| m["roles"].to_string())
    };
    let granted =
        post_form(app, &format!("/orgs/{e}/members/{mentor}/roles"), &hr, format!("_csrf={csrf}&role=technician"))
            .await;
    assert_eq!(granted.status, 303);
    let after = app.call("GET", &format!("/api/v1/organizations/{e}/members?limit=100"), Some(&t), None).await;
    assert!(roles_of(&after).unwrap_or_default().contains("technician"));
    let revoked =
        post_form(app, &format!("/orgs/{e}/members/{mentor}/roles/technician/revoke"), &hr, format!("_csrf={csrf}"))
            .await;
    assert_eq!(revoked.status, 303);
    let after = app.call("GET", &format!("/api/v1/organizations/{e}/members?limit=100"), Some(&t), None).await;
    assert!(!roles_of(&after).unwrap_or_default().contains("technician"));

    let college = app.college("专业页面测试学院").await;
    let c = college.id;
    let leader_login = app.member(&college, &["programme_leader"]).await.login;
    let teacher_login = app.member(&college, &["teacher"]).await.login;
    let leader = session_cookie(&login_form(app, &leader_login, PASSWORD, None).await);
    let org_page = get_page(app, &format!("/orgs/{c}"), &leader).await;
    assert!(org_page.text.contains("major-form"), "programme leaders see the major form");
    let csrf = csrf_of(&org_page.text);
    let added = post_form(
        app,
        &format!("/orgs/{c}/majors"),
        &leader,
        format!("_csrf={csrf}&code=460104&name=%E5%B7%A5%E4%B8%9A%E8%AE%BE%E8%AE%A1&department="),
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.text);
    assert!(get_page(app, &format!("/orgs/{c}"), &leader).await.text.contains("工业设计"));
    let teacher = session_cookie(&login_form(app, &teacher_login, PASSWORD, None).await);
    let tp = get_page(app, &format!("/orgs/{c}"), &teacher).await;
    assert!(!tp.text.contains("major-form"), "teachers do not");
    let forbidden = post_form(
        app,
        &format!("/orgs/{c}/majors"),
        &teacher,
        format!("_csrf={}&code=460105&name=x", csrf_of(&tp.text)),
    )
    .await;
    assert_eq!(forbidden.status, 403);
}
on_both!(page_admin, administrators_manage_roles_and_majors_from_the_pages);

async fn api_writes_with_a_session_cookie_need_the_csrf_header(app: &TestApp) {
    let college = app.college("令牌页面测试学院").await;
    let career = app.member(&college, &["career_officer"]).await.login;
    let cookie = session_cookie(&login_form(app, &career, PASSWORD, None).await);
    let csrf = csrf_of(&get_page(app, "/", &cookie).await.text);
    let post = |token: Option<String>| {
        let mut b = Request::builder()
            .method("POST")
            .uri("/api/v1/me/tokens")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            b = b.header("x-csrf-token", t);
        }
        b.body(Body::from(r#"{"name": "from the page"}"#)).expect("request")
    };
    let without = app.send(post(None)).await;
    assert_eq!(
        (without.status.as_u16(), without.json["code"].as_str()),
        (409, Some("invalid_state")),
        "{}",
        without.text
    );
    let forged = app.send(post(Some("forged".into()))).await;
    assert_eq!(forged.status, 409);
    let with = app.send(post(Some(csrf))).await;
    assert_eq!(with.status, 201, "{}", with.text);
    let read = get_page(app, "/api/v1/me", &cookie).await;
    assert_eq!(read.status, 200, "reads need no token");
}
on_both!(api_csrf, api_writes_with_a_session_cookie_need_the_csrf_header);

async fn a_one_time_password_leads_to_the_account_page_first(app: &TestApp) {
    let ent = app.enterprise("一次性口令测试企业").await;
    let (hr, e) = (ent.admin.token.clone(), ent.id);
    let created = app
        .add_member(
            &hr,
            e,
            serde_json::json!({"display_name": "新人", "email": "new@ent.example", "roles": ["technician"]}),
        )
        .await;
    let pw = created.json["temporary_password"].as_str().expect("password").to_string();
    let login = login_form(app, "new@ent.example", &pw, None).await;
    assert_eq!(login.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/account?must_change=1"));
    let cookie = session_cookie(&login);
    let elsewhere = get_page(app, "/directory", &cookie).await;
    assert_eq!(elsewhere.status, 303);
    assert_eq!(elsewhere.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/account?must_change=1"));
    assert_eq!(get_page(app, "/account", &cookie).await.status, 200);
}
on_both!(one_time_password, a_one_time_password_leads_to_the_account_page_first);

async fn a_session_opened_on_one_instance_works_and_ends_on_another(app: &TestApp) {
    let admin = app.alliance_admin().await.login;
    let college = app.college("多实例测试学院").await;
    let leader = app.member(&college, &["programme_leader"]).await.login;
    let other = app.second_instance().await;
    let cookie = session_cookie(&login_form(app, &admin, PASSWORD, None).await);
    let there = get_page(&other, "/", &cookie).await;
    assert_eq!(there.status, 200, "the second instance knows the session");
    let csrf = csrf_of(&there.text);
    let out = post_form(&other, "/logout", &cookie, format!("_csrf={csrf}")).await;
    assert_eq!(out.status, 303);
    assert_eq!(get_page(app, "/account", &cookie).await.status, 303, "and the first one sees it ended");
    for _ in 0..5 {
        let r = app
            .call(
                "POST",
                "/api/v1/auth/token",
                None,
                Some(serde_json::json!({"login": leader, "password": "bad-one-1", "name": "x"})),
            )
            .await;
        assert_eq!(r.status, 401);
    }
    let locked = other
        .call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(serde_json::json!({"login": leader, "password": PASSWORD, "name": "x"})),
        )
        .await;
    assert_eq!(locked.status, 429, "throttling counts failures from every instance");
}
on_both!(two_instances, a_session_opened_on_one_instance_works_and_ends_on_another);

async fn a_client_request_id_is_kept_only_when_it_is_a_short_token(app: &TestApp) {
    let send = |id: &'static str| {
        Request::builder().uri("/livez").header("x-request-id", id).body(Body::empty()).expect("request")
    };
    let kept = app.send(send("abc-123_x")).await;
    assert_eq!(kept.headers.get("x-request-id").and_then(|v| v.to_str().ok()), Some("abc-123_x"));
    let replaced = app.send(send("<script>alert(1)</script>")).await;
    let id = replaced.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
}
on_both!(request_ids, a_client_request_id_is_kept_only_when_it_is_a_short_token);

/// The published OpenAPI document is the reviewed snapshot: a change to any route, parameter or
/// schema shows in review (and fails in CI until the snapshot is accepted). The document does
/// not depend on the engine.
#[tokio::test]
async fn the_openapi_document_is_the_reviewed_one() {
    let app = TestApp::empty(Db::Sqlite).await;
    let doc = app.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(doc.status, 200, "{}", doc.text);
    insta::assert_snapshot!("openapi", serde_json::to_string_pretty(&doc.json).expect("the document as JSON"));
    app.finish().await;
}

/// The links of the page's navigation bar, in order.
fn nav_links(html: &str) -> Vec<String> {
    let Some(start) = html.find("<nav>") else { return Vec::new() };
    let end = html[start..].find("</nav>").map_or(html.len(), |e| start + e);
    html[start..end].split("<a href=\"").skip(1).filter_map(|s| s.split('"').next()).map(str::to_string).collect()
}

async fn each_role_sees_its_own_menu(app: &TestApp) {
    let admin = app.alliance_admin().await;
    let college = app.college("菜单学院").await;
    let student = app.student(&college).await;
    let enterprise = app.enterprise("菜单企业").await;
    let hr = app.member(&enterprise, &["enterprise_hr"]).await;
    let menu = |login: String| async move {
        let cookie = crate::support::page_login_with(app, &login, PASSWORD).await;
        nav_links(&crate::support::page(app, "/", &cookie).await.text)
    };
    let alliance = menu(admin.login.clone()).await;
    assert!(alliance.iter().any(|l| l == "/membership/queue"), "{alliance:?}");
    let student = menu(student.login.clone()).await;
    assert!(student.iter().any(|l| l == "/me/profile"), "{student:?}");
    assert!(!student.iter().any(|l| l == "/membership/queue" || l == "/service-requests"), "{student:?}");
    let hr = menu(hr.login.clone()).await;
    assert!(hr.iter().any(|l| l == "/service-requests") && hr.iter().any(|l| l == "/placements"), "{hr:?}");
    assert!(!hr.iter().any(|l| l == "/membership/queue" || l == "/me/profile"), "{hr:?}");
    let visitor =
        nav_links(&app.send(Request::builder().uri("/login").body(Body::empty()).expect("request")).await.text);
    assert_eq!(visitor, ["/", "/directory", "/occupations"], "a visitor sees only the public pages");
}
on_both!(role_menus, each_role_sees_its_own_menu);

//! Bad input: every kind gets the right status and a clear bilingual message, and nothing is
//! partially written.

use axum::body::Body;
use axum::http::Request;
use serde_json::json;

use crate::on_both;
use crate::support::build::PASSWORD;
use crate::support::{Db, TestApp, credit_code};

async fn malformed_unknown_and_oversized_bodies_are_refused_with_codes(app: &TestApp) {
    let ent = app.enterprise("请求体测试企业").await;
    let (t, e) = (ent.admin.token.clone(), ent.id);
    let send = |body: Vec<u8>, ct: &'static str| {
        Request::builder()
            .method("PUT")
            .uri(format!("/api/v1/organizations/{e}"))
            .header("authorization", format!("Bearer {t}"))
            .header("content-type", ct)
            .body(Body::from(body))
            .expect("request")
    };
    let r = app.send(send(b"{\"kind\": ".to_vec(), "application/json")).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (400, Some("malformed_json")), "{}", r.text);
    let r = app.send(send(br#"{"kind":"enterprise","name":"x","colour":"red"}"#.to_vec(), "application/json")).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (422, Some("invalid_body")), "{}", r.text);
    assert!(r.text.contains("colour"), "the unknown field is named: {}", r.text);
    let r = app.send(send(b"kind=x".to_vec(), "application/x-www-form-urlencoded")).await;
    assert_eq!(r.status, 415);
    let huge = vec![b' '; 11 * 1024 * 1024];
    let r = app.send(send(huge, "application/json")).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (413, Some("body_too_large")), "{}", r.text);
}
on_both!(bad_bodies, malformed_unknown_and_oversized_bodies_are_refused_with_codes);

async fn invalid_codes_are_named_by_field_and_rule_in_both_languages(app: &TestApp) {
    let body = json!({"organization": {"kind": "enterprise", "name": "坏数据公司", "region_code": "999999", "industry": "mining",
        "employees": -3, "annual_revenue_yuan": "12.345", "credit_code": "91440300MA5F00001X"},
        "admin_name": "", "admin_email": "not-an-email", "admin_mobile": "1234", "password": "12345678"});
    let r = app.call("POST", "/api/v1/registrations", None, Some(body.clone())).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let rules: Vec<(String, String)> = r.json["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| (f["field"].as_str().unwrap_or("").to_string(), f["rule"].as_str().unwrap_or("").to_string()))
        .collect();
    for (field, rule) in [
        ("organization.credit_code", "credit_code_check_character"),
        ("organization.industry", "industry_unknown"),
        ("organization.employees", "employees_range"),
        ("organization.annual_revenue_yuan", "money_too_many_decimals"),
        ("admin_name", "required"),
        ("admin_email", "email_format"),
        ("admin_mobile", "mobile_format"),
        ("password", "password_only_digits"),
    ] {
        assert!(rules.contains(&(field.to_string(), rule.to_string())), "missing {field}/{rule} in {rules:?}");
    }
    assert!(r.json["message"].as_str().unwrap_or("").contains("校验"), "Chinese by default: {}", r.json["message"]);
    let en = app
        .send(
            Request::builder()
                .method("POST")
                .uri("/api/v1/registrations")
                .header("content-type", "application/json")
                .header("accept-language", "en-GB,en;q=0.9")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
    assert!(
        en.json["message"].as_str().unwrap_or("").contains("check character"),
        "English on request: {}",
        en.json["message"]
    );

    // The region is checked against the reference data once the fields are well-formed.
    let unknown_region = json!({"organization": {"kind": "college", "name": "无名学院", "region_code": "999999"},
        "admin_name": "甲", "admin_email": "a@b.cn", "password": "college-pass-1"});
    let r = app.call("POST", "/api/v1/registrations", None, Some(unknown_region)).await;
    assert_eq!((r.status.as_u16(), r.json["fields"][0]["rule"].as_str()), (422, Some("region_unknown")), "{}", r.text);
}
on_both!(invalid_codes, invalid_codes_are_named_by_field_and_rule_in_both_languages);

async fn a_registration_with_a_taken_email_answers_the_same_and_tells_its_owner(app: &TestApp) {
    let taken = app.enterprise("已注册企业").await.admin.login;
    let admin = app.alliance_admin().await.token;
    let count = |r: crate::support::Resp| r.json["total"].as_u64().unwrap_or(0);
    let before = count(app.call("GET", "/api/v1/organizations?membership=none", Some(&admin), None).await);
    let outbox = app.app.outbox_pending().await.expect("outbox");
    let body = |email: &str, n: u32| {
        json!({"organization": {"kind": "enterprise", "name": format!("重复邮箱公司{n}"), "region_code": "440305", "industry": "retail",
        "employees": 5, "annual_revenue_yuan": "100000", "credit_code": credit_code(n)},
        "admin_name": "甲", "admin_email": email, "password": "dup-pass-123"})
    };
    let dup = app.call("POST", "/api/v1/registrations", None, Some(body(&taken, 7))).await;
    let fresh = app.call("POST", "/api/v1/registrations", None, Some(body("fresh@dup.example", 8))).await;
    assert_eq!((dup.status, &dup.text), (fresh.status, &fresh.text), "the same answer either way");
    assert_eq!(dup.status, 202, "{}", dup.text);
    let after = count(app.call("GET", "/api/v1/organizations?membership=none", Some(&admin), None).await);
    assert_eq!(after, before + 1, "only the fresh registration created an organisation");
    assert_eq!(app.app.outbox_pending().await.expect("outbox"), outbox + 1, "the owner of the taken email is told");
}
on_both!(duplicate_registration, a_registration_with_a_taken_email_answers_the_same_and_tells_its_owner);

async fn registrations_are_throttled_per_address(app: &TestApp) {
    let body = |n: u32| {
        json!({"organization": {"kind": "college", "name": format!("限流注册学院{n}")},
        "admin_name": "甲", "admin_email": format!("reg{n}@throttle.example"), "password": "reg-pass-123"})
    };
    let free = app.app.config().registrations_per_address;
    for n in 0..u32::try_from(free).unwrap_or(5) {
        let r = app.call("POST", "/api/v1/registrations", None, Some(body(n))).await;
        assert_eq!(r.status, 202, "{}", r.text);
    }
    let r = app.call("POST", "/api/v1/registrations", None, Some(body(99))).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (429, Some("rate_limited")), "{}", r.text);
    assert_eq!(app.token_login("reg99@throttle.example", "reg-pass-123").await.status, 401, "nothing was created");
}
on_both!(registration_throttle, registrations_are_throttled_per_address);

async fn wrong_passwords_are_throttled_per_account(app: &TestApp) {
    let college = app.college("限流测试学院").await;
    let teacher = app.member(&college, &["teacher"]).await.login;
    let career = app.member(&college, &["career_officer"]).await.login;
    for _ in 0..5 {
        let r = app.token_login(&teacher, "wrong-one-1").await;
        assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (401, Some("bad_credentials")), "{}", r.text);
    }
    let r = app.token_login(&teacher, PASSWORD).await;
    assert_eq!(
        (r.status.as_u16(), r.json["code"].as_str()),
        (429, Some("rate_limited")),
        "locked even with the right password: {}",
        r.text
    );
    assert!(r.headers.contains_key("retry-after"));
    let other = app.token_login(&career, PASSWORD).await;
    assert_eq!(other.status, 201, "other accounts are unaffected: {}", other.text);
}
on_both!(login_throttle, wrong_passwords_are_throttled_per_account);

async fn revoked_and_unknown_tokens_are_refused(app: &TestApp) {
    let ent = app.enterprise("令牌测试企业").await;
    let tech = app.member(&ent, &["technician"]).await;
    let t = tech.token.clone();
    let list = app.call("GET", "/api/v1/me/tokens", Some(&t), None).await;
    let live = list.json.as_array().and_then(|a| a.iter().find(|t| t["revoked_at"].is_null())).expect("a live token");
    let id = live["id"].as_i64().expect("token id");
    assert!(live.get("token_hash").is_none(), "hashes are never returned");
    assert_eq!(app.call("DELETE", &format!("/api/v1/me/tokens/{id}"), Some(&t), None).await.status, 204);
    let r = app.call("GET", "/api/v1/me", Some(&t), None).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (401, Some("unauthenticated")));
    assert_eq!(app.call("GET", "/api/v1/me", Some("xq_forged"), None).await.status, 401);
    assert_eq!(
        app.call("GET", "/api/v1/organizations/abc", Some(&app.actor(&tech.login).await.token), None).await.status,
        404
    );
}
on_both!(token_revocation, revoked_and_unknown_tokens_are_refused);

async fn pagination_limits_are_validated(app: &TestApp) {
    let t = app.alliance_admin().await.token;
    for q in ["limit=0", "limit=101", "offset=-1", "limit=abc"] {
        let r = app.call("GET", &format!("/api/v1/organizations?{q}"), Some(&t), None).await;
        assert_eq!(r.status, 422, "{q}: {}", r.text);
    }
    let r = app.call("GET", "/api/v1/organizations?kind=castle", Some(&t), None).await;
    assert_eq!(r.json["fields"][0]["rule"], "org_kind_unknown");
}
on_both!(pagination, pagination_limits_are_validated);

async fn parallel_guesses_cannot_slip_under_the_login_limit(app: &TestApp) {
    let login = app.college("猜测测试学院").await.admin.login;
    let mut handles = Vec::new();
    for i in 0..20 {
        let router = app.router.clone();
        let login = login.clone();
        handles.push(tokio::spawn(async move {
            use tower::ServiceExt as _;
            let body = json!({"login": login, "password": format!("guess-{i}-x"), "name": "x"});
            let req = Request::builder()
                .method("POST")
                .uri("/api/v1/auth/token")
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .expect("request");
            router.oneshot(req).await.expect("response").status().as_u16()
        }));
    }
    let mut wrong = 0;
    for h in handles {
        let status = h.await.expect("task");
        assert!(matches!(status, 401 | 429), "{status}");
        if status == 401 {
            wrong += 1;
        }
    }
    assert!(wrong <= 5, "{wrong} guesses were checked; the limit is 5");
}
on_both!(parallel_guesses, parallel_guesses_cannot_slip_under_the_login_limit);

async fn one_time_passwords_mint_no_tokens_and_password_changes_end_tokens(app: &TestApp) {
    let ent = app.enterprise("口令测试企业").await;
    let (hr, e) = (ent.admin.token.clone(), ent.id);
    let created = app
        .add_member(
            &hr,
            e,
            serde_json::json!({"display_name": "令牌测试", "email": "tok@ent.example", "roles": ["technician"]}),
        )
        .await;
    let pw = created.json["temporary_password"].as_str().expect("password").to_string();
    let r = app.token_login("tok@ent.example", &pw).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (403, Some("password_change_required")), "{}", r.text);

    let tech = app.member(&ent, &["technician"]).await.token;
    let changed = app
        .call(
            "POST",
            "/api/v1/me/password",
            Some(&tech),
            Some(json!({"current_password": PASSWORD, "new_password": "tech-new-pass-1"})),
        )
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    assert_eq!(
        app.call("GET", "/api/v1/me", Some(&tech), None).await.status,
        401,
        "the old token ended with the password"
    );
}
on_both!(token_hygiene, one_time_passwords_mint_no_tokens_and_password_changes_end_tokens);

async fn member_contacts_are_masked_for_ordinary_members(app: &TestApp) {
    let ent = app.enterprise("联系方式测试企业").await;
    let mentor = app.member(&ent, &["enterprise_mentor"]).await;
    let uri = format!("/api/v1/organizations/{}/members?limit=100", ent.id);
    let seen = app.call("GET", &uri, mentor.t(), None).await;
    let admin = &ent.admin.login;
    let (first, domain) = (&admin[..1], admin.split_once('@').map_or("", |(_, d)| d));
    assert!(!seen.text.contains(admin.as_str()), "a mentor sees masked emails: {}", seen.text);
    assert!(seen.text.contains(&format!("{first}***@{domain}")), "{}", seen.text);
    let whole = app.call("GET", &uri, ent.admin.t(), None).await;
    assert!(whole.text.contains(&mentor.login), "the administrator sees them whole");
}
on_both!(masked_contacts, member_contacts_are_masked_for_ordinary_members);

async fn the_last_alliance_administrator_stays(app: &TestApp) {
    let admin = app.alliance_admin().await.token;
    let me = app.call("GET", "/api/v1/me", Some(&admin), None).await;
    let id = me.json["id"].as_i64().expect("id");
    let alliance = me.json["roles"][0]["org_id"].as_i64().expect("alliance id");
    let r = app
        .call(
            "DELETE",
            &format!("/api/v1/organizations/{alliance}/members/{id}/roles/alliance_admin"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
}
on_both!(last_alliance_admin, the_last_alliance_administrator_stays);

//! The marketplace pages: every page renders for its users (in both languages), is refused to
//! others, and the forms take the same steps as the API with errors shown on the form.

use axum::http::header;

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login};

const COLLEGE: &str = "鹏城职业技术学院";

async fn ids(app: &TestApp) -> (i64, i64, i64) {
    let college = app.org_id(COLLEGE).await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let o = app.call("GET", &format!("/api/v1/services?college={college}"), Some(&hr), None).await;
    let offering = o.json["items"][0]["id"].as_i64().expect("offering");
    let r = app.call("GET", "/api/v1/service-requests?status=requested", Some(&hr), None).await;
    let request = r.json["items"][0]["id"].as_i64().expect("the demo invitation");
    (college, offering, request)
}

/// Borrowed form fields.
fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn marketplace_pages_render_for_their_users_and_are_refused_to_others(app: &TestApp) {
    let (college, offering, request) = ids(app).await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let admin = page_login(app, "admin@pcvc.demo").await;
    let student = page_login(app, "student@pcvc.demo").await;
    let foreign = page_login(app, "admin@ent02.demo").await;
    let alliance = page_login(app, "admin@alliance.demo").await;
    for (who, uri) in [
        (&hr, "/services".to_string()),
        (&student, format!("/services?kind=training_base&college={college}")),
        (&hr, format!("/services/{offering}")),
        (&hr, "/service-requests".to_string()),
        (&hr, "/service-requests?status=rated".to_string()),
        (&hr, format!("/service-requests/{request}")),
        (&admin, format!("/service-requests/{request}")),
        (&alliance, format!("/service-requests/{request}")),
        (&admin, format!("/orgs/{college}/services")),
        (&admin, format!("/services/{offering}/edit")),
        (&hr, format!("/orgs/{college}/invite")),
    ] {
        for lang in ["", "; xq_lang=en"] {
            let r = page(app, &uri, &format!("{who}{lang}")).await;
            assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
        }
    }
    let free = page(app, "/services?kind=training_base", &student).await;
    assert!(free.text.contains("免费"), "the free offering reads free");
    let en = page(app, "/services?kind=training_base", &format!("{student}; xq_lang=en")).await;
    assert!(en.text.contains("Free") && en.text.contains("Training-base use"), "English labels");
    for (who, uri, status) in [
        (&student, format!("/orgs/{college}/services"), 403),
        (&hr, format!("/services/{offering}/edit"), 403),
        (&student, format!("/orgs/{college}/invite"), 403),
        (&foreign, format!("/service-requests/{request}"), 404),
        (&student, format!("/service-requests/{request}"), 404),
        (&hr, "/service-requests/999999".to_string(), 404),
        (&hr, "/services?college=abc".to_string(), 422),
    ] {
        assert_eq!(page(app, &uri, who).await.status, status, "{uri}");
    }
    let anonymous = app
        .send(axum::http::Request::builder().uri("/services").body(axum::body::Body::empty()).expect("request"))
        .await;
    assert_eq!(anonymous.status, 303, "anonymous visitors are sent to log in");
    assert_eq!(anonymous.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/login"));

    let hr_home = page(app, "/", &hr).await.text;
    assert!(hr_home.contains("href=\"/service-requests\""), "enterprise staff have the requests link");
    assert!(!page(app, "/", &student).await.text.contains("href=\"/service-requests\""), "students do not");
    let org = page(app, &format!("/orgs/{college}"), &hr).await.text;
    assert!(org.contains("invite-link"), "enterprise staff may invite the college");
    assert!(!page(app, &format!("/orgs/{college}"), &student).await.text.contains("invite-link"));
    assert!(page(app, &format!("/orgs/{college}"), &admin).await.text.contains(&format!("/orgs/{college}/services")));
}
on_both!(demo: pages, marketplace_pages_render_for_their_users_and_are_refused_to_others);

async fn the_forms_invite_accept_schedule_and_show_errors_on_the_form(app: &TestApp) {
    let (college, _, _) = ids(app).await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let admin = page_login(app, "admin@pcvc.demo").await;
    let invite = format!("/orgs/{college}/invite");
    let csrf = csrf_in(&page(app, &invite, &hr).await.text);
    let bad = form(app, &invite, &hr, &[("_csrf", &csrf), ("title", " "), ("participants_expected", "很多")]).await;
    assert_eq!(bad.status, 200, "the form again");
    assert!(
        bad.text.contains("<span class=\"field-error\">预计参加人数须为整数"),
        "named by its label beside it: {}",
        bad.text
    );
    let bad = form(app, &invite, &hr, &[("_csrf", &csrf), ("title", " "), ("participants_expected", "0")]).await;
    assert!(bad.text.contains("标题为必填项") && bad.text.contains("人数须在 1 到"), "{}", bad.text);
    let made =
        form(app, &invite, &hr, &[("_csrf", &csrf), ("title", "表单邀请培训"), ("participants_expected", "12")]).await;
    assert_eq!(made.status, 303, "{}", made.text);
    let to = made.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(to.starts_with("/service-requests/"), "{to}");
    let id = to.trim_start_matches("/service-requests/");

    let view = page(app, &to, &admin).await.text;
    assert!(
        view.contains("accept-form") && view.contains("decline-form") && !view.contains("cancel-form"),
        "college forms"
    );
    let csrf = csrf_in(&view);
    let bad = form(app, &format!("/service-requests/{id}/decline"), &admin, &[("_csrf", &csrf), ("reason", "")]).await;
    assert!(bad.text.contains("理由为必填项"), "{}", bad.text);
    let forged = form(app, &format!("/service-requests/{id}/accept"), &admin, &[("_csrf", "forged")]).await;
    assert!(forged.text.contains("CSRF"), "the token is checked");
    let ok = form(app, &format!("/service-requests/{id}/accept"), &admin, &[("_csrf", &csrf)]).await;
    assert_eq!(ok.status, 303);
    let done = page(app, ok.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or(""), &admin).await;
    assert!(done.text.contains("已办理：接受") && done.text.contains("schedule-form"), "{}", done.text);
    let bad = form(
        app,
        &format!("/service-requests/{id}/schedule"),
        &admin,
        &[("_csrf", &csrf), ("scheduled_start", "2026-03-02T09:00"), ("scheduled_end", "2026-03-01T09:00")],
    )
    .await;
    assert!(bad.text.contains("结束时间须晚于开始时间"), "{}", bad.text);
    assert!(bad.text.contains("value=\"2026-03-02T09:00\""), "the typed values are kept");
    let ok = form(
        app,
        &format!("/service-requests/{id}/schedule"),
        &admin,
        &[("_csrf", &csrf), ("scheduled_start", "2026-03-01T09:00"), ("scheduled_end", "2026-03-01T12:00")],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    let hr_view = page(app, &to, &hr).await.text;
    assert!(hr_view.contains("2026-03-01 09:00 – 2026-03-01 12:00") && hr_view.contains("cancel-form"), "{hr_view}");
    assert_eq!(form(app, &format!("/service-requests/{id}/dance"), &admin, &[("_csrf", &csrf)]).await.status, 404);
    assert_eq!(form(app, &format!("/service-requests/{id}/cancel"), &admin, &[("_csrf", &csrf)]).await.status, 403);

    // Publishing and editing from the college's pages.
    let mine = format!("/orgs/{college}/services");
    let csrf = csrf_in(&page(app, &mine, &admin).await.text);
    let offering = |capacity: &str, price: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("kind", "technical_service".to_string()),
            ("title", "表单发布的服务".to_string()),
            ("description", "说明".to_string()),
            ("capacity", capacity.to_string()),
            ("price_yuan", price.to_string()),
            ("price_unit", "per_project".to_string()),
        ]
    };
    let bad = form(app, &mine, &admin, &refs(&offering("abc", "1"))).await;
    assert!(bad.text.contains("<span class=\"field-error\">名额须为整数"), "{}", bad.text);
    let made = form(app, &mine, &admin, &refs(&offering("8", "3000"))).await;
    assert_eq!(made.status, 303, "{}", made.text);
    let listed = page(app, &mine, &admin).await.text;
    assert!(listed.contains("表单发布的服务") && listed.contains("¥3,000.00 / 每个项目"), "{listed}");
    let (_, offering, _) = ids(app).await;
    let edit = format!("/services/{offering}/edit");
    let csrf = csrf_in(&page(app, &edit, &admin).await.text);
    let withdrawn = form(
        app,
        &edit,
        &admin,
        &[
            ("_csrf", &csrf),
            ("kind", "skills_training"),
            ("title", "数控车床操作与编程培训"),
            ("description", "说明"),
            ("capacity", "30"),
            ("price_yuan", "800"),
            ("price_unit", "per_person"),
            ("status", "withdrawn"),
        ],
    )
    .await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.text);
    let after = page(app, &format!("/services/{offering}"), &hr).await.text;
    assert!(after.contains("已下架") && !after.contains("request-form"), "a withdrawn offering takes no requests");
}
on_both!(demo: forms, the_forms_invite_accept_schedule_and_show_errors_on_the_form);

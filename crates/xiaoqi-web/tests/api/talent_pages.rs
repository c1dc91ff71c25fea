//! The talent pages: each renders for its users in both languages, refuses others, and its
//! forms take the same steps as the API with errors shown on the form.

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login, urlencode};

async fn talent_pages_render_for_their_users_and_refuse_others(app: &TestApp) {
    let e = app.org_id("深圳创智精密机械有限公司").await;
    let college = app.org_id("鹏城职业技术学院").await;
    let tok = app.token("hr@chuangzhi.demo").await;
    let demands = app.call("GET", &format!("/api/v1/demands?org={e}&limit=100"), Some(&tok), None).await;
    let first = demands.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["effective_status"] == "published"))
        .and_then(|d| d["id"].as_i64())
        .expect("a published demand");
    let structure = app.call("GET", &format!("/api/v1/organizations/{college}/structure"), Some(&tok), None).await;
    let major = structure.json["majors"][0]["id"].as_i64().expect("a major");
    let student_tok = app.token("s11@pcvc.demo").await;
    let unconsented = app.call("GET", "/api/v1/me", Some(&student_tok), None).await.json["id"].as_i64().expect("id");

    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let career = page_login(app, "career@pcvc.demo").await;
    let admin = page_login(app, "admin@pcvc.demo").await;
    let student = page_login(app, "student@pcvc.demo").await;
    for (who, uri) in [
        (&hr, "/demands".to_string()),
        (&hr, format!("/demands/new?org={e}")),
        (&hr, format!("/demands/{first}")),
        (&hr, format!("/demands/{first}/edit")),
        (&hr, format!("/demands/suggest?title={}", urlencode("抖音客服专员"))),
        (&career, format!("/demands/{first}")),
        (&career, format!("/orgs/{college}/insight")),
        (&admin, format!("/majors/{major}/edit")),
        (&admin, format!("/orgs/{college}")),
        (&student, "/me/profile".to_string()),
        (&student, format!("/search?q={}", urlencode("数控"))),
        (&career, format!("/students/{unconsented}")),
    ] {
        for lang in ["", "; xq_lang=en"] {
            let r = page(app, &uri, &format!("{who}{lang}")).await;
            assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
        }
    }
    let suggestions = page(app, &format!("/demands/suggest?title={}", urlencode("CNC操机师傅 包吃住")), &hr).await;
    assert!(suggestions.text.contains("data-occupation-code"), "suggestions to click: {}", suggestions.text);
    for (who, uri, status) in [
        (&student, format!("/demands/new?org={e}"), 403),
        (&student, format!("/orgs/{college}/insight"), 403),
        (&hr, format!("/orgs/{college}/insight"), 403),
        (&hr, format!("/majors/{major}/edit"), 403),
        (&hr, format!("/students/{unconsented}"), 404),
        (&hr, "/me/profile".to_string(), 403),
    ] {
        let r = page(app, &uri, who).await;
        assert_eq!(r.status, status, "{uri}: {}", r.text.chars().take(200).collect::<String>());
    }
}

async fn the_demand_form_shows_errors_and_keeps_the_input(app: &TestApp) {
    let e = app.org_id("深圳创智精密机械有限公司").await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let new = page(app, &format!("/demands/new?org={e}"), &hr).await;
    let csrf = csrf_in(&new.text);
    let bad = form(
        app,
        &format!("/demands/new?org={e}"),
        &hr,
        &[
            ("_csrf", &csrf),
            ("title", "焊工"),
            ("r0_skills", "吹玻璃 5 3"),
            ("headcount", "2"),
            ("valid_until", "2999-12-31"),
            ("pay_min", "9000"),
            ("pay_max", "8000"),
        ],
    )
    .await;
    assert_eq!(bad.status, 200, "the form again: {}", bad.text.chars().take(300).collect::<String>());
    assert!(
        bad.text.contains("<span class=\"field-error\">未知的技能：吹玻璃")
            && bad.text.contains("<span class=\"field-error\">薪资上限不能低于下限"),
        "each error in words beside its field, input kept: {}",
        bad.text.split("role=\"alert\"").nth(1).unwrap_or("")
    );
    let ok = form(
        app,
        &format!("/demands/new?org={e}"),
        &hr,
        &[
            ("_csrf", &csrf),
            ("title", "焊工"),
            ("occupation_code", "6-18-02-04"),
            ("r0_skills", "焊接 5 3"),
            ("headcount", "2"),
            ("valid_until", "2999-12-31"),
            ("publish", "1"),
        ],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    let to = ok.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let shown = page(app, &to, &hr).await;
    assert!(shown.text.contains("data-status=\"published\""), "published at once");

    // "Save and publish" with a closing date already past: the form again with the reason beside
    // the date, and no draft left behind.
    let count = || async {
        app.call("GET", &format!("/api/v1/demands?org={e}&limit=1"), Some(&app.token("hr@chuangzhi.demo").await), None)
            .await
            .json["total"]
            .as_i64()
    };
    let before = count().await;
    let past = form(
        app,
        &format!("/demands/new?org={e}"),
        &hr,
        &[
            ("_csrf", &csrf),
            ("title", "焊工（过期）"),
            ("occupation_code", "6-18-02-04"),
            ("r0_skills", "焊接 5 3"),
            ("headcount", "2"),
            ("valid_until", "2020-01-01"),
            ("publish", "1"),
        ],
    )
    .await;
    assert_eq!(past.status, 200, "not saved: {}", past.text.chars().take(300).collect::<String>());
    assert!(past.text.contains("<span class=\"field-error\">截止日期已过"), "the reason beside the date");
    assert_eq!(count().await, before, "no draft written");
}

async fn a_student_edits_the_profile_and_consents_on_the_page(app: &TestApp) {
    let student = page_login(app, "s11@pcvc.demo").await;
    let p = page(app, "/me/profile", &student).await;
    let csrf = csrf_in(&p.text);
    let bad = form(app, "/me/profile", &student, &[("_csrf", &csrf), ("skills", "数控车削 7")]).await;
    assert!(
        bad.status == 200 && bad.text.contains("<span class=\"field-error\">技能等级应为 1 到 5"),
        "the level named beside the skills box: {}",
        bad.text.split("role=\"alert\"").nth(1).unwrap_or("")
    );
    let ok = form(
        app,
        "/me/profile",
        &student,
        &[
            ("_csrf", &csrf),
            ("skills", "数控车削 4\n质量检验 4"),
            ("grade_avg", "88"),
            ("preferred_occupations", "6-18-01-07"),
        ],
    )
    .await;
    assert_eq!(ok.status, 303);
    let granted = form(app, "/me/consents", &student, &[("_csrf", &csrf), ("scope", "alliance")]).await;
    assert_eq!(granted.status, 303);
    let hr = app.token("hr@chuangzhi.demo").await;
    let me = app.call("GET", "/api/v1/me", Some(&app.token("s11@pcvc.demo").await), None).await.json["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        app.call("GET", &format!("/api/v1/students/{me}/profile"), Some(&hr), None).await.status,
        200,
        "visible after consent"
    );
}

on_both!(demo: talent_pages, talent_pages_render_for_their_users_and_refuse_others);
on_both!(demo: talent_demand_form, the_demand_form_shows_errors_and_keeps_the_input);
on_both!(demo: talent_profile_form, a_student_edits_the_profile_and_consents_on_the_page);

//! The placement pages: the list with the teacher's dashboard, one internship with each party's
//! forms, the printable agreement, in both languages; outsiders get 404; forms run the steps.

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login};

/// The demo placement of s06 (under way), by the teacher's list.
async fn demo_placement(app: &TestApp) -> i64 {
    let t = app.token("s06@pcvc.demo").await;
    let r = app.call("GET", "/api/v1/placements", Some(&t), None).await;
    r.json[0]["id"].as_i64().expect("s06 has a placement under way")
}

async fn placement_pages_render_for_the_parties_and_hide_from_others(app: &TestApp) {
    let id = demo_placement(app).await;
    let teacher = page_login(app, "teacher@pcvc.demo").await;
    let master = page_login(app, "mentor@chuangzhi.demo").await;
    let student = page_login(app, "s06@pcvc.demo").await;
    let career = page_login(app, "career@pcvc.demo").await;
    for who in [&teacher, &master, &student, &career] {
        for uri in ["/placements".to_string(), format!("/placements/{id}"), format!("/placements/{id}/agreement")] {
            for lang in ["", "; xq_lang=en"] {
                let r = page(app, &uri, &format!("{who}{lang}")).await;
                assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
            }
        }
    }
    let dashboard = page(app, "/placements", &teacher).await;
    assert!(dashboard.text.contains("data-kind=\"review_overdue\""), "the overdue demo review is a warning");
    assert!(dashboard.text.contains("id=\"theory_skills\"") && dashboard.text.contains("数控车削"));
    assert!(dashboard.text.contains("id=\"compliance_summary\""));
    let en = page(app, "/placements", &format!("{teacher}; xq_lang=en")).await;
    assert!(en.text.contains("Theory loop") && en.text.contains("is overdue"), "English dashboard");

    let mine = page(app, &format!("/placements/{id}"), &student).await;
    assert!(mine.text.contains("id=\"log_form\"") && mine.text.contains("id=\"attendance_form\""));
    assert!(!mine.text.contains("id=\"signoff_form\""), "the student does not sign off skills");
    let masters = page(app, &format!("/placements/{id}"), &master).await;
    assert!(masters.text.contains("id=\"signoff_form\"") && !masters.text.contains("id=\"log_form\""));

    let agreement = page(app, &format!("/placements/{id}/agreement"), &student).await;
    let css = page(app, "/static/agreement.css", &student).await;
    assert!(css.text.contains("@page { size: A4"), "the agreement prints on A4");
    for needle in [
        "/static/agreement.css",
        "学生实习三方协议",
        "鹏城职业技术学院",
        "深圳创智精密机械有限公司",
        "甲方",
        "乙方",
        "丙方",
        "PICC-SX-2026",
    ] {
        assert!(agreement.text.contains(needle), "the agreement shows {needle}");
    }
    for login in ["s03@pcvc.demo", "member@gov.demo", "admin@ent02.demo"] {
        let outsider = page_login(app, login).await;
        assert_eq!(page(app, &format!("/placements/{id}"), &outsider).await.status, 404, "{login}");
        assert_eq!(page(app, &format!("/placements/{id}/agreement"), &outsider).await.status, 404, "{login}");
    }
}
on_both!(demo: placement_pages, placement_pages_render_for_the_parties_and_hide_from_others);

async fn forms_log_a_day_and_the_master_confirms_it(app: &TestApp) {
    let id = demo_placement(app).await;
    let student = page_login(app, "s06@pcvc.demo").await;
    let master = page_login(app, "mentor@chuangzhi.demo").await;
    let uri = format!("/placements/{id}");
    let today = app.today().format();
    let csrf = csrf_in(&page(app, &uri, &student).await.text);
    let r = form(app, &uri, &student, &[("_csrf", &csrf), ("op", "log"), ("date", &today), ("body", "页面日志")]).await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(300).collect::<String>());
    let r = form(app, &uri, &student, &[("_csrf", &csrf), ("op", "log"), ("date", &today), ("body", "")]).await;
    assert!(r.status == 200 && r.text.contains("role=\"alert\""), "an empty log is shown as an error");
    let r =
        form(app, &uri, &student, &[("_csrf", &csrf), ("op", "attendance"), ("day", &today), ("status", "present")])
            .await;
    assert_eq!(r.status, 303);
    let r = form(app, &uri, &student, &[("_csrf", &csrf), ("op", "confirm"), ("day", &today)]).await;
    assert_eq!(r.status, 403, "the student cannot confirm her own attendance");
    let csrf = csrf_in(&page(app, &uri, &master).await.text);
    let r = form(app, &uri, &master, &[("_csrf", &csrf), ("op", "confirm"), ("day", &today)]).await;
    assert_eq!(r.status, 303);
    let after = page(app, &uri, &student).await;
    assert!(after.text.contains("页面日志"));
    assert!(after.text.contains(&format!("data-day=\"{today}\" data-confirmed=\"true\"")), "confirmed today");
}
on_both!(demo fixed: placement_forms, forms_log_a_day_and_the_master_confirms_it);

/// Nothing in the master's forms records a value the master did not choose: no skill or level
/// pre-selected, no score filled in, and an empty submit records no sign-off.
async fn the_master_forms_preselect_nothing_and_an_empty_submit_records_nothing(app: &TestApp) {
    let id = demo_placement(app).await;
    let master = page_login(app, "mentor@chuangzhi.demo").await;
    let uri = format!("/placements/{id}");
    let before = page(app, &uri, &master).await.text;
    let form_html = before.split("id=\"signoff_form\"").nth(1).and_then(|s| s.split("</form>").next()).expect("form");
    assert!(!form_html.contains("selected"), "nothing pre-selected: {form_html}");
    let eval = before.split("id=\"evaluation_form\"").nth(1).and_then(|s| s.split("</form>").next()).expect("form");
    assert!(eval.contains("name=\"score\" min=\"0\" max=\"100\" required value=\"\""), "no default score: {eval}");
    let count = |html: &str| {
        html.split("id=\"signoffs\"")
            .nth(1)
            .map_or(0, |s| s.split("</ul>").next().unwrap_or("").matches("<li>").count())
    };
    let n = count(&before);
    let csrf = csrf_in(&before);
    let r = form(app, &uri, &master, &[("_csrf", &csrf), ("op", "signoff"), ("skill_code", ""), ("level", "")]).await;
    assert!(r.status == 200 && r.text.contains("role=\"alert\""), "an empty sign-off is an error");
    assert_eq!(count(&page(app, &uri, &master).await.text), n, "and records nothing");
}
on_both!(demo fixed: placement_master_forms, the_master_forms_preselect_nothing_and_an_empty_submit_records_nothing);

async fn the_college_sets_mentor_limits_and_weights_and_filters_the_dashboard_by_round(app: &TestApp) {
    let career = page_login(app, "career@pcvc.demo").await;
    let teacher = page_login(app, "teacher@pcvc.demo").await;
    let dashboard = page(app, "/placements", &career).await;
    assert!(dashboard.text.contains("id=\"settings_form\""), "the career officer manages the settings");
    assert!(dashboard.text.contains("id=\"round_filter\""), "the rounds to filter by");
    assert!(!page(app, "/placements", &teacher).await.text.contains("id=\"settings_form\""), "a teacher does not");
    let csrf = csrf_in(&dashboard.text);
    let settings = |report: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("max_per_teacher", "12".to_string()),
            ("max_per_master", "3".to_string()),
            ("warn_after_days", "5".to_string()),
            ("weight_report", report.to_string()),
            ("weight_evaluation", "40".to_string()),
            ("weight_attendance", "20".to_string()),
        ]
    };
    let bad = settings("50");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = form(app, "/placements/settings", &career, &bad).await;
    assert!(r.status == 200 && r.text.contains("role=\"alert\""), "weights summing to 110 are refused on the page");
    let college = app.org_id("鹏城职业技术学院").await;
    let tok = app.token("career@pcvc.demo").await;
    let stored = app.call("GET", &format!("/api/v1/placement-settings/{college}"), Some(&tok), None).await;
    assert_ne!(stored.json["max_per_teacher"].as_i64(), Some(12), "nothing was saved");
    let good = settings("40");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(form(app, "/placements/settings", &career, &good).await.status, 303);
    let stored = app.call("GET", &format!("/api/v1/placement-settings/{college}"), Some(&tok), None).await;
    assert_eq!((stored.json["max_per_teacher"].as_i64(), stored.json["warn_after_days"].as_i64()), (Some(12), Some(5)));
    let csrf = csrf_in(&page(app, "/placements", &teacher).await.text);
    let mut by_teacher = settings("40");
    by_teacher[0].1 = csrf.clone();
    let by_teacher: Vec<(&str, &str)> = by_teacher.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = form(app, "/placements/settings", &teacher, &by_teacher).await;
    assert_eq!(r.status, 403, "a teacher cannot change them");

    let rounds = app.call("GET", &format!("/api/v1/practice-rounds?college={college}"), Some(&tok), None).await;
    let open = rounds.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["status"] == "open"))
        .and_then(|r| r["id"].as_i64())
        .expect("the open demo round");
    let filtered = page(app, &format!("/placements?round={open}"), &career).await;
    assert_eq!(filtered.status, 200);
    let summary = |t: &str| {
        t.split("id=\"compliance_summary\"").nth(1).unwrap_or("").split("</p>").next().unwrap_or("").to_string()
    };
    assert_ne!(summary(&filtered.text), summary(&dashboard.text), "the open round has no placements yet");
    assert!(filtered.text.contains(&format!("<option value=\"{open}\" selected>")), "the chosen round stays chosen");
}
on_both!(demo: placement_settings_page, the_college_sets_mentor_limits_and_weights_and_filters_the_dashboard_by_round);

//! The practice pages: they render for their users in both languages, refuse others, show the
//! internship rules' errors on the offer form, and take a round from preferences to outcome.

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login};

const COLLEGE: &str = "鹏城职业技术学院";

async fn demo_round(app: &TestApp) -> (i64, Vec<i64>) {
    let college = app.org_id(COLLEGE).await;
    let tok = app.token("career@pcvc.demo").await;
    let rounds = app.call("GET", &format!("/api/v1/practice-rounds?college={college}"), Some(&tok), None).await;
    // The open one: the demo also has an allocated round with internships under way.
    let round = rounds.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["status"] == "open"))
        .expect("an open demo round");
    let places = round["place_ids"].as_array().expect("places").iter().filter_map(|v| v.as_i64()).collect();
    (round["id"].as_i64().expect("round"), places)
}

async fn practice_pages_render_for_their_users_and_refuse_others(app: &TestApp) {
    let (round, places) = demo_round(app).await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let career = page_login(app, "career@pcvc.demo").await;
    let student = page_login(app, "student@pcvc.demo").await;
    let outsider = page_login(app, "member@gov.demo").await;
    for (who, uri) in [
        (&hr, "/practice".to_string()),
        (&career, "/practice".to_string()),
        (&student, "/practice".to_string()),
        (&hr, format!("/practice/rounds/{round}")),
        (&career, format!("/practice/rounds/{round}")),
        (&student, format!("/practice/rounds/{round}")),
    ] {
        for lang in ["", "; xq_lang=en"] {
            let r = page(app, &uri, &format!("{who}{lang}")).await;
            assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
        }
    }
    let hr_page = page(app, "/practice", &hr).await;
    assert!(hr_page.text.contains("id=\"offer_form\""), "HR may offer a place");
    let student_page = page(app, "/practice", &student).await;
    assert!(!student_page.text.contains("id=\"offer_form\""), "a student may not");
    assert!(student_page.text.contains(&format!("/practice/rounds/{round}")), "the college's round is listed");
    let round_page = page(app, &format!("/practice/rounds/{round}"), &student).await;
    assert!(round_page.text.contains("id=\"preferences_form\""));
    assert!(!round_page.text.contains("id=\"run_form\""));
    let hr_round = page(app, &format!("/practice/rounds/{round}"), &hr).await;
    assert!(hr_round.text.contains(&format!("/places/{}/ranking", places[0])), "HR ranks its places");
    assert!(!hr_round.text.contains(&format!("/places/{}/ranking", places[2])), "not another enterprise's");
    assert!(page(app, &format!("/practice/rounds/{round}"), &career).await.text.contains("id=\"run_form\""));

    assert_eq!(page(app, &format!("/practice/rounds/{round}"), &outsider).await.status, 404, "existence is private");
    assert_eq!(page(app, "/practice/rounds/999999", &career).await.status, 404);
    let csrf = csrf_in(&page(app, "/practice", &hr).await.text);
    assert_eq!(form(app, &format!("/practice/rounds/{round}/run"), &hr, &[("_csrf", &csrf)]).await.status, 403);
    let csrf = csrf_in(&round_page.text);
    let r = form(
        app,
        &format!("/practice/rounds/{round}/places/{}/ranking", places[0]),
        &student,
        &[("_csrf", &csrf), ("rank_0", "1")],
    )
    .await;
    assert_eq!(r.status, 403);
}

async fn the_offer_form_names_the_broken_rule(app: &TestApp) {
    let e = app.org_id("深圳创智精密机械有限公司").await.to_string();
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let csrf = csrf_in(&page(app, "/practice", &hr).await.text);
    let fields = |fees: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("enterprise_id", e.clone()),
            ("kind", "post".to_string()),
            ("title", "数控铣床岗位实习".to_string()),
            ("capacity", "2".to_string()),
            ("start_date", "2999-03-01".to_string()),
            ("end_date", "2999-06-30".to_string()),
            ("location", "深圳南山".to_string()),
            ("monthly_pay_yuan", "4200".to_string()),
            ("post_wage_yuan", "5000".to_string()),
            ("working_hours", "周一至周五 9:00–17:30".to_string()),
            ("insured", "on".to_string()),
            ("insurer", "人保财险".to_string()),
            ("enterprise_staff", "200".to_string()),
            ("post_staff", "20".to_string()),
            ("fees_yuan", fees.to_string()),
        ]
    };
    let bad: Vec<(&str, String)> = fields("500");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = form(app, "/practice", &hr, &bad).await;
    assert_eq!(r.status, 200, "the form again: {}", r.text.chars().take(300).collect::<String>());
    let errors = r.text.split("class=\"errors\"").nth(1).expect("an error block");
    assert!(errors.contains("fees_yuan") && errors.contains("第二十一条"), "the rule by name: {errors}");
    assert!(r.text.contains("value=\"数控铣床岗位实习\""), "the input is kept");
    let good: Vec<(&str, String)> = fields("");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(form(app, "/practice", &hr, &good).await.status, 303);
    assert!(page(app, "/practice", &hr).await.text.contains("数控铣床岗位实习"));
}

async fn a_round_goes_from_preferences_to_the_certificate(app: &TestApp) {
    let (round, places) = demo_round(app).await;
    let uri = format!("/practice/rounds/{round}");
    let me = app.call("GET", "/api/v1/me", Some(&app.token("student@pcvc.demo").await), None).await.json["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let student = page_login(app, "student@pcvc.demo").await;
    let csrf = csrf_in(&page(app, &uri, &student).await.text);
    let (p0, p1) = (places[0].to_string(), places[1].to_string());
    let r = form(
        app,
        &format!("{uri}/preferences"),
        &student,
        &[("_csrf", &csrf), ("choice_0", &p0), ("choice_1", &p1), ("choice_2", "")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(300).collect::<String>());
    let dup =
        form(app, &format!("{uri}/preferences"), &student, &[("_csrf", &csrf), ("choice_0", &p0), ("choice_1", &p0)])
            .await;
    assert_eq!(dup.status, 200);
    assert!(dup.text.contains("class=\"errors\""), "the error on the page");

    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let csrf = csrf_in(&page(app, &uri, &hr).await.text);
    let r = form(app, &format!("{uri}/places/{p1}/ranking"), &hr, &[("_csrf", &csrf), ("rank_0", &me)]).await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(300).collect::<String>());

    let career = page_login(app, "career@pcvc.demo").await;
    let csrf = csrf_in(&page(app, &uri, &career).await.text);
    assert_eq!(form(app, &format!("{uri}/run"), &career, &[("_csrf", &csrf)]).await.status, 303);
    let outcomes = page(app, &uri, &career).await;
    assert!(outcomes.text.contains("id=\"outcomes\""));
    assert!(!outcomes.text.contains("id=\"run_form\""), "runs once");

    let mine = page(app, &uri, &student).await;
    let cert = mine.text.split("id=\"certificate\"").nth(1).expect("the certificate");
    assert!(cert.contains("精密装配跟岗实习") && cert.contains("企业没有把你列入排序"), "{cert}");
    let en = page(app, &uri, &format!("{student}; xq_lang=en")).await;
    assert!(en.text.contains("did not list you"), "in English too");
}

async fn an_enterprise_edits_its_place_and_a_college_opens_a_round_from_the_page(app: &TestApp) {
    let (_, places) = demo_round(app).await;
    let uri = format!("/practice/places/{}", places[0]);
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let view = page(app, &uri, &hr).await;
    assert_eq!(view.status, 200);
    assert!(view.text.contains("id=\"offer_form\"") && view.text.contains("数控车削"), "the edit form, filled");
    for lang in ["", "; xq_lang=en"] {
        let career = page_login(app, "career@pcvc.demo").await;
        let r = page(app, &uri, &format!("{career}{lang}")).await;
        assert_eq!(r.status, 200);
        assert!(!r.text.contains("id=\"offer_form\""), "the college reads the place but does not edit it");
    }
    let other = page_login(app, "admin@ent02.demo").await;
    let csrf = csrf_in(&page(app, &uri, &other).await.text);
    let whole_form = [
        ("_csrf", csrf.as_str()),
        ("kind", "post"),
        ("title", "抢改"),
        ("capacity", "3"),
        ("start_date", "2999-03-01"),
        ("end_date", "2999-08-31"),
        ("location", "深圳宝安"),
        ("monthly_pay_yuan", "4200"),
        ("post_wage_yuan", "5200"),
        ("working_hours", "周一至周五 9:00–17:30"),
        ("insured", "on"),
        ("enterprise_staff", "260"),
        ("post_staff", "12"),
    ];
    assert_eq!(form(app, &uri, &other, &whole_form).await.status, 403, "another enterprise cannot edit the place");

    let csrf = csrf_in(&view.text);
    let fields = |title: &'static str, skills: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("kind", "post".to_string()),
            ("title", title.to_string()),
            ("capacity", "3".to_string()),
            ("start_date", "2999-03-01".to_string()),
            ("end_date", "2999-08-31".to_string()),
            ("location", "深圳宝安".to_string()),
            ("monthly_pay_yuan", "4200".to_string()),
            ("post_wage_yuan", "5200".to_string()),
            ("working_hours", "周一至周五 9:00–17:30".to_string()),
            ("insured", "on".to_string()),
            ("enterprise_staff", "260".to_string()),
            ("post_staff", "12".to_string()),
            ("skills", skills.to_string()),
        ]
    };
    let bad = fields("数控车床操作岗位实习（修订）", "数控车削 8 3\n量子烹饪");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = form(app, &uri, &hr, &bad).await;
    assert_eq!(r.status, 200);
    let errors = r.text.split("class=\"errors\"").nth(1).expect("an error block");
    assert!(errors.contains("未知的技能：量子烹饪"), "the unknown skill is named: {errors}");
    assert!(!page(app, &uri, &hr).await.text.contains("（修订）"), "nothing was saved");
    let good = fields("数控车床操作岗位实习（修订）", "数控车削 8 3\n数控编程 4 2");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(form(app, &uri, &hr, &good).await.status, 303);
    let after = page(app, &uri, &hr).await.text;
    assert!(after.contains("（修订）") && after.contains("数控编程"), "saved with its skills");

    let career = page_login(app, "career@pcvc.demo").await;
    let listing = page(app, "/practice", &career).await.text;
    assert!(listing.contains("class=\"stack open_round\""), "the career officer may open a round");
    assert!(!page(app, "/practice", &hr).await.text.contains("open_round"), "an enterprise may not");
    let csrf = csrf_in(&listing);
    let college = app.org_id(COLLEGE).await.to_string();
    let empty =
        form(app, "/practice/rounds", &career, &[("_csrf", &csrf), ("college_id", &college), ("round_name", "空轮次")])
            .await;
    assert_eq!(empty.status, 200);
    assert!(
        empty.text.contains("class=\"errors\"") && empty.text.contains("请列出 1 到 500 个不重复的实习岗位"),
        "a round needs places"
    );
    let (k0, k1) = (format!("place_{}", places[0]), format!("place_{}", places[1]));
    let r = form(
        app,
        "/practice/rounds",
        &career,
        &[("_csrf", &csrf), ("college_id", &college), ("round_name", "2027 秋季跟岗"), (&k0, "on"), (&k1, "on")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(300).collect::<String>());
    let to = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let round = page(app, &to, &career).await.text;
    assert!(round.contains("2027 秋季跟岗") && round.contains("（修订）"), "the new round with its places");
}

on_both!(demo: practice_pages, practice_pages_render_for_their_users_and_refuse_others);
on_both!(demo: practice_edit_and_open, an_enterprise_edits_its_place_and_a_college_opens_a_round_from_the_page);
on_both!(demo: practice_offer_form, the_offer_form_names_the_broken_rule);
on_both!(demo: practice_round_walk, a_round_goes_from_preferences_to_the_certificate);

//! Graduate destinations (毕业去向) through the API and the pages: the register entered by
//! students and checked by the career officer, the figures as of two dates, bad input refused
//! with nothing written, the all-or-nothing import, and who may do what.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};

use crate::on_both;
use crate::support::build::{Actor, Org, PASSWORD};
use crate::support::{Db, TestApp, csrf_in, field_rules, form, page, page_login_with};

fn entry(student_no: &str, kind: &str, date: &str) -> Value {
    json!({"student_no": student_no, "cohort": 2026, "kind": kind, "date": date})
}

/// A student of the college and their student number.
async fn student(app: &TestApp, college: &Org) -> (Actor, String) {
    app.student_numbered(college, "去向2601班").await
}

async fn figures(app: &TestApp, officer: &Actor, college: &Org) -> Value {
    let uri =
        format!("/api/v1/organizations/{}/destination-figures?cohort=2026&as_of=2026-08-31,2026-12-31", college.id);
    app.ok("GET", &uri, officer, None, 200).await
}

fn at(f: &Value, i: usize) -> &Value {
    &f["dates"][i]["figures"]
}

async fn the_figures_read_the_checked_register_as_of_each_date(app: &TestApp) {
    let college = app.college("去向学院").await;
    let officer = app.member(&college, &["career_officer"]).await;
    let welding = app.major(&college, "460104", "焊接技术与自动化").await;
    let serves = json!({"occupations": ["6-18-02-01"]});
    let uri = format!("/api/v1/organizations/{}/majors/{welding}/occupations", college.id);
    app.ok("PUT", &uri, &college.admin, Some(serves), 200).await;
    let employer = app.enterprise("去向焊接厂").await;
    let (s1, n1) = student(app, &college).await;
    let (s2, n2) = student(app, &college).await;
    let (s3, _) = student(app, &college).await;
    let (s4, n4) = student(app, &college).await;
    for s in [&s1, &s2, &s3, &s4] {
        app.ok("PUT", "/api/v1/me/profile", s, Some(json!({"major_id": welding})), 200).await;
    }
    let register = format!("/api/v1/organizations/{}/destinations", college.id);
    let mut hired = entry(&n1, "contract_employment", "2026-06-20");
    hired["employer_org_id"] = json!(employer.id);
    hired["occupation_code"] = json!("6-18-02-04");
    let r = app.ok("POST", &register, &officer, Some(hired), 201).await;
    assert_eq!((r["status"].as_str(), r["employer_is_member"].as_bool()), (Some("checked"), Some(true)));
    assert_eq!(r["employer_size_class"], "small", "12 staff in software");
    app.ok("POST", &register, &officer, Some(entry(&n2, "not_placed", "2026-07-01")), 201).await;
    app.ok("POST", &register, &officer, Some(entry(&n2, "further_study", "2026-10-10")), 201).await;
    let own = json!({"cohort": 2026, "kind": "self_employment", "date": "2026-08-01", "occupation_code": "2-02-10-02"});
    let mine = app.ok("POST", "/api/v1/me/destinations", &s3, Some(own), 201).await;
    assert_eq!(mine["status"], "entered", "a student's own entry waits for the check");
    app.ok("POST", &register, &officer, Some(entry(&n4, "not_seeking", "2026-06-30")), 201).await;

    let f = figures(app, &officer, &college).await;
    assert_eq!(at(&f, 0)["graduates"], 4);
    assert_eq!(at(&f, 0)["placement_rate"], json!({"part": 1, "whole": 4, "basis_points": 2500}));
    assert_eq!(at(&f, 0)["awaiting_check"], 1);
    assert_eq!(at(&f, 1)["placement_rate"]["part"], 2, "further study from October counts by December");

    let check = format!("/api/v1/destinations/{}/check", mine["id"]);
    assert_eq!(app.call("POST", &check, s3.t(), None).await.status, 403, "a student checks nothing");
    app.ok("POST", &check, &officer, None, 200).await;
    app.ok("POST", &check, &officer, None, 409).await;
    let f = figures(app, &officer, &college).await;
    assert_eq!(at(&f, 0)["placement_rate"], json!({"part": 2, "whole": 4, "basis_points": 5000}));
    assert_eq!(at(&f, 1)["placement_rate"], json!({"part": 3, "whole": 4, "basis_points": 7500}));
    assert_eq!(at(&f, 1)["related_to_major"], json!({"part": 1, "whole": 2, "basis_points": 5000}), "焊工 ~ 铸造工");
    assert_eq!(at(&f, 1)["sme_share"], json!({"part": 1, "whole": 1, "basis_points": 10000}));
    assert_eq!(at(&f, 1)["alliance_share"]["part"], 1);
    assert_eq!(f["definitions"][0]["key"], "placement_rate");
    assert!(f["definitions"][0]["version"].as_str().is_some_and(|v| !v.is_empty()));
}

async fn bad_destinations_are_refused_by_field_and_nothing_is_written(app: &TestApp) {
    let college = app.college("本校学院").await;
    let other = app.college("外校学院").await;
    let officer = app.member(&college, &["career_officer"]).await;
    let (_, ours) = student(app, &college).await;
    let (_, theirs) = student(app, &other).await;
    let register = format!("/api/v1/organizations/{}/destinations", college.id);
    let mut ghost_employer = entry(&ours, "contract_employment", "2026-06-01");
    ghost_employer["employer_org_id"] = json!(999_999);
    let cases = [
        (entry(&theirs, "further_study", "2026-06-01"), "student_no", "student_not_in_college"),
        (ghost_employer, "employer_org_id", "employer_unknown"),
        (entry(&ours, "further_study", "2027-01-05"), "date", "date_outside_cohort"),
        (entry(&ours, "岗位实习", "2026-06-01"), "kind", "internship_not_employment"),
        (entry(&ours, "contract_employment", "2026-06-01"), "employer_org_id", "employer_required"),
    ];
    for (body, field, rule) in cases {
        let r = app.call("POST", &register, officer.t(), Some(body)).await;
        assert_eq!(r.status, 422, "{field}: {}", r.text);
        assert!(field_rules(&r).contains(&(field.to_string(), rule.to_string())), "{field}: {}", r.text);
        let en = app.call("GET", "/api/v1/me/destinations", officer.t(), None).await;
        assert_eq!(en.json["total"], 0);
    }
    let zh = app.call("POST", &register, officer.t(), Some(entry(&ours, "further_study", "2027-01-05"))).await;
    assert!(zh.text.contains("2026 届的去向日期须在 2025-09-01 至 2026-12-31 之间"), "{}", zh.text);
    let listed = app.ok("GET", &register, &officer, None, 200).await;
    assert_eq!(listed["total"], 0, "nothing written");
    let f = figures(app, &officer, &college).await;
    assert_eq!(at(&f, 0)["graduates"], 0, "no graduate was registered by a refused entry");
    assert_eq!(at(&f, 0)["placement_rate"]["basis_points"], Value::Null, "0/0 is no rate, not 0 %");
}

async fn import(app: &TestApp, who: &Actor, college: &Org, csv: &str) -> crate::support::Resp {
    let req = Request::builder()
        .method("POST")
        .uri(format!("/api/v1/organizations/{}/destination-imports?cohort=2026&file_name=d.csv", college.id))
        .header(header::AUTHORIZATION, format!("Bearer {}", who.token))
        .body(Body::from(csv.to_string()))
        .expect("request");
    app.send(req).await
}

async fn an_import_is_all_or_nothing_with_line_numbered_errors(app: &TestApp) {
    let college = app.college("导入学院").await;
    let officer = app.member(&college, &["career_officer"]).await;
    let (_, a) = student(app, &college).await;
    let (_, b) = student(app, &college).await;
    let bad = format!(
        "学号,毕业去向,日期,单位名称,统一社会信用代码\n{a},升学,2026-07-01,某职业技术大学,\nNOSUCH,灵活就业,2026-07-01,,\n{b},协议和合同就业,2026-13-01,,91440300MA5XXXXXX0\n"
    );
    let r = import(app, &officer, &college, &bad).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<String> = field_rules(&r).into_iter().map(|(f, _)| f).collect();
    for f in ["rows[3].student_no", "rows[4].date", "rows[4].credit_code"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    assert!(!fields.iter().any(|f| f.starts_with("rows[2]")), "{fields:?}");
    let register = format!("/api/v1/organizations/{}/destinations", college.id);
    assert_eq!(app.ok("GET", &register, &officer, None, 200).await["total"], 0, "nothing of the file was written");

    let good = format!("学号,毕业去向,日期\n{a},升学,2026-07-01\n{b},待就业,2026-07-01\n");
    let r = import(app, &officer, &college, &good).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json["entries"], 2);
    let f = figures(app, &officer, &college).await;
    assert_eq!(at(&f, 0)["placement_rate"], json!({"part": 1, "whole": 2, "basis_points": 5000}));
    let teacher = app.member(&college, &["teacher"]).await;
    assert_eq!(import(app, &teacher, &college, &good).await.status, 403, "teachers do not import destinations");
}

async fn each_party_sees_and_does_only_its_part(app: &TestApp) {
    let college = app.college("权限学院").await;
    let officer = app.member(&college, &["career_officer"]).await;
    let employer = app.enterprise("确认企业").await;
    let rival = app.enterprise("别家企业").await;
    let (student, no) = student(app, &college).await;
    let classmate = app.student(&college).await;
    let register = format!("/api/v1/organizations/{}/destinations", college.id);
    let mut body = entry(&no, "contract_employment", "2026-06-01");
    body["employer_org_id"] = json!(employer.id);
    assert_eq!(app.call("POST", &register, classmate.t(), Some(body.clone())).await.status, 403);
    let rec = app.ok("POST", &register, &officer, Some(body), 201).await;
    let id = rec["id"].as_i64().expect("id");
    assert_eq!(app.call("GET", &register, employer.admin.t(), None).await.status, 403, "no register for employers");
    let one = format!("/api/v1/destinations/{id}");
    assert_eq!(app.call("GET", &one, classmate.t(), None).await.status, 404);
    assert_eq!(app.call("GET", &one, rival.admin.t(), None).await.status, 404);
    assert_eq!(app.ok("GET", &one, &student, None, 200).await["actions"], json!([]));
    let seen = app.ok("GET", &one, &employer.admin, None, 200).await;
    assert_eq!(seen["actions"], json!(["confirm"]));
    let hires = format!("/api/v1/organizations/{}/employed-graduates", employer.id);
    assert_eq!(app.ok("GET", &hires, &employer.admin, None, 200).await["total"], 1);
    let cookie = page_login_with(app, &employer.admin.login, PASSWORD).await;
    let listed = page(app, &format!("/orgs/{}/employed-graduates", employer.id), &cookie).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert!(listed.text.contains(&format!("action=\"/destinations/{id}/confirm\"")), "a confirm button");
    let rival_cookie = page_login_with(app, &rival.admin.login, PASSWORD).await;
    let refused = page(app, &format!("/orgs/{}/employed-graduates", employer.id), &rival_cookie).await;
    assert_eq!(refused.status, 403);
    let confirm = format!("/api/v1/destinations/{id}/confirm");
    assert_eq!(app.call("POST", &confirm, rival.admin.t(), None).await.status, 404);
    app.ok("POST", &confirm, &employer.admin, None, 200).await;
    app.ok("POST", &confirm, &employer.admin, None, 409).await;
    let mine = app.ok("GET", "/api/v1/me/destinations", &classmate, None, 200).await;
    assert_eq!(mine["total"], 0, "a student lists only their own");
    let other = app.college("别的学院").await;
    let uri = format!("/api/v1/organizations/{}/destination-figures?cohort=2026", college.id);
    assert_eq!(app.call("GET", &uri, other.admin.t(), None).await.status, 403);
    let alliance = app.alliance_admin().await;
    assert_eq!(app.ok("GET", &uri, &alliance, None, 200).await["dates"][0]["as_of"], "2026-08-31");
}

async fn the_pages_record_read_and_refuse_in_words(app: &TestApp) {
    let college = app.college("页面学院").await;
    let officer = app.member(&college, &["career_officer"]).await;
    let (student, no) = student(app, &college).await;
    let cookie = page_login_with(app, &officer.login, PASSWORD).await;
    let uri = format!("/orgs/{}/destinations?cohort=2026", college.id);
    let r = page(app, &uri, &cookie).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("毕业去向落实率"), "the figure is named");
    assert!(r.text.contains("— （本届尚无毕业生）"), "0/0 is shown as no graduates");
    assert!(r.text.contains("口径版本 2026.1"), "the definition is versioned");
    assert!(r.text.contains("<svg id=\"rate-chart\""), "a server-drawn chart");
    let csrf = csrf_in(&r.text);
    let post = format!("/orgs/{}/destinations", college.id);
    let bad = [
        ("_csrf", csrf.as_str()),
        ("student_no", no.as_str()),
        ("cohort", "2026"),
        ("kind", "further_study"),
        ("date", "2030-01-01"),
    ];
    let r = form(app, &post, &cookie, &bad).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("2026 届的去向日期须在"), "the error is beside the form in words");
    let good = [
        ("_csrf", csrf.as_str()),
        ("student_no", no.as_str()),
        ("cohort", "2026"),
        ("kind", "further_study"),
        ("date", "2026-07-01"),
    ];
    assert_eq!(form(app, &post, &cookie, &good).await.status, 303);
    let r = page(app, &uri, &cookie).await;
    assert!(r.text.contains("100.00%（1/1）"), "{}", r.text);

    let mine = page_login_with(app, &student.login, PASSWORD).await;
    let r = page(app, "/me/destination", &mine).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("升学"), "the student sees the entry made for them");
    let csrf = csrf_in(&r.text);
    let own = [("_csrf", csrf.as_str()), ("cohort", "2026"), ("kind", "contract_employment"), ("date", "2026-08-01")];
    let r = form(app, "/me/destination", &mine, &own).await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("协议和合同就业须填写就业单位"), "{}", r.text);
    let upload = |csrf: &str, csv: &str| {
        let body = format!(
            "--B\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--B--\r\n"
        );
        Request::builder()
            .method("POST")
            .uri(format!("/orgs/{}/destinations/import?cohort=2026", college.id))
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
            .body(Body::from(body))
            .expect("request")
    };
    let csrf = csrf_in(&page(app, &uri, &cookie).await.text);
    let r = app.send(upload(&csrf, &format!("学号,毕业去向,日期\n{no},灵活就业,2027-02-01\n"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("第 2 行：2026 届的去向日期须在"), "the line is named: {}", r.text);
    let r = app.send(upload(&csrf, &format!("学号,毕业去向,日期\n{no},灵活就业,2026-09-01\n"))).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let en = page(app, &uri, &format!("{cookie}; xq_lang=en")).await;
    assert!(en.text.contains("Placement rate"), "English second");
}

on_both!(the_figures_read_the_checked_register_as_of_each_date, the_figures_read_the_checked_register_as_of_each_date);
on_both!(
    bad_destinations_are_refused_by_field_and_nothing_is_written,
    bad_destinations_are_refused_by_field_and_nothing_is_written
);
on_both!(an_import_is_all_or_nothing_with_line_numbered_errors, an_import_is_all_or_nothing_with_line_numbered_errors);
on_both!(each_party_sees_and_does_only_its_part, each_party_sees_and_does_only_its_part);
on_both!(the_pages_record_read_and_refuse_in_words, the_pages_record_read_and_refuse_in_words);

async fn the_demo_register_moves_between_august_and_december(app: &TestApp) {
    let college = app.org_id("鹏城职业技术学院").await;
    let career = app.token("career@pcvc.demo").await;
    let uri = format!("/api/v1/organizations/{college}/destination-figures?cohort=2026");
    let f = app.call("GET", &uri, Some(&career), None).await;
    assert_eq!(f.status, 200, "{}", f.text);
    assert_eq!(at(&f.json, 0)["placement_rate"], json!({"part": 4, "whole": 8, "basis_points": 5000}));
    assert_eq!(at(&f.json, 1)["placement_rate"], json!({"part": 5, "whole": 8, "basis_points": 6250}));
    assert_eq!(at(&f.json, 1)["awaiting_check"], 1, "the self-employed graduate's own entry");
    assert_eq!(at(&f.json, 1)["related_to_major"], json!({"part": 3, "whole": 4, "basis_points": 7500}));
    let register = app
        .call(
            "GET",
            &format!("/api/v1/organizations/{college}/destinations?cohort=2026&limit=100"),
            Some(&career),
            None,
        )
        .await;
    let hired = register.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["student_name"] == "陈毕业"))
        .expect("陈毕业");
    assert!(hired["confirmed_at"].is_i64(), "confirmed by the employer");
    let size =
        hired["employer_size_class"].as_str().and_then(xiaoqi_domain::sme::SizeClass::parse).expect("a size class");
    let cookie = crate::support::page_login(app, "career@pcvc.demo").await;
    let r = page(app, &format!("/orgs/{college}/destinations?cohort=2026"), &cookie).await;
    assert!(r.text.contains("62.50%（5/8）"), "{}", r.text);
    assert!(
        r.text.contains(&format!("<span class=\"tag\">{}</span>", size.label_zh())),
        "the employer's size class is shown"
    );
    let r = page(app, "/destinations", &cookie).await;
    assert_eq!(r.status, 303, "the navigation entry leads to the college's register");
}

on_both!(demo: the_demo_register_moves_between_august_and_december, the_demo_register_moves_between_august_and_december);

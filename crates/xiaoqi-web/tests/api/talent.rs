//! Talent demand and supply through the API: posting, lifecycle, consent-scoped matching,
//! demand insight and search.

use serde_json::{Value, json};
use xiaoqi_domain::time::Date;

use crate::on_both;
use crate::support::build::Actor;
use crate::support::{Db, TestApp, urlencode};

fn demand(title: &str, code: &str) -> Value {
    json!({"title": title, "occupation_code": code, "headcount": 2, "region_code": "440306",
        "pay_min": "6000", "pay_max": "8500.50", "start_date": "2027-03-01", "valid_until": "2999-12-31",
        "education": "associate",
        "roles": [{"title": "焊工", "skills": [{"skill": "welding", "weight": 5, "min_level": 3}], "certificates": ["welder-special"]},
                  {"title": "质检", "skills_text": "质量检验 3 2\nprecision-measurement 2", "share": 30}]})
}

async fn an_enterprise_posts_a_suggested_demand_and_the_alliance_sees_it_once_published(app: &TestApp) {
    let ent = app.enterprise("需求流程测试企业").await;
    let (e, hr) = (ent.id, ent.admin.token);
    let other = app.enterprise("需求旁观测试企业").await.admin.token;
    let s = app
        .call("GET", &format!("/api/v1/occupations/suggest?title={}", urlencode("电焊工 包吃住")), Some(&hr), None)
        .await;
    assert_eq!(s.status, 200, "{}", s.text);
    let code = s.json["suggestions"][0]["code"].as_str().expect("a suggestion").to_string();
    assert!(s.json["suggestions"].as_array().is_some_and(|a| a.len() <= 5));

    let r =
        app.call("POST", &format!("/api/v1/demands?org={e}"), Some(&hr), Some(demand("电焊工（兼质检）", &code))).await;
    assert_eq!(r.status, 201, "a create answers 201: {}", r.text);
    let id = r.json["id"].as_i64().expect("id");
    assert_eq!(r.json["status"], "draft");
    assert_eq!(r.json["occupation_code"], code.as_str(), "the suggestion was accepted as is");
    assert_eq!(r.json["pay_max_fen"], 850_050, "money is exact");
    assert_eq!(r.json["roles"][1]["skills"][0]["skill"], "quality-inspection", "skill names resolve to codes");
    assert_eq!(r.json["roles"][1]["share"], 30);

    let hidden = app.call("GET", &format!("/api/v1/demands/{id}"), Some(&other), None).await;
    assert_eq!(hidden.status, 404, "a draft is private: {}", hidden.text);
    let published = app.call("POST", &format!("/api/v1/demands/{id}/publish"), Some(&hr), None).await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert_eq!(published.json["effective_status"], "published");
    let seen = app.call("GET", &format!("/api/v1/demands/{id}"), Some(&other), None).await;
    assert_eq!((seen.status.as_u16(), seen.json["editable"].as_bool()), (200, Some(false)), "{}", seen.text);
    let list = app.call("GET", "/api/v1/demands?limit=100", Some(&other), None).await;
    assert!(list.json["items"].as_array().is_some_and(|a| a.iter().any(|d| d["id"] == id)), "listed for the alliance");
    let edit = app.call("PUT", &format!("/api/v1/demands/{id}"), Some(&other), Some(demand("改", &code))).await;
    assert_eq!(edit.status, 403, "another enterprise cannot edit: {}", edit.text);

    let filled = app.call("POST", &format!("/api/v1/demands/{id}/fill"), Some(&hr), None).await;
    assert_eq!(filled.json["status"], "filled");
    let again = app.call("POST", &format!("/api/v1/demands/{id}/publish"), Some(&hr), None).await;
    assert_eq!(again.status, 409, "filled is final: {}", again.text);
    let list = app.call("GET", "/api/v1/demands?limit=100", Some(&other), None).await;
    assert!(list.json["items"].as_array().is_some_and(|a| !a.iter().any(|d| d["id"] == id)), "no longer open");
}

async fn bad_demands_name_the_field_and_write_nothing(app: &TestApp) {
    let ent = app.enterprise("需求校验测试企业").await;
    let (e, hr) = (ent.id, ent.admin.token);
    let count_uri = format!("/api/v1/demands?org={e}&limit=1");
    let before = app.call("GET", &count_uri, Some(&hr), None).await.json["total"].as_i64();
    let cases: Vec<(Value, &str)> = vec![
        (json!({"pay_min": "9000", "pay_max": "8000"}), "pay_max"),
        (json!({"pay_min": "12.345"}), "pay_min"),
        (json!({"headcount": 0}), "headcount"),
        (json!({"valid_until": "2026-02-30"}), "valid_until"),
        (json!({"occupation_code": "9-99"}), "occupation_code"),
        (json!({"occupation_code": "9-99-99-99"}), "occupation_code"),
        (json!({"region_code": "999999"}), "region_code"),
        (json!({"roles": [{"skills_text": "吹玻璃 5 3"}]}), "roles[0].skills[0]"),
        (json!({"roles": [{"skills": [{"skill": "welding", "weight": 50, "min_level": 3}]}]}), "roles[0].skills[0]"),
        (json!({"roles": [{"skills_text": "焊接", "certificates": ["不存在的证书"]}]}), "roles[0].certificates[0]"),
        (json!({"roles": []}), "roles"),
        (json!({"title": "岗".repeat(500)}), "title"),
    ];
    for (patch, field) in cases {
        let mut body = demand("焊工", "6-18-02-04");
        for (k, v) in patch.as_object().expect("object") {
            body[k] = v.clone();
        }
        let r = app.call("POST", &format!("/api/v1/demands?org={e}"), Some(&hr), Some(body)).await;
        assert_eq!(r.status, 422, "{field}: {}", r.text);
        let fields: Vec<&str> =
            r.json["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
        assert!(fields.contains(&field), "{field} named in {fields:?}");
    }
    let after = app.call("GET", &count_uri, Some(&hr), None).await.json["total"].as_i64();
    assert_eq!(after, before, "nothing was written");

    // A draft without an occupation saves, but does not publish.
    let mut body = demand("焊工", "6-18-02-04");
    body["occupation_code"] = Value::Null;
    body["roles"][0]["occupation_code"] = Value::Null;
    let draft = app.call("POST", &format!("/api/v1/demands?org={e}"), Some(&hr), Some(body)).await;
    let id = draft.json["id"].as_i64().expect("draft saved");
    let r = app.call("POST", &format!("/api/v1/demands/{id}/publish"), Some(&hr), None).await;
    assert_eq!(
        (r.status.as_u16(), r.json["fields"][0]["field"].as_str()),
        (422, Some("occupation_code")),
        "{}",
        r.text
    );
    let r = app.call("POST", &format!("/api/v1/demands/{id}/launch"), Some(&hr), None).await;
    assert_eq!(r.status, 422, "unknown action");
    let built = app.college("需求校验测试学院").await;
    let (college, admin) = (built.id, built.admin.token);
    let r = app
        .call("POST", &format!("/api/v1/demands?org={college}"), Some(&admin), Some(demand("焊工", "6-18-02-04")))
        .await;
    assert_eq!(r.status, 409, "a college posts no demands: {}", r.text);
}

async fn only_students_who_consented_are_matched_and_revoking_hides_them(app: &TestApp) {
    let ent = app.enterprise("授权匹配测试企业").await;
    let (e, hr) = (ent.id, ent.admin.token.clone());
    let college = app.college("授权匹配测试学院").await;
    let career = app.member(&college, &["career_officer"]).await.token;
    let turner = json!({"skills_text": "数控车削 4\n机械识图 3", "region_code": "440305"});
    let mut turners = Vec::new();
    for consents in [true, false] {
        let s = app.student(&college).await;
        app.ok("PUT", "/api/v1/me/profile", &s, Some(turner.clone()), 200).await;
        if consents {
            app.ok("POST", "/api/v1/me/consents", &s, Some(json!({"scope": "alliance"})), 200).await;
        }
        let name = app.ok("GET", "/api/v1/me", &s, None, 200).await["display_name"].as_str().map(String::from);
        turners.push((s, name.expect("a display name")));
    }
    let [(consenting, chen_name), (_, he_name)] = <[_; 2]>::try_from(turners).expect("two students");
    let r = app
        .call(
            "POST",
            &format!("/api/v1/demands?org={e}"),
            Some(&hr),
            Some(json!({"title": "数控车工",
        "occupation_code": "6-18-01-01", "headcount": 3, "valid_until": "2999-12-31", "region_code": "440305",
        "roles": [{"skills_text": "数控车削 5 3\n机械识图 3 3"}]})),
        )
        .await;
    let id = r.json["id"].as_i64().expect("demand");
    app.call("POST", &format!("/api/v1/demands/{id}/publish"), Some(&hr), None).await;

    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|m| m["display_name"].as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    let by_hr = app.call("GET", &format!("/api/v1/demands/{id}/matches/students"), Some(&hr), None).await;
    assert_eq!(by_hr.status, 200, "{}", by_hr.text);
    let hr_names = names(&by_hr.json);
    assert!(hr_names.contains(&chen_name), "a consenting turner is matched: {hr_names:?}");
    assert!(!hr_names.contains(&he_name), "a student without consent is never listed: {hr_names:?}");
    let first = &by_hr.json[0];
    assert!(first["explanation"]["roles"][0]["matched"].as_array().is_some_and(|m| !m.is_empty()), "{first}");
    let scores: Vec<f64> = by_hr.json.as_array().expect("list").iter().filter_map(|m| m["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");

    let by_career = app.call("GET", &format!("/api/v1/demands/{id}/matches/students"), Some(&career), None).await;
    assert_eq!(by_career.status, 200, "{}", by_career.text);
    let career_names = names(&by_career.json);
    assert!(career_names.contains(&chen_name), "the college's consenting student: {career_names:?}");
    assert!(!career_names.contains(&he_name));
    let student = app.student(&college).await.token;
    let denied = app.call("GET", &format!("/api/v1/demands/{id}/matches/students"), Some(&student), None).await;
    assert_eq!(denied.status, 403);

    // The consenting student revokes the alliance-wide consent: gone from the list and from direct reads.
    let chen = consenting.token;
    let consents = app.call("GET", "/api/v1/me/consents", Some(&chen), None).await;
    let cid = consents.json[0]["id"].as_i64().expect("a consent");
    let me = app.call("GET", "/api/v1/me", Some(&chen), None).await.json["id"].as_i64().expect("id");
    assert_eq!(app.call("GET", &format!("/api/v1/students/{me}/profile"), Some(&hr), None).await.status, 200);
    assert_eq!(app.call("POST", &format!("/api/v1/me/consents/{cid}/revoke"), Some(&chen), None).await.status, 204);
    let after = app.call("GET", &format!("/api/v1/demands/{id}/matches/students"), Some(&hr), None).await;
    assert!(!names(&after.json).contains(&chen_name), "revoked consent hides the student");
    assert_eq!(app.call("GET", &format!("/api/v1/students/{me}/profile"), Some(&hr), None).await.status, 404);
    let history = app.call("GET", "/api/v1/me/consents", Some(&chen), None).await;
    assert!(history.json[0]["revoked_at"].is_i64(), "the consent is kept, revoked: {}", history.text);
    // Named consent to this enterprise brings the student back, for this enterprise only.
    let r =
        app.call("POST", "/api/v1/me/consents", Some(&chen), Some(json!({"scope": "organisation", "org_id": e}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(app.call("GET", &format!("/api/v1/students/{me}/profile"), Some(&hr), None).await.status, 200);
    let foreign = app.enterprise("授权旁观测试企业").await.admin.token;
    assert_eq!(app.call("GET", &format!("/api/v1/students/{me}/profile"), Some(&foreign), None).await.status, 404);
}

async fn a_student_sees_fitting_demands_and_keeps_the_profile_valid(app: &TestApp) {
    let ent = app.enterprise("学生匹配测试企业").await;
    let posted = json!({"title": "匹配测试车工", "occupation_code": "6-18-01-01", "headcount": 3,
        "valid_until": "2999-12-31", "region_code": "440305", "roles": [{"skills_text": "数控车削 5 3"}]});
    let made = app.ok("POST", &format!("/api/v1/demands?org={}", ent.id), &ent.admin, Some(posted), 201).await;
    let id = made["id"].as_i64().expect("id");
    app.ok("POST", &format!("/api/v1/demands/{id}/publish"), &ent.admin, None, 200).await;
    let student = app.student(&app.college("学生匹配测试学院").await).await;
    let skills = json!({"skills_text": "数控车削 3", "region_code": "440305"});
    app.ok("PUT", "/api/v1/me/profile", &student, Some(skills), 200).await;
    let student = student.token;
    let m = app.call("GET", "/api/v1/me/matches", Some(&student), None).await;
    assert_eq!(m.status, 200, "{}", m.text);
    assert_eq!(m.json[0]["demand"]["title"], "匹配测试车工", "the student sees the fitting demand: {}", m.text);
    let bad = app
        .call(
            "PUT",
            "/api/v1/me/profile",
            Some(&student),
            Some(json!({"skills_text": "数控车削 9", "grade_avg": 101, "preferred_regions": ["000000"]})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    let before = app.call("GET", "/api/v1/me/profile", Some(&student), None).await;
    let ok = app.call("PUT", "/api/v1/me/profile", Some(&student), Some(json!({"skills_text": "数控车削 4、CAD制图 3", "certificates": ["1x-cnc-turning-milling"], "grade_avg": 90, "region_code": "440305"}))).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_ne!(before.json["skills"], ok.json["skills"]);
    assert_eq!(ok.json["skills"][0], json!({"skill": "cnc-turning", "level": 4}));
}

async fn a_college_sees_demand_insight_with_gaps_and_exports_it(app: &TestApp) {
    let ent = app.enterprise("洞察测试企业").await;
    let (e, hr) = (ent.id, ent.admin.token.clone());
    let posted = json!({"title": "数控车工", "occupation_code": "6-18-01-01", "headcount": 3,
        "valid_until": "2999-12-31", "region_code": "440305", "roles": [{"skills_text": "数控车削 5 3\n焊接 3 2"}]});
    let id = app.ok("POST", &format!("/api/v1/demands?org={e}"), &ent.admin, Some(posted), 201).await["id"].as_i64();
    app.ok("POST", &format!("/api/v1/demands/{}/publish", id.expect("id")), &ent.admin, None, 200).await;
    let college = app.college("洞察测试学院").await;
    let major = app.major(&college, "460103", "数控技术").await;
    let supply = json!({"skills_text": "数控车削 4", "yearly_graduates": 40});
    app.ok("PUT", &format!("/api/v1/majors/{major}"), &college.admin, Some(supply), 200).await;
    let career = app.member(&college, &["career_officer"]).await.token;
    let c = college.id;
    let i = app.call("GET", &format!("/api/v1/organizations/{c}/demand-insight"), Some(&career), None).await;
    assert_eq!(i.status, 200, "{}", i.text);
    assert!(i.json["cells"].as_array().is_some_and(|a| !a.is_empty()), "{}", i.text);
    let skills = i.json["skills"].as_array().expect("skills");
    assert!(skills.iter().any(|s| s["gap"] == "not_taught"), "some demanded skill is not taught (welding)");
    assert!(skills.iter().any(|s| s["gap"] == "covered"), "and some is covered");
    let csv = app
        .call("GET", &format!("/api/v1/organizations/{c}/demand-insight.csv?table=skills"), Some(&career), None)
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.text.starts_with('\u{feff}'), "BOM for Excel");
    assert!(csv.text.lines().count() > 2, "{}", csv.text);
    assert_eq!(
        app.call("GET", &format!("/api/v1/organizations/{c}/demand-insight"), Some(&hr), None).await.status,
        403
    );
    let not_college = app
        .call(
            "GET",
            &format!("/api/v1/organizations/{e}/demand-insight"),
            Some(&app.alliance_admin().await.token),
            None,
        )
        .await;
    assert_eq!(not_college.status, 409, "{}", not_college.text);
}

async fn search_finds_two_character_chinese_words_across_kinds(app: &TestApp) {
    let ent = app.enterprise("搜索测试企业").await;
    for (title, publish) in [("焊接操作工", true), ("ROBOT运维工", true), ("检修电工草稿", false)] {
        let uri = format!("/api/v1/demands?org={}", ent.id);
        let id = app.ok("POST", &uri, &ent.admin, Some(demand(title, "6-18-02-04")), 201).await["id"].as_i64();
        let id = id.expect("id");
        if publish {
            app.ok("POST", &format!("/api/v1/demands/{id}/publish"), &ent.admin, None, 200).await;
        }
    }
    let college = app.college("搜索测试学院").await;
    let major = app.major(&college, "530701", "电商运营测试").await;
    // A major enters the search index when what it teaches is set.
    let supply = json!({"skills_text": "CAD制图 3", "yearly_graduates": 30});
    app.ok("PUT", &format!("/api/v1/majors/{major}"), &college.admin, Some(supply), 200).await;
    app.offering(&college, "精益生产管理咨询测试").await;
    let t = app.enterprise("搜索旁观测试企业").await.admin.token;
    let r = app.call("GET", &format!("/api/v1/search?q={}", urlencode("焊接")), Some(&t), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let kinds: Vec<&str> = r.json["hits"].as_array().expect("hits").iter().filter_map(|h| h["kind"].as_str()).collect();
    assert!(kinds.contains(&"demand"), "the welding demand: {}", r.text);
    let r = app.call("GET", &format!("/api/v1/search?q={}&kinds=major", urlencode("电商")), Some(&t), None).await;
    let hits = r.json["hits"].as_array().expect("hits");
    assert!(!hits.is_empty() && hits.iter().all(|h| h["kind"] == "major"), "{}", r.text);
    let r = app.call("GET", &format!("/api/v1/search?q={}", urlencode("Robot")), Some(&t), None).await;
    assert!(r.json["total"].as_u64().is_some_and(|n| n > 0), "English, any case: {}", r.text);
    let r =
        app.call("GET", &format!("/api/v1/search?q={}&kinds=service", urlencode("精益 咨询")), Some(&t), None).await;
    assert!(
        r.json["hits"].as_array().is_some_and(|h| h.iter().any(|h| h["title"] == "精益生产管理咨询测试")),
        "a college's service offering: {}",
        r.text
    );
    let empty = app.call("GET", "/api/v1/search?q=%20%20", Some(&t), None).await;
    assert_eq!((empty.status.as_u16(), empty.json["total"].as_u64()), (200, Some(0)));
    let r = app.call("GET", "/api/v1/search?q=x&kinds=planets", Some(&t), None).await;
    assert_eq!(r.status, 422);
    let r = app.call("GET", &format!("/api/v1/search?q={}", "a".repeat(300)), Some(&t), None).await;
    assert_eq!(r.status, 422);
    // A draft is not searchable; the private details of other states are not either.
    let hr = ent.admin.token;
    let r = app.call("GET", &format!("/api/v1/search?q={}", urlencode("检修电工草稿")), Some(&hr), None).await;
    assert!(r.json["hits"].as_array().is_some_and(|h| h.iter().all(|h| h["title"] != "检修电工草稿")), "{}", r.text);
}

async fn expired_demands_and_odd_titles_get_clear_answers(app: &TestApp) {
    // A demand published today and closing tomorrow is expired two days later.
    let owner = app.enterprise("过期需求测试企业").await;
    let hr = app.enterprise("过期旁观测试企业").await.admin.token;
    let (org, tok) = (owner.id, owner.admin.token.clone());
    let mut body = demand("物流专员", "6-18-01-01");
    body["start_date"] = json!(Date(app.today().0 + 1).format());
    body["valid_until"] = json!(Date(app.today().0 + 1).format());
    let made = app.ok("POST", &format!("/api/v1/demands?org={org}"), &owner.admin, Some(body), 201).await;
    let made = made["id"].as_i64().expect("id");
    app.ok("POST", &format!("/api/v1/demands/{made}/publish"), &owner.admin, None, 200).await;
    app.clock().advance_days(2);
    let mine = app.call("GET", &format!("/api/v1/demands?org={org}"), Some(&tok), None).await;
    let d = &mine.json["items"][0];
    assert_eq!(d["effective_status"], "expired", "{}", mine.text);
    let id = d["id"].as_i64().expect("id");
    assert_eq!(id, made, "the demand it posted");
    let open = app.call("GET", "/api/v1/demands?limit=100", Some(&hr), None).await;
    assert!(open.json["items"].as_array().is_some_and(|a| !a.iter().any(|x| x["id"] == id)), "not listed as open");
    let r = app.call("POST", &format!("/api/v1/demands/{id}/publish"), Some(&tok), None).await;
    assert_eq!((r.status.as_u16(), r.json["fields"][0]["field"].as_str()), (422, Some("valid_until")), "{}", r.text);
    let r = app.call("POST", &format!("/api/v1/demands/{id}/fill"), Some(&tok), None).await;
    assert_eq!(r.status, 409, "an expired demand cannot be filled: {}", r.text);
    let seen = app.call("GET", &format!("/api/v1/demands/{id}"), Some(&hr), None).await;
    assert_eq!(seen.json["effective_status"], "expired", "others see it as expired: {}", seen.text);

    for title in ["", "   ", "🙂🙂🙂", &"焊".repeat(5000), "Senior CNC Machinist (night shift)"] {
        let r =
            app.call("GET", &format!("/api/v1/occupations/suggest?title={}", urlencode(title)), Some(&hr), None).await;
        assert_eq!(r.status, 200, "{title:.20}: {}", r.text);
        assert!(r.json["suggestions"].as_array().is_some_and(|a| a.len() <= 5));
    }
    let blank = app.call("GET", "/api/v1/occupations/suggest?title=", Some(&hr), None).await;
    assert_eq!(blank.json["suggestions"], json!([]), "a blank title gets no suggestions");
}

/// Whether the list of open demands, as `who` sees it, holds demand `id`.
async fn listed_as_open(app: &TestApp, who: &Actor, id: i64) -> bool {
    let r = app.call("GET", "/api/v1/demands?limit=100", who.t(), None).await;
    r.json["items"].as_array().is_some_and(|a| a.iter().any(|x| x["id"] == id))
}

/// On a fixed clock: a published demand is open through its closing date and expired the day
/// after, for its owner and for others, without anyone touching it; it can then no longer be
/// filled or published again. (On the wall clock this needed a demand seeded months ago.)
async fn a_published_demand_expires_the_day_after_its_closing_date(app: &TestApp) {
    let e = app.enterprise("定时精工有限公司").await;
    let other = app.enterprise("旁观机械有限公司").await;
    let today = app.today();
    assert_eq!(today.format(), "2026-03-02", "the clock stands where the test put it");
    let mut body = demand("数控车工", "6-18-01-01");
    body["start_date"] = json!(Date(today.0 + 1).format());
    body["valid_until"] = json!(Date(today.0 + 10).format());
    let created = app.ok("POST", &format!("/api/v1/demands?org={}", e.id), &e.admin, Some(body), 201).await;
    let id = created["id"].as_i64().expect("id");
    let published = app.ok("POST", &format!("/api/v1/demands/{id}/publish"), &e.admin, None, 200).await;
    assert_eq!(published["effective_status"], "published");

    let uri = format!("/api/v1/demands/{id}");
    app.clock().advance_days(10);
    assert_eq!(app.today().format(), "2026-03-12");
    assert_eq!(app.ok("GET", &uri, &other.admin, None, 200).await["effective_status"], "published", "closing day");
    assert!(listed_as_open(app, &other.admin, id).await, "listed as open on its closing day");

    app.clock().advance_days(1);
    assert_eq!(app.ok("GET", &uri, &e.admin, None, 200).await["effective_status"], "expired", "the day after");
    assert_eq!(app.ok("GET", &uri, &other.admin, None, 200).await["effective_status"], "expired", "for others too");
    assert!(!listed_as_open(app, &other.admin, id).await, "no longer listed as open");
    let r = app.call("POST", &format!("/api/v1/demands/{id}/fill"), e.admin.t(), None).await;
    assert_eq!(r.status, 409, "an expired demand cannot be filled: {}", r.text);
    let r = app.call("POST", &format!("/api/v1/demands/{id}/publish"), e.admin.t(), None).await;
    assert_eq!(
        (r.status.as_u16(), r.json["fields"][0]["rule"].as_str()),
        (422, Some("valid_until_past")),
        "{}",
        r.text
    );
}

on_both!(fixed: demand_expires_on_the_clock, a_published_demand_expires_the_day_after_its_closing_date);
on_both!(fixed: demand_expiry_and_titles, expired_demands_and_odd_titles_get_clear_answers);
on_both!(demand_lifecycle, an_enterprise_posts_a_suggested_demand_and_the_alliance_sees_it_once_published);
on_both!(demand_validation, bad_demands_name_the_field_and_write_nothing);
on_both!(consent_scoped_matching, only_students_who_consented_are_matched_and_revoking_hides_them);
on_both!(student_matches, a_student_sees_fitting_demands_and_keeps_the_profile_valid);
on_both!(demand_insight, a_college_sees_demand_insight_with_gaps_and_exports_it);
on_both!(search_box, search_finds_two_character_chinese_words_across_kinds);

async fn a_profile_as_returned_is_accepted_back_unchanged(app: &TestApp) {
    let student = app.student(&app.college("档案往返测试学院").await).await;
    let saved = json!({"skills_text": "数控车削 4", "grade_avg": 90, "region_code": "440305",
        "preferred_regions": ["440305", "440306"], "intro": "测试简介"});
    app.ok("PUT", "/api/v1/me/profile", &student, Some(saved), 200).await;
    let student = student.token;
    let got = app.call("GET", "/api/v1/me/profile", Some(&student), None).await;
    assert_eq!(got.status, 200, "{}", got.text);
    let regions = got.json["preferred_regions"].clone();
    assert!(regions.as_array().is_some_and(|a| !a.is_empty()), "the student prefers regions: {}", got.text);
    let keys = [
        "major_id",
        "skills",
        "certificates",
        "grade_avg",
        "graduation_year",
        "region_code",
        "preferred_regions",
        "preferred_occupations",
        "intro",
    ];
    let body: serde_json::Map<String, Value> =
        keys.iter().filter_map(|k| got.json.get(*k).map(|v| ((*k).to_string(), v.clone()))).collect();
    let put = app.call("PUT", "/api/v1/me/profile", Some(&student), Some(Value::Object(body))).await;
    assert_eq!(put.status, 200, "the returned form is accepted: {}", put.text);
    assert_eq!(put.json["preferred_regions"], regions, "and kept as it was");
}
on_both!(profile_round_trip, a_profile_as_returned_is_accepted_back_unchanged);

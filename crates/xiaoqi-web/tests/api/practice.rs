//! Practice places and allocation rounds through the API: offers under the internship rules,
//! ranked applications, enterprise rankings, the allocation (equal to `xiaoqi_alloc::solve` on
//! the stored instance, and stable), each student's certificate, and who may do what.

use serde_json::{Value, json};

use crate::on_both;
use crate::support::{Db, Resp, TestApp};

const COLLEGE: &str = "鹏城职业技术学院";

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

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

/// A place body that meets every rule due at the offer.
pub fn place_body(enterprise: i64, title: &str, kind: &str, capacity: i64, post_staff: i64) -> Value {
    json!({"enterprise_id": enterprise, "kind": kind, "title": title, "occupation_code": "6-18-02-04",
        "capacity": capacity, "start_date": "2026-03-01", "end_date": "2026-08-31", "region_code": "440306",
        "location": "深圳市宝安区", "monthly_pay_yuan": "4,200", "post_wage_yuan": "5000",
        "working_hours": "周一至周五 9:00–17:30", "insured": true, "insurer": "中国人保",
        "enterprise_staff": 260, "post_staff": post_staff})
}

async fn create_place(app: &TestApp, token: &str, body: Value) -> i64 {
    let r = app.call("POST", "/api/v1/practice-places", Some(token), Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json["id"].as_i64().expect("place id")
}

async fn an_enterprise_offers_students_apply_and_the_college_allocates_stably(app: &TestApp) {
    let (college_org, enterprise_org) = (app.college("实习学院").await, app.enterprise("实习企业").await);
    let other_org = app.enterprise("另一实习企业").await;
    let hr = enterprise_org.admin.token.clone();
    let other_hr = other_org.admin.token.clone();
    let career = app.member(&college_org, &["career_officer"]).await.token;
    let college_admin = college_org.admin.token.clone();
    let (college, enterprise, other) = (college_org.id, enterprise_org.id, other_org.id);
    let mut built = Vec::new();
    for _ in 0..5 {
        built.push(app.student(&college_org).await);
    }

    // Offers: effective capacity is capped by the intern shares (20 % of a 10-person post = 2).
    let r = app
        .call("POST", "/api/v1/practice-places", Some(&hr), Some(place_body(enterprise, "数控车工", "post", 3, 10)))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!((r.json["capacity"].as_i64(), r.json["effective_capacity"].as_i64()), (Some(3), Some(2)));
    assert_eq!(r.json["terms"]["post_wage_fen"].as_i64(), Some(500_000));
    assert_eq!(r.json["monthly_pay_fen"].as_i64(), Some(420_000));
    let a = r.json["id"].as_i64().expect("id");
    let b = create_place(app, &other_hr, place_body(other, "软件测试", "shadowing", 1, 20)).await;
    let c = create_place(app, &hr, place_body(enterprise, "车间参观", "cognitive", 1, 5)).await;
    assert_eq!(app.call("GET", &format!("/api/v1/practice-places/{a}"), Some(&career), None).await.status, 200);

    // A place breaking the rules is refused, each rule named with its article.
    let mut bad = place_body(enterprise, "违规岗位", "post", 2, 10);
    bad["monthly_pay_yuan"] = json!("3000");
    bad["fees_yuan"] = json!("200");
    bad["overtime"] = json!(true);
    let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(bad)).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        field_rules(&r),
        pairs(&[("monthly_pay_yuan", "minimum_pay"), ("fees_yuan", "no_fees"), ("overtime", "no_overtime")])
    );
    assert!(r.text.contains("第十八条"), "the article is named: {}", r.text);
    let mut small = place_body(enterprise, "小企业岗位", "post", 1, 4);
    small["enterprise_staff"] = json!(9);
    let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(small)).await;
    assert_eq!(
        field_rules(&r),
        pairs(&[("enterprise_staff", "enterprise_intern_share"), ("post_staff", "post_intern_share")])
    );
    let places = app.call("GET", &format!("/api/v1/practice-places?enterprise={enterprise}"), Some(&hr), None).await;
    let titles: Vec<&str> =
        places.json["items"].as_array().expect("items").iter().filter_map(|p| p["title"].as_str()).collect();
    assert!(titles.contains(&"数控车工") && !titles.contains(&"违规岗位"), "refused places are not stored: {titles:?}");

    // The college opens a round.
    let round_body = json!({"college_id": college, "name": "2026 春季岗位实习", "place_ids": [a, b, c]});
    let teacher = app.member(&college_org, &["teacher"]).await;
    for who in [&teacher, &built[4], &enterprise_org.admin] {
        let r = app.call("POST", "/api/v1/practice-rounds", who.t(), Some(round_body.clone())).await;
        assert_eq!(r.status, 403, "{} cannot open a round", who.login);
    }
    let r = app.call("POST", "/api/v1/practice-rounds", Some(&career), Some(round_body)).await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (201, Some("open")), "{}", r.text);
    let round = r.json["id"].as_i64().expect("round id");

    // Students rank places.
    let prefs = [vec![a, b], vec![a, c], vec![b, a], vec![a], vec![c, a, b]];
    let mut students = Vec::new();
    for (student, list) in built.iter().zip(&prefs) {
        let r = app
            .call(
                "PUT",
                &format!("/api/v1/practice-rounds/{round}/preferences"),
                student.t(),
                Some(json!({"place_ids": list})),
            )
            .await;
        assert_eq!(r.status, 200, "{}: {}", student.login, r.text);
        students.push((student.id, student.token.clone()));
    }
    let s1 = &students[0].1;
    let r = app
        .call(
            "PUT",
            &format!("/api/v1/practice-rounds/{round}/preferences"),
            Some(s1),
            Some(json!({"place_ids": [a, 999_999]})),
        )
        .await;
    assert_eq!(field_rules(&r), pairs(&[("place_ids", "place_not_in_round")]));
    let r = app
        .call(
            "PUT",
            &format!("/api/v1/practice-rounds/{round}/preferences"),
            Some(s1),
            Some(json!({"place_ids": [a, a]})),
        )
        .await;
    assert_eq!(field_rules(&r), pairs(&[("place_ids", "preference_list")]));
    let r = app
        .call(
            "PUT",
            &format!("/api/v1/practice-rounds/{round}/preferences"),
            Some(&hr),
            Some(json!({"place_ids": [a]})),
        )
        .await;
    assert_eq!(r.status, 403, "only the college's students apply");

    // The enterprise ranks place A (s04 first); B keeps the platform's default order.
    let ranking = format!("/api/v1/practice-rounds/{round}/places/{a}/ranking");
    let (id1, id2, id4, id5) = (students[0].0, students[1].0, students[3].0, students[4].0);
    let r = app.call("PUT", &ranking, Some(&hr), Some(json!({"student_ids": [id4, students[2].0, id5]}))).await;
    assert_eq!(r.status, 200, "the third and fifth students listed A: {}", r.text);
    let r = app.call("PUT", &ranking, Some(&hr), Some(json!({"student_ids": [id4, 999_999]}))).await;
    assert_eq!(field_rules(&r), pairs(&[("student_ids", "not_an_applicant")]));
    assert_eq!(app.call("PUT", &ranking, Some(&other_hr), Some(json!({"student_ids": []}))).await.status, 403);
    assert_eq!(app.call("PUT", &ranking, Some(&career), Some(json!({"student_ids": []}))).await.status, 403);
    let r = app.call("PUT", &ranking, Some(&hr), Some(json!({"student_ids": [id4, id2, id1]}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let b_rank =
        app.call("GET", &format!("/api/v1/practice-rounds/{round}/places/{b}/ranking"), Some(&other_hr), None).await;
    assert_eq!(b_rank.json["source"], "application_time", "{}", b_rank.text);
    assert_eq!(b_rank.json["student_ids"], b_rank.json["applicants"]);

    // Run: only the college's administrators and career officers; once.
    let run = format!("/api/v1/practice-rounds/{round}/run");
    assert_eq!(app.call("POST", &run, Some(s1), None).await.status, 403);
    assert_eq!(app.call("POST", &run, Some(&hr), None).await.status, 403);
    let r = app.call("POST", &run, Some(&career), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let outcomes = r.json.as_array().cloned().expect("outcomes");
    assert_eq!(outcomes.len(), 5);
    assert_eq!(app.call("POST", &run, Some(&college_admin), None).await.status, 409, "allocated once");
    let late = app
        .call("PUT", &format!("/api/v1/practice-rounds/{round}/preferences"), Some(s1), Some(json!({"place_ids": [b]})))
        .await;
    assert_eq!(late.status, 409);

    // The result is solve() of the stored instance, and stable.
    let view = app.call("GET", &format!("/api/v1/practice-rounds/{round}"), Some(&career), None).await;
    assert_eq!(view.json["status"], "allocated");
    let inputs = &view.json["inputs"];
    let inst: xiaoqi_alloc::Instance = serde_json::from_value(inputs["instance"].clone()).expect("the instance");
    let alloc = xiaoqi_alloc::solve(&inst);
    assert_eq!(xiaoqi_alloc::verify(&inst, &alloc), Ok(()));
    let order: Vec<i64> = serde_json::from_value(inputs["students"].clone()).expect("students");
    let place_ids: Vec<i64> = serde_json::from_value(inputs["places"].clone()).expect("places");
    assert_eq!(place_ids, vec![a, b, c]);
    assert_eq!(inst.positions.iter().map(|p| p.capacity).collect::<Vec<_>>(), vec![2, 1, 1], "effective capacities");
    for (i, s) in order.iter().enumerate() {
        let o = outcomes.iter().find(|o| o["student_id"].as_i64() == Some(*s)).expect("an outcome per student");
        let want = alloc.assignment[i].map(|p| place_ids[p as usize]);
        assert_eq!(o["place_id"].as_i64(), want, "student {s}");
        assert_eq!(o["certificate"]["holds"], true);
    }
    // A ranks s04, s02, s01 with 2 seats: s04 and s02; s01 falls to B (the only one at B's top).
    let placed = |s: i64| outcomes.iter().find(|o| o["student_id"].as_i64() == Some(s)).map(|o| o["place_id"].as_i64());
    assert_eq!((placed(id4), placed(id2), placed(id1)), (Some(Some(a)), Some(Some(a)), Some(Some(b))));

    // Each student reads their own outcome and certificate; not another's.
    let (s1_id, s1_token) = &students[0];
    let mine =
        app.call("GET", &format!("/api/v1/practice-rounds/{round}/outcomes/{s1_id}"), Some(s1_token), None).await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    let pref = &mine.json["certificate"]["preferred"][0];
    assert_eq!((pref["place_id"].as_i64(), pref["reason"]["kind"].as_str()), (Some(a), Some("full")), "{}", mine.text);
    assert!(pref["reason"].get("worst_assignee").is_none(), "no other student is named");
    let theirs =
        app.call("GET", &format!("/api/v1/practice-rounds/{round}/outcomes/{id2}"), Some(s1_token), None).await;
    assert_eq!(theirs.status, 403);
    let own_list = app.call("GET", &format!("/api/v1/practice-rounds/{round}/outcomes"), Some(s1_token), None).await;
    assert_eq!(own_list.json.as_array().map(Vec::len), Some(1), "a student lists only their own");
    let all = app.call("GET", &format!("/api/v1/practice-rounds/{round}/outcomes"), Some(&college_admin), None).await;
    assert_eq!(all.json.as_array().map(Vec::len), Some(5));
    let at_e = app.call("GET", &format!("/api/v1/practice-rounds/{round}/outcomes"), Some(&hr), None).await;
    let ids: Vec<i64> = at_e.json.as_array().expect("list").iter().filter_map(|o| o["student_id"].as_i64()).collect();
    let mut want: Vec<i64> = outcomes
        .iter()
        .filter(|o| o["place_id"].as_i64().is_some_and(|p| p == a || p == c))
        .filter_map(|o| o["student_id"].as_i64())
        .collect();
    want.sort_unstable();
    assert_eq!(ids, want, "the enterprise sees the students placed at its places");
    let foreign = app.enterprise("局外企业").await.admin;
    let refused = app.call("GET", &format!("/api/v1/practice-rounds/{round}"), foreign.t(), None).await;
    assert_eq!(refused.status, 404, "an outsider is not told that the round exists");
}
on_both!(allocation_flow, an_enterprise_offers_students_apply_and_the_college_allocates_stably);

async fn bad_places_and_rounds_name_every_field(app: &TestApp) {
    let (college_org, enterprise_org) = (app.college("校验学院").await, app.enterprise("校验企业").await);
    let hr = enterprise_org.admin.token.clone();
    let career = app.member(&college_org, &["career_officer"]).await.token;
    let (college, enterprise) = (college_org.id, enterprise_org.id);
    let mut body = place_body(enterprise, " ", "summer", 0, 300);
    body["start_date"] = json!("2026-13-01");
    body["monthly_pay_yuan"] = json!("1.234");
    body["location"] = json!("");
    let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(body)).await;
    assert_eq!(r.status, 422);
    let fields: Vec<String> = field_rules(&r).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["kind", "title", "capacity", "start_date", "location", "monthly_pay_yuan", "post_staff"]);
    let mut body = place_body(enterprise, "x", "post", 1, 10);
    body["end_date"] = json!("2026-02-01");
    let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(body)).await;
    assert_eq!(field_rules(&r), pairs(&[("end_date", "date_order")]));
    let mut body = place_body(enterprise, "x", "post", 1, 10);
    body["occupation_code"] = json!("9-99-99-99");
    let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(body)).await;
    assert_eq!(field_rules(&r), pairs(&[("occupation_code", "occupation_unknown")]));
    let mut body = place_body(enterprise, "x", "post", 1, 10);
    body["night_shifts"] = json!(true);
    let en = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(body.clone())).await;
    assert_eq!(field_rules(&en), pairs(&[("night_shifts", "no_night_shifts")]));
    let mentor = app.member(&enterprise_org, &["enterprise_mentor"]).await;
    let r =
        app.call("POST", "/api/v1/practice-places", mentor.t(), Some(place_body(enterprise, "x", "post", 1, 10))).await;
    assert_eq!(r.status, 403, "a mentor does not offer places");

    // An update is checked like a creation.
    let id = create_place(app, &hr, place_body(enterprise, "装配工", "post", 2, 10)).await;
    let r = app.call("PUT", &format!("/api/v1/practice-places/{id}"), Some(&hr), Some(body)).await;
    assert_eq!(field_rules(&r), pairs(&[("night_shifts", "no_night_shifts")]));
    let r = app
        .call(
            "PUT",
            &format!("/api/v1/practice-places/{id}"),
            Some(&hr),
            Some(place_body(enterprise, "装配工二期", "post", 5, 20)),
        )
        .await;
    assert_eq!((r.json["title"].as_str(), r.json["effective_capacity"].as_i64()), (Some("装配工二期"), Some(4)));

    let r = app
        .call(
            "POST",
            "/api/v1/practice-rounds",
            Some(&career),
            Some(json!({"college_id": college, "name": "", "place_ids": []})),
        )
        .await;
    assert_eq!(field_rules(&r), pairs(&[("name", "required"), ("place_ids", "place_list")]));
    let r = app
        .call(
            "POST",
            "/api/v1/practice-rounds",
            Some(&career),
            Some(json!({"college_id": college, "name": "x", "place_ids": [999_999]})),
        )
        .await;
    assert_eq!(field_rules(&r), pairs(&[("place_ids", "place_unknown")]));
}
on_both!(practice_validation, bad_places_and_rounds_name_every_field);

async fn the_demo_has_places_and_an_open_round_the_demo_student_can_join(app: &TestApp) {
    let student = app.token("student@pcvc.demo").await;
    let college = app.org_id(COLLEGE).await;
    let places = app.call("GET", "/api/v1/practice-places", Some(&student), None).await;
    assert!(places.json["total"].as_i64().unwrap_or(0) >= 4, "{}", places.text);
    let rounds = app.call("GET", &format!("/api/v1/practice-rounds?college={college}"), Some(&student), None).await;
    assert_eq!(rounds.status, 200, "{}", rounds.text);
    // The demo also has an allocated round with internships under way (placements.rs).
    let round = rounds.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["status"] == "open"))
        .expect("an open round in the demo");
    let (id, first) = (round["id"].as_i64().expect("round"), round["place_ids"][0].as_i64().expect("a place"));
    let hr = app.token("hr@chuangzhi.demo").await;
    let ranking =
        app.call("GET", &format!("/api/v1/practice-rounds/{id}/places/{first}/ranking"), Some(&hr), None).await;
    assert_eq!(
        (ranking.json["source"].as_str(), ranking.json["applicants"].as_array().map(Vec::len)),
        (Some("enterprise"), Some(4))
    );
    let r = app
        .call(
            "PUT",
            &format!("/api/v1/practice-rounds/{id}/preferences"),
            Some(&student),
            Some(json!({"place_ids": [first]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let outsider = app.token("hr@chuangzhi.demo").await;
    let denied = app.call("GET", &format!("/api/v1/practice-rounds?college={college}"), Some(&outsider), None).await;
    assert_eq!(denied.status, 403);
}
on_both!(demo: demo_practice, the_demo_has_places_and_an_open_round_the_demo_student_can_join);

async fn concurrent_runs_allocate_once(app: &TestApp) {
    let (college_org, enterprise_org) = (app.college("并发学院").await, app.enterprise("并发企业").await);
    let hr = enterprise_org.admin.token.clone();
    let career = app.member(&college_org, &["career_officer"]).await.token;
    let admin = college_org.admin.token.clone();
    let (college, enterprise) = (college_org.id, enterprise_org.id);
    let place = create_place(app, &hr, place_body(enterprise, "并发岗位", "post", 1, 10)).await;
    let r = app
        .call(
            "POST",
            "/api/v1/practice-rounds",
            Some(&career),
            Some(json!({"college_id": college, "name": "并发", "place_ids": [place]})),
        )
        .await;
    let round = r.json["id"].as_i64().expect("round");
    for _ in 0..2 {
        let student = app.student(&college_org).await;
        let r = app
            .call(
                "PUT",
                &format!("/api/v1/practice-rounds/{round}/preferences"),
                student.t(),
                Some(json!({"place_ids": [place]})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let run = format!("/api/v1/practice-rounds/{round}/run");
    let (x, y) = tokio::join!(app.call("POST", &run, Some(&career), None), app.call("POST", &run, Some(&admin), None));
    let mut statuses = vec![x.status.as_u16(), y.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 409], "{} / {}", x.text, y.text);
    let all = app.call("GET", &format!("/api/v1/practice-rounds/{round}/outcomes"), Some(&admin), None).await;
    let outcomes = all.json.as_array().cloned().unwrap_or_default();
    assert_eq!(outcomes.len(), 2, "one set of outcomes: {}", all.text);
    assert_eq!(outcomes.iter().filter(|o| o["place_id"].as_i64() == Some(place)).count(), 1, "one seat");
}
on_both!(concurrent_runs, concurrent_runs_allocate_once);

async fn without_an_enterprise_ranking_the_platform_ranks_applicants_by_skill_match(app: &TestApp) {
    let (college_org, enterprise_org) = (app.college("排序学院").await, app.enterprise("排序企业").await);
    let hr = enterprise_org.admin.token.clone();
    let career = app.member(&college_org, &["career_officer"]).await.token;
    let (college, enterprise) = (college_org.id, enterprise_org.id);
    let mut body = place_body(enterprise, "数控车床岗位", "post", 1, 10);
    body["skills_text"] = json!("数控车削 8 4\n精密测量 2 3");
    let matched = create_place(app, &hr, body).await;
    let plain = create_place(app, &hr, place_body(enterprise, "车间杂务", "post", 1, 10)).await;
    let r = app.call("GET", &format!("/api/v1/practice-places/{matched}"), Some(&hr), None).await;
    assert_eq!(r.json["skills"][0], json!({"skill": "cnc-turning", "weight": 8, "min_level": 4}));

    // Three applicants in this order: a weak fit, a student without the skill, a strong fit.
    let profiles = ["数控车削 2", "Python编程 4", "数控车削 5、精密测量 3"];
    let r = app
        .call(
            "POST",
            "/api/v1/practice-rounds",
            Some(&career),
            Some(json!({"college_id": college, "name": "技能排序", "place_ids": [matched, plain]})),
        )
        .await;
    let round = r.json["id"].as_i64().expect("round id");
    let mut ids = Vec::new();
    for skills in profiles {
        let student = app.student(&college_org).await;
        let login = &student.login;
        let r = app.call("PUT", "/api/v1/me/profile", student.t(), Some(json!({"skills_text": skills}))).await;
        assert_eq!(r.status, 200, "{login}: {}", r.text);
        let r = app
            .call(
                "PUT",
                &format!("/api/v1/practice-rounds/{round}/preferences"),
                student.t(),
                Some(json!({"place_ids": [matched, plain]})),
            )
            .await;
        assert_eq!(r.status, 200, "{login}: {}", r.text);
        ids.push(student.id);
    }
    let ranking = |place: i64| format!("/api/v1/practice-rounds/{round}/places/{place}/ranking");
    let r = app.call("GET", &ranking(matched), Some(&hr), None).await;
    assert_eq!(r.json["source"].as_str(), Some("matching"), "{}", r.text);
    assert_eq!(r.json["student_ids"], json!([ids[2], ids[0], ids[1]]), "strong fit, weak fit, no fit");
    let scores: Vec<f64> =
        r.json["platform"].as_array().expect("platform").iter().filter_map(|a| a["score"].as_f64()).collect();
    assert!(scores[0] > scores[1] && scores[1] > 0.0 && scores[2] == 0.0, "scores fall: {scores:?}");
    let r = app.call("GET", &ranking(plain), Some(&hr), None).await;
    assert_eq!(r.json["source"].as_str(), Some("application_time"));
    assert_eq!(r.json["student_ids"], json!(ids), "no skills: order of application");

    // The run uses the platform's ranking: the strong fit takes the single seat, the first
    // applicant the plain place.
    let r = app.call("POST", &format!("/api/v1/practice-rounds/{round}/run"), Some(&career), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let placed: Vec<(i64, Option<i64>)> = r.json["items"]
        .as_array()
        .or_else(|| r.json.as_array())
        .expect("outcomes")
        .iter()
        .map(|o| (o["student_id"].as_i64().unwrap_or(0), o["place_id"].as_i64()))
        .collect();
    assert!(placed.contains(&(ids[2], Some(matched))), "{placed:?}");
    assert!(placed.contains(&(ids[0], Some(plain))), "{placed:?}");
    assert!(placed.contains(&(ids[1], None)), "{placed:?}");
}
on_both!(platform_ranking, without_an_enterprise_ranking_the_platform_ranks_applicants_by_skill_match);

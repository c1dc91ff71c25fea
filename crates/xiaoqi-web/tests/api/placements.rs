//! Placements through the API: created by the allocation, the tripartite agreement under the
//! internship rules (guardian consent, three signatures before the start), dual mentors within
//! their limit, the record of the internship, the composite grade, warnings, compliance and the
//! theory loop, and who is refused (404 for outsiders, 403 for parties without the step).

use serde_json::{Value, json};
use xiaoqi_domain::time::Date;

use crate::on_both;
use crate::support::{Db, Resp, TestApp};

const COLLEGE: &str = "鹏城职业技术学院";
const ENTERPRISE: &str = "深圳创智精密机械有限公司";

fn rules(r: &Resp) -> Vec<String> {
    r.json["fields"]
        .as_array()
        .map(|a| a.iter().map(|f| f["rule"].as_str().unwrap_or("").to_string()).collect())
        .unwrap_or_default()
}

async fn id_of(app: &TestApp, login: &str) -> i64 {
    let t = app.token(login).await;
    app.call("GET", "/api/v1/me", Some(&t), None).await.json["id"].as_i64().expect("account id")
}

/// A post internship place of the enterprise starting today, allocated to s01 and s02 by a new
/// round; returns (placement of s01, placement of s02).
async fn allocate_two(app: &TestApp) -> (i64, i64) {
    let hr = app.token("hr@chuangzhi.demo").await;
    let career = app.token("career@pcvc.demo").await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let mut body = crate::practice::place_body(enterprise, "数控车工（测试）", "post", 2, 10);
    body["start_date"] = json!(app.today().format());
    body["end_date"] = json!(Date(app.today().0 + 90).format());
    let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let place = r.json["id"].as_i64().expect("place");
    let r = app
        .call(
            "POST",
            "/api/v1/practice-rounds",
            Some(&career),
            Some(json!({"college_id": college, "name": "测试轮", "place_ids": [place]})),
        )
        .await;
    let round = r.json["id"].as_i64().expect("round");
    for login in ["s01@pcvc.demo", "s02@pcvc.demo"] {
        let t = app.token(login).await;
        let path = format!("/api/v1/practice-rounds/{round}/preferences");
        let r = app.call("PUT", &path, Some(&t), Some(json!({"place_ids": [place]}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = app.call("POST", &format!("/api/v1/practice-rounds/{round}/run"), Some(&career), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list =
        app.call("GET", &format!("/api/v1/placements?college={college}&round={round}"), Some(&career), None).await;
    let items = list.json.as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "one placement per placed student, made by the run: {}", list.text);
    assert!(items.iter().all(|p| p["status"] == "agreement_pending" && p["place"]["title"] == "数控车工（测试）"));
    let s1 = id_of(app, "s01@pcvc.demo").await;
    let of =
        |student: i64| items.iter().find(|p| p["student_id"].as_i64() == Some(student)).and_then(|p| p["id"].as_i64());
    let s2 = id_of(app, "s02@pcvc.demo").await;
    (of(s1).expect("s01 placed"), of(s2).expect("s02 placed"))
}

fn facts(app: &TestApp, birth: &str) -> Value {
    json!({"birth_date": birth, "insurer": "中国人保", "insurance_policy_no": "P-1",
        "insurance_start": app.today().format(), "insurance_end": Date(app.today().0 + 90).format()})
}

async fn sign(app: &TestApp, token: &str, id: i64, party: &str) -> Resp {
    app.call("POST", &format!("/api/v1/placements/{id}/sign"), Some(token), Some(json!({"party": party}))).await
}

async fn a_post_internship_runs_from_agreement_to_composite_grade(app: &TestApp) {
    let (hr, career, teacher, master) = (
        app.token("hr@chuangzhi.demo").await,
        app.token("career@pcvc.demo").await,
        app.token("teacher@pcvc.demo").await,
        app.token("mentor@chuangzhi.demo").await,
    );
    let s1 = app.token("s01@pcvc.demo").await;
    let (a, b) = allocate_two(app).await;
    let at = |rest: &str| format!("/api/v1/placements/{a}{rest}");

    // A student under 18 on the start day without the guardian's consent cannot be placed.
    let seventeen = Date(app.today().0 - 17 * 365).format();
    let r = app.call("PUT", &at("/agreement"), Some(&s1), Some(facts(app, &seventeen))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = sign(app, &career, a, "school").await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(rules(&r), vec!["guardian_consent"]);
    assert!(r.text.contains("监护人"), "the rule is named: {}", r.text);
    let mut with_consent = facts(app, &seventeen);
    with_consent["guardian_name"] = json!("陈父");
    with_consent["guardian_consent_date"] = json!(app.today().format());
    assert_eq!(app.call("PUT", &at("/agreement"), Some(&career), Some(with_consent)).await.status, 200);

    // Starting before three signatures is refused naming the agreement rule.
    let r = app.call("POST", &at("/start"), Some(&career), None).await;
    assert_eq!((r.status.as_u16(), rules(&r)), (422, vec!["internship_agreement".to_string()]), "{}", r.text);

    // Each party signs for itself only; the third signature puts the agreement in force.
    assert_eq!(sign(app, &hr, a, "school").await.status, 403, "the enterprise does not sign for the school");
    assert_eq!(sign(app, &career, a, "school").await.status, 200);
    assert_eq!(sign(app, &career, a, "school").await.status, 409, "signed once");
    let changed = app.call("PUT", &at("/agreement"), Some(&s1), Some(facts(app, "2004-01-01"))).await;
    assert_eq!((changed.status.as_u16(), rules(&changed)), (409, vec!["agreement_signed".to_string()]));
    assert_eq!(sign(app, &hr, a, "enterprise").await.status, 200);
    let r = sign(app, &s1, a, "student").await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (200, Some("agreed")), "{}", r.text);

    // Mentors: a teacher of the college and an account of the enterprise, within the limit.
    let (teacher_id, master_id) = (id_of(app, "teacher@pcvc.demo").await, id_of(app, "mentor@chuangzhi.demo").await);
    let r = app.call("PUT", &at("/mentors"), Some(&hr), Some(json!({"teacher_id": teacher_id}))).await;
    assert_eq!(r.status, 403, "the enterprise does not assign the teacher");
    let r = app.call("PUT", &at("/mentors"), Some(&career), Some(json!({"teacher_id": master_id}))).await;
    assert_eq!(rules(&r), vec!["mentor_not_eligible"], "{}", r.text);
    let r = app.call("PUT", &at("/mentors"), Some(&career), Some(json!({"teacher_id": teacher_id}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.call("PUT", &at("/mentors"), Some(&hr), Some(json!({"master_id": master_id}))).await;
    assert_eq!((r.status.as_u16(), r.json["master_name"].as_str()), (200, Some("孙师傅")), "{}", r.text);

    let r = app.call("POST", &at("/start"), Some(&hr), None).await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (200, Some("active")), "{}", r.text);
    assert_eq!(app.call("POST", &at("/start"), Some(&hr), None).await.status, 409, "started once");

    // The record: a task, a log with a problem, attendance the master confirms, a sign-off.
    let r = app
        .call("POST", &at("/tasks"), Some(&master), Some(json!({"title": "外圆车削", "skill_code": "cnc-turning"})))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let task = r.json["id"].as_i64().expect("task");
    let day = app.today().format();
    let log = json!({"date": day, "task_id": task, "body": "车外圆", "problem": "粗糙度不达标"});
    assert_eq!(app.call("POST", &at("/logs"), Some(&s1), Some(log.clone())).await.status, 201);
    assert_eq!(app.call("POST", &at("/logs"), Some(&master), Some(log)).await.status, 403, "only the student logs");
    let long = json!({"date": day, "body": "长".repeat(501)});
    assert_eq!(rules(&app.call("POST", &at("/logs"), Some(&s1), Some(long)).await), vec!["too_long"]);
    let present = json!({"day": day, "status": "present"});
    assert_eq!(app.call("PUT", &at("/attendance"), Some(&s1), Some(present.clone())).await.status, 204);
    let confirm = at(&format!("/attendance/{day}/confirm"));
    assert_eq!(app.call("POST", &confirm, Some(&teacher), None).await.status, 403, "the master confirms");
    let foreign = app.token("admin@ent02.demo").await;
    assert_eq!(app.call("POST", &confirm, Some(&foreign), None).await.status, 404, "another enterprise");
    assert_eq!(app.call("POST", &confirm, Some(&master), None).await.status, 204);
    let r = app.call("PUT", &at("/attendance"), Some(&s1), Some(present)).await;
    assert_eq!(r.status, 409, "a confirmed day is fixed: {}", r.text);
    let signoff = json!({"skill_code": "cnc-turning", "level": 2});
    assert_eq!(app.call("POST", &at("/signoffs"), Some(&master), Some(signoff)).await.status, 201);
    let bad = json!({"skill_code": "juggling", "level": 6});
    let r = app.call("POST", &at("/signoffs"), Some(&master), Some(bad)).await;
    assert_eq!(rules(&r), vec!["skill_unknown", "level_range"]);

    // A review due yesterday that only the student signed is overdue on the teacher's dashboard.
    let due = Date(app.today().0 - 1).format();
    let r = app.call("POST", &at("/reviews"), Some(&teacher), Some(json!({"name": "首次评议", "due_date": due}))).await;
    let review = r.json["id"].as_i64().expect("review");
    let signed = app
        .call(
            "POST",
            &at(&format!("/reviews/{review}/sign")),
            Some(&s1),
            Some(json!({"reviewer": "student", "comment": "ok"})),
        )
        .await;
    assert_eq!(signed.status, 204, "{}", signed.text);
    let college = app.org_id(COLLEGE).await;
    let w = app.call("GET", &format!("/api/v1/placement-warnings?college={college}"), Some(&teacher), None).await;
    let row = w.json.as_array().and_then(|rows| rows.iter().find(|x| x["placement_id"].as_i64() == Some(a)));
    let kinds: Vec<&str> = row
        .and_then(|x| x["warnings"].as_array())
        .map(|ws| ws.iter().filter_map(|k| k["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, vec!["review_overdue"], "{}", w.text);

    // Report, grade, evaluation, composite with weights 50/30/20 and full confirmed attendance.
    let settings = json!({"max_per_teacher": 20, "max_per_master": 5, "warn_after_days": 3,
        "weight_report": 50, "weight_evaluation": 30, "weight_attendance": 20});
    let put = app.call("PUT", &format!("/api/v1/placement-settings/{college}"), Some(&career), Some(settings)).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(app.call("POST", &at("/complete"), Some(&teacher), None).await.status, 409, "nothing graded yet");
    assert_eq!(app.call("PUT", &at("/report"), Some(&s1), Some(json!({"text": "实习总结"}))).await.status, 200);
    let r = app.call("POST", &at("/report/grade"), Some(&teacher), Some(json!({"grade": 101}))).await;
    assert_eq!(rules(&r), vec!["score_range"]);
    assert_eq!(app.call("POST", &at("/report/grade"), Some(&teacher), Some(json!({"grade": 81}))).await.status, 200);
    let r = app.call("POST", &at("/evaluation"), Some(&master), Some(json!({"score": 90, "comment": "踏实"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.call("POST", &at("/complete"), Some(&teacher), None).await;
    // 0.5 × 81 + 0.3 × 90 + 0.2 × 100 = 40.5 + 27 + 20 = 87.50
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (200, Some("completed")), "{}", r.text);
    assert_eq!(r.json["outcome"]["composite_centi"].as_i64(), Some(8_750));
    assert_eq!(app.call("POST", &at("/logs"), Some(&s1), Some(json!({"date": day, "body": "x"}))).await.status, 409);

    // The college sees compliance per rule and the theory loop; the other placement is pending.
    let c = app.call("GET", &format!("/api/v1/placement-compliance?college={college}"), Some(&career), None).await;
    let row = c.json["rows"].as_array().and_then(|rows| rows.iter().find(|x| x["placement_id"].as_i64() == Some(a)));
    let agreement = row
        .and_then(|x| x["checks"].as_array())
        .and_then(|cs| cs.iter().find(|k| k["rule"] == "internship_agreement"))
        .map(|k| k["status"]["status"].clone());
    assert_eq!(agreement, Some(json!("met")), "{}", c.text);
    let t = app.call("GET", &format!("/api/v1/placement-theory?college={college}"), Some(&teacher), None).await;
    let turning = t.json["skills"].as_array().and_then(|s| s.iter().find(|x| x["skill_code"] == "cnc-turning"));
    assert!(turning.is_some_and(|x| x["students"].as_i64() >= Some(1)), "{}", t.text);
    let problems = t.json["problems"].as_array().cloned().unwrap_or_default();
    assert!(problems.iter().any(|p| p["task_title"] == "外圆车削" && p["count"] == 1), "{}", t.text);
    let other = app.call("GET", &format!("/api/v1/placements/{b}"), Some(&career), None).await;
    assert_eq!(other.json["status"], "agreement_pending");
}
on_both!(demo fixed: placement_flow, a_post_internship_runs_from_agreement_to_composite_grade);

async fn outsiders_do_not_see_placements_and_mentors_have_a_limit(app: &TestApp) {
    let (career, hr) = (app.token("career@pcvc.demo").await, app.token("hr@chuangzhi.demo").await);
    let (a, b) = allocate_two(app).await;
    for login in ["admin@ent02.demo", "s03@pcvc.demo", "tech@chuangzhi.demo", "member@gov.demo"] {
        let t = app.token(login).await;
        let r = app.call("GET", &format!("/api/v1/placements/{a}"), Some(&t), None).await;
        assert_eq!(r.status, 404, "{login} does not see the placement");
        let r = sign(app, &t, a, "student").await;
        assert_eq!(r.status, 404, "{login} cannot sign it either");
    }
    let s1 = app.token("s01@pcvc.demo").await;
    assert_eq!(app.call("GET", &format!("/api/v1/placements/{b}"), Some(&s1), None).await.status, 404, "a classmate's");
    let mine = app.call("GET", "/api/v1/placements", Some(&s1), None).await;
    assert!(mine.json.as_array().is_some_and(|l| l.iter().any(|p| p["id"].as_i64() == Some(a))), "{}", mine.text);
    assert!(mine.json.as_array().is_some_and(|l| l.iter().all(|p| p["id"].as_i64() != Some(b))), "{}", mine.text);

    // One master per student at most: the second placement finds the master full.
    let college = app.org_id(COLLEGE).await;
    let settings = json!({"max_per_teacher": 20, "max_per_master": 1, "warn_after_days": 3,
        "weight_report": 40, "weight_evaluation": 40, "weight_attendance": 20});
    let teacher = app.token("teacher@pcvc.demo").await;
    let path = format!("/api/v1/placement-settings/{college}");
    assert_eq!(app.call("PUT", &path, Some(&teacher), Some(settings.clone())).await.status, 403);
    let mut bad = settings.clone();
    bad["weight_attendance"] = json!(21);
    assert_eq!(rules(&app.call("PUT", &path, Some(&career), Some(bad)).await), vec!["weights_sum"]);
    assert_eq!(app.call("PUT", &path, Some(&career), Some(settings)).await.status, 200);
    // The demo's master already mentors three students: a fresh account of the enterprise.
    let enterprise = app.org_id(ENTERPRISE).await;
    let added = app
        .add_member(
            &hr,
            enterprise,
            json!({"display_name": "新师傅", "email": "m2@chuangzhi.example", "roles": ["enterprise_mentor"]}),
        )
        .await;
    let m2 = added.json["account_id"].as_i64().expect("a new master");
    let assign = |id: i64| format!("/api/v1/placements/{id}/mentors");
    assert_eq!(app.call("PUT", &assign(a), Some(&hr), Some(json!({"master_id": m2}))).await.status, 200);
    let r = app.call("PUT", &assign(b), Some(&hr), Some(json!({"master_id": m2}))).await;
    assert_eq!((r.status.as_u16(), rules(&r)), (422, vec!["mentor_load".to_string()]), "{}", r.text);
    assert!(r.text.contains("最多指导 1 名"), "the limit is named: {}", r.text);
    let after = app.call("GET", &format!("/api/v1/placements/{b}"), Some(&career), None).await;
    assert!(after.json["master_id"].is_null(), "a refused assignment changes nothing: {}", after.text);
}
on_both!(demo fixed: placement_refusals, outsiders_do_not_see_placements_and_mentors_have_a_limit);

async fn the_demo_has_internships_in_progress_with_a_warning(app: &TestApp) {
    let teacher = app.token("teacher@pcvc.demo").await;
    let college = app.org_id(COLLEGE).await;
    let list = app.call("GET", "/api/v1/placements", Some(&teacher), None).await;
    let items = list.json.as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 3, "{}", list.text);
    assert!(items.iter().all(|p| p["status"] == "active" && p["master_name"] == "孙师傅"));
    let detail = app.call("GET", &format!("/api/v1/placements/{}", items[0]["id"]), Some(&teacher), None).await;
    assert!(detail.json["logs"].as_array().is_some_and(|l| !l.is_empty()), "{}", detail.text);
    assert!(detail.json["signoffs"].as_array().is_some_and(|l| !l.is_empty()));
    let w = app.call("GET", &format!("/api/v1/placement-warnings?college={college}"), Some(&teacher), None).await;
    let kinds: Vec<String> = w
        .json
        .as_array()
        .map(|rows| {
            rows.iter()
                .flat_map(|r| r["warnings"].as_array().cloned().unwrap_or_default())
                .filter_map(|k| k["kind"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert!(kinds.iter().any(|k| k == "review_overdue"), "{}", w.text);
    assert!(kinds.iter().any(|k| k == "no_log"), "s08 stopped logging: {}", w.text);
}
on_both!(demo fixed: demo_placements, the_demo_has_internships_in_progress_with_a_warning);

/// Whether review `review` of placement `id` is overdue: (its flag on the placement, a warning
/// naming it on the college's dashboard), as the teacher sees them.
async fn review_overdue(app: &TestApp, teacher: &str, id: i64, review: i64) -> (bool, bool) {
    let detail = app.call("GET", &format!("/api/v1/placements/{id}"), Some(teacher), None).await;
    let flag = detail.json["reviews"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["id"].as_i64() == Some(review)))
        .and_then(|r| r["overdue"].as_bool())
        .expect("the review is listed");
    let college = app.org_id(COLLEGE).await;
    let w = app.call("GET", &format!("/api/v1/placement-warnings?college={college}"), Some(teacher), None).await;
    let warned = w.json.as_array().is_some_and(|rows| {
        rows.iter().filter(|x| x["placement_id"].as_i64() == Some(id)).any(|x| {
            x["warnings"].as_array().is_some_and(|ws| {
                ws.iter()
                    .any(|k| k["kind"] == "review_overdue" && k["zh"].as_str().is_some_and(|t| t.contains("定时评议")))
            })
        })
    });
    (flag, warned)
}

/// On a fixed clock: a review due tomorrow is not overdue today nor on its due day, and is
/// overdue, with a warning on the dashboard, the day after, without anyone touching it.
async fn a_review_is_overdue_the_day_after_its_due_date(app: &TestApp) {
    let teacher = app.token("teacher@pcvc.demo").await;
    let list = app.call("GET", "/api/v1/placements", Some(&teacher), None).await;
    let id = list.json[0]["id"].as_i64().expect("a demo placement");
    let due = Date(app.today().0 + 1).format();
    let body = json!({"name": "定时评议", "due_date": due});
    let r = app.call("POST", &format!("/api/v1/placements/{id}/reviews"), Some(&teacher), Some(body)).await;
    let review = r.json["id"].as_i64().unwrap_or_else(|| panic!("review: {}", r.text));
    assert_eq!(review_overdue(app, &teacher, id, review).await, (false, false), "due tomorrow");
    app.clock().advance_days(1);
    assert_eq!(app.today().format(), due);
    assert_eq!(review_overdue(app, &teacher, id, review).await, (false, false), "due today");
    app.clock().advance_days(1);
    assert_eq!(review_overdue(app, &teacher, id, review).await, (true, true), "the day after");
}
on_both!(demo fixed: review_overdue_on_the_clock, a_review_is_overdue_the_day_after_its_due_date);

async fn the_intern_shares_count_every_place_of_the_enterprise(app: &TestApp) {
    let (hr, career) = (app.token("hr@chuangzhi.demo").await, app.token("career@pcvc.demo").await);
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    // 40 staff: at most 4 interns at once (10 %); the demo already has 3 under way there.
    let mut places = Vec::new();
    for title in ["份额岗位一", "份额岗位二"] {
        let mut body = crate::practice::place_body(enterprise, title, "post", 1, 10);
        body["enterprise_staff"] = json!(40);
        body["start_date"] = json!(app.today().format());
        body["end_date"] = json!(Date(app.today().0 + 90).format());
        let r = app.call("POST", "/api/v1/practice-places", Some(&hr), Some(body)).await;
        assert_eq!(r.status, 201, "{}", r.text);
        places.push(r.json["id"].as_i64().expect("place"));
    }
    let r = app
        .call(
            "POST",
            "/api/v1/practice-rounds",
            Some(&career),
            Some(json!({"college_id": college, "name": "份额", "place_ids": places})),
        )
        .await;
    let round = r.json["id"].as_i64().expect("round");
    for (login, place) in [("s01@pcvc.demo", places[0]), ("s02@pcvc.demo", places[1])] {
        let t = app.token(login).await;
        let path = format!("/api/v1/practice-rounds/{round}/preferences");
        assert_eq!(app.call("PUT", &path, Some(&t), Some(json!({"place_ids": [place]}))).await.status, 200);
    }
    assert_eq!(
        app.call("POST", &format!("/api/v1/practice-rounds/{round}/run"), Some(&career), None).await.status,
        200
    );
    let list =
        app.call("GET", &format!("/api/v1/placements?college={college}&round={round}"), Some(&career), None).await;
    let ids: Vec<i64> =
        list.json.as_array().map(|a| a.iter().filter_map(|p| p["id"].as_i64()).collect()).unwrap_or_default();
    assert_eq!(ids.len(), 2, "{}", list.text);
    let s1 = app.token("s01@pcvc.demo").await;
    for id in &ids {
        let put = app
            .call("PUT", &format!("/api/v1/placements/{id}/agreement"), Some(&career), Some(facts(app, "2004-01-01")))
            .await;
        assert_eq!(put.status, 200, "{}", put.text);
    }
    // The first takes the fourth seat of the enterprise's 10 %.
    for (token, party) in [(&career, "school"), (&hr, "enterprise"), (&s1, "student")] {
        assert_eq!(sign(app, token, ids[0], party).await.status, 200, "{party}");
    }
    // The second, on another place of the same enterprise, finds the share full.
    let r = sign(app, &career, ids[1], "school").await;
    assert_eq!((r.status.as_u16(), rules(&r)), (422, vec!["enterprise_intern_share".to_string()]), "{}", r.text);
    assert!(r.text.contains("10%") || r.text.contains("10 %"), "the share is named: {}", r.text);
}
on_both!(demo fixed: placement_shares, the_intern_shares_count_every_place_of_the_enterprise);

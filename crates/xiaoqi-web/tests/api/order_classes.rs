//! Order classes through the API: the whole lifecycle from a draft to a closed class, with the
//! refusals on the way (wrong side, unsigned, bad weights, over the scholarship limit, signed
//! terms edited) and who may see a class at all.

use serde_json::{Value, json};

use crate::on_both;
use crate::support::{Db, Resp, TestApp, field_rules};

const COLLEGE: &str = "鹏城职业技术学院";
const ENTERPRISE: &str = "深圳创智精密机械有限公司";

fn has_rule(r: &Resp, field: &str, rule: &str) -> bool {
    field_rules(r).iter().any(|(f, x)| f == field && x == rule)
}

/// Terms as the API takes them: one scholarship of 5,000 yuan for two students.
pub fn terms(majors: &[i64], quota: i64, college_weight: i64, enterprise_weight: i64) -> Value {
    json!({
        "class_name": "创智精密数控订单班",
        "major_ids": majors,
        "quota": quota,
        "scholarships": [{"name": "企业奖学金", "amount_yuan": "5,000", "count": 2, "condition": "前 2 名"}],
        "employment": {"posts": [{"title": "数控车工", "occupation_code": "6-18-02-04"}],
            "pay_floor_yuan": "5500", "service_years": 3},
        "courses": [
            {"name": "机械制图", "taught_by": "college", "kind": "theory", "hours": 64},
            {"name": "数控车床实操", "taught_by": "enterprise", "kind": "practice", "hours": 120},
            {"name": "暑期实践", "taught_by": "enterprise", "kind": "summer_practice", "hours": 160}
        ],
        "weights": {"college": college_weight, "enterprise": enterprise_weight}
    })
}

/// Every major of the demo college.
pub async fn college_majors(app: &TestApp) -> Vec<i64> {
    let admin = app.token("admin@alliance.demo").await;
    let college = app.org_id(COLLEGE).await;
    let r = app.call("GET", &format!("/api/v1/organizations/{college}/structure"), Some(&admin), None).await;
    r.json["majors"].as_array().map(|a| a.iter().filter_map(|m| m["id"].as_i64()).collect()).unwrap_or_default()
}

/// A draft between the demo enterprise and the demo college, made by the enterprise's HR.
pub async fn draft(app: &TestApp, quota: i64) -> i64 {
    let hr = app.token("hr@chuangzhi.demo").await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let body = json!({"college_id": college, "enterprise_id": enterprise,
        "terms": terms(&college_majors(app).await, quota, 60, 40)});
    let r = app.call("POST", "/api/v1/order-classes", Some(&hr), Some(body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json["id"].as_i64().expect("class id")
}

async fn id_of(app: &TestApp, login: &str) -> i64 {
    let t = app.token(login).await;
    app.call("GET", "/api/v1/me", Some(&t), None).await.json["id"].as_i64().expect("account id")
}

struct Actors {
    hr: String,
    leader: String,
    teacher: String,
    student: String,
    s05: String,
    s06: String,
}

async fn actors(app: &TestApp) -> Actors {
    Actors {
        hr: app.token("hr@chuangzhi.demo").await,
        leader: app.token("leader@pcvc.demo").await,
        teacher: app.token("teacher@pcvc.demo").await,
        student: app.token("student@pcvc.demo").await,
        s05: app.token("s05@pcvc.demo").await,
        s06: app.token("s06@pcvc.demo").await,
    }
}

async fn step(app: &TestApp, token: &str, id: i64, action: &str) -> Resp {
    app.call("POST", &format!("/api/v1/order-classes/{id}/advance"), Some(token), Some(json!({"action": action}))).await
}

async fn the_parties_sign_recruit_train_assess_and_decide_employment(app: &TestApp) {
    let a = actors(app).await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let majors = college_majors(app).await;
    let url = |rest: &str| format!("/api/v1/order-classes/{}", rest);

    // Weights not summing to 100 are refused naming the field; nothing is created.
    let before = app.call("GET", "/api/v1/order-classes?status=draft", Some(&a.hr), None).await.json["total"].clone();
    let body = json!({"college_id": college, "enterprise_id": enterprise, "terms": terms(&majors, 2, 60, 41)});
    let r = app.call("POST", "/api/v1/order-classes", Some(&a.hr), Some(body)).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(has_rule(&r, "weights", "weights_sum"), "{}", r.text);
    let after = app.call("GET", "/api/v1/order-classes?status=draft", Some(&a.hr), None).await.json["total"].clone();
    assert_eq!(before, after, "a refused draft writes nothing");
    // A teacher does not act for the college.
    let body = json!({"college_id": college, "enterprise_id": enterprise, "terms": terms(&majors, 2, 60, 40)});
    assert_eq!(app.call("POST", "/api/v1/order-classes", Some(&a.teacher), Some(body)).await.status, 403);

    let id = draft(app, 2).await;
    let r = app.call("GET", &url(&id.to_string()), Some(&a.student), None).await;
    assert_eq!(r.status, 404, "a draft is hidden from the college's students: {}", r.text);

    // The college edits the draft; then it cannot recruit unsigned.
    let r = app
        .call("PUT", &url(&format!("{id}/terms")), Some(&a.leader), Some(json!({"terms": terms(&majors, 2, 50, 50)})))
        .await;
    assert_eq!((r.status.as_u16(), r.json["terms"]["weights"]["college"].as_i64()), (200, Some(50)), "{}", r.text);
    let r = step(app, &a.leader, id, "open_recruiting").await;
    assert_eq!(r.status, 409, "an unsigned agreement cannot recruit: {}", r.text);

    // Both sign, each once, in the role they act in (周经理 is HR and administrator: the
    // administrator role is named first); a teacher may not sign.
    let hidden = app.call("POST", &url(&format!("{id}/sign")), Some(&a.teacher), None).await;
    assert_eq!(hidden.status, 404, "a draft is hidden from the parties' other members");
    let r = app.call("POST", &url(&format!("{id}/sign")), Some(&a.hr), None).await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (200, Some("draft")), "{}", r.text);
    assert_eq!(app.call("POST", &url(&format!("{id}/sign")), Some(&a.hr), None).await.status, 409, "signed once");
    let r = app.call("POST", &url(&format!("{id}/sign")), Some(&a.leader), None).await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (200, Some("signed")), "{}", r.text);
    let r = app
        .call("PUT", &url(&format!("{id}/terms")), Some(&a.hr), Some(json!({"terms": terms(&majors, 9, 50, 50)})))
        .await;
    assert_eq!(r.status, 409, "signed terms are not edited: {}", r.text);
    let v = app.call("GET", &url(&id.to_string()), Some(&a.leader), None).await.json;
    let sigs: Vec<_> =
        v["signatures"].as_array().into_iter().flatten().map(|s| (s["side"].clone(), s["role"].clone())).collect();
    assert_eq!(sigs, vec![(json!("enterprise"), json!("org_admin")), (json!("college"), json!("programme_leader"))]);
    assert_eq!(v["terms"]["quota"], 2, "the edit made before signing holds");

    // The college opens recruiting; the enterprise may not.
    assert_eq!(step(app, &a.hr, id, "open_recruiting").await.status, 403, "recruiting is the college's step");
    assert_eq!(step(app, &a.leader, id, "open_recruiting").await.json["status"], "recruiting");

    // Students apply with consent; a student sees only their own row.
    let r =
        app.call("POST", &url(&format!("{id}/applications")), Some(&a.student), Some(json!({"consent": false}))).await;
    assert!(r.status == 422 && has_rule(&r, "consent", "consent_required"), "{}", r.text);
    for t in [&a.student, &a.s05, &a.s06] {
        let r = app.call("POST", &url(&format!("{id}/applications")), Some(t), Some(json!({"consent": true}))).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let again =
        app.call("POST", &url(&format!("{id}/applications")), Some(&a.s05), Some(json!({"consent": true}))).await;
    assert_eq!(again.status, 409, "one application per student");
    let mine = app.call("GET", &url(&id.to_string()), Some(&a.s05), None).await.json;
    assert_eq!(mine["enrolments"].as_array().map(Vec::len), Some(1), "a student sees only their own application");
    let consents = app.call("GET", "/api/v1/me/consents", Some(&a.s06), None).await.json;
    let consented_to_sponsor =
        consents.as_array().into_iter().flatten().any(|c| {
            c["revoked_at"].is_null() && (c["scope"] == "alliance" || c["grantee_org_id"] == json!(enterprise))
        });
    assert!(consented_to_sponsor, "applying records a consent to the sponsor: {consents}");

    // Both parties select; the quota of 2 holds.
    let (student, s05, s06) =
        (id_of(app, "student@pcvc.demo").await, id_of(app, "s05@pcvc.demo").await, id_of(app, "s06@pcvc.demo").await);
    let select = |t: &str, s: i64, yes: bool| {
        let t = t.to_string();
        async move {
            app.call("PUT", &url(&format!("{id}/students/{s}/selection")), Some(&t), Some(json!({"selected": yes})))
                .await
        }
    };
    for s in [student, s05] {
        assert_eq!(select(&a.leader, s, true).await.status, 200);
        assert_eq!(select(&a.hr, s, true).await.status, 200);
    }
    assert_eq!(select(&a.leader, s06, true).await.status, 200);
    let full = select(&a.hr, s06, true).await;
    assert_eq!(full.status, 409, "the third student exceeds the quota of 2: {}", full.text);
    assert_eq!(select(&a.teacher, s06, false).await.status, 403, "a teacher does not select");

    assert_eq!(step(app, &a.hr, id, "start_training").await.json["status"], "in_training", "either side starts");

    // Scholarships: 5,000 × 2 in total; one fen more is refused and nothing is written.
    let pay = |s: i64, amount: &str| json!({"student_id": s, "scholarship": "企业奖学金", "amount_yuan": amount, "paid_on": "2025-12-01"});
    let disburse = url(&format!("{id}/disbursements"));
    assert_eq!(app.call("POST", &disburse, Some(&a.leader), Some(pay(student, "5000"))).await.status, 403);
    assert_eq!(app.call("POST", &disburse, Some(&a.hr), Some(pay(student, "5000"))).await.status, 201);
    // Within the class's total, but a second award to the same student: "5,000 × 2" is per student.
    let twice = app.call("POST", &disburse, Some(&a.hr), Some(pay(student, "0.01"))).await;
    assert!(twice.status == 422 && has_rule(&twice, "amount_yuan", "scholarship_per_student"), "{}", twice.text);
    assert_eq!(app.call("POST", &disburse, Some(&a.hr), Some(pay(s05, "4999.99"))).await.status, 201);
    let over = app.call("POST", &disburse, Some(&a.hr), Some(pay(s05, "0.02"))).await;
    assert!(over.status == 422 && has_rule(&over, "amount_yuan", "scholarship_limit"), "{}", over.text);
    let not_enrolled = app.call("POST", &disburse, Some(&a.hr), Some(pay(s06, "0.01"))).await;
    assert!(has_rule(&not_enrolled, "student_id", "not_enrolled"), "{}", not_enrolled.text);
    let v = app.call("GET", &url(&id.to_string()), Some(&a.hr), None).await.json;
    assert_eq!(v["ledger"].as_array().map(Vec::len), Some(2), "the refused payments wrote nothing");
    assert_eq!(v["scholarship_totals"][0]["paid_fen"], 999_999);
    assert_eq!(v["scholarship_totals"][0]["remaining_fen"], 1);

    // Joint assessment, weighted exactly 50/50.
    assert_eq!(step(app, &a.leader, id, "start_assessment").await.json["status"], "assessment");
    let score = |t: &str, s: i64, v: &str| {
        let t = t.to_string();
        let v = v.to_string();
        async move { app.call("PUT", &url(&format!("{id}/students/{s}/score")), Some(&t), Some(json!({"score": v}))).await }
    };
    assert_eq!(score(&a.leader, student, "85.5").await.status, 200);
    let r = score(&a.hr, student, "90.2").await;
    let row =
        r.json["enrolments"].as_array().into_iter().flatten().find(|e| e["student_id"] == json!(student)).cloned();
    assert_eq!(row.map(|e| e["composite"].clone()), Some(json!("87.85")), "(85.5 + 90.2) / 2: {}", r.text);
    let bad = score(&a.hr, s05, "100.1").await;
    assert!(bad.status == 422 && has_rule(&bad, "score", "score_range"), "{}", bad.text);
    assert_eq!(score(&a.hr, s06, "80").await.status, 409, "only enrolled students are assessed");

    // Employment decisions: the enterprise offers, each student answers their own.
    assert_eq!(step(app, &a.leader, id, "start_employment").await.status, 403, "the enterprise's step");
    assert_eq!(step(app, &a.hr, id, "start_employment").await.json["status"], "employment");
    let hr = a.hr.clone();
    let offer_to = |s: i64, pay: &str| {
        let body = json!({"post_title": "数控车工", "monthly_pay_yuan": pay});
        let (hr, path) = (hr.clone(), url(&format!("{id}/students/{s}/offer")));
        async move { app.call("POST", &path, Some(&hr), Some(body)).await }
    };
    let low = offer_to(student, "5499.99").await;
    assert!(low.status == 422 && has_rule(&low, "monthly_pay_yuan", "pay_below_floor"), "{}", low.text);
    assert_eq!(offer_to(student, "6000").await.status, 200);
    assert_eq!(offer_to(s05, "5500").await.status, 200);
    let answer = |t: &str, s: i64, body: Value| {
        let t = t.to_string();
        async move { app.call("POST", &url(&format!("{id}/students/{s}/answer")), Some(&t), Some(body)).await }
    };
    assert_eq!(answer(&a.student, s05, json!({"accept": true})).await.status, 403, "only the student answers");
    assert_eq!(answer(&a.student, student, json!({"accept": true})).await.status, 200);
    let no_reason = answer(&a.s05, s05, json!({"accept": false})).await;
    assert!(no_reason.status == 422 && has_rule(&no_reason, "reason", "required"), "{}", no_reason.text);
    assert_eq!(answer(&a.s05, s05, json!({"accept": false, "reason": "继续专升本"})).await.status, 200);
    assert_eq!(answer(&a.s05, s05, json!({"accept": true})).await.status, 409, "answered once");

    let v = app.call("GET", &url(&id.to_string()), Some(&a.leader), None).await.json;
    assert_eq!((v["conversion"]["employed"].clone(), v["conversion"]["enrolled"].clone()), (json!(1), json!(2)));
    assert_eq!(v["conversion_label"], "1/2 (50.0%)");

    // An amendment takes effect only when both have signed it.
    let mut one = terms(&majors, 1, 50, 50);
    one["scholarships"][0]["count"] = json!(1);
    let r = app.call("POST", &url(&format!("{id}/amendments")), Some(&a.hr), Some(json!({"terms": one}))).await;
    assert!(r.status == 422 && has_rule(&r, "quota", "quota_below_enrolled"), "{}", r.text);
    let r = app
        .call("POST", &url(&format!("{id}/amendments")), Some(&a.hr), Some(json!({"terms": terms(&majors, 5, 50, 50)})))
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json["pending_version"].as_i64(), r.json["current_version"].as_i64()),
        (201, Some(2), Some(1)),
        "{}",
        r.text
    );
    let twice = app
        .call(
            "POST",
            &url(&format!("{id}/amendments")),
            Some(&a.leader),
            Some(json!({"terms": terms(&majors, 6, 50, 50)})),
        )
        .await;
    assert_eq!(twice.status, 409, "one open amendment at a time");
    let r = app.call("POST", &url(&format!("{id}/amendments/2/sign")), Some(&a.hr), None).await;
    assert_eq!(
        (r.json["current_version"].as_i64(), r.json["terms"]["quota"].as_i64()),
        (Some(1), Some(2)),
        "{}",
        r.text
    );
    let r = app.call("POST", &url(&format!("{id}/amendments/2/sign")), Some(&a.leader), None).await;
    assert_eq!(
        (r.json["current_version"].as_i64(), r.json["terms"]["quota"].as_i64()),
        (Some(2), Some(5)),
        "{}",
        r.text
    );
    assert_eq!(r.json["versions"].as_array().map(Vec::len), Some(2), "the first version is kept");

    assert_eq!(step(app, &a.leader, id, "close").await.json["status"], "closed");
    let late = app.call("POST", &disburse, Some(&a.hr), Some(pay(student, "0.01"))).await;
    assert_eq!(late.status, 409, "a closed class pays nothing more: {}", late.text);
    assert_eq!(step(app, &a.hr, id, "close").await.status, 409, "closed is final");
}
on_both!(demo: order_class_lifecycle, the_parties_sign_recruit_train_assess_and_decide_employment);

async fn outsiders_are_told_a_class_does_not_exist(app: &TestApp) {
    let id = draft(app, 5).await;
    let leader = app.token("leader@pcvc.demo").await;
    let hr = app.token("hr@chuangzhi.demo").await;
    for who in [&leader, &hr] {
        let r = app.call("POST", &format!("/api/v1/order-classes/{id}/sign"), Some(who), None).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let other_enterprise = app.token("admin@ent02.demo").await;
    let other_college = app.token("admin@zjlg.demo").await;
    let zjlg = app.org_id("珠江轻工职业技术学院").await;
    let m = app
        .add_member(
            &other_college,
            zjlg,
            json!({"display_name": "外校学生", "email": "outsider@zjlg.example", "roles": ["student"]}),
        )
        .await;
    assert_eq!(m.status, 201, "{}", m.text);
    let first = app.token("outsider@zjlg.example").await;
    let change = json!({"current_password": m.json["temporary_password"], "new_password": "outsider-pass-2026"});
    let r = app.call("POST", "/api/v1/me/password", Some(&first), Some(change)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    let other_student = app.token("outsider@zjlg.example").await;
    for (who, t) in [
        ("another enterprise", &other_enterprise),
        ("another college", &other_college),
        ("their student", &other_student),
    ] {
        let r = app.call("GET", &format!("/api/v1/order-classes/{id}"), Some(t), None).await;
        assert_eq!(r.status, 404, "{who}: {}", r.text);
        let r = app
            .call("POST", &format!("/api/v1/order-classes/{id}/applications"), Some(t), Some(json!({"consent": true})))
            .await;
        assert_eq!(r.status, 404, "{who} applying: {}", r.text);
        let listed = app.call("GET", "/api/v1/order-classes?limit=100", Some(t), None).await;
        let ids: Vec<i64> =
            listed.json["items"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_i64()).collect();
        assert!(!ids.contains(&id), "{who} does not list it");
    }
    let admin = app.token("admin@alliance.demo").await;
    assert_eq!(app.call("GET", &format!("/api/v1/order-classes/{id}"), Some(&admin), None).await.status, 200);
    let mentor = app.token("mentor@chuangzhi.demo").await;
    let r = app.call("GET", &format!("/api/v1/order-classes/{id}"), Some(&mentor), None).await;
    assert_eq!((r.status.as_u16(), r.json["actions"].clone()), (200, json!([])), "a mentor reads but acts for no side");
}
on_both!(demo: order_class_outsiders, outsiders_are_told_a_class_does_not_exist);

async fn the_demo_has_a_signed_class_in_training_with_students_and_payments(app: &TestApp) {
    let hr = app.token("hr@chuangzhi.demo").await;
    let r = app.call("GET", "/api/v1/order-classes?status=in_training", Some(&hr), None).await;
    let id = r.json["items"][0]["id"].as_i64().expect("a demo class in training");
    let v = app.call("GET", &format!("/api/v1/order-classes/{id}"), Some(&hr), None).await.json;
    assert_eq!(v["college_name"], COLLEGE);
    assert_eq!(v["signatures"].as_array().map(Vec::len), Some(2), "signed by both");
    assert!(v["conversion"]["enrolled"].as_i64().unwrap_or(0) >= 1, "{v}");
    assert!(v["ledger"].as_array().is_some_and(|l| !l.is_empty()), "payments recorded");
    let student = app.token("student@pcvc.demo").await;
    let r = app.call("GET", "/api/v1/order-classes?status=recruiting", Some(&student), None).await;
    let recruiting = r.json["items"][0]["id"].as_i64().expect("a demo class recruiting");
    let v = app.call("GET", &format!("/api/v1/order-classes/{recruiting}"), Some(&student), None).await.json;
    assert_eq!(v["actions"], json!(["apply"]), "the demo student may apply: {v}");
}
on_both!(demo: order_class_demo, the_demo_has_a_signed_class_in_training_with_students_and_payments);

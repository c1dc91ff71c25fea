//! The services marketplace through the API: offerings, the request lifecycle from both sides,
//! training invitations, who may take which step, bad input, and refused steps changing nothing.

use serde_json::{Value, json};
use xiaoqi_domain::time::Timestamp;

use crate::on_both;
use crate::support::build::Kind;
use crate::support::{Db, Resp, TestApp};

const COLLEGE: &str = "鹏城职业技术学院";

/// The (field, rule) pairs of an error body.
fn field_rules(r: &Resp) -> Vec<(String, String)> {
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

/// A college's first active offering of a kind.
async fn offering_of(app: &TestApp, token: &str, college: i64, kind: &str) -> Value {
    let r = app.call("GET", &format!("/api/v1/services?college={college}&kind={kind}"), Some(token), None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["items"][0].clone()
}

async fn step(app: &TestApp, token: &str, id: i64, action: &str, body: Option<Value>) -> Resp {
    app.call("POST", &format!("/api/v1/service-requests/{id}/{action}"), Some(token), body).await
}

async fn actions_in(app: &TestApp, token: &str, org: i64) -> Vec<String> {
    let r = app.call("GET", &format!("/api/v1/organizations/{org}/audit?limit=100"), Some(token), None).await;
    r.json["items"]
        .as_array()
        .map_or_else(Vec::new, |a| a.iter().filter_map(|e| e["action"].as_str()).map(str::to_string).collect())
}

async fn a_request_goes_from_requested_to_rated_with_each_side_taking_its_steps(app: &TestApp) {
    let enterprise_org = app.enterprise("服务企业").await;
    let hr = enterprise_org.admin.token.clone();
    let college_org = app.college("服务学院").await;
    let college_admin = college_org.admin.token.clone();
    let leader = app.member(&college_org, &["programme_leader"]).await.token;
    let (college, enterprise) = (college_org.id, enterprise_org.id);
    let body = json!({"college_id": college, "kind": "skills_training", "title": "数控技能培训", "description": "面向企业员工。",
        "capacity": 30, "price_yuan": "100", "price_unit": "per_project"});
    app.ok("POST", "/api/v1/services", &college_org.admin, Some(body), 201).await;
    let offering = offering_of(app, &hr, college, "skills_training").await;
    let offering_id = offering["id"].as_i64().expect("a training offering");
    assert_eq!(offering["status"], "active");
    // The request is made an hour before the period it will be scheduled for (2024-01-10 09:00
    // Beijing time), on the app's clock.
    let start = Timestamp(1_704_848_400_000);
    app.clock().set(Timestamp(start.0 - 3_600_000));

    let made = app
        .call(
            "POST",
            &format!("/api/v1/services/{offering_id}/requests"),
            Some(&hr),
            Some(json!({"participants_expected": 20, "message": "第二期", "preferred_period": "六月"})),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    let id = made.json["id"].as_i64().expect("id");
    assert_eq!(made.json["status"], "requested");
    assert_eq!(made.json["title"], offering["title"], "the title defaults to the offering's");
    assert_eq!(
        (made.json["enterprise_org_id"].as_i64(), made.json["college_org_id"].as_i64()),
        (Some(enterprise), Some(college))
    );
    let notes = app.call("GET", "/api/v1/me/notifications", Some(&college_admin), None).await;
    assert!(notes.text.contains("申请了服务"), "the college is notified: {}", notes.text);
    assert!(notes.text.contains(&format!("/service-requests/{id}")), "with a link: {}", notes.text);

    // The wrong side and the wrong people cannot take the college's step.
    assert_eq!(step(app, &hr, id, "accept", None).await.status, 403, "the enterprise cannot accept");
    let teacher = app.member(&college_org, &["teacher"]).await.token;
    assert_eq!(step(app, &teacher, id, "accept", None).await.status, 403, "a teacher does not act for the college");
    let foreign = app.enterprise("另一企业").await.admin.token;
    assert_eq!(step(app, &foreign, id, "accept", None).await.status, 403, "an outsider");
    let refused = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&foreign), None).await;
    assert_eq!(refused.status, 404, "an outsider is not told that the request exists");
    assert_eq!(app.call("GET", &format!("/api/v1/service-requests/{id}"), None, None).await.status, 401);
    let anonymous = app.call("POST", &format!("/api/v1/service-requests/{id}/accept"), None, None).await;
    assert_eq!(anonymous.status, 401, "anonymous");

    let accepted = step(app, &college_admin, id, "accept", None).await;
    assert_eq!(
        (accepted.status.as_u16(), accepted.json["status"].as_str()),
        (200, Some("accepted")),
        "{}",
        accepted.text
    );
    assert_eq!(step(app, &college_admin, id, "accept", None).await.status, 409, "accepted once");
    let bad = step(
        app,
        &leader,
        id,
        "schedule",
        Some(json!({"scheduled_start": "2024-01-10 17:00", "scheduled_end": "2024-01-10 09:00"})),
    )
    .await;
    assert_eq!(
        (bad.status.as_u16(), field_rules(&bad)),
        (422, pairs(&[("scheduled_end", "schedule_end_before_start")]))
    );
    let bad = step(
        app,
        &leader,
        id,
        "schedule",
        Some(json!({"scheduled_start": "明天", "scheduled_end": "2024-13-01 09:00"})),
    )
    .await;
    assert_eq!(
        field_rules(&bad),
        pairs(&[("scheduled_start", "datetime_format"), ("scheduled_end", "datetime_format")]),
        "both fields at once"
    );
    let scheduled = step(
        app,
        &leader,
        id,
        "schedule",
        Some(json!({"scheduled_start": "2024-01-10 09:00", "scheduled_end": "2024-01-10T17:00:00+08:00"})),
    )
    .await;
    assert_eq!(scheduled.status, 200, "a programme leader schedules: {}", scheduled.text);
    assert_eq!(scheduled.json["scheduled_start"].as_i64(), Some(1_704_848_400_000), "09:00 Beijing time is 01:00Z");
    assert_eq!(scheduled.json["scheduled_end"].as_i64(), Some(1_704_877_200_000));

    assert_eq!(step(app, &hr, id, "deliver", Some(json!({"hours": "8", "participants": 18}))).await.status, 403);
    let bad = step(app, &college_admin, id, "deliver", Some(json!({"hours": "0", "participants": 0}))).await;
    assert_eq!(field_rules(&bad), pairs(&[("hours", "hours_range"), ("participants", "participants_range")]));
    let bad = step(app, &college_admin, id, "deliver", Some(json!({"hours": "7.25", "participants": 18}))).await;
    assert_eq!(field_rules(&bad), pairs(&[("hours", "hours_format")]));
    // No delivery before the scheduled start: a minute before it is refused, at the start it is
    // recorded.
    app.clock().advance(3_600_000 - 60_000);
    let early = step(app, &college_admin, id, "deliver", Some(json!({"hours": "7.5", "participants": 18}))).await;
    assert_eq!(early.status, 409, "before the scheduled start: {}", early.text);
    app.clock().advance(60_000);
    assert_eq!(app.app.now(), start.0);
    let delivered = step(app, &college_admin, id, "deliver", Some(json!({"hours": "7.5", "participants": 18}))).await;
    assert_eq!(delivered.status, 200, "{}", delivered.text);
    assert_eq!(delivered.json["delivered_at"].as_i64(), Some(start.0), "at the app's time");
    assert_eq!(
        (delivered.json["delivered_hours_tenths"].as_i64(), delivered.json["delivered_participants"].as_i64()),
        (Some(75), Some(18))
    );
    assert_eq!(
        step(app, &college_admin, id, "cancel", Some(json!({}))).await.status,
        403,
        "cancelling is the enterprise's"
    );
    assert_eq!(step(app, &hr, id, "cancel", Some(json!({}))).await.status, 409, "too late to cancel");

    assert_eq!(
        step(app, &college_admin, id, "rate", Some(json!({"rating": 5}))).await.status,
        403,
        "a college cannot rate itself"
    );
    let bad = step(app, &hr, id, "rate", Some(json!({"rating": 6}))).await;
    assert_eq!(field_rules(&bad), pairs(&[("rating", "rating_range")]));
    let rated = step(app, &hr, id, "rate", Some(json!({"rating": 4, "comment": "讲得清楚"}))).await;
    assert_eq!((rated.status.as_u16(), rated.json["rating"].as_i64()), (200, Some(4)), "{}", rated.text);
    let again = step(app, &hr, id, "rate", Some(json!({"rating": 1}))).await;
    assert_eq!(again.status, 409, "rated once only: {}", again.text);
    assert!(again.json["message"].as_str().unwrap_or("").contains("已评价"), "{}", again.text);

    let view = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&hr), None).await;
    let history: Vec<&str> =
        view.json["history"].as_array().expect("history").iter().filter_map(|h| h["status"].as_str()).collect();
    assert_eq!(history, vec!["requested", "accepted", "scheduled", "delivered", "rated"], "{}", view.text);
    assert_eq!(view.json["history"][0]["by"], format!("{} 管理员", enterprise_org.name));
    assert_eq!(view.json["actions"], json!([]), "nothing left to do");
    let mine = app.call("GET", "/api/v1/me/notifications", Some(&hr), None).await;
    assert!(
        mine.text.contains("接受了服务申请") && mine.text.contains("登记交付了服务申请"),
        "the enterprise is told: {}",
        mine.text
    );
    let ent_audit = actions_in(app, &hr, enterprise).await;
    assert!(
        ent_audit.contains(&"service_request.create".into()) && ent_audit.contains(&"service_request.rate".into()),
        "{ent_audit:?}"
    );
    let col_audit = actions_in(app, &college_admin, college).await;
    for a in ["service_request.accept", "service_request.schedule", "service_request.deliver"] {
        assert!(col_audit.contains(&a.to_string()), "{a} in {col_audit:?}");
    }
}
on_both!(fixed: lifecycle, a_request_goes_from_requested_to_rated_with_each_side_taking_its_steps);

async fn an_enterprise_invites_a_college_which_accepts_and_only_colleges_can_be_invited(app: &TestApp) {
    let enterprise_org = app.enterprise("服务企业").await;
    let hr = enterprise_org.admin.token.clone();
    let college_org = app.college("服务学院").await;
    let college = college_org.id;
    let uri = format!("/api/v1/organizations/{college}/training-invitations");
    let bad = app
        .call(
            "POST",
            &uri,
            Some(&hr),
            Some(json!({"title": " ", "participants_expected": 0, "preferred_period": "x".repeat(101)})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(
        field_rules(&bad),
        pairs(&[
            ("title", "required"),
            ("participants_expected", "participants_range"),
            ("preferred_period", "too_long")
        ])
    );
    let nul = app.call("POST", &uri, Some(&hr), Some(json!({"title": "培训\u{0}", "message": "a\u{7}b"}))).await;
    assert_eq!(
        (nul.status.as_u16(), field_rules(&nul)),
        (422, pairs(&[("title", "control_character"), ("message", "control_character")])),
        "control characters are refused on both engines: {}",
        nul.text
    );
    let made = app
        .call("POST", &uri, Some(&hr), Some(json!({"title": "班组长管理能力培训", "participants_expected": 15})))
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert!(made.json["offering_id"].is_null(), "an invitation names only the college");
    assert_eq!(made.json["kind"], "skills_training");
    let id = made.json["id"].as_i64().expect("id");

    let foreign_enterprise = app.enterprise("另一企业").await;
    let other_enterprise = foreign_enterprise.id;
    let not_college = app
        .call(
            "POST",
            &format!("/api/v1/organizations/{other_enterprise}/training-invitations"),
            Some(&hr),
            Some(json!({"title": "培训"})),
        )
        .await;
    assert_eq!(
        (not_college.status.as_u16(), not_college.json["code"].as_str()),
        (409, Some("invalid_state")),
        "{}",
        not_college.text
    );
    let missing = app
        .call("POST", "/api/v1/organizations/999999/training-invitations", Some(&hr), Some(json!({"title": "培训"})))
        .await;
    assert_eq!(missing.status, 404);
    let government = app.organisation(Kind::Government, "服务政府部门", true).await;
    let student = app.student(&college_org).await;
    let outsiders = [
        college_org.admin.clone(),
        app.member(&enterprise_org, &["enterprise_mentor"]).await,
        student.clone(),
        app.member(&government, &["member"]).await,
    ];
    for who in &outsiders {
        let r = app.call("POST", &uri, who.t(), Some(json!({"title": "培训"}))).await;
        assert_eq!(r.status, 403, "{} cannot invite: {}", who.login, r.text);
    }

    let admin = college_org.admin.token.clone();
    let inbox = app.call("GET", "/api/v1/service-requests?status=requested", Some(&admin), None).await;
    assert!(
        inbox.json["items"].as_array().expect("items").iter().any(|r| r["id"].as_i64() == Some(id)),
        "{}",
        inbox.text
    );
    let view = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&admin), None).await;
    assert_eq!(view.json["actions"], json!(["accept", "decline"]), "{}", view.text);
    let hr_view = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&hr), None).await;
    assert_eq!(hr_view.json["actions"], json!(["cancel"]));
    let alliance = app.alliance_admin().await.token;
    let seen = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&alliance), None).await;
    assert_eq!(
        (seen.status.as_u16(), &seen.json["actions"]),
        (200, &json!([])),
        "alliance administrators see, not act"
    );
    let accepted = step(app, &admin, id, "accept", None).await;
    assert_eq!(accepted.json["status"], "accepted", "{}", accepted.text);
    let foreign_list = app.call("GET", "/api/v1/service-requests", foreign_enterprise.admin.t(), None).await;
    assert_eq!(foreign_list.json["total"], 0, "other enterprises see none of it: {}", foreign_list.text);
    let student_list = app.call("GET", "/api/v1/service-requests", student.t(), None).await;
    assert_eq!(student_list.json["total"], 0, "nor do the college's students");
}
on_both!(invitation, an_enterprise_invites_a_college_which_accepts_and_only_colleges_can_be_invited);

async fn withdrawn_offerings_and_over_capacity_requests_are_refused(app: &TestApp) {
    let enterprise_org = app.enterprise("服务企业").await;
    let hr = enterprise_org.admin.token.clone();
    let college_org = app.college("服务学院").await;
    let admin = college_org.admin.token.clone();
    let body = json!({"college_id": college_org.id, "kind": "management_consulting", "title": "精益生产咨询",
        "description": "现场诊断与改善方案。", "capacity": 2, "price_yuan": "3000", "price_unit": "per_project"});
    let offering = app.ok("POST", "/api/v1/services", &college_org.admin, Some(body), 201).await;
    let id = offering["id"].as_i64().expect("a consulting offering");
    let capacity = offering["capacity"].as_i64().expect("capacity");
    let uri = format!("/api/v1/services/{id}/requests");
    let over = app.call("POST", &uri, Some(&hr), Some(json!({"participants_expected": capacity + 1}))).await;
    assert_eq!(
        (over.status.as_u16(), field_rules(&over)),
        (422, pairs(&[("participants_expected", "capacity_exceeded")]))
    );
    assert!(over.json["message"].as_str().unwrap_or("").contains("容量"), "{}", over.text);
    let outsiders = [
        college_org.admin.clone(),
        app.member(&enterprise_org, &["enterprise_mentor"]).await,
        app.member(&college_org, &["teacher"]).await,
        app.alliance_admin().await,
    ];
    for who in &outsiders {
        let r = app.call("POST", &uri, who.t(), Some(json!({}))).await;
        assert_eq!(r.status, 403, "{} does not request for an enterprise: {}", who.login, r.text);
    }

    let withdrawn =
        app.call("PATCH", &format!("/api/v1/services/{id}"), Some(&admin), Some(json!({"status": "withdrawn"}))).await;
    assert_eq!(
        (withdrawn.status.as_u16(), withdrawn.json["status"].as_str()),
        (200, Some("withdrawn")),
        "{}",
        withdrawn.text
    );
    let refused = app.call("POST", &uri, Some(&hr), Some(json!({"participants_expected": 1}))).await;
    assert_eq!(
        (refused.status.as_u16(), refused.json["code"].as_str()),
        (409, Some("invalid_state")),
        "{}",
        refused.text
    );
    let listed = app.call("GET", "/api/v1/services?kind=management_consulting", Some(&hr), None).await;
    assert_eq!(listed.json["total"], 0, "withdrawn offerings leave the marketplace: {}", listed.text);
    let college = college_org.id;
    let own = format!("/api/v1/services?college={college}&status=withdrawn");
    assert_eq!(app.call("GET", &own, Some(&hr), None).await.status, 403, "only the college lists its withdrawn ones");
    let r = app.call("GET", &own, Some(&admin), None).await;
    assert_eq!(r.json["items"][0]["id"].as_i64(), Some(id), "{}", r.text);
    let back =
        app.call("PATCH", &format!("/api/v1/services/{id}"), Some(&admin), Some(json!({"status": "active"}))).await;
    assert_eq!(back.json["status"], "active");
    assert_eq!(app.call("POST", &uri, Some(&hr), Some(json!({"enterprise_id": enterprise_org.id}))).await.status, 201);
    let not_mine =
        app.call("POST", &uri, Some(&hr), Some(json!({"enterprise_id": app.enterprise("另一企业").await.id}))).await;
    assert_eq!(not_mine.status, 403, "only for an enterprise the caller acts for");
}
on_both!(refusals, withdrawn_offerings_and_over_capacity_requests_are_refused);

async fn offerings_are_published_by_college_staff_with_every_bad_field_named(app: &TestApp) {
    let college_org = app.college("服务学院").await;
    let other_college = app.college("另一学院").await;
    let admin = college_org.admin.token.clone();
    let leader = app.member(&college_org, &["programme_leader"]).await.token;
    let college = college_org.id;
    // Two offerings already in the marketplace, so that a page past the first has two.
    for title in ["数控技能培训", "质量管理咨询"] {
        let body = json!({"college_id": college, "kind": "skills_training", "title": title, "description": "面向企业员工。",
            "capacity": 10, "price_yuan": "100", "price_unit": "per_project"});
        app.ok("POST", "/api/v1/services", &college_org.admin, Some(body), 201).await;
    }
    let bad = json!({"college_id": college, "kind": "cooking", "title": "", "description": " ", "capacity": 0,
        "price_yuan": "12.345", "price_unit": "per_week"});
    let r = app.call("POST", "/api/v1/services", Some(&admin), Some(bad.clone())).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        field_rules(&r),
        pairs(&[
            ("kind", "service_kind_unknown"),
            ("title", "required"),
            ("description", "required"),
            ("capacity", "participants_range"),
            ("price_yuan", "money_too_many_decimals"),
            ("price_unit", "price_unit_unknown"),
        ])
    );
    let en = app
        .send(
            axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/services")
                .header("authorization", format!("Bearer {admin}"))
                .header("content-type", "application/json")
                .header("accept-language", "en")
                .body(axum::body::Body::from(bad.to_string()))
                .expect("request"),
        )
        .await;
    assert!(en.json["fields"][5]["message"].as_str().unwrap_or("").contains("Unknown price unit"), "{}", en.text);
    let before = app.call("GET", &format!("/api/v1/services?college={college}&limit=100"), Some(&admin), None).await;

    let good = json!({"college_id": college, "kind": "investment_decision", "title": "设备投资可行性分析",
        "description": "为中小企业设备更新提供投资回报测算。", "capacity": 3, "price_yuan": "0", "price_unit": "per_project"});
    let outsiders = [
        app.member(&college_org, &["teacher"]).await,
        app.enterprise("服务企业").await.admin,
        other_college.admin.clone(),
        app.alliance_admin().await,
    ];
    for who in &outsiders {
        let r = app.call("POST", "/api/v1/services", who.t(), Some(good.clone())).await;
        assert_eq!(r.status, 403, "{} cannot publish for the college: {}", who.login, r.text);
    }
    let after_refusals =
        app.call("GET", &format!("/api/v1/services?college={college}&limit=100"), Some(&admin), None).await;
    assert_eq!(after_refusals.json["total"], before.json["total"], "refused writes wrote nothing");
    let made = app.call("POST", "/api/v1/services", Some(&leader), Some(good)).await;
    assert_eq!(made.status, 201, "a programme leader publishes: {}", made.text);
    assert_eq!(
        (made.json["price_fen"].as_i64(), made.json["college_name"].as_str()),
        (Some(0), Some(college_org.name.as_str()))
    );
    let id = made.json["id"].as_i64().expect("id");
    let patch = app
        .call("PATCH", &format!("/api/v1/services/{id}"), other_college.admin.t(), Some(json!({"title": "改名"})))
        .await;
    assert_eq!(patch.status, 403, "another college cannot edit it");
    let patch = app
        .call(
            "PATCH",
            &format!("/api/v1/services/{id}"),
            Some(&admin),
            Some(json!({"price_yuan": "1,200.50", "capacity": 4, "status": "paused"})),
        )
        .await;
    assert_eq!(field_rules(&patch), pairs(&[("status", "status_unknown")]), "{}", patch.text);
    let patch = app
        .call(
            "PATCH",
            &format!("/api/v1/services/{id}"),
            Some(&admin),
            Some(json!({"price_yuan": "1,200.50", "capacity": 4})),
        )
        .await;
    assert_eq!(
        (patch.json["price_fen"].as_i64(), patch.json["capacity"].as_i64(), patch.json["title"].as_str()),
        (Some(120_050), Some(4), Some("设备投资可行性分析"))
    );
    let kinds =
        app.call("GET", "/api/v1/services?kind=investment_decision", app.student(&college_org).await.t(), None).await;
    assert_eq!(kinds.json["items"][0]["id"].as_i64(), Some(id), "everyone in the platform sees the marketplace");
    let page = app.call("GET", "/api/v1/services?limit=2&offset=1", Some(&admin), None).await;
    assert_eq!((page.json["items"].as_array().map(Vec::len), page.json["offset"].as_u64()), (Some(2), Some(1)));
    let r = app.call("GET", "/api/v1/services?kind=castle", Some(&admin), None).await;
    assert_eq!(field_rules(&r), pairs(&[("kind", "service_kind_unknown")]));
    let audit = actions_in(app, &admin, college).await;
    assert!(
        audit.contains(&"service_offering.create".into()) && audit.contains(&"service_offering.update".into()),
        "{audit:?}"
    );
}
on_both!(offerings, offerings_are_published_by_college_staff_with_every_bad_field_named);

async fn a_refused_step_changes_nothing(app: &TestApp) {
    let hr = app.enterprise("服务企业").await.admin.token;
    let college_org = app.college("服务学院").await;
    let admin = college_org.admin.token.clone();
    let college = college_org.id;
    let uri = format!("/api/v1/organizations/{college}/training-invitations");
    let id = app.call("POST", &uri, Some(&hr), Some(json!({"title": "质量意识培训"}))).await.json["id"]
        .as_i64()
        .expect("id");
    let read = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&hr), None).await.json;
    let audit_before = actions_in(app, &admin, college).await.len();
    let notes_before = app.call("GET", "/api/v1/me/notifications", Some(&hr), None).await.json["total"].clone();
    for (who, action, body, status) in [
        (&admin, "deliver", Some(json!({"hours": "3", "participants": 5})), 409),
        (
            &admin,
            "schedule",
            Some(json!({"scheduled_start": "2026-03-01 09:00", "scheduled_end": "2026-03-01 12:00"})),
            409,
        ),
        (&hr, "rate", Some(json!({"rating": 5})), 409),
        (&admin, "decline", Some(json!({"reason": "  "})), 422),
        (&hr, "accept", None, 403),
        (&admin, "cancel", Some(json!({"reason": "不想做了"})), 403),
    ] {
        let r = step(app, who, id, action, body).await;
        assert_eq!(r.status.as_u16(), status, "{action}: {}", r.text);
    }
    let after = app.call("GET", &format!("/api/v1/service-requests/{id}"), Some(&hr), None).await.json;
    assert_eq!(after, read, "the request is unchanged");
    assert_eq!(actions_in(app, &admin, college).await.len(), audit_before, "no audit entry");
    assert_eq!(
        app.call("GET", "/api/v1/me/notifications", Some(&hr), None).await.json["total"],
        notes_before,
        "no notification"
    );

    let declined = step(app, &admin, id, "decline", Some(json!({"reason": "本学期师资已排满"}))).await;
    assert_eq!((declined.status.as_u16(), declined.json["decline_reason"].as_str()), (200, Some("本学期师资已排满")));
    assert_eq!(step(app, &hr, id, "cancel", Some(json!({}))).await.status, 409, "a declined request is final");
    let cancelled =
        app.call("POST", &uri, Some(&hr), Some(json!({"title": "取消测试"}))).await.json["id"].as_i64().expect("id");
    let r = step(app, &hr, cancelled, "cancel", Some(json!({"reason": "计划调整"}))).await;
    assert_eq!((r.json["status"].as_str(), r.json["cancel_reason"].as_str()), (Some("cancelled"), Some("计划调整")));
    assert_eq!(
        step(app, &admin, cancelled, "accept", None).await.status,
        409,
        "a cancelled request cannot be accepted"
    );
}
on_both!(refused_steps, a_refused_step_changes_nothing);

async fn the_demo_has_a_rated_request_and_an_open_invitation(app: &TestApp) {
    let hr = app.token("hr@chuangzhi.demo").await;
    let list = app.call("GET", "/api/v1/service-requests", Some(&hr), None).await;
    let statuses: Vec<&str> =
        list.json["items"].as_array().expect("items").iter().filter_map(|r| r["status"].as_str()).collect();
    assert_eq!(statuses, vec!["requested", "rated"], "{}", list.text);
    assert!(list.json["items"][0]["offering_id"].is_null(), "the open one is an invitation");
    let offerings =
        app.call("GET", &format!("/api/v1/services?college={}", app.org_id(COLLEGE).await), Some(&hr), None).await;
    let prices: Vec<i64> =
        offerings.json["items"].as_array().expect("items").iter().filter_map(|o| o["price_fen"].as_i64()).collect();
    assert_eq!(prices.len(), 4, "{}", offerings.text);
    assert_eq!(prices.iter().filter(|p| **p == 0).count(), 1, "one free offering");
}
on_both!(demo: demo_services, the_demo_has_a_rated_request_and_an_open_invitation);

//! End-to-end flows through the API: registration, membership, people, imports.

use serde_json::json;

use crate::on_both;
use xiaoqi_app::directory::OrgInput;

use crate::support::{Db, TestApp, credit_code, urlencode};

async fn a_registered_enterprise_applies_is_approved_and_appears_in_the_directory(app: &TestApp) {
    let admin = app.alliance_admin().await.token;
    let other = app.enterprise("已入盟测试企业").await.admin.token;
    let name = "流程测试智能装备有限公司";
    let body = json!({"organization": {"kind": "enterprise", "name": name, "region_code": "440306", "industry": "industry",
        "employees": 120, "annual_revenue_yuan": "35000000.00", "credit_code": credit_code(42)},
        "admin_name": "王经理", "admin_email": "wang@flow.example", "password": "flow-pass-1"});
    let r = app.call("POST", "/api/v1/registrations", None, Some(body)).await;
    assert_eq!((r.status.as_u16(), r.json["status"].as_str()), (202, Some("received")), "{}", r.text);
    let login = app.token_login("wang@flow.example", "flow-pass-1").await;
    assert_eq!(login.status, 201, "{}", login.text);
    let tok = login.json["token"].as_str().expect("token").to_string();
    let org =
        app.call("GET", "/api/v1/me", Some(&tok), None).await.json["roles"][0]["org_id"].as_i64().expect("org id");
    let me = app.call("GET", &format!("/api/v1/organizations/{org}"), Some(&tok), None).await;
    // 120 staff and 35 M CNY in industry: medium (≥ 300 staff fails) → small (≥ 20 and ≥ 3 M).
    assert_eq!(me.json["size_class"], "small", "{}", me.text);
    assert!(me.json["size_explanation_zh"].as_str().unwrap_or("").contains("工业"), "{}", me.text);

    let q = format!("/api/v1/organizations?q={}", urlencode(name));
    assert_eq!(app.call("GET", &q, Some(&other), None).await.json["total"], 0, "not a member yet");

    let applied = app
        .call(
            "POST",
            &format!("/api/v1/organizations/{org}/membership-applications"),
            Some(&tok),
            Some(json!({"message": "请审核"})),
        )
        .await;
    assert_eq!(applied.status, 201, "{}", applied.text);
    let app_id = applied.json["id"].as_i64().expect("application id");
    let twice = app
        .call("POST", &format!("/api/v1/organizations/{org}/membership-applications"), Some(&tok), Some(json!({})))
        .await;
    assert_eq!(twice.status, 409, "a pending organisation cannot apply again: {}", twice.text);

    let notes = app.call("GET", "/api/v1/me/notifications", Some(&admin), None).await;
    assert!(notes.text.contains(name), "the alliance admin is notified: {}", notes.text);
    let no_reason = app
        .call(
            "POST",
            &format!("/api/v1/membership-applications/{app_id}/decision"),
            Some(&admin),
            Some(json!({"decision": "reject"})),
        )
        .await;
    assert_eq!(no_reason.status, 422);
    assert_eq!(no_reason.json["fields"][0]["field"], "reason");
    let ok = app
        .call(
            "POST",
            &format!("/api/v1/membership-applications/{app_id}/decision"),
            Some(&admin),
            Some(json!({"decision": "approve"})),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json["status"], "approved");
    let again = app
        .call(
            "POST",
            &format!("/api/v1/membership-applications/{app_id}/decision"),
            Some(&admin),
            Some(json!({"decision": "approve"})),
        )
        .await;
    assert_eq!(again.status, 409, "decided once only: {}", again.text);

    let listed = app.call("GET", &q, Some(&other), None).await;
    assert_eq!(listed.json["total"], 1, "{}", listed.text);
    assert_eq!(listed.json["items"][0]["membership"], "member");
    let mine = app.call("GET", "/api/v1/me/notifications", Some(&tok), None).await;
    assert!(mine.text.contains("已通过"), "the applicant is notified: {}", mine.text);

    let audit = app.call("GET", &format!("/api/v1/organizations/{org}/audit"), Some(&tok), None).await;
    let actions: Vec<&str> =
        audit.json["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.contains(&"organization.register")
            && actions.contains(&"membership.apply")
            && actions.contains(&"membership.decide"),
        "{actions:?}"
    );
    let decide = audit.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["action"] == "membership.decide"))
        .expect("decide entry");
    assert_eq!(decide["before"]["status"], "pending");
    assert_eq!(decide["after"]["status"], "approved");
}
on_both!(membership_flow, a_registered_enterprise_applies_is_approved_and_appears_in_the_directory);

async fn directory_filters_by_kind_region_industry_size_and_name(app: &TestApp) {
    let college = app.college("目录测试学院").await;
    let mut english = OrgInput {
        kind: "college".into(),
        name: "英文名测试学院".into(),
        name_en: Some("Pengcheng Directory Polytechnic".into()),
        region_code: Some("440106".into()),
        ..OrgInput::default()
    };
    app.register(english.clone(), true).await;
    english.name = "不在联盟的学院".into();
    english.name_en = None;
    app.register(english, false).await;
    app.enterprise_with("深圳微型软件有限公司", "440305", "software_it_services", 8, "400000").await;
    app.enterprise_with("深圳中型软件有限公司", "440304", "software_it_services", 120, "35000000").await;
    app.enterprise_with("广州制造有限公司", "440106", "industry", 260, "180000000").await;
    let t = app.member(&college, &["teacher"]).await.token;
    let colleges = app.call("GET", "/api/v1/organizations?kind=college", Some(&t), None).await;
    assert_eq!(colleges.json["total"], 2, "members of the alliance only: {}", colleges.text);
    let shenzhen = app.call("GET", "/api/v1/organizations?kind=enterprise&region=4403&limit=100", Some(&t), None).await;
    let names: Vec<&str> =
        shenzhen.json["items"].as_array().expect("items").iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(names.len(), 2, "the region prefix 4403 takes Shenzhen's districts, not Guangzhou's: {names:?}");
    assert!(!names.contains(&"广州制造有限公司"), "{names:?}");
    let sw =
        app.call("GET", "/api/v1/organizations?industry=software_it_services&size_class=micro", Some(&t), None).await;
    let names: Vec<&str> =
        sw.json["items"].as_array().expect("items").iter().filter_map(|o| o["name"].as_str()).collect();
    assert_eq!(names, vec!["深圳微型软件有限公司"], "8 staff and 0.4 M CNY is micro in software");
    let en = app.call("GET", "/api/v1/organizations?q=PENGCHENG", Some(&t), None).await;
    assert_eq!(en.json["items"][0]["name"], "英文名测试学院", "English names match case-insensitively: {}", en.text);
    assert_eq!(en.json["total"], 1, "{}", en.text);
    let page = app.call("GET", "/api/v1/organizations?limit=2&offset=2", Some(&t), None).await;
    assert_eq!(page.json["items"].as_array().map(Vec::len), Some(2), "{}", page.text);
    assert_eq!(page.json["offset"], 2);
}
on_both!(directory_filters, directory_filters_by_kind_region_industry_size_and_name);

async fn an_org_admin_creates_a_member_who_must_change_the_one_time_password(app: &TestApp) {
    let ent = app.enterprise("成员测试企业").await;
    let (hr, e) = (ent.admin.token.clone(), ent.id);
    let r = app
        .add_member(
            &hr,
            e,
            serde_json::json!({"display_name": "新师傅", "mobile": "139 1234 5678", "roles": ["enterprise_mentor"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let pw = r.json["temporary_password"].as_str().expect("one-time password").to_string();
    assert_eq!(r.json["login"], "13912345678");
    // The first login is on the web: a one-time password mints no API token.
    let session = app.app.login("13912345678", &pw, "127.0.0.1", None).await.expect("login with the one-time password");
    assert!(session.principal.account.must_change_password);
    let cookie = format!("xq_session={}", session.secret);
    let with_cookie = |method: &str, uri: &str, body: Option<serde_json::Value>| {
        let mut b = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("cookie", &cookie)
            .header("x-csrf-token", &session.csrf_token);
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        b.body(axum::body::Body::from(body.map(|v| v.to_string()).unwrap_or_default())).expect("request")
    };
    let me = app.send(with_cookie("GET", "/api/v1/me", None)).await;
    assert_eq!(me.json["must_change_password"], true);
    assert_eq!(me.json["mobile"], "139****5678", "mobile numbers are masked");
    let blocked = app.send(with_cookie("GET", "/api/v1/organizations", None)).await;
    assert_eq!(
        (blocked.status.as_u16(), blocked.json["code"].as_str()),
        (403, Some("password_change_required")),
        "nothing else before the one-time password is changed: {}",
        blocked.text
    );
    let changed = app
        .send(with_cookie(
            "POST",
            "/api/v1/me/password",
            Some(json!({"current_password": pw, "new_password": "mentor-pass-9"})),
        ))
        .await;
    assert_eq!(changed.status, 204, "{}", changed.text);
    let login = app.token_login("13912345678", "mentor-pass-9").await;
    assert_eq!(login.status, 201, "{}", login.text);
    let tok = login.json["token"].as_str().expect("token").to_string();
    assert_eq!(app.call("GET", "/api/v1/me", Some(&tok), None).await.json["must_change_password"], false);
    assert_eq!(app.call("GET", "/api/v1/organizations", Some(&tok), None).await.status, 200);

    let dup = app
        .add_member(
            &hr,
            e,
            serde_json::json!({"display_name": "重复", "mobile": "13912345678", "roles": ["technician"]}),
        )
        .await;
    assert_eq!(dup.status, 409);
    assert_eq!(dup.json["fields"][0]["field"], "mobile");
    let wrong_role = app
        .add_member(&hr, e, serde_json::json!({"display_name": "学生", "email": "s@x.cn", "roles": ["student"]}))
        .await;
    assert_eq!(wrong_role.status, 422);
    assert_eq!(wrong_role.json["fields"][0]["rule"], "role_not_allowed_for_kind");
}
on_both!(member_creation, an_org_admin_creates_a_member_who_must_change_the_one_time_password);

async fn the_last_administrator_cannot_be_removed(app: &TestApp) {
    let ent = app.enterprise("唯一管理员测试企业").await;
    let (admin, e) = (ent.admin.token.clone(), ent.id);
    let me = app.call("GET", "/api/v1/me", Some(&admin), None).await;
    let id = me.json["id"].as_i64().expect("id");
    let r = app
        .call("DELETE", &format!("/api/v1/organizations/{e}/members/{id}/roles/org_admin"), Some(&admin), None)
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
}
on_both!(last_admin, the_last_administrator_cannot_be_removed);

async fn an_import_with_bad_rows_reports_every_line_and_writes_nothing(app: &TestApp) {
    let college = app.college("导入测试学院").await;
    let (adm, c) = (college.admin.token.clone(), college.id);
    let before = app.call("GET", &format!("/api/v1/organizations/{c}/members?limit=100"), Some(&adm), None).await.json
        ["total"]
        .clone();
    let csv = "类型,姓名,学号,班级,入学年份,邮箱,手机\n学生,张一,2025001,数控2501班,2025,,13700000001\n学生,,2025002,数控2501班,2025,,13700000002\n学生,张三,2025003,数控2501班,二五,,137\n";
    let r = app.upload(&adm, c, "a.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<&str> =
        r.json["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    assert_eq!(fields, vec!["rows[3].name", "rows[4].entry_year", "rows[4].mobile"]);
    let after =
        app.call("GET", &format!("/api/v1/organizations/{c}/members?limit=100"), Some(&adm), None).await.json["total"]
            .clone();
    assert_eq!(before, after, "nothing was written");

    let (gb, _, _) = encoding_rs::GB18030.encode("类型,姓名,学号,班级,入学年份,邮箱,手机\n学生,张一,2025001,数控2501班,2025,,13700000001\n教师,李四,T9,,,li4@pcvc.example,\n");
    let ok = app.upload(&adm, c, "gb.csv", gb.into_owned()).await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(
        (ok.json["students"].as_u64(), ok.json["teachers"].as_u64(), ok.json["classes_created"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    let again = app
        .upload(
            &adm,
            c,
            "gb.csv",
            encoding_rs::GB18030
                .encode("类型,姓名,学号,班级,入学年份,邮箱,手机\n学生,张一,2025001,,,,13700000001\n")
                .0
                .into_owned(),
        )
        .await;
    assert_eq!(again.status, 422, "existing student number and mobile are refused: {}", again.text);
}
on_both!(people_import, an_import_with_bad_rows_reports_every_line_and_writes_nothing);

async fn an_excel_file_is_imported(app: &TestApp) {
    let college = app.college("表格导入测试学院").await;
    let (adm, c) = (college.admin.token.clone(), college.id);
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/students.xlsx")).expect("fixture");
    let r = app.upload(&adm, c, "students.xlsx", bytes).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json["students"], 2, "{}", r.text);
    let classes = app.call("GET", &format!("/api/v1/organizations/{c}/classes"), Some(&adm), None).await;
    assert!(classes.text.contains("机电2501班"), "{}", classes.text);
}
on_both!(excel_import, an_excel_file_is_imported);

async fn a_workbook_spanning_the_whole_grid_is_refused_and_an_enterprise_cannot_import_at_all(app: &TestApp) {
    // Cells at A1 and XFD1048576: read as a dense range, this file once aborted the process.
    let bomb = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/range-bomb.xlsx")).expect("fixture");
    let enterprise = app.enterprise("不能导入的企业").await;
    let r = app.upload(&enterprise.admin.token, enterprise.id, "bomb.xlsx", bomb.clone()).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (409, Some("invalid_state")), "{}", r.text);

    let college = app.college("超大表格测试学院").await;
    let r = app.upload(&college.admin.token, college.id, "bomb.xlsx", bomb).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json["fields"][0]["rule"], "xlsx_range_too_large", "{}", r.text);
    let health = app.call("GET", "/healthz", None, None).await;
    assert_eq!(health.status, 200, "the server still answers");
}
on_both!(range_bomb_import, a_workbook_spanning_the_whole_grid_is_refused_and_an_enterprise_cannot_import_at_all);

async fn reference_data_is_browsable_and_searchable(app: &TestApp) {
    let college = app.college("参考数据测试学院").await;
    let t = app.student(&college).await.token;
    let roots = app.call("GET", "/api/v1/occupations", Some(&t), None).await;
    assert_eq!(roots.json.as_array().map(Vec::len), Some(8), "eight major groups");
    let weld = app.call("GET", &format!("/api/v1/occupations/search?q={}", urlencode("焊工")), Some(&t), None).await;
    assert!(weld.json["total"].as_u64().unwrap_or(0) >= 1, "{}", weld.text);
    let bad = app.call("GET", "/api/v1/occupations/2-02", Some(&t), None).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json["fields"][0]["rule"], "occupation_code_format");
    let missing = app.call("GET", "/api/v1/occupations/9-99-99-99", Some(&t), None).await;
    assert_eq!(missing.status, 404);
    let gd = app.call("GET", "/api/v1/regions?parent=440000", Some(&t), None).await;
    assert!(gd.text.contains("深圳市"), "{}", gd.text);
    let py = app.call("GET", "/api/v1/regions/search?q=nanshan", Some(&t), None).await;
    assert!(py.text.contains("440305"), "{}", py.text);
}
on_both!(reference_data, reference_data_is_browsable_and_searchable);

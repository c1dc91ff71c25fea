//! The order class pages: they render for the parties (HR, the programme leader, a student) in
//! both languages, hide a class from outsiders, print the agreement on A4 with both parties and
//! signatures, name the broken rule on the terms form and take a student's application.

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login};

async fn class_with_status(app: &TestApp, status: &str) -> i64 {
    let hr = app.token("admin@alliance.demo").await;
    let r = app.call("GET", &format!("/api/v1/order-classes?status={status}"), Some(&hr), None).await;
    r.json["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("a demo class {status}: {}", r.text))
}

async fn order_class_pages_render_for_the_parties_and_hide_from_outsiders(app: &TestApp) {
    let training = class_with_status(app, "in_training").await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let leader = page_login(app, "leader@pcvc.demo").await;
    let student = page_login(app, "student@pcvc.demo").await;
    let outsider = page_login(app, "admin@ent02.demo").await;
    for (who, uri) in [
        (&hr, "/order-classes".to_string()),
        (&leader, "/order-classes".to_string()),
        (&student, "/order-classes".to_string()),
        (&hr, "/order-classes/new".to_string()),
        (&hr, format!("/order-classes/{training}")),
        (&leader, format!("/order-classes/{training}")),
        (&student, format!("/order-classes/{training}")),
        (&hr, format!("/order-classes/{training}/agreement")),
    ] {
        for lang in ["", "; xq_lang=en"] {
            let r = page(app, &uri, &format!("{who}{lang}")).await;
            assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
        }
    }
    let list = page(app, "/order-classes", &student).await;
    assert!(list.text.contains(&format!("/order-classes/{training}")), "the student's college's class is listed");
    assert!(list.text.contains("href=\"/order-classes\""), "the nav has an entry for students");
    let hr_page = page(app, &format!("/order-classes/{training}"), &hr).await;
    assert!(hr_page.text.contains("id=\"disburse-form\""), "the sponsor records payments");
    assert!(hr_page.text.contains("id=\"propose-amendment\""), "a signed agreement is amended, not edited");
    assert!(!hr_page.text.contains("id=\"edit-terms\""));
    assert!(
        hr_page.text.contains("转化率 = 接受冠名企业录用的学生数 ÷ 双方录取入班的学生数"),
        "the definition is stated"
    );
    let leader_page = page(app, &format!("/order-classes/{training}"), &leader).await;
    assert!(!leader_page.text.contains("id=\"disburse-form\""), "the college does not pay scholarships");
    assert!(leader_page.text.contains("id=\"advance-start_assessment\""), "the college starts the assessment");

    for uri in [format!("/order-classes/{training}"), format!("/order-classes/{training}/agreement")] {
        assert_eq!(page(app, &uri, &outsider).await.status, 404, "{uri} is hidden from another enterprise");
    }
    let listed = page(app, "/order-classes", &outsider).await;
    assert!(!listed.text.contains(&format!("/order-classes/{training}\"")), "and not listed");
}
on_both!(demo: order_class_pages, order_class_pages_render_for_the_parties_and_hide_from_outsiders);

async fn the_agreement_prints_on_a4_with_both_parties_every_term_and_the_signatures(app: &TestApp) {
    let training = class_with_status(app, "in_training").await;
    // In English the agreement stays Chinese: it is the contract's language.
    let leader = page_login(app, "leader@pcvc.demo").await;
    let r = page(app, &format!("/order-classes/{training}/agreement"), &format!("{leader}; xq_lang=en")).await;
    for expected in [
        "@page { size: A4",
        "订单班（冠名班）校企合作协议",
        "甲方（企业）",
        "深圳创智精密机械有限公司",
        "鹏城职业技术学院",
        "创智精密数控订单班（2025级）",
        "企业奖学金",
        "¥5,000.00",
        "¥2,000.00",
        "数控车床实操",
        "暑期实践",
        "¥5,500.00",
        "周经理（人事）",
        "刘专业主任",
        "专业负责人",
    ] {
        assert!(r.text.contains(expected), "the agreement shows {expected}");
    }
}
on_both!(demo: order_class_agreement, the_agreement_prints_on_a4_with_both_parties_every_term_and_the_signatures);

async fn the_terms_form_names_the_rule_and_a_student_applies_on_a_phone(app: &TestApp) {
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let new = page(app, "/order-classes/new", &hr).await;
    let csrf = csrf_in(&new.text);
    let college = app.org_id("鹏城职业技术学院").await.to_string();
    let enterprise = app.org_id("深圳创智精密机械有限公司").await.to_string();
    assert!(new.text.contains(&format!("<option value=\"{college}\">鹏城职业技术学院</option>")), "colleges to pick");
    assert!(new.text.contains(&format!("<option value=\"{enterprise}\" selected>")), "HR's own enterprise preselected");
    let majors = crate::order_classes::college_majors(app).await;
    let fragment = page(app, &format!("/order-classes/majors?college_id={college}"), &hr).await;
    for m in &majors {
        assert!(fragment.text.contains(&format!("name=\"major_{m}\"")), "the college's majors as checkboxes");
    }
    let ticks: Vec<(String, String)> = majors.iter().map(|m| (format!("major_{m}"), "on".to_string())).collect();
    let fields = |enterprise_weight: &'static str| {
        let mut f = vec![
            ("_csrf".to_string(), csrf.clone()),
            ("college_id".to_string(), college.clone()),
            ("class_name".to_string(), "表单订单班".to_string()),
            ("quota".to_string(), "10".to_string()),
            ("scholarships".to_string(), "表单奖学金 | 3000 | 2 | 前两名".to_string()),
            ("posts".to_string(), "数控车工 | 6-18-02-04".to_string()),
            ("pay_floor_yuan".to_string(), "5000".to_string()),
            ("service_years".to_string(), "2".to_string()),
            (
                "courses".to_string(),
                "机械制图 | college | theory | 64\n车床实操 | enterprise | practice | 120".to_string(),
            ),
            ("college_weight".to_string(), "60".to_string()),
            ("enterprise_weight".to_string(), enterprise_weight.to_string()),
        ];
        f.extend(ticks.iter().cloned());
        f
    };
    let with_enterprise = |mut f: Vec<(String, String)>| {
        f.push(("enterprise_id".to_string(), enterprise.clone()));
        f
    };
    let bad = with_enterprise(fields("41"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = form(app, "/order-classes/new", &hr, &bad).await;
    assert_eq!(r.status, 200, "the form comes back");
    assert!(
        r.text.contains("考核权重之和须恰为 100%") && r.text.contains("表单订单班"),
        "the rule in words and input kept"
    );
    assert!(r.text.contains(&format!("name=\"major_{}\" checked", majors[0])), "the ticked majors stay ticked");
    let good = with_enterprise(fields("40"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = form(app, "/order-classes/new", &hr, &good).await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(400).collect::<String>());

    let recruiting = class_with_status(app, "recruiting").await;
    let student = page_login(app, "student@pcvc.demo").await;
    let class_page = page(app, &format!("/order-classes/{recruiting}"), &student).await;
    assert!(class_page.text.contains("id=\"apply-form\""), "the student sees the application form");
    assert!(class_page.text.contains("width=device-width"), "laid out for a phone");
    let csrf = csrf_in(&class_page.text);
    let without = form(app, &format!("/order-classes/{recruiting}/act/apply"), &student, &[("_csrf", &csrf)]).await;
    assert!(without.text.contains("报名须同意向"), "applying needs the consent: {}", without.text);
    let uri = format!("/order-classes/{recruiting}/act/apply");
    let r = form(app, &uri, &student, &[("_csrf", &csrf), ("consent", "yes")]).await;
    assert_eq!(r.status, 303);
    let after = page(app, &format!("/order-classes/{recruiting}"), &student).await;
    assert!(after.text.contains("李同学") && !after.text.contains("id=\"apply-form\""), "applied once");
}
on_both!(demo: order_class_forms, the_terms_form_names_the_rule_and_a_student_applies_on_a_phone);

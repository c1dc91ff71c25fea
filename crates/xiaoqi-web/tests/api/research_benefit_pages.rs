//! The pages of research cooperation, part 2: they render for their users in both languages and
//! are hidden from outsiders; the demo project's agreement is in force, its licence income is
//! shown with lines that add up and each party's statement shows its exact share; bad terms are
//! refused on the form with nothing written; a programme is published, applied to and awarded on
//! the pages; the measures page states its formulas.

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login};

async fn demo_project(app: &TestApp) -> i64 {
    let hr = app.token("hr@chuangzhi.demo").await;
    let enterprise = app.org_id("深圳创智精密机械有限公司").await;
    let projects = app.call("GET", &format!("/api/v1/projects?org={enterprise}"), Some(&hr), None).await;
    projects.json["items"][0]["id"].as_i64().expect("the demo project")
}

fn alert(html: &str) -> String {
    html.split("role=\"alert\"").nth(1).and_then(|s| s.split("</div>").next()).unwrap_or("").to_string()
}

async fn agreement_results_and_statements_pages_show_the_demo_ledger_exactly(app: &TestApp) {
    let project = demo_project(app).await;
    let leader = page_login(app, "leader@pcvc.demo").await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let foreign = page_login(app, "admin@ent02.demo").await;
    for uri in [
        format!("/projects/{project}/agreement"),
        format!("/projects/{project}/results"),
        format!("/projects/{project}/statements"),
        "/programmes".to_string(),
        "/research/measures".to_string(),
    ] {
        for lang in ["", "; xq_lang=en"] {
            for who in [&leader, &hr] {
                let r = page(app, &uri, &format!("{who}{lang}")).await;
                assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
            }
        }
    }
    for uri in ["agreement", "results", "statements"] {
        assert_eq!(page(app, &format!("/projects/{project}/{uri}"), &foreign).await.status, 404, "{uri}");
    }

    // The demo agreement is in force, signed by both.
    let a = page(app, &format!("/projects/{project}/agreement"), &hr).await;
    assert!(a.text.contains("id=\"agreement-in-force\"") && a.text.contains("40.00 %"), "in force, 40 % revenue");

    // The demo licence of 80,000.33 yuan at 40/60, half the college's part to the inventors:
    // 32,000.13 to the enterprise, 48,000.20 to the college side (the odd fen to the larger
    // remainder), split 24,000.10 / 24,000.10, the pool 14,400.06 to 王老师 and 9,600.04 to 李工.
    let r = page(app, &format!("/projects/{project}/results"), &leader).await;
    for amount in ["80,000.33", "32,000.13", "24,000.10", "14,400.06", "9,600.04"] {
        assert!(r.text.contains(amount), "{amount} on the results page");
    }
    assert!(r.text.contains("各项之和等于该笔收入"), "the lines add up");
    let e = page(app, &format!("/projects/{project}/results"), &hr).await;
    assert!(e.text.contains("32,000.13"), "the enterprise sees its own share");
    assert!(!e.text.contains("14,400.06") && !e.text.contains("9,600.04"), "but no inventor's personal amount");
    let s = page(app, &format!("/projects/{project}/statements"), &hr).await;
    let totals: Vec<&str> = s.text.split("statement-total\">").skip(1).filter_map(|t| t.split('<').next()).collect();
    assert_eq!(totals, vec!["¥32,000.13"], "the enterprise sees its own statement");
    let s = page(app, &format!("/projects/{project}/statements"), &leader).await;
    let totals: Vec<&str> = s.text.split("statement-total\">").skip(1).filter_map(|t| t.split('<').next()).collect();
    assert_eq!(totals, vec!["¥24,000.10", "¥14,400.06", "¥9,600.04"], "the college and its inventors");

    // An amendment whose shares do not add up is refused on the form; nothing is written.
    let a = page(app, &format!("/projects/{project}/agreement"), &leader).await;
    let csrf = csrf_in(&a.text);
    let fields = [
        ("_csrf", csrf.as_str()),
        ("e_cost", "50"),
        ("e_revenue", "50"),
        ("c_cost", "50"),
        ("c_revenue", "50.01"),
        ("ip_ownership", "joint"),
        ("ip_note", ""),
        ("inventors_share", "50"),
        ("inventors", "王老师 | 60\n李工 | 40"),
    ];
    let r = form(app, &format!("/projects/{project}/agreement"), &leader, &fields).await;
    assert_eq!(r.status, 200, "the form again");
    assert!(alert(&r.text).contains("100.01"), "names the sum: {}", alert(&r.text));
    let after = page(app, &format!("/projects/{project}/agreement"), &leader).await;
    assert!(!after.text.contains("id=\"agreement-pending\""), "nothing written");
}
on_both!(demo: benefit_pages, agreement_results_and_statements_pages_show_the_demo_ledger_exactly);

/// An income the enterprise records on the page waits for the college, which confirms it (or
/// disputes it, with a reason) on the same page; until then no statement counts it.
async fn the_college_confirms_an_income_the_enterprise_recorded_on_the_results_page(app: &TestApp) {
    let project = demo_project(app).await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let leader = page_login(app, "leader@pcvc.demo").await;
    let uri = format!("/projects/{project}/results");
    let before = page(app, &uri, &hr).await;
    assert!(before.text.contains("data-status=\"confirmed\""), "the demo income was confirmed");
    let result =
        before.text.split("data-result=\"").nth(1).and_then(|s| s.split('"').next()).expect("a result").to_string();
    let fields = [
        ("_csrf", csrf_in(&before.text)),
        ("result_id", result),
        ("kind", "sale".to_string()),
        ("counterparty", "页面买方".to_string()),
        ("date", "2026-01-05".to_string()),
        ("income", "100".to_string()),
        ("note", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = form(app, &format!("/projects/{project}/conversions"), &hr, &fields).await;
    assert_eq!(r.status, 303, "{}", alert(&r.text));
    let mine = page(app, &uri, &hr).await.text;
    assert!(mine.contains("data-status=\"pending\"") && !mine.contains("id=\"decide-"), "the recorder waits");
    let theirs = page(app, &uri, &leader).await.text;
    let id = theirs
        .split("id=\"decide-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the college answers it")
        .to_string();
    let statement = |html: &str| html.matches("statement-total").count();
    let totals_before = page(app, &format!("/projects/{project}/statements"), &leader).await.text;
    let csrf = csrf_in(&theirs);
    let decide = format!("/conversions/{id}/decision");
    let no_reason = form(
        app,
        &decide,
        &leader,
        &[("_csrf", &csrf), ("project", &project.to_string()), ("decision", "dispute"), ("reason", "")],
    )
    .await;
    assert!(no_reason.status == 200 && alert(&no_reason.text).contains("理由"), "a dispute needs a reason");
    let ok = form(
        app,
        &decide,
        &leader,
        &[("_csrf", &csrf), ("project", &project.to_string()), ("decision", "confirm"), ("reason", "")],
    )
    .await;
    assert_eq!(ok.status, 303, "{}", alert(&ok.text));
    let after = page(app, &uri, &leader).await.text;
    assert!(!after.contains("data-status=\"pending\""), "confirmed now");
    let totals_after = page(app, &format!("/projects/{project}/statements"), &leader).await.text;
    assert_eq!(statement(&totals_before), statement(&totals_after), "the same parties");
    assert_ne!(totals_before, totals_after, "and the confirmed income is in their statements");
}
on_both!(demo: benefit_decision_page, the_college_confirms_an_income_the_enterprise_recorded_on_the_results_page);

async fn a_programme_is_published_applied_to_and_awarded_on_the_pages(app: &TestApp) {
    let project = demo_project(app).await;
    let gov = page_login(app, "member@gov.demo").await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let agency = app.org_id("深圳市南山区工业和信息化局").await.to_string();
    let p = page(app, "/programmes", &gov).await;
    assert!(p.text.contains("id=\"programme-form\""), "the agency may publish");
    assert!(!page(app, "/programmes", &hr).await.text.contains("id=\"programme-form\""), "an enterprise may not");
    let csrf = csrf_in(&p.text);
    let mut fields = vec![
        ("_csrf", csrf.as_str()),
        ("agency_id", agency.as_str()),
        ("name", "页面资助计划"),
        ("description", "页面测试"),
        ("size_small", "1"),
        ("matching_ratio", "1000.5"),
        ("ceiling", "100000"),
        ("deadline", "2099-12-31"),
    ];
    let r = form(app, "/programmes", &gov, &fields).await;
    assert!(alert(&r.text).contains("share_format") || alert(&r.text).contains("1000"), "{}", alert(&r.text));
    fields[5] = ("matching_ratio", "50");
    let r = form(app, "/programmes", &gov, &fields).await;
    assert_eq!(r.status, 303, "published: {}", r.text.chars().take(200).collect::<String>());
    let to = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let g = page(app, &to, &hr).await;
    assert!(g.text.contains("id=\"apply-form\""), "the enterprise applies with its project");
    let csrf = csrf_in(&g.text);
    let project = project.to_string();
    let r = form(
        app,
        &format!("{to}/applications"),
        &hr,
        &[("_csrf", &csrf), ("project_id", &project), ("requested", "60000")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", alert(&r.text));
    let g = page(app, &to, &gov).await;
    let application =
        g.text.split("/programme-applications/").nth(1).and_then(|s| s.split('/').next()).unwrap_or("0").to_string();
    let programme_id = to.trim_start_matches("/programmes/").to_string();
    let csrf = csrf_in(&g.text);
    let r = form(
        app,
        &format!("/programme-applications/{application}/award"),
        &gov,
        &[("_csrf", &csrf), ("programme_id", &programme_id), ("amount", "50000")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", alert(&r.text));
    let j = page(app, &format!("/projects/{project}"), &hr).await;
    assert!(j.text.contains("页面资助计划") && j.text.contains("50,000.00"), "the award is a budget line");
    let m = page(app, "/research/measures", &hr).await;
    assert!(m.text.contains("成果转化率 = 至少有一次转化事件的成果数 ÷ 登记的成果数"), "the formula is stated");
    assert!(m.text.contains("广东省") && m.text.contains("深圳市"), "regions by province and city name");
    let m = page(app, "/research/measures", &format!("{hr}; xq_lang=en")).await;
    assert!(m.text.contains("results with at least one conversion event ÷ results registered"), "in English too");
}
on_both!(demo: programme_pages, a_programme_is_published_applied_to_and_awarded_on_the_pages);

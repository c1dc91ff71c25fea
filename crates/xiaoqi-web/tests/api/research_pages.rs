//! The 产学研 pages: they render for their users in both languages, hide a problem's details
//! from teams not admitted, show the demo project's budget with what remains, refuse an
//! expenditure past its line on the form without writing it, and walk a team from admission to
//! a proposal the enterprise selects.

use crate::on_both;
use crate::support::{Db, TestApp, csrf_in, form, page, page_login};

/// The demo problems (admitted one first) and the demo project.
async fn demo_ids(app: &TestApp) -> (i64, i64, i64) {
    let hr = app.token("hr@chuangzhi.demo").await;
    let enterprise = app.org_id("深圳创智精密机械有限公司").await;
    let problems = app.call("GET", &format!("/api/v1/problems?org={enterprise}"), Some(&hr), None).await;
    let id_of = |title: &str| {
        problems.json["items"]
            .as_array()
            .and_then(|a| a.iter().find(|p| p["title"] == title))
            .and_then(|p| p["id"].as_i64())
            .unwrap_or_else(|| panic!("demo problem {title}: {}", problems.text))
    };
    let projects = app.call("GET", &format!("/api/v1/projects?org={enterprise}"), Some(&hr), None).await;
    let project = projects.json["items"][0]["id"].as_i64().expect("the demo project");
    (id_of("主轴箱铸件精加工振纹抑制"), id_of("自动化产线焊接变形控制"), project)
}

async fn research_pages_render_and_keep_details_confidential(app: &TestApp) {
    let (admitted, _, project) = demo_ids(app).await;
    let leader = page_login(app, "leader@pcvc.demo").await;
    let hr = page_login(app, "hr@chuangzhi.demo").await;
    let foreign = page_login(app, "admin@ent02.demo").await;
    let tok = app.token("leader@pcvc.demo").await;
    let team =
        app.call("GET", "/api/v1/teams", Some(&tok), None).await.json["items"][0]["id"].as_i64().expect("a demo team");
    for (who, uri) in [
        (&foreign, format!("/teams/{team}")),
        (&leader, format!("/teams/{team}/edit")),
        (&leader, "/research".to_string()),
        (&hr, "/research".to_string()),
        (&leader, "/teams/new".to_string()),
        (&hr, "/problems/new".to_string()),
        (&leader, format!("/problems/{admitted}")),
        (&hr, format!("/problems/{admitted}")),
        (&foreign, format!("/problems/{admitted}")),
        (&leader, format!("/projects/{project}")),
        (&hr, format!("/projects/{project}")),
    ] {
        for lang in ["", "; xq_lang=en"] {
            let r = page(app, &uri, &format!("{who}{lang}")).await;
            assert_eq!(r.status, 200, "{uri}{lang}: {}", r.text.chars().take(300).collect::<String>());
        }
    }
    assert!(
        page(app, &format!("/teams/{team}"), &leader).await.text.contains("id=\"edit-team\""),
        "its college edits it"
    );
    assert!(!page(app, &format!("/teams/{team}"), &foreign).await.text.contains("id=\"edit-team\""), "others do not");
    assert_eq!(page(app, &format!("/teams/{team}/edit"), &foreign).await.status, 403, "nor open its form");
    let hub = page(app, "/research", &leader).await;
    assert!(hub.text.contains("产学研") && hub.text.contains("精密制造技术研发服务中心"), "nav and the demo team");
    let secret = "HT300";
    assert!(page(app, &format!("/problems/{admitted}"), &leader).await.text.contains(secret), "admitted team reads it");
    let outsider = page(app, &format!("/problems/{admitted}"), &foreign).await;
    assert!(!outsider.text.contains(secret) && outsider.text.contains("id=\"details-hidden\""), "others do not");
    let status = |html: &str| {
        html.split("id=\"problem-status\"")
            .nth(1)
            .and_then(|s| s.split('>').nth(1))
            .and_then(|s| s.split('<').next())
            .map(str::to_string)
    };
    let zh = status(&outsider.text).expect("a status");
    assert!(
        !zh.is_empty() && zh.chars().all(|c| !c.is_ascii_alphabetic()),
        "the status in Chinese, not its code: {zh}"
    );
    let en = page(app, &format!("/problems/{admitted}"), &format!("{foreign}; xq_lang=en")).await;
    assert!(status(&en.text).is_some_and(|s| s.chars().next().is_some_and(char::is_uppercase)), "and in English words");
    assert_eq!(page(app, &format!("/projects/{project}"), &foreign).await.status, 404);

    // The college page lists its teams.
    let college = app.org_id("鹏城职业技术学院").await;
    let org = page(app, &format!("/orgs/{college}"), &foreign).await;
    assert!(
        org.text.contains("id=\"org-teams\"") && org.text.contains("智能焊接青年教师工作室"),
        "teams on the org page"
    );

    // The project: spent and remaining per line; an expenditure past its line is refused on the
    // form with the remaining amount, and nothing is written.
    let p = page(app, &format!("/projects/{project}"), &leader).await;
    assert!(p.text.contains("12,500.50") && p.text.contains("137,499.50"), "spent and remaining of the demo line");
    let line = p.text.split("data-line=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("0").to_string();
    let csrf = csrf_in(&p.text);
    let r = form(
        app,
        &format!("/projects/{project}/expenditures"),
        &leader,
        &[
            ("_csrf", &csrf),
            ("line_id", &line),
            ("amount", "137499.51"),
            ("spent_on", "2026-01-05"),
            ("purpose", "超支"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "the form again: {}", r.text.chars().take(200).collect::<String>());
    let alert = r.text.split("role=\"alert\"").nth(1).and_then(|s| s.split("</div>").next()).unwrap_or("");
    assert!(
        alert.contains("¥137,499.50") && alert.contains("超过该预算科目的剩余额度"),
        "named with what remains: {alert}"
    );
    assert!(!page(app, &format!("/projects/{project}"), &leader).await.text.contains("超支"), "nothing written");

    // Risks by either party; status steps by the enterprise only.
    let r = form(
        app,
        &format!("/projects/{project}/update/risks"),
        &leader,
        &[("_csrf", &csrf), ("risks", "供应商延期\n设备故障")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(200).collect::<String>());
    let hr_view = page(app, &format!("/projects/{project}"), &hr).await;
    assert!(
        hr_view.text.contains("供应商延期；设备故障") && hr_view.text.contains("id=\"action-suspend\""),
        "risks and steps"
    );
    assert!(!page(app, &format!("/projects/{project}"), &leader).await.text.contains("id=\"action-suspend\""));
    let r =
        form(app, &format!("/projects/{project}/update/status"), &leader, &[("_csrf", &csrf), ("action", "suspend")])
            .await;
    assert_eq!(r.status, 403, "the team does not suspend the project");
    assert!(page(app, &format!("/problems/{admitted}"), &hr).await.text.contains("id=\"close-problem\""));
    assert!(!page(app, &format!("/problems/{admitted}"), &leader).await.text.contains("id=\"close-problem\""));
}
on_both!(demo: research_pages, research_pages_render_and_keep_details_confidential);

async fn a_team_asks_accepts_is_admitted_proposes_and_is_selected_on_the_pages(app: &TestApp) {
    let leader = page_login(app, "leader@pcvc.demo").await;
    let hr_admin = page_login(app, "admin@ent02.demo").await;
    let tools = app.org_id("鹏城数控刀具有限公司").await;
    let tok = app.token("admin@ent02.demo").await;
    let problems = app.call("GET", &format!("/api/v1/problems?org={tools}"), Some(&tok), None).await;
    let problem = problems.json["items"][0]["id"].as_i64().expect("the tools company's demo problem");
    let uri = format!("/problems/{problem}");
    let csrf = csrf_in(&page(app, &uri, &leader).await.text);
    let teams = app.call("GET", "/api/v1/teams?limit=100", Some(&tok), None).await;
    let team = teams.json["items"]
        .as_array()
        .and_then(|a| a.iter().find(|t| t["name"] == "精密制造技术研发服务中心"))
        .and_then(|t| t["id"].as_i64())
        .expect("the demo R&D centre");
    let go = |who: &str, path: String, fields: Vec<(&'static str, String)>| {
        let who = who.to_string();
        let csrf = csrf.clone();
        async move {
            let mut all: Vec<(&str, String)> = vec![("_csrf", csrf)];
            all.extend(fields);
            let refs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(app, &path, &who, &refs).await
        }
    };
    let r = go(&leader, format!("{uri}/admissions"), vec![("team_id", team.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let r = go(&leader, format!("{uri}/admissions/{team}/accept-terms"), vec![]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let hr_csrf = csrf_in(&page(app, &uri, &hr_admin).await.text);
    let refs = [("_csrf", hr_csrf.as_str())];
    assert_eq!(form(app, &format!("{uri}/admissions/{team}/admit"), &hr_admin, &refs).await.status, 303);
    let seen = page(app, &uri, &leader).await;
    assert!(
        seen.text.contains("id=\"details-text\"") && seen.text.contains("id=\"proposal-form\""),
        "admitted: details and the form"
    );
    let r = go(
        &leader,
        format!("{uri}/proposals"),
        vec![
            ("team_id", team.to_string()),
            ("approach", "钝化参数正交试验".into()),
            ("budget", "60,000".into()),
            ("members", "刘专业主任, 王老师".into()),
            ("milestones", "正交试验 | 试验报告 | 2099-03-01\n工艺固化 | 作业指导书 | 2099-06-01".into()),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(400).collect::<String>());
    let hr_view = page(app, &uri, &hr_admin).await;
    let proposal =
        hr_view.text.split("id=\"select-").nth(1).and_then(|s| s.split('"').next()).unwrap_or("0").to_string();
    let r = form(app, &format!("/proposals/{proposal}/select"), &hr_admin, &refs).await;
    assert_eq!(r.status, 303, "{}", r.text.chars().take(300).collect::<String>());
    let to = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(to.starts_with("/projects/"), "to the new project: {to}");
    let project = page(app, &to, &leader).await;
    assert!(project.text.contains("正交试验") && project.text.contains("60,000.00"), "milestones and the budget line");
}
on_both!(demo: research_page_walk, a_team_asks_accepts_is_admitted_proposes_and_is_selected_on_the_pages);

//! Industry–university–research cooperation through the API: teams, a problem whose details
//! only admitted teams read, admission (request → terms accepted → admitted), proposals, the
//! selection that creates the project, milestones, budget lines and expenditures that never
//! pass their line; each bad input refused with a bilingual message and nothing written.

use serde_json::{Value, json};
use xiaoqi_domain::money::Fen;

use crate::on_both;
use crate::practice::field_rules as rules;
use crate::support::{Db, Resp, TestApp, urlencode};

const COLLEGE: &str = "鹏城职业技术学院";
const ENTERPRISE: &str = "深圳创智精密机械有限公司";

fn pair(field: &str, rule: &str) -> (String, String) {
    (field.to_string(), rule.to_string())
}

/// A team body of the college.
pub fn team_body(college: i64, name: &str, kind: &str, skills: &[&str]) -> Value {
    json!({"college_id": college, "name": name, "kind": kind, "description": "面向精密制造企业的工艺改进与检测服务",
        "skills": skills, "occupations": ["6-18-02-04"],
        "equipment": [{"name": "五轴加工中心", "availability": "工作日 9:00–17:00，提前一周预约"}],
        "members": [{"external_name": "李工", "role": "technician"}]})
}

/// A problem body of the enterprise that passes every rule.
pub fn problem_body(enterprise: i64, title: &str) -> Value {
    json!({"enterprise_id": enterprise, "title": title, "summary": "铝合金薄壁件数控车削后变形超差",
        "details": "机密配方：7075-T6 材料，壁厚 0.8mm，客户为某航天院所", "field": "精密加工",
        "skills": ["数控车削"], "occupations": ["6-18-02-04"], "budget_min": "50,000", "budget_max": "200000.00",
        "deadline": "2099-06-30", "deliverable": "工艺方案与试切报告", "trl": 4, "terms": "未经许可不得向第三方披露任何技术资料"})
}

/// A proposal body of a team.
pub fn proposal_body(team: i64, budget: &str) -> Value {
    json!({"team_id": team, "approach": "有限元仿真结合专用夹具", "budget": budget, "members": ["王老师", "李工"],
        "milestones": [{"title": "仿真分析", "deliverable": "仿真报告", "due_date": "2099-01-31"},
                       {"title": "试切验证", "deliverable": "试切报告", "due_date": "2099-05-31"}]})
}

/// A call asking for English messages.
pub async fn in_english(app: &TestApp, method: &str, uri: &str, token: &str, body: Option<Value>) -> Resp {
    let b = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("accept-language", "en");
    let body = body.map_or_else(axum::body::Body::empty, |v| axum::body::Body::from(v.to_string()));
    app.send(b.body(body).expect("request")).await
}

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Resp {
    app.call("POST", uri, Some(token), Some(body)).await
}

async fn created_id(r: Resp) -> i64 {
    assert_eq!(r.status, 201, "{}", r.text);
    r.json["id"].as_i64().expect("id")
}

/// Creates a team through the API and returns its id.
async fn new_team(app: &TestApp, token: &str, college: i64, name: &str, kind: &str, skills: &[&str]) -> i64 {
    created_id(post(app, token, "/api/v1/teams", team_body(college, name, kind, skills)).await).await
}

async fn search_kinds(app: &TestApp, token: &str, q: &str) -> Vec<(String, i64)> {
    let r = app.call("GET", &format!("/api/v1/search?q={}", urlencode(q)), Some(token), None).await;
    r.json["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| (h["kind"].as_str().unwrap_or("").to_string(), h["ref_id"].as_i64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default()
}

/// Records for the authorisation matrix: a team T of the college, admitted to the open problem
/// P1 of the enterprise with a submitted proposal R1; an open problem P3; a project J (from a
/// second problem) with its first milestone and budget line.
pub struct ResearchIds {
    pub team: i64,
    pub problem: i64,
    pub open_problem: i64,
    pub proposal: i64,
    pub project: i64,
    pub milestone: i64,
    pub line: i64,
}

async fn admitted_problem(
    app: &TestApp,
    leader: &str,
    hr: &str,
    enterprise: i64,
    team: i64,
    title: &str,
) -> (i64, i64) {
    let problem = created_id(post(app, hr, "/api/v1/problems", problem_body(enterprise, title)).await).await;
    let base = format!("/api/v1/problems/{problem}/admissions");
    assert_eq!(post(app, leader, &base, json!({"team_id": team})).await.status, 201);
    assert_eq!(post(app, leader, &format!("{base}/{team}/accept-terms"), json!({})).await.status, 200);
    assert_eq!(post(app, hr, &format!("{base}/{team}/admit"), json!({})).await.status, 200);
    let proposal = created_id(
        post(app, leader, &format!("/api/v1/problems/{problem}/proposals"), proposal_body(team, "80000")).await,
    )
    .await;
    (problem, proposal)
}

/// Creates the matrix's records through the API.
pub async fn matrix_records(app: &TestApp) -> ResearchIds {
    let leader = app.token("leader@pcvc.demo").await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let team = new_team(app, &leader, college, "矩阵团队", "application_technology_team", &["数控车削"]).await;
    let (problem, proposal) = admitted_problem(app, &leader, &hr, enterprise, team, "矩阵难题").await;
    let (_, selected) = admitted_problem(app, &leader, &hr, enterprise, team, "矩阵项目难题").await;
    let open_problem =
        created_id(post(app, &hr, "/api/v1/problems", problem_body(enterprise, "矩阵待关闭难题")).await).await;
    let r = post(app, &hr, &format!("/api/v1/proposals/{selected}/select"), json!({})).await;
    let project = created_id(r).await;
    let j = app.call("GET", &format!("/api/v1/projects/{project}"), Some(&hr), None).await;
    let milestone = j.json["milestones"][0]["id"].as_i64().expect("a milestone");
    let line = j.json["budget_lines"][0]["id"].as_i64().expect("a budget line");
    ResearchIds { team, problem, open_problem, proposal, project, milestone, line }
}

async fn a_team_is_admitted_proposes_is_selected_and_spends_within_its_budget(app: &TestApp) {
    let leader = app.token("leader@pcvc.demo").await;
    let teacher = app.token("teacher@pcvc.demo").await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let foreign = app.token("admin@ent02.demo").await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);

    // Teams: the college's staff create them; they are public and searchable.
    let team =
        new_team(app, &leader, college, "精密车削研发服务中心", "rd_service_centre", &["数控车削", "welding"]).await;
    let other = new_team(app, &teacher, college, "焊接青年教师工作室", "young_teachers_studio", &["焊接"]).await;
    let t = app.call("GET", &format!("/api/v1/teams/{team}"), Some(&foreign), None).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.json["skills"], json!(["cnc-turning", "welding"]), "skills resolved to vocabulary codes");
    assert_eq!(t.json["members"][0]["name"], "李工");
    assert!(search_kinds(app, &foreign, "精密车削研发服务中心").await.contains(&("team".into(), team)));

    // A problem: its public part is searchable, its details are not.
    let r = post(app, &hr, "/api/v1/problems", problem_body(enterprise, "薄壁件变形难题")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        (r.json["budget_min_fen"].as_i64(), r.json["budget_max_fen"].as_i64()),
        (Some(5_000_000), Some(20_000_000))
    );
    let problem = r.json["id"].as_i64().expect("problem id");
    assert!(
        search_kinds(app, &foreign, "薄壁件").await.contains(&("problem".into(), problem)),
        "the summary is indexed"
    );
    assert!(
        search_kinds(app, &foreign, "航天院所").await.iter().all(|(k, _)| k != "problem"),
        "the details are not indexed"
    );

    // Nobody outside the enterprise reads the details before admission: the public part only,
    // and the details endpoint refuses with the reason in both languages.
    let seen = app.call("GET", &format!("/api/v1/problems/{problem}"), Some(&leader), None).await;
    assert_eq!(
        (seen.status.as_u16(), seen.json["details"].clone(), seen.json["details_visible"].clone()),
        (200, Value::Null, json!(false))
    );
    assert!(!seen.text.contains("航天院所"), "{}", seen.text);
    for token in [&leader, &foreign] {
        let d = app.call("GET", &format!("/api/v1/problems/{problem}/details"), Some(token), None).await;
        assert_eq!(d.status, 403, "{}", d.text);
        assert!(d.text.contains("保密"), "{}", d.text);
    }
    let d = in_english(app, "GET", &format!("/api/v1/problems/{problem}/details"), &leader, None).await;
    assert!(d.text.contains("confidential"), "{}", d.text);
    assert_eq!(app.call("GET", &format!("/api/v1/problems/{problem}/details"), Some(&hr), None).await.status, 200);

    // Suggestions by capability, with what matched.
    let s = app.call("GET", &format!("/api/v1/problems/{problem}/suggested-teams"), Some(&hr), None).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let list = s.json.as_array().cloned().unwrap_or_default();
    let of = |id: i64| list.iter().find(|x| x["team_id"].as_i64() == Some(id)).cloned().unwrap_or(Value::Null);
    let (mine, welding) = (of(team), of(other));
    assert_eq!(
        (mine["score"].as_i64(), mine["matched_skills"].clone()),
        (Some(2), json!(["cnc-turning"])),
        "{}",
        s.text
    );
    assert!(mine["explanation_zh"].as_str().unwrap_or("").contains("数控车削"), "{}", s.text);
    assert_eq!(
        (welding["score"].as_i64(), welding["matched_occupations"].clone()),
        (Some(1), json!(["6-18-02-04"])),
        "the occupation alone matches"
    );
    let scores: Vec<i64> = list.iter().filter_map(|x| x["score"].as_i64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    assert_eq!(
        app.call("GET", &format!("/api/v1/problems/{problem}/suggested-teams"), Some(&leader), None).await.status,
        403
    );

    // Admission: request → admit refused before the terms are accepted → accept → admit.
    let base = format!("/api/v1/problems/{problem}/admissions");
    assert_eq!(post(app, &leader, &base, json!({"team_id": team})).await.status, 201);
    assert_eq!(post(app, &leader, &base, json!({"team_id": team})).await.status, 409, "asked once");
    assert_eq!(post(app, &hr, &format!("{base}/{team}/admit"), json!({})).await.status, 409, "terms first");
    assert_eq!(post(app, &hr, &format!("{base}/{team}/accept-terms"), json!({})).await.status, 403, "the team accepts");
    let a = post(app, &leader, &format!("{base}/{team}/accept-terms"), json!({})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(a.json["terms_accepted_at"].is_i64() && a.json["terms_accepted_by"].is_i64(), "the acceptance is recorded");
    assert_eq!(
        app.call("GET", &format!("/api/v1/problems/{problem}/details"), Some(&leader), None).await.status,
        403,
        "not yet admitted"
    );
    assert_eq!(
        post(app, &leader, &format!("{base}/{team}/admit"), json!({})).await.status,
        403,
        "the enterprise admits"
    );
    let a = post(app, &hr, &format!("{base}/{team}/admit"), json!({})).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let seen = app.call("GET", &format!("/api/v1/problems/{problem}"), Some(&leader), None).await;
    assert_eq!(seen.json["details_visible"], json!(true), "{}", seen.text);
    assert!(seen.json["details"].as_str().unwrap_or("").contains("航天院所"));
    assert_eq!(
        app.call("GET", &format!("/api/v1/problems/{problem}/details"), Some(&foreign), None).await.status,
        403,
        "others still not"
    );

    // Proposals: only admitted teams; money exact.
    let proposals = format!("/api/v1/problems/{problem}/proposals");
    let r = post(app, &teacher, &proposals, proposal_body(other, "90000")).await;
    assert_eq!(r.status, 403, "not admitted: {}", r.text);
    for (budget, rule) in [
        ("-1", "money_negative"),
        ("1.234", "money_too_many_decimals"),
        ("99999999999999999999", "money_overflow"),
        ("0", "amount_range"),
    ] {
        let r = post(app, &leader, &proposals, proposal_body(team, budget)).await;
        assert_eq!((r.status.as_u16(), rules(&r)), (422, vec![pair("budget", rule)]), "{budget}: {}", r.text);
    }
    let proposal = created_id(post(app, &leader, &proposals, proposal_body(team, "100,000.50")).await).await;
    assert_eq!(app.call("GET", &proposals, Some(&hr), None).await.json.as_array().map(Vec::len), Some(1));
    assert_eq!(app.call("GET", &format!("/api/v1/proposals/{proposal}"), Some(&foreign), None).await.status, 404);
    let r = post(app, &hr, &format!("/api/v1/proposals/{proposal}/shortlist"), json!({})).await;
    assert_eq!((r.status.as_u16(), r.json["status"].clone()), (200, json!("shortlisted")), "{}", r.text);
    assert_eq!(post(app, &leader, &format!("/api/v1/proposals/{proposal}/select"), json!({})).await.status, 403);

    // Selection creates the project in the same transaction.
    let r = post(app, &hr, &format!("/api/v1/proposals/{proposal}/select"), json!({})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let project = r.json["id"].as_i64().expect("project id");
    assert_eq!(post(app, &hr, &format!("/api/v1/proposals/{proposal}/select"), json!({})).await.status, 409, "once");
    let p = app.call("GET", &format!("/api/v1/problems/{problem}"), Some(&hr), None).await;
    assert_eq!(p.json["status"], "selected");
    assert!(
        search_kinds(app, &foreign, "薄壁件").await.iter().all(|(k, _)| k != "problem"),
        "no longer open, no longer indexed"
    );
    let url = format!("/api/v1/projects/{project}");
    let j = app.call("GET", &url, Some(&leader), None).await;
    assert_eq!(j.status, 200, "{}", j.text);
    assert_eq!(j.json["milestones"].as_array().map(Vec::len), Some(2));
    assert_eq!(j.json["budget_lines"][0]["source"], "enterprise");
    assert_eq!(j.json["budget_lines"][0]["amount_fen"].as_i64(), Some(10_000_050), "the proposal's budget, exact");
    assert_eq!(app.call("GET", &url, Some(&foreign), None).await.status, 404, "outsiders do not see projects");
    assert_eq!(app.call("GET", &url, Some(&teacher), None).await.status, 200, "the college's team managers do");

    // Work waits for the risk- and benefit-sharing agreement (research_benefit.rs).
    crate::research_benefit::sign_agreement(app, project).await;

    // Expenditures: never past their line, refused whole with the remaining amount named.
    let line = j.json["budget_lines"][0]["id"].as_i64().expect("line id");
    let spend =
        |amount: &str| json!({"line_id": line, "amount": amount, "spent_on": "2099-01-05", "purpose": "刀具与夹具"});
    let r = post(app, &leader, &format!("{url}/expenditures"), spend("60,000")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let over = post(app, &leader, &format!("{url}/expenditures"), spend("40000.51")).await;
    assert_eq!(
        (over.status.as_u16(), rules(&over)),
        (422, vec![pair("amount", "budget_line_exceeded")]),
        "{}",
        over.text
    );
    assert!(over.text.contains("40,000.50"), "the remaining amount in yuan: {}", over.text);
    for (amount, rule) in
        [("-5", "money_negative"), ("1.001", "money_too_many_decimals"), ("92233720368547758.08", "money_overflow")]
    {
        let r = post(app, &leader, &format!("{url}/expenditures"), spend(amount)).await;
        assert_eq!((r.status.as_u16(), rules(&r)), (422, vec![pair("amount", rule)]), "{amount}: {}", r.text);
    }
    let j = app.call("GET", &url, Some(&hr), None).await;
    assert_eq!(j.json["expenditures"].as_array().map(Vec::len), Some(1), "refused expenditures wrote nothing");
    assert_eq!(j.json["budget_lines"][0]["remaining_fen"].as_i64(), Some(4_000_050));
    let r = post(app, &hr, &format!("{url}/expenditures"), spend("40000.50")).await;
    assert_eq!(r.json["budget_lines"][0]["remaining_fen"].as_i64(), Some(0), "exactly what remained: {}", r.text);

    // Budget lines by funding source: each party funds its own; government lines by either.
    let line_body =
        |source: &str, programme: Option<&str>| json!({"source": source, "programme": programme, "amount": "30000"});
    assert_eq!(post(app, &leader, &format!("{url}/budget-lines"), line_body("enterprise", None)).await.status, 403);
    let r =
        post(app, &leader, &format!("{url}/budget-lines"), line_body("government", Some("深圳市技术攻关项目"))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["budget_lines"][1]["programme"], "深圳市技术攻关项目");
    let r = post(app, &hr, &format!("{url}/budget-lines"), line_body("enterprise", Some("x"))).await;
    assert_eq!(rules(&r), vec![pair("programme", "programme_only_government")]);

    // Milestones: the team submits, the enterprise accepts; completing needs all accepted.
    let m = j.json["milestones"][0]["id"].as_i64().expect("milestone");
    assert_eq!(
        post(app, &hr, &format!("{url}/milestones/{m}/accept"), json!({})).await.status,
        409,
        "nothing submitted yet"
    );
    assert_eq!(post(app, &hr, &format!("{url}/milestones/{m}/submit"), json!({"note": "x"})).await.status, 403);
    assert_eq!(
        post(app, &leader, &format!("{url}/milestones/{m}/submit"), json!({"note": "报告见附件"})).await.status,
        200
    );
    assert_eq!(post(app, &leader, &format!("{url}/milestones/{m}/accept"), json!({})).await.status, 403);
    let r = post(app, &hr, &format!("{url}/milestones/{m}/accept"), json!({})).await;
    assert!(r.json["milestones"][0]["accepted_at"].is_i64(), "{}", r.text);
    let r = post(app, &hr, &format!("{url}/status"), json!({"action": "complete"})).await;
    assert_eq!(r.status, 409, "one milestone is open: {}", r.text);
    let r = app.call("PUT", &format!("{url}/risks"), Some(&leader), Some(json!({"risks": ["五轴设备排期紧张"]}))).await;
    assert_eq!(r.json["risks"], json!(["五轴设备排期紧张"]), "{}", r.text);
    let r = post(app, &hr, &format!("{url}/status"), json!({"action": "suspend"})).await;
    assert_eq!((r.status.as_u16(), r.json["status"].clone()), (200, json!("suspended")));
    let r = post(app, &leader, &format!("{url}/expenditures"), spend("1")).await;
    assert_eq!(r.status, 409, "no spending on a suspended project: {}", r.text);
    let listed = app.call("GET", &format!("/api/v1/projects?org={college}"), Some(&leader), None).await;
    assert!(listed.json["items"].as_array().is_some_and(|a| a.iter().any(|p| p["id"].as_i64() == Some(project))));
}
on_both!(demo: research_flow, a_team_is_admitted_proposes_is_selected_and_spends_within_its_budget);

async fn bad_problems_and_teams_are_refused_whole_and_write_nothing(app: &TestApp) {
    let (college_org, enterprise_org) = (app.college("校验学院").await, app.enterprise("校验企业").await);
    let hr = enterprise_org.admin.token.clone();
    let leader = app.member(&college_org, &["programme_leader"]).await.token;
    let student = app.student(&college_org).await.token;
    let (college, enterprise) = (college_org.id, enterprise_org.id);
    let count = |r: Resp| r.json["total"].as_i64();
    let before = count(app.call("GET", &format!("/api/v1/problems?org={enterprise}"), Some(&hr), None).await);

    let mut bad = problem_body(enterprise, "坏难题");
    bad["budget_min"] = json!("300000");
    bad["trl"] = json!(0);
    bad["deadline"] = json!("2000-01-01");
    let r = post(app, &hr, "/api/v1/problems", bad).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        rules(&r),
        vec![pair("budget_max", "budget_range_inverted"), pair("deadline", "deadline_past"), pair("trl", "trl_range")]
    );
    let mut bad = problem_body(enterprise, "坏难题");
    bad["budget_max"] = json!("1000000000.01");
    bad["budget_min"] = json!("-3");
    let r = post(app, &hr, "/api/v1/problems", bad).await;
    assert_eq!(rules(&r), vec![pair("budget_min", "money_negative"), pair("budget_max", "amount_range")]);
    let mut bad = problem_body(enterprise, "坏难题");
    bad["budget_min"] = json!("1.005");
    let r = in_english(app, "POST", "/api/v1/problems", &hr, Some(bad)).await;
    assert!(r.text.contains("two decimal places"), "English message: {}", r.text);
    assert_eq!(
        count(app.call("GET", &format!("/api/v1/problems?org={enterprise}"), Some(&hr), None).await),
        before,
        "nothing written"
    );

    // Only the enterprise's administrators and HR post; only a college's staff create teams.
    assert_eq!(post(app, &leader, "/api/v1/problems", problem_body(enterprise, "越权")).await.status, 403);
    assert_eq!(
        post(app, &student, "/api/v1/teams", team_body(college, "学生团队", "rd_service_centre", &[])).await.status,
        403
    );
    assert_eq!(
        post(app, &hr, "/api/v1/teams", team_body(college, "企业团队", "rd_service_centre", &[])).await.status,
        403
    );
    let mut bad = team_body(college, "坏团队", "lab", &["不存在的技能"]);
    bad["members"] = json!([{"role": "leader"}, {"external_name": "张三", "role": "boss"}]);
    let r = post(app, &leader, "/api/v1/teams", bad).await;
    assert_eq!(
        rules(&r),
        vec![
            pair("kind", "unknown_code"),
            pair("skills[0]", "skill_unknown"),
            pair("members[0].account_id", "member_account_or_name"),
            pair("members[1].role", "unknown_code"),
        ],
        "{}",
        r.text
    );
}
on_both!(research_bad_input, bad_problems_and_teams_are_refused_whole_and_write_nothing);

async fn two_parties_spending_at_once_cannot_pass_the_line_together(app: &TestApp) {
    let (college_org, enterprise_org) = (app.college("并发学院").await, app.enterprise("并发企业").await);
    let leader = app.member(&college_org, &["programme_leader"]).await.token;
    let hr = enterprise_org.admin.token.clone();
    let enterprise = enterprise_org.id;
    let team = new_team(app, &leader, college_org.id, "并发团队", "application_technology_team", &["数控车削"]).await;
    let (_, selected) = admitted_problem(app, &leader, &hr, enterprise, team, "并发难题").await;
    created_id(post(app, &hr, &format!("/api/v1/proposals/{selected}/select"), json!({})).await).await;
    let projects = app.call("GET", &format!("/api/v1/projects?org={enterprise}"), Some(&hr), None).await;
    let project = projects.json["items"][0]["id"].as_i64().expect("the project");
    // Work waits for the risk- and benefit-sharing agreement, signed by both sides.
    let terms = crate::research_benefit::terms(enterprise, college_org.id, ("30", "70"));
    let agreement = format!("/api/v1/projects/{project}/agreement");
    let r = app.call("PUT", &agreement, Some(&hr), Some(terms)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let version = r.json["pending"]["version"].as_i64().expect("a pending version");
    for t in [&hr, &leader] {
        let r = post(app, t, &format!("{agreement}/sign"), json!({"version": version})).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let url = format!("/api/v1/projects/{project}");
    let j = app.call("GET", &url, Some(&hr), None).await;
    let line = &j.json["budget_lines"][0];
    let (id, remaining) = (line["id"].as_i64().expect("line"), line["remaining_fen"].as_i64().expect("remaining"));
    // Each spends a little more than half of what remains: both fit alone, not together.
    let half = Fen(remaining / 2 + 1).to_yuan_string();
    let body = json!({"line_id": id, "amount": half, "spent_on": "2099-02-01", "purpose": "并发支出"});
    let spends = format!("{url}/expenditures");
    let (a, b) = tokio::join!(
        app.call("POST", &spends, Some(&leader), Some(body.clone())),
        app.call("POST", &spends, Some(&hr), Some(body.clone()))
    );
    let mut statuses = vec![a.status.as_u16(), b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![200, 422], "exactly one fits: {} / {}", a.text, b.text);
    let after = app.call("GET", &url, Some(&hr), None).await;
    assert_eq!(after.json["budget_lines"][0]["remaining_fen"].as_i64(), Some(remaining - (remaining / 2 + 1)));
    let n =
        after.json["expenditures"].as_array().map_or(0, |x| x.iter().filter(|e| e["purpose"] == "并发支出").count());
    assert_eq!(n, 1, "the refused one wrote nothing");
}
on_both!(research_concurrent_spending, two_parties_spending_at_once_cannot_pass_the_line_together);

//! Research cooperation, part 2, through the API: the agreement (exact shares, signatures by the
//! right roles only, amendments), the guard that holds work until it is in force, results and
//! conversions distributed exactly to the fen, statements per party and inventor, government
//! programmes (eligibility, ceiling, matching) and awards that become budget lines, measures.
//! Every bad input is refused with a bilingual message and nothing written.

use serde_json::{Value, json};

use crate::on_both;
use crate::practice::field_rules as rules;
use crate::research::{ResearchIds, matrix_records};
use crate::support::{Db, Resp, TestApp};

const COLLEGE: &str = "鹏城职业技术学院";
const ENTERPRISE: &str = "深圳创智精密机械有限公司";

fn pair(field: &str, rule: &str) -> (String, String) {
    (field.to_string(), rule.to_string())
}

async fn post(app: &TestApp, token: &str, uri: &str, body: Value) -> Resp {
    app.call("POST", uri, Some(token), Some(body)).await
}

/// Terms with the given revenue shares of the enterprise and the college (percent strings) and
/// two inventors, 张工 60 % and 李工 40 %, taking half of the college's part.
pub fn terms(enterprise: i64, college: i64, revenue: (&str, &str)) -> Value {
    json!({
        "parties": [
            {"kind": "enterprise", "org_id": enterprise, "name": ENTERPRISE, "cost_share": "60", "revenue_share": revenue.0},
            {"kind": "college", "org_id": college, "name": COLLEGE, "cost_share": "40", "revenue_share": revenue.1}
        ],
        "ip_ownership": "joint", "ip_note": "双方共有，企业优先实施",
        "inventors_share": "50",
        "inventors": [{"name": "张工", "share": "60"}, {"name": "李工", "share": "40"}]
    })
}

/// Proposes terms and has both parties sign them, so work on the project may go on.
pub async fn sign_agreement(app: &TestApp, project: i64) {
    let hr = app.token("hr@chuangzhi.demo").await;
    let leader = app.token("leader@pcvc.demo").await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let url = format!("/api/v1/projects/{project}/agreement");
    let r = app.call("PUT", &url, Some(&hr), Some(terms(enterprise, college, ("30", "70")))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let version = r.json["pending"]["version"].as_i64().expect("a pending version");
    for t in [&hr, &leader] {
        let r = post(app, t, &format!("{url}/sign"), json!({"version": version})).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
}

fn amounts(lines: &Value) -> Vec<(String, i64)> {
    lines
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| (l["name"].as_str().unwrap_or("").to_string(), l["amount_fen"].as_i64().unwrap_or(-1)))
                .collect()
        })
        .unwrap_or_default()
}

fn licence(income: &str) -> Value {
    json!({"kind": "licence", "counterparty": "东莞华联电子制造有限公司", "date": "2026-03-01", "income": income,
        "note": "普通许可"})
}

async fn the_agreement_is_signed_by_both_and_every_income_is_split_exactly_by_it(app: &TestApp) {
    let ResearchIds { project, milestone, line, .. } = matrix_records(app).await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let leader = app.token("leader@pcvc.demo").await;
    let teacher = app.token("teacher@pcvc.demo").await;
    let alliance = app.token("admin@alliance.demo").await;
    let foreign = app.token("admin@ent02.demo").await;
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let url = format!("/api/v1/projects/{project}");

    // Before any agreement: pre-filled with the inventors' legal 50 %, and work waits.
    let a = app.call("GET", &format!("{url}/agreement"), Some(&leader), None).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!((a.json["in_force"].clone(), a.json["draft"]["inventors_share"].as_i64()), (Value::Null, Some(5_000)));
    assert_eq!(app.call("GET", &format!("{url}/agreement"), Some(&foreign), None).await.status, 404);
    let spend = json!({"line_id": line, "amount": "100", "spent_on": "2099-01-05", "purpose": "材料"});
    let r = post(app, &leader, &format!("{url}/expenditures"), spend.clone()).await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(r.text.contains("协议"), "the reason in Chinese: {}", r.text);
    let r = post(app, &leader, &format!("{url}/milestones/{milestone}/submit"), json!({"note": "报告"})).await;
    assert_eq!(r.status, 409, "{}", r.text);

    // Bad terms: refused whole, each share named, nothing written.
    let mut bad = terms(enterprise, college, ("30", "69.99"));
    bad["inventors"][1]["share"] = json!("40.001");
    let r = app.call("PUT", &format!("{url}/agreement"), Some(&hr), Some(bad)).await;
    assert_eq!((r.status.as_u16(), rules(&r)), (422, vec![pair("inventors[1].share", "share_format")]), "{}", r.text);
    let bad = terms(enterprise, college, ("30", "69.99"));
    let r = app.call("PUT", &format!("{url}/agreement"), Some(&hr), Some(bad)).await;
    assert_eq!(rules(&r), vec![pair("parties.revenue_share", "shares_sum")], "{}", r.text);
    assert!(r.text.contains("99.99"), "says what the shares add up to: {}", r.text);
    let mut bad = terms(enterprise, college, ("30", "70"));
    bad["inventors"][0]["share"] = json!("50");
    bad["parties"][1]["org_id"] = json!(enterprise);
    let r = app.call("PUT", &format!("{url}/agreement"), Some(&hr), Some(bad.clone())).await;
    assert_eq!(
        rules(&r),
        vec![pair("parties[1].org_id", "party_org"), pair("parties", "project_parties")],
        "{}",
        r.text
    );
    let mut bad = terms(enterprise, college, ("30", "70"));
    bad["inventors"][0]["share"] = json!("50");
    let r = crate::research::in_english(app, "PUT", &format!("{url}/agreement"), &hr, Some(bad)).await;
    assert_eq!(rules(&r), vec![pair("inventors.share", "shares_sum")]);
    assert!(r.text.contains("exactly 100"), "English message: {}", r.text);
    let mut bad = terms(enterprise, college, ("30", "70"));
    bad["inventors"][0]["account_id"] = json!(987_654_321);
    let r = app.call("PUT", &format!("{url}/agreement"), Some(&hr), Some(bad)).await;
    assert_eq!(rules(&r), vec![pair("inventors[0].account_id", "unknown_code")], "{}", r.text);
    for (who, status) in [(&teacher, 403), (&alliance, 403), (&foreign, 404)] {
        let uri = format!("{url}/agreement");
        let r = app.call("PUT", &uri, Some(who), Some(terms(enterprise, college, ("30", "70")))).await;
        assert_eq!(r.status, status, "only the parties' signatories propose");
    }
    let a = app.call("GET", &format!("{url}/agreement"), Some(&hr), None).await;
    assert_eq!(a.json["history"], json!([]), "nothing written: {}", a.text);

    // Version 1: both sign; a teacher (not a signatory) cannot; nobody signs twice.
    let agreement = format!("{url}/agreement");
    let r = app.call("PUT", &agreement, Some(&hr), Some(terms(enterprise, college, ("30", "70")))).await;
    assert_eq!((r.status.as_u16(), r.json["pending"]["version"].as_i64()), (200, Some(1)), "{}", r.text);
    let sign = |v: i64| json!({"version": v});
    assert_eq!(post(app, &teacher, &format!("{url}/agreement/sign"), sign(1)).await.status, 403);
    assert_eq!(post(app, &foreign, &format!("{url}/agreement/sign"), sign(1)).await.status, 404);
    assert_eq!(post(app, &hr, &format!("{url}/agreement/sign"), sign(2)).await.status, 409, "no such version");
    let r = post(app, &hr, &format!("{url}/agreement/sign"), sign(1)).await;
    assert_eq!((r.status.as_u16(), r.json["in_force"].clone()), (200, Value::Null), "one of two: {}", r.text);
    assert_eq!(post(app, &hr, &format!("{url}/agreement/sign"), sign(1)).await.status, 409, "signed once");
    let r = post(app, &leader, &format!("{url}/agreement/sign"), sign(1)).await;
    assert_eq!(r.json["in_force"]["version"].as_i64(), Some(1), "in force with the last signature: {}", r.text);
    assert_eq!(r.json["in_force"]["signatures"].as_array().map(Vec::len), Some(2));
    assert_eq!(post(app, &leader, &format!("{url}/expenditures"), spend).await.status, 200, "work may go on");

    // A result, then bad conversions: refused whole, nothing written.
    let result_body = json!({"kind": "patent", "title": "薄壁件专用夹具", "registration_no": "ZL2026-1", "date": "2026-02-01",
        "owners": [{"name": ENTERPRISE, "org_id": enterprise}, {"name": COLLEGE, "org_id": college}]});
    let mut bad = result_body.clone();
    bad["kind"] = json!("poem");
    bad["date"] = json!("2026-02-30");
    let r = post(app, &leader, &format!("{url}/results"), bad).await;
    assert_eq!(rules(&r), vec![pair("kind", "unknown_code"), pair("date", "date")], "{}", r.text);
    assert_eq!(post(app, &alliance, &format!("{url}/results"), result_body.clone()).await.status, 403);
    let r = post(app, &leader, &format!("{url}/results"), result_body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let result = r.json["id"].as_i64().expect("result id");
    let conversions = format!("/api/v1/results/{result}/conversions");
    for (income, rule) in [
        ("-1", "money_negative"),
        ("1.001", "money_too_many_decimals"),
        ("99999999999999999999", "money_overflow"),
        ("0", "amount_range"),
    ] {
        let r = post(app, &hr, &conversions, licence(income)).await;
        assert_eq!((r.status.as_u16(), rules(&r)), (422, vec![pair("income", rule)]), "{income}: {}", r.text);
    }
    assert_eq!(post(app, &foreign, &conversions, licence("1")).await.status, 404, "hidden from outsiders");
    for uri in [format!("{url}/results"), format!("{url}/conversions")] {
        assert_eq!(app.call("GET", &uri, Some(&foreign), None).await.status, 404, "{uri} hidden from outsiders");
    }
    let body = json!({"kind": "paper", "title": "x", "date": "2026-01-01", "owners": [{"name": "x"}]});
    assert_eq!(post(app, &foreign, &format!("{url}/results"), body).await.status, 404);
    assert_eq!(
        app.call("GET", &format!("{url}/conversions"), Some(&hr), None).await.json,
        json!([]),
        "nothing written"
    );

    // 1,000.01 yuan by 30/70, half of the college's part to 张工 60 % and 李工 40 %:
    // 30,000.3 → 30,000 and 70,000.7 → 70,001 fen (the odd fen to the larger remainder); the
    // college's 70,001 halves into 35,001 for the pool (tie → the earlier) and 35,000; the pool
    // gives 21,000.6 → 21,001 and 14,000.4 → 14,000.
    let r = post(app, &hr, &conversions, licence("1,000.01")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        amounts(&r.json["lines"]),
        vec![(ENTERPRISE.into(), 30_000), (COLLEGE.into(), 35_000)],
        "the enterprise sees both parties' lines, not the inventors'"
    );
    assert_eq!((r.json["income_fen"].as_i64(), r.json["lines_total_fen"].as_i64()), (Some(100_001), Some(100_001)));
    let seen = app.call("GET", &format!("{url}/conversions"), Some(&hr), None).await;
    assert!(
        !seen.text.contains("张工") && !seen.text.contains("21001"),
        "an inventor's personal amount is not shown to the enterprise: {}",
        seen.text
    );
    let college_view = app.call("GET", &format!("{url}/conversions"), Some(&leader), None).await;
    assert_eq!(
        amounts(&college_view.json[0]["lines"]),
        vec![(ENTERPRISE.into(), 30_000), (COLLEGE.into(), 35_000), ("张工".into(), 21_001), ("李工".into(), 14_000)],
        "the college's staff see every line, its inventors' included"
    );

    // One party's word is not enough: the income waits for the college before it is split.
    assert_eq!((r.json["status"].as_str(), r.json["may_decide"].as_bool()), (Some("pending"), Some(false)));
    let first = r.json["id"].as_i64().expect("conversion id");
    let waiting = app.call("GET", &format!("{url}/statements"), Some(&leader), None).await;
    assert_eq!(waiting.json.as_array().map(Vec::len), Some(0), "nothing in the statements yet: {}", waiting.text);
    assert_eq!(college_view.json[0]["may_decide"].as_bool(), Some(true), "the college answers it");
    let decide = |id: i64| format!("/api/v1/conversions/{id}/decision");
    let own = post(app, &hr, &decide(first), json!({"decision": "confirm"})).await;
    assert_eq!(own.status, 409, "the recording side cannot confirm its own word: {}", own.text);
    let bad = post(app, &leader, &decide(first), json!({"decision": "maybe"})).await;
    assert_eq!(rules(&bad), vec![pair("decision", "unknown_code")], "{}", bad.text);
    assert_eq!(post(app, &foreign, &decide(first), json!({"decision": "confirm"})).await.status, 404);
    let ok = post(app, &leader, &decide(first), json!({"decision": "confirm"})).await;
    assert_eq!((ok.status.as_u16(), ok.json["status"].as_str()), (200, Some("confirmed")), "{}", ok.text);
    let again = post(app, &leader, &decide(first), json!({"decision": "dispute", "reason": "x"})).await;
    assert_eq!(again.status, 409, "answered once");

    // An amendment: version 2 waits for both signatures; until then version 1 still applies.
    let r = app.call("PUT", &agreement, Some(&leader), Some(terms(enterprise, college, ("50", "50")))).await;
    assert_eq!((r.json["in_force"]["version"].as_i64(), r.json["pending"]["version"].as_i64()), (Some(1), Some(2)));
    let r = post(app, &hr, &conversions, licence("100")).await;
    assert_eq!(amounts(&r.json["lines"]).first().map(|l| l.1), Some(3_000), "still 30 %: {}", r.text);
    assert_eq!(r.json["agreement_version"].as_i64(), Some(1));
    let confirmed =
        post(app, &leader, &decide(r.json["id"].as_i64().expect("id")), json!({"decision": "confirm"})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    for t in [&leader, &hr] {
        assert_eq!(post(app, t, &format!("{url}/agreement/sign"), sign(2)).await.status, 200);
    }
    let r = post(app, &hr, &conversions, licence("100")).await;
    assert_eq!(amounts(&r.json["lines"]).first().map(|l| l.1), Some(5_000), "50 % now: {}", r.text);
    let confirmed =
        post(app, &leader, &decide(r.json["id"].as_i64().expect("id")), json!({"decision": "confirm"})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    let a = app.call("GET", &format!("{url}/agreement"), Some(&hr), None).await;
    assert_eq!(a.json["history"].as_array().map(Vec::len), Some(2), "history kept");

    // Statements: each party its own, the college also its inventors'; totals exact.
    let s = app.call("GET", &format!("{url}/statements"), Some(&hr), None).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let names: Vec<&str> =
        s.json.as_array().map(|a| a.iter().filter_map(|x| x["name"].as_str()).collect()).unwrap_or_default();
    assert_eq!(names, vec![ENTERPRISE], "the enterprise sees its own statement only");
    assert_eq!(s.json[0]["total_fen"].as_i64(), Some(30_000 + 3_000 + 5_000));
    assert_eq!(s.json[0]["lines"].as_array().map(Vec::len), Some(3));
    let s = app.call("GET", &format!("{url}/statements"), Some(&leader), None).await;
    let totals: Vec<(String, i64)> = s
        .json
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| (x["name"].as_str().unwrap_or("").to_string(), x["total_fen"].as_i64().unwrap_or(-1)))
                .collect()
        })
        .unwrap_or_default();
    // 100 yuan at 30/70 then at 50/50 (the pool and the inventors by the same rule).
    assert_eq!(
        totals,
        vec![
            (COLLEGE.into(), 35_000 + 3_500 + 2_500),
            ("张工".into(), 21_001 + 2_100 + 1_500),
            ("李工".into(), 14_000 + 1_400 + 1_000),
        ]
    );
    assert_eq!(app.call("GET", &format!("{url}/statements"), Some(&foreign), None).await.status, 404);
    let all = app.call("GET", &format!("{url}/statements"), Some(&alliance), None).await;
    let sum: i64 = all.json.as_array().map(|a| a.iter().filter_map(|x| x["total_fen"].as_i64()).sum()).unwrap_or(0);
    assert_eq!(sum, 100_001 + 10_000 + 10_000, "all statements add up to all income");
    let r = app.call("GET", &format!("{url}/results"), Some(&teacher), None).await;
    assert_eq!((r.json[0]["conversions"].as_i64(), r.json[0]["income_fen"].as_i64()), (Some(3), Some(120_001)));

    // The college records one the enterprise disputes (a reason is required): it never counts.
    let d = post(app, &leader, &conversions, licence("500")).await;
    assert_eq!(d.status, 201, "{}", d.text);
    let id = d.json["id"].as_i64().expect("id");
    let no_reason = post(app, &hr, &decide(id), json!({"decision": "dispute"})).await;
    assert_eq!(rules(&no_reason), vec![pair("reason", "reason_required")], "{}", no_reason.text);
    let disputed = post(app, &hr, &decide(id), json!({"decision": "dispute", "reason": "许可费实为 50 元"})).await;
    assert_eq!(disputed.json["status"].as_str(), Some("disputed"), "{}", disputed.text);
    let r = app.call("GET", &format!("{url}/results"), Some(&teacher), None).await;
    assert_eq!(r.json[0]["income_fen"].as_i64(), Some(120_001), "a disputed income is not counted");
    let all = app.call("GET", &format!("{url}/statements"), Some(&alliance), None).await;
    let sum: i64 = all.json.as_array().map(|a| a.iter().filter_map(|x| x["total_fen"].as_i64()).sum()).unwrap_or(0);
    assert_eq!(sum, 120_001, "nor split into any statement");

    // Measures: stated formulas; the enterprise's income includes this project's.
    let m = app.call("GET", "/api/v1/research/measures", Some(&foreign), None).await;
    assert_eq!(m.status, 200, "{}", m.text);
    assert!(m.text.contains("至少有一次转化事件的成果数 ÷ 登记的成果数"), "the rate's definition");
    let row = m.json["enterprises"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["key"] == json!(enterprise.to_string())).cloned())
        .unwrap_or(Value::Null);
    assert!(row["income_fen"].as_i64().unwrap_or(0) >= 120_001, "{row}");
    assert_eq!(app.call("GET", "/api/v1/research/measures", None, None).await.status, 401);
}
on_both!(demo: agreement_and_ledger, the_agreement_is_signed_by_both_and_every_income_is_split_exactly_by_it);

fn programme(agency: i64, sizes: &[&str], ceiling: &str) -> Value {
    json!({"agency_id": agency, "name": "技术攻关资助计划", "description": "企业按 50% 配套", "eligible_sizes": sizes,
        "matching_ratio": "50", "ceiling": ceiling, "deadline": "2099-12-31"})
}

async fn a_programme_checks_eligibility_ceiling_and_matching_and_its_award_becomes_a_budget_line(app: &TestApp) {
    let ResearchIds { project, .. } = matrix_records(app).await;
    let gov = app.token("member@gov.demo").await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let teacher = app.token("teacher@pcvc.demo").await;
    let foreign = app.token("admin@ent02.demo").await;
    let agency = app.org_id("深圳市南山区工业和信息化局").await;
    let before = app.call("GET", "/api/v1/programmes", Some(&hr), None).await.json["total"].as_i64();

    // Publishing: only the agency's administrators; bad numbers refused whole.
    assert_eq!(post(app, &hr, "/api/v1/programmes", programme(agency, &[], "1000")).await.status, 403);
    let mut bad = programme(agency, &["tiny"], "-5");
    bad["matching_ratio"] = json!("1000.01");
    bad["deadline"] = json!("2099-02-30");
    let r = post(app, &gov, "/api/v1/programmes", bad).await;
    assert_eq!(
        rules(&r),
        vec![
            pair("eligible_sizes[0]", "unknown_code"),
            pair("matching_ratio", "share_format"),
            pair("ceiling", "money_negative"),
            pair("deadline", "date")
        ],
        "{}",
        r.text
    );
    let after = app.call("GET", "/api/v1/programmes", Some(&hr), None).await.json["total"].as_i64();
    assert_eq!(after, before, "nothing written");
    let large_only = post(app, &gov, "/api/v1/programmes", programme(agency, &["large"], "200000")).await;
    let large_only = large_only.json["id"].as_i64().expect("programme");
    let r = post(app, &gov, "/api/v1/programmes", programme(agency, &["micro", "small", "medium"], "200000")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.json["id"].as_i64().expect("programme id");

    // Applying: the project's enterprise budget is 80,000 yuan; 50 % matching covers 160,000.
    let apply = |requested: &str| json!({"project_id": project, "requested": requested});
    let r = post(app, &hr, &format!("/api/v1/programmes/{large_only}/applications"), apply("1000")).await;
    assert_eq!(rules(&r), vec![pair("enterprise_id", "size_not_eligible")], "{}", r.text);
    let url = format!("/api/v1/programmes/{id}/applications");
    let r = post(app, &hr, &url, apply("160000.02")).await;
    assert_eq!(rules(&r), vec![pair("enterprise_funding_yuan", "matching_short")], "{}", r.text);
    assert!(r.text.contains("¥80,000.01"), "names what is needed: {}", r.text);
    let r = post(app, &hr, &url, apply("200000.01")).await;
    assert_eq!(rules(&r), vec![pair("requested_yuan", "over_ceiling")], "{}", r.text);
    let r = post(app, &hr, &url, apply("1.001")).await;
    assert_eq!(rules(&r), vec![pair("requested", "money_too_many_decimals")], "{}", r.text);
    assert_eq!(post(app, &foreign, &url, apply("1000")).await.status, 404, "the project is hidden from outsiders");
    assert_eq!(post(app, &gov, &url, apply("1000")).await.status, 404, "the agency does not apply");
    let r = post(app, &teacher, &url, apply("160000")).await;
    assert_eq!(r.status, 201, "the college's team applies: {}", r.text);
    let application = r.json["id"].as_i64().expect("application id");
    assert_eq!(post(app, &hr, &url, apply("1000")).await.status, 409, "one application per project");

    // Award: by the agency, within the request; it becomes a government budget line.
    let award = format!("/api/v1/programme-applications/{application}/award");
    assert_eq!(post(app, &hr, &award, json!({"amount": "1000"})).await.status, 403);
    let r = post(app, &gov, &award, json!({"amount": "160000.01"})).await;
    assert_eq!(rules(&r), vec![pair("amount_yuan", "award_range")], "{}", r.text);
    let r = post(app, &gov, &award, json!({"amount": "150000"})).await;
    assert_eq!((r.status.as_u16(), r.json["status"].clone()), (200, json!("awarded")), "{}", r.text);
    assert_eq!(post(app, &gov, &award, json!({"amount": "1"})).await.status, 409, "decided once");
    let j = app.call("GET", &format!("/api/v1/projects/{project}"), Some(&hr), None).await;
    let gov_lines: Vec<(Value, Value)> = j.json["budget_lines"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|l| l["source"] == "government")
                .map(|l| (l["programme"].clone(), l["amount_fen"].clone()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(gov_lines, vec![(json!("技术攻关资助计划"), json!(15_000_000))]);
    let p = app.call("GET", &format!("/api/v1/programmes/{id}"), Some(&foreign), None).await;
    assert_eq!((p.status.as_u16(), p.json["applications"].clone()), (200, json!([])), "others' applications hidden");
}
on_both!(demo: programmes, a_programme_checks_eligibility_ceiling_and_matching_and_its_award_becomes_a_budget_line);

/// Records for the authorisation matrix on the matrix's project: a result, a programme of the
/// demo agency and an application of the project to it.
pub struct BenefitIds {
    pub result: i64,
    pub programme: i64,
    pub application: i64,
    /// The demo licence income, already confirmed by the college.
    pub conversion: i64,
}

/// Creates the matrix's records through the API.
pub async fn matrix_benefit_records(app: &TestApp, rs: &ResearchIds) -> BenefitIds {
    let leader = app.token("leader@pcvc.demo").await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let gov = app.token("member@gov.demo").await;
    let agency = app.org_id("深圳市南山区工业和信息化局").await;
    let body = json!({"kind": "paper", "title": "矩阵论文", "date": "2026-01-01", "owners": [{"name": "王老师"}]});
    let r = post(app, &leader, &format!("/api/v1/projects/{}/results", rs.project), body).await;
    let result = r.json["id"].as_i64().expect("a result");
    let r = post(app, &gov, "/api/v1/programmes", programme(agency, &[], "1000")).await;
    let programme = r.json["id"].as_i64().expect("a programme");
    let r = post(
        app,
        &hr,
        &format!("/api/v1/programmes/{programme}/applications"),
        json!({"project_id": rs.project, "requested": "500"}),
    )
    .await;
    let application = r.json["id"].as_i64().expect("an application");
    let enterprise = app.org_id(ENTERPRISE).await;
    let projects = app.call("GET", &format!("/api/v1/projects?org={enterprise}"), Some(&hr), None).await;
    let mut conversion = None;
    for j in projects.json["items"].as_array().into_iter().flatten() {
        let id = j["id"].as_i64().unwrap_or_default();
        let c = app.call("GET", &format!("/api/v1/projects/{id}/conversions"), Some(&hr), None).await;
        conversion = conversion.or(c.json[0]["id"].as_i64());
    }
    let conversion = conversion.expect("the demo project's licence income");
    BenefitIds { result, programme, application, conversion }
}

async fn an_inventor_with_an_account_reads_only_their_own_statement(app: &TestApp) {
    let ResearchIds { project, .. } = matrix_records(app).await;
    let hr = app.token("hr@chuangzhi.demo").await;
    let leader = app.token("leader@pcvc.demo").await;
    let student = app.token("student@pcvc.demo").await;
    let me = app.call("GET", "/api/v1/me", Some(&student), None).await.json["id"].as_i64().expect("the student");
    let (college, enterprise) = (app.org_id(COLLEGE).await, app.org_id(ENTERPRISE).await);
    let url = format!("/api/v1/projects/{project}");
    let mut t = terms(enterprise, college, ("30", "70"));
    t["inventors"][0]["account_id"] = json!(me);
    assert_eq!(app.call("PUT", &format!("{url}/agreement"), Some(&hr), Some(t)).await.status, 200);
    for who in [&hr, &leader] {
        assert_eq!(post(app, who, &format!("{url}/agreement/sign"), json!({"version": 1})).await.status, 200);
    }
    let body =
        json!({"kind": "process", "title": "焊接顺序优化工艺", "date": "2026-02-01", "owners": [{"name": COLLEGE}]});
    let result = post(app, &leader, &format!("{url}/results"), body).await.json["id"].as_i64().expect("result");
    let c = post(app, &hr, &format!("/api/v1/results/{result}/conversions"), licence("100")).await;
    assert_eq!(c.status, 201);
    let id = c.json["id"].as_i64().expect("conversion id");
    let ok = post(app, &leader, &format!("/api/v1/conversions/{id}/decision"), json!({"decision": "confirm"})).await;
    assert_eq!(ok.status, 200, "{}", ok.text);

    // 100 yuan: 70 to the college side, 35 of it to the inventors, 60 % of that to 张工 (the student).
    let s = app.call("GET", &format!("{url}/statements"), Some(&student), None).await;
    assert_eq!(s.status, 200, "{}", s.text);
    let mine: Vec<(Value, Value)> = s
        .json
        .as_array()
        .map(|a| a.iter().map(|x| (x["name"].clone(), x["total_fen"].clone())).collect())
        .unwrap_or_default();
    assert_eq!(mine, vec![(json!("张工"), json!(2_100))], "their own statement only");
    assert_eq!(app.call("GET", &url, Some(&student), None).await.status, 404, "the project stays hidden");
    assert_eq!(app.call("GET", &format!("{url}/conversions"), Some(&student), None).await.status, 404);
}
on_both!(demo: inventor_statement, an_inventor_with_an_account_reads_only_their_own_statement);

//! The landing page a visitor sees at `/`: what the platform is and the alliance's public
//! figures, counted over member organisations only.

use serde_json::json;

use crate::on_both;
use crate::support::build::Kind;
use crate::support::{Db, TestApp, page};

/// The number a figure of the landing page shows (`data-figure` attribute), if shown.
fn figure(html: &str, key: &str) -> Option<i64> {
    let at = html.find(&format!("data-figure=\"{key}\">"))? + key.len() + 15;
    html[at..].split('<').next()?.trim().parse().ok()
}

fn place(enterprise: i64, capacity: i64) -> serde_json::Value {
    json!({"enterprise_id": enterprise, "kind": "post", "title": "数控车工岗位实习", "occupation_code": "6-18-01-01",
        "capacity": capacity, "start_date": "2027-03-01", "end_date": "2027-06-30", "region_code": "440306",
        "location": "深圳市宝安区", "monthly_pay_yuan": "4200", "post_wage_yuan": "5000",
        "working_hours": "周一至周五 9:00–17:30", "insured": true, "insurer": "中国人保",
        "enterprise_staff": 260, "post_staff": 100})
}

async fn visitors_see_the_platform_and_figures_counted_over_members_only(app: &TestApp) {
    let empty = page(app, "/", "").await;
    assert_eq!(empty.status, 200, "a visitor is not sent to the login page: {}", empty.text);
    assert!(empty.text.contains("如何加入") && empty.text.contains("href=\"/register\""), "the way in is shown");
    assert!(empty.text.contains("联盟还没有成员机构"), "an empty alliance says so instead of showing zeros as members");
    assert_eq!(figure(&empty.text, "practice_seats"), Some(0));

    let member = app.enterprise("公开数字精密").await;
    let outsider = app.organisation(Kind::Enterprise, "未入盟机械厂", false).await;
    app.college("公开数字职业学院").await;
    let hr = app.member(&member, &["enterprise_hr"]).await;
    let other_hr = app.member(&outsider, &["enterprise_hr"]).await;
    let p = app.call("POST", "/api/v1/practice-places", hr.t(), Some(place(member.id, 7))).await;
    assert_eq!(p.status, 201, "{}", p.text);
    let q = app.call("POST", "/api/v1/practice-places", other_hr.t(), Some(place(outsider.id, 5))).await;
    // An organisation outside the alliance offers no places, so none of its seats can be shown.
    assert_eq!((q.status.as_u16(), q.json["code"].as_str()), (403, Some("organisation_pending")), "{}", q.text);

    let demand = json!({"title": "数控车工", "occupation_code": "6-18-01-01", "headcount": 3, "region_code": "440306",
        "valid_until": "2999-12-31", "education": "associate",
        "roles": [{"title": "数控车工", "skills": [{"skill": "cnc-turning", "weight": 5, "min_level": 3}]}]});
    let d = app.call("POST", &format!("/api/v1/demands?org={}", member.id), hr.t(), Some(demand.clone())).await;
    assert!(d.status.is_success(), "{}", d.text);
    let id = d.json["id"].as_i64().expect("demand id");
    let published = app.call("POST", &format!("/api/v1/demands/{id}/publish"), hr.t(), None).await;
    assert!(published.status.is_success(), "{}", published.text);
    let draft = app.call("POST", &format!("/api/v1/demands?org={}", member.id), hr.t(), Some(demand)).await;
    assert!(draft.status.is_success(), "a draft is not counted: {}", draft.text);

    let shown = page(app, "/", "").await.text;
    assert_eq!(figure(&shown, "open_demands"), Some(1), "published and open only");
    assert_eq!(figure(&shown, "demand_headcount"), Some(3));
    assert_eq!(figure(&shown, "members-enterprise"), Some(1), "the outsider is not a member");
    assert_eq!(figure(&shown, "members-college"), Some(1));
    assert_eq!(figure(&shown, "practice_seats"), Some(7), "the member's seats, counted");
    assert!(!shown.contains("未入盟机械厂") && !shown.contains("公开数字精密"), "no organisation is named");
    let en = page(app, "/", "xq_lang=en").await.text;
    assert!(en.contains("How to join") && en.contains("lang=\"en\""));
}
on_both!(landing_page, visitors_see_the_platform_and_figures_counted_over_members_only);

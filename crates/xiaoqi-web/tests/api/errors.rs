//! How errors reach people: JSON in the request's language under `/api/`, an HTML page
//! everywhere else (never JSON or plain text in a browser), whatever produced the error.

use axum::body::Body;
use axum::http::{Request, header};

use crate::on_both;
use crate::support::build::PASSWORD;
use crate::support::{Db, TestApp, page, page_login_with};

fn content_type(r: &crate::support::Resp) -> String {
    r.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

async fn a_browser_gets_an_html_page_for_every_error(app: &TestApp) {
    let admin = app.alliance_admin().await;
    let cookie = page_login_with(app, &admin.login, PASSWORD).await;
    // An app error a handler returned with `?`: a placement that does not exist.
    let missing = page(app, "/placements/987654", &cookie).await;
    assert_eq!(missing.status, 404);
    assert!(content_type(&missing).starts_with("text/html"), "{}", content_type(&missing));
    assert!(missing.text.contains("<html") && missing.text.contains("未找到"), "{}", missing.text);
    // A path extractor that refuses the id, and an unknown path.
    for uri in ["/placements/not-a-number", "/no/such/page"] {
        let r = page(app, uri, &cookie).await;
        assert!(r.status.is_client_error(), "{uri}: {}", r.status);
        assert!(content_type(&r).starts_with("text/html"), "{uri}: {}", content_type(&r));
    }
    // A wrong method and an unreadable form: axum's own plain-text answers become pages too.
    let wrong_method = app
        .send(
            Request::builder()
                .method("PUT")
                .uri("/directory")
                .header(header::COOKIE, &cookie)
                .header("sec-fetch-site", "same-origin")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(wrong_method.status, 405);
    assert!(content_type(&wrong_method).starts_with("text/html"), "{}", wrong_method.text);
    assert!(wrong_method.text.contains("不支持这种请求方式"), "{}", wrong_method.text);
    // In English when the person chose English.
    let en = page(app, "/placements/987654", &format!("{cookie}; xq_lang=en")).await;
    assert!(en.text.contains("Not found"), "{}", en.text);
}
on_both!(html_error_pages, a_browser_gets_an_html_page_for_every_error);

async fn an_api_client_gets_json_in_its_language_for_every_error(app: &TestApp) {
    let token = app.alliance_admin().await.token;
    let req = Request::builder()
        .uri("/api/v1/placements/987654")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .body(Body::empty())
        .expect("request");
    let r = app.send(req).await;
    assert_eq!((r.status.as_u16(), r.json["code"].as_str()), (404, Some("not_found")), "{}", r.text);
    assert!(r.json["message"].as_str().is_some_and(|m| m.starts_with("Not found")), "{}", r.text);
    let wrong_method = app.call("PATCH", "/api/v1/organizations", Some(&token), None).await;
    assert_eq!(wrong_method.status, 405);
    assert_eq!(wrong_method.json["code"], "method_not_allowed", "{}", wrong_method.text);
}
on_both!(json_api_errors, an_api_client_gets_json_in_its_language_for_every_error);

//! The OpenAPI document describes the bodies the handlers parse: a minimal instance of every
//! documented request body is accepted by its handler's parser (never `invalid_body`). Bodies
//! holding a free-form object (documented as `object` without properties: the order-class
//! terms) cannot be built from the document and are counted apart.

use serde_json::{Map, Value, json};

use crate::on_both;
use crate::support::{Db, TestApp};

/// Stands for a free-form object in a built instance.
const FREE_FORM: &str = "<free-form object>";

/// A minimal instance of a schema: its required properties only, each with a value of its type.
fn instance(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or("");
        return instance(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(first) = schema[key].as_array().and_then(|a| a.iter().find(|s| s["type"] != "null")) {
            return instance(doc, first, depth + 1);
        }
    }
    if let Some(first) = schema["enum"].as_array().and_then(|a| a.first()) {
        return first.clone();
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").cloned().unwrap_or(Value::Null),
        t => t.clone(),
    };
    match ty.as_str() {
        Some("string") => json!("1"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        _ if schema.get("properties").is_none() => json!(FREE_FORM),
        _ => {
            let mut out = Map::new();
            for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                out.insert(name.to_string(), instance(doc, &schema["properties"][name], depth + 1));
            }
            Value::Object(out)
        }
    }
}

async fn every_documented_request_body_is_the_one_its_handler_parses(app: &TestApp) {
    let doc = app.call("GET", "/api/openapi.json", None, None).await.json;
    let admin = app.alliance_admin().await.token;
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut free_form = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(schema) = op["requestBody"]["content"]["application/json"]["schema"].as_object() else {
                continue;
            };
            let body = instance(&doc, &Value::Object(schema.clone()), 0);
            if body.to_string().contains(FREE_FORM) {
                free_form.push(format!("{method} {path}"));
                continue;
            }
            let uri: String =
                path.split('/').map(|seg| if seg.starts_with('{') { "1" } else { seg }).collect::<Vec<_>>().join("/");
            let uri = format!("/api/v1{}", uri.strip_prefix("/api/v1").unwrap_or(&uri));
            let r = app.call(&method.to_uppercase(), &uri, Some(&admin), Some(body.clone())).await;
            checked += 1;
            if r.json["code"] == "invalid_body" {
                wrong.push(format!("{method} {path} {body}: {}", r.text));
            }
        }
    }
    assert!(checked > 50, "only {checked} bodies documented?");
    assert!(free_form.len() <= 3, "more free-form bodies than the order-class terms: {free_form:?}");
    assert!(wrong.is_empty(), "documented bodies the handlers refuse to parse:\n{}", wrong.join("\n"));
}
on_both!(documented_bodies, every_documented_request_body_is_the_one_its_handler_parses);

async fn anonymous_writes_are_refused_before_their_bodies_are_read(app: &TestApp) {
    for (method, uri) in
        [("POST", "/api/v1/demands?org=1"), ("PUT", "/api/v1/me/profile"), ("POST", "/api/v1/me/password")]
    {
        let r = app.call(method, uri, None, Some(json!({"no_such_field": true}))).await;
        assert_eq!(
            (r.status.as_u16(), r.json["code"].as_str()),
            (401, Some("unauthenticated")),
            "{method} {uri}: {}",
            r.text
        );
    }
    let r = app.call("POST", "/api/v1/registrations", None, Some(json!({"no_such_field": true}))).await;
    assert_eq!(r.json["code"], "invalid_body", "public writes still say what is wrong with the body");
}
on_both!(anonymous_writes, anonymous_writes_are_refused_before_their_bodies_are_read);

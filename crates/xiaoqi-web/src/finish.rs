//! Finishing every response that is an error: the request's language is set once here (as a
//! request extension), an app error a handler returned with `?` is rendered as `{code, message,
//! fields}` under `/api/` and as an HTML page elsewhere, and an error response that is not ours
//! (a rejected extractor, a wrong method, a body over the limit) gets the same treatment, so a
//! browser never sees JSON or plain text and a client never sees HTML.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::ctx::{Ctx, lang_of};
use crate::error::{PendingError, json_response, plain_error};
use crate::i18n::Lang;

/// What a path serves, for the shape of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    Api,
    Page,
    /// Health, metrics and assets: left as they are.
    Operations,
}

impl Surface {
    fn of(path: &str) -> Surface {
        if path.starts_with("/api/") && path != "/api/docs" {
            Surface::Api
        } else if matches!(path, "/healthz" | "/livez" | "/metrics") || path.starts_with("/static/") {
            Surface::Operations
        } else {
            Surface::Page
        }
    }
}

fn has_content_type(resp: &Response, prefix: &str) -> bool {
    resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with(prefix))
}

/// The middleware; see the module documentation.
pub async fn finish_errors(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    req.extensions_mut().insert(lang);
    let surface = Surface::of(req.uri().path());
    let headers = if surface == Surface::Page { Some(req.headers().clone()) } else { None };
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let pending = resp.extensions().get::<PendingError>().cloned();
    match (surface, pending, headers) {
        (Surface::Api, Some(PendingError(e)), _) => json_response(&e, lang),
        (Surface::Api, None, _) if !has_content_type(&resp, "application/json") => foreign_json(status, lang),
        (Surface::Page, Some(PendingError(e)), Some(h)) => {
            let ctx = Ctx::lenient(&h, &state).await;
            crate::pages::render_error(&state, &ctx, &e).await
        }
        (Surface::Page, None, Some(h)) if !has_content_type(&resp, "text/html") => {
            let ctx = Ctx::lenient(&h, &state).await;
            crate::pages::render_status(&state, &ctx, status, foreign_message(status, lang)).await
        }
        _ => resp,
    }
}

/// The words for an error status that did not come from a use case.
fn foreign_message(status: StatusCode, lang: Lang) -> String {
    let (zh, en) = foreign_words(status);
    if lang == Lang::En { en.to_string() } else { zh.to_string() }
}

fn foreign_words(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => ("页面不存在", "No such page"),
        StatusCode::METHOD_NOT_ALLOWED => ("不支持这种请求方式", "This method is not allowed here"),
        StatusCode::PAYLOAD_TOO_LARGE => ("提交的内容过大", "What was sent is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("提交的内容格式不受支持", "What was sent is in an unsupported format"),
        StatusCode::TOO_MANY_REQUESTS => ("请求过于频繁，请稍后再试", "Too many requests; try again later"),
        s if s.is_server_error() => ("服务器暂时无法处理，请稍后再试", "The server cannot answer now; try again later"),
        _ => ("请求无法处理，请检查后重试", "The request could not be handled; check it and try again"),
    }
}

fn foreign_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    }
}

fn foreign_json(status: StatusCode, lang: Lang) -> Response {
    let (zh, en) = foreign_words(status);
    plain_error(status, foreign_code(status), zh, en, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_sorted_into_api_pages_and_operations() {
        assert_eq!(Surface::of("/api/v1/organizations"), Surface::Api);
        assert_eq!(Surface::of("/api/docs"), Surface::Page);
        assert_eq!(Surface::of("/placements/3"), Surface::Page);
        assert_eq!(Surface::of("/healthz"), Surface::Operations);
        assert_eq!(Surface::of("/static/app.css"), Surface::Operations);
    }

    #[test]
    fn foreign_errors_have_words_in_both_languages() {
        for s in [StatusCode::BAD_REQUEST, StatusCode::METHOD_NOT_ALLOWED, StatusCode::PAYLOAD_TOO_LARGE] {
            assert_ne!(foreign_message(s, Lang::Zh), foreign_message(s, Lang::En));
        }
    }
}

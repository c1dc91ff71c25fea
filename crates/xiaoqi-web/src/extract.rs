//! JSON and query extractors whose rejections use the API's error body.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::ctx::lang_of;
use crate::error::plain_error;

/// `Json<T>` whose errors are `{code, message, fields}`: 400 malformed, 413 too large,
/// 415 wrong content type, 422 wrong shape (unknown or missing fields, wrong types).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(req.headers());
        // An anonymous write to an endpoint that needs a login is answered 401 whatever its
        // body: `Ctx` (extracted before the body) marks anonymous callers.
        let needs_login = req.extensions().get::<crate::ctx::Anonymous>().is_some()
            && !crate::ctx::is_public_write(
                req.extensions().get::<axum::extract::OriginalUri>().map_or(req.uri().path(), |o| o.0.path()),
            );
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(_) if needs_login => {
                Err(crate::error::ApiError::from(xiaoqi_app::AppError::Unauthenticated).into_response())
            }
            Err(rej) => Err(json_rejection(rej, lang)),
        }
    }
}

fn json_rejection(rej: JsonRejection, lang: crate::i18n::Lang) -> Response {
    let detail = rej.body_text();
    match rej {
        JsonRejection::JsonDataError(_) => {
            let body = crate::error::ErrorBody {
                code: "invalid_body".into(),
                message: if lang == crate::i18n::Lang::En {
                    format!("The request body does not match the schema: {detail}")
                } else {
                    format!("请求体与接口定义不符：{detail}")
                },
                fields: Vec::new(),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
        }
        JsonRejection::JsonSyntaxError(_) => plain_error(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            "请求体不是有效的 JSON",
            "The request body is not valid JSON",
            lang,
        ),
        JsonRejection::MissingJsonContentType(_) => plain_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求须为 Content-Type: application/json",
            "The request needs Content-Type: application/json",
            lang,
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => plain_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            "请求体过大",
            "The request body is too large",
            lang,
        ),
        _ => plain_error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "无法读取请求体",
            "The request body could not be read",
            lang,
        ),
    }
}

/// `Query<T>` whose errors are `{code, message, fields}` with status 422.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => Err(query_rejection(&rej, lang)),
        }
    }
}

fn query_rejection(rej: &QueryRejection, lang: crate::i18n::Lang) -> Response {
    let detail = rej.body_text();
    let body = crate::error::ErrorBody {
        code: "invalid_query".into(),
        message: if lang == crate::i18n::Lang::En {
            format!("Invalid query parameters: {detail}")
        } else {
            format!("查询参数无效：{detail}")
        },
        fields: Vec::new(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
}

/// `Path<T>` whose errors are `{code, message, fields}` with status 404 for ids that do not parse.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(plain_error(
                StatusCode::NOT_FOUND,
                "not_found",
                "未找到记录（路径参数无效）",
                "Not found (invalid path parameter)",
                lang,
            )),
        }
    }
}

//! Mapping `AppError` to HTTP: status, `{code, message, fields}` body, logs for internal errors.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use xiaoqi_app::AppError;

use crate::i18n::Lang;

/// One offending field in an error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub rule: String,
    pub message: String,
}

/// The one error body of the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code, e.g. `validation_failed`.
    pub code: String,
    /// A message for people, in the request's language.
    pub message: String,
    /// The offending fields, for validation and conflict errors.
    pub fields: Vec<FieldProblem>,
}

/// The HTTP status of an app error.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::Denied { .. } | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) | AppError::InvalidState { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An API error in a language; logs internal causes and never returns them.
#[derive(Debug)]
pub struct ApiError {
    pub error: AppError,
    pub lang: Lang,
}

impl ApiError {
    /// The body of this error.
    pub fn body(&self) -> ErrorBody {
        let en = self.lang == Lang::En;
        ErrorBody {
            code: self.error.code().into(),
            message: self.error.message(self.lang.code()),
            fields: self
                .error
                .fields()
                .into_iter()
                .map(|f| FieldProblem { field: f.field, rule: f.rule.into(), message: if en { f.en } else { f.zh } })
                .collect(),
        }
    }
}

/// A request-level error that is not an `AppError` (bad JSON, unknown route …).
pub fn plain_error(status: StatusCode, code: &str, zh: &str, en: &str, lang: Lang) -> Response {
    let body = ErrorBody {
        code: code.into(),
        message: if lang == Lang::En { en.into() } else { zh.into() },
        fields: Vec::new(),
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let AppError::Internal(cause) = &self.error {
            tracing::error!(%cause, "internal error");
        }
        let status = status_of(&self.error);
        let mut resp = (status, axum::Json(self.body())).into_response();
        if let AppError::RateLimited { retry_after_secs } = self.error
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

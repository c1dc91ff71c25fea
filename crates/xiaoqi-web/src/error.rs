//! Mapping `AppError` to HTTP: status, `{code, message, fields}` body, logs for internal errors.

use std::sync::Arc;

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
        AppError::Forbidden
        | AppError::Denied { .. }
        | AppError::PasswordChangeRequired
        | AppError::OrganisationPending => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) | AppError::InvalidState { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error a handler returns with `?`. It carries no language: `finish_errors` (middleware)
/// renders it in the request's language, as `{code, message, fields}` under `/api/` and as an
/// HTML page elsewhere. Internal causes are logged with their chain and never answered.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<xiaoqi_domain::FieldError> for ApiError {
    fn from(e: xiaoqi_domain::FieldError) -> Self {
        ApiError(e.into())
    }
}

impl From<xiaoqi_domain::ValidationErrors> for ApiError {
    fn from(e: xiaoqi_domain::ValidationErrors) -> Self {
        ApiError(e.into())
    }
}

/// An app error waiting in a response's extensions to be rendered by `finish_errors`.
#[derive(Debug, Clone)]
pub struct PendingError(pub Arc<AppError>);

/// The API body of an app error in a language.
pub fn body_of(e: &AppError, lang: Lang) -> ErrorBody {
    let en = lang == Lang::En;
    ErrorBody {
        code: e.code().into(),
        message: e.message(lang.code()),
        fields: e
            .fields()
            .into_iter()
            .map(|f| FieldProblem { field: f.field, rule: f.rule.into(), message: if en { f.en } else { f.zh } })
            .collect(),
    }
}

/// The JSON response of an app error in a language, with `Retry-After` when rate limited.
pub fn json_response(e: &AppError, lang: Lang) -> Response {
    let mut resp = (status_of(e), axum::Json(body_of(e, lang))).into_response();
    if let AppError::RateLimited { retry_after_secs } = e
        && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
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
        if matches!(self.0, AppError::Internal(_)) {
            tracing::error!(cause = %self.0.chain(), "internal error");
        }
        // A JSON body in the default language, for a response that never passes the middleware;
        // `finish_errors` replaces it with the request's language and kind.
        let mut resp = json_response(&self.0, Lang::Zh);
        resp.extensions_mut().insert(PendingError(Arc::new(self.0)));
        resp
    }
}

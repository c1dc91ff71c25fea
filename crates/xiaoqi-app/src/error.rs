//! The one error type of the use cases, with stable machine codes and bilingual messages.

use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::StoreError;

/// Why a use case refused or failed; `code()` is stable and documented in the API.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input failed validation; every offending field is named.
    #[error("validation failed: {0}")]
    Validation(ValidationErrors),
    /// No valid session or token.
    #[error("not authenticated")]
    Unauthenticated,
    /// Login or password did not match (deliberately not saying which).
    #[error("wrong login or password")]
    BadCredentials,
    /// Authenticated but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// Authenticated but not allowed, with the reason said (e.g. confidential details of a
    /// problem to a team that is not admitted).
    #[error("forbidden: {en}")]
    Denied {
        /// Message in Chinese.
        zh: String,
        /// Message in English.
        en: String,
    },
    /// The account signed in with a one-time password and must change it before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// The record does not exist or is not visible to the caller.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write conflicts with existing data (e.g. a duplicate email); names the field.
    #[error("conflict on {}", .0.field)]
    Conflict(FieldError),
    /// The record is not in a state that allows this step.
    #[error("invalid state: {en}")]
    InvalidState {
        /// Message in Chinese.
        zh: String,
        /// Message in English.
        en: String,
    },
    /// The organisation has not been admitted to the alliance yet, so it cannot publish.
    #[error("organisation pending")]
    OrganisationPending,
    /// Too many attempts; retry after the given number of seconds.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until the window frees up.
        retry_after_secs: u64,
    },
    /// Anything unexpected (storage down, corrupt data); the cause, with its own causes, is for
    /// logs only.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// Stable snake_case code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadCredentials => "bad_credentials",
            AppError::Forbidden | AppError::Denied { .. } => "forbidden",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::InvalidState { .. } => "invalid_state",
            AppError::OrganisationPending => "organisation_pending",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// A message for people, in Chinese (`zh`) or English (`en`); never internal details.
    pub fn message(&self, lang: &str) -> String {
        let en = lang == "en";
        let pick = |zh: &str, e: &str| if en { e.to_string() } else { zh.to_string() };
        match self {
            AppError::Validation(v) => {
                let parts: Vec<&str> = v.0.iter().map(|f| if en { f.en.as_str() } else { f.zh.as_str() }).collect();
                parts.join(if en { "; " } else { "；" })
            }
            AppError::Unauthenticated => pick("请先登录", "Please log in first"),
            AppError::BadCredentials => pick("账号或密码错误", "Wrong login or password"),
            AppError::Forbidden => pick("您没有权限执行此操作", "You are not allowed to do this"),
            AppError::PasswordChangeRequired => pick("请先修改一次性密码", "Change your one-time password first"),
            AppError::NotFound(what) => pick(&format!("未找到记录（{what}）"), &format!("Not found ({what})")),
            AppError::Conflict(f) => pick(&f.zh, &f.en),
            AppError::InvalidState { zh, en: e } | AppError::Denied { zh, en: e } => pick(zh, e),
            AppError::OrganisationPending => pick(
                "机构尚待联盟审核通过，通过前不能发布需求或发起服务申请、邀请",
                "The organisation is waiting for the alliance's approval; until then it cannot publish demands, request services or send invitations",
            ),
            AppError::RateLimited { retry_after_secs } => pick(
                &format!("尝试次数过多，请 {retry_after_secs} 秒后再试"),
                &format!("Too many attempts; try again in {retry_after_secs} seconds"),
            ),
            AppError::Internal(_) => pick("服务器内部错误，请稍后再试", "Internal error; please try again later"),
        }
    }

    /// The field errors to report, if any.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            AppError::Validation(v) => v.0.clone(),
            AppError::Conflict(f) => vec![f.clone()],
            _ => Vec::new(),
        }
    }

    /// The cause chain of an error, outermost first, for a log line: `a: b: c`.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }

    /// An internal error from any error value, keeping it as the source.
    pub fn internal(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AppError::Internal(e.into())
    }

    /// A state error with both messages.
    pub fn state(zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::InvalidState { zh: zh.into(), en: en.into() }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(v: ValidationErrors) -> Self {
        AppError::Validation(v)
    }
}

impl From<FieldError> for AppError {
    fn from(f: FieldError) -> Self {
        AppError::Validation(f.into())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity } => AppError::NotFound(entity),
            // Conflicts the use case did not anticipate (races): still a 409, named generically,
            // never with the database's own text.
            StoreError::Conflict { .. } => AppError::Conflict(FieldError::new(
                "record",
                "unique",
                "该记录与已有记录冲突",
                "This record conflicts with an existing one",
            )),
            backend @ StoreError::Backend(_) => AppError::Internal(Box::new(backend)),
        }
    }
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;

//! Authentication and the caller's own account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::auth::IssuedToken;
use xiaoqi_store::{NotificationRecord, RoleGrant, TokenRecord};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::{Ctx, cookie, device_cookie_name};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(token_login))
        .routes(routes!(request_password_reset))
        .routes(routes!(confirm_password_reset))
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(list_tokens, issue_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_notifications))
        .routes(routes!(mark_notification_read))
}

/// Credentials exchanged for an API token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenLogin {
    /// Email or 11-digit mobile number.
    pub login: String,
    pub password: String,
    /// A name for the token, e.g. "nightly export".
    pub name: String,
}

/// Checks a login and password and returns a new bearer token (shown once).
#[utoipa::path(post, path = "/auth/token", tag = "auth", security(()), request_body = TokenLogin,
    responses((status = 201, body = IssuedToken), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn token_login(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ApiJson(b): ApiJson<TokenLogin>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let device = cookie(&headers, device_cookie_name(s.web.secure_cookies));
    let t = s.app.login_for_token(&b.login, &b.password, &ctx.address, device, &b.name).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// A forgotten password: the login to send a reset code to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    /// Email or 11-digit mobile number.
    pub login: String,
}

/// The answer to a reset request: the same whether or not the login has an account.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasswordResetRequested {
    /// Always `sent`: if the login has an account, a code is on its way (valid one hour, once).
    pub status: &'static str,
}

/// Sends a single-use reset code (valid one hour) to the login's email or mobile number, if it
/// has an account; the same answer either way. Throttled per address and login.
#[utoipa::path(post, path = "/password-resets", tag = "auth", security(()), request_body = PasswordResetRequest,
    responses((status = 202, body = PasswordResetRequested), (status = 422, body = ErrorBody)))]
async fn request_password_reset(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<PasswordResetRequest>,
) -> Result<(StatusCode, Json<PasswordResetRequested>), ApiError> {
    s.app.request_password_reset(&b.login, &ctx.address).await?;
    Ok((StatusCode::ACCEPTED, Json(PasswordResetRequested { status: "sent" })))
}

/// A reset code and the new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmation {
    pub code: String,
    pub new_password: String,
}

/// Sets a new password with a reset code; every session, token and known device of the
/// account ends.
#[utoipa::path(post, path = "/password-resets/confirm", tag = "auth", security(()), request_body = PasswordResetConfirmation,
    responses((status = 204), (status = 422, body = ErrorBody)))]
async fn confirm_password_reset(
    State(s): State<AppState>,
    ApiJson(b): ApiJson<PasswordResetConfirmation>,
) -> Result<StatusCode, ApiError> {
    s.app.reset_password_with_code(&b.code, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller: account, roles and unread notifications.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub display_name: String,
    pub email: Option<String>,
    /// Masked, e.g. 138****5678.
    pub mobile: Option<String>,
    pub must_change_password: bool,
    pub roles: Vec<RoleGrant>,
    pub unread_notifications: u64,
}

/// Who am I.
#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Me>, ApiError> {
    let p = ctx.require()?;
    let unread = s.app.unread_count(p).await?;
    let a = &p.account;
    Ok(Json(Me {
        id: a.id,
        display_name: a.display_name.clone(),
        email: a.email.clone(),
        mobile: a.mobile.as_deref().map(xiaoqi_app::people::mask_mobile),
        must_change_password: a.must_change_password,
        roles: p.grants.clone(),
        unread_notifications: unread,
    }))
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the caller's password; every session of the account ends.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_password(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.change_password(p, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's API tokens (without secrets).
#[utoipa::path(get, path = "/me/tokens", tag = "auth", responses((status = 200, body = Vec<TokenRecord>), (status = 401, body = ErrorBody)))]
async fn list_tokens(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<TokenRecord>>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.list_tokens(p).await?))
}

/// A new token's name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
}

/// Issues a token for the caller (shown once).
#[utoipa::path(post, path = "/me/tokens", tag = "auth", request_body = NewToken,
    responses((status = 201, body = IssuedToken), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn issue_token(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.issue_token(p, &b.name).await?)))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/me/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_token(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.revoke_token(p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/me/notifications", tag = "auth", params(PageQuery),
    responses((status = 200, body = PageOf<NotificationRecord>), (status = 401, body = ErrorBody)))]
async fn list_notifications(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<NotificationRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_notifications(p, page).await?.into()))
}

/// Marks a notification read.
#[utoipa::path(post, path = "/me/notifications/{id}/read", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn mark_notification_read(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.mark_read(p, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

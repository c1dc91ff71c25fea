//! Members of an organisation, their roles, password resets and imports.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::import::ImportReport;
use xiaoqi_app::people::{CreatedMember, NewMemberInput};
use xiaoqi_store::MemberRecord;

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_members, create_member))
        .routes(routes!(grant_role))
        .routes(routes!(revoke_role))
        .routes(routes!(reset_password))
        .routes(routes!(import_people))
}

/// The members of an organisation with their roles.
#[utoipa::path(get, path = "/organizations/{id}/members", tag = "people", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = PageOf<MemberRecord>), (status = 403, body = ErrorBody)))]
async fn list_members(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<MemberRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_members(p, id, page).await?.into()))
}

/// Creates a member with roles; returns a one-time password to hand over.
#[utoipa::path(post, path = "/organizations/{id}/members", tag = "people", params(("id" = i64, Path)), request_body = NewMemberInput,
    responses((status = 201, body = CreatedMember), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_member(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NewMemberInput>,
) -> Result<(StatusCode, Json<CreatedMember>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_member(p, id, &b).await?)))
}

/// A role to grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub role: String,
}

/// Grants a role to a member.
#[utoipa::path(post, path = "/organizations/{id}/members/{account}/roles", tag = "people",
    params(("id" = i64, Path), ("account" = i64, Path)), request_body = RoleInput,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn grant_role(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, account)): ApiPath<(i64, i64)>,
    ApiJson(b): ApiJson<RoleInput>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.grant_role(p, id, account, &b.role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a role (the last administrator cannot be removed).
#[utoipa::path(delete, path = "/organizations/{id}/members/{account}/roles/{role}", tag = "people",
    params(("id" = i64, Path), ("account" = i64, Path), ("role" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_role(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, account, role)): ApiPath<(i64, i64, String)>,
) -> Result<StatusCode, ApiError> {
    let p = ctx.require()?;
    s.app.revoke_role(p, id, account, &role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A one-time password.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemporaryPassword {
    pub temporary_password: String,
}

/// Resets a member's password to a one-time password (must be changed at next login).
#[utoipa::path(post, path = "/organizations/{id}/members/{account}/password-reset", tag = "people",
    params(("id" = i64, Path), ("account" = i64, Path)),
    responses((status = 200, body = TemporaryPassword), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reset_password(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath((id, account)): ApiPath<(i64, i64)>,
) -> Result<Json<TemporaryPassword>, ApiError> {
    let p = ctx.require()?;
    let pw = s.app.reset_password(p, id, account).await?;
    Ok(Json(TemporaryPassword { temporary_password: pw }))
}

/// The name of the uploaded file, which decides how it is read (`.xlsx` or CSV).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    pub file_name: String,
}

/// Imports students, teachers and classes from a CSV (UTF-8 or GB18030) or .xlsx body.
/// All or nothing: every bad row is reported as `rows[LINE].COLUMN`.
#[utoipa::path(post, path = "/organizations/{id}/imports", tag = "people", params(("id" = i64, Path), ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = ImportReport), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn import_people(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportReport>), ApiError> {
    let p = ctx.require()?;
    let r = s.app.import_people(p, id, &q.file_name, &body).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

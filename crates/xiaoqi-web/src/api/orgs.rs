//! Registration, the member directory, organisation profiles and college structure.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xiaoqi_app::AppError;
use xiaoqi_app::college::{CollegeStructure, MajorInput};
use xiaoqi_app::directory::{OrgInput, OrgView, RegistrationInput};
use xiaoqi_domain::FieldError;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_store::{AuditRecord, ClassRecord, MajorRecord, OrgFilter};

use super::{PageOf, PageQuery};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(list_organizations))
        .routes(routes!(get_organization, update_organization))
        .routes(routes!(get_structure))
        .routes(routes!(create_major))
        .routes(routes!(list_classes))
        .routes(routes!(list_audit))
}

/// The answer to a registration: the same whether or not the email or mobile number was
/// already used (its owner is then told by message instead), so it reveals no account.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationReceived {
    /// Always `received`: log in with the email or mobile number and the password.
    pub status: &'static str,
}

/// Registers an organisation and its first administrator (no login needed); the organisation
/// publishes nothing until the alliance approves it. Throttled per client address.
#[utoipa::path(post, path = "/registrations", tag = "organizations", security(()), request_body = RegistrationInput,
    responses((status = 202, body = RegistrationReceived), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn register(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RegistrationInput>,
) -> Result<(StatusCode, Json<RegistrationReceived>), ApiError> {
    s.app.register(&b, ctx.request_id.clone(), &ctx.address).await?;
    Ok((StatusCode::ACCEPTED, Json(RegistrationReceived { status: "received" })))
}

/// Directory filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Organisation kind: college, enterprise, industry_association, sme_association, intermediary, government, alliance.
    pub kind: Option<String>,
    /// Region code or prefix: "44" (province), "4403" (city), "440305".
    pub region: Option<String>,
    /// Industry code of the SME rules, e.g. software_it_services.
    pub industry: Option<String>,
    /// micro, small, medium or large.
    pub size_class: Option<String>,
    /// Part of the name (Chinese or English).
    pub q: Option<String>,
    /// Alliance administrators only: none, pending, member, rejected (others always see members).
    pub membership: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl OrgQuery {
    /// Validates the filter values that are enums.
    pub fn filter(&self) -> Result<OrgFilter, AppError> {
        let kind = match blank(&self.kind) {
            Some(k) => Some(OrgKind::parse(&k).ok_or_else(|| {
                FieldError::new(
                    "kind",
                    "org_kind_unknown",
                    format!("未知的机构类型：{k}"),
                    format!("Unknown organisation kind: {k}"),
                )
            })?),
            None => None,
        };
        let membership = match blank(&self.membership) {
            Some(m) => Some(MembershipStatus::parse(&m).ok_or_else(|| {
                FieldError::new(
                    "membership",
                    "membership_unknown",
                    format!("未知的会员状态：{m}"),
                    format!("Unknown membership state: {m}"),
                )
            })?),
            None => None,
        };
        if let Some(q) = blank(&self.q)
            && q.chars().count() > 50
        {
            return Err(FieldError::too_long("q", 50).into());
        }
        Ok(OrgFilter {
            kind,
            region_prefix: blank(&self.region),
            industry: blank(&self.industry),
            size_class: blank(&self.size_class),
            name_contains: blank(&self.q),
            membership,
        })
    }
}

/// The member directory.
#[utoipa::path(get, path = "/organizations", tag = "organizations", params(OrgQuery),
    responses((status = 200, body = PageOf<OrgView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list_organizations(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<PageOf<OrgView>>, ApiError> {
    let p = ctx.require()?;
    let filter = q.filter()?;
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.list_orgs(p, filter, page).await?.into()))
}

/// One organisation (figures only for its members and alliance administrators).
#[utoipa::path(get, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)),
    responses((status = 200, body = OrgView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_organization(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<OrgView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.get_org(p, id).await?))
}

/// Updates an organisation's profile (its administrators).
#[utoipa::path(put, path = "/organizations/{id}", tag = "organizations", params(("id" = i64, Path)), request_body = OrgInput,
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_organization(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<OrgInput>,
) -> Result<Json<OrgView>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.update_org(p, id, &b).await?))
}

/// A college's departments and majors.
#[utoipa::path(get, path = "/organizations/{id}/structure", tag = "colleges", params(("id" = i64, Path)),
    responses((status = 200, body = CollegeStructure), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_structure(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CollegeStructure>, ApiError> {
    let p = ctx.require()?;
    Ok(Json(s.app.college_structure(p, id).await?))
}

/// Adds a major (college administrators and programme leaders).
#[utoipa::path(post, path = "/organizations/{id}/majors", tag = "colleges", params(("id" = i64, Path)), request_body = MajorInput,
    responses((status = 201, body = MajorRecord), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_major(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MajorInput>,
) -> Result<(StatusCode, Json<MajorRecord>), ApiError> {
    let p = ctx.require()?;
    Ok((StatusCode::CREATED, Json(s.app.create_major(p, id, &b).await?)))
}

/// A college's teaching classes (its members).
#[utoipa::path(get, path = "/organizations/{id}/classes", tag = "colleges", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = PageOf<ClassRecord>), (status = 403, body = ErrorBody)))]
async fn list_classes(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<ClassRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_classes(p, id, page).await?.into()))
}

/// The organisation's audit log, newest first (its administrators).
#[utoipa::path(get, path = "/organizations/{id}/audit", tag = "organizations", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = PageOf<AuditRecord>), (status = 403, body = ErrorBody)))]
async fn list_audit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageOf<AuditRecord>>, ApiError> {
    let p = ctx.require()?;
    let page = q.page()?;
    Ok(Json(s.app.list_audit(p, id, page).await?.into()))
}

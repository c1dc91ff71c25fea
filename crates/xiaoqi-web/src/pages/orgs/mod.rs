//! Organisation profile, editing, members, imports and the audit log.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::directory::{OrgInput, OrgView};
use xiaoqi_app::import::{ImportReport, TEMPLATE_CSV};
use xiaoqi_app::people::{CreatedMember, NewMemberInput};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::sme::{Industry, SizeClass};

use super::forms::opt_text;
use super::{Chrome, CsrfForm, FormErrors, all_pages, field_messages, forms, page_error, render, see_other, shanghai};
use crate::AppState;
use crate::ctx::{Ctx, check_csrf};
use crate::extract::ApiPath;

#[derive(Deserialize)]
pub(super) struct Offset {
    offset: Option<i64>,
}

mod audit;
mod import;
mod members;
mod profile;

pub(super) use audit::audit_page;
pub(super) use import::{import_page, import_submit, import_template, read_upload};
pub(super) use members::{create_major, create_member, grant_role, members_page, reset_password, revoke_role};
pub(super) use profile::{edit_page, edit_submit, org_page};

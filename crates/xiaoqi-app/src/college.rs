//! The structure of a college: departments, majors and classes.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{ClassRecord, DepartmentRecord, MajorRecord, OrgId};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// Input of a new major.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MajorInput {
    /// The national major code (专业代码), e.g. `510201`.
    pub code: String,
    pub name: String,
    pub department: Option<String>,
}

/// A college's departments and majors (public inside the platform).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CollegeStructure {
    pub departments: Vec<DepartmentRecord>,
    pub majors: Vec<MajorRecord>,
}

impl App {
    async fn college_manager(&self, p: &Principal, conn: &mut Box<dyn Conn>, org: OrgId) -> AppResult<()> {
        if !crate::authz::manages_majors(p, org) {
            return Err(AppError::Forbidden);
        }
        let o = conn.find_org(org).await?.ok_or(AppError::NotFound("organization"))?;
        if o.profile.kind != OrgKind::College {
            return Err(AppError::state("只有院校有院系和专业", "Only colleges have departments and majors"));
        }
        Ok(())
    }

    /// Departments and majors of a college the caller may see (see `get_org`).
    pub async fn college_structure(&self, p: &Principal, org: OrgId) -> AppResult<CollegeStructure> {
        self.get_org(p, org).await?;
        let mut conn = self.store.conn().await?;
        Ok(CollegeStructure { departments: conn.list_departments(org).await?, majors: conn.list_majors(org).await? })
    }

    /// Adds a major (and its department, if new): college administrators and programme leaders.
    pub async fn create_major(&self, p: &Principal, org: OrgId, input: &MajorInput) -> AppResult<MajorRecord> {
        let mut e = ValidationErrors::new();
        let code = e.check(required_text("code", &input.code, 12).and_then(|c| {
            if c.chars().all(|ch| ch.is_ascii_alphanumeric()) {
                Ok(c)
            } else {
                Err(FieldError::new(
                    "code",
                    "major_code_format",
                    "专业代码只能包含字母和数字",
                    "A major code has letters and digits only",
                ))
            }
        }));
        let name = e.check(required_text("name", &input.name, 60));
        let dept = e.check(optional_text("department", input.department.as_deref(), 60)).flatten();
        e.into_result()?;
        let (Some(code), Some(name)) = (code, name) else {
            return Err(AppError::Internal("validated input missing".into()));
        };
        let mut tx = self.store.begin().await?;
        self.college_manager(p, &mut tx, org).await?;
        let department_id = match dept {
            Some(d) => Some(department_id(&mut tx, org, &d).await?),
            None => None,
        };
        let id = tx.create_major(org, department_id, &code, &name).await.map_err(|e| match e {
            xiaoqi_store::StoreError::Conflict { .. } => AppError::Conflict(FieldError::new(
                "code",
                "major_code_taken",
                "本校已有该专业代码",
                "This college already has a major with this code",
            )),
            other => other.into(),
        })?;
        let m = MajorRecord { id, org_id: org, department_id, code, name, supply: Default::default() };
        record(&mut tx, self.now(), p, Some(org), Change::created("major.create", "major", id, &m)).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// A college's teaching classes: its members only.
    pub async fn list_classes(&self, p: &Principal, org: OrgId, page: PageRequest) -> AppResult<Page<ClassRecord>> {
        if !p.may_read_private(org) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.conn().await?.list_classes(org, page).await?)
    }
}

/// The id of a department by name, created when missing.
pub(crate) async fn department_id(conn: &mut Box<dyn Conn>, org: OrgId, name: &str) -> AppResult<i64> {
    let existing = conn.list_departments(org).await?;
    match existing.iter().find(|d| d.name == name) {
        Some(d) => Ok(d.id),
        None => Ok(conn.create_department(org, name).await?),
    }
}

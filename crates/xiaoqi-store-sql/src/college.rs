//! Departments, majors and classes of a college.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{ClassRecord, CollegeRepo, DepartmentRecord, MajorRecord, OrgId, StoreResult};

use crate::conn::{Arg, Filter, SqlConn, fetch_page, map_err};
use crate::talent::{MAJOR_COLS, row_to_major};

const CLASS_COLS: &str = "id, org_id, major_id, name, entry_year";

fn row_to_class(r: &AnyRow) -> Result<ClassRecord, sqlx::Error> {
    Ok(ClassRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        major_id: r.try_get("major_id")?,
        name: r.try_get("name")?,
        entry_year: r.try_get("entry_year")?,
    })
}

#[async_trait]
impl CollegeRepo for SqlConn {
    async fn create_department(&mut self, org: OrgId, name: &str) -> StoreResult<i64> {
        sqlx::query_scalar("INSERT INTO departments (org_id, name) VALUES ($1, $2) RETURNING id")
            .bind(org)
            .bind(name)
            .fetch_one(self.c())
            .await
            .map_err(map_err)
    }

    async fn list_departments(&mut self, org: OrgId) -> StoreResult<Vec<DepartmentRecord>> {
        let rows = sqlx::query("SELECT id, org_id, name FROM departments WHERE org_id = $1 ORDER BY id")
            .bind(org)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(DepartmentRecord { id: r.try_get("id")?, org_id: r.try_get("org_id")?, name: r.try_get("name")? })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_err)
    }

    async fn create_major(&mut self, org: OrgId, department: Option<i64>, code: &str, name: &str) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO majors (org_id, department_id, code, name) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(org)
        .bind(department)
        .bind(code)
        .bind(name)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_majors(&mut self, org: OrgId) -> StoreResult<Vec<MajorRecord>> {
        let sql = format!("SELECT {MAJOR_COLS} FROM majors WHERE org_id = $1 ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(org).fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(row_to_major).collect::<Result<_, sqlx::Error>>().map_err(map_err)
    }

    async fn create_class(&mut self, org: OrgId, major: Option<i64>, name: &str, entry_year: i64) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO classes (org_id, major_id, name, entry_year) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(org)
        .bind(major)
        .bind(name)
        .bind(entry_year)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_classes(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<ClassRecord>> {
        let mut w = Filter::default();
        w.push("org_id = {}", Arg::Int(org));
        fetch_page(self.c(), "classes", CLASS_COLS, &w, "entry_year DESC, id", page, row_to_class).await
    }

    async fn find_class_by_name(&mut self, org: OrgId, name: &str) -> StoreResult<Option<ClassRecord>> {
        let sql = format!("SELECT {CLASS_COLS} FROM classes WHERE org_id = $1 AND name = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(name)
            .fetch_optional(self.c())
            .await
            .map_err(map_err)?;
        row.as_ref().map(row_to_class).transpose().map_err(map_err)
    }
}

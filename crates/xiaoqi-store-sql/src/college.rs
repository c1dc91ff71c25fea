//! Departments, majors and classes of a college.

use async_trait::async_trait;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{ClassRecord, CollegeRepo, DepartmentRecord, MajorRecord, OrgId, StoreResult};

use crate::conn::{Filter, Row, SqlConn, args, row};
use crate::talent::{MAJOR_COLS, major};

const CLASS_COLS: &str = "id, org_id, major_id, name, entry_year";

fn class(r: &Row) -> StoreResult<ClassRecord> {
    Ok(row! { r, ClassRecord { id, org_id, major_id, name, entry_year } })
}

#[async_trait]
impl CollegeRepo for SqlConn {
    async fn create_department(&mut self, org: OrgId, name: &str) -> StoreResult<i64> {
        self.scalar("INSERT INTO departments (org_id, name) VALUES ($1, $2) RETURNING id", args![org, name]).await
    }

    async fn list_departments(&mut self, org: OrgId) -> StoreResult<Vec<DepartmentRecord>> {
        let sql = "SELECT id, org_id, name FROM departments WHERE org_id = $1 ORDER BY id";
        self.all(sql, args![org], |r| Ok(row! { r, DepartmentRecord { id, org_id, name } })).await
    }

    async fn create_major(&mut self, org: OrgId, department: Option<i64>, code: &str, name: &str) -> StoreResult<i64> {
        let sql = "INSERT INTO majors (org_id, department_id, code, name) VALUES ($1, $2, $3, $4) RETURNING id";
        self.scalar(sql, args![org, department, code, name]).await
    }

    async fn list_majors(&mut self, org: OrgId) -> StoreResult<Vec<MajorRecord>> {
        self.all(&format!("SELECT {MAJOR_COLS} FROM majors WHERE org_id = $1 ORDER BY id"), args![org], major).await
    }

    async fn create_class(&mut self, org: OrgId, major: Option<i64>, name: &str, entry_year: i64) -> StoreResult<i64> {
        let sql = "INSERT INTO classes (org_id, major_id, name, entry_year) VALUES ($1, $2, $3, $4) RETURNING id";
        self.scalar(sql, args![org, major, name, entry_year]).await
    }

    async fn list_classes(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<ClassRecord>> {
        let mut w = Filter::default();
        w.push("org_id = {}", org);
        self.page("classes", CLASS_COLS, &w, "entry_year DESC, id", page, class).await
    }

    async fn find_class_by_name(&mut self, org: OrgId, name: &str) -> StoreResult<Option<ClassRecord>> {
        let sql = format!("SELECT {CLASS_COLS} FROM classes WHERE org_id = $1 AND name = $2");
        self.opt(&sql, args![org, name], class).await
    }
}

//! Reference data: loading the vendored classifications and browsing them.

use xiaoqi_domain::FieldError;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{OccupationRecord, RegionRecord};

use crate::App;
use crate::error::{AppError, AppResult};

impl App {
    /// Loads the embedded occupation and region tables unless this version is already loaded.
    /// Returns true when it loaded them.
    pub async fn ensure_reference_data(&self) -> AppResult<bool> {
        let mut tx = self.store.begin().await?;
        if tx.refdata_version().await?.as_deref() == Some(xiaoqi_refdata::DATA_VERSION) {
            return Ok(false);
        }
        let occ = xiaoqi_refdata::occupations().map_err(AppError::internal)?;
        let regions = xiaoqi_refdata::regions().map_err(AppError::internal)?;
        let occ: Vec<OccupationRecord> = occ
            .iter()
            .map(|o| OccupationRecord {
                code: o.code.clone(),
                level: i64::from(o.level),
                parent_code: o.parent_code.clone(),
                name: o.name.clone(),
                definition: o.definition.clone(),
                aliases: o.aliases.join(","),
                green: o.green,
                digital: o.digital,
            })
            .collect();
        let regions: Vec<RegionRecord> = regions
            .iter()
            .map(|r| RegionRecord {
                code: r.code.clone(),
                parent_code: r.parent_code.clone(),
                level: i64::from(r.level),
                name: r.name.clone(),
                full_name: r.full_name.clone(),
                pinyin: r.pinyin.clone(),
            })
            .collect();
        tx.replace_refdata(xiaoqi_refdata::DATA_VERSION, &occ, &regions).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// One occupation by code.
    pub async fn get_occupation(&self, code: &str) -> AppResult<OccupationRecord> {
        check_occupation_code("code", code)?;
        self.store.conn().await?.find_occupation(code).await?.ok_or(AppError::NotFound("occupation"))
    }

    /// The children of an occupation group (the major groups when `parent` is none).
    pub async fn occupation_children(&self, parent: Option<&str>) -> AppResult<Vec<OccupationRecord>> {
        if let Some(p) = parent {
            self.get_occupation(p).await?;
        }
        Ok(self.store.conn().await?.list_occupation_children(parent).await?)
    }

    /// Occupations whose code, name or aliases contain the query.
    pub async fn search_occupations(&self, q: &str, page: PageRequest) -> AppResult<Page<OccupationRecord>> {
        let q = xiaoqi_domain::error::required_text("q", q, 50)?;
        Ok(self.store.conn().await?.search_occupations(&q, page).await?)
    }

    /// One region by code.
    pub async fn get_region(&self, code: &str) -> AppResult<RegionRecord> {
        check_region_code("code", code)?;
        self.store.conn().await?.find_region(code).await?.ok_or(AppError::NotFound("region"))
    }

    /// The children of a region (the provinces when `parent` is none).
    pub async fn region_children(&self, parent: Option<&str>) -> AppResult<Vec<RegionRecord>> {
        if let Some(p) = parent {
            self.get_region(p).await?;
        }
        Ok(self.store.conn().await?.list_region_children(parent).await?)
    }

    /// Regions whose code, full name or pinyin contain the query.
    pub async fn search_regions(&self, q: &str, page: PageRequest) -> AppResult<Page<RegionRecord>> {
        let q = xiaoqi_domain::error::required_text("q", q, 50)?;
        Ok(self.store.conn().await?.search_regions(&q, page).await?)
    }
}

/// Checks the shape of an occupation code (`2-02-07-04`).
pub fn check_occupation_code(field: &str, code: &str) -> Result<(), FieldError> {
    if xiaoqi_refdata::is_valid_occupation_code_format(code) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "occupation_code_format",
            format!("职业代码格式应为 X-XX-XX-XX：{code}"),
            format!("An occupation code looks like X-XX-XX-XX: {code}"),
        ))
    }
}

/// Checks the shape of a region code (six digits).
pub fn check_region_code(field: &str, code: &str) -> Result<(), FieldError> {
    if xiaoqi_refdata::is_valid_region_code_format(code) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "region_code_format",
            format!("行政区划代码应为 6 位数字：{code}"),
            format!("A region code has six digits: {code}"),
        ))
    }
}

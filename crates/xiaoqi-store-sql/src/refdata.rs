//! Reference data: occupations (CSCO 2022) and administrative divisions.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_engine::text::fold;
use xiaoqi_store::{OccupationRecord, RefDataRepo, RegionRecord, StoreResult};

use crate::conn::{Arg, Filter, SqlConn, fetch_page, flag, like_contains, map_err};

const OCC_COLS: &str = "code, level, parent_code, name, definition, aliases, green, digital";
const REGION_COLS: &str = "code, parent_code, level, name, full_name, pinyin";
/// The columns written when loading: the read columns plus the folded search text.
const OCC_LOAD_COLS: &str = "code, level, parent_code, name, definition, aliases, green, digital, search_folded";
const REGION_LOAD_COLS: &str = "code, parent_code, level, name, full_name, pinyin, search_folded";
/// Between the fields of the folded search text: not white space (which folding would merge),
/// so that a query cannot match across two fields.
const FIELD_SEP: &str = "\u{1f}";
/// Rows per multi-row INSERT when loading reference data (well under both engines' bind limits).
const BATCH: usize = 200;

fn row_to_occ(r: &AnyRow) -> Result<OccupationRecord, sqlx::Error> {
    Ok(OccupationRecord {
        code: r.try_get("code")?,
        level: r.try_get("level")?,
        parent_code: r.try_get("parent_code")?,
        name: r.try_get("name")?,
        definition: r.try_get("definition")?,
        aliases: r.try_get("aliases")?,
        green: flag(r, "green")?,
        digital: flag(r, "digital")?,
    })
}

fn row_to_region(r: &AnyRow) -> Result<RegionRecord, sqlx::Error> {
    Ok(RegionRecord {
        code: r.try_get("code")?,
        parent_code: r.try_get("parent_code")?,
        level: r.try_get("level")?,
        name: r.try_get("name")?,
        full_name: r.try_get("full_name")?,
        pinyin: r.try_get("pinyin")?,
    })
}

/// `INSERT INTO table (cols) VALUES ($1, …), (…)` for `rows` rows of `width` columns.
fn multi_insert(table: &str, cols: &str, width: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({cols}) VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        let ps: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
        sql.push('(');
        sql.push_str(&ps.join(", "));
        sql.push(')');
    }
    sql
}

#[async_trait]
impl RefDataRepo for SqlConn {
    async fn refdata_version(&mut self) -> StoreResult<Option<String>> {
        sqlx::query_scalar("SELECT version FROM refdata_meta WHERE id = 1")
            .fetch_optional(self.c())
            .await
            .map_err(map_err)
    }

    async fn replace_refdata(
        &mut self,
        version: &str,
        occ: &[OccupationRecord],
        regions: &[RegionRecord],
    ) -> StoreResult<()> {
        for sql in ["DELETE FROM occupations", "DELETE FROM regions", "DELETE FROM refdata_meta"] {
            sqlx::query(sql).execute(self.c()).await.map_err(map_err)?;
        }
        for chunk in occ.chunks(BATCH) {
            let sql = multi_insert("occupations", OCC_LOAD_COLS, 9, chunk.len());
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for o in chunk {
                q = q
                    .bind(o.code.clone())
                    .bind(o.level)
                    .bind(o.parent_code.clone())
                    .bind(o.name.clone())
                    .bind(o.definition.clone())
                    .bind(o.aliases.clone())
                    .bind(i64::from(o.green))
                    .bind(i64::from(o.digital))
                    .bind(fold(&[o.code.as_str(), &o.name, &o.aliases].join(FIELD_SEP)));
            }
            q.execute(self.c()).await.map_err(map_err)?;
        }
        for chunk in regions.chunks(BATCH) {
            let sql = multi_insert("regions", REGION_LOAD_COLS, 7, chunk.len());
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(r.code.clone())
                    .bind(r.parent_code.clone())
                    .bind(r.level)
                    .bind(r.name.clone())
                    .bind(r.full_name.clone())
                    .bind(r.pinyin.clone())
                    .bind(fold(&[r.code.as_str(), &r.full_name, &r.pinyin].join(FIELD_SEP)));
            }
            q.execute(self.c()).await.map_err(map_err)?;
        }
        sqlx::query("INSERT INTO refdata_meta (id, version) VALUES (1, $1)")
            .bind(version)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn find_occupation(&mut self, code: &str) -> StoreResult<Option<OccupationRecord>> {
        let sql = format!("SELECT {OCC_COLS} FROM occupations WHERE code = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(code).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_occ).transpose().map_err(map_err)
    }

    async fn list_occupation_children(&mut self, parent: Option<&str>) -> StoreResult<Vec<OccupationRecord>> {
        let (cond, arg) = match parent {
            Some(p) => ("parent_code = $1", Some(p.to_string())),
            None => ("parent_code IS NULL", None),
        };
        let sql = format!("SELECT {OCC_COLS} FROM occupations WHERE {cond} ORDER BY {}", self.text_order("code"));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        if let Some(a) = arg {
            q = q.bind(a);
        }
        let rows = q.fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(row_to_occ).collect::<Result<_, _>>().map_err(map_err)
    }

    async fn search_occupations(&mut self, q: &str, page: PageRequest) -> StoreResult<Page<OccupationRecord>> {
        let mut w = Filter::default();
        let pat = like_contains(&fold(q));
        w.push(
            // Both sides folded by the same Rust function: LIKE then means the same on both
            // engines (SQLite's ignores ASCII case, PostgreSQL's does not).
            "search_folded LIKE {} ESCAPE '\\'",
            Arg::Text(pat),
        );
        // The most specific occupations (level 4) first, in code order.
        let order = format!("level DESC, {}", self.text_order("code"));
        fetch_page(self.c(), "occupations", OCC_COLS, &w, &order, page, row_to_occ).await
    }

    async fn find_region(&mut self, code: &str) -> StoreResult<Option<RegionRecord>> {
        let sql = format!("SELECT {REGION_COLS} FROM regions WHERE code = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(code).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_region).transpose().map_err(map_err)
    }

    async fn list_region_children(&mut self, parent: Option<&str>) -> StoreResult<Vec<RegionRecord>> {
        let (cond, arg) = match parent {
            Some(p) => ("parent_code = $1", Some(p.to_string())),
            None => ("parent_code IS NULL", None),
        };
        let sql = format!("SELECT {REGION_COLS} FROM regions WHERE {cond} ORDER BY {}", self.text_order("code"));
        let mut q = sqlx::query(AssertSqlSafe(sql));
        if let Some(a) = arg {
            q = q.bind(a);
        }
        let rows = q.fetch_all(self.c()).await.map_err(map_err)?;
        rows.iter().map(row_to_region).collect::<Result<_, _>>().map_err(map_err)
    }

    async fn search_regions(&mut self, q: &str, page: PageRequest) -> StoreResult<Page<RegionRecord>> {
        let mut w = Filter::default();
        let pat = like_contains(&fold(q));
        w.push("search_folded LIKE {} ESCAPE '\\'", Arg::Text(pat));
        let order = format!("level, {}", self.text_order("code"));
        fetch_page(self.c(), "regions", REGION_COLS, &w, &order, page, row_to_region).await
    }
}

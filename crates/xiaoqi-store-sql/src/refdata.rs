//! Reference data: occupations (CSCO 2022) and administrative divisions.

use async_trait::async_trait;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_engine::text::fold;
use xiaoqi_store::{OccupationRecord, RefDataRepo, RegionRecord, StoreResult};

use crate::conn::{Arg, Filter, Row, SqlConn, args, like_contains, row};

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

fn occupation(r: &Row) -> StoreResult<OccupationRecord> {
    Ok(row! { r, OccupationRecord { code, level, parent_code, name, definition, aliases, green, digital } })
}

fn region(r: &Row) -> StoreResult<RegionRecord> {
    Ok(row! { r, RegionRecord { code, parent_code, level, name, full_name, pinyin } })
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
        self.opt_scalar("SELECT version FROM refdata_meta WHERE id = 1", args![]).await
    }

    async fn replace_refdata(
        &mut self,
        version: &str,
        occ: &[OccupationRecord],
        regions: &[RegionRecord],
    ) -> StoreResult<()> {
        for sql in ["DELETE FROM occupations", "DELETE FROM regions", "DELETE FROM refdata_meta"] {
            self.exec(sql, args![]).await?;
        }
        for chunk in occ.chunks(BATCH) {
            let sql = multi_insert("occupations", OCC_LOAD_COLS, 9, chunk.len());
            let mut args: Vec<Arg> = Vec::with_capacity(chunk.len() * 9);
            for o in chunk {
                let folded = fold(&[o.code.as_str(), &o.name, &o.aliases].join(FIELD_SEP));
                args.extend(args![&o.code, o.level, &o.parent_code, &o.name, &o.definition, &o.aliases]);
                args.extend(args![o.green, o.digital, folded]);
            }
            self.exec(&sql, args).await?;
        }
        for chunk in regions.chunks(BATCH) {
            let sql = multi_insert("regions", REGION_LOAD_COLS, 7, chunk.len());
            let mut args: Vec<Arg> = Vec::with_capacity(chunk.len() * 7);
            for r in chunk {
                let folded = fold(&[r.code.as_str(), &r.full_name, &r.pinyin].join(FIELD_SEP));
                args.extend(args![&r.code, &r.parent_code, r.level, &r.name, &r.full_name, &r.pinyin, folded]);
            }
            self.exec(&sql, args).await?;
        }
        self.exec("INSERT INTO refdata_meta (id, version) VALUES (1, $1)", args![version]).await?;
        Ok(())
    }

    async fn find_occupation(&mut self, code: &str) -> StoreResult<Option<OccupationRecord>> {
        self.opt(&format!("SELECT {OCC_COLS} FROM occupations WHERE code = $1"), args![code], occupation).await
    }

    async fn list_occupation_children(&mut self, parent: Option<&str>) -> StoreResult<Vec<OccupationRecord>> {
        let (cond, args) = match parent {
            Some(p) => ("parent_code = $1", args![p]),
            None => ("parent_code IS NULL", args![]),
        };
        let sql = format!("SELECT {OCC_COLS} FROM occupations WHERE {cond} ORDER BY {}", self.text_order("code"));
        self.all(&sql, args, occupation).await
    }

    async fn search_occupations(&mut self, q: &str, page: PageRequest) -> StoreResult<Page<OccupationRecord>> {
        let mut w = Filter::default();
        // Both sides folded by the same Rust function: LIKE then means the same on both
        // engines (SQLite's ignores ASCII case, PostgreSQL's does not).
        w.push("search_folded LIKE {} ESCAPE '\\'", like_contains(&fold(q)));
        // The most specific occupations (level 4) first, in code order.
        let order = format!("level DESC, {}", self.text_order("code"));
        self.page("occupations", OCC_COLS, &w, &order, page, occupation).await
    }

    async fn find_region(&mut self, code: &str) -> StoreResult<Option<RegionRecord>> {
        self.opt(&format!("SELECT {REGION_COLS} FROM regions WHERE code = $1"), args![code], region).await
    }

    async fn list_region_children(&mut self, parent: Option<&str>) -> StoreResult<Vec<RegionRecord>> {
        let (cond, args) = match parent {
            Some(p) => ("parent_code = $1", args![p]),
            None => ("parent_code IS NULL", args![]),
        };
        let sql = format!("SELECT {REGION_COLS} FROM regions WHERE {cond} ORDER BY {}", self.text_order("code"));
        self.all(&sql, args, region).await
    }

    async fn search_regions(&mut self, q: &str, page: PageRequest) -> StoreResult<Page<RegionRecord>> {
        let mut w = Filter::default();
        w.push("search_folded LIKE {} ESCAPE '\\'", like_contains(&fold(q)));
        let order = format!("level, {}", self.text_order("code"));
        self.page("regions", REGION_COLS, &w, &order, page, region).await
    }
}

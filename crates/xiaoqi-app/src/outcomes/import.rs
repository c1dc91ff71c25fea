//! Importing a cohort's destinations from a CSV or Excel file, with the student import's parser
//! and limits: all or nothing, every bad row reported with its line.

use std::collections::HashMap;

use serde::Serialize;
use xiaoqi_domain::destination::DestinationStatus;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::OrgId;

use super::destinations::{DestinationInput, checked_entry, graduate_of, new_destination};
use crate::audit::{Change, record};
use crate::authz::runs_internships;
use crate::error::{AppError, AppResult};
use crate::import::parse::Table;
use crate::import::{parse_off_the_runtime, row_error};
use crate::{App, Principal};

/// The columns of a destinations file; each accepts a Chinese or an English header.
const COLUMNS: &[(&str, &[&str])] = &[
    ("student_no", &["学号", "student_no"]),
    ("kind", &["毕业去向", "去向", "kind"]),
    ("date", &["日期", "去向日期", "date"]),
    ("employer_name", &["单位名称", "就业单位", "employer_name"]),
    ("credit_code", &["统一社会信用代码", "credit_code"]),
    ("occupation_code", &["职业代码", "occupation_code"]),
    ("note", &["备注", "note"]),
];

/// A template file, Chinese headers.
pub const TEMPLATE_CSV: &str = "学号,毕业去向,日期,单位名称,统一社会信用代码,职业代码,备注\n2024010101,协议和合同就业,2026-06-15,深圳创智精密机械有限公司,,6-18-02-04,\n2024010102,升学,2026-07-10,深圳职业技术大学,,,专升本\n";

/// One row of the file, its cells by column.
#[derive(Debug, Clone)]
struct Row {
    line: usize,
    cells: HashMap<&'static str, String>,
}

impl Row {
    fn get(&self, k: &str) -> Option<String> {
        self.cells.get(k).filter(|s| !s.is_empty()).cloned()
    }
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DestinationImportReport {
    pub cohort: i64,
    pub entries: usize,
}

fn rows_of(t: &Table) -> Result<Vec<Row>, ValidationErrors> {
    let mut idx: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in t.headers.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if let Some((key, _)) = COLUMNS.iter().find(|(_, names)| names.iter().any(|n| n.to_lowercase() == h)) {
            idx.insert(*key, i);
        }
    }
    for key in ["student_no", "kind", "date"] {
        if !idx.contains_key(key) {
            return Err(FieldError::new(
                "file",
                "column_missing",
                format!("缺少列：{key}（表头须包含 学号、毕业去向、日期）"),
                format!("Missing column: {key} (the header needs student_no, kind and date)"),
            )
            .into());
        }
    }
    let mut e = ValidationErrors::new();
    let mut rows = Vec::new();
    for r in &t.rows {
        let cells: HashMap<&'static str, String> =
            idx.iter().map(|(k, i)| (*k, r.cells.get(*i).map(|s| s.trim().to_string()).unwrap_or_default())).collect();
        let row = Row { line: r.line, cells };
        if row.get("student_no").is_none() {
            e.push(row_error(r.line, "student_no", "学号为必填项".into(), "student_no is required".into(), "required"));
        }
        rows.push(row);
    }
    e.into_result().map(|()| rows)
}

/// A row's field error, named `rows[LINE].FIELD` and prefixed with its line.
fn at_line(line: usize, f: FieldError) -> FieldError {
    let (zh, en) = (format!("第 {line} 行：{}", f.zh), format!("Line {line}: {}", f.en));
    FieldError::new(f.field, f.rule, zh, en)
}

impl App {
    /// Imports destinations of a cohort into the college's register (checked: the career
    /// officer imports them), for its administrators and career officers.
    pub async fn import_destinations(
        &self,
        p: &Principal,
        college: OrgId,
        cohort: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<DestinationImportReport> {
        if !runs_internships(p, college) {
            return Err(AppError::Forbidden);
        }
        let file_name = xiaoqi_domain::error::required_text("file_name", file_name, 200)?;
        let cohort = xiaoqi_domain::destination::check_cohort("cohort", cohort)?;
        self.require_college(college).await?;
        let rows = parse_off_the_runtime(file_name.clone(), bytes.to_vec(), rows_of).await?;
        let mut tx = self.store.begin().await?;
        let mut e = ValidationErrors::new();
        let mut ready = Vec::new();
        for row in &rows {
            let l = row.line;
            let no = row.get("student_no").unwrap_or_default();
            let student = tx.find_student_by_no(college, &no).await?;
            if student.is_none() {
                let (zh, en) =
                    (format!("本校没有学号为“{no}”的学生"), format!("this college has no student numbered {no:?}"));
                e.push(row_error(l, "student_no", zh, en, "student_not_in_college"));
            }
            let mut employer_org_id = None;
            if let Some(code) = row.get("credit_code") {
                match tx.find_org_by_credit_code(&code).await? {
                    Some(o) => employer_org_id = Some(o.id),
                    None => e.push(row_error(
                        l,
                        "credit_code",
                        format!("名录中没有统一社会信用代码为 {code} 的单位"),
                        format!("the directory has no organisation with credit code {code}"),
                        "employer_unknown",
                    )),
                }
            }
            let input = DestinationInput {
                student_no: Some(no),
                cohort,
                kind: row.get("kind").unwrap_or_default(),
                date: row.get("date").unwrap_or_default(),
                employer_org_id,
                employer_name: row.get("employer_name"),
                occupation_code: row.get("occupation_code"),
                note: row.get("note"),
            };
            let checked = match checked_entry(&mut tx, &input, &format!("rows[{l}].")).await {
                Ok(c) => Some(c),
                Err(AppError::Validation(v)) => {
                    e.0.extend(v.0.into_iter().map(|f| at_line(l, f)));
                    None
                }
                Err(other) => return Err(other),
            };
            if let Some(s) = &student
                && let Some(g) = tx.find_graduate_of(s.account_id).await?
                && g.cohort != cohort
            {
                let (zh, en) =
                    (format!("该学生登记在 {} 届", g.cohort), format!("this student is in the {} cohort", g.cohort));
                e.push(row_error(l, "student_no", zh, en, "cohort_mismatch"));
            }
            if let (Some(s), Some((_, entry))) = (student, checked) {
                ready.push((l, s, entry));
            }
        }
        e.into_result()?;
        let entries = ready.len();
        for (l, student, entry) in ready {
            let graduate = graduate_of(&mut tx, &student, cohort, &format!("rows[{l}].student_no"), self.now()).await?;
            tx.create_destination(&new_destination(graduate, entry, DestinationStatus::Checked, p.id(), self.now()))
                .await?;
        }
        let summary = serde_json::json!({"file": file_name.as_str(), "cohort": cohort, "entries": entries});
        record(
            &mut tx,
            self.now(),
            p,
            Some(college),
            Change::created("destination.import", "organization", college, &summary),
        )
        .await?;
        tx.commit().await?;
        Ok(DestinationImportReport { cohort, entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse::parse_table;

    #[test]
    fn a_file_without_the_kind_column_is_refused() {
        let t = parse_table("d.csv", "学号,日期\n1,2026-06-01\n".as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows_of(&t).err().map(|e| e.0[0].rule), Some("column_missing"));
    }

    #[test]
    fn the_template_reads_into_rows() {
        let t = parse_table("d.csv", TEMPLATE_CSV.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let rows = rows_of(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].get("kind").as_deref(), Some("升学"));
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn a_row_without_a_student_number_is_named_by_its_line() {
        let t =
            parse_table("d.csv", "学号,毕业去向,日期\n,升学,2026-06-01\n".as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows_of(&t).err().map(|e| e.0[0].field.clone()).as_deref(), Some("rows[2].student_no"));
    }
}

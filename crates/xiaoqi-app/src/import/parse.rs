//! Reading a people file (CSV in UTF-8 or GB18030, or Excel .xlsx) into raw rows.

use std::io::Cursor;

use calamine::{Data, Reader as _, Xlsx};
use xiaoqi_domain::FieldError;

/// One data row: its line in the file (the header is line 1) and its cells by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A parsed table: the header names and the data rows (blank rows skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
}

fn file_error(rule: &'static str, zh: String, en: String) -> FieldError {
    FieldError::new("file", rule, zh, en)
}

/// Decodes CSV bytes: UTF-8 (with or without BOM) when valid, otherwise GB18030, which
/// Excel on Chinese Windows writes by default.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Parses a file by its name: `.xlsx` as Excel, anything else as CSV.
pub fn parse_table(file_name: &str, bytes: &[u8]) -> Result<Table, FieldError> {
    if bytes.is_empty() {
        return Err(file_error("file_empty", "文件为空".into(), "The file is empty".into()));
    }
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04") {
        parse_xlsx(bytes)
    } else if lower.ends_with(".xls") {
        Err(file_error(
            "file_format",
            "不支持旧版 .xls，请另存为 .xlsx 或 CSV".into(),
            "Old .xls files are not supported; save as .xlsx or CSV".into(),
        ))
    } else {
        parse_csv(&decode_text(bytes))
    }
}

fn parse_csv(text: &str) -> Result<Table, FieldError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            file_error(
                "csv_format",
                format!("第 {line} 行不是有效的 CSV：{e}"),
                format!("Line {line} is not valid CSV: {e}"),
            )
        })?;
        let line = rec.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        push_row(&mut headers, &mut rows, line, cells);
    }
    finish(headers, rows)
}

/// The most a workbook may unpack to: a 10 MB upload must not become gigabytes in memory.
const MAX_XLSX_UNPACKED: u128 = 64 * 1024 * 1024;
/// The most data rows a file may have.
pub const MAX_ROWS: usize = 20_000;

fn parse_xlsx(bytes: &[u8]) -> Result<Table, FieldError> {
    if let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes))
        && archive.decompressed_size().is_some_and(|n| n > MAX_XLSX_UNPACKED)
    {
        return Err(file_error(
            "xlsx_too_large",
            "Excel 文件解压后超过 64 MB，请拆分后导入".into(),
            "The Excel file unpacks to more than 64 MB; split it".into(),
        ));
    }
    let bad = |e: String| {
        file_error("xlsx_format", format!("无法读取 Excel 文件：{e}"), format!("Cannot read the Excel file: {e}"))
    };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let range = wb.worksheet_range_at(0).ok_or_else(|| bad("no worksheet".into()))?.map_err(|e| bad(e.to_string()))?;
    let first_row = usize::try_from(range.start().map_or(0, |(r, _)| r)).unwrap_or(0);
    let mut headers = None;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        push_row(&mut headers, &mut rows, first_row + i + 1, cells);
    }
    finish(headers, rows)
}

/// Excel stores numbers as floats: a student number 2023001 must not become "2023001.0".
fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

fn push_row(headers: &mut Option<Vec<String>>, rows: &mut Vec<RawRow>, line: usize, cells: Vec<String>) {
    if cells.iter().all(String::is_empty) {
        return;
    }
    match headers {
        None => *headers = Some(cells),
        Some(_) => rows.push(RawRow { line, cells }),
    }
}

fn finish(headers: Option<Vec<String>>, rows: Vec<RawRow>) -> Result<Table, FieldError> {
    if rows.len() > MAX_ROWS {
        return Err(file_error(
            "file_too_many_rows",
            format!("文件有 {} 行数据，一次最多导入 {MAX_ROWS} 行", rows.len()),
            format!("The file has {} data rows; at most {MAX_ROWS} at a time", rows.len()),
        ));
    }
    let headers = headers
        .ok_or_else(|| file_error("file_no_header", "文件没有表头行".into(), "The file has no header row".into()))?;
    if rows.is_empty() {
        return Err(file_error("file_no_rows", "文件没有数据行".into(), "The file has no data rows".into()));
    }
    Ok(Table { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_csv_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("类型,姓名\n学生,张三\n");
        let t = parse_table("people.csv", &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.headers, vec!["类型", "姓名"]);
        assert_eq!(t.rows[0].cells, vec!["学生", "张三"]);
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn utf8_bom_is_ignored_and_blank_rows_skipped_with_true_line_numbers() {
        let t = parse_table("p.csv", "\u{FEFF}type,name\n\n,\nstudent,Li Lei\n".as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.headers[0], "type");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 4);
    }

    #[test]
    fn files_with_too_many_rows_are_refused() {
        let mut csv = String::from("type,name\n");
        for i in 0..=MAX_ROWS {
            csv.push_str(&format!("student,S{i}\n"));
        }
        assert_eq!(parse_table("big.csv", csv.as_bytes()).map_err(|e| e.rule), Err("file_too_many_rows"));
    }

    #[test]
    fn empty_and_header_only_files_are_refused_by_name() {
        assert_eq!(parse_table("a.csv", b"").map_err(|e| e.rule), Err("file_empty"));
        assert_eq!(parse_table("a.csv", b"type,name\n").map_err(|e| e.rule), Err("file_no_rows"));
        assert_eq!(parse_table("a.xls", b"x").map_err(|e| e.rule), Err("file_format"));
        assert_eq!(parse_table("a.xlsx", b"PK\x03\x04garbage").map_err(|e| e.rule), Err("xlsx_format"));
    }
}

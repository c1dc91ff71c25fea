//! Reading a people file (CSV in UTF-8 or GB18030, or Excel .xlsx) into raw rows.

use std::collections::BTreeMap;
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
        if rec.len() > MAX_SHEET_COLUMNS as usize {
            return Err(file_error(
                "csv_too_many_columns",
                format!("第 {line} 行有 {} 列，最多 {MAX_SHEET_COLUMNS} 列", rec.len()),
                format!("Line {line} has {} columns; at most {MAX_SHEET_COLUMNS}", rec.len()),
            ));
        }
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_string()).collect();
        push_row(&mut headers, &mut rows, line, cells);
        if rows.len() > MAX_ROWS {
            // Enough to refuse the file; reading on would only hold more of it.
            break;
        }
    }
    finish(headers, rows)
}

/// The most a workbook may unpack to: a 10 MB upload must not become gigabytes in memory.
const MAX_XLSX_UNPACKED: u128 = 64 * 1024 * 1024;
/// The most data rows a file may have.
pub const MAX_ROWS: usize = 20_000;
/// The most rows a sheet's used range may span (data rows, the header and blank rows between).
const MAX_SHEET_ROWS: u32 = 2 * MAX_ROWS as u32 + 1;
/// The most columns a sheet's used range may span; a people file has seven.
const MAX_SHEET_COLUMNS: u32 = 64;

fn range_too_large() -> FieldError {
    file_error(
        "xlsx_range_too_large",
        format!("Excel 工作表的使用区域过大：最多 {MAX_SHEET_ROWS} 行、{MAX_SHEET_COLUMNS} 列，请删除多余的单元格"),
        format!(
            "The worksheet's used range is too large: at most {MAX_SHEET_ROWS} rows and {MAX_SHEET_COLUMNS} columns; delete the stray cells"
        ),
    )
}

/// Reads the first worksheet cell by cell, keeping only cells that hold something: a sheet with
/// cells at A1 and XFD1048576 must not allocate rows × columns (calamine's `Range` would).
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
    let sheet = wb.sheet_names().into_iter().next().ok_or_else(|| bad("no worksheet".into()))?;
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(|e| bad(e.to_string()))?;
    let mut by_row: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let (mut first_row, mut first_col) = (u32::MAX, u32::MAX);
    while let Some(cell) = cells.next_cell().map_err(|e| bad(e.to_string()))? {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        first_row = first_row.min(row);
        first_col = first_col.min(col);
        if row - first_row >= MAX_SHEET_ROWS || col - first_col >= MAX_SHEET_COLUMNS {
            return Err(range_too_large());
        }
        by_row.entry(row).or_default().push((col, text));
    }
    if by_row.keys().next_back().is_some_and(|last| last - first_row >= MAX_SHEET_ROWS)
        || by_row.values().flatten().any(|(c, _)| c - first_col >= MAX_SHEET_COLUMNS)
    {
        return Err(range_too_large());
    }
    let mut headers = None;
    let mut rows = Vec::new();
    for (row, mut row_cells) in by_row {
        row_cells.sort_by_key(|(c, _)| *c);
        let width = row_cells.last().map_or(0, |(c, _)| (c - first_col + 1) as usize);
        let mut dense = vec![String::new(); width];
        for (c, text) in row_cells {
            dense[(c - first_col) as usize] = text;
        }
        push_row(&mut headers, &mut rows, row as usize + 1, dense);
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
            format!("文件的数据超过 {MAX_ROWS} 行，一次最多导入 {MAX_ROWS} 行"),
            format!("The file has more than {MAX_ROWS} data rows; at most {MAX_ROWS} at a time"),
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

    /// A minimal workbook whose first sheet holds `cells` (reference, inline text).
    fn workbook(cells: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write as _;
        let mut rows: BTreeMap<u32, String> = BTreeMap::new();
        for (r, text) in cells {
            let digits: String = r.chars().filter(char::is_ascii_digit).collect();
            let row: u32 = digits.parse().unwrap_or(1);
            rows.entry(row).or_default().push_str(&format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#));
        }
        let data: String = rows.iter().map(|(r, c)| format!(r#"<row r="{r}">{c}</row>"#)).collect();
        let files = [
            ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#)),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, body) in files {
            zip.start_file(name, opts).unwrap_or_else(|e| panic!("{e}"));
            zip.write_all(body.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        }
        zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    #[test]
    fn a_workbook_is_read_cell_by_cell_with_true_line_numbers() {
        let wb = workbook(&[("A1", "类型"), ("B1", "姓名"), ("A2", "学生"), ("B2", "张三"), ("B4", "李四")]);
        let t = parse_table("people.xlsx", &wb).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.headers, vec!["类型", "姓名"]);
        assert_eq!(t.rows[0], RawRow { line: 2, cells: vec!["学生".into(), "张三".into()] });
        assert_eq!(t.rows[1], RawRow { line: 4, cells: vec![String::new(), "李四".into()] });
    }

    #[test]
    fn a_sheet_spanning_the_whole_grid_is_refused_without_allocating_it() {
        // A1 and XFD1048576: a dense range would be 2^20 × 2^14 cells (the 549,755,813,888-byte abort).
        let wb = workbook(&[("A1", "类型"), ("XFD1048576", "x")]);
        assert_eq!(parse_table("bomb.xlsx", &wb).map_err(|e| e.rule), Err("xlsx_range_too_large"));
        let wide = workbook(&[("A1", "类型"), ("ZZ2", "x")]);
        assert_eq!(parse_table("wide.xlsx", &wide).map_err(|e| e.rule), Err("xlsx_range_too_large"));
        let tall = workbook(&[("A1", "类型"), ("A50000", "x")]);
        assert_eq!(parse_table("tall.xlsx", &tall).map_err(|e| e.rule), Err("xlsx_range_too_large"));
    }

    #[test]
    fn a_csv_row_with_too_many_columns_is_refused() {
        let csv = format!("type,name\n{}\n", vec!["x"; 100].join(","));
        assert_eq!(parse_table("wide.csv", csv.as_bytes()).map_err(|e| e.rule), Err("csv_too_many_columns"));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let _ = parse_table("x.csv", &bytes);
            let mut zipped = b"PK\x03\x04".to_vec();
            zipped.extend_from_slice(&bytes);
            let _ = parse_table("x.xlsx", &zipped);
        }
    }

    #[test]
    fn empty_and_header_only_files_are_refused_by_name() {
        assert_eq!(parse_table("a.csv", b"").map_err(|e| e.rule), Err("file_empty"));
        assert_eq!(parse_table("a.csv", b"type,name\n").map_err(|e| e.rule), Err("file_no_rows"));
        assert_eq!(parse_table("a.xls", b"x").map_err(|e| e.rule), Err("file_format"));
        assert_eq!(parse_table("a.xlsx", b"PK\x03\x04garbage").map_err(|e| e.rule), Err("xlsx_format"));
    }
}

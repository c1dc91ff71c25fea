//! Shared helpers: reading the embedded CSV files and tidying their text.

use csv::StringRecord;

use crate::RefDataError;

/// One data record of an embedded CSV file with the line it starts on.
pub(crate) struct Row {
    /// The 1-based line of the file where the record starts.
    pub line: u64,
    /// The record's fields in header order.
    pub record: StringRecord,
}

impl Row {
    /// The field at `index`, or an empty string when the record is shorter.
    pub fn field(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("")
    }
}

/// Reads every record of `text`, checking that the header is exactly `header`.
pub(crate) fn read_rows(file: &'static str, text: &str, header: &[&str]) -> Result<Vec<Row>, RefDataError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let found = reader.headers().map_err(|e| RefDataError::from_csv(file, 1, &e))?;
    if found.iter().ne(header.iter().copied()) {
        let found: Vec<&str> = found.iter().collect();
        return Err(RefDataError::new(file, 1, format!("unexpected header {found:?}, expected {header:?}")));
    }
    let mut rows = Vec::new();
    let mut last_line = 1;
    for result in reader.records() {
        let record = result.map_err(|e| RefDataError::from_csv(file, last_line + 1, &e))?;
        let line = record.position().map_or(last_line + 1, csv::Position::line);
        last_line = line;
        rows.push(Row { line, record });
    }
    Ok(rows)
}

/// Trims `s` and drops whitespace between two non-ASCII characters (a PDF-extraction artefact
/// such as "皮革、 毛皮"), collapsing any other run of whitespace to one ASCII space.
pub(crate) fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev_ascii = out.chars().next_back().is_some_and(|p| p.is_ascii());
            if prev_ascii || c.is_ascii() {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_drops_a_space_between_chinese_characters() {
        assert_eq!(tidy("气体生产、 处理和输送人员"), "气体生产、处理和输送人员");
    }

    #[test]
    fn tidy_keeps_one_space_next_to_latin_text() {
        assert_eq!(tidy("SPA  技师"), "SPA 技师");
        assert_eq!(tidy("FAE 现场应用工程师"), "FAE 现场应用工程师");
    }

    #[test]
    fn tidy_trims_unicode_whitespace_including_no_break_space() {
        assert_eq!(tidy(" 垦利区\u{a0}"), "垦利区");
    }

    #[test]
    fn read_rows_rejects_an_unexpected_header_on_line_1() {
        let err = read_rows("x.csv", "a,c\n1,2\n", &["a", "b"]).err();
        assert_eq!(err.map(|e| (e.file, e.line)), Some(("x.csv", 1)));
    }

    #[test]
    fn read_rows_reports_a_short_record_with_its_line() {
        let err = read_rows("x.csv", "a,b\n1,2\n3\n", &["a", "b"]).err();
        assert_eq!(err.map(|e| (e.file, e.line)), Some(("x.csv", 3)));
    }

    #[test]
    fn read_rows_numbers_records_by_file_line() {
        let rows = read_rows("x.csv", "a,b\n1,2\n3,4\n", &["a", "b"]).unwrap_or_default();
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3]);
        assert_eq!(rows.get(1).map(|r| r.field(1)), Some("4"));
    }
}

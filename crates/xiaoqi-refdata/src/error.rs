//! The error returned when embedded reference data cannot be parsed.

/// A reference-data file could not be parsed; names the file and the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reference data {file}, line {line}: {message}")]
pub struct RefDataError {
    /// The embedded file, e.g. `csco-2022-occupations.csv`.
    pub file: &'static str,
    /// The 1-based line of the file where the problem was found (1 is the header).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl RefDataError {
    /// Builds an error for `file` at `line`.
    pub(crate) fn new(file: &'static str, line: u64, message: impl Into<String>) -> Self {
        Self { file, line, message: message.into() }
    }

    /// Wraps a CSV reader error, taking the line from it when it knows one.
    pub(crate) fn from_csv(file: &'static str, fallback_line: u64, err: &csv::Error) -> Self {
        let line = err.position().map_or(fallback_line, csv::Position::line);
        Self::new(file, line, format!("malformed CSV: {err}"))
    }
}

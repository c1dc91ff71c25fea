//! Validation errors that name the field and the rule, in Chinese and English.

use std::fmt;

/// One rejected field: which field, which rule (a stable snake_case code) and a bilingual message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The input field, as the caller named it (`credit_code`, `members[3].email`).
    pub field: String,
    /// Stable machine code of the rule that failed, e.g. `credit_code_check_character`.
    pub rule: &'static str,
    /// Message in Chinese (the default interface language).
    pub zh: String,
    /// Message in English.
    pub en: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(field: impl Into<String>, rule: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.into(), rule, zh: zh.into(), en: en.into() }
    }

    /// The same error reported under another field name (e.g. when a nested value is checked).
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    /// A required field was missing or blank.
    pub fn required(field: impl Into<String>) -> Self {
        let field = field.into();
        Self::new(field.clone(), "required", format!("{field} 为必填项"), format!("{field} is required"))
    }

    /// A text field exceeded its maximum length in characters.
    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        let field = field.into();
        Self::new(
            field.clone(),
            "too_long",
            format!("{field} 不能超过 {max} 个字符"),
            format!("{field} must be at most {max} characters"),
        )
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} / {}", self.field, self.zh, self.en)
    }
}

impl std::error::Error for FieldError {}

/// All field errors of one input; never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// An empty collection.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Adds one error.
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Records the error of a field check and returns its value when it passed.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// `Ok(())` if nothing was recorded, otherwise all recorded errors.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// True when no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<FieldError> for ValidationErrors {
    fn from(e: FieldError) -> Self {
        Self(vec![e])
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Refuses control characters other than line breaks and tabs: they are never typed, and
/// PostgreSQL cannot store NUL in text at all (SQLite would), so both engines refuse alike.
fn no_control_characters(field: &str, v: &str) -> Result<(), FieldError> {
    match v.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        None => Ok(()),
        Some(c) => Err(FieldError::new(
            field,
            "control_character",
            format!("{field} 含有不可见的控制字符 U+{:04X}", u32::from(c)),
            format!("{field} contains the control character U+{:04X}", u32::from(c)),
        )),
    }
}

/// Trims a required text field and checks its length in characters (and that it has no
/// control characters but line breaks and tabs).
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::required(field));
    }
    if v.chars().count() > max_chars {
        return Err(FieldError::too_long(field, max_chars));
    }
    no_control_characters(field, v)?;
    Ok(v.to_string())
}

/// Trims an optional text field: blank becomes `None`; checks its length in characters (and that
/// it has no control characters but line breaks and tabs).
pub fn optional_text(field: &str, value: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > max_chars => Err(FieldError::too_long(field, max_chars)),
        Some(v) => no_control_characters(field, v).map(|()| Some(v.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_and_tabs_kept() {
        let rule = |r: Result<String, FieldError>| r.err().map_or("ok", |e| e.rule);
        assert_eq!(rule(required_text("name", "甲\u{0}乙", 10)), "control_character");
        assert_eq!(rule(required_text("name", "a\u{7}", 10)), "control_character");
        assert_eq!(rule(required_text("name", "a\u{7f}b", 10)), "control_character");
        assert_eq!(required_text("note", "第一行\n第二行\tx", 20), Ok("第一行\n第二行\tx".to_string()));
        let e = optional_text("message", Some("hi\u{1b}[31m"), 50).err();
        assert_eq!(e.as_ref().map(|e| (e.field.as_str(), e.rule)), Some(("message", "control_character")));
        assert!(e.is_some_and(|e| e.zh.contains("U+001B") && e.en.contains("U+001B")));
        assert_eq!(optional_text("message", Some("  "), 5), Ok(None));
    }
}

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

/// Trims a required text field and checks its length in characters.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::required(field));
    }
    if v.chars().count() > max_chars {
        return Err(FieldError::too_long(field, max_chars));
    }
    Ok(v.to_string())
}

/// Trims an optional text field: blank becomes `None`; checks its length in characters.
pub fn optional_text(field: &str, value: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > max_chars => Err(FieldError::too_long(field, max_chars)),
        Some(v) => Ok(Some(v.to_string())),
    }
}

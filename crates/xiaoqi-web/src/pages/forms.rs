//! Reading typed values from submitted forms, and showing what was wrong beside each field.
//!
//! A value that does not read is always a field error naming the field (never 0, −1 or
//! nothing), collected with the others so that the form comes back once, with every message
//! beside its field and named by the field's label in the person's language.

use xiaoqi_app::AppError;
use xiaoqi_domain::{FieldError, ValidationErrors};

use crate::i18n::T;

/// Full-width digits and signs (typed with a Chinese input method) as ASCII.
fn ascii_digits(raw: &str) -> String {
    raw.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '－' => '-',
            '．' => '.',
            '，' => ',',
            other => other,
        })
        .collect()
}

/// A whole number as typed: blank is `None`; anything else must be an integer (full-width digits
/// are accepted), or it is the field's `integer_format` error.
pub fn parse_int(field: &str, raw: &str) -> Result<Option<i64>, FieldError> {
    let v = ascii_digits(raw);
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>().map(Some).map_err(|_| {
        FieldError::new(
            field,
            "integer_format",
            format!("{field} 须为整数，而不是“{}”", raw.trim()),
            format!("{field} must be a whole number, not \"{}\"", raw.trim()),
        )
    })
}

/// A whole number the form requires: blank is `required`, unreadable `integer_format`.
pub fn required_int(field: &str, raw: &str) -> Result<i64, FieldError> {
    parse_int(field, raw)?.ok_or_else(|| FieldError::required(field))
}

/// Optional text: blank (after trimming) is `None`.
pub fn opt_text(raw: &str) -> Option<String> {
    Some(raw.trim().to_string()).filter(|v| !v.is_empty())
}

/// A list typed in one box: items separated by line breaks, commas (`,` `，`), `、` or
/// semicolons, trimmed, blanks dropped.
pub fn list(raw: &str) -> Vec<String> {
    raw.split(['\n', ',', '，', '、', ';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Collects the field errors of reading one form; the values it hands back for a field in error
/// are placeholders that must never reach a use case (`finish` refuses first).
#[derive(Debug, Default)]
pub struct Reader {
    errors: ValidationErrors,
}

impl Reader {
    /// A reader with no errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A whole number the form requires: blank is `required`, unreadable `integer_format`.
    pub fn int(&mut self, field: &str, raw: &str) -> i64 {
        required_int(field, raw).unwrap_or_else(|e| {
            self.errors.push(e);
            0
        })
    }

    /// An optional whole number: blank is `None`, unreadable is `integer_format`.
    pub fn opt_int(&mut self, field: &str, raw: &str) -> Option<i64> {
        match parse_int(field, raw) {
            Ok(v) => v,
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// Records an error found while reading (e.g. by a domain parser).
    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// `Ok` when every field read, else all their errors.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        self.errors.into_result()
    }
}

/// The messages of a refused form: each under its field's name, already in the page language and
/// naming the field by its label; `field` is empty for a message about the whole form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    /// No messages.
    pub fn none() -> Self {
        Self::default()
    }

    /// The messages of an app error: field errors one by one, anything else as one message for
    /// the whole form.
    pub fn of(t: &T, e: &AppError) -> Self {
        let fields = e.fields();
        if fields.is_empty() {
            return FormErrors(vec![(String::new(), e.message(t.code()))]);
        }
        FormErrors(fields.into_iter().map(|f| (f.field.clone(), message_for(t, &f))).collect())
    }

    /// Whether there are no messages.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, when there is one (a list field's items count: `posts[0].…`
    /// belongs to `posts`).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| belongs_to(f, field)).map(|(_, m)| m.as_str())
    }

    /// The messages about the whole form or about fields the form does not show beside an input.
    pub fn iter(&self) -> std::slice::Iter<'_, (String, String)> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a FormErrors {
    type Item = &'a (String, String);
    type IntoIter = std::slice::Iter<'a, (String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

fn belongs_to(error_field: &str, field: &str) -> bool {
    error_field == field
        || error_field.strip_prefix(field).is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
}

/// The last plain name of a field path: `posts[0].skills[2].level` → `level`.
fn leaf(field: &str) -> &str {
    let last = field.rsplit('.').next().unwrap_or(field);
    last.split('[').next().unwrap_or(last)
}

/// A field error's message in the page language, with the field's key replaced by its label
/// (from the `field.*` strings) and a rule code in brackets left out: people read words.
pub fn message_for(t: &T, f: &FieldError) -> String {
    let message = if t.is_en() { f.en.as_str() } else { f.zh.as_str() };
    let message = strip_rule_code(message, f.rule);
    let key = format!("field.{}", leaf(&f.field));
    let label = t.get(&key);
    if label == key {
        return message;
    }
    relabel(&message, &f.field, leaf(&f.field), label, t.is_en())
}

fn strip_rule_code(message: &str, rule: &str) -> String {
    message.replace(&format!("（{rule}）"), "").replace(&format!(" ({rule})"), "").replace(&format!("({rule})"), "")
}

/// Puts `label` where the message names the field by its key (the full path or its leaf).
fn relabel(message: &str, path: &str, leaf: &str, label: &str, en: bool) -> String {
    for key in [path, leaf] {
        if key.is_empty() {
            continue;
        }
        if let Some(rest) = message.strip_prefix(key) {
            // "summary 为必填项" → "摘要为必填项"; "summary is required" → "Summary is required".
            return if en { format!("{label}{rest}") } else { format!("{label}{}", rest.trim_start()) };
        }
        if let Some(i) = find_word(message, key) {
            return format!("{}{label}{}", &message[..i], &message[i + key.len()..]);
        }
    }
    message.to_string()
}

/// The byte index of `word` in `text` where it is not part of a longer ASCII word.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back().is_none_or(|c| !is_word(c));
        let after = text[i + word.len()..].chars().next().is_none_or(|c| !is_word(c));
        before && after
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_number_that_does_not_read_is_an_error_never_a_default() {
        let mut r = Reader::new();
        assert_eq!(r.int("capacity", " 12 "), 12);
        assert_eq!(r.int("capacity", "１２"), 12, "full-width digits from a Chinese input method");
        r.int("capacity", "twelve");
        r.int("headcount", "");
        assert_eq!(r.opt_int("post_staff", ""), None);
        r.opt_int("post_staff", "-");
        let rules: Vec<(String, &str)> =
            r.finish().err().map(|e| e.0.into_iter().map(|f| (f.field, f.rule)).collect()).unwrap_or_default();
        assert_eq!(
            rules,
            vec![
                ("capacity".to_string(), "integer_format"),
                ("headcount".to_string(), "required"),
                ("post_staff".to_string(), "integer_format")
            ]
        );
    }

    #[test]
    fn lists_split_on_every_separator_people_type() {
        assert_eq!(list("焊接，电工、 钳工\nCNC;;"), vec!["焊接", "电工", "钳工", "CNC"]);
        assert_eq!(opt_text("  "), None);
    }

    #[test]
    fn messages_name_the_field_by_its_label_without_rule_codes() {
        let zh = T { lang: Lang::Zh };
        let en = T { lang: Lang::En };
        let required = FieldError::required("title");
        assert_eq!(message_for(&zh, &required), format!("{}为必填项", zh.get("field.title")));
        assert_eq!(message_for(&en, &required), format!("{} is required", en.get("field.title")));
        let money = FieldError::new(
            "monthly_pay_yuan",
            "money_format",
            "金额格式不正确（money_format）",
            "Bad amount (money_format)",
        );
        assert!(!message_for(&zh, &money).contains("money_format"), "{}", message_for(&zh, &money));
        let nested =
            FieldError::new("posts[0].skills[1].level", "skill_level", "posts[0].skills[1].level 须为 1–5", "x");
        assert!(message_for(&zh, &nested).starts_with(zh.get("field.level")), "{}", message_for(&zh, &nested));
    }

    #[test]
    fn a_list_fields_errors_belong_to_the_list() {
        let e = FormErrors(vec![("posts[0].title".into(), "m".into()), ("summary".into(), "s".into())]);
        assert_eq!(e.get("posts"), Some("m"));
        assert_eq!(e.get("summary"), Some("s"));
        assert_eq!(e.get("post"), None);
    }
}

//! The interface's strings in Chinese (default) and English, chosen per request.
//!
//! A catalogue is `key = value` lines in `i18n/zh-CN.txt` and `i18n/en.txt`, embedded in the
//! binary. Values may hold `{name}` placeholders. A test proves both files have the same keys
//! and every key used by a template exists.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh` or `en`, as used in cookies, URLs and `AppError::message`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a cookie or URL value.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "zh-cn" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks from an `Accept-Language` header: English only when it is preferred over Chinese.
    pub fn from_accept_language(h: &str) -> Lang {
        for part in h.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if tag.starts_with("zh") {
                return Lang::Zh;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Zh
    }
}

pub(crate) const ZH: &str = include_str!("../i18n/zh-CN.txt");
pub(crate) const EN: &str = include_str!("../i18n/en.txt");

/// Parses a catalogue; lines starting with `#` and blank lines are skipped.
pub(crate) fn parse_catalogue(text: &str) -> HashMap<&str, &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = ").map(|(k, v)| (k.trim(), v.trim())))
        .collect()
}

fn catalogue(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static ZH_MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    static EN_MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    match lang {
        Lang::Zh => ZH_MAP.get_or_init(|| parse_catalogue(ZH)),
        Lang::En => EN_MAP.get_or_init(|| parse_catalogue(EN)),
    }
}

/// The strings of one language, handed to every template as `t`.
#[derive(Debug, Clone, Copy)]
pub struct T {
    pub lang: Lang,
}

impl T {
    /// The string for `key`; a missing key shows itself (and fails the catalogue test).
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        catalogue(self.lang).get(key).copied().unwrap_or(key)
    }

    /// The string for `key` with `{name}` replaced by `value`.
    pub fn fmt(&self, key: &str, name: &str, value: &dyn std::fmt::Display) -> String {
        self.get(key).replace(&format!("{{{name}}}"), &value.to_string())
    }

    /// `zh` or `en`.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// Whether the language is English (for labels of domain enums).
    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let zh = parse_catalogue(ZH);
        let en = parse_catalogue(EN);
        let mut missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let mut missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        missing_en.sort();
        missing_zh.sort();
        assert!(missing_en.is_empty(), "keys missing in en.txt: {missing_en:?}");
        assert!(missing_zh.is_empty(), "keys missing in zh-CN.txt: {missing_zh:?}");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let zh = parse_catalogue(ZH);
        let dirs =
            [concat!(env!("CARGO_MANIFEST_DIR"), "/templates"), concat!(env!("CARGO_MANIFEST_DIR"), "/src/pages")];
        let mut missing = Vec::new();
        for dir in dirs {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                for (i, _) in text.match_indices("t.get(\"") {
                    let rest = &text[i + 7..];
                    if let Some(end) = rest.find('"') {
                        let key = &rest[..end];
                        if !zh.contains_key(key) {
                            missing.push(format!("{}: {key}", entry.path().display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not in the catalogue: {missing:#?}");
    }

    #[test]
    fn accept_language_prefers_the_first_supported_language() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"), Lang::En);
        assert_eq!(Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::Zh);
        assert_eq!(Lang::from_accept_language(""), Lang::Zh);
    }

    #[test]
    fn placeholders_are_filled() {
        let t = T { lang: Lang::En };
        assert!(t.fmt("home.unread", "n", &3).contains('3'));
    }
}

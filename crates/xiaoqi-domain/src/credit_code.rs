//! The unified social credit code (统一社会信用代码) of GB 32100-2015.
//!
//! Layout of the 18 characters: 1 registration authority, 2 organisation type, 3–8
//! administrative division (digits), 9–17 organisation code, 18 check character.

use std::fmt;

use serde::Serialize;

use crate::error::FieldError;

/// The 31 permitted characters in value order (0–30): digits and capitals without I, O, Z, S, V.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17 (3^(i−1) mod 31 for position i) used for the check character.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A validated unified social credit code, stored in uppercase; serialized as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CreditCode(String);

/// The value (0–30) of a permitted character, or `None` if the character is not permitted.
fn value_of(c: char) -> Option<u32> {
    let pos = ALPHABET.iter().position(|&b| char::from(b) == c)?;
    u32::try_from(pos).ok()
}

/// The check character for the first 17 characters of a code, or `None` if `first17` is not
/// exactly 17 permitted (uppercase) characters.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for c in first17.chars() {
        let weight = WEIGHTS.get(count)?;
        sum += value_of(c)? * weight;
        count += 1;
    }
    if count != WEIGHTS.len() {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.get(usize::try_from(check).ok()?).map(|&b| char::from(b))
}

impl CreditCode {
    /// Parses a code, trimming surrounding spaces and accepting lowercase letters.
    pub fn parse(field: &str, input: &str) -> Result<CreditCode, FieldError> {
        let code = input.trim().to_ascii_uppercase();
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            let n = chars.len();
            return Err(FieldError::new(
                field,
                "credit_code_length",
                format!("统一社会信用代码必须为 18 位（credit_code_length），当前为 {n} 位"),
                format!(
                    "The unified social credit code must be 18 characters \
                     (credit_code_length); it has {n}"
                ),
            ));
        }
        for (i, &c) in chars.iter().enumerate() {
            let pos = i + 1;
            if value_of(c).is_none() {
                return Err(FieldError::new(
                    field,
                    "credit_code_charset",
                    format!(
                        "统一社会信用代码第 {pos} 位“{c}”不是允许的字符（credit_code_charset）：\
                         只能使用数字 0–9 和除 I、O、Z、S、V 以外的大写字母"
                    ),
                    format!(
                        "Character {pos} of the unified social credit code, '{c}', is not \
                         allowed (credit_code_charset): use digits 0–9 and capital letters \
                         except I, O, Z, S and V"
                    ),
                ));
            }
            if (3..=8).contains(&pos) && !c.is_ascii_digit() {
                return Err(FieldError::new(
                    field,
                    "credit_code_charset",
                    format!(
                        "统一社会信用代码第 3–8 位是行政区划码，必须为数字（credit_code_charset），\
                         第 {pos} 位为“{c}”"
                    ),
                    format!(
                        "Characters 3–8 of the unified social credit code are the administrative \
                         division code and must be digits (credit_code_charset); character \
                         {pos} is '{c}'"
                    ),
                ));
            }
        }
        let (last, body) = chars.split_last().map_or(('?', String::new()), |(l, b)| (*l, b.iter().collect::<String>()));
        let expected = check_character(&body);
        if expected != Some(last) {
            let e = expected.unwrap_or('?');
            return Err(FieldError::new(
                field,
                "credit_code_check_character",
                format!(
                    "统一社会信用代码校验位不正确（credit_code_check_character）：\
                     第 18 位应为“{e}”，实际为“{last}”，请核对是否输错"
                ),
                format!(
                    "The check character of the unified social credit code is wrong \
                     (credit_code_check_character): character 18 should be '{e}' but is \
                     '{last}'; please check for a typo"
                ),
            ));
        }
        Ok(CreditCode(code))
    }

    /// The code as 18 uppercase characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::fmt::Write as _;

    /// An independent check-character computation straight from GB 32100-2015.
    fn reference_check(first17: &str) -> char {
        let table = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        let mut sum = 0;
        for (c, w) in first17.chars().zip(weights) {
            sum += table.find(c).unwrap_or(0) * w;
        }
        let check = (31 - sum % 31) % 31;
        table.chars().nth(check).unwrap_or('?')
    }

    fn rule(s: &str) -> &'static str {
        CreditCode::parse("credit_code", s).err().map_or("ok", |e| e.rule)
    }

    #[test]
    fn published_codes_are_accepted() {
        // The worked example of GB 32100-2015, and Shenzhen Tencent Computer Systems Co., Ltd.
        for code in ["91350100M000100Y43", "91440300708461136T"] {
            assert_eq!(rule(code), "ok", "{code}");
            assert_eq!(check_character(&code[..17]), Some(reference_check(&code[..17])));
        }
    }

    #[test]
    fn computed_codes_match_the_reference_loop() {
        for body in ["91110000600037341", "12100000400000624", "5131000050000000A"] {
            let code = format!("{body}{}", reference_check(body));
            assert_eq!(rule(&code), "ok", "{code}");
        }
    }

    #[test]
    fn lowercase_and_surrounding_spaces_are_accepted() {
        let parsed = CreditCode::parse("credit_code", "  91350100m000100y43 ");
        assert_eq!(parsed.map(|c| c.to_string()).as_deref(), Ok("91350100M000100Y43"));
    }

    #[test]
    fn a_single_changed_character_is_rejected() {
        assert_eq!(rule("91350100M000100Y44"), "credit_code_check_character");
        assert_eq!(rule("91350100M000200Y43"), "credit_code_check_character");
        assert_eq!(rule("91350101M000100Y43"), "credit_code_check_character");
    }

    #[test]
    fn check_failure_message_states_the_expected_character() {
        let e = CreditCode::parse("credit_code", "91350100M000100Y44").err();
        let (zh, en) = e.map(|e| (e.zh, e.en)).unwrap_or_default();
        assert!(zh.contains("应为“3”") && zh.contains("credit_code_check_character"));
        assert!(en.contains("should be '3'") && en.contains("credit_code_check_character"));
    }

    #[test]
    fn wrong_length_is_rejected() {
        assert_eq!(rule(""), "credit_code_length");
        assert_eq!(rule("91350100M000100Y4"), "credit_code_length");
        assert_eq!(rule("91350100M000100Y433"), "credit_code_length");
        // Length counts characters, not bytes: this is 18 characters, so the charset rule fires.
        assert_eq!(rule("91350100M000100Y4中"), "credit_code_charset");
    }

    #[test]
    fn forbidden_letters_are_rejected() {
        for bad in ['I', 'O', 'Z', 'S', 'V', 'i', 'o', 'z', 's', 'v', '-', '中'] {
            let code = format!("91350100M000100{bad}43");
            assert_eq!(rule(&code), "credit_code_charset", "{code}");
        }
    }

    #[test]
    fn division_code_must_be_digits() {
        let body = "913A0100M00010012";
        let code = format!("{body}{}", reference_check(body));
        assert_eq!(rule(&code), "credit_code_charset");
    }

    #[test]
    fn check_character_needs_exactly_17_valid_characters() {
        assert_eq!(check_character("91350100M000100Y"), None);
        assert_eq!(check_character("91350100M000100Y43"), None);
        assert_eq!(check_character("91350100M000100I4"), None);
        assert_eq!(check_character("91350100M000100Y4"), Some('3'));
    }

    fn body_strategy() -> impl Strategy<Value = String> {
        (proptest::collection::vec(0usize..31, 17), proptest::collection::vec(0usize..10, 6)).prop_map(
            |(any, digits)| {
                let table = ALPHABET.map(char::from);
                let mut s = String::new();
                for i in 0..17 {
                    let v = if (2..8).contains(&i) { digits[i - 2] } else { any[i] };
                    let _ = s.write_char(table[v]);
                }
                s
            },
        )
    }

    proptest! {
        #[test]
        fn appending_the_check_character_gives_a_valid_code(
            body in body_strategy(),
            other in 0usize..31,
        ) {
            let check = check_character(&body);
            prop_assert_eq!(check, Some(reference_check(&body)));
            let good = format!("{body}{}", check.unwrap_or('?'));
            prop_assert_eq!(rule(&good), "ok");
            let replacement = char::from(ALPHABET[other]);
            prop_assume!(Some(replacement) != check);
            let bad = format!("{body}{replacement}");
            prop_assert_eq!(rule(&bad), "credit_code_check_character");
        }
    }
}

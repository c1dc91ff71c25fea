//! Contact details and login identifiers: e-mail, mainland China mobile, and password rules.

use std::fmt;

use serde::Serialize;

use crate::error::FieldError;

/// A normalised (trimmed, lowercase) e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// A mainland China mobile number as its 11 digits, without prefix or separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Mobile(String);

/// What a person signs in with: an e-mail address or a mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Login {
    /// Signs in with an e-mail address.
    Email(Email),
    /// Signs in with a mobile number.
    Mobile(Mobile),
}

/// Builds an `email_format` error with a specific reason.
fn email_error(field: &str, zh: &str, en: &str) -> FieldError {
    FieldError::new(
        field,
        "email_format",
        format!("邮箱格式不正确（email_format）：{zh}"),
        format!("The e-mail address is not valid (email_format): {en}"),
    )
}

impl Email {
    /// Parses an e-mail address: one `@`, local part 1–64 characters, a dotted domain, no spaces.
    pub fn parse(field: &str, input: &str) -> Result<Email, FieldError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(email_error(field, "不能为空", "it is empty"));
        }
        if s.chars().any(char::is_whitespace) {
            return Err(email_error(field, "不能包含空格", "it must not contain spaces"));
        }
        if s.chars().count() > 254 {
            return Err(email_error(field, "总长度不能超过 254 个字符", "it must be at most 254 characters long"));
        }
        let mut pieces = s.split('@');
        let (Some(local), Some(domain), None) = (pieces.next(), pieces.next(), pieces.next()) else {
            return Err(email_error(field, "必须恰好包含一个 @", "it must contain exactly one @"));
        };
        if local.is_empty() || local.chars().count() > 64 {
            return Err(email_error(
                field,
                "@ 前的部分必须为 1 到 64 个字符",
                "the part before @ must be 1 to 64 characters long",
            ));
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(email_error(
                field,
                "@ 后必须是包含点号的域名，如 example.com",
                "the part after @ must be a domain with a dot, e.g. example.com",
            ));
        }
        Ok(Email(s))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Mobile {
    /// Parses a mainland mobile number, accepting spaces, hyphens and a `+86`/`86` prefix.
    pub fn parse(field: &str, input: &str) -> Result<Mobile, FieldError> {
        let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let digits = match cleaned.strip_prefix("+86") {
            Some(rest) => rest,
            None if cleaned.len() == 13 => cleaned.strip_prefix("86").unwrap_or(&cleaned),
            None => &cleaned,
        };
        let b = digits.as_bytes();
        let valid = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b.first() == Some(&b'1')
            && b.get(1).is_some_and(|d| (b'3'..=b'9').contains(d));
        if !valid {
            return Err(FieldError::new(
                field,
                "mobile_format",
                format!(
                    "手机号格式不正确（mobile_format）：“{}”，应为 11 位中国大陆手机号，\
                     以 13–19 开头",
                    input.trim()
                ),
                format!(
                    "The mobile number is not valid (mobile_format): \"{}\"; expected an \
                     11-digit mainland China mobile number starting with 13–19",
                    input.trim()
                ),
            ));
        }
        Ok(Mobile(digits.to_string()))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Login {
    /// Parses an e-mail address when the input contains `@`, otherwise a mobile number.
    pub fn parse(field: &str, input: &str) -> Result<Login, FieldError> {
        if input.contains('@') {
            return Email::parse(field, input).map(Login::Email);
        }
        Mobile::parse(field, input).map(Login::Mobile).map_err(|_| {
            FieldError::new(
                field,
                "login_format",
                "账号格式不正确（login_format）：请输入邮箱或 11 位中国大陆手机号",
                "The login is not valid (login_format): enter an e-mail address or an \
                 11-digit mainland China mobile number",
            )
        })
    }

    /// The e-mail address or the mobile digits.
    pub fn as_str(&self) -> &str {
        match self {
            Login::Email(e) => e.as_str(),
            Login::Mobile(m) => m.as_str(),
        }
    }
}

/// The mobile number with its middle four digits hidden, e.g. `138****5678`.
pub fn mask_mobile(mobile: &Mobile) -> String {
    let s = mobile.as_str();
    let head = s.get(..3).unwrap_or("");
    let tail = s.get(s.len().saturating_sub(4)..).unwrap_or("");
    format!("{head}****{tail}")
}

/// Passwords too common to keep anyone out: a data file, its provenance in its header.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Whether a password is on the list of common passwords (case and surrounding spaces ignored).
pub fn is_common_password(pw: &str) -> bool {
    let candidate = pw.trim().to_lowercase();
    COMMON_PASSWORDS.lines().filter(|l| !l.starts_with('#')).any(|l| l == candidate)
}

/// Checks a new password: 8–128 characters, not blank, not digits only and not a common
/// password.
pub fn check_new_password(field: &str, pw: &str) -> Result<(), FieldError> {
    let len = pw.chars().count();
    if pw.trim().is_empty() {
        return Err(FieldError::new(
            field,
            "password_blank",
            "密码不能只由空格组成（password_blank）",
            "The password must not be only spaces (password_blank)",
        ));
    }
    if len < 8 {
        return Err(FieldError::new(
            field,
            "password_too_short",
            format!("密码至少需要 8 个字符（password_too_short），当前 {len} 个"),
            format!("The password must be at least 8 characters (password_too_short); it has {len}"),
        ));
    }
    if len > 128 {
        return Err(FieldError::new(
            field,
            "password_too_long",
            format!("密码不能超过 128 个字符（password_too_long），当前 {len} 个"),
            format!("The password must be at most 128 characters (password_too_long); it has {len}"),
        ));
    }
    if pw.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return Err(FieldError::new(
            field,
            "password_only_digits",
            "密码不能全部是数字，请加入字母或符号（password_only_digits）",
            "The password must not be digits only; add letters or symbols (password_only_digits)",
        ));
    }
    if is_common_password(pw) {
        return Err(FieldError::new(
            field,
            "password_common",
            "该密码过于常见，容易被猜中，请换一个（password_common）",
            "This password is too common and easily guessed; choose another (password_common)",
        ));
    }
    Ok(())
}

/// Checks a new password of an account whose logins (email, mobile) are given: the policy of
/// `check_new_password`, and not the login itself (nor an email's part before the `@`).
pub fn check_password_for(field: &str, pw: &str, logins: &[&str]) -> Result<(), FieldError> {
    check_new_password(field, pw)?;
    let candidate = pw.trim().to_lowercase();
    let personal = logins.iter().flat_map(|l| {
        let l = l.trim().to_lowercase();
        let local = l.split_once('@').map(|(local, _)| local.to_string());
        std::iter::once(l).chain(local)
    });
    if personal.into_iter().any(|l| !l.is_empty() && l == candidate) {
        return Err(FieldError::new(
            field,
            "password_is_login",
            "密码不能与登录账号（邮箱或手机号）相同（password_is_login）",
            "The password must not be your login (email or mobile number) (password_is_login)",
        ));
    }
    Ok(())
}

macro_rules! display_as_str {
    ($($t:ty),+) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )+};
}
display_as_str!(Email, Mobile, Login);

#[cfg(test)]
mod tests {
    use super::*;

    fn email_rule(s: &str) -> &'static str {
        Email::parse("email", s).err().map_or("ok", |e| e.rule)
    }

    fn mobile(s: &str) -> Option<String> {
        Mobile::parse("mobile", s).ok().map(|m| m.to_string())
    }

    fn pw_rule(s: &str) -> &'static str {
        check_new_password("password", s).err().map_or("ok", |e| e.rule)
    }

    #[test]
    fn email_is_trimmed_and_lowercased() {
        let e = Email::parse("email", "  Zhang.San@Example.COM ").map(|e| e.to_string());
        assert_eq!(e.as_deref(), Ok("zhang.san@example.com"));
    }

    #[test]
    fn malformed_emails_are_rejected_as_email_format() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let too_long = format!("a@{}.com", "b".repeat(250));
        for s in [
            "",
            "plainaddress",
            "a@b@example.com",
            "@example.com",
            "user@localhost",
            "user@.com",
            "user@example.",
            "user@exa..mple.com",
            "zhang san@example.com",
            &long_local,
            &too_long,
        ] {
            assert_eq!(email_rule(s), "email_format", "{s:?}");
        }
        assert_eq!(email_rule(&format!("{}@example.com", "a".repeat(64))), "ok");
    }

    #[test]
    fn email_error_is_bilingual_and_names_the_rule() {
        let e = Email::parse("members[3].email", "a@b@c.com").err();
        let (field, zh, en) = e.map(|e| (e.field, e.zh, e.en)).unwrap_or_default();
        assert_eq!(field, "members[3].email");
        assert!(zh.contains("email_format") && zh.contains("@"));
        assert!(en.contains("email_format") && en.contains("exactly one @"));
    }

    #[test]
    fn mobile_accepts_separators_and_country_prefix() {
        let want = Some("13812345678".to_string());
        for s in
            ["13812345678", " 138 1234 5678 ", "138-1234-5678", "+8613812345678", "+86 138-1234-5678", "8613812345678"]
        {
            assert_eq!(mobile(s), want, "{s:?}");
        }
    }

    #[test]
    fn mobile_rejects_wrong_length_prefix_or_second_digit() {
        for s in [
            "",
            "1381234567",
            "138123456789",
            "23812345678",
            "12812345678",
            "1381234567a",
            "+8512345678901",
            "+1 13812345678",
            "０13812345678",
        ] {
            let rule = Mobile::parse("mobile", s).err().map(|e| e.rule);
            assert_eq!(rule, Some("mobile_format"), "{s:?}");
        }
    }

    #[test]
    fn login_chooses_email_or_mobile_by_at_sign() {
        let e = Login::parse("login", "A@Example.com");
        assert!(matches!(e, Ok(Login::Email(_))));
        assert_eq!(e.map(|l| l.to_string()).as_deref(), Ok("a@example.com"));
        let m = Login::parse("login", "+86 139 0000 1111");
        assert!(matches!(m, Ok(Login::Mobile(_))));
        assert_eq!(m.map(|l| l.to_string()).as_deref(), Ok("13900001111"));
    }

    #[test]
    fn login_that_is_neither_is_login_format() {
        let rule = |s| Login::parse("login", s).err().map(|e| e.rule);
        assert_eq!(rule("zhangsan"), Some("login_format"));
        assert_eq!(rule("12345"), Some("login_format"));
        assert_eq!(rule("a@b"), Some("email_format"));
    }

    #[test]
    fn mask_hides_the_middle_four_digits() {
        let m = Mobile::parse("mobile", "13812345678").map(|m| mask_mobile(&m));
        assert_eq!(m.as_deref(), Ok("138****5678"));
    }

    #[test]
    fn password_length_limits_are_inclusive() {
        assert_eq!(pw_rule("abcdefg"), "password_too_short");
        assert_eq!(pw_rule("abcdefgh"), "ok");
        assert_eq!(pw_rule(&"a".repeat(128)), "ok");
        assert_eq!(pw_rule(&"a".repeat(129)), "password_too_long");
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(pw_rule("密码密码密码密"), "password_too_short");
        assert_eq!(pw_rule("密码密码密码密码"), "ok");
    }

    #[test]
    fn blank_common_and_login_passwords_are_rejected() {
        assert_eq!(pw_rule("        "), "password_blank");
        assert_eq!(pw_rule("\t \u{3000}       "), "password_blank");
        assert_eq!(pw_rule("password"), "password_common");
        assert_eq!(pw_rule(" PassWord1 "), "password_common");
        assert_eq!(pw_rule("woaini1314"), "password_common");
        assert_eq!(pw_rule("correct horse battery"), "ok");
        let login_rule = |pw: &str| {
            check_password_for("pw", pw, &["Zhang.Wei@example.com", "13800138000"]).err().map_or("ok", |e| e.rule)
        };
        assert_eq!(login_rule("zhang.wei@example.com"), "password_is_login");
        assert_eq!(login_rule("ZHANG.WEI"), "password_is_login");
        assert_eq!(login_rule("13800138000"), "password_only_digits");
        assert_eq!(login_rule("zhang.wei.2026"), "ok");
    }

    #[test]
    fn password_of_only_digits_is_rejected() {
        assert_eq!(pw_rule("12345678"), "password_only_digits");
        assert_eq!(pw_rule("１２３４５６７８"), "password_only_digits");
        assert_eq!(pw_rule("1234567a"), "ok");
        let e = check_new_password("pw", "12345678").err();
        let (zh, en) = e.map(|e| (e.zh, e.en)).unwrap_or_default();
        assert!(zh.contains("数字") && zh.contains("password_only_digits"));
        assert!(en.contains("digits only") && en.contains("password_only_digits"));
    }
}

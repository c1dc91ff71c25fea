//! Text normalisation shared by every place that compares or searches names.

/// Folds text for matching: full-width ASCII (ＡＢＣ１２３) to half-width, the ideographic
/// space to a space, lower case, and runs of white space to one space, trimmed.
///
/// Stored beside a name (`name_folded`) and applied to queries, so that "ＳＺ智能" finds
/// "sz智能" on both database engines without engine-specific collations.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for ch in s.chars() {
        let ch = match ch {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            _ => ch,
        };
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(ch.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn full_width_letters_and_digits_fold_to_ascii_lower_case() {
        assert_eq!(fold("ＳＺ智能１２３"), "sz智能123");
    }

    #[test]
    fn white_space_runs_collapse_and_ends_are_trimmed() {
        assert_eq!(fold("  Shenzhen\u{3000}\u{3000}Tech  Co. "), "shenzhen tech co.");
    }

    #[test]
    fn chinese_text_is_unchanged() {
        assert_eq!(fold("深圳职业技术大学"), "深圳职业技术大学");
    }
}

//! Full-text search tokens: Chinese segmented into words with jieba, English split on
//! non-alphanumerics, everything folded (`text::fold`), then encoded as plain ASCII words.
//!
//! Both database engines index the encoded words verbatim (SQLite FTS5 with the `unicode61`
//! tokenizer; PostgreSQL `tsvector` built from the words without its parser), so they see exactly
//! the same tokens and a query matches the same documents on both.
//!
//! - Documents ([`index_tokens`]) are cut in jieba's search mode (words plus their 2- and
//!   3-character dictionary sub-words: 跨境电商 gives 跨境, 电商) and every Chinese character is
//!   indexed on its own too, so a one-character query (焊) and a query whose words jieba does not
//!   know (操机, cut into 操 and 机) still find the text.
//! - Queries ([`query_tokens`]) are cut in precise mode; a document matches when it holds every
//!   query token.
//! - HMM guessing of unknown words is off on both sides: it depends on the surrounding text, so a
//!   word guessed in a document would not be guessed the same way in a short query.
//!
//! A token is encoded as `w` followed by the lower-case hex of its UTF-8 bytes (`焊接` →
//! `we78e8ae68ea5`): reversible, collision-free, and made only of `[a-z0-9]`, which neither engine
//! splits, changes or treats as query syntax.

use std::collections::HashSet;
use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::text::fold;

/// The dictionary, loaded on first use (about 0.3 s, 60 MB) and shared.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Longest token kept, in bytes of UTF-8 (ten Chinese characters); longer ones are cut at a
/// character boundary, the same way in documents and queries.
pub const MAX_TOKEN_BYTES: usize = 30;

/// Most distinct tokens indexed per document (the first ones in the text); keeps a PostgreSQL
/// `tsvector` far below its 1 MB limit whatever the input.
pub const MAX_INDEX_TOKENS: usize = 4096;

/// Most distinct tokens a query keeps (the first ones).
pub const MAX_QUERY_TOKENS: usize = 8;

/// Query text beyond this many bytes is ignored (it could not add tokens past the cap anyway
/// except in pathological input, and segmenting it would cost time).
pub const MAX_QUERY_BYTES: usize = 1024;

/// Prefix of an encoded word token.
const WORD_PREFIX: char = 'w';

/// Tokens too common to mean anything alone; dropped from documents and queries alike.
const STOP_TOKENS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "等", "之", "其", "在", "是", "对", "于", "并", "而", "a", "an", "and", "the",
    "of", "or", "to", "in", "on", "for", "with", "at", "by",
];

/// The encoded, deduplicated tokens under which a document is indexed (search mode plus single
/// Chinese characters), at most [`MAX_INDEX_TOKENS`].
pub fn index_tokens(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut out = Tokens::new(MAX_INDEX_TOKENS);
    for token in JIEBA.cut_for_search(&folded, false) {
        if out.full() {
            break;
        }
        let word = token.word;
        out.push(word);
        if word.chars().count() > 1 {
            for ch in word.chars().filter(|c| is_han(*c)) {
                let mut buf = [0u8; 4];
                out.push(ch.encode_utf8(&mut buf));
            }
        }
    }
    out.into_vec()
}

/// The encoded, deduplicated tokens of a query (precise mode), at most [`MAX_QUERY_TOKENS`];
/// empty when the text holds no word (blank, punctuation, stop words only).
pub fn query_tokens(text: &str) -> Vec<String> {
    let text = truncate_at_char(text, MAX_QUERY_BYTES);
    let folded = fold(text);
    let mut out = Tokens::new(MAX_QUERY_TOKENS);
    for token in JIEBA.cut(&folded, false) {
        if out.full() {
            break;
        }
        out.push(token.word);
    }
    out.into_vec()
}

/// Encodes one (already folded) token: `w` + lower-case hex of its UTF-8 bytes.
pub fn encode_token(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(1 + 2 * token.len());
    s.push(WORD_PREFIX);
    for b in token.bytes() {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    s
}

/// Decodes a token made by [`encode_token`]; `None` for anything else.
pub fn decode_token(encoded: &str) -> Option<String> {
    let hex = encoded.strip_prefix(WORD_PREFIX)?.as_bytes();
    if hex.len() % 2 != 0 {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let bytes = hex.chunks_exact(2).map(|p| Some(digit(p[0])? << 4 | digit(p[1])?)).collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok()
}

/// Whether a string is safe to splice into an FTS5 or `tsquery` expression: non-empty and made
/// of `[a-z0-9]` only (every encoded token is).
pub fn is_plain_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A CJK ideograph (the basic block and extension A; enough for indexing single characters).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Collects encoded tokens in first-seen order, without duplicates, up to a cap.
struct Tokens {
    seen: HashSet<String>,
    list: Vec<String>,
    cap: usize,
}

impl Tokens {
    fn new(cap: usize) -> Self {
        Tokens { seen: HashSet::new(), list: Vec::new(), cap }
    }

    fn full(&self) -> bool {
        self.list.len() >= self.cap
    }

    /// Keeps a raw (folded) token if it holds a letter or digit and is not a stop token.
    fn push(&mut self, raw: &str) {
        if self.full() || !raw.chars().any(char::is_alphanumeric) {
            return;
        }
        let raw = truncate_at_char(raw.trim(), MAX_TOKEN_BYTES);
        if raw.is_empty() || STOP_TOKENS.contains(&raw) {
            return;
        }
        let encoded = encode_token(raw);
        if self.seen.insert(encoded.clone()) {
            self.list.push(encoded);
        }
    }

    fn into_vec(self) -> Vec<String> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<String> {
        query_tokens(s)
    }

    /// Whether every query token of `query` is among the index tokens of `doc`.
    fn finds(query: &str, doc: &str) -> bool {
        let idx: HashSet<String> = index_tokens(doc).into_iter().collect();
        let qt = query_tokens(query);
        !qt.is_empty() && qt.iter().all(|t| idx.contains(t))
    }

    fn decoded(tokens: &[String]) -> Vec<String> {
        tokens.iter().filter_map(|t| decode_token(t)).collect()
    }

    #[test]
    fn two_character_words_are_found_inside_longer_text() {
        assert!(finds("焊接", "焊接工艺与设备"));
        assert!(finds("电商", "跨境电商运营专员"));
        assert!(finds("跨境电商", "跨境电商运营专员"));
        assert!(finds("机电一体化", "机电一体化技术"));
        assert!(finds("一体化", "机电一体化技术"));
        assert!(finds("工程师", "高级软件工程师"));
        assert!(finds("华为", "深圳市华为技术有限公司"));
        assert!(!finds("电商", "焊接工艺与设备"));
    }

    #[test]
    fn single_characters_and_unknown_words_are_found() {
        assert!(finds("焊", "焊接工艺与设备"));
        assert!(finds("操机", "CNC操机员"));
        assert!(finds("cnc", "CNC操机员"));
    }

    #[test]
    fn english_is_case_insensitive() {
        assert!(finds("Welding", "welding technician"));
        assert!(finds("welding", "WELDING Technician"));
        assert_eq!(q("Welding"), q("welding"));
        assert!(!finds("weld", "welding technician"), "no stemming or prefixes");
    }

    #[test]
    fn mixed_chinese_and_latin_is_split() {
        assert_eq!(decoded(&q("CNC操机")), vec!["cnc", "操", "机"]);
        assert!(finds("CNC 操机", "数控CNC操机员（三班倒）"));
        assert!(finds("Python 工程师", "Python开发工程师"));
    }

    #[test]
    fn full_width_letters_fold_to_ascii() {
        assert_eq!(q("ＣＮＣ"), q("cnc"));
        assert!(finds("ＰＬＣ", "PLC编程"));
        assert!(finds("plc", "ＰＬＣ编程"));
    }

    #[test]
    fn blank_punctuation_and_stop_words_give_no_tokens() {
        for s in ["", "   ", "\u{3000}\t\n", "，。！？；：、", "!!! ... ---", "的", "and the of", "“”《》【】"]
        {
            assert!(q(s).is_empty(), "{s:?} gave {:?}", q(s));
        }
        assert!(index_tokens("").is_empty());
        assert!(index_tokens("，。 ！").is_empty());
    }

    #[test]
    fn tokens_are_deduplicated_and_queries_capped() {
        assert_eq!(decoded(&q("电商 电商 电商")), vec!["电商"]);
        let long = "焊接 电商 数控 护理 会计 物流 python java rust go 机电";
        assert_eq!(q(long).len(), MAX_QUERY_TOKENS);
        let idx = index_tokens("电商 电商 电商运营");
        assert_eq!(idx.len(), idx.iter().collect::<HashSet<_>>().len());
    }

    #[test]
    fn tokens_are_plain_ascii_and_round_trip() {
        for t in index_tokens("焊接工艺与设备 C++ node.js Ｗｅｌｄｉｎｇ 😀 Ünïcödé 2024年") {
            assert!(is_plain_token(&t), "{t}");
            assert!(t.len() <= 1 + 2 * MAX_TOKEN_BYTES, "{t}");
            assert_eq!(decode_token(&t).map(|d| encode_token(&d)), Some(t.clone()));
        }
        assert_eq!(encode_token("焊接"), "we7848ae68ea5");
        assert_eq!(decode_token("we7848ae68ea5").as_deref(), Some("焊接"));
        assert_eq!(decode_token("x00"), None);
        assert_eq!(decode_token("w0"), None);
        assert!(!is_plain_token("a b") && !is_plain_token("") && !is_plain_token("A"));
    }

    #[test]
    fn long_tokens_are_cut_the_same_way_in_documents_and_queries() {
        let word = "x".repeat(200);
        let doc = index_tokens(&word);
        assert_eq!(doc.len(), 1);
        assert_eq!(doc, q(&word));
        assert_eq!(decode_token(&doc[0]).map(|d| d.len()), Some(MAX_TOKEN_BYTES));
    }

    #[test]
    fn a_megabyte_of_input_does_not_panic_and_is_capped() {
        let mut text = String::new();
        let mut i = 0u32;
        while text.len() < 1 << 20 {
            text.push_str(&format!("焊接工艺{i} welding{i}，跨境电商😀"));
            i += 1;
        }
        let idx = index_tokens(&text);
        assert!(idx.len() <= MAX_INDEX_TOKENS && !idx.is_empty());
        assert!(q(&text).len() <= MAX_QUERY_TOKENS);
        let binary: String = (0..200_000u32).filter_map(char::from_u32).collect();
        let _ = index_tokens(&binary);
        let _ = q(&binary);
    }
}

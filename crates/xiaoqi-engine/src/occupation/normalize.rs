//! Normalisation of free-text job titles and of classification names.

use crate::text::fold;

/// Longest title (in characters) that is analysed; the rest is ignored.
pub const MAX_CHARS: usize = 64;

/// Recruitment decorations that never name an occupation. Removed as substrings after
/// folding, longest first.
const NOISE: &[&str] = &[
    "五险一金",
    "六险一金",
    "包吃包住",
    "包吃住",
    "包食宿",
    "包住宿",
    "提供住宿",
    "包吃",
    "包住",
    "急招",
    "急聘",
    "诚聘",
    "高薪聘请",
    "高薪",
    "直招",
    "长期招",
    "长期",
    "双休",
    "单休",
    "大小周",
    "周末双休",
    "月结",
    "日结",
    "周结",
    "可兼职",
    "兼职",
    "全职",
    "可实习",
    "实习生",
    "实习",
    "应届生",
    "应届",
    "储备",
    "学徒工",
    "学徒",
    "带薪",
    "年终奖",
    "底薪",
    "提成",
    "加提成",
    "上万",
    "过万",
    "月入",
    "月薪",
    "年薪",
    "待遇优",
    "待遇",
    "无责",
    "无经验",
    "经验不限",
    "可带",
    "小白",
    "零基础",
    "宝妈",
    "男女不限",
    "限男",
    "限女",
    "数名",
    "若干",
    "多名",
    "熟手",
    "师傅",
    "大专",
    "本科",
    "以上",
    "优先",
    "不限",
    "招聘会",
    "岗位",
    "职位",
    "高级",
    "资深",
    "初级",
    "中级",
    "见习",
    "临时工",
    "正式工",
    "工厂直招",
];

/// Cities and provinces often prefixed to titles.
const PLACES: &[&str] = &[
    "北京",
    "上海",
    "天津",
    "重庆",
    "深圳",
    "广州",
    "杭州",
    "苏州",
    "南京",
    "成都",
    "武汉",
    "西安",
    "长沙",
    "郑州",
    "东莞",
    "佛山",
    "宁波",
    "厦门",
    "青岛",
    "济南",
    "合肥",
    "福州",
    "无锡",
    "昆山",
    "常州",
    "温州",
    "义乌",
    "中山",
    "珠海",
    "惠州",
    "南昌",
    "沈阳",
    "大连",
    "哈尔滨",
    "长春",
    "石家庄",
    "太原",
    "昆明",
    "贵阳",
    "南宁",
    "海口",
    "兰州",
    "乌鲁木齐",
    "广东",
    "浙江",
    "江苏",
    "山东",
    "福建",
    "四川",
    "湖北",
    "湖南",
    "河南",
    "河北",
    "安徽",
    "本地",
    "外地",
    "全国",
    "驻场",
    "驻厂",
    "异地",
    "出差",
    "外派",
    "海外",
];

fn is_open(c: char) -> Option<char> {
    match c {
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        '（' => Some('）'),
        '【' => Some('】'),
        '〔' => Some('〕'),
        '「' => Some('」'),
        '『' => Some('』'),
        '《' => Some('》'),
        '〈' => Some('〉'),
        '<' => Some('>'),
        _ => None,
    }
}

/// Removes bracketed text (any of the usual bracket pairs, unbalanced tolerated).
fn strip_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut stack: Vec<char> = Vec::new();
    for c in s.chars() {
        if let Some(close) = is_open(c) {
            if stack.len() < 16 {
                stack.push(close);
            }
            continue;
        }
        if stack.last() == Some(&c) {
            stack.pop();
            if stack.is_empty() {
                out.push(' ');
            }
            continue;
        }
        if stack.is_empty() {
            out.push(c);
        }
    }
    out
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '/' | '\\'
            | '、'
            | '|'
            | ','
            | '，'
            | ';'
            | '；'
            | '+'
            | '＋'
            | '&'
            | '丨'
            | '｜'
            | '。'
            | '：'
            | ':'
            | '!'
            | '！'
            | '~'
            | '～'
            | '·'
            | '•'
            | '*'
            | '#'
            | '@'
            | '“'
            | '”'
            | '"'
            | '\''
            | '?'
            | '？'
            | '='
            | '_'
            | '…'
    )
}

/// Strips the classification's markers (trailing `L`, `S`, `L/S`) from an occupation name.
pub fn strip_markers(name: &str) -> &str {
    let t = name.trim();
    for suffix in ["L/S", "L", "S"] {
        if let Some(rest) = t.strip_suffix(suffix)
            && rest.chars().last().is_some_and(|c| !c.is_ascii())
        {
            return rest.trim_end();
        }
    }
    t
}

/// Folds a title: full-width to half-width, lower case, brackets, noise words, places and
/// pay hints removed. Separators are kept as `/` so that [`segments`] can split.
pub fn normalize_title(title: &str) -> String {
    let clipped: String = title.chars().filter(|c| !c.is_control()).take(MAX_CHARS * 2).collect();
    let folded = fold(&strip_brackets(&fold(&clipped)));
    let mut s: String = folded
        .chars()
        .map(|c| if is_separator(c) { '/' } else { c })
        .filter(|c| c.is_alphanumeric() || *c == '/' || *c == ' ' || *c == '-' || *c == '.')
        .collect();
    for w in NOISE.iter().chain(PLACES) {
        if s.contains(w) {
            s = s.replace(w, " ");
        }
    }
    // pay hints: digits followed by k/元/万/千 and bare numbers
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '-' || chars[j] == '.') {
                j += 1;
            }
            while j < chars.len()
                && matches!(chars[j], 'k' | 'w' | '元' | '万' | '千' | '+' | '起' | '名' | '人' | '位')
            {
                j += 1;
            }
            // keep digits glued to letters (e.g. "3d", "s7")
            let glued = (i > 0 && chars[i - 1].is_ascii_alphabetic())
                || (j == i + 1 && j < chars.len() && chars[j].is_ascii_alphabetic());
            if glued {
                out.extend(&chars[i..j]);
            } else {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    fold(&out.chars().take(MAX_CHARS * 2).collect::<String>())
}

/// Splits a normalised title into its posts (on `/`), dropping empty parts; at most 4.
pub fn segments(normalized: &str) -> Vec<String> {
    normalized
        .split('/')
        .map(|p| p.trim().to_string())
        .filter(|p| p.chars().any(|c| c.is_alphanumeric()))
        .take(4)
        .collect()
}

/// Normalises a name or alias of the classification (no noise removal).
pub fn normalize_name(name: &str) -> String {
    let s = fold(&strip_brackets(&fold(strip_markers(name))));
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Tokens of a text: Chinese unigrams and bigrams, ASCII words (letters and digits).
pub fn tokens(text: &str, out: &mut Vec<String>) {
    let mut prev_han: Option<char> = None;
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
            prev_han = None;
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if is_han(c) {
            out.push(c.to_string());
            if let Some(p) = prev_han {
                let mut b = String::with_capacity(6);
                b.push(p);
                b.push(c);
                out.push(b);
            }
            prev_han = Some(c);
        } else {
            prev_han = None;
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorations_brackets_and_pay_are_removed() {
        assert_eq!(normalize_title("Java开发工程师（急招）"), "java开发工程师");
        assert_eq!(normalize_title("【深圳】抖音客服专员 8-12K 双休"), "抖音客服专员");
        assert_eq!(normalize_title("CNC操机师傅 包吃住"), "cnc操机");
    }

    #[test]
    fn slashes_and_enumeration_commas_split_posts() {
        let n = normalize_title("仓管员/叉车工、搬运工");
        assert_eq!(segments(&n), vec!["仓管员", "叉车工", "搬运工"]);
    }

    #[test]
    fn markers_are_stripped_from_names() {
        assert_eq!(strip_markers("电子商务师S"), "电子商务师");
        assert_eq!(strip_markers("物流工程技术人员L/S"), "物流工程技术人员");
        assert_eq!(strip_markers("保洁员L"), "保洁员");
        assert_eq!(strip_markers("UI"), "UI");
    }

    #[test]
    fn tokens_are_han_uni_and_bigrams_plus_ascii_words() {
        let mut t = Vec::new();
        tokens("java开发 plc", &mut t);
        assert_eq!(t, vec!["java", "开", "发", "开发", "plc"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", "   ", "🚀🚀", "\u{0}\u{7}\n", "((((", "】】】", "1234567890k"] {
            let n = normalize_title(s);
            let _ = segments(&n);
        }
        let huge = "焊工".repeat(100_000);
        assert!(normalize_title(&huge).chars().count() <= MAX_CHARS * 2);
    }
}

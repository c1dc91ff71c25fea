//! Checking skill, certificate, occupation and region codes against the reference data, and
//! reading the skill lines people type into forms.

use xiaoqi_domain::FieldError;
use xiaoqi_domain::talent::{MAX_CERTIFICATES, MAX_SKILLS, check_level, check_weight};
use xiaoqi_refdata::Vocabulary;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{SkillLevel, SkillReq};

use crate::error::{AppError, AppResult};

fn skills() -> AppResult<&'static Vocabulary> {
    xiaoqi_refdata::skills().map_err(AppError::internal)
}

fn certificates() -> AppResult<&'static Vocabulary> {
    xiaoqi_refdata::certificates().map_err(AppError::internal)
}

/// The skill vocabulary.
pub fn skill_vocabulary() -> AppResult<&'static [xiaoqi_refdata::VocabEntry]> {
    Ok(skills()?.entries())
}

/// The certificate vocabulary.
pub fn certificate_vocabulary() -> AppResult<&'static [xiaoqi_refdata::VocabEntry]> {
    Ok(certificates()?.entries())
}

/// Finds a vocabulary entry by code, Chinese name or English name (case-insensitive).
fn lookup<'v>(v: &'v Vocabulary, key: &str) -> Option<&'v xiaoqi_refdata::VocabEntry> {
    let key = key.trim();
    v.get(key).or_else(|| v.entries().iter().find(|e| e.zh == key || e.en.eq_ignore_ascii_case(key)))
}

/// The display name of a skill code in a language (the code itself when unknown).
pub fn skill_name(code: &str, lang: &str) -> String {
    vocab_name(skills().ok(), code, lang)
}

/// The display name of a certificate code in a language (the code itself when unknown).
pub fn certificate_name(code: &str, lang: &str) -> String {
    vocab_name(certificates().ok(), code, lang)
}

fn vocab_name(v: Option<&Vocabulary>, code: &str, lang: &str) -> String {
    match v.and_then(|v| v.get(code)) {
        Some(e) if lang == "en" => e.en.clone(),
        Some(e) => e.zh.clone(),
        None => code.to_string(),
    }
}

fn unknown_skill(field: &str, s: &str) -> FieldError {
    FieldError::new(
        field,
        "skill_unknown",
        format!("未知的技能：{s}（请从技能目录中选择）"),
        format!("Unknown skill: {s} (choose one from the skill list)"),
    )
}

/// Resolves a skill given by code or name to its code.
pub fn skill_code(field: &str, s: &str) -> AppResult<String> {
    lookup(skills()?, s).map(|e| e.code.clone()).ok_or_else(|| unknown_skill(field, s).into())
}

/// Resolves certificates given by code or name to their codes, refusing unknown ones, repeats
/// and more than [`MAX_CERTIFICATES`].
pub fn certificate_codes(field: &str, items: &[String]) -> Result<Vec<String>, FieldError> {
    let v = certificates()
        .map_err(|_| FieldError::new(field, "vocabulary", "证书目录不可用", "certificate list unavailable"))?;
    let mut out: Vec<String> = Vec::new();
    for (i, c) in items.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).enumerate() {
        let Some(e) = lookup(v, c) else {
            return Err(FieldError::new(
                format!("{field}[{i}]"),
                "certificate_unknown",
                format!("未知的证书：{c}"),
                format!("Unknown certificate: {c}"),
            ));
        };
        if !out.contains(&e.code) {
            out.push(e.code.clone());
        }
    }
    if out.len() > MAX_CERTIFICATES {
        return Err(FieldError::new(
            field,
            "too_many",
            format!("证书最多 {MAX_CERTIFICATES} 项"),
            format!("at most {MAX_CERTIFICATES} certificates"),
        ));
    }
    Ok(out)
}

/// Splits a skills text into entries: one per line, or separated by commas, 、 or ；.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ',', '，', '、', ';', '；']).map(str::trim).filter(|s| !s.is_empty())
}

/// The last one or two whitespace-separated numbers of an entry, and the name before them.
fn split_numbers(entry: &str) -> (String, Vec<i64>) {
    let mut parts: Vec<&str> = entry.split_whitespace().collect();
    let mut nums = Vec::new();
    while nums.len() < 2 {
        match parts.last().and_then(|p| p.parse::<i64>().ok()) {
            Some(n) if parts.len() > 1 => {
                nums.insert(0, n);
                parts.pop();
            }
            _ => break,
        }
    }
    (parts.join(" "), nums)
}

/// Reads required skills typed as lines `技能 [权重 1–10] [等级 1–5]`, e.g. `焊接 5 3`
/// (defaults: weight 5, level 3); names or codes are accepted; each error names its entry.
pub fn parse_skill_reqs(field: &str, text: &str) -> Result<Vec<SkillReq>, FieldError> {
    let v = skills().map_err(|_| FieldError::new(field, "vocabulary", "技能目录不可用", "skill list unavailable"))?;
    let mut out: Vec<SkillReq> = Vec::new();
    for (i, entry) in entries(text).enumerate() {
        let at = format!("{field}[{i}]");
        let (name, nums) = split_numbers(entry);
        let e = lookup(v, &name).ok_or_else(|| unknown_skill(&at, &name))?;
        let weight = check_weight(&at, nums.first().copied().unwrap_or(5))?;
        let min_level = check_level(&at, nums.get(1).copied().unwrap_or(3))?;
        push_unique(&mut out, &at, SkillReq { skill: e.code.clone(), weight, min_level }, |r| &r.skill)?;
    }
    Ok(out)
}

/// Reads held or taught skills typed as lines `技能 [等级 1–5]`, e.g. `焊接 4` (default 3).
pub fn parse_skill_levels(field: &str, text: &str) -> Result<Vec<SkillLevel>, FieldError> {
    let v = skills().map_err(|_| FieldError::new(field, "vocabulary", "技能目录不可用", "skill list unavailable"))?;
    let mut out: Vec<SkillLevel> = Vec::new();
    for (i, entry) in entries(text).enumerate() {
        let at = format!("{field}[{i}]");
        let (mut name, mut nums) = split_numbers(entry);
        if nums.len() == 2 {
            // "C 语言 2 4" is not a form of this list; treat the first number as part of the name.
            name = format!("{name} {}", nums.remove(0));
        }
        let e = lookup(v, &name).ok_or_else(|| unknown_skill(&at, &name))?;
        let level = check_level(&at, nums.first().copied().unwrap_or(3))?;
        push_unique(&mut out, &at, SkillLevel { skill: e.code.clone(), level }, |r| &r.skill)?;
    }
    Ok(out)
}

fn push_unique<T>(out: &mut Vec<T>, at: &str, item: T, key: impl Fn(&T) -> &String) -> Result<(), FieldError> {
    if out.iter().any(|o| key(o) == key(&item)) {
        return Err(FieldError::new(at, "skill_repeated", "同一技能只能列一次", "each skill may be listed once"));
    }
    if out.len() >= MAX_SKILLS {
        return Err(FieldError::new(
            at,
            "too_many",
            format!("技能最多 {MAX_SKILLS} 项"),
            format!("at most {MAX_SKILLS} skills"),
        ));
    }
    out.push(item);
    Ok(())
}

/// Checks structured skill requirements (from the API) against the vocabulary and bounds.
pub fn check_skill_reqs(field: &str, reqs: &[SkillReq]) -> Result<Vec<SkillReq>, FieldError> {
    let text: Vec<String> = reqs.iter().map(|r| format!("{} {} {}", r.skill, r.weight, r.min_level)).collect();
    if reqs.iter().any(|r| r.skill.contains(['\n', ',', '，', '、', ';', '；'])) {
        return Err(unknown_skill(field, "…"));
    }
    parse_skill_reqs(field, &text.join("\n"))
}

/// Every skill's display name in `lang`, in vocabulary order (for a form's suggestions).
pub fn skill_display_names(lang: &str) -> Vec<String> {
    skill_vocabulary()
        .map(|v| v.iter().map(|e| if lang == "en" { e.en.clone() } else { e.zh.clone() }).collect())
        .unwrap_or_default()
}

/// Skill requirements from an input that carries them either structured (API) or as typed
/// lines (pages): the structured list when it is not empty, else the text.
pub fn skill_reqs_input(field: &str, reqs: &[SkillReq], text: Option<&str>) -> Result<Vec<SkillReq>, FieldError> {
    if reqs.is_empty() { parse_skill_reqs(field, text.unwrap_or("")) } else { check_skill_reqs(field, reqs) }
}

/// Checks structured skill levels (from the API) against the vocabulary and bounds.
pub fn check_skill_levels(field: &str, items: &[SkillLevel]) -> Result<Vec<SkillLevel>, FieldError> {
    if items.iter().any(|r| r.skill.contains(['\n', ',', '，', '、', ';', '；'])) {
        return Err(unknown_skill(field, "…"));
    }
    let text: Vec<String> = items.iter().map(|r| format!("{} {}", r.skill, r.level)).collect();
    parse_skill_levels(field, &text.join("\n"))
}

/// Formats skill requirements back into the form's line syntax.
pub fn format_skill_reqs(reqs: &[SkillReq], lang: &str) -> String {
    reqs.iter()
        .map(|r| format!("{} {} {}", skill_name(&r.skill, lang), r.weight, r.min_level))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Formats skill levels back into the form's line syntax.
pub fn format_skill_levels(items: &[SkillLevel], lang: &str) -> String {
    items.iter().map(|r| format!("{} {}", skill_name(&r.skill, lang), r.level)).collect::<Vec<_>>().join("\n")
}

/// Checks that an occupation code exists in the loaded classification.
pub async fn check_occupation(conn: &mut Box<dyn Conn>, field: &str, code: &str) -> AppResult<()> {
    crate::refdata::check_occupation_code(field, code)?;
    if conn.find_occupation(code).await?.is_none() {
        return Err(FieldError::new(
            field,
            "occupation_unknown",
            format!("职业分类大典中没有这个代码：{code}"),
            format!("No such code in the occupation classification: {code}"),
        )
        .into());
    }
    Ok(())
}

/// Checks that a region code exists in the loaded divisions.
pub async fn check_region(conn: &mut Box<dyn Conn>, field: &str, code: &str) -> AppResult<()> {
    crate::refdata::check_region_code(field, code)?;
    if conn.find_region(code).await?.is_none() {
        return Err(FieldError::new(
            field,
            "region_unknown",
            format!("未知的行政区划代码：{code}"),
            format!("Unknown region code: {code}"),
        )
        .into());
    }
    Ok(())
}

/// Checks a region given as a province or city prefix (2 or 4 digits, the form preferred regions
/// are stored and returned in: matching compares prefixes) or a full 6-digit code.
pub async fn check_region_or_prefix(conn: &mut Box<dyn Conn>, field: &str, code: &str) -> AppResult<()> {
    if matches!(code.len(), 2 | 4) && code.bytes().all(|b| b.is_ascii_digit()) {
        let full = format!("{code:0<6}");
        return check_region(conn, field, &full).await.map_err(|_| {
            FieldError::new(
                field,
                "region_unknown",
                format!("未知的行政区划代码：{code}"),
                format!("Unknown region code: {code}"),
            )
            .into()
        });
    }
    check_region(conn, field, code).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skill_lines_accept_names_codes_and_defaults() {
        let got = parse_skill_reqs("skills", "焊接 5 4\nquality-inspection 2，Python编程").expect("valid");
        let got: Vec<(String, u32, u8)> = got.into_iter().map(|r| (r.skill, r.weight, r.min_level)).collect();
        assert_eq!(got, vec![("welding".into(), 5, 4), ("quality-inspection".into(), 2, 3), ("python".into(), 5, 3)]);
        let levels = parse_skill_levels("skills", "Welding 4、cad-drawing").expect("valid");
        assert_eq!(levels.iter().map(|l| l.level).collect::<Vec<_>>(), vec![4, 3]);
    }

    #[test]
    fn unknown_repeated_or_out_of_range_skills_name_their_entry() {
        let e = parse_skill_reqs("roles[0].skills", "焊接\n吹玻璃").expect_err("unknown");
        assert_eq!((e.field.as_str(), e.rule), ("roles[0].skills[1]", "skill_unknown"));
        let e = parse_skill_reqs("s", "焊接\nwelding").expect_err("repeat");
        assert_eq!(e.rule, "skill_repeated");
        assert_eq!(parse_skill_reqs("s", "焊接 11").expect_err("weight").rule, "skill_weight");
        assert_eq!(parse_skill_reqs("s", "焊接 5 6").expect_err("level").rule, "skill_level");
        assert_eq!(parse_skill_levels("s", "焊接 0").expect_err("level").rule, "skill_level");
        assert!(parse_skill_reqs("s", "").expect("empty").is_empty());
        let huge = "焊接 ".repeat(100_000);
        assert!(parse_skill_reqs("s", &huge).is_err(), "a huge paste is refused, not a panic");
    }

    #[test]
    fn certificates_resolve_by_name_and_refuse_unknown_ones() {
        let got = certificate_codes("c", &["1x-web-frontend".into(), "健康证".into(), "健康证".into()]).expect("ok");
        assert_eq!(got, vec!["1x-web-frontend".to_string(), "health-certificate".to_string()]);
        assert_eq!(certificate_codes("c", &["驾照A1".into()]).expect_err("unknown").field, "c[0]");
    }
}

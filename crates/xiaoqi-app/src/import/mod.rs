//! Importing a college's students, teachers and classes from a CSV or Excel file.
//!
//! All or nothing: every bad row is reported with its line and reason, and nothing is written
//! unless the whole file is valid.

pub mod parse;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use xiaoqi_domain::contact::{Email, Mobile};
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{NewAccount, OrgId, StudentRecord};

use crate::audit::{Change, append, record};
use crate::error::{AppError, AppResult};
use crate::people::temporary_password;
use crate::{App, Principal};
use parse::{RawRow, Table, parse_table};

/// The columns of a people file; each accepts a Chinese or an English header.
const COLUMNS: &[(&str, &[&str])] = &[
    ("type", &["类型", "type"]),
    ("name", &["姓名", "name"]),
    ("number", &["学号/工号", "学号", "工号", "number"]),
    ("class", &["班级", "class"]),
    ("entry_year", &["入学年份", "entry_year"]),
    ("email", &["邮箱", "email"]),
    ("mobile", &["手机", "手机号", "mobile"]),
];

/// The header line of a template file, Chinese.
pub const TEMPLATE_CSV: &str = "类型,姓名,学号/工号,班级,入学年份,邮箱,手机\n学生,张三,2024010101,数控2401班,2024,,13800138000\n教师,李老师,,,,li@example.edu.cn,\n";

/// One validated person of the file.
#[derive(Debug, Clone)]
struct Person {
    role: Role,
    name: String,
    number: String,
    class: Option<(String, i64)>,
    email: Option<Email>,
    mobile: Option<Mobile>,
}

/// What an import created, with the one-time passwords to hand out.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub students: usize,
    pub teachers: usize,
    pub classes_created: usize,
    pub credentials: Vec<Credential>,
}

/// A created account's login and one-time password.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Credential {
    pub name: String,
    pub login: String,
    pub temporary_password: String,
}

pub(crate) fn row_error(line: usize, col: &str, zh: String, en: String, rule: &'static str) -> FieldError {
    FieldError::new(format!("rows[{line}].{col}"), rule, format!("第 {line} 行：{zh}"), format!("Line {line}: {en}"))
}

fn column_index(t: &Table) -> Result<HashMap<&'static str, usize>, FieldError> {
    let mut idx = HashMap::new();
    for (i, h) in t.headers.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if let Some((key, _)) = COLUMNS.iter().find(|(_, names)| names.iter().any(|n| n.to_lowercase() == h)) {
            idx.insert(*key, i);
        }
    }
    for key in ["type", "name"] {
        if !idx.contains_key(key) {
            return Err(FieldError::new(
                "file",
                "column_missing",
                format!("缺少列：{key}（表头须包含 类型、姓名）"),
                format!("Missing column: {key} (the header needs type and name)"),
            ));
        }
    }
    Ok(idx)
}

fn validate_row(r: &RawRow, idx: &HashMap<&'static str, usize>, e: &mut ValidationErrors) -> Option<Person> {
    let get = |k: &str| idx.get(k).and_then(|i| r.cells.get(*i)).map(|s| s.trim()).unwrap_or("");
    let l = r.line;
    let before = e.0.len();
    let role = match get("type") {
        "学生" | "student" | "Student" => Some(Role::Student),
        "教师" | "teacher" | "Teacher" => Some(Role::Teacher),
        other => {
            e.push(row_error(
                l,
                "type",
                format!("类型须为 学生 或 教师，而不是“{other}”"),
                format!("type must be student or teacher, not {other:?}"),
                "import_type",
            ));
            None
        }
    };
    let name = get("name");
    if name.is_empty() || name.chars().count() > 50 {
        e.push(row_error(
            l,
            "name",
            "姓名为必填项，最多 50 个字符".into(),
            "name is required, at most 50 characters".into(),
            "import_name",
        ));
    }
    let number = get("number").to_string();
    let class = get("class");
    let year = get("entry_year");
    let mut class_out = None;
    if role == Some(Role::Student) {
        if number.is_empty() || number.chars().count() > 30 {
            e.push(row_error(
                l,
                "number",
                "学生须填写学号（最多 30 个字符）".into(),
                "a student needs a student number (at most 30 characters)".into(),
                "import_student_number",
            ));
        }
        if class.chars().count() > 60 {
            e.push(row_error(
                l,
                "class",
                "班级名称最多 60 个字符".into(),
                "class names have at most 60 characters".into(),
                "too_long",
            ));
        } else if !class.is_empty() {
            match year.parse::<i64>() {
                Ok(y) if (1990..=2100).contains(&y) => class_out = Some((class.to_string(), y)),
                _ => e.push(row_error(
                    l,
                    "entry_year",
                    format!("入学年份须为 1990–2100 的年份，而不是“{year}”"),
                    format!("entry_year must be a year in 1990–2100, not {year:?}"),
                    "import_entry_year",
                )),
            }
        }
    }
    let email = match get("email") {
        "" => None,
        s => Email::parse("email", s).map_err(|f| e.push(row_error(l, "email", f.zh, f.en, f.rule))).ok(),
    };
    let mobile = match get("mobile") {
        "" => None,
        s => Mobile::parse("mobile", s).map_err(|f| e.push(row_error(l, "mobile", f.zh, f.en, f.rule))).ok(),
    };
    if get("email").is_empty() && get("mobile").is_empty() {
        e.push(row_error(
            l,
            "email",
            "邮箱和手机号至少填写一项（用于登录）".into(),
            "give an email or a mobile number (to log in)".into(),
            "login_required",
        ));
    }
    if e.0.len() > before {
        return None;
    }
    Some(Person { role: role?, name: name.to_string(), number, class: class_out, email, mobile })
}

/// Validates every row of the table, including duplicates inside the file.
fn validate_table(t: &Table) -> Result<Vec<(usize, Person)>, ValidationErrors> {
    let idx = column_index(t).map_err(ValidationErrors::from)?;
    let mut e = ValidationErrors::new();
    let mut people = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for r in &t.rows {
        let Some(p) = validate_row(r, &idx, &mut e) else { continue };
        let keys = [
            p.email.as_ref().map(|x| ("email", x.as_str().to_string())),
            p.mobile.as_ref().map(|x| ("mobile", x.as_str().to_string())),
            (p.role == Role::Student).then(|| ("number", p.number.clone())),
        ];
        for (col, key) in keys.into_iter().flatten() {
            if !seen.insert(format!("{col}:{key}")) {
                e.push(row_error(
                    r.line,
                    col,
                    format!("文件中重复：{key}"),
                    format!("duplicate in the file: {key}"),
                    "import_duplicate",
                ));
            }
        }
        people.push((r.line, p));
    }
    e.into_result().map(|()| people)
}

/// The longest a file may take to parse and validate; a hostile file is cut off, not waited for.
const PARSE_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

fn not_a_college() -> AppError {
    AppError::state("只有院校可以导入学生和教师", "Only colleges import students and teachers")
}

/// Parses a file and validates its rows with `validate` on the blocking pool, so a large or
/// hostile file never holds an async worker, within [`PARSE_TIME_LIMIT`].
pub(crate) async fn parse_off_the_runtime<T: Send + 'static>(
    file_name: String,
    bytes: Vec<u8>,
    validate: fn(&Table) -> Result<T, ValidationErrors>,
) -> AppResult<T> {
    let work = tokio::task::spawn_blocking(move || -> AppResult<T> {
        let table = parse_table(&file_name, &bytes)?;
        Ok(validate(&table)?)
    });
    match tokio::time::timeout(PARSE_TIME_LIMIT, work).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(AppError::internal(format!("import parser stopped: {join}"))),
        Err(_) => Err(FieldError::new(
            "file",
            "file_too_slow",
            "文件过于复杂，无法在 30 秒内读取，请拆分后导入",
            "The file is too complex to read within 30 seconds; split it",
        )
        .into()),
    }
}

impl App {
    /// Refuses an import into anything but an existing college, before the file is parsed.
    pub(crate) async fn require_college(&self, org: OrgId) -> AppResult<()> {
        let mut conn = self.store.conn().await?;
        let o = conn.find_org(org).await?.ok_or(AppError::NotFound("organization"))?;
        if o.profile.kind != OrgKind::College {
            return Err(not_a_college());
        }
        Ok(())
    }

    /// Imports people into a college the caller administers.
    pub async fn import_people(
        &self,
        p: &Principal,
        org: OrgId,
        file_name: &str,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        let admin = p.org_admin(org)?;
        self.import_into(Some(p), admin.org_id, file_name, bytes, &|_| {}).await
    }

    /// Imports people for the operator at the command line (`xiaoqi import students`), who has
    /// the database anyway; recorded in the audit log without an actor. `progress` gets the
    /// number of people written so far.
    pub async fn import_people_as_operator(
        &self,
        org: OrgId,
        file_name: &str,
        bytes: &[u8],
        progress: &(dyn Fn(u64) + Sync),
    ) -> AppResult<ImportReport> {
        self.import_into(None, org, file_name, bytes, progress).await
    }

    async fn import_into(
        &self,
        actor: Option<&Principal>,
        org: OrgId,
        file_name: &str,
        bytes: &[u8],
        progress: &(dyn Fn(u64) + Sync),
    ) -> AppResult<ImportReport> {
        let file_name = xiaoqi_domain::error::required_text("file_name", file_name, 200)?;
        // Who may import into what is settled before a byte of the file is read.
        self.require_college(org).await?;
        let people = parse_off_the_runtime(file_name.clone(), bytes.to_vec(), validate_table).await?;
        let mut tx = self.store.begin().await?;
        let o = tx.find_org(org).await?.ok_or(AppError::NotFound("organization"))?;
        if o.profile.kind != OrgKind::College {
            return Err(not_a_college());
        }
        let mut e = ValidationErrors::new();
        for (line, person) in &people {
            if let Some(em) = &person.email
                && tx.find_account_by_email(em.as_str()).await?.is_some()
            {
                e.push(row_error(
                    *line,
                    "email",
                    format!("邮箱已被使用：{em}"),
                    format!("email already in use: {em}"),
                    "email_taken",
                ));
            }
            if let Some(m) = &person.mobile
                && tx.find_account_by_mobile(m.as_str()).await?.is_some()
            {
                e.push(row_error(
                    *line,
                    "mobile",
                    format!("手机号已被使用：{m}"),
                    format!("mobile already in use: {m}"),
                    "mobile_taken",
                ));
            }
            if person.role == Role::Student && tx.find_student_by_no(org, &person.number).await?.is_some() {
                e.push(row_error(
                    *line,
                    "number",
                    format!("学号已存在：{}", person.number),
                    format!("student number exists: {}", person.number),
                    "student_number_taken",
                ));
            }
        }
        e.into_result()?;
        let report = self.write_people(&mut tx, org, &people, progress).await?;
        let summary = serde_json::json!({"file": file_name.as_str(), "students": report.students, "teachers": report.teachers, "classes_created": report.classes_created});
        let change = Change::created("people.import", "organization", org, &summary);
        match actor {
            Some(p) => record(&mut tx, self.now(), p, Some(org), change).await?,
            None => append(&mut tx, self.now(), None, Some(org), None, change).await?,
        }
        tx.commit().await?;
        Ok(report)
    }

    async fn write_people(
        &self,
        tx: &mut Box<dyn Conn>,
        org: OrgId,
        people: &[(usize, Person)],
        progress: &(dyn Fn(u64) + Sync),
    ) -> AppResult<ImportReport> {
        let mut classes: HashMap<String, i64> = HashMap::new();
        let mut report = ImportReport { students: 0, teachers: 0, classes_created: 0, credentials: Vec::new() };
        let t = self.now();
        for (_, person) in people {
            let class_id = match &person.class {
                Some((name, year)) => match classes.get(name).copied() {
                    Some(id) => Some(id),
                    None if let Some(existing) = tx.find_class_by_name(org, name).await? => {
                        classes.insert(name.clone(), existing.id);
                        Some(existing.id)
                    }
                    None => {
                        let id = tx.create_class(org, None, name, *year).await?;
                        classes.insert(name.clone(), id);
                        report.classes_created += 1;
                        Some(id)
                    }
                },
                None => None,
            };
            let pw = temporary_password();
            let account = tx
                .create_account(&NewAccount {
                    email: person.email.as_ref().map(|x| x.as_str().to_string()),
                    mobile: person.mobile.as_ref().map(|x| x.as_str().to_string()),
                    display_name: person.name.clone(),
                    password_hash: crate::password::temporary_hash(&pw, t),
                    must_change_password: true,
                    created_at: t,
                })
                .await?;
            tx.grant_role(account, org, person.role).await?;
            if person.role == Role::Student {
                tx.create_student(&StudentRecord {
                    account_id: account,
                    org_id: org,
                    student_no: person.number.clone(),
                    class_id,
                })
                .await?;
                report.students += 1;
            } else {
                report.teachers += 1;
            }
            let login = person
                .email
                .as_ref()
                .map(|x| x.as_str().to_string())
                .or(person.mobile.as_ref().map(|x| x.as_str().to_string()))
                .unwrap_or_default();
            report.credentials.push(Credential { name: person.name.clone(), login, temporary_password: pw });
            progress(report.credentials.len() as u64);
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(csv: &str) -> Table {
        parse_table("t.csv", csv.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let t = table(
            "类型,姓名,学号,班级,入学年份,邮箱,手机\n学生,张三,001,数控2401,2024,,13800138000\n学生,,002,,,,13800138001\n职工,王五,,,,,\n学生,赵六,003,数控2401,24,,12345\n",
        );
        let errs = validate_table(&t).err().unwrap_or_default();
        let fields: Vec<&str> = errs.0.iter().map(|f| f.field.as_str()).collect();
        assert!(fields.contains(&"rows[3].name"), "{fields:?}");
        assert!(fields.contains(&"rows[4].type"), "{fields:?}");
        assert!(fields.contains(&"rows[5].entry_year"), "{fields:?}");
        assert!(fields.contains(&"rows[5].mobile"), "{fields:?}");
        assert!(!fields.iter().any(|f| f.starts_with("rows[2]")), "{fields:?}");
    }

    #[test]
    fn duplicates_inside_the_file_are_refused() {
        let t = table("type,name,number,email\nstudent,A,1,a@x.cn\nstudent,B,1,a@x.cn\n");
        let errs = validate_table(&t).err().unwrap_or_default();
        let rules: Vec<(&str, &str)> = errs.0.iter().map(|f| (f.field.as_str(), f.rule)).collect();
        assert!(rules.contains(&("rows[3].email", "import_duplicate")), "{rules:?}");
        assert!(rules.contains(&("rows[3].number", "import_duplicate")), "{rules:?}");
    }

    #[test]
    fn a_file_without_the_name_column_is_refused() {
        let t = table("type,mobile\nstudent,13800138000\n");
        assert_eq!(validate_table(&t).err().map(|e| e.0[0].rule), Some("column_missing"));
    }

    #[test]
    fn the_template_is_valid() {
        let people = validate_table(&table(TEMPLATE_CSV)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].1.role, Role::Student);
        assert_eq!(people[1].1.role, Role::Teacher);
    }
}

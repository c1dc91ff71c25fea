//! The JSON layer of `xiaoqi allocate`: string ids in, string ids out.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Allocation, Instance, PositionPrefs, StudentPrefs};
use crate::solve::solve;

/// The string ids of an instance parsed by [`parse_instance`]: `students[i]` is student `i`'s id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ids {
    pub students: Vec<String>,
    pub positions: Vec<String>,
}

/// Which side of the market an id or a list belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Student,
    Position,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Student => "student",
            Side::Position => "position",
        }
    }

    fn other(self) -> Side {
        match self {
            Side::Student => Side::Position,
            Side::Position => Side::Student,
        }
    }
}

/// Why an instance was refused; [`fmt::Display`] gives the message for the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// Not JSON (a syntax error or an early end).
    MalformedJson { line: usize, column: usize, message: String },
    /// JSON of the wrong shape: a missing field, a value of the wrong type, a repeated field.
    InvalidShape { line: usize, column: usize, message: String },
    /// An empty (or blank) id; `index` counts from 0 in its array.
    EmptyId { side: Side, index: usize },
    /// Two students, or two positions, with the same id.
    DuplicateId { side: Side, id: String },
    /// `owner`'s preference list names an id that the other side does not have.
    UnknownId { owner_side: Side, owner: String, id: String },
    /// `owner`'s preference list names `id` more than once.
    RepeatedEntry { owner_side: Side, owner: String, id: String },
    /// A capacity below zero.
    NegativeCapacity { position: String, value: i64 },
    /// A capacity that is not a whole number from 0 to `u32::MAX` (its JSON text).
    InvalidCapacity { position: String, value: String },
    /// More students or positions than 32-bit indices can name.
    TooMany { side: Side, count: usize },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedJson { line, column, message } => {
                write!(f, "malformed JSON at line {line}, column {column}: {message}")
            }
            Self::InvalidShape { line, column, message } => {
                write!(f, "invalid instance at line {line}, column {column}: {message}")
            }
            Self::EmptyId { side, index } => {
                write!(f, "{} number {} (counting from 1) has an empty id", side.name(), index + 1)
            }
            Self::DuplicateId { side, id } => write!(f, "duplicate {} id {id:?}", side.name()),
            Self::UnknownId { owner_side, owner, id } => {
                write!(f, "{} {owner:?} lists unknown {} {id:?}", owner_side.name(), owner_side.other().name())
            }
            Self::RepeatedEntry { owner_side, owner, id } => {
                write!(f, "{} {owner:?} lists {} {id:?} more than once", owner_side.name(), owner_side.other().name())
            }
            Self::NegativeCapacity { position, value } => {
                write!(f, "position {position:?} has a negative capacity ({value})")
            }
            Self::InvalidCapacity { position, value } => write!(
                f,
                "position {position:?} has an invalid capacity {value}: expected a whole number from 0 to {}",
                u32::MAX
            ),
            Self::TooMany { side, count } => {
                write!(f, "too many {}s ({count}): at most {}", side.name(), u32::MAX - 1)
            }
        }
    }
}

impl std::error::Error for InputError {}

impl From<serde_json::Error> for InputError {
    fn from(e: serde_json::Error) -> Self {
        let (line, column) = (e.line(), e.column());
        // serde_json's message ends with " at line L column C", which the variant says itself.
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        match e.classify() {
            serde_json::error::Category::Data => Self::InvalidShape { line, column, message },
            _ => Self::MalformedJson { line, column, message },
        }
    }
}

/// The document: unknown fields are ignored, so that callers may add names or notes.
#[derive(Deserialize)]
struct RawInstance {
    students: Vec<RawStudent>,
    positions: Vec<RawPosition>,
}

#[derive(Deserialize)]
struct RawStudent {
    id: String,
    preferences: Vec<String>,
}

#[derive(Deserialize)]
struct RawPosition {
    id: String,
    /// Read as any JSON value so that a negative or fractional capacity is named, not a type.
    capacity: Value,
    preferences: Vec<String>,
}

/// Parses an instance document
/// `{"students": [{"id", "preferences"}], "positions": [{"id", "capacity", "preferences"}]}`.
///
/// Refuses, with the first problem found: JSON that does not parse or has the wrong shape (with
/// its line and column), blank ids, duplicate ids within a side (a student and a position may
/// share an id), capacities that are negative or not whole numbers up to `u32::MAX`, unknown
/// ids and repeated entries in preference lists (naming the list's owner and the id). Checked
/// in this order: ids (students, then positions, with capacities), then student lists, then
/// position lists.
pub fn parse_instance(text: &str) -> Result<(Instance, Ids), InputError> {
    let raw: RawInstance = serde_json::from_str(text)?;
    let students = index_ids(Side::Student, raw.students.iter().map(|s| s.id.as_str()))?;
    let positions = index_ids(Side::Position, raw.positions.iter().map(|p| p.id.as_str()))?;
    let mut capacities = Vec::with_capacity(raw.positions.len());
    for p in &raw.positions {
        capacities.push(capacity(&p.id, &p.capacity)?);
    }
    // seen[x] == owner + 1 when the owner's list already names x.
    let mut seen = vec![0usize; raw.positions.len()];
    let mut student_prefs = Vec::with_capacity(raw.students.len());
    for (i, s) in raw.students.iter().enumerate() {
        let prefs = resolve(Side::Student, &s.id, i, &s.preferences, &positions, &mut seen)?;
        student_prefs.push(StudentPrefs { prefs });
    }
    let mut seen = vec![0usize; raw.students.len()];
    let mut position_prefs = Vec::with_capacity(raw.positions.len());
    for ((i, p), capacity) in raw.positions.iter().enumerate().zip(capacities) {
        let prefs = resolve(Side::Position, &p.id, i, &p.preferences, &students, &mut seen)?;
        position_prefs.push(PositionPrefs { capacity, prefs });
    }
    let ids = Ids {
        students: raw.students.into_iter().map(|s| s.id).collect(),
        positions: raw.positions.into_iter().map(|p| p.id).collect(),
    };
    Ok((Instance { students: student_prefs, positions: position_prefs }, ids))
}

/// Maps each id to its index, refusing blank and duplicate ids.
fn index_ids<'a>(side: Side, ids: impl ExactSizeIterator<Item = &'a str>) -> Result<HashMap<&'a str, u32>, InputError> {
    let count = ids.len();
    if count >= u32::MAX as usize {
        return Err(InputError::TooMany { side, count });
    }
    let mut map = HashMap::with_capacity(count);
    for (id, i) in ids.zip(0u32..) {
        if id.trim().is_empty() {
            return Err(InputError::EmptyId { side, index: i as usize });
        }
        if map.insert(id, i).is_some() {
            return Err(InputError::DuplicateId { side, id: id.to_owned() });
        }
    }
    Ok(map)
}

fn capacity(position: &str, value: &Value) -> Result<u32, InputError> {
    if let Some(c) = value.as_u64().and_then(|c| u32::try_from(c).ok()) {
        return Ok(c);
    }
    match value.as_i64() {
        Some(v) if v < 0 => Err(InputError::NegativeCapacity { position: position.to_owned(), value: v }),
        _ => Err(InputError::InvalidCapacity { position: position.to_owned(), value: value.to_string() }),
    }
}

/// The indices of `owner`'s (number `index` of its side) list, refusing unknown and repeated ids.
fn resolve(
    owner_side: Side,
    owner: &str,
    index: usize,
    list: &[String],
    other: &HashMap<&str, u32>,
    seen: &mut [usize],
) -> Result<Vec<u32>, InputError> {
    let mut out = Vec::with_capacity(list.len());
    for id in list {
        let Some(&x) = other.get(id.as_str()) else {
            return Err(InputError::UnknownId { owner_side, owner: owner.to_owned(), id: id.clone() });
        };
        let slot = &mut seen[x as usize];
        if *slot == index + 1 {
            return Err(InputError::RepeatedEntry { owner_side, owner: owner.to_owned(), id: id.clone() });
        }
        *slot = index + 1;
        out.push(x);
    }
    Ok(out)
}

/// The result document, exactly
/// `{"matches": [{"student": "s1", "position": "p2"}, ...], "unmatched": ["s7", ...]}`:
/// matches and unmatched students in input order, ids escaped as JSON strings, no newline at the
/// end. A student without an entry in `alloc`, or assigned an index `ids` does not have, counts
/// as unmatched.
pub fn render_result(inst: &Instance, ids: &Ids, alloc: &Allocation) -> String {
    let n = inst.students.len().min(ids.students.len());
    let mut out = String::with_capacity(48 * n + 32);
    let mut unmatched = Vec::new();
    out.push_str("{\"matches\": [");
    let mut first = true;
    for (s, student) in ids.students.iter().enumerate().take(n) {
        let position = alloc.assignment.get(s).copied().flatten().and_then(|p| ids.positions.get(p as usize));
        let Some(position) = position else {
            unmatched.push(student);
            continue;
        };
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str("{\"student\": ");
        push_json_string(&mut out, student);
        out.push_str(", \"position\": ");
        push_json_string(&mut out, position);
        out.push('}');
    }
    out.push_str("], \"unmatched\": [");
    for (i, student) in unmatched.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_json_string(&mut out, student);
    }
    out.push_str("]}");
    out
}

/// `s` as a JSON string literal, escaped as serde_json escapes it.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `xiaoqi allocate`: parses the instance, solves it and renders the result.
pub fn run_cli(text: &str) -> Result<String, InputError> {
    let (inst, ids) = parse_instance(text)?;
    let alloc = solve(&inst);
    Ok(render_result(&inst, &ids, &alloc))
}

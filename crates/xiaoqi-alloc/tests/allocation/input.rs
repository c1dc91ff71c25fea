//! The JSON layer: every refusal names the id or the line, the exact output format, and no
//! panic on any input.

use proptest::prelude::*;
use xiaoqi_alloc::{Allocation, Ids, InputError, Side, parse_instance, render_result, run_cli, solve};

fn refused(text: &str) -> InputError {
    match parse_instance(text) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => {
            // run_cli refuses the same way.
            assert_eq!(run_cli(text).err(), Some(e.clone()));
            e
        }
    }
}

/// `{"id": id, "preferences": [...]}`.
fn student(id: &str, prefs: &[&str]) -> String {
    format!(r#"{{"id": "{id}", "preferences": [{}]}}"#, quoted(prefs))
}

/// `{"id": id, "capacity": capacity, "preferences": [...]}`; `capacity` is JSON text.
fn position(id: &str, capacity: &str, prefs: &[&str]) -> String {
    format!(r#"{{"id": "{id}", "capacity": {capacity}, "preferences": [{}]}}"#, quoted(prefs))
}

fn quoted(ids: &[&str]) -> String {
    ids.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(", ")
}

/// An instance document on one line.
fn doc(students: &[String], positions: &[String]) -> String {
    format!(r#"{{"students": [{}], "positions": [{}]}}"#, students.join(", "), positions.join(", "))
}

const VALID: &str = r#"{"students": [{"id": "s1", "preferences": ["p2", "p1"]},
                {"id": "s2", "preferences": ["p1"]},
                {"id": "s3", "preferences": ["p1", "p2"]}],
 "positions": [{"id": "p1", "capacity": 1, "preferences": ["s3", "s1", "s2"]},
               {"id": "p2", "capacity": 2, "preferences": ["s2", "s3"]}]}"#;

#[test]
fn exact_output_format() {
    // s1: p2 does not list s1, p1 prefers s3, who takes it; s2 loses p1 to s3 as well.
    assert_eq!(
        run_cli(VALID),
        Ok(r#"{"matches": [{"student": "s3", "position": "p1"}], "unmatched": ["s1", "s2"]}"#.to_owned())
    );
    let text = r#"{"students": [{"id": "b", "preferences": ["x"]}, {"id": "a", "preferences": ["y", "x"]},
        {"id": "c", "preferences": []}],
        "positions": [{"id": "x", "capacity": 2, "preferences": ["a", "b"]},
                      {"id": "y", "capacity": 0, "preferences": ["a"]}]}"#;
    assert_eq!(
        run_cli(text),
        Ok(r#"{"matches": [{"student": "b", "position": "x"}, {"student": "a", "position": "x"}], "unmatched": ["c"]}"#
            .to_owned())
    );
    assert_eq!(run_cli(r#"{"students": [], "positions": []}"#), Ok(r#"{"matches": [], "unmatched": []}"#.to_owned()));
}

#[test]
fn ids_are_escaped_and_extra_fields_ignored() {
    let text = r#"{"students": [{"id": "学生\"1\"\\", "name": "张三", "preferences": ["p\n1"]}],
        "positions": [{"id": "p\n1", "capacity": 1, "preferences": ["学生\"1\"\\"]}], "round": 3}"#;
    let Ok(out) = run_cli(text) else { panic!("refused") };
    assert_eq!(out, r#"{"matches": [{"student": "学生\"1\"\\", "position": "p\n1"}], "unmatched": []}"#);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    assert_eq!(value["matches"][0]["position"], "p\n1");
    let control = r#"{"students": [{"id": "\u0001", "preferences": []}], "positions": []}"#;
    assert_eq!(run_cli(control), Ok(r#"{"matches": [], "unmatched": ["\u0001"]}"#.to_owned()));
}

#[test]
fn render_tolerates_a_short_or_foreign_allocation() {
    let Ok((inst, ids)) = parse_instance(VALID) else { panic!("refused") };
    let short = Allocation { assignment: vec![Some(9)], proposals: 0 };
    assert_eq!(render_result(&inst, &ids, &short), r#"{"matches": [], "unmatched": ["s1", "s2", "s3"]}"#);
    assert_eq!(ids.students, ["s1", "s2", "s3"]);
    assert_eq!(ids.positions, ["p1", "p2"]);
    assert_eq!(inst.positions[1].capacity, 2);
    assert_eq!(inst.students[0].prefs, [1, 0]);
    assert_eq!(solve(&inst).assignment, [None, None, Some(0)]);
    assert_eq!(render_result(&inst, &Ids::default(), &solve(&inst)), r#"{"matches": [], "unmatched": []}"#);
}

#[test]
fn malformed_json_names_the_line() {
    let e = refused(
        "{\"students\": [\n  {\"id\": \"s1\", \"preferences\": []},\n  {\"id\": \"s2\" \"preferences\": []}\n]}",
    );
    assert!(matches!(e, InputError::MalformedJson { line: 3, .. }), "{e:?}");
    assert!(e.to_string().starts_with("malformed JSON at line 3, column "), "{e}");
    let e = refused("");
    assert!(matches!(e, InputError::MalformedJson { line: 1, column: 0, .. }), "{e:?}");
    assert!(e.to_string().contains("line 1"), "{e}");
    let e = refused("{\"students\": [], \"positions\": []} trailing");
    assert!(matches!(e, InputError::MalformedJson { line: 1, .. }), "{e:?}");
}

#[test]
fn missing_fields_and_wrong_types_name_the_line() {
    let e = refused("{\"students\": [],\n \"positions\": [{\"id\": \"p1\",\n \"preferences\": []}]}");
    assert!(matches!(e, InputError::InvalidShape { line: 3, .. }), "{e:?}");
    let message = e.to_string();
    assert!(message.contains("line 3") && message.contains("missing field `capacity`"), "{message}");
    let e = refused(r#"{"students": []}"#);
    assert!(e.to_string().contains("missing field `positions`"), "{e}");
    let e = refused("{\"students\": [{\"id\": 7, \"preferences\": []}], \"positions\": []}");
    assert!(matches!(e, InputError::InvalidShape { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("invalid type"), "{e}");
    let e = refused("[1, 2]");
    assert!(matches!(e, InputError::InvalidShape { .. }), "{e:?}");
}

#[test]
fn empty_ids_are_refused() {
    let e =
        refused(r#"{"students": [{"id": "s1", "preferences": []}, {"id": "", "preferences": []}], "positions": []}"#);
    assert_eq!(e, InputError::EmptyId { side: Side::Student, index: 1 });
    assert_eq!(e.to_string(), "student number 2 (counting from 1) has an empty id");
    let e = refused(r#"{"students": [], "positions": [{"id": "  ", "capacity": 1, "preferences": []}]}"#);
    assert_eq!(e.to_string(), "position number 1 (counting from 1) has an empty id");
}

#[test]
fn duplicate_ids_are_named() {
    let e =
        refused(r#"{"students": [{"id": "s1", "preferences": []}, {"id": "s1", "preferences": []}], "positions": []}"#);
    assert_eq!(e, InputError::DuplicateId { side: Side::Student, id: "s1".into() });
    assert_eq!(e.to_string(), r#"duplicate student id "s1""#);
    let e = refused(
        r#"{"students": [], "positions": [{"id": "p1", "capacity": 1, "preferences": []},
            {"id": "p1", "capacity": 2, "preferences": []}]}"#,
    );
    assert_eq!(e.to_string(), r#"duplicate position id "p1""#);
    // A student and a position may share an id.
    assert!(parse_instance(&doc(&[student("x", &["x"])], &[position("x", "1", &["x"])])).is_ok());
}

#[test]
fn unknown_ids_name_the_owner_and_the_id() {
    let e = refused(&doc(&[student("s1", &["p1", "p9"])], &[position("p1", "1", &[])]));
    assert_eq!(e, InputError::UnknownId { owner_side: Side::Student, owner: "s1".into(), id: "p9".into() });
    assert_eq!(e.to_string(), r#"student "s1" lists unknown position "p9""#);
    let e = refused(&doc(&[student("s1", &[])], &[position("p1", "1", &["s1", "s7"])]));
    assert_eq!(e.to_string(), r#"position "p1" lists unknown student "s7""#);
}

#[test]
fn repeated_entries_name_the_owner_and_the_id() {
    let e = refused(&doc(&[student("s1", &["p1", "p1"])], &[position("p1", "1", &[])]));
    assert_eq!(e, InputError::RepeatedEntry { owner_side: Side::Student, owner: "s1".into(), id: "p1".into() });
    assert_eq!(e.to_string(), r#"student "s1" lists position "p1" more than once"#);
    let e = refused(&doc(&[student("s1", &[]), student("s2", &[])], &[position("p1", "1", &["s2", "s1", "s2"])]));
    assert_eq!(e.to_string(), r#"position "p1" lists student "s2" more than once"#);
    // The same id in two different lists is fine.
    assert!(
        parse_instance(&doc(&[student("s1", &["p1"]), student("s2", &["p1"])], &[position("p1", "1", &[])])).is_ok()
    );
}

#[test]
fn bad_capacities_name_the_position() {
    let doc = |c: &str| doc(&[], &[position("p1", "1", &[]), position("p2", c, &[])]);
    let e = refused(&doc("-3"));
    assert_eq!(e, InputError::NegativeCapacity { position: "p2".into(), value: -3 });
    assert_eq!(e.to_string(), r#"position "p2" has a negative capacity (-3)"#);
    // (written, as the message shows it)
    let bad = [
        ("2.5", "2.5"),
        ("1e3", "1000.0"),
        ("\"2\"", "\"2\""),
        ("null", "null"),
        ("true", "true"),
        ("[]", "[]"),
        ("4294967296", "4294967296"),
        ("-0.5", "-0.5"),
    ];
    for (written, shown) in bad {
        let e = refused(&doc(written));
        assert_eq!(e, InputError::InvalidCapacity { position: "p2".into(), value: shown.into() }, "{written}");
        assert!(e.to_string().starts_with(r#"position "p2" has an invalid capacity "#), "{e}");
    }
    let Ok((inst, _)) = parse_instance(&doc("4294967295")) else { panic!("refused") };
    assert_eq!(inst.positions[1].capacity, u32::MAX);
    let Ok((inst, _)) = parse_instance(&doc("0")) else { panic!("refused") };
    assert_eq!(inst.positions[1].capacity, 0);
}

/// Documents that look like instances, with random ids, lists and capacities.
fn document() -> impl Strategy<Value = String> {
    let id = prop_oneof![Just(String::new()), "[sp][0-4]", "[a-z\"\\\\]{0,3}"];
    let list = proptest::collection::vec(id.clone(), 0..5);
    let capacity = prop_oneof![(-3i64..5).prop_map(|c| c.to_string()), Just("1.5".to_owned()), Just("null".to_owned())];
    let student = (id.clone(), list.clone());
    let position = (id, capacity, list);
    (proptest::collection::vec(student, 0..5), proptest::collection::vec(position, 0..4)).prop_map(|(ss, ps)| {
        let quote = |s: &String| serde_json::to_string(s).unwrap_or_default();
        let quote_all = |l: &Vec<String>| l.iter().map(quote).collect::<Vec<_>>().join(", ");
        let students: Vec<String> =
            ss.iter().map(|(id, l)| format!(r#"{{"id": {}, "preferences": [{}]}}"#, quote(id), quote_all(l))).collect();
        let positions: Vec<String> = ps
            .iter()
            .map(|(id, c, l)| format!(r#"{{"id": {}, "capacity": {c}, "preferences": [{}]}}"#, quote(id), quote_all(l)))
            .collect();
        format!(r#"{{"students": [{}], "positions": [{}]}}"#, students.join(", "), positions.join(", "))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        let _ = run_cli(&text);
    }

    #[test]
    fn json_like_text_never_panics(text in "[\\[\\]{}\":, 0-9a-z\\-.\n]{0,80}") {
        if let Err(e) = run_cli(&text) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    /// Accepted documents give well-formed output naming every student once; refused ones give
    /// a message.
    #[test]
    fn instance_like_documents(text in document()) {
        match run_cli(&text) {
            Ok(out) => {
                let Ok(value) = serde_json::from_str::<serde_json::Value>(&out) else {
                    return Err(TestCaseError::fail(format!("not JSON: {out}")));
                };
                let Ok((inst, ids)) = parse_instance(&text) else {
                    return Err(TestCaseError::fail("parse_instance refused what run_cli accepted"));
                };
                prop_assert_eq!(inst.validate(), Ok(()));
                let matches = value["matches"].as_array().map_or(0, Vec::len);
                let unmatched = value["unmatched"].as_array().map_or(0, Vec::len);
                prop_assert_eq!(matches + unmatched, ids.students.len());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

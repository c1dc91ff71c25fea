//! Black-box tests of the binary: commands, exit codes, and a real server that stops
//! gracefully on SIGTERM.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xiaoqi"));
    // Only what the test sets: no XIAOQI_* from the environment.
    for (k, _) in std::env::vars() {
        if k.starts_with("XIAOQI_") {
            c.env_remove(k);
        }
    }
    c
}

fn temp_dir(label: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("xq_cli_{label}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn http_get(addr: &str, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn bad_arguments_exit_with_status_2_and_a_message() {
    let out = bin().arg("serve").arg("--no-such-flag").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--no-such-flag"));
    let out = bin().output().expect("run");
    assert_eq!(out.status.code(), Some(2), "a command is required");
}

#[test]
fn an_unsupported_database_url_is_refused_without_a_panic() {
    let out = bin().args(["--database-url", "mysql://x/y", "migrate"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported database URL") && !err.contains("panicked"), "{err}");
}

#[test]
fn demo_token_and_import_commands_work_and_bad_files_write_nothing() {
    let dir = temp_dir("cmds");
    let data = dir.to_string_lossy().to_string();
    let out = bin().args(["--data-dir", &data, "demo"]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = bin().args(["--data-dir", &data, "demo"]).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("already present"), "seeding twice is a no-op");

    let out = bin().args(["--data-dir", &data, "token", "issue", "admin@alliance.demo"]).output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).trim().starts_with("xq_"));
    let out = bin().args(["--data-dir", &data, "token", "issue", "nobody@example.com"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));

    let out = bin().args(["--data-dir", &data, "account", "reset", "hr@chuangzhi.demo"]).output().expect("run");
    let pw = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(out.status.success() && pw.len() == 16, "a one-time password is printed: {pw:?}");
    let out = bin().args(["--data-dir", &data, "account", "reset", "nobody@example.com"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "an unknown login is refused");

    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "类型,姓名,学号,班级,入学年份,邮箱,手机\n学生,,2026001,,,,13500000001\n学生,王五,2026002,,,,123\n",
    )
    .expect("write");
    let out = bin()
        .args(["--data-dir", &data, "import", "students", &bad.to_string_lossy(), "--org", "鹏城职业技术学院"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "an unknown --org is refused");
    // The first demo college: its code is built from region 440305 and number 100.
    let check = with_check_character("12440305MA5F00100");
    let out = bin()
        .args(["--data-dir", &data, "import", "students", &bad.to_string_lossy(), "--org", &check])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("rows[2].name") && err.contains("rows[3].mobile") && err.contains("nothing was written"),
        "{err}"
    );

    let good = dir.join("good.csv");
    std::fs::write(&good, "类型,姓名,学号,班级,入学年份,邮箱,手机\n学生,赵六,2026003,数控2601班,2026,,13500000003\n")
        .expect("write");
    let out = bin()
        .args(["--data-dir", &data, "import", "students", &good.to_string_lossy(), "--org", &check])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 students") && stdout.contains("13500000003"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A credit code from its first 17 characters, with the check character per GB 32100 computed
/// here independently of the code under test.
fn with_check_character(first17: &str) -> String {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: usize = first17.chars().zip(W).map(|(c, w)| CHARS.find(c).expect("valid character") * w).sum();
    let check = (31 - sum % 31) % 31;
    format!("{first17}{}", CHARS.as_bytes()[check] as char)
}

#[test]
fn the_server_answers_and_stops_gracefully_on_sigterm() {
    let dir = temp_dir("serve");
    let mut child = bin()
        .args(["--data-dir", &dir.to_string_lossy(), "--listen", "127.0.0.1:0", "serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.split("listening on http://").nth(1).map(str::to_string))
        .expect("the server prints its address");
    let health = http_get(&addr, "/healthz").expect("healthz");
    assert!(health.starts_with("HTTP/1.1 200") && health.ends_with("ok"), "{health}");
    let login = http_get(&addr, "/login").expect("login page");
    assert!(login.contains("admin@alliance.demo"), "the demo login page lists the accounts");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let start = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the server did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "a graceful stop exits 0: {code:?}");

    // The README's way to script against the demo: the same --demo flag picks the demo database.
    let data = dir.to_string_lossy().to_string();
    let out =
        bin().args(["--data-dir", &data, "token", "issue", "admin@alliance.demo", "--demo"]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).trim().starts_with("xq_"));
    let out = bin().args(["--data-dir", &data, "token", "issue", "admin@alliance.demo"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "the main database has no demo accounts");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--demo"), "the error says how to reach the demo database");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn occupation_suggest_prints_one_json_object_per_title_in_order() {
    let out = bin().args(["occupation", "suggest", "焊工"]).output().expect("run");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["title"], "焊工");
    let s = v["suggestions"].as_array().expect("suggestions");
    assert!(!s.is_empty() && s.len() <= 5);
    assert!(s[0]["code"].as_str().is_some_and(|c| c.len() == 10), "{v}");

    let mut child =
        bin().args(["occupation", "suggest"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("spawn");
    child.stdin.take().expect("stdin").write_all("Java开发工程师\n\n仓管员/叉车工\n".as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    let titles: Vec<&str> = lines.iter().filter_map(|l| l["title"].as_str()).collect();
    assert_eq!(titles, vec!["Java开发工程师", "", "仓管员/叉车工"]);
    assert_eq!(lines[1]["suggestions"], serde_json::json!([]), "a blank line gets no suggestions");
}

#[test]
fn allocate_prints_the_student_optimal_matching_and_refuses_bad_instances_with_status_2() {
    let dir = temp_dir("allocate");
    // s1 and s2 both want p1 (one seat), which prefers s2: s2 gets p1, s1 falls back to p2;
    // s3 lists only p1 and stays unmatched; p2 does not list s3.
    let good = r#"{"students": [{"id": "s1", "preferences": ["p1", "p2"]},
                                  {"id": "s2", "preferences": ["p1"]},
                                  {"id": "s3", "preferences": ["p1"]}],
                     "positions": [{"id": "p1", "capacity": 1, "preferences": ["s2", "s1", "s3"]},
                                   {"id": "p2", "capacity": 2, "preferences": ["s1"]}]}"#;
    let file = dir.join("good.json");
    std::fs::write(&file, good).expect("write");
    let out = bin().arg("allocate").arg(&file).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v,
        serde_json::json!({"matches": [{"student": "s1", "position": "p2"}, {"student": "s2", "position": "p1"}],
                           "unmatched": ["s3"]})
    );

    for (name, text, needle) in [
        (
            "dup",
            r#"{"students": [{"id": "s1", "preferences": []}, {"id": "s1", "preferences": []}], "positions": []}"#,
            "s1",
        ),
        ("unknown", r#"{"students": [{"id": "s1", "preferences": ["p9"]}], "positions": []}"#, "p9"),
        (
            "repeat",
            r#"{"students": [{"id": "s1", "preferences": ["p1", "p1"]}], "positions": [{"id": "p1", "capacity": 1, "preferences": ["s1"]}]}"#,
            "p1",
        ),
        ("negative", r#"{"students": [], "positions": [{"id": "p7", "capacity": -1, "preferences": []}]}"#, "p7"),
        ("malformed", "{\"students\": [\n  {\"id\": \"s1\",,}\n]}", "line 2"),
    ] {
        let f = dir.join(format!("{name}.json"));
        std::fs::write(&f, text).expect("write");
        let out = bin().arg("allocate").arg(&f).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(needle), "{name}: the message names {needle}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn backup_and_restore_round_trip_and_refuse_to_overwrite_or_restore_garbage() {
    let dir = temp_dir("backup");
    let (live, other) =
        (dir.join("live").to_string_lossy().to_string(), dir.join("other").to_string_lossy().to_string());
    let run = |args: &[&str]| bin().args(args).output().expect("run");
    assert!(run(&["--data-dir", &live, "demo"]).status.success());
    let file = dir.join("b.db").to_string_lossy().to_string();
    let out = run(&["--data-dir", &live, "backup", &file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("integrity ok"));
    assert_eq!(run(&["--data-dir", &live, "backup", &file]).status.code(), Some(1), "never overwrites");

    let out = run(&["--data-dir", &other, "restore", &file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = run(&["--data-dir", &other, "token", "issue", "admin@alliance.demo"]);
    assert!(token.status.success(), "the restored database holds the demo accounts");

    let again = run(&["--data-dir", &other, "restore", &file]);
    assert_eq!(again.status.code(), Some(1), "an existing database is not replaced silently");
    assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));
    let garbage = dir.join("garbage.db");
    std::fs::write(&garbage, b"not a database at all, just bytes").expect("write");
    let out = run(&["--data-dir", &other, "restore", "--replace", &garbage.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1), "garbage is refused before anything moves");
    assert!(std::path::Path::new(&other).join("xiaoqi.db").is_file(), "and the database stays in place");
    let out = run(&["--data-dir", &other, "restore", "--replace", &file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kept = std::fs::read_dir(&other)
        .expect("dir")
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with("xiaoqi.db.before-restore-"));
    assert!(kept, "the replaced database is kept beside the restored one");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The documented PostgreSQL route: `backup` runs pg_dump, `restore` pg_restore into an empty
/// database, and the restored database serves the same accounts.
#[test]
#[ignore = "PostgreSQL: run with --include-ignored and XIAOQI_TEST_POSTGRES_URL"]
fn postgres_backup_and_restore_go_through_pg_dump_and_pg_restore() {
    let server = std::env::var("XIAOQI_TEST_POSTGRES_URL").expect("XIAOQI_TEST_POSTGRES_URL must name a server");
    let (root, _) = server.rsplit_once('/').expect("a URL with a database");
    let (src, dst) = (format!("{root}/xq_cli_backup_src"), format!("{root}/xq_cli_backup_dst"));
    for db in ["xq_cli_backup_src", "xq_cli_backup_dst"] {
        for sql in [format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"), format!("CREATE DATABASE {db}")] {
            let ok = Command::new("psql").args([server.as_str(), "-qc", &sql]).status().expect("psql");
            assert!(ok.success(), "{sql}");
        }
    }
    let dir = temp_dir("pg-backup");
    let file = dir.join("b.dump").to_string_lossy().to_string();
    let run = |url: &str, args: &[&str]| bin().args(["--database-url", url]).args(args).output().expect("run");
    assert!(run(&src, &["demo"]).status.success());
    let out = run(&src, &["backup", &file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&dst, &["restore", &file]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(run(&dst, &["token", "issue", "admin@alliance.demo"]).status.success(), "the accounts came back");
    assert_eq!(run(&dst, &["restore", &file]).status.code(), Some(1), "a non-empty database is not restored over");
    let _ = std::fs::remove_dir_all(&dir);
}

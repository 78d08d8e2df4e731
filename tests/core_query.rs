//! Issue "core": `query` — read-only SQL, SQL that writes, output formats,
//! time limits, refusals, and a reader that stops early.

mod common;
use common::*;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// items(id pk, name, price) with three rows.
fn items(s: &Sandbox) -> PathBuf {
    ok(&s.run(
        &[
            "create",
            "d.db",
            "items",
            "id:integer",
            "name:text",
            "price:real",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(
        &["insert", "d.db", "items", "-"],
        Some(concat!(
            "{\"id\": 1, \"name\": \"apple\", \"price\": 0.5}\n",
            "{\"id\": 2, \"name\": \"pear, green\", \"price\": 1.25}\n",
            "{\"id\": 3, \"name\": \"plum\", \"price\": 2.0}\n",
        )),
    ));
    s.path("d.db")
}

fn all_items(db: &Path) -> Vec<Value> {
    rows(db, "select id, name, price from items order by id")
}

fn audit_entries(db: &Path) -> i64 {
    count(db, "select count(*) from _litewrite_audit")
}

fn parse(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn read_only_select_with_parameters() {
    let s = Sandbox::new();
    let db = items(&s);
    let audit = audit_entries(&db);
    let groups = count(&db, "select count(*) from _litewrite_groups");
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            "select id, name from items where price > :min order by id",
            "-p",
            "min",
            "1",
        ],
        None,
    ));
    assert_eq!(
        parse(&out),
        json!([{"id": 2, "name": "pear, green"}, {"id": 3, "name": "plum"}])
    );
    // A read is not a write job: no audit entry, no change group.
    assert_eq!(audit_entries(&db), audit);
    assert_eq!(count(&db, "select count(*) from _litewrite_groups"), groups);
}

#[test]
fn several_statements_print_the_last_that_returns_rows() {
    let s = Sandbox::new();
    let db = items(&s);
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            "select 1 as a; select name from items where id = 3; ",
        ],
        None,
    ));
    assert_eq!(parse(&out), json!([{"name": "plum"}]));

    // A write then a read: one write job; the read sees the write.
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            "insert into items (name, price) values ('fig', 3.5); select count(*) as n from items",
        ],
        None,
    ));
    assert_eq!(parse(&out), json!([{"n": 4}]));
    assert_eq!(
        rows(&db, "select name, price from items where id = 4"),
        vec![json!({"name": "fig", "price": 3.5})]
    );
}

#[test]
fn write_sql_prints_rows_affected_and_lands() {
    let s = Sandbox::new();
    let db = items(&s);
    let audit = audit_entries(&db);
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            "update items set price = price * 2 where price >= :p",
            "-p",
            "p",
            "1",
        ],
        None,
    ));
    assert_eq!(parse(&out), json!([{"rows_affected": 2}]));
    assert_eq!(
        all_items(&db),
        vec![
            json!({"id": 1, "name": "apple", "price": 0.5}),
            json!({"id": 2, "name": "pear, green", "price": 2.5}),
            json!({"id": 3, "name": "plum", "price": 4.0}),
        ]
    );
    // It went through the wrappers: audited as execute-sql.
    assert!(audit_entries(&db) > audit);
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_audit where event = 'execute-sql' and outcome = 'ok'"
        ),
        1
    );
}

#[test]
fn several_write_statements_are_one_transaction() {
    let s = Sandbox::new();
    let db = items(&s);
    let before = all_items(&db);
    let err = fails(
        &s.run(
            &[
                "query",
                "d.db",
                "delete from items where id = 1; insert into items (id, name) values (2, 'dup')",
            ],
            None,
        ),
        1,
    );
    assert!(err.contains("UNIQUE"), "{err}");
    assert_eq!(all_items(&db), before);
}

#[test]
fn insert_returning_prints_the_rows() {
    let s = Sandbox::new();
    let db = items(&s);
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            "insert into items (name, price) values ('kiwi', 1.0), ('lime', 0.25) returning id, name",
        ],
        None,
    ));
    assert_eq!(
        parse(&out),
        json!([{"id": 4, "name": "kiwi"}, {"id": 5, "name": "lime"}])
    );
    assert_eq!(
        rows(
            &db,
            "select id, name, price from items where id > 3 order by id"
        ),
        vec![
            json!({"id": 4, "name": "kiwi", "price": 1.0}),
            json!({"id": 5, "name": "lime", "price": 0.25}),
        ]
    );
}

#[test]
fn output_formats() {
    let s = Sandbox::new();
    let db = items(&s);
    let sql = "select id, name from items order by id";
    let expected = rows(&db, sql);
    let run = |fmt: &str| ok(&s.run(&["query", "d.db", sql, "--format", fmt], None));

    assert_eq!(parse(&run("json")), Value::Array(expected.clone()));

    let nd: Vec<Value> = run("ndjson").lines().map(parse).collect();
    assert_eq!(nd, expected);

    assert_eq!(
        run("csv").replace("\r\n", "\n"),
        "id,name\n1,apple\n2,\"pear, green\"\n3,plum\n"
    );
    assert_eq!(
        run("tsv").replace("\r\n", "\n"),
        "id\tname\n1\tapple\n2\tpear, green\n3\tplum\n"
    );

    let table = run("table");
    let lines: Vec<&str> = table.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.contains("id") && l.contains("name"))
        .unwrap_or_else(|| panic!("header line: {table}"));
    for (i, name) in ["apple", "pear, green", "plum"].iter().enumerate() {
        let line = lines
            .iter()
            .position(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} in {table}"));
        assert!(line > header, "{table}");
        assert!(lines[line].contains(&(i + 1).to_string()), "{table}");
    }
}

#[test]
fn time_limit_interrupts_a_slow_query() {
    let s = Sandbox::new();
    items(&s);
    let start = Instant::now();
    let out = s.run(
        &[
            "query",
            "d.db",
            "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c",
            "--time-limit",
            "50",
        ],
        None,
    );
    let took = start.elapsed();
    assert_ne!(code(&out), 0, "stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("time limit"), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn time_limit_does_not_stop_a_fast_query() {
    let s = Sandbox::new();
    let db = items(&s);
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            "select count(*) as n from items",
            "--time-limit",
            "5000",
        ],
        None,
    ));
    assert_eq!(
        parse(&out),
        json!([{ "n": count(&db, "select count(*) from items") }])
    );
}

#[test]
fn sql_from_stdin() {
    let s = Sandbox::new();
    let db = items(&s);
    let out = ok(&s.run(
        &["query", "d.db", "-"],
        Some("update items set name = upper(name) where id = 1;\n"),
    ));
    assert_eq!(parse(&out), json!([{"rows_affected": 1}]));
    assert_eq!(
        rows(&db, "select name from items where id = 1"),
        vec![json!({"name": "APPLE"})]
    );
    let out = ok(&s.run(
        &["query", "d.db", "-", "-p", "id", "3"],
        Some("select name from items where id = :id"),
    ));
    assert_eq!(parse(&out), json!([{"name": "plum"}]));
}

#[test]
fn missing_database_is_not_found_and_not_created() {
    let s = Sandbox::new();
    let err = fails(&s.run(&["query", "none.db", "select 1"], None), 4);
    assert!(err.contains("none.db"), "{err}");
    assert!(!s.path("none.db").exists());
    let err = fails(&s.run(&["query", "none.db", "create table t (x)"], None), 4);
    assert!(err.contains("none.db"), "{err}");
    assert!(!s.path("none.db").exists());
}

#[test]
fn writing_the_tools_own_tables_is_denied() {
    let s = Sandbox::new();
    let db = items(&s);
    let groups = rows(&db, "select * from _litewrite_groups order by id");
    let changes = rows(&db, "select * from _litewrite_changes order by id");
    for sql in [
        "delete from _litewrite_groups",
        "insert into _litewrite_changes (group_id, tbl, op) values (1, 'x', 'insert')",
        "update _litewrite_audit set actor = 'mallory'",
        "drop table _litewrite_changes",
    ] {
        let err = fails(&s.run(&["query", "d.db", sql], None), 3);
        assert!(err.contains("_litewrite_"), "{sql}: {err}");
    }
    assert_eq!(
        rows(&db, "select * from _litewrite_groups order by id"),
        groups
    );
    assert_eq!(
        rows(&db, "select * from _litewrite_changes order by id"),
        changes
    );
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_audit where actor = 'mallory'"
        ),
        0
    );
}

#[test]
fn transaction_control_in_query_is_refused() {
    let s = Sandbox::new();
    let db = items(&s);
    let before = all_items(&db);
    let out = s.run(
        &[
            "query",
            "d.db",
            "begin; delete from items where id = 1; commit",
        ],
        None,
    );
    let c = code(&out);
    assert!(c == 2 || c == 3, "refused as usage or denied, got {c}");
    let err = stderr(&out);
    assert!(err.contains("BEGIN"), "{err}");
    assert_eq!(all_items(&db), before);

    let out = s.run(
        &["query", "d.db", "delete from items where id = 2; commit"],
        None,
    );
    let c = code(&out);
    assert!(c == 2 || c == 3, "refused as usage or denied, got {c}");
    assert!(stderr(&out).contains("COMMIT"), "{}", stderr(&out));
    assert_eq!(all_items(&db), before);
}

#[test]
fn sql_error_is_exit_1_and_names_the_problem() {
    let s = Sandbox::new();
    let db = items(&s);
    let before = all_items(&db);
    let err = fails(
        &s.run(&["query", "d.db", "select nope from items"], None),
        1,
    );
    assert!(err.contains("nope"), "{err}");
    let err = fails(
        &s.run(&["query", "d.db", "update items set nope = 1"], None),
        1,
    );
    assert!(err.contains("nope"), "{err}");
    assert_eq!(all_items(&db), before);
}

#[test]
fn broken_pipe_is_a_quiet_success() {
    let s = Sandbox::new();
    items(&s);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"))
        .args([
            "query",
            "d.db",
            "with recursive c(x) as (select 1 union all select x + 1 from c limit 300000) \
             select x, 'some padding to make the output large' as pad from c",
            "--format",
            "ndjson",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.dir.path())
        .env("LITEWRITE_ACTOR", "tester")
        .current_dir(s.dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn litewrite");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert_eq!(
        parse(first.trim()),
        json!({"x": 1, "pad": "some padding to make the output large"})
    );
    drop(reader); // close the read end, like `head -1`
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "status {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn broken_pipe_in_a_shell_pipeline() {
    let s = Sandbox::new();
    items(&s);
    let bin = env!("CARGO_BIN_EXE_litewrite");
    let script = format!(
        "set -o pipefail; '{bin}' query d.db \"with recursive c(x) as (select 1 union all select x + 1 from c limit 300000) select x from c\" --format ndjson | head -1"
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.dir.path())
        .env("LITEWRITE_ACTOR", "tester")
        .current_dir(s.dir.path())
        .output()
        .expect("run bash");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        parse(String::from_utf8_lossy(&out.stdout).trim()),
        json!({"x": 1})
    );
}

/// A syntax error far into a long statement quotes the text around it
/// (where the error is), still short, not the statement's first characters.
#[test]
fn a_syntax_error_far_into_long_sql_quotes_where_it_is() {
    let s = Sandbox::new();
    ok(&s.run(&["insert", "q.db", "t", "a:=1"], None));
    let sql = format!("select {} fromm t", vec!["a"; 3000].join(", "));
    let err = fails(&s.run(&["query", "q.db", &sql], None), 1);
    assert!(err.contains("syntax error in SQL at offset"), "{err}");
    assert!(err.contains("a, a fromm t"), "{err}");
    assert!(err.chars().count() < 400, "{err}");
}

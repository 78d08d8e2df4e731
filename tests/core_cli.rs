//! Issue "core": result and error objects, global options, exit codes,
//! hostile identifiers, completions, the man page and plugins.toml strictness.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn parse(out: &str) -> Value {
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// users(id pk, name) with one row.
fn users(s: &Sandbox) -> PathBuf {
    ok(&s.run(
        &[
            "create",
            "d.db",
            "users",
            "id:integer",
            "name:text",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(&["insert", "d.db", "users", "id:=1", "name=alice"], None));
    s.path("d.db")
}

fn all_users(db: &Path) -> Vec<Value> {
    rows(db, "select id, name from users order by id")
}

// ------------------------------------------------------------- --json

#[test]
fn json_result_object_for_insert() {
    let s = Sandbox::new();
    let db = users(&s);
    let out = ok(&s.run(
        &["--json", "insert", "d.db", "users", "-"],
        Some("[{\"id\": 2, \"name\": \"b\"}, {\"id\": 3, \"name\": \"c\"}, {\"id\": 4, \"name\": \"d\"}]"),
    ));
    let v = parse(&out);
    let group = count(&db, "select max(id) from _litewrite_groups");
    assert_eq!(
        v,
        json!({"ok": true, "command": "insert", "table": "users", "rows": 3, "group": group, "inserted": 3})
    );
    // The group it names holds the three inserted rows.
    let shown: Value = parse(&ok(
        &s.run(&["show", "d.db", &group.to_string(), "--json"], None)
    ));
    let inserted: Vec<&Value> = shown
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["table"] == "users" && c["op"] == "insert")
        .collect();
    assert_eq!(inserted.len(), 3, "{shown}");
    assert_eq!(count(&db, "select count(*) from users"), 4);
}

#[test]
fn json_result_objects_for_other_writes() {
    let s = Sandbox::new();
    let db = users(&s);
    for (args, command, n) in [
        (
            vec!["upsert", "d.db", "users", "id:=1", "name=A"],
            "upsert",
            1,
        ),
        (vec!["update", "d.db", "users", "1", "name=B"], "update", 1),
        (vec!["delete", "d.db", "users", "1"], "delete", 1),
    ] {
        let mut args = args.clone();
        args.push("--json");
        let v = parse(&ok(&s.run(&args, None)));
        assert_eq!(v["ok"], json!(true), "{v}");
        assert_eq!(v["command"], json!(command), "{v}");
        assert_eq!(v["table"], json!("users"), "{v}");
        assert_eq!(v["rows"], json!(n), "{v}");
        let group = count(&db, "select max(id) from _litewrite_groups");
        assert_eq!(v["group"], json!(group), "{v}");
    }
    assert_eq!(count(&db, "select count(*) from users"), 0);
}

#[test]
fn json_error_objects_carry_the_kind() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (vec!["delete", "d.db", "users", "99"], 4, "not-found"),
        (vec!["insert", "d.db", "users", "id:=1"], 1, "sql"),
        (vec!["insert", "d.db", "users", "agee:=3"], 2, "usage"),
        (
            vec!["query", "d.db", "delete from _litewrite_groups"],
            3,
            "denied",
        ),
        (vec!["create", "d.db", "users", "x:text"], 5, "conflict"),
    ];
    for (mut args, exit, kind) in cases {
        args.push("--json");
        let out = s.run(&args, None);
        assert_eq!(code(&out), exit, "{args:?}: {}", stderr(&out));
        let v = parse(&stdout(&out));
        assert_eq!(v["ok"], json!(false), "{v}");
        assert_eq!(v["kind"], json!(kind), "{v}");
        let msg = v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("error text: {v}"));
        assert!(!msg.is_empty());
    }
    let v = parse(&stdout(
        &s.run(&["--json", "delete", "d.db", "users", "99"], None),
    ));
    assert!(v["error"].as_str().unwrap().contains("99"), "{v}");
    assert_eq!(all_users(&db), before);
}

#[test]
fn global_options_before_or_after_the_command() {
    let s = Sandbox::new();
    let db = users(&s);
    let a = parse(&ok(&s.run(
        &[
            "--json", "--actor", "before", "-m", "msg one", "insert", "d.db", "users", "id:=2",
        ],
        None,
    )));
    let b = parse(&ok(&s.run(
        &[
            "insert", "d.db", "users", "id:=3", "--json", "--actor", "after", "-m", "msg two",
        ],
        None,
    )));
    assert_eq!(a["command"], json!("insert"));
    assert_eq!(b["command"], json!("insert"));
    let ga = a["group"].as_i64().unwrap();
    let gb = b["group"].as_i64().unwrap();
    assert_eq!(
        rows(
            &db,
            &format!(
                "select actor, message from _litewrite_groups where id in ({ga}, {gb}) order by id"
            )
        ),
        vec![
            json!({"actor": "before", "message": "msg one"}),
            json!({"actor": "after", "message": "msg two"}),
        ]
    );
    assert_eq!(
        rows(&db, "select id from users order by id"),
        vec![json!({"id": 1}), json!({"id": 2}), json!({"id": 3})]
    );
}

#[test]
fn write_commands_are_quiet_on_success() {
    let s = Sandbox::new();
    let db = users(&s);
    let out = s.run(&["insert", "d.db", "users", "id:=2", "name=b"], None);
    assert_eq!(ok(&out), "");
    assert_eq!(stderr(&out), "");
    assert_eq!(count(&db, "select count(*) from users"), 2);

    // -v reports the write on stderr; stdout stays empty.
    let out = s.run(&["insert", "d.db", "users", "id:=3", "name=c", "-v"], None);
    assert_eq!(ok(&out), "");
    let err = stderr(&out);
    assert!(err.contains("insert") && err.contains("users"), "{err}");
    assert_eq!(count(&db, "select count(*) from users"), 3);
}

#[test]
fn bad_flags_are_usage_errors() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    let err = fails(
        &s.run(
            &["insert", "d.db", "users", "id:=5", "--no-such-flag"],
            None,
        ),
        2,
    );
    assert!(err.contains("--no-such-flag"), "{err}");
    let err = fails(
        &s.run(
            &["insert", "d.db", "users", "id:=5", "--ignore", "--replace"],
            None,
        ),
        2,
    );
    assert!(
        err.contains("--replace") || err.contains("--ignore"),
        "{err}"
    );
    let err = fails(
        &s.run(
            &["insert", "d.db", "users", "id:=5", "--batch-size", "0"],
            None,
        ),
        2,
    );
    assert!(err.contains("--batch-size"), "{err}");
    assert_eq!(all_users(&db), before);
}

// -------------------------------------------------------------- identifiers

const TABLE: &str = "we\"ird; drop table x";
const COL: &str = "naïve col";

fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

#[test]
fn hostile_identifiers_work_end_to_end_and_inject_nothing() {
    let s = Sandbox::new();
    ok(&s.run(&["create", "d.db", "x", "v:integer"], None));
    ok(&s.run(&["insert", "d.db", "x", "v:=1"], None));
    let db = s.path("d.db");

    // create with odd column names, including brackets and a semicolon.
    let id_col = "[id]";
    let semi = "a;b";
    let c1 = format!("{id_col}:integer");
    let c2 = format!("{COL}:text");
    let c3 = format!("{semi}:text");
    ok(&s.run(
        &["create", "d.db", TABLE, &c1, &c2, &c3, "--pk", id_col],
        None,
    ));

    // insert from a JSON file, upsert inline, update by key, delete by key.
    let row = json!([
        {"[id]": 1, "naïve col": "one", "a;b": "x"},
        {"[id]": 2, "naïve col": "two", "a;b": "y"},
        {"[id]": 3, "naïve col": "three", "a;b": "z"},
    ]);
    s.write("rows.json", &row.to_string());
    ok(&s.run(&["insert", "d.db", TABLE, "rows.json"], None));
    let set = format!("{COL}=ONE");
    ok(&s.run(&["update", "d.db", TABLE, "1", &set], None));
    let up_id = format!("{id_col}:=2");
    let up_semi = format!("{semi}=Y");
    ok(&s.run(&["upsert", "d.db", TABLE, &up_id, &up_semi], None));
    ok(&s.run(&["delete", "d.db", TABLE, "3"], None));
    // A new column with --alter.
    let new_col = "it's \"new\"";
    let alter = format!("{new_col}=n");
    ok(&s.run(&["update", "d.db", TABLE, "2", &alter, "--alter"], None));

    let sql = format!(
        "select {} as id, {} as c, {} as s, {} as n from {} order by 1",
        q(id_col),
        q(COL),
        q(semi),
        q(new_col),
        q(TABLE)
    );
    assert_eq!(
        rows(&db, &sql),
        vec![
            json!({"id": 1, "c": "ONE", "s": "x", "n": null}),
            json!({"id": 2, "c": "two", "s": "Y", "n": "n"}),
        ]
    );
    // Table x is still there with its row: nothing was injected.
    assert_eq!(count(&db, "select count(*) from x"), 1);

    // schema names them; query reads them back by their quoted names.
    let schema = parse(&ok(&s.run(&["schema", "d.db", TABLE, "--json"], None)));
    assert_eq!(schema["tables"][0]["name"], json!(TABLE));
    let names: Vec<&str> = schema["tables"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![id_col, COL, semi, new_col]);
    let out = ok(&s.run(
        &[
            "query",
            "d.db",
            &format!(
                "select {} from {} where {} = :k",
                q(COL),
                q(TABLE),
                q(id_col)
            ),
            "-p",
            "k",
            "2",
        ],
        None,
    ));
    assert_eq!(parse(&out), json!([{"naïve col": "two"}]));

    // Nothing was created besides the two tables.
    assert_eq!(
        rows(
            &db,
            "select name from sqlite_master where type = 'table' and name not like '\\_litewrite\\_%' escape '\\' order by name"
        ),
        vec![json!({"name": TABLE}), json!({"name": "x"})]
    );
}

#[test]
fn hostile_table_name_from_rows_then_dropped() {
    let s = Sandbox::new();
    ok(&s.run(&["create", "d.db", "x", "v:integer"], None));
    ok(&s.run(&["insert", "d.db", "x", "v:=1"], None));
    let db = s.path("d.db");
    let other = "tbl [x] ; --";
    ok(&s.run(
        &["insert", "d.db", other, "-"],
        Some("{\"naïve col\": 1}\n"),
    ));
    assert_eq!(
        count(&db, &format!("select {} from {}", q(COL), q(other))),
        1
    );
    ok(&s.run(&["drop", "d.db", other], None));
    assert_eq!(
        count(
            &db,
            &format!(
                "select count(*) from sqlite_master where name = '{}'",
                other.replace('\'', "''")
            )
        ),
        0
    );
    assert_eq!(count(&db, "select count(*) from x"), 1);
}

#[test]
fn hostile_missing_table_name_is_not_found_and_injects_nothing() {
    let s = Sandbox::new();
    users(&s);
    let err = fails(
        &s.run(
            &["delete", "d.db", "nope\"; drop table users; --", "--all"],
            None,
        ),
        4,
    );
    assert!(err.contains("nope"), "{err}");
    assert_eq!(count(&s.path("d.db"), "select count(*) from users"), 1);
}

// ---------------------------------------------------- completions and man

#[test]
fn completions_equal_the_committed_files() {
    let s = Sandbox::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "litewrite.bash"),
        ("zsh", "_litewrite"),
        ("fish", "litewrite.fish"),
        ("elvish", "litewrite.elv"),
        ("powershell", "_litewrite.ps1"),
    ] {
        let out = s.run(&["completions", shell], None);
        assert_eq!(code(&out), 0, "{shell}: {}", stderr(&out));
        assert!(!out.stdout.is_empty(), "{shell} script is empty");
        let path = dir.join(file);
        let committed =
            std::fs::read(&path).unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
        assert!(
            out.stdout == committed,
            "`litewrite completions {shell}` differs from {}; regenerate it",
            path.display()
        );
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    let s = Sandbox::new();
    let err = fails(&s.run(&["completions", "tcsh"], None), 2);
    assert!(err.contains("tcsh"), "{err}");
}

#[test]
fn man_page_is_roff() {
    let s = Sandbox::new();
    let out = ok(&s.run(&["man"], None));
    let first = out.lines().next().unwrap_or("");
    assert!(first.starts_with('.'), "first line: {first:?}");
    let th = out
        .lines()
        .find(|l| l.starts_with(".TH "))
        .unwrap_or_else(|| panic!("no .TH header in: {}", &out[..out.len().min(300)]));
    assert!(th.to_lowercase().contains("litewrite"), "{th}");
    assert!(out.contains(".SH"), "sections");
    for cmd in ["insert", "upsert", "query"] {
        assert!(out.contains(cmd), "man page mentions {cmd}");
    }
}

// ------------------------------------------------------------ plugins.toml

/// Runs an insert with this plugins.toml; it must fail with exit 2 and
/// write nothing. Returns stderr.
fn bad_config(toml: &str) -> String {
    let s = Sandbox::new();
    s.config(toml);
    let err = fails(&s.run(&["insert", "d.db", "t", "a:=1"], None), 2);
    assert!(
        !s.path("d.db").exists(),
        "no database file for a bad config"
    );
    assert!(err.contains("plugins.toml"), "names the file: {err}");
    err
}

#[test]
fn unknown_wrapper_names_file_line_and_key() {
    let err = bad_config("max-transactions = 5\n\n[[wrapper]]\nuse = \"audit-logger\"\n");
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("audit-logger"), "{err}");
    assert!(err.contains("use"), "{err}");
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let err = bad_config("[[wrapper]]\nuse = \"audit-log\"\nsinc = \"table\"\n");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("sinc"), "{err}");

    let err = bad_config("maxtransactions = 5\n");
    assert!(err.contains("line 1"), "{err}");
    assert!(err.contains("maxtransactions"), "{err}");

    // A key of another wrapper.
    let err = bad_config("[[wrapper]]\nuse = \"change-group\"\n\nprotect = [\"x\"]\n");
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("protect"), "{err}");
}

#[test]
fn bad_value_names_file_line_and_key() {
    let err = bad_config("[[wrapper]]\nuse = \"audit-log\"\nsink = \"syslog\"\n");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("sink"), "{err}");

    let err = bad_config("max-transactions = 0\n");
    assert!(err.contains("line 1"), "{err}");
    assert!(err.contains("max-transactions"), "{err}");

    let err = bad_config("[[wrapper]]\nuse = \"authorizer\"\nprotect = [\"\"]\n");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("protect"), "{err}");
}

#[test]
fn value_of_the_wrong_type_names_file_line_and_key() {
    let err = bad_config("[[wrapper]]\nuse = \"audit-log\"\nlog-parameters = \"yes\"\n");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("log-parameters"), "{err}");

    let err = bad_config("[[wrapper]]\nuse = \"authorizer\"\nprotect = \"payroll\"\n");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("protect"), "{err}");

    let err = bad_config("max-transactions = \"five\"\n");
    assert!(err.contains("line 1"), "{err}");
    assert!(err.contains("max-transactions"), "{err}");
}

#[test]
fn bad_config_given_with_flag_is_named() {
    let s = Sandbox::new();
    s.write("custom.toml", "[[wrapper]]\nuse = \"nope\"\n");
    let err = fails(
        &s.run(
            &["--config", "custom.toml", "insert", "d.db", "t", "a:=1"],
            None,
        ),
        2,
    );
    assert!(err.contains("custom.toml"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(!s.path("d.db").exists());
}

#[test]
fn empty_plugins_toml_runs_without_wrappers() {
    let s = Sandbox::new();
    s.config("# no wrappers\n");
    let v = parse(&ok(&s.run(&["insert", "d.db", "t", "a:=1", "--json"], None)));
    assert_eq!(v["ok"], json!(true));
    assert_eq!(v["rows"], json!(1));
    assert_eq!(v["group"], Value::Null, "no change-group wrapper: {v}");
    let db = s.path("d.db");
    assert_eq!(rows(&db, "select a from t"), vec![json!({"a": 1})]);
    // No wrapper recorded anything.
    let audited = rows(
        &db,
        "select name from sqlite_master where name in ('_litewrite_audit', '_litewrite_groups')",
    );
    for t in audited {
        let name = t["name"].as_str().unwrap();
        assert_eq!(
            count(&db, &format!("select count(*) from {name}")),
            0,
            "{name}"
        );
    }
}

/// A file that is not a SQLite database is named in the error, for reads,
/// writes and dry runs alike, and is left as it was.
#[test]
fn a_file_that_is_not_a_database_is_named() {
    let s = Sandbox::new();
    let text =
        "hello, this is not a database; it is long enough to hold a header and more\n".repeat(3);
    let path = s.write("notes.db", &text);
    for args in [
        &["query", "notes.db", "select 1"][..],
        &["insert", "notes.db", "t", "a:=1"][..],
        &["--dry-run", "insert", "notes.db", "t", "a:=1"][..],
        &["history", "notes.db"][..],
    ] {
        let err = fails(&s.run(args, None), 1);
        assert!(
            err.contains("can not open database notes.db: file is not a database"),
            "{args:?}: {err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "{args:?}");
    }
}

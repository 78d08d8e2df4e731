//! Issue 11 items 3 and 5: the result counts what happened to the rows, and
//! the footguns a sqlite-utils user trips over (a forgotten table name, a
//! typo'd column, table or subcommand, an unnamed foreign-key failure).

mod common;
use common::*;

use serde_json::{json, Value};

fn result(out: &std::process::Output) -> Value {
    serde_json::from_str(&ok(out)).expect("a JSON result object")
}

/// `--replace` counts a row that replaced another through any UNIQUE
/// constraint (a REPLACE deletes the row it conflicts with), in a rowid
/// table without a primary key and a WITHOUT ROWID table too; a row that
/// conflicts with nothing is an insert.
#[test]
fn replace_counts_rows_replaced_through_a_secondary_unique_constraint() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    sqlite3(
        &db,
        "create table u (id integer primary key, email text unique, f text, g text, unique (f, g));
         insert into u values (1, 'a@x', 'x', 'y');
         create table n (email text unique, v integer);
         insert into n values ('a@x', 1);
         create table w (k text primary key, email text unique) without rowid;
         insert into w values ('a', 'a@x');",
    );
    let replace = |table: &str, row: &str| {
        result(&s.run(
            &["insert", "u.db", table, "-", "--replace", "--json"],
            Some(row),
        ))
    };
    let counts = |r: &Value| (r["inserted"].clone(), r["replaced"].clone());
    let r = replace("u", "{\"id\": 2, \"email\": \"a@x\"}");
    assert_eq!(counts(&r), (json!(0), json!(1)), "{r}");
    assert_eq!(sqlite3(&db, "select id, email from u"), "2|a@x\n");
    let r = replace(
        "u",
        "{\"id\": 3, \"email\": \"b@x\", \"f\": \"x\", \"g\": \"y\"}",
    );
    assert_eq!(counts(&r), (json!(1), json!(0)), "{r}");
    let r = replace(
        "u",
        "{\"id\": 4, \"email\": \"c@x\", \"f\": \"x\", \"g\": \"y\"}",
    );
    assert_eq!(counts(&r), (json!(0), json!(1)), "{r}");
    assert_eq!(sqlite3(&db, "select id from u order by id"), "2\n4\n");
    let r = replace("n", "{\"email\": \"a@x\", \"v\": 2}");
    assert_eq!(counts(&r), (json!(0), json!(1)), "{r}");
    assert_eq!(sqlite3(&db, "select email, v from n"), "a@x|2\n");
    let r = replace("w", "{\"k\": \"b\", \"email\": \"a@x\"}");
    assert_eq!(counts(&r), (json!(0), json!(1)), "{r}");
    assert_eq!(sqlite3(&db, "select k, email from w"), "b|a@x\n");
}

#[test]
fn counts_say_inserted_ignored_replaced_updated() {
    let s = Sandbox::new();
    let db = s.path("c.db");
    let three = "{\"id\": 1, \"v\": \"a\"}\n{\"id\": 2, \"v\": \"b\"}\n{\"id\": 3, \"v\": \"c\"}\n";
    let r = result(&s.run(
        &["insert", "c.db", "t", "-", "--pk", "id", "--json"],
        Some(three),
    ));
    assert_eq!(
        (r["rows"].clone(), r["inserted"].clone()),
        (json!(3), json!(3))
    );
    assert!(
        r.get("ignored").is_none() && r.get("updated").is_none(),
        "{r}"
    );

    let two_old_one_new =
        "{\"id\": 2, \"v\": \"B\"}\n{\"id\": 3, \"v\": \"C\"}\n{\"id\": 4, \"v\": \"d\"}\n";
    let r = result(&s.run(
        &["insert", "c.db", "t", "-", "--ignore", "--json"],
        Some(two_old_one_new),
    ));
    assert_eq!(
        (r["inserted"].clone(), r["ignored"].clone()),
        (json!(1), json!(2)),
        "{r}"
    );
    assert_eq!(sqlite3(&db, "select group_concat(v, '') from t"), "abcd\n");

    let r = result(&s.run(
        &["insert", "c.db", "t", "-", "--replace", "--json"],
        Some("{\"id\": 4, \"v\": \"D\"}\n{\"id\": 5, \"v\": \"e\"}\n"),
    ));
    assert_eq!(
        (r["inserted"].clone(), r["replaced"].clone()),
        (json!(1), json!(1)),
        "{r}"
    );

    let r = result(&s.run(
        &["upsert", "c.db", "t", "-", "--json"],
        Some("{\"id\": 1, \"v\": \"A\"}\n{\"id\": 2, \"v\": \"B\"}\n{\"id\": 6, \"v\": \"f\"}\n"),
    ));
    assert_eq!(
        (
            r["rows"].clone(),
            r["inserted"].clone(),
            r["updated"].clone()
        ),
        (json!(3), json!(1), json!(2)),
        "{r}"
    );
    assert_eq!(
        sqlite3(
            &db,
            "select group_concat(v, '') from (select v from t order by id)"
        ),
        "ABcDef\n"
    );
}

#[test]
fn forgotten_table_name_with_empty_stdin_is_a_usage_error_that_creates_nothing() {
    let s = Sandbox::new();
    s.write("users.json", "[{\"id\": 1}]");
    for stdin in ["", " \n\t\n"] {
        let err = fails(&s.run(&["insert", "app.db", "users.json"], Some(stdin)), 2);
        assert!(
            err.contains("nothing on stdin") && err.contains("give the table name before it"),
            "{err}"
        );
        assert!(!s.path("app.db").exists(), "no database may be created");
        let o = s.run(&["--json", "upsert", "app.db", "events"], Some(stdin));
        assert_eq!(code(&o), 2);
        let obj: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(obj["kind"], "usage");
        assert!(!s.path("app.db").exists());
    }
    // Piped rows still work without `-`.
    let o = s.run(&["insert", "app.db", "t"], Some("{\"id\": 1}\n"));
    ok(&o);
    assert_eq!(count(&s.path("app.db"), "select count(*) from t"), 1);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // Rows piped in while the table name is the file's: `cat rows | litewrite
    // insert app.db users.json` takes the file for the table, which it may
    // legitimately be, so the rows land and a warning says what happened.
    let o = s.run(&["insert", "app.db", "users.json"], Some("{\"id\": 7}\n"));
    ok(&o);
    assert!(
        stderr(&o).contains("table \"users.json\", which is also the name of a file here")
            && stderr(&o).contains("give the table name before it"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        sqlite3(&s.path("app.db"), "select id from \"users.json\""),
        "7\n"
    );
    let o = s.run(
        &["-q", "insert", "app.db", "users.json"],
        Some("{\"id\": 8}\n"),
    );
    ok(&o);
    assert_eq!(stderr(&o), "");
}

#[test]
fn typos_get_did_you_mean() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(
        &[
            "insert",
            "t.db",
            "users",
            "id:=1",
            "email=a@x",
            "--pk",
            "id",
        ],
        None,
    ));
    let before = sqlite3(&db, "select count(*) from _litewrite_changes");

    // A typo'd column names the column, not --alter; and nothing is written.
    let err = fails(
        &s.run(&["insert", "t.db", "users", "id:=2", "emial=b@x"], None),
        2,
    );
    assert!(err.contains("did you mean \"email\""), "{err}");
    let err = fails(
        &s.run(&["update", "t.db", "users", "1", "emali=c@x"], None),
        2,
    );
    assert!(err.contains("did you mean \"email\""), "{err}");
    // Nothing close: --alter is the hint.
    let err = fails(
        &s.run(&["insert", "t.db", "users", "id:=2", "zzzqqq=1"], None),
        2,
    );
    assert!(err.contains("use --alter to add it"), "{err}");
    assert_eq!(count(&db, "select count(*) from users"), 1);
    assert_eq!(
        sqlite3(&db, "select count(*) from _litewrite_changes"),
        before
    );

    // A typo'd table: not found with the nearest name.
    for args in [
        vec!["update", "t.db", "usres", "1", "email=x"],
        vec!["delete", "t.db", "user", "1"],
        vec!["drop", "t.db", "Users2"],
        vec!["schema", "t.db", "usrs"],
    ] {
        let err = fails(&s.run(&args, None), 4);
        assert!(err.contains("did you mean \"users\""), "{args:?}: {err}");
    }
    // insert creates a missing table, but says when one with a close name exists.
    let o = s.run(&["insert", "t.db", "user", "id:=1"], None);
    ok(&o);
    assert!(
        stderr(&o).contains("did you mean \"users\""),
        "{}",
        stderr(&o)
    );

    // upsert without --pk into a typo'd table: the nearest name too, and no
    // table made (it said only that upsert needs --pk to create one).
    let err = fails(
        &s.run(&["upsert", "t.db", "usrs", "id:=1", "email=c@x"], None),
        2,
    );
    assert!(
        err.contains("usrs") && err.contains("did you mean \"users\""),
        "{err}"
    );
    let tables = "select count(*) from sqlite_master where name = 'usrs'";
    assert_eq!(count(&db, tables), 0);
    assert_eq!(
        sqlite3(&db, "select email from users where id = 1"),
        "a@x\n"
    );

    // A typo'd table in a query's SQL, read or write, schema-qualified or
    // joined: SQLite's error plus the nearest name; nothing written.
    let before = user_state(&db);
    for sql in [
        "select * from usrs",
        "select * from main.usrs",
        "select * from users join usres using (id)",
        "insert into usres(id, email) values (5, 'e@x')",
        "delete from Usres",
    ] {
        let err = fails(&s.run(&["query", "t.db", sql], None), 1);
        assert!(
            err.contains("no such table") && err.contains("did you mean \"users\""),
            "{sql}: {err}"
        );
    }
    assert_eq!(user_state(&db), before);
    let err = fails(&s.run(&["query", "t.db", "select * from zzzqqq"], None), 1);
    assert!(!err.contains("did you mean"), "{err}");
    let out = s.run(&["--json", "query", "t.db", "select * from usrs"], None);
    fails(&out, 1);
    let obj: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(obj["kind"], "sql");
    assert!(
        obj["error"]
            .as_str()
            .unwrap()
            .contains("did you mean \"users\""),
        "{obj}"
    );

    // A typo'd subcommand.
    let err = fails(&s.run(&["insrt", "t.db", "users"], None), 2);
    assert!(err.contains("'insert'"), "{err}");
}

#[test]
fn foreign_key_failures_name_table_column_and_value() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    ok(&s.run(
        &["create", "f.db", "users", "id:integer", "--pk", "id"],
        None,
    ));
    ok(&s.run(
        &[
            "create",
            "f.db",
            "orders",
            "id:integer",
            "user_id:integer",
            "--pk",
            "id",
            "--fk",
            "user_id=users.id",
        ],
        None,
    ));
    ok(&s.run(&["insert", "f.db", "users", "id:=1"], None));
    let want =
        "column \"user_id\" of table \"orders\" holds 7, which no row of \"users\"(\"id\") has";
    let err = fails(
        &s.run(
            &["insert", "f.db", "orders", "-"],
            Some("{\"id\": 1, \"user_id\": 1}\n{\"id\": 2, \"user_id\": 7}\n"),
        ),
        1,
    );
    assert!(err.contains(want) && err.contains("line 2"), "{err}");
    assert_eq!(
        count(&db, "select count(*) from orders"),
        0,
        "all or nothing"
    );

    ok(&s.run(&["insert", "f.db", "orders", "id:=1", "user_id:=1"], None));
    let err = fails(
        &s.run(&["update", "f.db", "orders", "1", "user_id:=7"], None),
        1,
    );
    assert!(err.contains(want), "{err}");
    let parent =
        "column \"user_id\" of table \"orders\" holds 1, which no row of \"users\"(\"id\") has";
    let err = fails(&s.run(&["delete", "f.db", "users", "1"], None), 1);
    assert!(err.contains(parent), "{err}");
    let err = fails(&s.run(&["query", "f.db", "delete from users"], None), 1);
    assert!(err.contains(parent), "{err}");
    assert_eq!(sqlite3(&db, "select user_id from orders"), "1\n");
    assert_eq!(count(&db, "select count(*) from users"), 1);
}

/// Runs litewrite under a pseudo-terminal (`script`), returning what the
/// terminal received.
fn under_pty(s: &Sandbox, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("litewrite");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .current_dir(s.path(""))
        .env("HOME", s.path(""))
        .env("LITEWRITE_ACTOR", "tester")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run script (util-linux)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_bar_on_a_terminal_only_and_cleared_at_the_end() {
    let s = Sandbox::new();
    let rows: String = (0..50_000)
        .map(|i| format!("{{\"id\": {i}, \"name\": \"row {i}\"}}\n"))
        .collect();
    s.write("big.ndjson", &rows);

    let tty = under_pty(&s, "insert a.db t big.ndjson");
    assert!(
        tty.contains(" rows (") && tty.contains("/s)"),
        "no bar drawn: {tty:?}"
    );
    assert!(
        tty.contains("KiB") || tty.contains("MiB"),
        "bytes read: {tty:?}"
    );
    assert!(
        tty.ends_with("\r\x1b[2K"),
        "the bar must be cleared: {:?}",
        &tty[tty.len().saturating_sub(80)..]
    );
    assert_eq!(count(&s.path("a.db"), "select count(*) from t"), 50_000);

    // -q: nothing on the terminal.
    let quiet = under_pty(&s, "insert b.db t big.ndjson -q");
    assert_eq!(quiet, "");
    // stderr a file (not a terminal): no progress bytes at all.
    let o = s.run(&["insert", "c.db", "t", "big.ndjson"], None);
    ok(&o);
    assert!(o.stderr.is_empty(), "{:?}", stderr(&o));
    assert_eq!(count(&s.path("c.db"), "select count(*) from t"), 50_000);
}

#[test]
fn default_and_type_take_both_spellings() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    s.write(
        "one.json",
        "[{\"id\": 1, \"score\": 2, \"name\": \"n\", \"tag\": \"t\"}]",
    );
    // sqlite-utils spells them --default COL VALUE / --type COL TYPE;
    // litewrite's COL=VALUE works too, in any mix.
    ok(&s.run(
        &[
            "insert",
            "d.db",
            "t",
            "--default",
            "name",
            "anon",
            "--type",
            "score",
            "real",
            "--default",
            "tag=x=y",
            "one.json",
            "--pk",
            "id",
        ],
        None,
    ));
    let defaults: Vec<(String, String, Option<String>)> = columns(&db, "t")
        .into_iter()
        .map(|(n, t, _, d, _)| (n, t, d))
        .collect();
    assert_eq!(
        defaults,
        vec![
            ("id".to_string(), "INTEGER".to_string(), None),
            ("score".to_string(), "REAL".to_string(), None),
            (
                "name".to_string(),
                "TEXT".to_string(),
                Some("'anon'".to_string())
            ),
            (
                "tag".to_string(),
                "TEXT".to_string(),
                Some("'x=y'".to_string())
            ),
        ]
    );
    assert_eq!(count(&db, "select count(*) from t"), 1);
    // The two-value form's value may itself hold "=".
    ok(&s.run(
        &["insert", "d.db", "u", "--default", "note", "a=b", "note=x"],
        None,
    ));
    assert!(columns(&db, "u")
        .iter()
        .any(|c| c.0 == "note" && c.3.as_deref() == Some("'a=b'")));
    // --default a=1 FILE: FILE is the rows, not a second value.
    ok(&s.run(
        &["insert", "d.db", "v", "--default", "score=7", "one.json"],
        None,
    ));
    assert_eq!(count(&db, "select count(*) from v"), 1);
    assert!(columns(&db, "v")
        .iter()
        .any(|c| c.0 == "score" && c.3.as_deref() == Some("7")));
    ok(&s.run(
        &[
            "create",
            "d.db",
            "c",
            "id:integer",
            "--default",
            "id",
            "5",
            "name:text",
        ],
        None,
    ));
    assert_eq!(
        columns(&db, "c")
            .iter()
            .map(|c| (c.0.clone(), c.3.clone()))
            .collect::<Vec<_>>(),
        vec![
            ("id".to_string(), Some("5".to_string())),
            ("name".to_string(), None)
        ]
    );
}

/// An insert into a view counts what its INSTEAD OF trigger did (SQLite
/// counts no changes for the view itself): rows it inserted, none for a row
/// it skipped or one --ignore ignored.
#[test]
fn counts_of_an_insert_into_a_view_are_what_its_trigger_did() {
    let s = Sandbox::new();
    let db = s.path("v.db");
    sqlite3(
        &db,
        "create table t (id integer primary key, v text);
         create view tv as select * from t;
         create trigger tv_i instead of insert on tv begin insert into t values (new.id, new.v); end;
         create view skip as select * from t;
         create trigger skip_i instead of insert on skip begin select raise(ignore); end;",
    );
    let counts = |r: &Value| (r["rows"].clone(), r["inserted"].clone());
    let r = result(&s.run(
        &["insert", "v.db", "tv", "-", "--json"],
        Some("{\"id\": 1, \"v\": \"a\"}\n{\"id\": 2, \"v\": \"b\"}\n"),
    ));
    assert_eq!(counts(&r), (json!(2), json!(2)), "{r}");
    let r = result(&s.run(
        &["insert", "v.db", "tv", "--ignore", "id:=1", "v=x", "--json"],
        None,
    ));
    assert_eq!(
        (r["inserted"].clone(), r["ignored"].clone()),
        (json!(0), json!(1)),
        "{r}"
    );
    let r = result(&s.run(&["insert", "v.db", "skip", "id:=9", "v=z", "--json"], None));
    assert_eq!(counts(&r), (json!(0), json!(0)), "{r}");
    assert_eq!(sqlite3(&db, "select id, v from t"), "1|a\n2|b\n");
}

/// A delete refused by ON DELETE RESTRICT names the referring table and
/// column (SQLite reports it as a trigger failure, naming nothing), by key
/// and by --where; the rows stay.
#[test]
fn a_restrict_refusal_names_the_referring_table_and_column() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(
        &db,
        "create table p (id integer primary key);
         create table r (id integer primary key, pid integer references p (id) on delete restrict);
         insert into p values (1); insert into r values (1, 1);",
    );
    for args in [
        &["delete", "r.db", "p", "1"][..],
        &["delete", "r.db", "p", "--where", "id = 1"][..],
    ] {
        let err = fails(&s.run(args, None), 1);
        assert!(
            err.contains("FOREIGN KEY constraint failed")
                && err.contains("column \"pid\" of table \"r\" (ON DELETE RESTRICT)"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        sqlite3(&db, "select count(*) from p; select count(*) from r"),
        "1\n1\n"
    );
}

/// `update app.db users rows.csv` (rows from a file, as insert takes them)
/// takes the file name for a key value and found nothing to change: the
/// error now says the argument is a file and that update reads rows from
/// stdin; nothing is written, and the way it names works.
#[test]
fn update_with_a_file_argument_says_rows_come_from_stdin() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    ok(&s.run(
        &["insert", "u.db", "users", "id:=1", "name=a", "--pk", "id"],
        None,
    ));
    s.write("rows.csv", "id,name\n1,b\n");
    let before = user_state(&db);
    let err = fails(
        &s.run(&["update", "u.db", "users", "rows.csv", "--csv"], None),
        2,
    );
    assert!(
        err.contains("nothing to change")
            && err.contains("\"rows.csv\" is a file")
            && err.contains("update DB TABLE - < rows.csv"),
        "{err}"
    );
    assert_eq!(user_state(&db), before);
    // A key that is no file: the plain message.
    let err = fails(&s.run(&["update", "u.db", "users", "1"], None), 2);
    assert!(!err.contains("is a file"), "{err}");
    ok(&s.run(
        &["update", "u.db", "users", "-", "--csv"],
        Some("id,name\n1,b\n"),
    ));
    assert_eq!(sqlite3(&db, "select name from users"), "b\n");
}

//! The change-group wrapper and the commands that read and revert its
//! groups: `history`, `show`, `undo`; row changes made by user triggers, in
//! rowid, compound-key and WITHOUT ROWID tables, BLOBs; the `tables` and
//! `exclude` globs; no trace left in the schema; and `--dry-run`, which
//! prints the changes and leaves the database file byte-for-byte unchanged.

mod common;
use common::*;

use std::path::Path;
use std::process::Output;

use serde_json::{json, Value};

fn json_out(out: &Output) -> Value {
    let text = ok(out);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The group a write made: from its `--json` result object, or for `query`
/// (whose --json output is its rows) the new newest group in `history`.
fn write_group(s: &Sandbox, args: &[&str], stdin: Option<&str>) -> i64 {
    if args.contains(&"query") {
        let newest = |s: &Sandbox| -> Option<i64> {
            if !s.path("t.db").exists() {
                return None;
            }
            history(s, &["--limit", "1"])
                .first()
                .map(|g| g["id"].as_i64().unwrap())
        };
        let before = newest(s);
        ok(&s.run(args, stdin));
        let after = newest(s);
        assert!(after.is_some() && after != before, "{args:?} made no group");
        return after.unwrap();
    }
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let v = json_out(&s.run(&full, stdin));
    v["group"]
        .as_i64()
        .unwrap_or_else(|| panic!("{args:?} made no group: {v}"))
}

fn history(s: &Sandbox, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["history", "t.db", "--json"];
    args.extend_from_slice(extra);
    json_out(&s.run(&args, None))
        .as_array()
        .expect("history --json is an array")
        .clone()
}

fn show(s: &Sandbox, group: i64) -> Vec<Value> {
    let g = group.to_string();
    json_out(&s.run(&["show", "t.db", &g, "--json"], None))
        .as_array()
        .expect("show --json is an array")
        .clone()
}

fn ids(v: &[Value]) -> Vec<i64> {
    v.iter().map(|g| g["id"].as_i64().unwrap()).collect()
}

/// Change groups and changes, as the tool's tables hold them.
fn groups_state(db: &Path) -> (Vec<Value>, Vec<Value>) {
    (
        rows(db, "select * from _litewrite_groups order by id"),
        rows(db, "select * from _litewrite_changes order by id"),
    )
}

/// The triggers in the database file's schema, seen by another client.
fn triggers(db: &Path) -> Vec<String> {
    let text = sqlite3(
        db,
        "select name from sqlite_master where type = 'trigger' order by name",
    );
    text.lines().map(str::to_string).collect()
}

/// No `_litewrite_` object other than the tool's tables and indexes stays
/// in the schema; another connection sees no temp objects.
#[track_caller]
fn assert_no_litewrite_triggers(db: &Path, user_triggers: &[&str]) {
    assert_eq!(
        triggers(db),
        user_triggers,
        "only the user's triggers persist"
    );
    let schema = sqlite3(db, ".schema");
    for line in schema.lines() {
        if line.to_uppercase().contains("TRIGGER") {
            assert!(
                !line.contains("_litewrite_"),
                "a litewrite trigger persists: {line}"
            );
        }
    }
    assert_eq!(
        count(db, "select count(*) from sqlite_temp_master"),
        0,
        "another connection sees no temp objects"
    );
    assert_eq!(
        count(
            db,
            "select count(*) from sqlite_master where name like '%litewrite%' and type not in ('table', 'index')"
        ),
        0
    );
}

// ---------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------

#[test]
fn history_lists_groups_newest_first_with_filters() {
    let s = Sandbox::new();
    let g1 = write_group(
        &s,
        &[
            "--actor", "ann", "insert", "t.db", "a", "id:=1", "--pk", "id",
        ],
        None,
    );
    let g2 = write_group(
        &s,
        &[
            "--actor", "ben", "-m", "bulk", "insert", "t.db", "b", "-", "--pk", "id",
        ],
        Some("{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n"),
    );
    let g3 = write_group(
        &s,
        &[
            "--actor", "ann", "update", "t.db", "b", "2", "v=x", "--alter",
        ],
        None,
    );
    let g4 = write_group(&s, &["--actor", "cat", "delete", "t.db", "a", "1"], None);

    let all = history(&s, &[]);
    assert_eq!(ids(&all), vec![g4, g3, g2, g1], "newest first");
    let g2_row = &all[2];
    assert_eq!(g2_row["actor"], "ben");
    assert_eq!(g2_row["message"], "bulk");
    assert_eq!(g2_row["command"], "insert");
    assert_eq!(g2_row["rows"], 3);
    assert!(g2_row["tables"].as_str().unwrap().contains('b'), "{g2_row}");
    assert!(chrono::DateTime::parse_from_rfc3339(g2_row["time"].as_str().unwrap()).is_ok());
    assert_eq!(all[0]["command"], "delete");
    assert_eq!(all[0]["rows"], 1);

    assert_eq!(ids(&history(&s, &["--actor", "ann"])), vec![g3, g1]);
    assert_eq!(ids(&history(&s, &["--table", "b"])), vec![g3, g2]);
    assert_eq!(ids(&history(&s, &["--table", "a"])), vec![g4, g1]);
    assert_eq!(ids(&history(&s, &["--limit", "2"])), vec![g4, g3]);
    assert_eq!(
        ids(&history(
            &s,
            &["--table", "b", "--actor", "ann", "--limit", "5"]
        )),
        vec![g3]
    );
    assert!(history(&s, &["--actor", "nobody"]).is_empty());

    // Global --json before the command.
    let v = json_out(&s.run(&["--json", "history", "t.db", "--limit", "1"], None));
    assert_eq!(ids(v.as_array().unwrap()), vec![g4]);

    // For people: a table, newest first.
    let text = ok(&s.run(&["history", "t.db"], None));
    assert!(
        text.contains("bulk") && text.contains("ben") && text.contains("cat"),
        "{text}"
    );
    let pos_cat = text.find("cat").unwrap();
    let pos_ben = text.find("ben").unwrap();
    assert!(pos_cat < pos_ben, "newest first:\n{text}");
}

#[test]
fn history_and_show_of_missing_things() {
    let s = Sandbox::new();
    fails(&s.run(&["history", "nope.db"], None), 4);
    assert!(!s.path("nope.db").exists());
    let g = write_group(&s, &["insert", "t.db", "a", "id:=1", "--pk", "id"], None);
    let missing = (g + 100).to_string();
    let err = fails(&s.run(&["show", "t.db", &missing], None), 4);
    assert!(err.contains(&missing), "{err}");
    let before = groups_state(&s.path("t.db"));
    let state = user_state(&s.path("t.db"));
    let err = fails(&s.run(&["undo", "t.db", &missing], None), 4);
    assert!(err.contains(&missing), "{err}");
    assert_eq!(groups_state(&s.path("t.db")), before);
    assert_eq!(user_state(&s.path("t.db")), state);
    // A database without any group yet.
    sqlite3(&s.path("plain.db"), "create table x (a)");
    fails(&s.run(&["undo", "plain.db", "1"], None), 4);
    fails(&s.run(&["show", "plain.db", "1"], None), 4);
}

// ---------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------

#[test]
fn show_gives_table_op_key_before_and_after() {
    let s = Sandbox::new();
    write_group(
        &s,
        &[
            "insert", "t.db", "u", "id:=1", "name=ann", "age:=30", "--pk", "id",
        ],
        None,
    );
    write_group(
        &s,
        &["insert", "t.db", "u", "id:=2", "name=ben", "age:=40"],
        None,
    );
    let g = write_group(
        &s,
        &["query", "t.db", "update u set age = age + 1 where id = 1; delete from u where id = 2; insert into u values (3, 'cy', null)"],
        None,
    );
    let changes = show(&s, g);
    let summary: Vec<(String, String, Value)> = changes
        .iter()
        .map(|c| {
            (
                c["table"].as_str().unwrap().to_string(),
                c["op"].as_str().unwrap().to_string(),
                c["key"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("u".into(), "update".into(), json!(1)),
            ("u".into(), "delete".into(), json!(2)),
            ("u".into(), "insert".into(), json!(3)),
        ]
    );
    assert_eq!(
        changes[0]["before"],
        json!({"id": 1, "name": "ann", "age": 30})
    );
    assert_eq!(
        changes[0]["after"],
        json!({"id": 1, "name": "ann", "age": 31})
    );
    assert_eq!(
        changes[1]["before"],
        json!({"id": 2, "name": "ben", "age": 40})
    );
    assert!(changes[1]["after"].is_null());
    assert!(changes[2]["before"].is_null());
    assert_eq!(
        changes[2]["after"],
        json!({"id": 3, "name": "cy", "age": null})
    );

    // Without --json: a table for people, an update as what it changed.
    let text = ok(&s.run(&["show", "t.db", &g.to_string()], None));
    for needle in ["update", "age: 30 → 31", "delete", "insert", "ben", "cy"] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
}

#[test]
fn rowid_table_changes_are_keyed_by_rowid() {
    let s = Sandbox::new();
    sqlite3(
        &s.path("t.db"),
        "create table n (v text); insert into n values ('a'), ('b');",
    );
    let g = write_group(
        &s,
        &["query", "t.db", "update n set v = 'B' where v = 'b'"],
        None,
    );
    let changes = show(&s, g);
    assert_eq!(changes.len(), 1);
    let rowid: i64 = count(&s.path("t.db"), "select rowid from n where v = 'B'");
    assert_eq!(changes[0]["key"], json!(rowid));
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(
        sqlite3(&s.path("t.db"), "select rowid, v from n order by rowid"),
        "1|a\n2|b\n"
    );
}

// ---------------------------------------------------------------------------
// undo
// ---------------------------------------------------------------------------

#[test]
fn undo_of_an_update_restores_the_old_value_as_a_new_group() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "id:=1", "name=ann", "--pk", "id"],
        None,
    );
    write_group(&s, &["insert", "t.db", "u", "id:=2", "name=ben"], None);
    let g = write_group(&s, &["update", "t.db", "u", "1", "name=ANN"], None);
    assert_eq!(
        rows(&db, "select name from u where id = 1")[0]["name"],
        "ANN"
    );
    let u = write_group(
        &s,
        &[
            "-m",
            "revert",
            "--actor",
            "fixer",
            "undo",
            "t.db",
            &g.to_string(),
        ],
        None,
    );
    assert!(u > g);
    assert_eq!(
        rows(&db, "select name from u where id = 1")[0]["name"],
        "ann"
    );
    assert_eq!(
        rows(&db, "select name from u where id = 2")[0]["name"],
        "ben"
    );
    // The undo is recorded like any write.
    let newest = &history(&s, &["--limit", "1"])[0];
    assert_eq!(newest["id"], u);
    assert_eq!(newest["command"], "undo");
    assert_eq!(newest["actor"], "fixer");
    assert_eq!(newest["message"], "revert");
    let changes = show(&s, u);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["op"], "update");
    assert_eq!(changes[0]["before"]["name"], "ANN");
    assert_eq!(changes[0]["after"]["name"], "ann");
    // And it is audited.
    let audit: Value =
        serde_json::from_str(&ok(&s.run(&["audit", "t.db", "--json"], None))).unwrap();
    assert!(audit
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["group"] == u && e["outcome"] == "ok"));
    // Undoing the undo redoes the change.
    ok(&s.run(&["undo", "t.db", &u.to_string()], None));
    assert_eq!(
        rows(&db, "select name from u where id = 1")[0]["name"],
        "ANN"
    );
}

#[test]
fn undo_after_a_later_change_to_the_row_is_a_conflict_that_changes_nothing() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "-", "--pk", "id"],
        Some("{\"id\":1,\"v\":\"a\"}\n{\"id\":2,\"v\":\"b\"}\n"),
    );
    // One group touching two rows; only row 2 changes later.
    let g = write_group(&s, &["query", "t.db", "update u set v = v || '1'"], None);
    write_group(&s, &["update", "t.db", "u", "2", "v=later"], None);
    let state = user_state(&db);
    let groups = groups_state(&db);
    let err = fails(&s.run(&["undo", "t.db", &g.to_string()], None), 5);
    assert!(
        err.contains("--force"),
        "the error says how to override: {err}"
    );
    assert_eq!(
        user_state(&db),
        state,
        "nothing was reverted, not even row 1"
    );
    assert_eq!(
        groups_state(&db),
        groups,
        "no group recorded for the refused undo"
    );
    // With --json the error kind is conflict.
    let out = s.run(&["--json", "undo", "t.db", &g.to_string()], None);
    assert_eq!(code(&out), 5);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["kind"], "conflict");
    // --force reverts both rows.
    ok(&s.run(&["undo", "t.db", &g.to_string(), "--force"], None));
    assert_eq!(
        sqlite3(&db, "select id, v from u order by id"),
        "1|a\n2|b\n"
    );
}

#[test]
fn undo_of_a_deleted_row_update_is_a_conflict() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "id:=1", "v=a", "--pk", "id"],
        None,
    );
    let g = write_group(&s, &["update", "t.db", "u", "1", "v=b"], None);
    write_group(&s, &["delete", "t.db", "u", "1"], None);
    let state = user_state(&db);
    fails(&s.run(&["undo", "t.db", &g.to_string()], None), 5);
    assert_eq!(user_state(&db), state);
}

#[test]
fn undo_twice_is_a_conflict() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "id:=1", "v=a", "--pk", "id"],
        None,
    );
    let g = write_group(&s, &["update", "t.db", "u", "1", "v=b"], None);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    let state = user_state(&db);
    let groups = groups_state(&db);
    fails(&s.run(&["undo", "t.db", &g.to_string()], None), 5);
    assert_eq!(user_state(&db), state);
    assert_eq!(groups_state(&db), groups);
}

#[test]
fn undo_of_an_insert_deletes_the_rows() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "id:=1", "v=keep", "--pk", "id"],
        None,
    );
    let g = write_group(
        &s,
        &["insert", "t.db", "u", "-"],
        Some("[{\"id\":2,\"v\":\"x\"},{\"id\":3,\"v\":\"y\"}]"),
    );
    assert_eq!(count(&db, "select count(*) from u"), 3);
    let changes = show(&s, g);
    assert_eq!(changes.len(), 2);
    assert!(changes.iter().all(|c| c["op"] == "insert"));
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(sqlite3(&db, "select id, v from u order by id"), "1|keep\n");
}

#[test]
fn undo_of_a_delete_restores_the_rows() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "-", "--pk", "id"],
        Some("{\"id\":1,\"v\":\"a\",\"n\":1.5}\n{\"id\":2,\"v\":\"b\",\"n\":null}\n{\"id\":3,\"v\":\"c\",\"n\":3}\n"),
    );
    let state = user_state(&db);
    let g = write_group(
        &s,
        &[
            "delete",
            "t.db",
            "u",
            "--where",
            "id >= :min",
            "-p",
            "min",
            "2",
        ],
        None,
    );
    assert_eq!(count(&db, "select count(*) from u"), 1);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state, "rows back exactly, types included");
    // A delete by key, too.
    let g = write_group(&s, &["delete", "t.db", "u", "1"], None);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);
}

#[test]
fn undo_of_a_delete_conflicts_when_the_key_was_reused() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "u", "id:=1", "v=a", "--pk", "id"],
        None,
    );
    let g = write_group(&s, &["delete", "t.db", "u", "1"], None);
    write_group(&s, &["insert", "t.db", "u", "id:=1", "v=new"], None);
    let state = user_state(&db);
    fails(&s.run(&["undo", "t.db", &g.to_string()], None), 5);
    assert_eq!(user_state(&db), state);
    ok(&s.run(&["undo", "t.db", &g.to_string(), "--force"], None));
    assert_eq!(sqlite3(&db, "select id, v from u"), "1|a\n");
}

#[test]
fn undo_of_an_insert_that_created_the_table_drops_it() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(&s, &["insert", "t.db", "keep", "id:=1", "--pk", "id"], None);
    let g = write_group(
        &s,
        &["insert", "t.db", "fresh", "-", "--pk", "id"],
        Some("{\"id\":1}\n{\"id\":2}\n"),
    );
    let ops: Vec<String> = show(&s, g)
        .iter()
        .map(|c| c["op"].as_str().unwrap().to_string())
        .collect();
    assert!(ops.contains(&"create".to_string()), "{ops:?}");
    assert_eq!(ops.iter().filter(|o| *o == "insert").count(), 2, "{ops:?}");
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(
        count(
            &db,
            "select count(*) from sqlite_master where name = 'fresh'"
        ),
        0
    );
    assert_eq!(count(&db, "select count(*) from keep"), 1);
    assert_no_litewrite_triggers(&db, &[]);
}

#[test]
fn drop_then_undo_restores_the_table_and_its_rows() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "gone", "-", "--pk", "id"],
        Some("{\"id\":1,\"v\":\"a\"}\n{\"id\":2,\"v\":\"b\"}\n"),
    );
    let state = user_state(&db);
    let table_sql = sqlite3(&db, "select sql from sqlite_master where name = 'gone'");
    let g = write_group(&s, &["drop", "t.db", "gone"], None);
    assert_eq!(
        count(
            &db,
            "select count(*) from sqlite_master where name = 'gone'"
        ),
        0
    );
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(
        sqlite3(&db, "select sql from sqlite_master where name = 'gone'"),
        table_sql
    );
    assert_eq!(
        sqlite3(&db, "select id, v from gone order by id"),
        "1|a\n2|b\n"
    );
    assert_eq!(user_state(&db), state);
    assert_no_litewrite_triggers(&db, &[]);
}

#[test]
fn compound_keys_are_recorded_and_undone() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "ck", "-", "--pk", "a", "--pk", "b"],
        Some("{\"a\":\"x\",\"b\":1,\"c\":\"one\"}\n{\"a\":\"x\",\"b\":2,\"c\":\"two\"}\n{\"a\":\"y\",\"b\":1,\"c\":\"three\"}\n"),
    );
    let state = user_state(&db);
    let g = write_group(&s, &["update", "t.db", "ck", "x", "2", "c=TWO"], None);
    let changes = show(&s, g);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["key"], json!(["x", 2]));
    assert_eq!(changes[0]["before"]["c"], "two");
    assert_eq!(changes[0]["after"]["c"], "TWO");
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);

    let g = write_group(&s, &["delete", "t.db", "ck", "--where", "a = 'x'"], None);
    let keys: Vec<Value> = show(&s, g).iter().map(|c| c["key"].clone()).collect();
    assert_eq!(keys.len(), 2);
    assert!(
        keys.contains(&json!(["x", 1])) && keys.contains(&json!(["x", 2])),
        "{keys:?}"
    );
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);

    // A change to part of the key: undo puts the row back under its old key.
    let g = write_group(
        &s,
        &["query", "t.db", "update ck set b = 5 where a = 'y'"],
        None,
    );
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);
}

#[test]
fn text_primary_keys_are_shown_as_json_strings() {
    let s = Sandbox::new();
    let g = write_group(
        &s,
        &["insert", "t.db", "tk", "-", "--pk", "k"],
        Some("{\"k\":\"alpha\",\"v\":1}\n{\"k\":\"42\",\"v\":2}\n{\"k\":\"true\",\"v\":3}\n"),
    );
    assert_eq!(
        count(
            &s.path("t.db"),
            "select count(*) from tk where typeof(k) = 'text'"
        ),
        3
    );
    let keys: Vec<Value> = show(&s, g)
        .iter()
        .filter(|c| c["op"] == "insert")
        .map(|c| c["key"].clone())
        .collect();
    assert_eq!(keys, vec![json!("alpha"), json!("42"), json!("true")]);
}

#[test]
fn text_primary_keys_are_undone() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    write_group(
        &s,
        &["insert", "t.db", "tk", "-", "--pk", "k"],
        Some(
            "{\"k\":\"alpha\",\"v\":1}\n{\"k\":\"0123\",\"v\":2}\n{\"k\":\"has space\",\"v\":3}\n",
        ),
    );
    let state = user_state(&db);
    // update
    let g = write_group(&s, &["query", "t.db", "update tk set v = v * 10"], None);
    assert_eq!(show(&s, g).len(), 3);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);
    // delete
    let g = write_group(&s, &["delete", "t.db", "tk", "alpha"], None);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);
    let g = write_group(&s, &["delete", "t.db", "tk", "--all"], None);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);
    // insert
    let g = write_group(&s, &["insert", "t.db", "tk", "k=beta", "v:=4"], None);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);
}

#[test]
fn without_rowid_tables_are_recorded_and_undone() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    sqlite3(
        &db,
        "create table w (a text, b integer, c text, primary key (a, b)) without rowid;
         create table w1 (k integer primary key, v) without rowid;",
    );
    let g_ins = write_group(
        &s,
        &[
            "query",
            "t.db",
            "insert into w values ('p', 1, 'one'), ('p', 2, 'two'); insert into w1 values (41, 10)",
        ],
        None,
    );
    let ins = show(&s, g_ins);
    assert_eq!(ins.len(), 3, "{ins:?}");
    assert!(ins
        .iter()
        .any(|c| c["table"] == "w" && c["key"] == json!(["p", 2]) && c["after"]["c"] == "two"));
    assert!(ins
        .iter()
        .any(|c| c["table"] == "w1" && c["key"] == json!(41) && c["after"]["v"] == 10));
    let state = user_state(&db);

    let g = write_group(&s, &["update", "t.db", "w", "p", "1", "c=ONE"], None);
    assert_eq!(show(&s, g)[0]["key"], json!(["p", 1]));
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);

    let g = write_group(
        &s,
        &["query", "t.db", "delete from w; update w1 set v = 11"],
        None,
    );
    assert_eq!(show(&s, g).len(), 3);
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), state);

    ok(&s.run(&["undo", "t.db", &g_ins.to_string()], None));
    assert_eq!(count(&db, "select count(*) from w"), 0);
    assert_eq!(count(&db, "select count(*) from w1"), 0);
}

/// Table a with row 1, table b, and user triggers: inserting into a
/// inserts into b, updating a updates b.
fn trigger_db(s: &Sandbox) {
    write_group(
        s,
        &["insert", "t.db", "a", "id:=1", "v=x", "--pk", "id"],
        None,
    );
    ok(&s.run(
        &["query", "t.db",
          "create table b (id integer primary key, aid integer, note text);
           create trigger a_ins after insert on a begin insert into b (aid, note) values (new.id, 'made by trigger'); end;
           create trigger a_upd after update on a begin update b set note = 'updated ' || new.v where aid = new.id; end;"],
        None,
    ));
}

#[test]
fn rows_inserted_by_a_user_trigger_are_in_the_same_group_and_undone_with_it() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    trigger_db(&s);
    let before = user_state(&db);
    let g = write_group(&s, &["insert", "t.db", "a", "id:=2", "v=y"], None);
    let changes = show(&s, g);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["table"], "a");
    assert_eq!(changes[0]["op"], "insert");
    assert_eq!(changes[1]["table"], "b");
    assert_eq!(changes[1]["op"], "insert");
    assert_eq!(changes[1]["after"]["aid"], 2);
    assert_eq!(changes[1]["after"]["note"], "made by trigger");
    let h = &history(&s, &["--limit", "1"])[0];
    assert_eq!(h["rows"], 2, "{h}");
    assert_eq!(
        ids(&history(&s, &["--table", "b", "--limit", "1"])),
        vec![g]
    );
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(user_state(&db), before, "both rows gone");
    assert_no_litewrite_triggers(&db, &["a_ins", "a_upd"]);
}

#[test]
fn rows_updated_by_a_user_trigger_are_in_the_same_group_and_undone_with_it() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    trigger_db(&s);
    write_group(&s, &["insert", "t.db", "a", "id:=2", "v=y"], None);
    let before = user_state(&db);
    let g = write_group(&s, &["update", "t.db", "a", "2", "v=z"], None);
    let changes = show(&s, g);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["table"], "a");
    assert_eq!(changes[1]["table"], "b");
    assert_eq!(changes[1]["op"], "update");
    assert_eq!(changes[1]["before"]["note"], "made by trigger");
    assert_eq!(changes[1]["after"]["note"], "updated z");
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    // Both rows as they were before the group: a.v back to y, and b's note
    // back to what the group found, not rewritten by the trigger again.
    assert_eq!(rows(&db, "select v from a where id = 2")[0]["v"], "y");
    assert_eq!(
        rows(&db, "select note from b where aid = 2")[0]["note"],
        "made by trigger"
    );
    assert_eq!(user_state(&db), before);
    assert_no_litewrite_triggers(&db, &["a_ins", "a_upd"]);
}

#[test]
fn blob_values_round_trip_through_show_and_undo() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    // Bytes that are not valid UTF-8, with a NUL.
    let g1 = write_group(
        &s,
        &[
            "insert",
            "t.db",
            "bin",
            "id:=1",
            "data:={\"$base64\": true, \"encoded\": \"AAEC/w==\"}",
            "--pk",
            "id",
        ],
        None,
    );
    assert_eq!(
        sqlite3(&db, "select typeof(data), hex(data) from bin"),
        "blob|000102FF\n"
    );
    let ins = show(&s, g1);
    let row = ins
        .iter()
        .find(|c| c["op"] == "insert")
        .expect("insert change");
    assert_eq!(
        row["after"]["data"],
        json!({"$base64": true, "encoded": "AAEC/w=="})
    );

    sqlite3(&db, "insert into bin values (2, x'C0FFEE00')");
    let g = write_group(
        &s,
        &[
            "query",
            "t.db",
            "update bin set data = x'FF00FF' where id = 1; delete from bin where id = 2",
        ],
        None,
    );
    let changes = show(&s, g);
    assert_eq!(
        changes[0]["before"]["data"],
        json!({"$base64": true, "encoded": "AAEC/w=="})
    );
    assert_eq!(
        changes[0]["after"]["data"],
        json!({"$base64": true, "encoded": "/wD/"})
    );
    assert_eq!(
        changes[1]["before"]["data"],
        json!({"$base64": true, "encoded": "wP/uAA=="})
    );
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(
        sqlite3(
            &db,
            "select id, typeof(data), hex(data) from bin order by id"
        ),
        "1|blob|000102FF\n2|blob|C0FFEE00\n"
    );

    // A BLOB primary key.
    sqlite3(&db, "create table bk (k blob primary key, v)");
    sqlite3(&db, "insert into bk values (x'00FF', 'a')");
    let g = write_group(&s, &["query", "t.db", "update bk set v = 'b'"], None);
    assert_eq!(
        show(&s, g)[0]["key"],
        json!({"$base64": true, "encoded": "AP8="})
    );
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_eq!(sqlite3(&db, "select hex(k), v from bk"), "00FF|a\n");
}

#[test]
fn tables_and_exclude_globs_select_what_is_recorded() {
    let s = Sandbox::new();
    s.config(
        "[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"change-group\"\ntables = [\"app_*\", \"users\"]\nexclude = [\"app_tmp*\"]\n",
    );
    let db = s.path("t.db");
    sqlite3(
        &db,
        "create table app_orders (id integer primary key, v);
         create table app_tmp_cache (id integer primary key, v);
         create table users (id integer primary key, v);
         create table logs (id integer primary key, v);",
    );
    ok(&s.run(
        &[
            "--json",
            "query",
            "t.db",
            "insert into app_orders values (1, 'o'); insert into app_tmp_cache values (1, 'c');
           insert into users values (1, 'u'); insert into logs values (1, 'l')",
        ],
        None,
    ));
    let g = history(&s, &["--limit", "1"])[0]["id"].as_i64().unwrap();
    let mut tables: Vec<String> = show(&s, g)
        .iter()
        .map(|c| c["table"].as_str().unwrap().to_string())
        .collect();
    tables.sort();
    assert_eq!(tables, vec!["app_orders", "users"]);
    // Writes to excluded or unlisted tables alone make no group.
    let n = history(&s, &[]).len();
    ok(&s.run(&["insert", "t.db", "logs", "id:=2", "v=l"], None));
    ok(&s.run(&["insert", "t.db", "app_tmp_cache", "id:=2", "v=c"], None));
    assert_eq!(history(&s, &[]).len(), n);
    assert_eq!(count(&db, "select count(*) from logs"), 2);
    // Globs match case-insensitively like SQLite names.
    sqlite3(&db, "create table APP_Mixed (id integer primary key)");
    ok(&s.run(&["insert", "t.db", "APP_Mixed", "id:=1"], None));
    assert_eq!(history(&s, &[]).len(), n + 1);
    assert_no_litewrite_triggers(&db, &[]);
}

// ---------------------------------------------------------------------------
// Nothing left in the schema
// ---------------------------------------------------------------------------

#[test]
fn no_litewrite_triggers_persist_after_any_write() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "a", "id:=1", "v=x", "--pk", "id"], None));
    assert_no_litewrite_triggers(&db, &[]);
    ok(&s.run(
        &["query", "t.db", "create table log (msg); create trigger a_log after update on a begin insert into log values ('u'); end;"],
        None,
    ));
    assert_no_litewrite_triggers(&db, &["a_log"]);
    ok(&s.run(&["update", "t.db", "a", "1", "v=y"], None));
    ok(&s.run(&["upsert", "t.db", "a", "id:=2", "v=z"], None));
    ok(&s.run(&["delete", "t.db", "a", "2"], None));
    assert_no_litewrite_triggers(&db, &["a_log"]);
    // Failed and denied writes leave nothing either.
    fails(
        &s.run(&["query", "t.db", "insert into a values (1, 'dup')"], None),
        1,
    );
    fails(
        &s.run(&["query", "t.db", "delete from _litewrite_changes"], None),
        3,
    );
    assert_no_litewrite_triggers(&db, &["a_log"]);
    let g = history(&s, &["--limit", "1"])[0]["id"].as_i64().unwrap();
    ok(&s.run(&["undo", "t.db", &g.to_string()], None));
    assert_no_litewrite_triggers(&db, &["a_log"]);
    // Another client can write every table without tripping over anything.
    sqlite3(
        &db,
        "insert into a values (10, 'other client'); update a set v = 'w'; delete from log;",
    );
    assert!(count(&db, "select count(*) from a") >= 2);
    assert_eq!(
        count(&db, "select count(*) from a where v = 'w'"),
        count(&db, "select count(*) from a")
    );
    // And the tool still records its own writes afterwards.
    let g2 = write_group(&s, &["update", "t.db", "a", "10", "v=again"], None);
    assert!(g2 > g);
    assert_no_litewrite_triggers(&db, &["a_log"]);
}

#[test]
fn no_litewrite_triggers_persist_after_drop_and_create() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(
        &["create", "t.db", "c", "id:integer", "v:text", "--pk", "id"],
        None,
    ));
    ok(&s.run(&["insert", "t.db", "c", "id:=1", "v=a"], None));
    ok(&s.run(&["drop", "t.db", "c"], None));
    assert_no_litewrite_triggers(&db, &[]);
    ok(&s.run(&["query", "t.db", "create table q (x); drop table q"], None));
    assert_no_litewrite_triggers(&db, &[]);
}

// ---------------------------------------------------------------------------
// --dry-run
// ---------------------------------------------------------------------------

/// A database with some history, its bytes, and the files next to it.
fn dry_run_db(s: &Sandbox) -> Vec<u8> {
    ok(&s.run(
        &["insert", "t.db", "u", "-", "--pk", "id"],
        Some("{\"id\":1,\"name\":\"ann\"}\n{\"id\":2,\"name\":\"ben\"}\n"),
    ));
    ok(&s.run(&["update", "t.db", "u", "2", "name=ben2"], None));
    std::fs::read(s.path("t.db")).unwrap()
}

/// The files next to the database (SQLite's shared-memory index, which
/// even readers rebuild, aside).
fn dir_listing(s: &Sandbox) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-shm"))
        .collect();
    v.sort();
    v
}

/// The database as stored: the file's bytes, and its write-ahead log's if
/// it has one (committed data may still live there).
fn stored_bytes(s: &Sandbox) -> (Vec<u8>, Option<Vec<u8>>) {
    (
        std::fs::read(s.path("t.db")).unwrap(),
        std::fs::read(s.path("t.db-wal")).ok(),
    )
}

#[track_caller]
fn assert_dry_run(s: &Sandbox, args: &[&str], expect_in_output: &[&str]) {
    let bytes = stored_bytes(s);
    let listing = dir_listing(s);
    let mut full = vec!["--dry-run"];
    full.extend_from_slice(args);
    let out = ok(&s.run(&full, None));
    for needle in expect_in_output {
        assert!(
            out.contains(needle),
            "{args:?}: {needle:?} not printed:\n{out}"
        );
    }
    assert_eq!(
        dir_listing(s),
        listing,
        "{args:?}: files appeared or vanished"
    );
    assert!(
        stored_bytes(s) == bytes,
        "{args:?}: the stored bytes changed"
    );
    // --json: the changes as objects.
    let mut full = vec!["--dry-run", "--json"];
    full.extend_from_slice(args);
    let out = s.run(&full, None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(dir_listing(s), listing);
    assert!(
        stored_bytes(s) == bytes,
        "{args:?} --json: the stored bytes changed"
    );
}

#[test]
fn dry_run_insert_prints_changes_and_leaves_the_file_unchanged() {
    let s = Sandbox::new();
    dry_run_db(&s);
    assert_dry_run(
        &s,
        &["insert", "t.db", "u", "id:=3", "name=zed-new"],
        &["zed-new", "insert"],
    );
    assert_dry_run(
        &s,
        &["insert", "t.db", "newtable", "id:=1", "name=in-new-table"],
        &["in-new-table"],
    );
    let out = json_out(&s.run(
        &[
            "--dry-run",
            "--json",
            "insert",
            "t.db",
            "u",
            "id:=3",
            "name=zed",
        ],
        None,
    ));
    assert_eq!(out["dry_run"], true);
    let changes = out["changes"].as_array().expect("changes");
    assert!(
        changes
            .iter()
            .any(|c| c["op"] == "insert" && c["after"]["name"] == "zed"),
        "{out}"
    );
    assert_eq!(count(&s.path("t.db"), "select count(*) from u"), 2);
}

#[test]
fn dry_run_update_prints_changes_and_leaves_the_file_unchanged() {
    let s = Sandbox::new();
    dry_run_db(&s);
    assert_dry_run(
        &s,
        &["update", "t.db", "u", "1", "name=ann-changed"],
        &["ann-changed", "ann"],
    );
    let out = json_out(&s.run(
        &["--dry-run", "--json", "update", "t.db", "u", "1", "name=x"],
        None,
    ));
    let c = &out["changes"][0];
    assert_eq!(c["op"], "update");
    assert_eq!(c["before"]["name"], "ann");
    assert_eq!(c["after"]["name"], "x");
}

#[test]
fn dry_run_delete_prints_changes_and_leaves_the_file_unchanged() {
    let s = Sandbox::new();
    dry_run_db(&s);
    assert_dry_run(&s, &["delete", "t.db", "u", "2"], &["ben2", "delete"]);
    assert_dry_run(&s, &["delete", "t.db", "u", "--all"], &["ann", "ben2"]);
}

#[test]
fn dry_run_query_prints_changes_and_leaves_the_file_unchanged() {
    let s = Sandbox::new();
    dry_run_db(&s);
    assert_dry_run(
        &s,
        &["query", "t.db", "update u set name = upper(name)"],
        &["ANN", "BEN2"],
    );
    assert_dry_run(
        &s,
        &[
            "query",
            "t.db",
            "create table z (a); insert into z values ('zz-row')",
        ],
        &["zz-row"],
    );
}

#[test]
fn dry_run_on_a_database_litewrite_never_touched_leaves_it_unchanged() {
    let s = Sandbox::new();
    sqlite3(
        &s.path("t.db"),
        "create table u (id integer primary key, name text); insert into u values (1, 'ann');",
    );
    let bytes = std::fs::read(s.path("t.db")).unwrap();
    assert_dry_run(
        &s,
        &["update", "t.db", "u", "1", "name=plain-new"],
        &["plain-new"],
    );
    assert_dry_run(&s, &["query", "t.db", "delete from u"], &["ann"]);
    assert!(std::fs::read(s.path("t.db")).unwrap() == bytes);
    assert!(!s.path("t.db-wal").exists());
    // No tool tables were left behind.
    assert_eq!(
        count(
            &s.path("t.db"),
            "select count(*) from sqlite_master where name like '_litewrite%'"
        ),
        0
    );
}

#[test]
fn dry_run_does_not_create_a_missing_database() {
    let s = Sandbox::new();
    let out = ok(&s.run(
        &[
            "--dry-run",
            "insert",
            "new.db",
            "t",
            "id:=1",
            "name=would-be",
        ],
        None,
    ));
    assert!(out.contains("would-be"), "{out}");
    assert!(!s.path("new.db").exists());
    let out = json_out(&s.run(
        &["--dry-run", "--json", "insert", "new.db", "t", "id:=1"],
        None,
    ));
    assert_eq!(out["ok"], true);
    assert!(!s.path("new.db").exists());
    assert!(dir_listing(&s).is_empty(), "{:?}", dir_listing(&s));
}

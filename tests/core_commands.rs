//! Issue "core": `update`, `delete`, `create`, `drop` and `schema`, checked
//! against the database afterwards.

mod common;
use common::*;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The schema SQL of a table or view, None when there is none.
fn object_sql(db: &Path, name: &str) -> Option<(String, String)> {
    let conn = rusqlite::Connection::open(db).expect("open db");
    conn.query_row(
        "select type, sql from sqlite_master where name = ?1",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .ok()
}

/// people(id pk, name, age, flag) with four rows.
fn people(s: &Sandbox) -> PathBuf {
    ok(&s.run(
        &[
            "create",
            "d.db",
            "people",
            "id:integer",
            "name:text",
            "age:integer",
            "flag:integer",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(
        &["insert", "d.db", "people", "-"],
        Some(concat!(
            "{\"id\": 1, \"name\": \"ann\", \"age\": 17, \"flag\": 0}\n",
            "{\"id\": 2, \"name\": \"bob\", \"age\": 30, \"flag\": 0}\n",
            "{\"id\": 3, \"name\": \"cat\", \"age\": 45, \"flag\": 0}\n",
            "{\"id\": 4, \"name\": \"dan\", \"age\": 12, \"flag\": 0}\n",
        )),
    ));
    s.path("d.db")
}

fn all_people(db: &Path) -> Vec<Value> {
    rows(db, "select id, name, age, flag from people order by id")
}

/// pairs(a, b pk, v) with three rows.
fn compound(s: &Sandbox) -> PathBuf {
    ok(&s.run(
        &[
            "create",
            "d.db",
            "pairs",
            "a:integer",
            "b:text",
            "v:text",
            "--pk",
            "a",
            "--pk",
            "b",
        ],
        None,
    ));
    ok(&s.run(
        &["insert", "d.db", "pairs", "-"],
        Some(concat!(
            "{\"a\": 1, \"b\": \"x\", \"v\": \"1x\"}\n",
            "{\"a\": 1, \"b\": \"y\", \"v\": \"1y\"}\n",
            "{\"a\": 2, \"b\": \"x\", \"v\": \"2x\"}\n",
        )),
    ));
    s.path("d.db")
}

fn all_pairs(db: &Path) -> Vec<Value> {
    rows(db, "select a, b, v from pairs order by a, b")
}

// ------------------------------------------------------------------ update

#[test]
fn update_one_row_by_key() {
    let s = Sandbox::new();
    let db = people(&s);
    let mut expected = all_people(&db);
    ok(&s.run(
        &["update", "d.db", "people", "2", "name=BOB", "age:=31"],
        None,
    ));
    expected[1] = json!({"id": 2, "name": "BOB", "age": 31, "flag": 0});
    assert_eq!(all_people(&db), expected);
    assert_eq!(
        rows(&db, "select typeof(age) as t from people where id = 2"),
        vec![json!({"t": "integer"})]
    );
}

#[test]
fn update_by_compound_key() {
    let s = Sandbox::new();
    let db = compound(&s);
    ok(&s.run(&["update", "d.db", "pairs", "1", "y", "v=changed"], None));
    assert_eq!(
        all_pairs(&db),
        vec![
            json!({"a": 1, "b": "x", "v": "1x"}),
            json!({"a": 1, "b": "y", "v": "changed"}),
            json!({"a": 2, "b": "x", "v": "2x"}),
        ]
    );
    // One value for a two-column key is a usage error; nothing changes.
    let before = all_pairs(&db);
    let err = fails(&s.run(&["update", "d.db", "pairs", "1", "v=z"], None), 2);
    assert!(err.contains("pairs"), "{err}");
    assert_eq!(all_pairs(&db), before);
}

#[test]
fn update_where_with_parameters() {
    let s = Sandbox::new();
    let db = people(&s);
    let out = ok(&s.run(
        &[
            "update",
            "d.db",
            "people",
            "--where",
            "age < :min",
            "-p",
            "min",
            "18",
            "flag:=1",
            "--json",
        ],
        None,
    ));
    let result: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(result["rows"], json!(2));
    assert_eq!(
        rows(&db, "select id, flag from people order by id"),
        vec![
            json!({"id": 1, "flag": 1}),
            json!({"id": 2, "flag": 0}),
            json!({"id": 3, "flag": 0}),
            json!({"id": 4, "flag": 1}),
        ]
    );
}

#[test]
fn update_where_parameter_is_not_injected() {
    let s = Sandbox::new();
    let db = people(&s);
    let before = all_people(&db);
    // The value is bound, never spliced: it matches no name.
    ok(&s.run(
        &[
            "update",
            "d.db",
            "people",
            "--where",
            "name = :n",
            "-p",
            "n",
            "x' or '1'='1",
            "flag:=9",
        ],
        None,
    ));
    assert_eq!(all_people(&db), before);
}

#[test]
fn update_rows_from_stdin() {
    let s = Sandbox::new();
    let db = people(&s);
    ok(&s.run(
        &["update", "d.db", "people", "-"],
        Some("{\"id\": 1, \"name\": \"ANN\"}\n{\"id\": 3, \"age\": 46, \"flag\": 1}\n"),
    ));
    assert_eq!(
        all_people(&db),
        vec![
            json!({"id": 1, "name": "ANN", "age": 17, "flag": 0}),
            json!({"id": 2, "name": "bob", "age": 30, "flag": 0}),
            json!({"id": 3, "name": "cat", "age": 46, "flag": 1}),
            json!({"id": 4, "name": "dan", "age": 12, "flag": 0}),
        ]
    );
}

#[test]
fn update_missing_key_is_not_found_and_changes_nothing() {
    let s = Sandbox::new();
    let db = people(&s);
    let before = all_people(&db);
    let err = fails(
        &s.run(&["update", "d.db", "people", "99", "name=x"], None),
        4,
    );
    assert!(err.contains("99"), "{err}");
    assert!(err.contains("people"), "{err}");
    assert_eq!(all_people(&db), before);

    // From stdin: the first row exists, the second does not: neither lands.
    let err = fails(
        &s.run(
            &["update", "d.db", "people", "-"],
            Some("{\"id\": 1, \"name\": \"CHANGED\"}\n{\"id\": 98, \"name\": \"x\"}\n"),
        ),
        4,
    );
    assert!(err.contains("98"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(all_people(&db), before);
}

#[test]
fn update_missing_table_is_not_found() {
    let s = Sandbox::new();
    let db = people(&s);
    let err = fails(&s.run(&["update", "d.db", "nope", "1", "name=x"], None), 4);
    assert!(err.contains("nope"), "{err}");
    assert!(object_sql(&db, "nope").is_none());
}

#[test]
fn update_unknown_column_needs_alter() {
    let s = Sandbox::new();
    let db = people(&s);
    let before = all_people(&db);
    let err = fails(
        &s.run(&["update", "d.db", "people", "1", "nick=al"], None),
        2,
    );
    assert!(err.contains("\"nick\""), "{err}");
    assert!(err.contains("--alter"), "{err}");
    assert_eq!(all_people(&db), before);
    assert_eq!(columns(&db, "people").len(), 4);

    ok(&s.run(
        &["update", "d.db", "people", "1", "nick=al", "--alter"],
        None,
    ));
    let cols = columns(&db, "people");
    assert_eq!(cols.len(), 5);
    assert_eq!((cols[4].0.as_str(), cols[4].1.as_str()), ("nick", "TEXT"));
    assert_eq!(
        rows(&db, "select id, nick from people order by id"),
        vec![
            json!({"id": 1, "nick": "al"}),
            json!({"id": 2, "nick": null}),
            json!({"id": 3, "nick": null}),
            json!({"id": 4, "nick": null}),
        ]
    );
}

// ------------------------------------------------------------------ delete

#[test]
fn delete_one_row_by_key() {
    let s = Sandbox::new();
    let db = people(&s);
    let mut expected = all_people(&db);
    ok(&s.run(&["delete", "d.db", "people", "3"], None));
    expected.remove(2);
    assert_eq!(all_people(&db), expected);
}

#[test]
fn delete_by_compound_key() {
    let s = Sandbox::new();
    let db = compound(&s);
    ok(&s.run(&["delete", "d.db", "pairs", "1", "x"], None));
    assert_eq!(
        all_pairs(&db),
        vec![
            json!({"a": 1, "b": "y", "v": "1y"}),
            json!({"a": 2, "b": "x", "v": "2x"}),
        ]
    );
}

#[test]
fn delete_where_with_parameters() {
    let s = Sandbox::new();
    let db = people(&s);
    ok(&s.run(
        &[
            "delete",
            "d.db",
            "people",
            "--where",
            "age >= :a",
            "-p",
            "a",
            "30",
        ],
        None,
    ));
    assert_eq!(
        rows(&db, "select id from people order by id"),
        vec![json!({"id": 1}), json!({"id": 4})]
    );
}

#[test]
fn delete_keys_from_stdin() {
    let s = Sandbox::new();
    let db = people(&s);
    ok(&s.run(
        &["delete", "d.db", "people", "-"],
        Some("{\"id\": 1}\n{\"id\": 4, \"name\": \"ignored\"}\n"),
    ));
    assert_eq!(
        rows(&db, "select id from people order by id"),
        vec![json!({"id": 2}), json!({"id": 3})]
    );
}

#[test]
fn delete_everything_needs_all() {
    let s = Sandbox::new();
    let db = people(&s);
    let before = all_people(&db);
    let err = fails(&s.run(&["delete", "d.db", "people"], None), 2);
    assert!(err.contains("--all"), "{err}");
    assert_eq!(all_people(&db), before);

    ok(&s.run(&["delete", "d.db", "people", "--all"], None));
    assert_eq!(count(&db, "select count(*) from people"), 0);
    // The table itself stays.
    assert!(object_sql(&db, "people").is_some());
}

#[test]
fn delete_missing_key_is_not_found_and_changes_nothing() {
    let s = Sandbox::new();
    let db = people(&s);
    let before = all_people(&db);
    let err = fails(&s.run(&["delete", "d.db", "people", "77"], None), 4);
    assert!(err.contains("77"), "{err}");
    assert_eq!(all_people(&db), before);

    let err = fails(
        &s.run(
            &["delete", "d.db", "people", "-"],
            Some("{\"id\": 2}\n{\"id\": 76}\n"),
        ),
        4,
    );
    assert!(err.contains("76"), "{err}");
    assert_eq!(all_people(&db), before);
}

// ------------------------------------------------------------------ create

#[test]
fn create_with_types_pk_not_null_and_default() {
    let s = Sandbox::new();
    ok(&s.run(
        &[
            "create",
            "d.db",
            "t",
            "id:integer",
            "name:text",
            "score:real",
            "ratio:float",
            "data:blob",
            "misc:any",
            "--pk",
            "id",
            "--not-null",
            "name",
            "--default",
            "score=1.5",
            "--default",
            "name=anon",
        ],
        None,
    ));
    let db = s.path("d.db");
    let cols = columns(&db, "t");
    let summary: Vec<(&str, &str, bool, Option<&str>, i64)> = cols
        .iter()
        .map(|c| (c.0.as_str(), c.1.as_str(), c.2, c.3.as_deref(), c.4))
        .collect();
    assert_eq!(summary[0], ("id", "INTEGER", false, None, 1));
    assert_eq!(summary[1], ("name", "TEXT", true, Some("'anon'"), 0));
    assert_eq!(summary[2], ("score", "REAL", false, Some("1.5"), 0));
    assert_eq!(summary[3], ("ratio", "REAL", false, None, 0));
    assert_eq!(summary[4], ("data", "BLOB", false, None, 0));
    assert_eq!(summary[5].0, "misc");
    assert_eq!(summary.len(), 6);
    // `any` keeps a value as given (no numeric affinity).
    ok(&s.run(&["insert", "d.db", "t", "id:=1", "misc=01234"], None));
    assert_eq!(
        rows(&db, "select name, score, misc, typeof(misc) as mt from t"),
        vec![json!({"name": "anon", "score": 1.5, "misc": "01234", "mt": "text"})]
    );
}

#[test]
fn create_with_compound_pk() {
    let s = Sandbox::new();
    ok(&s.run(
        &[
            "create",
            "d.db",
            "t",
            "a:integer",
            "b:text",
            "v:text",
            "--pk",
            "a",
            "--pk",
            "b",
        ],
        None,
    ));
    let pk: Vec<(String, i64)> = columns(&s.path("d.db"), "t")
        .into_iter()
        .map(|c| (c.0, c.4))
        .collect();
    assert_eq!(pk, vec![("a".into(), 1), ("b".into(), 2), ("v".into(), 0)]);
}

#[test]
fn create_with_foreign_key_enforced() {
    let s = Sandbox::new();
    ok(&s.run(
        &["create", "d.db", "parent", "id:integer", "--pk", "id"],
        None,
    ));
    ok(&s.run(
        &[
            "create",
            "d.db",
            "child",
            "id:integer",
            "pid:integer",
            "--pk",
            "id",
            "--fk",
            "pid=parent.id",
        ],
        None,
    ));
    let db = s.path("d.db");
    assert_eq!(
        rows(
            &db,
            "select \"from\", \"table\", \"to\" from pragma_foreign_key_list('child')"
        ),
        vec![json!({"from": "pid", "table": "parent", "to": "id"})]
    );
    ok(&s.run(&["insert", "d.db", "parent", "id:=1"], None));
    ok(&s.run(&["insert", "d.db", "child", "id:=1", "pid:=1"], None));
    let err = fails(
        &s.run(&["insert", "d.db", "child", "id:=2", "pid:=99"], None),
        1,
    );
    assert!(err.contains("FOREIGN KEY"), "{err}");
    assert_eq!(
        rows(&db, "select id, pid from child"),
        vec![json!({"id": 1, "pid": 1})]
    );
}

#[test]
fn create_strict_table() {
    let s = Sandbox::new();
    ok(&s.run(
        &[
            "create",
            "d.db",
            "t",
            "id:integer",
            "n:integer",
            "v:any",
            "--pk",
            "id",
            "--strict",
        ],
        None,
    ));
    let db = s.path("d.db");
    assert_eq!(
        count(
            &db,
            "select strict from pragma_table_list where name = 't' and schema = 'main'"
        ),
        1
    );
    assert_eq!(
        rows(
            &db,
            "select type from pragma_table_info('t') where name = 'v'"
        ),
        vec![json!({"type": "ANY"})]
    );
    let err = fails(&s.run(&["insert", "d.db", "t", "id:=1", "n=abc"], None), 1);
    assert!(err.contains("cannot store"), "{err}");
    assert_eq!(count(&db, "select count(*) from t"), 0);
    ok(&s.run(&["insert", "d.db", "t", "id:=1", "n:=5", "v=01234"], None));
    assert_eq!(
        rows(&db, "select n, v, typeof(v) as vt from t"),
        vec![json!({"n": 5, "v": "01234", "vt": "text"})]
    );
}

#[test]
fn create_existing_table_is_a_conflict() {
    let s = Sandbox::new();
    let db = people(&s);
    let schema = object_sql(&db, "people");
    let before = all_people(&db);
    let err = fails(&s.run(&["create", "d.db", "people", "x:text"], None), 5);
    assert!(err.contains("people"), "{err}");
    assert_eq!(object_sql(&db, "people"), schema);
    assert_eq!(all_people(&db), before);
}

#[test]
fn create_ignore_keeps_the_existing_table() {
    let s = Sandbox::new();
    let db = people(&s);
    let schema = object_sql(&db, "people");
    let before = all_people(&db);
    ok(&s.run(&["create", "d.db", "people", "x:text", "--ignore"], None));
    assert_eq!(object_sql(&db, "people"), schema);
    assert_eq!(all_people(&db), before);
}

#[test]
fn create_replace_replaces_the_table() {
    let s = Sandbox::new();
    let db = people(&s);
    ok(&s.run(&["create", "d.db", "people", "x:text", "--replace"], None));
    let cols: Vec<(String, String)> = columns(&db, "people")
        .into_iter()
        .map(|c| (c.0, c.1))
        .collect();
    assert_eq!(cols, vec![("x".to_string(), "TEXT".to_string())]);
    assert_eq!(count(&db, "select count(*) from people"), 0);
}

#[test]
fn create_with_unknown_type_is_usage_and_creates_nothing() {
    let s = Sandbox::new();
    let err = fails(&s.run(&["create", "d.db", "t", "id:varchar"], None), 2);
    assert!(err.contains("varchar"), "{err}");
    assert!(!s.path("d.db").exists() || object_sql(&s.path("d.db"), "t").is_none());
}

// -------------------------------------------------------------------- drop

#[test]
fn drop_a_table() {
    let s = Sandbox::new();
    let db = people(&s);
    ok(&s.run(&["drop", "d.db", "people"], None));
    assert!(object_sql(&db, "people").is_none());
}

#[test]
fn drop_missing_table_is_not_found_unless_ignore() {
    let s = Sandbox::new();
    let db = people(&s);
    let err = fails(&s.run(&["drop", "d.db", "ghost"], None), 4);
    assert!(err.contains("ghost"), "{err}");
    ok(&s.run(&["drop", "d.db", "ghost", "--ignore"], None));
    // The other table is untouched.
    assert_eq!(count(&db, "select count(*) from people"), 4);
}

#[test]
fn drop_refuses_a_view() {
    let s = Sandbox::new();
    let db = people(&s);
    ok(&s.run(
        &[
            "query",
            "d.db",
            "create view adults as select * from people where age >= 18",
        ],
        None,
    ));
    let view = object_sql(&db, "adults");
    assert_eq!(view.as_ref().map(|v| v.0.as_str()), Some("view"));
    let err = fails(&s.run(&["drop", "d.db", "adults"], None), 2);
    assert!(err.contains("adults"), "{err}");
    assert!(err.contains("view"), "{err}");
    assert_eq!(object_sql(&db, "adults"), view);
    assert_eq!(count(&db, "select count(*) from adults"), 2);
}

#[test]
fn drop_in_missing_database_is_not_found_and_creates_no_file() {
    let s = Sandbox::new();
    let err = fails(&s.run(&["drop", "none.db", "t"], None), 4);
    assert!(err.contains("none.db"), "{err}");
    assert!(!s.path("none.db").exists());
}

// ------------------------------------------------------------------ schema

fn schema_fixture(s: &Sandbox) -> PathBuf {
    ok(&s.run(
        &["create", "d.db", "parent", "id:integer", "--pk", "id"],
        None,
    ));
    ok(&s.run(
        &[
            "create",
            "d.db",
            "child",
            "id:integer",
            "pid:integer",
            "label:text",
            "--pk",
            "id",
            "--not-null",
            "label",
            "--fk",
            "pid=parent.id",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "d.db",
            "create unique index child_label on child (label, pid)",
        ],
        None,
    ));
    s.path("d.db")
}

#[test]
fn schema_prints_the_sql() {
    let s = Sandbox::new();
    let db = schema_fixture(&s);
    let out = ok(&s.run(&["schema", "d.db", "child"], None));
    let table_sql = object_sql(&db, "child").unwrap().1;
    let index_sql = object_sql(&db, "child_label").unwrap().1;
    assert!(out.contains(&table_sql), "{out}");
    assert!(out.contains(&index_sql), "{out}");
    let parent_sql = object_sql(&db, "parent").unwrap().1;
    assert!(
        !out.contains(&parent_sql),
        "only the table asked for: {out}"
    );

    // Without a table: both tables.
    let all = ok(&s.run(&["schema", "d.db"], None));
    assert!(all.contains(&table_sql), "{all}");
    assert!(all.contains(&parent_sql), "{all}");
    // The output is SQL that rebuilds the schema.
    let copy = s.path("copy.db");
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute_batch(&all)
        .expect("schema output is valid SQL");
    drop(conn);
    assert_eq!(object_sql(&copy, "child").unwrap().1, table_sql);
}

#[test]
fn schema_json_has_columns_keys_foreign_keys_and_indexes() {
    let s = Sandbox::new();
    schema_fixture(&s);
    let out = ok(&s.run(&["schema", "d.db", "child", "--json"], None));
    let v: Value = serde_json::from_str(&out).expect("json");
    let tables = v["tables"].as_array().expect("tables array");
    assert_eq!(tables.len(), 1, "{v}");
    let t = &tables[0];
    assert_eq!(t["name"], json!("child"));
    let cols: Vec<(&str, &str)> = t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        cols,
        vec![("id", "INTEGER"), ("pid", "INTEGER"), ("label", "TEXT")]
    );
    assert_eq!(t["columns"][2]["notnull"], json!(true));
    assert_eq!(t["primary_key"], json!(["id"]));
    let fks = t["foreign_keys"].as_array().unwrap();
    assert_eq!(fks.len(), 1, "{t}");
    assert_eq!(fks[0]["column"], json!("pid"));
    assert_eq!(fks[0]["table"], json!("parent"));
    assert_eq!(fks[0]["to"], json!("id"));
    let idx = t["indexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == json!("child_label"))
        .unwrap_or_else(|| panic!("index child_label listed: {t}"));
    assert_eq!(idx["unique"], json!(true));
    assert_eq!(idx["columns"], json!(["label", "pid"]));
}

#[test]
fn schema_of_missing_table_or_database_is_not_found() {
    let s = Sandbox::new();
    schema_fixture(&s);
    let err = fails(&s.run(&["schema", "d.db", "ghost"], None), 4);
    assert!(err.contains("ghost"), "{err}");
    let err = fails(&s.run(&["schema", "none.db"], None), 4);
    assert!(err.contains("none.db"), "{err}");
    assert!(!s.path("none.db").exists());
}

#[test]
fn writes_to_a_missing_database_are_not_found_and_create_no_file() {
    let s = Sandbox::new();
    for args in [
        vec!["update", "none.db", "t", "1", "a=b"],
        vec!["delete", "none.db", "t", "1"],
        vec!["delete", "none.db", "t", "--all"],
    ] {
        let err = fails(&s.run(&args, None), 4);
        assert!(err.contains("none.db"), "{args:?}: {err}");
        assert!(!s.path("none.db").exists(), "{args:?} created the file");
    }
}

/// A view has no key to find a row by: update and delete by key (arguments
/// or stdin rows) are a usage error that says to use --where, not SQLite's
/// "no such column: rowid"; --where writes through its INSTEAD OF triggers.
#[test]
fn update_and_delete_by_key_of_a_view_say_to_use_where() {
    let s = Sandbox::new();
    let db = s.path("v.db");
    sqlite3(
        &db,
        "create table t (id integer primary key, v text); insert into t values (1, 'a');
         create view tv as select * from t;
         create trigger tv_u instead of update on tv begin update t set v = new.v where id = old.id; end;
         create trigger tv_d instead of delete on tv begin delete from t where id = old.id; end;",
    );
    let before = user_state(&db);
    let cases: [(&[&str], Option<&str>); 4] = [
        (&["update", "v.db", "tv", "1", "v=z"], None),
        (&["delete", "v.db", "tv", "1"], None),
        (
            &["update", "v.db", "tv", "-"],
            Some("{\"id\": 1, \"v\": \"z\"}\n"),
        ),
        (&["delete", "v.db", "tv", "-"], Some("{\"id\": 1}\n")),
    ];
    for (args, stdin) in cases {
        let err = fails(&s.run(args, stdin), 2);
        assert!(
            err.contains("view \"tv\" has no key to find a row by; use --where"),
            "{args:?}: {err}"
        );
        assert_eq!(user_state(&db), before, "{args:?}");
    }
    // The counts are what the INSTEAD OF triggers changed.
    let rows = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(&ok(&s.run(args, None))).unwrap()["rows"].clone()
    };
    let updated = rows(&["--json", "update", "v.db", "tv", "--where", "id = 1", "v=z"]);
    assert_eq!(updated, serde_json::json!(1));
    assert_eq!(sqlite3(&db, "select v from t"), "z\n");
    let deleted = rows(&["--json", "delete", "v.db", "tv", "--where", "id = 1"]);
    assert_eq!(deleted, serde_json::json!(1));
    assert_eq!(count(&db, "select count(*) from t"), 0);
}

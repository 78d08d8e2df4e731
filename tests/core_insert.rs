//! Issue "core": `insert` and `upsert` — input formats, type inference,
//! schema options, conflict modes, batches, and bad input that must write
//! nothing. Every test checks the database afterwards.

mod common;
use common::*;

use std::path::Path;

use serde_json::{json, Value};

/// `(name, declared type)` of each column.
fn types(db: &Path, table: &str) -> Vec<(String, String)> {
    columns(db, table)
        .into_iter()
        .map(|(n, t, _, _, _)| (n, t))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// True when the database has a table of that name.
fn table_exists(db: &Path, table: &str) -> bool {
    if !db.exists() {
        return false;
    }
    let conn = rusqlite::Connection::open(db).expect("open db");
    conn.query_row(
        "select count(*) from sqlite_master where type = 'table' and name = ?1",
        [table],
        |r| r.get::<_, i64>(0),
    )
    .expect("count")
        > 0
}

/// Tables a user made (not the tool's own, not sqlite's).
fn user_tables(db: &Path) -> Vec<String> {
    if !db.exists() {
        return Vec::new();
    }
    rows(
        db,
        "select name from sqlite_master where type = 'table' \
         and name not like '\\_litewrite\\_%' escape '\\' and name not like 'sqlite\\_%' escape '\\' order by name",
    )
    .into_iter()
    .map(|r| r["name"].as_str().unwrap().to_string())
    .collect()
}

/// A users table with a primary key and two rows, made by the binary.
fn users(s: &Sandbox) -> std::path::PathBuf {
    ok(&s.run(
        &[
            "create",
            "d.db",
            "users",
            "id:integer",
            "name:text",
            "email:text",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(
        &["insert", "d.db", "users", "-"],
        Some("{\"id\": 1, \"name\": \"alice\", \"email\": \"a@x\"}\n{\"id\": 2, \"name\": \"bob\", \"email\": \"b@x\"}\n"),
    ));
    s.path("d.db")
}

fn all_users(db: &Path) -> Vec<Value> {
    rows(db, "select id, name, email from users order by id")
}

// ---------------------------------------------------------------- formats

#[test]
fn json_array_file_inserts_every_element() {
    let s = Sandbox::new();
    s.write(
        "rows.json",
        "[{\"id\": 1, \"name\": \"alice\"},\n {\"id\": 2, \"name\": \"bob\"}, {\"id\": 3, \"name\": \"carol\"}]",
    );
    ok(&s.run(&["insert", "d.db", "users", "rows.json"], None));
    assert_eq!(
        rows(&s.path("d.db"), "select id, name from users order by id"),
        vec![
            json!({"id": 1, "name": "alice"}),
            json!({"id": 2, "name": "bob"}),
            json!({"id": 3, "name": "carol"}),
        ]
    );
}

#[test]
fn single_object_file_one_line_or_pretty_printed() {
    let s = Sandbox::new();
    s.write("one.json", "{\"id\": 7, \"name\": \"solo\"}");
    s.write(
        "pretty.json",
        "{\n  \"id\": 8,\n  \"name\": \"pretty\"\n}\n",
    );
    ok(&s.run(&["insert", "d.db", "t", "one.json"], None));
    ok(&s.run(&["insert", "d.db", "t", "pretty.json"], None));
    assert_eq!(
        rows(&s.path("d.db"), "select id, name from t order by id"),
        vec![
            json!({"id": 7, "name": "solo"}),
            json!({"id": 8, "name": "pretty"})
        ]
    );
}

#[test]
fn ndjson_is_detected_and_blank_lines_are_skipped() {
    let s = Sandbox::new();
    s.write(
        "rows.ndjson",
        "{\"a\": 1, \"b\": \"x\"}\n\n{\"a\": 2, \"b\": \"y\"}\n   \n\t\n{\"a\": 3, \"b\": \"z\"}\n\n",
    );
    ok(&s.run(&["insert", "d.db", "t", "rows.ndjson"], None));
    assert_eq!(
        rows(&s.path("d.db"), "select a, b from t order by a"),
        vec![
            json!({"a": 1, "b": "x"}),
            json!({"a": 2, "b": "y"}),
            json!({"a": 3, "b": "z"}),
        ]
    );
}

#[test]
fn nl_flag_forces_ndjson_over_the_file_name() {
    let s = Sandbox::new();
    // A .csv name would make it CSV; --nl says otherwise.
    s.write("rows.csv", "{\"a\": 1}\n{\"a\": 2}\n");
    ok(&s.run(&["insert", "d.db", "t", "rows.csv", "--nl"], None));
    assert_eq!(types(&s.path("d.db"), "t"), pairs(&[("a", "INTEGER")]));
    assert_eq!(
        rows(&s.path("d.db"), "select a from t order by a"),
        vec![json!({"a": 1}), json!({"a": 2})]
    );
    // And from stdin.
    ok(&s.run(
        &["insert", "d.db", "t", "-", "--nl"],
        Some("\n{\"a\": 3}\n\n{\"a\": 4}\n"),
    ));
    assert_eq!(count(&s.path("d.db"), "select count(*) from t"), 4);
    assert_eq!(count(&s.path("d.db"), "select sum(a) from t"), 10);
}

#[test]
fn csv_by_file_name_detects_numbers_and_keeps_leading_zeros() {
    let s = Sandbox::new();
    s.write(
        "people.csv",
        "id,name,zip,score\n1,alice,01234,2.5\n2,\"smith, bob\",00501,3.0\n3,\"multi\nline\",12345,\n",
    );
    ok(&s.run(&["insert", "d.db", "people", "people.csv"], None));
    let db = s.path("d.db");
    assert_eq!(
        types(&db, "people"),
        pairs(&[
            ("id", "INTEGER"),
            ("name", "TEXT"),
            ("zip", "TEXT"),
            ("score", "REAL")
        ])
    );
    assert_eq!(
        rows(
            &db,
            "select id, name, zip, typeof(zip) as zt, score from people order by id"
        ),
        vec![
            json!({"id": 1, "name": "alice", "zip": "01234", "zt": "text", "score": 2.5}),
            json!({"id": 2, "name": "smith, bob", "zip": "00501", "zt": "text", "score": 3.0}),
            json!({"id": 3, "name": "multi\nline", "zip": "12345", "zt": "text", "score": null}),
        ]
    );
}

#[test]
fn csv_flag_reads_csv_from_any_name_and_stdin() {
    let s = Sandbox::new();
    s.write("data.txt", "code,qty\n01234,5\n0,7\n");
    ok(&s.run(&["insert", "d.db", "t", "data.txt", "--csv"], None));
    ok(&s.run(
        &["insert", "d.db", "t", "-", "--csv"],
        Some("code,qty\n007,-2\n"),
    ));
    let db = s.path("d.db");
    assert_eq!(
        rows(
            &db,
            "select code, typeof(code) as ct, qty, typeof(qty) as qt from t order by rowid"
        ),
        vec![
            json!({"code": "01234", "ct": "text", "qty": 5, "qt": "integer"}),
            json!({"code": "0", "ct": "text", "qty": 7, "qt": "integer"}),
            json!({"code": "007", "ct": "text", "qty": -2, "qt": "integer"}),
        ]
    );
    // "01234" and "0" mixed: the column was made TEXT, not INTEGER.
    assert_eq!(
        types(&db, "t"),
        pairs(&[("code", "TEXT"), ("qty", "INTEGER")])
    );
}

#[test]
fn tsv_by_name_and_by_flag() {
    let s = Sandbox::new();
    s.write("rows.tsv", "a\tb\n1\tx,y\n2\t\"q\"\n");
    ok(&s.run(&["insert", "d.db", "t", "rows.tsv"], None));
    ok(&s.run(
        &["insert", "d.db", "t", "-", "--tsv"],
        Some("a\tb\n3\tp q\n"),
    ));
    assert_eq!(
        rows(&s.path("d.db"), "select a, b from t order by a"),
        vec![
            json!({"a": 1, "b": "x,y"}),
            json!({"a": 2, "b": "q"}),
            json!({"a": 3, "b": "p q"}),
        ]
    );
}

#[test]
fn inline_text_and_json_values() {
    let s = Sandbox::new();
    ok(&s.run(
        &[
            "insert",
            "d.db",
            "t",
            "name=alice",
            "age:=30",
            "zip=01234",
            "tags:=[1,2]",
            "ok:=true",
        ],
        None,
    ));
    let db = s.path("d.db");
    assert_eq!(
        rows(
            &db,
            "select name, age, typeof(age) as at, zip, typeof(zip) as zt, tags, ok from t"
        ),
        vec![json!({
            "name": "alice", "age": 30, "at": "integer",
            "zip": "01234", "zt": "text", "tags": "[1,2]", "ok": 1
        })]
    );
}

#[test]
fn stdin_with_dash_and_without_a_file() {
    let s = Sandbox::new();
    ok(&s.run(
        &["insert", "d.db", "t", "-"],
        Some("[{\"a\": 1}, {\"a\": 2}]"),
    ));
    // No FILE at all: stdin is not a terminal here, so it is read.
    ok(&s.run(&["insert", "d.db", "t"], Some("{\"a\": 3}\n")));
    assert_eq!(
        rows(&s.path("d.db"), "select a from t order by a"),
        vec![json!({"a": 1}), json!({"a": 2}), json!({"a": 3})]
    );
}

#[test]
fn utf8_bom_is_ignored_in_json_ndjson_and_csv() {
    let s = Sandbox::new();
    s.write("a.json", "\u{feff}[{\"id\": 1}]");
    s.write("b.ndjson", "\u{feff}{\"id\": 2}\n{\"id\": 3}\n");
    s.write("c.csv", "\u{feff}id\n4\n");
    ok(&s.run(&["insert", "d.db", "t", "a.json"], None));
    ok(&s.run(&["insert", "d.db", "t", "b.ndjson"], None));
    ok(&s.run(&["insert", "d.db", "t", "c.csv"], None));
    let db = s.path("d.db");
    // The column is "id", not "\u{feff}id", and no other column appeared.
    assert_eq!(types(&db, "t"), pairs(&[("id", "INTEGER")]));
    assert_eq!(
        rows(&db, "select id from t order by id"),
        vec![
            json!({"id": 1}),
            json!({"id": 2}),
            json!({"id": 3}),
            json!({"id": 4})
        ]
    );
}

#[test]
fn nested_values_are_json_text_or_flattened() {
    let s = Sandbox::new();
    let row =
        "{\"id\": 1, \"a\": {\"b\": 1, \"c\": {\"d\": \"x\"}}, \"list\": [1, {\"k\": null}]}\n";
    ok(&s.run(&["insert", "d.db", "nested", "-"], Some(row)));
    ok(&s.run(&["insert", "d.db", "flat", "-", "--flatten"], Some(row)));
    let db = s.path("d.db");

    let nested = rows(&db, "select a, list, typeof(a) as at from nested");
    assert_eq!(nested[0]["at"], json!("text"));
    let a: Value = serde_json::from_str(nested[0]["a"].as_str().unwrap()).unwrap();
    assert_eq!(a, json!({"b": 1, "c": {"d": "x"}}));
    let list: Value = serde_json::from_str(nested[0]["list"].as_str().unwrap()).unwrap();
    assert_eq!(list, json!([1, {"k": null}]));
    assert_eq!(
        types(&db, "nested"),
        pairs(&[("id", "INTEGER"), ("a", "TEXT"), ("list", "TEXT")])
    );

    assert_eq!(
        types(&db, "flat"),
        pairs(&[
            ("id", "INTEGER"),
            ("a_b", "INTEGER"),
            ("a_c_d", "TEXT"),
            ("list", "TEXT")
        ])
    );
    assert_eq!(
        rows(&db, "select id, a_b, a_c_d from flat"),
        vec![json!({"id": 1, "a_b": 1, "a_c_d": "x"})]
    );
}

#[test]
fn base64_object_is_a_blob_and_query_prints_it_back() {
    let s = Sandbox::new();
    ok(&s.run(
        &["insert", "d.db", "t", "-"],
        Some("{\"id\": 1, \"data\": {\"$base64\": true, \"encoded\": \"aGk=\"}}\n"),
    ));
    let db = s.path("d.db");
    assert_eq!(
        rows(&db, "select typeof(data) as ty, hex(data) as h from t"),
        vec![json!({"ty": "blob", "h": "6869"})]
    );
    let out = ok(&s.run(&["query", "d.db", "select id, data from t"], None));
    let printed: Value = serde_json::from_str(&out).expect("query prints JSON");
    assert_eq!(
        printed,
        json!([{"id": 1, "data": {"$base64": true, "encoded": "aGk="}}])
    );
    // What query prints inserts the same bytes again.
    let again = serde_json::to_string(&printed).unwrap();
    ok(&s.run(&["insert", "d.db", "t2", "-"], Some(&again)));
    assert_eq!(
        rows(&db, "select typeof(data) as ty, hex(data) as h from t2"),
        vec![json!({"ty": "blob", "h": "6869"})]
    );
}

#[test]
fn new_table_types_are_inferred() {
    let s = Sandbox::new();
    s.write(
        "rows.ndjson",
        concat!(
            "{\"i\": 1, \"f\": 1.5, \"b\": true, \"s\": \"x\", \"n\": null, \"o\": {\"k\": 1}, \"arr\": [1], \"mix\": 1}\n",
            "{\"i\": 2, \"f\": 2.25, \"b\": false, \"s\": \"y\", \"n\": null, \"o\": {}, \"arr\": [], \"mix\": 2.5}\n",
        ),
    );
    ok(&s.run(&["insert", "d.db", "t", "rows.ndjson"], None));
    let db = s.path("d.db");
    assert_eq!(
        types(&db, "t"),
        pairs(&[
            ("i", "INTEGER"),
            ("f", "REAL"),
            ("b", "INTEGER"),
            ("s", "TEXT"),
            ("n", "TEXT"),
            ("o", "TEXT"),
            ("arr", "TEXT"),
            ("mix", "REAL"),
        ])
    );
    assert_eq!(
        rows(
            &db,
            "select i, f, b, typeof(b) as bt, s, n from t order by i"
        ),
        vec![
            json!({"i": 1, "f": 1.5, "b": 1, "bt": "integer", "s": "x", "n": null}),
            json!({"i": 2, "f": 2.25, "b": 0, "bt": "integer", "s": "y", "n": null}),
        ]
    );
}

// ---------------------------------------------------------- schema options

#[test]
fn pk_makes_the_primary_key_and_duplicates_fail() {
    let s = Sandbox::new();
    ok(&s.run(
        &["insert", "d.db", "t", "id:=1", "name=a", "--pk", "id"],
        None,
    ));
    let db = s.path("d.db");
    let cols = columns(&db, "t");
    assert_eq!(cols[0].0, "id");
    assert_eq!(cols[0].4, 1, "id is the primary key: {cols:?}");
    assert_eq!(cols[1].4, 0);
    let err = fails(&s.run(&["insert", "d.db", "t", "id:=1", "name=b"], None), 1);
    assert!(err.contains("UNIQUE"), "{err}");
    assert_eq!(
        rows(&db, "select id, name from t"),
        vec![json!({"id": 1, "name": "a"})]
    );
}

#[test]
fn compound_pk() {
    let s = Sandbox::new();
    s.write(
        "rows.ndjson",
        "{\"a\": 1, \"b\": \"x\", \"v\": 1}\n{\"a\": 1, \"b\": \"y\", \"v\": 2}\n",
    );
    ok(&s.run(
        &[
            "insert",
            "d.db",
            "t",
            "rows.ndjson",
            "--pk",
            "a",
            "--pk",
            "b",
        ],
        None,
    ));
    let db = s.path("d.db");
    let pk: Vec<(String, i64)> = columns(&db, "t").into_iter().map(|c| (c.0, c.4)).collect();
    assert_eq!(pk, vec![("a".into(), 1), ("b".into(), 2), ("v".into(), 0)]);
    let err = fails(
        &s.run(&["insert", "d.db", "t", "a:=1", "b=x", "v:=9"], None),
        1,
    );
    assert!(err.contains("UNIQUE"), "{err}");
    assert_eq!(
        rows(&db, "select a, b, v from t order by b"),
        vec![
            json!({"a": 1, "b": "x", "v": 1}),
            json!({"a": 1, "b": "y", "v": 2})
        ]
    );
}

#[test]
fn not_null_default_and_type_shape_the_new_table() {
    let s = Sandbox::new();
    ok(&s.run(
        &[
            "insert",
            "d.db",
            "t",
            "id:=1",
            "name=a",
            "status=active",
            "code:=5",
            "--pk",
            "id",
            "--not-null",
            "name",
            "--default",
            "status=new",
            "--type",
            "code=text",
        ],
        None,
    ));
    let db = s.path("d.db");
    let cols = columns(&db, "t");
    let name = cols.iter().find(|c| c.0 == "name").unwrap();
    assert!(name.2, "name is NOT NULL: {cols:?}");
    let status = cols.iter().find(|c| c.0 == "status").unwrap();
    assert_eq!(status.3.as_deref(), Some("'new'"), "{cols:?}");
    let code = cols.iter().find(|c| c.0 == "code").unwrap();
    assert_eq!(code.1, "TEXT", "{cols:?}");
    assert_eq!(
        rows(&db, "select code, typeof(code) as ct from t"),
        vec![json!({"code": "5", "ct": "text"})]
    );

    // The default applies to a row without the column.
    ok(&s.run(&["insert", "d.db", "t", "id:=2", "name=b"], None));
    assert_eq!(
        rows(&db, "select status from t where id = 2"),
        vec![json!({"status": "new"})]
    );
    // NOT NULL holds.
    let err = fails(
        &s.run(&["insert", "d.db", "t", "id:=3", "name:=null"], None),
        1,
    );
    assert!(err.contains("NOT NULL"), "{err}");
    assert_eq!(count(&db, "select count(*) from t"), 2);
}

#[test]
fn type_real_overrides_inference() {
    let s = Sandbox::new();
    ok(&s.run(
        &["insert", "d.db", "t", "price:=3", "--type", "price=float"],
        None,
    ));
    let db = s.path("d.db");
    assert_eq!(types(&db, "t"), pairs(&[("price", "REAL")]));
    assert_eq!(
        rows(&db, "select typeof(price) as pt from t"),
        vec![json!({"pt": "real"})]
    );
}

// ------------------------------------------------------- unknown columns

#[test]
fn unknown_key_is_a_usage_error_suggesting_alter_and_writes_nothing() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    s.write(
        "more.ndjson",
        "{\"id\": 3, \"name\": \"c\"}\n{\"id\": 4, \"name\": \"d\"}\n{\"id\": 5, \"agee\": 3}\n",
    );
    let err = fails(&s.run(&["insert", "d.db", "users", "more.ndjson"], None), 2);
    assert!(err.contains("\"agee\""), "{err}");
    assert!(err.contains("--alter"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert_eq!(all_users(&db), before);
    assert_eq!(types(&db, "users").len(), 3, "no column was added");
}

#[test]
fn alter_adds_the_column() {
    let s = Sandbox::new();
    let db = users(&s);
    ok(&s.run(
        &[
            "insert", "d.db", "users", "id:=3", "name=c", "age:=41", "--alter",
        ],
        None,
    ));
    assert_eq!(
        types(&db, "users"),
        pairs(&[
            ("id", "INTEGER"),
            ("name", "TEXT"),
            ("email", "TEXT"),
            ("age", "INTEGER")
        ])
    );
    assert_eq!(
        rows(&db, "select id, age from users order by id"),
        vec![
            json!({"id": 1, "age": null}),
            json!({"id": 2, "age": null}),
            json!({"id": 3, "age": 41})
        ]
    );
}

// ------------------------------------------------ ignore / replace / truncate

#[test]
fn ignore_skips_existing_keys() {
    let s = Sandbox::new();
    let db = users(&s);
    ok(&s.run(
        &["insert", "d.db", "users", "-", "--ignore"],
        Some("{\"id\": 1, \"name\": \"CHANGED\", \"email\": null}\n{\"id\": 3, \"name\": \"carol\", \"email\": \"c@x\"}\n"),
    ));
    assert_eq!(
        all_users(&db),
        vec![
            json!({"id": 1, "name": "alice", "email": "a@x"}),
            json!({"id": 2, "name": "bob", "email": "b@x"}),
            json!({"id": 3, "name": "carol", "email": "c@x"}),
        ]
    );
}

#[test]
fn replace_replaces_existing_rows() {
    let s = Sandbox::new();
    let db = users(&s);
    ok(&s.run(
        &["insert", "d.db", "users", "-", "--replace"],
        Some("{\"id\": 1, \"name\": \"ALICE\"}\n{\"id\": 3, \"name\": \"carol\"}\n"),
    ));
    // A replaced row is a new row: the column it does not mention is NULL.
    assert_eq!(
        all_users(&db),
        vec![
            json!({"id": 1, "name": "ALICE", "email": null}),
            json!({"id": 2, "name": "bob", "email": "b@x"}),
            json!({"id": 3, "name": "carol", "email": null}),
        ]
    );
}

#[test]
fn truncate_deletes_all_rows_first() {
    let s = Sandbox::new();
    let db = users(&s);
    ok(&s.run(
        &[
            "insert",
            "d.db",
            "users",
            "id:=9",
            "name=only",
            "--truncate",
        ],
        None,
    ));
    assert_eq!(
        all_users(&db),
        vec![json!({"id": 9, "name": "only", "email": null})]
    );
}

#[test]
fn truncate_is_undone_when_the_insert_fails() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    let err = fails(
        &s.run(
            &["insert", "d.db", "users", "-", "--truncate"],
            Some("{\"id\": 5, \"name\": \"x\"}\n{\"id\": 5, \"name\": \"y\"}\n"),
        ),
        1,
    );
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(all_users(&db), before);
}

// ------------------------------------------------------------------ upsert

#[test]
fn upsert_updates_by_key_and_leaves_unmentioned_columns() {
    let s = Sandbox::new();
    let db = users(&s);
    ok(&s.run(
        &["upsert", "d.db", "users", "-"],
        Some("{\"id\": 1, \"name\": \"ALICE\"}\n{\"id\": 3, \"name\": \"carol\", \"email\": \"c@x\"}\n"),
    ));
    assert_eq!(
        all_users(&db),
        vec![
            json!({"id": 1, "name": "ALICE", "email": "a@x"}),
            json!({"id": 2, "name": "bob", "email": "b@x"}),
            json!({"id": 3, "name": "carol", "email": "c@x"}),
        ]
    );
    // Inline too.
    ok(&s.run(&["upsert", "d.db", "users", "id:=2", "email=new@x"], None));
    assert_eq!(
        rows(&db, "select name, email from users where id = 2"),
        vec![json!({"name": "bob", "email": "new@x"})]
    );
}

#[test]
fn upsert_row_without_its_key_is_an_error_and_writes_nothing() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    let err = fails(
        &s.run(
            &["upsert", "d.db", "users", "-"],
            Some("{\"id\": 1, \"name\": \"ALICE\"}\n{\"name\": \"nokey\"}\n"),
        ),
        2,
    );
    assert!(err.contains("\"id\""), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(all_users(&db), before);
}

#[test]
fn upsert_creates_a_table_with_pk() {
    let s = Sandbox::new();
    ok(&s.run(&["upsert", "d.db", "t", "id:=1", "v=a", "--pk", "id"], None));
    ok(&s.run(&["upsert", "d.db", "t", "id:=1", "v=b"], None));
    let db = s.path("d.db");
    assert_eq!(
        rows(&db, "select id, v from t"),
        vec![json!({"id": 1, "v": "b"})]
    );
    assert_eq!(columns(&db, "t")[0].4, 1);
}

// ----------------------------------------------------------- batch size

#[test]
fn batch_size_commits_every_n_rows_each_its_own_group() {
    let s = Sandbox::new();
    ok(&s.run(&["create", "d.db", "t", "id:integer", "--pk", "id"], None));
    let db = s.path("d.db");
    let groups_before = count(&db, "select count(*) from _litewrite_groups");
    let out = ok(&s.run(
        &["insert", "d.db", "t", "-", "--batch-size", "2", "--json"],
        Some("{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n{\"id\": 4}\n{\"id\": 5}\n"),
    ));
    assert_eq!(
        rows(&db, "select id from t order by id"),
        (1..=5).map(|i| json!({ "id": i })).collect::<Vec<_>>()
    );
    let result: Value = serde_json::from_str(&out).expect("json result");
    assert_eq!(result["rows"], json!(5));
    // Three batches (2 + 2 + 1), three new change groups.
    assert_eq!(
        count(&db, "select count(*) from _litewrite_groups") - groups_before,
        3
    );
    assert_eq!(
        count(
            &db,
            "select count(distinct group_id) from _litewrite_changes where tbl = 't' and op in ('insert', 'insert-range')"
        ),
        3
    );
    let last = count(&db, "select max(id) from _litewrite_groups");
    assert_eq!(result["group"], json!(last));
}

#[test]
fn batch_failure_keeps_earlier_batches_and_rolls_back_its_own() {
    let s = Sandbox::new();
    ok(&s.run(&["create", "d.db", "t", "id:integer", "--pk", "id"], None));
    ok(&s.run(&["insert", "d.db", "t", "id:=1"], None));
    let db = s.path("d.db");
    // Batch 1 = ids 2, 3 (commits); batch 2 = ids 4, 1 (duplicate on line 4).
    let err = fails(
        &s.run(
            &["insert", "d.db", "t", "-", "--batch-size", "2"],
            Some("{\"id\": 2}\n{\"id\": 3}\n{\"id\": 4}\n{\"id\": 1}\n{\"id\": 5}\n"),
        ),
        1,
    );
    assert!(err.contains("line 4"), "{err}");
    assert_eq!(
        rows(&db, "select id from t order by id"),
        vec![json!({"id": 1}), json!({"id": 2}), json!({"id": 3})]
    );
}

// ------------------------------------------------------------- bad input

#[test]
fn malformed_ndjson_line_3_writes_nothing() {
    let s = Sandbox::new();
    s.write(
        "rows.ndjson",
        "{\"id\": 3, \"name\": \"a\"}\n{\"id\": 4, \"name\": \"b\"}\n{\"id\": 5, \"name\": }\n{\"id\": 6, \"name\": \"d\"}\n",
    );
    // Into a new database: the table is not created.
    let err = fails(&s.run(&["insert", "new.db", "t", "rows.ndjson"], None), 2);
    assert!(err.contains("rows.ndjson"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(!table_exists(&s.path("new.db"), "t"));
    assert!(user_tables(&s.path("new.db")).is_empty());

    // Into an existing table: its rows are as before.
    let db = users(&s);
    let before = all_users(&db);
    let err = fails(&s.run(&["insert", "d.db", "users", "rows.ndjson"], None), 2);
    assert!(err.contains("line 3"), "{err}");
    assert_eq!(all_users(&db), before);
}

#[test]
fn json_array_error_names_element_index_and_byte() {
    let s = Sandbox::new();
    let text = "[{\"a\": 1},\n {\"a\": 2},\n {\"a\": x}, {\"a\": 4}]";
    s.write("rows.json", text);
    let start = text.find("{\"a\": x}").unwrap();
    let bad = text.find('x').unwrap();
    let err = fails(&s.run(&["insert", "d.db", "t", "rows.json"], None), 2);
    assert!(err.contains("rows.json"), "{err}");
    assert!(err.contains("element 2"), "{err}");
    assert!(
        err.contains(&format!("byte {start}")) || err.contains(&format!("byte {bad}")),
        "expected byte {start} or {bad}: {err}"
    );
    assert!(!table_exists(&s.path("d.db"), "t"));
    assert!(user_tables(&s.path("d.db")).is_empty());
}

#[test]
fn json_array_element_that_is_not_an_object() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    let err = fails(
        &s.run(&["insert", "d.db", "users", "-"], Some("[{\"id\": 5}, 42]")),
        2,
    );
    assert!(err.contains("element 1"), "{err}");
    assert_eq!(all_users(&db), before);
}

#[test]
fn malformed_csv_names_the_line_and_writes_nothing() {
    let s = Sandbox::new();
    s.write("rows.csv", "id,name\n1,a\n2,b\n3\n4,d\n");
    let err = fails(&s.run(&["insert", "d.db", "t", "rows.csv"], None), 2);
    assert!(err.contains("rows.csv"), "{err}");
    assert!(err.contains("line 4"), "{err}");
    assert!(!table_exists(&s.path("d.db"), "t"));
}

fn ndjson_ids(ids: impl Iterator<Item = i64>) -> String {
    let mut text = String::new();
    for id in ids {
        text.push_str(&format!("{{\"id\": {id}, \"v\": \"row {id}\"}}\n"));
    }
    text
}

#[test]
fn constraint_failure_on_row_2001_rolls_back_the_2000_before_it() {
    let s = Sandbox::new();
    ok(&s.run(
        &["create", "d.db", "t", "id:integer", "v:text", "--pk", "id"],
        None,
    ));
    ok(&s.run(&["insert", "d.db", "t", "id:=1", "v=original"], None));
    let db = s.path("d.db");
    // Lines 1..=2000 are ids 2..=2001; line 2001 repeats id 1.
    let input = ndjson_ids(2..=2001) + &ndjson_ids(std::iter::once(1));
    s.write("rows.ndjson", &input);
    let err = fails(&s.run(&["insert", "d.db", "t", "rows.ndjson"], None), 1);
    assert!(err.contains("line 2001"), "{err}");
    assert!(err.contains("UNIQUE"), "{err}");
    assert_eq!(
        rows(&db, "select id, v from t"),
        vec![json!({"id": 1, "v": "original"})]
    );
}

#[test]
fn constraint_failure_on_row_2001_leaves_no_new_table() {
    let s = Sandbox::new();
    let input = ndjson_ids(1..=2000) + &ndjson_ids(std::iter::once(7));
    s.write("rows.ndjson", &input);
    let err = fails(
        &s.run(&["insert", "d.db", "t", "rows.ndjson", "--pk", "id"], None),
        1,
    );
    assert!(err.contains("line 2001"), "{err}");
    assert!(!table_exists(&s.path("d.db"), "t"));
}

#[test]
fn missing_input_file_is_a_usage_error() {
    let s = Sandbox::new();
    let err = fails(&s.run(&["insert", "d.db", "t", "nope.json"], None), 2);
    assert!(err.contains("nope.json"), "{err}");
    assert!(!table_exists(&s.path("d.db"), "t"));
}

#[test]
fn bad_base64_is_a_usage_error() {
    let s = Sandbox::new();
    let db = users(&s);
    let before = all_users(&db);
    let err = fails(
        &s.run(
            &["insert", "d.db", "users", "-", "--alter"],
            Some("{\"id\": 3, \"pic\": {\"$base64\": true, \"encoded\": \"***\"}}\n"),
        ),
        2,
    );
    assert!(err.contains("base64"), "{err}");
    assert_eq!(all_users(&db), before);
    assert_eq!(types(&db, "users").len(), 3);
}

/// Bad input into a database the command would create leaves the database
/// as it was: no file (nor -wal/-shm) where there was none, an empty file
/// still empty; a good write then creates it as usual.
#[test]
fn bad_input_into_a_new_database_leaves_no_database_behind() {
    let s = Sandbox::new();
    let cases: [(&[&str], Option<&str>); 4] = [
        (
            &["insert", "n.db", "t", "-"],
            Some("{\"x\": 123456789012345678901234567890}\n"),
        ),
        (&["insert", "n.db", "t", "-"], Some("[{\"x\": 1}, {\"x\": ")),
        (
            &["insert", "n.db", "t", "-", "--csv"],
            Some("a,b\n1,2\n1,2,3\n"),
        ),
        (&["upsert", "n.db", "t", "--pk", "id", "x=1"], None),
    ];
    for (args, stdin) in cases {
        let err = fails(&s.run(args, stdin), 2);
        assert!(err.starts_with("litewrite: "), "{args:?}: {err}");
        for f in ["n.db", "n.db-wal", "n.db-shm", "n.db-journal"] {
            assert!(!s.path(f).exists(), "{args:?} left {f}");
        }
    }
    std::fs::write(s.path("n.db"), b"").unwrap();
    fails(
        &s.run(&["insert", "n.db", "t", "-"], Some("{\"x\": 1e999999}")),
        2,
    );
    assert_eq!(std::fs::metadata(s.path("n.db")).unwrap().len(), 0);
    assert!(!s.path("n.db-wal").exists());
    ok(&s.run(&["insert", "n.db", "t", "x:=1"], None));
    assert_eq!(sqlite3(&s.path("n.db"), "select x from t"), "1\n");
}

/// Upsert matches rows by the table's primary key: a --pk naming other
/// columns of an existing table is a usage error (it used to be ignored,
/// matching by the table's key), and nothing is written; the table's own
/// key, in any case, is accepted.
#[test]
fn upsert_with_a_pk_other_than_the_tables_is_refused() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    ok(&s.run(&["insert", "u.db", "t", "--pk", "id", "id:=1", "v=a"], None));
    let err = fails(
        &s.run(&["upsert", "u.db", "t", "--pk", "v", "id:=2", "v=a"], None),
        2,
    );
    assert!(
        err.contains("table \"t\" has primary key (id); upsert matches rows by it, not by --pk v"),
        "{err}"
    );
    assert_eq!(sqlite3(&db, "select id, v from t"), "1|a\n");
    ok(&s.run(&["upsert", "u.db", "t", "--pk", "ID", "id:=1", "v=b"], None));
    assert_eq!(sqlite3(&db, "select id, v from t"), "1|b\n");
}

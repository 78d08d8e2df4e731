//! Undo puts back exactly what was there: rowids included, in tables of
//! every shape other tools make. Each case writes through litewrite, undoes
//! the group, undoes the undo, and compares the database each time with
//! what it was, value by value and rowid by rowid (read with rusqlite, not
//! the binary). The cases are the variants a user reaches the same state
//! by: REPLACE from SQL, the CLI and the schema; deletes; keys that are
//! TEXT, REAL, BLOB, NOCASE, compound, or NULL in several rows; dropped
//! columns; names that are not ASCII; columns that hide the rowid.

mod common;
use common::*;

use std::path::Path;

/// Every user table's rows with their rowids, plus the schema.
fn state(db: &Path) -> Vec<String> {
    user_state_with_rowids(db)
}

fn newest(db: &Path) -> i64 {
    count(db, "select coalesce(max(id), 0) from _litewrite_groups")
}

/// Runs a write, undoes it, undoes the undo; the database must be exactly
/// as before the write, then exactly as after it.
#[track_caller]
fn round_trip(s: &Sandbox, db: &str, write: &[&str]) {
    let path = s.path(db);
    let before = state(&path);
    let out = s.run(write, None);
    assert_eq!(code(&out), 0, "{write:?}: {}", stderr(&out));
    let after = state(&path);
    assert_ne!(before, after, "{write:?} changed nothing");
    let g = newest(&path);
    ok(&s.run(&["undo", db, &g.to_string()], None));
    assert_eq!(state(&path), before, "undo of {write:?}");
    let u = newest(&path);
    ok(&s.run(&["undo", db, &u.to_string()], None));
    assert_eq!(state(&path), after, "undo of the undo of {write:?}");
    assert_eq!(sqlite3(&path, "pragma integrity_check").trim(), "ok");
}

#[test]
fn every_write_is_undone_and_redone_exactly() {
    // (setup by the sqlite3 shell, SQL written through litewrite)
    let cases: &[(&str, &str)] = &[
        ("create table t(k text primary key, v); insert into t values('a',1),('b',2)",
         "insert or replace into t values('a', 9)"),
        ("create table t(k text primary key, v); insert into t values('a',1),('b',2),('c',3)",
         "delete from t where k = 'a'"),
        ("create table t(k text primary key, v); insert into t values('a',1),('b',2),('c',3)",
         "delete from t"),
        ("create table t(k text primary key, v); insert into t values('a',1),('b',2)",
         "update t set rowid = 100 where k = 'a'"),
        ("create table t(k text primary key on conflict replace, v); insert into t values('a',1),('b',2)",
         "insert into t values('a', 2)"),
        ("create table t(k text primary key, e text unique, n); insert into t values('x','a',1),('y','b',2)",
         "insert or replace into t values('z','a',9); insert or replace into t values('y','q',3)"),
        ("create table t(k text primary key, v); insert into t values(NULL,1),(NULL,2),('c',3)",
         "insert into t values(NULL, 5); update t set v = v * 10 where k is null; delete from t where v = 20"),
        ("create table t(k real primary key, v); insert into t values(1.5,1),(2.0,2)",
         "update t set k = 3.25 where k = 1.5; insert or replace into t values(2.0, 7)"),
        ("create table t(k blob primary key, v) without rowid; insert into t values(x'00ff',1),(x'',2)",
         "update t set v = 5 where k = x''; delete from t where k = x'00ff'; insert into t values(x'01', 3)"),
        ("create table t(k text collate nocase primary key, v); insert into t values('abc',1),('Def',2)",
         "update t set k = 'ABC' where k = 'abc'; insert or replace into t values('DEF', 5)"),
        ("create table t(a text, b int, c, primary key(a, b)) without rowid; create unique index tc on t(c);
          insert into t values('x',1,'one'),('y',2,'two')",
         "insert or replace into t values('x',1,'two')"),
        ("create table p(k text primary key); create table c(id integer primary key, pk text references p(k) on update cascade on delete set null);
          insert into p values('a'),('b'); insert into c values(1,'a'),(2,'b')",
         "update p set k = 'aa' where k = 'a'; delete from p where k = 'b'"),
        // A cascade that changes the child's key: the undo of the undo meets
        // it as a change to a row under another key than the one recorded.
        ("create table p(k text primary key) without rowid;
          create table c(k text primary key references p(k) on delete cascade on update cascade, v) without rowid;
          insert into p values('a'),('b'); insert into c values('a',1),('b',2)",
         "update p set k = 'z' where k = 'a'; insert or replace into p values('b')"),
        // User columns named like the rowid, next to a declared key.
        ("create table t(rowid text, _rowid_ int, k text primary key, v); insert into t values('x',1,'a',1),('y',2,'b',2)",
         "insert or replace into t values('z',3,'a',9); delete from t where k = 'b'; update t set oid = 50 where k = 'a'"),
        ("create table t(rowid text primary key, v); insert into t values('x',1),('y',2)",
         "insert or replace into t values('x', 5); delete from t where rowid = 'y'"),
        ("create table t(oid text, v); insert into t values('x',1),('y',2)",
         "delete from t where v = 1; insert into t(rowid, oid, v) values(1,'q',5); update t set rowid = 9 where v = 2"),
        ("create table t(a, rowid as (a * 2)); insert into t values(1),(2)",
         "delete from t where a = 1; update t set a = 5"),
        ("create table t(id integer primary key, a, g as (a || '!') stored, v as (a || '?') virtual); insert into t(id, a) values(1,'x')",
         "update t set a = 'y'; insert into t(id, a) values(2, 'z')"),
    ];
    for (i, (setup, sql)) in cases.iter().enumerate() {
        let s = Sandbox::new();
        let db = format!("c{i}.db");
        sqlite3(&s.path(&db), setup);
        round_trip(&s, &db, &["query", &db, sql]);
    }
}

#[test]
fn replace_from_the_command_line_restores_the_rowid() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(
        &db,
        "create table t(k text primary key, v); insert into t values('a',1),('b',2)",
    );
    round_trip(
        &s,
        "r.db",
        &["insert", "r.db", "t", "k=a", "v:=9", "--replace"],
    );
    round_trip(&s, "r.db", &["upsert", "r.db", "t", "k=b", "v:=7"]);
    round_trip(&s, "r.db", &["delete", "r.db", "t", "a"]);
    // A deleted row comes back where it was (the REPLACE above moved it to
    // rowid 3): an FTS index or a link keyed by rowid still finds it.
    ok(&s.run(&["undo", "r.db", &newest(&db).to_string()], None));
    assert_eq!(
        sqlite3(&db, "select rowid, k, v from t order by rowid"),
        "2|b|7\n3|a|9\n"
    );
}

#[test]
fn a_rowid_moved_by_update_is_recorded_and_put_back() {
    let s = Sandbox::new();
    let db = s.path("m.db");
    sqlite3(
        &db,
        "create table t(k text primary key, v); insert into t values('a',1)",
    );
    ok(&s.run(
        &["query", "m.db", "update t set rowid = 100 where k = 'a'"],
        None,
    ));
    assert_eq!(
        sqlite3(
            &db,
            "select op, key, rowids from _litewrite_changes where op <> 'columns'"
        ),
        "update|\"a\"|[1,100]\n"
    );
    ok(&s.run(&["undo", "m.db", "1"], None));
    assert_eq!(sqlite3(&db, "select rowid, k, v from t"), "1|a|1\n");
}

#[test]
fn rows_that_share_a_null_key_are_told_apart() {
    let s = Sandbox::new();
    let db = s.path("n.db");
    sqlite3(
        &db,
        "create table t(k text primary key, v); insert into t values(NULL,1),(NULL,2)",
    );
    let before = state(&db);
    ok(&s.run(
        &[
            "query",
            "n.db",
            "update t set v = v + 10 where v = 2; delete from t where v = 1",
        ],
        None,
    ));
    assert_eq!(sqlite3(&db, "select rowid, k, v from t"), "2||12\n");
    ok(&s.run(&["undo", "n.db", "1"], None));
    assert_eq!(state(&db), before);
    assert_eq!(
        sqlite3(&db, "select rowid, v from t order by rowid"),
        "1|1\n2|2\n"
    );
}

#[test]
fn dropped_last_columns_come_back_as_they_were_declared() {
    // ADD COLUMN can not declare any of these; undo puts the exact SQL back.
    let cases: &[(&str, &str)] = &[
        ("create table t(id integer primary key, a, b text not null); insert into t values(1,'a','b'),(2,'x','y')",
         "alter table t drop column b"),
        ("create table t(id integer primary key, a, g as (a || '!') stored); insert into t values(1,'a')",
         "alter table t drop column g"),
        ("create table t(id integer primary key, a, -- it's a, comment
            \"ü ber\" text default 'd' check (length(\"ü ber\") < 5), [x y] int not null default 7);
          insert into t values(1,'a','b',1),(2,'x','d',7)",
         "alter table t drop column [x y]; alter table t drop column \"ü ber\""),
        ("create table t(id integer primary key, a, t text default (datetime('now'))); insert into t values(1,'a','2020-01-01')",
         "alter table t drop column t"),
    ];
    for (i, (setup, sql)) in cases.iter().enumerate() {
        let s = Sandbox::new();
        let db = format!("d{i}.db");
        sqlite3(&s.path(&db), setup);
        round_trip(&s, &db, &["query", &db, sql]);
    }
}

#[test]
fn a_column_added_then_written_is_dropped_again_by_undo() {
    let s = Sandbox::new();
    let db = s.path("a.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, a); insert into t values(1,'a'),(2,'b')",
    );
    round_trip(
        &s,
        "a.db",
        &["upsert", "a.db", "t", "id:=2", "newc=z", "--alter"],
    );
    // A value written since in the added column is a conflict.
    ok(&s.run(&["upsert", "a.db", "t", "id:=2", "newc=z", "--alter"], None));
    let g = newest(&db);
    ok(&s.run(&["update", "a.db", "t", "1", "newc=q"], None));
    let err = fails(&s.run(&["undo", "a.db", &g.to_string()], None), 5);
    assert!(err.contains("holds values written since"), "{err}");
    assert_eq!(
        sqlite3(&db, "select id, a, newc from t order by id"),
        "1|a|q\n2|b|z\n"
    );
}

#[test]
fn names_that_are_not_ascii_are_written_renamed_and_undone() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    sqlite3(
        &db,
        "create table \"we\"\"ird tab 表 select\"(\"col \"\"q\" integer primary key, \"from\", \"ü ber\" text, [order] int);
         insert into \"we\"\"ird tab 表 select\" values(1,2,3,4);
         create index \"i 表\" on \"we\"\"ird tab 表 select\"(\"from\")",
    );
    round_trip(
        &s,
        "u.db",
        &[
            "query",
            "u.db",
            "update \"we\"\"ird tab 表 select\" set \"from\" = 9;
             alter table \"we\"\"ird tab 表 select\" rename column \"from\" to \"to \"\"x\";
             alter table \"we\"\"ird tab 表 select\" rename to \"n\"\"ew 表\";
             alter table \"n\"\"ew 表\" drop column [order]",
        ],
    );
    // A table named by a multi-byte prefix is an ordinary table, not a
    // system one.
    round_trip(&s, "u.db", &["insert", "u.db", "sqlite表", "id:=1"]);
    round_trip(&s, "u.db", &["insert", "u.db", "_litewrite表", "id:=1"]);
}

#[test]
fn a_table_whose_columns_hide_the_rowid_is_written_and_undo_refuses_clearly() {
    let s = Sandbox::new();
    let db = s.path("h.db");
    sqlite3(
        &db,
        "create table t(rowid int, oid int, _rowid_ int, a); insert into t values(5,5,5,'x'),(6,6,6,'y')",
    );
    // Writes, schema changes and drops all work.
    ok(&s.run(
        &["query", "h.db", "update t set a = 'q' where rowid = 5"],
        None,
    ));
    ok(&s.run(&["query", "h.db", "alter table t drop column a"], None));
    assert_eq!(sqlite3(&db, "select * from t order by 1"), "5|5|5\n6|6|6\n");
    // Undo can not address these rows: a conflict, nothing reverted.
    for g in ["1", "2"] {
        let err = fails(&s.run(&["undo", "h.db", g], None), 5);
        assert!(
            err.contains("\"t\" has user columns named rowid, _rowid_ and oid")
                && err.contains("--force"),
            "{err}"
        );
    }
    assert_eq!(
        sqlite3(&db, "select sql from sqlite_master where name = 't'"),
        "CREATE TABLE t(rowid int, oid int, _rowid_ int)\n"
    );
    // --force reverts what it can: the column comes back, its values can not.
    ok(&s.run(&["undo", "h.db", "2", "--force"], None));
    assert_eq!(
        sqlite3(&db, "select * from t order by 1"),
        "5|5|5|\n6|6|6|\n"
    );
    ok(&s.run(&["drop", "h.db", "t"], None));
    assert_eq!(
        count(&db, "select count(*) from sqlite_master where name = 't'"),
        0
    );
    let g = newest(&db).to_string();
    fails(&s.run(&["undo", "h.db", &g], None), 5);
    assert_eq!(
        count(&db, "select count(*) from sqlite_master where name = 't'"),
        0
    );
}

/// The triggers `sqlite-utils enable-fts --create-triggers` (3.x) writes for
/// FTS5, copied as it emits them.
const SQLITE_UTILS_FTS5: &str = r#"
CREATE VIRTUAL TABLE "docs_fts" USING FTS5 (
    "title", "body",
    content="docs"
);
CREATE TRIGGER "docs_ai" AFTER INSERT ON "docs" BEGIN
  INSERT INTO "docs_fts" (rowid, "title", "body") VALUES (new.rowid, new."title", new."body");
END;
CREATE TRIGGER "docs_ad" AFTER DELETE ON "docs" BEGIN
  INSERT INTO "docs_fts" ("docs_fts", rowid, "title", "body") VALUES('delete', old.rowid, old."title", old."body");
END;
CREATE TRIGGER "docs_au" AFTER UPDATE ON "docs" BEGIN
  INSERT INTO "docs_fts" ("docs_fts", rowid, "title", "body") VALUES('delete', old.rowid, old."title", old."body");
  INSERT INTO "docs_fts" (rowid, "title", "body") VALUES (new.rowid, new."title", new."body");
END;
INSERT INTO "docs_fts" ("docs_fts") VALUES ('rebuild');
"#;

/// For each word, the rowids a search finds must be the rowids of the rows
/// holding it.
#[track_caller]
fn search_matches_table(db: &Path, words: &[&str]) {
    for w in words {
        let found = sqlite3(
            db,
            &format!("select rowid from docs_fts where docs_fts match '{w}' order by rowid"),
        );
        let held = sqlite3(
            db,
            &format!(
                "select rowid from docs where ' ' || title || ' ' || body || ' ' like '% {w} %' order by rowid"
            ),
        );
        assert_eq!(found, held, "search for {w}");
    }
}

#[test]
fn an_fts_index_on_a_table_with_a_text_key_stays_in_step_through_undo() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    sqlite3(
        &db,
        &format!(
            "create table docs(k text primary key, title text, body text);
             insert into docs values('a', 'alpha', 'one two'), ('b', 'beta', 'two three');
             {SQLITE_UTILS_FTS5}"
        ),
    );
    let words = [
        "alpha", "beta", "gamma", "one", "two", "three", "four", "zzz",
    ];
    let writes: &[&[&str]] = &[
        &["insert", "f.db", "docs", "k=a", "title=gamma", "body=four", "--replace"],
        &["query", "f.db", "insert into docs(title, body) values ('gamma', 'four'); update docs set body = 'zzz' where k = 'a'"],
        &["delete", "f.db", "docs", "b"],
        &["query", "f.db", "delete from docs"],
    ];
    for w in writes {
        round_trip(&s, "f.db", w);
        search_matches_table(&db, &words);
        ok(&s.run(&["undo", "f.db", &newest(&db).to_string()], None));
        search_matches_table(&db, &words);
    }
}

#[test]
fn a_rowid_taken_since_is_a_conflict_and_show_tells_a_moved_row() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    sqlite3(
        &db,
        "create table t(k text primary key, v); insert into t values('a',1)",
    );
    // A REPLACE of identical values only moves the row: show says so.
    ok(&s.run(
        &["query", "t.db", "insert or replace into t values('a', 1)"],
        None,
    ));
    let shown: serde_json::Value =
        serde_json::from_str(&ok(&s.run(&["show", "t.db", "1", "--json"], None))).unwrap();
    assert_eq!(shown[0]["op"], "update");
    assert_eq!(shown[0]["rowid"], serde_json::json!([1, 2]));
    // The deleted row's rowid reused by a row added since: a conflict that
    // names it, nothing reverted.
    ok(&s.run(&["delete", "t.db", "t", "a"], None));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "insert into t(rowid, k, v) values (2, 'z', 9)",
        ],
        None,
    ));
    let err = fails(&s.run(&["undo", "t.db", "2"], None), 5);
    assert!(
        err.contains(
            "the rowid 2 the row with key \"a\" had in \"t\" is taken by a row added since"
        ),
        "{err}"
    );
    assert_eq!(sqlite3(&db, "select rowid, k, v from t"), "2|z|9\n");
}

#[test]
fn an_fts_index_change_group_does_not_record_is_rebuilt_by_undo_too() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    sqlite3(
        &db,
        &format!(
            "create table docs(k text primary key, title text, body text);
             insert into docs values('a', 'alpha', 'one two'), ('b', 'beta', 'two three');
             {SQLITE_UTILS_FTS5}"
        ),
    );
    // The index is derived data: excluded from the records, it must still
    // match the table after an undo run with the user's triggers off.
    s.config("[[wrapper]]\nuse = \"change-group\"\nexclude = [\"docs_fts*\"]\n");
    let words = [
        "alpha", "beta", "gamma", "one", "two", "three", "four", "zzz",
    ];
    ok(&s.run(
        &["insert", "f.db", "docs", "k=c", "title=gamma", "body=four"],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "f.db",
            "update docs set body = 'zzz' where k = 'a'; delete from docs where k = 'b'",
        ],
        None,
    ));
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_changes where tbl like 'docs_fts%'"
        ),
        0
    );
    search_matches_table(&db, &words);
    ok(&s.run(&["undo", "f.db", "2"], None));
    search_matches_table(&db, &words);
    ok(&s.run(&["undo", "f.db", "1"], None));
    search_matches_table(&db, &words);
    assert_eq!(
        sqlite3(
            &db,
            "select count(*) from docs_fts where docs_fts match 'gamma'"
        ),
        "0\n"
    );
    assert_eq!(
        sqlite3(
            &db,
            "select rowid from docs_fts where docs_fts match 'beta'"
        ),
        "2\n"
    );
}

#[test]
fn text_in_a_utf16_database_is_recorded_and_put_back_exactly() {
    // Capture reads UTF-8 text as stored and converts other encodings: a
    // UTF-16 database's values must come back as the same characters.
    for encoding in ["UTF-16le", "UTF-16be"] {
        let s = Sandbox::new();
        let path = s.path("u.db");
        sqlite3(
            &path,
            &format!(
                "pragma encoding = '{encoding}'; create table t(k text primary key, v text);
                 insert into t values('ä', 'ünïcödé ✓'), ('b', 'plain'), ('𝄞', 'clef')"
            ),
        );
        assert_eq!(sqlite3(&path, "pragma encoding").trim(), encoding);
        round_trip(
            &s,
            "u.db",
            &["update", "u.db", "t", "--where", "k <> 'b'", "v=wé ✓"],
        );
        round_trip(&s, "u.db", &["delete", "u.db", "t", "--where", "k = 'ä'"]);
        round_trip(&s, "u.db", &["insert", "u.db", "t", "k=ñ", "v=ÿ 𝄞"]);
        assert_eq!(sqlite3(&path, "select v from t where k = '𝄞'"), "wé ✓\n");
    }
}

//! "Nothing lost" (issue 7): schema changes inside a job, undone exactly —
//! `--alter`, drop-and-recreate and rename-and-recreate in one job, a raw
//! DROP TABLE, column renames and drops, CREATE TABLE ... AS SELECT. The
//! schema (its exact SQL text) and every row are compared before and after.

mod common;
use common::*;

fn newest(db: &std::path::Path) -> i64 {
    count(db, "select max(id) from _litewrite_groups")
}

/// Runs a write, undoes it, checks the database is as before, then undoes
/// the undo and checks it is as after the write.
#[track_caller]
fn undo_and_redo(s: &Sandbox, db_name: &str, args: &[&str]) {
    let db = s.path(db_name);
    let before = user_state(&db);
    let out = s.run(args, None);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    let after = user_state(&db);
    assert_ne!(after, before, "{args:?} changed nothing");
    let g = newest(&db);
    let out = s.run(&["undo", db_name, &g.to_string()], None);
    assert_eq!(code(&out), 0, "undo of {args:?}: {}", stderr(&out));
    assert_eq!(user_state(&db), before, "undo of {args:?}");
    let u = newest(&db);
    let out = s.run(&["undo", db_name, &u.to_string()], None);
    assert_eq!(
        code(&out),
        0,
        "undo of the undo of {args:?}: {}",
        stderr(&out)
    );
    assert_eq!(user_state(&db), after, "redo of {args:?}");
}

#[test]
fn insert_alter_is_undone() {
    let s = Sandbox::new();
    let db = s.path("a.db");
    ok(&s.run(
        &["insert", "a.db", "t", "--pk", "id", "id:=1", "name=x"],
        None,
    ));
    undo_and_redo(
        &s,
        "a.db",
        &[
            "insert", "a.db", "t", "--alter", "id:=2", "name=y", "newcol=z", "n:=3",
        ],
    );
    assert_eq!(columns(&db, "t").len(), 4, "redone: the columns are back");
}

#[test]
fn update_alter_is_undone() {
    let s = Sandbox::new();
    ok(&s.run(
        &["insert", "a.db", "t", "--pk", "id", "id:=1", "name=x"],
        None,
    ));
    undo_and_redo(
        &s,
        "a.db",
        &["update", "a.db", "t", "1", "extra=e", "--alter"],
    );
}

#[test]
fn undo_of_an_added_column_written_since_is_a_conflict() {
    let s = Sandbox::new();
    let db = s.path("a.db");
    ok(&s.run(
        &["insert", "a.db", "t", "--pk", "id", "id:=1", "name=x"],
        None,
    ));
    ok(&s.run(&["update", "a.db", "t", "1", "extra=e", "--alter"], None));
    let g = newest(&db);
    ok(&s.run(
        &["insert", "a.db", "t", "id:=2", "name=y", "extra=later"],
        None,
    ));
    let before = user_state(&db);
    let err = fails(&s.run(&["undo", "a.db", &g.to_string()], None), 5);
    assert!(err.contains("extra"), "{err}");
    assert_eq!(user_state(&db), before);
}

#[test]
fn drop_and_recreate_in_one_job_is_undone_exactly() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, v text not null default 'x', w);
         create index t_v on t(v);
         create table log(msg);
         create trigger t_log after insert on t begin insert into log values (new.v); end;
         insert into t values (1, 'a', 1.5), (2, 'b', null);",
    );
    undo_and_redo(
        &s,
        "d.db",
        &["query", "d.db", "drop table t; create table t(id integer primary key, other blob); insert into t values (7, x'00')"],
    );
}

#[test]
fn rename_and_recreate_in_one_job_is_undone_exactly() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, v);
         create table c(x references t(id));
         create index t_v on t(v);
         create view tv as select v from t;
         insert into t values (1, 'a'), (2, 'b');",
    );
    undo_and_redo(
        &s,
        "r.db",
        &["query", "r.db", "alter table t rename to t_old; create table t(id integer primary key, v); insert into t values (9, 'new')"],
    );
    // Undo left no trace of the rename in any definition.
    ok(&s.run(&["undo", "r.db", &newest(&db).to_string()], None));
    assert_eq!(
        sqlite3(&db, "select sql from sqlite_master where name in ('t', 'c', 't_v', 'tv') order by name"),
        "CREATE TABLE c(x references t(id))\nCREATE TABLE t(id integer primary key, v)\nCREATE INDEX t_v on t(v)\nCREATE VIEW tv as select v from t\n"
    );
}

#[test]
fn a_raw_drop_table_and_the_drop_command_are_undone_with_their_rows() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(
        &db,
        "create table p(id integer primary key, n text);
         create table q(k text primary key, v) without rowid;
         insert into p values (1, 'a'), (5, 'e');
         insert into q values ('x', 1), ('y', 2);",
    );
    undo_and_redo(&s, "d.db", &["query", "d.db", "drop table p"]);
    undo_and_redo(&s, "d.db", &["drop", "d.db", "q"]);
}

#[test]
fn dropping_a_referenced_table_with_cascades_is_undone() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(
        &db,
        "create table p(id integer primary key, n text);
         create table ch(id integer primary key, pid references p(id) on delete cascade);
         insert into p values (1, 'a');
         insert into ch values (10, 1), (11, 1);",
    );
    undo_and_redo(&s, "d.db", &["query", "d.db", "drop table p"]);
    assert_eq!(
        count(&db, "select count(*) from ch"),
        0,
        "redone: the cascade too"
    );
}

#[test]
fn column_renames_and_trailing_drops_are_undone_a_middle_drop_is_refused() {
    let s = Sandbox::new();
    let db = s.path("c.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, a text, b integer default 7, c text);
         insert into t values (1, 'x', 1, 'p'), (2, 'y', 7, null);",
    );
    undo_and_redo(
        &s,
        "c.db",
        &["query", "c.db", "alter table t rename column a to aa"],
    );
    undo_and_redo(
        &s,
        "c.db",
        &["query", "c.db", "alter table t drop column c"],
    );
    // A column in the middle can not be put back in place.
    sqlite3(
        &db,
        "create table m(id integer primary key, a, b); insert into m values (1, 'x', 'y')",
    );
    ok(&s.run(&["query", "c.db", "alter table m drop column a"], None));
    let after = user_state(&db);
    let g = newest(&db);
    let err = fails(&s.run(&["undo", "c.db", &g.to_string()], None), 5);
    assert!(err.contains("\"m\""), "{err}");
    assert_eq!(user_state(&db), after, "nothing reverted");
}

#[test]
fn create_table_as_select_is_undone() {
    let s = Sandbox::new();
    let db = s.path("c.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, v); insert into t values (1, 'a'), (2, 'b')",
    );
    undo_and_redo(
        &s,
        "c.db",
        &[
            "query",
            "c.db",
            "create table t2 as select * from t; create index t2_v on t2(v)",
        ],
    );
    assert_eq!(count(&db, "select count(*) from t2"), 2);
}

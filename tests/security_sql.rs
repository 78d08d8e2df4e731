//! What user SQL can not do whatever the config (issue 9 items 3, 4, 5, 8):
//! set pragmas outside the allow-list or write what SQLite's defensive mode
//! protects (the schema_version corruption route among them), make a write
//! the change records miss with an `EXPLAIN`ed DROP, rename a table into
//! the tool's namespace, or break a `--where` condition out of its
//! parentheses. Every refusal leaves the database exactly as it was.

mod common;
use common::*;

/// A database with a table, an index and an FTS5 table, written through
/// litewrite under the default chain.
fn setup() -> Sandbox {
    let s = Sandbox::new();
    sqlite3(&s.path("t.db"), "select 1");
    ok(&s.run(
        &[
            "query",
            "t.db",
            "create table t (id integer primary key, v text);
             create index t_v on t (v);
             insert into t values (1, 'a'), (2, 'b');
             create table notes (id integer primary key, body text);
             create virtual table docs using fts5 (body);
             insert into docs values ('hello world');",
        ],
        None,
    ));
    s
}

/// Everything in the database but the audit log and the meta row that
/// points at its head (which record refusals).
fn state(s: &Sandbox) -> (Vec<String>, i64, i64) {
    let db = s.path("t.db");
    (
        user_state(&db),
        count(&db, "select count(*) from _litewrite_changes"),
        count(&db, "select count(*) from _litewrite_groups"),
    )
}

#[track_caller]
fn refused(s: &Sandbox, args: &[&str], code: i32, mention: &str) {
    let before = state(s);
    let header = sqlite3(
        &s.path("t.db"),
        "pragma schema_version; pragma user_version",
    );
    let err = fails(&s.run(args, None), code);
    assert!(err.contains(mention), "{args:?}: {err}");
    assert_eq!(state(s), before, "{args:?} changed the database");
    assert_eq!(
        sqlite3(
            &s.path("t.db"),
            "pragma schema_version; pragma user_version"
        ),
        header,
        "{args:?} changed the header"
    );
}

// ---------------------------------------------------------------------------
// Item 3: pragmas and defensive mode
// ---------------------------------------------------------------------------

#[test]
fn setting_a_pragma_outside_the_allow_list_is_denied() {
    let s = setup();
    for sql in [
        "pragma schema_version = 1",
        "pragma main.schema_version = 99",
        "pragma writable_schema = 1",
        "pragma writable_schema = reset",
        "pragma query_only = 1",
        "pragma recursive_triggers = 0",
        "pragma foreign_keys = off",
        "pragma ignore_check_constraints = on",
        "pragma legacy_alter_table = on",
        "pragma journal_mode = off",
        "pragma journal_mode = delete",
        "pragma synchronous = off",
        "pragma locking_mode = exclusive",
        "pragma trusted_schema = on",
        "pragma cache_size = 10",
        "pragma secure_delete = off",
        "pragma auto_vacuum = full",
        "pragma case_sensitive_like = 1",
        "pragma busy_timeout = 0",
        "pragma optimize",
        "pragma wal_checkpoint(truncate)",
        "pragma incremental_vacuum",
        "update t set v = 'x' where id = 1; pragma schema_version = 1",
    ] {
        refused(&s, &["query", "t.db", sql], 3, "PRAGMA");
    }
}

#[test]
fn the_allowed_pragmas_and_reading_pragmas_work() {
    let s = setup();
    ok(&s.run(&["query", "t.db", "pragma user_version = 7"], None));
    ok(&s.run(&["query", "t.db", "pragma application_id = 42"], None));
    assert_eq!(sqlite3(&s.path("t.db"), "pragma user_version").trim(), "7");
    assert_eq!(
        sqlite3(&s.path("t.db"), "pragma application_id").trim(),
        "42"
    );
    // defer_foreign_keys lets a migration rebuild a parent table; the check
    // still happens at commit.
    ok(&s.run(
        &[
            "query",
            "t.db",
            "create table p (id integer primary key); create table c (pid integer references p (id));
             insert into p values (1); insert into c values (1);",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "pragma defer_foreign_keys = on; delete from p; insert into p values (1)",
        ],
        None,
    ));
    fails(
        &s.run(
            &[
                "query",
                "t.db",
                "pragma defer_foreign_keys = on; delete from p",
            ],
            None,
        ),
        1,
    );
    assert_eq!(count(&s.path("t.db"), "select count(*) from p"), 1);
    for sql in [
        "pragma foreign_keys",
        "pragma journal_mode",
        "pragma schema_version",
        "pragma integrity_check",
        "pragma table_info(t)",
        "select * from pragma_index_list('t')",
    ] {
        ok(&s.run(&["query", "t.db", sql], None));
    }
}

/// The route: a dropped index recreated on another table with the
/// schema cookie put back, so a connection that cached the old schema
/// writes the old index's b-tree. The cookie write is refused, so the
/// whole job is; and a long-lived connection's writes leave a sound file.
#[test]
fn the_schema_version_corruption_route_is_denied() {
    let s = setup();
    let db = s.path("t.db");
    let long_lived = rusqlite::Connection::open(&db).unwrap();
    long_lived
        .execute("insert into t (v) values ('before')", [])
        .unwrap();
    let version = sqlite3(&db, "pragma schema_version").trim().to_string();
    let attack = format!(
        "create table z (a text); drop index t_v; create index z_a on z (a); pragma schema_version = {version}"
    );
    refused(&s, &["query", "t.db", &attack], 3, "schema_version");
    long_lived
        .execute("insert into t (v) values ('after')", [])
        .unwrap();
    drop(long_lived);
    assert_eq!(sqlite3(&db, "pragma integrity_check").trim(), "ok");
    assert_eq!(
        sqlite3(&db, "select count(*) from t where v = 'after'").trim(),
        "1"
    );
}

#[test]
fn defensive_mode_blocks_shadow_tables_and_the_schema() {
    let s = setup();
    for sql in [
        "insert into docs_data values (99, x'00')",
        "delete from docs_content",
        "update docs_idx set pgno = 5",
        "drop table docs_config",
    ] {
        refused(&s, &["query", "t.db", sql], 1, "may not be");
    }
    // Through the virtual table itself, writes work and are searchable.
    ok(&s.run(
        &["query", "t.db", "insert into docs values ('second doc')"],
        None,
    ));
    let found = ok(&s.run(
        &[
            "query",
            "t.db",
            "select body from docs where docs match 'second'",
        ],
        None,
    ));
    assert!(found.contains("second doc"), "{found}");
    assert_eq!(
        sqlite3(&s.path("t.db"), "pragma integrity_check").trim(),
        "ok"
    );
}

// ---------------------------------------------------------------------------
// Item 4: an EXPLAINed DROP leaves nothing behind
// ---------------------------------------------------------------------------

#[test]
fn an_explained_drop_makes_no_write_unrecorded() {
    let s = setup();
    let db = s.path("t.db");
    // The sequence: the trigger it drops no longer exists (capture
    // uses the preupdate hook), and dropping a name in the tool's namespace
    // is refused anyway; nothing is written.
    let before = state(&s);
    let out = s.run(
        &[
            "query",
            "t.db",
            "explain drop table t; drop trigger temp._litewrite_cg_u0; update t set v = 'x' where id = 1",
        ],
        None,
    );
    assert!(matches!(code(&out), 1 | 3), "{}", stderr(&out));
    assert_eq!(state(&s), before);
    // Without the drop, the update is recorded exactly, and nothing else:
    // the explained DROP did not make capture snapshot t's rows as deleted,
    // nor skip what the next statement did to t.
    let out = s.run(
        &[
            "--json",
            "query",
            "t.db",
            "explain drop table t; explain query plan drop table t; update t set v = 'x' where id = 1",
        ],
        None,
    );
    let group = serde_json::from_str::<serde_json::Value>(&ok(&out)).unwrap()["group"]
        .as_i64()
        .unwrap();
    let changes = row_changes(&db, group);
    assert_eq!(
        changes,
        [("update".to_string(), 1)].into_iter().collect(),
        "{changes:?}"
    );
    ok(&s.run(&["undo", "t.db", &group.to_string()], None));
    assert_eq!(sqlite3(&db, "select v from t where id = 1").trim(), "a");
    assert_eq!(count(&db, "select count(*) from t"), 2);
}

// ---------------------------------------------------------------------------
// Item 5: the tool's namespace
// ---------------------------------------------------------------------------

#[test]
fn nothing_can_be_renamed_or_created_into_the_tools_namespace() {
    let s = setup();
    for sql in [
        "alter table notes rename to _litewrite_audit2",
        "alter table notes rename to \"_LITEWRITE_notes\"",
        "alter table main.notes rename to [_litewrite_x]",
        "alter/* */table notes rename to `_litewrite_x`",
        "create temp table x (a); alter table temp.x rename to _litewrite_audit",
        "create temp table x (a); alter table temp.x rename to _litewrite_audit; insert into notes (body) values ('unaudited?')",
    ] {
        refused(&s, &["query", "t.db", sql], 3, "_litewrite_");
    }
    for sql in [
        "create table _litewrite_x (a)",
        "create view _litewrite_v as select 1",
        "create index _litewrite_i on notes (body)",
        "create trigger _litewrite_t after insert on notes begin select 1; end",
        "create virtual table _litewrite_f using fts5 (a)",
        "create table x as select 1 as a; alter table x rename to _litewrite_y",
    ] {
        refused(&s, &["query", "t.db", sql], 3, "_litewrite_");
    }
    // A rename elsewhere works, and every write is still audited.
    ok(&s.run(
        &["query", "t.db", "alter table notes rename to jottings"],
        None,
    ));
    ok(&s.run(&["insert", "t.db", "jottings", "id:=1", "body=x"], None));
    ok(&s.run(&["audit", "verify", "t.db"], None));
    let names = sqlite3(&s.path("t.db"), "select group_concat(name) from sqlite_master where name like '\\_litewrite\\_%' escape '\\'");
    for name in names.trim().split(',') {
        assert!(
            [
                "_litewrite_meta",
                "_litewrite_groups",
                "_litewrite_changes",
                "_litewrite_audit"
            ]
            .contains(&name),
            "{names}"
        );
    }
}

// ---------------------------------------------------------------------------
// Item 8: --where is one expression
// ---------------------------------------------------------------------------

#[test]
fn a_where_condition_can_not_break_out_of_its_parentheses() {
    let s = setup();
    for cond in [
        "1) or (1",
        "id = 2) or (1",
        "0) or 1=1 or (0",
        "1); delete from notes; select (1",
        "id = 1; delete from t",
        "(id = 1",
        "v = 'a",
        "id = 1 /* comment",
        ":a(() ) or (1",
        "",
    ] {
        refused(&s, &["delete", "t.db", "t", "--where", cond], 2, "--where");
        refused(
            &s,
            &["update", "t.db", "t", "--where", cond, "v=pwned"],
            2,
            "--where",
        );
    }
    // One expression works, with parentheses, strings and a comment.
    ok(&s.run(
        &[
            "update",
            "t.db",
            "t",
            "--where",
            "(v = 'a') or (v = ')') -- the first",
            "v=c",
        ],
        None,
    ));
    assert_eq!(
        sqlite3(&s.path("t.db"), "select group_concat(v) from t").trim(),
        "c,b"
    );
    ok(&s.run(
        &["delete", "t.db", "t", "--where", "v = :v", "-p", "v", "c"],
        None,
    ));
    assert_eq!(count(&s.path("t.db"), "select count(*) from t"), 1);
    let help = ok(&s.run(&["update", "--help"], None));
    assert!(help.contains("one expression"), "{help}");
}

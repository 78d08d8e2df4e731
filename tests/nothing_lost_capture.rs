//! "Nothing lost" (issue 7): change capture and undo on databases made by
//! other tools. Virtual tables (FTS4/FTS5 as sqlite-utils makes them, an
//! internal-content FTS5, an R*Tree) next to the written tables; REPLACE
//! through every route; values JSON can not hold; a user column named
//! rowid; a TEMP table shadowing a main one; cascades into rows added
//! later; a 600-column table; and the compact records (a range of inserted
//! rows, an update's changed columns). Every test checks the database
//! afterwards, with the sqlite3 shell or rusqlite.

mod common;
use common::*;

use std::path::Path;

use serde_json::{json, Value};

/// The group a write made (its --json result, or for `query` the newest group).
fn group(s: &Sandbox, db: &str, args: &[&str]) -> i64 {
    let before = newest(s, db);
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = s.run(&full, None);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    let after = newest(s, db);
    assert!(after.is_some() && after != before, "{args:?} made no group");
    after.unwrap()
}

fn newest(s: &Sandbox, db: &str) -> Option<i64> {
    let path = s.path(db);
    if !path.exists() {
        return None;
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("select max(id) from _litewrite_groups", [], |r| r.get(0))
        .ok()
        .flatten()
}

fn undo(s: &Sandbox, db: &str, g: i64) -> std::process::Output {
    s.run(&["undo", db, &g.to_string()], None)
}

fn show(s: &Sandbox, db: &str, g: i64) -> Vec<Value> {
    let out = ok(&s.run(&["show", db, &g.to_string(), "--json"], None));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The rowids an FTS query finds.
fn fts_rowids(db: &Path, fts: &str, term: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(&format!(
            "select rowid from \"{fts}\" where \"{fts}\" match ?1 order by rowid"
        ))
        .unwrap();
    let ids = stmt
        .query_map([term], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<i64>, _>>()
        .unwrap();
    ids
}

/// The rowids of the rows of `table` whose columns hold the word `term`.
fn table_rowids(db: &Path, table: &str, cols: &[&str], term: &str) -> Vec<i64> {
    let cond: Vec<String> = cols
        .iter()
        .map(|c| format!("(' ' || lower({c}) || ' ') like '% {term} %'"))
        .collect();
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(&format!(
            "select rowid from \"{table}\" where {} order by rowid",
            cond.join(" or ")
        ))
        .unwrap();
    let ids = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<i64>, _>>()
        .unwrap();
    ids
}

/// A search finds exactly the rows the table holds, for every word.
#[track_caller]
fn assert_index_matches(db: &Path, fts: &str, table: &str, cols: &[&str], words: &[&str]) {
    for w in words {
        assert_eq!(
            fts_rowids(db, fts, w),
            table_rowids(db, table, cols, w),
            "searching {fts} for {w:?}"
        );
    }
}

// The SQL `sqlite-utils enable-fts docs title body --fts5 --create-triggers`
// and `enable-counts` emit (sqlite-utils 3.x), copied exactly.
const SQLITE_UTILS_FTS5: &str = r#"
CREATE TABLE "docs" ("id" INTEGER PRIMARY KEY, "title" TEXT, "body" TEXT);
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
"#;

const SQLITE_UTILS_COUNTS: &str = r#"
CREATE TABLE IF NOT EXISTS "_counts"(
   "table" TEXT PRIMARY KEY,
   count INTEGER DEFAULT 0
);
CREATE TRIGGER "docs_counts_insert" AFTER INSERT ON "docs"
BEGIN
    INSERT OR REPLACE INTO "_counts"
    VALUES (
        'docs',
        COALESCE(
            (SELECT count FROM "_counts" WHERE "table" = 'docs'),
        0
        ) + 1
    );
END;
CREATE TRIGGER "docs_counts_delete" AFTER DELETE ON "docs"
BEGIN
    INSERT OR REPLACE INTO "_counts"
    VALUES (
        'docs',
        COALESCE(
            (SELECT count FROM "_counts" WHERE "table" = 'docs'),
        0
        ) - 1
    );
END;
"#;

const WORDS: &[&str] = &["alpha", "beta", "gamma", "delta", "omega"];

// ---------------------------------------------------------------- item 1

#[test]
fn virtual_tables_anywhere_do_not_block_writes() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    sqlite3(
        &db,
        "create virtual table docs using fts5(title, body);
         create virtual table places using rtree(id, x0, x1);
         create virtual table old using fts4(a);
         create table notes(id integer primary key, t text)",
    );
    let dry = s.run(
        &["--dry-run", "insert", "f.db", "notes", "id:=1", "t=hi"],
        None,
    );
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    assert_eq!(count(&db, "select count(*) from notes"), 0);
    let g = group(&s, "f.db", &["insert", "f.db", "notes", "id:=1", "t=hi"]);
    assert_eq!(sqlite3(&db, "select id, t from notes"), "1|hi\n");
    let changes = show(&s, "f.db", g);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["after"], json!({"id": 1, "t": "hi"}));
    // Writing the FTS table itself works and is searchable.
    group(
        &s,
        "f.db",
        &["insert", "f.db", "docs", "title=alpha", "body=beta"],
    );
    assert_eq!(
        sqlite3(&db, "select title from docs where docs match 'beta'"),
        "alpha\n"
    );
    // Nothing of litewrite's is left in the schema.
    assert_eq!(
        count(
            &db,
            "select count(*) from sqlite_master where type = 'trigger'"
        ),
        0
    );
}

#[test]
fn an_excluded_fts_table_is_written_without_recording_it() {
    let s = Sandbox::new();
    s.config(
        "[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"change-group\"\nexclude = [\"docs\"]\n",
    );
    let db = s.path("f.db");
    sqlite3(&db, "create virtual table docs using fts5(title, body); create table notes(id integer primary key, t)");
    let out = s.run(
        &["insert", "f.db", "docs", "title=alpha", "body=beta"],
        None,
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        sqlite3(&db, "select count(*) from docs where docs match 'alpha'"),
        "1\n"
    );
    assert_eq!(count(&db, "select count(*) from _litewrite_changes"), 0);
    group(&s, "f.db", &["insert", "f.db", "notes", "id:=1", "t=x"]);
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_changes where tbl like 'docs%'"
        ),
        0
    );
}

#[test]
fn writes_to_a_virtual_table_undo_can_not_revert_are_recorded_as_sql_and_refused() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(&db, "create virtual table places using rtree(id, x0, x1); create table notes(id integer primary key, t)");
    let sql = "insert into places values (7, 1.0, 5.0); insert into notes values (1, 'n')";
    let g = group(&s, "r.db", &["query", "r.db", sql]);
    let changes = show(&s, "r.db", g);
    let recorded: Vec<&Value> = changes.iter().filter(|c| c["op"] == "sql").collect();
    assert_eq!(recorded.len(), 1, "{changes:?}");
    assert_eq!(recorded[0]["table"], "places");
    assert!(recorded[0]["sql"]
        .as_str()
        .unwrap()
        .contains("insert into places"));
    let before = user_state(&db);
    let err = fails(&undo(&s, "r.db", g), 5);
    assert!(
        err.contains("places") && err.contains("insert into places"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(user_state(&db), before, "nothing reverted");
    // --force reverts what it can and leaves the R*Tree as it is.
    ok(&s.run(&["undo", "r.db", &g.to_string(), "--force"], None));
    assert_eq!(count(&db, "select count(*) from notes"), 0);
    assert_eq!(sqlite3(&db, "select id, x0, x1 from places"), "7|1.0|5.0\n");
}

// ---------------------------------------------------------------- item 2

#[test]
fn fts5_with_sqlite_utils_triggers_stays_in_sync_through_writes_and_undo() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, SQLITE_UTILS_FTS5);
    let cols = ["title", "body"];
    let initial = user_state(&db);
    let mut c = s.cmd();
    c.args(["insert", "d.db", "docs", "-"]).write_stdin(
        "{\"id\": 1, \"title\": \"alpha\", \"body\": \"beta\"}\n{\"id\": 2, \"title\": \"gamma\", \"body\": \"delta\"}\n{\"id\": 3, \"title\": \"omega\", \"body\": \"alpha\"}\n",
    );
    ok(&c.output().unwrap());
    let g_insert = newest(&s, "d.db").unwrap();
    assert_index_matches(&db, "docs_fts", "docs", &cols, WORDS);
    assert_eq!(fts_rowids(&db, "docs_fts", "alpha"), vec![1, 3]);
    let after_insert = user_state(&db);
    let g_update = group(&s, "d.db", &["update", "d.db", "docs", "1", "title=omega"]);
    assert_index_matches(&db, "docs_fts", "docs", &cols, WORDS);
    let after_update = user_state(&db);
    let g_delete = group(&s, "d.db", &["delete", "d.db", "docs", "2"]);
    assert_index_matches(&db, "docs_fts", "docs", &cols, WORDS);
    ok(&undo(&s, "d.db", g_delete));
    assert_eq!(user_state(&db), after_update);
    assert_index_matches(&db, "docs_fts", "docs", &cols, WORDS);
    ok(&undo(&s, "d.db", g_update));
    assert_eq!(user_state(&db), after_insert);
    assert_index_matches(&db, "docs_fts", "docs", &cols, WORDS);
    ok(&undo(&s, "d.db", g_insert));
    assert_eq!(user_state(&db), initial);
    assert_index_matches(&db, "docs_fts", "docs", &cols, WORDS);
    assert!(fts_rowids(&db, "docs_fts", "alpha").is_empty());
}

#[test]
fn fts4_with_sqlite_utils_triggers_is_rebuilt_by_undo() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, &SQLITE_UTILS_FTS5.replace("FTS5", "FTS4"));
    sqlite3(&db, "insert into docs values (1, 'alpha', 'beta')");
    let before = user_state(&db);
    let g = group(
        &s,
        "d.db",
        &[
            "query",
            "d.db",
            "insert into docs values (2, 'gamma', 'delta'), (3, 'omega', 'alpha')",
        ],
    );
    assert_index_matches(&db, "docs_fts", "docs", &["title", "body"], WORDS);
    ok(&undo(&s, "d.db", g));
    assert_eq!(user_state(&db), before);
    assert_index_matches(&db, "docs_fts", "docs", &["title", "body"], WORDS);
    assert_eq!(fts_rowids(&db, "docs_fts", "alpha"), vec![1]);
    // sqlite-utils 3.x emits these same triggers for --fts4, and their
    // 'delete' command is FTS5's: every UPDATE or DELETE of the table fails
    // inside SQLite itself, with any client (the sqlite3 shell here too).
    for sql in [
        "update docs set title = 'omega' where id = 1",
        "delete from docs",
    ] {
        let err = fails(&s.run(&["query", "d.db", sql], None), 1);
        assert!(err.contains("SQL logic error"), "{err}");
        assert_eq!(user_state(&db), before);
        let shell = std::process::Command::new("sqlite3")
            .arg(&db)
            .arg(sql)
            .output()
            .unwrap();
        assert!(!shell.status.success());
        assert!(String::from_utf8_lossy(&shell.stderr).contains("SQL logic error"));
    }
    assert_index_matches(&db, "docs_fts", "docs", &["title", "body"], WORDS);
}

#[test]
fn an_internal_content_fts5_table_written_directly_is_recorded_as_rows_and_undone() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, "create virtual table notes using fts5(title, body); insert into notes values ('alpha', 'beta')");
    let before = user_state(&db);
    let g = group(
        &s,
        "d.db",
        &["query", "d.db", "insert into notes values ('gamma', 'delta'); update notes set title = 'omega' where rowid = 1; delete from notes where rowid = 2"],
    );
    let rows: Vec<(String, String)> = show(&s, "d.db", g)
        .iter()
        .filter(|c| c["op"] != "sql")
        .map(|c| {
            (
                c["table"].as_str().unwrap().into(),
                c["op"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        rows.iter().all(|(t, _)| t == "notes"),
        "recorded as the FTS table: {rows:?}"
    );
    assert!(rows.iter().any(|(_, op)| op == "update"), "{rows:?}");
    ok(&undo(&s, "d.db", g));
    assert_eq!(user_state(&db), before);
    assert_eq!(fts_rowids(&db, "notes", "alpha"), vec![1]);
    assert!(fts_rowids(&db, "notes", "omega").is_empty());
    assert!(fts_rowids(&db, "notes", "gamma").is_empty());
}

/// `sqlite-utils enable-counts` run after `enable-fts` puts count triggers
/// on the FTS table's shadow tables. SQLite refuses to load such a schema in
/// defensive mode, and a statement writing the FTS table makes SQLite
/// (3.54) recurse until the stack overflows. Every route that writes the
/// FTS table, itself or through the content table's triggers, with or
/// without change capture, fails naming the trigger (exit 1) and changes
/// nothing; every other table stays writable, also after a rollback of a
/// schema change (which makes SQLite load the schema again) in a job or a
/// held transaction; once the triggers are dropped the FTS table is
/// writable and the index keeps up.
#[test]
fn count_triggers_on_fts_shadow_tables_block_only_that_fts_table_never_a_crash() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, SQLITE_UTILS_FTS5);
    sqlite3(
        &db,
        r#"CREATE TABLE notes (id INTEGER PRIMARY KEY, t TEXT);
        CREATE TABLE "_counts"("table" TEXT PRIMARY KEY, count INTEGER DEFAULT 0);
        CREATE TRIGGER "docs_fts_data_counts_insert" AFTER INSERT ON "docs_fts_data"
        BEGIN
            INSERT OR REPLACE INTO "_counts" VALUES ('docs_fts_data',
                COALESCE((SELECT count FROM "_counts" WHERE "table" = 'docs_fts_data'), 0) + 1);
        END;
        INSERT INTO docs VALUES (1, 'alpha', 'beta');"#,
    );
    let audit_only = s.write("audit-only.toml", "[[wrapper]]\nuse = \"audit-log\"\n");
    let audit_only = audit_only.to_str().unwrap();
    let before = user_state(&db);
    for args in [
        &["update", "d.db", "docs", "1", "title=gamma"][..],
        &[
            "--config",
            audit_only,
            "update",
            "d.db",
            "docs",
            "1",
            "title=gamma",
        ][..],
        &["--dry-run", "delete", "d.db", "docs", "1"][..],
        &["insert", "d.db", "docs", "id:=2", "title=x", "body=y"][..],
        &["query", "d.db", "insert into docs values (2, 'x', 'y')"][..],
        &[
            "query",
            "d.db",
            "insert into docs_fts (rowid, title, body) values (2, 'x', 'y')",
        ][..],
    ] {
        let err = fails(&s.run(args, None), 1);
        assert!(
            err.contains("can not write virtual table \"docs_fts\"")
                && err.contains(
                    "trigger \"docs_fts_data_counts_insert\" on its shadow table \"docs_fts_data\""
                )
                && err.contains("DROP TRIGGER"),
            "{args:?}: {err}"
        );
        assert_eq!(user_state(&db), before, "{args:?} changed the database");
    }
    let out = ok(&s.run(&["query", "d.db", "select title from docs"], None));
    assert!(out.contains("alpha"), "{out}");

    // Other tables: written, undone; a failure after a schema change is
    // rolled back and audited, and the next write works.
    let g = group(&s, "d.db", &["insert", "d.db", "notes", "id:=1", "t=hi"]);
    fails(
        &s.run(
            &[
                "query",
                "d.db",
                "create table made (a); insert into nosuch values (1)",
            ],
            None,
        ),
        1,
    );
    ok(&s.run(
        &["query", "d.db", "insert into notes values (2, 'two')"],
        None,
    ));
    assert_eq!(sqlite3(&db, "select id from notes"), "1\n2\n");
    assert_eq!(
        count(
            &db,
            "select count(*) from sqlite_master where name = 'made'"
        ),
        0
    );
    ok(&undo(&s, "d.db", g));
    assert_eq!(sqlite3(&db, "select id from notes"), "2\n");
    let audit = ok(&s.run(&["--json", "audit", "d.db"], None));
    assert!(audit.contains("no such table: nosuch"), "{audit}");
    ok(&s.run(&["audit", "verify", "d.db"], None));

    // A held transaction: a request that fails after a schema change, and
    // a rollback to a savepoint over one, leave it working.
    let rt = s.path("rt");
    std::fs::create_dir(&rt).unwrap();
    std::fs::set_permissions(&rt, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let rt = rt.to_str().unwrap();
    let tx = |args: &[&str]| run_env(&s, &[("XDG_RUNTIME_DIR", rt)], args);
    let id = ok(&tx(&["tx", "begin", "d.db"])).trim().to_string();
    fails(
        &tx(&[
            "tx",
            "exec",
            &id,
            "create table t1 (a); insert into nosuch values (1)",
        ]),
        1,
    );
    ok(&tx(&["tx", "savepoint", &id, "s1"]));
    ok(&tx(&["tx", "exec", &id, "create table t2 (a)"]));
    ok(&tx(&["tx", "rollback-to", &id, "s1"]));
    ok(&tx(&[
        "tx",
        "exec",
        &id,
        "insert into notes values (3, 'three')",
    ]));
    let err = fails(&tx(&["tx", "exec", &id, "delete from docs"]), 1);
    assert!(err.contains("can not write virtual table"), "{err}");
    ok(&tx(&["tx", "commit", &id]));
    assert_eq!(sqlite3(&db, "select id from notes"), "2\n3\n");
    assert_eq!(
        count(
            &db,
            "select count(*) from sqlite_master where name in ('t1', 't2')"
        ),
        0
    );
    assert_eq!(sqlite3(&db, "select title from docs"), "alpha\n");

    sqlite3(&db, "DROP TRIGGER docs_fts_data_counts_insert");
    let g = group(&s, "d.db", &["update", "d.db", "docs", "1", "title=gamma"]);
    assert_index_matches(&db, "docs_fts", "docs", &["title", "body"], WORDS);
    ok(&undo(&s, "d.db", g));
    assert_eq!(sqlite3(&db, "select title from docs"), "alpha\n");
    assert_index_matches(&db, "docs_fts", "docs", &["title", "body"], WORDS);
}

/// The same database, its schema changed by another connection while a
/// write waits for the lock: the writer loads the new schema (with the
/// trigger on a shadow table) once it holds the lock, instead of failing
/// "malformed database schema".
#[test]
fn a_schema_changed_while_waiting_for_the_lock_is_loaded() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, SQLITE_UTILS_FTS5);
    sqlite3(
        &db,
        r#"CREATE TABLE notes (id INTEGER PRIMARY KEY, t TEXT);
        CREATE TABLE "_counts"("table" TEXT PRIMARY KEY, count INTEGER DEFAULT 0);
        CREATE TRIGGER "docs_fts_data_counts_insert" AFTER INSERT ON "docs_fts_data"
        BEGIN SELECT 1; END;"#,
    );
    let other = rusqlite::Connection::open(&db).unwrap();
    other
        .execute_batch("BEGIN IMMEDIATE; CREATE TABLE later (a);")
        .unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"))
        .args(["insert", "d.db", "notes", "id:=1", "t=hi"])
        .env("HOME", s.dir.path())
        .current_dir(s.dir.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The writer opens the database and waits for the lock.
    std::thread::sleep(std::time::Duration::from_millis(500));
    other.execute_batch("COMMIT").unwrap();
    ok(&child.wait_with_output().unwrap());
    assert_eq!(sqlite3(&db, "select id, t from notes"), "1|hi\n");
}

/// Two FTS tables, one's name a prefix of the other's (`search` and
/// `search_titles`): a trigger on `search_titles_data` blocks writes to
/// `search_titles` only. SQLite gives a shadow table to the virtual table
/// named before its last `_`; `search` is written and undone as usual.
#[test]
fn a_shadow_trigger_blocks_only_the_fts_table_that_owns_the_shadow_table() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(
        &db,
        r#"CREATE VIRTUAL TABLE search USING fts5(body);
        CREATE VIRTUAL TABLE search_titles USING fts5(title);
        CREATE TABLE "_counts"("table" TEXT PRIMARY KEY, count INTEGER DEFAULT 0);
        CREATE TRIGGER "search_titles_data_counts_insert" AFTER INSERT ON "search_titles_data"
        BEGIN
            INSERT OR REPLACE INTO "_counts" VALUES ('search_titles_data',
                COALESCE((SELECT count FROM "_counts" WHERE "table" = 'search_titles_data'), 0) + 1);
        END;"#,
    );
    let before = user_state(&db);
    let err = fails(
        &s.run(&["insert", "d.db", "search_titles", "title=hello"], None),
        1,
    );
    assert!(
        err.contains("can not write virtual table \"search_titles\"")
            && err.contains("shadow table \"search_titles_data\""),
        "{err}"
    );
    assert_eq!(user_state(&db), before);
    let g = group(
        &s,
        "d.db",
        &["insert", "d.db", "search", "body=hello world"],
    );
    assert_eq!(
        sqlite3(&db, "select body from search where search match 'hello'"),
        "hello world\n"
    );
    ok(&undo(&s, "d.db", g));
    assert_eq!(count(&db, "select count(*) from search"), 0);
}

/// FTS tables `search` and `search_titles` (one's name a prefix of the
/// other's), written in either order in one job: every write is recorded
/// against its own table and undo puts both back exactly. The shadow
/// tables of `search_titles` were taken for `search`'s, so once `search`
/// was written, later writes to `search_titles` went unrecorded.
#[test]
fn fts_tables_whose_names_share_a_prefix_are_recorded_apart() {
    for module in ["fts5", "fts4"] {
        let s = Sandbox::new();
        let db = s.path("d.db");
        sqlite3(
            &db,
            &format!(
                "CREATE VIRTUAL TABLE search USING {module}(body);
                CREATE VIRTUAL TABLE search_titles USING {module}(title);
                INSERT INTO search_titles VALUES ('zero');"
            ),
        );
        let before = user_state(&db);
        let g = group(
            &s,
            "d.db",
            &[
                "query",
                "d.db",
                "insert into search_titles values ('one'); insert into search values ('a'); \
                 insert into search_titles values ('two'); insert into search values ('b')",
            ],
        );
        assert_eq!(
            sqlite3(&db, "select title from search_titles order by rowid"),
            "zero\none\ntwo\n"
        );
        ok(&undo(&s, "d.db", g));
        assert_eq!(user_state(&db), before, "{module}");
        assert_eq!(
            sqlite3(
                &db,
                "select rowid from search_titles where search_titles match 'two'"
            ),
            "",
            "{module}"
        );
    }
}

/// A virtual table renamed in a job (FTS5, FTS4, R*Tree, external-content
/// FTS5) is recorded as a rename, and undo renames it back with its rows.
/// It was recorded as a drop of the old table (without its rows) and a
/// create of the new one, so undo dropped the rows for good, exit 0.
#[test]
fn undo_of_a_renamed_virtual_table_keeps_its_rows() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(
        &db,
        "CREATE VIRTUAL TABLE ft USING fts5(x);
        INSERT INTO ft VALUES ('hello');
        CREATE VIRTUAL TABLE f4 USING fts4(x);
        INSERT INTO f4 VALUES ('four');
        CREATE VIRTUAL TABLE rt USING rtree(id, a, b);
        INSERT INTO rt VALUES (1, 0, 1);
        CREATE TABLE ext (id INTEGER PRIMARY KEY, body TEXT);
        INSERT INTO ext VALUES (1, 'alpha');
        CREATE VIRTUAL TABLE ex USING fts5(body, content='ext', content_rowid='id');
        INSERT INTO ex(ex) VALUES ('rebuild');",
    );
    let before = user_state(&db);
    let g = group(
        &s,
        "d.db",
        &[
            "query",
            "d.db",
            "alter table ft rename to ft2; insert into ft2 values ('world'); \
             alter table f4 rename to f42; alter table rt rename to rt2; \
             alter table ex rename to ex2",
        ],
    );
    let ops = sqlite3(
        &db,
        &format!("select op || ' ' || tbl from _litewrite_changes where group_id = {g} and op in ('create', 'drop', 'rename') order by id"),
    );
    assert_eq!(ops, "rename ft2\nrename f42\nrename rt2\nrename ex2\n");
    ok(&undo(&s, "d.db", g));
    assert_eq!(user_state(&db), before);
    assert_eq!(
        sqlite3(&db, "select rowid from ft where ft match 'hello'"),
        "1\n"
    );
    assert_eq!(
        sqlite3(&db, "select rowid from ex where ex match 'alpha'"),
        "1\n"
    );
}

/// Another connection adds a trigger on an FTS shadow table while a write
/// waits for the lock: the write that reaches the FTS table through the
/// content table's trigger is refused naming that trigger (exit 1), as it
/// is when the trigger was there before, and the database is left as it
/// was. The list of such triggers was read at open, before the lock.
#[test]
fn a_shadow_trigger_added_while_waiting_for_the_lock_is_seen() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, SQLITE_UTILS_FTS5);
    sqlite3(&db, "INSERT INTO docs VALUES (1, 'alpha', 'beta');");
    for args in [
        &["insert", "d.db", "docs", "id:=2", "title=x", "body=y"][..],
        &["delete", "d.db", "docs", "1"][..],
    ] {
        let before = user_state(&db);
        let other = rusqlite::Connection::open(&db).unwrap();
        other
            .execute_batch(
                r#"BEGIN IMMEDIATE;
                CREATE TABLE "_counts"("table" TEXT PRIMARY KEY, count INTEGER DEFAULT 0);
                CREATE TRIGGER "docs_fts_data_counts_insert" AFTER INSERT ON "docs_fts_data"
                BEGIN
                    INSERT OR REPLACE INTO "_counts" VALUES ('docs_fts_data',
                        COALESCE((SELECT count FROM "_counts" WHERE "table" = 'docs_fts_data'), 0) + 1);
                END;"#,
            )
            .unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"))
            .args(args)
            .env("HOME", s.dir.path())
            .current_dir(s.dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The writer opens the database and waits for the lock.
        std::thread::sleep(std::time::Duration::from_millis(500));
        other.execute_batch("COMMIT").unwrap();
        let err = fails(&child.wait_with_output().unwrap(), 1);
        assert!(
            err.contains("can not write virtual table \"docs_fts\"")
                && err.contains("trigger \"docs_fts_data_counts_insert\""),
            "{args:?}: {err}"
        );
        other
            .execute_batch(r#"DROP TRIGGER "docs_fts_data_counts_insert"; DROP TABLE "_counts";"#)
            .unwrap();
        assert_eq!(user_state(&db), before, "{args:?}");
    }
}

// ---------------------------------------------------------------- item 3

#[test]
fn replace_by_sql_is_recorded_and_undone() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    group(
        &s,
        "r.db",
        &[
            "insert",
            "r.db",
            "t",
            "--pk",
            "id",
            "id:=1",
            "name=original",
        ],
    );
    let g = group(
        &s,
        "r.db",
        &[
            "query",
            "r.db",
            "insert or replace into t values (1, 'replaced')",
        ],
    );
    ok(&undo(&s, "r.db", g));
    assert_eq!(sqlite3(&db, "select id, name from t"), "1|original\n");
}

#[test]
fn insert_replace_over_a_secondary_unique_index_is_undone_exactly() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(
        &db,
        "create table u(id integer primary key, email text unique, n text);
         insert into u values (1, 'a@x', 'one'), (2, 'b@x', 'two');",
    );
    let before = user_state(&db);
    let g = group(
        &s,
        "r.db",
        &[
            "insert",
            "r.db",
            "u",
            "--replace",
            "id:=2",
            "email=a@x",
            "n=both",
        ],
    );
    assert_eq!(sqlite3(&db, "select id, email, n from u"), "2|a@x|both\n");
    let ops: Vec<String> = show(&s, "r.db", g)
        .iter()
        .map(|c| c["op"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ops.contains(&"delete".to_string()),
        "row 1 deleted by REPLACE is recorded: {ops:?}"
    );
    ok(&undo(&s, "r.db", g));
    assert_eq!(user_state(&db), before);
}

#[test]
fn on_conflict_replace_in_the_schema_is_undone_exactly() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(
        &db,
        "create table u(id integer primary key, email text unique on conflict replace, n text);
         insert into u values (1, 'a@x', 'one');",
    );
    let before = user_state(&db);
    let g = group(
        &s,
        "r.db",
        &["insert", "r.db", "u", "id:=5", "email=a@x", "n=five"],
    );
    assert_eq!(sqlite3(&db, "select id, n from u"), "5|five\n");
    ok(&undo(&s, "r.db", g));
    assert_eq!(user_state(&db), before);
}

#[test]
fn enable_counts_triggers_replacing_their_row_are_undone_exactly() {
    let s = Sandbox::new();
    let db = s.path("d.db");
    sqlite3(&db, SQLITE_UTILS_FTS5);
    sqlite3(&db, SQLITE_UTILS_COUNTS);
    sqlite3(&db, "insert into docs values (1, 'alpha', 'beta')");
    let before = user_state(&db);
    let mut c = s.cmd();
    c.args(["insert", "d.db", "docs", "-"]).write_stdin(
        (2..=40)
            .map(|i| format!("{{\"id\": {i}, \"title\": \"gamma\", \"body\": \"n{i}\"}}\n"))
            .collect::<String>(),
    );
    ok(&c.output().unwrap());
    let g_insert = newest(&s, "d.db").unwrap();
    let g_delete = group(
        &s,
        "d.db",
        &["delete", "d.db", "docs", "--where", "id <= 10"],
    );
    assert_eq!(sqlite3(&db, "select count from _counts"), "30\n");
    ok(&undo(&s, "d.db", g_delete));
    assert_eq!(sqlite3(&db, "select count from _counts"), "40\n");
    ok(&undo(&s, "d.db", g_insert));
    assert_eq!(
        sqlite3(&db, "select \"table\", count from _counts"),
        "docs|1\n"
    );
    assert_eq!(user_state(&db), before);
    assert_index_matches(
        &db,
        "docs_fts",
        "docs",
        &["title", "body"],
        &["alpha", "gamma"],
    );
}

// ---------------------------------------------------------------- item 6

#[test]
fn infinities_nan_and_invalid_utf8_round_trip_through_undo() {
    let s = Sandbox::new();
    let db = s.path("x.db");
    sqlite3(
        &db,
        "create table x(id integer primary key, f real, t text, b blob)",
    );
    let exact = |db: &Path| {
        sqlite3(
            db,
            "select id, f, typeof(f), hex(t), typeof(t), hex(b) from x order by id",
        )
    };
    let empty = exact(&db);
    let g_ins = group(
        &s,
        "x.db",
        &["query", "x.db", "insert into x values (1, 1e999, cast(x'ff41' as text), x'00ff'), (2, -1e999, cast(x'c328' as text), null), (3, 0.0/0.0, 'ok', x'')"],
    );
    let inserted = exact(&db);
    assert!(
        inserted.contains("Inf|real|FF41|text") && inserted.contains("-Inf|real|C328|text"),
        "{inserted}"
    );
    let g_upd = group(
        &s,
        "x.db",
        &[
            "query",
            "x.db",
            "update x set f = -f, t = cast(x'80' as text) where id in (1, 2)",
        ],
    );
    let g_del = group(&s, "x.db", &["delete", "x.db", "x", "--all"]);
    assert_eq!(count(&db, "select count(*) from x"), 0);
    ok(&undo(&s, "x.db", g_del));
    ok(&undo(&s, "x.db", g_upd));
    assert_eq!(exact(&db), inserted);
    // The values are tagged, readable JSON in the records.
    let shown = show(&s, "x.db", g_upd);
    assert!(
        shown
            .iter()
            .any(|c| c["before"]["f"] == json!({"$real": "Infinity"})),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|c| c["before"]["t"] == json!({"$text": true, "encoded": "/0E="})),
        "{shown:?}"
    );
    ok(&undo(&s, "x.db", g_ins));
    assert_eq!(exact(&db), empty);
}

#[test]
fn an_image_that_can_not_be_read_back_is_an_error_naming_the_change() {
    let s = Sandbox::new();
    let db = s.path("x.db");
    group(
        &s,
        "x.db",
        &["insert", "x.db", "t", "--pk", "id", "id:=1", "v=a"],
    );
    let g = group(&s, "x.db", &["delete", "x.db", "t", "1"]);
    let id = count(
        &db,
        &format!("select id from _litewrite_changes where group_id = {g} and op = 'delete'"),
    );
    sqlite3(
        &db,
        &format!(
            "update _litewrite_changes set before = '[1, {{\"$real\": \"lots\"}}]' where id = {id}"
        ),
    );
    let err = fails(&undo(&s, "x.db", g), 1);
    assert!(err.contains(&format!("change {id}")), "{err}");
    assert_eq!(count(&db, "select count(*) from t"), 0, "nothing restored");
    let err = fails(&s.run(&["show", "x.db", &g.to_string()], None), 1);
    assert!(err.contains(&format!("change {id}")), "{err}");
}

// ---------------------------------------------------------------- item 7

#[test]
fn a_user_column_named_rowid_does_not_fool_capture() {
    let s = Sandbox::new();
    let db = s.path("c.db");
    // A CSV exported with `select rowid, *`.
    s.write("a.csv", "rowid,name\n1,ann\n2,ben\n");
    s.write("b.csv", "rowid,name\n1,cy\n2,dee\n");
    group(&s, "c.db", &["insert", "c.db", "people", "a.csv"]);
    let g = group(&s, "c.db", &["insert", "c.db", "people", "b.csv"]);
    assert_eq!(count(&db, "select count(*) from people"), 4);
    ok(&undo(&s, "c.db", g));
    assert_eq!(
        sqlite3(
            &db,
            "select _rowid_, rowid, name from people order by _rowid_"
        ),
        "1|1|ann\n2|2|ben\n"
    );
}

// ---------------------------------------------------------------- item 8

#[test]
fn a_temp_table_shadowing_a_main_table_does_not_confuse_capture() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, v text); insert into t values (1, 'a')",
    );
    let before = user_state(&db);
    let g = group(
        &s,
        "t.db",
        &["query", "t.db", "create temp table t(x, y, z); insert into temp.t values (1, 2, 3); update main.t set v = 'b'; insert into main.t values (2, 'c')"],
    );
    let changes: Vec<Value> = show(&s, "t.db", g)
        .into_iter()
        .filter(|c| c["op"] != "sql")
        .collect();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["after"], json!({"id": 1, "v": "b"}));
    assert_eq!(changes[1]["after"], json!({"id": 2, "v": "c"}));
    ok(&undo(&s, "t.db", g));
    assert_eq!(user_state(&db), before);
}

#[test]
fn the_force_hint_is_only_given_where_force_helps() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    sqlite3(&db, "create table t(id integer primary key, v)");
    let g = group(
        &s,
        "t.db",
        &["insert", "t.db", "t", "--pk", "id", "id:=1", "v=a"],
    );
    group(&s, "t.db", &["update", "t.db", "t", "1", "v=b"]);
    // Changed since: --force helps, and does revert.
    let err = fails(&undo(&s, "t.db", g), 5);
    assert!(err.contains("--force"), "{err}");
    ok(&s.run(&["undo", "t.db", &g.to_string(), "--force"], None));
    assert_eq!(count(&db, "select count(*) from t"), 0);
    // The table is gone: nothing --force could do.
    let g = group(&s, "t.db", &["insert", "t.db", "u", "--pk", "id", "id:=1"]);
    sqlite3(&db, "drop table u");
    let err = fails(&undo(&s, "t.db", g), 5);
    assert!(err.contains("\"u\"") && !err.contains("--force"), "{err}");
    fails(
        &s.run(&["undo", "t.db", &g.to_string(), "--force"], None),
        5,
    );
}

// ---------------------------------------------------------------- item 9

#[test]
fn undo_cascading_into_rows_added_later_is_a_conflict() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    sqlite3(
        &db,
        "create table parent(id integer primary key, n text);
         create table child(id integer primary key, pid integer references parent(id) on delete cascade);",
    );
    let g = group(&s, "f.db", &["insert", "f.db", "parent", "id:=1", "n=p"]);
    group(&s, "f.db", &["insert", "f.db", "child", "id:=10", "pid:=1"]);
    let before = user_state(&db);
    let err = fails(&undo(&s, "f.db", g), 5);
    assert!(err.contains("child") && err.contains("10"), "{err}");
    assert_eq!(user_state(&db), before, "nothing reverted");
    ok(&s.run(&["undo", "f.db", &g.to_string(), "--force"], None));
    assert_eq!(count(&db, "select count(*) from parent"), 0);
    assert_eq!(count(&db, "select count(*) from child"), 0);
}

#[test]
fn cascades_inside_the_group_undo_and_redo_exactly() {
    let s = Sandbox::new();
    let db = s.path("f.db");
    sqlite3(
        &db,
        "create table parent(id integer primary key, n text);
         create table child(id integer primary key, pid integer references parent(id) on delete cascade on update cascade);
         insert into parent values (1, 'a'), (2, 'b');
         insert into child values (10, 1), (11, 1), (12, 2);",
    );
    let before = user_state(&db);
    let g = group(
        &s,
        "f.db",
        &[
            "query",
            "f.db",
            "delete from parent where id = 1; update parent set id = 5 where id = 2",
        ],
    );
    assert_eq!(sqlite3(&db, "select id, pid from child"), "12|5\n");
    let after = user_state(&db);
    ok(&undo(&s, "f.db", g));
    assert_eq!(user_state(&db), before);
    // Undoing the undo redoes the group, cascades and all.
    let u = newest(&s, "f.db").unwrap();
    ok(&undo(&s, "f.db", u));
    assert_eq!(user_state(&db), after);
}

// ---------------------------------------------------------------- item 10

#[test]
fn a_600_column_table_next_to_the_written_one_breaks_nothing() {
    let s = Sandbox::new();
    let db = s.path("w.db");
    let cols: Vec<String> = (0..600).map(|i| format!("c{i} integer")).collect();
    sqlite3(&db, &format!("create table wide(id integer primary key, {}); create table small(id integer primary key, v)", cols.join(", ")));
    let g = group(&s, "w.db", &["insert", "w.db", "small", "id:=1", "v=x"]);
    assert_eq!(sqlite3(&db, "select v from small"), "x\n");
    ok(&undo(&s, "w.db", g));
    assert_eq!(count(&db, "select count(*) from small"), 0);
    // The wide table itself is recorded and undone too.
    let g = group(
        &s,
        "w.db",
        &[
            "query",
            "w.db",
            "insert into wide (id, c0, c599) values (1, 5, 6); update wide set c300 = 7",
        ],
    );
    ok(&undo(&s, "w.db", g));
    assert_eq!(count(&db, "select count(*) from wide"), 0);
}

#[test]
fn errors_quoting_sql_are_cut_short() {
    let s = Sandbox::new();
    let db = s.path("w.db");
    sqlite3(&db, "create table t(a)");
    let long = format!(
        "insert into t values ({}) garbage here",
        vec!["1"; 20000].join(", ")
    );
    let err = fails(&s.run(&["query", "w.db", &long], None), 1);
    assert!(err.len() < 600, "{} characters: {}", err.len(), &err[..200]);
    assert!(err.contains('…'), "{err}");
    assert_eq!(count(&db, "select count(*) from t"), 0);
}

// ------------------------------------------------- compact records (issue 10)

#[test]
fn a_bulk_insert_is_one_range_and_undo_sees_one_changed_row() {
    let s = Sandbox::new();
    let db = s.path("b.db");
    let input: String = (1..=500)
        .map(|i| format!("{{\"id\": {i}, \"v\": \"row {i}\", \"f\": {i}.5}}\n"))
        .collect();
    let mut c = s.cmd();
    c.args(["--json", "insert", "b.db", "t", "-", "--pk", "id"])
        .write_stdin(input);
    let out: Value = serde_json::from_str(&ok(&c.output().unwrap())).unwrap();
    let g = out["group"].as_i64().unwrap();
    assert_eq!(
        rows(&db, &format!("select op, key from _litewrite_changes where group_id = {g} and op not in ('columns', 'create')")),
        vec![json!({"op": "insert-range", "key": "[1,500]"})]
    );
    let inserted: Vec<Value> = show(&s, "b.db", g)
        .into_iter()
        .filter(|c| c["op"] == "insert")
        .collect();
    assert_eq!(inserted.len(), 500);
    assert_eq!(inserted[499]["key"], json!(500));
    assert_eq!(
        inserted[499]["after"],
        json!({"id": 500, "v": "row 500", "f": 500.5})
    );
    // One row changed since: undo refuses, naming the range, and changes nothing.
    sqlite3(&db, "update t set f = 0.5 where id = 250");
    let before = user_state(&db);
    let err = fails(&undo(&s, "b.db", g), 5);
    assert!(err.contains("1 to 500"), "{err}");
    assert_eq!(user_state(&db), before);
    let shown: Vec<Value> = show(&s, "b.db", g)
        .into_iter()
        .filter(|c| c["op"] == "insert")
        .collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0]["note"].as_str().unwrap().contains("changed since"),
        "{shown:?}"
    );
    // A deleted row is a conflict too; put back as inserted, the range undoes.
    sqlite3(&db, "delete from t where id = 250");
    fails(&undo(&s, "b.db", g), 5);
    assert_eq!(count(&db, "select count(*) from t"), 499);
    sqlite3(&db, "insert into t values (250, 'row 250', 250.5)");
    ok(&undo(&s, "b.db", g));
    // The group created the table: undo drops it.
    assert_eq!(
        count(&db, "select count(*) from sqlite_master where name = 't'"),
        0
    );
}

#[test]
fn an_update_records_only_the_columns_it_changed_and_checks_the_whole_row() {
    let s = Sandbox::new();
    let db = s.path("u.db");
    sqlite3(
        &db,
        "create table t(id integer primary key, a, b, c); insert into t values (1, 'a', 'b', 'c')",
    );
    let g = group(&s, "u.db", &["update", "u.db", "t", "1", "b=B"]);
    let rec = rows(
        &db,
        &format!(
            "select before, after from _litewrite_changes where group_id = {g} and op = 'update'"
        ),
    );
    assert_eq!(
        rec,
        vec![json!({"before": "{\"b\":\"b\"}", "after": "{\"b\":\"B\"}"})]
    );
    // Another column changed since: a conflict, though b is as the group left it.
    sqlite3(&db, "update t set c = 'C'");
    fails(&undo(&s, "u.db", g), 5);
    assert_eq!(sqlite3(&db, "select a, b, c from t"), "a|B|C\n");
    sqlite3(&db, "update t set c = 'c'");
    ok(&undo(&s, "u.db", g));
    assert_eq!(sqlite3(&db, "select a, b, c from t"), "a|b|c\n");
}

#[test]
fn a_write_that_changes_nothing_records_nothing() {
    let s = Sandbox::new();
    let db = s.path("n.db");
    group(
        &s,
        "n.db",
        &["insert", "n.db", "t", "--pk", "id", "id:=1", "v=a"],
    );
    let groups = count(&db, "select count(*) from _litewrite_groups");
    let changes = count(&db, "select count(*) from _litewrite_changes");
    ok(&s.run(&["upsert", "n.db", "t", "id:=1", "v=a"], None));
    ok(&s.run(&["insert", "n.db", "t", "--replace", "id:=1", "v=a"], None));
    ok(&s.run(
        &[
            "query",
            "n.db",
            "update t set v = 'a'; insert or replace into t values (1, 'a')",
        ],
        None,
    ));
    assert_eq!(
        count(&db, "select count(*) from _litewrite_changes"),
        changes
    );
    assert_eq!(count(&db, "select count(*) from _litewrite_groups"), groups);
}

// --------------------------------------------------- transactions (tx holder)

#[test]
fn a_held_transaction_is_one_group_that_undoes_exactly() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    sqlite3(&db, SQLITE_UTILS_FTS5);
    sqlite3(&db, "insert into docs values (1, 'alpha', 'beta')");
    let before = user_state(&db);
    let id = ok(&s.run(
        &[
            "tx", "begin", "t.db", "--write", "docs", "--write", "docs_fts",
        ],
        None,
    ))
    .trim()
    .to_string();
    ok(&s.run(
        &[
            "tx",
            "exec",
            &id,
            "insert or replace into docs values (1, 'gamma', 'delta')",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "insert",
            "--tx",
            &id,
            "t.db",
            "docs",
            "id:=2",
            "title=omega",
            "body=alpha",
        ],
        None,
    ));
    ok(&s.run(&["tx", "commit", &id], None));
    let g = newest(&s, "t.db").unwrap();
    assert_eq!(
        count(
            &db,
            &format!("select count(*) from _litewrite_groups where id = {g} and tx is not null")
        ),
        1
    );
    // (REPLACE's implicit delete fires no delete trigger, so the index is
    // stale now: the sqlite-utils triggers' own limit. Undo rebuilds it.)
    ok(&undo(&s, "t.db", g));
    assert_eq!(user_state(&db), before);
    assert_index_matches(&db, "docs_fts", "docs", &["title", "body"], WORDS);
}

// ------------------------------------------------ groups of an earlier version

/// The tool's tables as record format 1 (schema version 1) left them.
const V1_SCHEMA: &str = "
CREATE TABLE _litewrite_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE _litewrite_groups (id INTEGER PRIMARY KEY, time TEXT NOT NULL, actor TEXT NOT NULL,
  message TEXT, command TEXT NOT NULL, command_line TEXT, tx TEXT, undo_of INTEGER,
  first_change INTEGER, last_change INTEGER);
CREATE TABLE _litewrite_changes (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, tbl TEXT NOT NULL,
  op TEXT NOT NULL, key TEXT, before TEXT, after TEXT, sql TEXT);
CREATE TABLE _litewrite_audit (id INTEGER PRIMARY KEY, time TEXT NOT NULL, event TEXT NOT NULL,
  actor TEXT NOT NULL, message TEXT, database TEXT, tbl TEXT, rows INTEGER, keys TEXT, sql TEXT,
  params TEXT, outcome TEXT NOT NULL, error TEXT, group_id INTEGER, tx TEXT, prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
INSERT INTO _litewrite_meta VALUES ('schema_version', '1');
";

#[test]
fn groups_recorded_by_the_previous_format_still_show_and_undo() {
    let s = Sandbox::new();
    let db = s.path("v1.db");
    sqlite3(&db, V1_SCHEMA);
    sqlite3(
        &db,
        r#"CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT);
        INSERT INTO u VALUES (1, 'ANN'), (3, 'cy');
        INSERT INTO _litewrite_groups VALUES
          (1, '2026-01-01T00:00:00Z', 'old', NULL, 'update', 'litewrite update', NULL, NULL, 1, 2),
          (2, '2026-01-02T00:00:00Z', 'old', NULL, 'insert', 'litewrite insert', NULL, NULL, 3, 3);
        INSERT INTO _litewrite_changes VALUES
          (1, 1, 'u', 'update', '1', '{"id":1,"name":"ann"}', '{"id":1,"name":"ANN"}', NULL),
          (2, 1, 'u', 'delete', '2', '{"id":2,"name":"ben"}', NULL, NULL),
          (3, 2, 'u', 'insert', '3', NULL, '{"id":3,"name":"cy"}', NULL);"#,
    );
    let shown = show(&s, "v1.db", 1);
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[0]["before"], json!({"id": 1, "name": "ann"}));
    assert_eq!(shown[1]["op"], "delete");
    ok(&undo(&s, "v1.db", 2));
    ok(&undo(&s, "v1.db", 1));
    assert_eq!(
        sqlite3(&db, "select id, name from u order by id"),
        "1|ann\n2|ben\n"
    );
    // The database is now at the current schema version, with both formats in it.
    let history: Value =
        serde_json::from_str(&ok(&s.run(&["history", "v1.db", "--json"], None))).unwrap();
    assert_eq!(history.as_array().unwrap().len(), 4);
    assert!(
        count(
            &db,
            "select count(*) from _litewrite_groups where format = 2"
        ) >= 2
    );
}

#[test]
fn a_table_whose_columns_hide_every_rowid_name_fails_clearly_on_undo() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(&db, "create table r(rowid, _rowid_, oid, name)");
    let g = group(
        &s,
        "r.db",
        &[
            "insert",
            "r.db",
            "r",
            "rowid:=5",
            "_rowid_:=6",
            "oid:=7",
            "name=x",
        ],
    );
    let err = fails(&undo(&s, "r.db", g), 5);
    assert!(
        err.contains("\"r\"") && err.contains("rowid, _rowid_ and oid"),
        "{err}"
    );
    assert_eq!(count(&db, "select count(*) from r"), 1);
}

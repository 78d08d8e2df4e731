//! "Nothing lost" (issue 7): the database file and what a job reports.
//! The `.db` file alone holds every committed write when litewrite exits;
//! journal modes are kept; `journal-mode` / `synchronous` in plugins.toml;
//! `--batch-size` into a new table; the audit file sink around COMMIT;
//! `prune`; and `log-parameters = false` in the change groups.

mod common;
use common::*;

use std::path::Path;

use serde_json::{json, Value};

fn journal_mode(db: &Path) -> String {
    sqlite3(db, "pragma journal_mode").trim().to_string()
}

fn json_out(o: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

// ---------------------------------------------------------------- item 13

#[test]
fn the_db_file_alone_holds_every_write_when_litewrite_exits() {
    let s = Sandbox::new();
    let db = s.path("app.db");
    ok(&s.run(
        &["insert", "app.db", "t", "--pk", "id", "id:=1", "v=a"],
        None,
    ));
    ok(&s.run(&["insert", "app.db", "t", "id:=2", "v=b"], None));
    ok(&s.run(&["update", "app.db", "t", "1", "v=A"], None));
    assert_eq!(
        journal_mode(&db),
        "wal",
        "a database litewrite creates is WAL"
    );
    assert!(
        !s.path("app.db-wal").exists(),
        "the WAL was checkpointed and removed"
    );
    // `cp app.db` elsewhere: the copy holds everything.
    let copy = tempfile::tempdir().unwrap();
    let copied = copy.path().join("app.db");
    std::fs::copy(&db, &copied).unwrap();
    assert_eq!(
        sqlite3(&copied, "select id, v from t order by id"),
        "1|A\n2|b\n"
    );
    assert_eq!(count(&copied, "select count(*) from _litewrite_groups"), 3);
    ok(&s.run(&["audit", "verify", "app.db"], None));
}

#[test]
fn with_a_reader_open_the_wal_holds_the_newest_commits_until_the_last_close() {
    let s = Sandbox::new();
    let db = s.path("app.db");
    ok(&s.run(
        &["insert", "app.db", "t", "--pk", "id", "id:=1", "v=a"],
        None,
    ));
    // A long-lived reader (a dashboard, Datasette) keeps the file open.
    let reader = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = reader
        .query_row("select count(*) from t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    ok(&s.run(&["insert", "app.db", "t", "id:=2", "v=b"], None));
    // The commit is durable and visible, but lives in the WAL for now.
    let wal = s.path("app.db-wal");
    assert!(wal.exists() && std::fs::metadata(&wal).unwrap().len() > 0);
    let n: i64 = reader
        .query_row("select count(*) from t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
    // When the last connection closes, the file alone holds it all again.
    drop(reader);
    let copy = tempfile::tempdir().unwrap();
    let copied = copy.path().join("app.db");
    std::fs::copy(&db, &copied).unwrap();
    assert_eq!(
        sqlite3(&copied, "select id, v from t order by id"),
        "1|a\n2|b\n"
    );
}

#[test]
fn a_rollback_journal_database_keeps_its_mode_unless_the_config_says_wal() {
    let s = Sandbox::new();
    let db = s.path("r.db");
    sqlite3(&db, "create table t(id integer primary key, v)");
    assert_eq!(journal_mode(&db), "delete");
    ok(&s.run(&["insert", "r.db", "t", "id:=1", "v=a"], None));
    assert_eq!(journal_mode(&db), "delete");
    assert_eq!(sqlite3(&db, "select v from t"), "a\n");
    // A dry run changes nothing, journal mode included.
    let bytes = std::fs::read(&db).unwrap();
    ok(&s.run(&["--dry-run", "insert", "r.db", "t", "id:=2", "v=b"], None));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    assert_eq!(journal_mode(&db), "delete");
    // journal-mode = "wal" switches it.
    s.config(
        "journal-mode = \"wal\"\nsynchronous = \"normal\"\n\n[[wrapper]]\nuse = \"change-group\"\n",
    );
    ok(&s.run(&["insert", "r.db", "t", "id:=3", "v=c"], None));
    assert_eq!(journal_mode(&db), "wal");
    assert_eq!(count(&db, "select count(*) from t"), 2);
}

#[test]
fn file_settings_in_plugins_toml_are_checked_strictly() {
    let s = Sandbox::new();
    for (text, key) in [
        ("journal-mode = \"delete\"\n", "journal-mode"),
        ("\nsynchronous = \"off\"\n", "synchronous"),
        ("synchronous = true\n", "synchronous"),
    ] {
        s.config(text);
        let err = fails(&s.run(&["insert", "x.db", "t", "a:=1"], None), 2);
        assert!(
            err.contains("plugins.toml line") && err.contains(key),
            "{text:?}: {err}"
        );
        assert!(!s.path("x.db").exists());
    }
}

// ---------------------------------------------------------------- item 14

#[test]
fn batches_into_a_new_table_all_land_each_its_own_group() {
    let s = Sandbox::new();
    let db = s.path("b.db");
    let input: String = (1..=25)
        .map(|i| format!("{{\"id\": {i}, \"v\": \"r{i}\"}}\n"))
        .collect();
    let mut c = s.cmd();
    c.args([
        "--json",
        "insert",
        "b.db",
        "t",
        "-",
        "--batch-size",
        "10",
        "--pk",
        "id",
    ])
    .write_stdin(input);
    let out = c.output().unwrap();
    let v = json_out(&out);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(v["rows"], 25);
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(3), "{v}");
    assert_eq!(count(&db, "select count(*) from t"), 25);
    assert_eq!(count(&db, "select sum(id) from t"), (1..=25).sum::<i64>());
    assert_eq!(count(&db, "select count(*) from _litewrite_groups"), 3);
}

#[test]
fn an_error_after_committed_batches_says_what_landed() {
    let s = Sandbox::new();
    let db = s.path("b.db");
    // Row 15 repeats key 3: the second batch fails.
    let input: String = (1..=25)
        .map(|i| {
            format!(
                "{{\"id\": {}, \"v\": \"r{i}\"}}\n",
                if i == 15 { 3 } else { i }
            )
        })
        .collect();
    let mut c = s.cmd();
    c.args([
        "--json",
        "insert",
        "b.db",
        "t",
        "-",
        "--batch-size",
        "10",
        "--pk",
        "id",
    ])
    .write_stdin(input);
    let out = c.output().unwrap();
    let err = fails(&out, 1);
    let g = count(&db, "select max(id) from _litewrite_groups");
    assert!(
        err.contains("10 row(s) in earlier batches were committed")
            && err.contains(&format!("change group {g}")),
        "{err}"
    );
    let v = json_out(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["committed"], json!({"rows": 10, "groups": [g]}));
    assert_eq!(count(&db, "select count(*) from t"), 10);
}

// ---------------------------------------------------------------- item 15

#[test]
fn an_audit_file_that_can_not_be_appended_refuses_the_job_before_commit() {
    let s = Sandbox::new();
    let db = s.path("a.db");
    ok(&s.run(&["insert", "a.db", "t", "--pk", "id", "id:=1"], None));
    s.config("[[wrapper]]\nuse = \"audit-log\"\nfile = \"missing-dir/audit.jsonl\"\n");
    let before = user_state(&db);
    let err = fails(&s.run(&["insert", "a.db", "t", "id:=2"], None), 1);
    assert!(
        err.contains("audit.jsonl") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(user_state(&db), before);
}

#[test]
fn an_audit_file_failing_after_commit_is_a_warning_not_a_failure() {
    let s = Sandbox::new();
    let db = s.path("a.db");
    ok(&s.run(&["insert", "a.db", "t", "--pk", "id", "id:=1"], None));
    // /dev/full opens for appending, and every write to it fails.
    s.config("[[wrapper]]\nuse = \"audit-log\"\nfile = \"/dev/full\"\n");
    let out = s.run(&["insert", "a.db", "t", "id:=2"], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning") && stderr(&out).contains("/dev/full"),
        "{}",
        stderr(&out)
    );
    assert_eq!(count(&db, "select count(*) from t"), 2);
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_audit where event = 'insert-rows' and outcome = 'ok'"
        ),
        2
    );
}

// ---------------------------------------------------------------- item 16

fn three_groups(s: &Sandbox) {
    for i in 1..=3 {
        let id = format!("id:={i}");
        ok(&s.run(&["insert", "p.db", "t", "--pk", "id", &id, "v=x"], None));
    }
}

#[test]
fn prune_keep_deletes_the_oldest_groups_and_their_changes() {
    let s = Sandbox::new();
    let db = s.path("p.db");
    three_groups(&s);
    let out = s.run(&["--json", "prune", "p.db", "--keep", "1"], None);
    let v = json_out(&out);
    assert_eq!(code(&out), 0);
    assert_eq!(v["pruned"]["groups"], 2);
    assert_eq!(count(&db, "select count(*) from _litewrite_groups"), 1);
    assert_eq!(count(&db, "select min(id) from _litewrite_groups"), 3);
    assert_eq!(
        count(
            &db,
            "select count(distinct group_id) from _litewrite_changes"
        ),
        1
    );
    assert_eq!(count(&db, "select count(*) from t"), 3, "rows stay");
    fails(&s.run(&["undo", "p.db", "1"], None), 4);
    ok(&s.run(&["undo", "p.db", "3"], None));
    // The prune is audited.
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_audit where event = 'prune' and outcome = 'ok'"
        ),
        1
    );
    ok(&s.run(&["audit", "verify", "p.db"], None));
}

#[test]
fn prune_audit_leaves_a_checkpoint_so_verify_still_verifies() {
    let s = Sandbox::new();
    let db = s.path("p.db");
    let env = [("LITEWRITE_TIME", "2026-01-01T00:00:00.000000Z")];
    for i in 1..=2 {
        let id = format!("id:={i}");
        ok(&run_env(
            &s,
            &env,
            &["insert", "p.db", "t", "--pk", "id", &id],
        ));
    }
    ok(&run_env(
        &s,
        &[("LITEWRITE_TIME", "2026-06-01T00:00:00.000000Z")],
        &["insert", "p.db", "t", "id:=3"],
    ));
    let out = s.run(
        &[
            "--json",
            "prune",
            "p.db",
            "--before",
            "2026-03-01",
            "--audit",
        ],
        None,
    );
    let v = json_out(&out);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(v["pruned"]["groups"], 2);
    // The first insert made two entries (create-table, insert-rows).
    assert_eq!(v["pruned"]["audit_entries"], 3);
    assert_eq!(count(&db, "select min(id) from _litewrite_audit"), 4);
    ok(&s.run(&["audit", "verify", "p.db"], None));
    // Still a chain: deleting another entry is found.
    sqlite3(&db, "delete from _litewrite_audit where id = 4");
    fails(&s.run(&["audit", "verify", "p.db"], None), 1);
}

#[test]
fn prune_usage_errors() {
    let s = Sandbox::new();
    three_groups(&s);
    fails(&s.run(&["prune", "p.db"], None), 2);
    fails(
        &s.run(
            &["prune", "p.db", "--keep", "1", "--before", "2026-01-01"],
            None,
        ),
        2,
    );
    let err = fails(&s.run(&["prune", "p.db", "--before", "last week"], None), 2);
    assert!(err.contains("--before"), "{err}");
    fails(&s.run(&["prune", "nope.db", "--keep", "1"], None), 4);
    assert_eq!(
        count(&s.path("p.db"), "select count(*) from _litewrite_groups"),
        3
    );
}

// ---------------------------------------------------------------- item 17

#[test]
fn log_parameters_false_keeps_values_out_of_the_group_command_line() {
    let s = Sandbox::new();
    let db = s.path("l.db");
    s.config("[[wrapper]]\nuse = \"audit-log\"\nlog-parameters = false\n\n[[wrapper]]\nuse = \"change-group\"\n");
    ok(&s.run(
        &[
            "insert",
            "l.db",
            "t",
            "--pk",
            "id",
            "id:=1",
            "secret=hunter2",
            "pin:=1234",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "l.db",
            "update t set secret = :s",
            "-p",
            "s",
            "swordfish",
        ],
        None,
    ));
    ok(&s.run(&["update", "l.db", "t", "1", "secret=opensesame"], None));
    let lines = sqlite3(
        &db,
        "select command_line from _litewrite_groups order by id",
    );
    for secret in ["hunter2", "1234", "swordfish", "opensesame"] {
        assert!(!lines.contains(secret), "{secret} recorded: {lines}");
    }
    assert!(
        lines.contains("secret=?") && lines.contains("pin:=?") && lines.contains("-p s '?'"),
        "{lines}"
    );
    assert!(lines.contains("--pk id"), "{lines}");
}

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
fn with_another_connection_open_the_db_file_still_holds_every_write() {
    let s = Sandbox::new();
    let db = s.path("app.db");
    ok(&s.run(
        &["insert", "app.db", "t", "--pk", "id", "id:=1", "v=a"],
        None,
    ));
    // A long-lived connection (a dashboard, Datasette) keeps the file open:
    // litewrite is not the last to close, yet its write is in the file.
    let reader = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = reader
        .query_row("select count(*) from t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    let copy = tempfile::tempdir().unwrap();
    let copied = copy.path().join("app.db");
    for (i, cmd) in [
        vec!["insert", "app.db", "t", "id:=2", "v=b"],
        vec!["update", "app.db", "t", "2", "v=B"],
        vec!["query", "app.db", "insert into t values (3, 'c')"],
        vec!["undo", "app.db", "4"],
    ]
    .iter()
    .enumerate()
    {
        ok(&s.run(cmd, None));
        std::fs::copy(&db, &copied).unwrap();
        let expected = ["1|a\n2|b\n", "1|a\n2|B\n", "1|a\n2|B\n3|c\n", "1|a\n2|B\n"][i];
        assert_eq!(
            sqlite3(&copied, "select id, v from t order by id"),
            expected,
            "{cmd:?}"
        );
        std::fs::remove_file(&copied).unwrap();
    }
    // A reader inside a read transaction needs its snapshot of the file:
    // the newest commit stays in the WAL until that transaction ends.
    reader
        .execute_batch("begin; select count(*) from t;")
        .unwrap();
    ok(&s.run(&["insert", "app.db", "t", "id:=4", "v=d"], None));
    let wal = s.path("app.db-wal");
    assert!(wal.exists() && std::fs::metadata(&wal).unwrap().len() > 0);
    reader.execute_batch("commit").unwrap();
    // When the last connection closes, the file alone holds it all again.
    drop(reader);
    std::fs::copy(&db, &copied).unwrap();
    assert_eq!(
        sqlite3(&copied, "select id, v from t order by id"),
        "1|a\n2|B\n4|d\n"
    );
}

/// True when the file's header says WAL (read and write versions 2).
fn header_is_wal(db: &Path) -> bool {
    let bytes = std::fs::read(db).unwrap();
    bytes[18] == 2 && bytes[19] == 2
}

#[test]
fn a_rollback_journal_database_stays_one_through_every_command() {
    for mode in ["delete", "truncate", "persist"] {
        let s = Sandbox::new();
        let db = s.path("r.db");
        sqlite3(
            &db,
            &format!("pragma journal_mode = {mode}; create table t(id integer primary key, v)"),
        );
        let commands: &[&[&str]] = &[
            &["insert", "r.db", "t", "id:=1", "v=a"],
            &["--dry-run", "insert", "r.db", "t", "id:=2", "v=b"],
            &["update", "r.db", "t", "1", "v=A"],
            &["query", "r.db", "select * from t"],
            &["--dry-run", "query", "r.db", "delete from t"],
            &["history", "r.db"],
            &["show", "r.db", "2"],
            &["schema", "r.db"],
            &["audit", "r.db"],
            &["audit", "verify", "r.db"],
            &["undo", "r.db", "2"],
            &["--dry-run", "undo", "r.db", "1"],
            &["prune", "r.db", "--keep", "2"],
            &["create", "r.db", "u", "a:text"],
            &["drop", "r.db", "u"],
        ];
        for cmd in commands {
            ok(&s.run(cmd, None));
            assert!(!header_is_wal(&db), "{mode}: {cmd:?} switched to WAL");
            assert!(!s.path("r.db-wal").exists(), "{mode}: {cmd:?} left a -wal");
            assert_eq!(sqlite3(&db, "pragma integrity_check"), "ok\n");
        }
        assert_eq!(sqlite3(&db, "select id, v from t"), "1|a\n", "{mode}");
        // The file alone holds it: a copy reads the same.
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(&db, copy.path().join("c.db")).unwrap();
        assert_eq!(
            sqlite3(&copy.path().join("c.db"), "select id, v from t"),
            "1|a\n"
        );
    }
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

// ------------------------------------------- files this user can not write

/// Runs litewrite as another OS user who does not own the files: as root
/// (CI), through `setpriv` as nobody; as anyone else, as that user (file
/// modes then bind them the same way).
fn run_as_other_user(s: &Sandbox, args: &[&str]) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_litewrite");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut c = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        std::process::Command::new(bin)
    };
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", "/tmp")
        .env("LITEWRITE_ACTOR", "other")
        .current_dir(s.dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run litewrite")
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_database_this_user_can_not_write_is_a_clear_error_and_stays_as_it_was() {
    let s = Sandbox::new();
    // A directory anyone may write, as /tmp.
    chmod(s.dir.path(), 0o1777);
    // A WAL database (litewrite made it) and a rollback-journal one.
    ok(&s.run(&["insert", "w.db", "t", "id:=1", "v=a"], None));
    sqlite3(
        &s.path("r.db"),
        "create table t(id integer primary key, v); insert into t values (1, 'a')",
    );
    ok(&s.run(&["insert", "r.db", "t", "id:=2", "v=b"], None));
    for db in ["w.db", "r.db"] {
        chmod(&s.path(db), 0o644);
    }
    let before: Vec<Vec<u8>> = ["w.db", "r.db"]
        .iter()
        .map(|d| std::fs::read(s.path(d)).unwrap())
        .collect();
    // Writable directory, read-only files: every write names the file.
    for db in ["w.db", "r.db"] {
        for args in [
            vec!["insert", db, "t", "id:=9", "v=x"],
            vec!["--dry-run", "insert", db, "t", "id:=9", "v=x"],
            vec!["query", db, "delete from t"],
            vec!["undo", db, "1"],
        ] {
            let out = run_as_other_user(&s, &args);
            let err = fails(&out, 1);
            assert!(
                err.contains(&format!(
                    "can not write database {db}: the file is read-only for this user"
                )),
                "{args:?}: {err}"
            );
        }
        // Reads work.
        let out = run_as_other_user(&s, &["query", db, "select count(*) as n from t"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    // A directory this user can not write: a file it may write still
    // needs a journal there.
    let dir = s.path("locked");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(s.path("r.db"), dir.join("r.db")).unwrap();
    std::fs::copy(s.path("w.db"), dir.join("w.db")).unwrap();
    chmod(&dir.join("r.db"), 0o666);
    chmod(&dir.join("w.db"), 0o666);
    chmod(&dir, 0o755);
    let out = run_as_other_user(&s, &["insert", "locked/r.db", "t", "id:=9"]);
    let err = fails(&out, 1);
    assert!(
        err.contains("can not write database locked/r.db: SQLite needs to create locked/r.db-journal in locked, a directory this user can not write"),
        "{err}"
    );
    let out = run_as_other_user(&s, &["insert", "locked/w.db", "t", "id:=9"]);
    let err = fails(&out, 1);
    assert!(
        err.contains("SQLite needs to create locked/w.db-wal in locked"),
        "{err}"
    );
    let out = run_as_other_user(&s, &["insert", "locked/new.db", "t", "id:=9"]);
    let err = fails(&out, 1);
    assert!(
        err.contains(
            "can not create database locked/new.db: this user can not write its directory locked"
        ),
        "{err}"
    );
    assert!(!dir.join("new.db").exists());
    // Reading a WAL database there needs a -shm SQLite can not create: said
    // plainly, with what to do; a rollback-journal one reads fine.
    for args in [
        vec!["query", "locked/w.db", "select * from t"],
        vec!["history", "locked/w.db"],
    ] {
        let err = fails(&run_as_other_user(&s, &args), 1);
        assert!(
            err.contains("can not read database locked/w.db: it is in WAL mode")
                && err.contains("journal_mode = DELETE"),
            "{args:?}: {err}"
        );
    }
    let out = run_as_other_user(&s, &["query", "locked/r.db", "select count(*) as n from t"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "[\n{\"n\":2}\n]\n");
    // Nothing changed anywhere.
    let after: Vec<Vec<u8>> = ["w.db", "r.db"]
        .iter()
        .map(|d| std::fs::read(s.path(d)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(std::fs::read(dir.join("r.db")).unwrap(), before[1]);
    assert!(!dir.join("w.db-wal").exists() && !dir.join("r.db-journal").exists());
}

#[test]
fn an_import_killed_midway_leaves_all_or_nothing() {
    let s = Sandbox::new();
    let db = s.path("k.db");
    ok(&s.run(
        &["insert", "k.db", "t", "--pk", "id", "id:=-1", "name=seed"],
        None,
    ));
    let rows: String = (0..300_000)
        .map(|i| format!("{{\"id\": {i}, \"name\": \"row {i} with some padding\"}}\n"))
        .collect();
    s.write("big.ndjson", &rows);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"))
        .args(["insert", "k.db", "t", "big.ndjson"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", s.dir.path())
        .env("LITEWRITE_ACTOR", "tester")
        .current_dir(s.dir.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn litewrite");
    // SIGKILL once the write is under way (its WAL holds a few MB), or
    // whenever it ends first: either way the file must hold all or nothing.
    let wal = s.path("k.db-wal");
    while child.try_wait().unwrap().is_none()
        && std::fs::metadata(&wal).map_or(0, |m| m.len()) < 4 << 20
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    child.wait().unwrap();
    let n = count(&db, "select count(*) from t");
    assert!(n == 1 || n == 300_001, "{n} rows: neither all nor none");
    assert_eq!(sqlite3(&db, "pragma integrity_check"), "ok\n");
    ok(&s.run(&["audit", "verify", "k.db"], None));
    let groups = count(&db, "select count(*) from _litewrite_groups");
    assert_eq!(groups, if n == 1 { 1 } else { 2 });
}

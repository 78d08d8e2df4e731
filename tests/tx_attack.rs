//! Held transactions attacked after issues 8 and 9 were merged: routes to
//! the same broken states that the issue's own reproductions did not take.
//! Each test names the finding it pins down; every one runs the real
//! binary, checks exact exit codes and reads the database afterwards.
//!
//! Every test has its own `XDG_RUNTIME_DIR` inside its sandbox and ends
//! what it begins.

mod common;
use common::tx::*;
use common::*;

/// A parent table `p` (rows 1 and 2) and a child `c` whose key to it SQLite
/// checks at once.
fn parent_and_child(t: &Tx, db: &str) {
    sqlite3(
        &t.db(db),
        "create table p (id integer primary key);
         insert into p values (1), (2);
         create table c (id integer primary key, pid integer references p (id));",
    );
}

/// Finding: a request that deferred foreign keys and left a violation
/// failed, but returned before setting any setting back, so
/// `defer_foreign_keys` stayed on for every later request: their
/// violations were no longer reported where they happened.
#[test]
fn a_request_failing_on_a_deferred_violation_leaves_no_setting_behind() {
    let t = Tx::new();
    parent_and_child(&t, "d.db");
    let id = t.begin("d.db", &["--write", "c", "--read", "p"]);
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "pragma defer_foreign_keys = 1; insert into c values (1, 99)",
            ],
            None,
        ),
        1,
    );
    assert!(
        err.contains("FOREIGN KEY constraint failed") && err.contains("holds 99"),
        "{err}"
    );
    let setting = t.exec(&id, "pragma defer_foreign_keys");
    assert_eq!(setting[0]["defer_foreign_keys"], 0, "{setting}");
    // A later violation fails where it happens, whatever route it takes.
    let err = fails(
        &t.run(&["tx", "exec", &id, "insert into c values (2, 98)"], None),
        1,
    );
    assert!(err.contains("holds 98"), "{err}");
    fails(
        &t.run(
            &["insert", "--tx", &id, "d.db", "c", "id:=3", "pid:=97"],
            None,
        ),
        1,
    );
    // The transaction goes on: a good row and a commit.
    t.exec(&id, "insert into c values (4, 2)");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "c"), vec![4]);
}

/// Finding: when COMMIT itself failed (a deferred foreign key), the audit
/// entries of the transaction's earlier failures were written inside the
/// transaction the failed COMMIT rolled back, and the failed commit was
/// recorded nowhere; later commands said "does not exist".
#[test]
fn a_failed_commit_is_audited_with_the_failures_before_it_and_later_commands_say_why() {
    let t = Tx::new();
    sqlite3(
        &t.db("d.db"),
        "create table p (id integer primary key);
         create table c (id integer primary key,
                         pid integer references p (id) deferrable initially deferred);",
    );
    let id = t.begin("d.db", &["--write", "c", "--write", "p"]);
    t.exec(&id, "insert into p values (5)");
    fails(
        &t.run(&["tx", "exec", &id, "insert into nosuch values (1)"], None),
        1,
    );
    t.exec(&id, "insert into c values (3, 97)");
    let err = fails(&t.run(&["tx", "commit", &id], None), 1);
    assert!(
        err.contains("holds 97") && err.contains("nothing in it was committed"),
        "{err}"
    );
    assert_eq!(ids(&t, "d.db", "p"), Vec::<i64>::new());
    assert_eq!(ids(&t, "d.db", "c"), Vec::<i64>::new());
    let entries = rows(
        &t.db("d.db"),
        &format!("select sql, outcome from _litewrite_audit where tx = '{id}' order by id"),
    );
    assert_eq!(
        entries,
        vec![
            serde_json::json!({"sql": "insert into nosuch values (1)", "outcome": "error"}),
            serde_json::json!({"sql": "COMMIT", "outcome": "error"}),
        ]
    );
    ok(&t.run(&["audit", "verify", "d.db"], None));
    for args in [
        vec!["tx", "commit", &id],
        vec!["tx", "status", &id],
        vec!["tx", "exec", &id, "select 1"],
    ] {
        let err = fails(&t.run(&args, None), 7);
        assert!(err.contains("holds 97"), "{args:?}: {err}");
    }
    assert!(!t.listed().contains(&id));
    // The lock went with it.
    ok(&t.run(&["insert", "d.db", "p", "id:=1"], None));
}

/// Finding: `--dry-run` inside a held transaction printed no changes (the
/// transaction's group is closed only at commit), so a dry run there showed
/// nothing of what it would do.
#[test]
fn a_dry_run_inside_a_transaction_shows_its_changes_and_leaves_nothing() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(&["insert", "d.db", "t", "id:=1", "name=a"], None));
    let id = t.begin("d.db", &["--write", "t"]);
    let dry = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json", "--dry-run", "--tx", &id];
        all.extend_from_slice(args);
        let out = ok(&t.run(&all, None));
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        v["changes"].clone()
    };
    let changes = dry(&["insert", "d.db", "t", "id:=3", "name=dry"]);
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert_eq!(changes[0]["op"], "insert");
    assert_eq!(
        changes[0]["after"],
        serde_json::json!({"id": 3, "name": "dry"})
    );
    // After a kept command, a dry run shows its own changes only.
    ok(&t.run(
        &["insert", "--tx", &id, "d.db", "t", "id:=4", "name=real"],
        None,
    ));
    let changes = dry(&["update", "d.db", "t", "1", "name=changed"]);
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert_eq!(changes[0]["before"]["name"], "a");
    assert_eq!(changes[0]["after"]["name"], "changed");
    let changes = dry(&["query", "d.db", "delete from t"]);
    let keys: Vec<_> = changes
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["op"].clone(), c["key"].clone()))
        .collect();
    assert_eq!(
        keys,
        vec![("delete".into(), 1.into()), ("delete".into(), 4.into())]
    );
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), vec![1, 4]);
    let names = rows(&t.db("d.db"), "select name from t order by id");
    assert_eq!(names[0]["name"], "a");
    // The transaction's group holds the kept insert only.
    let group = count(
        &t.db("d.db"),
        &format!("select id from _litewrite_groups where tx = '{id}'"),
    );
    assert_eq!(
        row_changes(&t.db("d.db"), group),
        [("insert".to_string(), 1)].into_iter().collect()
    );
}

/// The pid of a transaction's holder, from `tx status --json`.
fn holder_pid(t: &Tx, id: &str) -> i32 {
    let v = t.json(&["tx", "status", id, "--json"]);
    v["tx"]["pid"]
        .as_i64()
        .unwrap_or_else(|| panic!("no pid in {v}")) as i32
}

/// True once process `pid` has exited (gone, or a zombie nobody reaped).
fn exited(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.trim_start().starts_with(['Z', 'X']))
            .unwrap_or(false),
    }
}

/// SIGKILLs a holder this test began (if it still runs) and waits until
/// it has exited.
fn kill_holder(pid: i32, id: &str) {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let cmdline = String::from_utf8_lossy(&cmdline);
    if !(cmdline.contains("__tx-holder") && cmdline.contains(id)) {
        return;
    }
    // SAFETY: plain kill(2) of a process this test started.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    while !exited(pid) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// Finding: a holder killed while it committed a large transaction (after
/// COMMIT, while it folded the WAL into the file) left `tx commit` saying
/// "died before it committed ... nothing in it was committed" (exit 7), or
/// "its holder stopped" (exit 4), though every row had landed.
#[test]
fn a_holder_killed_mid_commit_never_says_rolled_back_when_the_commit_landed() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let rows: String = (0..100_000)
        .map(|i| format!("{{\"id\":{i},\"name\":\"{}\"}}\n", "x".repeat(80)))
        .collect();
    // Killed once COMMIT has succeeded; then killed as soon as it began.
    for (round, marker) in ["committed", "committing"].into_iter().enumerate() {
        let id = t.begin("d.db", &["--write", "t"]);
        ok(&t.run(&["insert", "--tx", &id, "d.db", "t", "-"], Some(&rows)));
        let pid = holder_pid(&t, &id);
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", t.s.dir.path())
            .env("XDG_RUNTIME_DIR", &t.rt)
            .current_dir(t.s.dir.path())
            .args(["tx", "commit", &id])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn tx commit");
        let path = t.sock_dir().join(format!("{id}.{marker}"));
        while !path.exists() && !exited(pid) {
            std::thread::yield_now();
        }
        kill_holder(pid, &id);
        let out = child.wait_with_output().expect("wait tx commit");
        let err = stderr(&out);
        let landed = count(&t.db("d.db"), "select count(*) from t");
        // All or nothing, and the client says which.
        if marker == "committed" || landed > 0 {
            assert_eq!(landed, 100_000, "{marker}");
            assert_eq!(code(&out), 0, "{marker}: {err}");
            let later = fails(&t.run(&["tx", "status", &id], None), 4);
            assert!(later.contains("committed"), "{later}");
            ok(&t.run(&["audit", "verify", "d.db"], None));
            ok(&t.run(&["query", "d.db", "delete from t"], None));
        } else {
            assert_eq!(code(&out), 7, "{marker}: {err}");
            assert!(err.contains("nothing in it was committed"), "{err}");
            let later = fails(&t.run(&["tx", "status", &id], None), 7);
            assert!(later.contains("died"), "{later}");
        }
        assert!(!t.listed().contains(&id), "round {round}");
    }
}

/// The same finding by the route a test can not time: a holder killed
/// while its COMMIT ran leaves its files and the `committing` marker; the
/// next command tells from the database what became of it.
#[test]
fn a_holder_that_died_during_commit_is_judged_by_the_database() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    for (recorded, say) in [
        ("recorded", "nothing in it was committed"),
        ("", "whether the commit landed is not known"),
    ] {
        let id = t.begin("d.db", &["--write", "t"]);
        t.exec(&id, "insert into t values (1, 'x')");
        let pid = holder_pid(&t, &id);
        // The holder leaves the marker just before COMMIT; it dies with
        // the COMMIT not done.
        std::fs::write(t.sock_dir().join(format!("{id}.committing")), recorded).unwrap();
        kill_holder(pid, &id);
        let err = fails(&t.run(&["tx", "commit", &id], None), 7);
        assert!(err.contains("died") && err.contains(say), "{err}");
        assert_eq!(ids(&t, "d.db", "t"), Vec::<i64>::new());
    }
    // Its COMMIT done (the audit log holds its entry), then killed: the
    // commit is reported as the success it was.
    let id = t.begin("d.db", &["--write", "t"]);
    t.exec(&id, "insert into t values (2, 'x')");
    let pid = holder_pid(&t, &id);
    std::fs::write(t.sock_dir().join(format!("{id}.committing")), "recorded").unwrap();
    kill_holder(pid, &id);
    // What the COMMIT would have left: the transaction's entry.
    sqlite3(
        &t.db("d.db"),
        &format!(
            "insert into t values (2, 'x');
             insert into _litewrite_audit (id, time, event, actor, database, rows, outcome, tx, os_user, prev_hash, hash)
             values (1000, '2026-01-01T00:00:00Z', 'execute-sql', 'tester', 'd.db', 1, 'ok', '{id}', 'tester', '', '')"
        ),
    );
    let out = t.run(&["tx", "commit", &id], None);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("commit succeeded"),
        "{}",
        stderr(&out)
    );
    let err = fails(&t.run(&["tx", "exec", &id, "select 1"], None), 4);
    assert!(err.contains("was committed"), "{err}");
}

/// Finding: `tx begin` whose stdout is a pipe nobody reads (`| true`, a
/// script's reader that died) exited quietly with the transaction begun:
/// nobody had its id, and it held the database's write lock until its
/// timeout, so every writer got *busy*.
#[test]
fn a_begin_whose_id_can_not_be_printed_leaves_no_transaction_behind() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    for json in [false, true] {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", t.s.dir.path())
            .env("XDG_RUNTIME_DIR", &t.rt)
            .current_dir(t.s.dir.path())
            .args(["tx", "begin", "d.db", "--write", "t"])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::from(writer))
            .stderr(std::process::Stdio::piped());
        if json {
            c.arg("--json");
        }
        let out = c.output().expect("run tx begin");
        let err = fails(&out, 1);
        assert!(err.contains("rolled back"), "{err}");
        assert_eq!(t.listed(), Vec::<String>::new());
        // The lock is free: a plain write goes through at once.
        ok(&t.run_env(
            &[("LITEWRITE_BUSY_TIMEOUT_MS", "100")],
            &[
                "insert",
                "d.db",
                "t",
                &format!("id:={}", json as i32),
                "name=after",
            ],
            None,
        ));
    }
    assert_eq!(ids(&t, "d.db", "t"), vec![0, 1]);
}

/// Finding: in a rollback-journal database (litewrite keeps the journal
/// mode of a database it did not create), a reader holding the file made
/// COMMIT busy, and the holder then rolled the whole transaction back
/// while answering *busy* (exit 6), which invites a retry of a commit that
/// no longer existed. The transaction now stays open, as SQLite's does.
#[test]
fn a_commit_refused_as_busy_leaves_the_transaction_open_to_commit_again() {
    let t = Tx::new();
    sqlite3(
        &t.db("j.db"),
        "pragma journal_mode = delete;
         create table t (id integer primary key, name text);",
    );
    let begun = t.run_env(
        &[("LITEWRITE_BUSY_TIMEOUT_MS", "200")],
        &["tx", "begin", "j.db", "--write", "t"],
        None,
    );
    let id = ok(&begun).trim().to_string();
    t.exec(&id, "insert into t values (1, 'x')");
    fails(
        &t.run(&["tx", "exec", &id, "insert into nosuch values (1)"], None),
        1,
    );
    // A reader in the middle of a read transaction holds a shared lock.
    let reader = rusqlite::Connection::open(t.db("j.db")).unwrap();
    reader.execute_batch("begin").unwrap();
    let seen: i64 = reader
        .query_row("select count(*) from t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(seen, 0);
    let err = fails(&t.run(&["tx", "commit", &id], None), 6);
    assert!(err.contains("still open"), "{err}");
    // Still open, with its work: it goes on, and commits once the reader is done.
    assert!(t.listed().contains(&id));
    t.exec(&id, "insert into t values (2, 'y')");
    reader.execute_batch("commit").unwrap();
    drop(reader);
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "j.db", "t"), vec![1, 2]);
    // One group with both rows, and each audit entry once.
    let group = count(
        &t.db("j.db"),
        &format!("select id from _litewrite_groups where tx = '{id}'"),
    );
    assert_eq!(
        row_changes(&t.db("j.db"), group),
        [("insert".to_string(), 2)].into_iter().collect()
    );
    let entries = rows(
        &t.db("j.db"),
        &format!("select sql, outcome from _litewrite_audit where tx = '{id}' order by id"),
    );
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["sql"] == "insert into nosuch values (1)")
            .count(),
        1
    );
    ok(&t.run(&["audit", "verify", "j.db"], None));
    ok(&t.run(&["undo", "j.db", &group.to_string()], None));
    assert_eq!(ids(&t, "j.db", "t"), Vec::<i64>::new());
}

/// Finding: a write still running at the deadline is interrupted, which
/// makes SQLite roll back the transaction; the holder then reported that
/// SQLite had ended it because the command failed ("interrupted", exit 1
/// for the command), not that the transaction had expired.
#[test]
fn a_write_running_past_the_deadline_expires_the_transaction() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "1s"]);
    t.exec(&id, "insert into t values (0, 'a')");
    // Far more rows than it can write before the deadline.
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "with recursive c(x) as (select 1 union all select x + 1 from c limit 1000000000)
                 insert into t select x, 'y' from c",
            ],
            None,
        ),
        7,
    );
    assert!(err.contains("passed its timeout"), "{err}");
    for args in [vec!["tx", "status", &id], vec!["tx", "commit", &id]] {
        let err = fails(&t.run(&args, None), 7);
        assert!(err.contains("expired"), "{args:?}: {err}");
    }
    assert_eq!(ids(&t, "d.db", "t"), Vec::<i64>::new());
    ok(&t.run_env(
        &[("LITEWRITE_BUSY_TIMEOUT_MS", "100")],
        &["insert", "d.db", "t", "id:=5", "name=after"],
        None,
    ));
    assert_eq!(ids(&t, "d.db", "t"), vec![5]);
}

/// Finding: a joined `insert --batch-size` that failed after some batches
/// said they "were committed before it (change groups 2, 2)": inside a
/// held transaction nothing is committed before the transaction is.
#[test]
fn a_joined_batched_insert_that_fails_says_its_batches_are_kept_not_committed() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t"]);
    let rows = "{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n{\"id\":4}\n{\"id\":1}\n";
    let out = t.run(
        &[
            "--json",
            "insert",
            "--tx",
            &id,
            "--batch-size",
            "2",
            "d.db",
            "t",
        ],
        Some(rows),
    );
    let err = fails(&out, 1);
    assert!(
        err.contains("4 row(s) of earlier batches are kept in transaction")
            && !err.contains("committed before"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["kept"]["rows"], 4, "{v}");
    assert!(v.get("committed").is_none(), "{v}");
    assert_eq!(ids(&t, "d.db", "t"), Vec::<i64>::new(), "nothing committed");
    // A batched insert that succeeds names the transaction's one group once.
    let out = ok(&t.run(
        &[
            "--json",
            "insert",
            "--tx",
            &id,
            "--batch-size",
            "2",
            "d.db",
            "t",
        ],
        Some("{\"id\":11}\n{\"id\":12}\n{\"id\":13}\n"),
    ));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(v.get("groups").is_none(), "{v}");
    ok(&t.run(&["tx", "rollback", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), Vec::<i64>::new());
}

/// Every later command on a transaction SQLite ended fails with exit 7
/// naming the cause; nothing of it landed; the failure is audited once;
/// the lock is free.
#[track_caller]
fn assert_over(t: &Tx, db: &str, id: &str, cause: &str) {
    for args in [
        vec!["tx", "exec", id, "select 1"],
        vec!["tx", "status", id],
        vec!["tx", "commit", id],
    ] {
        let err = fails(&t.run(&args, None), 7);
        assert!(err.contains(cause), "{args:?}: {err}");
    }
    assert_eq!(ids(t, db, "t"), Vec::<i64>::new());
    let audited = count(
        &t.db(db),
        &format!(
            "select count(*) from _litewrite_audit where tx = '{id}' and outcome = 'error' and error like '%{cause}%'"
        ),
    );
    assert_eq!(audited, 1, "the failure that ended it is audited once");
    ok(&t.run_env(
        &[("LITEWRITE_BUSY_TIMEOUT_MS", "100")],
        &["query", db, "select count(*) from t"],
        None,
    ));
    ok(&t.run(&["audit", "verify", db], None));
}

/// Routes to a transaction SQLite ends that the issue's reproductions did
/// not take: RAISE(ROLLBACK) two triggers deep inside a user savepoint,
/// a trigger's INSERT OR ROLLBACK under `update --tx`, and an upsert that
/// hits a UNIQUE ... ON CONFLICT ROLLBACK on another column.
#[test]
fn sqlite_ending_the_transaction_by_other_routes_is_caught_too() {
    let t = Tx::new();
    sqlite3(
        &t.db("a.db"),
        "create table t (id integer primary key, name text);
         create table u (id integer primary key, v text);
         create trigger t_ins after insert on t when new.name = 'boom'
           begin insert into u values (new.id, 'boom'); end;
         create trigger u_ins before insert on u when new.v = 'boom'
           begin select raise(rollback, 'nested no'); end;",
    );
    let id = t.begin("a.db", &["--write", "t", "--write", "u"]);
    t.exec(&id, "insert into t values (1, 'kept')");
    ok(&t.run(&["tx", "savepoint", &id, "sp"], None));
    fails(
        &t.run(
            &["insert", "--tx", &id, "a.db", "t", "id:=2", "name=boom"],
            None,
        ),
        1,
    );
    assert_over(&t, "a.db", &id, "nested no");

    sqlite3(
        &t.db("b.db"),
        "create table t (id integer primary key, name text);
         create table u (id integer primary key, v text);
         insert into u values (1, 'taken');
         create trigger t_upd after update on t
           begin insert or rollback into u values (new.id, 'again'); end;",
    );
    let id = t.begin("b.db", &["--write", "t", "--write", "u"]);
    ok(&t.run(
        &["insert", "--tx", &id, "b.db", "t", "id:=1", "name=a"],
        None,
    ));
    fails(
        &t.run(&["update", "--tx", &id, "b.db", "t", "1", "name=b"], None),
        1,
    );
    assert_over(&t, "b.db", &id, "UNIQUE constraint failed: u.id");

    sqlite3(
        &t.db("c.db"),
        "create table t (id integer primary key, name text unique on conflict rollback);",
    );
    let id = t.begin("c.db", &["--write", "t"]);
    ok(&t.run(
        &["insert", "--tx", &id, "c.db", "t", "id:=1", "name=same"],
        None,
    ));
    fails(
        &t.run(
            &["upsert", "--tx", &id, "c.db", "t", "id:=2", "name=same"],
            None,
        ),
        1,
    );
    assert_over(&t, "c.db", &id, "UNIQUE constraint failed: t.name");
}

/// Runs litewrite with its stdout, or its stderr, on a pipe whose reader
/// is gone; returns the exit code and whether it panicked.
fn closed(t: &Tx, args: &[&str], stream: &str) -> (i32, bool) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"));
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", t.s.dir.path())
        .env("XDG_RUNTIME_DIR", &t.rt)
        .current_dir(t.s.dir.path())
        .args(args)
        .stdin(std::process::Stdio::null());
    if stream == "stdout" {
        c.stdout(std::process::Stdio::from(writer))
            .stderr(std::process::Stdio::piped());
    } else {
        c.stderr(std::process::Stdio::from(writer))
            .stdout(std::process::Stdio::piped());
    }
    let out = c.output().expect("run litewrite");
    let panicked = stderr(&out).contains("panicked") || stdout(&out).contains("panicked");
    (code(&out), panicked || code(&out) == 101)
}

/// Every command, succeeding or failing, with a closed stdout or stderr:
/// no panic, and the exit code it has with both open (a reader that went
/// away is a quiet success for what only prints).
#[test]
fn every_command_survives_closed_stdout_and_stderr() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(&["insert", "d.db", "t", "id:=1", "name=a"], None));
    ok(&t.run(&["update", "d.db", "t", "1", "name=b"], None));
    // The transaction is on another database: its lock delays no case.
    table(&t, "x.db", "t");
    let id = t.begin("x.db", &["--write", "t"]);
    // A long statement that fails: a long error on a closed stderr.
    let long = format!("{} from nosuch", "select 1, ".repeat(3000));
    let cases: Vec<Vec<&str>> = vec![
        vec!["query", "d.db", "select * from t"],
        vec!["--json", "query", "d.db", "select * from nosuch"],
        vec!["query", "d.db", &long],
        vec!["schema", "d.db"],
        vec!["schema", "missing.db"],
        vec!["history", "d.db"],
        vec!["show", "d.db", "2"],
        vec!["show", "d.db", "99"],
        vec!["audit", "d.db"],
        vec!["audit", "verify", "d.db"],
        vec!["audit", "head", "d.db"],
        vec!["undo", "--dry-run", "d.db", "3"],
        vec!["prune", "--dry-run", "d.db", "--keep", "1"],
        vec!["insert", "--dry-run", "d.db", "t", "id:=5"],
        vec!["--json", "insert", "d.db", "t", "id:=1"],
        vec!["tx", "list"],
        vec!["tx", "status", &id],
        vec!["tx", "exec", &id, "select * from t"],
        vec!["tx", "status", "0123456789abcdef0123456789abcdef"],
        vec!["config"],
        vec!["man"],
        vec!["completions", "zsh"],
        vec!["--help"],
        vec!["--version"],
        vec!["nosuchcommand"],
    ];
    for args in &cases {
        let normal = code(&t.run(args, None));
        for stream in ["stdout", "stderr"] {
            let (got, panicked) = closed(&t, args, stream);
            assert!(!panicked, "{args:?} with {stream} closed panicked");
            let expected = if stream == "stdout" && normal == 0 {
                0
            } else {
                normal
            };
            assert_eq!(
                got, expected,
                "{args:?} with {stream} closed: exit {got}, not {expected}"
            );
        }
    }
    ok(&t.run(&["tx", "rollback", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), vec![1]);
}

/// Finding: `query` with a SELECT that does not compile (a misspelt table
/// or column) was run as a write, in case an earlier statement made what
/// it names: it waited for the write lock (30 s by default) while another
/// writer held it, then failed *busy* (exit 6) instead of naming the typo.
#[test]
fn a_read_that_does_not_compile_says_why_at_once_whoever_holds_the_lock() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t"]);
    for (sql, says) in [
        ("select * from nosuch", "no such table: nosuch"),
        (
            "select 1; select nosuchcol from t",
            "no such column: nosuchcol",
        ),
        ("values (1), (nosuchcol)", "no such column: nosuchcol"),
    ] {
        let err = fails(
            &t.run_env(
                &[("LITEWRITE_BUSY_TIMEOUT_MS", "60000")],
                &["query", "d.db", sql],
                None,
            ),
            1,
        );
        assert!(err.contains(says), "{sql}: {err}");
    }
    // SQL that may need an earlier statement to have run is still a write,
    // and waits for the lock like one.
    fails(
        &t.run_env(
            &[("LITEWRITE_BUSY_TIMEOUT_MS", "100")],
            &["query", "d.db", "create table n (a); select * from n"],
            None,
        ),
        6,
    );
    ok(&t.run(&["tx", "rollback", &id], None));
    let err = fails(&t.run(&["query", "d.db", "select * from nosuch"], None), 1);
    assert!(err.contains("no such table"), "{err}");
}

/// Finding: what the authorizer does not see. A rename names only the old
/// table to it, so `alter table t rename to t3` in a transaction listing
/// `--write t` made a table under a name in no list; and
/// `create trigger temp.x on t` is authorized as an ordinary trigger on
/// main table t, so a TEMP trigger outlived its request on the holder's
/// connection. Both are refused after the statement, by the schema it
/// left, and the transaction goes on without them.
#[test]
fn renames_to_unlisted_names_and_temp_objects_by_qualified_name_are_refused() {
    let t = Tx::new();
    table(&t, "r.db", "t");
    table(&t, "r.db", "u");
    let id = t.begin("r.db", &["--write", "t", "--create", "t_old"]);
    let err = fails(
        &t.run(&["tx", "exec", &id, "alter table t rename to t3"], None),
        3,
    );
    assert!(
        err.contains("renaming a table to \"t3\" is denied") && err.contains("--create"),
        "{err}"
    );
    for sql in [
        "create trigger temp.x after insert on t begin select 1; end",
        "create view temp.v as select * from t",
    ] {
        let err = fails(&t.run(&["tx", "exec", &id, sql], None), 3);
        assert!(err.contains("TEMP object"), "{sql}: {err}");
    }
    t.exec(&id, "alter table t rename to t_old");
    t.exec(&id, "insert into t_old values (1, 'a')");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(
        sqlite3(
            &t.db("r.db"),
            "select name from sqlite_master where name in ('t', 't3', 't_old', 'u') order by name"
        ),
        "t_old\nu\n"
    );
    assert_eq!(ids(&t, "r.db", "t_old"), vec![1]);
    // Without lists a rename goes anywhere, but no TEMP object stays.
    let id = t.begin("r.db", &[]);
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "create trigger temp.y after insert on u begin select 1; end",
            ],
            None,
        ),
        3,
    );
    assert!(err.contains("TEMP object \"y\""), "{err}");
    t.exec(&id, "alter table u rename to u2");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(
        sqlite3(
            &t.db("r.db"),
            "select name from sqlite_master where name like 'u%' order by name"
        ),
        "u2\n"
    );
}

/// Finding: a listed virtual table brought every shadow table whose name
/// started with its name and `_` into the list, so `--read search` made
/// `search_titles_content` (another FTS table's text) readable. A shadow
/// table belongs to the virtual table named before its last `_`.
#[test]
fn a_listed_fts_table_brings_only_its_own_shadow_tables() {
    let t = Tx::new();
    let db = t.db("f.db");
    sqlite3(
        &db,
        "CREATE VIRTUAL TABLE search USING fts5(body);
         CREATE VIRTUAL TABLE search_titles USING fts5(title);
         INSERT INTO search VALUES ('open');
         INSERT INTO search_titles VALUES ('secret');",
    );
    let id = t.begin("f.db", &["--read", "search"]);
    let err = fails(
        &t.run(
            &["tx", "exec", &id, "select * from search_titles_content"],
            None,
        ),
        3,
    );
    assert!(
        err.contains(
            "\"search_titles_content\" is not in this transaction's --read or --write lists"
        ),
        "{err}"
    );
    let rows = t.exec(&id, "select c0 from search_content");
    assert_eq!(rows[0]["c0"], "open", "{rows}");
    ok(&t.run(&["tx", "rollback", &id], None));
    assert_eq!(sqlite3(&db, "select title from search_titles"), "secret\n");
}

/// Finding: renaming a listed virtual table to a listed name renames its
/// shadow tables too (ft_data to ft2_data), names in no list, so the
/// rename was refused; its shadow tables follow it, and its module writes
/// them under their new names for the rest of the transaction.
#[test]
fn a_listed_virtual_table_renames_to_a_listed_name_with_its_shadow_tables() {
    let t = Tx::new();
    let db = t.db("v.db");
    sqlite3(
        &db,
        "CREATE VIRTUAL TABLE ft USING fts5(x);
         INSERT INTO ft VALUES ('hello');
         CREATE VIRTUAL TABLE rt USING rtree(id, a, b);
         CREATE TABLE plain (a);",
    );
    let id = t.begin(
        "v.db",
        &[
            "--write", "ft", "--create", "ft2", "--write", "rt", "--create", "rt2", "--write",
            "plain",
        ],
    );
    t.exec(&id, "alter table ft rename to ft2");
    t.exec(&id, "insert into ft2 values ('world')");
    t.exec(&id, "alter table rt rename to rt2");
    t.exec(&id, "insert into rt2 values (1, 0, 1)");
    // Only shadow tables follow: a plain table still needs a listed name.
    let err = fails(
        &t.run(
            &["tx", "exec", &id, "alter table plain rename to ft2_x"],
            None,
        ),
        3,
    );
    assert!(
        err.contains("renaming a table to \"ft2_x\" is denied"),
        "{err}"
    );
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(
        sqlite3(&db, "select x from ft2 where ft2 match 'world'"),
        "world\n"
    );
    assert_eq!(sqlite3(&db, "select id from rt2"), "1\n");
    assert_eq!(
        sqlite3(
            &db,
            "select count(*) from sqlite_master where name in ('ft', 'rt', 'ft2_x')"
        ),
        "0\n"
    );
}

/// Finding: the triggers on shadow tables were listed when the holder
/// opened the database, before it held the lock; one another connection
/// added while `tx begin` waited let a later write reach the FTS table,
/// and SQLite overflowed its stack. They are listed again once the lock
/// is held: the write is refused naming the trigger (exit 1), and the
/// transaction goes on.
#[test]
fn a_shadow_trigger_added_while_begin_waits_for_the_lock_is_seen() {
    let t = Tx::new();
    let db = t.db("f.db");
    sqlite3(
        &db,
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT);
         CREATE VIRTUAL TABLE docs_fts USING fts5(title, content='docs', content_rowid='id');
         CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
           INSERT INTO docs_fts (rowid, title) VALUES (new.id, new.title);
         END;
         CREATE TABLE notes (id INTEGER PRIMARY KEY);",
    );
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
    let id = std::thread::scope(|scope| {
        let begun = scope.spawn(|| t.begin("f.db", &[]));
        // The holder opens the database and waits for the lock.
        std::thread::sleep(std::time::Duration::from_millis(500));
        other.execute_batch("COMMIT").unwrap();
        begun.join().unwrap()
    });
    let err = fails(
        &t.run(
            &["tx", "exec", &id, "insert into docs values (1, 'hello')"],
            None,
        ),
        1,
    );
    assert!(
        err.contains("can not write virtual table \"docs_fts\"")
            && err.contains("trigger \"docs_fts_data_counts_insert\""),
        "{err}"
    );
    t.exec(&id, "insert into notes values (1)");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(sqlite3(&db, "select count(*) from docs"), "0\n");
    assert_eq!(sqlite3(&db, "select id from notes"), "1\n");
}

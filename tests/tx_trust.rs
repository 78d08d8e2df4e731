//! Issue 8: held transactions you can trust. SQLite ending a transaction
//! itself (a trigger's RAISE(ROLLBACK), INSERT OR ROLLBACK, a schema's ON
//! CONFLICT ROLLBACK, a full disk), quiet clients and the deadline,
//! connection state between requests, the transaction's change group and
//! configuration, table lists, a killed holder, closed standard streams.
//!
//! Every test has its own `XDG_RUNTIME_DIR` inside its sandbox and ends
//! what it begins (or lets a short timeout end it).

mod common;
use common::tx::*;
use common::*;

use std::os::unix::net::UnixStream;
use std::process::{Child, Stdio};

impl Tx {
    /// A std command for the binary with this sandbox's environment, for
    /// children the test drives itself.
    fn std_cmd(&self) -> std::process::Command {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"));
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.s.dir.path())
            .env("LITEWRITE_ACTOR", "tester")
            .env("XDG_RUNTIME_DIR", &self.rt)
            .current_dir(self.s.dir.path());
        c
    }
}

/// A child that is killed and reaped when the test is done with it.
struct Kid(Child);

impl Drop for Kid {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Everything that must hold once SQLite has ended transaction `id`: every
/// later command on it fails with exit 7 naming `cause`, nothing of it is
/// in the database (nothing ran in autocommit), the failure is audited,
/// and the lock is free.
#[track_caller]
fn assert_ended(t: &Tx, db: &str, id: &str, cause: &str) {
    for args in [
        vec!["insert", "--tx", id, db, "t", "id:=90", "name=later"],
        vec!["tx", "exec", id, "insert into t values (91, 'later')"],
        vec!["tx", "exec", id, "select 1"],
        vec!["tx", "savepoint", id, "sp"],
        vec!["tx", "status", id],
        vec!["tx", "commit", id],
        vec!["tx", "rollback", id],
    ] {
        let err = fails(&t.run(&args, None), 7);
        assert!(
            err.contains(cause) && err.contains("rolled back by SQLite"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(ids(t, db, "t"), Vec::<i64>::new(), "nothing of it landed");
    assert_eq!(
        count(
            &t.db(db),
            &format!("select count(*) from _litewrite_groups where tx = '{id}'")
        ),
        0
    );
    let audited = count(
        &t.db(db),
        &format!(
            "select count(*) from _litewrite_audit where tx = '{id}' and outcome = 'error' and error like '%{cause}%'"
        ),
    );
    assert_eq!(audited, 1, "the failure that ended it is audited");
    assert!(!t.listed().contains(&id.to_string()));
    // The lock went with it: a plain write goes through.
    ok(&t.run(&["insert", db, "t", "id:=100", "name=outside"], None));
    assert_eq!(ids(t, db, "t"), vec![100]);
    ok(&t.run(&["audit", "verify", db], None));
}

#[test]
fn a_trigger_raising_rollback_ends_the_transaction_and_every_later_command_says_why() {
    let t = Tx::new();
    table(&t, "y.db", "t");
    ok(&t.run(
        &[
            "query",
            "y.db",
            "create trigger g before insert on t when new.name = 'boom' begin select raise(rollback, 'no booms here'); end",
        ],
        None,
    ));
    let id = t.begin("y.db", &["--write", "t"]);
    t.exec(&id, "insert into t values (1, 'important')");
    let err = fails(
        &t.run(
            &["insert", "--tx", &id, "y.db", "t", "id:=2", "name=boom"],
            None,
        ),
        1,
    );
    assert!(
        err.contains("no booms here") && err.contains("rolled back the whole transaction"),
        "{err}"
    );
    assert_ended(&t, "y.db", &id, "no booms here");
}

#[test]
fn raise_rollback_under_nested_savepoints_ends_the_transaction_too() {
    let t = Tx::new();
    table(&t, "y.db", "t");
    ok(&t.run(
        &[
            "query",
            "y.db",
            "create trigger g after update on t when new.name = 'boom' begin select raise(rollback, 'update refused'); end",
        ],
        None,
    ));
    let id = t.begin("y.db", &["--write", "t"]);
    t.exec(&id, "insert into t values (1, 'a')");
    ok(&t.run(&["tx", "savepoint", &id, "outer"], None));
    t.exec(&id, "insert into t values (2, 'b')");
    ok(&t.run(&["tx", "savepoint", &id, "inner"], None));
    // A raw-SQL update this time, through a trigger on UPDATE.
    fails(
        &t.run(
            &["tx", "exec", &id, "update t set name = 'boom' where id = 2"],
            None,
        ),
        1,
    );
    let err = fails(&t.run(&["tx", "rollback-to", &id, "outer"], None), 7);
    assert!(err.contains("update refused"), "{err}");
    assert_ended(&t, "y.db", &id, "update refused");
}

#[test]
fn insert_or_rollback_ends_the_transaction() {
    let t = Tx::new();
    table(&t, "y.db", "t");
    let id = t.begin("y.db", &["--write", "t"]);
    t.exec(&id, "insert into t values (1, 'first')");
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "insert or rollback into t values (1, 'again')",
            ],
            None,
        ),
        1,
    );
    assert!(err.contains("UNIQUE constraint failed"), "{err}");
    assert_ended(&t, "y.db", &id, "UNIQUE constraint failed");
}

#[test]
fn an_on_conflict_rollback_constraint_in_the_schema_ends_the_transaction() {
    let t = Tx::new();
    sqlite3(
        &t.db("y.db"),
        "create table t (id integer primary key, name text not null on conflict rollback)",
    );
    let id = t.begin("y.db", &["--write", "t"]);
    ok(&t.run(
        &["insert", "--tx", &id, "y.db", "t", "id:=1", "name=kept"],
        None,
    ));
    // A joined update that breaks the NOT NULL ... ON CONFLICT ROLLBACK.
    let err = fails(
        &t.run(
            &["update", "--tx", &id, "y.db", "t", "1", "name:=null"],
            None,
        ),
        1,
    );
    assert!(err.contains("NOT NULL constraint failed"), "{err}");
    assert_ended(&t, "y.db", &id, "NOT NULL constraint failed");
}

/// True when this process may mount a file system (root on CI).
fn can_mount() -> bool {
    is_root()
        && std::process::Command::new("mount")
            .arg("--version")
            .output()
            .is_ok()
}

fn is_root() -> bool {
    // SAFETY: getuid has no preconditions.
    unsafe { libc::getuid() == 0 }
}

/// A small tmpfs, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_ends_the_transaction() {
    if !can_mount() {
        eprintln!("skipped: making a full disk needs root (to mount a small tmpfs)");
        return;
    }
    let t = Tx::new();
    let dir = t.s.path("small");
    std::fs::create_dir(&dir).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=600k", "tmpfs"])
        .arg(&dir)
        .status()
        .expect("mount");
    assert!(mounted.success(), "mount a 600k tmpfs");
    let _disk = SmallDisk(dir);
    table(&t, "small/f.db", "t");
    let id = t.begin("small/f.db", &["--write", "t"]);
    t.exec(&id, "insert into t values (1, 'kept')");
    // 2 MB can not fit on a 600 kB disk: the page cache spills into the
    // WAL, the write fails, and SQLite rolls the whole transaction back.
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "insert into t values (2, zeroblob(2000000))",
            ],
            None,
        ),
        1,
    );
    assert!(err.contains("disk is full"), "{err}");
    assert_ended(&t, "small/f.db", &id, "disk is full");
}

/// The path of transaction `id`'s socket.
fn socket(t: &Tx, id: &str) -> std::path::PathBuf {
    t.sock_dir().join(format!("{id}.sock"))
}

#[test]
fn a_client_that_connects_and_says_nothing_can_not_hold_the_lock_past_the_deadline() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "2s"]);
    t.exec(&id, "insert into t values (1, 'in the transaction')");
    // Connects, sends nothing, never reads.
    let quiet = UnixStream::connect(socket(&t, &id)).expect("connect to the holder");
    // A writer waiting up to 30 s for the lock gets it once the deadline
    // passes (without the deadline on the request line it would wait 30 s
    // and fail busy).
    ok(&t.run_env(
        &[("LITEWRITE_BUSY_TIMEOUT_MS", "30000")],
        &["insert", "d.db", "t", "id:=2", "name=outside"],
        None,
    ));
    assert_eq!(ids(&t, "d.db", "t"), vec![2]);
    let err = fails(&t.run(&["tx", "commit", &id], None), 7);
    assert!(err.contains("expired"), "{err}");
    drop(quiet);
}

#[test]
fn a_client_that_stops_reading_its_output_can_not_hold_the_lock_past_the_deadline() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(
        &[
            "query",
            "d.db",
            "create table big as with recursive c(x) as (select 1 union all select x + 1 from c where x < 200000) select x, printf('%040d', x) as pad from c",
        ],
        None,
    ));
    let id = t.begin(
        "d.db",
        &["--write", "t", "--read", "big", "--timeout", "2s"],
    );
    t.exec(&id, "insert into t values (1, 'in the transaction')");
    // `tx exec ... | sleep`: megabytes of rows into a pipe nobody reads.
    let (reader, writer) = std::io::pipe().expect("pipe");
    let stalled = Kid(t
        .std_cmd()
        .args(["tx", "exec", &id, "select * from big"])
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn tx exec"));
    ok(&t.run_env(
        &[("LITEWRITE_BUSY_TIMEOUT_MS", "30000")],
        &["insert", "d.db", "t", "id:=2", "name=outside"],
        None,
    ));
    assert_eq!(ids(&t, "d.db", "t"), vec![2]);
    let err = fails(&t.run(&["tx", "commit", &id], None), 7);
    assert!(err.contains("expired"), "{err}");
    drop(stalled);
    drop(reader);
}

#[test]
fn a_request_can_not_change_the_connection_for_later_requests() {
    let t = Tx::new();
    sqlite3(
        &t.db("d.db"),
        "create table p (id integer primary key);
             create table t (id integer primary key check (id > 0), name text,
                             parent integer references p (id));
             create trigger chain after insert on t when new.id < 3
               begin insert into t (id, name) values (new.id + 1, 'chained'); end",
    );
    let id = t.begin("d.db", &["--write", "t", "--write", "p"]);
    // Each of these either is refused (the authorizer's allow-list of
    // pragmas) or lasts no longer than its own request.
    for pragma in [
        "pragma query_only = 1",
        "pragma recursive_triggers = 1",
        "pragma ignore_check_constraints = 1",
        "pragma defer_foreign_keys = 1",
        "pragma foreign_keys = 0",
    ] {
        let out = t.run(&["tx", "exec", &id, pragma], None);
        assert!(matches!(code(&out), 0 | 3), "{pragma}: {}", stderr(&out));
    }
    // Writes still work (query_only is off).
    t.exec(&id, "insert into p values (1)");
    // Triggers do not recurse: 1 fires the trigger once, for 2.
    t.exec(&id, "insert into t (id, name, parent) values (1, 'one', 1)");
    assert_eq!(
        t.exec(&id, "select id from t order by id"),
        serde_json::json!([{"id": 1}, {"id": 2}])
    );
    // CHECK constraints hold.
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "insert into t (id, name) values (-1, 'bad')",
            ],
            None,
        ),
        1,
    );
    assert!(err.contains("CHECK constraint failed"), "{err}");
    // Foreign keys are checked at once, not deferred to the commit.
    let err = fails(
        &t.run(
            &[
                "insert",
                "--tx",
                &id,
                "d.db",
                "t",
                "id:=10",
                "name=orphan",
                "parent:=99",
            ],
            None,
        ),
        1,
    );
    assert!(err.contains("FOREIGN KEY constraint failed"), "{err}");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), vec![1, 2]);
}

#[test]
fn the_group_of_a_transaction_records_its_commands_and_the_begin_message() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "-m", "nightly load"]);
    ok(&t.run(
        &["insert", "--tx", &id, "d.db", "t", "id:=1", "name=a"],
        None,
    ));
    t.exec(&id, "insert into t values (2, 'b')");
    // A failed command and one undone by a savepoint are not in the group.
    fails(
        &t.run(
            &["insert", "--tx", &id, "d.db", "t", "id:=1", "name=dup"],
            None,
        ),
        1,
    );
    ok(&t.run(&["tx", "savepoint", &id, "s"], None));
    t.exec(&id, "insert into t values (3, 'undone')");
    ok(&t.run(&["tx", "rollback-to", &id, "s"], None));
    ok(&t.run(&["tx", "commit", &id], None));
    let groups = rows(
        &t.db("d.db"),
        &format!("select message, command, command_line from _litewrite_groups where tx = '{id}'"),
    );
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["message"], "nightly load");
    assert_eq!(groups[0]["command"], "tx");
    let lines: Vec<&str> = groups[0]["command_line"]
        .as_str()
        .expect("command_line")
        .lines()
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].ends_with(&format!("insert --tx {id} d.db t id:=1 name=a")),
        "{lines:?}"
    );
    assert!(
        lines[1].ends_with(&format!(
            "tx exec {id} 'insert into t values (2, '\\''b'\\'')'"
        )),
        "{lines:?}"
    );
    // Its audit entries carry the message too.
    assert_eq!(
        count(
            &t.db("d.db"),
            &format!("select count(*) from _litewrite_audit where tx = '{id}' and outcome = 'ok' and message = 'nightly load'")
        ),
        2
    );
}

#[test]
fn a_transaction_runs_with_the_configuration_it_began_with() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    table(&t, "d.db", "payroll");
    t.s.write(
        "strict.toml",
        "[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"authorizer\"\nprotect = [\"payroll\"]\n",
    );
    let id = t.begin(
        "d.db",
        &[
            "--config",
            "strict.toml",
            "--write",
            "t",
            "--write",
            "payroll",
        ],
    );
    // A client in a directory with a stray, broken plugins.toml.
    let sub = t.s.path("elsewhere");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("plugins.toml"), "[[wrapper]]\nuse = \"no-such\"\n").unwrap();
    let mut c = t.cmd();
    c.current_dir(&sub)
        .args(["insert", "--tx", &id, "../d.db", "t", "id:=1", "name=a"]);
    let out = c.output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The transaction's authorizer holds, whatever config a command names.
    t.s.write("lax.toml", "[[wrapper]]\nuse = \"audit-log\"\n");
    let out = t.run(
        &[
            "insert", "--tx", &id, "--config", "lax.toml", "d.db", "payroll", "id:=1", "name=x",
        ],
        None,
    );
    let err = fails(&out, 3);
    assert!(err.contains("--config lax.toml is ignored"), "{err}");
    assert!(err.contains("protected"), "{err}");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), vec![1]);
    assert_eq!(ids(&t, "d.db", "payroll"), Vec::<i64>::new());
    // No change group: the transaction's configuration has no change-group.
    assert_eq!(
        count(
            &t.db("d.db"),
            &format!("select count(*) from _litewrite_groups where tx = '{id}'")
        ),
        0
    );
}

#[test]
fn table_lists_know_tables_from_cte_names_and_table_valued_functions() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    table(&t, "d.db", "pragma_secrets");
    ok(&t.run(
        &["insert", "d.db", "pragma_secrets", "id:=1", "name=s3cret"],
        None,
    ));
    let id = t.begin("d.db", &["--read", "t"]);
    assert_eq!(
        t.exec(
            &id,
            "with recursive c(x) as (select 1 union all select x + 1 from c where x < 5) select count(*) as n from c"
        ),
        serde_json::json!([{"n": 5}])
    );
    assert_eq!(
        t.exec(&id, "select count(*) as n from pragma_table_info('t')"),
        serde_json::json!([{"n": 2}])
    );
    let err = fails(
        &t.run(&["tx", "exec", &id, "select * from pragma_secrets"], None),
        3,
    );
    assert!(err.contains("pragma_secrets"), "{err}");
    // A CTE can not stand in for an unlisted table either way.
    fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "with x as (select * from pragma_secrets) select * from x",
            ],
            None,
        ),
        3,
    );
    ok(&t.run(&["tx", "rollback", &id], None));
}

#[test]
fn listed_tables_must_exist_and_new_ones_are_given_with_create() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let err = fails(
        &t.run(&["tx", "begin", "d.db", "--write", "nosuchtable"], None),
        4,
    );
    assert!(
        err.contains("nosuchtable") && err.contains("--create"),
        "{err}"
    );
    fails(
        &t.run(&["tx", "begin", "d.db", "--read", "nosuch"], None),
        4,
    );
    let err = fails(&t.run(&["tx", "begin", "d.db", "--create", "t"], None), 5);
    assert!(err.contains("already exists"), "{err}");
    assert!(t.listed().is_empty());
    // A pattern may match nothing yet; --create names a new table.
    let id = t.begin(
        "d.db",
        &["--write", "t", "--create", "fresh", "--write", "stage_*"],
    );
    t.exec(&id, "create table fresh (x integer)");
    t.exec(&id, "insert into fresh values (1)");
    t.exec(&id, "create table stage_1 (x integer)");
    fails(
        &t.run(&["tx", "exec", &id, "create table other (x)"], None),
        3,
    );
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(count(&t.db("d.db"), "select count(*) from fresh"), 1);
    assert_eq!(count(&t.db("d.db"), "select count(*) from stage_1"), 0);
}

#[test]
fn commit_after_the_holder_was_killed_says_it_is_gone_and_rolled_back() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "60s"]);
    t.exec(&id, "insert into t values (1, 'lost')");
    let status = t.json(&["tx", "status", &id, "--json"]);
    let pid = status["tx"]["pid"].as_i64().expect("pid") as i32;
    // SAFETY: kill(2) of the holder this test began.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0);
    while std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            !s.rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        })
        .unwrap_or(false)
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // `tx list` notices the dead holder first; commit still says what happened.
    assert!(!t.listed().contains(&id));
    for args in [vec!["tx", "commit", &id], vec!["tx", "status", &id]] {
        let err = fails(&t.run(&args, None), 7);
        assert!(
            err.contains("holder") && err.contains("died") && err.contains("rolled back"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(ids(&t, "d.db", "t"), Vec::<i64>::new());
}

/// Runs litewrite with its stdout (or stderr) on a pipe whose reader is gone.
fn with_closed(t: &Tx, args: &[&str], close_stderr: bool) -> std::process::Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let mut c = t.std_cmd();
    c.args(args).stdin(Stdio::null());
    if close_stderr {
        c.stderr(Stdio::from(writer)).stdout(Stdio::piped());
    } else {
        c.stdout(Stdio::from(writer)).stderr(Stdio::piped());
    }
    c.output().expect("run litewrite")
}

#[test]
fn closed_stdout_and_stderr_never_panic() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(&["insert", "d.db", "t", "id:=1", "name=a"], None));
    for args in [
        vec!["audit", "verify", "d.db"],
        vec!["completions", "bash"],
        vec!["query", "d.db", "select * from t"],
        vec!["config"],
        vec!["schema", "d.db"],
        vec!["--help"],
    ] {
        let out = with_closed(&t, &args, false);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
    // A long error with stderr closed: its exit code, no panic.
    let long = format!("select {} from nosuchtable", "x, ".repeat(5000) + "y");
    let out = with_closed(&t, &["query", "d.db", &long], true);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let out = with_closed(&t, &["schema", "missing.db"], true);
    assert_eq!(code(&out), 4);
}

#[test]
fn a_deferred_foreign_key_failing_at_commit_names_the_table_and_column() {
    let t = Tx::new();
    sqlite3(
        &t.db("d.db"),
        "create table parent (id integer primary key);
             create table child (id integer primary key,
                                 parent_id integer references parent (id) deferrable initially deferred)",
    );
    let err = fails(
        &t.run(&["insert", "d.db", "child", "id:=1", "parent_id:=42"], None),
        1,
    );
    assert!(
        err.contains("FOREIGN KEY constraint failed")
            && err.contains("column \"parent_id\" of table \"child\" holds 42"),
        "{err}"
    );
    assert_eq!(count(&t.db("d.db"), "select count(*) from child"), 0);
    // At a transaction's commit too.
    let id = t.begin("d.db", &["--write", "child", "--read", "parent"]);
    t.exec(&id, "insert into child values (2, 7)");
    let err = fails(&t.run(&["tx", "commit", &id], None), 1);
    assert!(
        err.contains("column \"parent_id\" of table \"child\" holds 7"),
        "{err}"
    );
    assert_eq!(count(&t.db("d.db"), "select count(*) from child"), 0);
}

#[test]
fn a_joined_command_must_name_the_transactions_database() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    table(&t, "other.db", "t");
    let id = t.begin("d.db", &["--write", "t"]);
    for args in [
        vec!["insert", "--tx", &id, "other.db", "t", "id:=1"],
        vec!["query", "--tx", &id, "other.db", "select 1"],
    ] {
        let err = fails(&t.run(&args, None), 2);
        assert!(err.contains("not other.db"), "{args:?}: {err}");
    }
    // The same database by another path is the same database.
    std::fs::create_dir(t.s.path("sub")).unwrap();
    let mut c = t.cmd();
    c.current_dir(t.s.path("sub"))
        .args(["insert", "--tx", &id, "../d.db", "t", "id:=1"]);
    let out = c.output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), vec![1]);
    assert_eq!(ids(&t, "other.db", "t"), Vec::<i64>::new());
}

#[test]
fn once_commit_returns_the_database_file_alone_holds_the_transaction() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    for round in 0..3 {
        let id = t.begin("d.db", &["--write", "t"]);
        t.exec(&id, &format!("insert into t values ({round}, 'x')"));
        ok(&t.run(&["tx", "commit", &id], None));
        // Copy the file alone, as a backup script would, right away.
        std::fs::copy(t.db("d.db"), t.db("copy.db")).unwrap();
        let expected: Vec<i64> = (0..=round).collect();
        assert_eq!(ids(&t, "copy.db", "t"), expected);
        std::fs::remove_file(t.db("copy.db")).unwrap();
    }
}

//! Issue "tx": transactions under faults — a timeout that expires (and
//! releases the lock at once), a writer outside the transaction that waits
//! for its lock, a holder killed with SIGKILL (nothing lands, later commands
//! fail fast, its files are cleaned, its slot is freed), and a client killed
//! or stalled in the middle of a request.
//!
//! Every test has its own `XDG_RUNTIME_DIR` inside its sandbox, so it sees
//! only its own transactions, and ends them (or lets a short timeout end
//! them) so no holder process outlives it.

mod common;
use common::tx::*;
use common::*;

use std::io::Write as _;
use std::process::{Child, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

impl Tx {
    /// A plain std command for the binary, with the same environment as
    /// [`Tx::cmd`], for children the test drives itself.
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

    /// The pid of a transaction's holder, from `tx status --json`.
    fn holder_pid(&self, id: &str) -> i32 {
        let v = self.json(&["tx", "status", id, "--json"]);
        v["tx"]["pid"]
            .as_i64()
            .unwrap_or_else(|| panic!("no pid in {v}")) as i32
    }

    /// Runs a command, killed after `kill_after`; returns how long it took.
    fn run_bounded(
        &self,
        env: &[(&str, &str)],
        args: &[&str],
        kill_after: Duration,
    ) -> (Output, Duration) {
        let mut c = self.cmd();
        for (k, v) in env {
            c.env(k, v);
        }
        c.args(args).timeout(kill_after);
        c.write_stdin(String::new());
        let start = Instant::now();
        let out = c.output().expect("run litewrite");
        (out, start.elapsed())
    }

    /// Runs a command that must finish within `limit` (it is killed after 10 s).
    fn run_timed(&self, args: &[&str], limit: Duration) -> Output {
        let (out, took) = self.run_bounded(&[], args, Duration::from_secs(10));
        assert!(
            took < limit,
            "{args:?} took {took:?} (limit {limit:?}); code {:?}, stderr: {}",
            out.status.code(),
            stderr(&out)
        );
        out
    }

    /// Files in the socket directory that belong to transaction `id`.
    fn files_of(&self, id: &str) -> Vec<String> {
        std::fs::read_dir(self.sock_dir())
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with(id))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A child process that is killed and reaped if the test ends without
/// waiting for it.
struct Kid(Child);

impl Kid {
    /// Waits up to `limit` for the child to exit.
    fn wait_for(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.0.try_wait().expect("try_wait") {
                return Some(status);
            }
            if start.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stderr(&mut self) -> String {
        let mut s = String::new();
        if let Some(mut e) = self.0.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut s);
        }
        s
    }
}

impl Drop for Kid {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// True once process `pid` has exited (gone, or a zombie nobody reaped).
fn exited(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // The state follows the parenthesized command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.trim_start().starts_with(['Z', 'X']))
            .unwrap_or(false),
    }
}

/// SIGKILLs a holder (a process this test started through `tx begin`) and
/// waits until it has exited.
fn kill_holder(pid: i32) {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    assert!(
        String::from_utf8_lossy(&cmdline).contains("__tx-holder"),
        "pid {pid} is not a transaction holder"
    );
    // SAFETY: plain kill(2) of a process we started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0, "kill {pid}");
    let start = Instant::now();
    while !exited(pid) {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "holder {pid} survived SIGKILL"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn names(t: &Tx, db: &str, table: &str) -> Vec<String> {
    rows(&t.db(db), &format!("select name from {table} order by id"))
        .iter()
        .map(|r| r["name"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn a_one_second_timeout_expires_and_releases_the_lock_at_once() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let begun = Instant::now();
    let id = t.begin("d.db", &["--write", "t", "--timeout", "1s"]);
    t.exec(&id, "insert into t (name) values ('lost')");
    ok(&t.run(&["insert", "--tx", &id, "d.db", "t", "name=lost2"], None));
    let status = t.json(&["tx", "status", &id, "--json"]);
    let left = status["tx"]["seconds_left"].as_f64().expect("seconds_left");
    assert!(left > 0.0 && left <= 1.0, "{status}");

    std::thread::sleep(Duration::from_millis(1500).saturating_sub(begun.elapsed()));

    let err = fails(
        &t.run_timed(&["tx", "exec", &id, "select 1"], Duration::from_secs(3)),
        7,
    );
    assert!(err.contains("expired"), "{err}");
    fails(&t.run(&["tx", "exec", &id, "select 1"], None), 7);
    fails(
        &t.run(&["insert", "--tx", &id, "d.db", "t", "name=x"], None),
        7,
    );
    fails(&t.run(&["tx", "commit", &id], None), 7);
    fails(&t.run(&["tx", "savepoint", &id, "a"], None), 7);

    // The lock went with it: a plain insert (30 s busy timeout) goes through at once.
    ok(&t.run_timed(
        &["insert", "d.db", "t", "name=after"],
        Duration::from_secs(5),
    ));
    assert_eq!(names(&t, "d.db", "t"), vec!["after"]);
    assert_eq!(
        count(
            &t.db("d.db"),
            &format!("select count(*) from _litewrite_groups where tx = '{id}'")
        ),
        0
    );
    assert!(!t.listed().contains(&id));
    let files = t.files_of(&id);
    assert!(
        files.iter().all(|f| f.ends_with(".expired")),
        "an expired transaction left {files:?}"
    );
}

#[test]
fn a_writer_outside_the_transaction_waits_for_the_lock_and_lands_after_commit() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    t.exec(&id, "insert into t (name) values ('inside')");

    let mut outside = Kid(t
        .std_cmd()
        .args(["insert", "d.db", "t", "name=outside"])
        .env("LITEWRITE_BUSY_TIMEOUT_MS", "20000")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn insert"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        outside.0.try_wait().unwrap().is_none(),
        "the outside insert did not wait for the transaction's lock: {}",
        outside.stderr()
    );
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 0);

    ok(&t.run(&["tx", "commit", &id], None));

    let status = outside
        .wait_for(Duration::from_secs(15))
        .expect("the outside insert still waits after the commit");
    assert!(status.success(), "outside insert: {}", outside.stderr());
    assert_eq!(names(&t, "d.db", "t"), vec!["inside", "outside"]);
}

#[test]
fn killing_the_holder_loses_the_transaction_cleanly() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(&["insert", "d.db", "t", "name=before"], None));
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    t.exec(&id, "insert into t (name) values ('ghost')");
    ok(&t.run(&["insert", "--tx", &id, "d.db", "t", "name=ghost2"], None));
    t.exec(&id, "update t set name = 'changed' where name = 'before'");
    let pid = t.holder_pid(&id);

    kill_holder(pid);

    // Later commands fail fast: not found (or expired), never a hang.
    for args in [
        vec!["tx", "exec", &id, "select 1"],
        vec!["tx", "status", &id],
        vec!["insert", "--tx", &id, "d.db", "t", "name=x"],
        vec!["tx", "commit", &id],
    ] {
        let out = t.run_timed(&args, Duration::from_secs(2));
        assert!(
            matches!(code(&out), 4 | 7),
            "{args:?}: expected 4 or 7, got {}: {}",
            code(&out),
            stderr(&out)
        );
    }
    // Nothing of it landed.
    assert_eq!(names(&t, "d.db", "t"), vec!["before"]);
    assert_eq!(
        count(
            &t.db("d.db"),
            &format!("select count(*) from _litewrite_groups where tx = '{id}'")
        ),
        0
    );
    // The database is writable again at once (30 s busy timeout).
    ok(&t.run_timed(
        &["insert", "d.db", "t", "name=after"],
        Duration::from_secs(5),
    ));
    assert_eq!(names(&t, "d.db", "t"), vec!["before", "after"]);
    // And a new transaction can take the write lock.
    let next = t.begin("d.db", &["--write", "t", "--timeout", "5s"]);
    t.exec(&next, "insert into t (name) values ('next')");
    ok(&t.run(&["tx", "commit", &next], None));
    assert_eq!(names(&t, "d.db", "t"), vec!["before", "after", "next"]);
    ok(&t.run(&["audit", "verify", "d.db"], None));
}

#[test]
fn the_files_of_a_dead_holder_are_cleaned() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    let alive = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    assert!(t.listed().contains(&id));
    let pid = t.holder_pid(&id);

    kill_holder(pid);

    let out = t.run_timed(&["tx", "exec", &id, "select 1"], Duration::from_secs(2));
    assert!(matches!(code(&out), 4 | 7), "{}", stderr(&out));
    // Within a moment `tx list` no longer shows it and its files are gone.
    let start = Instant::now();
    loop {
        let listed = t.listed();
        let files = t.files_of(&id);
        let stale = files
            .iter()
            .any(|f| f.ends_with(".sock") || f.ends_with(".json"));
        if !listed.contains(&id) && !stale {
            assert!(listed.contains(&alive), "{listed:?}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the dead transaction {id} (holder pid {pid}, exited) is still listed ({listed:?}) or left files {files:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    ok(&t.run(&["tx", "rollback", &alive], None));
    assert!(t.listed().is_empty());
}

#[test]
fn a_dead_holder_does_not_keep_its_transaction_slot() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    t.s.config("max-transactions = 1\n");
    let id = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    fails(
        &t.run(
            &["tx", "begin", "d.db", "--read", "t", "--timeout", "5s"],
            None,
        ),
        6,
    );
    kill_holder(t.holder_pid(&id));
    let out = t.run_timed(
        &["tx", "begin", "d.db", "--read", "t", "--timeout", "5s"],
        Duration::from_secs(5),
    );
    let next = ok(&out);
    ok(&t.run(&["tx", "rollback", next.trim()], None));
}

#[test]
fn a_client_killed_mid_request_does_not_disturb_the_holder() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    t.exec(&id, "insert into t (name) values ('before')");

    // An insert joined to the transaction, its rows on a pipe we keep open.
    let mut client = Kid(t
        .std_cmd()
        .args(["insert", "--tx", &id, "d.db", "t"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn insert"));
    let mut pipe = client.0.stdin.take().expect("stdin");
    for i in 0..200 {
        writeln!(pipe, "{{\"name\": \"ghost{i}\"}}").unwrap();
    }
    pipe.flush().unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        client.0.try_wait().unwrap().is_none(),
        "the insert ended before its input did"
    );
    client.0.kill().expect("kill client");
    client.0.wait().unwrap();
    drop(pipe);

    // The holder serves the next command at once; the killed insert's rows are not there.
    let out = ok(&t.run_timed(
        &["tx", "exec", &id, "select name from t order by id"],
        Duration::from_secs(3),
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v, json!([{"name": "before"}]));
    t.exec(&id, "insert into t (name) values ('after')");
    ok(&t.run(
        &["insert", "--tx", &id, "d.db", "t"],
        Some("{\"name\": \"piped\"}\n"),
    ));
    ok(&t.run_timed(&["tx", "commit", &id], Duration::from_secs(3)));
    assert_eq!(names(&t, "d.db", "t"), vec!["before", "after", "piped"]);
    assert_eq!(
        count(
            &t.db("d.db"),
            "select count(*) from t where name like 'ghost%'"
        ),
        0
    );
}

#[test]
fn the_timeout_holds_even_while_a_client_is_still_sending_rows() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let begun = Instant::now();
    let id = t.begin("d.db", &["--write", "t", "--timeout", "1s"]);
    // A joined insert whose input never ends (think `tail -f | litewrite insert --tx`).
    let mut client = Kid(t
        .std_cmd()
        .args(["insert", "--tx", &id, "d.db", "t"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn insert"));
    let mut pipe = client.0.stdin.take().expect("stdin");
    writeln!(pipe, "{{\"name\": \"slow\"}}").unwrap();
    pipe.flush().unwrap();

    std::thread::sleep(Duration::from_millis(1500).saturating_sub(begun.elapsed()));

    // Past the deadline the transaction is rolled back and its lock released.
    let (outside, outside_took) = t.run_bounded(
        &[("LITEWRITE_BUSY_TIMEOUT_MS", "3000")],
        &["insert", "d.db", "t", "name=outside"],
        Duration::from_secs(5),
    );
    let (exec, exec_took) = t.run_bounded(
        &[],
        &["tx", "exec", &id, "select 1"],
        Duration::from_secs(3),
    );
    // Now end the client's input: its insert must not report success.
    drop(pipe);
    let status = client
        .wait_for(Duration::from_secs(5))
        .expect("the client did not end");
    let client_err = client.stderr();
    let report = format!(
        "plain insert 0.5 s after the deadline: code {:?} after {outside_took:?} ({}); \
         tx exec: code {:?} after {exec_took:?} ({}); \
         the joined insert, its input ended after the deadline: code {:?} ({})",
        outside.status.code(),
        stderr(&outside).trim(),
        exec.status.code(),
        stderr(&exec).trim(),
        status.code(),
        client_err.trim()
    );
    assert_eq!(code(&outside), 0, "{report}");
    assert_eq!(code(&exec), 7, "{report}");
    assert_eq!(status.code(), Some(7), "{report}");
    assert_eq!(names(&t, "d.db", "t"), vec!["outside"]);
}

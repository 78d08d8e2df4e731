//! Transaction helpers for the tx tests: a sandbox with a private runtime
//! directory for transaction sockets, and commands that use it.

use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use super::*;

/// A sandbox with a private runtime directory for transaction sockets.
pub struct Tx {
    pub s: Sandbox,
    pub rt: PathBuf,
}

impl Tx {
    pub fn new() -> Tx {
        let s = Sandbox::new();
        let rt = s.path("run");
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&rt)
            .expect("runtime dir");
        Tx { s, rt }
    }

    /// A litewrite command with this sandbox's runtime dir; a command that
    /// hangs fails the test instead of hanging it.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.s.cmd();
        c.env("XDG_RUNTIME_DIR", &self.rt)
            .timeout(Duration::from_secs(30));
        c
    }

    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.run_env(&[], args, stdin)
    }

    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Output {
        let mut c = self.cmd();
        for (k, v) in env {
            c.env(k, v);
        }
        c.args(args);
        c.write_stdin(stdin.unwrap_or("").to_string());
        c.output().expect("run litewrite")
    }

    /// `tx begin DB ARGS...`; checks it prints only the id and returns it.
    pub fn begin(&self, db: &str, args: &[&str]) -> String {
        let mut all = vec!["tx", "begin", db];
        all.extend_from_slice(args);
        let out = ok(&self.run(&all, None));
        assert_id_line(&out);
        out.trim_end().to_string()
    }

    /// `tx exec ID SQL` and its rows as JSON.
    pub fn exec(&self, id: &str, sql: &str) -> Value {
        let out = ok(&self.run(&["tx", "exec", id, sql], None));
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("tx exec output {out:?}: {e}"))
    }

    /// `query DB SQL` from a process outside any transaction.
    pub fn query(&self, db: &str, sql: &str) -> Value {
        let out = ok(&self.run(&["query", db, sql], None));
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("query output {out:?}: {e}"))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let out = ok(&self.run(args, None));
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} output {out:?}: {e}"))
    }

    pub fn db(&self, name: &str) -> PathBuf {
        self.s.path(name)
    }

    /// The directory litewrite keeps its sockets in.
    pub fn sock_dir(&self) -> PathBuf {
        self.rt.join("litewrite")
    }

    /// The ids `tx list --json` shows.
    pub fn listed(&self) -> Vec<String> {
        let v = self.json(&["tx", "list", "--json"]);
        v["transactions"]
            .as_array()
            .unwrap_or_else(|| panic!("tx list --json: {v}"))
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_string())
            .collect()
    }
}

impl Drop for Tx {
    /// Ends whatever a failed test left open, so no holder lingers.
    fn drop(&mut self) {
        let Ok(entries) = std::fs::read_dir(self.sock_dir()) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".json") else {
                continue;
            };
            let pid = std::fs::read_to_string(e.path())
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .and_then(|v| v["pid"].as_i64());
            let mut c = self.cmd();
            c.args(["tx", "rollback", id])
                .timeout(Duration::from_secs(5));
            let _ = c.output();
            // A holder that did not answer: kill it, if it still is ours.
            if let Some(pid) = pid {
                let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                let cmdline = String::from_utf8_lossy(&cmdline);
                if cmdline.contains("__tx-holder") && cmdline.contains(id) {
                    unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
                }
            }
        }
    }
}

#[track_caller]
pub fn assert_id_line(out: &str) {
    let id = out
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("begin output {out:?} does not end in a newline"));
    assert_eq!(id.len(), 32, "begin printed {out:?}, not only an id");
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "begin printed {out:?}, not 32 hex digits"
    );
}

/// Creates table `name` (`id` integer primary key, `name` text) in `db`.
pub fn table(t: &Tx, db: &str, name: &str) {
    ok(&t.run(
        &["create", db, name, "id:integer", "name:text", "--pk", "id"],
        None,
    ));
}

/// The ids in `table` of `db`, in order.
pub fn ids(t: &Tx, db: &str, table: &str) -> Vec<i64> {
    rows(&t.db(db), &format!("select id from {table} order by id"))
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect()
}

//! Shared helpers for the integration tests: run the real binary in a temp
//! dir with a scrubbed environment, and read databases back with rusqlite.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rusqlite::Connection;
use serde_json::Value;

/// A temp dir to run litewrite in, with its own HOME and no stray config.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file in the sandbox and returns its path.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write file");
        p
    }

    /// A litewrite command run in the sandbox, environment scrubbed, actor "tester".
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("litewrite").expect("binary");
        c.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("LITEWRITE_ACTOR", "tester")
            .current_dir(self.dir.path());
        c
    }

    /// Runs litewrite with these arguments and optional stdin.
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut c = self.cmd();
        c.args(args);
        c.write_stdin(stdin.unwrap_or("").to_string());
        c.output().expect("run litewrite")
    }

    /// Writes a plugins.toml in the sandbox (picked up from the cwd).
    pub fn config(&self, toml: &str) -> PathBuf {
        self.write("plugins.toml", toml)
    }

    pub fn db(&self, name: &str) -> Connection {
        Connection::open(self.path(name)).expect("open db")
    }
}

/// Exit code of a finished run.
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success and returns stdout.
#[track_caller]
pub fn ok(o: &Output) -> String {
    assert_eq!(code(o), 0, "expected success; stderr: {}", stderr(o));
    stdout(o)
}

/// Asserts the exit code and returns stderr.
#[track_caller]
pub fn fails(o: &Output, expected: i32) -> String {
    assert_eq!(
        code(o),
        expected,
        "stdout: {} stderr: {}",
        stdout(o),
        stderr(o)
    );
    stderr(o)
}

/// The rows of a query as JSON objects (via rusqlite, not the binary).
pub fn rows(db: &Path, sql: &str) -> Vec<Value> {
    let conn = Connection::open(db).expect("open db");
    let mut stmt = conn.prepare(sql).expect("prepare");
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    let mut r = stmt.query([]).expect("query");
    while let Some(row) = r.next().expect("row") {
        let mut obj = serde_json::Map::new();
        for (i, n) in names.iter().enumerate() {
            let v = match row.get_ref(i).expect("value") {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(i) => Value::from(i),
                rusqlite::types::ValueRef::Real(f) => Value::from(f),
                rusqlite::types::ValueRef::Text(t) => {
                    Value::from(String::from_utf8_lossy(t).into_owned())
                }
                rusqlite::types::ValueRef::Blob(b) => Value::from(format!("blob:{}", b.len())),
            };
            obj.insert(n.clone(), v);
        }
        out.push(Value::Object(obj));
    }
    out
}

/// One integer from a query.
pub mod tx;
pub mod users;

/// Runs litewrite with extra environment variables (and empty stdin).
pub fn run_env(s: &Sandbox, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = s.cmd();
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args);
    c.write_stdin(String::new());
    c.output().expect("run litewrite")
}

/// Runs the system sqlite3 shell (an independent reader and tamperer).
pub fn sqlite3(db: &Path, sql: &str) -> String {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("run sqlite3");
    assert!(
        out.status.success(),
        "sqlite3 {sql:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `(name, declared type, notnull, default, pk)` of each column, via rusqlite.
pub fn columns(db: &Path, table: &str) -> Vec<(String, String, bool, Option<String>, i64)> {
    let conn = Connection::open(db).expect("open db");
    let mut stmt = conn
        .prepare("select name, type, \"notnull\", dflt_value, pk from pragma_table_info(?1)")
        .expect("prepare");
    let cols = stmt
        .query_map([table], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows");
    cols
}

pub fn count(db: &Path, sql: &str) -> i64 {
    let conn = Connection::open(db).expect("open db");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

/// Row changes a group recorded, per operation (`insert`, `update`,
/// `delete`): a range record counts for its rows, column lists not at all.
pub fn row_changes(db: &Path, group: i64) -> std::collections::BTreeMap<String, i64> {
    let conn = Connection::open(db).expect("open db");
    let mut stmt = conn
        .prepare(
            "select case op when 'insert-range' then 'insert' else op end,
                    sum(case op when 'insert-range'
                        then json_extract(key, '$[1]') - json_extract(key, '$[0]') + 1 else 1 end)
             from _litewrite_changes where group_id = ?1 and op in ('insert', 'insert-range', 'update', 'delete')
             group by 1",
        )
        .expect("prepare");
    let counts = stmt
        .query_map([group], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    counts
}

/// User tables (not sqlite_* nor _litewrite_*), their schema and rows
/// (values exact: REALs by their bits, TEXT that is not UTF-8 in hex).
/// Virtual tables are read through themselves; their shadow tables, whose
/// bytes depend on how an index was written, are left out.
pub fn user_state(db: &Path) -> Vec<String> {
    state_of(
        db,
        "name not like 'sqlite\\_%' escape '\\' and name not like '\\_litewrite\\_%' escape '\\'",
        false,
    )
}

/// [`user_state`] with every row's rowid (where the table has one a name
/// can reach), and the automatic indexes of user tables in the schema: what
/// undo must put back exactly.
pub fn user_state_with_rowids(db: &Path) -> Vec<String> {
    state_of(
        db,
        "tbl_name not like '\\_litewrite\\_%' escape '\\' and name <> 'sqlite_sequence'",
        true,
    )
}

/// The schema objects `filter` (a condition on sqlite_master) keeps, and
/// the rows of the tables among them, sorted; shadow tables left out.
fn state_of(db: &Path, filter: &str, rowids: bool) -> Vec<String> {
    use rusqlite::types::ValueRef;
    let conn = rusqlite::Connection::open(db).expect("open");
    let shadows: Vec<String> = conn
        .prepare("select name from pragma_table_list where schema = 'main' and type = 'shadow'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let objects: Vec<(String, String, String)> = conn
        .prepare(&format!(
            "select type, name, coalesce(sql, '') from sqlite_master where {filter} order by type, name"
        ))
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for (ty, name, sql) in objects {
        if shadows.contains(&name) {
            continue;
        }
        out.push(format!("{ty} {name}: {sql}"));
        if ty != "table" {
            continue;
        }
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let all = format!("select * from {quoted}");
        let mut q = if rowids {
            conn.prepare(&format!("select _rowid_, * from {quoted}"))
                .or_else(|_| conn.prepare(&all))
        } else {
            conn.prepare(&all)
        }
        .unwrap();
        let n = q.column_count();
        let mut r = q.query([]).unwrap();
        let mut rows = Vec::new();
        while let Some(row) = r.next().unwrap() {
            let vals: Vec<String> = (0..n)
                .map(|i| match row.get_ref(i).unwrap() {
                    ValueRef::Null => "NULL".into(),
                    ValueRef::Integer(i) => format!("i{i}"),
                    ValueRef::Real(f) => format!("r{f}/{:x}", f.to_bits()),
                    ValueRef::Text(t) => match std::str::from_utf8(t) {
                        Ok(s) => format!("t'{s}'"),
                        Err(_) => format!("t#{t:02x?}"),
                    },
                    ValueRef::Blob(b) => format!("x{b:02x?}"),
                })
                .collect();
            rows.push(vals.join("|"));
        }
        rows.sort();
        out.extend(rows.into_iter().map(|r| format!("  {name}: {r}")));
    }
    out
}

/// The OS user running the tests (what `allow-users` names to exempt it).
pub fn os_user() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("run id -un");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

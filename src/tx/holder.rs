//! The holder: the background process that owns one transaction's
//! connection and serves the requests sent to it, one at a time.
//!
//! It is the second front end beside `main`: for each request it builds a
//! [`Session`] (the client's command line, directory, `LITEWRITE_*`
//! variables and streams, carried over the socket; the configuration the
//! transaction began with; the held transaction) and runs the same command
//! code. A joined command's job runs through the one step loop
//! ([`pipeline::run_steps`]) in a savepoint of the transaction, through the
//! same wrapper chain as outside, with the transaction's table lists added
//! to the authorizer. A failed job is rolled back to its savepoint and the
//! transaction goes on — unless SQLite itself ended the transaction
//! (`RAISE(ROLLBACK)`, `OR ROLLBACK`, a full disk...): then the holder
//! records the failure in the audit log, leaves a marker naming the cause
//! (so every later command on the transaction fails with it), and exits;
//! nothing ever runs on that connection again.
//!
//! The deadline bounds everything: waiting for a request, reading its line
//! and its rows, writing its output (a client that stops reading can not
//! hold the transaction), and the SQL itself (interrupted when it passes).
//! At commit the wrappers close the transaction's change group and audit
//! entries; when the deadline passes, the holder rolls back, leaves an
//! expiry marker and exits.

use std::cell::RefCell;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Parser;
use rusqlite::hooks::{AuthAction, AuthContext};
use rusqlite::Connection;
use serde_json::{json, Value as Json};

use crate::access::{is_internal, is_schema_table, Rule};
use crate::cli::TxHolderArgs;
use crate::config::{self, any_glob, Config};
use crate::db::{self, quote};
use crate::error::{Error, Kind, Result};
use crate::job::{JobInfo, Outcome, WriteJob};
use crate::pipeline::{self, HeldScope, Scope, Writer};
use crate::session::{Channel, Clock, Diag, Env, Session, Streams};
use crate::wrappers::{self, Settled, TxEnd};

use super::protocol::{write_frame, FrameReader, FrameWriter, Request, Status};
use super::{
    committed_path, committing_path, expired_path, lost_path, meta_path, now_ms, remove_files,
    runtime_dir, socket_path, TxMeta, COMMIT_RECORDED,
};

/// The first argument that makes the binary a holder (see `main.rs`).
pub const HOLDER_ARG: &str = "__tx-holder";

/// The savepoint the wrappers' records of a commit are written in.
const COMMIT_SAVEPOINT: &str = "\"_litewrite_commit\"";

/// How long the last answer may take once the transaction is over (it
/// holds no lock then; a client that does not read it only loses it).
const LAST_ANSWER: Duration = Duration::from_secs(1);

/// The held transaction: what a session inside a holder reaches.
pub struct Held {
    writer: Writer,
    meta: TxMeta,
    /// The configuration the transaction began with: every command in it runs with it.
    config: Config,
    /// `tx begin -m`: the message of the transaction's change group, and of
    /// the audit entries of commands that give none.
    message: Option<String>,
    /// User savepoints, oldest first.
    savepoints: Vec<String>,
    /// Set when SQLite ended the transaction: why.
    lost: Option<String>,
}

impl Held {
    /// The transaction's id.
    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The transaction's database, canonicalized.
    pub fn database(&self) -> &std::path::Path {
        &self.meta.database
    }

    /// Checks that a command's database is the transaction's: `path` as
    /// the command named it, relative to the command's directory.
    pub fn check_database(&self, path: &std::path::Path, shown: &std::path::Path) -> Result<()> {
        if path.canonicalize().ok().as_deref() == Some(&self.meta.database) {
            return Ok(());
        }
        Err(Error::usage(format!(
            "transaction {} is on {}, not {}",
            self.meta.id,
            self.meta.database.display(),
            shown.display()
        )))
    }

    fn read_only(&self) -> bool {
        self.meta.write.is_empty() && self.meta.create.is_empty() && !self.meta.read.is_empty()
    }

    /// Runs a joined job inside the transaction (see [`pipeline::run`]).
    pub fn run_job(&mut self, mut job: WriteJob) -> Result<Outcome> {
        job.info.tx = Some(self.meta.id.clone());
        if self.read_only() {
            // A read-only transaction holds no write lock and takes none.
            let err = Error::denied(format!(
                "transaction {} is read-only (begun with --read only): {} denied",
                self.meta.id, job.info.command
            ));
            self.record_refusal(&job.info, &err)?;
            return Err(err);
        }
        let Held {
            writer, meta, lost, ..
        } = self;
        let rules = |conn: &Connection| -> Result<Vec<Box<dyn Rule>>> {
            Ok(vec![Box::new(TableLists::new(conn, meta)?)])
        };
        let mut scope = Scope::Held(HeldScope {
            id: &meta.id,
            rules: &rules,
            ended: None,
        });
        let result = pipeline::run_steps(writer, job, &mut scope);
        if let Scope::Held(HeldScope {
            ended: Some(cause), ..
        }) = scope
        {
            *lost = Some(cause);
        }
        result
    }

    /// Runs read-only SQL on the held connection, under the same authorizer
    /// rules as a job (core, table lists, the wrappers' read rules); reads
    /// are not jobs, so they take no write lock and leave no audit entry.
    pub fn read<T>(
        &mut self,
        info: &JobInfo,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let mut rules: Vec<Box<dyn Rule>> =
            vec![Box::new(TableLists::new(&self.writer.conn, &self.meta)?)];
        for w in &self.writer.chain {
            rules.extend(w.read_rules(&self.writer.conn, info)?);
        }
        let result = self.writer.read(rules, f);
        if pipeline::transaction_ended(&self.writer.conn) {
            let cause = match &result {
                Err(e) => e.message.clone(),
                Ok(_) => "SQLite ended it".into(),
            };
            self.lost = Some(format!(
                "transaction {} was rolled back by SQLite when `{}` failed: {cause}; nothing in it was committed",
                self.meta.id, info.command_line_redacted()
            ));
            return Err(Error::sql(format!(
                "{cause}; SQLite rolled back the whole transaction {} because of it: nothing in it will be committed",
                self.meta.id
            )));
        }
        result
    }

    /// Records a refusal of read-only work (see [`Held::read`]) the way a
    /// refused job is recorded.
    pub fn record_refusal(&mut self, info: &JobInfo, err: &Error) -> Result<()> {
        let mut info = info.clone();
        info.tx = Some(self.meta.id.clone());
        let settled = Settled {
            committed: false,
            in_tx: true,
            events: &[],
            group: None,
            error: Some(err),
        };
        for w in self.writer.chain.iter_mut() {
            w.settled(&self.writer.conn, &info, &settled)?;
        }
        Ok(())
    }

    fn savepoint(&mut self, op: &str, name: &str) -> Result<()> {
        if name.is_empty() || is_internal(name) {
            return Err(Error::usage(format!(
                "{name:?} can not be a savepoint name"
            )));
        }
        let conn = &self.writer.conn;
        let pos = self.savepoints.iter().position(|s| s == name);
        match (op, pos) {
            ("savepoint", Some(_)) => Err(Error::conflict(format!(
                "savepoint \"{name}\" already exists"
            ))),
            ("savepoint", None) => {
                conn.execute_batch(&format!("SAVEPOINT {}", quote(name)))?;
                self.savepoints.push(name.to_string());
                Ok(())
            }
            (_, None) => Err(Error::not_found(format!(
                "savepoint \"{name}\" does not exist"
            ))),
            ("release", Some(pos)) => {
                conn.execute_batch(&format!("RELEASE {}", quote(name)))?;
                self.savepoints.truncate(pos);
                Ok(())
            }
            (_, Some(pos)) => {
                crate::db::rollback(conn, &format!("ROLLBACK TO {}", quote(name)))?;
                self.savepoints.truncate(pos + 1);
                Ok(())
            }
        }
    }

    fn status(&self) -> Json {
        json!({
            "id": self.meta.id,
            "database": self.meta.database,
            "read": self.meta.read,
            "write": self.meta.write,
            "create": self.meta.create,
            "actor": self.meta.actor,
            "message": self.message,
            "config": self.config.source,
            "pid": self.meta.pid,
            "started_ms": self.meta.started_ms,
            "deadline_ms": self.meta.deadline_ms,
            "seconds_left": (self.meta.deadline_ms.saturating_sub(now_ms())) as f64 / 1000.0,
            "savepoints": self.savepoints,
        })
    }

    fn end(&self, committed: bool, by: &EndedBy) -> TxEnd {
        TxEnd {
            id: self.meta.id.clone(),
            committed,
            message: self.message.clone(),
            clock: by.clock.clone(),
            diag: by.diag.clone(),
        }
    }

    /// Commits: the wrappers close their records inside the transaction,
    /// then COMMIT. A commit that fails rolls everything back.
    fn commit(&mut self, by: &EndedBy) -> Result<()> {
        let end = self.end(true, by);
        let conn = &self.writer.conn;
        let shown = self.writer.hidden.shown(conn);
        let chain = &mut self.writer.chain;
        if self.meta.write.is_empty() && self.meta.create.is_empty() && !self.meta.read.is_empty() {
            // Nothing to keep; the records of refusals go in after it.
            conn.execute_batch("COMMIT")?;
            let outside = TxEnd {
                committed: false,
                ..end
            };
            for w in chain.iter_mut() {
                let _ = w.tx_end(conn, &outside);
            }
            return Ok(());
        }
        // If this process dies while COMMIT runs or after it, the marker
        // lets the next command tell the client what became of its work.
        let dir = runtime_dir().ok();
        let committing = dir.as_ref().map(|d| committing_path(d, &self.meta.id));
        let recorded = chain.iter().any(|w| w.name() == "audit-log");
        // The wrappers' records go in a savepoint: a COMMIT refused as
        // busy leaves the transaction open, and them undone.
        conn.execute_batch(&format!("SAVEPOINT {COMMIT_SAVEPOINT}"))?;
        let closed = chain
            .iter_mut()
            .try_for_each(|w| w.tx_end(conn, &end))
            .and_then(|()| {
                if let Some(marker) = &committing {
                    let _ = std::fs::write(marker, if recorded { COMMIT_RECORDED } else { "" });
                }
                conn.execute_batch("COMMIT")
                    .map_err(|e| pipeline::deferred_foreign_key(conn, e.into(), None, &shown))
            });
        if let (Some(marker), Some(dir)) = (&committing, &dir) {
            match &closed {
                Ok(()) => {
                    let _ = std::fs::rename(marker, committed_path(dir, &self.meta.id));
                }
                Err(_) => {
                    let _ = std::fs::remove_file(marker);
                }
            }
        }
        if let Err(e) = closed {
            if e.kind == Kind::Busy && !pipeline::transaction_ended(conn) {
                crate::db::rollback(
                    conn,
                    &format!("ROLLBACK TO {COMMIT_SAVEPOINT}; RELEASE {COMMIT_SAVEPOINT}"),
                )?;
                for w in chain.iter_mut() {
                    w.tx_commit_busy();
                }
                return Err(Error {
                    message: format!(
                        "{}; transaction {} is still open: commit it again once the database is free, or roll it back",
                        e.message, self.meta.id
                    ),
                    ..e
                });
            }
            if !pipeline::transaction_ended(conn) {
                let _ = crate::db::rollback(conn, "ROLLBACK");
            }
            let e = Error {
                message: format!(
                    "{}; transaction {} was rolled back: nothing in it was committed",
                    e.message, self.meta.id
                ),
                ..e
            };
            // The failed COMMIT is a failed job of the transaction: the
            // wrappers record it with the others, after the rollback.
            let info = JobInfo {
                command: "commit",
                database: self.meta.database.clone(),
                sql: Some("COMMIT".into()),
                actor: by.actor.clone(),
                message: self.message.clone(),
                command_line: by.command_line.clone(),
                // `litewrite tx commit ID`: words with nothing to redact.
                argv: by.command_line.split(' ').map(String::from).collect(),
                tx: Some(self.meta.id.clone()),
                clock: by.clock.clone(),
                diag: by.diag.clone(),
                ..JobInfo::default()
            };
            let failed = Settled {
                committed: false,
                in_tx: true,
                events: &[],
                group: None,
                error: Some(&e),
            };
            let lost = TxEnd {
                committed: false,
                ..end
            };
            for w in chain.iter_mut() {
                let _ = w.settled(conn, &info, &failed);
                let _ = w.tx_end(conn, &lost);
            }
            return Err(e);
        }
        // Another program's idle connection would keep the commit in the
        // WAL past the holder's close: fold it into the file now.
        crate::db::fold_wal(conn);
        for w in chain.iter_mut() {
            w.tx_committed(&end)?;
        }
        Ok(())
    }

    /// Rolls back (unless SQLite already did) and lets the wrappers record
    /// what failed in the transaction.
    fn rollback(&mut self, by: &EndedBy) {
        let end = self.end(false, by);
        let conn = &self.writer.conn;
        if !pipeline::transaction_ended(conn) {
            let _ = crate::db::rollback(conn, "ROLLBACK");
        }
        for w in self.writer.chain.iter_mut() {
            let _ = w.tx_end(conn, &end);
        }
    }
}

/// The transaction's table lists as an authorizer rule.
///
/// The lists govern the user's tables and views: names the schema holds
/// when the statement is checked. A name the schema does not hold is no
/// table: a common table expression (`WITH RECURSIVE c(x) AS (...) SELECT
/// ... FROM c`) or a table-valued function (`pragma_table_info(...)`,
/// `json_each(...)`); such reads are free. A user table named like a
/// function (`pragma_secrets`) is a table, and governed.
pub struct TableLists {
    read: Vec<String>,
    write: Vec<String>,
    /// The lower-case names of the tables and views in `main` and `temp`.
    tables: Vec<String>,
    /// The new names of the shadow tables of a listed virtual table the
    /// transaction renamed (to a listed name): its module writes them.
    renamed_shadows: Mutex<Vec<String>>,
}

impl TableLists {
    /// The lists of a transaction. A listed virtual table brings its
    /// shadow tables (which its module reads and writes) into the same list.
    fn new(conn: &Connection, meta: &TxMeta) -> Result<TableLists> {
        let mut stmt = conn.prepare_cached(
            "SELECT name, type FROM pragma_table_list WHERE schema IN ('main', 'temp')",
        )?;
        let listed: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let expand = |list: &[String]| -> Vec<String> {
            let mut out = list.to_vec();
            for (s, _) in listed.iter().filter(|(_, t)| t == "shadow") {
                let owner_listed = list
                    .iter()
                    .any(|t| !t.contains(['*', '?']) && crate::capture::schema::owns_shadow(t, s));
                if owner_listed {
                    out.push(s.clone());
                }
            }
            out
        };
        let mut write = meta.write.clone();
        write.extend(meta.create.iter().cloned());
        Ok(TableLists {
            read: expand(&meta.read),
            write: expand(&write),
            tables: listed.iter().map(|(n, _)| n.to_ascii_lowercase()).collect(),
            renamed_shadows: Mutex::new(Vec::new()),
        })
    }

    fn is_table(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.tables.contains(&lower)
    }
}

impl Rule for TableLists {
    fn check(&self, ctx: &AuthContext<'_>) -> Option<String> {
        if let AuthAction::Attach { filename } = ctx.action {
            return Some(format!(
                "ATTACH {filename:?} is denied inside a transaction"
            ));
        }
        // A TEMP object would outlive the request on the holder's
        // connection (a request can not change it for later ones), and a
        // TEMP table would shadow the main one of its name: what later
        // requests write to it is never committed.
        if let Some(table_name) = creates_temp(ctx) {
            return Some(format!(
                "TEMP object on \"{table_name}\" denied: a transaction keeps no TEMP tables, indexes, triggers or views from one request to the next"
            ));
        }
        if self.read.is_empty() && self.write.is_empty() {
            return None;
        }
        // The schema and the tool's own records are always readable; the
        // lists govern the user's tables.
        let readable = |t: &str| {
            let lower = t.to_ascii_lowercase();
            !self.is_table(t)
                || lower.starts_with("sqlite_")
                || is_internal(t)
                || any_glob(&self.read, t)
                || any_glob(&self.write, t)
        };
        let write = |t: &str, what: &str| {
            (!any_glob(&self.write, t)).then(|| {
                format!("table \"{t}\" is not in this transaction's --write list: {what} denied")
            })
        };
        // Rows of a renamed virtual table's shadow tables, which its module
        // writes, are written as the virtual table's.
        let write_rows = |t: &str, what: &str| {
            let renamed_shadow = self
                .renamed_shadows
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .any(|s| s.eq_ignore_ascii_case(t));
            write(t, what).filter(|_| !renamed_shadow)
        };
        match ctx.action {
            AuthAction::Read { table_name, .. } if !readable(table_name) => Some(format!(
                "table \"{table_name}\" is not in this transaction's --read or --write lists: read denied"
            )),
            // CREATE, ALTER and DROP write the schema tables (a rename also
            // rewrites sqlite_temp_master); they are checked as what they
            // are (direct writes need writable_schema, refused).
            AuthAction::Insert { table_name } if !is_schema_table(table_name) => {
                write_rows(table_name, "insert")
            }
            AuthAction::Update { table_name, .. } if !is_schema_table(table_name) => {
                write_rows(table_name, "update")
            }
            AuthAction::Delete { table_name } if !is_schema_table(table_name) => {
                write_rows(table_name, "delete")
            }
            AuthAction::AlterTable { table_name, .. } => write(table_name, "alter"),
            AuthAction::DropTable { table_name } => write(table_name, "drop"),
            AuthAction::CreateTable { table_name } => write(table_name, "create"),
            AuthAction::CreateIndex { table_name, .. } | AuthAction::DropIndex { table_name, .. } => {
                write(table_name, "index")
            }
            AuthAction::CreateTrigger { table_name, .. } | AuthAction::DropTrigger { table_name, .. } => {
                write(table_name, "trigger")
            }
            _ => None,
        }
    }

    /// What the authorizer can not see: the new name of a rename, and TEMP
    /// objects made without saying TEMP (`CREATE TRIGGER temp.x ON t` is
    /// authorized as a trigger on main table t).
    fn refuses_schema(&self, renamed_to: &[String], temp: &[String]) -> Option<String> {
        if let Some(name) = temp.first() {
            return Some(format!(
                "TEMP object \"{name}\" denied: a transaction keeps no TEMP tables, indexes, triggers or views from one request to the next"
            ));
        }
        if self.read.is_empty() && self.write.is_empty() {
            return None;
        }
        // Renaming a virtual table renames its shadow tables too: they
        // follow it, and only its own new name must be listed.
        let (shadows, tables): (Vec<&String>, Vec<&String>) = renamed_to.iter().partition(|n| {
            renamed_to
                .iter()
                .any(|owner| crate::capture::schema::owns_shadow(owner, n))
        });
        if let Some(n) = tables.iter().find(|n| !any_glob(&self.write, n)) {
            return Some(format!(
                "renaming a table to \"{n}\" is denied: the name is not in this transaction's --write or --create lists"
            ));
        }
        self.renamed_shadows
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(shadows.into_iter().cloned());
        None
    }
}

/// The table (or view) a statement creates a TEMP object on, whether it
/// says `TEMP` or names the `temp` schema (`CREATE TABLE temp.x`).
fn creates_temp<'a>(ctx: &AuthContext<'a>) -> Option<&'a str> {
    let in_temp = ctx
        .database_name
        .is_some_and(|d| d.eq_ignore_ascii_case("temp"));
    match ctx.action {
        AuthAction::CreateTempTable { table_name }
        | AuthAction::CreateTempIndex { table_name, .. }
        | AuthAction::CreateTempTrigger { table_name, .. }
        | AuthAction::CreateTempView {
            view_name: table_name,
        } => Some(table_name),
        AuthAction::CreateTable { table_name }
        | AuthAction::CreateIndex { table_name, .. }
        | AuthAction::CreateTrigger { table_name, .. }
        | AuthAction::CreateView {
            view_name: table_name,
        } if in_temp => Some(table_name),
        _ => None,
    }
}

/// A socket whose every read and write ends by the deadline: each call may
/// block at most until then, and past it fails at once as timed out.
struct DeadlineStream {
    stream: UnixStream,
    deadline: Instant,
}

impl DeadlineStream {
    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the transaction's timeout passed",
            ));
        }
        Ok(left)
    }

    fn try_clone(&self) -> io::Result<DeadlineStream> {
        Ok(DeadlineStream {
            stream: self.stream.try_clone()?,
            deadline: self.deadline,
        })
    }
}

impl Read for DeadlineStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(Some(self.left()?))?;
        self.stream.read(buf)
    }
}

impl Write for DeadlineStream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.set_write_timeout(Some(self.left()?))?;
        self.stream.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

/// The holder process (`litewrite __tx-holder ...`): begins the
/// transaction, reports readiness on stdout, then serves requests until
/// commit, rollback, the deadline, or SQLite ending the transaction.
/// Returns the exit code.
pub fn main(args: &[std::ffi::OsString]) -> u8 {
    let mut args = args.to_vec();
    args.remove(1);
    let a = match TxHolderArgs::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return Kind::Usage.exit_code();
        }
    };
    let started = start(&a);
    let mut out = io::stdout();
    match started {
        Err(e) => {
            let status =
                json!({"code": e.kind.exit_code(), "kind": e.kind.name(), "error": e.to_string()});
            let _ = writeln!(out, "error {status}").and_then(|()| out.flush());
            e.kind.exit_code()
        }
        Ok((held, listener, deadline)) => {
            let _ = writeln!(out, "ready").and_then(|()| out.flush());
            detach_stdio();
            Holder {
                held: RefCell::new(held),
                listener,
                deadline,
            }
            .serve();
            0
        }
    }
}

/// Begins the transaction: opens the database with the configuration
/// `tx begin` found, takes the lock, checks the table lists, listens.
fn start(a: &TxHolderArgs) -> Result<(Held, UnixListener, Instant)> {
    let config = match &a.config_file {
        Some(path) => config::load(path)?,
        None => Config::default(),
    };
    let busy = Duration::from_millis(a.busy_timeout_ms);
    let conn = db::open_write(&a.db, false, config.file, busy)?;
    let writer = Writer::new(conn, wrappers::build(&config)?, busy)?
        .with_hidden(crate::wrappers::authorizer::Hidden::for_user(&config));
    let deferred = a.write.is_empty() && a.create.is_empty() && !a.read.is_empty();
    // The read snapshot is taken now, as a begun transaction should.
    let begin = if deferred {
        "BEGIN DEFERRED"
    } else {
        "BEGIN IMMEDIATE"
    };
    db::begin(&writer.conn, begin, || {
        format!("database {} is locked by another writer", a.db.display())
    })?;
    writer.authorizer.begun(&writer.conn)?;
    check_lists(&writer.conn, a, &config)?;
    let dir = runtime_dir()?;
    let sock = socket_path(&dir, &a.id);
    let _ = std::fs::remove_file(&sock);
    let listener = UnixListener::bind(&sock)
        .map_err(|e| Error::sql(format!("can not listen on {}: {e}", sock.display())))?;
    let now = now_ms();
    let meta = TxMeta {
        id: a.id.clone(),
        database: a.db.canonicalize()?,
        read: a.read.clone(),
        write: a.write.clone(),
        create: a.create.clone(),
        pid: std::process::id(),
        actor: a.actor.clone(),
        started_ms: now,
        deadline_ms: now + a.timeout_ms,
    };
    let tmp = dir.join(format!("{}.json.tmp", a.id));
    std::fs::write(
        &tmp,
        serde_json::to_vec(&meta).map_err(std::io::Error::from)?,
    )?;
    std::fs::rename(&tmp, meta_path(&dir, &a.id))?;
    let deadline = Instant::now() + Duration::from_millis(a.timeout_ms);
    let held = Held {
        writer,
        meta,
        config,
        message: a.message.clone(),
        savepoints: Vec::new(),
        lost: None,
    };
    Ok((held, listener, deadline))
}

/// The names the lists give must exist (a typo is *not found*), those
/// `--create` gives must not (*conflict*), and none may be a table the
/// authorizer hides from this user (*denied*). Patterns (`staging_*`) are
/// not checked: they may match tables the transaction creates.
fn check_lists(conn: &Connection, a: &TxHolderArgs, config: &Config) -> Result<()> {
    let named = a
        .read
        .iter()
        .map(|t| ("--read", t))
        .chain(a.write.iter().map(|t| ("--write", t)))
        .chain(a.create.iter().map(|t| ("--create", t)));
    for (flag, name) in named {
        if name.contains(['*', '?']) {
            continue;
        }
        // The schema is readable in every transaction; it is written only
        // by CREATE, ALTER and DROP of the tables the lists give.
        if is_schema_table(name) {
            if flag == "--read" {
                continue;
            }
            return Err(Error::usage(format!(
                "{flag} {name}: the schema table can not be listed to write; it is readable in every transaction and changed only by CREATE, ALTER and DROP of listed tables"
            )));
        }
        if let Some(why) = crate::wrappers::authorizer::list_refusal(config, conn, name)? {
            return Err(Error::denied(format!("{flag} {name}: {why}")));
        }
    }
    let exists = |name: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached(
                "SELECT 1 FROM main.sqlite_master WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
            )?
            .exists([name])?)
    };
    let hidden = crate::wrappers::authorizer::Hidden::for_user(config);
    let shown = hidden.shown(conn);
    for (flag, name) in a
        .read
        .iter()
        .map(|t| ("--read", t))
        .chain(a.write.iter().map(|t| ("--write", t)))
    {
        if !name.contains(['*', '?']) && !is_schema_table(name) && !exists(name)? {
            // The holder's connection runs no authorizer policy yet: the
            // hidden tables are left out of the "did you mean" here.
            let err = db::missing_table_but(conn, name, |n| !shown(n));
            return Err(Error {
                message: format!("{flag} {name}: {}", err.message),
                hint: Some(match err.hint {
                    Some(h) => {
                        format!("{h} (a table the transaction creates is given with --create)")
                    }
                    None => format!("to create it inside the transaction, give --create {name}"),
                }),
                ..err
            });
        }
    }
    for name in &a.create {
        if exists(name)? {
            return Err(Error::conflict(format!(
                "--create {name}: table \"{name}\" already exists"
            ))
            .with_hint(format!("give it with --write {name}")));
        }
    }
    Ok(())
}

/// Points stdin, stdout and stderr at /dev/null: the begin command that
/// started us is gone and nobody reads them.
fn detach_stdio() {
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        let _ = nix::unistd::dup2_stdin(&null);
        let _ = nix::unistd::dup2_stdout(&null);
        let _ = nix::unistd::dup2_stderr(&null);
    }
}

/// What stamps the records of the transaction's end, and where their
/// warnings go: the request that ended it (an expiry: the system clock,
/// and nobody to warn).
struct EndedBy {
    clock: Clock,
    diag: Diag,
    /// Who ended it (the label), and the command line that did.
    actor: String,
    command_line: String,
}

impl Default for EndedBy {
    fn default() -> EndedBy {
        EndedBy {
            clock: Clock::System,
            diag: Diag::new(Channel::new(io::sink()), true, false),
            actor: crate::access::os_user().to_string(),
            command_line: String::new(),
        }
    }
}

/// How the transaction ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Committed,
    RolledBack,
    Expired,
    /// SQLite ended it.
    Lost,
    /// Its COMMIT failed, and it was rolled back then.
    CommitFailed,
}

/// The status that ends an answer, not yet sent.
struct LastAnswer {
    stream: UnixStream,
    payload: Vec<u8>,
}

impl LastAnswer {
    /// Sends it, waiting at most `limit` for a client that does not read.
    fn send(mut self, limit: Duration) {
        let _ = self
            .stream
            .set_write_timeout(Some(limit.max(Duration::from_millis(1))));
        let _ =
            write_frame(&mut self.stream, b'e', &self.payload).and_then(|_| self.stream.flush());
    }
}

/// The serving process.
struct Holder {
    held: RefCell<Held>,
    listener: UnixListener,
    deadline: Instant,
}

impl Holder {
    fn serve(self) {
        use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return self.finish(End::Expired, &EndedBy::default());
            }
            // At most a minute at a time: the loop checks the deadline.
            let ms = left.as_millis().clamp(1, 60_000) as u16;
            let mut fds = [PollFd::new(self.listener.as_fd(), PollFlags::POLLIN)];
            let timeout = PollTimeout::from(ms);
            if !matches!(poll(&mut fds, timeout), Ok(n) if n > 0) {
                continue;
            }
            let Ok((stream, _)) = self.listener.accept() else {
                continue;
            };
            if !same_user(&stream) {
                continue;
            }
            if let Some(answer) = self.handle(stream) {
                let id = self.held.borrow().meta.id.clone();
                // Close the connection first: its last close checkpoints the
                // WAL, so once the client has the answer the database file
                // alone holds the commit.
                drop(self);
                // Once the transaction is over it holds nothing: a client
                // that does not read the answer loses it after a moment.
                answer.send(LAST_ANSWER);
                // Answered: the commit marker has served its purpose.
                if let Ok(dir) = runtime_dir() {
                    let _ = std::fs::remove_file(committed_path(&dir, &id));
                }
                return;
            }
        }
    }

    /// Serves one request. When it ended the transaction, returns the
    /// answer, to send once the connection is closed.
    fn handle(&self, stream: UnixStream) -> Option<LastAnswer> {
        let socket = DeadlineStream {
            stream,
            deadline: self.deadline,
        };
        let mut reader = BufReader::new(socket.try_clone().ok()?);
        let mut line = String::new();
        // A client that connects and says nothing waits with us only until the deadline.
        let read = reader.read_line(&mut line);
        let mut by = EndedBy::default();
        let (mut status, mut end) = match read {
            // A client that went away, or said nothing until the deadline.
            Ok(0) | Err(_) if Instant::now() < self.deadline => return None,
            Ok(0) | Err(_) => (Status::default(), None),
            Ok(_) => match serde_json::from_str::<Request>(&line) {
                Err(_) => return None,
                Ok(req) => {
                    // The deadline holds while a request runs too: SQL is
                    // interrupted when it passes.
                    let left = self.deadline.saturating_duration_since(Instant::now());
                    let watch = db::Watchdog::start(
                        &self.held.borrow().writer.conn,
                        left.as_millis().max(1) as u64,
                    );
                    let answer = self.request(&req, reader, &socket, &mut by);
                    drop(watch);
                    answer
                }
            },
        };
        if end.is_none() {
            let mut held = self.held.borrow_mut();
            // Whatever the request was (a savepoint that hit an I/O error,
            // say), a transaction SQLite ended is over: nothing may run on
            // the connection in autocommit mode.
            if held.lost.is_none() && pipeline::transaction_ended(&held.writer.conn) {
                held.lost = Some(format!(
                    "transaction {} was rolled back by SQLite when a request failed: {}; nothing in it was committed",
                    held.meta.id,
                    status.error.as_deref().unwrap_or("SQLite ended it")
                ));
            }
            if held.lost.is_some() {
                end = Some(End::Lost);
            }
        }
        // Past the deadline, whatever else ended it (the watchdog's
        // interrupt makes SQLite roll back a write), it expired.
        let overtaken = matches!(end, None | Some(End::Lost) | Some(End::CommitFailed));
        if overtaken && Instant::now() >= self.deadline {
            end = Some(End::Expired);
            status = status_of(&Error::expired(format!(
                "transaction {} passed its timeout while this command ran, and was rolled back",
                self.held.borrow().meta.id
            )));
        }
        // End the transaction (and remove its files) before answering, so a
        // client that has the answer finds the transaction gone.
        if let Some(e) = end {
            self.finish(e, &by);
        }
        let answer = LastAnswer {
            stream: socket.stream,
            payload: serde_json::to_vec(&status).unwrap_or_default(),
        };
        if end.is_some() {
            return Some(answer);
        }
        // A client that went away does not disturb the transaction.
        answer.send(self.deadline.saturating_duration_since(Instant::now()));
        None
    }

    /// Runs one request; returns its status and how it ended the transaction.
    fn request(
        &self,
        req: &Request,
        reader: BufReader<DeadlineStream>,
        socket: &DeadlineStream,
        by: &mut EndedBy,
    ) -> (Status, Option<End>) {
        let cli = match req.op.as_str() {
            "run" => match crate::cli::parse_from(&req.argv) {
                Ok(cli) if runs_in_transaction(&cli.command) => Some(cli),
                Ok(_) => {
                    return (
                        status_of(&Error::usage(
                            "only write commands, query and tx exec run inside a transaction",
                        )),
                        None,
                    )
                }
                Err(e) => {
                    return (
                        status_of(&Error::usage(e.to_string().trim().to_string())),
                        None,
                    )
                }
            },
            _ => None,
        };
        let (flags, command) = match cli {
            Some(cli) => (Some(cli.global), Some(cli.command)),
            None => (None, None),
        };
        let session = match self.session(req, flags, reader, socket) {
            Ok(s) => s,
            Err(e) => return (status_of(&e), None),
        };
        *by = EndedBy {
            clock: session.clock.clone(),
            diag: session.diag.clone(),
            actor: session.actor.clone(),
            command_line: format!("litewrite tx {} {}", req.op, self.held.borrow().meta.id),
        };
        match req.op.as_str() {
            "run" => {
                let Some(command) = command else {
                    return (Status::default(), None);
                };
                let (code, err) = crate::cmd::execute(&session, command);
                let status = match err {
                    Some(e) => Status {
                        code,
                        ..status_of(&e)
                    },
                    None => Status {
                        code,
                        ..Status::default()
                    },
                };
                (status, None)
            }
            "savepoint" | "release" | "rollback-to" => {
                let name = req.name.clone().unwrap_or_default();
                let done = self.held.borrow_mut().savepoint(&req.op, &name);
                match done {
                    Ok(()) => (Status::default(), None),
                    Err(e) => (status_of(&e), None),
                }
            }
            "commit" => {
                let done = self.held.borrow_mut().commit(by);
                match done {
                    Ok(()) => (Status::default(), Some(End::Committed)),
                    // Refused as busy: the transaction is still open.
                    Err(e) if !pipeline::transaction_ended(&self.held.borrow().writer.conn) => {
                        (status_of(&e), None)
                    }
                    Err(e) => {
                        // Later commands on it say why it is gone.
                        self.held.borrow_mut().lost = Some(e.message.clone());
                        (status_of(&e), Some(End::CommitFailed))
                    }
                }
            }
            "rollback" => (Status::default(), Some(End::RolledBack)),
            "status" => (
                Status {
                    data: Some(self.held.borrow().status()),
                    ..Status::default()
                },
                None,
            ),
            other => (
                status_of(&Error::usage(format!("unknown request {other:?}"))),
                None,
            ),
        }
    }

    /// The session of a request: the client's command line, directory,
    /// variables and streams; the transaction's configuration.
    fn session(
        &self,
        req: &Request,
        command_flags: Option<crate::cli::GlobalArgs>,
        reader: BufReader<DeadlineStream>,
        socket: &DeadlineStream,
    ) -> Result<Session<'_>> {
        let held = self.held.borrow();
        let mut flags = crate::cli::GlobalArgs {
            json: req.json,
            ..Default::default()
        };
        let mut ignored_config = None;
        if let Some(given) = command_flags {
            flags = given;
            if let Some(tx) = flags.tx.as_deref().filter(|t| *t != held.meta.id) {
                return Err(Error::usage(format!(
                    "--tx {tx} reached transaction {}",
                    held.meta.id
                )));
            }
            if let Some(c) = flags.config.take() {
                let given = PathBuf::from(req.cwd.clone().unwrap_or_default()).join(&c);
                let same = match (&held.config.source, given.canonicalize()) {
                    (Some(source), Ok(given)) => source.canonicalize().ok() == Some(given),
                    _ => false,
                };
                if !same {
                    ignored_config = Some(c);
                }
            }
            flags.message = flags.message.or_else(|| held.message.clone());
        }
        let stdout = socket.try_clone()?;
        let stderr = socket.try_clone()?;
        let stdin: Option<Box<dyn Read + Send>> = if req.stdin {
            Some(Box::new(FrameReader::new(reader)))
        } else {
            None
        };
        let streams = Streams {
            stdin_terminal: stdin.is_none(),
            stdin,
            stdout: Channel::new(FrameWriter {
                inner: stdout,
                kind: b'o',
            }),
            stderr: Channel::new(FrameWriter {
                inner: stderr,
                kind: b'w',
            }),
            stderr_terminal: false,
        };
        let session = Session::new(
            flags,
            req.argv.clone(),
            PathBuf::from(req.cwd.clone().unwrap_or_default()),
            Env::from_pairs(&req.env),
            streams,
            Some(held.config.clone()),
            Some(&self.held),
        );
        if let Some(c) = ignored_config {
            session.diag.warn(&format!(
                "--config {} is ignored: transaction {} runs with the configuration it began with ({})",
                c.display(),
                held.meta.id,
                held.config
                    .source
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "the built-in default".into())
            ));
        }
        Ok(session)
    }

    /// Ends the transaction as `end` says and removes its files, leaving
    /// the marker later commands read (expired, or why SQLite ended it).
    fn finish(&self, end: End, by: &EndedBy) {
        let dir = runtime_dir().ok();
        let mut held = self.held.borrow_mut();
        let id = held.meta.id.clone();
        match end {
            End::Committed => {}
            End::RolledBack => held.rollback(by),
            End::Expired => {
                held.rollback(by);
                if let Some(dir) = &dir {
                    let _ = std::fs::write(expired_path(dir, &id), b"");
                }
            }
            End::Lost | End::CommitFailed => {
                if end == End::Lost {
                    held.rollback(by);
                }
                if let (Some(dir), Some(cause)) = (&dir, &held.lost) {
                    let _ = std::fs::write(lost_path(dir, &id), cause.as_bytes());
                }
            }
        }
        if let Some(dir) = &dir {
            remove_files(dir, &id);
        }
    }
}

fn status_of(e: &Error) -> Status {
    Status {
        code: e.kind.exit_code(),
        error: Some(e.to_string()),
        kind: Some(e.kind.name().to_string()),
        data: None,
    }
}

/// The commands a holder runs: those that join a transaction, and `tx exec`.
fn runs_in_transaction(command: &crate::cli::Command) -> bool {
    use crate::cli::{Command, TxArgs, TxCommand};
    crate::cmd::joins_transaction(command)
        || matches!(
            command,
            Command::Tx(TxArgs {
                command: TxCommand::Exec(_)
            })
        )
}

/// Only the user who began the transaction may talk to it.
fn same_user(stream: &UnixStream) -> bool {
    use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};
    match getsockopt(stream, PeerCredentials) {
        Ok(cred) => cred.uid() == nix::unistd::Uid::current().as_raw(),
        Err(_) => false,
    }
}

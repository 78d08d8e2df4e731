//! The holder: the background process that owns one transaction's
//! connection and serves the commands sent to it, one at a time.
//!
//! Each joined command runs as a job inside a savepoint of the transaction,
//! through the same wrapper chain as outside, with the transaction's table
//! lists added to the authorizer. A failed job is rolled back to its
//! savepoint and the transaction goes on. At commit the wrappers close the
//! transaction's change group and audit entries; when the deadline passes,
//! the holder rolls back, leaves an expiry marker and exits.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::io::AsRawFd;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;

use rusqlite::hooks::{AuthAction, AuthContext};
use rusqlite::Connection;
use serde_json::{json, Value as Json};

use crate::access::{is_internal, Authorizer, Rule};
use crate::capture::Capture;
use crate::cli::{GlobalArgs, TxHolderArgs};
use crate::config::{self, any_glob};
use crate::db::{self, quote};
use crate::error::{Error, Result};
use crate::job::{Outcome, Step, WriteJob};
use crate::wrappers::{self, Settled, TxEnd, Wrapper};

use super::protocol::{write_frame, FrameReader, FrameWriter, Request, Status};
use super::{expired_path, meta_path, now_ms, remove_files, runtime_dir, socket_path, TxMeta};

/// The first argument that makes the binary a holder (see `main.rs`).
pub const HOLDER_ARG: &str = "__tx-holder";

/// The savepoint each joined job runs in.
const JOB_SAVEPOINT: &str = "_litewrite_job";

struct Holder {
    /// Declared first: it is dropped before the connection it hooks.
    capture: Capture,
    conn: Connection,
    authorizer: Authorizer,
    chain: Vec<Box<dyn Wrapper>>,
    meta: TxMeta,
    /// User savepoints, oldest first.
    savepoints: Vec<String>,
}

thread_local! {
    static HOLDER: RefCell<Option<Holder>> = const { RefCell::new(None) };
}

/// True inside a holder (commands then run on its connection).
pub fn active() -> bool {
    HOLDER.with(|h| h.borrow().is_some())
}

/// The id of the transaction this process holds, if any.
pub fn active_id() -> Option<String> {
    HOLDER.with(|h| h.borrow().as_ref().map(|h| h.meta.id.clone()))
}

/// The database of the transaction this process holds.
pub fn active_database() -> Option<PathBuf> {
    HOLDER.with(|h| h.borrow().as_ref().map(|h| h.meta.database.clone()))
}

/// The transaction's table lists as an authorizer rule.
pub struct TableLists {
    read: Vec<String>,
    write: Vec<String>,
}

impl TableLists {
    /// The lists of a transaction. A listed virtual table brings its
    /// shadow tables (which its module reads and writes) into the same list.
    fn new(conn: &Connection, meta: &TxMeta) -> Result<TableLists> {
        let shadows: Vec<String> = conn
            .prepare_cached(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let expand = |list: &[String]| -> Vec<String> {
            let mut out = list.to_vec();
            for s in &shadows {
                let lower = s.to_ascii_lowercase();
                let owner_listed = list.iter().any(|t| {
                    !t.contains(['*', '?'])
                        && lower.starts_with(&format!("{}_", t.to_ascii_lowercase()))
                });
                if owner_listed {
                    out.push(s.clone());
                }
            }
            out
        };
        Ok(TableLists {
            read: expand(&meta.read),
            write: expand(&meta.write),
        })
    }
}

impl Rule for TableLists {
    fn check(&self, ctx: &AuthContext<'_>) -> Option<String> {
        if let AuthAction::Attach { filename } = ctx.action {
            return Some(format!(
                "ATTACH {filename:?} is denied inside a transaction"
            ));
        }
        if self.read.is_empty() && self.write.is_empty() {
            return None;
        }
        // The schema, its table-valued pragmas and the tool's own records are
        // always readable; the lists govern the user's tables.
        let readable = |t: &str| {
            let lower = t.to_ascii_lowercase();
            lower.starts_with("sqlite_")
                || lower.starts_with("pragma_")
                || is_internal(t)
                || any_glob(&self.read, t)
                || any_glob(&self.write, t)
        };
        let write = |t: &str, what: &str| {
            (!any_glob(&self.write, t)).then(|| {
                format!("table \"{t}\" is not in this transaction's --write list: {what} denied")
            })
        };
        match ctx.action {
            AuthAction::Read { table_name, .. } if !readable(table_name) => Some(format!(
                "table \"{table_name}\" is not in this transaction's --read or --write lists: read denied"
            )),
            AuthAction::Insert { table_name } if !table_name.eq_ignore_ascii_case("sqlite_master") => {
                write(table_name, "insert")
            }
            AuthAction::Update { table_name, .. } => write(table_name, "update"),
            AuthAction::Delete { table_name } if !table_name.eq_ignore_ascii_case("sqlite_master") => {
                write(table_name, "delete")
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
}

/// Runs read-only work on the held connection, under the same authorizer
/// rules as a job (core, table lists, the wrappers' read rules); reads are
/// not jobs, so they take no write lock and leave no audit entry.
pub fn with_read_connection<T>(
    info: &crate::job::JobInfo,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    HOLDER.with(|cell| {
        let guard = cell.borrow();
        let h = guard.as_ref().expect("inside a holder");
        let mut policy = crate::access::core_policy();
        policy
            .rules
            .push(Box::new(TableLists::new(&h.conn, &h.meta)?));
        for w in &h.chain {
            policy.rules.extend(w.read_rules(&h.conn, info)?);
        }
        h.authorizer.set(&h.conn, Some(policy));
        let result = f(&h.conn).map_err(|e| h.authorizer.explain(e));
        // A statement the rules refused does not prepare: that is the answer.
        let denied = h.authorizer.denial();
        h.authorizer.clear(&h.conn);
        match (result, denied) {
            (Ok(_), Some(d)) => Err(d),
            (result, _) => result,
        }
    })
}

/// Records a refusal of read-only work (see [`with_read_connection`]) the
/// way a refused job is recorded.
pub fn record_refusal(info: &crate::job::JobInfo, err: &Error) -> Result<()> {
    HOLDER.with(|cell| {
        let mut guard = cell.borrow_mut();
        let h = guard.as_mut().expect("inside a holder");
        let mut info = info.clone();
        info.tx = Some(h.meta.id.clone());
        let settled = Settled {
            committed: false,
            in_tx: true,
            events: &[],
            group: None,
            error: Some(err),
        };
        for w in h.chain.iter_mut() {
            w.settled(&h.conn, &info, &settled)?;
        }
        Ok(())
    })
}

fn read_only(meta: &TxMeta) -> bool {
    meta.write.is_empty() && !meta.read.is_empty()
}

/// Runs a joined job inside the held transaction (called by the pipeline).
pub fn run_job(mut job: WriteJob) -> Result<Outcome> {
    HOLDER.with(|cell| {
        let mut guard = cell.borrow_mut();
        let h = guard.as_mut().expect("inside a holder");
        let db = job
            .info
            .database
            .canonicalize()
            .unwrap_or_else(|_| job.info.database.clone());
        if db != h.meta.database {
            return Err(Error::usage(format!(
                "transaction {} is on {}, not {}",
                h.meta.id,
                h.meta.database.display(),
                job.info.database.display()
            )));
        }
        job.info.tx = Some(h.meta.id.clone());
        if read_only(&h.meta) {
            // A read-only transaction holds no write lock and takes none.
            let err = Error::denied(format!(
                "transaction {} is read-only (begun with --read only): {} denied",
                h.meta.id, job.info.command
            ));
            let settled = Settled {
                committed: false,
                in_tx: true,
                events: &[],
                group: None,
                error: Some(&err),
            };
            for w in h.chain.iter_mut() {
                w.settled(&h.conn, &job.info, &settled)?;
            }
            return Err(err);
        }
        let mut outcome = Outcome::default();
        for step in 0.. {
            h.conn
                .execute_batch(&format!("SAVEPOINT {}", quote(JOB_SAVEPOINT)))?;
            let rules: Vec<Box<dyn Rule>> = vec![Box::new(TableLists::new(&h.conn, &h.meta)?)];
            let (result, cx) = crate::pipeline::run_step(
                &h.conn,
                &h.authorizer,
                &h.capture,
                &job.info,
                job.write.as_mut(),
                &mut h.chain,
                step,
                rules,
            );
            let (events, rows, rows_out, changes, group) =
                (cx.events, cx.rows, cx.result, cx.changes, cx.group);
            let kept = result.is_ok() && !job.info.dry_run;
            if !kept {
                h.conn
                    .execute_batch(&format!("ROLLBACK TO {}", quote(JOB_SAVEPOINT)))?;
            }
            h.conn
                .execute_batch(&format!("RELEASE {}", quote(JOB_SAVEPOINT)))?;
            let settled = Settled {
                committed: kept,
                in_tx: true,
                events: &events,
                group: if kept { group } else { None },
                error: result.as_ref().err(),
            };
            for w in h.chain.iter_mut() {
                w.settled(&h.conn, &job.info, &settled)?;
            }
            let step_result = result?;
            outcome.add_step(rows, group.filter(|_| kept), changes, rows_out);
            if step_result == Step::Done || job.info.dry_run {
                break;
            }
        }
        Ok(outcome)
    })
}

/// The holder process: begins the transaction, reports readiness on
/// stdout, then serves requests until commit, rollback or the deadline.
pub fn main(a: TxHolderArgs) -> ! {
    let started = setup(&a.global, &a);
    let mut out = std::io::stdout();
    match started {
        Err(e) => {
            let status =
                json!({"code": e.kind.exit_code(), "kind": e.kind.name(), "error": e.to_string()});
            let _ = writeln!(out, "error {status}");
            let _ = out.flush();
            std::process::exit(e.kind.exit_code() as i32);
        }
        Ok((holder, listener)) => {
            let _ = writeln!(out, "ready");
            let _ = out.flush();
            detach_stdio();
            HOLDER.with(|h| *h.borrow_mut() = Some(holder));
            serve(&listener);
            std::process::exit(0);
        }
    }
}

fn setup(g: &GlobalArgs, a: &TxHolderArgs) -> Result<(Holder, UnixListener)> {
    let config = config::discover(g.config.as_deref())?;
    let chain = wrappers::build(&config)?;
    let mut conn = db::open_write(&a.db, false, config.file)?;
    let authorizer = Authorizer::install(&mut conn)?;
    let capture = Capture::install(&conn, &authorizer);
    let deferred = a.write.is_empty() && !a.read.is_empty();
    conn.execute_batch(if deferred {
        "BEGIN DEFERRED"
    } else {
        "BEGIN IMMEDIATE"
    })
    .map_err(|e| {
        let err = Error::from(e);
        if err.kind == crate::error::Kind::Busy {
            Error::busy(format!(
                "database {} is locked by another writer",
                a.db.display()
            ))
        } else {
            err
        }
    })?;
    if deferred {
        // Take the read snapshot now, as a begun transaction should.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    }
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
        pid: std::process::id(),
        actor: crate::cmd::actor(g),
        started_ms: now,
        deadline_ms: now + a.timeout_ms,
    };
    let tmp = dir.join(format!("{}.json.tmp", a.id));
    std::fs::write(
        &tmp,
        serde_json::to_vec(&meta).map_err(std::io::Error::from)?,
    )?;
    std::fs::rename(&tmp, meta_path(&dir, &a.id))?;
    Ok((
        Holder {
            capture,
            conn,
            authorizer,
            chain,
            meta,
            savepoints: Vec::new(),
        },
        listener,
    ))
}

/// Points stdin, stdout and stderr at /dev/null: the begin command that
/// started us is gone and nobody reads them.
fn detach_stdio() {
    if let Ok(null) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
    {
        for fd in 0..3 {
            // SAFETY: dup2 onto the standard descriptors of this process.
            unsafe { libc::dup2(null.as_raw_fd(), fd) };
        }
    }
}

fn deadline() -> u64 {
    HOLDER.with(|h| h.borrow().as_ref().map(|h| h.meta.deadline_ms).unwrap_or(0))
}

fn serve(listener: &UnixListener) {
    loop {
        let left = deadline().saturating_sub(now_ms());
        if left == 0 {
            return finish(End::Expired);
        }
        let mut pfd = libc::pollfd {
            fd: listener.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let ready = unsafe { libc::poll(&mut pfd, 1, left.min(60_000) as i32) };
        if ready <= 0 {
            continue;
        }
        let Ok((stream, _)) = listener.accept() else {
            continue;
        };
        if !same_user(&stream) {
            continue;
        }
        if handle(stream).is_some() {
            return;
        }
    }
}

/// Only the user who began the transaction may talk to it.
fn same_user(stream: &UnixStream) -> bool {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: SO_PEERCRED fills a ucred of the size we pass.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            &mut cred as *mut libc::ucred as *mut libc::c_void,
            &mut len,
        )
    };
    rc == 0 && cred.uid == unsafe { libc::getuid() }
}

#[derive(Clone, Copy)]
enum End {
    Committed,
    RolledBack,
    Expired,
}

/// Serves one request; returns how the transaction ended, if it did.
fn handle(stream: UnixStream) -> Option<End> {
    let Ok(read_half) = stream.try_clone() else {
        return None;
    };
    let mut reader = BufReader::new(read_half);
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let Ok(req) = serde_json::from_str::<Request>(&line) else {
        return None;
    };
    let mut writer = stream;
    // The deadline holds while a request is served too: reading the
    // client's rows times out, and running SQL is interrupted, when it passes.
    let left = deadline().saturating_sub(now_ms()).max(1);
    let _ = writer.set_read_timeout(Some(std::time::Duration::from_millis(left)));
    let watch = HOLDER.with(|h| {
        h.borrow()
            .as_ref()
            .map(|h| crate::cmd::query::Watchdog::start(&h.conn, left))
    });
    let (mut status, mut end) = match req.op.as_str() {
        "run" => (run_command(&req, reader, &writer), None),
        "savepoint" | "release" | "rollback-to" => (savepoint(&req), None),
        "commit" => match end_tx(true) {
            Ok(()) => (Status::default(), Some(End::Committed)),
            Err(e) => (status_of(&e), Some(End::RolledBack)),
        },
        "rollback" => (Status::default(), Some(End::RolledBack)),
        "status" => (
            Status {
                data: Some(status_data()),
                ..Status::default()
            },
            None,
        ),
        other => (
            status_of(&Error::usage(format!("unknown request {other:?}"))),
            None,
        ),
    };
    drop(watch);
    if end.is_none() && now_ms() >= deadline() {
        end = Some(End::Expired);
        status = status_of(&Error::expired(format!(
            "transaction {} passed its timeout while this command ran, and was rolled back",
            HOLDER.with(|h| h
                .borrow()
                .as_ref()
                .map(|h| h.meta.id.clone())
                .unwrap_or_default())
        )));
    }
    // End the transaction (and remove its files) before answering, so a
    // client that has the answer finds the transaction gone.
    if let Some(e) = end {
        finish(e);
    }
    let payload = serde_json::to_vec(&status).unwrap_or_default();
    // A client that went away does not disturb the transaction.
    let _ = write_frame(&mut writer, b'e', &payload).and_then(|_| writer.flush());
    end
}

fn status_of(e: &Error) -> Status {
    Status {
        code: e.kind.exit_code(),
        error: Some(e.to_string()),
        kind: Some(e.kind.name().to_string()),
        data: None,
    }
}

/// Runs a forwarded command line with the client's stdin and stdout.
fn run_command(req: &Request, reader: BufReader<UnixStream>, writer: &UnixStream) -> Status {
    let cli = match crate::cli::parse_from(&req.argv) {
        Ok(c) => c,
        Err(e) => return status_of(&Error::usage(e.to_string().trim().to_string())),
    };
    if let Some(cwd) = &req.cwd {
        if std::env::set_current_dir(cwd).is_err() {
            return status_of(&Error::usage(format!(
                "can not enter the client's directory {cwd}"
            )));
        }
    }
    for var in [
        "LITEWRITE_ACTOR",
        "LITEWRITE_TIME",
        "LITEWRITE_BUSY_TIMEOUT_MS",
    ] {
        match req.env.iter().find(|(k, _)| k == var) {
            Some((_, v)) => std::env::set_var(var, v),
            None => std::env::remove_var(var),
        }
    }
    let input: Option<Box<dyn std::io::Read + Send>> = if req.stdin {
        Some(Box::new(FrameReader::new(reader)))
    } else {
        None
    };
    let Ok(out) = writer.try_clone() else {
        return status_of(&Error::sql("can not answer the client"));
    };
    let output = Box::new(std::io::BufWriter::with_capacity(
        64 * 1024,
        FrameWriter { inner: out },
    ));
    let (code, err) = crate::stdio::redirected(input, output, || crate::cmd::execute(cli));
    match err {
        Some(e) => Status {
            code,
            ..status_of(&e)
        },
        None => Status {
            code,
            ..Status::default()
        },
    }
}

fn savepoint(req: &Request) -> Status {
    let name = req.name.clone().unwrap_or_default();
    let result = HOLDER.with(|cell| -> Result<()> {
        let mut guard = cell.borrow_mut();
        let h = guard.as_mut().expect("inside a holder");
        if name.is_empty() || is_internal(&name) {
            return Err(Error::usage(format!(
                "{name:?} can not be a savepoint name"
            )));
        }
        let pos = h.savepoints.iter().position(|s| s == &name);
        match req.op.as_str() {
            "savepoint" => {
                if pos.is_some() {
                    return Err(Error::conflict(format!(
                        "savepoint \"{name}\" already exists"
                    )));
                }
                h.conn
                    .execute_batch(&format!("SAVEPOINT {}", quote(&name)))?;
                h.savepoints.push(name.clone());
            }
            op => {
                let Some(pos) = pos else {
                    return Err(Error::not_found(format!(
                        "savepoint \"{name}\" does not exist"
                    )));
                };
                if op == "release" {
                    h.conn.execute_batch(&format!("RELEASE {}", quote(&name)))?;
                    h.savepoints.truncate(pos);
                } else {
                    h.conn
                        .execute_batch(&format!("ROLLBACK TO {}", quote(&name)))?;
                    h.savepoints.truncate(pos + 1);
                }
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => Status::default(),
        Err(e) => status_of(&e),
    }
}

fn status_data() -> Json {
    HOLDER.with(|cell| {
        let guard = cell.borrow();
        let h = guard.as_ref().expect("inside a holder");
        json!({
            "id": h.meta.id,
            "database": h.meta.database,
            "read": h.meta.read,
            "write": h.meta.write,
            "actor": h.meta.actor,
            "pid": h.meta.pid,
            "started_ms": h.meta.started_ms,
            "deadline_ms": h.meta.deadline_ms,
            "seconds_left": (h.meta.deadline_ms.saturating_sub(now_ms())) as f64 / 1000.0,
            "savepoints": h.savepoints,
        })
    })
}

/// Commits (wrappers close their records first) or rolls back.
fn end_tx(commit: bool) -> Result<()> {
    HOLDER.with(|cell| {
        let mut guard = cell.borrow_mut();
        let h = guard.as_mut().expect("inside a holder");
        if h.conn.is_autocommit() {
            return Ok(());
        }
        let end = TxEnd {
            id: h.meta.id.clone(),
            committed: commit,
        };
        if commit && read_only(&h.meta) {
            // Nothing to keep; the records of refusals go in after it.
            h.conn.execute_batch("COMMIT")?;
            let outside = TxEnd {
                committed: false,
                ..end
            };
            for w in h.chain.iter_mut() {
                let _ = w.tx_end(&h.conn, &outside);
            }
        } else if commit {
            let closed = h.chain.iter_mut().try_for_each(|w| w.tx_end(&h.conn, &end));
            match closed.and_then(|_| h.conn.execute_batch("COMMIT").map_err(Error::from)) {
                Ok(()) => db::fold_wal(&h.conn),
                Err(e) => {
                    let _ = h.conn.execute_batch("ROLLBACK");
                    let lost = TxEnd {
                        committed: false,
                        ..end
                    };
                    for w in h.chain.iter_mut() {
                        let _ = w.tx_end(&h.conn, &lost);
                    }
                    return Err(e);
                }
            }
            for w in h.chain.iter_mut() {
                w.tx_committed(&end)?;
            }
        } else {
            h.conn.execute_batch("ROLLBACK")?;
            for w in h.chain.iter_mut() {
                let _ = w.tx_end(&h.conn, &end);
            }
        }
        Ok(())
    })
}

fn finish(end: End) {
    let (id, dir) = HOLDER.with(|cell| {
        let guard = cell.borrow();
        let h = guard.as_ref().expect("inside a holder");
        (h.meta.id.clone(), runtime_dir().ok())
    });
    match end {
        End::Expired => {
            let _ = end_tx(false);
            if let Some(dir) = &dir {
                let _ = std::fs::write(expired_path(dir, &id), b"");
            }
        }
        End::RolledBack => {
            let _ = end_tx(false);
        }
        End::Committed => {}
    }
    if let Some(dir) = &dir {
        remove_files(dir, &id);
    }
    // Close the connection (and its lock) before the process ends.
    HOLDER.with(|cell| cell.borrow_mut().take());
}

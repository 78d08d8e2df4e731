//! audit-log: one hash-chained entry per statement-level event.
//!
//! A successful step's entries are written in `after`, inside the step's
//! transaction, so no write lands without its entries. A refused or failed
//! step is rolled back first; its entry is then written in a transaction of
//! its own (`settled`). Each entry holds the SHA-256 of its content and of
//! the previous entry's hash; `_litewrite_meta.audit_head` remembers the
//! last entry, so `audit verify` also sees an entry deleted from the end.
//!
//! The `file` sink (created mode 0600: it holds every entry in full) is
//! appended to once the entries are committed. Before
//! COMMIT the file is opened for appending, so a file that can not be
//! written refuses the job (nothing is written); if appending still fails
//! after COMMIT, the write stands and litewrite warns on stderr: a
//! committed write is never reported as failed (a retrying script would
//! write it twice).

use std::io::Write as _;
use std::path::PathBuf;

use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::config::AuditLogConfig;
use crate::error::{Error, Kind, Result};
use crate::job::{Event, JobInfo, Step, WriteContext};
use crate::store;

use super::{Settled, TxEnd, Wrapper};

pub mod verify;

pub struct AuditLog {
    file: Option<PathBuf>,
    log_parameters: bool,
    /// Entries written in this step, appended to the file once it commits.
    pending: Vec<Json>,
    /// The file, opened for appending before COMMIT.
    sink: Option<std::fs::File>,
    /// Inside a held transaction: refused or failed jobs, recorded when it ends.
    tx_failures: Vec<(JobInfo, Error)>,
    /// How many entries were pending when a held transaction's commit
    /// began: a busy COMMIT leaves only those.
    commit_mark: usize,
}

impl AuditLog {
    pub fn new(config: &AuditLogConfig) -> AuditLog {
        AuditLog {
            file: config.file.clone(),
            log_parameters: config.log_parameters,
            pending: Vec::new(),
            sink: None,
            tx_failures: Vec::new(),
            commit_mark: 0,
        }
    }

    /// Opens the file sink for appending, before the entries commit: a
    /// file that can not be written refuses the job.
    fn open_sink(&mut self) -> Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        if self.sink.is_none() {
            let f = open_append(path).map_err(|e| {
                Error::sql(format!(
                    "can not append to audit file {}: {e}; nothing was written",
                    path.display()
                ))
            })?;
            self.sink = Some(f);
        }
        Ok(())
    }

    /// Appends the committed entries to the file sink: those of a write
    /// that `committed`, or those of a refusal or failure. The entries are
    /// in the database already, so a failure here is a warning, not an error.
    fn append_file(&mut self, diag: &crate::session::Diag, committed: bool) {
        let entries = std::mem::take(&mut self.pending);
        let Some(path) = &self.file else {
            return;
        };
        if entries.is_empty() {
            return;
        }
        let mut buf = Vec::new();
        for e in &entries {
            // Serializing JSON values into a Vec can not fail.
            let _ = serde_json::to_writer(&mut buf, e);
            buf.push(b'\n');
        }
        let written = match self.sink.take() {
            Some(f) => Ok(f),
            None => open_append(path),
        }
        .and_then(|mut f| f.write_all(&buf));
        if let Err(e) = written {
            let what = if committed {
                "the write was committed and audited in the database"
            } else {
                "the refusal or failure was audited in the database"
            };
            diag.warn(&format!(
                "{what}, but appending {} entries to audit file {} failed: {e}",
                entries.len(),
                path.display()
            ));
        }
    }
}

/// Opens the audit file for appending. It holds every entry in full (the
/// parameters and SQL of hidden tables' writes too), so a new file is made
/// readable by its owner only; an existing one others can read is warned
/// about once per process. The file must be this user's own, not reached
/// through a symbolic link: in a directory others can write, someone could
/// otherwise make it first (a file of theirs, to read every entry, or a
/// link, to have entries appended to a file of the writer's choosing).
fn open_append(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(nix::fcntl::OFlag::O_NOFOLLOW.bits())
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(nix::errno::Errno::ELOOP as i32) {
                std::io::Error::other(
                    "it is a symbolic link, and entries are appended only to a file itself",
                )
            } else {
                e
            }
        })?;
    let owner = f.metadata()?.uid();
    if owner != nix::unistd::geteuid().as_raw() {
        return Err(std::io::Error::other(format!(
            "it belongs to another user (uid {owner}), who could read every entry; it must be the writer's own"
        )));
    }
    static WARNED: std::sync::Once = std::sync::Once::new();
    // Group or others may write (append) but not read.
    if f.metadata()?.permissions().mode() & 0o044 != 0 {
        WARNED.call_once(|| {
            eprintln!(
                "litewrite: warning: audit file {} can be read by other users; it holds every entry in full (chmod 600 it)",
                path.display()
            )
        });
    }
    Ok(f)
}

/// The event a command stands for when it has none of its own to report.
pub fn main_event(command: &str) -> &'static str {
    match command {
        "insert" => "insert-rows",
        "upsert" => "upsert-rows",
        "update" => "update-row",
        "delete" => "delete-row",
        "create" => "create-table",
        "drop" => "drop-table",
        "prune" => "prune",
        _ => "execute-sql",
    }
}

/// What an entry records, before it is numbered and hashed.
pub struct Entry<'a> {
    pub event: &'a str,
    pub table: Option<&'a str>,
    pub rows: u64,
    pub keys: Option<&'a [Json]>,
    pub sql: Option<&'a str>,
    pub params: Option<&'a Json>,
    pub outcome: &'a str,
    pub error: Option<&'a str>,
    pub group: Option<i64>,
}

/// The content an entry's hash covers, in a fixed order.
pub fn content(id: i64, row: &[Json]) -> String {
    let mut all = vec![json!(id)];
    all.extend_from_slice(row);
    Json::Array(all).to_string()
}

/// SHA-256 of the previous hash and the content, hex.
pub fn chain_hash(prev: &str, content: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(content.as_bytes());
    format!("{:x}", h.finalize())
}

/// Appends one entry to the log; returns it as JSON (for the file sink).
pub fn write_entry(
    conn: &Connection,
    job: &JobInfo,
    e: &Entry<'_>,
    log_parameters: bool,
) -> Result<Json> {
    let head: Option<String> = conn
        .query_row(
            "SELECT value FROM _litewrite_meta WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM _litewrite_audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // Number after the head too, so a deleted last entry's id is not reused.
    let head_id = head
        .as_deref()
        .and_then(|h| h.split_once(':'))
        .and_then(|(id, _)| id.parse::<i64>().ok())
        .unwrap_or(0);
    let id = last.as_ref().map(|l| l.0).unwrap_or(0).max(head_id) + 1;
    // After a prune removed every entry, the chain goes on from the head.
    let prev = match last {
        Some(l) => l.1,
        None => head
            .as_deref()
            .and_then(|h| h.split_once(':'))
            .map(|(_, hash)| hash.to_string())
            .unwrap_or_default(),
    };
    let keys = e.keys.map(|k| Json::Array(k.to_vec()).to_string());
    let params = if log_parameters {
        e.params.map(|p| p.to_string())
    } else {
        None
    };
    let row = vec![
        json!(job.clock.now()),
        json!(e.event),
        json!(job.actor),
        json!(job.message),
        json!(job.database.display().to_string()),
        json!(e.table),
        json!(e.rows),
        json!(keys),
        json!(e.sql),
        json!(params),
        json!(e.outcome),
        json!(e.error),
        json!(e.group),
        json!(job.tx),
        json!(crate::access::os_user()),
    ];
    let hash = chain_hash(&prev, &content(id, &row));
    conn.prepare_cached(
        "INSERT INTO _litewrite_audit (id, time, event, actor, message, database, tbl, rows, keys, sql, params,
             outcome, error, group_id, tx, os_user, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(rusqlite::params![
        id,
        row[0].as_str(),
        e.event,
        job.actor,
        job.message,
        row[4].as_str(),
        e.table,
        e.rows as i64,
        keys,
        e.sql,
        params,
        e.outcome,
        e.error,
        e.group,
        job.tx,
        crate::access::os_user(),
        prev,
        hash,
    ])?;
    conn.execute(
        "INSERT INTO _litewrite_meta (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{id}:{hash}")],
    )?;
    let mut obj = json!({"id": id, "hash": hash, "prev_hash": prev});
    let names = [
        "time", "event", "actor", "message", "database", "table", "rows", "keys", "sql", "params",
        "outcome", "error", "group", "tx", "os_user",
    ];
    for (n, v) in names.iter().zip(row) {
        obj[*n] = v;
    }
    // The JSON lines hold keys and parameters as JSON, not as JSON text.
    obj["keys"] = e
        .keys
        .map(|k| Json::Array(k.to_vec()))
        .unwrap_or(Json::Null);
    obj["params"] = if log_parameters {
        e.params.cloned().unwrap_or(Json::Null)
    } else {
        Json::Null
    };
    Ok(obj)
}

impl Wrapper for AuditLog {
    fn name(&self) -> &'static str {
        "audit-log"
    }

    fn before(&mut self, cx: &mut WriteContext<'_>) -> Result<()> {
        if cx.job.tx.is_none() {
            self.pending.clear();
        }
        cx.ensure_store()
    }

    fn after(&mut self, cx: &mut WriteContext<'_>, result: &Result<Step>) -> Result<()> {
        if result.is_err() || cx.job.dry_run {
            return Ok(());
        }
        let events: Vec<Event> = if cx.events.is_empty() {
            vec![Event::new(main_event(cx.job.command), cx.job.table())]
        } else {
            cx.events.clone()
        };
        for ev in &events {
            let entry = Entry {
                event: ev.name,
                table: ev.table.as_deref(),
                rows: ev.rows,
                keys: ev.keys.as_deref(),
                sql: ev.sql.as_deref(),
                params: ev.params.as_ref(),
                outcome: "ok",
                error: None,
                group: cx.group,
            };
            let obj = write_entry(cx.conn, cx.job, &entry, self.log_parameters)?;
            self.pending.push(obj);
        }
        if cx.job.tx.is_none() {
            self.open_sink()?;
        }
        Ok(())
    }

    fn settled(&mut self, conn: &Connection, job: &JobInfo, settled: &Settled<'_>) -> Result<()> {
        if settled.in_tx {
            // Entries of kept jobs wait for the commit; failures for the end.
            if let Some(err) = settled.error {
                self.tx_failures.push((job.clone(), err.clone()));
            }
            return Ok(());
        }
        if settled.committed {
            self.append_file(&job.diag, true);
            return Ok(());
        }
        self.pending.clear();
        self.sink = None;
        let Some(err) = settled.error else {
            // A dry run: nothing happened, nothing to record.
            return Ok(());
        };
        self.record_failure(conn, job, err, true)
    }

    fn tx_end(&mut self, conn: &Connection, end: &TxEnd) -> Result<()> {
        if end.committed {
            // Recorded inside the transaction, atomic with it; kept until
            // COMMIT succeeds: a COMMIT that fails takes these entries with
            // it, and the failures are recorded again after the rollback.
            self.commit_mark = self.pending.len();
            let failures = self.tx_failures.clone();
            for (job, err) in &failures {
                self.record_failure(conn, job, err, false)?;
            }
            return self.open_sink();
        }
        // The kept jobs' entries were rolled back with their writes.
        self.pending.clear();
        self.sink = None;
        for (job, err) in std::mem::take(&mut self.tx_failures) {
            self.record_failure(conn, &job, &err, true)?;
        }
        self.append_file(&end.diag, false);
        Ok(())
    }

    fn tx_committed(&mut self, end: &TxEnd) -> Result<()> {
        self.tx_failures.clear();
        self.append_file(&end.diag, true);
        Ok(())
    }

    fn tx_commit_busy(&mut self) {
        self.pending.truncate(self.commit_mark);
    }
}

impl AuditLog {
    /// Records a refused or failed job; `own_tx` when no transaction is
    /// open, so the entry needs one of its own.
    fn record_failure(
        &mut self,
        conn: &Connection,
        job: &JobInfo,
        err: &Error,
        own_tx: bool,
    ) -> Result<()> {
        let outcome = if err.kind == Kind::Denied {
            "denied"
        } else {
            "error"
        };
        let message = err.to_string();
        let params = (!job.params.is_empty()).then(|| crate::job::params_json(&job.params));
        let entry = Entry {
            event: main_event(job.command),
            table: job.table(),
            rows: 0,
            keys: None,
            sql: job.sql.as_deref(),
            params: params.as_ref(),
            outcome,
            error: Some(&message),
            group: None,
        };
        if !own_tx {
            let obj = store::ensure(conn)
                .and_then(|_| write_entry(conn, job, &entry, self.log_parameters))?;
            self.pending.push(obj);
            return Ok(());
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let written =
            store::ensure(conn).and_then(|_| write_entry(conn, job, &entry, self.log_parameters));
        match written {
            Ok(obj) => {
                conn.execute_batch("COMMIT")?;
                self.pending.push(obj);
                self.append_file(&job.diag, false);
                Ok(())
            }
            Err(e) => {
                let _ = crate::db::rollback(conn, "ROLLBACK");
                Err(e)
            }
        }
    }
}

/// The key of a prune's checkpoint in its audit entry's `keys`.
const PRUNED_THROUGH: &str = "audit_pruned_through";

/// What a `prune --audit` entry records in its `keys`: the last entry it
/// deleted and that entry's hash, which the first remaining entry chains to.
pub fn checkpoint_keys(through: i64, hash: &str) -> Vec<Json> {
    vec![json!({PRUNED_THROUGH: through, "hash": hash})]
}

//! Change capture: every row change a job makes, seen through SQLite's
//! preupdate hook, buffered, and written to `_litewrite_changes` when the
//! job's write is over; plus the capture-aware executor every statement of a
//! job goes through.
//!
//! # Why the preupdate hook
//!
//! Capture used to create TEMP triggers on every table for every job. They
//! can not see REPLACE's implicit deletes (SQLite fires no delete trigger
//! for them unless `recursive_triggers` is on), can not be created on
//! virtual tables (so any FTS or R*Tree table made every write fail), broke
//! on tables of more than ~500 columns (`json_object`'s argument limit),
//! went stale after `ALTER TABLE` inside the job, encoded values through
//! JSON functions that can not hold ±Infinity or invalid UTF-8, and cost a
//! trigger per table per job. The preupdate hook has none of these limits:
//! SQLite calls it for every row change on the connection with the exact
//! old and new values, needs no per-table set-up, and costs nothing for
//! tables the job does not touch. Its one rule is that the callback must not
//! run SQL, so it buffers records ([`buffer`]) and they are written after
//! the job's write.
//!
//! # What the hook reports (verified on the bundled SQLite 3.54)
//!
//! - Every row change of every table of the connection, with the schema
//!   name (`main`, `temp`): TEMP tables are skipped here, so a TEMP table
//!   shadowing a main one can not confuse capture.
//! - REPLACE's implicit deletes, including the delete and reinsert of the
//!   same rowid when a REPLACE changes nothing; foreign-key actions
//!   (cascades, SET NULL) at depth 1; changes made by triggers (depth ≥ 1).
//! - For an `INTEGER PRIMARY KEY` column, `preupdate_new`/`old` give the
//!   rowid (also when SQLite chose it).
//! - WITHOUT ROWID tables: values in table column order; the rowid
//!   arguments are 0.
//! - Generated columns are counted; a VIRTUAL one has no value
//!   (`SQLITE_RANGE`), so generated columns are never recorded.
//! - `ALTER TABLE ADD COLUMN` and `DROP COLUMN` (which rewrites every row)
//!   report no row changes; rows written after an ADD COLUMN report the new
//!   count, rows never rewritten report the column's default.
//! - `DROP TABLE` reports no rows, except that with foreign keys on it
//!   first deletes the rows of a table other tables reference, reporting
//!   them and the cascades they cause. Capture snapshots a dropped table's
//!   rows itself (the authorizer names the table at prepare time) and skips
//!   what the drop reports for that table.
//! - `DELETE FROM t` without WHERE reports every row: SQLite turns its
//!   truncate optimization off while a preupdate hook is installed.
//! - Virtual tables are not reported themselves; their shadow tables are.
//!   FTS5 reports an update of a row as a delete and insert of its
//!   `%_content` row.
//!
//! # Records
//!
//! One change row per record, in the order the changes happened (see
//! `store.rs` for the table, [`value`] for the value encoding):
//!
//! - `columns`: the column names (`after`) and key columns (`key`, null for
//!   rowid-keyed tables) the following records of a table use.
//! - `insert`: one row, its key and its values as a JSON array.
//! - `insert-range`: rows inserted with consecutive rowids, as the rowid
//!   range `[first, last]` and a digest of the rows; undo checks the digest
//!   of the rows now in the range before deleting them.
//! - `update`: the row's key, the old (`before`) and new (`after`) values of
//!   the changed columns only, and the digest of the whole new row, which
//!   undo checks; a rowid-keyed row whose rowid changed has key `[old, new]`
//!   (a keyed one, `rowids` `[old, new]`).
//! - `delete`: the row's key and its values as a JSON array.
//! - `sql`: a write to a virtual table, as the statement that made it.
//! - `create`, `drop`, `rename`, `alter`: schema changes with their SQL.
//!
//! A delete and insert of the same key (REPLACE) becomes one update, or
//! nothing when the row is unchanged (and kept its rowid); an update that
//! changes nothing is not recorded; adjacent updates of the same row merge.
//!
//! Statements that change the schema are seen by the authorizer when they
//! are prepared, and the schema is compared before and after each of them
//! (tables by root page: a new one is a create, the same one with a new name
//! a rename, with new SQL an alter, a missing one a drop). Before a DROP
//! TABLE the table's rows are recorded as deletes; before an ALTER TABLE
//! that names a column (DROP or RENAME COLUMN) the column's non-default
//! values are taken, and recorded as updates to the default if the column
//! is gone afterwards; the rows a CREATE TABLE ... AS SELECT put into its new
//! table are recorded after the create.
//!
//! # Keys
//!
//! A table with a primary key (WITHOUT ROWID or not) is keyed by its
//! primary key values; one without is keyed by its true rowid, which the
//! hook reports whatever the table's column names are (a user column named
//! `rowid` is just a column). A rowid table with a declared primary key
//! (not an INTEGER PRIMARY KEY) also has a rowid its key does not tell: a
//! REPLACE or a delete and reinsert gives the row a new one, `UPDATE ... SET
//! rowid` moves it, and the key may be NULL in several rows. Its records
//! keep the rowid beside the key (`rowids`: the rowid, or `[old, new]`),
//! and undo finds and restores rows by it.
//!
//! A table whose columns take every name of the rowid (`rowid`, `_rowid_`
//! and `oid`) can not be read with its rowids: what a statement does to
//! all its rows at once (DROP TABLE, DROP COLUMN, CREATE TABLE AS) is
//! recorded as the statement's SQL, like a virtual table's writes, and undo
//! refuses to revert it (as it refuses the row records it can not address).

pub(crate) mod buffer;
mod hook;
pub mod schema;
mod sink;
pub mod stored;
pub mod value;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Statement};

use crate::access::Authorizer;
use crate::error::{Error, Result};

use buffer::{Buffer, Frags, Rec, Rowids};
pub use hook::Op;
use hook::RowChange;
use schema::{Class, Kind, Meta, Object, TableFilter};
use value::{same, write_json, write_str, Cell, Digest};

/// Change capture on one connection, and the executor of a job's statements.
pub struct Capture {
    shared: Box<Shared>,
    db: *mut rusqlite::ffi::sqlite3,
    authorizer: Authorizer,
    /// Before a statement that may rename a table: the names in `main` and
    /// `temp`, to see after it which it added (capture on or off).
    namespace_before: Mutex<Option<Vec<String>>>,
    /// The statement being run changes the schema: the rules in force are
    /// asked about the schema it leaves ([`crate::access::Rule::refuses_schema`]).
    schema_changes: std::sync::atomic::AtomicBool,
}

struct Shared {
    /// Checked before taking the lock: most row changes on a connection
    /// (the tool's own tables, jobs without change-group) are not captured.
    on: AtomicBool,
    state: Mutex<State>,
}

/// What undo expects one of its statements to change; anything else it
/// changes (a cascade, a REPLACE) is reported.
#[derive(Debug, Clone)]
pub enum Expect {
    /// The row with this key (JSON text, as records hold keys).
    Key(Vec<u8>),
    /// The rows with rowids in this range.
    Rowids(i64, i64),
}

struct Watch {
    table: String,
    expect: Expect,
    unexpected: Vec<Unexpected>,
    /// More unexpected changes than are kept.
    overflow: bool,
}

/// Unexpected changes a watch keeps at most (more is a conflict anyway).
const MAX_UNEXPECTED: usize = 10_000;

/// A row change a watched statement made that was not the one expected.
#[derive(Debug, Clone)]
pub struct Unexpected {
    pub table: String,
    pub op: Op,
    pub old_rowid: i64,
    pub new_rowid: i64,
    /// Every column the hook reports (generated ones as NULL), before and after.
    pub old: Vec<Cell>,
    pub new: Vec<Cell>,
    /// 0 for the statement's own change, more for a foreign-key action.
    pub depth: i32,
}

/// What a watched statement changed besides what was expected.
#[derive(Debug, Default)]
pub struct Surprises {
    pub changes: Vec<Unexpected>,
    /// True when there were more than could be kept.
    pub overflow: bool,
}

/// An open range of inserted rows.
struct OpenRange {
    meta: u32,
    slot: usize,
    first: i64,
    last: i64,
    digest: Digest,
    first_key: Vec<u8>,
    first_image: Vec<u8>,
}

/// The rows whose value in a column differs from the column's default,
/// taken before an ALTER TABLE that may drop the column: if it does, they
/// are recorded as updates setting the column to its default (what the
/// drop loses), so undo can put the values back.
struct ColumnSnapshot {
    table: String,
    column: String,
    records: Vec<Rec>,
}

/// The last delete recorded, which a following insert of the same key
/// (REPLACE) turns into an update.
struct Pending {
    slot: usize,
    meta: u32,
    key: Vec<u8>,
    rowid: i64,
    values: Frags,
}

#[derive(Default)]
struct State {
    filter: TableFilter,
    /// Counts schema changes: classes are valid for one epoch.
    epoch: u32,
    metas: Vec<Meta>,
    /// Lower-cased hooked table name -> class, for this epoch.
    classes: HashMap<String, Class>,
    /// The class of the table last reported, by its name pointer.
    last: Option<(usize, Class)>,
    /// Classes of tables whose changes were kept raw, by (name, epoch).
    resolved: HashMap<(String, u32), Class>,
    raw_tables: HashSet<String>,
    buf: Buffer,
    open: Vec<OpenRange>,
    pending: Option<Pending>,
    /// Tables the statement being run drops (their rows were snapshotted).
    dropping: Vec<String>,
    written_vtables: HashSet<u32>,
    /// Statements that may write a virtual table.
    vtable_sql: Vec<(u32, String)>,
    recorded_sql: HashSet<(String, String)>,
    schema_before: Option<Vec<Object>>,
    schema_pending: bool,
    /// The statement that changes the schema (for [`State::unreadable`]).
    schema_sql: String,
    /// Values of a column an ALTER TABLE may drop, as updates to its default.
    column_snapshots: Vec<ColumnSnapshot>,
    watch: Option<Watch>,
    error: Option<String>,
}

impl hook::Observer for Shared {
    fn row_change(&self, change: &RowChange<'_>) {
        if !self.on.load(Ordering::Relaxed) {
            return;
        }
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.error.is_none() {
            st.row_change(change);
        }
    }
}

impl Capture {
    /// Installs the hook on a connection; capture is off until [`Capture::start`].
    /// The connection's authorizer tells what statements will do.
    ///
    /// The Capture must be dropped before the connection is closed.
    pub fn install(conn: &Connection, authorizer: &Authorizer) -> Capture {
        let shared = Box::new(Shared {
            on: AtomicBool::new(false),
            state: Mutex::new(State::default()),
        });
        // SAFETY: the handle is the open connection's; the Shared box lives
        // until Drop removes the hook.
        let db = unsafe { conn.handle() };
        unsafe { hook::install(db, &*shared as *const Shared) };
        Capture {
            shared,
            db,
            authorizer: authorizer.clone(),
            namespace_before: Mutex::new(None),
            schema_changes: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// True while a job's changes are being captured.
    pub fn is_on(&self) -> bool {
        self.shared.on.load(Ordering::Relaxed)
    }

    /// Starts capturing the row changes of the tables `filter` records.
    pub fn start(&self, filter: TableFilter) {
        let mut st = self.state();
        let epoch = st.epoch + 1;
        *st = State {
            filter,
            epoch,
            ..State::default()
        };
        self.authorizer.take_observed();
        self.shared.on.store(true, Ordering::Relaxed);
    }

    /// Stops capturing and forgets what was captured (the job failed).
    pub fn abort(&self) {
        self.shared.on.store(false, Ordering::Relaxed);
        let mut st = self.state();
        let epoch = st.epoch;
        *st = State {
            epoch,
            ..State::default()
        };
    }

    /// Prepares a statement of the job. What it will do is noted first:
    /// the tables it may write are classified, the rows of a table it
    /// drops are snapshotted, and a schema change is diffed by
    /// [`Capture::done`] once it ran.
    pub fn prepare<'c>(&self, conn: &'c Connection, sql: &str) -> Result<Statement<'c>> {
        self.authorizer.next_statement();
        let stmt = conn
            .prepare(sql)
            .map_err(|e| self.authorizer.compile_error(sql, e))?;
        self.observe(conn, sql, stmt.is_explain() != 0)?;
        Ok(stmt)
    }

    /// [`Capture::prepare`] through the connection's statement cache.
    pub fn prepare_cached<'c>(
        &self,
        conn: &'c Connection,
        sql: &str,
    ) -> Result<rusqlite::CachedStatement<'c>> {
        self.authorizer.next_statement();
        let stmt = conn
            .prepare_cached(sql)
            .map_err(|e| self.authorizer.compile_error(sql, e))?;
        self.observe(conn, sql, stmt.is_explain() != 0)?;
        Ok(stmt)
    }

    /// Runs one statement that returns no rows, and ends it ([`Capture::done`]).
    pub fn execute(
        &self,
        conn: &Connection,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<usize> {
        let mut stmt = self.prepare(conn, sql)?;
        let n = stmt.execute(params)?;
        drop(stmt);
        self.done(conn)?;
        Ok(n)
    }

    /// [`Capture::execute`] through the statement cache: for a statement
    /// run many times over (undo's, row by row). SQLite compiles it, and
    /// the authorizer sees it, the first time only; what it does is the
    /// same every time.
    pub fn execute_cached(
        &self,
        conn: &Connection,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> Result<usize> {
        let mut stmt = self.prepare_cached(conn, sql)?;
        let n = stmt.execute(params)?;
        drop(stmt);
        self.done(conn)?;
        Ok(n)
    }

    /// Notes what a statement just prepared will do. An `EXPLAIN` of a
    /// statement compiles it (the authorizer sees a DROP, an ALTER) but runs
    /// none of it: nothing is noted, so no rows are snapshotted as dropped
    /// and nothing the next statements do is skipped.
    fn observe(&self, conn: &Connection, sql: &str, explain: bool) -> Result<()> {
        let observed = self.authorizer.take_observed();
        if explain {
            return Ok(());
        }
        if observed.creates_code {
            if let Some(reason) = self.authorizer.text_refusal(sql) {
                return Err(Error::denied(reason));
            }
        }
        self.schema_changes
            .store(observed.schema, std::sync::atomic::Ordering::Relaxed);
        if observed.renames {
            let names = self.authorizer.trusted(|| namespace(conn))?;
            *self
                .namespace_before
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(names);
        }
        if !self.is_on() {
            return Ok(());
        }
        self.authorizer
            .trusted(|| self.state().observe(conn, sql, observed))
    }

    /// Runs `f`, a change to the schema the tool makes itself (undo writing
    /// an object's exact SQL back with `writable_schema`), outside the job's
    /// authorizer policy, and records what it changed as a statement's
    /// schema change is recorded.
    pub fn schema_write<T>(&self, conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.is_on() {
            self.authorizer.trusted(|| -> Result<()> {
                let mut st = self.state();
                if st.schema_before.is_none() {
                    st.schema_before = Some(schema::snapshot(conn, &st.filter)?);
                }
                st.schema_pending = true;
                Ok(())
            })?;
        }
        let out = self.authorizer.trusted(f)?;
        self.done(conn)?;
        Ok(out)
    }

    /// Ends a statement: reports an error the hook met, records the SQL of
    /// virtual-table writes and, after a schema change, what changed.
    pub fn done(&self, conn: &Connection) -> Result<()> {
        self.authorizer.trusted(|| {
            let before = self
                .namespace_before
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            let changed = self
                .schema_changes
                .swap(false, std::sync::atomic::Ordering::Relaxed);
            if before.is_some() || changed {
                let now = namespace(conn)?;
                let added: Vec<String> = before
                    .map(|before| {
                        now.iter()
                            .filter(|n| !before.contains(n))
                            .map(|n| n.split_once('.').map_or(n.as_str(), |(_, n)| n).to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                if let Some(new) = added.iter().find(|n| crate::access::is_internal(n)) {
                    return Err(Error::denied(format!(
                        "renaming a table to \"{new}\" is not allowed: names starting with {} are the tool's own",
                        crate::access::INTERNAL_PREFIX
                    )));
                }
                let temp: Vec<String> = now
                    .iter()
                    .filter_map(|n| n.strip_prefix("temp."))
                    .map(String::from)
                    .collect();
                if let Some(reason) = self.authorizer.schema_refusal(&added, &temp) {
                    return Err(Error::denied(reason));
                }
            }
            let mut st = self.state();
            if let Some(e) = st.error.take() {
                return Err(Error::sql(e));
            }
            if !self.is_on() {
                return Ok(());
            }
            st.end_statement(conn)
        })
    }

    /// Ends capture: writes every record under `group` into
    /// `_litewrite_changes`, in the order the changes happened.
    pub fn finish(&self, conn: &Connection, group: i64) -> Result<()> {
        self.done(conn)?;
        let (records, mut writer) = self.authorizer.trusted(|| -> Result<_> {
            let mut st = self.state();
            st.close_ranges();
            st.pending = None;
            st.resolve_raw(conn)?;
            st.record_vtable_sql();
            self.shared.on.store(false, Ordering::Relaxed);
            let records = st.buf.drain().map_err(spill_error)?;
            let writer = Writer {
                batch: Batch {
                    group: 0,
                    rows: Vec::with_capacity(BATCH_ROWS),
                    full: None,
                },
                metas: std::mem::take(&mut st.metas),
                resolved: std::mem::take(&mut st.resolved),
                emitted: HashMap::new(),
            };
            Ok((records, writer))
        })?;
        let written = self.authorizer.trusted(|| -> Result<()> {
            writer.batch.group = group;
            for rec in records {
                writer.write(conn, rec.map_err(spill_error)?)?;
            }
            writer.batch.flush(conn, &writer.metas)
        });
        self.abort();
        written
    }

    /// Watches the next statements: changes other than `expect` on `table`
    /// are reported by [`Capture::unexpected`].
    pub fn expect(&self, table: &str, expect: Expect) {
        self.state().watch = Some(Watch {
            table: table.to_ascii_lowercase(),
            expect,
            unexpected: Vec::new(),
            overflow: false,
        });
    }

    /// Stops watching; returns the changes the statements made that were
    /// not expected.
    pub fn unexpected(&self) -> Surprises {
        match self.state().watch.take() {
            Some(w) => Surprises {
                changes: w.unexpected,
                overflow: w.overflow,
            },
            None => Surprises::default(),
        }
    }

    /// The connection's authorizer.
    pub fn authorizer(&self) -> &Authorizer {
        &self.authorizer
    }

    /// Runs the tool's own bookkeeping (statements on its `_litewrite_*`
    /// tables) outside the job's authorizer policy.
    pub fn trusted<T>(&self, f: impl FnOnce() -> T) -> T {
        self.authorizer.trusted(f)
    }

    /// The meta of a table as capture records it now (classifying it if
    /// needed); None when it is not recorded.
    pub fn meta(&self, conn: &Connection, table: &str) -> Result<Option<Meta>> {
        self.authorizer.trusted(|| {
            let mut st = self.state();
            Ok(match st.class(conn, table)? {
                Some(Class::Table(m) | Class::Virtual(m)) => Some(st.metas[m as usize].clone()),
                _ => None,
            })
        })
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        // SAFETY: the connection outlives its Capture (see install).
        unsafe { hook::remove(self.db) };
    }
}

fn spill_error(e: std::io::Error) -> Error {
    Error::sql(format!(
        "can not buffer the row changes in a temporary file: {e}"
    ))
}

/// The names of the tables and views in `main` and `temp`, as `main.NAME`
/// and `temp.NAME`. `ALTER TABLE ... RENAME TO` is the one way to give an
/// object a name that the authorizer does not see (it names only the old
/// name): compared before and after it, they tell the new name, which must
/// not be in the tool's namespace (a temp table renamed to
/// `_litewrite_audit` would shadow the tool's own for the rest of the job)
/// nor refused by a rule in force (a held transaction's lists).
fn namespace(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT 'main.' || name FROM main.sqlite_master WHERE type IN ('table', 'view')
         UNION ALL
         SELECT 'temp.' || name FROM temp.sqlite_master",
    )?;
    let names = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// The JSON text of a key: the rowid, the primary key value, or an array
/// of the primary key values.
fn key_of<'v>(meta: &Meta, rowid: i64, value: impl Fn(usize) -> ValueRef<'v>) -> Vec<u8> {
    let mut out = Vec::new();
    match meta.key.len() {
        0 => out.extend_from_slice(itoa::Buffer::new().format(rowid).as_bytes()),
        1 => write_json(&mut out, value(meta.positions[meta.key[0]])),
        _ => {
            out.push(b'[');
            for (i, &k) in meta.key.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(&mut out, value(meta.positions[k]));
            }
            out.push(b']');
        }
    }
    out
}

/// Each recorded column's JSON text.
fn frags_of<'v>(meta: &Meta, value: impl Fn(usize) -> ValueRef<'v>) -> Frags {
    let mut f = Frags::default();
    let mut one = Vec::new();
    for &p in &meta.positions {
        one.clear();
        write_json(&mut one, value(p));
        f.push(&one);
    }
    f
}

/// Calls `f` with the rowid (0 for WITHOUT ROWID tables) and the recorded
/// columns of every row of a table, one row at a time.
fn each_row(
    conn: &Connection,
    meta: &Meta,
    mut f: impl FnMut(i64, &[Cell]) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&schema::select_rows_sql(meta)?)?;
    let offset = usize::from(meta.has_rowid);
    let mut rows = stmt.query([])?;
    let mut cells = Vec::with_capacity(meta.columns.len());
    while let Some(row) = rows.next()? {
        let rowid = if meta.has_rowid { row.get(0)? } else { 0 };
        cells.clear();
        for i in 0..meta.columns.len() {
            cells.push(Cell::from_ref(row.get_ref(i + offset)?));
        }
        f(rowid, &cells)?;
    }
    Ok(())
}

/// A JSON array of fragments.
fn array(f: &Frags) -> Vec<u8> {
    let mut out = Vec::with_capacity(f.bytes.len() + f.len() + 2);
    out.push(b'[');
    for i in 0..f.len() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(f.get(i));
    }
    out.push(b']');
    out
}

/// True when a rowid-keyed update record moved the row (key `[old, new]`).
fn moved(meta: &Meta, key: &[u8]) -> bool {
    meta.key.is_empty() && key.first() == Some(&b'[')
}

impl State {
    /// Notes what a statement just prepared will do (see [`Capture::prepare`]).
    fn observe(
        &mut self,
        conn: &Connection,
        sql: &str,
        observed: crate::access::Observed,
    ) -> Result<()> {
        for t in &observed.writes {
            if let Some(Class::Virtual(v)) = self.class(conn, t)? {
                if !self.vtable_sql.iter().any(|(m, s)| *m == v && s == sql) {
                    self.vtable_sql.push((v, sql.to_string()));
                }
            }
        }
        if observed.schema && self.schema_before.is_none() {
            self.schema_before = Some(schema::snapshot(conn, &self.filter)?);
        }
        self.schema_pending |= observed.schema;
        for t in &observed.drops {
            self.snapshot_dropped(conn, t, sql)?;
        }
        for (t, col) in &observed.columns {
            self.snapshot_column(conn, t, col, sql)?;
        }
        if observed.schema {
            self.schema_sql = sql.to_string();
        }
        Ok(())
    }

    /// Ends a statement (see [`Capture::done`]).
    fn end_statement(&mut self, conn: &Connection) -> Result<()> {
        if !self.schema_pending {
            self.record_vtable_sql();
            return self.spill_if_over();
        }
        self.close_ranges();
        self.resolve_raw(conn)?;
        self.record_vtable_sql();
        let after = schema::snapshot(conn, &self.filter)?;
        let before = self.schema_before.take().unwrap_or_default();
        for snap in std::mem::take(&mut self.column_snapshots) {
            let kept = after.iter().any(|o| {
                o.kind == "table"
                    && o.name.eq_ignore_ascii_case(&snap.table)
                    && schema::columns_of(conn, &o.name)
                        .is_ok_and(|cols| cols.iter().any(|c| c.eq_ignore_ascii_case(&snap.column)))
            });
            // A renamed column keeps its values; a dropped one loses them.
            if !kept {
                for rec in snap.records {
                    self.buf.push(rec);
                }
            }
        }
        let texts = schema::rewritten(&before, &after);
        let mut created = Vec::new();
        for change in schema::diff(&before, &after) {
            let rewrites = matches!(change.op, "rename" | "alter");
            if change.op == "create" && change.object.kind == "table" {
                created.push(change.object.name.clone());
            }
            self.buf.push(Rec::Schema {
                op: change.op.to_string(),
                kind: change.object.kind,
                name: change.object.name,
                before: change.before,
                sql: change.object.sql,
                texts: if rewrites { texts.clone() } else { Vec::new() },
            });
        }
        // Rows a statement put into a table it created (CREATE TABLE AS
        // SELECT) are recorded after the create, read from the table; what
        // the hook saw of them is dropped.
        for name in created {
            self.resolved
                .insert((name.to_ascii_lowercase(), self.epoch), Class::Skip);
            self.snapshot_inserts(conn, &name)?;
        }
        self.close_ranges();
        self.schema_before = Some(after);
        self.schema_pending = false;
        self.epoch += 1;
        self.classes.clear();
        self.last = None;
        self.dropping.clear();
        self.spill_if_over()
    }

    /// The class of a table for this epoch, classifying it if needed.
    fn class(&mut self, conn: &Connection, table: &str) -> Result<Option<Class>> {
        let lower = table.to_ascii_lowercase();
        if let Some(c) = self.classes.get(&lower) {
            return Ok(Some(*c));
        }
        for (name, class) in schema::classify(conn, table, &self.filter, &mut self.metas)? {
            self.classes.insert(name.to_ascii_lowercase(), class);
        }
        Ok(self.classes.get(&lower).copied())
    }

    fn row_change(&mut self, c: &RowChange<'_>) {
        let ptr = c.table.as_ptr() as usize;
        let class = match self.last {
            Some((p, class)) if p == ptr => Some(class),
            _ => {
                let lower = String::from_utf8_lossy(c.table.to_bytes()).to_ascii_lowercase();
                let class = self.classes.get(&lower).copied().or_else(|| {
                    (crate::access::is_internal(&lower) || schema::is_system(&lower))
                        .then_some(Class::Skip)
                });
                if let Some(class) = class {
                    self.last = Some((ptr, class));
                }
                class
            }
        };
        match class {
            None => self.raw(c),
            Some(Class::Skip | Class::Virtual(_)) => {}
            Some(Class::Shadow(v)) => {
                self.written_vtables.insert(v);
            }
            Some(Class::Table(m)) => {
                let meta = &self.metas[m as usize];
                if c.count() != meta.hook_columns {
                    // The table changed since it was classified.
                    return self.raw(c);
                }
                if self
                    .dropping
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&meta.name))
                {
                    return;
                }
                match c.op {
                    Op::Insert => self.insert(m, c),
                    Op::Update => self.update(m, c),
                    Op::Delete => self.delete(m, c),
                }
            }
        }
        if let Err(e) = self.spill_if_over() {
            self.error = Some(e.message);
        }
    }

    fn spill_if_over(&mut self) -> Result<()> {
        if self.buf.over_budget() {
            self.close_ranges();
            self.pending = None;
            self.buf.spill().map_err(spill_error)?;
        }
        Ok(())
    }

    fn raw(&mut self, c: &RowChange<'_>) {
        let table = String::from_utf8_lossy(c.table.to_bytes()).into_owned();
        self.note_watch(None, c.old_rowid, None, c);
        let n = c.count();
        let old: Vec<Cell> = match c.op {
            Op::Insert => Vec::new(),
            _ => (0..n).map(|i| Cell::from_ref(c.old_value(i))).collect(),
        };
        let new: Vec<Cell> = match c.op {
            Op::Delete => Vec::new(),
            _ => (0..n).map(|i| Cell::from_ref(c.new_value(i))).collect(),
        };
        self.raw_tables.insert(table.to_ascii_lowercase());
        self.buf.push(Rec::Raw {
            table,
            epoch: self.epoch,
            op: c.op as u8,
            old_rowid: c.old_rowid,
            new_rowid: c.new_rowid,
            old,
            new,
        });
    }

    /// Checks a change against the watch (undo's expectation), if any.
    fn note_watch(&mut self, meta: Option<u32>, rowid: i64, key: Option<&[u8]>, c: &RowChange<'_>) {
        let Some(w) = self.watch.as_mut() else {
            return;
        };
        let depth = c.depth();
        let table = match meta {
            Some(m) => self.metas[m as usize].name.clone(),
            None => String::from_utf8_lossy(c.table.to_bytes()).into_owned(),
        };
        let expected = depth == 0
            && w.table == table.to_ascii_lowercase()
            && match (&w.expect, key) {
                (Expect::Key(k), Some(key)) => k.as_slice() == key,
                (Expect::Rowids(a, b), _) => {
                    meta.is_some_and(|m| self.metas[m as usize].has_rowid)
                        && (*a..=*b).contains(&rowid)
                }
                _ => false,
            };
        if expected {
            return;
        }
        if w.unexpected.len() >= MAX_UNEXPECTED {
            w.overflow = true;
            return;
        }
        let n = c.count();
        let read = |f: &dyn Fn(usize) -> Cell| (0..n).map(f).collect::<Vec<Cell>>();
        w.unexpected.push(Unexpected {
            table,
            op: c.op,
            old_rowid: c.old_rowid,
            new_rowid: c.new_rowid,
            old: if c.op == Op::Insert {
                Vec::new()
            } else {
                read(&|i| Cell::from_ref(c.old_value(i)))
            },
            new: if c.op == Op::Delete {
                Vec::new()
            } else {
                read(&|i| Cell::from_ref(c.new_value(i)))
            },
            depth,
        });
    }

    fn close_range_of(&mut self, meta: u32) {
        if let Some(i) = self.open.iter().position(|r| r.meta == meta) {
            self.close_range(i);
        }
    }

    fn close_ranges(&mut self) {
        while !self.open.is_empty() {
            self.close_range(0);
        }
    }

    fn close_range(&mut self, i: usize) {
        let r = self.open.remove(i);
        self.buf.mem[r.slot] = if r.first == r.last {
            Rec::Insert {
                meta: r.meta,
                key: r.first_key,
                image: r.first_image,
                rowids: self.metas[r.meta as usize].rowids(r.first, r.first),
            }
        } else {
            Rec::Range {
                meta: r.meta,
                first: r.first,
                last: r.last,
                digest: r.digest.finish(),
            }
        };
    }

    fn insert(&mut self, m: u32, c: &RowChange<'_>) {
        let meta = &self.metas[m as usize];
        let rowid = c.new_rowid;
        let key = key_of(meta, rowid, |i| c.new_value(i));
        self.note_watch(Some(m), rowid, Some(&key), c);
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.meta == m && p.key == key)
        {
            return self.replace(c);
        }
        if self.pending.as_ref().is_some_and(|p| p.meta == m) {
            self.pending = None;
        }
        self.add_insert(m, rowid, key, |i| c.new_value(i));
    }

    /// Records an inserted row: it extends the table's open range of
    /// consecutive rowids, or starts one (WITHOUT ROWID rows are recorded
    /// one by one). `value` reads the hooked table's column `i`.
    fn add_insert<'v>(
        &mut self,
        m: u32,
        rowid: i64,
        key: Vec<u8>,
        value: impl Fn(usize) -> ValueRef<'v>,
    ) {
        let meta = &self.metas[m as usize];
        if meta.has_rowid {
            if let Some(i) = self.open.iter().position(|r| r.meta == m) {
                let r = &mut self.open[i];
                if r.last.checked_add(1) == Some(rowid) {
                    r.last = rowid;
                    r.digest.rowid(rowid);
                    for &p in &meta.positions {
                        r.digest.value(value(p));
                    }
                    return;
                }
                self.close_range(i);
            }
            let meta = &self.metas[m as usize];
            let mut digest = Digest::default();
            digest.rowid(rowid);
            for &p in &meta.positions {
                digest.value(value(p));
            }
            let image = array(&frags_of(meta, &value));
            let slot = self.buf.push(Rec::Dead);
            self.open.push(OpenRange {
                meta: m,
                slot,
                first: rowid,
                last: rowid,
                digest,
                first_key: key,
                first_image: image,
            });
        } else {
            let image = array(&frags_of(meta, &value));
            self.buf.push(Rec::Insert {
                meta: m,
                key,
                image,
                rowids: None,
            });
        }
    }

    /// An insert of the key the last delete removed: one update, or nothing.
    fn replace(&mut self, c: &RowChange<'_>) {
        let p = self.pending.take().expect("pending delete");
        let meta = &self.metas[p.meta as usize];
        // A REPLACE in a rowid table with a declared primary key gives the
        // row a new rowid: that is a change too.
        let rowids = meta.rowids(p.rowid, c.new_rowid);
        let moved = rowids.is_some_and(|[old, new]| old != new);
        let new = frags_of(meta, |i| c.new_value(i));
        let mut cols = Vec::new();
        let mut values = Frags::default();
        let mut digest = Digest::default();
        for (i, &pos) in meta.positions.iter().enumerate() {
            digest.value(c.new_value(pos));
            if p.values.get(i) != new.get(i) {
                cols.push(i as u32);
                values.push(p.values.get(i));
                values.push(new.get(i));
            }
        }
        if cols.is_empty() && !moved {
            self.buf.mem[p.slot] = Rec::Dead;
            return;
        }
        self.buf.mem[p.slot] = Rec::Update {
            meta: p.meta,
            key: p.key,
            cols,
            values,
            digest: digest.finish(),
            rowids,
        };
        self.merge(p.slot);
    }

    fn update(&mut self, m: u32, c: &RowChange<'_>) {
        self.close_range_of(m);
        if self.pending.as_ref().is_some_and(|p| p.meta == m) {
            self.pending = None;
        }
        let meta = &self.metas[m as usize];
        let old_key = key_of(meta, c.old_rowid, |i| c.old_value(i));
        self.note_watch(Some(m), c.old_rowid, Some(&old_key), c);
        let meta = &self.metas[m as usize];
        let mut cols = Vec::new();
        let mut values = Frags::default();
        let mut digest = Digest::default();
        for (i, &pos) in meta.positions.iter().enumerate() {
            let (o, n) = (c.old_value(pos), c.new_value(pos));
            digest.value(n);
            if !same(o, n) {
                cols.push(i as u32);
                values.push_json(o);
                values.push_json(n);
            }
        }
        let rowid_moved = meta.has_rowid && c.old_rowid != c.new_rowid;
        if cols.is_empty() && !rowid_moved {
            return;
        }
        let key = if rowid_moved && meta.key.is_empty() {
            format!("[{},{}]", c.old_rowid, c.new_rowid).into_bytes()
        } else {
            old_key
        };
        let slot = self.buf.push(Rec::Update {
            meta: m,
            key,
            cols,
            values,
            digest: digest.finish(),
            rowids: meta.rowids(c.old_rowid, c.new_rowid),
        });
        self.merge(slot);
    }

    fn delete(&mut self, m: u32, c: &RowChange<'_>) {
        self.close_range_of(m);
        let meta = &self.metas[m as usize];
        let key = key_of(meta, c.old_rowid, |i| c.old_value(i));
        let values = frags_of(meta, |i| c.old_value(i));
        let rowids = meta.rowids(c.old_rowid, c.old_rowid);
        self.note_watch(Some(m), c.old_rowid, Some(&key), c);
        let slot = self.buf.push(Rec::Delete {
            meta: m,
            key: key.clone(),
            image: array(&values),
            rowids,
        });
        self.pending = Some(Pending {
            slot,
            meta: m,
            key,
            rowid: c.old_rowid,
            values,
        });
    }

    /// Merges the update at `slot` into the update of the same row just
    /// before it, if there is one (a trigger counting rows updates the same
    /// row once per row inserted).
    fn merge(&mut self, slot: usize) {
        let Some(prev) = (0..slot)
            .rev()
            .find(|&i| !matches!(self.buf.mem[i], Rec::Dead))
        else {
            return;
        };
        let (
            Rec::Update {
                meta: m1,
                key: k1,
                cols: c1,
                values: v1,
                rowids: r1,
                ..
            },
            Rec::Update {
                meta: m2,
                key: k2,
                cols: c2,
                values: v2,
                digest,
                rowids: r2,
            },
        ) = (&self.buf.mem[prev], &self.buf.mem[slot])
        else {
            return;
        };
        let meta = &self.metas[*m1 as usize];
        let touches_key = |cols: &[u32]| cols.iter().any(|c| meta.key.contains(&(*c as usize)));
        // (Two rows may share a key: a declared key other than INTEGER
        // PRIMARY KEY may be NULL in several rows. Their rowids tell them apart.)
        let moves = |r: &Rowids| r.is_some_and(|[old, new]| old != new);
        if m1 != m2
            || k1 != k2
            || r1 != r2
            || moves(r1)
            || moved(meta, k1)
            || touches_key(c1)
            || touches_key(c2)
        {
            return;
        }
        let mut cols = Vec::new();
        let mut values = Frags::default();
        for col in 0..meta.columns.len() as u32 {
            let i1 = c1.iter().position(|&c| c == col);
            let i2 = c2.iter().position(|&c| c == col);
            let (b, a) = match (i1, i2) {
                (Some(i1), Some(i2)) => (v1.get(2 * i1), v2.get(2 * i2 + 1)),
                (Some(i1), None) => (v1.get(2 * i1), v1.get(2 * i1 + 1)),
                (None, Some(i2)) => (v2.get(2 * i2), v2.get(2 * i2 + 1)),
                (None, None) => continue,
            };
            if a != b {
                cols.push(col);
                values.push(b);
                values.push(a);
            }
        }
        let merged = Rec::Update {
            meta: *m1,
            key: k1.clone(),
            cols,
            values,
            digest: *digest,
            rowids: *r1,
        };
        let empty = matches!(&merged, Rec::Update { cols, .. } if cols.is_empty());
        self.buf.mem[prev] = if empty { Rec::Dead } else { merged };
        self.buf.mem[slot] = Rec::Dead;
    }

    /// Records the rows of a table a statement is about to drop as deletes.
    fn snapshot_dropped(&mut self, conn: &Connection, table: &str, sql: &str) -> Result<()> {
        let Some(class) = self.class(conn, table)? else {
            return Ok(());
        };
        let m = match class {
            Class::Table(m) => m,
            Class::Virtual(m) => {
                let meta = &self.metas[m as usize];
                if meta.kind != Kind::FtsInternal {
                    // Rows undo can not restore: the drop is recorded as SQL.
                    let (name, sql) = (meta.name.clone(), sql.to_string());
                    self.recorded_sql
                        .insert((name.to_ascii_lowercase(), sql.clone()));
                    self.buf.push(Rec::Sql { table: name, sql });
                    return Ok(());
                }
                m
            }
            _ => return Ok(()),
        };
        self.close_range_of(m);
        self.pending = None;
        let meta = self.metas[m as usize].clone();
        self.dropping.push(meta.name.to_ascii_lowercase());
        if self.unreadable(&meta, sql) {
            return Ok(());
        }
        each_row(conn, &meta, |rowid, cells| {
            let at =
                |p: usize| cells[meta.positions.iter().position(|&x| x == p).unwrap_or(0)].as_ref();
            self.buf.push(Rec::Delete {
                meta: m,
                key: key_of(&meta, rowid, at),
                image: array(&frags_of(&meta, at)),
                rowids: meta.rowids(rowid, rowid),
            });
            self.spill_if_over()
        })
    }

    /// True for a table whose rows capture can not read back with their
    /// rowids (its columns take every name of the rowid): what `sql` does
    /// to its rows is recorded as that SQL, which undo refuses to revert
    /// exactly as it does a virtual table's.
    fn unreadable(&mut self, meta: &Meta, sql: &str) -> bool {
        if !meta.has_rowid || meta.rowid.is_some() {
            return false;
        }
        if self
            .recorded_sql
            .insert((meta.name.to_ascii_lowercase(), sql.to_string()))
        {
            self.buf.push(Rec::Sql {
                table: meta.name.clone(),
                sql: sql.to_string(),
            });
        }
        true
    }

    /// Records the rows of a table the statement just created as inserts.
    fn snapshot_inserts(&mut self, conn: &Connection, table: &str) -> Result<()> {
        let m = match self.class(conn, table)? {
            Some(Class::Table(m)) => m,
            Some(Class::Virtual(m)) if self.metas[m as usize].kind == Kind::FtsInternal => m,
            _ => return Ok(()),
        };
        let meta = self.metas[m as usize].clone();
        let sql = std::mem::take(&mut self.schema_sql);
        if self.unreadable(&meta, &sql) {
            return Ok(());
        }
        each_row(conn, &meta, |rowid, cells| {
            let at =
                |p: usize| cells[meta.positions.iter().position(|&x| x == p).unwrap_or(0)].as_ref();
            self.add_insert(m, rowid, key_of(&meta, rowid, at), at);
            self.spill_if_over()
        })
    }

    /// Takes the values of a column an ALTER TABLE may drop (see [`ColumnSnapshot`]).
    fn snapshot_column(
        &mut self,
        conn: &Connection,
        table: &str,
        column: &str,
        sql: &str,
    ) -> Result<()> {
        let Some(Class::Table(m)) = self.class(conn, table)? else {
            return Ok(());
        };
        let meta = self.metas[m as usize].clone();
        if self.unreadable(&meta, sql) {
            return Ok(());
        }
        let Some(col) = meta
            .columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(column))
        else {
            return Ok(());
        };
        let default = schema::column_default(conn, &meta.name, &meta.columns[col])?;
        let mut records = Vec::new();
        each_row(conn, &meta, |rowid, cells| {
            if cells[col] == default {
                return Ok(());
            }
            let at =
                |p: usize| cells[meta.positions.iter().position(|&x| x == p).unwrap_or(0)].as_ref();
            let mut digest = Digest::default();
            for (i, c) in cells.iter().enumerate() {
                digest.value(if i == col {
                    default.as_ref()
                } else {
                    c.as_ref()
                });
            }
            let mut values = Frags::default();
            values.push_json(cells[col].as_ref());
            values.push_json(default.as_ref());
            records.push(Rec::Update {
                meta: m,
                key: key_of(&meta, rowid, at),
                cols: vec![col as u32],
                values,
                digest: digest.finish(),
                rowids: meta.rowids(rowid, rowid),
            });
            Ok(())
        })?;
        self.column_snapshots.push(ColumnSnapshot {
            table: meta.name.clone(),
            column: meta.columns[col].clone(),
            records,
        });
        Ok(())
    }

    /// Classifies the tables whose changes were kept raw in this epoch.
    fn resolve_raw(&mut self, conn: &Connection) -> Result<()> {
        for name in std::mem::take(&mut self.raw_tables) {
            let class = self.class(conn, &name)?.unwrap_or(Class::Skip);
            if let Class::Shadow(v) = class {
                self.written_vtables.insert(v);
            }
            self.resolved.insert((name, self.epoch), class);
        }
        Ok(())
    }

    /// Records the statements that wrote virtual tables (once each).
    fn record_vtable_sql(&mut self) {
        for (v, sql) in &self.vtable_sql {
            if !self.written_vtables.contains(v) {
                continue;
            }
            let name = self.metas[*v as usize].name.clone();
            if self
                .recorded_sql
                .insert((name.to_ascii_lowercase(), sql.clone()))
            {
                self.buf.push(Rec::Sql {
                    table: name,
                    sql: sql.clone(),
                });
            }
        }
        self.written_vtables.clear();
    }
}

/// Writes records as change rows.
struct Writer<'c> {
    batch: Batch<'c>,
    metas: Vec<Meta>,
    resolved: HashMap<(String, u32), Class>,
    /// Per table: the meta whose `columns` record was written last.
    emitted: HashMap<String, u32>,
}

/// Change rows written many per INSERT statement: a bulk update records
/// hundreds of thousands of them.
struct Batch<'c> {
    group: i64,
    rows: Vec<Row>,
    /// The INSERT of a full batch, prepared once.
    full: Option<sink::ChangeInsert<'c>>,
}

/// Change rows per multi-row INSERT (8 parameters each, and the group).
const BATCH_ROWS: usize = 64;

/// Where a change row's table name comes from.
enum TableName {
    Meta(u32),
    Named(String),
}

/// One change row, after the group id.
struct Row {
    table: TableName,
    op: &'static str,
    key: Option<Vec<u8>>,
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
    sql: Option<String>,
    digest: Option<[u8; 16]>,
    rowids: Rowids,
}

impl Row {
    fn new(table: TableName, op: &'static str) -> Row {
        Row {
            table,
            op,
            key: None,
            before: None,
            after: None,
            sql: None,
            digest: None,
            rowids: None,
        }
    }
}

/// The `rowids` column's text: the rowid, or `[old, new]` when the row moved.
fn rowids_text(r: &Rowids) -> Option<String> {
    r.map(|[old, new]| {
        if old == new {
            old.to_string()
        } else {
            format!("[{old},{new}]")
        }
    })
}

/// The recorded op names, so rows can hold them as `&'static str`.
fn op_name(op: &str) -> &'static str {
    match op {
        "create" => "create",
        "drop" => "drop",
        "rename" => "rename",
        _ => "alter",
    }
}

impl<'c> Batch<'c> {
    fn push(&mut self, conn: &'c Connection, metas: &[Meta], row: Row) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() == BATCH_ROWS {
            self.flush(conn, metas)?;
        }
        Ok(())
    }

    /// Writes the rows waiting, in order.
    fn flush(&mut self, conn: &'c Connection, metas: &[Meta]) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        // What the text columns hold that the rows do not (the digest and
        // rowids as text), alive until the statement has run.
        let digests: Vec<[u8; 32]> = self
            .rows
            .iter()
            .map(|r| r.digest.map(|d| value::hex_bytes(&d)).unwrap_or_default())
            .collect();
        let rowids: Vec<Option<String>> =
            self.rows.iter().map(|r| rowids_text(&r.rowids)).collect();
        let values: Vec<sink::ChangeValues<'_>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let table = match &r.table {
                    TableName::Meta(m) => metas[*m as usize].name.as_str(),
                    TableName::Named(n) => n.as_str(),
                };
                [
                    Some(table.as_bytes()),
                    Some(r.op.as_bytes()),
                    r.key.as_deref(),
                    r.before.as_deref(),
                    r.after.as_deref(),
                    r.sql.as_deref().map(str::as_bytes),
                    r.digest.map(|_| &digests[i][..]),
                    rowids[i].as_deref().map(str::as_bytes),
                ]
            })
            .collect();
        let mut partial;
        let insert = if values.len() == BATCH_ROWS {
            if self.full.is_none() {
                self.full = Some(sink::ChangeInsert::prepare(conn, BATCH_ROWS)?);
            }
            self.full.as_mut().expect("prepared above")
        } else {
            partial = sink::ChangeInsert::prepare(conn, values.len())?;
            &mut partial
        };
        insert.run(self.group, &values)?;
        drop(values);
        self.rows.clear();
        Ok(())
    }
}

impl<'c> Writer<'c> {
    /// Writes the `columns` record of a meta unless the table's last one is it.
    fn columns(&mut self, conn: &'c Connection, m: u32) -> Result<()> {
        let meta = &self.metas[m as usize];
        let lower = meta.name.to_ascii_lowercase();
        if self.emitted.get(&lower) == Some(&m) {
            return Ok(());
        }
        let mut row = Row::new(TableName::Meta(m), "columns");
        row.after = Some(serde_json::to_vec(&meta.columns).map_err(|e| Error::sql(e.to_string()))?);
        row.key = meta
            .key_names()
            .map(|k| serde_json::to_vec(&k).unwrap_or_default());
        self.batch.push(conn, &self.metas, row)?;
        self.emitted.insert(lower, m);
        Ok(())
    }

    /// A JSON object of the changed columns: the before (`which` 0) or
    /// after (1) fragment of each.
    fn object(meta: &Meta, cols: &[u32], values: &Frags, which: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(values.bytes.len() + 16 * cols.len());
        out.push(b'{');
        for (i, &c) in cols.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&meta.json_names[c as usize]);
            out.push(b':');
            out.extend_from_slice(values.get(2 * i + which));
        }
        out.push(b'}');
        out
    }

    fn write(&mut self, conn: &'c Connection, rec: Rec) -> Result<()> {
        match rec {
            Rec::Insert {
                meta,
                key,
                image,
                rowids,
            } => {
                self.columns(conn, meta)?;
                let mut row = Row::new(TableName::Meta(meta), "insert");
                row.key = Some(key);
                row.after = Some(image);
                row.rowids = rowids;
                self.batch.push(conn, &self.metas, row)
            }
            Rec::Delete {
                meta,
                key,
                image,
                rowids,
            } => {
                self.columns(conn, meta)?;
                let mut row = Row::new(TableName::Meta(meta), "delete");
                row.key = Some(key);
                row.before = Some(image);
                row.rowids = rowids;
                self.batch.push(conn, &self.metas, row)
            }
            Rec::Range {
                meta,
                first,
                last,
                digest,
            } => {
                self.columns(conn, meta)?;
                let mut row = Row::new(TableName::Meta(meta), "insert-range");
                row.key = Some(format!("[{first},{last}]").into_bytes());
                row.digest = Some(digest);
                self.batch.push(conn, &self.metas, row)
            }
            Rec::Update {
                meta,
                key,
                cols,
                values,
                digest,
                rowids,
            } => {
                self.columns(conn, meta)?;
                let m = &self.metas[meta as usize];
                let mut row = Row::new(TableName::Meta(meta), "update");
                row.key = Some(key);
                row.before = Some(Writer::object(m, &cols, &values, 0));
                row.after = Some(Writer::object(m, &cols, &values, 1));
                row.digest = Some(digest);
                row.rowids = rowids;
                self.batch.push(conn, &self.metas, row)
            }
            Rec::Raw {
                table,
                epoch,
                op,
                old_rowid,
                new_rowid,
                old,
                new,
            } => {
                let class = self
                    .resolved
                    .get(&(table.to_ascii_lowercase(), epoch))
                    .copied();
                let Some(Class::Table(m)) = class else {
                    return Ok(());
                };
                let meta = &self.metas[m as usize];
                let n = old.len().max(new.len());
                if n != meta.hook_columns {
                    return Err(Error::sql(format!(
                        "can not record a change to table \"{table}\": its columns changed while the job ran"
                    )));
                }
                let rec = match op {
                    o if o == Op::Insert as u8 => Rec::Insert {
                        meta: m,
                        key: key_of(meta, new_rowid, |i| new[i].as_ref()),
                        image: array(&frags_of(meta, |i| new[i].as_ref())),
                        rowids: meta.rowids(new_rowid, new_rowid),
                    },
                    o if o == Op::Delete as u8 => Rec::Delete {
                        meta: m,
                        key: key_of(meta, old_rowid, |i| old[i].as_ref()),
                        image: array(&frags_of(meta, |i| old[i].as_ref())),
                        rowids: meta.rowids(old_rowid, old_rowid),
                    },
                    _ => {
                        let mut cols = Vec::new();
                        let mut values = Frags::default();
                        let mut digest = Digest::default();
                        for (i, &p) in meta.positions.iter().enumerate() {
                            digest.value(new[p].as_ref());
                            if old[p] != new[p] {
                                cols.push(i as u32);
                                values.push_json(old[p].as_ref());
                                values.push_json(new[p].as_ref());
                            }
                        }
                        let rowid_moved = meta.has_rowid && old_rowid != new_rowid;
                        if cols.is_empty() && !rowid_moved {
                            return Ok(());
                        }
                        Rec::Update {
                            meta: m,
                            key: if rowid_moved && meta.key.is_empty() {
                                format!("[{old_rowid},{new_rowid}]").into_bytes()
                            } else {
                                key_of(meta, old_rowid, |i| old[i].as_ref())
                            },
                            cols,
                            values,
                            digest: digest.finish(),
                            rowids: meta.rowids(old_rowid, new_rowid),
                        }
                    }
                };
                self.write(conn, rec)
            }
            Rec::Schema {
                op,
                kind,
                name,
                before,
                sql,
                texts,
            } => {
                let lower = name.to_ascii_lowercase();
                let mut row = Row::new(TableName::Named(name), op_name(&op));
                let mut kind_json = Vec::new();
                write_str(&mut kind_json, &kind);
                row.key = Some(kind_json);
                row.before = before.map(|b| {
                    let mut out = Vec::new();
                    write_str(&mut out, &b);
                    out
                });
                row.after =
                    (!texts.is_empty()).then(|| serde_json::to_vec(&texts).unwrap_or_default());
                row.sql = Some(sql);
                self.batch.push(conn, &self.metas, row)?;
                // The table's next rows may have other columns.
                self.emitted.remove(&lower);
                Ok(())
            }
            Rec::Sql { table, sql } => {
                let mut row = Row::new(TableName::Named(table), "sql");
                row.sql = Some(sql);
                self.batch.push(conn, &self.metas, row)
            }
            Rec::Dead => Ok(()),
        }
    }
}

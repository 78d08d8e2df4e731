//! The one place that opens connections and quotes identifiers, plus the
//! schema look-ups every command shares.
//!
//! The database file (SPEC "The database file"):
//! - A database litewrite creates is put in WAL mode (readers go on while a
//!   transaction is held). An existing database keeps its journal mode
//!   unless plugins.toml says `journal-mode = "wal"`.
//! - `synchronous = FULL` by default: a committed write survives power
//!   loss. `synchronous = "normal"` in plugins.toml trades that (in WAL
//!   mode, the last commits before a power loss may be lost) for speed.
//! - Closing the last connection checkpoints the WAL into the database file
//!   and removes it (SQLite's default), so when litewrite exits the `.db`
//!   file alone holds every committed write. A write also checkpoints
//!   before it closes ([`fold_wal`]), so a connection another program keeps
//!   open does not keep the write out of the file; only a reader inside a
//!   read transaction (whose snapshot the file must still serve) or a
//!   held transaction leaves the newest commits in the `-wal` until later.
//!
//! Write connections have a busy timeout so concurrent writers wait for the
//! lock rather than fail: `BEGIN IMMEDIATE` takes the write lock up front, so
//! two writers never deadlock on a lock upgrade.
//!
//! Every connection runs in SQLite's defensive mode
//! (`SQLITE_DBCONFIG_DEFENSIVE`): SQL can not write shadow tables of virtual
//! tables, `sqlite_dbpage`, nor the schema through `writable_schema`, nor set
//! `schema_version` or `journal_mode = OFF` — ways to corrupt the file for
//! other connections. The one place litewrite itself rewrites schema text
//! (undo of a rename) lifts it for that statement ([`without_defensive`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

/// Quotes an identifier for SQL: `"` doubled, the whole in double quotes.
pub fn quote(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    s.push('"');
    for c in name.chars() {
        if c == '"' {
            s.push('"');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// Quotes a string as an SQL literal.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// How litewrite treats database files (plugins.toml `journal-mode`, `synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileSettings {
    /// Switch existing databases to WAL (`journal-mode = "wal"`).
    pub wal: bool,
    pub synchronous: Synchronous,
}

/// SQLite's `synchronous` setting for write connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// Every commit is on disk before it is reported: survives power loss.
    #[default]
    Full,
    /// Faster; in WAL mode the last commits may be lost on power loss.
    Normal,
}

/// Opens a database for writing. A missing file is created when `create`,
/// else it is *not found*.
pub fn open_write(
    path: &Path,
    create: bool,
    settings: FileSettings,
    busy_timeout: Duration,
) -> Result<Connection> {
    if !create && !path.exists() {
        return Err(missing_database(path));
    }
    // A file that does not exist yet (or is empty) is one litewrite creates.
    let new = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    check_writable(path)?;
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    conn.busy_timeout(busy_timeout)?;
    load_schema(&conn).map_err(|e| open_error(path, e))?;
    defensive(&conn)?;
    if new || settings.wal {
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
    }
    conn.execute_batch(match settings.synchronous {
        Synchronous::Full => "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        Synchronous::Normal => "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    })?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// Copies the WAL's commits into the database file, as far as no reader's
/// snapshot needs them kept out (`PRAGMA wal_checkpoint(PASSIVE)`: it
/// waits for no one). Closing the last connection does this anyway; done
/// after a write, it also covers a connection another program keeps open
/// (a Datasette, a sqlite3 shell) but is not reading through, so the
/// `.db` file alone holds the write. Nothing to do outside WAL mode; a
/// checkpoint that can not run now is left to the next one.
pub fn fold_wal(conn: &Connection) {
    let wal = conn
        .query_row("PRAGMA main.journal_mode", [], |r| r.get::<_, String>(0))
        .is_ok_and(|m| m.eq_ignore_ascii_case("wal"));
    if wal {
        let _ = conn.query_row("PRAGMA main.wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

/// Opens a database for a --dry-run: like [`open_write`] but it changes
/// nothing in the file, not even its journal mode; a database that does not
/// exist yet is stood in for by an empty one in memory.
pub fn open_dry_run(path: &Path, create: bool, busy_timeout: Duration) -> Result<Connection> {
    if !path.exists() {
        if !create {
            return Err(missing_database(path));
        }
        let conn = Connection::open_in_memory()?;
        defensive(&conn)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        return Ok(conn);
    }
    check_writable(path)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    conn.busy_timeout(busy_timeout)?;
    load_schema(&conn).map_err(|e| open_error(path, e))?;
    defensive(&conn)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    // A WAL with content may hold commits not yet in the file: the last
    // connection to close would fold them in, so this one must not.
    // Otherwise closing only removes the empty WAL (made by this connection
    // or a reader).
    if std::fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0) {
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )?;
    }
    Ok(conn)
}

/// Opens an existing database read-only.
pub fn open_read(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    if !path.exists() {
        return Err(missing_database(path));
    }
    if is_wal(path) && !exists(&sibling(path, "-shm")) && !may_write(&directory(path)) {
        return Err(Error::sql(format!(
            "can not read database {}: it is in WAL mode, and SQLite needs to create {} to read it, in a directory this user can not write",
            path.display(),
            sibling(path, "-shm").display()
        ))
        .with_hint("let this user write the directory, or have its owner switch the database out of WAL mode (sqlite3 DB 'PRAGMA journal_mode = DELETE')"));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
    conn.busy_timeout(busy_timeout)?;
    load_schema(&conn).map_err(|e| open_error(path, e))?;
    defensive(&conn)?;
    Ok(conn)
}

/// Fails with a sentence saying why when this user can not write the
/// database: a read-only file, or a directory where SQLite can not create
/// the journal (`-journal`, or `-wal`/`-shm` for a WAL database) it needs.
fn check_writable(path: &Path) -> Result<()> {
    let cant = |why: String| {
        Err(Error::sql(format!(
            "can not write database {}: {why}",
            path.display()
        )))
    };
    if exists(path) && !may_write(path) {
        return cant("the file is read-only for this user".into());
    }
    let dir = directory(path);
    if may_write(&dir) {
        return Ok(());
    }
    if !exists(path) {
        return Err(Error::sql(format!(
            "can not create database {}: this user can not write its directory {}",
            path.display(),
            dir.display()
        )));
    }
    let needs: Vec<PathBuf> = if is_wal(path) {
        vec![sibling(path, "-wal"), sibling(path, "-shm")]
    } else {
        vec![sibling(path, "-journal")]
    };
    match needs.iter().find(|f| !exists(f) || !may_write(f)) {
        Some(f) => cant(format!(
            "SQLite needs to create {} in {}, a directory this user can not write",
            f.display(),
            dir.display()
        )),
        None => Ok(()),
    }
}

/// True when this process may write `path` (the effective user's access).
fn may_write(path: &Path) -> bool {
    nix::unistd::eaccess(path, nix::unistd::AccessFlags::W_OK).is_ok()
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The directory holding a database file (`.` for a bare file name).
fn directory(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `app.db` + `-wal`: the files SQLite keeps beside a database.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// True when the file's header says WAL mode (read and write versions 2).
fn is_wal(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|_| header[18] == 2 && header[19] == 2)
}

/// Turns SQLite's defensive mode on (see the module docs), once the schema
/// is loaded ([`load_schema`]).
fn defensive(conn: &Connection) -> Result<()> {
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    Ok(())
}

/// Makes SQLite load the schema now if it is not loaded. In defensive mode
/// SQLite refuses to parse a trigger on a shadow table, which databases
/// hold (`sqlite-utils enable-counts` run after `enable-fts` puts its count
/// triggers on the FTS shadow tables; see [`crate::access`]): every
/// statement would fail "malformed database schema". So the schema is
/// loaded before defensive mode is turned on, and loaded again with it off
/// after a rollback ([`rollback`]), which makes SQLite forget a schema the
/// transaction changed.
/// A file that is not a database fails here: at open, the error is mapped
/// to name it.
fn load_schema(conn: &Connection) -> rusqlite::Result<()> {
    // Running a statement that reads a table loads the schema, and loads it
    // again if another connection changed it since.
    conn.query_row("SELECT 1 FROM main.sqlite_master LIMIT 1", [], |_| Ok(()))
        .optional()?;
    Ok(())
}

/// Loads the schema again if another connection changed it since this one
/// read it: called once a transaction holds the write lock, so the schema
/// can not change any more behind its back (see [`load_schema`]).
pub fn refresh_schema(conn: &Connection) -> Result<()> {
    without_defensive(conn, || Ok(load_schema(conn)?))
}

/// Begins a transaction (`sql`: `BEGIN IMMEDIATE` or `BEGIN DEFERRED`)
/// with the schema as it is in it ([`refresh_schema`]). A lock not taken
/// in time is *busy* with the message `locked` makes.
pub fn begin(conn: &Connection, sql: &str, locked: impl FnOnce() -> String) -> Result<()> {
    conn.execute_batch(sql).map_err(|e| {
        let err = Error::from(e);
        if err.kind == crate::error::Kind::Busy {
            Error::busy(locked())
        } else {
            err
        }
    })?;
    refresh_schema(conn)
}

/// Runs `sql`, a ROLLBACK or ROLLBACK TO, then loads the schema again if
/// the rollback made SQLite forget it (see [`load_schema`]). The rollback's
/// own result is returned: SQLite may have rolled back already.
pub fn rollback(conn: &Connection, sql: &str) -> Result<()> {
    let result = conn.execute_batch(sql);
    refresh_schema(conn)?;
    Ok(result?)
}

/// Runs `f` with defensive mode off: only for the tool's own statements
/// that must write the schema text (undo restoring what a rename rewrote).
pub fn without_defensive<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    use rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE;
    conn.set_db_config(SQLITE_DBCONFIG_DEFENSIVE, false)?;
    let out = f();
    conn.set_db_config(SQLITE_DBCONFIG_DEFENSIVE, true)?;
    out
}

/// True unless the database holds nothing but SQLite's and the tool's own
/// tables (or can not be read).
pub fn holds_user_objects(conn: &Connection) -> bool {
    conn.query_row(
        "SELECT count(*) FROM main.sqlite_master WHERE name NOT LIKE '\\_litewrite\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map_or(true, |n| n > 0)
}

/// A database file as it was before a command that may create it opened
/// it: missing, empty (SQLite treats a zero-length file as a new
/// database), or holding a database.
pub enum NewFile {
    Missing,
    Empty,
    Database,
}

impl NewFile {
    pub fn before_open(path: &Path) -> NewFile {
        match std::fs::metadata(path) {
            Err(_) => NewFile::Missing,
            Ok(m) if m.len() == 0 => NewFile::Empty,
            Ok(_) => NewFile::Database,
        }
    }

    /// True when opening the file makes a new database.
    pub fn is_new(&self) -> bool {
        !matches!(self, NewFile::Database)
    }

    /// Puts a database this command made back as it was (missing, or an
    /// empty file), once its own connection is closed: a write that failed
    /// leaves no database behind holding only the tool's tables and the
    /// record of its failure. Not while another process has it open (a new
    /// database is in WAL mode, and SQLite removes its `-wal` and `-shm`
    /// when the last connection closes): a write of theirs may be under
    /// way, and removing the file would lose it. Best effort: what can not
    /// be removed stays.
    pub fn restore(&self, path: &Path) {
        if exists(&sibling(path, "-wal")) || exists(&sibling(path, "-shm")) {
            return;
        }
        match self {
            NewFile::Database => return,
            NewFile::Missing => {
                let _ = std::fs::remove_file(path);
            }
            NewFile::Empty => {
                let _ = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .and_then(|f| f.set_len(0));
            }
        }
        let _ = std::fs::remove_file(sibling(path, "-journal"));
    }
}

/// True when `table` has triggers of its own (false when that can not be
/// read).
pub fn has_triggers(conn: &Connection, table: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM main.sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?1)",
        [table],
        |r| r.get::<_, i64>(0),
    )
    .is_ok_and(|n| n > 0)
}

fn missing_database(path: &Path) -> Error {
    Error::not_found(format!("database {} does not exist", path.display()))
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    let mut err = Error::from(e);
    err.message = format!("can not open database {}: {}", path.display(), err.message);
    err
}

/// One column of a table, as `PRAGMA table_info` gives it.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub decl_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// 1-based position in the primary key, 0 when not part of it.
    pub pk: u32,
}

/// What a name in the schema is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    View,
}

/// A table's (or view's) columns and primary key.
#[derive(Debug, Clone)]
pub struct TableInfo {
    /// The name as the schema spells it.
    pub name: String,
    pub kind: ObjectKind,
    pub columns: Vec<Column>,
    /// Primary-key columns in key order; for a rowid table without one, the
    /// rowid's name (`rowid`, or `_rowid_` / `oid` when a user column is
    /// named `rowid`).
    pub key: Vec<String>,
}

impl TableInfo {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
    /// True when the table has no declared primary key (its key is the rowid).
    pub fn rowid_key(&self) -> bool {
        self.columns.iter().all(|c| c.pk == 0)
    }
}

/// Looks a table or view up in the main schema; `None` when missing.
pub fn table_info(conn: &Connection, table: &str) -> Result<Option<TableInfo>> {
    // Name and type only: the schema text is not readable while the
    // authorizer hides tables, and this runs under the job's policy.
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT name, type FROM main.sqlite_master \
             WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
            [table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((name, kind)) = found else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1, 'main')",
    )?;
    let columns = stmt
        .query_map([&name], |r| {
            Ok(Column {
                name: r.get(0)?,
                decl_type: r.get(1)?,
                not_null: r.get(2)?,
                default: r.get(3)?,
                pk: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut pk: Vec<&Column> = columns.iter().filter(|c| c.pk > 0).collect();
    pk.sort_by_key(|c| c.pk);
    let key = if pk.is_empty() {
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        vec![rowid_name(&names).unwrap_or("rowid").to_string()]
    } else {
        pk.iter().map(|c| c.name.clone()).collect()
    };
    Ok(Some(TableInfo {
        name,
        kind: if kind == "view" {
            ObjectKind::View
        } else {
            ObjectKind::Table
        },
        columns,
        key,
    }))
}

/// The name addressing a rowid table's rowid: the first of `rowid`,
/// `_rowid_` and `oid` that is not a user column; None when all three are.
pub fn rowid_name(columns: &[String]) -> Option<&'static str> {
    ["rowid", "_rowid_", "oid"]
        .into_iter()
        .find(|n| !columns.iter().any(|c| c.eq_ignore_ascii_case(n)))
}

/// True for a WITHOUT ROWID table.
pub fn is_without_rowid(conn: &Connection, table: &str) -> Result<bool> {
    // A WITHOUT ROWID table has no rowid column to select.
    let sql = format!("SELECT rowid FROM main.{} LIMIT 0", quote(table));
    Ok(conn.prepare(&sql).is_err())
}

/// Looks a table up and fails with *not found* when it is missing.
pub fn require_table(conn: &Connection, table: &str) -> Result<TableInfo> {
    table_info(conn, table)?.ok_or_else(|| missing_table(conn, table))
}

/// *Not found* for a table, naming the nearest existing table or view when
/// one is close (a typo) and the connection's authorizer policy lets the
/// user read it: a hidden table is never suggested.
pub fn missing_table(conn: &Connection, table: &str) -> Error {
    missing_table_but(conn, table, |_| false)
}

/// SQLite's own "no such table: NAME" (a query's SQL) with the nearest
/// existing table as [`missing_table`] names it; other errors unchanged.
pub fn hint_missing_table(conn: &Connection, err: Error) -> Error {
    let Some(name) = err.message.strip_prefix("no such table: ") else {
        return err;
    };
    // SQLite adds " in SQL at offset ..." (rusqlite) and may name the schema.
    let name = name.split(" in SQL at offset").next().unwrap_or(name);
    let name = name.strip_prefix("main.").unwrap_or(name);
    match (&err.hint, missing_table(conn, name).hint) {
        (None, Some(hint)) => err.with_hint(hint),
        _ => err,
    }
}

/// [`missing_table`] that also never suggests a name `hidden` says is
/// hidden (for connections without the authorizer policy).
pub fn missing_table_but(conn: &Connection, table: &str, hidden: impl Fn(&str) -> bool) -> Error {
    let err = Error::not_found(format!("table \"{table}\" does not exist"));
    let mut names: Vec<String> = conn
        .prepare(
            "SELECT name FROM main.sqlite_master WHERE type IN ('table', 'view') \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_litewrite\\_%' ESCAPE '\\'",
        )
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .unwrap_or_default();
    names.retain(|n| !hidden(n));
    loop {
        let Some(near) = crate::cmd::nearest(table, names.iter().map(String::as_str)) else {
            return err;
        };
        // Only prepared, never run; a denial by the policy rules it out.
        let sql = format!("SELECT 1 FROM main.{} LIMIT 0", quote(near));
        if conn.prepare(&sql).is_ok() {
            return err.with_hint(format!("did you mean \"{near}\"?"));
        }
        let near = near.to_string();
        names.retain(|n| *n != near);
    }
}

/// Converts a key given on the command line to the value SQLite should
/// compare, following the key column's declared type.
pub fn key_value(column: Option<&Column>, text: &str) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    let decl = column
        .map(|c| c.decl_type.to_ascii_uppercase())
        .unwrap_or_else(|| "INTEGER".into());
    if decl.contains("INT") {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Integer(i);
        }
    }
    if decl.contains("REAL") || decl.contains("FLOA") || decl.contains("DOUB") {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Real(f);
        }
    }
    Value::Text(text.to_string())
}

/// The first row `PRAGMA foreign_key_check` reports (one in or referring to
/// `table` first), described as "column "c" of table "t" holds 42, which no
/// row of "p"("id") has". Only violations between tables `shown` lets
/// through are told: the check lists every table's, and a table the
/// authorizer hides from the user must not have its values or columns
/// quoted in an error (a file made by another tool may hold violations of
/// its own).
pub fn foreign_key_violation(
    conn: &rusqlite::Connection,
    table: Option<&str>,
    shown: &dyn Fn(&str) -> bool,
) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA main.foreign_key_check")?;
    let mut found: Vec<(String, Option<i64>, String, i64)> = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get::<_, String>(2)?,
                r.get(3)?,
            ))
        })?
        .filter(|r| {
            r.as_ref()
                .map_or(true, |(child, _, parent, _)| shown(child) && shown(parent))
        })
        .collect::<rusqlite::Result<_>>()?;
    if let Some(t) = table {
        found.sort_by_key(|(child, _, parent, _)| {
            !(child.eq_ignore_ascii_case(t) || parent.eq_ignore_ascii_case(t))
        });
    }
    let Some((child, rowid, parent, fkid)) = found.into_iter().next() else {
        return Ok(None);
    };
    let mut list = conn.prepare(
        "SELECT \"from\", coalesce(\"to\", '') FROM pragma_foreign_key_list(?1) WHERE id = ?2 ORDER BY seq",
    )?;
    let pairs: Vec<(String, String)> = list
        .query_map(rusqlite::params![child, fkid], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let from: Vec<&str> = pairs.iter().map(|(f, _)| f.as_str()).collect();
    let to: Vec<&str> = pairs.iter().map(|(_, t)| t.as_str()).collect();
    let value = match rowid {
        Some(rowid) => {
            let cols: Vec<String> = from.iter().map(|c| quote(c)).collect();
            let sql = format!(
                "SELECT json_array({}) FROM main.{} WHERE rowid = ?1",
                cols.join(", "),
                quote(&child)
            );
            conn.query_row(&sql, [rowid], |r| r.get::<_, String>(0))
                .ok()
                .map(|v| v.trim_start_matches('[').trim_end_matches(']').to_string())
        }
        None => None,
    };
    let column = if from.len() == 1 {
        format!("column \"{}\"", from[0])
    } else {
        format!("columns \"{}\"", from.join("\", \""))
    };
    let held = value
        .map(|v| format!(" holds {v}, which"))
        .unwrap_or_else(|| " refers to a key that".into());
    let target = if to.iter().all(|t| t.is_empty()) {
        format!("\"{parent}\" (its primary key)")
    } else {
        format!("\"{parent}\"(\"{}\")", to.join("\", \""))
    };
    Ok(Some(format!(
        "{column} of table \"{child}\"{held} no row of {target} has"
    )))
}

/// Interrupts the connection's statement when the time limit passes.
pub struct Watchdog {
    cancel: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    pub fn start(conn: &Connection, ms: u64) -> Watchdog {
        let handle = conn.get_interrupt_handle();
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_millis(ms))
            {
                handle.interrupt();
            }
        });
        Watchdog {
            cancel: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        drop(self.cancel.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_can_not_inject() {
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote("x; drop table t"), "\"x; drop table t\"");
        assert_eq!(literal("it's"), "'it''s'");
    }
}

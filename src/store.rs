//! The tool's own tables (`_litewrite_*`): their schema and its migrations
//! (the clock that stamps their rows is the session's, [`crate::session::Clock`]).
//!
//! Migrations are an append-only list; `_litewrite_meta` records how many
//! have been applied. They run inside the job's own `BEGIN IMMEDIATE`
//! transaction, so they land atomically with the first write that needs
//! them (and a `--dry-run` leaves no trace). A database whose recorded
//! version is newer than this binary knows is refused, never guessed at.
//! JSON columns are plain text so any SQLite client can read them.
//!
//! One writer at a time holds a database, so the changes of a group are
//! contiguous in `_litewrite_changes`: a group row keeps their id range
//! (`first_change`..=`last_change`), which finds them without an index on
//! `group_id` (an index that would cost a bulk insert a third of its time).
//! A job that changed nothing leaves no group, unless an audit entry
//! (written inside the job when audit-log is the inner wrapper) names it.
//!
//! Change rows come in two formats, told apart by `_litewrite_groups.format`:
//! groups recorded before migration 2 (format NULL) hold whole-row JSON
//! objects in `before`/`after`; groups recorded since (format 2) hold the
//! compact records described in [`crate::capture`], with a `digest` column.
//! Both are read by `history`, `show` and `undo`. Since migration 4 a
//! record of a rowid table with a declared primary key also holds the
//! row's rowid (`rowids`); records written before it hold NULL there and
//! are found by their key.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// Each entry moves the schema one version forward. Never edit one; append.
const MIGRATIONS: &[&str] = &[
    // 1: change groups, row changes, the audit log.
    "CREATE TABLE IF NOT EXISTS _litewrite_meta (key TEXT PRIMARY KEY, value TEXT);
     CREATE TABLE _litewrite_groups (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        message TEXT,
        command TEXT NOT NULL,
        command_line TEXT,
        tx TEXT,
        undo_of INTEGER,
        first_change INTEGER,
        last_change INTEGER
     );
     CREATE TABLE _litewrite_changes (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL,
        tbl TEXT NOT NULL,
        op TEXT NOT NULL,
        key TEXT,
        before TEXT,
        after TEXT,
        sql TEXT
     );
     CREATE TABLE _litewrite_audit (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        event TEXT NOT NULL,
        actor TEXT NOT NULL,
        message TEXT,
        database TEXT,
        tbl TEXT,
        rows INTEGER,
        keys TEXT,
        sql TEXT,
        params TEXT,
        outcome TEXT NOT NULL,
        error TEXT,
        group_id INTEGER,
        tx TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
     );",
    // 2: compact change records (see crate::capture): the digest of rows a
    // record does not spell out, and the record format of each group.
    "ALTER TABLE _litewrite_changes ADD COLUMN digest TEXT;
     ALTER TABLE _litewrite_groups ADD COLUMN format INTEGER;",
    // 3: the OS user that ran litewrite, on every audit entry (covered by
    // its hash) and change group; `--actor` is only a label.
    "ALTER TABLE _litewrite_audit ADD COLUMN os_user TEXT;
     ALTER TABLE _litewrite_groups ADD COLUMN os_user TEXT;",
    // 4: the rowid of a row of a rowid table with a declared primary key
    // (its key does not say where the row was: a REPLACE moves it, and a
    // non-INTEGER key may be NULL in several rows).
    "ALTER TABLE _litewrite_changes ADD COLUMN rowids TEXT;",
];

/// The record format of the groups this binary writes (`_litewrite_groups.format`).
pub const FORMAT: i64 = 2;

/// The schema version this binary writes.
pub const VERSION: usize = MIGRATIONS.len();

/// Brings the tool's tables up to date; call inside a write transaction.
pub fn ensure(conn: &Connection) -> Result<()> {
    let version = version(conn)?;
    if version == VERSION {
        return Ok(());
    }
    if version > VERSION {
        return Err(newer(version));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        conn.execute_batch(sql).map_err(|e| {
            Error::sql(format!(
                "can not create litewrite's tables (migration {}): {e}",
                i + 1
            ))
        })?;
    }
    conn.execute(
        "INSERT INTO _litewrite_meta (key, value) VALUES ('schema_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [VERSION.to_string()],
    )?;
    Ok(())
}

/// The recorded schema version (0 when the tables do not exist).
pub fn version(conn: &Connection) -> Result<usize> {
    // A look-up in the schema SQLite holds in memory (a scan of
    // sqlite_master would cost every job in proportion to the schema).
    if !conn.table_exists(Some(c"main"), c"_litewrite_meta")? {
        return Ok(0);
    }
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM _litewrite_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// For readers (history, show, audit): the tables must exist and be known.
pub fn check_readable(conn: &Connection) -> Result<bool> {
    let v = version(conn)?;
    if v > VERSION {
        return Err(newer(v));
    }
    Ok(v > 0)
}

fn newer(v: usize) -> Error {
    Error::sql(format!(
        "this database was written by a newer litewrite (its tables are at schema version {v}; this binary knows up to {VERSION}); upgrade litewrite"
    ))
}

/// The columns a change row is read with (`rowids` is NULL for records
/// written before migration 4, and in a database not migrated yet).
pub fn change_columns(conn: &Connection) -> Result<&'static str> {
    Ok(if version(conn)? >= 4 {
        "id, tbl, op, key, before, after, sql, digest, rowids"
    } else {
        "id, tbl, op, key, before, after, sql, digest, NULL"
    })
}

/// True when the change group exists.
pub fn group_exists(conn: &Connection, group: i64) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM _litewrite_groups WHERE id = ?1",
            [group],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// The id range of a group's changes (empty when it has none).
pub fn change_range(conn: &Connection, group: i64) -> Result<(i64, i64)> {
    let range: Option<(Option<i64>, Option<i64>)> = conn
        .query_row(
            "SELECT first_change, last_change FROM _litewrite_groups WHERE id = ?1",
            [group],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match range {
        Some((Some(a), Some(b))) => (a, b),
        _ => (1, 0),
    })
}

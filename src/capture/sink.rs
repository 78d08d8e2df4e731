//! The statement that writes change rows into `_litewrite_changes`: one
//! multi-row INSERT, prepared once and run for every batch of rows, its
//! values bound without copies.
//!
//! A bulk update or delete records hundreds of thousands of rows. Through
//! rusqlite every text value would be bound as `SQLITE_TRANSIENT`, which
//! makes SQLite allocate and copy it, and free the copy at the next reset:
//! binding, copying and freeing took about a third of the time a 500k-row
//! `update --where` spent writing its records (callgrind). The records'
//! bytes stay where they are until the statement has run, so they are
//! bound `SQLITE_STATIC` here, through SQLite's C API.

use std::ffi::{c_char, c_int};
use std::marker::PhantomData;
use std::ptr;

use rusqlite::ffi;
use rusqlite::Connection;

use crate::error::{Error, Result};

/// Values of one change row after the group id, in column order: `tbl`,
/// `op`, `key`, `before`, `after`, `sql`, `digest`, `rowids` (None: NULL).
pub type ChangeValues<'r> = [Option<&'r [u8]>; 8];

/// A prepared INSERT of `rows` change rows (`?1` the group, then eight
/// values per row), finalized when dropped.
pub struct ChangeInsert<'c> {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
    rows: usize,
    _conn: PhantomData<&'c Connection>,
}

impl<'c> ChangeInsert<'c> {
    /// Prepares the INSERT of `rows` change rows.
    pub fn prepare(conn: &'c Connection, rows: usize) -> Result<ChangeInsert<'c>> {
        let sql = insert_sql(rows);
        // SAFETY: the handle is the open connection's, which outlives 'c;
        // the SQL is a live buffer of the length given.
        let db = unsafe { conn.handle() };
        let mut stmt = ptr::null_mut();
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast::<c_char>(),
                sql.len() as c_int,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc));
        }
        Ok(ChangeInsert {
            db,
            stmt,
            rows,
            _conn: PhantomData,
        })
    }

    /// Inserts one batch of `group`: as many rows as it was prepared for.
    pub fn run(&mut self, group: i64, rows: &[ChangeValues<'_>]) -> Result<()> {
        assert_eq!(rows.len(), self.rows, "a batch of the prepared size");
        // SAFETY: the statement is live until Drop. Every parameter is
        // bound before the step, and the bytes bound (SQLITE_STATIC) are
        // borrowed from `rows`, which outlives the step and the reset that
        // ends SQLite's use of them; the next run binds every parameter
        // again before stepping.
        unsafe {
            let mut rc = ffi::sqlite3_bind_int64(self.stmt, 1, group);
            for (i, row) in rows.iter().enumerate() {
                for (k, value) in row.iter().enumerate() {
                    if rc != ffi::SQLITE_OK {
                        break;
                    }
                    let at = (i * 8 + k + 2) as c_int;
                    rc = match value {
                        Some(bytes) => ffi::sqlite3_bind_text64(
                            self.stmt,
                            at,
                            bytes.as_ptr().cast::<c_char>(),
                            bytes.len() as u64,
                            ffi::SQLITE_STATIC(),
                            ffi::SQLITE_UTF8 as u8,
                        ),
                        None => ffi::sqlite3_bind_null(self.stmt, at),
                    };
                }
            }
            if rc != ffi::SQLITE_OK {
                return Err(error(self.db, rc));
            }
            let stepped = ffi::sqlite3_step(self.stmt);
            let reset = ffi::sqlite3_reset(self.stmt);
            if stepped != ffi::SQLITE_DONE {
                return Err(error(self.db, reset));
            }
        }
        Ok(())
    }
}

impl Drop for ChangeInsert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on this connection and is
        // finalized once.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

/// The connection's error for a failed call that returned `rc`.
fn error(db: *mut ffi::sqlite3, rc: c_int) -> Error {
    // SAFETY: the connection is open; its message is copied at once.
    let (code, message) = unsafe {
        let code = ffi::sqlite3_extended_errcode(db);
        let msg = ffi::sqlite3_errmsg(db);
        let message =
            (!msg.is_null()).then(|| std::ffi::CStr::from_ptr(msg).to_string_lossy().into_owned());
        (if code == ffi::SQLITE_OK { rc } else { code }, message)
    };
    Error::from(rusqlite::Error::SqliteFailure(
        ffi::Error::new(code),
        message,
    ))
}

/// The INSERT of `rows` change rows: the group is `?1`, each row's eight
/// values follow.
fn insert_sql(rows: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = String::from(
        "INSERT INTO main._litewrite_changes (group_id, tbl, op, key, before, after, sql, digest, rowids) VALUES ",
    );
    for i in 0..rows {
        sql.push_str(if i == 0 { "(?1" } else { ", (?1" });
        for k in 0..8 {
            // Writing into a String can not fail.
            let _ = write!(sql, ", ?{}", i * 8 + k + 2);
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_land_with_their_values_and_nulls() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE _litewrite_changes (id INTEGER PRIMARY KEY, group_id INTEGER, tbl TEXT,
             op TEXT, key TEXT, before TEXT, after TEXT, sql TEXT, digest TEXT, rowids TEXT)",
        )
        .unwrap();
        let mut insert = ChangeInsert::prepare(&conn, 2).unwrap();
        let key = b"[1,\"a\"]".to_vec();
        let empty: &[u8] = b"";
        let rows = [
            [
                Some(&b"t"[..]),
                Some(b"insert"),
                Some(&key[..]),
                None,
                Some(b"[1]"),
                None,
                None,
                Some(empty),
            ],
            [
                Some(&b"t"[..]),
                Some(b"delete"),
                Some(b"2"),
                Some(b"[2]"),
                None,
                None,
                Some(b"00ff"),
                None,
            ],
        ];
        insert.run(7, &rows).unwrap();
        // The statement runs again with new values.
        insert.run(8, &rows).unwrap();
        type Got = (i64, String, Option<String>, Option<String>, Option<String>);
        let got: Vec<Got> = conn
            .prepare("SELECT group_id, op, key, before, rowids FROM _litewrite_changes ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(got.len(), 4);
        assert_eq!(
            got[0],
            (
                7,
                "insert".into(),
                Some("[1,\"a\"]".into()),
                None,
                Some(String::new())
            )
        );
        assert_eq!(
            got[1],
            (
                7,
                "delete".into(),
                Some("2".into()),
                Some("[2]".into()),
                None
            )
        );
        assert_eq!(got[3].0, 8);
    }

    #[test]
    fn a_failed_insert_is_an_error_naming_the_cause() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE _litewrite_changes (id INTEGER PRIMARY KEY, group_id INTEGER, tbl TEXT NOT NULL,
             op TEXT, key TEXT, before TEXT, after TEXT, sql TEXT, digest TEXT, rowids TEXT)",
        )
        .unwrap();
        let mut insert = ChangeInsert::prepare(&conn, 1).unwrap();
        let err = insert.run(1, &[[None; 8]]).unwrap_err();
        assert!(err.message.contains("NOT NULL"), "{}", err.message);
    }
}

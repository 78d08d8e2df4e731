//! SQLite's preupdate hook, declared by hand.
//!
//! rusqlite's `preupdate_hook` feature needs libclang to generate its
//! bindings; the five functions used here have had stable signatures since
//! SQLite 3.13, so they are declared directly. The bundled SQLite is built
//! with `SQLITE_ENABLE_PREUPDATE_HOOK` (see `.cargo/config.toml`).
//!
//! SQLite calls the hook just before it changes a row of any table on the
//! connection, with the old and new values at hand; the callback must not
//! run SQL on the connection, so it only hands the change to an
//! [`Observer`], which buffers what it needs.

use std::ffi::{c_char, c_int, c_void, CStr};

use rusqlite::ffi::{self, sqlite3, sqlite3_value};
use rusqlite::types::ValueRef;

type Callback =
    unsafe extern "C" fn(*mut c_void, *mut sqlite3, c_int, *const c_char, *const c_char, i64, i64);

extern "C" {
    fn sqlite3_preupdate_hook(
        db: *mut sqlite3,
        cb: Option<Callback>,
        arg: *mut c_void,
    ) -> *mut c_void;
    fn sqlite3_preupdate_old(db: *mut sqlite3, i: c_int, out: *mut *mut sqlite3_value) -> c_int;
    fn sqlite3_preupdate_new(db: *mut sqlite3, i: c_int, out: *mut *mut sqlite3_value) -> c_int;
    fn sqlite3_preupdate_count(db: *mut sqlite3) -> c_int;
    fn sqlite3_preupdate_depth(db: *mut sqlite3) -> c_int;
}

/// What SQLite is about to do to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Insert,
    Update,
    Delete,
}

/// One row change, readable only during the callback.
pub struct RowChange<'a> {
    db: *mut sqlite3,
    pub op: Op,
    /// The table's name as the schema spells it (a pointer SQLite keeps
    /// stable while the schema does not change).
    pub table: &'a CStr,
    /// The rowid before (update, delete) and after (insert, update); 0 for
    /// WITHOUT ROWID tables.
    pub old_rowid: i64,
    pub new_rowid: i64,
}

impl RowChange<'_> {
    /// Columns of the table, generated ones included.
    pub fn count(&self) -> usize {
        // SAFETY: called during the preupdate callback, on its connection.
        unsafe { sqlite3_preupdate_count(self.db).max(0) as usize }
    }

    /// 0 for the statement's own change, 1 for a change made by a trigger
    /// (or foreign-key action) it fired, and so on.
    pub fn depth(&self) -> i32 {
        // SAFETY: as above.
        unsafe { sqlite3_preupdate_depth(self.db) }
    }

    /// Column `i` before the change (update, delete).
    pub fn old_value(&self, i: usize) -> ValueRef<'_> {
        let mut v = std::ptr::null_mut();
        // SAFETY: as above; SQLite owns the value until the callback returns.
        unsafe {
            if sqlite3_preupdate_old(self.db, i as c_int, &mut v) != ffi::SQLITE_OK {
                return ValueRef::Null;
            }
            value_ref(v)
        }
    }

    /// Column `i` after the change (insert, update).
    pub fn new_value(&self, i: usize) -> ValueRef<'_> {
        let mut v = std::ptr::null_mut();
        // SAFETY: as above.
        unsafe {
            if sqlite3_preupdate_new(self.db, i as c_int, &mut v) != ffi::SQLITE_OK {
                return ValueRef::Null;
            }
            value_ref(v)
        }
    }
}

/// Reads a protected sqlite3_value as rusqlite's ValueRef.
///
/// # Safety
/// `v` must be a valid value that outlives the returned reference.
unsafe fn value_ref<'a>(v: *mut sqlite3_value) -> ValueRef<'a> {
    if v.is_null() {
        return ValueRef::Null;
    }
    let bytes = |p: *const u8| -> &'a [u8] {
        let n = ffi::sqlite3_value_bytes(v).max(0) as usize;
        if p.is_null() || n == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(p, n)
        }
    };
    match ffi::sqlite3_value_type(v) {
        ffi::SQLITE_INTEGER => ValueRef::Integer(ffi::sqlite3_value_int64(v)),
        ffi::SQLITE_FLOAT => ValueRef::Real(ffi::sqlite3_value_double(v)),
        ffi::SQLITE_TEXT => {
            // UTF-8 text is read as it is stored: sqlite3_value_text would
            // first copy each value of the record to add a NUL terminator
            // (a tenth of a bulk update's instructions, callgrind). Other
            // encodings are converted to UTF-8 by sqlite3_value_text.
            let p = if ffi::sqlite3_value_encoding(v) == ffi::SQLITE_UTF8 {
                ffi::sqlite3_value_blob(v).cast()
            } else {
                ffi::sqlite3_value_text(v)
            };
            ValueRef::Text(bytes(p))
        }
        ffi::SQLITE_BLOB => ValueRef::Blob(bytes(ffi::sqlite3_value_blob(v).cast())),
        _ => ValueRef::Null,
    }
}

/// Receives the row changes of the `main` database.
pub trait Observer {
    fn row_change(&self, change: &RowChange<'_>);
}

/// Installs `observer` as the connection's preupdate hook.
///
/// # Safety
/// `db` must be an open connection and `observer` must stay valid until
/// [`remove`] is called on it (or the connection is closed).
pub unsafe fn install<T: Observer>(db: *mut sqlite3, observer: *const T) {
    sqlite3_preupdate_hook(db, Some(callback::<T>), observer as *mut c_void);
}

/// Removes the connection's preupdate hook.
///
/// # Safety
/// `db` must be an open connection.
pub unsafe fn remove(db: *mut sqlite3) {
    sqlite3_preupdate_hook(db, None, std::ptr::null_mut());
}

unsafe extern "C" fn callback<T: Observer>(
    arg: *mut c_void,
    db: *mut sqlite3,
    op: c_int,
    schema: *const c_char,
    table: *const c_char,
    old_rowid: i64,
    new_rowid: i64,
) {
    // TEMP tables (and attached databases) are not the database's data.
    if schema.is_null() || table.is_null() || CStr::from_ptr(schema).to_bytes() != b"main" {
        return;
    }
    let op = match op {
        ffi::SQLITE_INSERT => Op::Insert,
        ffi::SQLITE_UPDATE => Op::Update,
        _ => Op::Delete,
    };
    let change = RowChange {
        db,
        op,
        table: CStr::from_ptr(table),
        old_rowid,
        new_rowid,
    };
    let observer = &*(arg as *const T);
    // A panic must not unwind into SQLite; the observer records its own errors.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        observer.row_change(&change)
    }));
}

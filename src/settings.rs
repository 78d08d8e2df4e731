//! The connection settings user SQL can change with a PRAGMA, and putting
//! them back.
//!
//! A held transaction serves many requests on one connection: a `PRAGMA
//! query_only = 1` (or `defer_foreign_keys`, `recursive_triggers`,
//! `ignore_check_constraints`, ...) left by one request would change every
//! later one, the commit included. So the settings are read once when the
//! connection is opened, and after any user SQL that wrote a pragma each
//! setting that differs is set back, before the wrappers do their own
//! bookkeeping. Which pragmas user SQL may write at all is the authorizer's
//! business (`crate::access`); this module makes sure that whatever it lets
//! through lasts no longer than the statement list it came in.
//!
//! The list is every pragma that sets a property of the connection (or of
//! one of its schemas) rather than of the database file's content: those
//! that change the file (`user_version`, `application_id`, `schema_version`)
//! are part of the transaction and roll back with it. Pragmas this SQLite
//! build does not have (a read returns no row) are skipped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rusqlite::hooks::{AuthAction, AuthContext};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use crate::access::Rule;
use crate::error::Result;

/// Connection-wide settings.
const CONNECTION: &[&str] = &[
    "analysis_limit",
    "automatic_index",
    "busy_timeout",
    "cell_size_check",
    "checkpoint_fullfsync",
    "count_changes",
    "defer_foreign_keys",
    "empty_result_callbacks",
    "foreign_keys",
    "full_column_names",
    "fullfsync",
    "hard_heap_limit",
    "ignore_check_constraints",
    "legacy_alter_table",
    "query_only",
    "read_uncommitted",
    "recursive_triggers",
    "reverse_unordered_selects",
    "short_column_names",
    "soft_heap_limit",
    "temp_store",
    "threads",
    "trusted_schema",
    "wal_autocheckpoint",
    "writable_schema",
];

/// Settings each schema (`main`, `temp`) has its own of.
const PER_SCHEMA: &[&str] = &[
    "cache_size",
    "cache_spill",
    "journal_size_limit",
    "locking_mode",
    "max_page_count",
    "mmap_size",
    "secure_delete",
    "synchronous",
];

/// Settings that can be written but not read: set back to their default.
const WRITE_ONLY: &[(&str, &str)] = &[("case_sensitive_like", "OFF")];

/// The settings of a connection as they were when it was opened.
#[derive(Debug, Clone)]
pub struct Settings {
    /// (`schema.`pragma or pragma, value)
    values: Vec<(String, Value)>,
    /// Set when user SQL wrote a pragma since the last [`Settings::restore`].
    written: Arc<AtomicBool>,
}

impl Settings {
    /// Reads the connection's current settings.
    pub fn capture(conn: &Connection) -> Result<Settings> {
        let names: Vec<String> = CONNECTION
            .iter()
            .map(|p| p.to_string())
            .chain(
                ["main", "temp"]
                    .iter()
                    .flat_map(|s| PER_SCHEMA.iter().map(move |p| format!("{s}.{p}"))),
            )
            .collect();
        let values = names
            .iter()
            .cloned()
            .zip(read_all(conn, &names)?)
            .filter_map(|(name, v)| v.map(|v| (name, v)))
            .collect();
        Ok(Settings {
            values,
            written: Arc::new(AtomicBool::new(false)),
        })
    }

    /// The authorizer rule that notices user SQL writing a pragma (it
    /// never refuses anything); put it first in the policy.
    pub fn watch(&self) -> Box<dyn Rule> {
        Box::new(PragmaWatch(Arc::clone(&self.written)))
    }

    /// Sets back every setting user SQL changed, if it wrote a pragma since
    /// the last call. Run it with no authorizer policy in force; `shown`
    /// says which tables an error may quote (see
    /// [`crate::db::foreign_key_violation`]).
    pub fn restore(&self, conn: &Connection, shown: &dyn Fn(&str) -> bool) -> Result<()> {
        if !self.written.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        let names: Vec<String> = self.values.iter().map(|(n, _)| n.clone()).collect();
        let now = read_all(conn, &names)?;
        let mut violation = None;
        for ((name, value), now) in self.values.iter().zip(now) {
            if now.as_ref() != Some(value) {
                // Setting defer_foreign_keys clears the count of foreign-key
                // violations it deferred: switching it back off with some
                // outstanding would let them commit. They fail the step,
                // whose rollback (to its savepoint) brings the count back;
                // every setting is still set back, so none outlives the
                // failed request either.
                if name == "defer_foreign_keys" && deferred_violations(conn) {
                    violation = Some(deferred_violation_error(conn, shown));
                }
                let literal = match value {
                    Value::Integer(i) => i.to_string(),
                    Value::Real(f) => f.to_string(),
                    Value::Text(t) => crate::db::literal(t),
                    Value::Null | Value::Blob(_) => continue,
                };
                // A setting SQLite refuses to change back here (e.g. inside
                // the transaction) is reported, not ignored.
                conn.query_row(&format!("PRAGMA {name} = {literal}"), [], |_| Ok(()))
                    .optional()?;
            }
        }
        for (name, default) in WRITE_ONLY {
            conn.execute_batch(&format!("PRAGMA {name} = {default}"))?;
        }
        violation.map_or(Ok(()), Err)
    }
}

/// The error of foreign-key violations a `PRAGMA defer_foreign_keys` put
/// off, naming one of them.
fn deferred_violation_error(
    conn: &Connection,
    shown: &dyn Fn(&str) -> bool,
) -> crate::error::Error {
    let err = crate::error::Error::from(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
        Some("FOREIGN KEY constraint failed".into()),
    ));
    match crate::db::foreign_key_violation(conn, None, shown) {
        Ok(Some(detail)) => crate::error::Error {
            message: format!(
                "{} (deferred by PRAGMA defer_foreign_keys): {detail}",
                err.message
            ),
            ..err
        },
        _ => err,
    }
}

/// True when the connection holds deferred foreign-key violations that a
/// COMMIT would refuse.
fn deferred_violations(conn: &Connection) -> bool {
    let (mut current, mut high) = (0, 0);
    // SAFETY: the handle is valid while `conn` lives; the out-pointers are ours.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_db_status(
            conn.handle(),
            rusqlite::ffi::SQLITE_DBSTATUS_DEFERRED_FKS,
            &mut current,
            &mut high,
            0,
        )
    };
    rc == rusqlite::ffi::SQLITE_OK && current > 0
}

/// The values of pragmas (`name` or `schema.name`), None for those this
/// build does not have. One statement reads them all through their
/// table-valued forms (opening a connection pays for this); one at a time
/// when that does not prepare.
fn read_all(conn: &Connection, names: &[String]) -> Result<Vec<Option<Value>>> {
    let from: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| match n.split_once('.') {
            Some((schema, p)) => format!("pragma_{p}({}) AS p{i}", crate::db::literal(schema)),
            None => format!("pragma_{n} AS p{i}"),
        })
        .collect();
    let sql = format!("SELECT * FROM {}", from.join(", "));
    if let Ok(mut stmt) = conn.prepare_cached(&sql) {
        if stmt.column_count() == names.len() {
            let row = stmt
                .query_row([], |r| {
                    (0..names.len())
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .optional()?;
            if let Some(row) = row {
                return Ok(row.into_iter().map(Some).collect());
            }
        }
    }
    names.iter().map(|n| read(conn, n)).collect()
}

/// The value of a pragma, None when this build has no such pragma.
fn read(conn: &Connection, name: &str) -> Result<Option<Value>> {
    Ok(conn
        .query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, Value>(0))
        .optional()?)
}

/// Notes that a statement writes one of the settings. A pragma with an
/// argument that is not a setting (`table_info(t)`, which every
/// `pragma_table_info(...)` the tool reads is compiled to) sets nothing.
struct PragmaWatch(Arc<AtomicBool>);

impl Rule for PragmaWatch {
    fn check(&self, ctx: &AuthContext<'_>) -> Option<String> {
        if let AuthAction::Pragma {
            pragma_name,
            pragma_value: Some(_),
        } = ctx.action
        {
            let is = |p: &&str| p.eq_ignore_ascii_case(pragma_name);
            if CONNECTION.iter().any(is)
                || PER_SCHEMA.iter().any(is)
                || WRITE_ONLY.iter().map(|(p, _)| p).any(is)
            {
                self.0.store(true, Ordering::Relaxed);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_settings_are_set_back() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        let settings = Settings::capture(&conn).unwrap();
        conn.execute_batch(
            "PRAGMA query_only = 1; PRAGMA recursive_triggers = 1; PRAGMA foreign_keys = OFF;
             PRAGMA ignore_check_constraints = 1; PRAGMA defer_foreign_keys = 1;
             PRAGMA main.cache_size = 7; PRAGMA case_sensitive_like = ON",
        )
        .unwrap();
        settings.written.store(true, Ordering::Relaxed);
        settings.restore(&conn, &|_| true).unwrap();
        for (name, want) in [
            ("query_only", 0),
            ("recursive_triggers", 0),
            ("foreign_keys", 1),
            ("ignore_check_constraints", 0),
            ("defer_foreign_keys", 0),
        ] {
            let got: i64 = conn
                .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap();
            assert_eq!(got, want, "{name}");
        }
        let cache: i64 = conn
            .query_row("PRAGMA main.cache_size", [], |r| r.get(0))
            .unwrap();
        assert_ne!(cache, 7);
        let like: i64 = conn
            .query_row("SELECT 'a' LIKE 'A'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(like, 1, "case_sensitive_like is back off");
    }
}

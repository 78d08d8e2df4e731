//! `undo`: revert a change group as a new, recorded group.
//!
//! Changes are reverted newest first, with the user's triggers off (the
//! changes their triggers made are in the group and are reverted with the
//! rest, not made again) and foreign keys checked at commit (a child row
//! may be restored before its parent). Every statement of the undo runs
//! under change capture, so the undo is itself a group that can be undone.
//!
//! What undo checks, unless `--force`:
//! - every row is still as the group left it: an inserted row (or range of
//!   rows, by digest) unchanged, an updated row's whole value unchanged (by
//!   digest), a deleted row's key still free;
//! - reverting changes nothing outside the group: a cascade or a REPLACE
//!   reaching a row the group did not change (seen by capture while the
//!   undo runs) is a conflict;
//! - every change can be reverted exactly: a write to a virtual table undo
//!   can not revert (R*Tree, contentless FTS, other modules), an ALTER that
//!   dropped columns other than the last ones or reordered them, or rows of
//!   a table whose columns take every name of the rowid, is a conflict.
//!
//! Rows are put back where they were: a record that keeps the row's rowid
//! (a rowid table with a declared primary key) is found and restored by it.
//! Dropped last columns come back by their exact old SQL (ADD COLUMN can
//! not declare a NOT NULL column without a default, a STORED generated
//! column or a non-constant default), their values by the group's updates.
//!
//! The first conflict ends the undo with nothing reverted (exit 5); with
//! `--force` each of these is reverted as far as it can be, or skipped.
//! External-content FTS indexes the group wrote are rebuilt at the end, so
//! a search finds exactly the rows their content tables hold.

mod whole_row;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value as Json;

use crate::capture::schema::{Kind, TableFilter};
use crate::capture::stored::{self, Change, ColumnMap, Columns, Table};
use crate::capture::value::Cell;
use crate::capture::{Expect, Op, Unexpected};
use crate::cli::UndoArgs;
use crate::db::{self, quote};
use crate::error::{Error, Result};
use crate::job::{Event, Step, Write, WriteContext};
use crate::session::Session;
use crate::store;

pub fn run(s: &Session, a: UndoArgs) -> Result<Option<Json>> {
    if s.held.is_none() {
        // Before taking the write lock; inside a transaction the step
        // looks the group up on the transaction's own connection.
        let conn = db::open_read(&a.db, s.busy_timeout())?;
        super::show::require_group(&conn, a.group)?;
    }
    let mut info = super::job_info(s, "undo", &a.db, None);
    info.undo_of = Some(a.group);
    let write = UndoWrite {
        group: a.group,
        force: a.force,
    };
    super::run_write(s, info, write)
}

pub struct UndoWrite {
    group: i64,
    force: bool,
}

impl Write for UndoWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let conn = cx.conn;
        let missing = || Error::not_found(format!("change group {} does not exist", self.group));
        // The tool's own records are its reading, outside the job's policy
        // (which keeps their value columns from a restricted user's SQL).
        let (command, undone, format) = cx.capture.trusted(|| -> Result<_> {
            if !store::check_readable(conn)? {
                return Err(missing());
            }
            let command: String = conn
                .query_row(
                    "SELECT command FROM _litewrite_groups WHERE id = ?1",
                    [self.group],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(missing)?;
            let undone: Option<i64> = conn
                .query_row(
                    "SELECT id FROM _litewrite_groups WHERE undo_of = ?1 AND id IS NOT ?2 ORDER BY id LIMIT 1",
                    rusqlite::params![self.group, cx.group],
                    |r| r.get(0),
                )
                .optional()?;
            Ok((command, undone, stored::format(conn, self.group)?))
        })?;
        if !self.force {
            if let Some(by) = undone {
                return Err(Error::conflict(format!(
                    "change group {} was already undone by group {by}",
                    self.group
                ))
                .with_hint("use --force to revert it again"));
            }
        }
        // Capture watches what the undo changes even when change-group is
        // not configured (nothing is recorded then).
        let own_capture = !cx.capture.is_on();
        if own_capture {
            cx.capture.start(TableFilter {
                tables: vec!["*".into()],
                exclude: Vec::new(),
            });
        }
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let mut r = Reverter {
            group: self.group,
            force: self.force,
            counts: BTreeMap::new(),
            rebuild: Vec::new(),
            columns: None,
            done: HashSet::new(),
            range_gone: HashMap::new(),
            dropped_later: HashMap::new(),
            kept_values: HashMap::new(),
            tables: HashMap::new(),
        };
        let reverted = match format {
            None => whole_row::revert_group(&mut r, cx, &command),
            Some(_) => r.revert_group(cx),
        }
        .and_then(|_| r.rebuild_indexes(cx));
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
        if own_capture {
            cx.capture.abort();
        }
        reverted?;
        for ((name, table), n) in std::mem::take(&mut r.counts) {
            let mut ev = Event::new(name, Some(&table));
            if matches!(name, "insert-rows" | "update-row" | "delete-row") {
                ev.rows = n;
                cx.rows += n;
            }
            cx.event(ev);
        }
        Ok(Step::Done)
    }
}

/// The state of one undo: what it reverted, and the indexes to rebuild.
pub struct Reverter {
    group: i64,
    force: bool,
    counts: BTreeMap<(&'static str, String), u64>,
    /// External-content FTS tables the group wrote.
    rebuild: Vec<String>,
    columns: Option<ColumnMap>,
    /// Records already reverted by a foreign-key action of an earlier revert.
    done: HashSet<i64>,
    /// Rows of `insert-range` records a foreign-key action already deleted,
    /// by record id: (rowid, values).
    range_gone: HashMap<i64, Vec<(i64, Vec<Cell>)>>,
    /// Columns the group added, by (lower-case table, column): the id of
    /// the `alter` record whose revert drops them again.
    dropped_later: HashMap<(String, String), i64>,
    /// Per such column, the rows whose value the group set and undo left
    /// in place (the drop takes it): see [`Reverter::revert_update`].
    kept_values: HashMap<(String, String), i64>,
    /// Tables as they are now, by lower-case name, looked up once for all
    /// their rows' records; forgotten when a record that changes the
    /// schema is reverted.
    tables: HashMap<String, Rc<Table>>,
}

impl Reverter {
    fn count(&mut self, event: &'static str, table: &str, n: u64) {
        *self.counts.entry((event, table.to_string())).or_default() += n;
    }

    /// A conflict `--force` overrides.
    fn refuse(&self, c: &Change, what: String) -> Error {
        Error::conflict(format!(
            "can not undo group {}: {what} ({})",
            self.group,
            c.what()
        ))
        .with_hint("nothing was reverted; use --force to revert anyway")
    }

    /// A conflict not even `--force` gets past.
    fn impossible(&self, c: &Change, what: String) -> Error {
        Error::conflict(format!(
            "can not undo group {}: {what} ({})",
            self.group,
            c.what()
        ))
        .with_hint("nothing was reverted")
    }

    fn revert_group(&mut self, cx: &WriteContext<'_>) -> Result<()> {
        // The group's records are the tool's own reading (their value columns
        // are not readable to user SQL while the authorizer hides tables);
        // the reverting statements are the job's, under its policy.
        let conn = cx.conn;
        self.columns = Some(cx.capture.trusted(|| ColumnMap::load(conn, self.group))?);
        self.dropped_later = cx.capture.trusted(|| added_columns(conn, self.group))?;
        let mut changes = cx
            .capture
            .trusted(|| stored::Changes::new(conn, self.group, true))?;
        loop {
            let chunk = cx.capture.trusted(|| changes.next_chunk(conn))?;
            if chunk.is_empty() {
                break;
            }
            for c in chunk {
                self.revert(cx, &c)?;
            }
        }
        Ok(())
    }

    /// Rebuilds the external-content FTS indexes whose content tables the
    /// undo changed, and those the group wrote. The user's triggers were
    /// off, so an index they keep saw none of the undo's changes; it is
    /// derived data, rebuilt whether change-group records the FTS table
    /// or not (`exclude`), so a search finds exactly the rows the table
    /// holds.
    fn rebuild_indexes(&mut self, cx: &WriteContext<'_>) -> Result<()> {
        let changed: HashSet<String> = self
            .counts
            .keys()
            .map(|(_, table)| table.to_ascii_lowercase())
            .collect();
        let written: HashSet<String> = std::mem::take(&mut self.rebuild)
            .into_iter()
            .map(|t| t.to_ascii_lowercase())
            .collect();
        let conn = cx.conn;
        let virtual_tables: Vec<(String, String)> = cx.capture.trusted(|| {
            conn.prepare(
                "SELECT name, sql FROM main.sqlite_master
                 WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        for (name, sql) in virtual_tables {
            let module = crate::capture::schema::VirtualSql::parse(&sql);
            let Some(content) = module
                .content()
                .filter(|c| module.is_fts() && !c.is_empty())
            else {
                continue;
            };
            let wanted = written.contains(&name.to_ascii_lowercase())
                || changed.contains(&content.to_ascii_lowercase());
            // Rebuilt from its content table, when that still exists.
            if wanted && Table::open(cx.conn, &content)?.is_some() {
                let q = quote(&name);
                cx.execute(&format!("INSERT INTO main.{q}({q}) VALUES ('rebuild')"), [])?;
            }
        }
        Ok(())
    }

    fn revert(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<()> {
        let columns = || self.columns.as_ref().expect("column lists loaded").at(c);
        if self.done.contains(&c.id) {
            let event = if c.op == "update" {
                "update-row"
            } else {
                "delete-row"
            };
            self.count(event, &c.table, 1);
            return Ok(());
        }
        if !matches!(
            c.op.as_str(),
            "columns" | "insert" | "insert-range" | "update" | "delete"
        ) {
            self.tables.clear();
        }
        match c.op.as_str() {
            "columns" => Ok(()),
            "insert" => self.revert_insert(cx, &*columns()?, c),
            "insert-range" => self.revert_range(cx, &*columns()?, c),
            "update" => self.revert_update(cx, &*columns()?, c),
            "delete" => self.revert_delete(cx, &*columns()?, c),
            "sql" => self.revert_sql(cx, c),
            "create" => self.revert_create(cx, c),
            "drop" => self.revert_drop(cx, c),
            "rename" => self.revert_rename(cx, c),
            "alter" => self.revert_alter(cx, c),
            other => Err(Error::sql(format!(
                "unknown change operation {other:?} in change {}",
                c.id
            ))),
        }
    }

    /// True when undo can address the record's row (`by`, see
    /// [`Change::locate`]): a table whose user columns take every name of
    /// the rowid can not be addressed by it, a conflict (`--force` skips
    /// the record: false).
    fn addressable(&self, c: &Change, t: &Table, by: &Columns) -> Result<bool> {
        if by.key.is_some() || t.rowid.is_some() {
            return Ok(true);
        }
        if self.force {
            return Ok(false);
        }
        Err(self.refuse(
            c,
            format!(
                "table \"{}\" has user columns named rowid, _rowid_ and oid, so undo can not address its rows by rowid",
                t.name
            ),
        ))
    }

    fn table(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<Rc<Table>> {
        let key = c.table.to_lowercase();
        if let Some(t) = self.tables.get(&key) {
            return Ok(t.clone());
        }
        let t = Rc::new(Table::open(cx.conn, &c.table)?.ok_or_else(|| {
            self.impossible(c, format!("table \"{}\" no longer exists", c.table))
        })?);
        self.tables.insert(key, t.clone());
        Ok(t)
    }

    /// Runs one reverting statement, expecting it to change only `expect`.
    fn run(
        &mut self,
        cx: &WriteContext<'_>,
        c: &Change,
        table: &Table,
        sql: &str,
        values: &[Cell],
        expect: Expect,
    ) -> Result<()> {
        cx.capture.expect(&table.name, expect);
        let result = cx.execute_cached(sql, rusqlite::params_from_iter(values.iter()));
        let unexpected = cx.capture.unexpected();
        if let Err(e) = result {
            if e.sqlite_code() == Some(rusqlite::ErrorCode::ConstraintViolation) && !self.force {
                return Err(self.refuse(
                    c,
                    format!(
                        "reverting it conflicts with a row changed since: {}",
                        e.message
                    ),
                ));
            }
            return Err(e);
        }
        if self.force {
            return Ok(());
        }
        if unexpected.overflow {
            return Err(self.refuse(
                c,
                "reverting it would also change more than 10000 rows this group did not change"
                    .into(),
            ));
        }
        for u in unexpected.changes {
            self.settle(cx, c, u)?;
        }
        Ok(())
    }

    /// A change a reverting statement made besides the one it was for (a
    /// foreign-key action, a REPLACE). It is fine when it reverts a record
    /// of the group still to come, exactly as that record would: an insert
    /// of the row it deleted, or an update it undid. That record is then
    /// done. Anything else reaches a row the group did not change.
    fn settle(&mut self, cx: &WriteContext<'_>, c: &Change, u: Unexpected) -> Result<()> {
        let outside = |what: String| {
            self.refuse(
                c,
                format!(
                    "reverting it would also change {what}, which this group did not change (a foreign-key action or a REPLACE reaching a row changed since)"
                ),
            )
        };
        let fits = |cells: &[Cell], n: usize| cells.is_empty() || cells.len() == n;
        let meta = cx
            .capture
            .meta(cx.conn, &u.table)?
            .filter(|m| fits(&u.old, m.hook_columns) && fits(&u.new, m.hook_columns));
        let Some(meta) = meta else {
            return Err(outside(format!("a row of \"{}\"", u.table)));
        };
        let pick = |cells: &[Cell]| -> Vec<Cell> {
            meta.positions.iter().map(|&p| cells[p].clone()).collect()
        };
        let old = pick(&u.old);
        let key: Vec<Cell> = if meta.key.is_empty() {
            vec![Cell::Integer(u.old_rowid)]
        } else {
            meta.key.iter().map(|&k| old[k].clone()).collect()
        };
        let key_text = String::from_utf8_lossy(&stored::key_json(&key)).into_owned();
        let what = format!("the row with key {key_text} of \"{}\"", meta.name);
        if u.op == Op::Insert || u.old.is_empty() {
            return Err(outside(what));
        }
        let ops: &[&str] = if u.op == Op::Delete {
            &["insert", "insert-range"]
        } else {
            &["update"]
        };
        let candidates: Vec<Change> = cx.capture.trusted(|| -> Result<Vec<Change>> {
            // An update that set a key column (a cascade ON UPDATE) left the
            // row under another key than the one it records: such updates
            // are candidates too; the whole-row check below decides.
            let key_set: Vec<String> = meta
                .key
                .iter()
                .map(|&k| {
                    let mut name = String::from_utf8_lossy(&meta.json_names[k]).into_owned();
                    name.push(':');
                    name
                })
                .collect();
            let sets_key = if key_set.is_empty() {
                "0".to_string()
            } else {
                (0..key_set.len())
                    .map(|i| format!("instr(after, ?{}) > 0", i + 6))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            };
            let mut stmt = cx.conn.prepare_cached(&format!(
                "SELECT {} FROM _litewrite_changes
                 WHERE group_id = ?1 AND id < ?2 AND tbl = ?3 COLLATE NOCASE
                   AND ((op IN ('insert', 'update') AND key = ?4)
                     OR (op = 'update' AND ({sets_key}))
                     OR (op = 'insert-range' AND ?5 BETWEEN json_extract(key, '$[0]') AND json_extract(key, '$[1]')))
                 ORDER BY id DESC",
                store::change_columns(cx.conn)?
            ))?;
            let mut params: Vec<rusqlite::types::Value> = vec![
                self.group.into(),
                c.id.into(),
                meta.name.clone().into(),
                key_text.clone().into(),
                u.old_rowid.into(),
            ];
            params.extend(key_set.into_iter().map(rusqlite::types::Value::from));
            let rows = stmt.query_map(rusqlite::params_from_iter(params), Change::from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        let columns = self.columns.as_ref().expect("column lists loaded");
        for r in candidates {
            if self.done.contains(&r.id) || !ops.contains(&r.op.as_str()) {
                continue;
            }
            let cols = columns.at(&r)?;
            if cols.names != meta.columns {
                continue;
            }
            let matches = match r.op.as_str() {
                "insert" => r.image(true, &cols)? == old,
                "insert-range" => meta.has_rowid,
                _ => {
                    // The update the record made, undone: the row was as the
                    // record left it, and now holds its old values.
                    let mut expected = old.clone();
                    for (name, v) in r.columns_object(false)? {
                        if let Some(i) = cols.names.iter().position(|n| *n == name) {
                            expected[i] = v;
                        }
                    }
                    r.digest.as_deref() == Some(&stored::row_digest(&old))
                        && pick(&u.new) == expected
                }
            };
            if !matches {
                continue;
            }
            if r.op == "insert-range" {
                self.range_gone
                    .entry(r.id)
                    .or_default()
                    .push((u.old_rowid, old));
            } else {
                self.done.insert(r.id);
            }
            return Ok(());
        }
        Err(outside(what))
    }

    fn revert_insert(&mut self, cx: &WriteContext<'_>, cols: &Columns, c: &Change) -> Result<()> {
        let t = self.table(cx, c)?;
        let image = c.image(true, cols)?;
        let key_text = String::from_utf8_lossy(&stored::key_json(&c.key_cells()?)).into_owned();
        let (by, key) = c.locate(cols)?;
        if !self.addressable(c, &t, &by)? {
            return Ok(());
        }
        if !self.force {
            match t.row(cx.conn, &by, &key)? {
                Some(now) if now == image => {}
                Some(_) => {
                    return Err(self.refuse(
                        c,
                        format!(
                            "the row with key {key_text} of \"{}\" was changed since",
                            t.name
                        ),
                    ))
                }
                None => {
                    return Err(self.refuse(
                        c,
                        format!(
                            "the row with key {key_text} of \"{}\" was deleted since",
                            t.name
                        ),
                    ))
                }
            }
        }
        let sql = format!(
            "DELETE FROM main.{} WHERE {}",
            quote(&t.name),
            t.key_condition(&by, 1)?
        );
        self.run(cx, c, &t, &sql, &key, expect_row(&by, &key))?;
        self.count("delete-row", &t.name, 1);
        Ok(())
    }

    fn revert_range(&mut self, cx: &WriteContext<'_>, cols: &Columns, c: &Change) -> Result<()> {
        let t = self.table(cx, c)?;
        let (first, last) = c.range()?;
        let Some(rowid) = t.rowid else {
            return self
                .addressable(
                    c,
                    &t,
                    &Columns {
                        names: Vec::new(),
                        key: None,
                    },
                )
                .map(|_| ());
        };
        if !self.force {
            let now = t.range(cx.conn, cols, first, last)?;
            let mut rows = now.rows;
            let mut digest = now.digest;
            if let Some(gone) = self.range_gone.remove(&c.id) {
                // Rows a foreign-key action of this undo deleted already.
                rows.extend(gone);
                rows.sort_by_key(|(rowid, _)| *rowid);
                digest = stored::range_digest(&rows);
            }
            if rows.len() as i64 != last - first + 1 || c.digest.as_ref() != Some(&digest) {
                return Err(self.refuse(
                    c,
                    format!(
                        "of the rows with rowids {first} to {last} this group inserted into \"{}\", {}",
                        t.name,
                        if (rows.len() as i64) < last - first + 1 {
                            "some were deleted since"
                        } else {
                            "some were changed since"
                        }
                    ),
                ));
            }
        }
        let sql = format!(
            "DELETE FROM main.{} WHERE {rowid} BETWEEN ?1 AND ?2",
            quote(&t.name)
        );
        let bounds = [Cell::Integer(first), Cell::Integer(last)];
        self.run(cx, c, &t, &sql, &bounds, Expect::Rowids(first, last))?;
        self.count("delete-row", &t.name, (last - first + 1) as u64);
        Ok(())
    }

    fn revert_update(&mut self, cx: &WriteContext<'_>, cols: &Columns, c: &Change) -> Result<()> {
        let t = self.table(cx, c)?;
        let before = c.columns_object(false)?;
        let (by, key_now) = stored::key_after_update(c, cols)?;
        if !self.addressable(c, &t, &by)? {
            return Ok(());
        }
        let key_text = match &by.key {
            Some(_) => String::from_utf8_lossy(&stored::key_json(&key_now)).into_owned(),
            // Found by rowid: named by its key before the update.
            None if cols.key.is_some() => {
                String::from_utf8_lossy(&stored::key_json(&c.key_cells()?)).into_owned()
            }
            None => String::from_utf8_lossy(&stored::key_json(&key_now)).into_owned(),
        };
        let now = if self.force {
            Some(Vec::new())
        } else {
            t.row(cx.conn, &by, &key_now)?
        };
        match now {
            None => {
                return Err(self.refuse(
                    c,
                    format!(
                        "the row with key {key_text} of \"{}\" was deleted since",
                        t.name
                    ),
                ))
            }
            Some(cells)
                if !self.force && c.digest.as_deref() != Some(&stored::row_digest(&cells)) =>
            {
                return Err(self.refuse(
                    c,
                    format!(
                        "the row with key {key_text} of \"{}\" was changed since",
                        t.name
                    ),
                ))
            }
            Some(_) => {}
        }
        // Values set in columns the group added (an undo putting back
        // dropped columns), which reverting the group drops again: the row
        // keeps them until then. Setting them back first could not work: a
        // NOT NULL column would have to hold NULL.
        let table_key = t.name.to_ascii_lowercase();
        let dropped = |col: &str| {
            self.dropped_later
                .get(&(table_key.clone(), col.to_ascii_lowercase()))
                .is_some_and(|&alter| alter < c.id)
        };
        if !before.is_empty() && before.iter().all(|(col, _)| dropped(col)) {
            for (col, _) in &before {
                *self
                    .kept_values
                    .entry((table_key.clone(), col.to_ascii_lowercase()))
                    .or_default() += 1;
            }
            self.count("update-row", &t.name, 1);
            return Ok(());
        }
        let mut sets = Vec::new();
        let mut values = Vec::new();
        for (col, v) in before {
            if !t.has_column(&col) {
                if self.force {
                    continue;
                }
                return Err(self.refuse(
                    c,
                    format!("column \"{col}\" of \"{}\" no longer exists", t.name),
                ));
            }
            sets.push(format!("{} = ?{}", quote(&col), values.len() + 1));
            values.push(v);
        }
        if by.key.is_none() {
            if let [old, _] = c.locate(cols)?.1.as_slice() {
                // The row's rowid changed: put it back too.
                sets.push(format!("{} = ?{}", t.rowid()?, values.len() + 1));
                values.push(old.clone());
            }
        }
        if sets.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "UPDATE main.{} SET {} WHERE {}",
            quote(&t.name),
            sets.join(", "),
            t.key_condition(&by, values.len() + 1)?
        );
        values.extend(key_now.iter().cloned());
        self.run(cx, c, &t, &sql, &values, expect_row(&by, &key_now))?;
        self.count("update-row", &t.name, 1);
        Ok(())
    }

    fn revert_delete(&mut self, cx: &WriteContext<'_>, cols: &Columns, c: &Change) -> Result<()> {
        let t = self.table(cx, c)?;
        let image = c.image(false, cols)?;
        let key_text = String::from_utf8_lossy(&stored::key_json(&c.key_cells()?)).into_owned();
        let (by, key) = c.locate(cols)?;
        if !self.addressable(c, &t, &by)? {
            return Ok(());
        }
        if !self.force {
            let by_rowid = cols.key.is_some() && by.key.is_none();
            let key_taken = if by_rowid {
                t.row(cx.conn, cols, &c.key_cells()?)?.is_some()
            } else {
                t.row(cx.conn, &by, &key)?.is_some()
            };
            if key_taken {
                return Err(self.refuse(
                    c,
                    format!("a row with key {key_text} exists again in \"{}\"", t.name),
                ));
            }
            if by_rowid && t.row(cx.conn, &by, &key)?.is_some() {
                let rowid = String::from_utf8_lossy(&stored::key_json(&key)).into_owned();
                return Err(self.refuse(
                    c,
                    format!(
                        "the rowid {rowid} the row with key {key_text} had in \"{}\" is taken by a row added since",
                        t.name
                    ),
                ));
            }
        }
        let mut names = Vec::new();
        let mut values = Vec::new();
        if by.key.is_none() {
            // The row goes back where it was, at its rowid.
            names.push(t.rowid()?.to_string());
            values.push(key[0].clone());
        }
        for (name, v) in cols.names.iter().zip(image) {
            if !t.has_column(name) {
                if self.force {
                    continue;
                }
                return Err(self.refuse(
                    c,
                    format!("column \"{name}\" of \"{}\" no longer exists", t.name),
                ));
            }
            names.push(quote(name));
            values.push(v);
        }
        let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT {}INTO main.{} ({}) VALUES ({})",
            if self.force { "OR REPLACE " } else { "" },
            quote(&t.name),
            names.join(", "),
            marks.join(", ")
        );
        self.run(cx, c, &t, &sql, &values, expect_row(&by, &key))?;
        self.count("insert-rows", &t.name, 1);
        Ok(())
    }

    fn revert_sql(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<()> {
        let Some(meta) = cx.capture.meta(cx.conn, &c.table)? else {
            return Ok(());
        };
        match meta.kind {
            Kind::FtsExternal => {
                if !self
                    .rebuild
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(&meta.name))
                {
                    self.rebuild.push(meta.name);
                }
                Ok(())
            }
            Kind::Virtual if !self.force => Err(self.refuse(
                c,
                format!(
                    "it wrote virtual table \"{}\", whose changes undo can not revert exactly: {}",
                    meta.name,
                    crate::error::shorten(c.sql.as_deref().unwrap_or(""))
                ),
            )),
            // Capture records an ordinary table's rows as SQL only when it
            // could not read them with their rowids.
            Kind::Table if !self.force => Err(self.refuse(
                c,
                format!(
                    "table \"{}\" has user columns named rowid, _rowid_ and oid, so its rows were not recorded and undo can not restore them: {}",
                    meta.name,
                    crate::error::shorten(c.sql.as_deref().unwrap_or(""))
                ),
            )),
            _ => Ok(()),
        }
    }

    fn revert_create(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<()> {
        let kind = c.text("key")?.unwrap_or_else(|| "table".into());
        let Some(name) = object_name(cx.conn, &kind, &c.table)? else {
            if self.force {
                return Ok(());
            }
            return Err(self.refuse(c, format!("{kind} \"{}\" no longer exists", c.table)));
        };
        if kind == "table" {
            let rows: i64 = cx.conn.query_row(
                &format!("SELECT count(*) FROM main.{}", quote(&name)),
                [],
                |r| r.get(0),
            )?;
            if rows > 0 && !self.force {
                return Err(self.refuse(c, format!("table \"{name}\" has rows added since")));
            }
        }
        cx.execute(
            &format!("DROP {} main.{}", kind.to_ascii_uppercase(), quote(&name)),
            [],
        )?;
        if kind == "table" {
            self.count("drop-table", &name, 1);
        }
        Ok(())
    }

    fn revert_drop(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<()> {
        let kind = c.text("key")?.unwrap_or_else(|| "table".into());
        if let Some(name) = object_name(cx.conn, "", &c.table)? {
            if self.force {
                return Ok(());
            }
            return Err(self.refuse(c, format!("a {kind} named \"{name}\" exists again")));
        }
        let sql = c
            .sql
            .as_deref()
            .ok_or_else(|| Error::sql(format!("{} has no SQL", c.what())))?;
        cx.execute(sql, [])?;
        if kind == "table" {
            self.count("create-table", &c.table, 1);
        }
        Ok(())
    }

    fn revert_rename(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<()> {
        let old = c
            .text("before")?
            .ok_or_else(|| Error::sql(format!("{} has no old name", c.what())))?;
        let Some(now) = object_name(cx.conn, "table", &c.table)? else {
            if self.force {
                return Ok(());
            }
            return Err(self.refuse(c, format!("table \"{}\" no longer exists", c.table)));
        };
        if !old.eq_ignore_ascii_case(&now) {
            if let Some(taken) = object_name(cx.conn, "", &old)? {
                if self.force {
                    return Ok(());
                }
                return Err(self.refuse(c, format!("the name \"{taken}\" is taken again")));
            }
        }
        cx.execute(
            &format!("ALTER TABLE main.{} RENAME TO {}", quote(&now), quote(&old)),
            [],
        )?;
        restore_texts(cx, c)?;
        self.count("alter-table", &old, 1);
        Ok(())
    }

    fn revert_alter(&mut self, cx: &WriteContext<'_>, c: &Change) -> Result<()> {
        let old_sql = c
            .text("before")?
            .ok_or_else(|| Error::sql(format!("{} has no old SQL", c.what())))?;
        let new_sql = c
            .sql
            .as_deref()
            .ok_or_else(|| Error::sql(format!("{} has no SQL", c.what())))?;
        let (old, new) = (columns_of(&old_sql)?, columns_of(new_sql)?);
        let Some(t) = Table::open(cx.conn, &c.table)? else {
            if self.force {
                return Ok(());
            }
            return Err(self.refuse(c, format!("table \"{}\" no longer exists", c.table)));
        };
        let name = quote(&t.name);
        let mut statements = Vec::new();
        if new.len() > old.len() && new[..old.len()] == old[..] {
            // Columns were added: drop them, newest first. The group's rows
            // were reverted already, so each holds its default everywhere
            // unless a later write set it.
            for col in new[old.len()..].iter().rev() {
                if !t.has_column(col) {
                    if self.force {
                        continue;
                    }
                    return Err(
                        self.refuse(c, format!("column \"{col}\" of \"{}\" is gone", t.name))
                    );
                }
                let kept = self
                    .kept_values
                    .get(&(t.name.to_ascii_lowercase(), col.to_ascii_lowercase()))
                    .copied()
                    .unwrap_or(0);
                if !self.force && values_beyond_default(cx.conn, &t.name, col)? > kept {
                    return Err(self.refuse(
                        c,
                        format!(
                            "column \"{col}\" of \"{}\" holds values written since",
                            t.name
                        ),
                    ));
                }
                statements.push(format!(
                    "ALTER TABLE main.{name} DROP COLUMN {}",
                    quote(col)
                ));
            }
        } else if old.len() > new.len() && old[..new.len()] == new[..] {
            // Trailing columns were dropped. The table's old SQL goes back
            // exactly as it was: rows, which lack the trailing fields, read
            // them as their defaults (as after an ADD COLUMN), and the values
            // the drop lost are put back by the group's updates, reverted
            // next. ADD COLUMN could not declare every such column (NOT NULL
            // without a default, STORED generated, a non-constant default).
            write_schema(cx, &[("table".into(), t.name.clone(), old_sql.clone())])?;
            if has_stored_generated(&old_sql, &old[new.len()..])? {
                // Stored values are computed when a row is written.
                if let Some(col) = new.first() {
                    cx.execute(&format!("UPDATE main.{name} SET {0} = {0}", quote(col)), [])?;
                }
            }
        } else if new.len() == old.len() {
            // Columns were renamed (or the SQL changed by a rename elsewhere).
            for (o, n) in old.iter().zip(&new).filter(|(o, n)| o != n) {
                if t.has_column(n) {
                    statements.push(format!(
                        "ALTER TABLE main.{name} RENAME COLUMN {} TO {}",
                        quote(n),
                        quote(o)
                    ));
                } else if !self.force {
                    return Err(self.refuse(c, format!("column \"{n}\" of \"{}\" is gone", t.name)));
                }
            }
        } else if !self.force {
            return Err(self.refuse(
                c,
                format!(
                    "it dropped or reordered columns of \"{}\" (not only the last ones), which undo can not put back in place",
                    t.name
                ),
            ));
        }
        for s in &statements {
            cx.execute(s, [])?;
        }
        restore_texts(cx, c)?;
        self.count("alter-table", &t.name, 1);
        Ok(())
    }
}

/// What a reverting statement that addresses one row is expected to change.
fn expect_row(by: &Columns, key: &[Cell]) -> Expect {
    match (&by.key, key) {
        (None, [Cell::Integer(rowid)]) => Expect::Rowids(*rowid, *rowid),
        _ => Expect::Key(stored::key_json(key)),
    }
}

/// How many rows hold a value other than the column's default (none for a
/// generated column: its values are computed, never written).
fn values_beyond_default(conn: &Connection, table: &str, column: &str) -> Result<i64> {
    let generated: bool = conn.query_row(
        "SELECT hidden IN (2, 3) FROM pragma_table_xinfo(?1, 'main') WHERE name = ?2",
        [table, column],
        |r| r.get(0),
    )?;
    if generated {
        return Ok(0);
    }
    let default = crate::capture::schema::column_default(conn, table, column)?;
    let sql = format!(
        "SELECT count(*) FROM main.{} WHERE {} IS NOT ?1",
        quote(table),
        quote(column)
    );
    Ok(conn.query_row(&sql, [default], |r| r.get(0))?)
}

/// The columns each `alter` record of a group added (see
/// [`Reverter::dropped_later`]).
fn added_columns(conn: &Connection, group: i64) -> Result<HashMap<(String, String), i64>> {
    let (first, last) = store::change_range(conn, group)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM _litewrite_changes
         WHERE id BETWEEN ?1 AND ?2 AND group_id = ?3 AND op = 'alter' ORDER BY id",
        store::change_columns(conn)?
    ))?;
    let alters: Vec<Change> = stmt
        .query_map([first, last, group], Change::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = HashMap::new();
    for c in alters {
        let (Some(old_sql), Some(new_sql)) = (c.text("before")?, c.sql.as_deref()) else {
            continue;
        };
        let (old, new) = (columns_of(&old_sql)?, columns_of(new_sql)?);
        if new.len() > old.len() && new[..old.len()] == old[..] {
            for col in &new[old.len()..] {
                out.insert(
                    (c.table.to_ascii_lowercase(), col.to_ascii_lowercase()),
                    c.id,
                );
            }
        }
    }
    Ok(out)
}

/// Puts back the exact SQL text of the objects a rename or alter rewrote.
/// Reverting it with another ALTER restores every definition, but SQLite
/// writes the names it rewrites quoted (`"t"` where the user wrote `t`);
/// the text the group recorded is written back as the schema's own ALTER
/// does, with `writable_schema`, and the schema cookie bumped.
fn restore_texts(cx: &WriteContext<'_>, c: &Change) -> Result<()> {
    let Some(after) = &c.after else {
        return Ok(());
    };
    let texts: Vec<[String; 3]> = serde_json::from_str(after)
        .map_err(|_| Error::sql(format!("the rewritten SQL of {} is not readable", c.what())))?;
    let conn = cx.conn;
    let mut stale = Vec::new();
    for [kind, name, sql] in texts {
        // The schema text is the tool's reading, not the job's.
        let now: Option<String> = cx.capture.trusted(|| {
            conn.query_row(
                "SELECT sql FROM main.sqlite_master WHERE type = ?1 AND name = ?2",
                [&kind, &name],
                |r| r.get(0),
            )
            .optional()
        })?;
        if now.is_some_and(|n| n != sql) {
            stale.push((kind, name, sql));
        }
    }
    write_schema(cx, &stale)
}

/// Writes the SQL text of schema objects, `(type, name, sql)`, as SQLite's
/// own ALTER TABLE does: with `writable_schema`, and the schema cookie
/// bumped so every connection reloads it. Capture records it as the
/// statements it stands for (an alter), so the undo can be undone.
fn write_schema(cx: &WriteContext<'_>, texts: &[(String, String, String)]) -> Result<()> {
    if texts.is_empty() {
        return Ok(());
    }
    let conn = cx.conn;
    cx.capture.schema_write(conn, || {
        db::without_defensive(conn, || -> Result<()> {
            let version: i64 = conn.query_row("PRAGMA main.schema_version", [], |r| r.get(0))?;
            conn.execute_batch("PRAGMA main.writable_schema = ON")?;
            let written = texts.iter().try_for_each(|(kind, name, sql)| {
                conn.execute(
                    "UPDATE main.sqlite_master SET sql = ?1 WHERE type = ?2 AND name = ?3",
                    [sql, kind, name],
                )
                .map(|_| ())
            });
            let bumped =
                conn.execute_batch(&format!("PRAGMA main.schema_version = {}", version + 1));
            conn.execute_batch("PRAGMA main.writable_schema = OFF")?;
            written?;
            bumped?;
            Ok(())
        })
    })
}

/// True when one of `columns` of a `CREATE TABLE` statement is a STORED
/// generated column.
fn has_stored_generated(create_sql: &str, columns: &[String]) -> Result<bool> {
    Ok(declared_columns(create_sql)?
        .iter()
        .any(|(name, hidden)| *hidden == 3 && columns.contains(name)))
}

/// The name of a schema object as the schema spells it (of any type when
/// `kind` is empty).
fn object_name(conn: &Connection, kind: &str, name: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM main.sqlite_master WHERE (?1 = '' OR type = ?1) AND name = ?2 COLLATE NOCASE",
            [kind, name],
            |r| r.get(0),
        )
        .optional()?)
}

/// The column names a `CREATE TABLE` statement declares.
fn columns_of(create_sql: &str) -> Result<Vec<String>> {
    Ok(declared_columns(create_sql)?
        .into_iter()
        .map(|(name, _)| name)
        .collect())
}

/// The columns a `CREATE TABLE` statement declares, with
/// `pragma_table_xinfo`'s `hidden` (3: STORED generated), read by SQLite
/// itself in a scratch in-memory database.
fn declared_columns(create_sql: &str) -> Result<Vec<(String, i64)>> {
    let scratch = Connection::open_in_memory()?;
    scratch.execute_batch(create_sql)?;
    let name: String = scratch.query_row(
        "SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    let columns = scratch
        .prepare("SELECT name, hidden FROM pragma_table_xinfo(?1)")?
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(columns)
}

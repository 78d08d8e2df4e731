//! `undo`: revert a change group as a new, recorded group.
//!
//! Changes are reverted newest first (added columns last). Unless --force,
//! every row must still be as the group left it; the first one that is not
//! is a conflict and, the job being one transaction, nothing is reverted.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value as Json;

use crate::cli::{GlobalArgs, UndoArgs};
use crate::db::{self, quote, TableInfo};
use crate::error::{Error, Result};
use crate::input::json_to_value;
use crate::job::{Event, Step, Write, WriteContext};
use crate::store;
use crate::wrappers::change_group::{register_functions, row_json_sql};
use rusqlite::config::DbConfig;

use super::update::key_column_sql;

pub fn run(g: &GlobalArgs, a: UndoArgs) -> Result<Option<Json>> {
    {
        let conn = db::open_read(&a.db)?;
        super::show::require_group(&conn, a.group)?;
    }
    let mut info = super::job_info(g, "undo", &a.db, None);
    info.undo_of = Some(a.group);
    let write = UndoWrite {
        group: a.group,
        force: a.force,
    };
    super::run_write(g, info, write)
}

struct Change {
    id: i64,
    table: String,
    op: String,
    key: Option<Json>,
    before: Option<Json>,
    after: Option<Json>,
    sql: Option<String>,
}

pub struct UndoWrite {
    group: i64,
    force: bool,
}

impl Write for UndoWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let conn = cx.conn;
        if !store::check_readable(conn)? {
            return Err(Error::not_found(format!(
                "change group {} does not exist",
                self.group
            )));
        }
        register_functions(conn)?;
        let command: String = conn
            .query_row(
                "SELECT command FROM _litewrite_groups WHERE id = ?1",
                [self.group],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::not_found(format!("change group {} does not exist", self.group))
            })?;
        if !self.force {
            let undone: Option<i64> = conn
                .query_row(
                    "SELECT id FROM _litewrite_groups WHERE undo_of = ?1 AND id IS NOT ?2 ORDER BY id LIMIT 1",
                    rusqlite::params![self.group, cx.group],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(by) = undone {
                return Err(Error::conflict(format!(
                    "change group {} was already undone by group {by}",
                    self.group
                ))
                .with_hint("use --force to revert it again"));
            }
        }
        let mut changes = load(conn, self.group)?;
        changes.reverse();
        // Added columns go last: the rows that use them are reverted first.
        changes.sort_by_key(|c| c.op == "alter");
        let mut counts: BTreeMap<(&'static str, String), u64> = BTreeMap::new();
        // The user's triggers must not fire again: the changes they made are
        // in the group and are reverted with the rest. This turns off the
        // triggers of the main schema only; the TEMP capture triggers still
        // record what the undo does.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        let reverted: Result<()> = changes.iter().try_for_each(|c| {
            let event = self.revert(conn, c, &command)?;
            *counts.entry((event, c.table.clone())).or_default() += 1;
            Ok(())
        });
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
        reverted?;
        for ((name, table), n) in counts {
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

fn load(conn: &Connection, group: i64) -> Result<Vec<Change>> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let (first, last) = store::change_range(conn, group)?;
    let mut stmt = conn.prepare(
        "SELECT id, tbl, op, key, before, after, sql FROM _litewrite_changes
         WHERE id BETWEEN ?1 AND ?2 AND group_id = ?3 ORDER BY id",
    )?;
    let rows = stmt.query_map([first, last, group], |r| {
        Ok(Change {
            id: r.get(0)?,
            table: r.get(1)?,
            op: r.get(2)?,
            key: parse(r.get(3)?),
            before: parse(r.get(4)?),
            after: parse(r.get(5)?),
            sql: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl UndoWrite {
    fn conflict(&self, c: &Change, what: String) -> Error {
        Error::conflict(format!(
            "can not undo group {}: {what} (change {})",
            self.group, c.id
        ))
        .with_hint("nothing was reverted; use --force to revert anyway")
    }

    /// Reverts one change; returns the event it amounts to.
    fn revert(&self, conn: &Connection, c: &Change, command: &str) -> Result<&'static str> {
        match c.op.as_str() {
            "insert" | "update" | "delete" => self.revert_row(conn, c),
            "create" => {
                let Some(info) = db::table_info(conn, &c.table)? else {
                    if self.force {
                        return Ok("drop-table");
                    }
                    return Err(self.conflict(c, format!("table \"{}\" no longer exists", c.table)));
                };
                let rows: i64 = conn.query_row(
                    &format!("SELECT count(*) FROM {}", quote(&info.name)),
                    [],
                    |r| r.get(0),
                )?;
                if rows > 0 && !self.force {
                    return Err(
                        self.conflict(c, format!("table \"{}\" has rows added since", c.table))
                    );
                }
                conn.execute_batch(&format!("DROP TABLE {}", quote(&info.name)))?;
                Ok("drop-table")
            }
            "drop" => {
                if command != "drop" && !self.force {
                    return Err(self.conflict(
                        c,
                        format!(
                            "table \"{}\" was dropped by SQL and its rows were not kept",
                            c.table
                        ),
                    ));
                }
                if db::table_info(conn, &c.table)?.is_some() {
                    return Err(self.conflict(c, format!("a table \"{}\" exists again", c.table)));
                }
                let sql = c.sql.as_deref().unwrap_or_default();
                conn.execute_batch(sql)?;
                Ok("create-table")
            }
            "alter" => {
                let list = |j: &Option<Json>| -> Vec<String> {
                    j.as_ref()
                        .and_then(|v| v.as_array())
                        .map(|a| {
                            a.iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                };
                let (old, new) = (list(&c.before), list(&c.after));
                if old.iter().any(|o| !new.contains(o)) {
                    return Err(self.conflict(
                        c,
                        format!("table \"{}\" lost or renamed columns; only added columns can be undone", c.table),
                    ));
                }
                let info = db::table_info(conn, &c.table)?.ok_or_else(|| {
                    self.conflict(c, format!("table \"{}\" no longer exists", c.table))
                })?;
                for col in new.iter().filter(|n| !old.contains(n)) {
                    if info.column(col).is_some() {
                        conn.execute_batch(&format!(
                            "ALTER TABLE {} DROP COLUMN {}",
                            quote(&info.name),
                            quote(col)
                        ))?;
                    } else if !self.force {
                        return Err(self
                            .conflict(c, format!("column \"{col}\" of \"{}\" is gone", c.table)));
                    }
                }
                Ok("alter-table")
            }
            other => Err(Error::sql(format!(
                "unknown change operation {other:?} in change {}",
                c.id
            ))),
        }
    }

    fn revert_row(&self, conn: &Connection, c: &Change) -> Result<&'static str> {
        let info = match db::table_info(conn, &c.table)? {
            Some(i) => i,
            None => return Err(self.conflict(c, format!("table \"{}\" no longer exists", c.table))),
        };
        // Where the row is now: at the key its after-image holds.
        let key_now = match (&c.op[..], &c.after) {
            ("update", Some(after)) if !info.rowid_key() => {
                key_from_row(&info, after).or_else(|| c.key.clone())
            }
            _ => c.key.clone(),
        };
        let key_now = key_now.ok_or_else(|| Error::sql(format!("change {} has no key", c.id)))?;
        let current = current_row(conn, &info, &key_now)?;
        match c.op.as_str() {
            "insert" => {
                if !self.force && !same(&current, &c.after) {
                    return Err(self.conflict(c, describe_since(&info, &key_now, &current)));
                }
                if current.is_some() {
                    let (cond, values) = key_where(&info, &key_now)?;
                    exec(
                        conn,
                        &format!("DELETE FROM {} WHERE {cond}", quote(&info.name)),
                        &values,
                    )?;
                }
                Ok("delete-row")
            }
            "update" => {
                if !self.force && !same(&current, &c.after) {
                    return Err(self.conflict(c, describe_since(&info, &key_now, &current)));
                }
                let before = c
                    .before
                    .as_ref()
                    .and_then(|b| b.as_object())
                    .cloned()
                    .unwrap_or_default();
                if current.is_none() {
                    insert_row(conn, &info, &before, c.key.as_ref(), true)?;
                    return Ok("update-row");
                }
                let mut sets = Vec::new();
                let mut values = Vec::new();
                for (col, v) in &before {
                    if info.column(col).is_some() {
                        sets.push(format!("{} = ?", quote(col)));
                        values.push(json_to_value(v.clone())?);
                    }
                }
                let (cond, key_values) = key_where(&info, &key_now)?;
                values.extend(key_values);
                exec(
                    conn,
                    &format!(
                        "UPDATE {} SET {} WHERE {cond}",
                        quote(&info.name),
                        sets.join(", ")
                    ),
                    &values,
                )?;
                Ok("update-row")
            }
            _ => {
                if current.is_some() && !self.force {
                    return Err(self.conflict(
                        c,
                        format!("a row with key {key_now} exists again in \"{}\"", c.table),
                    ));
                }
                let before = c
                    .before
                    .as_ref()
                    .and_then(|b| b.as_object())
                    .cloned()
                    .unwrap_or_default();
                insert_row(conn, &info, &before, Some(&key_now), self.force)?;
                Ok("insert-rows")
            }
        }
    }
}

/// Reinserts a row image (with its rowid for tables keyed by rowid).
fn insert_row(
    conn: &Connection,
    info: &TableInfo,
    image: &serde_json::Map<String, Json>,
    key: Option<&Json>,
    replace: bool,
) -> Result<()> {
    let mut cols = Vec::new();
    let mut values = Vec::new();
    if info.rowid_key() {
        if let Some(k) = key {
            cols.push("rowid".to_string());
            values.push(json_to_value(k.clone())?);
        }
    }
    for (col, v) in image {
        if info.column(col).is_some() {
            cols.push(quote(col));
            values.push(json_to_value(v.clone())?);
        }
    }
    let marks = vec!["?"; cols.len()].join(", ");
    let verb = if replace {
        "INSERT OR REPLACE"
    } else {
        "INSERT"
    };
    exec(
        conn,
        &format!(
            "{verb} INTO {} ({}) VALUES ({marks})",
            quote(&info.name),
            cols.join(", ")
        ),
        &values,
    )
}

fn exec(conn: &Connection, sql: &str, values: &[Value]) -> Result<()> {
    conn.execute(sql, rusqlite::params_from_iter(values.iter()))?;
    Ok(())
}

/// The key a row image holds (for tables with a declared primary key).
fn key_from_row(info: &TableInfo, row: &Json) -> Option<Json> {
    let vals: Option<Vec<Json>> = info.key.iter().map(|k| row.get(k).cloned()).collect();
    let vals = vals?;
    Some(if vals.len() == 1 {
        vals.into_iter().next()?
    } else {
        Json::Array(vals)
    })
}

/// `WHERE` condition and values for a recorded key.
fn key_where(info: &TableInfo, key: &Json) -> Result<(String, Vec<Value>)> {
    let parts: Vec<Json> = if info.key.len() == 1 {
        vec![key.clone()]
    } else {
        key.as_array().cloned().unwrap_or_default()
    };
    if parts.len() != info.key.len() {
        return Err(Error::sql(format!(
            "recorded key {key} does not fit table \"{}\"",
            info.name
        )));
    }
    let cond = info
        .key
        .iter()
        .map(|k| format!("{} = ?", key_column_sql(k)))
        .collect::<Vec<_>>()
        .join(" AND ");
    let values = parts
        .into_iter()
        .map(json_to_value)
        .collect::<Result<_>>()?;
    Ok((cond, values))
}

/// The row at a key as JSON (the same form the capture recorded), if any.
fn current_row(conn: &Connection, info: &TableInfo, key: &Json) -> Result<Option<Json>> {
    let cols: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
    let (cond, values) = key_where(info, key)?;
    let sql = format!(
        "SELECT {} FROM {} WHERE {cond}",
        row_json_sql(&cols, ""),
        quote(&info.name)
    );
    let text: Option<String> = conn
        .query_row(&sql, rusqlite::params_from_iter(values.iter()), |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// True when the row holds the recorded image (on the image's columns).
fn same(current: &Option<Json>, recorded: &Option<Json>) -> bool {
    match (current, recorded) {
        (Some(cur), Some(Json::Object(rec))) => rec.iter().all(|(k, v)| cur.get(k) == Some(v)),
        _ => false,
    }
}

fn describe_since(info: &TableInfo, key: &Json, current: &Option<Json>) -> String {
    match current {
        None => format!(
            "the row with key {key} in \"{}\" was deleted since",
            info.name
        ),
        Some(_) => format!(
            "the row with key {key} in \"{}\" was changed since",
            info.name
        ),
    }
}

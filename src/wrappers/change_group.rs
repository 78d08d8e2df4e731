//! change-group: every row change a job makes, with the row's key and its
//! before and after values as JSON, under one group row.
//!
//! Capture uses TEMP triggers: created on this connection for the job and
//! dropped after it, they are invisible to every other SQLite client and
//! leave nothing in the database file's schema. Because they are triggers,
//! they also record changes made by the user's own triggers, in rowid and
//! WITHOUT ROWID tables alike. Tables the job creates are recorded after the
//! write with one `INSERT … SELECT` (faster than a trigger per row); schema
//! changes (create, alter, drop) are recorded with their SQL.
//!
//! A change row: `op` is insert, update, delete, create, alter or drop;
//! `key` is the JSON of the primary key (an array for compound keys, the
//! rowid for tables without one); `before`/`after` are JSON objects of the
//! whole row, BLOBs as `{"$base64": true, "encoded": …}`.

use std::collections::BTreeMap;

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension};
use serde_json::json;

use crate::access::is_internal;
use crate::config::{any_glob, ChangeGroupConfig};
use crate::db::{self, literal, quote, TableInfo};
use crate::error::Result;
use crate::job::{Step, WriteContext};
use crate::store;

use super::{TxEnd, Wrapper};

/// The SQL function the capture triggers call to encode BLOBs.
const BASE64_FN: &str = "_litewrite_base64";

pub struct ChangeGroup {
    config: ChangeGroupConfig,
    /// Tables as they were before the write: name -> (columns, sql).
    before: BTreeMap<String, (Vec<String>, String)>,
    triggers: Vec<String>,
    function_registered: bool,
    /// The id the group's first change gets.
    first_change: i64,
    /// Inside a held transaction: its one group, closed at commit.
    tx_group: Option<i64>,
    /// The last audit entry before the job, to see if the job's entries name its group.
    audit_mark: i64,
}

impl ChangeGroup {
    pub fn new(config: &ChangeGroupConfig) -> ChangeGroup {
        ChangeGroup {
            config: config.clone(),
            before: BTreeMap::new(),
            triggers: Vec::new(),
            function_registered: false,
            first_change: 1,
            tx_group: None,
            audit_mark: 0,
        }
    }

    fn recorded(&self, table: &str) -> bool {
        !is_internal(table)
            && any_glob(&self.config.tables, table)
            && !any_glob(&self.config.exclude, table)
    }

    /// The held transaction's group, if this job joins one that is still
    /// there (a failed first job's savepoint rollback removes it).
    fn open_tx_group(&mut self, conn: &Connection, in_tx: bool) -> Result<Option<i64>> {
        let Some(group) = self.tx_group.filter(|_| in_tx) else {
            return Ok(None);
        };
        Ok(store::group_exists(conn, group)?.then_some(group))
    }

    /// TEMP triggers that record each row change of the recorded tables.
    fn create_triggers(&mut self, conn: &Connection, group: i64) -> Result<()> {
        let names: Vec<String> = self
            .before
            .keys()
            .filter(|t| self.recorded(t))
            .cloned()
            .collect();
        for (n, table) in names.iter().enumerate() {
            let Some(info) = db::table_info(conn, table)? else {
                continue;
            };
            let cols = &self.before[table].0;
            let t = literal(&info.name);
            let target = format!("main.{}", quote(&info.name));
            let specs = [
                (
                    "i",
                    "INSERT",
                    "'insert'",
                    key_sql(&info, "NEW."),
                    "NULL".to_string(),
                    row_json_sql(cols, "NEW."),
                ),
                (
                    "u",
                    "UPDATE",
                    "'update'",
                    key_sql(&info, "OLD."),
                    row_json_sql(cols, "OLD."),
                    row_json_sql(cols, "NEW."),
                ),
                (
                    "d",
                    "DELETE",
                    "'delete'",
                    key_sql(&info, "OLD."),
                    row_json_sql(cols, "OLD."),
                    "NULL".to_string(),
                ),
            ];
            for (tag, event, op, key, before, after) in specs {
                let name = format!("_litewrite_cg_{tag}{n}");
                conn.execute_batch(&format!(
                    "CREATE TEMP TRIGGER {} AFTER {event} ON {target} BEGIN
                       INSERT INTO main._litewrite_changes (group_id, tbl, op, key, before, after)
                       VALUES ({group}, {t}, {op}, {key}, {before}, {after});
                     END",
                    quote(&name)
                ))?;
                self.triggers.push(name);
            }
        }
        Ok(())
    }

    /// Ends a job's group: records its range of changes, or removes it when
    /// the job changed nothing. A held transaction's group is closed at commit.
    fn close_group(&mut self, cx: &mut WriteContext<'_>, group: i64) -> Result<()> {
        let conn = cx.conn;
        if cx.job.tx.is_some() {
            return Ok(());
        }
        let last: i64 = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM _litewrite_changes",
            [],
            |r| r.get(0),
        )?;
        if last < self.first_change {
            let named: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM _litewrite_audit WHERE id > ?1 AND group_id = ?2)",
                [self.audit_mark, group],
                |r| r.get(0),
            )?;
            if !named {
                // Nothing changed: no group to show or undo.
                conn.execute("DELETE FROM _litewrite_groups WHERE id = ?1", [group])?;
                cx.group = None;
                return Ok(());
            }
        }
        conn.execute(
            "UPDATE _litewrite_groups SET first_change = ?1, last_change = ?2 WHERE id = ?3",
            [self.first_change, last, group],
        )?;
        if cx.job.dry_run {
            cx.changes = crate::cmd::show::changes_json(conn, group)?;
        }
        Ok(())
    }

    fn drop_triggers(&mut self, conn: &Connection) -> Result<()> {
        for t in self.triggers.drain(..) {
            conn.execute_batch(&format!("DROP TRIGGER IF EXISTS temp.{}", quote(&t)))?;
        }
        Ok(())
    }
}

/// Registers the BLOB encoder the capture SQL uses.
pub fn register_functions(conn: &Connection) -> Result<()> {
    use base64::Engine as _;
    conn.create_scalar_function(
        BASE64_FN,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let v = ctx.get_raw(0);
            Ok(match v {
                rusqlite::types::ValueRef::Blob(b) => {
                    Some(base64::engine::general_purpose::STANDARD.encode(b))
                }
                _ => None,
            })
        },
    )?;
    Ok(())
}

/// User tables (not sqlite_* or the tool's own) with their columns and SQL.
fn user_tables(conn: &Connection) -> Result<BTreeMap<String, (Vec<String>, String)>> {
    let mut stmt = conn.prepare(
        "SELECT name, coalesce(sql, '') FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let names: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = BTreeMap::new();
    for (name, sql) in names {
        if is_internal(&name) {
            continue;
        }
        let cols: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")?
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.insert(name, (cols, sql));
    }
    Ok(out)
}

/// SQL for a row's value as JSON, with BLOBs encoded: `json_object(...)`.
pub fn row_json_sql(columns: &[String], prefix: &str) -> String {
    let parts: Vec<String> = columns
        .iter()
        .map(|c| {
            let v = format!("{prefix}{}", quote(c));
            format!(
                "{}, CASE WHEN typeof({v}) = 'blob' THEN json_object('$base64', json('true'), 'encoded', {BASE64_FN}({v})) ELSE {v} END",
                literal(c)
            )
        })
        .collect();
    format!("json_object({})", parts.join(", "))
}

/// SQL for a row's key as JSON: the primary key, an array of it, or the rowid.
pub fn key_sql(info: &TableInfo, prefix: &str) -> String {
    if info.rowid_key() {
        return format!("json_quote({prefix}rowid)");
    }
    let value = |k: &str| {
        let v = format!("{prefix}{}", quote(k));
        format!(
            "CASE WHEN typeof({v}) = 'blob' THEN json_object('$base64', json('true'), 'encoded', {BASE64_FN}({v})) ELSE {v} END"
        )
    };
    if info.key.len() == 1 {
        return format!("json_quote({})", value(&info.key[0]));
    }
    let parts: Vec<String> = info.key.iter().map(|k| value(k)).collect();
    format!("json_array({})", parts.join(", "))
}

impl Wrapper for ChangeGroup {
    fn name(&self) -> &'static str {
        "change-group"
    }

    fn before(&mut self, cx: &mut WriteContext<'_>) -> Result<()> {
        store::ensure(cx.conn)?;
        if !self.function_registered {
            register_functions(cx.conn)?;
            self.function_registered = true;
        }
        let conn = cx.conn;
        self.before = user_tables(conn)?;
        self.audit_mark = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM _litewrite_audit",
            [],
            |r| r.get(0),
        )?;
        if let Some(group) = self.open_tx_group(conn, cx.job.tx.is_some())? {
            cx.group = Some(group);
            return self.create_triggers(conn, group);
        }
        conn.execute(
            "INSERT INTO _litewrite_groups (time, actor, message, command, command_line, tx, undo_of)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6)",
            rusqlite::params![
                store::now(),
                cx.job.actor,
                cx.job.message,
                cx.job.command,
                cx.job.command_line,
                cx.job.undo_of
            ],
        )?;
        if let Some(tx) = &cx.job.tx {
            conn.execute(
                "UPDATE _litewrite_groups SET tx = ?1, command = 'tx' WHERE id = last_insert_rowid()",
                [tx],
            )?;
        }
        let group = conn.last_insert_rowid();
        cx.group = Some(group);
        self.first_change = conn.query_row(
            "SELECT coalesce(max(id), 0) + 1 FROM _litewrite_changes",
            [],
            |r| r.get(0),
        )?;
        if cx.job.tx.is_some() {
            self.tx_group = Some(group);
        }
        self.create_triggers(conn, group)
    }

    fn after(&mut self, cx: &mut WriteContext<'_>, result: &Result<Step>) -> Result<()> {
        self.drop_triggers(cx.conn)?;
        let Some(group) = cx.group else {
            return Ok(());
        };
        if result.is_err() {
            return Ok(());
        }
        let conn = cx.conn;
        let now = user_tables(conn)?;
        let mut insert_change = conn.prepare(
            "INSERT INTO _litewrite_changes (group_id, tbl, op, key, before, after, sql) VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6)",
        )?;
        for (name, (cols, sql)) in &now {
            if !self.recorded(name) {
                continue;
            }
            match self.before.get(name) {
                None => {
                    insert_change.execute(rusqlite::params![
                        group,
                        name,
                        "create",
                        Option::<String>::None,
                        json!(cols).to_string(),
                        sql
                    ])?;
                    let info = db::require_table(conn, name)?;
                    conn.execute_batch(&format!(
                        "INSERT INTO _litewrite_changes (group_id, tbl, op, key, before, after)
                         SELECT {group}, {}, 'insert', {}, NULL, {} FROM main.{}",
                        literal(name),
                        key_sql(&info, ""),
                        row_json_sql(cols, ""),
                        quote(name)
                    ))?;
                }
                Some((old_cols, old_sql)) if old_cols != cols => {
                    insert_change.execute(rusqlite::params![
                        group,
                        name,
                        "alter",
                        json!(old_cols).to_string(),
                        json!(cols).to_string(),
                        format!("{old_sql}\n-- became --\n{sql}")
                    ])?;
                    // The capture triggers knew only the old columns:
                    // fill the new ones in from the rows as they are now.
                    let info = db::require_table(conn, name)?;
                    let cond = if info.rowid_key() {
                        "t.rowid = json_extract(c.key, '$')".to_string()
                    } else if info.key.len() == 1 {
                        format!("t.{} = json_extract(c.key, '$')", quote(&info.key[0]))
                    } else {
                        info.key
                            .iter()
                            .enumerate()
                            .map(|(i, k)| format!("t.{} = json_extract(c.key, '$[{i}]')", quote(k)))
                            .collect::<Vec<_>>()
                            .join(" AND ")
                    };
                    conn.execute_batch(&format!(
                        "UPDATE _litewrite_changes AS c SET after = coalesce(
                           (SELECT {} FROM main.{} AS t WHERE {cond}), c.after)
                         WHERE c.id >= {} AND c.group_id = {group} AND c.tbl = {} AND c.op IN ('insert', 'update')",
                        row_json_sql(cols, "t."),
                        quote(name),
                        self.first_change,
                        literal(name)
                    ))?;
                }
                _ => {}
            }
        }
        for (name, (cols, sql)) in &self.before {
            if self.recorded(name) && !now.contains_key(name) {
                insert_change.execute(rusqlite::params![
                    group,
                    name,
                    "drop",
                    json!(cols).to_string(),
                    Option::<String>::None,
                    sql
                ])?;
            }
        }
        drop(insert_change);
        self.close_group(cx, group)
    }

    fn tx_end(&mut self, conn: &Connection, end: &TxEnd) -> Result<()> {
        let Some(group) = self.tx_group.take() else {
            return Ok(());
        };
        if !end.committed {
            return Ok(());
        }
        // The transaction is one group, stamped with the commit time.
        let first: Option<i64> = conn
            .query_row(
                "SELECT min(id) FROM _litewrite_changes WHERE group_id = ?1 AND id >= ?2",
                [group, self.first_change],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let last: i64 = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM _litewrite_changes",
            [],
            |r| r.get(0),
        )?;
        match first {
            Some(first) => {
                conn.execute(
                    "UPDATE _litewrite_groups SET first_change = ?1, last_change = ?2, time = ?3 WHERE id = ?4",
                    rusqlite::params![first, last, store::now(), group],
                )?;
            }
            None => {
                conn.execute("DELETE FROM _litewrite_groups WHERE id = ?1", [group])?;
            }
        }
        Ok(())
    }
}

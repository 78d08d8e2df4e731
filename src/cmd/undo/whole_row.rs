//! Undo of groups recorded before record format 2: change rows that hold
//! whole-row JSON objects (`before`/`after`) keyed by primary key or rowid.
//! Kept so the groups an earlier litewrite recorded still undo.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde_json::Value as Json;

use crate::capture::stored::{self, Change};
use crate::db::{self, quote, TableInfo};
use crate::error::{Error, Result};
use crate::input::{json_to_value, value_to_json};
use crate::job::WriteContext;

use super::Reverter;

/// Reverts every change of a whole-row group, newest first (added columns last).
pub fn revert_group(r: &mut Reverter, cx: &WriteContext<'_>, command: &str) -> Result<()> {
    let mut changes = Vec::new();
    // The tool's own reading, outside the job's authorizer policy.
    cx.capture.trusted(|| {
        stored::for_each(cx.conn, r.group, false, |c| {
            changes.push(c);
            Ok(())
        })
    })?;
    changes.reverse();
    changes.sort_by_key(|c| c.op == "alter");
    for c in &changes {
        let event = revert(r, cx, c, command)?;
        r.count(event, &c.table, 1);
    }
    Ok(())
}

fn parse(text: &Option<String>) -> Option<Json> {
    text.as_ref().and_then(|s| serde_json::from_str(s).ok())
}

fn revert(r: &Reverter, cx: &WriteContext<'_>, c: &Change, command: &str) -> Result<&'static str> {
    let conn = cx.conn;
    match c.op.as_str() {
        "insert" | "update" | "delete" => revert_row(r, cx, c),
        "create" => {
            let Some(info) = db::table_info(conn, &c.table)? else {
                if r.force {
                    return Ok("drop-table");
                }
                return Err(r.refuse(c, format!("table \"{}\" no longer exists", c.table)));
            };
            let rows: i64 = conn.query_row(
                &format!("SELECT count(*) FROM main.{}", quote(&info.name)),
                [],
                |row| row.get(0),
            )?;
            if rows > 0 && !r.force {
                return Err(r.refuse(c, format!("table \"{}\" has rows added since", c.table)));
            }
            cx.execute(&format!("DROP TABLE main.{}", quote(&info.name)), [])?;
            Ok("drop-table")
        }
        "drop" => {
            if command != "drop" && !r.force {
                return Err(r.refuse(
                    c,
                    format!(
                        "table \"{}\" was dropped by SQL and its rows were not kept",
                        c.table
                    ),
                ));
            }
            if db::table_info(conn, &c.table)?.is_some() {
                return Err(r.impossible(c, format!("a table \"{}\" exists again", c.table)));
            }
            cx.execute(c.sql.as_deref().unwrap_or_default(), [])?;
            Ok("create-table")
        }
        "alter" => {
            let list = |j: Option<Json>| -> Vec<String> {
                j.and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default()
            };
            let (old, new) = (list(parse(&c.before)), list(parse(&c.after)));
            if old.iter().any(|o| !new.contains(o)) {
                if r.force {
                    return Ok("alter-table");
                }
                return Err(r.refuse(
                    c,
                    format!(
                        "table \"{}\" lost or renamed columns; only added columns can be undone",
                        c.table
                    ),
                ));
            }
            let info = db::table_info(conn, &c.table)?.ok_or_else(|| {
                r.impossible(c, format!("table \"{}\" no longer exists", c.table))
            })?;
            for col in new.iter().filter(|n| !old.contains(n)) {
                if info.column(col).is_some() {
                    cx.execute(
                        &format!(
                            "ALTER TABLE main.{} DROP COLUMN {}",
                            quote(&info.name),
                            quote(col)
                        ),
                        [],
                    )?;
                } else if !r.force {
                    return Err(r.refuse(c, format!("column \"{col}\" of \"{}\" is gone", c.table)));
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

fn revert_row(r: &Reverter, cx: &WriteContext<'_>, c: &Change) -> Result<&'static str> {
    let conn = cx.conn;
    let info = db::table_info(conn, &c.table)?
        .ok_or_else(|| r.impossible(c, format!("table \"{}\" no longer exists", c.table)))?;
    let (key, before, after) = (parse(&c.key), parse(&c.before), parse(&c.after));
    // Where the row is now: at the key its after-image holds.
    let key_now = match (&c.op[..], &after) {
        ("update", Some(after)) if !info.rowid_key() => key_from_row(&info, after).or(key.clone()),
        _ => key.clone(),
    };
    let key_now = key_now.ok_or_else(|| Error::sql(format!("change {} has no key", c.id)))?;
    let current = current_row(conn, &info, &key_now)?;
    let image = |j: &Option<Json>| {
        j.as_ref()
            .and_then(|b| b.as_object())
            .cloned()
            .unwrap_or_default()
    };
    match c.op.as_str() {
        "insert" => {
            if !r.force && !same(&current, &after) {
                return Err(r.refuse(c, describe_since(&info, &key_now, &current)));
            }
            if current.is_some() {
                let (cond, values) = key_where(&info, &key_now)?;
                exec(
                    cx,
                    &format!("DELETE FROM main.{} WHERE {cond}", quote(&info.name)),
                    &values,
                )?;
            }
            Ok("delete-row")
        }
        "update" => {
            if !r.force && !same(&current, &after) {
                return Err(r.refuse(c, describe_since(&info, &key_now, &current)));
            }
            let before = image(&before);
            if current.is_none() {
                insert_row(cx, &info, &before, key.as_ref(), true)?;
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
                cx,
                &format!(
                    "UPDATE main.{} SET {} WHERE {cond}",
                    quote(&info.name),
                    sets.join(", ")
                ),
                &values,
            )?;
            Ok("update-row")
        }
        _ => {
            if current.is_some() && !r.force {
                return Err(r.refuse(
                    c,
                    format!("a row with key {key_now} exists again in \"{}\"", c.table),
                ));
            }
            insert_row(cx, &info, &image(&before), Some(&key_now), r.force)?;
            Ok("insert-rows")
        }
    }
}

/// Reinserts a row image (with its rowid for tables keyed by rowid).
fn insert_row(
    cx: &WriteContext<'_>,
    info: &TableInfo,
    image: &serde_json::Map<String, Json>,
    key: Option<&Json>,
    replace: bool,
) -> Result<()> {
    let mut cols = Vec::new();
    let mut values = Vec::new();
    if info.rowid_key() {
        if let Some(k) = key {
            cols.push(rowid_name(info)?.to_string());
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
        cx,
        &format!(
            "{verb} INTO main.{} ({}) VALUES ({marks})",
            quote(&info.name),
            cols.join(", ")
        ),
        &values,
    )
}

fn rowid_name(info: &TableInfo) -> Result<&'static str> {
    let cols: Vec<String> = info.columns.iter().map(|c| c.name.clone()).collect();
    crate::capture::schema::rowid_name(&cols)
        .ok_or_else(|| crate::capture::schema::no_rowid_name(&info.name))
}

fn exec(cx: &WriteContext<'_>, sql: &str, values: &[Value]) -> Result<()> {
    cx.execute(sql, rusqlite::params_from_iter(values.iter()))?;
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
    let rowid = if info.rowid_key() {
        Some(rowid_name(info)?)
    } else {
        None
    };
    let cond = info
        .key
        .iter()
        .map(|k| {
            format!(
                "{} = ?",
                rowid.map(str::to_string).unwrap_or_else(|| quote(k))
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let values = parts
        .into_iter()
        .map(json_to_value)
        .collect::<Result<_>>()?;
    Ok((cond, values))
}

/// The row at a key as a JSON object (the form the images hold), if any.
fn current_row(conn: &Connection, info: &TableInfo, key: &Json) -> Result<Option<Json>> {
    let cols: Vec<String> = info.columns.iter().map(|c| quote(&c.name)).collect();
    let (cond, values) = key_where(info, key)?;
    let sql = format!(
        "SELECT {} FROM main.{} WHERE {cond}",
        cols.join(", "),
        quote(&info.name)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let mut obj = serde_json::Map::new();
    for (i, c) in info.columns.iter().enumerate() {
        obj.insert(c.name.clone(), value_to_json(&row.get_ref(i)?));
    }
    Ok(Some(Json::Object(obj)))
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

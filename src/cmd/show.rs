//! `show`: a change group's row changes.

use rusqlite::Connection;
use serde_json::{json, Value as Json};

use crate::cli::{GlobalArgs, OutputFormat, ShowArgs};
use crate::db;
use crate::error::{Error, Result};
use crate::output;
use crate::store;

const COLUMNS: &[&str] = &["id", "table", "op", "key", "before", "after"];

pub fn run(g: &GlobalArgs, a: ShowArgs) -> Result<Option<Json>> {
    let conn = db::open_read(&a.db)?;
    require_group(&conn, a.group)?;
    let changes = changes_json(&conn, a.group)?;
    print_changes(&changes, if g.json { OutputFormat::Json } else { a.format })?;
    Ok(None)
}

/// Fails with *not found* unless the group exists.
pub fn require_group(conn: &Connection, group: i64) -> Result<()> {
    let exists = store::check_readable(conn)? && store::group_exists(conn, group)?;
    if exists {
        Ok(())
    } else {
        Err(Error::not_found(format!(
            "change group {group} does not exist"
        )))
    }
}

/// A group's changes as JSON objects, in the order they were made.
pub fn changes_json(conn: &Connection, group: i64) -> Result<Vec<Json>> {
    let (first, last) = store::change_range(conn, group)?;
    let mut stmt = conn.prepare(
        "SELECT id, tbl, op, key, before, after, sql FROM _litewrite_changes
         WHERE id BETWEEN ?1 AND ?2 AND group_id = ?3 ORDER BY id",
    )?;
    let parse = |s: Option<String>| -> Json {
        s.map(|s| serde_json::from_str(&s).unwrap_or(Json::String(s)))
            .unwrap_or(Json::Null)
    };
    let rows = stmt.query_map([first, last, group], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, table, op, key, before, after, sql) = row?;
        let mut obj = json!({
            "id": id, "table": table, "op": op,
            "key": parse(key), "before": parse(before), "after": parse(after),
        });
        if sql.is_some() {
            obj["sql"] = json!(sql);
        }
        out.push(obj);
    }
    Ok(out)
}

/// Prints changes as `show` does.
pub fn print_changes(changes: &[Json], format: OutputFormat) -> Result<()> {
    output::print_objects(COLUMNS, changes, format)
}

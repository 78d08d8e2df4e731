//! `show`: a change group's row changes.
//!
//! Each change is shown with its table, operation, key, and before and
//! after values as JSON objects. Rows a group recorded compactly are shown
//! from the table where it still holds them exactly as the group left them
//! (checked by digest): the rows of an `insert-range`, and the unchanged
//! columns of an updated row. Where the table no longer does, the change
//! says so in a `note` and shows what the record holds.
//!
//! A user the authorizer restricts sees the changes of hidden tables
//! without their keys and values ([`Hidden::redact_change`]).

use rusqlite::Connection;
use serde_json::{json, Value as Json};

use crate::capture::stored::{self, Change, ColumnMap, Table};
use crate::cli::{OutputFormat, ShowArgs};
use crate::db;
use crate::error::{Error, Result};
use crate::output::{self, Fit};
use crate::session::Session;
use crate::store;
use crate::wrappers::authorizer::Hidden;

const COLUMNS: &[&str] = &["id", "table", "op", "key", "before", "after"];

pub fn run(s: &Session, a: ShowArgs) -> Result<Option<Json>> {
    let hidden = Hidden::for_user(s.config()?);
    let conn = db::open_read(&a.db, s.busy_timeout())?;
    require_group(&conn, a.group)?;
    let hidden = hidden.load(&conn)?;
    let mut changes = changes_json(&conn, a.group)?;
    for c in &mut changes {
        hidden.redact_change(c);
    }
    print_changes(
        &mut s.stdout(),
        &changes,
        if s.flags.json {
            OutputFormat::Json
        } else {
            a.format
        },
        s.env.columns,
    )?;
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
    if stored::format(conn, group)?.is_none() {
        return whole_row_changes(conn, group);
    }
    let columns = ColumnMap::load(conn, group)?;
    let mut out = Vec::new();
    stored::for_each(conn, group, false, |c| {
        change_json(conn, &columns, &c, &mut out)
    })?;
    Ok(out)
}

/// A compact record (format 2) as one or more shown changes.
fn change_json(
    conn: &Connection,
    columns: &ColumnMap,
    c: &Change,
    out: &mut Vec<Json>,
) -> Result<()> {
    let base = |op: &str, key: Json, before: Json, after: Json| json!({"id": c.id, "table": c.table, "op": op, "key": key, "before": before, "after": after});
    let key_of = |c: &Change| -> Result<Json> {
        let cells = c.key_cells()?;
        Ok(match cells.as_slice() {
            [one] => one.to_json(),
            many => Json::Array(many.iter().map(|v| v.to_json()).collect()),
        })
    };
    match c.op.as_str() {
        "columns" => {}
        "insert" => {
            let cols = columns.at(c)?;
            let image = c.image(true, &cols)?;
            out.push(base(
                "insert",
                key_of(c)?,
                Json::Null,
                stored::row_object(&cols, &image),
            ));
        }
        "delete" => {
            let cols = columns.at(c)?;
            let image = c.image(false, &cols)?;
            out.push(base(
                "delete",
                key_of(c)?,
                stored::row_object(&cols, &image),
                Json::Null,
            ));
        }
        "insert-range" => {
            let cols = columns.at(c)?;
            let (first, last) = c.range()?;
            let rows = match Table::open(conn, &c.table)? {
                Some(t) => t
                    .range(conn, &cols, first, last)
                    .ok()
                    .filter(|r| {
                        r.rows.len() as i64 == last - first + 1
                            && c.digest.as_ref() == Some(&r.digest)
                    })
                    .map(|r| r.rows),
                None => None,
            };
            match rows {
                Some(rows) => {
                    for (rowid, cells) in rows {
                        out.push(base(
                            "insert",
                            stored::row_key(&cols, rowid, &cells),
                            Json::Null,
                            stored::row_object(&cols, &cells),
                        ));
                    }
                }
                None => {
                    let mut obj = base(
                        "insert",
                        json!({"rowids": [first, last]}),
                        Json::Null,
                        Json::Null,
                    );
                    obj["note"] = json!(format!(
                        "{} rows inserted with rowids {first} to {last}; they changed since, so their inserted values are not known",
                        last - first + 1
                    ));
                    out.push(obj);
                }
            }
        }
        "update" => {
            let cols = columns.at(c)?;
            let before = c.columns_object(false)?;
            let after = c.columns_object(true)?;
            let (by_rowid, by_rowid_key) = c.locate(&cols)?;
            let key = match (&cols.key, c.key_cells()?.as_slice()) {
                (None, [old, _]) => old.to_json(),
                _ => key_of(c)?,
            };
            let now = match Table::open(conn, &c.table)? {
                Some(t) => {
                    let (by, at) = stored::key_after_update(c, &cols)?;
                    t.row(conn, &by, &at)
                        .ok()
                        .flatten()
                        .filter(|cells| c.digest.as_deref() == Some(&stored::row_digest(cells)))
                }
                None => None,
            };
            let object = |vals: &[(String, crate::capture::value::Cell)]| {
                Json::Object(vals.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            };
            match now {
                Some(cells) => {
                    let full_after = stored::row_object(&cols, &cells);
                    let mut full_before = full_after.clone();
                    for (k, v) in &before {
                        full_before[k] = v.to_json();
                    }
                    out.push(base("update", key, full_before, full_after));
                }
                None => {
                    let mut obj = base("update", key, object(&before), object(&after));
                    obj["note"] =
                        json!("the row changed since; only the columns this change set are known");
                    out.push(obj);
                }
            }
            if let (Some(_), None, [old, new]) = (&cols.key, &by_rowid.key, by_rowid_key.as_slice())
            {
                // A row of a table with a declared key that moved (a
                // REPLACE): the only change may be its rowid.
                if let Some(obj) = out.last_mut() {
                    obj["rowid"] = json!([old.to_json(), new.to_json()]);
                }
            }
        }
        "sql" => {
            let mut obj = base("sql", Json::Null, Json::Null, Json::Null);
            obj["sql"] = json!(c.sql);
            out.push(obj);
        }
        op => {
            let mut obj = base(op, Json::Null, json!(c.text("before")?), Json::Null);
            obj["type"] = json!(c.text("key")?);
            obj["sql"] = json!(c.sql);
            out.push(obj);
        }
    }
    Ok(())
}

/// The changes of a group recorded before format 2 (whole-row JSON images).
fn whole_row_changes(conn: &Connection, group: i64) -> Result<Vec<Json>> {
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

/// The columns of `show` as a terminal table: the change reads as a diff.
const TABLE_COLUMNS: &[&str] = &["id", "table", "op", "key", "change"];

/// Prints changes as `show` does. A terminal table (fit to `width`) shows
/// each change on one line, an update as the columns it changed, old →
/// new; the other formats print the whole before and after rows.
pub fn print_changes(
    out: &mut dyn std::io::Write,
    changes: &[Json],
    format: OutputFormat,
    width: Option<u16>,
) -> Result<()> {
    if format != OutputFormat::Table {
        return output::print_objects(out, COLUMNS, changes, format, Fit::default());
    }
    let shown: Vec<Json> = changes
        .iter()
        .map(|c| {
            json!({
                "id": c["id"], "table": c["table"], "op": c["op"], "key": c["key"],
                "change": change_text(c, width),
            })
        })
        .collect();
    let fit = Fit {
        width,
        cut: &["table", "key", "change"],
        drop: &[],
    };
    output::print_objects(out, TABLE_COLUMNS, &shown, format, fit)
}

/// One change as a line of text: what an update changed (`col: old →
/// new, ...`), the row an insert added or a delete removed, the SQL of a
/// schema change; and its note, if it has one.
fn change_text(c: &Json, width: Option<u16>) -> String {
    if c["hidden"] == true {
        return output::HIDDEN_CELL.into();
    }
    let mut text = match c["op"].as_str().unwrap_or("") {
        "update" => {
            let mut parts = update_diff(&c["before"], &c["after"], width);
            if let Some([old, new]) = c["rowid"].as_array().map(Vec::as_slice) {
                parts.push(format!("rowid: {old} → {new}"));
            }
            if parts.is_empty() {
                "no column changed".into()
            } else {
                parts.join(", ")
            }
        }
        "insert" => image(&c["after"]),
        "delete" => image(&c["before"]),
        _ => match c.get("sql").and_then(Json::as_str) {
            Some(sql) => sql.to_string(),
            None => image(&c["before"]),
        },
    };
    if let Some(note) = c.get("note").and_then(Json::as_str) {
        text = if text.is_empty() {
            format!("({note})")
        } else {
            format!("{text} ({note})")
        };
    }
    text
}

/// The columns whose values differ between two row images, as `col: old
/// → new` (values as JSON: text quoted, so `"1"` and `1` differ visibly),
/// in the order of the row's columns. Fit to a terminal `width`, each value
/// is cut to its share of it, so a long value can not push the columns
/// after it out of sight.
fn update_diff(before: &Json, after: &Json, width: Option<u16>) -> Vec<String> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return vec![format!("{} → {}", image(before), image(after))];
    };
    let mut names: Vec<&String> = a.keys().collect();
    names.extend(b.keys().filter(|k| !a.contains_key(*k)));
    names.retain(|k| b.get(*k) != a.get(*k));
    // The id, table, op and key columns and the table's borders take
    // about 30 characters; the rest is shared by the old and new values.
    let share =
        width.map(|w| (usize::from(w).saturating_sub(30) / (2 * names.len().max(1))).max(8));
    names
        .into_iter()
        .map(|k| {
            let side = |o: &serde_json::Map<String, Json>| {
                let text = o
                    .get(k)
                    .map_or_else(|| "(not known)".to_string(), Json::to_string);
                match share {
                    Some(n) if text.chars().count() > n => {
                        let mut cut: String = text.chars().take(n - 1).collect();
                        cut.push('…');
                        cut
                    }
                    _ => text,
                }
            };
            format!("{k}: {} → {}", side(b), side(a))
        })
        .collect()
}

/// A row image (or other value) as compact JSON text; nothing for null.
fn image(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}
